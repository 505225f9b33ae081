import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { AppError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';

/**
 * Idempotent writes. The first request with a given (user, Idempotency-Key) runs; its response is
 * stored durably in the data directory before it is returned, so a repeat — also after a gateway
 * restart — gets the first response and never submits again. A repeat while the first is still
 * running gets IDEMPOTENCY_IN_PROGRESS; the same key with a different request gets
 * IDEMPOTENCY_KEY_REUSED. Failed requests are not stored (nothing was written; a retry may succeed).
 * A crash between commit and storing the response leaves a `pending` record: the outcome is then
 * unknown to the gateway and repeats get IDEMPOTENCY_IN_PROGRESS instead of a second submission.
 */

/** The response of a completed write. */
export interface StoredResponse {
    readonly status: number;
    readonly body: unknown;
    readonly txId?: string;
}

interface IdempotencyRecord {
    readonly fingerprint: string;
    readonly state: 'pending' | 'done';
    readonly response?: StoredResponse;
    readonly createdAt: string;
}

export interface IdempotencyStore {
    /**
     * Runs `execute` once per (username, key); repeats return the stored response.
     * Throws IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS, INVALID_ARGUMENT (bad key), or what execute throws.
     */
    run(username: string, key: string, fingerprint: string, execute: () => Promise<StoredResponse>): Promise<{ response: StoredResponse; replayed: boolean }>;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** A fingerprint of a request: method, path and body. */
export function requestFingerprint(method: string, route: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${route}\n`).update(JSON.stringify(body ?? null)).digest('hex');
}

export function openIdempotencyStore(directory: string, clock: () => Date = () => new Date()): IdempotencyStore {
    const running = new Map<string, Promise<unknown>>();
    const fileOf = (username: string, key: string): string => path.join(directory, `${createHash('sha256').update(`${username}\u0000${key}`).digest('hex')}.json`);

    return {
        async run(username, key, fingerprint, execute) {
            if (!KEY.test(key)) {
                throw new AppError('INVALID_ARGUMENT', 'Idempotency-Key must be 1..255 visible ASCII characters');
            }
            const file = fileOf(username, key);
            if (running.has(file)) {
                throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still in progress');
            }
            // Claim the key before the first await, so a concurrent repeat always sees it running.
            const work: Promise<{ response: StoredResponse; replayed: boolean }> = (async () => {
                const existing = await readJsonFile<IdempotencyRecord>(file);
                if (existing) {
                    if (existing.fingerprint !== fingerprint) {
                        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
                    }
                    if (existing.state === 'done' && existing.response) {
                        return { response: existing.response, replayed: true };
                    }
                    throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key was interrupted; its outcome is unknown to the gateway');
                }
                await writeFileAtomic(file, JSON.stringify({ fingerprint, state: 'pending', createdAt: clock().toISOString() } satisfies IdempotencyRecord));
                let response: StoredResponse;
                try {
                    response = await execute();
                } catch (error) {
                    // A timeout after submission leaves the outcome unknown: keep the key pending.
                    const unknownOutcome = error instanceof AppError && error.code === 'LEDGER_TIMEOUT' && error.txId !== undefined;
                    if (!unknownOutcome) {
                        await fs.rm(file, { force: true });
                    }
                    throw error;
                }
                await writeFileAtomic(file, JSON.stringify({ fingerprint, state: 'done', response, createdAt: clock().toISOString() } satisfies IdempotencyRecord));
                return { response, replayed: false };
            })();
            running.set(file, work);
            try {
                return await work;
            } finally {
                running.delete(file);
            }
        },
    };
}
