import { createHash } from 'crypto';
import type { ValidationCode } from './validator';

/**
 * The block format of the embedded ledger. Like a Fabric block, each carries its number, the
 * previous block's hash and a hash of its data; the data is its transactions with id, creator,
 * timestamp, invocation, read-write set (private data only as hashes) and validation code.
 */

/** [block, tx] of a version; null for an absent key. */
export type VersionPair = [number, number] | null;

export interface TransactionRecord {
    readonly txId: string;
    /** Hex nonce; txId = SHA-256(nonce ‖ mspId ‖ certificate), as Fabric derives it. */
    readonly nonce: string;
    readonly creator: { readonly mspId: string; readonly certificateHash: string };
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

const ZERO_HASH = '0'.repeat(64);

export function hashData(data: BlockData): string {
    return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

export function hashHeader(header: BlockHeader): string {
    const number = Buffer.alloc(8);
    number.writeBigUInt64BE(BigInt(header.number));
    return createHash('sha256').update(number).update(Buffer.from(header.previousHash, 'hex')).update(Buffer.from(header.dataHash, 'hex')).digest('hex');
}

/** A block with its stored bytes. */
export interface SealedBlock {
    readonly block: Block;
    readonly bytes: Buffer;
}

/**
 * Builds a block, computes its hashes and serialises it. The data is serialised and UTF-8 encoded
 * once; those bytes are both hashed and copied into the stored block, which is byte-for-byte the
 * JSON `{"header":…,"data":…,"hash":…}` that hashData and decodeBlock expect.
 */
export function sealBlock(number: number, previousHash: string | undefined, data: BlockData): SealedBlock {
    const dataBytes = Buffer.from(JSON.stringify(data), 'utf8');
    const header: BlockHeader = { number, previousHash: previousHash ?? ZERO_HASH, dataHash: createHash('sha256').update(dataBytes).digest('hex') };
    const hash = hashHeader(header);
    const bytes = Buffer.concat([Buffer.from(`{"header":${JSON.stringify(header)},"data":`, 'utf8'), dataBytes, Buffer.from(`,"hash":${JSON.stringify(hash)}}`, 'utf8')]);
    return { block: { header, data, hash }, bytes };
}

export function decodeBlock(raw: Buffer): Block {
    return JSON.parse(raw.toString('utf8')) as Block;
}

export { ZERO_HASH };
