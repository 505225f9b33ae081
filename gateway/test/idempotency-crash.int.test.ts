/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call } from './conformance/api-client';
import { loginToken, startTestGateway } from './support/test-gateway';

const WRITES = 48;

/** Starts a gateway child process on `dataDir`; resolves with its base URL and a SIGKILL that resolves once it is dead. */
function startChild(dataDir: string): Promise<{ baseUrl: string; kill: () => Promise<void> }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'gateway-crash-child.ts'), dataDir], {
            cwd: path.join(__dirname, '..'),
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<void>((done) => child.on('exit', () => done()));
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const ready = /READY (\S+)/.exec(stdout);
            if (ready) {
                resolve({ baseUrl: ready[1], kill: () => (child.kill('SIGKILL'), exited) });
            }
        });
        child.on('exit', (code, signal) => {
            if (!/READY/.test(stdout)) {
                reject(new Error(`gateway child exited before it was ready (${code ?? signal}): ${stderr}`));
            }
        });
    });
}

const bodyOf = (i: number) => ({ coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: String(5_000_000 + i), expiresAt: '2099-01-01' });
const keyOf = (i: number) => `crash-grant-${i}`;

/**
 * The gateway is killed with SIGKILL while idempotent writes are in flight, then restarted on the
 * same data directory, and every write is repeated with its key. Each repeat must settle — replayed,
 * run again, or IDEMPOTENCY_RESPONSE_LOST naming a committed transaction — and each write must be on
 * the ledger exactly once: never twice, never lost, never stuck as "in progress".
 */
describe('idempotent writes across a gateway crash (embedded backend, real child process)', function () {
    this.timeout(120_000);
    let dataDir: string;

    before(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-idem-crash-'));
    });
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('settles every interrupted key after a restart, with each write committed exactly once', async () => {
        const child = await startChild(dataDir);
        const token = await loginToken(child.baseUrl, 'pudong');
        let answered = 0;
        let killing: Promise<void> | undefined;
        const first = await Promise.all(
            Array.from({ length: WRITES }, async (_, i): Promise<ApiResponse | undefined> => {
                try {
                    const response = await call(child.baseUrl, 'POST', '/credit-lines', { token, body: bodyOf(i), headers: { 'Idempotency-Key': keyOf(i) } });
                    // Kill while most writes are still somewhere between arrival and their stored response.
                    if (response.status === 201 && ++answered === 3) {
                        killing = child.kill();
                    }
                    return response;
                } catch {
                    return undefined; // the connection died with the gateway
                }
            }),
        );
        await (killing ?? child.kill());
        const interrupted = first.filter((r) => r === undefined).length;
        expect(interrupted, 'writes cut off by the kill').to.be.greaterThan(0);

        const gateway = await startTestGateway({}, dataDir);
        try {
            const again = await loginToken(gateway.baseUrl, 'pudong');
            const outcomes: Record<string, number> = {};
            for (let i = 0; i < WRITES; i++) {
                const repeat = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: again, body: bodyOf(i), headers: { 'Idempotency-Key': keyOf(i) } });
                const outcome = repeat.status === 201 ? `201 replayed=${repeat.headers.get('idempotent-replayed')}` : `${repeat.status} ${repeat.body.code}`;
                outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
                expect(['201 replayed=true', '201 replayed=false', '409 IDEMPOTENCY_RESPONSE_LOST'], `write ${i}: ${repeat.text}`).to.include(outcome);
                if (repeat.status === 409) {
                    expect(repeat.body.txId, 'the committed transaction').to.match(/^[0-9a-f]{64}$/);
                    expect(repeat.headers.get('x-transaction-id')).to.equal(repeat.body.txId);
                }
                if (first[i]?.status === 201) {
                    expect(outcome, `write ${i} was answered before the kill`).to.equal('201 replayed=true');
                    expect(repeat.body).to.deep.equal(first[i]?.body);
                }
            }
            const lines = await call(gateway.baseUrl, 'GET', `/credit-lines?enterpriseId=${DEMO_IDS.pudong}&limit=500`, { token: again });
            expect(lines.status, lines.text).to.equal(200);
            for (let i = 0; i < WRITES; i++) {
                expect(lines.body.items.filter((l: any) => l.limit === bodyOf(i).limit), `credit lines of write ${i}`).to.have.length(1);
            }
            console.log(`      interrupted ${interrupted} of ${WRITES}; repeats: ${JSON.stringify(outcomes)}`);
        } finally {
            await gateway.stop();
        }
    });
});
