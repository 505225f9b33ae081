import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { parseReason, parseRequest, requireId } from '../ledger/input';
import { keyExists, putIndex, readRecord, scanIndex, writeRecord } from '../ledger/state';
import { deriveId, emitEvent, txTime } from '../ledger/tx';
import { requireActiveEnterprise, requireActor } from '../enterprise/enterprise';
import { isDocumentCid } from './document-cid';
import { invoiceNumberHash, legacyFingerprint, receivableFingerprint } from './fingerprint';
import { authorizeReceivableList, authorizeReceivableRead, identifyReceivableReader, mayReadReceivable } from './receivable-access';
import {
    RECEIVABLE_BY_BUYER,
    RECEIVABLE_BY_SELLER,
    Receivable,
    ReceivableClaim,
    ReceivableStatus,
    StoredReceivable,
    acknowledgedPayment,
    fingerprintKey,
    invoiceNumberKey,
    mustReadReceivable,
    newReceivable,
    parseReceivableRequest,
    receivableDocumentKey,
    receivableKey,
    reconciled,
} from './receivable';

const LIST_ROLES = ['seller', 'buyer'] as const;


function requireStatus(receivable: Receivable, allowed: readonly ReceivableStatus[], action: string): void {
    if (!allowed.includes(receivable.status)) {
        throw fail.state(`receivable ${receivable.id} is ${receivable.status}; ${action} requires ${allowed.join(' or ')}`);
    }
}

/**
 * Invoice-backed receivables (应收账款): register, confirm (确权), dispute, cancel, settle, read, list.
 *
 * Reads (also by invoice document) are for the parties and the supervisors only (see receivable-access.ts): a financier may
 * check the receivables behind a note it finances or is asked to fund.
 */
@Info({ title: 'ReceivableContract', description: 'Receivables: register, confirm, dispute, cancel, settle, read, list' })
export class ReceivableContract extends XinlianContract {
    constructor() {
        super('receivable');
    }

    /**
     * Registers a receivable of the caller's own enterprise (supplier) against an active buyer.
     * Request: {buyerId, invoiceNumber, amount, currency, issueDate, dueDate, documentCid}.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, DOUBLE_FINANCING.
     */
    @Transaction()
    @Returns('string')
    async RegisterReceivable(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const fields = parseReceivableRequest(parseRequest(request), txTime(ctx).slice(0, 10));
        if (fields.buyerId === actor.eid) {
            throw fail.invalid('a seller cannot register a receivable against itself');
        }
        await requireActiveEnterprise(ctx, fields.buyerId, ['CORE_ENTERPRISE', 'SUPPLIER']);
        const tuple = { sellerId: actor.eid, buyerId: fields.buyerId, invoiceNumber: fields.invoiceNumber, amount: fields.amount, issueDate: fields.issueDate };
        const fingerprint = receivableFingerprint(ctx.stub.getChannelID(), tuple);
        const uniqueKey = fingerprintKey(ctx, fingerprint);
        const legacy = legacyFingerprint(ctx.stub.getChannelID(), tuple);
        if ((await keyExists(ctx, uniqueKey)) || (legacy !== undefined && (await keyExists(ctx, fingerprintKey(ctx, legacy))))) {
            // Deliberately does not name the earlier receivable or its state.
            throw new ChaincodeError('DOUBLE_FINANCING', `invoice ${fields.invoiceNumber} is already registered on this ledger`);
        }
        const numberKey = invoiceNumberKey(ctx, invoiceNumberHash(ctx.stub.getChannelID(), tuple));
        if (await keyExists(ctx, numberKey)) {
            // Only this seller can hold the key, so nothing is revealed to anyone else.
            throw new ChaincodeError(
                'DOUBLE_FINANCING',
                `invoice number ${fields.invoiceNumber} is already registered for buyer ${fields.buyerId}: an invoice number is financed once per seller and buyer, whatever its amount or dates`,
            );
        }
        const documentKey = receivableDocumentKey(ctx, fields.documentCid);
        const backed = await readRecord<ReceivableClaim>(ctx, documentKey);
        if (backed !== undefined) {
            // Named to its own seller only: another enterprise learns no receivable id from a document it holds.
            const earlier = await readRecord<StoredReceivable>(ctx, receivableKey(ctx, backed.receivableId));
            const which = earlier?.sellerId === actor.eid ? `receivable ${backed.receivableId}` : 'another receivable';
            throw new ChaincodeError('DOUBLE_FINANCING', `document ${fields.documentCid} already backs ${which}: one invoice document backs one receivable`);
        }
        const receivable = newReceivable(deriveId(ctx, 'RCV'), actor.eid, fields, fingerprint, txTime(ctx));
        await writeRecord(ctx, receivableKey(ctx, receivable.id), receivable);
        // Never deleted, not even on cancellation: an invoice, its number for the buyer and its
        // document are registered once per ledger.
        await writeRecord(ctx, uniqueKey, { docType: 'fingerprint', fingerprint, receivableId: receivable.id });
        await writeRecord(ctx, numberKey, { docType: 'invoice-number', receivableId: receivable.id });
        await writeRecord(ctx, documentKey, { docType: 'receivable-document', documentCid: receivable.documentCid, receivableId: receivable.id });
        await putIndex(ctx, RECEIVABLE_BY_SELLER, [receivable.sellerId, receivable.id]);
        await putIndex(ctx, RECEIVABLE_BY_BUYER, [receivable.buyerId, receivable.id]);
        await linkRecord(ctx, [receivable.sellerId, receivable.buyerId], { type: 'receivable', id: receivable.id });
        this.emit(ctx, 'RegisterReceivable', receivable);
        return canonicalStringify(receivable);
    }

    /**
     * Confirms (确权) a REGISTERED or (once resolved) DISPUTED receivable (the named buyer).
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async ConfirmReceivable(ctx: Context, receivableId: string): Promise<string> {
        const receivable = await this.requireBuyer(ctx, receivableId);
        requireStatus(receivable, ['REGISTERED', 'DISPUTED'], 'confirmation');
        const now = txTime(ctx);
        return this.save(ctx, 'ConfirmReceivable', reconciled({ ...receivable, status: 'CONFIRMED', confirmedAt: now }, now));
    }

    /**
     * Disputes a REGISTERED receivable (the named buyer). Disputing a claim it never confirmed is
     * the buyer's right, and anyone can register a claim against anyone, so a dispute records no
     * credit event: it moves neither the buyer's score nor its warning (docs/credit-scoring.md).
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async DisputeReceivable(ctx: Context, receivableId: string, reason: string): Promise<string> {
        const receivable = await this.requireBuyer(ctx, receivableId);
        const why = parseReason(reason);
        requireStatus(receivable, ['REGISTERED'], 'a dispute');
        const now = txTime(ctx);
        return this.save(ctx, 'DisputeReceivable', { ...receivable, status: 'DISPUTED', disputedAt: now, disputeReason: why, updatedAt: now });
    }

    /**
     * Cancels a REGISTERED or DISPUTED receivable (the seller). Its fingerprint stays taken.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async CancelReceivable(ctx: Context, receivableId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const receivable = await mustReadReceivable(ctx, receivableId);
        if (receivable.sellerId !== actor.eid) {
            throw fail.forbidden(`only the seller may cancel receivable ${receivableId}`);
        }
        const why = parseReason(reason);
        requireStatus(receivable, ['REGISTERED', 'DISPUTED'], 'cancellation');
        const now = txTime(ctx);
        return this.save(ctx, 'CancelReceivable', { ...receivable, status: 'CANCELLED', cancelledAt: now, cancelReason: why, updatedAt: now });
    }

    /**
     * Acknowledges payment received outside a credit note (the seller, the creditor: a buyer cannot
     * declare its own debt paid). It covers what no note draws on (`availableAmount`); the parts
     * backing notes are settled by their redemption. The receivable becomes SETTLED, or NOTED while
     * a note backed by it is unredeemed.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async SettleReceivable(ctx: Context, receivableId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier');
        const receivable = await mustReadReceivable(ctx, receivableId);
        if (receivable.sellerId !== actor.eid) {
            throw fail.forbidden(`only the seller ${receivable.sellerId} may acknowledge payment of receivable ${receivableId}`);
        }
        return this.save(ctx, 'SettleReceivable', acknowledgedPayment(receivable, txTime(ctx)));
    }

    /**
     * Reads one receivable (its seller and buyer, a financier of the note it backs, the regulator,
     * the platform admin). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ReadReceivable(ctx: Context, receivableId: string): Promise<string> {
        const reader = await identifyReceivableReader(ctx);
        const receivable = await mustReadReceivable(ctx, receivableId);
        await authorizeReceivableRead(ctx, reader, receivable);
        return canonicalStringify(receivable);
    }

    /**
     * Reads the receivable an invoice document backs, under the rules of ReadReceivable: the
     * gateway asks it as the caller to decide who may download the document.
     * Throws UNAUTHENTICATED, FORBIDDEN (unregistered caller), INVALID_ARGUMENT, NOT_FOUND (no
     * receivable the caller may read names the document, or it was registered before documents
     * were indexed: a reader not entitled to it cannot tell).
     */
    @Transaction(false)
    @Returns('string')
    async ReadReceivableByDocument(ctx: Context, documentCid: string): Promise<string> {
        const reader = await identifyReceivableReader(ctx);
        if (!isDocumentCid(documentCid)) {
            throw fail.invalid('documentCid must be a CIDv1 in multibase base32 (b…)');
        }
        const backed = await readRecord<ReceivableClaim>(ctx, receivableDocumentKey(ctx, documentCid));
        const receivable = backed === undefined ? undefined : await mustReadReceivable(ctx, backed.receivableId);
        // A reader not entitled to the receivable learns nothing, not even that the document backs one.
        if (receivable === undefined || !(await mayReadReceivable(ctx, reader, receivable))) {
            throw fail.notFound(`no receivable you may read is backed by document ${documentCid}`);
        }
        return canonicalStringify(receivable);
    }

    /**
     * Lists, in id order, the receivables where the enterprise is the seller or the buyer
     * (`role` = 'seller' | 'buyer'; the enterprise itself, the regulator, the platform admin).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT.
     */
    @Transaction(false)
    @Returns('string')
    async ListReceivables(ctx: Context, enterpriseId: string, role: string): Promise<string> {
        const reader = await identifyReceivableReader(ctx);
        requireId(enterpriseId, 'enterpriseId');
        if (!(LIST_ROLES as readonly string[]).includes(role)) {
            throw fail.invalid(`role must be one of ${LIST_ROLES.join(', ')}`);
        }
        authorizeReceivableList(reader, enterpriseId);
        const index = role === 'seller' ? RECEIVABLE_BY_SELLER : RECEIVABLE_BY_BUYER;
        const rows = await scanIndex(ctx, index, [enterpriseId]);
        const receivables: Receivable[] = [];
        for (const [, id] of rows) {
            receivables.push(await mustReadReceivable(ctx, id));
        }
        return canonicalStringify(receivables);
    }

    /** The caller must be an active core enterprise or supplier and the receivable's named buyer. */
    private async requireBuyer(ctx: Context, receivableId: string): Promise<Receivable> {
        const actor = await requireActor(ctx, 'core-enterprise', 'supplier');
        const receivable = await mustReadReceivable(ctx, receivableId);
        if (receivable.buyerId !== actor.eid) {
            throw fail.forbidden(`only the buyer ${receivable.buyerId} may do this to receivable ${receivableId}`);
        }
        return receivable;
    }

    private async save(ctx: Context, event: string, updated: Receivable): Promise<string> {
        await writeRecord(ctx, receivableKey(ctx, updated.id), updated);
        this.emit(ctx, event, updated);
        return canonicalStringify(updated);
    }

    private emit(ctx: Context, event: string, receivable: Receivable): void {
        emitEvent(ctx, event, { receivableId: receivable.id, sellerId: receivable.sellerId, buyerId: receivable.buyerId, status: receivable.status });
    }
}
