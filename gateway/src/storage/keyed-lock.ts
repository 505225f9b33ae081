/** Runs asynchronous work one at a time per key, within this process; different keys run concurrently. */
export interface KeyedLock {
    /** Runs `work` once every earlier work of `key` has settled, and settles as it does. Throws what `work` throws. */
    run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** A new lock with no work queued. */
export function newKeyedLock(): KeyedLock {
    // The last queued work of each key, settled either way; a key is dropped once its queue is empty.
    const tails = new Map<string, Promise<void>>();
    return {
        async run(key, work) {
            const current = (tails.get(key) ?? Promise.resolve()).then(work);
            const tail = current.then(
                () => undefined,
                () => undefined,
            );
            tails.set(key, tail);
            try {
                return await current;
            } finally {
                if (tails.get(key) === tail) {
                    tails.delete(key);
                }
            }
        },
    };
}
