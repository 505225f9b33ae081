import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { spawn } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { Server, createServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { FIRST_ADMIN_PASSWORD_REQUIRED, embeddedDirectories } from '../src/config';
import { openLocalCa } from '../src/ledger/embedded/local-ca';
import { TestGateway, startTestGateway } from './support/test-gateway';

/**
 * The gateway process (src/main.ts, as `npm start` runs it) when it cannot start: it must say why
 * and exit, not hang. Each case would hang without an answer if an uncaught exception were
 * swallowed (see point 5 of shim-tuning.ts).
 */

interface Exit {
    readonly code: number | null;
    readonly stderr: string;
}

/** Runs the gateway's main module with `env` until it exits; fails the test if it is still running after `limitMs`. */
function runGateway(env: Record<string, string>, limitMs = 45_000): Promise<Exit> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'src', 'main.ts')], {
            cwd: path.join(__dirname, '..'),
            env: { ...process.env, ...env },
            stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        const limit = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`the gateway neither started nor exited within ${limitMs} ms; stderr:\n${stderr}`));
        }, limitMs);
        child.on('exit', (code) => {
            clearTimeout(limit);
            resolve({ code, stderr });
        });
    });
}

function gatewayEnv(dataDir: string, port: number): Record<string, string> {
    return {
        GATEWAY_PORT: String(port),
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_DATA_DIR: dataDir,
        GATEWAY_DEMO_PASSWORD: 'xinlian-test-password',
        GATEWAY_WALLET_PASSPHRASE: 'test-wallet-passphrase',
        GATEWAY_PASSWORD_SCRYPT_LOG_N: '10',
        GATEWAY_KEY_SCRYPT_LOG_N: '10',
        GATEWAY_LOG_LEVEL: 'silent',
        GATEWAY_CLIENT_APP_DIR: path.join(dataDir, 'no-client-app'),
    };
}

describe('gateway start-up failures', function () {
    this.timeout(120_000);

    it('exits with a clear message when its port is in use', async () => {
        const blocker: Server = createServer();
        await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
        const port = (blocker.address() as { port: number }).port;
        const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-port-in-use-'));
        try {
            const exit = await runGateway(gatewayEnv(dataDir, port));
            expect(exit.code, exit.stderr).to.equal(1);
            // The message and its cause, no stack trace.
            expect(exit.stderr).to.equal(
                `the gateway failed to start: cannot listen on 127.0.0.1:${port}: the port is in use (set GATEWAY_PORT to another one)\n  because: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
            );
            // Found before the ledger was opened and the demo seeded.
            expect(readdirSync(dataDir)).to.deep.equal([]);
        } finally {
            blocker.close();
            rmSync(dataDir, { recursive: true, force: true });
        }
    });

    it('exits with a clear message when another gateway has its data directory open', async () => {
        let running: TestGateway | undefined;
        try {
            running = await startTestGateway();
            const exit = await runGateway(gatewayEnv(running.dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(1);
            expect(exit.stderr).to.include('the gateway failed to start: cannot open the ledger in');
            expect(exit.stderr).to.include('it is already open elsewhere (a gateway already running on this data directory?)');
        } finally {
            await running?.dispose();
        }
    });

    describe('a corrupt file in the data directory stops the start with one line naming it and what to do (exit code 1)', () => {
        let dataDir: string;
        beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-corrupt-'))));
        afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

        it('users.json', async () => {
            const file = path.join(dataDir, 'auth', 'users.json');
            mkdirSync(path.dirname(file));
            writeFileSync(file, '{"broken\n');
            const exit = await runGateway(gatewayEnv(dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(1);
            // The message alone: no stack trace.
            expect(exit.stderr).to.equal(`the gateway failed to start: the file ${file} is corrupt (not valid JSON: Bad control character in string literal in JSON at position 8): restore it from a backup of the data directory\n`);
        });

        it('the demo seed marker, which can be removed', async () => {
            const file = path.join(dataDir, 'demo-seeded.json');
            writeFileSync(file, 'xx\n');
            const exit = await runGateway(gatewayEnv(dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(1);
            expect(exit.stderr).to.equal(
                `the gateway failed to start: the file ${file} is corrupt (not valid JSON: Unexpected token 'x'): remove it, and the next start checks the demo data again, adding only what the ledger lacks\n`,
            );
        });
    });

    describe('GATEWAY_LEDGER_CLOCK_OFFSET_DAYS beyond what the certificates allow is a configuration error (exit code 2)', () => {
        let dataDir: string;
        beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-clock-offset-'))));
        afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

        for (const value of ['1825', '99999999']) {
            it(`${value} days, before anything is written`, async () => {
                const exit = await runGateway({ ...gatewayEnv(dataDir, 0), GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: value });
                expect(exit.code, exit.stderr).to.equal(2);
                expect(exit.stderr).to.equal(
                    `configuration error: GATEWAY_LEDGER_CLOCK_OFFSET_DAYS must be at most 1824, got "${value}": the embedded ledger refuses a transaction stamped after its signer's certificate expires, and its local CA's certificates last 1825 days from their issue at the real time, so a larger offset stamps even the first transaction of a user enrolled a moment ago after its certificate's end\n`,
                );
                expect(readdirSync(dataDir)).to.deep.equal([]);
            });
        }

        it('an offset at which the certificates of an older data directory have expired, naming the largest offset that works', async () => {
            // A data directory whose users were enrolled 1000 days ago: its certificates expire 825 days from now.
            const first = await startTestGateway({}, dataDir);
            await first.stop();
            const wallet = embeddedDirectories(dataDir).wallet;
            const issued = new Date(Date.now() - 1000 * 86_400_000);
            const ca = openLocalCa({ directory: wallet, passphrase: 'test-wallet-passphrase', scryptCost: { N: 2 ** 10, r: 8, p: 1 }, clock: () => issued });
            let count = 0;
            for (const mspId of readdirSync(wallet)) {
                for (const file of readdirSync(path.join(wallet, mspId, 'users'))) {
                    const user = JSON.parse(readFileSync(path.join(wallet, mspId, 'users', file), 'utf8')) as { name: string; attrs: Record<string, string> };
                    await ca.enroll(mspId, user.name, user.attrs);
                    count++;
                }
            }
            const exit = await runGateway({ ...gatewayEnv(dataDir, 0), GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: '900' });
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr.startsWith(`configuration error: GATEWAY_LEDGER_CLOCK_OFFSET_DAYS=900 puts the ledger's time at `), exit.stderr).to.equal(true);
            expect(exit.stderr).to.include(`, after ${count} of the ${count} certificates in ${wallet} have expired (the first, `);
            expect(exit.stderr).to.include("): the embedded ledger refuses a transaction stamped after its signer's certificate expires, and these were issued on earlier starts, for 1825 days. ");
            expect(exit.stderr.endsWith('With this data directory the offset can be at most 824; or start on a new GATEWAY_DATA_DIR\n'), exit.stderr).to.equal(true);
            expect(exit.stderr.split('\n'), 'one line').to.have.length(2);
        });
    });

    describe('a setting the data directory cannot take is a configuration error naming it (exit code 2)', () => {
        let dataDir: string;
        beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-settings-'))));
        afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

        it('GATEWAY_WALLET_PASSPHRASE other than the one its wallet was sealed with', async () => {
            const first = await startTestGateway({}, dataDir);
            await first.stop();
            const exit = await runGateway({ ...gatewayEnv(dataDir, 0), GATEWAY_WALLET_PASSPHRASE: 'another-wallet-passphrase' });
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr).to.equal(
                `configuration error: GATEWAY_WALLET_PASSPHRASE does not open the keys in ${embeddedDirectories(dataDir).wallet}: they were sealed under another passphrase when this data directory was made ` +
                    '(unset means the public development passphrase). Start with the passphrase the directory was made with, or with a new GATEWAY_DATA_DIR\n',
            );
        });

        it('no GATEWAY_ADMIN_PASSWORD on the first start without the demo seed, before anything is written', async () => {
            const exit = await runGateway({ ...gatewayEnv(dataDir, 0), GATEWAY_SEED_DEMO: 'false' });
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr).to.equal(`configuration error: ${FIRST_ADMIN_PASSWORD_REQUIRED}\n`);
            expect(readdirSync(dataDir)).to.deep.equal([]);
        });
    });

    describe('an unusable GATEWAY_DATA_DIR is a configuration error naming it (exit code 2)', () => {
        let base: string;
        beforeEach(() => {
            base = mkdtempSync(path.join(tmpdir(), 'xinlian-data-dir-'));
        });
        afterEach(() => {
            chmodSync(base, 0o700);
            rmSync(base, { recursive: true, force: true });
        });

        it('a path under a regular file', async () => {
            writeFileSync(path.join(base, 'file'), 'not a folder');
            const dataDir = path.join(base, 'file', 'data');
            const exit = await runGateway(gatewayEnv(dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr.startsWith(`configuration error: GATEWAY_DATA_DIR (${dataDir}) cannot be created: ENOTDIR: not a directory, mkdir `), exit.stderr).to.equal(true);
            expect(exit.stderr.endsWith('; it must be a directory the gateway can write in\n'), exit.stderr).to.equal(true);
            expect(exit.stderr.split('\n'), 'one line, no stack trace').to.have.length(2);
        });

        it('a regular file', async () => {
            const dataDir = path.join(base, 'file');
            writeFileSync(dataDir, 'not a folder');
            const exit = await runGateway(gatewayEnv(dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr).to.equal(`configuration error: GATEWAY_DATA_DIR (${dataDir}) is not a directory; it must be a directory the gateway can write in\n`);
        });

        it('a folder the gateway cannot write in', async function () {
            if (process.getuid?.() === 0) {
                // root writes in any folder whatever its mode.
                this.skip();
            }
            const dataDir = path.join(base, 'read-only');
            mkdirSync(dataDir);
            chmodSync(dataDir, 0o500);
            const exit = await runGateway(gatewayEnv(dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr).to.match(/^configuration error: GATEWAY_DATA_DIR \(.*\) is not writable: EACCES: permission denied, open .*; it must be a directory the gateway can write in\n$/);
        });
    });

    it('stops the start with a configuration error naming auth/token-secret when it is empty (exit code 2, no stack trace)', async () => {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-empty-secret-'));
        try {
            mkdirSync(path.join(dataDir, 'auth'));
            const secretFile = path.join(dataDir, 'auth', 'token-secret');
            writeFileSync(secretFile, '');
            const exit = await runGateway(gatewayEnv(dataDir, 0));
            expect(exit.code, exit.stderr).to.equal(2);
            expect(exit.stderr).to.match(new RegExp(`^configuration error: ${secretFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} must hold the token secret as base64 of at least 32 bytes, but it is empty; `));
            expect(exit.stderr.split('\n'), 'one line, no stack trace').to.have.length(2);
            expect(readFileSync(secretFile, 'utf8'), 'left for the operator').to.equal('');
        } finally {
            rmSync(dataDir, { recursive: true, force: true });
        }
    });
});
