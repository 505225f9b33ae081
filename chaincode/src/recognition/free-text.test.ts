import { expect } from 'chai';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { REFUSED_TEXT } from '../ledger/text-rule.test';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { EID, newCast } from '../testing/fixtures';
import type { Attestation } from './attestation';
import { PassportError, parsePassport } from './passport';
import { RecognitionContract } from './recognition-contract';
import { RecognitionCast, SCALE, WALLETS, activeAgreement, agreementRequest, anchor, newPassport, newRecognitionCast, registerRecognitionCast, sign } from './test-fixtures';

/** The grade labels and reasons QA found stored with control and invisible characters. */
const QA_LABELS = ['C\u0000', 'A\u0007', 'A\u0085', '\u200b', '\u202eC', '\ud800'];

describe('recognition free text follows the ledger text rule', () => {
    let h: Harness;
    let cast: RecognitionCast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, RecognitionContract]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast);
    });
    afterEach(() => h.close());

    it('refuses agreement grade labels with control, bidi, lone-surrogate or only zero-width characters, naming the band', async () => {
        for (const grade of [...QA_LABELS, ...REFUSED_TEXT.map(([value]) => value)]) {
            const gradeScale = [{ minScore: 500, grade: 'A' }, { minScore: 0, grade }];
            const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ gradeScale })]));
            expect(failure.detail, JSON.stringify(grade)).to.contain('request.gradeScale[1].grade');
        }
        // Labels in other scripts are fine.
        await h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ gradeScale: [{ minScore: 500, grade: '优' }, { minScore: 0, grade: 'Très bien' }] })]);
    });

    it('refuses passport grades with control, bidi, lone-surrogate or only zero-width characters, before anything is anchored', async () => {
        // ethers cannot sign a lone surrogate; the grade is refused before the signature is looked at anyway.
        const signature = await sign(WALLETS.bureau, newPassport());
        for (const grade of QA_LABELS) {
            const passport = newPassport({ grade });
            const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bureau, 'recognition:SubmitAttestation', [{ attestation: passport, signature }]));
            expect(failure.detail, JSON.stringify(grade)).to.contain('request.attestation.grade');
        }
    });

    it('parsePassport refuses the same grades as a FORMAT error naming the grade', () => {
        for (const [grade, why] of [...REFUSED_TEXT, ...QA_LABELS.map((label) => [label, label])]) {
            try {
                parsePassport(newPassport({ grade }));
            } catch (error) {
                expect(error, why).to.be.instanceOf(PassportError);
                expect((error as PassportError).kind).to.equal('FORMAT');
                expect((error as PassportError).path).to.equal('attestation.grade');
                continue;
            }
            throw new Error(`${why}: grade ${JSON.stringify(grade)} was accepted`);
        }
        expect(parsePassport(newPassport({ grade: 'AA-' })).grade).to.equal('AA-');
    });

    it('refuses reasons made only of NULs or carrying controls or bidi overrides, on every reasoned transaction', async () => {
        const attestation = await anchor(h, cast.bureau);
        const agreement = await activeAgreement(h, cast);
        const proposed = await h.submit<{ id: string }>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ gradeScale: SCALE })]);
        for (const reason of ['\u0000\u0000\u0000', 'fraud\u0000', 'bad\u0085data', '\u202etxet', '\u200b\u200b', 'two\nlines']) {
            const failures = [
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'recognition:RevokeAttestation', [attestation.id, reason])),
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, reason])),
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.partner, 'recognition:TerminateAgreement', [agreement.id, reason])),
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:WithdrawAgreement', [proposed.id, reason])),
            ];
            for (const failure of failures) {
                expect(failure.detail, JSON.stringify(reason)).to.match(/^reason /);
            }
        }
        const revoked = await h.submit<Attestation>(cast.regulator, 'recognition:RevokeAttestation', [attestation.id, '  evidence withdrawn  ']);
        expect(revoked.revocationReason).to.equal('evidence withdrawn');
    });

    it('refuses a bureau key label with control or bidi characters', async () => {
        for (const label of ['primary\u0000', '\u202ekey', '\u200b']) {
            const failure = await expectRefused(h, 'INVALID_ARGUMENT', () =>
                h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: WALLETS.rogue.address, label }]),
            );
            expect(failure.detail).to.contain('request.label');
        }
    });
});
