import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { EmbeddedLedger, EmbeddedLedgerOptions, EnrolledIdentity, LocalCa, openEmbeddedLedger, openLocalCa } from '../src/ledger/embedded';
import { KvContract } from './kv-contract';

/** A temporary directory, a local CA with cheap scrypt, identities, and a ledger over KvContract. */
export interface LedgerFixture {
    directory: string;
    ledgerDirectory: string;
    ca: LocalCa;
    alice: EnrolledIdentity;
    bob: EnrolledIdentity;
    ledger: EmbeddedLedger;
    reopen(options?: Partial<EmbeddedLedgerOptions>): Promise<EmbeddedLedger>;
    dispose(): Promise<void>;
}

export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export async function newLedgerFixture(options: Partial<EmbeddedLedgerOptions> = {}): Promise<LedgerFixture> {
    const directory = mkdtempSync(path.join(tmpdir(), 'xinlian-engine-'));
    const ca = openLocalCa({ directory: path.join(directory, 'ca'), passphrase: 'test-passphrase', scryptCost: TEST_SCRYPT });
    const alice = await ca.enroll('PlatformMSP', 'alice', { 'xl.role': 'supplier', 'xl.eid': 'E-ALICE' });
    const bob = await ca.enroll('BankMSP', 'bob', { 'xl.role': 'financier', 'xl.eid': 'E-BOB' });
    const ledgerDirectory = path.join(directory, 'ledger');
    const base: EmbeddedLedgerOptions = { directory: ledgerDirectory, contracts: [KvContract], blockTimeoutMs: 2, sync: false, ...options };
    const fixture: LedgerFixture = {
        directory,
        ledgerDirectory,
        ca,
        alice,
        bob,
        ledger: await openEmbeddedLedger(base),
        async reopen(more = {}) {
            await fixture.ledger.close();
            fixture.ledger = await openEmbeddedLedger({ ...base, ...more });
            return fixture.ledger;
        },
        async dispose() {
            await fixture.ledger.close();
            rmSync(directory, { recursive: true, force: true });
        },
    };
    return fixture;
}

/** A latch a KvContract transaction can wait on. */
export function newLatch(): { promise: Promise<void>; open(): void } {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
        open = resolve;
    });
    return { promise, open };
}
