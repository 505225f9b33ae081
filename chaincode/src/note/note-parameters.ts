import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { Input } from '../ledger/input';
import { compositeKey, readRecord, writeRecord } from '../ledger/state';

/**
 * Platform parameters of credit notes. The platform admin may move the default tenor cap within
 * the hard maximum of 12 months (366 days); the grace period is copied onto each root at issuance,
 * so a later change never makes an existing note overdue retroactively.
 */

/** Tenor cap by default: 6 months. */
export const DEFAULT_MAX_TENOR_DAYS = 183;
/** Tenor cap no parameter may exceed: 12 months. */
export const HARD_MAX_TENOR_DAYS = 366;
/** Grace after maturity before a root may be marked overdue, by default. */
export const DEFAULT_GRACE_DAYS = 3;
/** Longest grace period the platform may set. */
export const MAX_GRACE_DAYS = 90;

export interface NoteParameters {
    docType: 'noteParameters';
    maxTenorDays: number;
    graceDays: number;
    /** Absent while the defaults apply. */
    updatedAt?: string;
    updatedBy?: string;
}

/** The defaults, in force until the platform admin sets parameters. */
export const DEFAULT_NOTE_PARAMETERS: Readonly<NoteParameters> = Object.freeze({
    docType: 'noteParameters',
    maxTenorDays: DEFAULT_MAX_TENOR_DAYS,
    graceDays: DEFAULT_GRACE_DAYS,
});

/** The audit reference of the single parameters record (its key is compositeKey('noteParameters', ['current'])). */
export const NOTE_PARAMETERS_REF = { type: 'noteParameters', id: 'current' } as const;

/** The key of the single parameters record. */
export function noteParametersKey(ctx: Context): string {
    return compositeKey(ctx, NOTE_PARAMETERS_REF.type, [NOTE_PARAMETERS_REF.id]);
}

/** The parameters in force. */
export async function readNoteParameters(ctx: Context): Promise<NoteParameters> {
    return (await readRecord<NoteParameters>(ctx, noteParametersKey(ctx))) ?? { ...DEFAULT_NOTE_PARAMETERS };
}

/** Parses a SetNoteParameters request {maxTenorDays, graceDays}. Throws INVALID_ARGUMENT. */
export function parseNoteParameters(input: Input, updatedBy: string, now: string): NoteParameters {
    const maxTenorDays = input.integer('maxTenorDays', { min: 1, max: HARD_MAX_TENOR_DAYS });
    const graceDays = input.integer('graceDays', { min: 0, max: MAX_GRACE_DAYS });
    input.done();
    return { docType: 'noteParameters', maxTenorDays, graceDays, updatedAt: now, updatedBy };
}

/**
 * Writes new parameters and links the record to the enterprise of the platform admin who set them
 * (`next.updatedBy`, the platform operator), so the operator's audit pack carries the record and its
 * key history: every change with its transaction id. Throws INVALID_STATE when nothing would change.
 */
export async function writeNoteParameters(ctx: Context, current: NoteParameters, next: NoteParameters): Promise<void> {
    if (current.maxTenorDays === next.maxTenorDays && current.graceDays === next.graceDays) {
        throw fail.state('the note parameters already have these values');
    }
    await writeRecord(ctx, noteParametersKey(ctx), next);
    if (next.updatedBy !== undefined) {
        await linkRecord(ctx, [next.updatedBy], NOTE_PARAMETERS_REF);
    }
}
