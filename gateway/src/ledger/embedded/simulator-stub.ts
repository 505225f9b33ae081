import { createHash } from 'crypto';
import { inspect } from 'util';
import type { Versioned } from './keys';
import type { HashedRead, KeyRead, KeyWrite, PrivateWrite, RangeQueryRead, ReadWriteSet, ValidationParameterWrite } from './read-write-set';
import type { RangeReader, WorldState } from './world-state';

/**
 * The ChaincodeStub a contract sees inside the embedded ledger. It has the semantics of a peer's
 * transaction simulator: reads (point and range) see committed state only, never the transaction's
 * own writes; writes are buffered; every read is recorded with the version it saw, and every range
 * query with the keys it returned, so the committer can detect MVCC and phantom conflicts.
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
/** Fabric substitutes this for an empty start key of a range query. */
const EMPTY_KEY_SUBSTITUTE = '\u0001';

/** Everything a signed proposal tells the chaincode. */
export interface ProposalContext {
    readonly txId: string;
    readonly channelId: string;
    readonly mspId: string;
    /** The creator's certificate, PEM. */
    readonly certificate: string;
    readonly args: readonly string[];
    readonly transient: ReadonlyMap<string, Uint8Array>;
    readonly timestamp: Date;
    /** The MSP of the (embedded) peer, what getMspID() reports. */
    readonly peerMspId: string;
}

interface Timestamp {
    seconds: number;
    nanos: number;
    getSeconds(): number;
    getNanos(): number;
}

function timestampOf(ms: number): Timestamp {
    const seconds = Math.floor(ms / 1000);
    const nanos = (ms - seconds * 1000) * 1e6;
    return { seconds, nanos, getSeconds: () => seconds, getNanos: () => nanos };
}

/** The iterator shape fabric-shim returns: next() → {value, done:false} … then {done:true}. */
export interface StubIterator<T> extends AsyncIterable<T> {
    next(): Promise<{ value?: T; done: boolean }>;
    close(): Promise<void>;
}

function listIterator<T>(items: readonly T[]): StubIterator<T> {
    let position = 0;
    const iterator: StubIterator<T> = {
        async next() {
            return position < items.length ? { value: items[position++], done: false } : { done: true };
        },
        async close() {
            position = items.length;
        },
        async *[Symbol.asyncIterator]() {
            while (position < items.length) {
                yield items[position++];
            }
        },
    };
    return iterator;
}

/**
 * An argument as the shim receives it. fabric-shim's DataMarshall builds the debug line
 * `Supplied parameter ${util.inspect(buffer)}` for every parameter of every call, whatever the log
 * level (~2 % of the engine's CPU went to hex-formatting these buffers); this buffer describes
 * itself by its length instead. Its bytes and every other behaviour are those of a plain Buffer.
 */
function argumentBuffer(arg: string): Buffer {
    const buffer = Buffer.from(arg, 'utf8');
    Object.defineProperty(buffer, inspect.custom, { value: () => `<Buffer ${buffer.length} bytes>` });
    return buffer;
}

function requireKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0) {
        throw new Error('key must not be an empty string');
    }
}

function sha256(data: string | Uint8Array): Buffer {
    return createHash('sha256').update(data).digest();
}

/** The result of simulating one transaction. */
export interface Simulation {
    readonly readWriteSet: ReadWriteSet;
    readonly event: { name: string; payload: Buffer } | undefined;
}

export class SimulatorStub {
    private readonly reads = new Map<string, KeyRead>();
    private readonly readValues = new Map<string, Versioned | undefined>();
    private readonly rangeQueries: RangeQueryRead[] = [];
    private readonly writes = new Map<string, KeyWrite>();
    private readonly hashedReads = new Map<string, HashedRead>();
    private readonly privateWrites = new Map<string, PrivateWrite>();
    private readonly validationParameterWrites = new Map<string, ValidationParameterWrite>();
    private readonly openReaders = new Set<RangeReader>();
    private event: { name: string; payload: Buffer } | undefined;
    private readonly bufferArgs: Buffer[];

    constructor(
        private readonly state: WorldState,
        private readonly proposal: ProposalContext,
    ) {
        this.bufferArgs = proposal.args.map(argumentBuffer);
    }

    // ---- proposal ----

    getArgs(): string[] {
        return [...this.proposal.args];
    }
    getStringArgs(): string[] {
        return [...this.proposal.args];
    }
    getBufferArgs(): Buffer[] {
        return this.bufferArgs;
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
        return this.proposal.peerMspId;
    }
    getTransient(): Map<string, Uint8Array> {
        return new Map(this.proposal.transient);
    }
    getTxTimestamp(): Timestamp {
        return timestampOf(this.proposal.timestamp.getTime());
    }
    getDateTimestamp(): Date {
        return new Date(this.proposal.timestamp.getTime());
    }

    // ---- public state ----

    async getState(key: string): Promise<Uint8Array> {
        requireKey(key);
        const entry = await this.readKey(key);
        return entry ? Buffer.from(entry.value) : Buffer.alloc(0);
    }

    async putState(key: string, value: Uint8Array): Promise<void> {
        requireKey(key);
        if (!value || value.length === 0) {
            throw new Error('value must not be empty; use deleteState to remove a key');
        }
        this.writes.set(key, { key, value: Buffer.from(value) });
    }

    async deleteState(key: string): Promise<void> {
        requireKey(key);
        this.writes.set(key, { key, value: null });
    }

    async getStateByRange(startKey: string, endKey: string): Promise<StubIterator<{ key: string; value: Uint8Array }>> {
        if (startKey.startsWith(MIN_UNICODE) || endKey.startsWith(MIN_UNICODE)) {
            throw new Error('getStateByRange cannot be used with composite keys');
        }
        return this.rangeIterator(startKey === '' ? EMPTY_KEY_SUBSTITUTE : startKey, endKey);
    }

    async getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<StubIterator<{ key: string; value: Uint8Array }>> {
        const prefix = this.createCompositeKey(objectType, attributes);
        return this.rangeIterator(prefix, prefix + MAX_UNICODE);
    }

    async getStateByRangeWithPagination(): Promise<never> {
        throw new Error('paginated queries are not supported by the embedded ledger');
    }

    async getStateByPartialCompositeKeyWithPagination(): Promise<never> {
        throw new Error('paginated queries are not supported by the embedded ledger');
    }

    async getQueryResult(): Promise<never> {
        throw new Error('ExecuteQuery not supported for leveldb');
    }

    /** Fabric's own encoding: fabric-shim's implementation, which uses no stub state. */
    createCompositeKey(objectType: string, attributes: string[]): string {
        return SHIM_STUB.createCompositeKey.call(this, objectType, attributes);
    }

    splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
        return SHIM_STUB.splitCompositeKey.call(this, compositeKey);
    }

    async getHistoryForKey(key: string): Promise<StubIterator<{ txId: string; timestamp: Timestamp; isDelete: boolean; value: Buffer }>> {
        requireKey(key);
        const records = await this.state.history(key);
        return listIterator(records.map((r) => ({ txId: r.txId, timestamp: timestampOf(r.timestampMs), isDelete: r.isDelete, value: Buffer.from(r.value) })));
    }

    setEvent(name: string, payload: Uint8Array): void {
        if (typeof name !== 'string' || name.length === 0) {
            throw new Error('event name must not be empty');
        }
        this.event = { name, payload: Buffer.from(payload ?? []) };
    }

    // ---- private data ----

    async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
        requireCollection(collection);
        requireKey(key);
        const entry = await this.state.getPrivate(collection, key);
        this.recordHashedRead(collection, key, entry);
        return entry ? Buffer.from(entry.value) : Buffer.alloc(0);
    }

    async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
        requireCollection(collection);
        requireKey(key);
        const keyHash = sha256(key);
        const entry = await this.state.getHashed(collection, keyHash);
        this.recordHashedRead(collection, key, entry);
        return entry ? Buffer.from(entry.value) : Buffer.alloc(0);
    }

    async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
        requireCollection(collection);
        requireKey(key);
        if (!value || value.length === 0) {
            throw new Error('private data value must not be empty');
        }
        const bytes = Buffer.from(value);
        this.privateWrites.set(`${collection}\u0000${key}`, { collection, key, keyHash: sha256(key), value: bytes, valueHash: sha256(bytes) });
    }

    async deletePrivateData(collection: string, key: string): Promise<void> {
        requireCollection(collection);
        requireKey(key);
        this.privateWrites.set(`${collection}\u0000${key}`, { collection, key, keyHash: sha256(key), value: null, valueHash: null });
    }

    async invokeChaincode(): Promise<never> {
        throw new Error('chaincode-to-chaincode invocation is not supported by the embedded ledger');
    }

    // ---- key-level endorsement policies ----

    async setStateValidationParameter(key: string, policy: Uint8Array): Promise<void> {
        requireKey(key);
        if (!policy || policy.length === 0) {
            throw new Error('the validation parameter must not be empty');
        }
        this.validationParameterWrites.set(key, { key, policy: Buffer.from(policy) });
    }

    /** The committed policy (empty when the key has none), as Fabric's shim returns it. */
    async getStateValidationParameter(key: string): Promise<Uint8Array> {
        requireKey(key);
        return (await this.state.getValidationParameter(key)) ?? Buffer.alloc(0);
    }

    // ---- results ----

    /** Closes the iterators the chaincode left open. */
    async closeIterators(): Promise<void> {
        const readers = [...this.openReaders];
        this.openReaders.clear();
        await Promise.all(readers.map((reader) => reader.close()));
    }

    /** What the transaction read and wrote, and its event. */
    simulation(): Simulation {
        return {
            readWriteSet: {
                reads: [...this.reads.values()],
                rangeQueries: this.rangeQueries,
                writes: [...this.writes.values()],
                hashedReads: [...this.hashedReads.values()],
                privateWrites: [...this.privateWrites.values()],
                ...(this.validationParameterWrites.size > 0 ? { validationParameterWrites: [...this.validationParameterWrites.values()] } : {}),
            },
            event: this.event,
        };
    }

    private async readKey(key: string): Promise<Versioned | undefined> {
        if (this.readValues.has(key)) {
            return this.readValues.get(key);
        }
        const entry = await this.state.get(key);
        // Repeated reads see the first value: one snapshot per key for the whole simulation.
        if (!this.readValues.has(key)) {
            this.readValues.set(key, entry);
            this.reads.set(key, { key, version: entry ? entry.version : null });
        }
        return this.readValues.get(key);
    }

    private recordHashedRead(collection: string, key: string, entry: Versioned | undefined): void {
        const id = `${collection}\u0000${key}`;
        if (!this.hashedReads.has(id)) {
            this.hashedReads.set(id, { collection, keyHash: sha256(key), version: entry ? entry.version : null });
        }
    }

    private rangeIterator(start: string, end: string): StubIterator<{ key: string; value: Uint8Array }> {
        const reader = this.state.range(start, end);
        this.openReaders.add(reader);
        const record: RangeQueryRead = { start, end, exhausted: false, reads: [] };
        this.rangeQueries.push(record);
        let finished = false;
        const finish = async (): Promise<void> => {
            if (!finished) {
                finished = true;
                this.openReaders.delete(reader);
                await reader.close();
            }
        };
        const next = async (): Promise<{ value?: { key: string; value: Uint8Array }; done: boolean }> => {
            if (finished) {
                return { done: true };
            }
            const entry = await reader.next();
            if (!entry) {
                record.exhausted = true;
                await finish();
                return { done: true };
            }
            record.reads.push({ key: entry.key, version: entry.version });
            return { value: { key: entry.key, value: Buffer.from(entry.value) }, done: false };
        };
        return {
            next,
            close: finish,
            async *[Symbol.asyncIterator]() {
                for (;;) {
                    const result = await next();
                    if (result.done || !result.value) {
                        return;
                    }
                    yield result.value;
                }
            },
        };
    }
}

function requireCollection(collection: string): void {
    if (typeof collection !== 'string' || collection.length === 0) {
        throw new Error('collection must not be an empty string');
    }
}
