import type { Context } from 'fabric-contract-api';
import { createHash } from 'crypto';
import { canonicalBytes } from './canonical-json';

/**
 * Transaction-derived values. Chaincode never reads the clock or a random source: time comes
 * from the proposal's timestamp and ids from the transaction id, so every endorser agrees.
 */

/** The transaction's timestamp as a Date. */
export function txDate(ctx: Context): Date {
    return new Date(ctx.stub.getDateTimestamp().getTime());
}

/** The transaction's timestamp as an ISO-8601 UTC string. */
export function txTime(ctx: Context): string {
    return txDate(ctx).toISOString();
}

/** The transaction id. */
export function txId(ctx: Context): string {
    return ctx.stub.getTxID();
}

/** SHA-256 hex digest of a string. */
export function sha256Hex(text: string | Uint8Array): string {
    return createHash('sha256').update(text).digest('hex');
}

/**
 * A deterministic id for the `index`-th object of kind `prefix` created by this transaction.
 * 24 hex characters (96 bits) of SHA-256 over the transaction id keeps ids short and collision-free.
 */
export function deriveId(ctx: Context, prefix: string, index = 0): string {
    return `${prefix}-${sha256Hex(`${ctx.stub.getTxID()}:${prefix}:${index}`).slice(0, 24)}`;
}

/** SHA-256 hex digest of a value's canonical JSON. */
export function contentHash(value: unknown): string {
    return sha256Hex(canonicalBytes(value));
}

const EMITTED = Symbol('xinlian.eventEmitted');

/** Whether the transaction has emitted its event, which every transaction that changes state does. */
export function eventEmitted(ctx: Context): boolean {
    return (ctx as unknown as Record<symbol, boolean>)[EMITTED] === true;
}

/**
 * Emits the transaction's single chaincode event, named after the transaction.
 * Fabric keeps only the last event a transaction sets, so emitting twice is a programming error.
 */
export function emitEvent(ctx: Context, name: string, payload: Record<string, unknown>): void {
    const holder = ctx as unknown as Record<symbol, boolean>;
    if (holder[EMITTED]) {
        throw new Error(`a transaction emits one event; ${name} tried a second`);
    }
    holder[EMITTED] = true;
    ctx.stub.setEvent(name, canonicalBytes({ ...payload, txId: ctx.stub.getTxID() }));
}
