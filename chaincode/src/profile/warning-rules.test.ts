import { expect } from 'chai';
import { CreditFacts, newFacts } from './scoring-rules';
import { WARNING_RULES, WARNING_RULE_CODES, WarningLevel, WarningRuleCode, evaluateWarning, levelsAtOrWorse } from './warning-rules';

const AS_OF = '2026-12-31T00:00:00.000Z';
const RECENT = '2026-06-01T00:00:00.000Z';
const OLD = '2025-12-31T00:00:00.000Z'; // exactly 365 days before AS_OF: outside the window

function facts(overrides: Partial<CreditFacts> = {}): CreditFacts {
    return { ...newFacts(AS_OF), ...overrides };
}

const line = (usedBps: number) => [{ lineId: 'line-1', usedBps }];

interface Case {
    rule: WarningRuleCode;
    /** Facts and score at which the rule just holds, with the expected level and every rule reported. */
    holds: { facts: CreditFacts; score: number; level: WarningLevel; rules: WarningRuleCode[] };
    /** Facts and score at which it just does not. */
    fails: { facts: CreditFacts; score: number };
}

const CASES: Case[] = [
    {
        rule: 'OVERDUE_NOTE',
        holds: { facts: facts({ overdueNotes: ['note-1'] }), score: 700, level: 'RED', rules: ['OVERDUE_NOTE'] },
        fails: { facts: facts(), score: 700 },
    },
    {
        rule: 'RECENT_PLEDGE_ENFORCEMENT',
        holds: { facts: facts({ pledgesEnforced: 1, recentEnforcements: [RECENT] }), score: 700, level: 'RED', rules: ['RECENT_PLEDGE_ENFORCEMENT'] },
        fails: { facts: facts({ pledgesEnforced: 1, recentEnforcements: [OLD] }), score: 700 },
    },
    {
        rule: 'SCORE_BELOW_400',
        holds: { facts: facts(), score: 399, level: 'RED', rules: ['SCORE_BELOW_400', 'SCORE_BELOW_500', 'SCORE_BELOW_600'] },
        fails: { facts: facts(), score: 400 },
    },
    {
        rule: 'SCORE_BELOW_500',
        holds: { facts: facts(), score: 499, level: 'YELLOW', rules: ['SCORE_BELOW_500', 'SCORE_BELOW_600'] },
        fails: { facts: facts(), score: 500 },
    },
    {
        rule: 'UTILISATION_AT_95',
        holds: { facts: facts({ lineUtilisation: line(9500) }), score: 700, level: 'YELLOW', rules: ['UTILISATION_AT_95', 'UTILISATION_AT_80'] },
        fails: { facts: facts({ lineUtilisation: line(9499) }), score: 700 },
    },
    {
        rule: 'SCORE_BELOW_600',
        holds: { facts: facts(), score: 599, level: 'BLUE', rules: ['SCORE_BELOW_600'] },
        fails: { facts: facts(), score: 600 },
    },
    {
        rule: 'UTILISATION_AT_80',
        holds: { facts: facts({ lineUtilisation: line(8000) }), score: 700, level: 'BLUE', rules: ['UTILISATION_AT_80'] },
        fails: { facts: facts({ lineUtilisation: line(7999) }), score: 700 },
    },
];

describe('warning rules', () => {
    it('cover every published rule in this suite', () => {
        expect(CASES.map((c) => c.rule)).to.have.members([...WARNING_RULE_CODES]);
        expect(WARNING_RULES.map((r) => r.code)).to.deep.equal([...WARNING_RULE_CODES]);
    });

    for (const c of CASES) {
        it(`raises ${c.holds.level} by ${c.rule} at its threshold and not below it`, () => {
            expect(evaluateWarning(c.holds.facts, c.holds.score)).to.deep.equal({ level: c.holds.level, rules: c.holds.rules });
            expect(evaluateWarning(c.fails.facts, c.fails.score).rules).to.not.include(c.rule);
        });
    }

    it('reports NONE for the base profile (score 600, no facts)', () => {
        expect(evaluateWarning(facts(), 600)).to.deep.equal({ level: 'NONE', rules: [] });
    });

    it('takes the worst level of all rules that hold and reports each of them', () => {
        const result = evaluateWarning(facts({ overdueNotes: ['n1'], lineUtilisation: line(8500) }), 450);
        expect(result).to.deep.equal({ level: 'RED', rules: ['OVERDUE_NOTE', 'SCORE_BELOW_500', 'SCORE_BELOW_600', 'UTILISATION_AT_80'] });
    });

    it('raises no warning for the disputes as buyer an older profile still records', () => {
        const legacy = { ...facts(), receivablesDisputed: 2, recentDisputes: [RECENT, RECENT] } as CreditFacts;
        expect(evaluateWarning(legacy, 600)).to.deep.equal({ level: 'NONE', rules: [] });
        expect(WARNING_RULE_CODES).to.not.include.members(['REPEATED_DISPUTES', 'RECENT_DISPUTE']);
    });

    it('lists the levels at a level or worse, worst first', () => {
        expect(levelsAtOrWorse('RED')).to.deep.equal(['RED']);
        expect(levelsAtOrWorse('BLUE')).to.deep.equal(['RED', 'YELLOW', 'BLUE']);
        expect(levelsAtOrWorse('NONE')).to.deep.equal(['RED', 'YELLOW', 'BLUE', 'NONE']);
    });
});
