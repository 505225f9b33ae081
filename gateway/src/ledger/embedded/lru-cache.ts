/**
 * A bounded map that forgets the least recently used entries first, approximately: two
 * generations of at most capacity/2 entries each. Reads and writes go to the young generation;
 * an entry found only in the old one is copied into the young one. When the young generation is
 * full it becomes the old one and the previous old one is dropped whole. Every operation is one
 * or two Map lookups, without the delete + re-insert per read of an exact LRU (which was ~3 % of
 * the engine's CPU on the state cache); anything used within the last capacity/2 distinct
 * insertions is kept.
 */
export class LruCache<K, V> {
    private young = new Map<K, V>();
    private old = new Map<K, V>();
    private readonly generationSize: number;

    constructor(capacity: number) {
        this.generationSize = Math.max(1, Math.ceil(capacity / 2));
    }

    get(key: K): V | undefined {
        const value = this.young.get(key);
        if (value !== undefined) {
            return value;
        }
        const older = this.old.get(key);
        if (older !== undefined) {
            this.insert(key, older);
        }
        return older;
    }

    has(key: K): boolean {
        return this.young.has(key) || this.old.has(key);
    }

    /** A value left for the key in the old generation is shadowed by this one and dropped with it. */
    set(key: K, value: V): void {
        this.insert(key, value);
    }

    clear(): void {
        this.young.clear();
        this.old.clear();
    }

    private insert(key: K, value: V): void {
        if (this.young.size >= this.generationSize && !this.young.has(key)) {
            this.old = this.young;
            this.young = new Map();
        }
        this.young.set(key, value);
    }
}
