import { maturityInstant } from '../ledger/expiry';
import type { Note } from './note';

/**
 * The grace period of credit notes: the days after maturity before a root may be marked overdue.
 * The platform admin sets it (note-parameters.ts) and each root keeps the value in force when it was
 * issued. Pure arithmetic with type-only imports besides ledger/expiry.ts: the client app bundles
 * this file and checks the same limit as the ledger.
 */

/** Grace after maturity before a root may be marked overdue, by default. */
export const DEFAULT_GRACE_DAYS = 3;
/** Longest grace period the platform may set. */
export const MAX_GRACE_DAYS = 90;

const MS_PER_DAY = 86_400_000;

/**
 * The last instant a root counts as redeemed on time: its maturity instant plus the grace days fixed
 * on it at issuance (none on a root recorded without them). After it, anyone may mark it overdue.
 */
export function graceDeadline(root: Pick<Note, 'maturityDate' | 'graceDays'>): Date {
    return new Date(maturityInstant(root).getTime() + (root.graceDays ?? 0) * MS_PER_DAY);
}
