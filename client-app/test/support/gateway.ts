import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync } from 'fs';
import { createServer } from 'net';
import * as path from 'path';

/**
 * Runs the REAL gateway (gateway/dist/main.js, embedded ledger, demo seed) as a child process on a
 * free loopback port, serving client-app/dist. Browser tests talk to it over HTTP like a user would.
 */

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(REPO_ROOT, 'gateway/dist/main.js');
const CLIENT_DIST = path.join(REPO_ROOT, 'client-app/dist');

export interface RunningGateway {
    readonly url: string;
    readonly dataDir: string;
    stop(): Promise<void>;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`the gateway exited with code ${child.exitCode} before it was ready`);
        }
        try {
            const response = await fetch(`${url}/health/ready`);
            if (response.ok) {
                return;
            }
            last = `HTTP ${response.status}`;
        } catch (error) {
            last = (error as Error).message;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the gateway was not ready within ${timeoutMs} ms (${last})`);
}

/**
 * Starts the gateway on `dataDir` (seeded with the demo on first start). `clockOffsetDays` moves the
 * embedded ledger's clock forward (GATEWAY_LEDGER_CLOCK_OFFSET_DAYS), e.g. past a note's maturity.
 * Throws when the gateway is not built.
 */
export async function startGateway(options: { dataDir: string; clockOffsetDays?: number; timeoutMs?: number }): Promise<RunningGateway> {
    if (!existsSync(MAIN)) {
        throw new Error('gateway/dist/main.js is missing: run `npx tsc -b chaincode gateway` (or `npm run build`) first');
    }
    if (!existsSync(path.join(CLIENT_DIST, 'index.html'))) {
        throw new Error('client-app/dist is missing: run `npm run build -w client-app` first');
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = createWriteStream(path.join(options.dataDir, `gateway-${port}.log`));
    const child = spawn(process.execPath, [MAIN], {
        cwd: REPO_ROOT,
        env: {
            ...process.env,
            GATEWAY_HOST: '127.0.0.1',
            GATEWAY_PORT: String(port),
            GATEWAY_DATA_DIR: options.dataDir,
            GATEWAY_CLIENT_APP_DIR: CLIENT_DIST,
            GATEWAY_SEED_DEMO: 'true',
            GATEWAY_LOGIN_ATTEMPTS: '1000',
            GATEWAY_PASSWORD_SCRYPT_LOG_N: '10',
            GATEWAY_KEY_SCRYPT_LOG_N: '10',
            GATEWAY_LOG_LEVEL: 'warn',
            LEDGER_BACKEND: 'embedded',
            CORE_CHAINCODE_LOGGING_LEVEL: 'CRITICAL',
            GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: String(options.clockOffsetDays ?? 0),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    try {
        await waitReady(url, child, options.timeoutMs ?? 90_000);
    } catch (error) {
        child.kill('SIGKILL');
        throw error;
    }
    return {
        url,
        dataDir: options.dataDir,
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) {
                    resolve();
                    return;
                }
                const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
                child.once('exit', () => {
                    clearTimeout(force);
                    log.end();
                    resolve();
                });
                child.kill('SIGTERM');
            }),
    };
}
