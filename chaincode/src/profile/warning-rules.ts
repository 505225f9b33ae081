import { CreditFacts, UTILISATION_CRITICAL_BPS, UTILISATION_HIGH_BPS, countRecent, maxUtilisationBps } from './scoring-rules';

/**
 * Warning levels from published rules, evaluated in one place. The level is the worst level of
 * any rule that holds; every rule that holds is reported by its code. Codes are public API and are
 * documented in docs/credit-scoring.md.
 */

/** Levels, worst first. */
export const WARNING_LEVELS = ['RED', 'YELLOW', 'BLUE', 'NONE'] as const;

export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** The codes of the rules in force, in the order they are reported. */
export const WARNING_RULE_CODES = [
    'OVERDUE_NOTE',
    'RECENT_PLEDGE_ENFORCEMENT',
    'SCORE_BELOW_400',
    'SCORE_BELOW_500',
    'UTILISATION_AT_95',
    'SCORE_BELOW_600',
    'UTILISATION_AT_80',
] as const;

/**
 * Codes of retired rules; a profile not recomputed since may still list them. REPEATED_DISPUTES and
 * RECENT_DISPUTE warned of a buyer's disputes, which anyone could provoke with invoices it
 * registered against the buyer; disputes no longer count (docs/credit-scoring.md).
 */
export const RETIRED_WARNING_RULE_CODES = ['REPEATED_DISPUTES', 'RECENT_DISPUTE'] as const;

export type WarningRuleCode = (typeof WARNING_RULE_CODES)[number] | (typeof RETIRED_WARNING_RULE_CODES)[number];

/** One published rule. */
export interface WarningRule {
    code: WarningRuleCode;
    level: Exclude<WarningLevel, 'NONE'>;
    holds(facts: CreditFacts, score: number): boolean;
}

/** Every rule, in the order they are reported. */
export const WARNING_RULES: readonly WarningRule[] = [
    { code: 'OVERDUE_NOTE', level: 'RED', holds: (facts) => facts.overdueNotes.length > 0 },
    { code: 'RECENT_PLEDGE_ENFORCEMENT', level: 'RED', holds: (facts) => countRecent(facts.recentEnforcements, facts.asOf) > 0 },
    { code: 'SCORE_BELOW_400', level: 'RED', holds: (_facts, score) => score < 400 },
    { code: 'SCORE_BELOW_500', level: 'YELLOW', holds: (_facts, score) => score < 500 },
    { code: 'UTILISATION_AT_95', level: 'YELLOW', holds: (facts) => maxUtilisationBps(facts) >= UTILISATION_CRITICAL_BPS },
    { code: 'SCORE_BELOW_600', level: 'BLUE', holds: (_facts, score) => score < 600 },
    { code: 'UTILISATION_AT_80', level: 'BLUE', holds: (facts) => maxUtilisationBps(facts) >= UTILISATION_HIGH_BPS },
];

/** The evaluated warning: its level and the codes of every rule that holds. */
export interface Warning {
    level: WarningLevel;
    rules: WarningRuleCode[];
}

/** 0 for RED … 3 for NONE. */
export function severityRank(level: WarningLevel): number {
    return WARNING_LEVELS.indexOf(level);
}

/** The levels at `level` or worse, worst first. */
export function levelsAtOrWorse(level: WarningLevel): WarningLevel[] {
    return WARNING_LEVELS.slice(0, severityRank(level) + 1);
}

/** Evaluates every rule against the facts and the score they produced. */
export function evaluateWarning(facts: CreditFacts, score: number): Warning {
    const fired = WARNING_RULES.filter((rule) => rule.holds(facts, score));
    const level = fired.reduce<WarningLevel>((worst, rule) => (severityRank(rule.level) < severityRank(worst) ? rule.level : worst), 'NONE');
    return { level, rules: fired.map((rule) => rule.code) };
}
