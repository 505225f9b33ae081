import { maturityInstant } from '../ledger/expiry';
import type { Note } from './note';

/**
 * The grace period of credit notes: the whole days after the maturity date before a root may be
 * marked overdue. The platform admin sets it (note-parameters.ts) and each root keeps the value in
 * force when it was issued. Pure arithmetic with type-only imports besides ledger/expiry.ts: the
 * client app bundles this file and checks the same limit as the ledger.
 */

/** Grace after maturity before a root may be marked overdue, by default. */
export const DEFAULT_GRACE_DAYS = 3;
/** Longest grace period the platform may set. */
export const MAX_GRACE_DAYS = 90;

const MS_PER_DAY = 86_400_000;

/**
 * The instant a root's grace ends: 00:00 UTC of the day after its maturity date plus the grace days
 * fixed on it at issuance (none on a root recorded without them). The maturity date itself is never
 * part of the grace: a root redeemed at any time of its maturity date, or of one of the grace days
 * after it, is on time. From this instant on, a redemption is late and anyone may mark the root
 * overdue (maturity 2026-04-15, grace 3: on time until 2026-04-18 23:59:59.999, overdue from
 * 2026-04-19T00:00:00Z; grace 0: overdue from 2026-04-16T00:00:00Z).
 */
export function graceDeadline(root: Pick<Note, 'maturityDate' | 'graceDays'>): Date {
    return new Date(maturityInstant(root).getTime() + (1 + (root.graceDays ?? 0)) * MS_PER_DAY);
}

/**
 * Whether `now` is past a root's grace: at or after its grace deadline. An unredeemed root may then
 * be marked overdue, and redeeming it counts as late; before, a redemption is on time.
 */
export function pastGrace(root: Pick<Note, 'maturityDate' | 'graceDays'>, now: Date): boolean {
    return now.getTime() >= graceDeadline(root).getTime();
}
