import { createHash } from 'crypto';

/**
 * An in-memory world state and a ChaincodeStub over it with the semantics our contracts rely on:
 * - reads (point and range) see committed state only, never the transaction's own writes;
 * - writes and deletes are buffered and applied atomically when the transaction succeeds;
 * - composite keys use Fabric's encoding (U+0000 separators) and sort as UTF-8 bytes;
 * - key history comes newest first, as from a peer;
 * - key history, a single chaincode event per transaction, transient data and private data with
 *   their SHA-256 hashes.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ChaincodeStub } = require('fabric-shim') as { ChaincodeStub: { prototype: ShimCompositeKeys } };

interface ShimCompositeKeys {
    createCompositeKey(objectType: string, attributes: string[]): string;
    splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] };
}

const SHIM_STUB = ChaincodeStub.prototype;

const MIN_UNICODE = '\u0000';
const MAX_UNICODE = String.fromCodePoint(0x10ffff);

/** One committed modification of a key. */
export interface KeyModification {
    txId: string;
    timestamp: Date;
    isDelete: boolean;
    value: Uint8Array;
}

function compareUtf8(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Committed state shared by every transaction of one test ledger. */
export class MemoryWorldState {
    readonly state = new Map<string, Uint8Array>();
    readonly history = new Map<string, KeyModification[]>();
    readonly privateData = new Map<string, Map<string, Uint8Array>>();
    /** Key-level endorsement policies (state-based endorsement), by key. */
    readonly validationParameters = new Map<string, Uint8Array>();

    sortedKeys(start: string, end: string): string[] {
        return [...this.state.keys()]
            .filter((key) => compareUtf8(key, start) >= 0 && (end === '' || compareUtf8(key, end) < 0))
            .sort(compareUtf8);
    }

    /** SHA-256 over every key and value in order: equal digests mean equal state. */
    digest(): string {
        const hash = createHash('sha256');
        for (const key of [...this.state.keys()].sort(compareUtf8)) {
            hash.update(key).update('\u0001').update(this.state.get(key) as Uint8Array).update('\u0002');
        }
        for (const collection of [...this.privateData.keys()].sort()) {
            const entries = this.privateData.get(collection) as Map<string, Uint8Array>;
            for (const key of [...entries.keys()].sort(compareUtf8)) {
                hash.update(collection).update(key).update(entries.get(key) as Uint8Array);
            }
        }
        for (const key of [...this.validationParameters.keys()].sort(compareUtf8)) {
            hash.update('\u0003').update(key).update(this.validationParameters.get(key) as Uint8Array);
        }
        return hash.digest('hex');
    }
}

/** Everything a transaction proposal carries. */
export interface Proposal {
    txId: string;
    channelId: string;
    mspId: string;
    certificate: string;
    args: string[];
    transient: Map<string, Uint8Array>;
    timestamp: Date;
}

interface Iter<T> {
    next(): Promise<{ value?: T; done: boolean }>;
    close(): Promise<void>;
    [Symbol.asyncIterator](): AsyncIterator<T>;
}

function iterator<T>(items: T[]): Iter<T> {
    let i = 0;
    const it: Iter<T> = {
        async next() {
            if (i < items.length) {
                return { value: items[i++], done: false };
            }
            return { done: true };
        },
        async close() {
            i = items.length;
        },
        [Symbol.asyncIterator]() {
            return {
                next: async () => {
                    const r = await it.next();
                    return r.done ? { value: undefined, done: true } : { value: r.value as T, done: false };
                },
            };
        },
    };
    return it;
}

function validateKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0) {
        throw new Error('key must not be an empty string');
    }
}

/** A ChaincodeStub for one transaction. `writes` holds the buffered write set. */
export class MemoryStub {
    readonly writes = new Map<string, Uint8Array | null>();
    readonly privateWrites = new Map<string, Map<string, Uint8Array | null>>();
    readonly validationParameterWrites = new Map<string, Uint8Array>();
    event: { name: string; payload: Uint8Array } | undefined;

    constructor(
        private readonly world: MemoryWorldState,
        private readonly proposal: Proposal,
    ) {}

    getArgs(): string[] {
        return this.proposal.args;
    }
    getStringArgs(): string[] {
        return this.proposal.args;
    }
    getBufferArgs(): Buffer[] {
        return this.proposal.args.map((a) => Buffer.from(a, 'utf8'));
    }
    getFunctionAndParameters(): { fcn: string; params: string[] } {
        const [fcn = '', ...params] = this.proposal.args;
        return { fcn, params };
    }
    getTxID(): string {
        return this.proposal.txId;
    }
    getChannelID(): string {
        return this.proposal.channelId;
    }
    getCreator(): { mspid: string; idBytes: Uint8Array } {
        return { mspid: this.proposal.mspId, idBytes: Buffer.from(this.proposal.certificate, 'utf8') };
    }
    getMspID(): string {
        return this.proposal.mspId;
    }
    getTransient(): Map<string, Uint8Array> {
        return this.proposal.transient;
    }
    getTxTimestamp(): { seconds: number; nanos: number } {
        const ms = this.proposal.timestamp.getTime();
        return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
    }
    getDateTimestamp(): Date {
        return new Date(this.proposal.timestamp.getTime());
    }

    async getState(key: string): Promise<Uint8Array> {
        validateKey(key);
        return this.world.state.get(key) ?? new Uint8Array(0);
    }
    async putState(key: string, value: Uint8Array): Promise<void> {
        validateKey(key);
        if (!value || value.length === 0) {
            throw new Error('value must not be empty; use deleteState to remove a key');
        }
        this.writes.set(key, Buffer.from(value));
    }
    async deleteState(key: string): Promise<void> {
        validateKey(key);
        this.writes.set(key, null);
    }

    async getStateByRange(startKey: string, endKey: string): Promise<Iter<{ key: string; value: Uint8Array }>> {
        if (startKey.startsWith(MIN_UNICODE) || endKey.startsWith(MIN_UNICODE)) {
            throw new Error('getStateByRange cannot be used with composite keys');
        }
        const start = startKey === '' ? '\u0001' : startKey;
        const keys = this.world.sortedKeys(start, endKey).filter((k) => !k.startsWith(MIN_UNICODE));
        return iterator(keys.map((key) => ({ key, value: this.world.state.get(key) as Uint8Array })));
    }

    async getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<Iter<{ key: string; value: Uint8Array }>> {
        const prefix = this.createCompositeKey(objectType, attributes);
        const keys = this.world.sortedKeys(prefix, prefix + MAX_UNICODE);
        return iterator(keys.map((key) => ({ key, value: this.world.state.get(key) as Uint8Array })));
    }

    /** Fabric's own encoding: fabric-shim's implementation, which uses no stub state. */
    createCompositeKey(objectType: string, attributes: string[]): string {
        return SHIM_STUB.createCompositeKey.call(this, objectType, attributes);
    }

    splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
        return SHIM_STUB.splitCompositeKey.call(this, compositeKey);
    }

    async getHistoryForKey(key: string): Promise<Iter<{ txId: string; timestamp: { seconds: number; nanos: number }; isDelete: boolean; value: Uint8Array }>> {
        // Newest first, as a Fabric peer answers a history query.
        const mods = [...(this.world.history.get(key) ?? [])].reverse();
        return iterator(
            mods.map((m) => ({
                txId: m.txId,
                timestamp: { seconds: Math.floor(m.timestamp.getTime() / 1000), nanos: (m.timestamp.getTime() % 1000) * 1e6 },
                isDelete: m.isDelete,
                value: m.value,
            })),
        );
    }

    setEvent(name: string, payload: Uint8Array): void {
        if (!name) {
            throw new Error('event name must not be empty');
        }
        this.event = { name, payload: Buffer.from(payload) };
    }

    async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
        validateKey(key);
        return this.world.privateData.get(collection)?.get(key) ?? new Uint8Array(0);
    }
    async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
        const value = this.world.privateData.get(collection)?.get(key);
        return value ? createHash('sha256').update(value).digest() : new Uint8Array(0);
    }
    async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
        validateKey(key);
        if (!value || value.length === 0) {
            throw new Error('private data value must not be empty');
        }
        this.privateCollection(collection).set(key, Buffer.from(value));
    }
    async deletePrivateData(collection: string, key: string): Promise<void> {
        validateKey(key);
        this.privateCollection(collection).set(key, null);
    }

    private privateCollection(collection: string): Map<string, Uint8Array | null> {
        let writes = this.privateWrites.get(collection);
        if (!writes) {
            writes = new Map();
            this.privateWrites.set(collection, writes);
        }
        return writes;
    }

    /** Sets the key-level endorsement policy of `key` (a serialised SignaturePolicyEnvelope), applied at commit. */
    async setStateValidationParameter(key: string, policy: Uint8Array): Promise<void> {
        validateKey(key);
        if (!policy || policy.length === 0) {
            throw new Error('the validation parameter must not be empty');
        }
        this.validationParameterWrites.set(key, Uint8Array.from(policy));
    }

    /** The committed key-level endorsement policy of `key` (empty when it has none). */
    async getStateValidationParameter(key: string): Promise<Uint8Array> {
        validateKey(key);
        return this.world.validationParameters.get(key) ?? new Uint8Array(0);
    }

    /** Applies the buffered writes to the world state and records history. */
    commit(): void {
        for (const [key, policy] of this.validationParameterWrites) {
            this.world.validationParameters.set(key, policy);
        }
        for (const [key, value] of this.writes) {
            const mods = this.world.history.get(key) ?? [];
            mods.push({ txId: this.proposal.txId, timestamp: this.proposal.timestamp, isDelete: value === null, value: value ?? new Uint8Array(0) });
            this.world.history.set(key, mods);
            if (value === null) {
                this.world.state.delete(key);
            } else {
                this.world.state.set(key, value);
            }
        }
        for (const [collection, writes] of this.privateWrites) {
            let entries = this.world.privateData.get(collection);
            if (!entries) {
                entries = new Map();
                this.world.privateData.set(collection, entries);
            }
            for (const [key, value] of writes) {
                if (value === null) {
                    entries.delete(key);
                } else {
                    entries.set(key, value);
                }
            }
        }
    }
}
