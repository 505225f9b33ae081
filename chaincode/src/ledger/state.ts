import type { Context } from 'fabric-contract-api';
import { canonicalBytes } from './canonical-json';
import { fail } from '../errors';

/**
 * Typed world-state access. Fabric semantics apply: a read inside a transaction sees the
 * state as of the start of the transaction, never the transaction's own writes.
 */

/** The UTF-8 text of bytes from the stub, decoded in place (no copy). */
function utf8(bytes: Uint8Array): string {
    return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
}

/** Reads and parses a JSON record, or undefined when the key is absent. */
export async function readRecord<T>(ctx: Context, key: string): Promise<T | undefined> {
    const bytes = await ctx.stub.getState(key);
    if (!bytes || bytes.length === 0) {
        return undefined;
    }
    return JSON.parse(utf8(bytes)) as T;
}

/** Reads a record that must exist. Throws NOT_FOUND naming `what`. */
export async function mustRead<T>(ctx: Context, key: string, what: string): Promise<T> {
    const record = await readRecord<T>(ctx, key);
    if (record === undefined) {
        throw fail.notFound(`${what} does not exist`);
    }
    return record;
}

/** Writes a record as canonical JSON. */
export async function writeRecord(ctx: Context, key: string, value: unknown): Promise<void> {
    await ctx.stub.putState(key, canonicalBytes(value));
}

/** True when the key holds a value. */
export async function keyExists(ctx: Context, key: string): Promise<boolean> {
    const bytes = await ctx.stub.getState(key);
    return !!bytes && bytes.length > 0;
}

/** Builds a composite key (LevelDB-friendly index key). */
export function compositeKey(ctx: Context, objectType: string, attributes: string[]): string {
    return ctx.stub.createCompositeKey(objectType, attributes);
}

/** Marker value stored under index keys; the information is in the key itself. */
const INDEX_MARKER = Buffer.from([0]);

/** Writes an index entry. */
export async function putIndex(ctx: Context, objectType: string, attributes: string[]): Promise<void> {
    await ctx.stub.putState(compositeKey(ctx, objectType, attributes), INDEX_MARKER);
}

/** Removes an index entry. */
export async function deleteIndex(ctx: Context, objectType: string, attributes: string[]): Promise<void> {
    await ctx.stub.deleteState(compositeKey(ctx, objectType, attributes));
}

interface KV {
    key: string;
    value: Uint8Array;
}

interface QueryIterator {
    next(): Promise<{ value?: KV; done?: boolean }>;
    close(): Promise<void>;
}

async function drain(iterator: QueryIterator): Promise<KV[]> {
    const out: KV[] = [];
    try {
        for (;;) {
            const result = await iterator.next();
            if (result.value) {
                out.push({ key: result.value.key, value: result.value.value });
            }
            if (result.done) {
                break;
            }
        }
    } finally {
        await iterator.close();
    }
    return out;
}

/** All (key, value) pairs under a partial composite key, in key order. */
export async function scanPartial(ctx: Context, objectType: string, attributes: string[]): Promise<KV[]> {
    const iterator = (await ctx.stub.getStateByPartialCompositeKey(objectType, attributes)) as unknown as QueryIterator;
    return drain(iterator);
}

/** The trailing attributes of every index entry under a partial composite key. */
export async function scanIndex(ctx: Context, objectType: string, attributes: string[]): Promise<string[][]> {
    const entries = await scanPartial(ctx, objectType, attributes);
    return entries.map((entry) => ctx.stub.splitCompositeKey(entry.key).attributes);
}

/** Parsed records under a partial composite key. */
export async function scanRecords<T>(ctx: Context, objectType: string, attributes: string[]): Promise<T[]> {
    const entries = await scanPartial(ctx, objectType, attributes);
    return entries.map((entry) => JSON.parse(utf8(entry.value)) as T);
}

/** One entry of a key's history. */
export interface HistoryEntry<T> {
    txId: string;
    timestamp: string;
    isDelete: boolean;
    value?: T;
}

interface HistoryIterator {
    next(): Promise<{
        value?: { txId: string; timestamp?: { seconds: number | { low: number }; nanos: number }; isDelete: boolean; value: Uint8Array };
        done?: boolean;
    }>;
    close(): Promise<void>;
}

/**
 * The committed history of one key, oldest first. Fabric (since v2.0) answers a history query
 * newest first, so the entries are reversed here.
 */
export async function readHistory<T>(ctx: Context, key: string): Promise<HistoryEntry<T>[]> {
    const iterator = (await ctx.stub.getHistoryForKey(key)) as unknown as HistoryIterator;
    const out: HistoryEntry<T>[] = [];
    try {
        for (;;) {
            const result = await iterator.next();
            if (result.value) {
                const mod = result.value;
                const seconds = mod.timestamp ? Number(typeof mod.timestamp.seconds === 'object' ? mod.timestamp.seconds.low : mod.timestamp.seconds) : 0;
                const nanos = mod.timestamp ? mod.timestamp.nanos : 0;
                const entry: HistoryEntry<T> = {
                    txId: mod.txId,
                    timestamp: new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString(),
                    isDelete: mod.isDelete,
                };
                if (!mod.isDelete && mod.value && mod.value.length > 0) {
                    entry.value = JSON.parse(utf8(mod.value)) as T;
                }
                out.push(entry);
            }
            if (result.done) {
                break;
            }
        }
    } finally {
        await iterator.close();
    }
    return out.reverse();
}
