import { expect } from 'chai';
import { id as keccakText } from 'ethers';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { EID, newCast } from '../testing/fixtures';
import type { Agreement } from './agreement';
import type { Attestation } from './attestation';
import type { BureauKey } from './bureau-key';
import { hashPassport, recoverPassportSigner } from './passport';
import type { Recognition } from './recognition';
import { recognitionId, refusalFor } from './recognition';
import { RecognitionContract } from './recognition-contract';
import {
    AuditProbeContract,
    LegacyAgreementProbe,
    RecognitionCast,
    activeAgreement,
    agreementRequest,
    anchor,
    newPassport,
    newRecognitionCast,
    registerRecognitionCast,
    sign,
    WALLETS,
} from './test-fixtures';

describe('RecognitionContract recognitions', () => {
    let h: Harness;
    let cast: RecognitionCast;
    let agreement: Agreement;
    let attestation: Attestation;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, RecognitionContract, AuditProbeContract, LegacyAgreementProbe]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast);
        agreement = await activeAgreement(h, cast);
        attestation = await anchor(h, cast.bureau);
    });
    afterEach(() => h.close());

    const recognize = (who: RecognitionCast[keyof RecognitionCast], request: object) => h.submit<Recognition>(who, 'recognition:RecognizeAttestation', [request]);

    describe('RecognizeAttestation', () => {
        it('records the recognition with the grade mapped by the agreement, links it three ways and emits the event', async () => {
            h.setTime('2026-02-01T00:00:00Z');
            const recognition = await recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id });
            expect(recognition).to.deep.equal({
                docType: 'recognition',
                id: recognitionId(agreement.id, attestation.id),
                agreementId: agreement.id,
                attestationId: attestation.id,
                subject: EID.tier1,
                bureauId: EID.bureau,
                partnerId: EID.partner,
                domesticScore: 780,
                domesticGrade: 'AA',
                mappedGrade: 'B',
                attestationExpiresAt: attestation.expiresAt,
                recognizedAt: '2026-02-01T00:00:00.000Z',
                recognizedBy: EID.partner,
                txId: h.events().at(-1)?.txId,
            });
            expect(h.events().at(-1)?.name).to.equal('RecognizeAttestation');
            expect(h.events().at(-1)?.payload).to.include({ recognitionId: recognition.id, agreementId: agreement.id, attestationId: attestation.id, subject: EID.tier1, bureauId: EID.bureau, partnerId: EID.partner });
            for (const eid of [EID.tier1, EID.bureau, EID.partner]) {
                expect(await h.evaluate(cast.regulator, 'audit-probe:Linked', [eid])).to.deep.include({ type: 'recognition', id: recognition.id });
            }
        });

        it("requires the partner's own peer for every recognition: accepting opens an anchor with that key-level policy, each recognition updates it", async () => {
            const opened = await h.evaluate<Record<string, unknown>>(cast.regulator, 'recognition:ReadRecognitionAnchor', [agreement.id]);
            expect(opened).to.include({ docType: 'recognitionAnchor', agreementId: agreement.id, partnerMspId: 'PartnerMSP', recognitions: 0 });
            expect(opened.endorsers).to.deep.equal(['PartnerMSP']);
            const recognition = await recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id });
            const counted = await h.evaluate<Record<string, unknown>>(cast.partner, 'recognition:ReadRecognitionAnchor', [agreement.id]);
            expect(counted).to.include({ recognitions: 1, lastRecognitionId: recognition.id });
            expect(counted.endorsers).to.deep.equal(['PartnerMSP']);
            expect((await h.evaluate<Agreement>(cast.partner, 'recognition:ReadAgreement', [agreement.id])).anchoredAt).to.equal(agreement.acceptedAt);
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:ReadRecognitionAnchor', ['AGR-none']));
        });

        it('lets recognitions under one agreement commit together: none reads the anchor it writes', async () => {
            const others = [await anchor(h, cast.bureau, newPassport({ nonce: keccakText('together 1') })), await anchor(h, cast.bureau, newPassport({ nonce: keccakText('together 2') }))];
            // Endorsed against the same state and committed in one block on the engine, which would
            // invalidate all but one (MVCC_READ_CONFLICT) if they read the anchor.
            const together = await Promise.all([attestation, ...others].map((a) => recognize(cast.partner, { agreementId: agreement.id, attestationId: a.id })));
            const view = await h.evaluate<Record<string, unknown>>(cast.regulator, 'recognition:ReadRecognitionAnchor', [agreement.id]);
            expect(view.recognitions).to.equal(3);
            expect(together.map((r) => r.id)).to.include(view.lastRecognitionId);
        });

        it('anchors an agreement accepted before anchors existed at its first recognition', async () => {
            await h.submit(cast.admin, 'legacy-probe:ForgetAnchor', [agreement.id]);
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:ReadRecognitionAnchor', [agreement.id]));
            const recognition = await recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id });
            const view = await h.evaluate<Record<string, unknown>>(cast.partner, 'recognition:ReadRecognitionAnchor', [agreement.id]);
            expect(view).to.include({ recognitions: 1, lastRecognitionId: recognition.id, createdAt: recognition.recognizedAt });
            expect(view.endorsers).to.deep.equal(['PartnerMSP']);
            expect((await h.evaluate<Agreement>(cast.partner, 'recognition:ReadAgreement', [agreement.id])).anchoredAt).to.equal(recognition.recognizedAt);
        });

        it('maps a top score to the top grade', async () => {
            const top = await anchor(h, cast.bureau, newPassport({ score: 1000, grade: 'AAA', nonce: keccakText('top') }));
            expect((await recognize(cast.partner, { agreementId: agreement.id, attestationId: top.id })).mappedGrade).to.equal('A');
        });

        it('refuses the platform admin, other roles, another partner, a partner role of another org and no attributes', async () => {
            const request = { agreementId: agreement.id, attestationId: attestation.id };
            for (const who of [cast.admin, cast.regulator, cast.bureau, cast.tier1, cast.bank, cast.partnerInPlatformOrg]) {
                await expectRefused(h, 'FORBIDDEN', () => recognize(who, request));
            }
            await expectRefused(h, 'FORBIDDEN', () => recognize(cast.partner2, request));
            await expectRefused(h, 'UNAUTHENTICATED', () => recognize(cast.anonymous, request));
        });

        it('refuses a frozen partner and a frozen subject (ENTERPRISE_FROZEN)', async () => {
            const request = { agreementId: agreement.id, attestationId: attestation.id };
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'investigation']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => recognize(cast.partner, request));
            await h.submit(cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'closed']);
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.partner, 'sanctions']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => recognize(cast.partner, request));
        });

        it("recognises a frozen bureau's passport: a freeze of the issuer is about its own value, not the truth of what it attested", async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bureau, 'licence suspended']);
            const recognition = await recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id });
            expect(recognition).to.include({ bureauId: EID.bureau, subject: EID.tier1 });
        });

        it('rejects malformed requests with INVALID_ARGUMENT', async () => {
            for (const request of ['nope', {}, { agreementId: agreement.id }, { agreementId: agreement.id, attestationId: 'x' }, { agreementId: agreement.id, attestationId: attestation.id, extra: 1 }]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.partner, 'recognition:RecognizeAttestation', [request]));
            }
        });

        it('refuses an unknown agreement and an unknown attestation (NOT_FOUND)', async () => {
            await expectRefused(h, 'NOT_FOUND', () => recognize(cast.partner, { agreementId: 'agr-000000000000000000000000', attestationId: attestation.id }));
            await expectRefused(h, 'NOT_FOUND', () => recognize(cast.partner, { agreementId: agreement.id, attestationId: keccakText('nothing') }));
        });

        it('refuses under an agreement that is proposed, terminated, not yet valid or lapsed (AGREEMENT_INACTIVE)', async () => {
            const request = (agreementId: string) => ({ agreementId, attestationId: attestation.id });
            const proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            await expectRefused(h, 'AGREEMENT_INACTIVE', () => recognize(cast.partner, request(proposed.id)));
            const future = await activeAgreement(h, cast, { validFrom: '2026-03-01' });
            await expectRefused(h, 'AGREEMENT_INACTIVE', () => recognize(cast.partner, request(future.id)));
            const short = await activeAgreement(h, cast, { validUntil: '2026-02-01' });
            await h.submit(cast.partner, 'recognition:TerminateAgreement', [agreement.id, 'renegotiating']);
            await expectRefused(h, 'AGREEMENT_INACTIVE', () => recognize(cast.partner, request(agreement.id)));
            h.setTime('2026-01-31T23:59:59Z');
            await recognize(cast.partner, request(short.id));
            h.setTime('2026-03-01T00:00:00Z');
            expect((await recognize(cast.partner, request(future.id))).agreementId).to.equal(future.id);
            const other = await anchor(h, cast.bureau, newPassport({ issuedAt: Math.floor(h.now().getTime() / 1000), nonce: keccakText('later') }));
            await expectRefused(h, 'AGREEMENT_INACTIVE', () => recognize(cast.partner, { agreementId: short.id, attestationId: other.id }));
        });

        it('refuses a revoked attestation (REVOKED), an expired one (EXPIRED) and one whose key was revoked (SIGNER_NOT_REGISTERED)', async () => {
            const request = (attestationId: string) => ({ agreementId: agreement.id, attestationId });
            const revoked = await anchor(h, cast.bureau, newPassport({ nonce: keccakText('r') }));
            await h.submit(cast.bureau, 'recognition:RevokeAttestation', [revoked.id, 'error']);
            await expectRefused(h, 'REVOKED', () => recognize(cast.partner, request(revoked.id)));
            const byBureau2 = await anchor(h, cast.bureau2, newPassport({ nonce: keccakText('k') }), WALLETS.bureau2);
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau2.address, 'compromised']);
            await expectRefused(h, 'SIGNER_NOT_REGISTERED', () => recognize(cast.partner, request(byBureau2.id)));
            h.setTime('2026-07-01T00:00:00Z');
            await expectRefused(h, 'EXPIRED', () => recognize(cast.partner, request(attestation.id)));
        });

        it('refuses recognising the same attestation twice under one agreement (ALREADY_EXISTS), but not under another', async () => {
            await recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id });
            await expectRefused(h, 'ALREADY_EXISTS', () => recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id }));
            const second = await activeAgreement(h, cast);
            await recognize(cast.partner, { agreementId: second.id, attestationId: attestation.id });
            // Revoking it now tells the partner that recognised it (once, though under two agreements).
            await h.submit(cast.bureau, 'recognition:RevokeAttestation', [attestation.id, 'score recomputed']);
            expect(h.events().at(-1)?.payload).to.deep.include({ attestationId: attestation.id, partnerIds: [EID.partner] });
        });

        it('maps the first failing verdict reason to its refusal code', () => {
            expect(refusalFor('0x1', ['DIGEST_MISMATCH', 'SIGNATURE_MISMATCH']).code).to.equal('INVALID_SIGNATURE');
            expect(refusalFor('0x1', ['REVOKED', 'EXPIRED']).code).to.equal('REVOKED');
            expect(refusalFor('0x1', []).code).to.equal('INVALID_STATE');
        });
    });

    describe('ListRecognitions', () => {
        it('lists by subject or by agreement, in id order', async () => {
            const second = await activeAgreement(h, cast);
            const a = await recognize(cast.partner, { agreementId: agreement.id, attestationId: attestation.id });
            const b = await recognize(cast.partner, { agreementId: second.id, attestationId: attestation.id });
            const bySubject = await h.evaluate<Recognition[]>(cast.regulator, 'recognition:ListRecognitions', [EID.tier1, '']);
            expect(bySubject.map((r) => r.id)).to.deep.equal([a.id, b.id].sort());
            const byAgreement = await h.evaluate<Recognition[]>(cast.partner, 'recognition:ListRecognitions', ['', second.id]);
            expect(byAgreement).to.deep.equal([b]);
            expect(await h.evaluate(cast.partner, 'recognition:ListRecognitions', [EID.tier2, ''])).to.deep.equal([]);
        });

        it('requires exactly one of subjectId and agreementId, a well-formed id and attributes', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ListRecognitions', ['', '']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ListRecognitions', [EID.tier1, agreement.id]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ListRecognitions', ['a b', '']));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'recognition:ListRecognitions', [EID.tier1, '']));
        });
    });

    describe('a foreign partner verifying a passport', () => {
        it('verifies offline against the published keys, then on the ledger, then recognises it', async () => {
            // What the subject hands over (e.g. in a QR code): the signed content and the signature.
            const passport = newPassport({ nonce: keccakText('qr'), score: 845, grade: 'AA+' });
            const signature = await sign(WALLETS.bureau, passport);
            await h.submit(cast.bureau, 'recognition:SubmitAttestation', [{ attestation: passport, signature }]);

            // Offline: recover the signer and look it up in the published key list (fetched once, cached).
            const keys = await h.evaluate<BureauKey[]>(cast.partner, 'recognition:ListBureauKeys', ['']);
            const signer = recoverPassportSigner(passport, signature);
            const key = keys.find((k) => k.address === signer);
            expect(key).to.include({ status: 'ACTIVE', bureauId: EID.bureau });
            expect(passport.expiresAt).to.be.greaterThan(Math.floor(h.now().getTime() / 1000));

            // On its own peer: anchoring, status and expiry.
            const digest = hashPassport(passport);
            expect((await h.evaluate<{ valid: boolean }>(cast.partner, 'recognition:VerifyAttestation', [digest])).valid).to.equal(true);
            const recognition = await recognize(cast.partner, { agreementId: agreement.id, attestationId: digest });
            expect(recognition).to.include({ mappedGrade: 'A', domesticScore: 845, partnerId: EID.partner });
            expect(await h.evaluate(cast.partner2, 'recognition:ListRecognitions', ['', agreement.id])).to.deep.equal([recognition]);
        });
    });
});
