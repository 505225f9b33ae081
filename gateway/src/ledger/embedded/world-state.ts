import { createHash } from 'crypto';
import type { Database } from './database';
import { LruCache } from './lru-cache';
import {
    PREFIX,
    STATE_END,
    Version,
    Versioned,
    decodeStateKey,
    decodeVersioned,
    hashedKey,
    historyRange,
    privateKey,
    stateKey,
} from './keys';

/** One committed modification of a key, as getHistoryForKey reports it. */
export interface HistoryRecord {
    readonly txId: string;
    readonly timestampMs: number;
    readonly isDelete: boolean;
    readonly value: Buffer;
}

/** A committed public key with its value and version. */
export interface StateEntry extends Versioned {
    readonly key: string;
}

/** Pages through a key range of committed public state, in key order. */
export interface RangeReader {
    next(): Promise<StateEntry | undefined>;
    close(): Promise<void>;
}

const PAGE_SIZE = 128;

/** Encodes a history record's value: u16 txId length, txId, f64 timestamp, u8 delete flag, value. */
export function encodeHistory(record: HistoryRecord): Buffer {
    const id = Buffer.from(record.txId, 'utf8');
    const out = Buffer.allocUnsafe(2 + id.length + 9 + record.value.length);
    out.writeUInt16BE(id.length, 0);
    id.copy(out, 2);
    out.writeDoubleBE(record.timestampMs, 2 + id.length);
    out[10 + id.length] = record.isDelete ? 1 : 0;
    record.value.copy(out, 11 + id.length);
    return out;
}

function decodeHistory(raw: Buffer): HistoryRecord {
    const length = raw.readUInt16BE(0);
    return {
        txId: raw.toString('utf8', 2, 2 + length),
        timestampMs: raw.readDoubleBE(2 + length),
        isDelete: raw[10 + length] === 1,
        value: raw.subarray(11 + length),
    };
}

/**
 * Committed world state: public keys, private data and their hashes, key history.
 * Point reads of public keys go through a cache that the committer updates; a read that raced a
 * commit is never cached, so the cache cannot hold a value older than the database.
 */
export class WorldState {
    private readonly cache: LruCache<string, Versioned | null>;
    /** Even while no commit runs, odd during one; bumped at both ends of every commit. */
    private commitSequence = 0;

    constructor(
        private readonly db: Database,
        cacheEntries: number,
    ) {
        this.cache = new LruCache(cacheEntries);
    }

    /** The committed value and version of a public key, or undefined when absent. */
    async get(key: string): Promise<Versioned | undefined> {
        const cached = this.cache.get(key);
        if (cached !== undefined) {
            return cached ?? undefined;
        }
        const sequence = this.commitSequence;
        const raw = await this.db.get(stateKey(key));
        const entry = raw ? decodeVersioned(raw) : undefined;
        if (sequence % 2 === 0 && sequence === this.commitSequence) {
            this.cache.set(key, entry ?? null);
        }
        return entry;
    }

    /**
     * The version of a public key when the read cache knows it (null: absent), without a promise;
     * undefined when the cache does not know the key (use version()).
     */
    cachedVersion(key: string): Version | null | undefined {
        const cached = this.cache.get(key);
        return cached === undefined ? undefined : (cached?.version ?? null);
    }

    /** The version of a public key, or undefined when absent. */
    async version(key: string): Promise<Version | undefined> {
        return (await this.get(key))?.version;
    }

    async getPrivate(collection: string, key: string): Promise<Versioned | undefined> {
        const raw = await this.db.get(privateKey(collection, key));
        return raw ? decodeVersioned(raw) : undefined;
    }

    /** The committed hash of a private value (the public part of private data). */
    async getHashed(collection: string, keyHash: Buffer): Promise<Versioned | undefined> {
        const raw = await this.db.get(hashedKey(collection, keyHash));
        return raw ? decodeVersioned(raw) : undefined;
    }

    /** Public keys in [start, end) in byte order; an empty end means no upper bound. */
    range(start: string, end: string): RangeReader {
        const iterator = this.db.iterator({ gte: stateKey(start), lt: end === '' ? STATE_END : stateKey(end) });
        let page: Array<[Buffer, Buffer]> = [];
        let position = 0;
        let exhausted = false;
        return {
            async next(): Promise<StateEntry | undefined> {
                if (position >= page.length) {
                    if (exhausted) {
                        return undefined;
                    }
                    page = await iterator.nextv(PAGE_SIZE);
                    position = 0;
                    if (page.length < PAGE_SIZE) {
                        exhausted = true;
                    }
                    if (page.length === 0) {
                        return undefined;
                    }
                }
                const [rawKey, rawValue] = page[position++];
                return { key: decodeStateKey(rawKey), ...decodeVersioned(rawValue) };
            },
            async close(): Promise<void> {
                exhausted = true;
                page = [];
                await iterator.close();
            },
        };
    }

    /** Every committed modification of `key`, newest first (as Fabric v2 returns them). */
    async history(key: string): Promise<HistoryRecord[]> {
        const entries = await this.db.values({ ...historyRange(key), reverse: true }).all();
        return entries.map(decodeHistory);
    }

    /**
     * SHA-256 over every committed public key and value, then every private key and value, in key
     * order: equal digests mean equal state (versions and history are not included).
     */
    async digest(): Promise<string> {
        const hash = createHash('sha256');
        for (const prefix of [PREFIX.state, PREFIX.privateState]) {
            for await (const [key, value] of this.db.iterator({ gte: Buffer.from([prefix]), lt: Buffer.from([prefix + 1]) })) {
                hash.update(key).update(value.subarray(8)).update(Buffer.from([0]));
            }
        }
        return hash.digest('hex');
    }

    /** Marks the start of a commit: reads from now on are not cached until it ends. */
    beginCommit(): void {
        this.commitSequence++;
    }

    /** Marks the end of a commit and caches the values it wrote (null for deletes). */
    endCommit(updates: ReadonlyMap<string, Versioned | null>): void {
        for (const [key, value] of updates) {
            this.cache.set(key, value);
        }
        this.commitSequence++;
    }

    /** Drops every cached value (after a failed commit, when the database state is uncertain). */
    resetCache(): void {
        this.cache.clear();
    }
}
