import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { Actor, requireActiveEnterprise } from '../enterprise/enterprise';
import { linkRecord } from '../ledger/audit-index';
import { Caller } from '../ledger/caller';
import { Input, parseAmountValue, requireId } from '../ledger/input';
import { compositeKey, mustRead, putIndex, readRecord, scanIndex, writeRecord } from '../ledger/state';
import { offerExpired } from '../ledger/expiry';
import { deriveId, txDate, txId, txTime } from '../ledger/tx';
import {
    ChildSpec,
    MAX_SPLIT_CHILDREN,
    Note,
    NoteLock,
    lockedNote,
    maturityInstant,
    mustReadNote,
    putNote,
    requireActiveNote,
    requireHolder,
    requireLockedBy,
    requireNotDue,
    spendNote,
    unlockedNote,
} from './note';

/**
 * Moving notes between suppliers: split (same holder, N children) and transfer by offer and
 * acceptance (the recipient consents; the amount goes to it one tier down, the change stays with
 * the sender at its tier). While an offer is pending the note is LOCKED, so it cannot be offered,
 * split or discounted twice.
 */

// ---------------------------------------------------------------- split

/** Parses a SplitNote request {amounts: ["…", …]} (2..50 positive amounts). Throws INVALID_ARGUMENT. */
export function parseSplitRequest(input: Input): bigint[] {
    const amounts = input.array('amounts', (value, path) => parseAmountValue(value, path), { min: 2, max: MAX_SPLIT_CHILDREN });
    input.done();
    return amounts;
}

/** The result of a split. */
export interface SplitResult {
    parent: Note;
    children: Note[];
}

/**
 * Splits a note the actor holds into children of `amounts` (same holder, same tier).
 * Throws NOT_FOUND, FORBIDDEN, INVALID_STATE (not ACTIVE, or due), INVALID_ARGUMENT (not summing).
 */
export async function splitNote(ctx: Context, actor: Actor, noteId: string, amounts: bigint[]): Promise<SplitResult> {
    const note = await mustReadNote(ctx, noteId);
    requireHolder(note, actor.eid);
    requireActiveNote(note);
    requireNotDue(ctx, note);
    const total = amounts.reduce((sum, amount) => sum + amount, 0n);
    if (total !== BigInt(note.amount)) {
        throw fail.invalid(`the amounts sum to ${total}, not to the note's ${note.amount}`);
    }
    const specs: ChildSpec[] = amounts.map((amount) => ({ holderId: note.holderId, amount, tier: note.tier, origin: 'SPLIT' }));
    const { spent, children } = await spendNote(ctx, note, specs, 'SPLIT');
    return { parent: spent, children };
}

// ---------------------------------------------------------------- offers

export type OfferStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'CANCELLED' | 'CLOSED';

/** A transfer offer: `amount` of note `noteId` from its holder to another supplier. */
export interface NoteOffer {
    docType: 'noteOffer';
    id: string;
    noteId: string;
    rootId: string;
    fromId: string;
    toId: string;
    amount: string;
    currency: string;
    expiresAt: string;
    status: OfferStatus;
    /** Set when ACCEPTED: the recipient's new note and the sender's change, if any. */
    receivedNoteId?: string;
    changeNoteId?: string;
    /** Why a pending offer was closed without a decision (the note was redeemed). */
    closedReason?: string;
    resolvedAt?: string;
    createdAt: string;
    txId: string;
    updatedAt: string;
}

/** Index `noteOffer~party ~ enterpriseId ~ incoming|outgoing ~ offerId`. */
export const OFFER_BY_PARTY = 'noteOffer~party';

export const OFFER_DIRECTIONS = ['incoming', 'outgoing'] as const;
export type OfferDirection = (typeof OFFER_DIRECTIONS)[number];

/** The world-state key of an offer. */
export function offerKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'noteOffer', [id]);
}

/** Reads an offer that must exist. Throws INVALID_ARGUMENT or NOT_FOUND. */
export async function mustReadOffer(ctx: Context, id: string): Promise<NoteOffer> {
    requireId(id, 'offerId');
    return mustRead<NoteOffer>(ctx, offerKey(ctx, id), `offer ${id}`);
}

/** The validated fields of an OfferTransfer request. */
export interface OfferRequest {
    noteId: string;
    toId: string;
    amount: bigint;
    expiresAt: Date;
}

/** Parses an OfferTransfer request {noteId, toId, amount, expiresAt}. Throws INVALID_ARGUMENT. */
export function parseOfferRequest(input: Input): OfferRequest {
    const noteId = requireId(input.string('noteId', { max: 128 }), 'request.noteId');
    const toId = requireId(input.string('toId', { max: 20 }).toUpperCase(), 'request.toId');
    const amount = input.amount('amount');
    const expiresAt = input.date('expiresAt');
    input.done();
    return { noteId, toId, amount, expiresAt };
}

/**
 * Offers part or all of a note the actor holds to another active supplier; locks the note.
 * Throws NOT_FOUND, FORBIDDEN, INVALID_STATE, INVALID_ARGUMENT (self, amount above the note,
 * expiry not in (now, maturity]), ENTERPRISE_FROZEN (recipient).
 */
export async function offerTransfer(ctx: Context, actor: Actor, request: OfferRequest): Promise<{ offer: NoteOffer; note: Note }> {
    const note = await mustReadNote(ctx, request.noteId);
    requireHolder(note, actor.eid);
    requireActiveNote(note);
    requireNotDue(ctx, note);
    if (request.toId === actor.eid) {
        throw fail.invalid('a note cannot be offered to its own holder');
    }
    if (request.amount > BigInt(note.amount)) {
        throw fail.invalid(`the offer of ${request.amount} exceeds the note's ${note.amount}`);
    }
    const now = txDate(ctx);
    if (request.expiresAt.getTime() <= now.getTime()) {
        throw fail.invalid('request.expiresAt must be after the transaction time');
    }
    if (request.expiresAt.getTime() > maturityInstant(note).getTime()) {
        throw fail.invalid(`request.expiresAt must not be after the note's maturity ${note.maturityDate}`);
    }
    await requireActiveEnterprise(ctx, request.toId, ['SUPPLIER']);
    const at = txTime(ctx);
    const offer: NoteOffer = {
        docType: 'noteOffer',
        id: deriveId(ctx, 'OF'),
        noteId: note.id,
        rootId: note.rootId,
        fromId: note.holderId,
        toId: request.toId,
        amount: request.amount.toString(),
        currency: note.currency,
        expiresAt: request.expiresAt.toISOString(),
        status: 'PENDING',
        createdAt: at,
        txId: txId(ctx),
        updatedAt: at,
    };
    const locked = lockedNote(ctx, note, { kind: 'OFFER', id: offer.id });
    await putNote(ctx, locked);
    await writeRecord(ctx, offerKey(ctx, offer.id), offer);
    await putIndex(ctx, OFFER_BY_PARTY, [offer.fromId, 'outgoing', offer.id]);
    await putIndex(ctx, OFFER_BY_PARTY, [offer.toId, 'incoming', offer.id]);
    await linkRecord(ctx, [offer.fromId, offer.toId], { type: 'noteOffer', id: offer.id });
    return { offer, note: locked };
}

/**
 * Whether `offer` is PENDING, addressed to `enterpriseId` and not yet past its expiry at `now`:
 * while it is, the recipient may read the offered note and its provenance.
 */
export function isOpenOfferTo(offer: NoteOffer, enterpriseId: string, now: Date): boolean {
    return offer.status === 'PENDING' && offer.toId === enterpriseId && !offerExpired(offer, now);
}

/** The party an action on a pending offer needs: the recipient (accept, decline), the sender (cancel), either (expire). */
export type OfferParty = 'recipient' | 'sender' | 'either';

/**
 * Requires the caller to be the party of `offer` the action needs. Checked before anything about
 * the offer's state is told, and the refusal names neither party: an enterprise with no part in an
 * offer learns nothing of it (ReadOffer refuses it too). Throws FORBIDDEN.
 */
function requireOfferParty(offer: NoteOffer, eid: string, party: OfferParty, action: string): void {
    const allowed = party === 'recipient' ? eid === offer.toId : party === 'sender' ? eid === offer.fromId : eid === offer.toId || eid === offer.fromId;
    if (!allowed) {
        const who = party === 'recipient' ? 'the recipient' : party === 'sender' ? 'the sender' : 'the sender or the recipient';
        throw fail.forbidden(`only ${who} of offer ${offer.id} may ${action} it`);
    }
}

/**
 * A pending offer with the note it locks, for `eid` acting as `party`: the party first (FORBIDDEN),
 * then the status (INVALID_STATE). Throws INVALID_ARGUMENT, NOT_FOUND, FORBIDDEN, INVALID_STATE.
 */
async function pendingOffer(ctx: Context, offerId: string, eid: string, party: OfferParty, action: string): Promise<{ offer: NoteOffer; note: Note; lock: NoteLock }> {
    const offer = await mustReadOffer(ctx, offerId);
    requireOfferParty(offer, eid, party, action);
    if (offer.status !== 'PENDING') {
        throw fail.state(`offer ${offerId} is ${offer.status.toLowerCase()}`);
    }
    const note = await mustReadNote(ctx, offer.noteId);
    const lock: NoteLock = { kind: 'OFFER', id: offer.id };
    requireLockedBy(note, lock);
    return { offer, note, lock };
}

/** The result of accepting an offer. */
export interface AcceptResult {
    offer: NoteOffer;
    spent: Note;
    received: Note;
    change?: Note;
}

/**
 * Accepts a pending offer addressed to the actor: spends the note into the recipient's child
 * (tier + 1) and the sender's change (same tier), when any.
 * Throws NOT_FOUND, FORBIDDEN (not the recipient, whatever the offer's state), INVALID_STATE (not
 * pending, note due), EXPIRED, ENTERPRISE_FROZEN (sender).
 */
export async function acceptOffer(ctx: Context, actor: Actor, offerId: string): Promise<AcceptResult> {
    const { offer, note } = await pendingOffer(ctx, offerId, actor.eid, 'recipient', 'accept');
    if (offerExpired(offer, txDate(ctx))) {
        throw new ChaincodeError('EXPIRED', `offer ${offerId} expired at ${offer.expiresAt}`);
    }
    requireNotDue(ctx, note);
    await requireActiveEnterprise(ctx, offer.fromId);
    const amount = BigInt(offer.amount);
    const rest = BigInt(note.amount) - amount;
    const specs: ChildSpec[] = [{ holderId: offer.toId, amount, tier: note.tier + 1, origin: 'TRANSFER' }];
    if (rest > 0n) {
        specs.push({ holderId: offer.fromId, amount: rest, tier: note.tier, origin: 'CHANGE' });
    }
    const { spent, children } = await spendNote(ctx, note, specs, 'TRANSFER');
    const [received, change] = children;
    const at = txTime(ctx);
    const accepted: NoteOffer = { ...offer, status: 'ACCEPTED', receivedNoteId: received.id, resolvedAt: at, updatedAt: at };
    if (change) {
        accepted.changeNoteId = change.id;
    }
    await writeRecord(ctx, offerKey(ctx, offer.id), accepted);
    return { offer: accepted, spent, received, change };
}

/** How a pending offer ends without a transfer. */
export type OfferRelease = 'DECLINED' | 'CANCELLED' | 'EXPIRED';

/** Who may end a pending offer each way, and the verb for a refusal. */
const RELEASE_PARTY: Readonly<Record<OfferRelease, { party: OfferParty; action: string }>> = {
    DECLINED: { party: 'recipient', action: 'decline' },
    CANCELLED: { party: 'sender', action: 'cancel' },
    EXPIRED: { party: 'either', action: 'expire' },
};

/**
 * Ends a pending offer without a transfer and returns the note to the sender as ACTIVE:
 * DECLINED by the recipient, CANCELLED by the sender, EXPIRED by either of them once expiresAt has
 * passed. The caller must be that party before it learns anything of the offer's state.
 * Throws NOT_FOUND, FORBIDDEN (not that party, whatever the offer's state), INVALID_STATE (not
 * pending, or not yet expired).
 */
export async function releaseOffer(ctx: Context, caller: Caller, offerId: string, outcome: OfferRelease): Promise<{ offer: NoteOffer; note: Note }> {
    const { party, action } = RELEASE_PARTY[outcome];
    const { offer, note } = await pendingOffer(ctx, offerId, caller.eid, party, action);
    if (outcome === 'EXPIRED' && !offerExpired(offer, txDate(ctx))) {
        throw fail.state(`offer ${offerId} is valid until ${offer.expiresAt}`);
    }
    const at = txTime(ctx);
    const released: NoteOffer = { ...offer, status: outcome, resolvedAt: at, updatedAt: at };
    const unlocked = unlockedNote(ctx, note);
    await writeRecord(ctx, offerKey(ctx, offer.id), released);
    await putNote(ctx, unlocked);
    return { offer: released, note: unlocked };
}

/** Reads an offer, or undefined. */
export async function readOffer(ctx: Context, id: string): Promise<NoteOffer | undefined> {
    return readRecord<NoteOffer>(ctx, offerKey(ctx, id));
}

/** The offers of an enterprise in one direction, in id order. */
export async function listOffers(ctx: Context, enterpriseId: string, direction: OfferDirection): Promise<NoteOffer[]> {
    const offers: NoteOffer[] = [];
    for (const [, , id] of await scanIndex(ctx, OFFER_BY_PARTY, [enterpriseId, direction])) {
        offers.push(await mustReadOffer(ctx, id));
    }
    return offers;
}
