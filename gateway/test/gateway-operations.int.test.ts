/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { embeddedDirectories } from '../src/config';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call, readEvents } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';

/** Embedded-backend behaviour that needs a restart or the gateway's internals: idempotency, resume, metrics, limits. */
describe('gateway operations (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;

    before(async () => {
        gateway = await startTestGateway();
    });

    after(async () => {
        await gateway?.dispose();
    });

    const height = async (): Promise<number> => (await call(gateway.baseUrl, 'GET', '/health/ready')).body.ledger.height;

    describe('idempotency', () => {
        it('returns the first result for a repeated Idempotency-Key and never submits twice, also across a restart', async () => {
            const token = await loginToken(gateway.baseUrl, 'pudong');
            const body = { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '700000', expiresAt: '2099-01-01' };
            const headers = { 'Idempotency-Key': 'grant-line-0001' };
            const first = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body, headers });
            expect(first.status, first.text).to.equal(201);
            expect(first.headers.get('idempotent-replayed')).to.equal('false');
            const afterFirst = await height();

            const repeat = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body, headers });
            expect(repeat.status).to.equal(201);
            expect(repeat.body).to.deep.equal(first.body);
            expect(repeat.headers.get('x-transaction-id')).to.equal(first.headers.get('x-transaction-id'));
            expect(repeat.headers.get('idempotent-replayed')).to.equal('true');

            await gateway.restart();
            const tokenAfterRestart = await loginToken(gateway.baseUrl, 'pudong');
            const afterRestart = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: tokenAfterRestart, body, headers });
            expect(afterRestart.status).to.equal(201);
            expect(afterRestart.body).to.deep.equal(first.body);
            expect(await height()).to.equal(afterFirst);
            const lines = await call(gateway.baseUrl, 'GET', `/credit-lines?enterpriseId=${DEMO_IDS.pudong}&limit=500`, { token: tokenAfterRestart });
            expect(lines.body.items.filter((l: any) => l.limit === '700000')).to.have.length(1);
        });

        it('refuses the same key with a different request, and keys are per user', async () => {
            const token = await loginToken(gateway.baseUrl, 'pudong');
            const headers = { 'Idempotency-Key': 'grant-line-0002' };
            const body = { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '800000', expiresAt: '2099-01-01' };
            expect((await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body, headers })).status).to.equal(201);
            const changed = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: { ...body, limit: '800001' }, headers });
            expect(changed.status).to.equal(422);
            expect(changed.body.code).to.equal('IDEMPOTENCY_KEY_REUSED');
            const other = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: await loginToken(gateway.baseUrl, 'jiangnan'), body, headers });
            expect(other.status).to.equal(201);
            expect(other.body.financierId).to.equal(DEMO_IDS.jiangnan);
        });

        it('does not store failures: a refused request may be retried with the same key', async () => {
            const token = await loginToken(gateway.baseUrl, 'pudong');
            const headers = { 'Idempotency-Key': 'revoke-none' };
            const refused = await call(gateway.baseUrl, 'POST', '/credit-lines/CL-none/revoke', { token, body: { reason: 'r' }, headers });
            expect(refused.status).to.equal(404);
            const again = await call(gateway.baseUrl, 'POST', '/credit-lines/CL-none/revoke', { token, body: { reason: 'r' }, headers });
            expect(again.status).to.equal(404);
        });

        it('runs concurrent repeats once', async () => {
            const token = await loginToken(gateway.baseUrl, 'pudong');
            const headers = { 'Idempotency-Key': 'grant-line-concurrent' };
            const body = { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '900000', expiresAt: '2099-01-01' };
            const before = await height();
            const responses = await Promise.all([1, 2, 3].map(() => call(gateway.baseUrl, 'POST', '/credit-lines', { token, body, headers })));
            expect(responses.filter((r) => r.status === 201)).to.have.length.greaterThan(0);
            expect(responses.every((r) => r.status === 201 || r.body.code === 'IDEMPOTENCY_IN_PROGRESS')).to.equal(true);
            // A repeat that found the first still running is told when to come back.
            expect(responses.filter((r) => r.status !== 201).every((r) => r.headers.get('retry-after') === '1')).to.equal(true);
            expect(await height()).to.equal(before + 1);
        });
    });

    describe('idempotent document uploads', () => {
        it('replays an upload repeated with its key, and refuses the key with other bytes or another media type', async () => {
            const token = await loginToken(gateway.baseUrl, 'suzhou');
            const headers = { 'Idempotency-Key': 'upload-0001', 'Content-Type': 'application/pdf' };
            const bytes = Buffer.from(`%PDF-1.7 upload ${Date.now()}`);
            const first = await call(gateway.baseUrl, 'POST', '/documents', { token, raw: bytes, headers });
            expect(first.status, first.text).to.equal(201);
            expect(first.headers.get('idempotent-replayed')).to.equal('false');
            const repeat = await call(gateway.baseUrl, 'POST', '/documents', { token, raw: Buffer.from(bytes), headers });
            expect(repeat.status).to.equal(201);
            expect(repeat.headers.get('idempotent-replayed')).to.equal('true');
            expect(repeat.body).to.deep.equal(first.body);
            const otherBytes = await call(gateway.baseUrl, 'POST', '/documents', { token, raw: Buffer.concat([bytes, Buffer.from('!')]), headers });
            expect(otherBytes.status).to.equal(422);
            expect(otherBytes.body.code).to.equal('IDEMPOTENCY_KEY_REUSED');
            const otherType = await call(gateway.baseUrl, 'POST', '/documents', { token, raw: bytes, headers: { ...headers, 'Content-Type': 'text/plain' } });
            expect(otherType.status).to.equal(422);
            expect(otherType.body.code).to.equal('IDEMPOTENCY_KEY_REUSED');
        });
    });

    describe('users', () => {
        it('answers 500 INTERNAL naming no file when the wallet cannot store a new identity, and stores no user', async () => {
            const token = await loginToken(gateway.baseUrl, 'admin');
            const username = 'walletfail';
            // A non-empty directory where the identity's wallet file goes: writing it fails after the certificate is issued.
            const obstacle = path.join(embeddedDirectories(gateway.dataDir).wallet, 'PlatformMSP', 'users', `${username}.json`);
            mkdirSync(obstacle, { recursive: true });
            writeFileSync(path.join(obstacle, 'in-the-way'), '');
            const body = { username, password: 'long-enough-1', role: 'supplier', enterpriseId: DEMO_IDS.hangzhou };
            const failed = await call(gateway.baseUrl, 'POST', '/users', { token, body });
            expect(failed.status, failed.text).to.equal(500);
            expect(failed.body.code).to.equal('INTERNAL');
            expect(failed.text).to.not.include(gateway.dataDir);
            expect(failed.text).to.not.match(/ENOENT|EISDIR|ENOTEMPTY|\.tmp|\.json/);
            expect(gateway.gateway.services.auth.getUser(username)).to.equal(undefined);

            rmSync(obstacle, { recursive: true, force: true });
            const created = await call(gateway.baseUrl, 'POST', '/users', { token, body });
            expect(created.status, created.text).to.equal(201);
        });
    });

    describe('events', () => {
        it('resumes after Last-Event-ID across a gateway restart, without gaps or repeats', async () => {
            const token = await loginToken(gateway.baseUrl, 'regulator');
            const all = await readEvents(gateway.baseUrl, '/events', { token, count: 10 });
            await gateway.restart();
            const tokenAfter = await loginToken(gateway.baseUrl, 'regulator');
            const resumed = await readEvents(gateway.baseUrl, '/events', { token: tokenAfter, count: 5, lastEventId: all[4].id });
            expect(resumed.map((e) => e.id)).to.deep.equal(all.slice(5, 10).map((e) => e.id));
        });

        it('delivers a live event to a waiting subscriber and accepts ?access_token= for EventSource', async () => {
            const token = await loginToken(gateway.baseUrl, 'huadong');
            const backlog = await readEvents(gateway.baseUrl, `/events?access_token=${token}`, { count: 1000, timeoutMs: 800 });
            const last = backlog[backlog.length - 1].id;
            const waiting = readEvents(gateway.baseUrl, `/events?access_token=${token}&after=${last}`, { count: 1, timeoutMs: 5000 });
            await new Promise((resolve) => setTimeout(resolve, 200));
            const suzhou = await loginToken(gateway.baseUrl, 'suzhou');
            // The seller cites an invoice it uploaded (a document may be cited only by those who may read it).
            const document = await call(gateway.baseUrl, 'POST', '/documents', { token: suzhou, raw: `live ${new Date().toISOString()}` });
            const registered = await call(gateway.baseUrl, 'POST', '/receivables', {
                token: suzhou,
                body: { buyerId: DEMO_IDS.huadong, invoiceNumber: `LIVE-${backlog.length}`, amount: '100', currency: 'CNY', issueDate: '2026-01-01', dueDate: '2026-03-01', documentCid: document.body.cid },
            });
            expect(registered.status, registered.text).to.equal(201);
            const [live] = await waiting;
            expect(live.event).to.equal('RegisterReceivable');
            expect(live.data.payload.buyerId).to.equal(DEMO_IDS.huadong);
        });

        it('starts over from the first event after a position this ledger has not reached (a checkpoint from another ledger)', async () => {
            const token = await loginToken(gateway.baseUrl, 'regulator');
            const first = await readEvents(gateway.baseUrl, '/events', { token, count: 3 });
            const stale = await readEvents(gateway.baseUrl, '/events', { token, count: 3, lastEventId: '999999:0' });
            expect(stale.map((e) => e.id)).to.deep.equal(first.map((e) => e.id));
        });

        it('refuses a malformed Last-Event-ID', async () => {
            const token = await loginToken(gateway.baseUrl, 'regulator');
            const response = await call(gateway.baseUrl, 'GET', '/events', { token, headers: { 'Last-Event-ID': 'yesterday' } });
            expect(response.status).to.equal(400);
        });
    });

    describe('metrics, logs and health', () => {
        it('exports request latency, ledger latency and errors by code in Prometheus format', async () => {
            const token = await loginToken(gateway.baseUrl, 'suzhou');
            expect((await call(gateway.baseUrl, 'POST', `/profiles/${DEMO_IDS.suzhou}/refresh`, { token })).status).to.equal(200);
            expect((await call(gateway.baseUrl, 'GET', '/notes/NOTE-none', { token })).status).to.equal(404);
            const response = await fetch(`${gateway.baseUrl}/metrics`);
            const text = await response.text();
            expect(text).to.include('xinlian_http_request_duration_seconds_bucket');
            expect(text).to.match(/xinlian_ledger_request_duration_seconds_count\{kind="submit",transaction="profile:RefreshCreditProfile",outcome="ok"\}/);
            expect(text).to.match(/xinlian_http_errors_total\{code="NOT_FOUND"\} \d+/);
        });

        it('serves health at the root too', async () => {
            const response = await fetch(gateway.baseUrl.replace('/api/v1', '/health/live'));
            expect(response.status).to.equal(200);
        });
    });
});

describe('login rate limiting', function () {
    this.timeout(30_000);
    let gateway: TestGateway;

    before(async () => {
        gateway = await startTestGateway({ loginAttempts: 3, seedDemo: false });
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('answers 429 RATE_LIMITED with Retry-After once a client exceeds its login attempts', async () => {
        const attempt = () => call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'admin', password: 'wrong-password' } });
        for (let i = 0; i < 3; i++) {
            expect((await attempt()).status).to.equal(401);
        }
        const limited = await attempt();
        expect(limited.status).to.equal(429);
        expect(limited.body.code).to.equal('RATE_LIMITED');
        expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
    });

    it('counts attempts by the connection address: X-Forwarded-For does not change it unless a proxy is trusted', async () => {
        const attempt = (i: number) => call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'xff-probe', password: 'wrong-password' }, headers: { 'X-Forwarded-For': `203.0.113.${i}` } });
        const statuses: number[] = [];
        for (let i = 1; i <= 4; i++) {
            statuses.push((await attempt(i)).status);
        }
        expect(statuses).to.deep.equal([401, 401, 401, 429]);
    });

    it('starts without demo data when seeding is off: only the admin exists', async () => {
        const token = await loginToken(gateway.baseUrl, 'admin').catch(() => undefined);
        // The admin may be rate limited by the previous case; the user store is the ground truth.
        expect(gateway.gateway.services.auth.listUsers().map((u) => u.username)).to.deep.equal(['admin']);
        expect(token === undefined || typeof token === 'string').to.equal(true);
    });
});

describe('login rate limiting behind a trusted proxy (GATEWAY_TRUST_PROXY=loopback)', function () {
    this.timeout(30_000);
    let gateway: TestGateway;

    before(async () => {
        gateway = await startTestGateway({ loginAttempts: 3, seedDemo: false, trustProxy: ['loopback'] });
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('counts attempts by the client address the trusted proxy forwards', async () => {
        const attempt = (client: string) => call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'xff-probe', password: 'wrong-password' }, headers: { 'X-Forwarded-For': client } });
        const statuses: number[] = [];
        for (let i = 1; i <= 4; i++) {
            statuses.push((await attempt(`203.0.113.${i}`)).status);
        }
        expect(statuses, 'four clients, one attempt each').to.deep.equal([401, 401, 401, 401]);
        for (let i = 1; i <= 3; i++) {
            statuses.push((await attempt('203.0.113.1')).status);
        }
        expect(statuses.slice(4), 'the first client again, up to and past its limit').to.deep.equal([401, 401, 429]);
    });
});
