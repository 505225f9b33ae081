import { graceDeadline, pastGrace } from '../../chaincode/src/note/grace';
import { AmountInputError, addDays, daysUntil, formatMoney, parseMajorUnits, sumMinor } from './format';
import type { Note } from './resources';

/**
 * The checks the note forms run as the user types, before anything is sent: a split's parts, an
 * offer's validity, a note's backing, when a root may be marked overdue. Pure functions; the
 * ledger stays the judge (chaincode/src/note), these only say early and in words what it will say.
 */

/** Most parts one split creates (the chaincode's MAX_SPLIT_CHILDREN, the gateway's limit). */
export const MAX_SPLIT_PARTS = 50;

/** Longest validity this client offers a transfer for, in days (the ledger only bounds it by maturity). */
export const MAX_OFFER_DAYS = 30;

/** How the split box reads its text, for its hint. */
export const SPLIT_SEPARATOR_HINT =
    'Separate the amounts with ";", a new line, a space, or a comma followed by a space. A comma or space between digits groups thousands only in groups of three: "600,634.56" and "600 634.56" are one amount, "100000 50000" and "600, 634.56" are two.';

/** Parts a split message lists before it says "…". */
const PARTS_LISTED = 6;

/** Digits grouped in threes by single spaces ("1 234 567.89"): one amount, not several. */
const SPACE_GROUPED = /^\d{1,3}(?: \d{3})+(?:\.\d*)?$/;

/**
 * The pieces of a typed list of amounts: separated by ";", a line break, a comma followed by
 * white space (or ending the text), or white space — except spaces that group thousands
 * ("1 234 567.89": groups of exactly three digits after the first group). A comma between digits
 * stays inside its amount.
 */
export function splitAmountList(input: string): string[] {
    return input
        .split(/;|\n|,(?=\s)|,\s*$/)
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .flatMap((part) => (SPACE_GROUPED.test(part.replace(/\s+/g, ' ')) ? [part] : part.split(/\s+/)));
}

/** Commas inside one amount must group thousands ("1,234,567.89"); anything else is a typing slip. */
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d*)?$/;

/**
 * One amount of a list in minor units. Throws AmountInputError, also for a comma that does not
 * group thousands ("600000,400000"), which would otherwise silently join two amounts.
 */
function parseListedAmount(part: string, currency: string): string {
    if (part.includes(',') && !GROUPED.test(part.replace(/\s/g, ''))) {
        throw new AmountInputError(`"${part}" is not one amount: a comma inside an amount must group thousands (600,000). To separate two amounts, put a space after the comma or use ";".`);
    }
    return parseMajorUnits(part, currency);
}

/** The verdict on a split's typed amounts: the parts read (minor units), whether they may be sent, and what to tell the user. */
export interface SplitCheck {
    parts: string[];
    ok: boolean;
    message: string;
}

/** Checks typed split amounts against a note of `total` minor units: at least two parts, at most 50, summing exactly to the note. */
export function checkSplit(input: string, total: string, currency: string): SplitCheck {
    let parts: string[];
    try {
        parts = splitAmountList(input).map((part) => parseListedAmount(part, currency));
    } catch (error) {
        return { parts: [], ok: false, message: (error as Error).message };
    }
    const listed = (): string => parts.slice(0, PARTS_LISTED).map((p) => formatMoney(p, currency)).join(' + ') + (parts.length > PARTS_LISTED ? ' + …' : '');
    const whole = formatMoney(total, currency);
    if (parts.length === 0) {
        return { parts, ok: false, message: `Enter at least two amounts that add up to ${whole}.` };
    }
    if (parts.length === 1) {
        return { parts, ok: false, message: `Only one amount read (${listed()}): a split needs at least two. ${SPLIT_SEPARATOR_HINT}` };
    }
    if (parts.length > MAX_SPLIT_PARTS) {
        return { parts, ok: false, message: `${parts.length} parts read: a note splits into at most ${MAX_SPLIT_PARTS}.` };
    }
    const sum = BigInt(sumMinor(parts));
    const difference = sum - BigInt(total);
    if (difference !== 0n) {
        const gap = difference < 0n ? `${formatMoney(-difference, currency)} short` : `${formatMoney(difference, currency)} too much`;
        return { parts, ok: false, message: `${parts.length} parts read (${listed()}) add up to ${formatMoney(sum, currency)}; they must add up to ${whole} (${gap}).` };
    }
    return { parts, ok: true, message: `✓ ${parts.length} parts add up to ${whole}: ${listed()}.` };
}

/**
 * The verdict on an offer's validity in days: the days, or why not — and whether the days typed are
 * what must change (`ofDays`; false when the note matures too soon for any offer).
 */
export type OfferDaysCheck = { ok: true; days: number; expiresAt: string } | { ok: false; message: string; ofDays: boolean };

/**
 * Checks "valid for N days": a whole number from 1 to MAX_OFFER_DAYS, and the offer (open until the
 * end of its last day, UTC) must end before the note matures — the ledger refuses an offer that
 * outlasts its note's maturity.
 */
export function checkOfferDays(text: string, maturityDate: string, today: Date): OfferDaysCheck {
    const value = text.trim();
    const latest = Math.min(MAX_OFFER_DAYS, daysUntil(maturityDate, today) - 1);
    if (latest < 1) {
        return { ok: false, message: `The note matures on ${maturityDate}: too soon for a transfer offer to run a whole day.`, ofDays: false };
    }
    if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_OFFER_DAYS) {
        return { ok: false, message: `An offer can be valid for 1 to ${MAX_OFFER_DAYS} whole days${latest < MAX_OFFER_DAYS ? ` (for this note at most ${latest}, as it matures on ${maturityDate})` : ''}.`, ofDays: true };
    }
    const days = Number(value);
    if (days > latest) {
        return { ok: false, message: `The offer must end before the note matures on ${maturityDate}: at most ${latest} day${latest === 1 ? '' : 's'}.`, ofDays: true };
    }
    return { ok: true, days, expiresAt: `${addDays(today, days)}T23:59:59.000Z` };
}

/** The verdict on a note's amount against the receivables chosen to back it. */
export interface BackingCheck {
    /** Total of the chosen receivables, minor units. */
    total: string;
    /** What of that total the note leaves unused, minor units ("0" when none). */
    remainder: string;
    /** Why the amount cannot be issued (above the backing). */
    error?: string;
    /** What a note for less than its backing leaves available. */
    note?: string;
}

/**
 * Checks a note's amount against its backing, by the issuance rule (chaincode/src/note/issuance.ts
 * and receivable.ts useReceivablesForNote): the note draws its face from the selected receivables'
 * available amounts in the order listed, so the face may not exceed what they have available, and
 * every receivable listed must be needed (one listed after those that already cover the face is
 * refused). What the last one keeps stays available to back another note.
 */
export function checkBacking(amount: string, receivableAmounts: readonly string[], currency: string): BackingCheck {
    const total = sumMinor(receivableAmounts);
    const difference = BigInt(total) - BigInt(amount);
    if (difference < 0n) {
        return { total, remainder: '0', error: `The note cannot be larger than what the selected receivables have available (${formatMoney(total, currency)}).` };
    }
    const beforeLast = BigInt(sumMinor(receivableAmounts.slice(0, -1)));
    if (receivableAmounts.length > 1 && beforeLast >= BigInt(amount)) {
        return { total, remainder: difference.toString(), error: `The note of ${formatMoney(amount, currency)} is covered before the last receivable selected; select only those it needs.` };
    }
    if (difference === 0n) {
        return { total, remainder: '0' };
    }
    return {
        total,
        remainder: difference.toString(),
        note: `The note draws ${formatMoney(amount, currency)}; the remaining ${formatMoney(difference, currency)} of the last receivable selected stays available to back another note.`,
    };
}

/**
 * What the issue form offers as the amount of a new note: what the selected receivables have
 * available, but never more than the credit line has left (the ledger refuses a note above the
 * line's remaining limit, INSUFFICIENT_LIMIT). `capped` says the line's limit set it.
 */
export function defaultIssueAmount(receivableAmounts: readonly string[], remaining: string): { amount: string; capped: boolean } {
    const total = BigInt(sumMinor(receivableAmounts));
    const left = BigInt(remaining) > 0n ? BigInt(remaining) : 0n;
    return total > left ? { amount: left.toString(), capped: true } : { amount: total.toString(), capped: false };
}

/**
 * Why a note of `amount` minor units cannot draw on a line with `remaining` left, in words, or
 * undefined when it fits: the ledger's check at issuance (chaincode/src/credit-line, INSUFFICIENT_LIMIT) said early.
 */
export function limitProblem(amount: string, remaining: string, currency: string, financierName: string): string | undefined {
    if (BigInt(amount) <= BigInt(remaining)) {
        return undefined;
    }
    const left = BigInt(remaining) > 0n ? remaining : '0';
    return `The credit line has ${formatMoney(left, currency)} left: the note can be at most that. Issue a smaller note, or ask ${financierName} to raise the limit.`;
}

/**
 * When a root's grace ends (the chaincode's graceDeadline): 00:00 UTC of the day after its maturity
 * date plus its grace days. Redeemed before it, the root is on time; from it on, it is overdue.
 */
export function overdueDeadline(maturityDate: string, graceDays: number): Date {
    return graceDeadline({ maturityDate, graceDays });
}

/** The last UTC date on which a root with this grace deadline is redeemed on time (YYYY-MM-DD): the day before the deadline. */
export function lastOnTimeDate(deadline: Date): string {
    return new Date(deadline.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** Whether anyone may mark an unredeemed root overdue at `now`: from its grace deadline on (the chaincode's pastGrace). */
export function overdueAllowed(maturityDate: string, graceDays: number, now: Date): boolean {
    return pastGrace({ maturityDate, graceDays }, now);
}

/**
 * Whether a held note's row offers "Mark overdue" on its root: once the note has matured (before,
 * nothing is late), unless the root is marked overdue already or has been redeemed. A note in
 * escrow says its root was redeemed (the issuer paid its part into escrow while its holder was
 * frozen), as does a root whose record reads REDEEMED: the ledger refuses to mark either.
 */
export function offersMarkOverdue(note: Pick<Note, 'status'>, root: Pick<Note, 'rootStatus'> | undefined, matured: boolean, markedOverdue: boolean): boolean {
    return matured && !markedOverdue && note.status !== 'ESCROWED' && root?.rootStatus !== 'REDEEMED';
}
