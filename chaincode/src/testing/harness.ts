import { createHash } from 'crypto';
import { ChaincodeError, DecodedError, ErrorCode, decodeError } from '../errors';
import { MemoryStub, MemoryWorldState } from './memory-stub';
import type { TestIdentity } from './identities';

/**
 * The harness every chaincode test drives: submit or evaluate a transaction as an identity and
 * get the decoded result. The default engine runs the contracts through fabric-contract-api's own
 * dispatcher over an in-memory world state. Setting CHAINCODE_TEST_ENGINE to a module path that
 * exports `newHarness(contracts)` re-runs the same suites on another engine (the embedded ledger).
 */

/** A contract class as fabric-chaincode-node loads it. */
export type ContractClass = new () => object;

/** Argument of a transaction: strings go as they are, anything else as JSON. */
export type TxArg = string | number | boolean | object;

/** Options of a single invocation. */
export interface InvokeOptions {
    transient?: Record<string, string | object>;
}

/** A committed chaincode event. */
export interface HarnessEvent {
    name: string;
    payload: Record<string, unknown>;
    txId: string;
}

/** A transaction that the chaincode rejected. */
export class TxFailure extends Error {
    constructor(
        readonly code: ErrorCode,
        readonly detail: string,
        readonly txId: string,
    ) {
        super(`[${code}] ${detail}`);
        this.name = 'TxFailure';
    }
}

export interface Harness {
    /** Submits a transaction; resolves the parsed JSON result or rejects with TxFailure. */
    submit<T = unknown>(identity: TestIdentity, fn: string, args?: TxArg[], options?: InvokeOptions): Promise<T>;
    /** Evaluates a transaction; never writes. */
    evaluate<T = unknown>(identity: TestIdentity, fn: string, args?: TxArg[], options?: InvokeOptions): Promise<T>;
    /** Sets the timestamp of the next transactions (each later one advances by one second). */
    setTime(iso: string): void;
    /** The current ledger time. */
    now(): Date;
    /** Digest of the whole world state, public and private: equal digests mean nothing changed. */
    stateDigest(): Promise<string>;
    /** Events of committed transactions, oldest first. */
    events(): HarnessEvent[];
    close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSONSerializer } = require('fabric-contract-api');

export const DEFAULT_START_TIME = '2026-01-05T00:00:00.000Z';

const TXID_SEED = process.env.CHAINCODE_TEST_TXID_SEED ?? '';

interface ShimResponse {
    status: number;
    message?: string;
    payload?: Uint8Array;
}

interface Dispatcher {
    Invoke(stub: unknown): Promise<ShimResponse>;
}

/** Builds fabric-contract-api's dispatcher over the given contract classes. */
export function newDispatcher(contracts: readonly ContractClass[]): Dispatcher {
    process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
    return new ChaincodeFromContract([...contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'xinlian', '0.1.0');
}

/** Encodes harness arguments as the string arguments a client sends. */
export function encodeArgs(args: readonly TxArg[]): string[] {
    return args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)));
}

/** Encodes transient values as bytes. */
export function encodeTransient(transient: InvokeOptions['transient']): Map<string, Uint8Array> {
    const map = new Map<string, Uint8Array>();
    for (const [key, value] of Object.entries(transient ?? {})) {
        map.set(key, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8'));
    }
    return map;
}

/** Parses a transaction result: JSON when it is JSON, the raw string otherwise. */
export function parsePayload<T>(payload: Uint8Array | undefined): T {
    const text = payload ? Buffer.from(payload).toString('utf8') : '';
    if (text === '') {
        return undefined as T;
    }
    try {
        return JSON.parse(text) as T;
    } catch {
        return text as T;
    }
}

/** Turns a failure text into a TxFailure through the one decoder. */
export function toFailure(message: string, txId: string): TxFailure {
    const decoded: DecodedError = decodeError(message);
    return new TxFailure(decoded.code, decoded.message, txId);
}

class MemoryHarness implements Harness {
    private readonly world = new MemoryWorldState();
    private readonly dispatcher: Dispatcher;
    private readonly committed: HarnessEvent[] = [];
    private clock = new Date(DEFAULT_START_TIME).getTime();
    private counter = 0;

    constructor(contracts: readonly ContractClass[]) {
        this.dispatcher = newDispatcher(contracts);
    }

    submit<T>(identity: TestIdentity, fn: string, args: TxArg[] = [], options: InvokeOptions = {}): Promise<T> {
        return this.invoke<T>(identity, fn, args, options, true);
    }

    evaluate<T>(identity: TestIdentity, fn: string, args: TxArg[] = [], options: InvokeOptions = {}): Promise<T> {
        return this.invoke<T>(identity, fn, args, options, false);
    }

    setTime(iso: string): void {
        this.clock = new Date(iso).getTime();
    }

    now(): Date {
        return new Date(this.clock);
    }

    async stateDigest(): Promise<string> {
        return this.world.digest();
    }

    events(): HarnessEvent[] {
        return [...this.committed];
    }

    async close(): Promise<void> {}

    private async invoke<T>(identity: TestIdentity, fn: string, args: TxArg[], options: InvokeOptions, commit: boolean): Promise<T> {
        // Fabric tx ids are hashes of a random nonce; CHAINCODE_TEST_TXID_SEED varies them between runs
        // so that no rule can come to depend on the order of ids derived from them.
        const txId = createHash('sha256').update(`memory-tx-${TXID_SEED}-${++this.counter}`).digest('hex');
        const timestamp = new Date(this.clock);
        this.clock += 1000;
        const stub = new MemoryStub(this.world, {
            txId,
            channelId: 'xinlian',
            mspId: identity.mspId,
            certificate: identity.certificate,
            args: [fn, ...encodeArgs(args)],
            transient: encodeTransient(options.transient),
            timestamp,
        });
        const response = await this.dispatcher.Invoke(stub);
        if (response.status !== 200) {
            throw toFailure(response.message ?? '', txId);
        }
        if (commit) {
            stub.commit();
            if (stub.event) {
                this.committed.push({ name: stub.event.name, payload: JSON.parse(Buffer.from(stub.event.payload).toString('utf8')), txId });
            }
        }
        return parsePayload<T>(response.payload);
    }
}

/** Creates the harness for a suite: the in-memory engine, or the one CHAINCODE_TEST_ENGINE names. */
export async function newHarness(contracts: readonly ContractClass[]): Promise<Harness> {
    const engine = process.env.CHAINCODE_TEST_ENGINE;
    if (engine) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(engine) as { newHarness(contracts: readonly ContractClass[]): Promise<Harness> };
        return module.newHarness(contracts);
    }
    return new MemoryHarness(contracts);
}

/** Asserts that a transaction fails with `code`; returns the failure for further checks. */
export async function expectFailure(promise: Promise<unknown>, code: ErrorCode): Promise<TxFailure> {
    try {
        await promise;
    } catch (error) {
        if (error instanceof TxFailure || error instanceof ChaincodeError) {
            if (error.code !== code) {
                throw new Error(`expected ${code} but the transaction failed with ${error.message}`);
            }
            return error instanceof TxFailure ? error : new TxFailure(error.code, error.detail, '');
        }
        throw error;
    }
    throw new Error(`expected ${code} but the transaction succeeded`);
}

/**
 * Asserts that an attempt is refused with `code` and that the world state is exactly as before.
 */
export async function expectRefused(harness: Harness, code: ErrorCode, attempt: () => Promise<unknown>): Promise<TxFailure> {
    const before = await harness.stateDigest();
    const failure = await expectFailure(attempt(), code);
    const after = await harness.stateDigest();
    if (before !== after) {
        throw new Error(`a refused transaction (${code}) changed the world state`);
    }
    return failure;
}
