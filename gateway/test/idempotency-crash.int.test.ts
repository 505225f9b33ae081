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
/** Written one after another before the others, all answered before the crash. */
const ANSWERED = 4;
/** The child kills itself once this many of the writes have committed: a few of the concurrent ones. */
const KILL_AFTER = ANSWERED + 8;

/** Starts a gateway child process on `dataDir`; resolves with its base URL and a promise of its death by SIGKILL. */
function startChild(dataDir: string): Promise<{ baseUrl: string; killed: Promise<NodeJS.Signals | null> }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'gateway-crash-child.ts'), dataDir, String(KILL_AFTER)], {
            cwd: path.join(__dirname, '..'),
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const ready = /READY (\S+)/.exec(stdout);
            if (ready) {
                resolve({ baseUrl: ready[1], killed: exited });
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
 * same data directory, and every write is repeated with its key. Each repeat must get a response —
 * the stored one, one rebuilt from the committed transaction when the response was lost with the
 * gateway, or a new run when nothing was written — and each write must be on the ledger exactly
 * once: never twice, never lost, never stuck as "in progress".
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
        const write = async (i: number): Promise<ApiResponse | undefined> => {
            try {
                return await call(child.baseUrl, 'POST', '/credit-lines', { token, body: bodyOf(i), headers: { 'Idempotency-Key': keyOf(i) } });
            } catch {
                return undefined; // the connection died with the gateway
            }
        };
        const first: Array<ApiResponse | undefined> = [];
        for (let i = 0; i < ANSWERED; i++) {
            first.push(await write(i));
        }
        first.push(...(await Promise.all(Array.from({ length: WRITES - ANSWERED }, (_, n) => write(ANSWERED + n)))));
        expect(await child.killed).to.equal('SIGKILL');
        const interrupted = first.filter((r) => r === undefined).length;
        expect(interrupted, 'writes cut off by the kill').to.be.greaterThan(0);
        expect(first.filter((r) => r !== undefined && r.status !== 201), 'answers before the kill').to.deep.equal([]);

        const gateway = await startTestGateway({}, dataDir);
        try {
            const again = await loginToken(gateway.baseUrl, 'pudong');
            const outcomes: Record<string, number> = {};
            for (let i = 0; i < WRITES; i++) {
                const repeat = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: again, body: bodyOf(i), headers: { 'Idempotency-Key': keyOf(i) } });
                const replayed = repeat.headers.get('idempotent-replayed');
                const outcome = first[i]?.status === 201 ? 'answered before the kill' : replayed === 'true' ? 'rebuilt from the ledger' : replayed === 'false' ? 'run again' : `${repeat.status} ${repeat.body.code}`;
                outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
                expect(repeat.status, `write ${i}: ${repeat.text}`).to.equal(201);
                expect(repeat.body.limit).to.equal(bodyOf(i).limit);
                expect(repeat.headers.get('x-transaction-id'), 'the committed transaction').to.match(/^[0-9a-f]{64}$/);
                if (first[i]?.status === 201) {
                    expect(replayed, `write ${i} was answered before the kill`).to.equal('true');
                    expect(repeat.body).to.deep.equal(first[i]?.body);
                    expect(repeat.headers.get('x-transaction-id')).to.equal(first[i]?.headers.get('x-transaction-id'));
                }
                if (outcome === 'rebuilt from the ledger') {
                    // The response the crash lost: the credit line as its transaction returned it, and stored now.
                    const line = await call(gateway.baseUrl, 'GET', `/credit-lines/${repeat.body.id}`, { token: again });
                    expect(line.body).to.deep.equal(repeat.body);
                    const third = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: again, body: bodyOf(i), headers: { 'Idempotency-Key': keyOf(i) } });
                    expect([third.status, third.body, third.headers.get('x-transaction-id')]).to.deep.equal([201, repeat.body, repeat.headers.get('x-transaction-id')]);
                }
            }
            const lines = await call(gateway.baseUrl, 'GET', `/credit-lines?enterpriseId=${DEMO_IDS.pudong}&limit=500`, { token: again });
            expect(lines.status, lines.text).to.equal(200);
            for (let i = 0; i < WRITES; i++) {
                expect(lines.body.items.filter((l: any) => l.limit === bodyOf(i).limit), `credit lines of write ${i}`).to.have.length(1);
            }
            // The first writes were answered; of the concurrent ones, a block committed early may have been too.
            expect(first.slice(0, ANSWERED).map((r) => r?.status)).to.deep.equal(Array(ANSWERED).fill(201));
            expect(outcomes['answered before the kill'], 'stored responses replayed').to.be.at.least(ANSWERED);
            // The write that triggered the kill committed and was never answered.
            expect(outcomes['rebuilt from the ledger'], 'responses rebuilt from the ledger').to.be.greaterThan(0);
            console.log(`      interrupted ${interrupted} of ${WRITES}; repeats: ${JSON.stringify(outcomes)}`);
        } finally {
            await gateway.stop();
        }
    });
});
