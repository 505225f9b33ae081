import type { DocumentStore } from '../documents/document-store';
import { AppError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import type { LedgerClient } from './ledger-client';

/**
 * Who may download a document. Documents (invoices, valuation reports) are business secrets of
 * the parties, and a CID is no secret (anyone holding or guessing the bytes can compute it), so a
 * download is authorised like the ledger records that cite the document:
 * - the enterprises that uploaded the bytes (the store records each uploader's enterprise);
 * - the regulator and the platform admin, who read every record;
 * - whoever may read a receivable whose invoice it is (receivable:ReadReceivableByDocument) or an
 *   IP asset whose valuation cites it as report (ip:ReadIpAssetByReport), both evaluated as the
 *   caller, so the chaincode's own read rules decide.
 * Documents stored before uploaders were recorded are open only through the last two rules.
 *
 * Because citing a document opens it to the readers of the citing record, a caller may cite on the
 * ledger (a receivable's invoice, a valuation's report) only a document it may download itself at
 * that moment: see requireCitableDocument.
 */

const SUPERVISOR_ROLES: ReadonlySet<string> = new Set(['regulator', 'platform-admin']);

/** The lookups that grant access to a document cited on the ledger. */
const CITING_READS = ['receivable:ReadReceivableByDocument', 'ip:ReadIpAssetByReport'] as const;

/** Codes with which a citing read says "not for you" (or "not cited"): the download is refused, nothing more. */
const DENIALS: ReadonlySet<string> = new Set(['NOT_FOUND', 'FORBIDDEN', 'INVALID_ARGUMENT']);

/**
 * May `user` download the document `cid` that `uploaderIds` uploaded? Throws AppError
 * (LEDGER_UNAVAILABLE, LEDGER_TIMEOUT, …) when the ledger cannot answer.
 */
export async function mayDownloadDocument(ledger: Pick<LedgerClient, 'evaluate'>, user: LedgerUser, cid: string, uploaderIds: readonly string[]): Promise<boolean> {
    if (SUPERVISOR_ROLES.has(user.role) || uploaderIds.includes(user.enterpriseId)) {
        return true;
    }
    for (const read of CITING_READS) {
        try {
            await ledger.evaluate(user, read, [cid]);
            return true;
        } catch (error) {
            if (!(error instanceof AppError && DENIALS.has(error.code))) {
                throw error;
            }
        }
    }
    return false;
}

/**
 * Refuses, before anything is written, a document `user` wants to cite on the ledger unless the store
 * holds it and `user` may download it right now (mayDownloadDocument: uploaded it, supervises, or reads
 * a record already citing it). Otherwise a citation would hand the document to every reader of the
 * citing record. Throws AppError(NOT_FOUND) alike for a document never stored and one stored but not
 * the caller's (a CID can be computed from guessed bytes, so its existence is not revealed), and what
 * the store or the ledger throws when they cannot answer.
 */
export async function requireCitableDocument(
    documents: Pick<DocumentStore, 'get'>,
    ledger: Pick<LedgerClient, 'evaluate'>,
    user: LedgerUser,
    cid: string,
): Promise<void> {
    const found = await documents.get(cid);
    if (!found || !(await mayDownloadDocument(ledger, user, found.document.cid, found.uploaderIds))) {
        throw new AppError('NOT_FOUND', `document ${cid} does not exist`);
    }
}
