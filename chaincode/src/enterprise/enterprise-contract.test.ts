import { expect } from 'chai';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, lei, newCast, registerCast, uscc } from '../testing/fixtures';
import { newUser } from '../testing/identities';
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

        it('refuses an MSP that is not an organisation of the channel hosting that kind of enterprise', async () => {
            const attempts: Array<[string, string]> = [
                ['SUPPLIER', 'EvilMSP'],
                ['SUPPLIER', 'BankMSP'],
                ['CORE_ENTERPRISE', 'PartnerMSP'],
                ['FINANCIER', 'PlatformMSP'],
                ['FOREIGN_PARTNER', 'PlatformMSP'],
                ['REGULATOR', 'BankMSP'],
                ['PLATFORM', 'PartnerMSP'],
            ];
            for (const [kind, mspId] of attempts) {
                const country = kind === 'FOREIGN_PARTNER' ? { country: 'SG' } : {};
                const id = kind === 'FOREIGN_PARTNER' ? EID.partner : EID.tier3;
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id, name: 'X', kind, mspId, ...country }]));
            }
        });

        it('accepts an appraiser hosted by either organisation that may issue appraiser identities', async () => {
            const byBank = await h.submit<Enterprise>(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.appraiser, name: 'A', kind: 'APPRAISER' }]);
            const byPlatform = await h.submit<Enterprise>(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.tier3, name: 'B', kind: 'APPRAISER', mspId: 'PlatformMSP' }]);
            expect([byBank.mspId, byPlatform.mspId]).to.deep.equal(['BankMSP', 'PlatformMSP']);
        });

        it('registers one regulator and one platform operator, and refuses a second of either', async () => {
            await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.regulator, name: 'National Financial Regulatory Office', kind: 'REGULATOR' }]);
            await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.platform, name: 'Platform operator', kind: 'PLATFORM' }]);
            await expectRefused(h, 'ALREADY_EXISTS', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: uscc('11100000MB0000099'), name: 'Shadow Regulator', kind: 'REGULATOR' }]));
            await expectRefused(h, 'ALREADY_EXISTS', () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: uscc('91110000MA0000098'), name: 'Shadow Platform', kind: 'PLATFORM' }]));
            const kinds = (await h.evaluate<Enterprise[]>(cast.admin, 'enterprise:ListEnterprises', [''])).map((e) => e.kind);
            expect(kinds.filter((k) => k === 'REGULATOR')).to.have.length(1);
            expect(kinds.filter((k) => k === 'PLATFORM')).to.have.length(1);
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

        it("shows the reason of a freeze only to the regulator, the platform admin and the enterprise's own users", async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'suspected invoice fraud']);
            const clerk = await newUser('PlatformMSP', 'tier1-clerk', 'supplier', EID.tier1);
            for (const who of [cast.regulator, cast.admin, cast.tier1, clerk]) {
                expect(await h.evaluate<Enterprise>(who, 'enterprise:ReadEnterprise', [EID.tier1])).to.include({ status: 'FROZEN', statusReason: 'suspected invoice fraud' });
                const listed = (await h.evaluate<Enterprise[]>(who, 'enterprise:ListEnterprises', ['SUPPLIER'])).find((e) => e.id === EID.tier1);
                expect(listed).to.include({ status: 'FROZEN', statusReason: 'suspected invoice fraud' });
            }
            for (const who of [cast.partner, cast.tier2, cast.core, cast.bank, cast.bureau]) {
                const read = await h.evaluate<Enterprise>(who, 'enterprise:ReadEnterprise', [EID.tier1]);
                expect(read.status).to.equal('FROZEN');
                expect(read).to.not.have.property('statusReason');
                const listed = (await h.evaluate<Enterprise[]>(who, 'enterprise:ListEnterprises', [''])).find((e) => e.id === EID.tier1);
                expect(listed).to.include({ status: 'FROZEN' }).and.not.have.property('statusReason');
            }
            await h.submit(cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'investigation closed']);
            expect(await h.evaluate<Enterprise>(cast.partner, 'enterprise:ReadEnterprise', [EID.tier1])).to.include({ status: 'ACTIVE' }).and.not.have.property('statusReason');
            expect(await h.evaluate<Enterprise>(cast.tier1, 'enterprise:ReadEnterprise', [EID.tier1])).to.include({ statusReason: 'investigation closed' });
        });

        it("hides the reason from a certificate in the enterprise's name issued by another organisation than the enterprise's", async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.appraiser, 'valuation fraud']);
            // Appraiser identities may come from PlatformMSP, but this appraiser is hosted by BankMSP.
            const impostor = await newUser('PlatformMSP', 'impostor', 'appraiser', EID.appraiser);
            expect(await h.evaluate<Enterprise>(impostor, 'enterprise:ReadEnterprise', [EID.appraiser])).to.not.have.property('statusReason');
            expect(await h.evaluate<Enterprise>(cast.appraiser, 'enterprise:ReadEnterprise', [EID.appraiser])).to.include({ statusReason: 'valuation fraud' });
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
