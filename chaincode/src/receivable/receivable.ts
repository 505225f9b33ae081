import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { Input, parseDateValue, requireId, requireOnOrAfterEarliestDate } from '../ledger/input';
import { compositeKey, mustRead, writeRecord } from '../ledger/state';
import { txTime } from '../ledger/tx';
import { isDocumentCid } from './document-cid';

/**
 * Receivables (应收账款): invoice-backed claims of a seller on a buyer.
 *
 * Lifecycle: REGISTERED → CONFIRMED (the buyer's 确权) → NOTED → SETTLED, counted in amounts: a
 * credit note draws from its backing receivables only its face amount (`allocations`), so the
 * rest of a receivable stays CONFIRMED and may back another note. NOTED = nothing left to draw
 * (all of it backs notes or was acknowledged paid) while some of it is unpaid; SETTLED = all of it
 * paid, by redeemed notes and by the seller's acknowledgement (SettleReceivable).
 * Exits: REGISTERED → DISPUTED (buyer); REGISTERED | DISPUTED → CANCELLED (seller);
 * DISPUTED → CONFIRMED once resolved (buyer). See docs/receivables.md.
 */

export const RECEIVABLE_STATUSES = ['REGISTERED', 'CONFIRMED', 'DISPUTED', 'CANCELLED', 'NOTED', 'SETTLED'] as const;

export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

/** Most credit notes one receivable may back (each allocation is kept on the receivable). */
export const MAX_NOTES_PER_RECEIVABLE = 50;

/** The part of a receivable one credit note draws on. Amount in minor units as a decimal string. */
export interface ReceivableAllocation {
    /** The root note. */
    noteId: string;
    amount: string;
    allocatedAt: string;
    /** When the note's redemption paid this part (into escrow included). */
    settledAt?: string;
}

/** What a root note draws from one of its backing receivables, in the order given at issuance. */
export interface NoteBacking {
    receivableId: string;
    amount: string;
}

/** A receivable. Amounts in minor units as decimal strings; dates YYYY-MM-DD; times ISO-8601 UTC. */
export interface Receivable {
    docType: 'receivable';
    id: string;
    sellerId: string;
    buyerId: string;
    /** The invoice number as the seller wrote it (trimmed); the fingerprint uses its normal form. */
    invoiceNumber: string;
    amount: string;
    currency: string;
    issueDate: string;
    dueDate: string;
    /** CIDv1 (multibase base32) of the invoice document in the off-ledger document store. */
    documentCid: string;
    status: ReceivableStatus;
    /** The double-financing fingerprint; see fingerprint.ts. */
    fingerprint: string;
    /** The first credit note this receivable backed; `allocations` lists every one. */
    noteId?: string;
    /** The parts drawn by credit notes, in allocation order (at most MAX_NOTES_PER_RECEIVABLE). */
    allocations: ReceivableAllocation[];
    /** Sum of `allocations`: the part backing credit notes, live or redeemed. */
    notedAmount: string;
    /** The part the seller acknowledged as paid outside any note (SettleReceivable). */
    acknowledgedAmount: string;
    /** The part paid: the allocations of redeemed notes plus `acknowledgedAmount`. SETTLED when it is `amount`. */
    settledAmount: string;
    /** What a new note may still draw: `amount − notedAmount − acknowledgedAmount` while CONFIRMED, else 0. */
    availableAmount: string;
    registeredAt: string;
    confirmedAt?: string;
    disputedAt?: string;
    disputeReason?: string;
    cancelledAt?: string;
    cancelReason?: string;
    /** When nothing was left to draw (the receivable became NOTED). */
    notedAt?: string;
    /** When all of it was paid (the receivable became SETTLED). */
    settledAt?: string;
    updatedAt: string;
}

/** The amount fields, absent from receivables written before notes drew partial amounts. */
type AccountFields = 'allocations' | 'notedAmount' | 'acknowledgedAmount' | 'settledAmount' | 'availableAmount';

/** A receivable as stored: records written before partial backing lack the amount fields. */
export type StoredReceivable = Omit<Receivable, AccountFields> & Partial<Pick<Receivable, AccountFields>>;

/** Index object types: `receivable~seller ~ sellerId ~ id`, `receivable~buyer ~ buyerId ~ id`. */
export const RECEIVABLE_BY_SELLER = 'receivable~seller';
export const RECEIVABLE_BY_BUYER = 'receivable~buyer';

/** The unique key type of fingerprints: `fingerprint ~ hash`. */
export const FINGERPRINT_KEY_TYPE = 'fingerprint';

/** The unique key type of invoice numbers per (seller, buyer): `invoice-number ~ hash` (see invoiceNumberHash). */
export const INVOICE_NUMBER_KEY_TYPE = 'invoice-number';

/**
 * The unique key type of invoice documents: `receivable~document ~ documentCid` → the receivable
 * it backs. One document backs one receivable; also the index of ReadReceivableByDocument.
 */
export const RECEIVABLE_DOCUMENT_KEY_TYPE = 'receivable~document';

/** What the unique keys of a receivable hold: the receivable that took them. Never deleted. */
export interface ReceivableClaim {
    docType: 'fingerprint' | 'invoice-number' | 'receivable-document';
    receivableId: string;
}

/** The world-state key of a receivable. */
export function receivableKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'receivable', [id]);
}

/** The unique world-state key of a fingerprint. */
export function fingerprintKey(ctx: Context, fingerprint: string): string {
    return compositeKey(ctx, FINGERPRINT_KEY_TYPE, [fingerprint]);
}

/** The unique world-state key of an invoice number of a (seller, buyer) pair. */
export function invoiceNumberKey(ctx: Context, hash: string): string {
    return compositeKey(ctx, INVOICE_NUMBER_KEY_TYPE, [hash]);
}

/** The unique world-state key of an invoice document. */
export function receivableDocumentKey(ctx: Context, documentCid: string): string {
    return compositeKey(ctx, RECEIVABLE_DOCUMENT_KEY_TYPE, [documentCid]);
}

/** Invoice numbers: ASCII letters and digits with common separators, so normalisation is locale-free. */
const INVOICE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9 ._/#-]*$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The validated fields of a registration request. */
export interface ReceivableRequest {
    buyerId: string;
    invoiceNumber: string;
    amount: bigint;
    currency: string;
    issueDate: string;
    dueDate: string;
    documentCid: string;
}

function calendarDate(input: Input, name: string): string {
    const value = input.string(name, { max: 10, pattern: CALENDAR_DATE });
    parseDateValue(value, `request.${name}`);
    return value;
}

/**
 * Parses a RegisterReceivable request; `today` is the transaction's UTC date (YYYY-MM-DD), never
 * the clock. The issue date lies within [EARLIEST_DATE (ledger/input.ts), today]: an invoice
 * cannot be issued after the transaction that registers it. Throws INVALID_ARGUMENT.
 */
export function parseReceivableRequest(input: Input, today: string): ReceivableRequest {
    const buyerId = requireId(input.string('buyerId', { max: 20 }).toUpperCase(), 'request.buyerId');
    const invoiceNumber = input.string('invoiceNumber', { max: 64, pattern: INVOICE_NUMBER });
    const amount = input.amount('amount');
    const currency = input.currency('currency');
    const issueDate = calendarDate(input, 'issueDate');
    const dueDate = calendarDate(input, 'dueDate');
    const documentCid = input.string('documentCid', { max: 128 });
    input.done();
    requireOnOrAfterEarliestDate(issueDate, 'request.issueDate');
    if (issueDate > today) {
        throw fail.invalid(`request.issueDate ${issueDate} must not lie after the transaction date ${today}: an invoice is registered once issued`);
    }
    if (dueDate <= issueDate) {
        throw fail.invalid('request.dueDate must be after request.issueDate');
    }
    if (!isDocumentCid(documentCid)) {
        throw fail.invalid('request.documentCid must be a CIDv1 in multibase base32 (b…)');
    }
    return { buyerId, invoiceNumber, amount, currency, issueDate, dueDate, documentCid };
}

/** Builds a new REGISTERED receivable. */
export function newReceivable(id: string, sellerId: string, request: ReceivableRequest, fingerprint: string, now: string): Receivable {
    return {
        docType: 'receivable',
        id,
        sellerId,
        buyerId: request.buyerId,
        invoiceNumber: request.invoiceNumber,
        amount: request.amount.toString(),
        currency: request.currency,
        issueDate: request.issueDate,
        dueDate: request.dueDate,
        documentCid: request.documentCid,
        status: 'REGISTERED',
        fingerprint,
        allocations: [],
        notedAmount: '0',
        acknowledgedAmount: '0',
        settledAmount: '0',
        availableAmount: '0',
        registeredAt: now,
        updatedAt: now,
    };
}


/**
 * A stored receivable with its amount fields. Records written before notes drew partial amounts
 * lack them and are read as the rule then was: a NOTED receivable wholly allocated to its note, a
 * SETTLED one paid whole (by its note when it has one, else as acknowledged outside a note). Pure.
 */
export function withAccounts(stored: StoredReceivable): Receivable {
    if (stored.allocations !== undefined) {
        return stored as Receivable;
    }
    const amount = stored.amount;
    const byNote = stored.noteId !== undefined && (stored.status === 'NOTED' || stored.status === 'SETTLED');
    const allocation: ReceivableAllocation | undefined = byNote
        ? { noteId: stored.noteId as string, amount, allocatedAt: stored.notedAt ?? stored.updatedAt, ...(stored.status === 'SETTLED' ? { settledAt: stored.settledAt ?? stored.updatedAt } : {}) }
        : undefined;
    return {
        ...stored,
        allocations: allocation ? [allocation] : [],
        notedAmount: allocation ? amount : '0',
        acknowledgedAmount: stored.status === 'SETTLED' && !allocation ? amount : '0',
        settledAmount: stored.status === 'SETTLED' ? amount : '0',
        availableAmount: stored.status === 'CONFIRMED' ? amount : '0',
    };
}

/**
 * The receivable with its amount fields and status recomputed from its allocations and
 * acknowledged amount, as written at `now` (a REGISTERED, DISPUTED or CANCELLED receivable keeps
 * its status and has nothing available). Stamps `notedAt` / `settledAt` when it becomes NOTED /
 * SETTLED. Throws INTERNAL when the parts exceed the amount (never expected).
 */
export function reconciled(receivable: Receivable, now: string): Receivable {
    const amount = BigInt(receivable.amount);
    const noted = receivable.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n);
    const paidByNotes = receivable.allocations.filter((a) => a.settledAt !== undefined).reduce((sum, a) => sum + BigInt(a.amount), 0n);
    const acknowledged = BigInt(receivable.acknowledgedAmount);
    if (noted + acknowledged > amount) {
        throw new ChaincodeError('INTERNAL', `receivable ${receivable.id} would be drawn ${noted + acknowledged} of its ${amount}`);
    }
    let status = receivable.status;
    if (status === 'CONFIRMED' || status === 'NOTED' || status === 'SETTLED') {
        status = paidByNotes + acknowledged === amount ? 'SETTLED' : noted + acknowledged === amount ? 'NOTED' : 'CONFIRMED';
    }
    const next: Receivable = {
        ...receivable,
        status,
        notedAmount: noted.toString(),
        settledAmount: (paidByNotes + acknowledged).toString(),
        availableAmount: status === 'CONFIRMED' ? (amount - noted - acknowledged).toString() : '0',
        updatedAt: now,
    };
    if (status === 'NOTED' && receivable.status !== 'NOTED') {
        next.notedAt = now;
    }
    if (status === 'SETTLED' && receivable.status !== 'SETTLED') {
        next.settledAt = now;
    }
    return next;
}

/** Reads a receivable that must exist, with its amount fields. Throws INVALID_ARGUMENT (malformed id) or NOT_FOUND. */
export async function mustReadReceivable(ctx: Context, id: string): Promise<Receivable> {
    requireId(id, 'receivableId');
    return withAccounts(await mustRead<StoredReceivable>(ctx, receivableKey(ctx, id), `receivable ${id}`));
}

/** Validates a list of receivable ids: an array of 1.. well-formed, distinct ids. Throws INVALID_ARGUMENT. */
function requireDistinctIds(receivableIds: readonly string[]): void {
    if (!Array.isArray(receivableIds) || receivableIds.length === 0) {
        throw fail.invalid('receivableIds must list at least one receivable');
    }
    const seen = new Set<string>();
    for (const id of receivableIds) {
        requireId(id, 'receivableIds[]');
        if (seen.has(id)) {
            throw fail.invalid(`receivable ${id} is listed twice`);
        }
        seen.add(id);
    }
}

/**
 * Allocates the face amount of note `noteId` over confirmed receivables of the issuer, in the
 * order given: each gives what it has available until the face is covered. Writes each receivable
 * once (no event) and returns what the note draws from each. Every receivable read here is also
 * written, so two issuances drawing on one receivable conflict (MVCC) and never over-draw it.
 * Throws INVALID_ARGUMENT (empty, duplicate or malformed ids, currency mismatch, a face above what
 * the receivables have available, a receivable not needed because those before it cover the face),
 * NOT_FOUND, FORBIDDEN (the issuer is not the buyer), DOUBLE_FINANCING (nothing left to draw),
 * INVALID_STATE (not confirmed, or already backing MAX_NOTES_PER_RECEIVABLE notes).
 */
export async function allocateReceivablesToNote(ctx: Context, receivableIds: string[], issuerId: string, currency: string, noteId: string, faceAmount: bigint): Promise<NoteBacking[]> {
    requireDistinctIds(receivableIds);
    requireId(noteId, 'noteId');
    if (faceAmount <= 0n) {
        throw fail.invalid('a note must have a positive face amount');
    }
    const receivables: Receivable[] = [];
    for (const id of receivableIds) {
        const receivable = await mustReadReceivable(ctx, id);
        if (receivable.buyerId !== issuerId) {
            throw fail.forbidden(`receivable ${id} is owed by ${receivable.buyerId}, not by the issuer ${issuerId}`);
        }
        if (receivable.currency !== currency) {
            throw fail.invalid(`receivable ${id} is in ${receivable.currency}, not ${currency}`);
        }
        if (receivable.status === 'NOTED') {
            throw new ChaincodeError('DOUBLE_FINANCING', `receivable ${id} has nothing left to back a credit note: all of it backs notes or was paid`);
        }
        if (receivable.status !== 'CONFIRMED') {
            throw fail.state(`receivable ${id} is ${receivable.status}; only a CONFIRMED receivable can back a note`);
        }
        if (receivable.allocations.length >= MAX_NOTES_PER_RECEIVABLE) {
            throw fail.state(`receivable ${id} already backs ${MAX_NOTES_PER_RECEIVABLE} notes, the most one receivable may back`);
        }
        receivables.push(receivable);
    }
    const now = txTime(ctx);
    const backing: NoteBacking[] = [];
    const updated: Receivable[] = [];
    let remaining = faceAmount;
    for (const receivable of receivables) {
        if (remaining === 0n) {
            throw fail.invalid(`receivable ${receivable.id} is not needed: the receivables listed before it cover the face amount ${faceAmount}`);
        }
        const available = BigInt(receivable.availableAmount);
        const drawn = available < remaining ? available : remaining;
        remaining -= drawn;
        backing.push({ receivableId: receivable.id, amount: drawn.toString() });
        const allocations = [...receivable.allocations, { noteId, amount: drawn.toString(), allocatedAt: now }];
        updated.push(reconciled({ ...receivable, noteId: receivable.noteId ?? noteId, allocations }, now));
    }
    if (remaining > 0n) {
        const total = faceAmount - remaining;
        throw fail.invalid(`face amount ${faceAmount} exceeds the ${total} the backing receivables have available`);
    }
    for (const receivable of updated) {
        await writeRecord(ctx, receivableKey(ctx, receivable.id), receivable);
    }
    return backing;
}

/**
 * Marks paid the parts of receivables allocated to the redeemed note `noteId` (one write each, no
 * event); a receivable becomes SETTLED once all of it is paid. An empty list is a no-op, so a
 * caller may pass a note's (optional) backing list as it is.
 * Throws INVALID_ARGUMENT (duplicate or malformed ids), NOT_FOUND, INVALID_STATE (no unpaid part
 * of the receivable is allocated to the note).
 */
export async function settleReceivablesOfNote(ctx: Context, noteId: string, receivableIds: string[]): Promise<void> {
    if (Array.isArray(receivableIds) && receivableIds.length === 0) {
        return;
    }
    requireDistinctIds(receivableIds);
    const now = txTime(ctx);
    const updated: Receivable[] = [];
    for (const id of receivableIds) {
        const receivable = await mustReadReceivable(ctx, id);
        const index = receivable.allocations.findIndex((a) => a.noteId === noteId && a.settledAt === undefined);
        if (index < 0) {
            throw fail.state(`receivable ${id} is ${receivable.status} and has no unpaid part backing note ${noteId}`);
        }
        const allocations = receivable.allocations.map((a, i) => (i === index ? { ...a, settledAt: now } : a));
        updated.push(reconciled({ ...receivable, allocations }, now));
    }
    for (const receivable of updated) {
        await writeRecord(ctx, receivableKey(ctx, receivable.id), receivable);
    }
}

/**
 * The receivable once its seller acknowledged payment of what no note draws on, at `now`: the
 * available rest becomes acknowledged, and the receivable is SETTLED when no unpaid part backs a
 * live note, NOTED until those notes are redeemed otherwise. Pure.
 * Throws INVALID_STATE (not CONFIRMED: nothing available to acknowledge).
 */
export function acknowledgedPayment(receivable: Receivable, now: string): Receivable {
    if (receivable.status !== 'CONFIRMED') {
        const why = receivable.status === 'NOTED' ? 'all of it backs credit notes, which settle it when redeemed' : `it is ${receivable.status}`;
        throw fail.state(`receivable ${receivable.id} has nothing to acknowledge as paid: ${why}`);
    }
    const acknowledged = BigInt(receivable.acknowledgedAmount) + BigInt(receivable.availableAmount);
    return reconciled({ ...receivable, acknowledgedAmount: acknowledged.toString() }, now);
}
