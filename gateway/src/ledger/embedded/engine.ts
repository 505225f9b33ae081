import { randomBytes } from 'crypto';
import { mkdirSync } from 'fs';
import { Block, SealedBlock, TransactionEntry, decodeBlock, sealBlock } from './block';
import { BlockCutter } from './block-cutter';
import { CreatorCache, CreatorInfo, CreatorRejected, Identity, deriveTxId } from './creator';
import { CryptoWorker } from './crypto-worker';
import { BatchOperation, Database, openDatabase, writeBatch } from './database';
import { ChaincodeDispatcher, ChaincodeResponse, ContractClass, newChaincodeDispatcher } from './dispatcher';
import { CommitError, EndorseError, LedgerError } from './errors';
import { EventHub, EventStream, EventStreamOptions } from './event-hub';
import { TIP_KEY, Version, Versioned, blockKey, certificateKey, encodeVersioned, hashedKey, historyKey, privateKey, stateKey, txIndexKey, validationParameterKey } from './keys';
import { proposalBytes } from './proposal';
import type { ReadWriteSet } from './read-write-set';
import { Simulation, SimulatorStub } from './simulator-stub';
import { encodeTip, readTip } from './tip';
import { BlockValidator, PendingWrites, ValidationCode } from './validator';
import { ChainVerification, verifyChain } from './verify-chain';
import { WorldState, encodeHistory } from './world-state';

/** Options of openEmbeddedLedger. */
export interface EmbeddedLedgerOptions {
    /** Directory of the ledger's database; created when missing. */
    readonly directory: string;
    /** The contract classes of the chaincode. */
    readonly contracts: readonly ContractClass[];
    readonly channelId?: string;
    readonly chaincodeName?: string;
    /** A block is cut at this many transactions (default 500). */
    readonly blockMaxTransactions?: number;
    /** … or at this many bytes of read-write sets (default 8 MiB). */
    readonly blockMaxBytes?: number;
    /**
     * … or this long after its first transaction arrived. Default 0: group commit, a block is cut as
     * soon as the previous one is out of the way (see BlockCutter); measured with bench:embedded, a
     * 5 ms timer left the clients waiting on it and cost a fifth of the throughput.
     */
    readonly blockTimeoutMs?: number;
    /** The transaction timestamp source (default: the system clock). */
    readonly clock?: () => Date;
    /** Sync each block to disk before acknowledging it (default true). */
    readonly sync?: boolean;
    /** LevelDB memtable size in bytes (default 32 MiB; smaller saves memory, larger saves compaction CPU). */
    readonly writeBufferBytes?: number;
    /** Public keys kept in the read cache (default 100 000). */
    readonly stateCacheEntries?: number;
    /** The MSP of the embedded peer, reported by getMspID() (default PlatformMSP). */
    readonly peerMspId?: string;
    /** CA certificates (PEM) per MSP; when given, every creator must be issued by its MSP's CA. */
    readonly trustedRoots?: Readonly<Record<string, readonly string[]>>;
    /** Refuse proposals that carry no signature (default false). */
    readonly requireSignatures?: boolean;
    /** Source of proposal nonces (default: 24 random bytes); tests pass a counter for reproducible ids. */
    readonly nonce?: () => Buffer;
}

/** Per-invocation options. */
export interface InvokeOptions {
    /** Transient data: passed to the chaincode, never stored. */
    readonly transient?: Readonly<Record<string, Uint8Array | string>>;
    /**
     * Submit only: called with the transaction id once the proposal is endorsed and before it is
     * ordered; the transaction is ordered only after this resolves, and not at all when it rejects
     * (the submit then rejects with its error). Lets a caller record the id durably first.
     */
    readonly beforeOrdering?: (txId: string) => Promise<void>;
}

/** A committed transaction. */
export interface SubmitResult {
    /** The chaincode's response payload. */
    readonly result: Buffer;
    readonly txId: string;
    readonly blockNumber: number;
    readonly txIndex: number;
}

/** Where a committed transaction is and how it was validated. */
export interface TransactionStatus {
    readonly blockNumber: number;
    readonly txIndex: number;
    readonly validationCode: ValidationCode;
}

/** A single-process Fabric-like ledger running the real contracts. */
export interface EmbeddedLedger {
    /**
     * Endorses, orders and commits a transaction; resolves once its block is committed.
     * Throws EndorseError (the chaincode refused: `[CODE] message`), CommitError (MVCC or phantom
     * read conflict, duplicate id), LedgerError (closed, storage failure).
     */
    submit(identity: Identity, fn: string, args?: readonly string[], options?: InvokeOptions): Promise<SubmitResult>;
    /** Runs a transaction against committed state without ordering it; never writes. Throws EndorseError, LedgerError. */
    evaluate(identity: Identity, fn: string, args?: readonly string[], options?: InvokeOptions): Promise<Buffer>;
    /** Events of valid transactions in commit order, from a checkpoint, then live. */
    events(options?: EventStreamOptions): EventStream;
    /** Number of committed blocks (block 0 is the genesis block). */
    height(): number;
    /** A committed block. Throws LedgerError when there is no such block. */
    readBlock(number: number): Promise<Block>;
    /** Where a transaction was committed, or undefined. */
    getTransactionStatus(txId: string): Promise<TransactionStatus | undefined>;
    /** Digest of committed public and private state: equal digests mean equal state. */
    stateDigest(): Promise<string>;
    /** Verifies the whole block chain. */
    verifyChain(): Promise<ChainVerification>;
    /** Commits what is already ordered, then closes the database. */
    close(): Promise<void>;
}

interface Endorsed {
    readonly txId: string;
    readonly nonce: string;
    readonly mspId: string;
    /** Canonical PEM (see canonicalPem in creator.ts). */
    readonly certificate: string;
    /** The certificate's fingerprint, SHA-256 of its DER (see certificateFingerprint in creator.ts). */
    readonly certificateHash: string;
    readonly timestamp: Date;
    readonly fn: string;
    readonly args: readonly string[];
    readonly signature: Uint8Array | undefined;
    readonly simulation: Simulation;
    readonly result: Buffer;
}

interface Ordered extends Endorsed {
    resolve(result: SubmitResult): void;
    reject(error: Error): void;
}

const RECENT_BLOCKS = 256;
const NONCE_BYTES = 24;

/**
 * Random proposal nonces drawn from the CSPRNG 512 at a time: one randomBytes call (a native job)
 * per 512 transactions instead of one per transaction. Each nonce is a copy, never shared.
 */
class NoncePool {
    private pool = Buffer.alloc(0);
    private offset = 0;

    next(): Buffer {
        if (this.offset + NONCE_BYTES > this.pool.length) {
            this.pool = randomBytes(NONCE_BYTES * 512);
            this.offset = 0;
        }
        const nonce = Buffer.from(this.pool.subarray(this.offset, this.offset + NONCE_BYTES));
        this.offset += NONCE_BYTES;
        return nonce;
    }
}

function encodeTransient(transient: InvokeOptions['transient']): Map<string, Uint8Array> {
    const map = new Map<string, Uint8Array>();
    for (const [key, value] of Object.entries(transient ?? {})) {
        map.set(key, typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value));
    }
    return map;
}

function sizeOf(rwset: ReadWriteSet, result: Buffer): number {
    let bytes = 512 + result.length;
    for (const write of rwset.writes) {
        bytes += write.key.length + (write.value?.length ?? 0) * 1.4;
    }
    return bytes + (rwset.reads.length + rwset.hashedReads.length) * 64;
}

function toEntry(tx: Endorsed, code: ValidationCode): TransactionEntry {
    const rwset = tx.simulation.readWriteSet;
    return {
        txId: tx.txId,
        nonce: tx.nonce,
        creator: { mspId: tx.mspId, certificateHash: tx.certificateHash },
        timestamp: tx.timestamp.toISOString(),
        function: tx.fn,
        args: tx.args,
        signature: tx.signature,
        validationCode: code,
        readWriteSet: { ...rwset, hashedWrites: rwset.privateWrites },
        event: tx.simulation.event,
        result: tx.result,
    };
}

/** Fails the transactions of a block that was validated on top of a block whose write failed. */
function refuseOrphan(batch: readonly Ordered[], number: number): void {
    const failure = new LedgerError(`block ${number} was validated on a block that could not be written`);
    batch.forEach((tx) => tx.reject(failure));
}

/** A block kept in memory after its commit: its stored bytes, decoded when first read. */
interface RecentBlock {
    readonly bytes: Buffer;
    decoded?: Block;
}

class Engine implements EmbeddedLedger {
    private readonly state: WorldState;
    private readonly hub: EventHub;
    private readonly cutter: BlockCutter<Ordered>;
    private readonly creators: CreatorCache;
    private readonly recentBlocks = new Map<number, RecentBlock>();
    private readonly storedCertificates = new Set<string>();
    private readonly nonces = new NoncePool();
    /** Verifies proposal signatures off the main thread and off the thread pool LevelDB uses. */
    private readonly crypto = new CryptoWorker();
    private readonly clock: () => Date;
    private readonly channelId: string;
    private readonly peerMspId: string;
    private inFlight = 0;
    /** Height and tip hash of the chain of sealed blocks: committed ones plus the one being written. */
    private sealedHeight: number;
    private sealedHash: string;
    /** The sealed block being written, whose writes the next block is validated against. */
    private pending: { readonly number: number; readonly writes: PendingWrites } | undefined;
    /** Counts failed block writes: a block validated across one is refused. */
    private failedWrites = 0;
    /** Settles when the last queued block write has finished (it never rejects). */
    private writing: Promise<void> = Promise.resolve();
    private idle: (() => void) | undefined;
    private closing = false;

    constructor(
        private readonly db: Database,
        private readonly dispatcher: ChaincodeDispatcher,
        private readonly options: EmbeddedLedgerOptions,
        private committedHeight: number,
        private tipHash: string,
    ) {
        this.sealedHeight = committedHeight;
        this.sealedHash = tipHash;
        this.state = new WorldState(db, options.stateCacheEntries ?? 100_000);
        this.hub = new EventHub({ height: () => this.committedHeight, readBlock: (n) => this.readBlock(n) });
        this.creators = new CreatorCache(options.trustedRoots);
        this.clock = options.clock ?? (() => new Date());
        this.channelId = options.channelId ?? 'xinlian';
        this.peerMspId = options.peerMspId ?? 'PlatformMSP';
        this.cutter = new BlockCutter<Ordered>(
            {
                maxTransactions: options.blockMaxTransactions ?? 500,
                maxBytes: options.blockMaxBytes ?? 8 * 1024 * 1024,
                timeoutMs: options.blockTimeoutMs ?? 0,
            },
            (batch) => this.commitBlock(batch),
        );
    }

    async submit(identity: Identity, fn: string, args: readonly string[] = [], options: InvokeOptions = {}): Promise<SubmitResult> {
        this.enter();
        let endorsed: Endorsed;
        try {
            endorsed = await this.endorse(identity, fn, args, options);
            if (options.beforeOrdering) {
                await options.beforeOrdering(endorsed.txId);
            }
        } finally {
            this.leave();
        }
        return new Promise<SubmitResult>((resolve, reject) => {
            this.cutter.add({ ...endorsed, resolve, reject }, sizeOf(endorsed.simulation.readWriteSet, endorsed.result));
        });
    }

    async evaluate(identity: Identity, fn: string, args: readonly string[] = [], options: InvokeOptions = {}): Promise<Buffer> {
        this.enter();
        try {
            return (await this.endorse(identity, fn, args, options)).result;
        } finally {
            this.leave();
        }
    }

    events(options?: EventStreamOptions): EventStream {
        return this.hub.stream(options);
    }

    height(): number {
        return this.committedHeight;
    }

    async readBlock(number: number): Promise<Block> {
        const recent = this.recentBlocks.get(number);
        if (recent) {
            recent.decoded ??= decodeBlock(recent.bytes);
            return recent.decoded;
        }
        const raw = number < this.committedHeight ? await this.db.get(blockKey(number)) : undefined;
        if (!raw) {
            throw new LedgerError(`block ${number} does not exist (height ${this.committedHeight})`);
        }
        return decodeBlock(raw);
    }

    async getTransactionStatus(txId: string): Promise<TransactionStatus | undefined> {
        const raw = await this.db.get(txIndexKey(txId));
        return raw ? (JSON.parse(raw.toString('utf8')) as TransactionStatus) : undefined;
    }

    stateDigest(): Promise<string> {
        return this.state.digest();
    }

    verifyChain(): Promise<ChainVerification> {
        return verifyChain(this.db);
    }

    async close(): Promise<void> {
        if (this.closing) {
            return;
        }
        this.closing = true;
        while (this.inFlight > 0) {
            await new Promise<void>((resolve) => {
                this.idle = resolve;
            });
        }
        await this.cutter.drain();
        await this.writing;
        this.cutter.stop();
        await this.crypto.close();
        this.hub.close();
        await this.db.close();
    }

    private enter(): void {
        if (this.closing) {
            throw new LedgerError('the embedded ledger is closed');
        }
        this.inFlight++;
    }

    private leave(): void {
        this.inFlight--;
        if (this.inFlight === 0 && this.idle) {
            const idle = this.idle;
            this.idle = undefined;
            idle();
        }
    }

    /**
     * Simulates a proposal: checks the creator, runs the chaincode, collects its read-write set.
     * The certificate is checked first; the proposal is signed and its signature verified while the
     * chaincode runs, and the outcome is withheld until the signature has verified: a proposal whose
     * signature fails is refused as UNAUTHENTICATED whatever the chaincode answered, and its
     * simulation (reads only, nothing written) is discarded.
     */
    private async endorse(identity: Identity, fn: string, args: readonly string[], options: InvokeOptions): Promise<Endorsed> {
        const nonce = this.options.nonce ? this.options.nonce() : this.nonces.next();
        const timestamp = this.clock();
        let creator: CreatorInfo | undefined;
        let rejected: CreatorRejected | undefined;
        try {
            creator = this.creators.resolve(identity.mspId, identity.certificate, timestamp);
            if (!identity.signer && this.options.requireSignatures) {
                throw new CreatorRejected('the proposal is not signed');
            }
        } catch (error) {
            if (!(error instanceof CreatorRejected)) {
                throw error;
            }
            rejected = error;
        }
        // From the canonical PEM, which is what the certificate store keeps and verifyChain derives from
        // (a refused creator's id only names the refusal).
        const txId = deriveTxId(nonce, identity.mspId, creator ? creator.pem : identity.certificate);
        const refuse = (code: string, message: string): EndorseError => new EndorseError(txId, `[${code}] ${message}`, 500, this.peerMspId);
        if (typeof fn !== 'string' || fn.length === 0) {
            throw refuse('INVALID_ARGUMENT', 'the transaction name must not be empty');
        }
        if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) {
            throw refuse('INVALID_ARGUMENT', 'transaction arguments must be strings');
        }
        if (rejected || !creator) {
            throw refuse('UNAUTHENTICATED', rejected?.message ?? 'the creator was refused');
        }
        const certificateHash = creator.certificateHash;
        const pem = creator.pem;
        const signer = identity.signer;
        /** Resolves the signature (undefined when unsigned); rejects CreatorRejected when it does not verify. */
        const signed: Promise<Uint8Array | undefined> = signer
            ? (async () => {
                  const message = proposalBytes({ channelId: this.channelId, txId, nonce: nonce.toString('hex'), mspId: identity.mspId, certificateHash, timestamp: timestamp.toISOString(), function: fn, args });
                  const bytes = await signer(message);
                  if (!(await this.crypto.verify(creator.publicKey, message, bytes))) {
                      throw new CreatorRejected('the proposal signature does not verify with the creator certificate');
                  }
                  // A copy: the block is built later, and a signer may reuse its buffer.
                  return Buffer.from(bytes);
              })()
            : Promise.resolve(undefined);
        // Settled below on every path; this only keeps a rejection from being reported as unhandled meanwhile.
        signed.catch(() => undefined);
        const stub = new SimulatorStub(this.state, {
            txId,
            channelId: this.channelId,
            mspId: identity.mspId,
            certificate: pem,
            args: [fn, ...args],
            transient: encodeTransient(options.transient),
            timestamp,
            peerMspId: this.peerMspId,
        });
        let response: ChaincodeResponse;
        try {
            response = await this.dispatcher.Invoke(stub);
        } finally {
            // Closes iterators the chaincode left open, on success and failure alike.
            await stub.closeIterators();
        }
        let signature: Uint8Array | undefined;
        try {
            signature = await signed;
        } catch (error) {
            throw error instanceof CreatorRejected ? refuse('UNAUTHENTICATED', error.message) : error;
        }
        const simulation = stub.simulation();
        if (response.status !== 200) {
            throw new EndorseError(txId, response.message ?? '', response.status, this.peerMspId);
        }
        return {
            txId,
            nonce: nonce.toString('hex'),
            mspId: identity.mspId,
            certificate: pem,
            certificateHash,
            timestamp,
            fn,
            args: [...args],
            signature,
            simulation,
            result: Buffer.from(response.payload ?? []),
        };
    }

    /**
     * Validates and seals one block, then queues its atomic write. Blocks go through two stages, each
     * one block at a time and in order: validate-and-seal on the main thread, then the LevelDB write
     * (and disk sync) on the thread pool. The next block is validated while this one is written,
     * against committed state plus this block's writes (`pending`), so neither stage waits for the
     * other; this resolves once the block is sealed and the block before it is written, so at most one
     * block is being written while the next is validated. A block is written only on top of the block
     * it was sealed on: when a write fails, the block validated on top of it fails too.
     */
    private async commitBlock(batch: Ordered[]): Promise<void> {
        const number = this.sealedHeight;
        const previousHash = this.sealedHash;
        const epoch = this.failedWrites;
        let sealed: SealedBlock;
        let codes: ValidationCode[];
        let written: PendingWrites;
        const ops: BatchOperation[] = [];
        const updates = new Map<string, Versioned | null>();
        try {
            const validator = new BlockValidator(this.state, number, await this.committedTxIds(batch), this.pending?.writes);
            codes = [];
            for (let index = 0; index < batch.length; index++) {
                codes.push(await validator.validate({ txId: batch[index].txId, readWriteSet: batch[index].simulation.readWriteSet }, index));
            }
            written = validator.written();
            const block = sealBlock(
                number,
                previousHash,
                batch.map((tx, index) => toEntry(tx, codes[index])),
            );
            ops.push({ type: 'put', key: blockKey(number), value: block.bytes });
            batch.forEach((tx, index) => this.writesOf(tx, { block: number, tx: index }, codes[index], block.txOffsets[index], block.valueSpans[index], ops, updates));
            ops.push({ type: 'put', key: TIP_KEY, value: encodeTip({ height: number + 1, hash: block.hash }) });
            sealed = block;
        } catch (error) {
            const failure = new LedgerError(`block ${number} could not be built`, { cause: error });
            batch.forEach((tx) => tx.reject(failure));
            return;
        }
        if (epoch !== this.failedWrites) {
            // A block this one was validated against failed to be written while this one was validated.
            refuseOrphan(batch, number);
            return;
        }
        this.sealedHeight = number + 1;
        this.sealedHash = sealed.hash;
        this.pending = { number, writes: written };
        const previous = this.writing;
        this.writing = previous.then(() => this.writeBlock(batch, sealed, codes, ops, updates));
        await previous;
    }

    /**
     * Which of `batch`'s transaction ids are already committed. A transaction id is SHA-256 over the
     * proposal nonce and the creator, and the engine draws every nonce itself: with the default 192-bit
     * CSPRNG nonces an id cannot repeat one committed earlier, so the transaction index is only
     * consulted when nonces come from `options.nonce` (duplicates inside a block and against the
     * block being written are still checked by the validator either way).
     */
    private async committedTxIds(batch: readonly Ordered[]): Promise<(txId: string) => Promise<boolean>> {
        if (!this.options.nonce) {
            return async () => false;
        }
        const known = await this.db.getMany(batch.map((tx) => txIndexKey(tx.txId)));
        const committed = new Set(batch.filter((_, i) => known[i] !== undefined).map((tx) => tx.txId));
        return async (id) => committed.has(id);
    }

    /** Writes a sealed block in one atomic batch; then acknowledges its transactions. Never rejects. */
    private async writeBlock(batch: Ordered[], sealed: SealedBlock, codes: ValidationCode[], ops: BatchOperation[], updates: Map<string, Versioned | null>): Promise<void> {
        const number = sealed.header.number;
        if (number !== this.committedHeight || sealed.header.previousHash !== this.tipHash) {
            refuseOrphan(batch, number);
            return;
        }
        this.state.beginCommit(updates);
        try {
            await writeBatch(this.db, ops, this.options.sync ?? true);
        } catch (error) {
            this.state.endCommit(updates, false);
            // Blocks sealed on top of this one are refused when their turn to be written comes, and a
            // block being validated on top of it now is refused when its validation ends.
            this.failedWrites++;
            this.sealedHeight = this.committedHeight;
            this.sealedHash = this.tipHash;
            this.pending = undefined;
            const failure = new LedgerError(`block ${number} could not be written`, { cause: error });
            batch.forEach((tx) => tx.reject(failure));
            return;
        }
        this.state.endCommit(updates, true);
        this.committedHeight = number + 1;
        this.tipHash = sealed.hash;
        if (this.pending?.number === number) {
            this.pending = undefined;
        }
        this.recentBlocks.set(number, { bytes: sealed.bytes });
        this.recentBlocks.delete(number - RECENT_BLOCKS);
        for (const tx of batch) {
            this.storedCertificates.add(tx.certificateHash);
        }
        batch.forEach((tx, index) => {
            const code = codes[index];
            if (code === 'VALID') {
                tx.resolve({ result: tx.result, txId: tx.txId, blockNumber: number, txIndex: index });
            } else {
                tx.reject(new CommitError(tx.txId, code, number));
            }
        });
        this.hub.notify();
    }

    /** Adds the database writes of one transaction to the block's batch. */
    private writesOf(
        tx: Ordered,
        version: Version,
        code: ValidationCode,
        txOffset: number,
        valueSpans: ReadonlyArray<readonly [number, number]>,
        ops: BatchOperation[],
        updates: Map<string, Versioned | null>,
    ): void {
        const status: TransactionStatus = { blockNumber: version.block, txIndex: version.tx, validationCode: code };
        if (code !== 'DUPLICATE_TXID') {
            ops.push({ type: 'put', key: txIndexKey(tx.txId), value: Buffer.from(JSON.stringify(status)) });
        }
        // Keyed by the hash the block records: blocks written before the fingerprint keep finding their
        // certificates (the exact PEM text) under the PEM-text hash, new ones theirs under the fingerprint.
        if (!this.storedCertificates.has(tx.certificateHash)) {
            ops.push({ type: 'put', key: certificateKey(tx.certificateHash), value: Buffer.from(tx.certificate, 'utf8') });
        }
        if (code !== 'VALID') {
            return;
        }
        const rwset = tx.simulation.readWriteSet;
        rwset.writes.forEach((write, index) => {
            if (write.value === null) {
                ops.push({ type: 'del', key: stateKey(write.key) });
                updates.set(write.key, null);
            } else {
                ops.push({ type: 'put', key: stateKey(write.key), value: encodeVersioned(version, write.value) });
                updates.set(write.key, { value: write.value, version });
            }
            const [valueStart, valueEnd] = valueSpans[index];
            ops.push({
                type: 'put',
                key: historyKey(write.key, version),
                value: encodeHistory({ block: version.block, txOffset, valueStart, valueEnd, isDelete: write.value === null }),
            });
        });
        for (const write of rwset.validationParameterWrites ?? []) {
            ops.push({ type: 'put', key: validationParameterKey(write.key), value: write.policy });
        }
        for (const write of rwset.privateWrites) {
            if (write.value === null || write.valueHash === null) {
                ops.push({ type: 'del', key: privateKey(write.collection, write.key) });
                ops.push({ type: 'del', key: hashedKey(write.collection, write.keyHash) });
            } else {
                ops.push({ type: 'put', key: privateKey(write.collection, write.key), value: encodeVersioned(version, write.value) });
                ops.push({ type: 'put', key: hashedKey(write.collection, write.keyHash), value: encodeVersioned(version, write.valueHash) });
            }
        }
    }
}

/**
 * Opens (creating when new) an embedded ledger in `options.directory`. Throws LedgerError when the
 * directory is held by another process or its tip does not match its last block.
 */
export async function openEmbeddedLedger(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    mkdirSync(options.directory, { recursive: true });
    let db: Database;
    try {
        db = await openDatabase(options.directory, options.writeBufferBytes);
    } catch (error) {
        const locked = (error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
        throw new LedgerError(`cannot open the ledger in ${options.directory}${locked ? ': it is already open elsewhere (a gateway already running on this data directory?)' : ''}`, { cause: error });
    }
    try {
        const dispatcher = newChaincodeDispatcher(options.contracts, options.chaincodeName ?? 'xinlian', '0.1.0');
        let tip = await readTip(db);
        if (!tip) {
            const genesis = sealBlock(0, undefined, [], { channelId: options.channelId ?? 'xinlian', chaincode: options.chaincodeName ?? 'xinlian' });
            await db.batch(
                [
                    { type: 'put', key: blockKey(0), value: genesis.bytes },
                    { type: 'put', key: TIP_KEY, value: encodeTip({ height: 1, hash: genesis.hash }) },
                ],
                { sync: options.sync ?? true },
            );
            tip = { height: 1, hash: genesis.hash };
        }
        const last = await db.get(blockKey(tip.height - 1));
        if (!last || decodeBlock(last).hash !== tip.hash) {
            throw new LedgerError(`the ledger in ${options.directory} is damaged: its tip does not match block ${tip.height - 1}`);
        }
        return new Engine(db, dispatcher, options, tip.height, tip.hash);
    } catch (error) {
        await db.close();
        throw error;
    }
}
