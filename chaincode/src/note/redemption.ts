import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { lineUtilisationBps, restoreCreditLine } from '../credit-line/credit-line';
import { recordCreditEvents } from '../profile/credit-profile';
import { Actor, readEnterprise } from '../enterprise/enterprise';
import { deleteIndex, writeRecord } from '../ledger/state';
import { txDate, txTime } from '../ledger/tx';
import { settleReceivablesOfNote } from '../receivable/receivable';
import type { Reader } from './access';
import { closedRequest, mustReadDiscountRequest, writeClosedRequest } from './discount';
import { graceDeadline, pastGrace } from './grace';
import { NOTE_BY_HOLDER, Note, isEscrowed, isOutstanding, isRoot, maturityInstant, mustReadNote, mustReadRoot, putNote, readNotesOfRoot } from './note';
import { chainOf, mayReadNote } from './provenance';
import { NoteOffer, mustReadOffer, offerKey } from './transfer';

/**
 * Redemption: at or after maturity the issuer pays every unspent leaf of a root. Anything still
 * pending on the leaves (a transfer offer, a discount request) is closed, the credit line gets the
 * face value back, the parts of the backing receivables the root draws on are settled, and the
 * root counts as redeemed (on time or late) for the issuer's profile.
 *
 * A frozen enterprise can receive nothing (DESIGN 5.1): its leaves become ESCROWED instead of
 * REDEEMED. The issuer pays their amount into escrow, which discharges its obligation exactly like
 * a payment; the leaves stay in the holder's holdings, unmovable. Once the holder is active again
 * the issuer calls RedeemNote on the same root again, which pays the escrowed leaves of every
 * now-active holder out (ESCROWED → REDEEMED) and changes nothing else.
 *
 * A frozen issuer may still redeem (RedeemNote asks requireMember, not requireActor): the one thing
 * a frozen enterprise may move. Redemption only discharges what the issuer owes to the holders and
 * gives it nothing; refusing it would leave the holders unpaid for as long as the freeze lasts, while
 * the root could still be marked overdue. Payments to frozen holders go into escrow as ever.
 *
 * The root's grace deadline (grace.ts) is 00:00 UTC of the day after its maturity date plus its grace
 * days: redeemed before it, the root is on time; from it on, anyone may mark an unredeemed root
 * overdue, and only a caller that may read the root gets it back (and the reasons of a refusal).
 */

/** Who is paid (or held in escrow for) how much: one entry per holder, in holder order. */
export interface Payee {
    holderId: string;
    amount: string;
    noteIds: string[];
    /** The holder is frozen: its amount went into escrow, not to it (always false in `payees`). */
    holderFrozen: boolean;
}

/** The result of a redemption, or of paying out escrowed leaves of a root redeemed earlier. */
export interface Redemption {
    root: Note;
    /** The holders this call pays. */
    payees: Payee[];
    /** The frozen holders whose leaves are in escrow after this call: the issuer pays their amounts into escrow. */
    escrows: Payee[];
    /** The leaves this call made REDEEMED. */
    redeemedNoteIds: string[];
    /** The leaves in escrow after this call (ESCROWED). */
    escrowedNoteIds: string[];
    closedOfferIds: string[];
    closedRequestIds: string[];
    /** Whether the root was redeemed before its grace deadline (grace.ts; for an escrow release: when it was redeemed). */
    onTime: boolean;
    /** True when this call only paid out escrowed leaves of a root redeemed earlier. */
    escrowRelease: boolean;
}

/**
 * A discount request a redemption closed, as the RedeemNote event names it: its holder, every
 * financier it invited and the quotes it withdrew, each with its financier, so that each invited
 * financier learns the request is over and can be shown only its own part of it.
 */
export interface ClosedRequestNotice {
    requestId: string;
    holderId: string;
    financierIds: string[];
    withdrawnQuotes: Array<{ quoteId: string; financierId: string }>;
}

/**
 * A transfer offer a redemption closed, as the RedeemNote event names it: its sender (a holder paid)
 * and its recipient, who learns that the note it was offered is gone.
 */
export interface ClosedOfferNotice {
    offerId: string;
    fromId: string;
    toId: string;
}

/** What redeemNote did: the Redemption the issuer gets back, and the offers and requests it closed for the event. */
export interface RedeemOutcome {
    redemption: Redemption;
    closedOffers: ClosedOfferNotice[];
    closedRequests: ClosedRequestNotice[];
}

/** Groups leaves by holder, in holder order. */
function byHolder(leaves: readonly Note[], holderFrozen: boolean): Payee[] {
    const groups = new Map<string, { amount: bigint; noteIds: string[] }>();
    for (const leaf of leaves) {
        const group = groups.get(leaf.holderId) ?? { amount: 0n, noteIds: [] };
        group.amount += BigInt(leaf.amount);
        group.noteIds.push(leaf.id);
        groups.set(leaf.holderId, group);
    }
    return [...groups.keys()].sort().map((holderId) => {
        const group = groups.get(holderId) as { amount: bigint; noteIds: string[] };
        return { holderId, amount: group.amount.toString(), noteIds: group.noteIds, holderFrozen };
    });
}

/** The ids of the frozen enterprises among the holders of `leaves`. */
async function frozenHolders(ctx: Context, leaves: readonly Note[]): Promise<Set<string>> {
    const frozen = new Set<string>();
    for (const holderId of [...new Set(leaves.map((leaf) => leaf.holderId))].sort()) {
        if ((await readEnterprise(ctx, holderId))?.status === 'FROZEN') {
            frozen.add(holderId);
        }
    }
    return frozen;
}

/**
 * Redeems a root (its issuer, frozen or not) at or after maturity, on time before its grace
 * deadline; once it is redeemed, pays out its escrowed leaves whose holders are active again.
 * Returns the Redemption and, for the event, the discount requests it closed with their financiers
 * and withdrawn quotes.
 * Throws INVALID_ARGUMENT (not a root), NOT_FOUND, FORBIDDEN (not the issuer), INVALID_STATE
 * (not yet mature; redeemed with nothing escrowed payable: nothing escrowed, or every holder of an
 * escrowed leaf still frozen), INTERNAL (conservation broken: never expected).
 */
export async function redeemNote(ctx: Context, actor: Actor, rootId: string): Promise<RedeemOutcome> {
    const root = await mustReadRoot(ctx, rootId);
    if (root.issuerId !== actor.eid) {
        throw fail.forbidden(`note ${rootId} was issued by ${root.issuerId}`);
    }
    if (root.rootStatus === 'REDEEMED') {
        return { redemption: await releaseEscrow(ctx, root), closedOffers: [], closedRequests: [] };
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

    const onTime = !pastGrace(root, now);
    const frozen = await frozenHolders(ctx, leaves);
    const paid: Note[] = [];
    const escrowed: Note[] = [];
    let redeemedRoot: Note = { ...root, rootStatus: 'REDEEMED', redeemedAt: at, onTime, updatedAt: at };
    for (const leaf of leaves) {
        const inEscrow = frozen.has(leaf.holderId);
        const settled: Note = inEscrow ? { ...leaf, status: 'ESCROWED', escrowedAt: at, updatedAt: at } : { ...leaf, status: 'REDEEMED', redeemedAt: at, updatedAt: at };
        delete settled.lock;
        if (leaf.id === rootId) {
            // The root was never split or transferred: one record carries both changes.
            redeemedRoot = { ...settled, rootStatus: 'REDEEMED', redeemedAt: at, onTime };
        } else {
            await putNote(ctx, settled);
        }
        if (inEscrow) {
            // Still the holder's: it stays in its holdings until paid out.
            escrowed.push(leaf);
        } else {
            await deleteIndex(ctx, NOTE_BY_HOLDER, [leaf.holderId, leaf.id]);
            paid.push(leaf);
        }
    }
    await putNote(ctx, redeemedRoot);
    for (const offer of closedOffers) {
        await writeRecord(ctx, offerKey(ctx, offer.id), offer);
    }
    for (const closed of closedRequests) {
        await writeClosedRequest(ctx, closed);
    }
    // Paying into escrow discharges the issuer: the line, its record and the receivables count the whole face.
    const line = await restoreCreditLine(ctx, root.creditLineId as string, BigInt(root.faceAmount as string));
    await recordCreditEvents(ctx, [
        { type: 'NOTE_REDEEMED', enterpriseId: root.issuerId, ref: rootId, onTime, amount: BigInt(root.faceAmount as string), currency: root.currency },
        { type: 'CREDIT_LINE_UTILISATION', enterpriseId: root.issuerId, ref: line.id, usedBps: lineUtilisationBps(line) },
    ]);
    await settleReceivablesOfNote(ctx, rootId, root.receivableIds ?? []);

    const redemption: Redemption = {
        root: redeemedRoot,
        payees: byHolder(paid, false),
        escrows: byHolder(escrowed, true),
        redeemedNoteIds: paid.map((leaf) => leaf.id),
        escrowedNoteIds: escrowed.map((leaf) => leaf.id),
        closedOfferIds: closedOffers.map((offer) => offer.id),
        closedRequestIds: closedRequests.map((closed) => closed.request.id),
        onTime,
        escrowRelease: false,
    };
    return {
        redemption,
        closedOffers: closedOffers.map((offer) => ({ offerId: offer.id, fromId: offer.fromId, toId: offer.toId })),
        closedRequests: closedRequests.map((closed) => ({
            requestId: closed.request.id,
            holderId: closed.request.holderId,
            financierIds: closed.request.financierIds,
            withdrawnQuotes: closed.quotes.map((quote) => ({ quoteId: quote.id, financierId: quote.financierId })),
        })),
    };
}

/**
 * Pays out the escrowed leaves of a redeemed root whose holders are active again: they become
 * REDEEMED and leave their holders' holdings. Nothing else changes: the issuer was discharged when
 * it paid into escrow. Throws INVALID_STATE (nothing escrowed, or every holder still frozen).
 */
async function releaseEscrow(ctx: Context, root: Note): Promise<Redemption> {
    const escrowed = (await readNotesOfRoot(ctx, root.id)).filter(isEscrowed);
    if (escrowed.length === 0) {
        throw fail.state(`note ${root.id} is already redeemed and nothing of it is in escrow`);
    }
    const frozen = await frozenHolders(ctx, escrowed);
    const payable = escrowed.filter((leaf) => !frozen.has(leaf.holderId));
    const kept = escrowed.filter((leaf) => frozen.has(leaf.holderId));
    if (payable.length === 0) {
        throw fail.state(`the escrowed notes of ${root.id} are held by enterprises still frozen: ${[...frozen].join(', ')}`);
    }
    const at = txTime(ctx);
    let current = root;
    for (const leaf of payable) {
        // The root's redeemedAt records when its redemption ran; a released leaf below it gets its own.
        const released: Note = { ...leaf, status: 'REDEEMED', releasedAt: at, redeemedAt: leaf.id === root.id ? leaf.redeemedAt : at, updatedAt: at };
        await putNote(ctx, released);
        await deleteIndex(ctx, NOTE_BY_HOLDER, [leaf.holderId, leaf.id]);
        if (leaf.id === root.id) {
            current = released;
        }
    }
    return {
        root: current,
        payees: byHolder(payable, false),
        escrows: byHolder(kept, true),
        redeemedNoteIds: payable.map((leaf) => leaf.id),
        escrowedNoteIds: kept.map((leaf) => leaf.id),
        closedOfferIds: [],
        closedRequestIds: [],
        onTime: root.onTime === true,
        escrowRelease: true,
    };
}

/**
 * What MarkOverdue answers a caller that may not read the root (ReadNote would refuse it): that the
 * root it named is now overdue and since when, and nothing of the root itself (holder, amounts,
 * backing, credit line, maturity).
 */
export interface OverdueMark {
    /** The root's id, as the caller named it. */
    id: string;
    overdue: true;
    overdueAt: string;
}

/** What MarkOverdue returns: the root to a caller that may read it (ReadNote), an OverdueMark to anyone else. */
export type OverdueAnswer = Note | OverdueMark;

/** A root just marked overdue, and whether the caller that marked it may read it. */
export interface MarkedOverdue {
    root: Note;
    mayRead: boolean;
}

/** What MarkOverdue returns to the caller that marked the root. */
export function overdueAnswer(marked: MarkedOverdue): OverdueAnswer {
    return marked.mayRead ? marked.root : { id: marked.root.id, overdue: true, overdueAt: marked.root.overdueAt as string };
}

/**
 * Marks an unredeemed root overdue once the transaction time reaches its grace deadline (any
 * authenticated caller; DESIGN 5.4). `reader` is the caller as a reader, undefined when it acts for
 * no registered enterprise. A caller that may not read the root (authorizeNoteRead) learns nothing
 * of it from a refusal: not its root when it names a fragment, not whether it is redeemed, already
 * overdue or when its grace ends, only that it "cannot be marked overdue now". (A holder of part of
 * the root reads the root's grace deadline in the provenance of its note: the deadline of what it
 * holds is no secret to it.)
 * Throws INVALID_ARGUMENT (malformed id, not a root), NOT_FOUND, INVALID_STATE.
 */
export async function markOverdue(ctx: Context, reader: Reader | undefined, rootId: string): Promise<MarkedOverdue> {
    const note = await mustReadNote(ctx, rootId);
    if (!isRoot(note)) {
        const named = reader !== undefined && (await mayReadNote(ctx, reader, note, await chainOf(ctx, note)));
        throw fail.invalid(named ? `note ${rootId} is not a root note; its root is ${note.rootId}` : `note ${rootId} is not a root note`);
    }
    const root = note;
    const mayRead = reader !== undefined && (await mayReadNote(ctx, reader, root, [root]));
    const refuse = (detail: string) => fail.state(mayRead ? detail : `note ${rootId} cannot be marked overdue now`);
    if (root.rootStatus === 'REDEEMED') {
        throw refuse(`note ${rootId} is redeemed`);
    }
    if (root.overdue) {
        throw refuse(`note ${rootId} is already marked overdue`);
    }
    if (!pastGrace(root, txDate(ctx))) {
        throw refuse(`note ${rootId} is not overdue before ${graceDeadline(root).toISOString()}`);
    }
    const at = txTime(ctx);
    const marked: Note = { ...root, overdue: true, overdueAt: at, updatedAt: at };
    await putNote(ctx, marked);
    await recordCreditEvents(ctx, [{ type: 'NOTE_OVERDUE', enterpriseId: root.issuerId, ref: rootId, amount: BigInt(root.faceAmount as string), currency: root.currency }]);
    return { root: marked, mayRead };
}
