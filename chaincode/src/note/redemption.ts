import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { lineUtilisationBps, restoreCreditLine } from '../credit-line/credit-line';
import { recordCreditEvents } from '../profile/credit-profile';
import { Actor, readEnterprise } from '../enterprise/enterprise';
import { deleteIndex, writeRecord } from '../ledger/state';
import { txDate, txTime } from '../ledger/tx';
import { settleReceivablesOfNote } from '../receivable/receivable';
import { closedRequest, mustReadDiscountRequest, writeClosedRequest } from './discount';
import { NOTE_BY_HOLDER, Note, isOutstanding, maturityInstant, mustReadRoot, putNote, readNotesOfRoot } from './note';
import { NoteOffer, mustReadOffer, offerKey } from './transfer';

/**
 * Redemption: at or after maturity the issuer pays every unspent leaf of a root. The leaves become
 * REDEEMED, anything still pending on them (a transfer offer, a discount request) is closed, the
 * credit line gets the face value back and the backing receivables are settled. Past maturity plus
 * the root's grace period, anyone may mark an unredeemed root overdue.
 */

const MS_PER_DAY = 86_400_000;

/** The last instant a root counts as redeemed on time: maturity plus its grace days. */
export function graceDeadline(root: Note): Date {
    return new Date(maturityInstant(root).getTime() + (root.graceDays ?? 0) * MS_PER_DAY);
}

/** Who is paid how much: one entry per holder, in holder order. */
export interface Payee {
    holderId: string;
    amount: string;
    noteIds: string[];
    /** The holder is frozen: the paying agent must escrow its payment until the regulator decides. */
    holderFrozen: boolean;
}

/** The result of a redemption. */
export interface Redemption {
    root: Note;
    payees: Payee[];
    redeemedNoteIds: string[];
    closedOfferIds: string[];
    closedRequestIds: string[];
    onTime: boolean;
}

/**
 * Redeems a root (its issuer) at or after maturity.
 * Throws INVALID_ARGUMENT (not a root), NOT_FOUND, FORBIDDEN (not the issuer), INVALID_STATE
 * (already redeemed, not yet mature), INTERNAL (conservation broken: never expected).
 */
export async function redeemNote(ctx: Context, actor: Actor, rootId: string): Promise<Redemption> {
    const root = await mustReadRoot(ctx, rootId);
    if (root.issuerId !== actor.eid) {
        throw fail.forbidden(`note ${rootId} was issued by ${root.issuerId}`);
    }
    if (root.rootStatus === 'REDEEMED') {
        throw fail.state(`note ${rootId} is already redeemed`);
    }
    const now = txDate(ctx);
    if (now.getTime() < maturityInstant(root).getTime()) {
        throw fail.state(`note ${rootId} matures on ${root.maturityDate}`);
    }
    const at = txTime(ctx);
    const leaves = (await readNotesOfRoot(ctx, rootId)).filter(isOutstanding);
    const total = leaves.reduce((sum, leaf) => sum + BigInt(leaf.amount), 0n);
    if (total !== BigInt(root.faceAmount ?? '0')) {
        throw new ChaincodeError('INTERNAL', `the leaves of ${rootId} sum to ${total}, not to its face ${root.faceAmount}`);
    }

    // Close what is pending on locked leaves (computed first, each key written once below).
    const closedOffers: NoteOffer[] = [];
    const closedRequests: Awaited<ReturnType<typeof closedRequest>>[] = [];
    for (const leaf of leaves) {
        if (leaf.lock?.kind === 'OFFER') {
            const offer = await mustReadOffer(ctx, leaf.lock.id);
            closedOffers.push({ ...offer, status: 'CLOSED', closedReason: 'the note was redeemed', resolvedAt: at, updatedAt: at });
        } else if (leaf.lock?.kind === 'DISCOUNT') {
            const request = await mustReadDiscountRequest(ctx, leaf.lock.id);
            closedRequests.push(await closedRequest(ctx, request, 'CLOSED', 'the note was redeemed'));
        }
    }

    const onTime = now.getTime() <= graceDeadline(root).getTime();
    const byHolder = new Map<string, { amount: bigint; noteIds: string[] }>();
    let redeemedRoot: Note = { ...root, rootStatus: 'REDEEMED', redeemedAt: at, onTime, updatedAt: at };
    for (const leaf of leaves) {
        const redeemed: Note = { ...leaf, status: 'REDEEMED', redeemedAt: at, updatedAt: at };
        delete redeemed.lock;
        if (leaf.id === rootId) {
            // The root was never split or transferred: one record carries both changes.
            redeemedRoot = { ...redeemed, rootStatus: 'REDEEMED', onTime };
        } else {
            await putNote(ctx, redeemed);
        }
        await deleteIndex(ctx, NOTE_BY_HOLDER, [leaf.holderId, leaf.id]);
        const entry = byHolder.get(leaf.holderId) ?? { amount: 0n, noteIds: [] };
        entry.amount += BigInt(leaf.amount);
        entry.noteIds.push(leaf.id);
        byHolder.set(leaf.holderId, entry);
    }
    await putNote(ctx, redeemedRoot);
    for (const offer of closedOffers) {
        await writeRecord(ctx, offerKey(ctx, offer.id), offer);
    }
    for (const closed of closedRequests) {
        await writeClosedRequest(ctx, closed);
    }
    const line = await restoreCreditLine(ctx, root.creditLineId as string, BigInt(root.faceAmount as string));
    await recordCreditEvents(ctx, [
        { type: 'NOTE_REDEEMED', enterpriseId: root.issuerId, ref: rootId, onTime, amount: BigInt(root.faceAmount as string), currency: root.currency },
        { type: 'CREDIT_LINE_UTILISATION', enterpriseId: root.issuerId, ref: line.id, usedBps: lineUtilisationBps(line) },
    ]);
    await settleReceivablesOfNote(ctx, root.receivableIds ?? []);

    const payees: Payee[] = [];
    for (const holderId of [...byHolder.keys()].sort()) {
        const entry = byHolder.get(holderId) as { amount: bigint; noteIds: string[] };
        const holder = await readEnterprise(ctx, holderId);
        payees.push({ holderId, amount: entry.amount.toString(), noteIds: entry.noteIds, holderFrozen: holder?.status === 'FROZEN' });
    }
    return {
        root: redeemedRoot,
        payees,
        redeemedNoteIds: leaves.map((leaf) => leaf.id),
        closedOfferIds: closedOffers.map((offer) => offer.id),
        closedRequestIds: closedRequests.map((closed) => closed.request.id),
        onTime,
    };
}

/**
 * Marks an unredeemed root overdue once the transaction time is past maturity plus grace
 * (any authenticated caller). Throws INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
 */
export async function markOverdue(ctx: Context, rootId: string): Promise<Note> {
    const root = await mustReadRoot(ctx, rootId);
    if (root.rootStatus === 'REDEEMED') {
        throw fail.state(`note ${rootId} is redeemed`);
    }
    if (root.overdue) {
        throw fail.state(`note ${rootId} is already marked overdue`);
    }
    if (txDate(ctx).getTime() <= graceDeadline(root).getTime()) {
        throw fail.state(`note ${rootId} is not overdue before ${graceDeadline(root).toISOString()}`);
    }
    const at = txTime(ctx);
    const marked: Note = { ...root, overdue: true, overdueAt: at, updatedAt: at };
    await putNote(ctx, marked);
    await recordCreditEvents(ctx, [{ type: 'NOTE_OVERDUE', enterpriseId: root.issuerId, ref: rootId, amount: BigInt(root.faceAmount as string), currency: root.currency }]);
    return marked;
}
