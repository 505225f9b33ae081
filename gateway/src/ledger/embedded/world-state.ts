import { createHash } from 'crypto';
import type { Database } from './database';
import { readTransactionHeader } from './block';
import { LruCache } from './lru-cache';
import {
    PREFIX,
    STATE_END,
    blockKey,
    Version,
    Versioned,
    decodeStateKey,
    decodeVersioned,
    hashedKey,
    historyRange,
    validationParameterKey,
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

/**
 * Where a history entry finds what it reports: the block that wrote it, where the transaction starts
 * inside that block as stored (its id and timestamp are read from there), and the [start, end) of
 * the value's bytes (see block.ts). Nothing is copied: an entry is 22 bytes whatever the key's value,
 * which keeps the nine or so entries a transfer writes small in LevelDB's log, memtable and
 * compactions. Fabric's history database likewise keeps only where to look in the block store.
 */
export interface HistoryEntry {
    readonly block: number;
    readonly txOffset: number;
    readonly valueStart: number;
    readonly valueEnd: number;
    readonly isDelete: boolean;
}

/** Marks the current encoding; 0xff marks the earlier pointer encoding (with txId and timestamp), 0x00 the copy one. */
const HEADER_POINTER_ENTRY = 0xfe;
const POINTER_ENTRY = 0xff;

/** Encodes a history entry: 0xfe, u64 block, u32 transaction offset, u32 value start, u32 value end, u8 delete flag. */
export function encodeHistory(entry: HistoryEntry): Buffer {
    const out = Buffer.allocUnsafe(22);
    out[0] = HEADER_POINTER_ENTRY;
    out.writeBigUInt64BE(BigInt(entry.block), 1);
    out.writeUInt32BE(entry.txOffset, 9);
    out.writeUInt32BE(entry.valueStart, 13);
    out.writeUInt32BE(entry.valueEnd, 17);
    out[21] = entry.isDelete ? 1 : 0;
    return out;
}

/** Decodes a history entry of any of the three encodings; `block` reads a stored block when the entry points into it. */
async function decodeHistory(raw: Buffer, block: (number: number) => Promise<Buffer>): Promise<HistoryRecord> {
    if (raw[0] === HEADER_POINTER_ENTRY) {
        const bytes = await block(Number(raw.readBigUInt64BE(1)));
        const { txId, timestamp } = readTransactionHeader(bytes, raw.readUInt32BE(9));
        const isDelete = raw[21] === 1;
        return { txId, timestampMs: Date.parse(timestamp), isDelete, value: isDelete ? Buffer.alloc(0) : bytes.subarray(raw.readUInt32BE(13), raw.readUInt32BE(17)) };
    }
    if (raw[0] !== POINTER_ENTRY) {
        // u16 txId length, txId, f64 timestamp, u8 delete flag, value.
        const length = raw.readUInt16BE(0);
        return {
            txId: raw.toString('utf8', 2, 2 + length),
            timestampMs: raw.readDoubleBE(2 + length),
            isDelete: raw[10 + length] === 1,
            value: raw.subarray(11 + length),
        };
    }
    // 0xff, u64 block, u32 value start, u32 value end, f64 timestamp, u8 delete flag, txId.
    const isDelete = raw[25] === 1;
    const start = raw.readUInt32BE(9);
    const end = raw.readUInt32BE(13);
    return {
        txId: raw.toString('utf8', 26),
        timestampMs: raw.readDoubleBE(17),
        isDelete,
        value: isDelete ? Buffer.alloc(0) : (await block(Number(raw.readBigUInt64BE(1)))).subarray(start, end),
    };
}

/**
 * Committed world state: public keys, private data and their hashes, key history.
 * Point reads of public keys go through a cache that the committer updates. A read is cached only
 * when no commit finished while it ran and no commit still running writes its key, so the cache
 * cannot hold a value older than the database; reads of other keys are cached while blocks are
 * being written, which is almost always on a busy ledger.
 */
export class WorldState {
    private readonly cache: LruCache<string, Versioned | null>;
    /** The updates of the commits running now (at most a few: one block is written at a time). */
    private readonly committing: Array<ReadonlyMap<string, unknown>> = [];
    /** Commits finished so far, successfully or not. */
    private finishedCommits = 0;

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
        const finished = this.finishedCommits;
        const raw = await this.db.get(stateKey(key));
        const entry = raw ? decodeVersioned(raw) : undefined;
        if (finished === this.finishedCommits && !this.committing.some((updates) => updates.has(key))) {
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

    /** The committed key-level endorsement policy of a public key, or undefined when it has none. */
    async getValidationParameter(key: string): Promise<Buffer | undefined> {
        return this.db.get(validationParameterKey(key));
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
                    // A short page is not the end: classic-level also stops a page at its
                    // byte budget (16 KiB by default). Only an empty page is the natural end.
                    page = await iterator.nextv(PAGE_SIZE);
                    position = 0;
                    if (page.length === 0) {
                        exhausted = true;
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
        const blocks = new Map<number, Promise<Buffer>>();
        const block = (number: number): Promise<Buffer> => {
            let raw = blocks.get(number);
            if (!raw) {
                raw = this.db.get(blockKey(number)).then((bytes) => {
                    if (!bytes) {
                        throw new Error(`block ${number} of a history entry is missing`);
                    }
                    return bytes;
                });
                blocks.set(number, raw);
            }
            return raw;
        };
        return Promise.all(entries.map((entry) => decodeHistory(entry, block)));
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

    /** Marks the start of a commit that writes the keys of `updates`: reads of them are not cached until it ends. */
    beginCommit(updates: ReadonlyMap<string, Versioned | null>): void {
        this.committing.push(updates);
    }

    /**
     * Marks the end of the commit begun with the keys of `updates`: caches the values it wrote (null
     * for deletes), or, when it failed (`committed` false), drops the whole cache since the database
     * state is uncertain.
     */
    endCommit(updates: ReadonlyMap<string, Versioned | null>, committed: boolean): void {
        const index = this.committing.indexOf(updates);
        if (index >= 0) {
            this.committing.splice(index, 1);
        }
        this.finishedCommits++;
        if (!committed) {
            this.cache.clear();
            return;
        }
        for (const [key, value] of updates) {
            this.cache.set(key, value);
        }
    }
}
