import { expect } from 'chai';
import fc from 'fast-check';
import { ChaincodeError } from '../errors';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { EID, lei, newCast, uscc } from '../testing/fixtures';
import { newUser } from '../testing/identities';
import { Agreement, GradeBand, mapGrade, validateGradeScale } from './agreement';
import { RecognitionContract } from './recognition-contract';
import { AuditProbeContract, EXTRA, RecognitionCast, SCALE, activeAgreement, agreementRequest, newRecognitionCast, registerRecognitionCast } from './test-fixtures';

function invalid(run: () => unknown): void {
    expect(run).to.throw(ChaincodeError).with.property('code', 'INVALID_ARGUMENT');
}

describe('agreement grade scale', () => {
    it('accepts a scale sorted descending or ascending and stores it highest band first', () => {
        expect(validateGradeScale(SCALE)).to.deep.equal(SCALE);
        expect(validateGradeScale([...SCALE].reverse())).to.deep.equal(SCALE);
        expect(validateGradeScale([{ minScore: 0, grade: 'ANY' }])).to.deep.equal([{ minScore: 0, grade: 'ANY' }]);
    });

    it('maps band edges: 0, 399, 400, 599, 600, 799, 800 and 1000', () => {
        const expected: Array<[number, string]> = [[0, 'D'], [399, 'D'], [400, 'C'], [599, 'C'], [600, 'B'], [799, 'B'], [800, 'A'], [1000, 'A']];
        for (const [score, grade] of expected) {
            expect(mapGrade(SCALE, score), String(score)).to.equal(grade);
        }
    });

    it('rejects a gap at the bottom, an overlap, an unsorted scale, a repeated grade and an empty scale', () => {
        invalid(() => validateGradeScale([{ minScore: 500, grade: 'A' }, { minScore: 1, grade: 'B' }]));
        invalid(() => validateGradeScale([{ minScore: 500, grade: 'A' }, { minScore: 500, grade: 'B' }, { minScore: 0, grade: 'C' }]));
        invalid(() => validateGradeScale([{ minScore: 500, grade: 'A' }, { minScore: 0, grade: 'C' }, { minScore: 700, grade: 'B' }]));
        invalid(() => validateGradeScale([{ minScore: 500, grade: 'A' }, { minScore: 0, grade: 'A' }]));
        invalid(() => validateGradeScale([]));
    });

    it('rejects scores outside 0..1000 when mapping', () => {
        invalid(() => mapGrade(SCALE, -1));
        invalid(() => mapGrade(SCALE, 1001));
        invalid(() => mapGrade(SCALE, 1.5));
    });

    it('maps every score 0..1000 to exactly one band of any accepted scale (property)', () => {
        fc.assert(
            fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 12 }), fc.boolean(), (starts, ascending) => {
                const mins = [0, ...starts].sort((a, b) => (ascending ? a - b : b - a));
                const bands: GradeBand[] = mins.map((minScore) => ({ minScore, grade: `G${minScore}` }));
                const scale = validateGradeScale(bands);
                const wrong: number[] = [];
                for (let score = 0; score <= 1000; score++) {
                    const covering = scale.filter((band, i) => band.minScore <= score && (i === 0 || score < scale[i - 1].minScore));
                    if (covering.length !== 1 || mapGrade(scale, score) !== covering[0].grade) {
                        wrong.push(score);
                    }
                }
                expect(wrong).to.deep.equal([]);
            }),
            { numRuns: 50 },
        );
    });
});

describe('RecognitionContract agreements', () => {
    let h: Harness;
    let cast: RecognitionCast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, RecognitionContract, AuditProbeContract]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast);
    });
    afterEach(() => h.close());

    describe('ProposeAgreement', () => {
        it('proposes an agreement with the normalised scale and validity, linked to the partner, with the event', async () => {
            const proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ gradeScale: [...SCALE].reverse(), validUntil: '2027-01-01T12:00:00Z' })]);
            expect(proposed).to.deep.include({
                docType: 'agreement',
                partnerId: EID.partner,
                partnerMspId: 'PartnerMSP',
                gradeScale: SCALE,
                validFrom: '2026-01-01T00:00:00.000Z',
                validUntil: '2027-01-01T12:00:00.000Z',
                status: 'PROPOSED',
                proposedBy: EID.platform,
            });
            expect(proposed.id).to.match(/^agr-[0-9a-f]{24}$/);
            expect(h.events().at(-1)).to.deep.include({ name: 'ProposeAgreement' });
            expect(h.events().at(-1)?.payload).to.include({ agreementId: proposed.id, partnerId: EID.partner });
            expect(await h.evaluate(cast.partner, 'recognition:ReadAgreement', [proposed.id])).to.deep.equal(proposed);
            expect(await h.evaluate(cast.regulator, 'audit-probe:Linked', [EID.partner])).to.deep.include({ type: 'agreement', id: proposed.id });
        });

        it('refuses every role but the platform admin, and identities without attributes', async () => {
            for (const who of [cast.partner, cast.bureau, cast.regulator, cast.core, cast.bank]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:ProposeAgreement', [agreementRequest()]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'recognition:ProposeAgreement', [agreementRequest()]));
        });

        it('rejects malformed requests: bad JSON, unknown field, bad scale, bad dates, wrong org for the partner', async () => {
            const attempts: unknown[] = [
                'not json',
                agreementRequest({ extra: true }),
                agreementRequest({ partnerMspId: 'Partner' }),
                agreementRequest({ partnerMspId: 'PlatformMSP' }),
                agreementRequest({ gradeScale: [] }),
                agreementRequest({ gradeScale: [{ minScore: 100, grade: 'A' }] }),
                agreementRequest({ gradeScale: [{ minScore: 0, grade: 'A' }, { minScore: 0, grade: 'B' }] }),
                agreementRequest({ gradeScale: [{ minScore: 0, grade: 'A' }, { minScore: 1001, grade: 'B' }] }),
                agreementRequest({ gradeScale: [{ minScore: 0, grade: 'A', maxScore: 1000 }] }),
                agreementRequest({ gradeScale: [{ minScore: 0 }] }),
                agreementRequest({ gradeScale: [{ minScore: 600, grade: 'B' }, { minScore: 800, grade: 'A' }, { minScore: 0, grade: 'C' }] }),
                agreementRequest({ validFrom: '2026-13-01' }),
                agreementRequest({ validUntil: '2026-01-01' }),
                agreementRequest({ validFrom: '2025-01-01', validUntil: '2025-12-31' }),
                agreementRequest({ partnerId: EID.tier1 }),
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:ProposeAgreement', [request as object]));
            }
        });

        it('refuses an unknown partner and a frozen partner', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ partnerId: uscc('91110000MA9990012') })]));
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.partner, 'sanctions screening']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]));
        });
    });

    describe('AcceptAgreement', () => {
        let proposed: Agreement;
        beforeEach(async () => {
            proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
        });

        it("lets the partner's own identity accept it, with the event", async () => {
            const accepted = await h.submit<Agreement>(cast.partner, 'recognition:AcceptAgreement', [proposed.id]);
            expect(accepted).to.include({ status: 'ACTIVE', acceptedBy: EID.partner });
            expect(accepted.acceptedAt).to.equal(accepted.updatedAt);
            expect(h.events().at(-1)?.name).to.equal('AcceptAgreement');
            expect(h.events().at(-1)?.payload).to.include({ agreementId: proposed.id, status: 'ACTIVE' });
        });

        it('refuses the platform admin, other roles, another partner, a partner role from another org, and no attributes', async () => {
            for (const who of [cast.admin, cast.regulator, cast.bureau, cast.core, cast.bank]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:AcceptAgreement', [proposed.id]));
            }
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.partner2, 'recognition:AcceptAgreement', [proposed.id]));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.partnerInPlatformOrg, 'recognition:AcceptAgreement', [proposed.id]));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'recognition:AcceptAgreement', [proposed.id]));
        });

        it('refuses a partner identity whose enterprise is not registered, or frozen', async () => {
            const ghost = await newUser('PartnerMSP', 'ghost', 'foreign-partner', lei('5493009GHOSTPARTN9'));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(ghost, 'recognition:AcceptAgreement', [proposed.id]));
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.partner, 'investigation']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.partner, 'recognition:AcceptAgreement', [proposed.id]));
        });

        it('refuses an unknown or malformed id, accepting twice, a withdrawn agreement and a lapsed one', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.partner, 'recognition:AcceptAgreement', ['agr-000000000000000000000000']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.partner, 'recognition:AcceptAgreement', ['../agr']));
            await h.submit(cast.partner, 'recognition:AcceptAgreement', [proposed.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.partner, 'recognition:AcceptAgreement', [proposed.id]));
            const other = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            await h.submit(cast.admin, 'recognition:WithdrawAgreement', [other.id, 'terms changed']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.partner, 'recognition:AcceptAgreement', [other.id]));
            const late = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ validUntil: '2026-03-01' })]);
            h.setTime('2026-03-01T00:00:00Z');
            await expectRefused(h, 'EXPIRED', () => h.submit(cast.partner, 'recognition:AcceptAgreement', [late.id]));
        });
    });

    describe('TerminateAgreement', () => {
        let active: Agreement;
        beforeEach(async () => {
            active = await activeAgreement(h, cast);
        });

        it("lets the partner's own identity terminate an ACTIVE agreement with a reason, with the event", async () => {
            const ended = await h.submit<Agreement>(cast.partner, 'recognition:TerminateAgreement', [active.id, 'programme closed']);
            expect(ended).to.include({ status: 'TERMINATED', terminatedBy: EID.partner, terminationReason: 'programme closed' });
            expect(h.events().at(-1)?.name).to.equal('TerminateAgreement');
        });

        it('refuses the platform admin, other roles, another partner and a partner role from another org', async () => {
            for (const who of [cast.admin, cast.regulator, cast.bureau, cast.partner2, cast.partnerInPlatformOrg]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:TerminateAgreement', [active.id, 'x']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'recognition:TerminateAgreement', [active.id, 'x']));
        });

        it('refuses an empty reason, an unknown agreement, a PROPOSED one and terminating twice', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.partner, 'recognition:TerminateAgreement', [active.id, '']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.partner, 'recognition:TerminateAgreement', ['agr-000000000000000000000000', 'x']));
            const proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.partner, 'recognition:TerminateAgreement', [proposed.id, 'x']));
            await h.submit(cast.partner, 'recognition:TerminateAgreement', [active.id, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.partner, 'recognition:TerminateAgreement', [active.id, 'x']));
        });
    });

    describe('WithdrawAgreement', () => {
        it('lets the platform admin withdraw a PROPOSED agreement, with the event', async () => {
            const proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            const withdrawn = await h.submit<Agreement>(cast.admin, 'recognition:WithdrawAgreement', [proposed.id, 'superseded']);
            expect(withdrawn).to.include({ status: 'WITHDRAWN', withdrawnBy: EID.platform, withdrawalReason: 'superseded' });
            expect(h.events().at(-1)?.name).to.equal('WithdrawAgreement');
        });

        it('refuses anyone but the platform admin, an ACTIVE agreement, an unknown one and an empty reason', async () => {
            const proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            for (const who of [cast.partner, cast.regulator, cast.bureau]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:WithdrawAgreement', [proposed.id, 'x']));
            }
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'recognition:WithdrawAgreement', [proposed.id, '']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.admin, 'recognition:WithdrawAgreement', ['agr-000000000000000000000000', 'x']));
            await h.submit(cast.partner, 'recognition:AcceptAgreement', [proposed.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.admin, 'recognition:WithdrawAgreement', [proposed.id, 'x']));
        });
    });

    describe('ReadAgreement / ListAgreements', () => {
        it('lists all agreements, or those of one partner, in id order', async () => {
            await h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            await h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest()]);
            await h.submit(cast.admin, 'recognition:ProposeAgreement', [agreementRequest({ partnerId: EXTRA.partner2 })]);
            const all = await h.evaluate<Agreement[]>(cast.regulator, 'recognition:ListAgreements', ['']);
            expect(all).to.have.length(3);
            expect(all.map((a) => a.id)).to.deep.equal([...all.map((a) => a.id)].sort());
            const mine = await h.evaluate<Agreement[]>(cast.partner2, 'recognition:ListAgreements', [EXTRA.partner2]);
            expect(mine.map((a) => a.partnerId)).to.deep.equal([EXTRA.partner2]);
        });

        it('answers NOT_FOUND, INVALID_ARGUMENT and UNAUTHENTICATED, emitting nothing', async () => {
            const events = h.events().length;
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:ReadAgreement', ['agr-000000000000000000000000']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ReadAgreement', ['']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ListAgreements', ['a/b']));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'recognition:ListAgreements', ['']));
            expect(h.events()).to.have.length(events);
        });
    });
});
