import './quiet-chaincode-logging';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Gateway, openGateway } from '../../src/app';
import { Config, loadConfig } from '../../src/config';
import { newLogger } from '../../src/operations/logger';
import { DEMO_USERS } from '../../src/services/demo-seed';

/** The demo password the test gateways seed with. */
export const TEST_PASSWORD = 'xinlian-test-password';

/** A gateway on 127.0.0.1, a free port, a temporary data directory, cheap scrypt. */
export interface TestGateway {
    readonly baseUrl: string;
    readonly dataDir: string;
    readonly gateway: Gateway;
    /** Stops and starts the gateway again on the same data directory (a new port). */
    restart(): Promise<void>;
    stop(): Promise<void>;
    /** Stops and deletes the data directory. */
    dispose(): Promise<void>;
}

export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
    return loadConfig(
        {
            GATEWAY_PORT: '0',
            GATEWAY_HOST: '127.0.0.1',
            GATEWAY_DATA_DIR: dataDir,
            GATEWAY_DEMO_PASSWORD: TEST_PASSWORD,
            GATEWAY_ADMIN_PASSWORD: TEST_PASSWORD,
            GATEWAY_WALLET_PASSPHRASE: 'test-wallet-passphrase',
            GATEWAY_PASSWORD_SCRYPT_LOG_N: '10',
            GATEWAY_KEY_SCRYPT_LOG_N: '10',
            GATEWAY_LOGIN_ATTEMPTS: '1000',
            GATEWAY_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
            GATEWAY_CLIENT_APP_DIR: path.join(dataDir, 'no-client-app'),
        },
        overrides,
    );
}

export async function startTestGateway(overrides: Partial<Config> = {}, dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-gateway-'))): Promise<TestGateway> {
    const config = testConfig(dataDir, overrides);
    const logger = newLogger(config.logLevel);
    let gateway = await openGateway(config, { logger });
    let port = await gateway.listen();
    const handle: TestGateway = {
        get baseUrl() {
            return `http://127.0.0.1:${port}/api/v1`;
        },
        dataDir,
        get gateway() {
            return gateway;
        },
        async restart() {
            await gateway.close();
            gateway = await openGateway(config, { logger });
            port = await gateway.listen();
        },
        stop: () => gateway.close(),
        async dispose() {
            await gateway.close();
            rmSync(dataDir, { recursive: true, force: true });
        },
    };
    return handle;
}

/** Logs a demo user in over HTTP and returns its bearer token. */
export async function loginToken(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<string> {
    const response = await fetch(`${baseUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (response.status !== 200) {
        throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
    }
    return ((await response.json()) as { token: string }).token;
}

export { DEMO_USERS };
