import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { Input, parseDateValue, requireId } from '../ledger/input';
import { compositeKey, mustRead, writeRecord } from '../ledger/state';
import { txTime } from '../ledger/tx';
import { isDocumentCid } from './document-cid';

/**
 * Receivables (应收账款): invoice-backed claims of a seller on a buyer.
 *
 * Lifecycle: REGISTERED → CONFIRMED (the buyer's 确权) → NOTED (backs a credit note) → SETTLED.
 * Exits: REGISTERED → DISPUTED (buyer); REGISTERED | DISPUTED → CANCELLED (seller);
 * DISPUTED → CONFIRMED once resolved (buyer); CONFIRMED → SETTLED when paid outside a note (buyer).
 */

export const RECEIVABLE_STATUSES = ['REGISTERED', 'CONFIRMED', 'DISPUTED', 'CANCELLED', 'NOTED', 'SETTLED'] as const;

export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

/** A receivable. Amount in minor units as a decimal string; dates YYYY-MM-DD; times ISO-8601 UTC. */
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
    /** The credit note this receivable backs, once NOTED. */
    noteId?: string;
    registeredAt: string;
    confirmedAt?: string;
    disputedAt?: string;
    disputeReason?: string;
    cancelledAt?: string;
    cancelReason?: string;
    notedAt?: string;
    settledAt?: string;
    updatedAt: string;
}

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

/**
 * The earliest issue date accepted. Electronic invoices and this platform are far younger; an
 * earlier date is a typo (or '0000-01-01'), and a claim that old is long time-barred.
 */
export const MIN_ISSUE_DATE = '2000-01-01';

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
 * the clock. The issue date lies within [MIN_ISSUE_DATE, today]: an invoice cannot be issued after
 * the transaction that registers it. Throws INVALID_ARGUMENT.
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
    if (issueDate < MIN_ISSUE_DATE) {
        throw fail.invalid(`request.issueDate ${issueDate} must be on or after ${MIN_ISSUE_DATE}`);
    }
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
        registeredAt: now,
        updatedAt: now,
    };
}

/** Reads a receivable that must exist. Throws INVALID_ARGUMENT (malformed id) or NOT_FOUND. */
export async function mustReadReceivable(ctx: Context, id: string): Promise<Receivable> {
    requireId(id, 'receivableId');
    return mustRead<Receivable>(ctx, receivableKey(ctx, id), `receivable ${id}`);
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
 * Marks confirmed receivables of the issuer as backing note `noteId` (one write each, no event)
 * and returns their total amount.
 * Throws INVALID_ARGUMENT (empty, duplicate or malformed ids, currency mismatch), NOT_FOUND,
 * FORBIDDEN (the issuer is not the buyer), DOUBLE_FINANCING (already NOTED), INVALID_STATE
 * (not CONFIRMED).
 */
export async function useReceivablesForNote(ctx: Context, receivableIds: string[], issuerId: string, currency: string, noteId: string): Promise<bigint> {
    requireDistinctIds(receivableIds);
    requireId(noteId, 'noteId');
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
            throw new ChaincodeError('DOUBLE_FINANCING', `receivable ${id} already backs a credit note`);
        }
        if (receivable.status !== 'CONFIRMED') {
            throw fail.state(`receivable ${id} is ${receivable.status}; only a CONFIRMED receivable can back a note`);
        }
        receivables.push(receivable);
    }
    const now = txTime(ctx);
    let total = 0n;
    for (const receivable of receivables) {
        total += BigInt(receivable.amount);
        await writeRecord(ctx, receivableKey(ctx, receivable.id), { ...receivable, status: 'NOTED', noteId, notedAt: now, updatedAt: now } satisfies Receivable);
    }
    return total;
}

/**
 * Marks the receivables behind a redeemed note SETTLED (one write each, no event). An empty list
 * is a no-op, so a caller may pass a note's (optional) backing list as it is.
 * Throws INVALID_ARGUMENT (duplicate or malformed ids), NOT_FOUND, INVALID_STATE (not NOTED).
 */
export async function settleReceivablesOfNote(ctx: Context, receivableIds: string[]): Promise<void> {
    if (Array.isArray(receivableIds) && receivableIds.length === 0) {
        return;
    }
    requireDistinctIds(receivableIds);
    const receivables: Receivable[] = [];
    for (const id of receivableIds) {
        const receivable = await mustReadReceivable(ctx, id);
        if (receivable.status !== 'NOTED') {
            throw fail.state(`receivable ${id} is ${receivable.status}; only a NOTED receivable is settled by its note`);
        }
        receivables.push(receivable);
    }
    const now = txTime(ctx);
    for (const receivable of receivables) {
        await writeRecord(ctx, receivableKey(ctx, receivable.id), { ...receivable, status: 'SETTLED', settledAt: now, updatedAt: now } satisfies Receivable);
    }
}
