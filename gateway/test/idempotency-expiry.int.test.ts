/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';

const HOUR = 60 * 60 * 1000;

/**
 * Idempotency records expire (GATEWAY_IDEMPOTENCY_TTL_HOURS): a repeat within the retention gets the
 * first answer, a request with the key after it runs as a new one, and expired records are deleted when
 * the gateway starts. The passing of time is a record's `createdAt` moved into the past, as the record
 * of a request made that long ago has it.
 */
describe('idempotency records expire (embedded backend)', function () {
    this.timeout(90_000);
    let gateway: TestGateway;

    before(async () => {
        gateway = await startTestGateway();
    });

    after(async () => {
        await gateway?.dispose();
    });

    const recordFile = (username: string, key: string) => path.join(gateway.dataDir, 'idempotency', `${createHash('sha256').update(`${username}\u0000${key}`).digest('hex')}.json`);
    /** Makes the record of (username, key) look written `hours` ago. */
    const age = (username: string, key: string, hours: number) => {
        const file = recordFile(username, key);
        const record = JSON.parse(readFileSync(file, 'utf8'));
        writeFileSync(file, JSON.stringify({ ...record, createdAt: new Date(Date.now() - hours * HOUR).toISOString() }));
    };
    const grant = (limit: string) => ({ coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit, expiresAt: '2099-01-01' });
    const linesWithLimit = async (token: string, limit: string) =>
        (await call(gateway.baseUrl, 'GET', `/credit-lines?enterpriseId=${DEMO_IDS.pudong}&limit=500`, { token })).body.items.filter((l: any) => l.limit === limit);

    it('replays within the retention, and runs a request with the key as a new one once the record expired', async () => {
        const token = await loginToken(gateway.baseUrl, 'pudong');
        const headers = { 'Idempotency-Key': 'expiry-0001' };
        const first = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('610000'), headers });
        expect(first.status, first.text).to.equal(201);

        age('pudong', 'expiry-0001', 23.9);
        const repeat = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('610000'), headers });
        expect([repeat.status, repeat.headers.get('idempotent-replayed'), repeat.body.id]).to.deep.equal([201, 'true', first.body.id]);
        const reused = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('610001'), headers });
        expect([reused.status, reused.body.code]).to.deep.equal([422, 'IDEMPOTENCY_KEY_REUSED']);

        age('pudong', 'expiry-0001', 24.1);
        const after = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('610001'), headers });
        expect(after.status, after.text).to.equal(201);
        expect(after.headers.get('idempotent-replayed')).to.equal('false');
        expect(after.body.id).to.not.equal(first.body.id);
        // The new request's record replaced the expired one: it is what a repeat gets now.
        const again = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('610001'), headers });
        expect([again.status, again.headers.get('idempotent-replayed'), again.body.id]).to.deep.equal([201, 'true', after.body.id]);
        expect(await linesWithLimit(token, '610000')).to.have.length(1);
        expect(await linesWithLimit(token, '610001')).to.have.length(1);
    });

    it('deletes expired records at start-up, the record of POST /users included, and keeps the others', async () => {
        const admin = await loginToken(gateway.baseUrl, 'admin');
        const user = { username: 'expiring', password: 'long-enough-password-1', role: 'supplier', enterpriseId: DEMO_IDS.hangzhou };
        const created = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body: user, headers: { 'Idempotency-Key': 'user-expiring' } });
        expect(created.status, created.text).to.equal(201);
        const token = await loginToken(gateway.baseUrl, 'pudong');
        expect((await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('620000'), headers: { 'Idempotency-Key': 'expiry-old' } })).status).to.equal(201);
        const recent = await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('620001'), headers: { 'Idempotency-Key': 'expiry-recent' } });
        expect(recent.status).to.equal(201);
        age('admin', 'user-expiring', 25);
        age('pudong', 'expiry-old', 25);
        age('pudong', 'expiry-recent', 23);
        const before = readdirSync(path.dirname(recordFile('pudong', 'expiry-old'))).length;

        await gateway.restart();
        expect(existsSync(recordFile('admin', 'user-expiring')), 'the expired POST /users record').to.equal(false);
        expect(existsSync(recordFile('pudong', 'expiry-old')), 'the expired grant record').to.equal(false);
        expect(existsSync(recordFile('pudong', 'expiry-recent')), 'the recent grant record').to.equal(true);
        expect(readdirSync(path.dirname(recordFile('pudong', 'expiry-old')))).to.have.length(before - 2);

        const tokenAfter = await loginToken(gateway.baseUrl, 'pudong');
        const replayed = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: tokenAfter, body: grant('620001'), headers: { 'Idempotency-Key': 'expiry-recent' } });
        expect([replayed.status, replayed.headers.get('idempotent-replayed'), replayed.body.id]).to.deep.equal([201, 'true', recent.body.id]);
    });

    it('keeps records for GATEWAY_IDEMPOTENCY_TTL_HOURS: a shorter retention deletes what the default keeps', async () => {
        const token = await loginToken(gateway.baseUrl, 'pudong');
        expect((await call(gateway.baseUrl, 'POST', '/credit-lines', { token, body: grant('630000'), headers: { 'Idempotency-Key': 'expiry-short' } })).status).to.equal(201);
        age('pudong', 'expiry-short', 2);
        await gateway.restart();
        expect(existsSync(recordFile('pudong', 'expiry-short')), 'kept by the 24-hour default').to.equal(true);
        await gateway.stop();

        const dataDir = gateway.dataDir;
        gateway = await startTestGateway({ idempotencyTtlHours: 1 }, dataDir);
        expect(existsSync(recordFile('pudong', 'expiry-short')), 'deleted with a 1-hour retention').to.equal(false);
        const tokenAfter = await loginToken(gateway.baseUrl, 'pudong');
        const rerun = await call(gateway.baseUrl, 'POST', '/credit-lines', { token: tokenAfter, body: grant('630001'), headers: { 'Idempotency-Key': 'expiry-short' } });
        expect([rerun.status, rerun.headers.get('idempotent-replayed')]).to.deep.equal([201, 'false']);
    });
});
