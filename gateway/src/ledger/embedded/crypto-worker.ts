import { KeyObject, sign as signOnPool, verify as verifyOnPool } from 'crypto';
import { Worker } from 'worker_threads';

/**
 * ECDSA signing and verification (SHA-256) on a dedicated worker thread, in batches.
 *
 * Node's asynchronous crypto.sign / crypto.verify run on libuv's thread pool, the same four
 * threads and the same first-in-first-out queue as every LevelDB read and write: under load a
 * block's write waits behind the signatures of the transactions endorsed before it. Here the
 * signatures requested during one turn of the event loop go to one worker in batches of up to
 * FLUSH_AT, one message each (messages and signatures packed into one transferred buffer; a key
 * crosses once, as DER, and is referred to by number after that), and the results come back a few
 * at a time, so the first requests of a large batch do not wait for the last. The results are
 * OpenSSL's, exactly as crypto.sign and crypto.verify give them.
 *
 * If the worker cannot start or dies, what it held and everything after goes to the thread pool,
 * so a result is never lost or guessed.
 */

/**
 * Results go back this many at a time. Each message wakes the event loop to resume that many
 * endorsements; in paired bench:embedded runs 16 beat 8 (transfers/s 1,746-2,045 against
 * 1,684-1,814) and 32 (1,755-1,829 against 1,992-2,143), and one message per batch was slowest.
 */
const RESULT_CHUNK = 16;
/**
 * A batch goes to the worker as soon as it holds this many requests, not only at the end of the
 * event-loop turn: a turn that resumes a block's clients runs their chaincode too (a few ms), and
 * the worker would sit idle meanwhile. In bench:embedded the wait for a client's signature fell from
 * about 5 ms to 3 ms.
 */
const FLUSH_AT = 8;
const SIGN = 0;
const VERIFY = 1;
/** Per request in the index array: kind, key id, message start, message end, signature start, signature end. */
const FIELDS = 6;

/**
 * How much lower than the rest of the process the worker thread runs (a nice increment; Linux only,
 * where each thread has a nice value of its own). The main thread runs the chaincode and orders,
 * validates and seals every block, and it is what limits throughput. At equal priority a woken
 * worker competes with it for a core: in bench:embedded the main thread spent a median 16 % of a
 * phase runnable but waiting for a CPU, and posting a batch here took it 50-82 µs instead of 8.
 * Lowered, the worker still gets every cycle the main thread leaves. In 20 alternating pairs the
 * cores were busier in every pair (by 1-5 points), the main thread's wait fell to a median 12 %,
 * and transfers/s rose in 12 pairs, by 125 (about 6 %) on average.
 */
export const WORKER_NICE_INCREMENT = 10;

const WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
const { createPrivateKey, createPublicKey, sign, verify } = require('crypto');
const keys = new Map();
try {
    const tid = Number(require('fs').readlinkSync('/proc/thread-self').split('/').pop());
    const os = require('os');
    os.setPriority(tid, Math.min(19, os.getPriority(tid) + ${WORKER_NICE_INCREMENT}));
} catch {
    // Not Linux, or not allowed: the worker runs at the process's priority.
}
parentPort.on('message', ({ batch, newKeys, index, bytes }) => {
    for (const [id, der, type] of newKeys) {
        const key = { key: Buffer.from(der), format: 'der', type };
        keys.set(id, type === 'pkcs8' ? createPrivateKey(key) : createPublicKey(key));
    }
    const data = Buffer.from(bytes);
    const count = index.length / ${FIELDS};
    for (let from = 0; from < count; from += ${RESULT_CHUNK}) {
        const results = [];
        for (let n = from; n < Math.min(count, from + ${RESULT_CHUNK}); n++) {
            const i = n * ${FIELDS};
            const message = data.subarray(index[i + 2], index[i + 3]);
            try {
                results.push(index[i] === ${SIGN}
                    ? sign('sha256', message, keys.get(index[i + 1]))
                    : verify('sha256', message, keys.get(index[i + 1]), data.subarray(index[i + 4], index[i + 5])));
            } catch (error) {
                results.push(index[i] === ${SIGN} ? { error: String(error && error.message) } : false);
            }
        }
        parentPort.postMessage({ batch, from, results });
    }
});
`;

type Result = Uint8Array | boolean | { error: string };

interface Request {
    readonly kind: typeof SIGN | typeof VERIFY;
    readonly key: KeyObject;
    readonly message: Uint8Array;
    readonly signature: Uint8Array | undefined;
    readonly settle: (result: Result) => void;
}

export class CryptoWorker {
    private worker: Worker | undefined;
    private failed = false;
    private closed = false;
    private queue: Request[] = [];
    private flushScheduled = false;
    private nextBatch = 0;
    private readonly inFlight = new Map<number, { requests: Request[]; settled: number }>();
    private readonly keyIds = new WeakMap<KeyObject, number>();
    private nextKeyId = 0;

    /** Signs `message` (SHA-256, DER-encoded ECDSA signature). Rejects when the key cannot sign. */
    sign(privateKey: KeyObject, message: Uint8Array): Promise<Buffer> {
        return new Promise<Buffer>((resolve, reject) => {
            this.enqueue({
                kind: SIGN,
                key: privateKey,
                message,
                signature: undefined,
                settle: (result) => (result instanceof Uint8Array ? resolve(Buffer.from(result.buffer, result.byteOffset, result.byteLength)) : reject(new Error(typeof result === 'object' ? result.error : 'signing failed'))),
            });
        });
    }

    /** Resolves true when `signature` is a valid signature of `message` by `publicKey`; never rejects. */
    verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
        return new Promise<boolean>((resolve) => {
            this.enqueue({ kind: VERIFY, key: publicKey, message, signature, settle: (result) => resolve(result === true) });
        });
    }

    /** Stops the worker; requests it still holds go to the thread pool. */
    async close(): Promise<void> {
        this.closed = true;
        this.flush();
        const worker = this.worker;
        this.worker = undefined;
        this.fallBack();
        await worker?.terminate();
    }

    private enqueue(request: Request): void {
        if (this.failed || this.closed) {
            this.onPool(request);
            return;
        }
        this.queue.push(request);
        if (this.queue.length >= FLUSH_AT) {
            this.flush();
        } else if (!this.flushScheduled) {
            this.flushScheduled = true;
            setImmediate(() => {
                this.flushScheduled = false;
                this.flush();
            });
        }
    }

    private flush(): void {
        const queued = this.queue;
        this.queue = [];
        const worker = queued.length === 0 || this.failed || this.closed ? undefined : this.startedWorker();
        if (!worker) {
            queued.forEach((request) => this.onPool(request));
            return;
        }
        const newKeys: Array<[number, Buffer, 'spki' | 'pkcs8']> = [];
        const requests: Request[] = [];
        const keyIds: number[] = [];
        let size = 0;
        for (const request of queued) {
            const keyId = this.keyId(request, newKeys);
            if (keyId === undefined) {
                // A key that cannot be exported for its use: let crypto itself give the refusal.
                this.onPool(request);
                continue;
            }
            requests.push(request);
            keyIds.push(keyId);
            size += request.message.byteLength + (request.signature?.byteLength ?? 0);
        }
        if (requests.length === 0) {
            return;
        }
        const index = new Uint32Array(requests.length * FIELDS);
        const bytes = new Uint8Array(size);
        let offset = 0;
        requests.forEach((request, n) => {
            const i = n * FIELDS;
            index[i] = request.kind;
            index[i + 1] = keyIds[n];
            index[i + 2] = offset;
            bytes.set(request.message, offset);
            offset += request.message.byteLength;
            index[i + 3] = offset;
            index[i + 4] = offset;
            if (request.signature) {
                bytes.set(request.signature, offset);
                offset += request.signature.byteLength;
            }
            index[i + 5] = offset;
        });
        const batch = this.nextBatch++;
        this.inFlight.set(batch, { requests, settled: 0 });
        worker.postMessage({ batch, newKeys, index, bytes: bytes.buffer }, [bytes.buffer]);
    }

    /** The number the worker knows the request's key by (queuing its DER when new); undefined when it cannot be exported. */
    private keyId(request: Request, newKeys: Array<[number, Buffer, 'spki' | 'pkcs8']>): number | undefined {
        const known = this.keyIds.get(request.key);
        if (known !== undefined) {
            return known;
        }
        let der: Buffer;
        const type = request.kind === SIGN ? 'pkcs8' : 'spki';
        try {
            der = request.kind === SIGN ? request.key.export({ format: 'der', type: 'pkcs8' }) : request.key.export({ format: 'der', type: 'spki' });
        } catch {
            return undefined;
        }
        const keyId = this.nextKeyId++;
        this.keyIds.set(request.key, keyId);
        newKeys.push([keyId, der, type]);
        return keyId;
    }

    private startedWorker(): Worker | undefined {
        if (this.worker) {
            return this.worker;
        }
        try {
            const worker = new Worker(WORKER_SOURCE, { eval: true });
            worker.unref();
            worker.on('message', ({ batch, from, results }: { batch: number; from: number; results: Result[] }) => {
                const pending = this.inFlight.get(batch);
                if (!pending) {
                    return;
                }
                results.forEach((result, n) => pending.requests[from + n].settle(result));
                pending.settled += results.length;
                if (pending.settled >= pending.requests.length) {
                    this.inFlight.delete(batch);
                }
            });
            worker.on('error', () => this.fail());
            worker.on('exit', () => this.fail());
            this.worker = worker;
            return worker;
        } catch {
            this.failed = true;
            return undefined;
        }
    }

    /** The worker died or was stopped: what it held goes to the thread pool, as does everything after. */
    private fail(): void {
        if (!this.closed) {
            this.failed = true;
        }
        this.worker = undefined;
        this.fallBack();
    }

    private fallBack(): void {
        for (const { requests, settled } of this.inFlight.values()) {
            // Results arrive in order, so the first `settled` requests already have theirs.
            requests.slice(settled).forEach((request) => this.onPool(request));
        }
        this.inFlight.clear();
    }

    private onPool(request: Request): void {
        try {
            if (request.kind === SIGN) {
                signOnPool('sha256', request.message, request.key, (error, signature) => request.settle(error ? { error: error.message } : signature));
            } else {
                verifyOnPool('sha256', request.message, request.key, request.signature as Uint8Array, (error, valid) => request.settle(!error && valid));
            }
        } catch (error) {
            request.settle(request.kind === SIGN ? { error: (error as Error).message } : false);
        }
    }
}
