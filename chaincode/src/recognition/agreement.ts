import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { Input } from '../ledger/input';
import { compositeKey, mustRead } from '../ledger/state';
import { MAX_SCORE } from './passport';

/**
 * Mutual-recognition agreements. The platform proposes; the foreign partner accepts with an identity
 * of its own organisation. An agreement maps the domestic 0..1000 score onto the partner's grades
 * and is in force while ACTIVE and validFrom <= now < validUntil.
 *
 *   PROPOSED ──accept (partner)──▶ ACTIVE ──terminate (partner)──▶ TERMINATED
 *      └──────withdraw (platform)──▶ WITHDRAWN
 */

export type AgreementStatus = 'PROPOSED' | 'ACTIVE' | 'TERMINATED' | 'WITHDRAWN';

/** One band of a grade scale: scores from `minScore` up to the next higher band's minScore − 1 (or 1000). */
export interface GradeBand {
    minScore: number;
    grade: string;
}

export interface Agreement {
    docType: 'agreement';
    id: string;
    /** The FOREIGN_PARTNER enterprise (LEI). */
    partnerId: string;
    /** The organisation whose identities alone may accept, terminate and recognise. */
    partnerMspId: string;
    /** Bands sorted by minScore, highest first; the last band starts at 0. */
    gradeScale: GradeBand[];
    validFrom: string;
    validUntil: string;
    status: AgreementStatus;
    proposedAt: string;
    proposedBy: string;
    acceptedAt?: string;
    acceptedBy?: string;
    terminatedAt?: string;
    terminatedBy?: string;
    terminationReason?: string;
    withdrawnAt?: string;
    withdrawnBy?: string;
    withdrawalReason?: string;
    /**
     * When the agreement's recognition anchor was opened (on acceptance; for an agreement accepted
     * before anchors existed, at its first recognition). See recognition-anchor.ts.
     */
    anchoredAt?: string;
    updatedAt: string;
    /** The proposing transaction. */
    txId: string;
}

export const AGREEMENT = 'agreement';
/** Index `agreement-by-partner ~ partnerId ~ agreementId`. */
export const AGREEMENT_BY_PARTNER = 'agreement-by-partner';
/** Most bands a scale may have. */
export const MAX_GRADE_BANDS = 50;

/** The world-state key of an agreement. */
export function agreementKey(ctx: Context, id: string): string {
    return compositeKey(ctx, AGREEMENT, [id]);
}

/** Reads an agreement that must exist. Throws NOT_FOUND. */
export function mustReadAgreement(ctx: Context, id: string): Promise<Agreement> {
    return mustRead<Agreement>(ctx, agreementKey(ctx, id), `agreement ${id}`);
}

function bandItem(value: unknown, path: string): GradeBand {
    const band = Input.of(value, path);
    const minScore = band.integer('minScore', { min: 0, max: MAX_SCORE });
    const grade = band.string('grade', { max: 32 });
    band.done();
    return { minScore, grade };
}

/**
 * Checks that a scale maps every score 0..1000 to exactly one grade and returns it highest band
 * first. Bands are given sorted by minScore, ascending or descending; two bands starting at the same
 * score overlap, a lowest band above 0 leaves a gap, and a grade label may appear once.
 * Throws INVALID_ARGUMENT.
 */
export function validateGradeScale(bands: readonly GradeBand[], path = 'request.gradeScale'): GradeBand[] {
    if (bands.length === 0 || bands.length > MAX_GRADE_BANDS) {
        throw fail.invalid(`${path} must have 1 to ${MAX_GRADE_BANDS} bands`);
    }
    for (let i = 1; i < bands.length; i++) {
        if (bands[i].minScore === bands[i - 1].minScore) {
            throw fail.invalid(`${path}: two bands start at ${bands[i].minScore}, so their scores would map to two grades`);
        }
    }
    const ascending = bands.every((band, i) => i === 0 || band.minScore > bands[i - 1].minScore);
    const descending = bands.every((band, i) => i === 0 || band.minScore < bands[i - 1].minScore);
    if (!ascending && !descending) {
        throw fail.invalid(`${path} must be sorted by minScore, ascending or descending`);
    }
    const sorted = (ascending ? [...bands].reverse() : [...bands]).map((band) => ({ minScore: band.minScore, grade: band.grade }));
    const lowest = sorted[sorted.length - 1].minScore;
    if (lowest !== 0) {
        throw fail.invalid(`${path} leaves scores 0..${lowest - 1} without a grade; the lowest band must start at 0`);
    }
    const labels = new Set<string>();
    for (const band of sorted) {
        if (labels.has(band.grade)) {
            throw fail.invalid(`${path}: grade ${band.grade} appears in two bands`);
        }
        labels.add(band.grade);
    }
    return sorted;
}

/** The partner grade of a domestic score under a validated scale (highest band first). */
export function mapGrade(scale: readonly GradeBand[], score: number): string {
    if (!Number.isInteger(score) || score < 0 || score > MAX_SCORE) {
        throw fail.invalid(`score must be an integer between 0 and ${MAX_SCORE}`);
    }
    const band = scale.find((b) => b.minScore <= score);
    if (!band) {
        throw fail.invalid('the grade scale does not cover the score');
    }
    return band.grade;
}

/** The validated content of a ProposeAgreement request. */
export interface AgreementRequest {
    partnerId: string;
    partnerMspId: string;
    gradeScale: GradeBand[];
    validFrom: Date;
    validUntil: Date;
}

/** Reads `{partnerId, partnerMspId, gradeScale, validFrom, validUntil}`. Throws INVALID_ARGUMENT. */
export function parseAgreementRequest(input: Input, now: Date): AgreementRequest {
    const partnerId = input.string('partnerId', { max: 20 });
    const partnerMspId = input.string('partnerMspId', { max: 64, pattern: /^[A-Za-z0-9]+MSP$/ });
    const gradeScale = validateGradeScale(input.array('gradeScale', bandItem, { min: 1, max: MAX_GRADE_BANDS }));
    const validFrom = input.date('validFrom');
    const validUntil = input.date('validUntil');
    input.done();
    if (validUntil.getTime() <= validFrom.getTime()) {
        throw fail.invalid('request.validUntil must be later than request.validFrom');
    }
    if (validUntil.getTime() <= now.getTime()) {
        throw fail.invalid('request.validUntil is already past');
    }
    return { partnerId, partnerMspId, gradeScale, validFrom, validUntil };
}

/** Builds a PROPOSED agreement. */
export function newAgreement(id: string, request: AgreementRequest, proposedBy: string, now: string, txId: string): Agreement {
    return {
        docType: 'agreement',
        id,
        partnerId: request.partnerId,
        partnerMspId: request.partnerMspId,
        gradeScale: request.gradeScale,
        validFrom: request.validFrom.toISOString(),
        validUntil: request.validUntil.toISOString(),
        status: 'PROPOSED',
        proposedAt: now,
        proposedBy,
        updatedAt: now,
        txId,
    };
}
