import { expect } from 'chai';
import { id as keccakText } from 'ethers';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { ProfileContract } from '../profile/profile-contract';
import { Harness, TxArg, TxFailure, expectRefused, newHarness } from '../testing/harness';
import { EID, lei, newCast, uscc } from '../testing/fixtures';
import { TestIdentity, newUser } from '../testing/identities';
import type { Agreement } from './agreement';
import type { Attestation, AttestationVerdict } from './attestation';
import type { Recognition } from './recognition';
import { RecognitionContract } from './recognition-contract';
import { RecognitionCast, activeAgreement, anchor, newPassport, newRecognitionCast, registerRecognitionCast } from './test-fixtures';

/**
 * Who reads a subject's credit passports and recognitions (docs/credit-passport.md §6): they carry
 * the score, grade and reason codes its credit profile shows, so exactly those who may read the
 * profile (docs/credit-scoring.md §4) read them, and the platform admin, which anchors passports
 * and manages agreements. An agreement's recognitions, about many subjects, are for those who may
 * read anyone's.
 */
describe('RecognitionContract passport reads: who may read them', () => {
    let h: Harness;
    let cast: RecognitionCast;
    let agreement: Agreement;
    let attestation: Attestation;
    let recognition: Recognition;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, ProfileContract, RecognitionContract]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast);
        agreement = await activeAgreement(h, cast);
        attestation = await anchor(h, cast.bureau);
        recognition = await h.submit<Recognition>(cast.partner, 'recognition:RecognizeAttestation', [{ agreementId: agreement.id, attestationId: attestation.id }]);
    });
    afterEach(() => h.close());

    /** Every read that discloses tier-1's score, grade or reason codes, and what it answers tier-1's readers. */
    const subjectReads = (): Array<[string, TxArg[], (result: unknown) => void]> => [
        ['recognition:ReadAttestation', [attestation.id], (result) => expect(result).to.deep.equal(attestation)],
        ['recognition:VerifyAttestation', [attestation.id], (result) => expect(result).to.include({ attestationId: attestation.id, valid: true, score: 780, grade: 'AA' })],
        ['recognition:ListAttestations', [EID.tier1], (result) => expect(result).to.deep.equal([attestation])],
        ['recognition:LatestAttestation', [EID.tier1], (result) => expect(result).to.deep.equal(attestation)],
        ['recognition:ListRecognitions', [EID.tier1, ''], (result) => expect(result).to.deep.equal([recognition])],
    ];
    const byAgreement = (): [string, TxArg[]] => ['recognition:ListRecognitions', ['', agreement.id]];

    /** The outcome of a read: 'ok' or the refusal code, with the refusal's message. */
    async function outcome(who: TestIdentity, fn: string, args: TxArg[]): Promise<{ code: string; detail: string; result?: unknown }> {
        try {
            return { code: 'ok', detail: '', result: await h.evaluate(who, fn, args) };
        } catch (error) {
            if (error instanceof TxFailure) {
                return { code: error.code, detail: error.detail };
            }
            throw error;
        }
    }

    it("answers the subject's own users, the regulator, financiers, credit bureaus, foreign partners and the platform admin", async () => {
        for (const who of [cast.tier1, cast.regulator, cast.bank, cast.bank2, cast.bureau, cast.bureau2, cast.partner, cast.partner2, cast.admin]) {
            for (const [fn, args, check] of subjectReads()) {
                const answer = await outcome(who, fn, args);
                expect(answer.code, `${fn} as ${who.name}: ${answer.detail}`).to.equal('ok');
                check(answer.result);
            }
        }
    });

    it("refuses other enterprises' users, appraisers and misfit certificates with FORBIDDEN, and writes nothing", async () => {
        const fakeBank = await newUser('BankMSP', 'fake-bank', 'financier', EID.tier1);
        for (const who of [cast.tier2, cast.tier3, cast.core, cast.core2, cast.appraiser, cast.wrongOrgSupplier, cast.unregistered, cast.partnerInPlatformOrg, cast.bureauActingForPartner, fakeBank]) {
            for (const [fn, args] of [...subjectReads(), byAgreement()]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, fn, args));
            }
        }
        for (const [fn, args] of [...subjectReads(), byAgreement()]) {
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, fn, args));
        }
    });

    it('says why, in the words of the credit-profile refusal', async () => {
        const supplier = await outcome(cast.tier2, 'recognition:LatestAttestation', [EID.tier1]);
        expect(supplier.detail).to.equal('a supplier may read only its own credit passports');
        const core = await outcome(cast.core, 'recognition:ReadAttestation', [attestation.id]);
        expect(core.detail).to.equal('a core-enterprise may read only its own credit passports');
        const recognitions = await outcome(cast.tier2, 'recognition:ListRecognitions', [EID.tier1, '']);
        expect(recognitions.detail).to.equal('a supplier may read only the recognitions of its own credit passports');
        const ownAgreement = await outcome(cast.tier1, 'recognition:ListRecognitions', ['', agreement.id]);
        expect(ownAgreement.detail).to.equal('a supplier may read only the recognitions of its own credit passports: list them by subjectId, not by agreement');
        const appraiser = await outcome(cast.appraiser, 'recognition:ListRecognitions', [EID.tier1, '']);
        expect(appraiser.code).to.equal('FORBIDDEN');
        expect(appraiser.detail).to.match(/^role appraiser may not read recognitions: they disclose a subject's score, grade and reasons/);
        const misfit = await outcome(cast.bureauActingForPartner, 'recognition:ReadAttestation', [attestation.id]);
        expect(misfit.detail).to.equal(`the caller's enterprise ${EID.tier1} is not a registered credit-bureau of PlatformMSP`);
    });

    it("admits exactly the readers of the subject's credit profile, and the platform admin besides", async () => {
        const everyone = Object.entries(cast) as Array<[string, TestIdentity]>;
        for (const [name, who] of everyone) {
            const profile = await outcome(who, 'profile:ReadCreditProfile', [EID.tier1]);
            for (const [fn, args] of subjectReads()) {
                const read = await outcome(who, fn, args);
                const expected = name === 'admin' ? 'ok' : profile.code;
                expect(read.code, `${fn} as ${name} (profile read: ${profile.code} ${profile.detail})`).to.equal(expected);
            }
        }
    });

    it("lists an agreement's recognitions to those who may read any subject's, not to a subject's own users", async () => {
        for (const who of [cast.regulator, cast.bank, cast.bureau, cast.bureau2, cast.partner, cast.partner2, cast.admin]) {
            expect(await h.evaluate(who, 'recognition:ListRecognitions', ['', agreement.id]), who.name).to.deep.equal([recognition]);
        }
        await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.tier1, 'recognition:ListRecognitions', ['', agreement.id]));
    });

    it("lets a subject's users read only their own enterprise's passports, and read them while frozen", async () => {
        const tier2Passport = await anchor(h, cast.bureau, newPassport({ subject: EID.tier2, nonce: keccakText('tier-2 passport') }));
        expect(await h.evaluate(cast.tier2, 'recognition:ListAttestations', [EID.tier2])).to.deep.equal([tier2Passport]);
        expect(await h.evaluate(cast.tier2, 'recognition:ReadAttestation', [tier2Passport.id])).to.deep.equal(tier2Passport);
        await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.tier1, 'recognition:ReadAttestation', [tier2Passport.id]));
        await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.tier1, 'recognition:ListAttestations', [EID.tier2]));

        await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'investigation']);
        await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'investigation']);
        expect(await h.evaluate(cast.tier1, 'recognition:LatestAttestation', [EID.tier1])).to.deep.equal(attestation);
        expect((await h.evaluate<AttestationVerdict>(cast.bank, 'recognition:VerifyAttestation', [attestation.id])).valid).to.equal(true);
    });

    it("tells anyone on the channel whether a passport is anchored and its status, and nothing more (AttestationStatus)", async () => {
        // Those refused the passport reads: another enterprise's users, the appraiser, and certificates
        // acting for an enterprise that is not registered, as a member organisation's gateway reads with
        // when the demo seed is off (a financier of the bank, a partner of the partner organisation).
        const bankVerifier = await newUser('BankMSP', 'bank-gateway-verifier', 'financier', uscc('91110000100000991'));
        const partnerVerifier = await newUser('PartnerMSP', 'partner-gateway-verifier', 'foreign-partner', lei('5493009UNREGISTERED'));
        const refused = [cast.tier2, cast.core, cast.appraiser, cast.unregistered, bankVerifier, partnerVerifier];
        const everyone = [...refused, cast.anonymous, cast.tier1, cast.bank, cast.partner, cast.admin];
        for (const who of everyone) {
            const status = await h.evaluate(who, 'recognition:AttestationStatus', [attestation.id]);
            expect(status, who.name).to.deep.equal({ id: attestation.id, status: 'VALID' });
        }
        for (const who of refused) {
            for (const [fn, args] of [...subjectReads(), byAgreement()]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, fn, args));
            }
        }

        await h.submit(cast.regulator, 'recognition:RevokeAttestation', [attestation.id, 'superseded']);
        for (const who of [bankVerifier, partnerVerifier, cast.anonymous]) {
            expect(await h.evaluate(who, 'recognition:AttestationStatus', [attestation.id.toUpperCase().replace('0X', '0x')]), who.name).to.deep.equal({ id: attestation.id, status: 'REVOKED' });
        }
        await expectRefused(h, 'NOT_FOUND', () => h.evaluate(bankVerifier, 'recognition:AttestationStatus', [`0x${'ab'.repeat(32)}`]));
        await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(bankVerifier, 'recognition:AttestationStatus', [EID.tier1]));
    });

    it('checks the caller before the record: a refused role learns nothing of whether an id or subject exists', async () => {
        const unknown = `0x${'ab'.repeat(32)}`;
        await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.appraiser, 'recognition:ReadAttestation', [unknown]));
        await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.regulator, 'recognition:ReadAttestation', [unknown]));
        await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.appraiser, 'recognition:LatestAttestation', [EID.tier2]));
        await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.tier1, 'recognition:LatestAttestation', [EID.tier2]));
        await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.tier2, 'recognition:LatestAttestation', [EID.tier2]));
    });
});
