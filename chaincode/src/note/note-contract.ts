import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../errors';
import { mustReadCreditLine } from '../credit-line/credit-line';
import { requireActor, requireMember } from '../enterprise/enterprise';
import { getCaller, requireRole } from '../ledger/caller';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { parseRequest, requireId } from '../ledger/input';
import { emitEvent, txTime } from '../ledger/tx';
import { identifyReader, optionalReader, requireRegulatorOr } from './access';
import {
    acceptQuote,
    listDiscountRequestsOf,
    listQuotesOfRequest,
    mustReadDiscountRequest,
    mustReadQuote,
    parseDiscountRequest,
    readFinancingTerms,
    requestDiscount,
    submitQuote,
    withdrawDiscountRequest,
    withdrawQuote,
} from './discount';
import { issueNote, parseIssueRequest } from './issuance';
import { isOutstanding, listHeldNotes, mustReadNote, readNotesOfRoot } from './note';
import { parseNoteParameters, readNoteParameters, writeNoteParameters } from './note-parameters';
import { authorizeExposureRead, authorizeNoteRead, chainOf, exposureOf, provenanceOf } from './provenance';
import { markOverdue, overdueAnswer, redeemNote } from './redemption';
import { OFFER_DIRECTIONS, OfferDirection, acceptOffer, listOffers, mustReadOffer, offerTransfer, parseOfferRequest, parseSplitRequest, releaseOffer, splitNote } from './transfer';

/**
 * Credit notes (the digital debt voucher): issue, split, transfer by offer, discount, redeem,
 * provenance and exposure. Business rules live in the modules beside this file; each transaction
 * authorises, delegates, emits its one event and returns canonical JSON.
 */
/** The financier of the credit line a root draws on (its headroom moves with the root), when it has one. */
async function lineFinancier(ctx: Context, creditLineId: string | undefined): Promise<string | undefined> {
    return creditLineId === undefined ? undefined : (await mustReadCreditLine(ctx, creditLineId)).financierId;
}

@Info({ title: 'NoteContract', description: 'Credit notes (UTXO): issue, split, offer/accept, discount, redeem, provenance, exposure' })
export class NoteContract extends XinlianContract {
    constructor() {
        super('note');
    }

    // ------------------------------------------------------------ issuance

    /**
     * Issues a root note to an active supplier (core enterprise).
     * Request: {holderId, amount, currency, maturityDate (YYYY-MM-DD), creditLineId, receivableIds}; the
     * maturity lies after the issue date and at most `maxTenorMonths` calendar months after it.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, TENOR_EXCEEDED,
     * DOUBLE_FINANCING, INVALID_STATE, EXPIRED, INSUFFICIENT_LIMIT.
     */
    @Transaction()
    @Returns('string')
    async IssueNote(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'core-enterprise');
        const parsed = parseIssueRequest(parseRequest(request));
        const root = await issueNote(ctx, actor.eid, parsed, await readNoteParameters(ctx));
        emitEvent(ctx, 'IssueNote', {
            noteId: root.id,
            rootId: root.id,
            issuerId: root.issuerId,
            holderId: root.holderId,
            financierId: await lineFinancier(ctx, root.creditLineId),
            amount: root.amount,
            currency: root.currency,
            creditLineId: root.creditLineId,
            receivableIds: root.receivableIds,
        });
        return canonicalStringify(root);
    }

    /**
     * Sets the tenor cap in calendar months and the grace period in days (platform admin).
     * Request: {maxTenorMonths (1..12), graceDays (0..90)}; `maxTenorDays` is refused. Setting the
     * values in force writes and emits nothing and returns the parameters in force (idempotent).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT.
     */
    @Transaction()
    @Returns('string')
    async SetNoteParameters(ctx: Context, request: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const next = parseNoteParameters(parseRequest(request), caller.eid, txTime(ctx));
        const { parameters, written } = await writeNoteParameters(ctx, next);
        if (written) {
            emitEvent(ctx, 'SetNoteParameters', { maxTenorMonths: next.maxTenorMonths, graceDays: next.graceDays });
        }
        return canonicalStringify(parameters);
    }

    /** The note parameters in force (any authenticated caller); a record kept in days reads in months. Throws UNAUTHENTICATED, FORBIDDEN. */
    @Transaction(false)
    @Returns('string')
    async GetNoteParameters(ctx: Context): Promise<string> {
        getCaller(ctx);
        return canonicalStringify(await readNoteParameters(ctx));
    }

    // ------------------------------------------------------------ split and transfer

    /**
     * Splits a note into 2..50 children of the given amounts for the same holder (its holder).
     * Request: {amounts: ["…", …]}. Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async SplitNote(ctx: Context, noteId: string, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        requireId(noteId, 'noteId');
        const amounts = parseSplitRequest(parseRequest(request));
        const result = await splitNote(ctx, actor, noteId, amounts);
        emitEvent(ctx, 'SplitNote', {
            rootId: result.parent.rootId,
            holderId: result.parent.holderId,
            spentNoteIds: [result.parent.id],
            createdNoteIds: result.children.map((c) => c.id),
        });
        return canonicalStringify(result);
    }

    /**
     * Offers part or all of a note to another active supplier (its holder); locks the note.
     * Request: {noteId, toId, amount, expiresAt}. Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN,
     * INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async OfferTransfer(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const { offer } = await offerTransfer(ctx, actor, parseOfferRequest(parseRequest(request)));
        emitEvent(ctx, 'OfferTransfer', { offerId: offer.id, noteId: offer.noteId, fromId: offer.fromId, toId: offer.toId, amount: offer.amount, currency: offer.currency });
        return canonicalStringify(offer);
    }

    /**
     * Accepts an offer (its recipient): the note is spent into the recipient's child and the sender's change.
     * Anyone but the recipient is refused (FORBIDDEN) before the offer's state is checked.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, EXPIRED.
     */
    @Transaction()
    @Returns('string')
    async AcceptOffer(ctx: Context, offerId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const result = await acceptOffer(ctx, actor, offerId);
        emitEvent(ctx, 'AcceptOffer', {
            offerId: result.offer.id,
            fromId: result.offer.fromId,
            toId: result.offer.toId,
            spentNoteIds: [result.spent.id],
            createdNoteIds: result.spent.children,
        });
        return canonicalStringify(result);
    }

    /** Declines an offer (its recipient, refusing anyone else before the offer's state is checked); the note returns to the sender. Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async DeclineOffer(ctx: Context, offerId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        return this.release(ctx, await releaseOffer(ctx, actor, offerId, 'DECLINED'), 'DeclineOffer');
    }

    /** Cancels a pending offer (its sender, refusing anyone else before the offer's state is checked). Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async CancelOffer(ctx: Context, offerId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        return this.release(ctx, await releaseOffer(ctx, actor, offerId, 'CANCELLED'), 'CancelOffer');
    }

    /**
     * Expires a pending offer after its expiry (its sender or its recipient, frozen or not: the note
     * only goes back to the sender); the note returns to the sender. Anyone else is refused before
     * it learns anything of the offer's state.
     * Throws UNAUTHENTICATED, FORBIDDEN (not a supplier acting for the sender or the recipient),
     * INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE (not pending, or not yet expired).
     */
    @Transaction()
    @Returns('string')
    async ExpireOffer(ctx: Context, offerId: string): Promise<string> {
        const member = await requireMember(ctx, 'supplier');
        return this.release(ctx, await releaseOffer(ctx, member, offerId, 'EXPIRED'), 'ExpireOffer');
    }

    // ------------------------------------------------------------ discounting

    /**
     * Asks invited financiers to quote for discounting a note (its holder); locks the note.
     * Request: {noteId, financierIds}. Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async RequestDiscount(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const { noteId, financierIds } = parseDiscountRequest(parseRequest(request));
        const result = await requestDiscount(ctx, actor, noteId, financierIds);
        emitEvent(ctx, 'RequestDiscount', { requestId: result.request.id, noteId, holderId: actor.eid, financierIds });
        return canonicalStringify(result.request);
    }

    /**
     * Quotes on an open request (an invited financier). Terms in the transient map under 'terms':
     * {rateBps, feeAmount?, salt} (salt: 16 random bytes in hex from the client, so the public hash
     * of low-entropy terms cannot be brute-forced); they are stored privately and only their hash is public.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ALREADY_EXISTS.
     */
    @Transaction()
    @Returns('string')
    async SubmitQuote(ctx: Context, requestId: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const quote = await submitQuote(ctx, actor, requestId);
        emitEvent(ctx, 'SubmitQuote', { quoteId: quote.id, requestId: quote.requestId, holderId: quote.holderId, financierId: quote.financierId, termsHash: quote.termsHash });
        return canonicalStringify(quote);
    }

    /** Withdraws a submitted quote (the quoting financier). Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async WithdrawQuote(ctx: Context, quoteId: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const quote = await withdrawQuote(ctx, actor, quoteId);
        emitEvent(ctx, 'WithdrawQuote', { quoteId: quote.id, requestId: quote.requestId, holderId: quote.holderId, financierId: quote.financierId });
        return canonicalStringify(quote);
    }

    /**
     * Accepts a quote (the requesting holder): the discount is priced again at the quoted rate and
     * fee for the days from acceptance (funding) to maturity, the financier receives a child of the
     * full amount and every other quote is withdrawn. Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN,
     * INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async AcceptQuote(ctx: Context, quoteId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const result = await acceptQuote(ctx, actor, quoteId);
        emitEvent(ctx, 'AcceptQuote', {
            quoteId: result.quote.id,
            requestId: result.request.id,
            holderId: result.quote.holderId,
            financierId: result.quote.financierId,
            // Every invited financier: the others learn that their quotes were withdrawn.
            financierIds: result.request.financierIds,
            spentNoteIds: [result.spent.id],
            createdNoteIds: [result.funded.id],
            withdrawnQuoteIds: result.withdrawnQuoteIds,
        });
        return canonicalStringify({ quote: result.quote, request: result.request, spent: result.spent, funded: result.funded, withdrawnQuoteIds: result.withdrawnQuoteIds });
    }

    /** Withdraws an open discount request (its holder); the note is unlocked. Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async WithdrawDiscountRequest(ctx: Context, requestId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const result = await withdrawDiscountRequest(ctx, actor, requestId);
        emitEvent(ctx, 'WithdrawDiscountRequest', {
            requestId: result.request.id,
            noteId: result.note.id,
            holderId: result.request.holderId,
            financierIds: result.request.financierIds,
            withdrawnQuoteIds: result.withdrawnQuoteIds,
        });
        return canonicalStringify(result.request);
    }

    // ------------------------------------------------------------ redemption

    /**
     * Redeems a root at or after maturity (its issuer): every unspent leaf becomes REDEEMED, or
     * ESCROWED when its holder is frozen (the issuer pays it into escrow); returns the payees and
     * the escrows. Called again on a redeemed root, it pays out the escrowed leaves of holders
     * active again. A frozen issuer may redeem (requireMember): redemption discharges what it owes
     * to the holders and gives it nothing, so a freeze does not keep them unpaid.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async RedeemNote(ctx: Context, rootId: string): Promise<string> {
        const actor = await requireMember(ctx, 'core-enterprise');
        const { redemption: result, closedOffers, closedRequests } = await redeemNote(ctx, actor, rootId);
        emitEvent(ctx, 'RedeemNote', {
            rootId: result.root.id,
            issuerId: result.root.issuerId,
            financierId: await lineFinancier(ctx, result.root.creditLineId),
            redeemedNoteIds: result.redeemedNoteIds,
            escrowedNoteIds: result.escrowedNoteIds,
            currency: result.root.currency,
            payees: result.payees.map((p) => ({ holderId: p.holderId, amount: p.amount, noteIds: p.noteIds })),
            // The frozen holders learn what is held in escrow for them.
            escrows: result.escrows.map((p) => ({ holderId: p.holderId, amount: p.amount, noteIds: p.noteIds })),
            onTime: result.onTime,
            escrowRelease: result.escrowRelease,
            closedOfferIds: result.closedOfferIds,
            // The recipient of a closed offer learns the note it was offered is gone (the gateway shows
            // each party only its own offers).
            closedOffers,
            closedRequestIds: result.closedRequestIds,
            // Every financier invited to a closed request learns it is over and its quote withdrawn
            // (the gateway shows each only its own part, as for AcceptQuote).
            closedRequests,
        });
        return canonicalStringify(result);
    }

    /**
     * Marks an unredeemed root overdue from its grace deadline (grace.ts; any authenticated caller). Returns
     * the root to a caller that may read it (ReadNote), else only `{id, overdue, overdueAt}`; such a
     * caller is refused without the reason (redeemed, already overdue, not yet past grace) or the root
     * of a fragment it named. Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async MarkOverdue(ctx: Context, rootId: string): Promise<string> {
        const reader = await optionalReader(ctx);
        const marked = await markOverdue(ctx, reader, rootId);
        const root = marked.root;
        // The holders of what is still unpaid learn it is overdue (the event reaches the enterprises it names).
        const holderIds = [...new Set((await readNotesOfRoot(ctx, root.id)).filter(isOutstanding).map((note) => note.holderId))].sort();
        emitEvent(ctx, 'MarkOverdue', { rootId: root.id, issuerId: root.issuerId, holderIds, maturityDate: root.maturityDate });
        return canonicalStringify(overdueAnswer(marked));
    }

    // ------------------------------------------------------------ reads

    /** Reads a note (its parties, the issuer, the regulator, entitled financiers, the recipient of a pending offer of it or of a note below it). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadNote(ctx: Context, noteId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        const note = await mustReadNote(ctx, noteId);
        await authorizeNoteRead(ctx, reader, note, await chainOf(ctx, note));
        return canonicalStringify(note);
    }

    /** The notes a holder holds: ACTIVE, LOCKED, or ESCROWED (paid into escrow while it was frozen, until paid out) (the holder, the regulator). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT. */
    @Transaction(false)
    @Returns('string')
    async ListNotesOfHolder(ctx: Context, holderId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        requireId(holderId, 'holderId');
        requireRegulatorOr(reader, [holderId], `the notes of ${holderId}`);
        return canonicalStringify(await listHeldNotes(ctx, holderId));
    }

    /** The chain from a note to its root with a conservation proof (entitled parties). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async GetProvenance(ctx: Context, noteId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        return canonicalStringify(await provenanceOf(ctx, reader, noteId));
    }

    /**
     * A core enterprise's outstanding notes by holder and tier: all of them for itself and the
     * regulator, those drawn on its own lines for a financier that granted it a line (authorizeExposureRead).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT (also for an enterprise that is not a core enterprise), NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async GetExposure(ctx: Context, coreEnterpriseId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        const scope = await authorizeExposureRead(ctx, reader, coreEnterpriseId);
        return canonicalStringify(await exposureOf(ctx, coreEnterpriseId, scope));
    }

    /** Reads an offer (sender, recipient, regulator). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadOffer(ctx: Context, offerId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        const offer = await mustReadOffer(ctx, offerId);
        requireRegulatorOr(reader, [offer.fromId, offer.toId], `offer ${offerId}`);
        return canonicalStringify(offer);
    }

    /** An enterprise's 'incoming' or 'outgoing' offers (the enterprise, the regulator). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT. */
    @Transaction(false)
    @Returns('string')
    async ListOffers(ctx: Context, enterpriseId: string, direction: string): Promise<string> {
        const reader = await identifyReader(ctx);
        requireId(enterpriseId, 'enterpriseId');
        if (!(OFFER_DIRECTIONS as readonly string[]).includes(direction)) {
            throw fail.invalid(`direction must be one of ${OFFER_DIRECTIONS.join(', ')}`);
        }
        requireRegulatorOr(reader, [enterpriseId], `the offers of ${enterpriseId}`);
        return canonicalStringify(await listOffers(ctx, enterpriseId, direction as OfferDirection));
    }

    /** Reads a discount request (holder, invited financiers, regulator). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadDiscountRequest(ctx: Context, requestId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        const request = await mustReadDiscountRequest(ctx, requestId);
        requireRegulatorOr(reader, [request.holderId, ...request.financierIds], `discount request ${requestId}`);
        return canonicalStringify(request);
    }

    /** The discount requests an enterprise made or is invited to (the enterprise, the regulator). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT. */
    @Transaction(false)
    @Returns('string')
    async ListDiscountRequests(ctx: Context, enterpriseId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        requireId(enterpriseId, 'enterpriseId');
        requireRegulatorOr(reader, [enterpriseId], `the discount requests of ${enterpriseId}`);
        return canonicalStringify(await listDiscountRequestsOf(ctx, enterpriseId));
    }

    /**
     * The public quotes of a request: all of them for the holder and the regulator, its own for an
     * invited financier. Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ListQuotes(ctx: Context, requestId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        const request = await mustReadDiscountRequest(ctx, requestId);
        requireRegulatorOr(reader, [request.holderId, ...request.financierIds], `the quotes of discount request ${requestId}`);
        const quotes = await listQuotesOfRequest(ctx, requestId);
        const seesAll = reader.regulator || reader.eid === request.holderId;
        return canonicalStringify(seesAll ? quotes : quotes.filter((q) => q.financierId === reader.eid));
    }

    /** The private terms of a quote, the final ones once accepted, never the salt (the requesting holder, the quoting financier, the regulator). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadQuoteTerms(ctx: Context, quoteId: string): Promise<string> {
        const reader = await identifyReader(ctx);
        const quote = await mustReadQuote(ctx, quoteId);
        const entitled =
            (reader.role === 'supplier' && reader.eid === quote.holderId) || (reader.role === 'financier' && reader.eid === quote.financierId) || reader.role === 'regulator';
        if (!entitled) {
            throw fail.forbidden(`only the requesting holder, the quoting financier and the regulator may read the terms of quote ${quoteId}`);
        }
        const terms = await readFinancingTerms(ctx, quoteId);
        if (!terms) {
            throw fail.notFound(`the terms of quote ${quoteId} are not held by this peer`);
        }
        return canonicalStringify(terms);
    }

    private release(ctx: Context, result: { offer: { id: string; noteId: string; fromId: string; toId: string; status: string } }, event: string): string {
        emitEvent(ctx, event, { offerId: result.offer.id, noteId: result.offer.noteId, fromId: result.offer.fromId, toId: result.offer.toId, status: result.offer.status });
        return canonicalStringify(result.offer);
    }
}
