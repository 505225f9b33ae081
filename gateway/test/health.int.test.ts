import './support/quiet-chaincode-logging';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { Gateway, openGateway } from '../src/app';
import { AppError } from '../src/errors';
import type { LedgerBackend } from '../src/ledger/ledger-backend';
import { openLedgerBackend } from '../src/ledger/open-ledger-backend';
import { newLogger } from '../src/operations/logger';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway, testConfig } from './support/test-gateway';

/** GET /health/ready reports the ledger's time, which clients compare maturities and deadlines with. */
describe('readiness and the ledger time', function () {
    this.timeout(60_000);
    let gateway: TestGateway | undefined;

    afterEach(async () => {
        await gateway?.dispose();
        gateway = undefined;
    });

    it('reports the real time as the ledger time when the ledger clock is not moved', async () => {
        gateway = await startTestGateway();
        const before = Date.now();
        const ready = await call(gateway.baseUrl, 'GET', '/health/ready');
        expect(ready.status).to.equal(200);
        expect(ready.body.status).to.equal('ready');
        const ledgerTime = Date.parse(ready.body.ledgerTime);
        expect(ledgerTime).to.be.within(before - 1000, Date.now() + 1000);
    });

    it('reports the embedded ledger clock moved GATEWAY_LEDGER_CLOCK_OFFSET_DAYS ahead', async () => {
        gateway = await startTestGateway({ ledgerClockOffsetDays: 90 });
        const ready = await call(gateway.baseUrl, 'GET', '/health/ready');
        expect(ready.status).to.equal(200);
        const aheadDays = (Date.parse(ready.body.ledgerTime) - Date.now()) / 86_400_000;
        expect(aheadDays).to.be.within(89.9, 90.1);
    });
});

const METRICS_TOKEN = 'health-test-metrics-token-0123456789';

/**
 * Readiness without credentials (as probes call it) tells only what clients need: ready or not, the
 * ledger time and height. The backend, and why the ledger is not ready, are for operators: the
 * metrics token or the platform admin.
 */
describe('readiness detail only for operators', function () {
    this.timeout(60_000);
    let dataDir: string;
    let gateway: Gateway;
    let baseUrl: string;
    /** When set, the ledger's status check fails as the Fabric backend's does when its own peer is down. */
    let peerDown: AppError | undefined;

    before(async () => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-health-'));
        const config = testConfig(dataDir, { metricsToken: METRICS_TOKEN });
        const real = await openLedgerBackend(config);
        const backend = new Proxy(real, {
            get(target, property) {
                if (property === 'status') {
                    return async () => {
                        if (peerDown) {
                            throw peerDown;
                        }
                        return target.status();
                    };
                }
                const value = Reflect.get(target, property, target) as unknown;
                return typeof value === 'function' ? value.bind(target) : value;
            },
        }) as LedgerBackend;
        gateway = await openGateway(config, { logger: newLogger(config.logLevel), backend });
        baseUrl = `http://127.0.0.1:${await gateway.listen()}/api/v1`;
    });

    after(async () => {
        await gateway?.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    afterEach(() => {
        peerDown = undefined;
    });

    it('answers a probe without credentials with the status, the ledger time and height, and no backend', async () => {
        for (const url of [`${baseUrl}/health/ready`, baseUrl.replace('/api/v1', '/health/ready')]) {
            const response = await fetch(url);
            expect(response.status, url).to.equal(200);
            const body = (await response.json()) as { status: string; ledger: Record<string, unknown>; ledgerTime: string };
            expect(Object.keys(body).sort()).to.deep.equal(['ledger', 'ledgerTime', 'status']);
            expect(body.status).to.equal('ready');
            expect(Object.keys(body.ledger)).to.deep.equal(['height']);
            expect(body.ledger.height).to.be.a('number').greaterThan(0);
            expect(JSON.stringify(body)).to.not.include('embedded');
        }
        expect((await call(baseUrl, 'GET', '/health/live')).body).to.deep.equal({ status: 'ok' });
    });

    it('gives the backend to the metrics token and to the platform admin, and only the public answer to anyone else', async () => {
        const withToken = await call(baseUrl, 'GET', '/health/ready', { token: METRICS_TOKEN });
        expect(withToken.status).to.equal(200);
        expect(withToken.body.ledger).to.include({ backend: 'embedded' }).and.have.property('height');
        const admin = await call(baseUrl, 'GET', '/health/ready', { token: await loginToken(baseUrl, 'admin') });
        expect(admin.body.ledger.backend).to.equal('embedded');
        for (const authorization of [`Bearer ${await loginToken(baseUrl, 'regulator')}`, 'Bearer not-the-metrics-token-at-all', `Bearer ${METRICS_TOKEN}x`, `ApiKey ${METRICS_TOKEN}`, 'Basic YWRtaW46eA==']) {
            const other = await call(baseUrl, 'GET', '/health/ready', { headers: { Authorization: authorization } });
            expect(other.status, authorization).to.equal(200);
            expect(other.body.ledger, authorization).to.not.have.property('backend');
        }
    });

    it('answers 503 with the code but not the reason to a probe, and with the reason to an operator', async () => {
        peerDown = new AppError('LEDGER_UNAVAILABLE', 'the peer of PlatformMSP is unavailable', { cause: new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.1.2.3:7051') });
        const probe = await call(baseUrl, 'GET', '/health/ready');
        expect(probe.status).to.equal(503);
        expect(probe.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(probe.body).to.include({ code: 'LEDGER_UNAVAILABLE', status: 503, detail: 'the ledger is unavailable' });
        expect(probe.text).to.not.match(/PlatformMSP|peer|10\.1\.2\.3/);
        const operator = await call(baseUrl, 'GET', '/health/ready', { token: METRICS_TOKEN });
        expect(operator.status).to.equal(503);
        expect(operator.body).to.include({ code: 'LEDGER_UNAVAILABLE', detail: 'the peer of PlatformMSP is unavailable' });

        peerDown = new AppError('LEDGER_TIMEOUT', 'the peer of PlatformMSP did not answer in time');
        const slow = await call(baseUrl, 'GET', '/health/ready');
        expect([slow.status, slow.body.code, slow.body.detail]).to.deep.equal([504, 'LEDGER_TIMEOUT', 'the ledger did not answer in time']);

        peerDown = undefined;
        expect((await call(baseUrl, 'GET', '/health/ready')).status).to.equal(200);
    });
});
