import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CommitError, EmbeddedLedger, EndorseError, openEmbeddedLedger } from '../src/ledger/embedded';
import {
    ContractClass,
    DEFAULT_START_TIME,
    Harness,
    HarnessEvent,
    InvokeOptions,
    TxArg,
    TxFailure,
    encodeArgs,
    parsePayload,
    toFailure,
} from '../../chaincode/src/testing/harness';
import type { TestIdentity } from '../../chaincode/src/testing/identities';

/**
 * The chaincode test Harness over the embedded ledger: `CHAINCODE_TEST_ENGINE=<this file>` re-runs
 * every chaincode suite through the real engine (dispatcher, read-write sets, MVCC validation,
 * blocks on disk), so the contracts' tests prove the same rules on both engines.
 * A submit resolves once its block is committed. A transaction invalidated at commit (MVCC or
 * phantom read conflict) fails as TxFailure with code CONFLICT.
 */

/** The harness clock: each transaction (submit or evaluate) takes the next second. */
class HarnessClock {
    time = new Date(DEFAULT_START_TIME).getTime();

    tick(): Date {
        const now = new Date(this.time);
        this.time += 1000;
        return now;
    }
}

class EmbeddedHarness implements Harness {
    private readonly committed: HarnessEvent[] = [];
    private nextBlock = 0;
    private catchUp: Promise<void> = Promise.resolve();

    constructor(
        private readonly ledger: EmbeddedLedger,
        private readonly directory: string,
        private readonly clock: HarnessClock,
    ) {}

    async submit<T>(identity: TestIdentity, fn: string, args: TxArg[] = [], options: InvokeOptions = {}): Promise<T> {
        try {
            const { result } = await this.ledger.submit(identity, fn, encodeArgs(args), { transient: encodeTransient(options.transient) });
            return parsePayload<T>(result);
        } catch (error) {
            throw failureOf(error);
        } finally {
            await this.collectEvents();
        }
    }

    async evaluate<T>(identity: TestIdentity, fn: string, args: TxArg[] = [], options: InvokeOptions = {}): Promise<T> {
        try {
            return parsePayload<T>(await this.ledger.evaluate(identity, fn, encodeArgs(args), { transient: encodeTransient(options.transient) }));
        } catch (error) {
            throw failureOf(error);
        }
    }

    setTime(iso: string): void {
        this.clock.time = new Date(iso).getTime();
    }

    now(): Date {
        return new Date(this.clock.time);
    }

    stateDigest(): Promise<string> {
        return this.ledger.stateDigest();
    }

    events(): HarnessEvent[] {
        return [...this.committed];
    }

    async close(): Promise<void> {
        await this.ledger.close();
        rmSync(this.directory, { recursive: true, force: true });
    }

    /** Appends the events of every block committed since the last call, in commit order. */
    private collectEvents(): Promise<void> {
        this.catchUp = this.catchUp.then(async () => {
            while (this.nextBlock < this.ledger.height()) {
                const block = await this.ledger.readBlock(this.nextBlock++);
                for (const tx of block.data.transactions) {
                    if (tx.validationCode === 'VALID' && tx.event) {
                        this.committed.push({ name: tx.event.name, payload: JSON.parse(Buffer.from(tx.event.payload, 'base64').toString('utf8')), txId: tx.txId });
                    }
                }
            }
        });
        return this.catchUp;
    }
}

function encodeTransient(transient: InvokeOptions['transient']): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(transient ?? {})) {
        out[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return out;
}

function failureOf(error: unknown): unknown {
    if (error instanceof EndorseError) {
        return toFailure(error.message, error.txId);
    }
    if (error instanceof CommitError) {
        return new TxFailure('CONFLICT', error.message, error.txId);
    }
    return error;
}

/** Creates a harness over a fresh embedded ledger in a temporary directory. */
export async function newHarness(contracts: readonly ContractClass[]): Promise<Harness> {
    const directory = mkdtempSync(path.join(tmpdir(), 'xinlian-harness-'));
    const clock = new HarnessClock();
    let nonces = 0;
    const ledger = await openEmbeddedLedger({
        directory,
        contracts,
        blockMaxTransactions: 50,
        blockTimeoutMs: 0,
        sync: false,
        clock: () => clock.tick(),
        // Reproducible transaction ids (hence derived record ids) from run to run, as in the memory
        // engine; CHAINCODE_TEST_TXID_SEED varies them.
        nonce: () => Buffer.from(`embedded-nonce-${process.env.CHAINCODE_TEST_TXID_SEED ?? ''}-${++nonces}`, 'utf8'),
    });
    return new EmbeddedHarness(ledger, directory, clock);
}
