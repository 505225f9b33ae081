import { AsyncLocalStorage } from 'async_hooks';
import { randomInt } from 'crypto';
import { AppError } from '../errors';
import type { InvokeOptions, LedgerBackend, LedgerUser, Submission } from '../ledger/ledger-backend';

/**
 * A small typed façade over the ledger backend: JSON in and out, and the retry policy. Only read
 * conflicts (AppError.retryable: MVCC / phantom reads) are retried, a bounded number of times with
 * exponential backoff; contract errors are never retried, because they would fail the same way.
 */

/** The result of a committed write. */
export interface WriteResult<T = unknown> {
    readonly result: T;
    readonly txId: string;
}

export interface RetryPolicy {
    /** Further attempts after the first (0 = never retry). */
    readonly retries: number;
    /**
     * Scale of the delay before the first retry; it doubles each time. Each delay is drawn at random
     * between a tenth of it and all of it ("full jitter"), so requests that lost the same race do not
     * all come back at the same moment and collide again.
     */
    readonly backoffMs: number;
}

/** Observes ledger calls, e.g. for latency metrics. */
export type LedgerObserver = (kind: 'submit' | 'evaluate', fn: string, outcome: string, seconds: number) => void;

export interface LedgerClient {
    /** Submits `fn` as `user`; args are strings or JSON-serialised values. Throws AppError. */
    submit<T = unknown>(user: LedgerUser, fn: string, args: readonly unknown[], options?: InvokeOptions): Promise<WriteResult<T>>;
    /** Evaluates `fn` as `user`. Throws AppError. */
    evaluate<T = unknown>(user: LedgerUser, fn: string, args: readonly unknown[], options?: InvokeOptions): Promise<T>;
}

export interface LedgerClientOptions {
    readonly retry: RetryPolicy;
    readonly observe?: LedgerObserver;
    /** Waits between attempts (tests replace it). */
    readonly sleep?: (ms: number) => Promise<void>;
    /** A number in [0, 1) for the jitter of each retry's delay (default from crypto.randomInt; tests replace it). */
    readonly random?: () => number;
    readonly clock?: () => number;
}

/** Told of every transaction about to be sent for ordering (see InvokeOptions.onSubmitting). */
export type SubmissionRecorder = (submission: Submission) => Promise<void>;

const recorders = new AsyncLocalStorage<SubmissionRecorder>();

/** Resolution of the random jitter of a retry's delay. */
const JITTER_STEPS = 1 << 20;

/**
 * Runs `work` with `recorder` told of every transaction it submits through a ledger client,
 * before each is sent for ordering (and each retry's anew): how an idempotent request knows which
 * transactions it may have committed.
 */
export function recordSubmissions<T>(recorder: SubmissionRecorder, work: () => Promise<T>): Promise<T> {
    return recorders.run(recorder, work);
}

function toArg(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A chaincode response payload as the gateway answers it: JSON, or undefined when empty. Throws AppError(INTERNAL). */
export function parseLedgerJson<T>(payload: Buffer): T {
    const text = payload.toString('utf8');
    if (text === '') {
        return undefined as T;
    }
    try {
        return JSON.parse(text) as T;
    } catch (error) {
        throw new AppError('INTERNAL', 'the chaincode returned a payload that is not JSON', { cause: error });
    }
}

export function newLedgerClient(backend: LedgerBackend, options: LedgerClientOptions): LedgerClient {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const clock = options.clock ?? (() => performance.now());
    const random = options.random ?? (() => randomInt(JITTER_STEPS) / JITTER_STEPS);
    const observe = options.observe ?? (() => undefined);

    async function timed<T>(kind: 'submit' | 'evaluate', fn: string, call: () => Promise<T>): Promise<T> {
        const started = clock();
        try {
            const value = await call();
            observe(kind, fn, 'ok', (clock() - started) / 1000);
            return value;
        } catch (error) {
            observe(kind, fn, error instanceof AppError ? error.code : 'INTERNAL', (clock() - started) / 1000);
            throw error;
        }
    }

    return {
        async submit<T>(user: LedgerUser, fn: string, args: readonly unknown[], invoke?: InvokeOptions): Promise<WriteResult<T>> {
            const strings = args.map(toArg);
            const recorder = recorders.getStore();
            const submitOptions = recorder ? { ...invoke, onSubmitting: recorder } : invoke;
            for (let attempt = 0; ; attempt++) {
                try {
                    const outcome = await timed('submit', fn, () => backend.submit(user, fn, strings, submitOptions));
                    return { result: parseLedgerJson<T>(outcome.payload), txId: outcome.txId };
                } catch (error) {
                    if (!(error instanceof AppError) || !error.retryable || attempt >= options.retry.retries) {
                        throw error;
                    }
                    const ceiling = options.retry.backoffMs * 2 ** attempt;
                    await sleep(ceiling * (0.1 + 0.9 * random()));
                }
            }
        },

        async evaluate<T>(user: LedgerUser, fn: string, args: readonly unknown[], invoke?: InvokeOptions): Promise<T> {
            const payload = await timed('evaluate', fn, () => backend.evaluate(user, fn, args.map(toArg), invoke));
            return parseLedgerJson<T>(payload);
        },
    };
}
