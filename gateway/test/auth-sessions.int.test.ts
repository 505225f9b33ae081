import './support/quiet-chaincode-logging';
import { mkdirSync, readFileSync, renameSync, rmdirSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { openStream } from './support/event-stream';
import { TEST_PASSWORD, TestGateway, loginToken, startTestGateway } from './support/test-gateway';

/**
 * Sessions over real HTTP: signing out ends one bearer token for good (restarts included) and its
 * event streams; an account change that cannot be written to users.json is not made, answers 500, and
 * the next change writes the file again; a token secret that is no secret stops the start.
 */

describe('signing out (POST /auth/logout, embedded backend, real HTTP)', function () {
    this.timeout(90_000);
    let gateway: TestGateway;

    before(async () => {
        gateway = await startTestGateway();
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('ends the token it is sent with and its event stream, and no other credential of the user, also after a restart', async () => {
        const signingOut = await loginToken(gateway.baseUrl, 'hangzhou');
        const staying = await loginToken(gateway.baseUrl, 'hangzhou');
        const key = (await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token: staying, body: { label: 'erp' } })).body.apiKey as string;
        const stream = openStream(gateway.baseUrl, { query: `?access_token=${encodeURIComponent(signingOut)}` });
        const otherStream = openStream(gateway.baseUrl, { query: `?access_token=${encodeURIComponent(staying)}` });
        await Promise.all([stream.opened, otherStream.opened]);

        const out = await call(gateway.baseUrl, 'POST', '/auth/logout', { token: signingOut });
        expect(out.status, out.text).to.equal(204);
        expect(await stream.ended).to.equal('ended');
        const me = await call(gateway.baseUrl, 'GET', '/me', { token: signingOut });
        expect(me.status).to.equal(401);
        expect(me.body).to.include({ code: 'UNAUTHENTICATED', detail: 'the token was signed out; log in again' });
        const events = await fetch(`${gateway.baseUrl}/events?access_token=${encodeURIComponent(signingOut)}`, { headers: { Accept: 'text/event-stream' } });
        expect(events.status).to.equal(401);
        await events.body?.cancel();
        expect((await call(gateway.baseUrl, 'POST', '/auth/logout', { token: signingOut })).status, 'a repeat with the ended token').to.equal(401);

        expect((await call(gateway.baseUrl, 'GET', '/me', { token: staying })).body.username, 'another token of the same user').to.equal('hangzhou');
        expect((await call(gateway.baseUrl, 'GET', '/me', { headers: { Authorization: `ApiKey ${key}` } })).status).to.equal(200);
        expect(await Promise.race([otherStream.ended, new Promise((resolve) => setTimeout(() => resolve('open'), 300))])).to.equal('open');

        otherStream.close();
        expect(await otherStream.ended).to.equal('still open');
        await gateway.restart();
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: signingOut })).status, 'after a restart').to.equal(401);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: staying })).status).to.equal(200);
        expect(readFileSync(path.join(gateway.dataDir, 'auth', 'users.json'), 'utf8'), 'the token itself is not stored').to.not.include(signingOut.split('.')[1]);
    });

    it('refuses to sign out an API key (it is deleted instead), and a body, as every no-body route does', async () => {
        const token = await loginToken(gateway.baseUrl, 'suzhou');
        const key = (await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'ci' } })).body.apiKey as string;
        const byKey = await call(gateway.baseUrl, 'POST', '/auth/logout', { headers: { Authorization: `ApiKey ${key}` } });
        expect(byKey.status, byKey.text).to.equal(403);
        expect(byKey.body.code).to.equal('FORBIDDEN');
        expect((await call(gateway.baseUrl, 'GET', '/me', { headers: { Authorization: `ApiKey ${key}` } })).status).to.equal(200);
        const withBody = await call(gateway.baseUrl, 'POST', '/auth/logout', { token, body: { everywhere: true } });
        expect(withBody.status, withBody.text).to.equal(400);
        expect(withBody.body.code).to.equal('INVALID_ARGUMENT');
        const text = await call(gateway.baseUrl, 'POST', '/auth/logout', { token, raw: 'bye', headers: { 'Content-Type': 'text/plain' } });
        expect(text.status, text.text).to.equal(415);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token })).status, 'refused sign-outs end nothing').to.equal(200);
        expect((await call(gateway.baseUrl, 'POST', '/auth/logout', { token, body: {} })).status, 'an empty object is no body').to.equal(204);
        expect((await call(gateway.baseUrl, 'POST', '/auth/logout', {})).status, 'without credentials').to.equal(401);
    });
});

describe('account changes when users.json cannot be written (embedded backend, real HTTP)', function () {
    this.timeout(90_000);
    let gateway: TestGateway;
    let admin: string;
    const usersFile = (): string => path.join(gateway.dataDir, 'auth', 'users.json');

    before(async () => {
        gateway = await startTestGateway();
        admin = await loginToken(gateway.baseUrl, 'admin');
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('makes no change it could not write, answers 500, and writes the next change once the disk takes it again', async () => {
        const hangzhou = await loginToken(gateway.baseUrl, 'hangzhou');
        const permtest = { username: 'permtest', password: 'perm-password-1', role: 'supplier', enterpriseId: DEMO_IDS.suzhou };
        // A directory where users.json is: its atomic rename fails, for root too.
        renameSync(usersFile(), `${usersFile()}.saved`);
        mkdirSync(usersFile());

        for (const attempt of ['first', 'repeat']) {
            const created = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body: permtest });
            expect(created.status, `${attempt}: ${created.text}`).to.equal(500);
            expect(created.headers.get('content-type')).to.match(/^application\/problem\+json/);
            expect(created.body.code).to.equal('INTERNAL');
        }
        expect((await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'permtest', password: permtest.password } })).status).to.equal(401);
        const users = await call(gateway.baseUrl, 'GET', '/users?limit=500', { token: admin });
        expect(users.body.items.map((u: { username: string }) => u.username)).to.not.include('permtest');

        const changed = await call(gateway.baseUrl, 'POST', '/auth/password', { token: hangzhou, body: { currentPassword: TEST_PASSWORD, newPassword: 'hangzhou-new-password' } });
        expect(changed.status, changed.text).to.equal(500);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: hangzhou })).status, 'the token stays valid').to.equal(200);
        expect((await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'hangzhou', password: 'hangzhou-new-password' } })).status).to.equal(401);
        expect((await call(gateway.baseUrl, 'POST', '/users/hangzhou/disable', { token: admin })).status).to.equal(500);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: hangzhou })).status, 'not disabled either').to.equal(200);

        rmdirSync(usersFile());
        renameSync(`${usersFile()}.saved`, usersFile());
        const created = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body: permtest });
        expect(created.status, created.text).to.equal(201);
        expect((await call(gateway.baseUrl, 'POST', '/users/hangzhou/disable', { token: admin })).status).to.equal(200);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: hangzhou })).status).to.equal(401);

        await gateway.restart();
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: await loginToken(gateway.baseUrl, 'permtest', permtest.password) })).body.username).to.equal('permtest');
        const login = await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'hangzhou', password: TEST_PASSWORD } });
        expect(login.status, 'still disabled after the restart').to.equal(403);
    });
});
