import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { Input } from '../ledger/input';
import { compositeKey, readRecord, writeRecord } from '../ledger/state';
import { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS } from './grace';
import { DEFAULT_MAX_TENOR_MONTHS, HARD_MAX_TENOR_MONTHS, monthsFromTenorDays } from './tenor';

/**
 * Platform parameters of credit notes. The platform admin may move the default tenor cap of 6
 * calendar months within the hard maximum of 12 (see `tenor.ts` for the month arithmetic); the grace
 * period is copied onto each root at issuance, so a later change never makes an existing note
 * overdue retroactively.
 */

/** The grace period's default and limit (grace.ts, which the client app bundles). */
export { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS };

export interface NoteParameters {
    docType: 'noteParameters';
    /** Tenor cap in calendar months (1..12): a note may mature at most this many months after its issue date. */
    maxTenorMonths: number;
    graceDays: number;
    /** Absent while the defaults apply. */
    updatedAt?: string;
    updatedBy?: string;
}

/**
 * The parameters record as a ledger may hold it: ledgers written before caps were months hold
 * `maxTenorDays` instead of `maxTenorMonths`.
 */
type StoredNoteParameters = Omit<NoteParameters, 'maxTenorMonths'> & { maxTenorMonths?: number; maxTenorDays?: number };

/** The defaults, in force until the platform admin sets parameters. */
export const DEFAULT_NOTE_PARAMETERS: Readonly<NoteParameters> = Object.freeze({
    docType: 'noteParameters',
    maxTenorMonths: DEFAULT_MAX_TENOR_MONTHS,
    graceDays: DEFAULT_GRACE_DAYS,
});

/** The audit reference of the single parameters record (its key is compositeKey('noteParameters', ['current'])). */
export const NOTE_PARAMETERS_REF = { type: 'noteParameters', id: 'current' } as const;

/** The key of the single parameters record. */
export function noteParametersKey(ctx: Context): string {
    return compositeKey(ctx, NOTE_PARAMETERS_REF.type, [NOTE_PARAMETERS_REF.id]);
}

/**
 * A stored record in the current form. A record kept in days (`maxTenorDays`) reads as its nearest
 * whole month within 1..12 (`monthsFromTenorDays`: 183 → 6, 366 → 12); the next SetNoteParameters
 * rewrites it with `maxTenorMonths`.
 */
export function normaliseNoteParameters(stored: StoredNoteParameters): NoteParameters {
    const { maxTenorDays, maxTenorMonths, ...rest } = stored;
    return { ...rest, maxTenorMonths: maxTenorMonths ?? monthsFromTenorDays(maxTenorDays) };
}

/** The parameters in force. */
export async function readNoteParameters(ctx: Context): Promise<NoteParameters> {
    const stored = await readRecord<StoredNoteParameters>(ctx, noteParametersKey(ctx));
    return stored ? normaliseNoteParameters(stored) : { ...DEFAULT_NOTE_PARAMETERS };
}

/**
 * Parses a SetNoteParameters request {maxTenorMonths, graceDays}. A request that still sends the cap in
 * days (`maxTenorDays`) is refused with a message naming the field that replaced it.
 * Throws INVALID_ARGUMENT.
 */
export function parseNoteParameters(input: Input, updatedBy: string, now: string): NoteParameters {
    if (input.has('maxTenorDays')) {
        throw fail.invalid(`request.maxTenorDays is no longer accepted: the tenor cap is set in calendar months as request.maxTenorMonths (1 to ${HARD_MAX_TENOR_MONTHS})`);
    }
    const maxTenorMonths = input.integer('maxTenorMonths', { min: 1, max: HARD_MAX_TENOR_MONTHS });
    const graceDays = input.integer('graceDays', { min: 0, max: MAX_GRACE_DAYS });
    input.done();
    return { docType: 'noteParameters', maxTenorMonths, graceDays, updatedAt: now, updatedBy };
}

/** What SetNoteParameters did: the parameters in force after it, and whether it wrote them. */
export interface NoteParametersUpdate {
    parameters: NoteParameters;
    /** False when the request changed nothing: no write, no audit link, and the caller emits no event. */
    written: boolean;
}

/**
 * Writes new parameters and links the record to the enterprise of the platform admin who set them
 * (`next.updatedBy`, the platform operator), so the operator's audit pack carries the record and its
 * key history: every change with its transaction id. Setting the values already in force is
 * idempotent: it writes nothing (no new version, no history entry) and returns the parameters in
 * force, with who set them and when. A record still kept in days is rewritten in months even when
 * its values read the same.
 */
export async function writeNoteParameters(ctx: Context, next: NoteParameters): Promise<NoteParametersUpdate> {
    const stored = await readRecord<StoredNoteParameters>(ctx, noteParametersKey(ctx));
    const current = stored ? normaliseNoteParameters(stored) : { ...DEFAULT_NOTE_PARAMETERS };
    const keptInDays = stored !== undefined && stored.maxTenorMonths === undefined;
    if (!keptInDays && current.maxTenorMonths === next.maxTenorMonths && current.graceDays === next.graceDays) {
        return { parameters: current, written: false };
    }
    await writeRecord(ctx, noteParametersKey(ctx), next);
    if (next.updatedBy !== undefined) {
        await linkRecord(ctx, [next.updatedBy], NOTE_PARAMETERS_REF);
    }
    return { parameters: next, written: true };
}
