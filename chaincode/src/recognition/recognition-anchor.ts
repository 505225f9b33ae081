import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { compositeKey, mustRead, readRecord, writeRecord } from '../ledger/state';
import type { Agreement } from './agreement';

/**
 * The partner's own peer must endorse what the partner recognises. Fabric enforces a key-level
 * (state-based) endorsement policy only on keys that already have one, so each agreement gets an
 * anchor record when the partner accepts it, with a policy requiring a peer of the partner's
 * organisation; every recognition under the agreement updates the anchor, and so cannot commit
 * without that peer's endorsement. (The Fabric gateway reads the policy during the first
 * endorsement and asks the partner's peer itself.) Recognitions under one agreement therefore
 * write one shared key: concurrent ones conflict and the later is retried.
 */

/** `recognition-anchor ~ agreementId`. */
export const RECOGNITION_ANCHOR = 'recognition-anchor';

export interface RecognitionAnchor {
    docType: 'recognitionAnchor';
    agreementId: string;
    /** The organisation whose peer must endorse every recognition under the agreement. */
    partnerMspId: string;
    recognitions: number;
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

/** Writes a new anchor with no recognitions, and its policy. */
async function createAnchor(ctx: Context, agreement: Agreement, at: string): Promise<RecognitionAnchor> {
    const anchor: RecognitionAnchor = { docType: 'recognitionAnchor', agreementId: agreement.id, partnerMspId: agreement.partnerMspId, recognitions: 0, createdAt: at, updatedAt: at };
    const key = recognitionAnchorKey(ctx, agreement.id);
    await writeRecord(ctx, key, anchor);
    await ctx.stub.setStateValidationParameter(key, partnerPeerPolicy(agreement.partnerMspId));
    return anchor;
}

/** Creates the anchor of an agreement the partner has just accepted. */
export async function openRecognitionAnchor(ctx: Context, agreement: Agreement, at: string): Promise<void> {
    await createAnchor(ctx, agreement, at);
}

/**
 * Counts a recognition on its agreement's anchor. An agreement accepted before anchors existed
 * gets its anchor here; the partner's peer is required from its next recognition on.
 */
export async function countRecognition(ctx: Context, agreement: Agreement, recognitionId: string, at: string): Promise<void> {
    const key = recognitionAnchorKey(ctx, agreement.id);
    const anchor = (await readRecord<RecognitionAnchor>(ctx, key)) ?? (await createAnchor(ctx, agreement, at));
    await writeRecord(ctx, key, { ...anchor, recognitions: anchor.recognitions + 1, lastRecognitionId: recognitionId, updatedAt: at });
}

/** An anchor with the organisations whose peers its key-level endorsement policy requires. */
export interface RecognitionAnchorView extends RecognitionAnchor {
    endorsers: string[];
}

/** Reads an agreement's anchor and its committed endorsement policy. Throws NOT_FOUND. */
export async function readRecognitionAnchor(ctx: Context, agreementId: string): Promise<RecognitionAnchorView> {
    const key = recognitionAnchorKey(ctx, agreementId);
    const anchor = await mustRead<RecognitionAnchor>(ctx, key, `the recognition anchor of agreement ${agreementId}`);
    const policy = await ctx.stub.getStateValidationParameter(key);
    return { ...anchor, endorsers: policy && policy.length > 0 ? new KeyEndorsementPolicy(policy).listOrgs().sort() : [] };
}

