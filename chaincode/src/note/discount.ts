import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { Actor, requireActiveEnterprise } from '../enterprise/enterprise';
import { linkRecord } from '../ledger/audit-index';
import { canonicalBytes } from '../ledger/canonical-json';
import { Input, requireId, stringItem } from '../ledger/input';
import { compositeKey, mustRead, putIndex, readRecord, scanIndex, writeRecord } from '../ledger/state';
import { contentHash, deriveId, sha256Hex, txDate, txId, txTime } from '../ledger/tx';
import { Note, lockedNote, maturityInstant, mustReadNote, putNote, requireActiveNote, requireHolder, requireLockedBy, requireNotDue, spendNote, unlockedNote } from './note';
import { MAX_RATE_BPS, priceDiscount, wholeDaysBetween } from './pricing';

/**
 * Discounting (贴现): the holder asks one or more financiers for quotes; each invited financier
 * quotes with its terms in the transient map, so rates and fees never reach the public ledger —
 * they go to the private data collection `financingTerms`, and the public quote carries only the
 * SHA-256 of their canonical JSON. Accepting a quote spends the note whole into a child held by
 * the financier (tier + 1, non-recourse) and withdraws every other quote.
 *
 * The terms carry a random salt the quoting client supplies (the chaincode makes no randomness):
 * without it a rate, a fee and otherwise public fields are few enough to recover from the public
 * `termsHash` — and from Fabric's own hash of the private value, which every peer holds — by
 * trying them all. The salt stays in the private value; reads of the terms leave it out.
 *
 * A quote fixes the rate and the fee; its price is indicative. Accepting funds the note, and the
 * discount is priced again for the days from the acceptance's date to maturity (DESIGN 5.4: days
 * from funding to maturity); those final terms are stored privately beside the quoted ones.
 */

/** The private data collection of financing terms (platform and funding bank only). */
export const FINANCING_TERMS_COLLECTION = 'financingTerms';
/** The transient map key under which a financier passes its terms. */
export const TERMS_TRANSIENT_KEY = 'terms';
/** A salt of the private terms: 16 random bytes as 32 lower-case hex characters. */
export const TERMS_SALT_PATTERN = /^[0-9a-f]{32}$/;
/** Most financiers one request may invite. */
export const MAX_INVITED_FINANCIERS = 10;

export type DiscountRequestStatus = 'OPEN' | 'ACCEPTED' | 'WITHDRAWN' | 'CLOSED';
export type QuoteStatus = 'SUBMITTED' | 'ACCEPTED' | 'WITHDRAWN';

/** A holder's request to discount one note. */
export interface DiscountRequest {
    docType: 'discountRequest';
    id: string;
    noteId: string;
    rootId: string;
    issuerId: string;
    holderId: string;
    amount: string;
    currency: string;
    maturityDate: string;
    tier: number;
    financierIds: string[];
    status: DiscountRequestStatus;
    /** Discounting on the platform is without recourse to the seller. */
    recourse: false;
    /** Set when ACCEPTED. */
    acceptedQuoteId?: string;
    financierId?: string;
    fundedNoteId?: string;
    closedReason?: string;
    resolvedAt?: string;
    createdAt: string;
    txId: string;
    updatedAt: string;
}

/** The public record of a quote: no rate, fee or price, only the hash of the private terms. */
export interface DiscountQuote {
    docType: 'discountQuote';
    id: string;
    requestId: string;
    noteId: string;
    holderId: string;
    financierId: string;
    status: QuoteStatus;
    termsHash: string;
    /** Set when ACCEPTED: SHA-256 of the final (funded) terms' canonical JSON, as stored privately. */
    fundedTermsHash?: string;
    createdAt: string;
    txId: string;
    updatedAt: string;
}

/** The price a quote showed when it was made (days counted from `quotedAt`). Amounts in minor units. */
export interface IndicativePrice {
    days: number;
    discount: string;
    price: string;
}

/**
 * The private terms of a quote as `ReadQuoteTerms` returns them (never with their salt). Amounts in
 * minor units. Before acceptance `days`, `discount` and `price` are the quote's own (indicative);
 * once the quote is accepted they are the final figures, priced from `fundedAt`'s date, and
 * `indicative` keeps what the quote showed.
 */
export interface FinancingTerms {
    quoteId: string;
    requestId: string;
    noteId: string;
    financierId: string;
    holderId: string;
    currency: string;
    maturityDate: string;
    quotedAt: string;
    face: string;
    rateBps: number;
    days: number;
    discount: string;
    fee: string;
    price: string;
    recourse: false;
    /** Set on the final terms: when the accepted quote funded the note. */
    fundedAt?: string;
    /** Set on the final terms: the quote's own figures. */
    indicative?: IndicativePrice;
}

/**
 * The terms as stored in `financingTerms`: the quoted terms under the quote id, the final terms of
 * an accepted quote under `fundedTermsKey`. The salt is absent only from quotes made before salts.
 */
export interface StoredFinancingTerms extends FinancingTerms {
    salt?: string;
}

/** Index `discountRequest~party ~ enterpriseId ~ requestId` (holder and each invited financier). */
export const DISCOUNT_REQUEST_BY_PARTY = 'discountRequest~party';
/** Index `discountQuote~request ~ requestId ~ quoteId`. */
export const QUOTE_BY_REQUEST = 'discountQuote~request';

export function discountRequestKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'discountRequest', [id]);
}

export function quoteKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'discountQuote', [id]);
}

/** The private-data key of an accepted quote's final terms (the quoted terms stay under the quote id). */
export function fundedTermsKey(ctx: Context, quoteId: string): string {
    return compositeKey(ctx, 'fundedTerms', [quoteId]);
}

/** Reads a discount request that must exist. Throws INVALID_ARGUMENT or NOT_FOUND. */
export async function mustReadDiscountRequest(ctx: Context, id: string): Promise<DiscountRequest> {
    requireId(id, 'requestId');
    return mustRead<DiscountRequest>(ctx, discountRequestKey(ctx, id), `discount request ${id}`);
}

/** Reads a quote that must exist. Throws INVALID_ARGUMENT or NOT_FOUND. */
export async function mustReadQuote(ctx: Context, id: string): Promise<DiscountQuote> {
    requireId(id, 'quoteId');
    return mustRead<DiscountQuote>(ctx, quoteKey(ctx, id), `quote ${id}`);
}

/** Every quote of a request, in id order. */
export async function listQuotesOfRequest(ctx: Context, requestId: string): Promise<DiscountQuote[]> {
    const quotes: DiscountQuote[] = [];
    for (const [, id] of await scanIndex(ctx, QUOTE_BY_REQUEST, [requestId])) {
        quotes.push(await mustReadQuote(ctx, id));
    }
    return quotes;
}

/** Every discount request an enterprise made or is invited to, in id order. */
export async function listDiscountRequestsOf(ctx: Context, enterpriseId: string): Promise<DiscountRequest[]> {
    const requests: DiscountRequest[] = [];
    for (const [, id] of await scanIndex(ctx, DISCOUNT_REQUEST_BY_PARTY, [enterpriseId])) {
        requests.push(await mustReadDiscountRequest(ctx, id));
    }
    return requests;
}

// ---------------------------------------------------------------- request

/** Parses a RequestDiscount request {noteId, financierIds}. Throws INVALID_ARGUMENT. */
export function parseDiscountRequest(input: Input): { noteId: string; financierIds: string[] } {
    const noteId = requireId(input.string('noteId', { max: 128 }), 'request.noteId');
    const financierIds = input
        .array('financierIds', stringItem(20), { min: 1, max: MAX_INVITED_FINANCIERS })
        .map((id) => requireId(id.toUpperCase(), 'request.financierIds[]'));
    input.done();
    if (new Set(financierIds).size !== financierIds.length) {
        throw fail.invalid('request.financierIds lists a financier twice');
    }
    return { noteId, financierIds: [...financierIds].sort() };
}

/**
 * Opens a discount request on a note the actor holds, inviting active financiers; locks the note.
 * Throws NOT_FOUND, FORBIDDEN, INVALID_STATE, INVALID_ARGUMENT (not a financier), ENTERPRISE_FROZEN.
 */
export async function requestDiscount(ctx: Context, actor: Actor, noteId: string, financierIds: string[]): Promise<{ request: DiscountRequest; note: Note }> {
    const note = await mustReadNote(ctx, noteId);
    requireHolder(note, actor.eid);
    requireActiveNote(note);
    requireNotDue(ctx, note);
    for (const id of financierIds) {
        await requireActiveEnterprise(ctx, id, ['FINANCIER']);
    }
    const at = txTime(ctx);
    const request: DiscountRequest = {
        docType: 'discountRequest',
        id: deriveId(ctx, 'DR'),
        noteId: note.id,
        rootId: note.rootId,
        issuerId: note.issuerId,
        holderId: note.holderId,
        amount: note.amount,
        currency: note.currency,
        maturityDate: note.maturityDate,
        tier: note.tier,
        financierIds,
        status: 'OPEN',
        recourse: false,
        createdAt: at,
        txId: txId(ctx),
        updatedAt: at,
    };
    const locked = lockedNote(ctx, note, { kind: 'DISCOUNT', id: request.id });
    await putNote(ctx, locked);
    await writeRecord(ctx, discountRequestKey(ctx, request.id), request);
    for (const party of [request.holderId, ...financierIds]) {
        await putIndex(ctx, DISCOUNT_REQUEST_BY_PARTY, [party, request.id]);
    }
    await linkRecord(ctx, [request.holderId, request.issuerId, ...financierIds], { type: 'discountRequest', id: request.id });
    return { request, note: locked };
}

/** An OPEN request with the note it locks. Throws NOT_FOUND, INVALID_STATE. */
async function openRequest(ctx: Context, requestId: string): Promise<{ request: DiscountRequest; note: Note }> {
    const request = await mustReadDiscountRequest(ctx, requestId);
    if (request.status !== 'OPEN') {
        throw fail.state(`discount request ${requestId} is ${request.status.toLowerCase()}`);
    }
    const note = await mustReadNote(ctx, request.noteId);
    requireLockedBy(note, { kind: 'DISCOUNT', id: request.id });
    return { request, note };
}

/** A quote with status changed, as written by this transaction. */
function withStatus(ctx: Context, quote: DiscountQuote, status: QuoteStatus): DiscountQuote {
    return { ...quote, status, updatedAt: txTime(ctx) };
}

/** The request closed without funding, and its submitted quotes withdrawn (not yet written). */
export async function closedRequest(ctx: Context, request: DiscountRequest, status: 'WITHDRAWN' | 'CLOSED', reason?: string): Promise<{ request: DiscountRequest; quotes: DiscountQuote[] }> {
    const at = txTime(ctx);
    const closed: DiscountRequest = { ...request, status, resolvedAt: at, updatedAt: at };
    if (reason) {
        closed.closedReason = reason;
    }
    const quotes = (await listQuotesOfRequest(ctx, request.id)).filter((q) => q.status === 'SUBMITTED').map((q) => withStatus(ctx, q, 'WITHDRAWN'));
    return { request: closed, quotes };
}

/** Writes a closed request and its withdrawn quotes, once each. */
export async function writeClosedRequest(ctx: Context, closed: { request: DiscountRequest; quotes: DiscountQuote[] }): Promise<void> {
    await writeRecord(ctx, discountRequestKey(ctx, closed.request.id), closed.request);
    for (const quote of closed.quotes) {
        await writeRecord(ctx, quoteKey(ctx, quote.id), quote);
    }
}

/**
 * Withdraws an open request (its holder): the note returns to ACTIVE, submitted quotes are withdrawn.
 * Throws NOT_FOUND, FORBIDDEN, INVALID_STATE.
 */
export async function withdrawDiscountRequest(ctx: Context, actor: Actor, requestId: string): Promise<{ request: DiscountRequest; note: Note; withdrawnQuoteIds: string[] }> {
    const { request, note } = await openRequest(ctx, requestId);
    if (request.holderId !== actor.eid) {
        throw fail.forbidden(`discount request ${requestId} belongs to ${request.holderId}`);
    }
    const closed = await closedRequest(ctx, request, 'WITHDRAWN');
    const unlocked = unlockedNote(ctx, note);
    await writeClosedRequest(ctx, closed);
    await putNote(ctx, unlocked);
    return { request: closed.request, note: unlocked, withdrawnQuoteIds: closed.quotes.map((q) => q.id) };
}

// ---------------------------------------------------------------- quotes

/** Reads and validates the transient terms {rateBps, feeAmount?, salt}. Throws INVALID_ARGUMENT. */
export function parseTransientTerms(ctx: Context): { rateBps: number; fee: bigint; salt: string } {
    const bytes = ctx.stub.getTransient().get(TERMS_TRANSIENT_KEY);
    if (!bytes || bytes.length === 0) {
        throw fail.invalid(`the quote's terms must be passed in the transient map under '${TERMS_TRANSIENT_KEY}'`);
    }
    let value: unknown;
    try {
        value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
        throw fail.invalid('transient terms are not valid JSON');
    }
    const input = Input.of(value, 'terms');
    const rateBps = input.integer('rateBps', { min: 0, max: MAX_RATE_BPS });
    const fee = input.has('feeAmount') ? input.amount('feeAmount', { allowZero: true }) : 0n;
    const salt = input.string('salt', { max: 32, pattern: TERMS_SALT_PATTERN });
    input.done();
    return { rateBps, fee, salt };
}

/**
 * Submits a quote on an open request (an invited financier): prices the discount from the
 * transient terms (indicative: counted from today), stores the terms with their salt privately and
 * the quote publicly with their hash.
 * Returns the public quote only: a transaction's response is recorded in the block, so the
 * private terms must not travel in it.
 * Throws NOT_FOUND, FORBIDDEN (not invited), INVALID_STATE (not open, note due), ALREADY_EXISTS
 * (a submitted quote of this financier stands), INVALID_ARGUMENT (terms).
 */
export async function submitQuote(ctx: Context, actor: Actor, requestId: string): Promise<DiscountQuote> {
    const { request, note } = await openRequest(ctx, requestId);
    if (!request.financierIds.includes(actor.eid)) {
        throw fail.forbidden(`financier ${actor.eid} is not invited to discount request ${requestId}`);
    }
    requireNotDue(ctx, note);
    const existing = await listQuotesOfRequest(ctx, requestId);
    if (existing.some((q) => q.financierId === actor.eid && q.status === 'SUBMITTED')) {
        throw fail.exists(`financier ${actor.eid} already has a quote on discount request ${requestId}; withdraw it first`);
    }
    const { rateBps, fee, salt } = parseTransientTerms(ctx);
    const days = wholeDaysBetween(txDate(ctx), maturityInstant(note));
    const priced = priceDiscount(BigInt(note.amount), rateBps, days, fee);
    const at = txTime(ctx);
    const id = deriveId(ctx, 'Q');
    const terms: StoredFinancingTerms = {
        quoteId: id,
        requestId,
        noteId: note.id,
        financierId: actor.eid,
        holderId: request.holderId,
        currency: note.currency,
        maturityDate: note.maturityDate,
        quotedAt: at,
        face: priced.face.toString(),
        rateBps: priced.rateBps,
        days: priced.days,
        discount: priced.discount.toString(),
        fee: priced.fee.toString(),
        price: priced.price.toString(),
        recourse: false,
        salt,
    };
    const quote: DiscountQuote = {
        docType: 'discountQuote',
        id,
        requestId,
        noteId: note.id,
        holderId: request.holderId,
        financierId: actor.eid,
        status: 'SUBMITTED',
        termsHash: contentHash(terms),
        createdAt: at,
        txId: txId(ctx),
        updatedAt: at,
    };
    await ctx.stub.putPrivateData(FINANCING_TERMS_COLLECTION, id, canonicalBytes(terms));
    await writeRecord(ctx, quoteKey(ctx, id), quote);
    await putIndex(ctx, QUOTE_BY_REQUEST, [requestId, id]);
    await linkRecord(ctx, [actor.eid, request.holderId], { type: 'discountQuote', id });
    return quote;
}

/** Withdraws a submitted quote (the quoting financier). Throws NOT_FOUND, FORBIDDEN, INVALID_STATE. */
export async function withdrawQuote(ctx: Context, actor: Actor, quoteId: string): Promise<DiscountQuote> {
    const quote = await mustReadQuote(ctx, quoteId);
    if (quote.financierId !== actor.eid) {
        throw fail.forbidden(`quote ${quoteId} belongs to ${quote.financierId}`);
    }
    if (quote.status !== 'SUBMITTED') {
        throw fail.state(`quote ${quoteId} is ${quote.status.toLowerCase()}`);
    }
    const withdrawn = withStatus(ctx, quote, 'WITHDRAWN');
    await writeRecord(ctx, quoteKey(ctx, quoteId), withdrawn);
    return withdrawn;
}

/** The result of accepting a quote. */
export interface AcceptQuoteResult {
    quote: DiscountQuote;
    request: DiscountRequest;
    spent: Note;
    funded: Note;
    withdrawnQuoteIds: string[];
}

/**
 * Accepts a submitted quote (the requesting holder): the note is spent into a child of the full
 * amount held by the financier (tier + 1, `discountedBy`, non-recourse); the request is ACCEPTED
 * and every other submitted quote WITHDRAWN. The discount is priced again at the quoted rate and
 * fee for the days from this transaction's date to maturity; those final terms are stored
 * privately (salted like the quote's) and the accepted quote carries their hash.
 * Throws NOT_FOUND, FORBIDDEN, INVALID_STATE (quote or request not live, note due, terms missing
 * or altered), ENTERPRISE_FROZEN (financier).
 */
export async function acceptQuote(ctx: Context, actor: Actor, quoteId: string): Promise<AcceptQuoteResult> {
    const quote = await mustReadQuote(ctx, quoteId);
    if (quote.holderId !== actor.eid) {
        throw fail.forbidden(`quote ${quoteId} answers a request of ${quote.holderId}`);
    }
    if (quote.status !== 'SUBMITTED') {
        throw fail.state(`quote ${quoteId} is ${quote.status.toLowerCase()}`);
    }
    const { request, note } = await openRequest(ctx, quote.requestId);
    requireHolder(note, actor.eid);
    requireNotDue(ctx, note);
    const quoted = await readQuotedTerms(ctx, quote);
    await requireActiveEnterprise(ctx, quote.financierId);
    const { spent, children } = await spendNote(
        ctx,
        note,
        [{ holderId: quote.financierId, amount: BigInt(note.amount), tier: note.tier + 1, origin: 'DISCOUNT', discountedBy: quote.financierId, discountQuoteId: quote.id, recourse: false }],
        'DISCOUNT',
    );
    const funded = children[0];
    const at = txTime(ctx);
    const final = fundedTerms(ctx, note, quoted);
    const accepted: DiscountQuote = { ...withStatus(ctx, quote, 'ACCEPTED'), fundedTermsHash: contentHash(final) };
    const others = (await listQuotesOfRequest(ctx, request.id)).filter((q) => q.id !== quote.id && q.status === 'SUBMITTED').map((q) => withStatus(ctx, q, 'WITHDRAWN'));
    const done: DiscountRequest = { ...request, status: 'ACCEPTED', acceptedQuoteId: quote.id, financierId: quote.financierId, fundedNoteId: funded.id, resolvedAt: at, updatedAt: at };
    await ctx.stub.putPrivateData(FINANCING_TERMS_COLLECTION, fundedTermsKey(ctx, quote.id), canonicalBytes(final));
    await writeRecord(ctx, quoteKey(ctx, quote.id), accepted);
    for (const other of others) {
        await writeRecord(ctx, quoteKey(ctx, other.id), other);
    }
    await writeRecord(ctx, discountRequestKey(ctx, request.id), done);
    return { quote: accepted, request: done, spent, funded, withdrawnQuoteIds: others.map((q) => q.id) };
}

/**
 * The quoted terms of a quote, checked against its public hash. The holder's transaction reads
 * them, so it is endorsed by peers of the collection's organisations (Fabric's gateway picks those
 * when a transaction reads private data). Throws INVALID_STATE when they are missing or altered.
 */
async function readQuotedTerms(ctx: Context, quote: DiscountQuote): Promise<StoredFinancingTerms> {
    let bytes: Uint8Array;
    try {
        bytes = await ctx.stub.getPrivateData(FINANCING_TERMS_COLLECTION, quote.id);
    } catch (error) {
        throw fail.state(`the private terms of quote ${quote.id} are not held by this endorsing peer (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!bytes || bytes.length === 0 || sha256Hex(bytes) !== quote.termsHash) {
        throw fail.state(`the private terms of quote ${quote.id} are missing or do not match their hash`);
    }
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredFinancingTerms;
}

/**
 * The final terms of an accepted quote: the quoted rate and fee priced for the days from this
 * transaction's date to maturity, the quote's own figures kept as `indicative`, and the quote's
 * salt (a quote made before salts gives unsalted final terms: its rate and fee were never hidden by
 * its public hash, and the days from funding are public). Throws INVALID_ARGUMENT (see priceDiscount).
 */
function fundedTerms(ctx: Context, note: Note, quoted: StoredFinancingTerms): StoredFinancingTerms {
    const days = wholeDaysBetween(txDate(ctx), maturityInstant(note));
    const priced = priceDiscount(BigInt(quoted.face), quoted.rateBps, days, BigInt(quoted.fee));
    return {
        ...quoted,
        days: priced.days,
        discount: priced.discount.toString(),
        price: priced.price.toString(),
        fundedAt: txTime(ctx),
        indicative: { days: quoted.days, discount: quoted.discount, price: quoted.price },
    };
}

/**
 * Reads the terms of a quote without their salt: the final terms once the quote is accepted, else
 * the quoted ones; undefined when this peer does not hold them. Throws NOT_FOUND on a peer outside
 * the collection.
 */
export async function readFinancingTerms(ctx: Context, quoteId: string): Promise<FinancingTerms | undefined> {
    const stored = (await readStoredTerms(ctx, fundedTermsKey(ctx, quoteId), quoteId)) ?? (await readStoredTerms(ctx, quoteId, quoteId));
    if (!stored) {
        return undefined;
    }
    // The salt only protects the hashes; a reader entitled to the terms gains nothing from it.
    const view: StoredFinancingTerms = { ...stored };
    delete view.salt;
    return view;
}

async function readStoredTerms(ctx: Context, key: string, quoteId: string): Promise<StoredFinancingTerms | undefined> {
    let bytes: Uint8Array;
    try {
        bytes = await ctx.stub.getPrivateData(FINANCING_TERMS_COLLECTION, key);
    } catch (error) {
        // A peer outside the collection refuses the read itself; to the caller that means this peer does not hold the terms.
        throw fail.notFound(`the terms of quote ${quoteId} are not held by this peer (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!bytes || bytes.length === 0) {
        return undefined;
    }
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredFinancingTerms;
}

/** Reads a discount request, or undefined. */
export async function readDiscountRequest(ctx: Context, id: string): Promise<DiscountRequest | undefined> {
    return readRecord<DiscountRequest>(ctx, discountRequestKey(ctx, id));
}
