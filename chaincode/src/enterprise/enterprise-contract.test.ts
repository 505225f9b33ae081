import { expect } from 'chai';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, lei, newCast, registerCast, uscc } from '../testing/fixtures';
import { EnterpriseContract } from './enterprise-contract';
import type { Enterprise } from './enterprise';

describe('EnterpriseContract', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract]);
        cast = await newCast();
    });
    afterEach(() => h.close());

    describe('RegisterEnterprise', () => {
        it('registers a USCC-identified supplier as ACTIVE with the transaction time', async () => {
            const created = await h.submit<Enterprise>(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.tier1, name: 'Suzhou Precision', kind: 'SUPPLIER' }]);
            expect(created).to.include({ id: EID.tier1, idKind: 'USCC', kind: 'SUPPLIER', status: 'ACTIVE', country: 'CN', mspId: 'PlatformMSP' });
            expect(created.registeredAt).to.equal('2026-01-05T00:00:00.000Z');
            const read = await h.evaluate<Enterprise>(cast.tier2, 'enterprise:ReadEnterprise', [EID.tier1]);
            expect(read).to.deep.equal(created);
            expect(h.events().map((e) => e.name)).to.deep.equal(['RegisterEnterprise']);
            expect(h.events()[0].payload).to.include({ enterpriseId: EID.tier1, kind: 'SUPPLIER' });
        });

        it('registers an LEI-identified foreign partner hosted by PartnerMSP', async () => {
            const created = await h.submit<Enterprise>(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.partner, name: 'SG Credit', kind: 'FOREIGN_PARTNER', country: 'SG' }]);
            expect(created).to.include({ idKind: 'LEI', mspId: 'PartnerMSP', country: 'SG' });
        });

        it('rejects a USCC with a wrong check character', async () => {
            const bad = EID.tier1.slice(0, 17) + (EID.tier1[17] === '0' ? '1' : '0');
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: bad, name: 'X', kind: 'SUPPLIER' }]));
        });

        it('rejects an LEI with wrong check digits', async () => {
            const good = lei('984500ABCDEF123456');
            const bad = good.slice(0, 18) + (good.slice(18) === '00' ? '01' : '00');
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: bad, name: 'X', kind: 'FOREIGN_PARTNER', country: 'DE' }]));
        });

        it('rejects malformed requests: not JSON, unknown field, unknown kind, missing name, USCC outside CN, LEI without country', async () => {
            const attempts: unknown[] = [
                'not json',
                { id: EID.tier1, name: 'X', kind: 'SUPPLIER', extra: 1 },
                { id: EID.tier1, name: 'X', kind: 'PIRATE' },
                { id: EID.tier1, kind: 'SUPPLIER' },
                { id: EID.tier1, name: 'X', kind: 'SUPPLIER', country: 'US' },
                { id: EID.partner, name: 'X', kind: 'FOREIGN_PARTNER' },
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [request as object]));
            }
        });

        it('rejects registering the same enterprise twice', async () => {
            await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.tier1, name: 'A', kind: 'SUPPLIER' }]);
            await expectRefused(h, 'ALREADY_EXISTS', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.tier1, name: 'B', kind: 'SUPPLIER' }]));
        });

        it('refuses every role but the platform admin, identities without attributes, and roles from the wrong org', async () => {
            const request = { id: EID.tier3, name: 'X', kind: 'SUPPLIER' };
            for (const who of [cast.regulator, cast.core, cast.tier1, cast.bank, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'enterprise:RegisterEnterprise', [request]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'enterprise:RegisterEnterprise', [request]));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.wrongOrgSupplier, 'enterprise:RegisterEnterprise', [request]));
        });
    });

    describe('FreezeEnterprise / UnfreezeEnterprise', () => {
        beforeEach(() => registerCast(h, cast));

        it('lets the regulator freeze and unfreeze with a reason', async () => {
            const frozen = await h.submit<Enterprise>(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'suspected invoice fraud']);
            expect(frozen).to.include({ status: 'FROZEN', statusReason: 'suspected invoice fraud' });
            const thawed = await h.submit<Enterprise>(cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'investigation closed']);
            expect(thawed.status).to.equal('ACTIVE');
            expect(h.events().slice(-2).map((e) => e.name)).to.deep.equal(['FreezeEnterprise', 'UnfreezeEnterprise']);
        });

        it('refuses a freeze by anyone but the regulator', async () => {
            for (const who of [cast.admin, cast.core, cast.bank, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'enterprise:FreezeEnterprise', [EID.tier1, 'x']));
            }
        });

        it('refuses freezing twice, unfreezing an active enterprise, an unknown enterprise and an empty reason', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'x']));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier2, 'x']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [uscc('91110000MA9990012'), 'x']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier2, '  ']));
        });

        it('refuses freezing the regulator itself and the platform operator', async () => {
            await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.platform, name: 'Platform operator', kind: 'PLATFORM' }]);
            for (const id of [EID.regulator, EID.platform]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [id, 'x']));
                expect((await h.evaluate<Enterprise>(cast.regulator, 'enterprise:ReadEnterprise', [id])).status).to.equal('ACTIVE');
            }
        });
    });

    describe('ReadEnterprise / ListEnterprises', () => {
        beforeEach(() => registerCast(h, cast));

        it('lists every enterprise in id order and filters by kind', async () => {
            const all = await h.evaluate<Enterprise[]>(cast.tier1, 'enterprise:ListEnterprises', ['']);
            expect(all).to.have.length(11);
            expect(all.map((e) => e.id)).to.deep.equal([...all.map((e) => e.id)].sort());
            const banks = await h.evaluate<Enterprise[]>(cast.tier1, 'enterprise:ListEnterprises', ['FINANCIER']);
            expect(banks.map((e) => e.id).sort()).to.deep.equal([EID.bank, EID.bank2].sort());
        });

        it('answers NOT_FOUND for an unknown id and INVALID_ARGUMENT for a malformed one or kind', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.tier1, 'enterprise:ReadEnterprise', [uscc('91110000MA9990012')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'enterprise:ReadEnterprise', ['../etc']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'enterprise:ListEnterprises', ['PIRATE']));
        });

        it('refuses reads by an identity without attributes', async () => {
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'enterprise:ListEnterprises', ['']));
        });

        it('never writes on evaluate', async () => {
            const before = await h.stateDigest();
            await h.evaluate(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.tier3 + 'X', name: 'X', kind: 'SUPPLIER' }]).catch(() => undefined);
            await h.evaluate(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'x']);
            expect(await h.stateDigest()).to.equal(before);
        });
    });

    describe('dispatcher errors', () => {
        it('answers UNKNOWN_TRANSACTION for an unknown name and INVALID_ARGUMENT for a wrong argument count', async () => {
            await expectRefused(h, 'UNKNOWN_TRANSACTION', () => h.submit(cast.admin, 'enterprise:Nope', []));
            await expectRefused(h, 'UNKNOWN_TRANSACTION', () => h.submit(cast.admin, 'nocontract:Nope', []));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1]));
        });
    });
});
