/**
 * Bounds the password hashing (scrypt) running at once. scrypt runs on libuv's thread pool, which the
 * ledger's LevelDB and the file system share: unbounded, a spray of logins (each one hash, also for
 * unknown user names) queues every ledger write and upload behind seconds of hashing. The gate lets
 * `concurrency` hashes run and `queue` more wait; a login beyond that is refused at once (tryRun)
 * rather than waiting, while trusted work (creating users) waits its turn (run).
 */

export interface HashingLoad {
    /** Hashes running now. */
    readonly running: number;
    /** Hashes waiting for a slot. */
    readonly waiting: number;
}

export interface HashingGate {
    /** Runs `work` when a slot is free, however many wait before it. */
    run<T>(work: () => Promise<T>): Promise<T>;
    /** Runs `work` when a slot is free, or returns undefined at once when `queue` others already wait. */
    tryRun<T>(work: () => Promise<T>): Promise<T> | undefined;
    load(): HashingLoad;
}

export function newHashingGate(concurrency: number, queue: number): HashingGate {
    if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(queue) || queue < 0) {
        throw new RangeError('the hashing gate needs a concurrency >= 1 and a queue >= 0');
    }
    let running = 0;
    const waiting: Array<() => void> = [];

    const release = (): void => {
        const next = waiting.shift();
        if (next) {
            next();
        } else {
            running--;
        }
    };
    const enter = <T>(work: () => Promise<T>, slot: Promise<void>): Promise<T> =>
        slot.then(async () => {
            try {
                return await work();
            } finally {
                release();
            }
        });
    // A released slot passes straight to the next waiter, so `running` never drops while some wait.
    const acquire = (): Promise<void> => {
        if (running < concurrency) {
            running++;
            return Promise.resolve();
        }
        return new Promise<void>((resolve) => waiting.push(resolve));
    };

    return {
        run: (work) => enter(work, acquire()),
        tryRun(work) {
            if (running >= concurrency && waiting.length >= queue) {
                return undefined;
            }
            return enter(work, acquire());
        },
        load: () => ({ running, waiting: waiting.length }),
    };
}
