/**
 * The credit score: one pure function of an enterprise's behaviour facts. Every rule, its points
 * and its cap are here and in docs/credit-scoring.md; change both together. Integer arithmetic
 * only, so every endorser computes the same score. Reason codes are public API.
 */

export const SCORE_MIN = 0;
export const SCORE_MAX = 1000;
/** The score of an enterprise with no recorded behaviour. */
export const BASE_SCORE = 600;

/** Disputes and pledge enforcements count as recent for this long before `asOf`. */
export const RECENT_WINDOW_DAYS = 365;
const RECENT_WINDOW_MS = RECENT_WINDOW_DAYS * 24 * 60 * 60 * 1000;

/** How many recent dispute / enforcement times a profile keeps (more than any rule counts). */
export const RECENT_TIMES_KEPT = 10;

/** Utilisation thresholds in basis points of the limit. */
export const UTILISATION_HIGH_BPS = 8000;
export const UTILISATION_CRITICAL_BPS = 9500;

/** Points per occurrence and the cap of each counted rule; flat points of the others. */
export const SCORING_RULES = {
    ON_TIME_REDEMPTIONS: { perItem: 8, cap: 320 },
    CLEAN_RECORD: { points: 100, minOnTimeRedemptions: 20 },
    LATE_REDEMPTIONS: { perItem: -40, cap: -200 },
    NOTES_OVERDUE: { perItem: -150, cap: -600 },
    PLEDGES_ENFORCED: { perItem: -120, cap: -360 },
    LINE_UTILISATION_HIGH: { points: -40 },
    LINE_UTILISATION_CRITICAL: { points: -100 },
    /** Final = round-half-up((behaviourWeight × behaviour + attestationWeight × attestation) / 10). */
    ATTESTATION_BLEND: { behaviourWeight: 7, attestationWeight: 3 },
} as const;

/** The reason codes the rules produce. */
export const REASON_CODES = [
    'ON_TIME_REDEMPTIONS',
    'CLEAN_RECORD',
    'LATE_REDEMPTIONS',
    'NOTES_OVERDUE',
    'PLEDGES_ENFORCED',
    'LINE_UTILISATION_HIGH',
    'LINE_UTILISATION_CRITICAL',
    'SCORE_FLOOR',
    'SCORE_CEILING',
    'ATTESTATION_BLEND',
] as const;

/**
 * Reason codes no rule produces any more; older profiles and change-log entries may still name them.
 * RECEIVABLES_DISPUTED: disputing a receivable one never confirmed cost the buyer points, so anyone
 * could lower anyone's score by registering invoices against it; disputes no longer count.
 */
export const RETIRED_REASON_CODES = ['RECEIVABLES_DISPUTED'] as const;

export type ReasonCode = (typeof REASON_CODES)[number] | (typeof RETIRED_REASON_CODES)[number];

/** One rule that moved the score, with its signed effect. */
export interface ScoreReason {
    code: ReasonCode;
    points: number;
}

/** The enterprise's latest valid credit attestation, as of the last transaction that brought it up to date. */
export interface AttestationFact {
    id: string;
    score: number;
    expiresAt: string;
}

/** Utilisation of one credit line granted to the enterprise. */
export interface LineUtilisation {
    lineId: string;
    usedBps: number;
}

/**
 * What the ledger knows about an enterprise's behaviour. Arrays are kept sorted so the canonical
 * JSON of equal facts is equal.
 */
export interface CreditFacts {
    /** Transaction time at which the facts were last evaluated; windows and expiry count from here. */
    asOf: string;
    /** Roots the enterprise issued and redeemed before they could be marked overdue. */
    notesRedeemedOnTime: number;
    /** Roots the enterprise redeemed after maturity plus grace (or after being marked overdue). */
    notesRedeemedLate: number;
    /** Ids of the enterprise's roots currently marked OVERDUE, sorted. */
    overdueNotes: string[];
    /** Pledges enforced against the enterprise as pledgor, lifetime. */
    pledgesEnforced: number;
    /** Transaction times of the latest enforcements (at most RECENT_TIMES_KEPT), oldest first. */
    recentEnforcements: string[];
    /** Lines with a non-zero utilisation, sorted by line id. */
    lineUtilisation: LineUtilisation[];
    /**
     * The latest valid attestation (DESIGN 5.7) as of the last transaction that brought it up to date
     * (`attestationEvents` in credit-profile.ts); it may have expired since, and then does not count.
     */
    attestation?: AttestationFact;
}

/** The score and the reasons that produced it: BASE_SCORE + Σ points = score. */
export interface ScoreResult {
    score: number;
    reasons: ScoreReason[];
}

/** Facts of an enterprise with no recorded behaviour. */
export function newFacts(asOf: string): CreditFacts {
    return {
        asOf,
        notesRedeemedOnTime: 0,
        notesRedeemedLate: 0,
        overdueNotes: [],
        pledgesEnforced: 0,
        recentEnforcements: [],
        lineUtilisation: [],
    };
}

/** How many of `times` fall within the recent window ending at `asOf` (exclusive start). */
export function countRecent(times: readonly string[], asOf: string): number {
    const since = Date.parse(asOf) - RECENT_WINDOW_MS;
    return times.filter((time) => Date.parse(time) > since).length;
}

/** The highest utilisation over the enterprise's lines, in basis points (0 without lines). */
export function maxUtilisationBps(facts: CreditFacts): number {
    return facts.lineUtilisation.reduce((max, line) => Math.max(max, line.usedBps), 0);
}

/** The attestation when it has not expired at `asOf`. */
export function validAttestation(facts: CreditFacts): AttestationFact | undefined {
    const attestation = facts.attestation;
    return attestation && Date.parse(attestation.expiresAt) > Date.parse(facts.asOf) ? attestation : undefined;
}

function counted(count: number, rule: { perItem: number; cap: number }): number {
    const points = count * rule.perItem;
    return rule.perItem > 0 ? Math.min(points, rule.cap) : Math.max(points, rule.cap);
}

/** Computes the score of a set of facts. Pure and deterministic. */
export function computeScore(facts: CreditFacts): ScoreResult {
    const reasons: ScoreReason[] = [];
    const add = (code: ReasonCode, points: number): void => {
        if (points !== 0) {
            reasons.push({ code, points });
        }
    };
    const utilisation = maxUtilisationBps(facts);

    add('ON_TIME_REDEMPTIONS', counted(facts.notesRedeemedOnTime, SCORING_RULES.ON_TIME_REDEMPTIONS));
    const clean =
        facts.notesRedeemedOnTime >= SCORING_RULES.CLEAN_RECORD.minOnTimeRedemptions &&
        facts.notesRedeemedLate === 0 &&
        facts.overdueNotes.length === 0 &&
        facts.pledgesEnforced === 0;
    add('CLEAN_RECORD', clean ? SCORING_RULES.CLEAN_RECORD.points : 0);
    add('LATE_REDEMPTIONS', counted(facts.notesRedeemedLate, SCORING_RULES.LATE_REDEMPTIONS));
    add('NOTES_OVERDUE', counted(facts.overdueNotes.length, SCORING_RULES.NOTES_OVERDUE));
    add('PLEDGES_ENFORCED', counted(facts.pledgesEnforced, SCORING_RULES.PLEDGES_ENFORCED));
    if (utilisation >= UTILISATION_CRITICAL_BPS) {
        add('LINE_UTILISATION_CRITICAL', SCORING_RULES.LINE_UTILISATION_CRITICAL.points);
    } else if (utilisation >= UTILISATION_HIGH_BPS) {
        add('LINE_UTILISATION_HIGH', SCORING_RULES.LINE_UTILISATION_HIGH.points);
    }

    const raw = reasons.reduce((sum, reason) => sum + reason.points, BASE_SCORE);
    let behaviour = raw;
    if (raw < SCORE_MIN) {
        add('SCORE_FLOOR', SCORE_MIN - raw);
        behaviour = SCORE_MIN;
    } else if (raw > SCORE_MAX) {
        add('SCORE_CEILING', SCORE_MAX - raw);
        behaviour = SCORE_MAX;
    }

    const attestation = validAttestation(facts);
    if (!attestation) {
        return { score: behaviour, reasons };
    }
    const { behaviourWeight, attestationWeight } = SCORING_RULES.ATTESTATION_BLEND;
    // Both inputs lie in 0..1000 and the weights sum to 10, so the blend does too; +5 rounds half up.
    const blended = Math.floor((behaviourWeight * behaviour + attestationWeight * attestation.score + 5) / 10);
    reasons.push({ code: 'ATTESTATION_BLEND', points: blended - behaviour });
    return { score: blended, reasons };
}
