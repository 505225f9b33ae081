import type { Context } from 'fabric-contract-api';
import { compositeKey, putIndex, scanIndex } from './state';

/**
 * Links primary records to the enterprises they concern, so an audit pack can collect every
 * record of an enterprise with its history. Primary records live under `compositeKey(type, [id])`;
 * a link is the index entry `audit ~ enterpriseId ~ type ~ id`.
 */

/** A reference to a primary record. */
export interface RecordRef {
    type: string;
    id: string;
}

/** The key of a primary record. */
export function recordKey(ctx: Context, ref: RecordRef): string {
    return compositeKey(ctx, ref.type, [ref.id]);
}

/** Links one record to each enterprise in `enterpriseIds` (duplicates are ignored). */
export async function linkRecord(ctx: Context, enterpriseIds: readonly string[], ref: RecordRef): Promise<void> {
    for (const eid of new Set(enterpriseIds)) {
        await putIndex(ctx, 'audit', [eid, ref.type, ref.id]);
    }
}

/** Every record linked to an enterprise, in key order. */
export async function linkedRecords(ctx: Context, enterpriseId: string): Promise<RecordRef[]> {
    const rows = await scanIndex(ctx, 'audit', [enterpriseId]);
    return rows.map(([, type, id]) => ({ type, id }));
}
