import { expect } from 'chai';
import fc from 'fast-check';
import { BASE_SCORE, CreditFacts, REASON_CODES, computeScore, countRecent, maxUtilisationBps, newFacts, validAttestation } from './scoring-rules';

const AS_OF = '2026-12-31T00:00:00.000Z';
const RECENT = '2026-06-01T00:00:00.000Z';
const OLD = '2025-06-01T00:00:00.000Z';

function facts(overrides: Partial<CreditFacts> = {}): CreditFacts {
    return { ...newFacts(AS_OF), ...overrides };
}

function refs(n: number): string[] {
    return Array.from({ length: n }, (_, i) => `note-${String(i).padStart(3, '0')}`);
}

describe('scoring rules', () => {
    describe('computeScore', () => {
        it('gives an enterprise without behaviour the base score and no reasons', () => {
            expect(computeScore(facts())).to.deep.equal({ score: 600, reasons: [] });
        });

        it('adds 8 per on-time redemption', () => {
            expect(computeScore(facts({ notesRedeemedOnTime: 3 }))).to.deep.equal({ score: 624, reasons: [{ code: 'ON_TIME_REDEMPTIONS', points: 24 }] });
        });

        it('awards CLEAN_RECORD from the 20th on-time redemption when nothing is held against the enterprise', () => {
            expect(computeScore(facts({ notesRedeemedOnTime: 19 })).score).to.equal(752);
            expect(computeScore(facts({ notesRedeemedOnTime: 20 }))).to.deep.equal({
                score: 860,
                reasons: [
                    { code: 'ON_TIME_REDEMPTIONS', points: 160 },
                    { code: 'CLEAN_RECORD', points: 100 },
                ],
            });
        });

        it('withholds CLEAN_RECORD after a late redemption, an overdue note or an enforced pledge', () => {
            const blemishes: Partial<CreditFacts>[] = [{ notesRedeemedLate: 1 }, { overdueNotes: ['n'] }, { pledgesEnforced: 1 }];
            for (const blemish of blemishes) {
                const codes = computeScore(facts({ notesRedeemedOnTime: 30, ...blemish })).reasons.map((r) => r.code);
                expect(codes).to.not.include('CLEAN_RECORD');
            }
        });

        it('caps on-time points at 320 and clamps 1020 to the 1000 ceiling with SCORE_CEILING', () => {
            expect(computeScore(facts({ notesRedeemedOnTime: 50 }))).to.deep.equal({
                score: 1000,
                reasons: [
                    { code: 'ON_TIME_REDEMPTIONS', points: 320 },
                    { code: 'CLEAN_RECORD', points: 100 },
                    { code: 'SCORE_CEILING', points: -20 },
                ],
            });
        });

        it('takes 40 per late redemption, capped at 200', () => {
            expect(computeScore(facts({ notesRedeemedLate: 2 }))).to.deep.equal({ score: 520, reasons: [{ code: 'LATE_REDEMPTIONS', points: -80 }] });
            expect(computeScore(facts({ notesRedeemedLate: 7 })).score).to.equal(400);
        });

        it('takes 150 per currently overdue note, capped at 600', () => {
            expect(computeScore(facts({ overdueNotes: refs(1) }))).to.deep.equal({ score: 450, reasons: [{ code: 'NOTES_OVERDUE', points: -150 }] });
            expect(computeScore(facts({ overdueNotes: refs(5) }))).to.deep.equal({ score: 0, reasons: [{ code: 'NOTES_OVERDUE', points: -600 }] });
        });

        it('ignores the disputes as buyer an older profile still records: neither points nor a blocked CLEAN_RECORD', () => {
            // Anyone may register invoices against anyone; the buyer disputing them is its right.
            const legacy = (partial: Partial<CreditFacts>) => ({ ...facts(partial), receivablesDisputed: 3, recentDisputes: [RECENT, RECENT, RECENT] }) as CreditFacts;
            expect(computeScore(legacy({}))).to.deep.equal({ score: 600, reasons: [] });
            expect(computeScore(legacy({ notesRedeemedOnTime: 20 })).score).to.equal(860);
        });

        it('counts an event 364 days old as recent and not one exactly 365 days old', () => {
            expect(countRecent(['2026-01-01T00:00:00.000Z'], AS_OF)).to.equal(1);
            expect(countRecent(['2025-12-31T00:00:00.000Z'], AS_OF)).to.equal(0);
        });

        it('takes 120 per enforced pledge, capped at 360, for ever', () => {
            expect(computeScore(facts({ pledgesEnforced: 1, recentEnforcements: [OLD] }))).to.deep.equal({ score: 480, reasons: [{ code: 'PLEDGES_ENFORCED', points: -120 }] });
            expect(computeScore(facts({ pledgesEnforced: 4 })).score).to.equal(240);
        });

        it('penalises the most utilised line: 40 from 80%, 100 (instead) from 95%', () => {
            const at = (...bps: number[]) => computeScore(facts({ lineUtilisation: bps.map((usedBps, i) => ({ lineId: `line-${i}`, usedBps })) }));
            expect(at(7999).score).to.equal(600);
            expect(at(8000)).to.deep.equal({ score: 560, reasons: [{ code: 'LINE_UTILISATION_HIGH', points: -40 }] });
            expect(at(9499, 100).score).to.equal(560);
            expect(at(100, 9500)).to.deep.equal({ score: 500, reasons: [{ code: 'LINE_UTILISATION_CRITICAL', points: -100 }] });
            expect(maxUtilisationBps(facts({ lineUtilisation: [{ lineId: 'a', usedBps: 3 }, { lineId: 'b', usedBps: 9 }] }))).to.equal(9);
        });

        it('clamps a negative total to 0 with SCORE_FLOOR', () => {
            const result = computeScore(facts({ overdueNotes: refs(4), notesRedeemedLate: 5, pledgesEnforced: 3 }));
            // 600 − 200 − 600 − 360 = −560
            expect(result).to.deep.equal({
                score: 0,
                reasons: [
                    { code: 'LATE_REDEMPTIONS', points: -200 },
                    { code: 'NOTES_OVERDUE', points: -600 },
                    { code: 'PLEDGES_ENFORCED', points: -360 },
                    { code: 'SCORE_FLOOR', points: 560 },
                ],
            });
        });

        it('blends a valid attestation 70/30, rounding half up', () => {
            const attested = (score: number) => computeScore(facts({ attestation: { id: 'att-1', score, expiresAt: '2027-06-30T00:00:00.000Z' } }));
            // (7 × 600 + 3 × 850) / 10 = 675.0
            expect(attested(850)).to.deep.equal({ score: 675, reasons: [{ code: 'ATTESTATION_BLEND', points: 75 }] });
            // (4200 + 2565) / 10 = 676.5 → 677
            expect(attested(855).score).to.equal(677);
            // (4200 + 2553) / 10 = 675.3 → 675
            expect(attested(851).score).to.equal(675);
            // an attestation equal to the behaviour score moves nothing but is still reported
            expect(attested(600)).to.deep.equal({ score: 600, reasons: [{ code: 'ATTESTATION_BLEND', points: 0 }] });
        });

        it('blends after clamping: behaviour 0 with an attestation of 1000 gives 300', () => {
            const result = computeScore(facts({ overdueNotes: refs(5), attestation: { id: 'a', score: 1000, expiresAt: '2027-01-01T00:00:00.000Z' } }));
            expect(result.score).to.equal(300);
            expect(result.reasons.slice(-1)).to.deep.equal([{ code: 'ATTESTATION_BLEND', points: 300 }]);
        });

        it('ignores an attestation that expired at or before asOf', () => {
            const expired = facts({ attestation: { id: 'a', score: 1000, expiresAt: AS_OF } });
            expect(validAttestation(expired)).to.equal(undefined);
            expect(computeScore(expired)).to.deep.equal({ score: 600, reasons: [] });
        });

        it('keeps every score in 0..1000, integral, with base + Σ points = score, and only known codes', () => {
            const time = fc.constantFrom(OLD, RECENT, '2026-12-30T23:59:59.000Z');
            const arbitraryFacts = fc.record({
                notesRedeemedOnTime: fc.nat(80),
                notesRedeemedLate: fc.nat(10),
                overdueNotes: fc.uniqueArray(fc.stringMatching(/^n[0-9]{1,3}$/), { maxLength: 8 }),
                pledgesEnforced: fc.nat(6),
                recentEnforcements: fc.array(time, { maxLength: 10 }),
                lineUtilisation: fc.array(fc.record({ lineId: fc.stringMatching(/^l[0-9]$/), usedBps: fc.integer({ min: 1, max: 10000 }) }), { maxLength: 4 }),
                attestation: fc.option(fc.record({ id: fc.constant('att'), score: fc.integer({ min: 0, max: 1000 }), expiresAt: fc.constantFrom(OLD, '2027-06-01T00:00:00.000Z') }), { nil: undefined }),
            });
            fc.assert(
                fc.property(arbitraryFacts, (partial) => {
                    const { score, reasons } = computeScore(facts(partial));
                    expect(Number.isInteger(score) && score >= 0 && score <= 1000).to.equal(true);
                    expect(reasons.reduce((sum, r) => sum + r.points, BASE_SCORE)).to.equal(score);
                    for (const reason of reasons) {
                        expect(REASON_CODES).to.include(reason.code);
                    }
                }),
                { numRuns: 300 },
            );
        });
    });
});
