import { createHash } from 'crypto';
import type { Version } from './keys';
import type { ValidationCode } from './validator';

/**
 * The block format of the embedded ledger. Like a Fabric block, each carries its number, the
 * previous block's hash and a hash of its data; the data is its transactions with id, creator,
 * timestamp, invocation, read-write set (private data only as hashes) and validation code.
 *
 * Stored layout (binary, big-endian):
 *
 *     "XLB1" | u64 number | previousHash (32) | dataHash (32) | hash (32) | data
 *
 * where dataHash = SHA-256(data) and hash = SHA-256(u64 number ‖ previousHash ‖ dataHash). The data
 * is length-prefixed fields (u32 byte length before every string and byte string, u8 flags, u32
 * counts), values as raw bytes, so a block costs no base64 or JSON escaping to write, and a key's
 * history can point at the bytes of a value inside its block instead of keeping a second copy
 * (see `valueSpans`). Blocks written before this format (JSON text) are still read and verified.
 */

/** [block, tx] of a version; null for an absent key. */
export type VersionPair = [number, number] | null;

/** Who submitted a transaction. */
export interface CreatorRecord {
    readonly mspId: string;
    /**
     * The creator certificate's fingerprint: SHA-256 of its DER, 64 lower-case hex digits, the same
     * value user enrolment records carry as `certificateFingerprint` (identity:ListUserEnrolments), so
     * it names the enrolled user. Blocks written before the fingerprint hold SHA-256 of the PEM text
     * the client presented here instead (same format; the certificate's fingerprint is then found from
     * the certificate the store keeps under this hash). Either way the certificate store holds the
     * certificate under exactly this value, and the creator's signature covers it.
     */
    readonly certificateHash: string;
}

/** A transaction as readers see it: byte strings in base64, versions as pairs. */
export interface TransactionRecord {
    readonly txId: string;
    /** Hex nonce; txId = SHA-256(nonce ‖ mspId ‖ the creator's PEM as the certificate store holds it), as Fabric derives it. */
    readonly nonce: string;
    readonly creator: CreatorRecord;
    readonly timestamp: string;
    readonly function: string;
    readonly args: readonly string[];
    /** Base64 signature by the creator over the proposal digest, when the client signed. */
    readonly signature?: string;
    readonly validationCode: ValidationCode;
    readonly readWriteSet: {
        readonly reads: ReadonlyArray<[string, VersionPair]>;
        readonly rangeQueries: ReadonlyArray<{ start: string; end: string; exhausted: boolean; reads: Array<[string, VersionPair]> }>;
        /** [key, base64 value | null for delete] */
        readonly writes: ReadonlyArray<[string, string | null]>;
        /** [collection, key hash hex, version] */
        readonly hashedReads: ReadonlyArray<[string, string, VersionPair]>;
        /** [collection, key hash hex, value hash hex | null for delete] */
        readonly hashedWrites: ReadonlyArray<[string, string, string | null]>;
    };
    readonly event?: { readonly name: string; readonly payload: string };
    /** Base64 of the chaincode's response payload. */
    readonly result: string;
}

/** A transaction as the committer hands it to sealBlock: the same fields, byte strings as bytes. */
export interface TransactionEntry {
    readonly txId: string;
    readonly nonce: string;
    readonly creator: CreatorRecord;
    readonly timestamp: string;
    readonly function: string;
    readonly args: readonly string[];
    readonly signature: Uint8Array | undefined;
    readonly validationCode: ValidationCode;
    readonly readWriteSet: {
        readonly reads: ReadonlyArray<{ readonly key: string; readonly version: Version | null }>;
        readonly rangeQueries: ReadonlyArray<{ readonly start: string; readonly end: string; readonly exhausted: boolean; readonly reads: ReadonlyArray<{ readonly key: string; readonly version: Version | null }> }>;
        readonly writes: ReadonlyArray<{ readonly key: string; readonly value: Uint8Array | null }>;
        readonly hashedReads: ReadonlyArray<{ readonly collection: string; readonly keyHash: Uint8Array; readonly version: Version | null }>;
        readonly hashedWrites: ReadonlyArray<{ readonly collection: string; readonly keyHash: Uint8Array; readonly valueHash: Uint8Array | null }>;
    };
    readonly event: { readonly name: string; readonly payload: Uint8Array } | undefined;
    readonly result: Uint8Array;
}

export interface BlockData {
    /** Only in block 0. */
    readonly config?: { readonly channelId: string; readonly chaincode: string };
    readonly transactions: readonly TransactionRecord[];
}

export interface BlockHeader {
    readonly number: number;
    readonly previousHash: string;
    readonly dataHash: string;
}

export interface Block {
    readonly header: BlockHeader;
    readonly data: BlockData;
    /** SHA-256 of the header. */
    readonly hash: string;
}

/** A sealed block: its header and hash, its stored bytes, and where each written value sits in them. */
export interface SealedBlock {
    readonly header: BlockHeader;
    readonly hash: string;
    readonly bytes: Buffer;
    /** Per transaction, per public write: [start, end) of the value inside `bytes` (empty for a delete). */
    readonly valueSpans: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
    /** Per transaction: where it starts inside `bytes` (see readTransactionHeader). */
    readonly txOffsets: readonly number[];
}

const ZERO_HASH = '0'.repeat(64);
const MAGIC = Buffer.from('XLB1', 'latin1');
const DATA_OFFSET = MAGIC.length + 8 + 32 * 3;
const CODES: readonly ValidationCode[] = ['VALID', 'MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT', 'DUPLICATE_TXID'];

export function hashHeader(header: BlockHeader): string {
    const number = Buffer.alloc(8);
    number.writeBigUInt64BE(BigInt(header.number));
    return createHash('sha256').update(number).update(Buffer.from(header.previousHash, 'hex')).update(Buffer.from(header.dataHash, 'hex')).digest('hex');
}

/** Appends fields to a growing buffer. */
class Writer {
    private buffer: Buffer;
    offset: number;

    constructor(start: number, capacity: number) {
        this.buffer = Buffer.allocUnsafe(Math.max(start, capacity));
        this.offset = start;
    }

    private reserve(bytes: number): void {
        if (this.offset + bytes > this.buffer.length) {
            const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
            this.buffer.copy(grown, 0, 0, this.offset);
            this.buffer = grown;
        }
    }

    u8(value: number): void {
        this.reserve(1);
        this.buffer[this.offset++] = value;
    }

    u32(value: number): void {
        this.reserve(4);
        this.buffer.writeUInt32BE(value, this.offset);
        this.offset += 4;
    }

    string(value: string): void {
        this.reserve(4 + value.length * 3);
        const length = this.buffer.write(value, this.offset + 4, 'utf8');
        this.buffer.writeUInt32BE(length, this.offset);
        this.offset += 4 + length;
    }

    /** Writes a byte string; returns where its bytes start. */
    bytes(value: Uint8Array): number {
        this.reserve(4 + value.byteLength);
        this.buffer.writeUInt32BE(value.byteLength, this.offset);
        this.buffer.set(value, this.offset + 4);
        this.offset += 4 + value.byteLength;
        return this.offset - value.byteLength;
    }

    version(version: Version | null): void {
        if (version) {
            this.u8(1);
            this.u32(version.block);
            this.u32(version.tx);
        } else {
            this.u8(0);
        }
    }

    /** The bytes written; copied out when the buffer has much room left, so a kept block holds no slack. */
    result(): Buffer {
        const written = this.buffer.subarray(0, this.offset);
        return this.offset < (this.buffer.length * 3) / 4 ? Buffer.from(written) : written;
    }
}

/** Reads the fields a Writer wrote; throws on truncated input. */
class Reader {
    offset: number;

    constructor(
        private readonly buffer: Buffer,
        start: number,
    ) {
        this.offset = start;
    }

    private take(bytes: number): number {
        const at = this.offset;
        if (at + bytes > this.buffer.length) {
            throw new Error('block data is truncated');
        }
        this.offset += bytes;
        return at;
    }

    u8(): number {
        return this.buffer[this.take(1)];
    }

    u32(): number {
        return this.buffer.readUInt32BE(this.take(4));
    }

    string(): string {
        const length = this.u32();
        const at = this.take(length);
        return this.buffer.toString('utf8', at, at + length);
    }

    bytes(): Buffer {
        const length = this.u32();
        const at = this.take(length);
        return this.buffer.subarray(at, at + length);
    }

    version(): VersionPair {
        return this.u8() === 1 ? [this.u32(), this.u32()] : null;
    }

    list<T>(read: () => T): T[] {
        const count = this.u32();
        const items: T[] = [];
        for (let i = 0; i < count; i++) {
            items.push(read());
        }
        return items;
    }

    get done(): boolean {
        return this.offset === this.buffer.length;
    }
}

function writeTransaction(out: Writer, tx: TransactionEntry): Array<readonly [number, number]> {
    out.string(tx.txId);
    out.string(tx.nonce);
    out.string(tx.creator.mspId);
    out.string(tx.creator.certificateHash);
    out.string(tx.timestamp);
    out.string(tx.function);
    out.u32(tx.args.length);
    tx.args.forEach((arg) => out.string(arg));
    if (tx.signature) {
        out.u8(1);
        out.bytes(tx.signature);
    } else {
        out.u8(0);
    }
    out.u8(CODES.indexOf(tx.validationCode));
    const rwset = tx.readWriteSet;
    out.u32(rwset.reads.length);
    for (const read of rwset.reads) {
        out.string(read.key);
        out.version(read.version);
    }
    out.u32(rwset.rangeQueries.length);
    for (const query of rwset.rangeQueries) {
        out.string(query.start);
        out.string(query.end);
        out.u8(query.exhausted ? 1 : 0);
        out.u32(query.reads.length);
        for (const read of query.reads) {
            out.string(read.key);
            out.version(read.version);
        }
    }
    const spans: Array<readonly [number, number]> = [];
    out.u32(rwset.writes.length);
    for (const write of rwset.writes) {
        out.string(write.key);
        if (write.value === null) {
            out.u8(0);
            spans.push([out.offset, out.offset]);
        } else {
            out.u8(1);
            const start = out.bytes(write.value);
            spans.push([start, out.offset]);
        }
    }
    out.u32(rwset.hashedReads.length);
    for (const read of rwset.hashedReads) {
        out.string(read.collection);
        out.bytes(read.keyHash);
        out.version(read.version);
    }
    out.u32(rwset.hashedWrites.length);
    for (const write of rwset.hashedWrites) {
        out.string(write.collection);
        out.bytes(write.keyHash);
        if (write.valueHash === null) {
            out.u8(0);
        } else {
            out.u8(1);
            out.bytes(write.valueHash);
        }
    }
    if (tx.event) {
        out.u8(1);
        out.string(tx.event.name);
        out.bytes(tx.event.payload);
    } else {
        out.u8(0);
    }
    out.bytes(tx.result);
    return spans;
}

/** The fields a transaction starts with, in the order writeTransaction writes them. */
function readTransactionStart(input: Reader): Pick<TransactionRecord, 'txId' | 'nonce' | 'creator' | 'timestamp'> {
    const txId = input.string();
    const nonce = input.string();
    const creator = { mspId: input.string(), certificateHash: input.string() };
    return { txId, nonce, creator, timestamp: input.string() };
}

function readTransaction(input: Reader): TransactionRecord {
    const { txId, nonce, creator, timestamp } = readTransactionStart(input);
    const fn = input.string();
    const args = input.list(() => input.string());
    const signature = input.u8() === 1 ? input.bytes().toString('base64') : undefined;
    const validationCode = CODES[input.u8()];
    if (validationCode === undefined) {
        throw new Error(`transaction ${txId} has an unknown validation code`);
    }
    const reads = input.list((): [string, VersionPair] => [input.string(), input.version()]);
    const rangeQueries = input.list(() => ({
        start: input.string(),
        end: input.string(),
        exhausted: input.u8() === 1,
        reads: input.list((): [string, VersionPair] => [input.string(), input.version()]),
    }));
    const writes = input.list((): [string, string | null] => {
        const key = input.string();
        return [key, input.u8() === 1 ? input.bytes().toString('base64') : null];
    });
    const hashedReads = input.list((): [string, string, VersionPair] => [input.string(), input.bytes().toString('hex'), input.version()]);
    const hashedWrites = input.list((): [string, string, string | null] => [input.string(), input.bytes().toString('hex'), input.u8() === 1 ? input.bytes().toString('hex') : null]);
    const event = input.u8() === 1 ? { name: input.string(), payload: input.bytes().toString('base64') } : undefined;
    const result = input.bytes().toString('base64');
    return {
        txId,
        nonce,
        creator,
        timestamp,
        function: fn,
        args,
        ...(signature !== undefined ? { signature } : {}),
        validationCode,
        readWriteSet: { reads, rangeQueries, writes, hashedReads, hashedWrites },
        ...(event ? { event } : {}),
        result,
    };
}

/** Roughly the encoded size of a transaction, to size the block's buffer once. */
function estimatedSize(tx: TransactionEntry): number {
    const rwset = tx.readWriteSet;
    let bytes = 512 + tx.result.byteLength + (tx.event?.payload.byteLength ?? 0) + (rwset.reads.length + rwset.hashedReads.length + rwset.hashedWrites.length) * 96;
    for (const arg of tx.args) {
        bytes += 4 + arg.length;
    }
    for (const write of rwset.writes) {
        bytes += 12 + write.key.length + (write.value?.byteLength ?? 0);
    }
    return bytes;
}

/**
 * Builds a block: serialises its data once into the buffer that becomes the stored block, hashes it,
 * and fills in the header. `config` only for block 0.
 */
export function sealBlock(number: number, previousHash: string | undefined, transactions: readonly TransactionEntry[], config?: BlockData['config']): SealedBlock {
    const out = new Writer(DATA_OFFSET, DATA_OFFSET + 64 + transactions.reduce((bytes, tx) => bytes + estimatedSize(tx), 0));
    if (config) {
        out.u8(1);
        out.string(config.channelId);
        out.string(config.chaincode);
    } else {
        out.u8(0);
    }
    out.u32(transactions.length);
    const txOffsets: number[] = [];
    const valueSpans = transactions.map((tx) => {
        txOffsets.push(out.offset);
        return writeTransaction(out, tx);
    });
    const bytes = out.result();
    const dataHash = createHash('sha256').update(bytes.subarray(DATA_OFFSET)).digest();
    const header: BlockHeader = { number, previousHash: previousHash ?? ZERO_HASH, dataHash: dataHash.toString('hex') };
    const hash = hashHeader(header);
    writeHeader(bytes, header, hash);
    return { header, hash, bytes, valueSpans, txOffsets };
}

/** Writes the stored header (magic, number, previous hash, data hash, hash) in front of a block's data. */
function writeHeader(bytes: Buffer, header: BlockHeader, hash: string): void {
    MAGIC.copy(bytes, 0);
    bytes.writeBigUInt64BE(BigInt(header.number), MAGIC.length);
    bytes.write(header.previousHash, MAGIC.length + 8, 'hex');
    bytes.write(header.dataHash, MAGIC.length + 40, 'hex');
    bytes.write(hash, MAGIC.length + 72, 'hex');
}

function isLegacyJson(raw: Buffer): boolean {
    return raw[0] === 0x7b; // '{'
}

/** Whether `raw` has the header of a block in the binary encoding (magic and room for the header). */
function isBinaryBlock(raw: Buffer): boolean {
    return raw.length >= DATA_OFFSET && raw.subarray(0, MAGIC.length).equals(MAGIC);
}

/**
 * The id and timestamp of the transaction that starts at `offset` (one of SealedBlock.txOffsets) in a
 * stored block, without decoding the rest of the block. Throws when the bytes are not a block or
 * the offset is outside its data.
 */
export function readTransactionHeader(raw: Buffer, offset: number): { readonly txId: string; readonly timestamp: string } {
    if (!isBinaryBlock(raw) || offset < DATA_OFFSET) {
        throw new Error('not a transaction of an embedded ledger block');
    }
    const { txId, timestamp } = readTransactionStart(new Reader(raw, offset));
    return { txId, timestamp };
}

/** Decodes a stored block. Throws when the bytes are not a block. */
export function decodeBlock(raw: Buffer): Block {
    if (isLegacyJson(raw)) {
        return JSON.parse(raw.toString('utf8')) as Block;
    }
    if (!isBinaryBlock(raw)) {
        throw new Error('not an embedded ledger block');
    }
    const header: BlockHeader = {
        number: Number(raw.readBigUInt64BE(MAGIC.length)),
        previousHash: raw.toString('hex', MAGIC.length + 8, MAGIC.length + 40),
        dataHash: raw.toString('hex', MAGIC.length + 40, MAGIC.length + 72),
    };
    const hash = raw.toString('hex', MAGIC.length + 72, DATA_OFFSET);
    const input = new Reader(raw, DATA_OFFSET);
    const config = input.u8() === 1 ? { channelId: input.string(), chaincode: input.string() } : undefined;
    const transactions = input.list(() => readTransaction(input));
    if (!input.done) {
        throw new Error('block data has trailing bytes');
    }
    return { header, data: { ...(config ? { config } : {}), transactions }, hash };
}

/** SHA-256 (hex) of a stored block's data as stored: what its header's dataHash must be. */
export function storedDataHash(raw: Buffer): string {
    if (isLegacyJson(raw)) {
        return createHash('sha256')
            .update(JSON.stringify((JSON.parse(raw.toString('utf8')) as Block).data))
            .digest('hex');
    }
    return createHash('sha256').update(raw.subarray(DATA_OFFSET)).digest('hex');
}

/** The stored form of a decoded transaction again (to re-encode a block, as ledger tools and tests do). */
export function entryOf(record: TransactionRecord): TransactionEntry {
    const version = (pair: VersionPair): Version | null => (pair ? { block: pair[0], tx: pair[1] } : null);
    const rwset = record.readWriteSet;
    return {
        ...record,
        signature: record.signature === undefined ? undefined : Buffer.from(record.signature, 'base64'),
        readWriteSet: {
            reads: rwset.reads.map(([key, pair]) => ({ key, version: version(pair) })),
            rangeQueries: rwset.rangeQueries.map((query) => ({ ...query, reads: query.reads.map(([key, pair]) => ({ key, version: version(pair) })) })),
            writes: rwset.writes.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value, 'base64') })),
            hashedReads: rwset.hashedReads.map(([collection, keyHash, pair]) => ({ collection, keyHash: Buffer.from(keyHash, 'hex'), version: version(pair) })),
            hashedWrites: rwset.hashedWrites.map(([collection, keyHash, valueHash]) => ({
                collection,
                keyHash: Buffer.from(keyHash, 'hex'),
                valueHash: valueHash === null ? null : Buffer.from(valueHash, 'hex'),
            })),
        },
        event: record.event ? { name: record.event.name, payload: Buffer.from(record.event.payload, 'base64') } : undefined,
        result: Buffer.from(record.result, 'base64'),
    };
}

/** Rewrites a block's header fields into stored bytes without recomputing anything (for tampering tests and repair tools). */
export function withHeader(raw: Buffer, header: BlockHeader, hash: string): Buffer {
    const out = Buffer.from(raw);
    writeHeader(out, header, hash);
    return out;
}

export { ZERO_HASH };
