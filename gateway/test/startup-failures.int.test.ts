import { expect } from 'chai';
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { Server, createServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
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
            expect(exit.stderr).to.include(`the gateway failed to start: cannot listen on 127.0.0.1:${port}: the port is in use (set GATEWAY_PORT to another one)`);
            expect(exit.stderr).to.include('because: listen EADDRINUSE');
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
});
