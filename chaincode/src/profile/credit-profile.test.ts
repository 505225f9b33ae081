import { expect } from 'chai';
import { ChaincodeError } from '../errors';
import { CreditEvent, CreditProfile, MAX_CHANGES, MAX_EVENTS_PER_CHANGE, applyEvent, applyEvents, baseProfile, utilisationBps, validateCreditEvent } from './credit-profile';
import { RECENT_TIMES_KEPT, newFacts } from './scoring-rules';

const EID = 'E1';
const T0 = '2026-03-01T00:00:00.000Z';
const T1 = '2026-03-02T00:00:00.000Z';

const redeemed = (ref: string, onTime = true): CreditEvent => ({ enterpriseId: EID, type: 'NOTE_REDEEMED', ref, onTime, amount: 100000n, currency: 'CNY' });
const overdue = (ref: string): CreditEvent => ({ enterpriseId: EID, type: 'NOTE_OVERDUE', ref, amount: 100000n, currency: 'CNY' });
const utilisation = (ref: string, usedBps: number): CreditEvent => ({ enterpriseId: EID, type: 'CREDIT_LINE_UTILISATION', ref, usedBps });
const attestation = (ref: string, score: number, expiresAt = '2027-01-01T00:00:00.000Z'): CreditEvent => ({ enterpriseId: EID, type: 'ATTESTATION', ref, score, expiresAt });

function expectInternal(event: unknown): void {
    try {
        validateCreditEvent(event as CreditEvent);
    } catch (error) {
        expect(error).to.be.instanceOf(ChaincodeError);
        expect((error as ChaincodeError).code).to.equal('INTERNAL');
        return;
    }
    throw new Error(`accepted a malformed event ${JSON.stringify(event, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

describe('credit profile', () => {
    describe('applyEvent', () => {
        const base = newFacts(T0);

        it('counts on-time and late redemptions', () => {
            const facts = [redeemed('a'), redeemed('b', false), redeemed('c')].reduce((f, e) => applyEvent(f, e, T0), base);
            expect(facts).to.include({ notesRedeemedOnTime: 2, notesRedeemedLate: 1 });
        });

        it('keeps overdue roots as a sorted set, so marking a root twice counts once', () => {
            const facts = [overdue('n2'), overdue('n1'), overdue('n2')].reduce((f, e) => applyEvent(f, e, T0), base);
            expect(facts.overdueNotes).to.deep.equal(['n1', 'n2']);
        });

        it('counts the redemption of an overdue root as late even when reported on time, and clears it', () => {
            const facts = applyEvent(applyEvent(base, overdue('n1'), T0), redeemed('n1', true), T1);
            expect(facts).to.deep.include({ notesRedeemedOnTime: 0, notesRedeemedLate: 1, overdueNotes: [] });
        });

        it('clears an overdue root on OVERDUE_CLEARED and ignores an unknown one', () => {
            const marked = applyEvent(applyEvent(base, overdue('n1'), T0), overdue('n2'), T0);
            const cleared = applyEvent(marked, { enterpriseId: EID, type: 'OVERDUE_CLEARED', ref: 'n1' }, T1);
            expect(cleared.overdueNotes).to.deep.equal(['n2']);
            expect(applyEvent(cleared, { enterpriseId: EID, type: 'OVERDUE_CLEARED', ref: 'zz' }, T1).overdueNotes).to.deep.equal(['n2']);
        });

        it('records enforcements with their transaction time, keeping the latest ten', () => {
            let facts = base;
            for (let day = 1; day <= 12; day++) {
                const at = `2026-03-${String(day).padStart(2, '0')}T00:00:00.000Z`;
                facts = applyEvent(facts, { enterpriseId: EID, type: 'PLEDGE_ENFORCED', ref: `p${day}`, amount: 5n, currency: 'CNY' }, at);
            }
            expect(facts.pledgesEnforced).to.equal(12);
            expect(facts.recentEnforcements).to.have.length(RECENT_TIMES_KEPT);
            expect(facts.recentEnforcements[0]).to.equal('2026-03-03T00:00:00.000Z');
            expect(facts.recentEnforcements.slice(-1)).to.deep.equal(['2026-03-12T00:00:00.000Z']);
        });

        it('keeps the latest utilisation of each line, sorted by line id, dropping lines back at zero', () => {
            let facts = [utilisation('line-b', 9000), utilisation('line-a', 100), utilisation('line-b', 8100)].reduce((f, e) => applyEvent(f, e, T0), base);
            expect(facts.lineUtilisation).to.deep.equal([
                { lineId: 'line-a', usedBps: 100 },
                { lineId: 'line-b', usedBps: 8100 },
            ]);
            facts = applyEvent(facts, utilisation('line-a', 0), T1);
            expect(facts.lineUtilisation).to.deep.equal([{ lineId: 'line-b', usedBps: 8100 }]);
        });

        it('keeps the latest attestation and drops it only when that one is revoked', () => {
            let facts = applyEvent(applyEvent(base, attestation('att-1', 700), T0), attestation('att-2', 800, '2027-02-01'), T0);
            expect(facts.attestation).to.deep.equal({ id: 'att-2', score: 800, expiresAt: '2027-02-01T00:00:00.000Z' });
            facts = applyEvent(facts, { enterpriseId: EID, type: 'ATTESTATION_REVOKED', ref: 'att-1' }, T1);
            expect(facts.attestation?.id).to.equal('att-2');
            facts = applyEvent(facts, { enterpriseId: EID, type: 'ATTESTATION_REVOKED', ref: 'att-2' }, T1);
            expect(facts).to.not.have.property('attestation');
        });
    });

    describe('applyEvents', () => {
        it('re-evaluates score and warning and logs the change with before/after and reason codes', () => {
            const profile = applyEvents(baseProfile(EID, T0, 'tx0'), [overdue('n1')], 'tx1', T1);
            expect(profile).to.include({ score: 450, warning: 'RED', lastTxId: 'tx1', updatedAt: T1, createdAt: T0 });
            expect(profile.reasons).to.deep.equal([{ code: 'NOTES_OVERDUE', points: -150 }]);
            expect(profile.warningRules).to.deep.equal(['OVERDUE_NOTE', 'SCORE_BELOW_500', 'SCORE_BELOW_600']);
            expect(profile.facts.asOf).to.equal(T1);
            expect(profile.changes).to.deep.equal([
                {
                    txId: 'tx1',
                    time: T1,
                    events: [{ type: 'NOTE_OVERDUE', ref: 'n1', amount: '100000', currency: 'CNY' }],
                    eventsOmitted: 0,
                    scoreBefore: 600,
                    scoreAfter: 450,
                    warningBefore: 'NONE',
                    warningAfter: 'RED',
                    reasons: ['NOTES_OVERDUE'],
                },
            ]);
        });

        it('merges a second application in the same transaction into one change entry', () => {
            const once = applyEvents(baseProfile(EID, T0, 'tx0'), [redeemed('a')], 'tx1', T1);
            const twice = applyEvents(once, [overdue('n1')], 'tx1', T1);
            expect(twice.changes).to.have.length(1);
            expect(twice.changes[0]).to.include({ scoreBefore: 600, scoreAfter: 458, warningBefore: 'NONE', warningAfter: 'RED' });
            expect(twice.changes[0].events.map((e) => e.type)).to.deep.equal(['NOTE_REDEEMED', 'NOTE_OVERDUE']);
        });

        it('logs a plain re-evaluation as REFRESH when time changed the standing', () => {
            // The attestation counts at T0 and has expired by T1.
            const attested = applyEvents(baseProfile(EID, T0, 'tx0'), [attestation('a1', 900, T1)], 'tx1', T0);
            expect(attested.score).to.equal(690);
            const profile = applyEvents(attested, [], 'tx2', T1);
            expect(profile).to.include({ score: 600, lastTxId: 'tx2', updatedAt: T1 });
            expect(profile.changes.at(-1)).to.deep.include({ txId: 'tx2', events: [{ type: 'REFRESH' }], scoreBefore: 690, scoreAfter: 600 });
        });

        it('returns the profile itself for a re-evaluation that changes neither facts, score, reasons nor warning', () => {
            const base = baseProfile(EID, T0, 'tx0');
            expect(applyEvents(base, [], 'tx1', T1)).to.equal(base);
            const recorded = applyEvents(base, [overdue('n1'), redeemed('n2'), utilisation('l1', 8600), attestation('a1', 800)], 'tx1', T0);
            expect(applyEvents(recorded, [], 'tx2', T1)).to.equal(recorded);
            expect(applyEvents(recorded, [], 'tx2', T1, true)).to.equal(recorded);
            // Business events are always logged, even when they change nothing (a root marked overdue twice).
            expect(applyEvents(recorded, [overdue('n1')], 'tx3', T1).changes).to.have.length(2);
        });

        it(`keeps the evidence of the latest ${MAX_CHANGES} changes however often the profile is refreshed`, () => {
            let profile = applyEvents(baseProfile(EID, T0, 'tx0'), [overdue('n1'), utilisation('l1', 9700)], 'tx1', T0);
            const evidence = profile.changes[0];
            for (let i = 0; i < MAX_CHANGES + 10; i++) {
                profile = applyEvents(profile, [], `refresh-${i}`, T1);
            }
            expect(profile.changes).to.deep.equal([evidence]);
        });

        it(`keeps the latest ${MAX_CHANGES} changes and at most ${MAX_EVENTS_PER_CHANGE} events per change`, () => {
            let profile: CreditProfile = baseProfile(EID, T0, 'tx0');
            for (let i = 0; i < MAX_CHANGES + 5; i++) {
                profile = applyEvents(profile, [redeemed(`n${i}`)], `tx${i + 1}`, T1);
            }
            expect(profile.changes).to.have.length(MAX_CHANGES);
            expect(profile.changes[0].txId).to.equal('tx6');
            const many = Array.from({ length: MAX_EVENTS_PER_CHANGE + 3 }, (_, i) => redeemed(`m${i}`));
            profile = applyEvents(profile, many, 'txMany', T1);
            const last = profile.changes[profile.changes.length - 1];
            expect(last.events).to.have.length(MAX_EVENTS_PER_CHANGE);
            expect(last.eventsOmitted).to.equal(3);
            expect(profile.facts.notesRedeemedOnTime).to.equal(MAX_CHANGES + 5 + MAX_EVENTS_PER_CHANGE + 3);
        });
    });

    describe('validateCreditEvent', () => {
        it('accepts every well-formed event type', () => {
            const events: CreditEvent[] = [
                redeemed('n1'),
                overdue('n1'),
                { enterpriseId: EID, type: 'OVERDUE_CLEARED', ref: 'n1' },
                { enterpriseId: EID, type: 'PLEDGE_ENFORCED', ref: 'p1', amount: 1n, currency: 'USD' },
                utilisation('line-1', 10000),
                attestation('att-1', 0),
                { enterpriseId: EID, type: 'ATTESTATION_REVOKED', ref: 'att-1' },
            ];
            events.forEach(validateCreditEvent);
        });

        it('rejects malformed events with INTERNAL (a defect in the caller)', () => {
            const malformed: unknown[] = [
                null,
                { ...redeemed('n1'), enterpriseId: '' },
                { ...redeemed('n1'), type: 'NOTE_FORGIVEN' },
                // Retired: disputing a receivable one never confirmed no longer bears on credit.
                { enterpriseId: EID, type: 'RECEIVABLE_DISPUTED', ref: 'r1', amount: 1n, currency: 'CNY' },
                { ...redeemed('n1'), ref: '../etc' },
                { ...redeemed('n1'), onTime: 'yes' },
                { ...redeemed('n1'), amount: 0n },
                { ...redeemed('n1'), amount: '100' },
                { ...overdue('n1'), currency: 'XXX' },
                { enterpriseId: EID, type: 'PLEDGE_ENFORCED', ref: 'p1' },
                utilisation('line-1', 10001),
                utilisation('line-1', 12.5),
                attestation('att-1', 1001),
                attestation('att-1', 500, 'next spring'),
            ];
            malformed.forEach(expectInternal);
        });
    });

    describe('utilisationBps', () => {
        it('rounds used × 10000 / limit down and caps it at 10000', () => {
            expect(utilisationBps(0n, 100n)).to.equal(0);
            expect(utilisationBps(1n, 3n)).to.equal(3333);
            expect(utilisationBps(79999n, 100000n)).to.equal(7999);
            expect(utilisationBps(100n, 100n)).to.equal(10000);
            expect(utilisationBps(5n, 0n)).to.equal(10000);
            expect(utilisationBps(10n ** 18n, 10n ** 18n + 1n)).to.equal(9999);
        });
    });
});
