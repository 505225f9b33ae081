import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { Caller, getCaller } from '../ledger/caller';
import { Reader, identifyReader } from '../note/access';
import { listDiscountRequestsOf } from '../note/discount';
import { readNotesOfRoot } from '../note/note';
import { Receivable } from './receivable';

/**
 * Who may read receivables. An invoice's number, amount, dates and document are the seller's and
 * the buyer's business, like the notes and offers built on them, so reads are not open to every
 * member. Entitled:
 * - the seller and the buyer (any user acting for its registered enterprise, frozen or not);
 * - the regulator, who reads everything, and the platform admin (operator), as for IP assets and
 *   pledges;
 * - a financier financing a credit note the receivable backs: it holds or held a note of that
 *   root (it discounted a fragment), or it is invited to an open discount request on one — it must
 *   be able to check the invoices behind what it is asked to fund.
 * Listing an enterprise's receivables is for that enterprise, the regulator and the admin.
 */

/** Roles that read every receivable and list any enterprise's. */
const SUPERVISORS: ReadonlySet<string> = new Set(['regulator', 'platform-admin']);

/** The reader of a receivable: a supervisor, or a user acting for its own registered enterprise. */
export type ReceivableReader = (Caller & { supervisor: true }) | (Reader & { supervisor: false });

/** Identifies the reader. Throws UNAUTHENTICATED or FORBIDDEN (unregistered or mismatched enterprise). */
export async function identifyReceivableReader(ctx: Context): Promise<ReceivableReader> {
    const caller = getCaller(ctx);
    if (SUPERVISORS.has(caller.role)) {
        return { ...caller, supervisor: true };
    }
    return { ...(await identifyReader(ctx)), supervisor: false };
}

/** Is the financier funding, or invited to fund, a note of `rootId`? */
async function financesRoot(ctx: Context, financierId: string, rootId: string): Promise<boolean> {
    if ((await readNotesOfRoot(ctx, rootId)).some((note) => note.holderId === financierId)) {
        return true;
    }
    const requests = await listDiscountRequestsOf(ctx, financierId);
    return requests.some((request) => request.rootId === rootId && request.status === 'OPEN' && request.financierIds.includes(financierId));
}

/** Is the reader entitled to `receivable` (see above)? */
export async function mayReadReceivable(ctx: Context, reader: ReceivableReader, receivable: Receivable): Promise<boolean> {
    if (reader.supervisor || reader.eid === receivable.sellerId || reader.eid === receivable.buyerId) {
        return true;
    }
    if (reader.role !== 'financier') {
        return false;
    }
    // A receivable may back several notes (each draws part of it): financing any one of them entitles.
    for (const noteId of new Set(receivable.allocations.map((allocation) => allocation.noteId))) {
        if (await financesRoot(ctx, reader.eid, noteId)) {
            return true;
        }
    }
    return false;
}

/** The reader must be entitled to `receivable` (see above). Throws FORBIDDEN. */
export async function authorizeReceivableRead(ctx: Context, reader: ReceivableReader, receivable: Receivable): Promise<void> {
    if (await mayReadReceivable(ctx, reader, receivable)) {
        return;
    }
    throw fail.forbidden(
        `${reader.eid} may not read receivable ${receivable.id}: only its seller, its buyer, a financier of the note it backs, the regulator and the platform admin may`,
    );
}

/** The reader may list the receivables of `enterpriseId`: that enterprise, the regulator, the admin. Throws FORBIDDEN. */
export function authorizeReceivableList(reader: ReceivableReader, enterpriseId: string): void {
    if (!reader.supervisor && reader.eid !== enterpriseId) {
        throw fail.forbidden(`${reader.eid} may not list the receivables of ${enterpriseId}: only that enterprise, the regulator and the platform admin may`);
    }
}
