import { expect } from 'chai';
import { id as keccakText } from 'ethers';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { characterCount } from '../ledger/input';
import { REFUSED_TEXT } from '../ledger/text-rule.test';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { EID, newCast } from '../testing/fixtures';
import type { Attestation } from './attestation';
import { PassportError, hashPassport, parsePassport, recoverPassportSigner } from './passport';
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

    describe('counts characters as Unicode code points wherever a length is documented', () => {
        const SMILE = '\u{1f642}'; // 🙂: one character, two UTF-16 units
        const PAIR = '\u{1f468}\u200d\u{1f469}'; // 👨‍👩: three characters (two emoji and a zero-width joiner), five UTF-16 units

        it('takes a passport grade of up to 32 characters outside the BMP, signs and anchors it unchanged, and refuses 33', async () => {
            for (const grade of [SMILE.repeat(17), SMILE.repeat(32), `A${PAIR}${'\u{20000}'.repeat(28)}`]) {
                const passport = newPassport({ grade, nonce: keccakText(grade) });
                expect(parsePassport(passport)).to.deep.equal(passport);
                const anchored = await anchor(h, cast.bureau, passport);
                // The signed bytes are the grade exactly as given.
                expect(anchored).to.include({ grade, id: hashPassport(passport) });
                expect(recoverPassportSigner(passport, anchored.signature)).to.equal(WALLETS.bureau.address);
            }
            for (const grade of [SMILE.repeat(33), 'A'.repeat(33), `${'A'.repeat(31)}${PAIR}`]) {
                const passport = newPassport({ grade, nonce: keccakText(grade) });
                expect(() => parsePassport(passport), grade).to.throw(PassportError, 'attestation.grade must be 1..32 characters');
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', async () => h.submit(cast.bureau, 'recognition:SubmitAttestation', [{ attestation: passport, signature: await sign(WALLETS.bureau, passport) }]));
                expect(failure.detail).to.contain('request.attestation.grade');
            }
        });

        it('takes agreement grade labels and key labels up to their limits in characters, not UTF-16 units', async () => {
            const gradeScale = [{ minScore: 500, grade: SMILE.repeat(32) }, { minScore: 0, grade: '\u{20000}'.repeat(17) }];
            const agreement = await h.submit<{ gradeScale: Array<{ grade: string }> }>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ gradeScale })]);
            expect(agreement.gradeScale.map((band) => band.grade)).to.deep.equal([SMILE.repeat(32), '\u{20000}'.repeat(17)]);
            const tooLong = [{ minScore: 500, grade: SMILE.repeat(33) }, { minScore: 0, grade: 'D' }];
            const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ gradeScale: tooLong })]));
            expect(failure.detail).to.contain('request.gradeScale[0].grade must be at most 32 characters');

            const key = await h.submit<{ label: string }>(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: WALLETS.rogue.address, label: SMILE.repeat(100) }]);
            expect(key.label).to.equal(SMILE.repeat(100));
        });

        it('characterCount counts code points', () => {
            expect([SMILE, PAIR, 'AA', '优秀', '', `A${'\ud800'}`].map(characterCount)).to.deep.equal([1, 3, 2, 2, 0, 2]);
        });
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
