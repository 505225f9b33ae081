/**
 * Child process of the crash test: opens a ledger (sync on, as in production) and submits an endless
 * stream of PutPair transactions from many concurrent clients, printing `ACK <txId> <n>` for each
 * one acknowledged, until it is killed.
 */
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
import * as path from 'path';
import { openEmbeddedLedger, openLocalCa } from '../src/ledger/embedded';
import { KvContract } from './kv-contract';

async function main(): Promise<void> {
    const directory = process.argv[2];
    const ca = openLocalCa({ directory: path.join(directory, 'ca'), passphrase: 'crash', scryptCost: { N: 1024, r: 8, p: 1 } });
    const alice = (await ca.loadIdentity('PlatformMSP', 'alice')) ?? (await ca.enroll('PlatformMSP', 'alice', { 'xl.role': 'supplier', 'xl.eid': 'E-A' }));
    const ledger = await openEmbeddedLedger({ directory: path.join(directory, 'ledger'), contracts: [KvContract], blockMaxTransactions: 20, blockTimeoutMs: 2 });
    process.stdout.write('READY\n');
    let next = Number(process.argv[3] ?? 0);
    const client = async (): Promise<void> => {
        for (;;) {
            const n = next++;
            const { txId } = await ledger.submit(alice, 'kv:PutPair', [`a${n}`, `b${n}`, `v${n}`]);
            process.stdout.write(`ACK ${txId} ${n}\n`);
        }
    };
    await Promise.all(Array.from({ length: 16 }, client));
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
