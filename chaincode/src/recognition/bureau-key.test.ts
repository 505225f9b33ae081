import { expect } from 'chai';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { EID, newCast, registerCast, uscc } from '../testing/fixtures';
import type { BureauKey } from './bureau-key';
import { RecognitionContract } from './recognition-contract';
import { AuditProbeContract, EXTRA, RecognitionCast, WALLETS, newRecognitionCast, registerRecognitionCast } from './test-fixtures';

describe('RecognitionContract bureau keys', () => {
    let h: Harness;
    let cast: RecognitionCast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, RecognitionContract, AuditProbeContract]);
        cast = await newRecognitionCast(await newCast());
    });
    afterEach(() => h.close());

    describe('RegisterBureauKey', () => {
        beforeEach(() => registerCast(h, cast));

        it('publishes an ACTIVE key of a credit bureau under its checksummed address, with the event', async () => {
            h.setTime('2026-02-01T08:00:00Z');
            const key = await h.submit<BureauKey>(cast.admin, 'recognition:RegisterBureauKey', [
                { bureauId: EID.bureau, address: WALLETS.bureau.address.toLowerCase(), label: 'primary' },
            ]);
            expect(key).to.deep.include({ docType: 'bureau-key', address: WALLETS.bureau.address, bureauId: EID.bureau, label: 'primary', status: 'ACTIVE', registeredBy: EID.platform });
            expect(key.registeredAt).to.equal('2026-02-01T08:00:00.000Z');
            expect(key.revokedAt).to.equal(undefined);
            const event = h.events().at(-1);
            expect(event?.name).to.equal('RegisterBureauKey');
            expect(event?.payload).to.include({ address: WALLETS.bureau.address, bureauId: EID.bureau });
            expect(await h.evaluate(cast.tier1, 'recognition:ReadBureauKey', [WALLETS.bureau.address])).to.deep.equal(key);
        });

        it('accepts an all-upper-case address and a request without a label', async () => {
            const upper = `0x${WALLETS.bureau.address.slice(2).toUpperCase()}`;
            const key = await h.submit<BureauKey>(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: upper }]);
            expect(key.address).to.equal(WALLETS.bureau.address);
            expect(key).to.not.have.property('label');
        });

        it('refuses every role but the platform admin, identities without attributes and roles from the wrong org', async () => {
            const request = { bureauId: EID.bureau, address: WALLETS.bureau.address };
            for (const who of [cast.bureau, cast.regulator, cast.core, cast.tier1, cast.bank, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:RegisterBureauKey', [request]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'recognition:RegisterBureauKey', [request]));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.partnerInPlatformOrg, 'recognition:RegisterBureauKey', [request]));
        });

        it('rejects malformed requests: not JSON, unknown field, bad address, bad checksum, zero address, missing bureau', async () => {
            const good = WALLETS.bureau.address;
            const badChecksum = good.slice(0, 2) + [...good.slice(2)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
            const attempts: unknown[] = [
                'not json',
                { bureauId: EID.bureau, address: good, extra: 1 },
                { bureauId: EID.bureau, address: '0x1234' },
                { bureauId: EID.bureau, address: good.slice(2) },
                { bureauId: EID.bureau, address: badChecksum },
                { bureauId: EID.bureau, address: `0x${'0'.repeat(40)}` },
                { address: good },
                { bureauId: EID.bureau, address: good, label: 'x'.repeat(101) },
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:RegisterBureauKey', [request as object]));
            }
        });

        it('refuses a key for an unknown enterprise, for an enterprise that is not a credit bureau, and for a frozen bureau', async () => {
            const address = WALLETS.bureau.address;
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: uscc('91110000MA9990012'), address }]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.tier1, address }]));
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bureau, 'licence suspended']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address }]));
        });

        it('refuses registering an address twice, even after revocation and even for another bureau', async () => {
            await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EXTRA.bureau2, name: 'B2', kind: 'CREDIT_BUREAU' }]);
            await h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: WALLETS.bureau.address }]);
            await expectRefused(h, 'ALREADY_EXISTS', () => h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EXTRA.bureau2, address: WALLETS.bureau.address }]));
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'rotated']);
            await expectRefused(h, 'ALREADY_EXISTS', () => h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: WALLETS.bureau.address }]));
        });

        it('links the key to its bureau for audit packs', async () => {
            await h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: WALLETS.bureau.address }]);
            expect(await h.evaluate(cast.regulator, 'audit-probe:Linked', [EID.bureau])).to.deep.include({ type: 'bureau-key', id: WALLETS.bureau.address });
        });
    });

    describe('RevokeBureauKey', () => {
        beforeEach(() => registerRecognitionCast(h, cast));

        it('revokes a key with the time, the revoker and the reason, with the event', async () => {
            const revoked = await h.submit<BureauKey>(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address.toLowerCase(), 'key ceremony: rotation']);
            expect(revoked).to.include({ status: 'REVOKED', revokedBy: EID.platform, revocationReason: 'key ceremony: rotation', address: WALLETS.bureau.address });
            expect(revoked.revokedAt).to.be.a('string');
            expect(h.events().at(-1)?.name).to.equal('RevokeBureauKey');
            expect(h.events().at(-1)?.payload).to.include({ address: WALLETS.bureau.address, bureauId: EID.bureau });
        });

        it('refuses every role but the platform admin, including the key owner bureau', async () => {
            for (const who of [cast.bureau, cast.regulator, cast.tier1, cast.bank, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'x']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'x']));
        });

        it('refuses an unknown key, a malformed address, an empty reason and revoking twice', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.rogue.address, 'x']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:RevokeBureauKey', ['0xnope', 'x']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, ' ']));
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'x']));
        });
    });

    describe('ReadBureauKey / ListBureauKeys', () => {
        beforeEach(() => registerRecognitionCast(h, cast));

        it('publishes every key in address order with status and validity to anyone, even without attributes', async () => {
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau2.address, 'compromised']);
            const all = await h.evaluate<BureauKey[]>(cast.anonymous, 'recognition:ListBureauKeys', ['']);
            // key order: '0x7099…' (bureau2) sorts before '0xf39F…' (bureau)
            expect(all.map((k) => k.address)).to.deep.equal([WALLETS.bureau2.address, WALLETS.bureau.address]);
            expect(all.map((k) => k.status)).to.deep.equal(['REVOKED', 'ACTIVE']);
            expect(all[0].revokedAt).to.be.a('string');
            expect(all[1].registeredAt).to.be.a('string');
            const one = await h.evaluate<BureauKey>(cast.anonymous, 'recognition:ReadBureauKey', [WALLETS.bureau2.address]);
            expect(one).to.deep.equal(all[0]);
        });

        it('lists the keys of one bureau', async () => {
            const mine = await h.evaluate<BureauKey[]>(cast.partner, 'recognition:ListBureauKeys', [EXTRA.bureau2]);
            expect(mine.map((k) => k.address)).to.deep.equal([WALLETS.bureau2.address]);
            expect(await h.evaluate(cast.partner, 'recognition:ListBureauKeys', [EID.tier1])).to.deep.equal([]);
        });

        it('answers NOT_FOUND for an unknown key and INVALID_ARGUMENT for malformed input, emitting nothing', async () => {
            const events = h.events().length;
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:ReadBureauKey', [WALLETS.rogue.address]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ReadBureauKey', ['bureau']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ListBureauKeys', ['../x']));
            expect(h.events()).to.have.length(events);
        });
    });
});
