import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { compositeKey, mustRead, scanIndex, writeRecord } from '../ledger/state';
import type { Agreement } from './agreement';
import { RECOGNITION_BY_AGREEMENT } from './recognition';

/**
 * The partner's own peer must endorse what the partner recognises. Fabric enforces a key-level
 * (state-based) endorsement policy only on keys that already have one, so each agreement gets an
 * anchor record when the partner accepts it, with a policy requiring a peer of the partner's
 * organisation, and every recognition under the agreement writes the anchor, and so cannot commit
 * without that peer's endorsement. (The Fabric gateway reads the policy during the first
 * endorsement and asks the partner's peer itself.)
 *
 * A recognition writes the anchor without reading it (a blind write: it knows every field from the
 * agreement), so its read set does not hold the anchor and recognitions under one agreement at the
 * same moment do not conflict; the last one committed names itself as the latest. The number of
 * recognitions is counted from the agreement's recognition index when the anchor is read.
 */

/** `recognition-anchor ~ agreementId`. */
export const RECOGNITION_ANCHOR = 'recognition-anchor';

export interface RecognitionAnchor {
    docType: 'recognitionAnchor';
    agreementId: string;
    /** The organisation whose peer must endorse every recognition under the agreement. */
    partnerMspId: string;
    /** The recognition committed last (of those committed together, the last in the block). */
    lastRecognitionId?: string;
    createdAt: string;
    updatedAt: string;
}

export function recognitionAnchorKey(ctx: Context, agreementId: string): string {
    return compositeKey(ctx, RECOGNITION_ANCHOR, [agreementId]);
}

/** The serialised policy "one peer of `mspId` endorses". */
export function partnerPeerPolicy(mspId: string): Uint8Array {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', mspId);
    return policy.getPolicy();
}

/**
 * Writes `agreement`'s anchor without reading it, naming `recognitionId` when given. An agreement
 * not anchored yet (being accepted, or accepted before anchors existed) also gets the anchor's
 * policy and is returned marked anchored, for the caller to store; otherwise this returns undefined.
 * Of an agreement anchored at its first recognition, the partner's peer is required from the next.
 */
export async function writeRecognitionAnchor(ctx: Context, agreement: Agreement, at: string, recognitionId?: string): Promise<Agreement | undefined> {
    const key = recognitionAnchorKey(ctx, agreement.id);
    const anchor: RecognitionAnchor = {
        docType: 'recognitionAnchor',
        agreementId: agreement.id,
        partnerMspId: agreement.partnerMspId,
        ...(recognitionId ? { lastRecognitionId: recognitionId } : {}),
        createdAt: agreement.anchoredAt ?? at,
        updatedAt: at,
    };
    await writeRecord(ctx, key, anchor);
    if (agreement.anchoredAt) {
        return undefined;
    }
    await ctx.stub.setStateValidationParameter(key, partnerPeerPolicy(agreement.partnerMspId));
    return { ...agreement, anchoredAt: at };
}

/** An anchor with its number of recognitions and the organisations its key-level policy requires. */
export interface RecognitionAnchorView extends RecognitionAnchor {
    recognitions: number;
    endorsers: string[];
}

/** Reads an agreement's anchor, counts its recognitions and reads its committed policy. Throws NOT_FOUND. */
export async function readRecognitionAnchor(ctx: Context, agreementId: string): Promise<RecognitionAnchorView> {
    const key = recognitionAnchorKey(ctx, agreementId);
    const anchor = await mustRead<RecognitionAnchor>(ctx, key, `the recognition anchor of agreement ${agreementId}`);
    const recognitions = (await scanIndex(ctx, RECOGNITION_BY_AGREEMENT, [agreementId])).length;
    const policy = await ctx.stub.getStateValidationParameter(key);
    // Field by field: an anchor written before the count came from the index also stored a count.
    return {
        docType: anchor.docType,
        agreementId: anchor.agreementId,
        partnerMspId: anchor.partnerMspId,
        ...(anchor.lastRecognitionId ? { lastRecognitionId: anchor.lastRecognitionId } : {}),
        createdAt: anchor.createdAt,
        updatedAt: anchor.updatedAt,
        recognitions,
        endorsers: policy && policy.length > 0 ? new KeyEndorsementPolicy(policy).listOrgs().sort() : [],
    };
}
