import { expect } from 'chai';
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { openEmbeddedLedger, openLocalCa } from '../src/ledger/embedded';
import { KvContract } from './kv-contract';

/** Runs the crash child until it has acknowledged `acks` transactions, then SIGKILLs it. */
function runAndKill(directory: string, acks: number, firstKey: number): Promise<Map<string, number>> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'crash-child.ts'), directory, String(firstKey)], {
            cwd: path.join(__dirname, '..'),
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const acknowledged = new Map<string, number>();
        let buffered = '';
        let stderr = '';
        let killed = false;
        child.stdout.on('data', (chunk: Buffer) => {
            buffered += chunk.toString();
            const lines = buffered.split('\n');
            buffered = lines.pop() ?? '';
            for (const line of lines) {
                const [tag, txId, n] = line.split(' ');
                if (tag === 'ACK' && !killed) {
                    acknowledged.set(txId, Number(n));
                    if (acknowledged.size >= acks) {
                        killed = true;
                        child.kill('SIGKILL');
                    }
                }
            }
        });
        child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        child.on('exit', (code, signal) => {
            if (signal === 'SIGKILL') {
                resolve(acknowledged);
            } else {
                reject(new Error(`crash child exited on its own (${code}): ${stderr}`));
            }
        });
    });
}

describe('embedded ledger crash recovery', () => {
    let directory: string;

    beforeEach(() => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-crash-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('recovers after SIGKILL mid-load: the chain verifies, every acknowledged transaction is present, none is half applied', async () => {
        const first = await runAndKill(directory, 300, 0);
        const second = await runAndKill(directory, 150, 1_000_000); // crash again, after a restart on the same ledger
        const ca = openLocalCa({ directory: path.join(directory, 'ca'), passphrase: 'crash' });
        const alice = await ca.loadIdentity('PlatformMSP', 'alice');
        const ledger = await openEmbeddedLedger({ directory: path.join(directory, 'ledger'), contracts: [KvContract] });
        try {
            const verification = await ledger.verifyChain();
            expect(verification.ok, JSON.stringify(verification)).to.equal(true);
            for (const [txId] of [...first, ...second]) {
                expect((await ledger.getTransactionStatus(txId))?.validationCode, txId).to.equal('VALID');
            }
            // Every committed PutPair wrote both of its keys: no transaction is half applied.
            let pairs = 0;
            for (let number = 1; number < ledger.height(); number++) {
                for (const tx of (await ledger.readBlock(number)).data.transactions) {
                    if (tx.validationCode === 'VALID') {
                        const [a, b, value] = tx.args;
                        const [va, vb] = await Promise.all([a, b].map(async (key) => (await ledger.evaluate(alice!, 'kv:Get', [key])).toString()));
                        expect([va, vb]).to.deep.equal([value, value]);
                        pairs++;
                    }
                }
            }
            expect(pairs).to.be.at.least(first.size + second.size);
            const keys = JSON.parse((await ledger.evaluate(alice!, 'kv:Scan', ['', ''])).toString()) as string[];
            expect(keys.length).to.equal(2 * pairs);
            const after = await ledger.submit(alice!, 'kv:Put', ['after-crash', 'ok']);
            expect(after.blockNumber).to.equal(ledger.height() - 1);
        } finally {
            await ledger.close();
        }
    });
});
