import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { AppError } from '../errors';
import type { Submission, SubmissionOutcome } from '../ledger/ledger-backend';
import { readJsonFile, removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';

/**
 * Idempotent writes. The first request with a given (user, Idempotency-Key) runs; its response is
 * stored durably in the data directory before it is returned, so a repeat — also after a gateway
 * restart — gets the first response and never submits again. A repeat while the first is still
 * running gets IDEMPOTENCY_IN_PROGRESS; the same key with a different request gets
 * IDEMPOTENCY_KEY_REUSED. Failed requests are not stored (nothing was written; a retry may succeed).
 * A record holds the request's fingerprint (a hash) and the response, never the request itself: the
 * router leaves secrets (passwords) out of the fingerprint, and `keep` leaves a secret shown once (a
 * new API key) out of the stored response, so a repeat gets the response without it.
 *
 * While a request runs, its record is `pending` and lists every transaction it is about to send for
 * ordering, written before the transaction is sent. A repeat that finds a pending record of a request
 * that is no longer running (the gateway stopped, or the ledger timed out) asks the ledger what
 * became of those transactions:
 *   - one committed valid: the write happened. When the route can rebuild its response from that
 *     transaction's chaincode result (a single-transaction write), the repeat gets that response,
 *     stored like any other; otherwise IDEMPOTENCY_RESPONSE_LOST, naming the transaction, so the
 *     client reads the result instead of writing again;
 *   - each committed invalid or lost for good (never committed and never will): nothing was written,
 *     so the request runs again;
 *   - otherwise (one may still commit): IDEMPOTENCY_IN_PROGRESS.
 *
 * A completed request's record lists the transactions its request sent (without their signed bytes). The
 * ledger is the source of truth: a repeat that finds a completed record first asks the ledger about them
 * (only repeats pay for this lookup), and when the ledger surely holds none of its writes — each
 * transaction lost (never committed, and never will be) or committed invalid — the record is stale: it
 * answers for writes the ledger does not hold (a data directory restored from a copy taken while the
 * gateway ran, its idempotency records newer than its ledger). It is then discarded, reported to
 * `onStaleRecord`, and the request runs as a new one. When the ledger holds some of its writes validly and
 * surely lacks others (lost: never committed, and never will be) — a request that sent several writes, its
 * later ones missing from such a copy — the record is neither replayed (its response would confirm writes
 * the ledger lacks) nor run again (that would repeat the writes that did commit): the repeat gets CONFLICT
 * naming the transactions on the ledger and those missing, so the client reads the current state first, and
 * the record, kept as it is, is reported to `onPartialRecord`. Transactions committed invalid are neither:
 * they wrote nothing (an attempt the ledger client retried after a read conflict). A record whose
 * transactions the ledger cannot judge (a lookup that fails, or Fabric, whose peers answer "not found" for a
 * transaction that may still commit) is replayed as stored; so is a record of a request that sent no
 * transaction (a document upload). Records of older gateways list no transactions: the one their response
 * names is looked up.
 *
 * A completed request's record expires `retentionMs` after the request answered: a repeat after that is a
 * new request, and runs. A pending record (a request interrupted by a crash or a timeout, whose transaction
 * may have committed) never expires: forgetting it would let a late repeat write twice, so it stays until a
 * repeat settles it from the ledger, and only crashes and timeouts create such records. Expired records are
 * deleted by purgeExpired — at start-up, and every `purgeIntervalMs` on a timer that never keeps the process
 * alive — except the record of a request running now, which is never touched. Temporary files a killed
 * gateway left behind mid-write are deleted when the store opens (removeStaleTemporaryFiles: those of a
 * process that no longer runs), and by the purge once as old as the retention (any left).
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
    /**
     * Pending: the transactions sent for ordering so far. Done: the transactions the request sent, without
     * their signed bytes. Absent in records of older gateways.
     */
    readonly submissions?: readonly Submission[];
}

/** A completed record found stale on a repeat: the ledger holds none of its transactions. */
export interface StaleRecord {
    readonly username: string;
    /** The transactions it named, none of them valid on the ledger. */
    readonly txIds: readonly string[];
}

/**
 * A completed record found partly on the ledger on a repeat: some of its transactions committed valid,
 * others are surely missing. The repeat was refused with CONFLICT; the record is kept.
 */
export interface PartialRecord {
    readonly username: string;
    /** Its transactions the ledger holds, committed valid. */
    readonly committed: readonly string[];
    /** Its transactions the ledger lacks for good (never committed, and never will be). */
    readonly missing: readonly string[];
}

/** Records a transaction of the running request durably; resolves once it is on disk. */
export type RecordSubmission = (submission: Submission) => Promise<void>;

/**
 * The response a write would have given, built from its committed transaction: the id and the
 * chaincode's response payload. Throws when the payload cannot make that response.
 */
export type RebuildResponse = (committed: { readonly txId: string; readonly result: Buffer }) => StoredResponse;

/** What to do with a record that is not JSON: it cannot answer a repeat any more. */
const IF_RECORD_CORRUPT = 'remove it (a request repeated with its Idempotency-Key then runs as a new one, so check on the ledger first that its write did not commit)';

/** How long a record is kept unless told otherwise: a day. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** The longest wait between two purges (a shorter retention purges as often as it lasts). */
const MAX_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export interface IdempotencyStore {
    /**
     * Runs `execute` once per (username, key); repeats return the stored response. `execute` must
     * pass every transaction to `record` before sending it for ordering (ledger-client's
     * recordSubmissions does). `rebuild`, for requests whose response is their one transaction's
     * result, answers an interrupted request that committed. `keep` gives what of a response is
     * stored, and so what a repeat gets (default: all of it); the first request gets all of it.
     * Throws IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS, IDEMPOTENCY_RESPONSE_LOST,
     * CONFLICT (a completed request the ledger holds only part of), INVALID_ARGUMENT (bad key), or what
     * execute throws.
     */
    run(
        username: string,
        key: string,
        fingerprint: string,
        execute: (record: RecordSubmission) => Promise<StoredResponse>,
        rebuild?: RebuildResponse,
        keep?: (response: StoredResponse) => StoredResponse,
    ): Promise<{ response: StoredResponse; replayed: boolean }>;
    /**
     * Deletes every expired record (never one of a request running now) and the stale temporary files of
     * writes a crash cut off; resolves with how many records it deleted. Never rejects: a file it cannot
     * read or delete is left for the next purge and reported to `onPurgeError`.
     */
    purgeExpired(): Promise<number>;
    /** Stops the periodic purge; resolves once a purge under way has finished. */
    close(): Promise<void>;
}

export interface IdempotencyStoreOptions {
    readonly clock?: () => Date;
    /** What became of a transaction an interrupted request sent (default: always unknown). */
    readonly outcomeOf?: (submission: Submission) => Promise<SubmissionOutcome>;
    /** How long a record is kept after it was written (default DEFAULT_RETENTION_MS). */
    readonly retentionMs?: number;
    /** How often expired records are purged (default: the retention, at most hourly); 0 = only when purgeExpired is called. */
    readonly purgeIntervalMs?: number;
    /** Told of a failure while purging (the purge goes on with the next file). */
    readonly onPurgeError?: (error: unknown) => void;
    /** Told of a completed record a repeat found stale and discarded (the request then ran as a new one). */
    readonly onStaleRecord?: (stale: StaleRecord) => void;
    /** Told of a completed record a repeat found partly on the ledger (the repeat got CONFLICT). */
    readonly onPartialRecord?: (partial: PartialRecord) => void;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The name of a record file: a hash and .json (its temporary files add a suffix to it). */
const RECORD_NAME = /^[0-9a-f]{64}\.json$/;

/** "transaction t1 is", "transactions t1, t2 are". */
function transactions(txIds: readonly string[]): string {
    return txIds.length === 1 ? `transaction ${txIds[0]} is` : `transactions ${txIds.join(', ')} are`;
}

/** What a completed record keeps of its transactions: enough to look them up, not the signed bytes. */
function lookupsOf(submissions: readonly Submission[]): Submission[] {
    return submissions.map((submission) => ({ txId: submission.txId, session: submission.session }));
}

/**
 * A fingerprint of a request: method, path and body. A binary body (bytes, e.g. a document upload) is
 * hashed as it is, with its content type (`contentType` is ignored for other bodies). Any other body is
 * hashed as its JSON text: the router passes the validated body, whose objects schema validation has
 * rebuilt in schema key order, so the order the client sent keys in does not matter (except inside
 * free-form objects such as an attestation, which keep the client's order).
 */
export function requestFingerprint(method: string, route: string, body: unknown, contentType?: string): string {
    const hash = createHash('sha256').update(`${method} ${route}\n`);
    if (body instanceof Uint8Array) {
        // Never JSON: that turns each byte into up to four characters and blocks the event loop on large uploads.
        // No JSON text starts with "b", so a binary body never fingerprints as a JSON one.
        return hash.update(`binary ${contentType ?? ''}\n`).update(body).digest('hex');
    }
    // Unchanged from earlier gateways, so the records they stored still match.
    return hash.update(JSON.stringify(body ?? null)).digest('hex');
}

export function openIdempotencyStore(directory: string, options: IdempotencyStoreOptions = {}): IdempotencyStore {
    const clock = options.clock ?? (() => new Date());
    const outcomeOf = options.outcomeOf ?? (async (): Promise<SubmissionOutcome> => ({ state: 'unknown' }));
    const running = new Map<string, Promise<unknown>>();
    const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    const onPurgeError = options.onPurgeError ?? ((): void => undefined);
    const onStaleRecord = options.onStaleRecord ?? ((): void => undefined);
    const onPartialRecord = options.onPartialRecord ?? ((): void => undefined);
    // Before the first write: a temporary file named with this process's pid is then an earlier process's.
    const opened = removeStaleTemporaryFiles(directory, { owns: (written) => RECORD_NAME.test(written), onError: onPurgeError });
    /** Records being judged by a purge: a request with the key waits until the purge has decided. */
    const purging = new Map<string, Promise<void>>();
    const fileOf = (username: string, key: string): string => path.join(directory, `${createHash('sha256').update(`${username}\u0000${key}`).digest('hex')}.json`);
    /** Older than the retention, judged by when it was written (a record without a readable time is). */
    const expired = (record: IdempotencyRecord, now: number): boolean => record.state === 'done' && !(now - Date.parse(record.createdAt) < retentionMs);

    /**
     * Deletes `file` when its record has expired and no request with its key is running. Claimed in
     * `purging` before the first await, so a request that starts meanwhile reads the record only once the
     * decision is made (and finds it gone, or kept).
     */
    async function purgeRecord(file: string, now: number): Promise<boolean> {
        if (running.has(file) || purging.has(file)) {
            return false;
        }
        let deleted = false;
        const judging = (async () => {
            let record: IdempotencyRecord | undefined;
            try {
                record = await readJsonFile<IdempotencyRecord>(file, { ifCorrupt: IF_RECORD_CORRUPT });
            } catch (error) {
                // Unreadable (not JSON): left alone, as a request with its key would find it.
                onPurgeError(error);
                return;
            }
            if (record && expired(record, now)) {
                await fs.rm(file, { force: true });
                deleted = true;
            }
        })();
        purging.set(file, judging);
        try {
            await judging;
        } finally {
            purging.delete(file);
        }
        return deleted;
    }

    /** Deletes a temporary file of a write a crash cut off, once as old as the retention; never one of a running request. */
    async function purgeTemporary(name: string, now: number): Promise<void> {
        const target = path.join(directory, name.slice(0, name.indexOf('.json.') + '.json'.length));
        if (running.has(target) || purging.has(target)) {
            return;
        }
        const file = path.join(directory, name);
        const { mtimeMs } = await fs.stat(file);
        if (now - mtimeMs >= retentionMs) {
            await fs.rm(file, { force: true });
        }
    }

    let purge: Promise<number> | undefined;
    async function purgeAll(): Promise<number> {
        await opened;
        let names: string[];
        try {
            names = await fs.readdir(directory);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                onPurgeError(error);
            }
            return 0;
        }
        const now = clock().getTime();
        let deleted = 0;
        // One file at a time: the purge shares libuv's thread pool with the ledger and must not crowd it.
        for (const name of names) {
            try {
                if (RECORD_NAME.test(name)) {
                    deleted += (await purgeRecord(path.join(directory, name), now)) ? 1 : 0;
                } else if (/^[0-9a-f]{64}\.json\..+\.tmp$/.test(name)) {
                    await purgeTemporary(name, now);
                }
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                    onPurgeError(error);
                }
            }
        }
        return deleted;
    }
    /** One purge at a time: a purge asked for while one runs gets that one's answer. */
    const purgeExpired = (): Promise<number> => {
        purge ??= purgeAll().finally(() => {
            purge = undefined;
        });
        return purge;
    };
    const interval = options.purgeIntervalMs ?? Math.min(retentionMs, MAX_PURGE_INTERVAL_MS);
    const timer = interval > 0 ? setInterval(() => void purgeExpired(), interval) : undefined;
    // Never what keeps the gateway (or a test) running.
    timer?.unref();

    /**
     * What the ledger holds of the writes of a completed record:
     *   - 'none' when it surely holds none of its transactions (each lost, or committed invalid);
     *   - 'part' when some committed valid and others are lost (`committed` and `missing` name them);
     *   - 'held' otherwise: all of them, or what it cannot judge. A record without transactions has nothing to check.
     */
    async function onLedger(record: IdempotencyRecord): Promise<{ held: 'held' | 'none' | 'part'; txIds: string[]; committed: string[]; missing: string[] }> {
        const txId = record.response?.txId;
        // An older gateway's record: its response names its transaction; the session is unknown (none).
        const submissions = record.submissions ?? (txId ? [{ txId, session: '' }] : []);
        const txIds = submissions.map((submission) => submission.txId);
        if (submissions.length === 0) {
            return { held: 'held', txIds, committed: [], missing: [] };
        }
        const outcomes = await Promise.all(submissions.map((submission) => outcomeOf(submission)));
        const committed = txIds.filter((_, i) => {
            const outcome = outcomes[i];
            return outcome.state === 'committed' && outcome.valid;
        });
        const missing = txIds.filter((_, i) => outcomes[i].state === 'lost');
        const wroteNothing = outcomes.every((outcome) => outcome.state === 'lost' || (outcome.state === 'committed' && !outcome.valid));
        // A retried attempt commits invalid, never lost, and a copy of the ledger is a prefix of it: a lost
        // transaction beside a valid one is a later write of the request that the ledger lacks.
        const held = wroteNothing ? 'none' : committed.length > 0 && missing.length > 0 ? 'part' : 'held';
        return { held, txIds, committed, missing };
    }

    /**
     * Decides an interrupted request: resolves undefined when nothing it sent can have been written
     * (run again), or the rebuilt response of its one committed transaction; else throws.
     */
    async function settleInterrupted(record: IdempotencyRecord, rebuild: RebuildResponse | undefined): Promise<StoredResponse | undefined> {
        if (!record.submissions) {
            throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key was interrupted; its outcome is unknown to the gateway');
        }
        const outcomes = await Promise.all(record.submissions.map((submission) => outcomeOf(submission)));
        const written = record.submissions.flatMap((submission, i) => {
            const outcome = outcomes[i];
            return outcome.state === 'committed' && outcome.valid ? [{ txId: submission.txId, result: outcome.result }] : [];
        });
        const only = written.length === 1 ? written[0] : undefined;
        if (only?.result && rebuild) {
            try {
                return rebuild({ txId: only.txId, result: only.result });
            } catch {
                // Not a response this route can rebuild: the client is told where the result is.
            }
        }
        if (written.length > 0) {
            const txIds = written.map((s) => s.txId).join(', ');
            throw new AppError(
                'IDEMPOTENCY_RESPONSE_LOST',
                `the request with this Idempotency-Key was committed (transaction ${txIds}) but the gateway stopped before its response was stored; read the result instead of repeating the request`,
                { txId: written[written.length - 1].txId },
            );
        }
        const pending = record.submissions.filter((_, i) => outcomes[i].state === 'unknown');
        if (pending.length > 0) {
            throw new AppError('IDEMPOTENCY_IN_PROGRESS', `a request with this Idempotency-Key was interrupted; transaction ${pending.map((s) => s.txId).join(', ')} may still commit`, {
                txId: pending[pending.length - 1].txId,
            });
        }
        return undefined;
    }

    return {
        purgeExpired,
        async close() {
            clearInterval(timer);
            await purge;
        },
        async run(username, key, fingerprint, execute, rebuild, keep = (response) => response) {
            if (!KEY.test(key)) {
                throw new AppError('INVALID_ARGUMENT', 'Idempotency-Key must be 1..255 visible ASCII characters');
            }
            const file = fileOf(username, key);
            if (running.has(file)) {
                throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still in progress', { retryAfter: 1 });
            }
            // Claim the key before the first await, so a concurrent repeat always sees it running (and a purge leaves it).
            const judged = purging.get(file);
            const work: Promise<{ response: StoredResponse; replayed: boolean }> = (async () => {
                await judged?.catch(() => undefined);
                await opened;
                const found = await readJsonFile<IdempotencyRecord>(file, { ifCorrupt: IF_RECORD_CORRUPT });
                // An expired record is forgotten: the request runs as a new one, and its record replaces it.
                const existing = found && !expired(found, clock().getTime()) ? found : undefined;
                if (existing) {
                    if (existing.fingerprint !== fingerprint) {
                        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
                    }
                    if (existing.state === 'done' && existing.response) {
                        const ledger = await onLedger(existing);
                        if (ledger.held === 'held') {
                            return { response: existing.response, replayed: true };
                        }
                        if (ledger.held === 'part') {
                            // Kept as it is: a later repeat is refused the same way, until the record expires.
                            onPartialRecord({ username, committed: ledger.committed, missing: ledger.missing });
                            throw new AppError(
                                'CONFLICT',
                                `the request with this Idempotency-Key was answered before, but the ledger holds only part of its writes: ` +
                                    `${transactions(ledger.committed)} on the ledger, ${transactions(ledger.missing)} not (was the gateway's data directory restored from a copy?). ` +
                                    'Its answer is not replayed, and it is not run again, which would repeat the writes that committed: read the current state before doing anything else',
                                { txId: ledger.committed[ledger.committed.length - 1] },
                            );
                        }
                        // Stale: the pending record written below replaces it, and the request runs as a new one.
                        onStaleRecord({ username, txIds: ledger.txIds });
                    } else {
                        const rebuilt = await settleInterrupted(existing, rebuild);
                        if (rebuilt) {
                            const stored = keep(rebuilt);
                            const sent = lookupsOf((existing.submissions ?? []).filter((submission) => submission.txId === rebuilt.txId));
                            await writeFileAtomic(file, JSON.stringify({ fingerprint, state: 'done', response: stored, createdAt: clock().toISOString(), submissions: sent } satisfies IdempotencyRecord));
                            return { response: stored, replayed: true };
                        }
                    }
                }
                const pending = { fingerprint, state: 'pending' as const, createdAt: clock().toISOString() };
                const submissions: Submission[] = [];
                await writeFileAtomic(file, JSON.stringify({ ...pending, submissions } satisfies IdempotencyRecord));
                let settled = false;
                let recording = Promise.resolve();
                const record: RecordSubmission = (submission) => {
                    if (settled) {
                        // Work the request left running after it answered is not part of its outcome.
                        return Promise.resolve();
                    }
                    submissions.push(submission);
                    const snapshot = [...submissions];
                    recording = recording.then(() => writeFileAtomic(file, JSON.stringify({ ...pending, submissions: snapshot } satisfies IdempotencyRecord)));
                    return recording;
                };
                let response: StoredResponse;
                try {
                    response = await execute(record);
                } catch (error) {
                    settled = true;
                    await recording.catch(() => undefined);
                    // A timeout after submission leaves the outcome unknown: keep the key pending.
                    const unknownOutcome = error instanceof AppError && error.code === 'LEDGER_TIMEOUT' && error.txId !== undefined;
                    if (!unknownOutcome) {
                        await fs.rm(file, { force: true });
                    } else if (!submissions.some((s) => s.txId === error.txId)) {
                        // A transaction nobody recorded: the gateway cannot tell what became of it.
                        await writeFileAtomic(file, JSON.stringify(pending satisfies IdempotencyRecord));
                    }
                    throw error;
                }
                settled = true;
                await recording.catch(() => undefined);
                await writeFileAtomic(file, JSON.stringify({ fingerprint, state: 'done', response: keep(response), createdAt: clock().toISOString(), submissions: lookupsOf(submissions) } satisfies IdempotencyRecord));
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
