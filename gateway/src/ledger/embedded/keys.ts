/**
 * Byte layout of everything the embedded ledger keeps in its one LevelDB database.
 * One prefix byte per record kind keeps the kinds apart and lets a range scan stay inside one kind;
 * user keys are stored as their UTF-8 bytes, so byte order is Fabric's key order.
 */

/** Version of a committed key: the block and the transaction index inside the block that wrote it. */
export interface Version {
    readonly block: number;
    readonly tx: number;
}

export const PREFIX = {
    state: 0x53, // 'S' public world state
    privateState: 0x50, // 'P' private data values
    hashedState: 0x48, // 'H' private data hashes (public)
    history: 0x4b, // 'K' key history
    block: 0x42, // 'B' block log
    txIndex: 0x54, // 'T' transaction id → (block, tx index, validation code)
    certificate: 0x43, // 'C' creator certificates by the hash blocks record (fingerprint; older blocks: PEM-text hash)
    meta: 0x4d, // 'M' ledger metadata (tip)
    validationParameter: 0x56, // 'V' key-level endorsement policies of public keys
} as const;

export const TIP_KEY = Buffer.from([PREFIX.meta, 0x74]);

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
    if (!a || !b) {
        return a === b;
    }
    return a.block === b.block && a.tx === b.tx;
}

export function stateKey(key: string): Buffer {
    const bytes = Buffer.from(key, 'utf8');
    const out = Buffer.allocUnsafe(bytes.length + 1);
    out[0] = PREFIX.state;
    bytes.copy(out, 1);
    return out;
}

/** The first key after every public state key. */
export const STATE_END = Buffer.from([PREFIX.state + 1]);

export function decodeStateKey(raw: Buffer): string {
    return raw.toString('utf8', 1);
}

function collectionPrefix(prefix: number, collection: string): Buffer {
    const name = Buffer.from(collection, 'utf8');
    const out = Buffer.allocUnsafe(name.length + 3);
    out[0] = prefix;
    out.writeUInt16BE(name.length, 1);
    name.copy(out, 3);
    return out;
}

export function privateKey(collection: string, key: string): Buffer {
    return Buffer.concat([collectionPrefix(PREFIX.privateState, collection), Buffer.from(key, 'utf8')]);
}

export function hashedKey(collection: string, keyHash: Buffer): Buffer {
    return Buffer.concat([collectionPrefix(PREFIX.hashedState, collection), keyHash]);
}

function historyPrefixBytes(key: string): Buffer {
    const bytes = Buffer.from(key, 'utf8');
    const out = Buffer.allocUnsafe(bytes.length + 5);
    out[0] = PREFIX.history;
    out.writeUInt32BE(bytes.length, 1);
    bytes.copy(out, 5);
    return out;
}

/** Range of every history entry of `key`, in commit order. */
export function historyRange(key: string): { gte: Buffer; lt: Buffer } {
    const prefix = historyPrefixBytes(key);
    return { gte: prefix, lt: Buffer.concat([prefix, Buffer.alloc(8, 0xff), Buffer.from([0xff])]) };
}

export function historyKey(key: string, version: Version): Buffer {
    const prefix = historyPrefixBytes(key);
    const out = Buffer.allocUnsafe(prefix.length + 8);
    prefix.copy(out, 0);
    out.writeUInt32BE(version.block, prefix.length);
    out.writeUInt32BE(version.tx, prefix.length + 4);
    return out;
}

export function blockKey(number: number): Buffer {
    const out = Buffer.allocUnsafe(9);
    out[0] = PREFIX.block;
    out.writeUInt32BE(Math.floor(number / 2 ** 32), 1);
    out.writeUInt32BE(number >>> 0, 5);
    return out;
}

/** Where the key-level endorsement policy of public key `key` is kept. */
export function validationParameterKey(key: string): Buffer {
    return Buffer.concat([Buffer.from([PREFIX.validationParameter]), Buffer.from(key, 'utf8')]);
}

export function txIndexKey(txId: string): Buffer {
    return Buffer.concat([Buffer.from([PREFIX.txIndex]), Buffer.from(txId, 'utf8')]);
}

export function certificateKey(fingerprint: string): Buffer {
    return Buffer.concat([Buffer.from([PREFIX.certificate]), Buffer.from(fingerprint, 'utf8')]);
}

/** A versioned value as stored: 4 bytes block, 4 bytes tx index, then the value. */
export function encodeVersioned(version: Version, value: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(value.length + 8);
    out.writeUInt32BE(version.block, 0);
    out.writeUInt32BE(version.tx, 4);
    out.set(value, 8);
    return out;
}

export interface Versioned {
    readonly value: Buffer;
    readonly version: Version;
}

export function decodeVersioned(raw: Buffer): Versioned {
    return { version: { block: raw.readUInt32BE(0), tx: raw.readUInt32BE(4) }, value: raw.subarray(8) };
}
