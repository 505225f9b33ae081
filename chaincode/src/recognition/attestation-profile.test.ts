import { expect } from 'chai';
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { id as keccakText } from 'ethers';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { eventNames } from '../ledger/event-parties';
import { mustRead, writeRecord } from '../ledger/state';
import { emitEvent } from '../ledger/tx';
import type { CreditProfileView } from '../profile/profile-contract';
import { ProfileContract } from '../profile/profile-contract';
import { EID } from '../testing/fixtures';
import { newCast } from '../testing/fixtures';
import { Harness, newHarness } from '../testing/harness';
import type { Attestation } from './attestation';
import { BureauKey, bureauKeyKey } from './bureau-key';
import { RecognitionContract } from './recognition-contract';
import { EXTRA, RecognitionCast, WALLETS, activeAgreement, anchor, newPassport, newRecognitionCast, registerRecognitionCast, unix } from './test-fixtures';

/**
 * Test-only contract: marks a bureau key REVOKED without touching any profile, as the chaincode
 * did before RevokeBureauKey brought profiles up to date; RefreshCreditProfile must repair such a profile.
 */
class StaleKeyProbe extends XinlianContract {
    constructor() {
        super('stale-key-probe');
    }

    @Transaction()
    @Returns('string')
    async RevokeWithoutProfiles(ctx: Context, address: string): Promise<string> {
        const key = await mustRead<BureauKey>(ctx, bureauKeyKey(ctx, address), `bureau key ${address}`);
        const revoked: BureauKey = { ...key, status: 'REVOKED', revokedAt: '2026-01-06T00:00:00.000Z', revokedBy: EID.platform, revocationReason: 'probe' };
        await writeRecord(ctx, bureauKeyKey(ctx, address), revoked);
        emitEvent(ctx, 'RevokeWithoutProfiles', { address });
        return canonicalStringify(revoked);
    }
}

/** Behaviour 600 blended 70/30 with an attestation score, halves up. */
const blended = (attestationScore: number) => Math.floor((7 * 600 + 3 * attestationScore + 5) / 10);

/** The credit profile follows the latest valid attestation (DESIGN 5.7, `latestValidAttestation`). */
describe('credit profile and the latest valid attestation', () => {
    let h: Harness;
    let cast: RecognitionCast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, RecognitionContract, ProfileContract, StaleKeyProbe]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast);
    });
    afterEach(() => h.close());

    const profileOf = (eid: string) => h.evaluate<CreditProfileView>(cast.regulator, 'profile:ReadCreditProfile', [eid]);
    const latestOf = (eid: string) => h.evaluate<Attestation>(cast.regulator, 'recognition:LatestAttestation', [eid]);
    /** P1 issued 2 January (score 900), P2 issued 4 January (score 300): P2 is the later one. */
    const p1 = newPassport({ score: 900, grade: 'AAA', issuedAt: unix('2026-01-02T00:00:00Z'), nonce: keccakText('p1') });
    const p2 = newPassport({ score: 300, grade: 'C', issuedAt: unix('2026-01-04T00:00:00Z'), nonce: keccakText('p2') });

    it('counts the newer of two passports and falls back to the older valid one when the newer is revoked', async () => {
        const first = await anchor(h, cast.bureau, p1);
        expect((await profileOf(EID.tier1)).score).to.equal(blended(900));
        const second = await anchor(h, cast.bureau, p2);
        expect((await profileOf(EID.tier1)).facts.attestation?.id).to.equal(second.id);
        expect((await profileOf(EID.tier1)).score).to.equal(blended(300));

        await h.submit(cast.bureau, 'recognition:RevokeAttestation', [second.id, 'score was computed on wrong data']);
        const profile = await profileOf(EID.tier1);
        expect(profile.facts.attestation).to.deep.equal({ id: first.id, score: 900, expiresAt: '2026-07-01T00:00:00.000Z' });
        expect(profile.score).to.equal(blended(900));
        expect((await latestOf(EID.tier1)).id).to.equal(first.id);
        expect(profile.changes.at(-1)?.events).to.deep.equal([
            { type: 'ATTESTATION_REVOKED', ref: second.id },
            { type: 'ATTESTATION', ref: first.id, score: 900 },
        ]);
    });

    it('drops the attestation when the only valid one is revoked', async () => {
        const only = await anchor(h, cast.bureau, p1);
        await h.submit(cast.regulator, 'recognition:RevokeAttestation', [only.id, 'fraud']);
        const profile = await profileOf(EID.tier1);
        expect(profile.facts).to.not.have.property('attestation');
        expect(profile.score).to.equal(600);
        expect(profile.changes.at(-1)?.events).to.deep.equal([{ type: 'ATTESTATION_REVOKED', ref: only.id }]);
    });

    it('leaves the profile alone when a passport that does not count is revoked', async () => {
        const older = await anchor(h, cast.bureau, p1);
        const newer = await anchor(h, cast.bureau, p2);
        const before = await profileOf(EID.tier1);
        await h.submit(cast.bureau, 'recognition:RevokeAttestation', [older.id, 'superseded']);
        const after = await profileOf(EID.tier1);
        expect(after).to.deep.equal(before);
        expect(after.facts.attestation?.id).to.equal(newer.id);
    });

    it('keeps the newer passport when an older-issued one is anchored after it', async () => {
        const newer = await anchor(h, cast.bureau, p2);
        const before = await profileOf(EID.tier1);
        const older = await anchor(h, cast.bureau, p1);
        const after = await profileOf(EID.tier1);
        expect(after.facts.attestation?.id).to.equal(newer.id);
        expect(after.score).to.equal(blended(300));
        expect(after.lastTxId).to.equal(before.lastTxId);
        expect((await latestOf(EID.tier1)).id).to.equal(newer.id);
        expect(older.id).to.not.equal(newer.id);
    });

    it('breaks an issuedAt tie by the later submission', async () => {
        const a = await anchor(h, cast.bureau, newPassport({ score: 500, nonce: keccakText('tie a') }));
        const b = await anchor(h, cast.bureau, newPassport({ score: 800, nonce: keccakText('tie b') }));
        expect((await profileOf(EID.tier1)).facts.attestation?.id).to.equal(b.id);
        expect((await latestOf(EID.tier1)).id).to.equal(b.id);
        expect(a.id).to.not.equal(b.id);
    });

    it('drops every passport signed by a revoked key, falling back to one signed by another key, and names every party in the event', async () => {
        // tier1: older passport by bureau2's key, newer by the bureau's key; tier2: only the bureau's key.
        const tier1Old = await anchor(h, cast.bureau2, { ...p1 }, WALLETS.bureau2);
        const tier1New = await anchor(h, cast.bureau, p2);
        const tier2Only = await anchor(h, cast.bureau, newPassport({ subject: EID.tier2, score: 850, nonce: keccakText('tier2') }));
        // core: a passport by bureau2's key only, recognised by partner2; untouched by the revocation.
        const coreOnly = await anchor(h, cast.bureau2, newPassport({ subject: EID.core, score: 700, nonce: keccakText('core') }), WALLETS.bureau2);
        expect((await profileOf(EID.tier2)).score).to.equal(blended(850));

        const agreement = await activeAgreement(h, cast);
        await h.submit(cast.partner, 'recognition:RecognizeAttestation', [{ agreementId: agreement.id, attestationId: tier2Only.id }]);
        const proposed2 = await h.submit<{ id: string }>(cast.admin, 'recognition:ProposeAgreement', [
            { partnerId: EXTRA.partner2, partnerMspId: 'PartnerMSP', gradeScale: [{ minScore: 0, grade: 'X' }], validFrom: '2026-01-01', validUntil: '2027-01-01' },
        ]);
        await h.submit(cast.partner2, 'recognition:AcceptAgreement', [proposed2.id]);
        await h.submit(cast.partner2, 'recognition:RecognizeAttestation', [{ agreementId: proposed2.id, attestationId: coreOnly.id }]);
        const coreBefore = await profileOf(EID.core);

        await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'key compromised']);

        const tier1 = await profileOf(EID.tier1);
        expect(tier1.facts.attestation?.id).to.equal(tier1Old.id);
        expect(tier1.score).to.equal(blended(900));
        expect(tier1.changes.at(-1)?.events).to.deep.equal([
            { type: 'ATTESTATION_REVOKED', ref: tier1New.id },
            { type: 'ATTESTATION', ref: tier1Old.id, score: 900 },
        ]);
        const tier2 = await profileOf(EID.tier2);
        expect(tier2.facts).to.not.have.property('attestation');
        expect(tier2.score).to.equal(600);
        expect(tier2.changes.at(-1)?.events).to.deep.equal([{ type: 'ATTESTATION_REVOKED', ref: tier2Only.id }]);
        expect(await profileOf(EID.core)).to.deep.equal(coreBefore);

        const event = h.events().at(-1);
        expect(event?.name).to.equal('RevokeBureauKey');
        expect(event?.payload).to.deep.equal({
            txId: event?.txId,
            address: WALLETS.bureau.address,
            bureauId: EID.bureau,
            subjects: [EID.tier1, EID.tier2].sort(),
            partnerIds: [EID.partner],
            // Which partner recognised which subject's passports: the gateway shows each subject its own.
            bySubject: [
                { subject: EID.tier1, partnerIds: [] },
                { subject: EID.tier2, partnerIds: [EID.partner] },
            ].sort((a, b) => (a.subject < b.subject ? -1 : 1)),
        });
        for (const eid of [EID.bureau, EID.tier1, EID.tier2, EID.partner]) {
            expect(eventNames(event?.payload, eid), eid).to.equal(true);
        }
        for (const eid of [EID.core, EXTRA.partner2, EXTRA.bureau2]) {
            expect(eventNames(event?.payload, eid), eid).to.equal(false);
        }

        // A refresh afterwards finds nothing to change in the attestation, and writes nothing.
        const settled = await profileOf(EID.tier1);
        const before = await h.stateDigest();
        const refreshed = await h.submit<CreditProfileView>(cast.tier1, 'profile:RefreshCreditProfile', [EID.tier1]);
        expect(refreshed.facts.attestation?.id).to.equal(tier1Old.id);
        expect(refreshed).to.deep.equal(settled);
        expect(await h.stateDigest()).to.equal(before);
    });

    it('names only the bureau when the revoked key signed nothing', async () => {
        await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau2.address, 'unused']);
        expect(h.events().at(-1)?.payload).to.deep.include({ address: WALLETS.bureau2.address, bureauId: EXTRA.bureau2, subjects: [], partnerIds: [], bySubject: [] });
    });

    it('repairs on refresh a profile still counting a passport whose key was revoked behind its back', async () => {
        const passport = await anchor(h, cast.bureau, p1);
        expect((await profileOf(EID.tier1)).score).to.equal(blended(900));
        await h.submit(cast.admin, 'stale-key-probe:RevokeWithoutProfiles', [WALLETS.bureau.address]);
        expect((await profileOf(EID.tier1)).score).to.equal(blended(900));

        const refreshed = await h.submit<CreditProfileView>(cast.regulator, 'profile:RefreshCreditProfile', [EID.tier1]);
        expect(refreshed.score).to.equal(600);
        expect(refreshed.facts).to.not.have.property('attestation');
        expect(refreshed.changes.at(-1)?.events).to.deep.equal([{ type: 'REFRESH' }, { type: 'ATTESTATION_REVOKED', ref: passport.id }]);
        expect(await profileOf(EID.tier1)).to.deep.include({ score: 600 });
    });

    it('on refresh, counts an older passport that is still valid once the newer one has expired', async () => {
        const shortLived = newPassport({ score: 900, issuedAt: unix('2026-01-04T00:00:00Z'), expiresAt: unix('2026-03-01T00:00:00Z'), nonce: keccakText('short') });
        const longLived = newPassport({ score: 300, issuedAt: unix('2026-01-02T00:00:00Z'), expiresAt: unix('2026-09-01T00:00:00Z'), nonce: keccakText('long') });
        const older = await anchor(h, cast.bureau, longLived);
        const newer = await anchor(h, cast.bureau, shortLived);
        expect((await profileOf(EID.tier1)).facts.attestation?.id).to.equal(newer.id);

        h.setTime('2026-03-01T00:00:00Z');
        const refreshed = await h.submit<CreditProfileView>(cast.tier1, 'profile:RefreshCreditProfile', [EID.tier1]);
        expect(refreshed.facts.attestation?.id).to.equal(older.id);
        expect(refreshed.score).to.equal(blended(300));
        // The newer passport expired rather than being revoked: the older one simply takes its place.
        expect(refreshed.changes.at(-1)?.events).to.deep.equal([{ type: 'REFRESH' }, { type: 'ATTESTATION', ref: older.id, score: 300 }]);
        expect((await latestOf(EID.tier1)).id).to.equal(older.id);

        const again = await h.submit<CreditProfileView>(cast.tier1, 'profile:RefreshCreditProfile', [EID.tier1]);
        expect(again).to.deep.equal(refreshed);
    });

    it('counts a passport whose expiry lies beyond what an ISO-8601 time can hold, as expiring at the last representable instant', async () => {
        const forever = await anchor(h, cast.bureau, newPassport({ score: 900, expiresAt: Number.MAX_SAFE_INTEGER }));
        const profile = await profileOf(EID.tier1);
        expect(profile.facts.attestation).to.deep.equal({ id: forever.id, score: 900, expiresAt: '+275760-09-13T00:00:00.000Z' });
        expect(profile.score).to.equal(blended(900));
    });

    it('on refresh, keeps an expired passport that nothing replaces, without an attestation event', async () => {
        await anchor(h, cast.bureau, newPassport({ expiresAt: unix('2026-02-01T00:00:00Z') }));
        h.setTime('2026-02-01T00:00:00Z');
        const refreshed = await h.submit<CreditProfileView>(cast.tier1, 'profile:RefreshCreditProfile', [EID.tier1]);
        expect(refreshed.score).to.equal(600);
        expect(refreshed.changes.at(-1)?.events).to.deep.equal([{ type: 'REFRESH' }]);
    });
});
