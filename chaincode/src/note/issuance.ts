import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { consumeCreditLine, lineUtilisationBps } from '../credit-line/credit-line';
import { recordCreditEvents } from '../profile/credit-profile';
import { requireActiveEnterprise } from '../enterprise/enterprise';
import { linkRecord } from '../ledger/audit-index';
import { Input, requireId, stringItem } from '../ledger/input';
import { putIndex } from '../ledger/state';
import { deriveId, txDate, txId, txTime } from '../ledger/tx';
import { allocateReceivablesToNote, mustReadReceivable } from '../receivable/receivable';
import { NOTE_BY_HOLDER, NOTE_BY_ISSUER, NOTE_BY_ROOT, Note, putNote } from './note';
import { NoteParameters } from './note-parameters';
import { wholeDaysBetween } from './pricing';
import { latestMaturityDate, utcCalendarDate } from './tenor';

/** Most receivables one note may be backed by. */
export const MAX_BACKING_RECEIVABLES = 50;

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The validated fields of an IssueNote request. */
export interface IssueRequest {
    holderId: string;
    amount: bigint;
    currency: string;
    maturityDate: string;
    creditLineId: string;
    /** In the order given: the note draws on them in this order. */
    receivableIds: string[];
}

/** Parses an IssueNote request. Throws INVALID_ARGUMENT. */
export function parseIssueRequest(input: Input): IssueRequest {
    const holderId = requireId(input.string('holderId', { max: 20 }).toUpperCase(), 'request.holderId');
    const amount = input.amount('amount');
    const currency = input.currency('currency');
    const maturityDate = input.string('maturityDate', { max: 10, pattern: CALENDAR_DATE });
    input.date('maturityDate'); // a real calendar date, not just the shape
    const creditLineId = requireId(input.string('creditLineId', { max: 128 }), 'request.creditLineId');
    const receivableIds = input.array('receivableIds', stringItem(128), { min: 1, max: MAX_BACKING_RECEIVABLES }).map((id) => requireId(id, 'request.receivableIds[]'));
    input.done();
    if (new Set(receivableIds).size !== receivableIds.length) {
        throw fail.invalid('request.receivableIds lists a receivable twice');
    }
    return { holderId, amount, currency, maturityDate, creditLineId, receivableIds };
}

/**
 * Checks the tenor: maturity after the issue date (the transaction's UTC date) and no later than the
 * issue date plus the cap in calendar months (`latestMaturityDate`: the same day of the month, or the
 * last day of a shorter month). Returns the days from issue to maturity.
 * Throws INVALID_ARGUMENT (maturity not after the issue date) or TENOR_EXCEEDED.
 */
export function requireTenor(now: Date, maturityDate: string, parameters: NoteParameters): number {
    const days = wholeDaysBetween(now, new Date(`${maturityDate}T00:00:00.000Z`));
    if (days < 1) {
        throw fail.invalid(`maturity ${maturityDate} must be after the issue date`);
    }
    const latest = latestMaturityDate(now, parameters.maxTenorMonths);
    if (maturityDate > latest) {
        const months = parameters.maxTenorMonths === 1 ? '1 month' : `${parameters.maxTenorMonths} months`;
        throw new ChaincodeError('TENOR_EXCEEDED', `maturity ${maturityDate} exceeds the tenor cap of ${months}: a note issued on ${utcCalendarDate(now)} may mature on ${latest} at the latest`);
    }
    return days;
}

/**
 * Issues a root note from `issuerId` (an active core enterprise, already authorised) to an active
 * supplier: checks tenor and backing, allocates the face amount over the receivables in the order
 * given (each gives what it has available until the face is covered; the rest of the last stays
 * available to back another note), draws the credit line, writes the root and its indexes.
 * Returns the root.
 * Throws INVALID_ARGUMENT, NOT_FOUND, ENTERPRISE_FROZEN, TENOR_EXCEEDED, FORBIDDEN,
 * DOUBLE_FINANCING, INVALID_STATE, EXPIRED, INSUFFICIENT_LIMIT.
 */
export async function issueNote(ctx: Context, issuerId: string, request: IssueRequest, parameters: NoteParameters): Promise<Note> {
    await requireActiveEnterprise(ctx, request.holderId, ['SUPPLIER']);
    requireTenor(txDate(ctx), request.maturityDate, parameters);
    // The note pays the supplier for its own invoices: every backing receivable must be its sale.
    for (const id of request.receivableIds) {
        const receivable = await mustReadReceivable(ctx, id);
        if (receivable.sellerId !== request.holderId) {
            throw fail.invalid(`receivable ${id} was sold by ${receivable.sellerId}, not by the payee ${request.holderId}`);
        }
    }
    const id = deriveId(ctx, 'N', 0);
    const backing = await allocateReceivablesToNote(ctx, request.receivableIds, issuerId, request.currency, id, request.amount);
    const line = await consumeCreditLine(ctx, request.creditLineId, issuerId, request.currency, request.amount);
    await recordCreditEvents(ctx, [
        { type: 'CREDIT_LINE_UTILISATION', enterpriseId: issuerId, ref: line.id, usedBps: lineUtilisationBps(line) },
    ]);
    const now = txTime(ctx);
    const root: Note = {
        docType: 'note',
        id,
        rootId: id,
        issuerId,
        holderId: request.holderId,
        amount: request.amount.toString(),
        currency: request.currency,
        maturityDate: request.maturityDate,
        tier: 1,
        status: 'ACTIVE',
        origin: 'ISSUE',
        createdAt: now,
        txId: txId(ctx),
        updatedAt: now,
        faceAmount: request.amount.toString(),
        creditLineId: request.creditLineId,
        receivableIds: request.receivableIds,
        backing,
        graceDays: parameters.graceDays,
        rootStatus: 'OUTSTANDING',
        overdue: false,
    };
    await putNote(ctx, root);
    await putIndex(ctx, NOTE_BY_HOLDER, [root.holderId, id]);
    await putIndex(ctx, NOTE_BY_ROOT, [id, id]);
    await putIndex(ctx, NOTE_BY_ISSUER, [issuerId, id]);
    await linkRecord(ctx, [issuerId, root.holderId], { type: 'note', id });
    return root;
}
