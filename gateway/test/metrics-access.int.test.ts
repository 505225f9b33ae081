import './support/quiet-chaincode-logging';
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { openGateway } from '../src/app';
import { newLogger } from '../src/operations/logger';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway, testConfig } from './support/test-gateway';

const METRICS_TOKEN = 'metrics-test-token-9f8e7d6c5b4a3210';

/** /metrics behind GATEWAY_METRICS_TOKEN, at the root and under /api/v1. */
describe('/metrics with GATEWAY_METRICS_TOKEN', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    let urls: string[];

    before(async () => {
        gateway = await startTestGateway({ metricsToken: METRICS_TOKEN, seedDemo: false });
        urls = [`${gateway.baseUrl}/metrics`, gateway.baseUrl.replace('/api/v1', '/metrics')];
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('answers 401 problem+json with WWW-Authenticate to a caller without the token, and no metrics', async () => {
        for (const url of urls) {
            const response = await fetch(url);
            expect(response.status, url).to.equal(401);
            expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
            expect(response.headers.get('www-authenticate')).to.equal('Bearer realm="xinlian-metrics"');
            const text = await response.text();
            expect(JSON.parse(text)).to.include({ code: 'UNAUTHENTICATED', status: 401 });
            expect(text).to.not.include('xinlian_http_request_duration_seconds');
        }
    });

    it('refuses a wrong token, another scheme and a user session alike, saying the token was invalid', async () => {
        const admin = await loginToken(gateway.baseUrl, 'admin');
        for (const authorization of [`Bearer ${METRICS_TOKEN.slice(0, -1)}`, `Bearer ${METRICS_TOKEN}0`, `ApiKey ${METRICS_TOKEN}`, `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`, `Bearer ${admin}`, METRICS_TOKEN]) {
            const response = await fetch(urls[0], { headers: { Authorization: authorization } });
            expect(response.status, authorization).to.equal(401);
            expect(response.headers.get('www-authenticate')).to.equal('Bearer realm="xinlian-metrics", error="invalid_token"');
            expect(await response.text()).to.not.include('xinlian_http_request_duration_seconds');
        }
    });

    it('serves the metrics to the token, the scheme in any case', async () => {
        // A refusal first, so it shows up in the metrics it refused.
        await fetch(urls[1]);
        for (const [url, scheme] of [[urls[0], 'Bearer'], [urls[1], 'bearer']]) {
            const response = await fetch(url, { headers: { Authorization: `${scheme} ${METRICS_TOKEN}` } });
            expect(response.status, url).to.equal(200);
            expect(response.headers.get('content-type')).to.match(/^text\/plain/);
            const text = await response.text();
            expect(text).to.include('xinlian_http_request_duration_seconds_bucket');
            expect(text).to.match(/xinlian_http_errors_total\{code="UNAUTHENTICATED"\} \d+/);
        }
    });

    it('keeps liveness and readiness open to probes without credentials', async () => {
        expect((await call(gateway.baseUrl, 'GET', '/health/live')).status).to.equal(200);
        expect((await call(gateway.baseUrl, 'GET', '/health/ready')).status).to.equal(200);
        expect((await fetch(gateway.baseUrl.replace('/api/v1', '/health/ready'))).status).to.equal(200);
    });
});

/** Lines a gateway logged while it opened, as JSON objects. */
async function startUpLog(overrides: Parameters<typeof testConfig>[1]): Promise<Array<{ level: number; msg: string }>> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-metrics-warning-'));
    const lines: string[] = [];
    try {
        const config = testConfig(dataDir, { seedDemo: false, logLevel: 'warn', ...overrides });
        const gateway = await openGateway(config, { logger: newLogger(config.logLevel, { write: (line: string) => lines.push(line) }) });
        await gateway.close();
    } finally {
        rmSync(dataDir, { recursive: true, force: true });
    }
    return lines.map((line) => JSON.parse(line));
}

describe('the start-up warning for open metrics', function () {
    this.timeout(60_000);
    const aboutMetrics = (lines: Array<{ level: number; msg: string }>) => lines.filter((line) => line.msg.includes('GATEWAY_METRICS_TOKEN'));

    it('warns once when the gateway listens beyond loopback without a metrics token', async () => {
        const warnings = aboutMetrics(await startUpLog({ host: '0.0.0.0' }));
        expect(warnings).to.have.length(1);
        expect(warnings[0].level).to.equal(40);
        expect(warnings[0].msg).to.include('0.0.0.0').and.include('/metrics is served to anyone');
    });

    it('does not warn on loopback, nor with a token', async () => {
        expect(aboutMetrics(await startUpLog({ host: '127.0.0.1' }))).to.deep.equal([]);
        expect(aboutMetrics(await startUpLog({ host: '0.0.0.0', metricsToken: METRICS_TOKEN }))).to.deep.equal([]);
    });
});

/** The gateway process refuses a bad setting before it opens anything (exit 2, the variable named). */
describe('operations settings at start-up', function () {
    this.timeout(60_000);

    function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
        return new Promise((resolve, reject) => {
            const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'src', 'main.ts')], {
                cwd: path.join(__dirname, '..'),
                env: { ...process.env, GATEWAY_PORT: '0', GATEWAY_DATA_DIR: path.join(tmpdir(), 'xinlian-never-created'), ...env },
                stdio: ['ignore', 'ignore', 'pipe'],
            });
            let stderr = '';
            child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            const limit = setTimeout(() => {
                child.kill('SIGKILL');
                reject(new Error(`the gateway did not exit: ${stderr}`));
            }, 30_000);
            child.on('exit', (code) => {
                clearTimeout(limit);
                resolve({ code, stderr });
            });
        });
    }

    it('exits with a configuration error for a bad GATEWAY_IDEMPOTENCY_TTL_HOURS or GATEWAY_METRICS_TOKEN', async () => {
        const ttl = await runMain({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '0' });
        expect([ttl.code, ttl.stderr]).to.deep.equal([2, 'configuration error: GATEWAY_IDEMPOTENCY_TTL_HOURS must be an integer from 1 to 8784, got "0"\n']);
        const token = await runMain({ GATEWAY_METRICS_TOKEN: 'too-short' });
        expect(token.code).to.equal(2);
        expect(token.stderr).to.match(/^configuration error: GATEWAY_METRICS_TOKEN must have at least 16 characters/);
        expect(token.stderr).to.not.include('too-short');
    });
});
