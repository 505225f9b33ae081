/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { ConfigError, DEMO_PASSWORD } from '../src/config';
import { requestFingerprint } from '../src/services/idempotency-store';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { openStream } from './support/event-stream';
import { DEMO_USERS, TEST_PASSWORD, TestGateway, loginToken, startTestGateway } from './support/test-gateway';

/**
 * The lifecycle of credentials over real HTTP: the admin's first password, password changes, API keys
 * that cannot make more keys, disabled users, event streams that end with their credential, secrets
 * the idempotency store never keeps, and the login limits that keep password hashing from starving
 * the ledger.
 */

/** Every file of the gateway's idempotency store, as one text. */
function idempotencyRecords(gateway: TestGateway): string {
    const directory = path.join(gateway.dataDir, 'idempotency');
    let names: string[];
    try {
        names = readdirSync(directory);
    } catch {
        return '';
    }
    return names.map((name) => readFileSync(path.join(directory, name), 'utf8')).join('\n');
}

describe('credentials (embedded backend, real HTTP)', function () {
    this.timeout(90_000);
    let gateway: TestGateway;
    let admin: string;

    before(async () => {
        gateway = await startTestGateway();
        admin = await loginToken(gateway.baseUrl, 'admin');
    });

    after(async () => {
        await gateway?.dispose();
    });

    /** Creates a supplier user of Suzhou's enterprise (the demo's events name it) and returns its token. */
    async function newSupplier(username: string, password = 'first-password-1'): Promise<string> {
        const created = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body: { username, password, role: 'supplier', enterpriseId: DEMO_IDS.suzhou } });
        expect(created.status, created.text).to.equal(201);
        return loginToken(gateway.baseUrl, username, password);
    }

    it('refuses to create an API key with an API key (403 FORBIDDEN), and with a bearer token creates one that may expire', async () => {
        const token = await loginToken(gateway.baseUrl, 'hangzhou');
        const created = await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'ci', expiresInDays: 30 } });
        expect(created.status).to.equal(201);
        expect(created.body.apiKey).to.match(/^xl_/);
        expect(Date.parse(created.body.expiresAt) - Date.now()).to.be.within(29 * 86_400_000, 31 * 86_400_000);
        const viaKey = { Authorization: `ApiKey ${created.body.apiKey}` };
        expect((await call(gateway.baseUrl, 'GET', '/me', { headers: viaKey })).status).to.equal(200);
        const minted = await call(gateway.baseUrl, 'POST', '/auth/api-keys', { headers: viaKey, body: { label: 'from a key' } });
        expect(minted.status).to.equal(403);
        expect(minted.body.code).to.equal('FORBIDDEN');
        const listed = await call(gateway.baseUrl, 'GET', '/auth/api-keys', { headers: viaKey });
        expect(listed.body.items.map((k: any) => k.label)).to.deep.equal(['ci']);
    });

    it('refuses an API key label with control characters, as the ledger refuses them in its text', async () => {
        const login = await loginToken(gateway.baseUrl, 'admin');
        const refused = await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token: login, body: { label: 'a\u0000b' } });
        expect(refused.status, refused.text).to.equal(400);
        expect(refused.body.detail).to.include('body.label: must not contain control characters');
        const keys = await call(gateway.baseUrl, 'GET', '/auth/api-keys', { token: login });
        expect(keys.body.items.map((key: { label: string }) => key.label)).to.not.include('a\u0000b');
    });

    it('never stores a new API key in the idempotency store: a repeat answers without the secret', async () => {
        const token = await loginToken(gateway.baseUrl, 'jiangnan');
        const headers = { 'Idempotency-Key': 'api-key-once-0001' };
        const first = await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'deploy' }, headers });
        expect(first.status).to.equal(201);
        const secret = first.body.apiKey as string;
        expect(idempotencyRecords(gateway)).to.not.include(secret.slice(20));
        const repeat = await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'deploy' }, headers });
        expect(repeat.status).to.equal(201);
        expect(repeat.headers.get('idempotent-replayed')).to.equal('true');
        expect(repeat.body).to.deep.equal({ id: first.body.id, label: 'deploy' });
        const keys = await call(gateway.baseUrl, 'GET', '/auth/api-keys', { token });
        expect(keys.body.items.map((k: any) => k.id), 'one key, not two').to.deep.equal([first.body.id]);
        expect((await call(gateway.baseUrl, 'GET', '/me', { headers: { Authorization: `ApiKey ${secret}` } })).status).to.equal(200);
    });

    it("keeps a new user's password out of the idempotency store, also as a fast hash of the request", async () => {
        const body = { username: 'idem-user', password: 'idem-user-password', role: 'supplier', enterpriseId: DEMO_IDS.hangzhou };
        const headers = { 'Idempotency-Key': 'create-user-0001' };
        const first = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body, headers });
        expect(first.status).to.equal(201);
        const stored = idempotencyRecords(gateway);
        expect(stored).to.include('idem-user');
        expect(stored).to.not.include('idem-user-password');
        expect(stored).to.not.include(requestFingerprint('post', '/users', body));
        const repeat = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body, headers });
        expect(repeat.status).to.equal(201);
        expect(repeat.headers.get('idempotent-replayed')).to.equal('true');
        expect(await loginToken(gateway.baseUrl, 'idem-user', 'idem-user-password')).to.be.a('string');
    });

    it('stores nothing of a login sent with an Idempotency-Key', async () => {
        const before = idempotencyRecords(gateway);
        const login = await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'regulator', password: TEST_PASSWORD }, headers: { 'Idempotency-Key': 'login-0001' } });
        expect(login.status).to.equal(200);
        expect(idempotencyRecords(gateway)).to.equal(before);
    });

    it('refuses passwords shorter than 10 characters, of white space only, or equal to the user name', async () => {
        for (const password of ['nine-char', ' '.repeat(12), 'same-as-name']) {
            const created = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body: { username: 'same-as-name', password, role: 'supplier', enterpriseId: DEMO_IDS.hangzhou } });
            expect(created.status, password).to.equal(400);
            expect(created.body.code).to.equal('INVALID_ARGUMENT');
        }
    });

    it("changes a user's password: its earlier tokens stop working, the new password logs in, neither is stored", async () => {
        const token = await newSupplier('changer');
        const other = await loginToken(gateway.baseUrl, 'changer', 'first-password-1');
        const wrong = await call(gateway.baseUrl, 'POST', '/auth/password', { token, body: { currentPassword: 'not-the-password', newPassword: 'second-password-2' } });
        expect(wrong.status).to.equal(403);
        const short = await call(gateway.baseUrl, 'POST', '/auth/password', { token, body: { currentPassword: 'first-password-1', newPassword: 'short' } });
        expect(short.status).to.equal(400);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token })).status, 'refused changes end nothing').to.equal(200);
        const headers = { 'Idempotency-Key': 'password-change-0001' };
        const changed = await call(gateway.baseUrl, 'POST', '/auth/password', { token, body: { currentPassword: 'first-password-1', newPassword: 'second-password-2' }, headers });
        expect(changed.status).to.equal(204);
        for (const old of [token, other]) {
            const me = await call(gateway.baseUrl, 'GET', '/me', { token: old });
            expect(me.status).to.equal(401);
            expect(me.body.code).to.equal('UNAUTHENTICATED');
        }
        const stored = idempotencyRecords(gateway);
        expect(stored).to.not.include('first-password-1');
        expect(stored).to.not.include('second-password-2');
        expect((await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'changer', password: 'first-password-1' } })).status).to.equal(401);
        const fresh = await loginToken(gateway.baseUrl, 'changer', 'second-password-2');
        expect((await call(gateway.baseUrl, 'GET', '/me', { token: fresh })).body.username).to.equal('changer');
    });

    it('refuses a body on the routes that take none, as every empty-body route does, and changes nothing', async () => {
        await newSupplier('body-check');
        for (const [method, route] of [['POST', '/users/body-check/disable'], ['POST', '/users/body-check/enable'], ['DELETE', '/auth/api-keys/0123456789abcdef']] as const) {
            const extra = await call(gateway.baseUrl, method, route, { token: admin, body: { x: 1 } });
            expect(extra.status, `${method} ${route}: ${extra.text}`).to.equal(400);
            expect(extra.body.code).to.equal('INVALID_ARGUMENT');
            const text = await call(gateway.baseUrl, method, route, { token: admin, raw: 'disable please', headers: { 'Content-Type': 'text/plain' } });
            expect(text.status, `${method} ${route}: ${text.text}`).to.equal(415);
        }
        const users = await call(gateway.baseUrl, 'GET', '/users?limit=500', { token: admin });
        expect(users.body.items.find((user: { username: string }) => user.username === 'body-check')).to.include({ disabled: false });
        // No body, or an empty object, is what these routes take.
        expect((await call(gateway.baseUrl, 'POST', '/users/body-check/disable', { token: admin, body: {} })).status).to.equal(200);
        expect((await call(gateway.baseUrl, 'POST', '/users/body-check/enable', { token: admin })).status).to.equal(200);
    });

    it("disables a user: its tokens, API keys and open event streams stop at once and it cannot log in; enabling brings back its keys", async () => {
        const token = await newSupplier('to-disable');
        const key = (await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'stream' } })).body.apiKey as string;
        const byToken = openStream(gateway.baseUrl, { query: `?access_token=${encodeURIComponent(token)}` });
        const byKey = openStream(gateway.baseUrl, { headers: { Authorization: `ApiKey ${key}` } });
        await Promise.all([byToken.opened, byKey.opened]);
        const bySupplier = await call(gateway.baseUrl, 'POST', '/users/suzhou/disable', { token: await loginToken(gateway.baseUrl, 'suzhou') });
        expect(bySupplier.status, 'only the platform admin').to.equal(403);
        expect((await call(gateway.baseUrl, 'POST', '/users/admin/disable', { token: admin })).status, 'not itself').to.equal(400);
        expect((await call(gateway.baseUrl, 'POST', '/users/nobody/disable', { token: admin })).status).to.equal(404);

        const disabled = await call(gateway.baseUrl, 'POST', '/users/to-disable/disable', { token: admin });
        expect(disabled.status).to.equal(200);
        expect(disabled.body).to.deep.include({ username: 'to-disable', disabled: true });
        expect(await byToken.ended).to.equal('ended');
        expect(await byKey.ended).to.equal('ended');
        expect((await call(gateway.baseUrl, 'GET', '/me', { token })).status).to.equal(401);
        expect((await call(gateway.baseUrl, 'GET', '/me', { headers: { Authorization: `ApiKey ${key}` } })).status).to.equal(401);
        const login = await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'to-disable', password: 'first-password-1' } });
        expect(login.status).to.equal(403);
        expect(login.body.code).to.equal('FORBIDDEN');
        const users = await call(gateway.baseUrl, 'GET', '/users?limit=500', { token: admin });
        expect(users.body.items.find((u: any) => u.username === 'to-disable').disabled).to.equal(true);

        expect((await call(gateway.baseUrl, 'POST', '/users/to-disable/enable', { token: admin })).body.disabled).to.equal(false);
        expect((await call(gateway.baseUrl, 'GET', '/me', { headers: { Authorization: `ApiKey ${key}` } })).status).to.equal(200);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token })).status, 'tokens from before stay ended').to.equal(401);
    });

    it('ends an event stream opened with an API key when the key is deleted, and not before', async () => {
        const token = await newSupplier('key-streamer');
        const key = (await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'stream' } })).body;
        const stream = openStream(gateway.baseUrl, { headers: { Authorization: `ApiKey ${key.apiKey}` } });
        await stream.opened;
        await call(gateway.baseUrl, 'POST', '/auth/api-keys', { token, body: { label: 'another' } });
        expect(await Promise.race([stream.ended, new Promise((resolve) => setTimeout(() => resolve('open'), 300))])).to.equal('open');
        expect((await call(gateway.baseUrl, 'DELETE', `/auth/api-keys/${key.id}`, { token })).status).to.equal(204);
        expect(await stream.ended).to.equal('ended');
    });

    it('answers a document upload without valid credentials 401 before reading it, however large', async () => {
        for (const headers of [{}, { Authorization: 'Bearer forged' }] as Array<Record<string, string>>) {
            const response = await fetch(`${gateway.baseUrl}/documents`, { method: 'POST', headers: { 'Content-Type': 'application/pdf', ...headers }, body: Buffer.alloc(22 * 1024 * 1024, 1) });
            expect(response.status).to.equal(401);
            expect(((await response.json()) as any).code).to.equal('UNAUTHENTICATED');
        }
        const token = await loginToken(gateway.baseUrl, 'suzhou');
        const tooLarge = await fetch(`${gateway.baseUrl}/documents`, { method: 'POST', headers: { 'Content-Type': 'application/pdf', Authorization: `Bearer ${token}` }, body: Buffer.alloc(22 * 1024 * 1024, 1) });
        expect(tooLarge.status, 'with credentials the size limit answers').to.equal(413);
    });

    it('sends the security headers: a CSP per kind of content, no framing, no sniffing, no referrer', async () => {
        const root = gateway.baseUrl.replace('/api/v1', '');
        const expectCommon = (response: Response, what: string): void => {
            expect(response.headers.get('x-frame-options'), what).to.equal('DENY');
            expect(response.headers.get('x-content-type-options'), what).to.equal('nosniff');
            expect(response.headers.get('referrer-policy'), what).to.equal('no-referrer');
        };
        for (const url of [`${gateway.baseUrl}/me`, `${gateway.baseUrl}/health/live`, `${root}/health/live`, `${gateway.baseUrl}/openapi.json`, `${gateway.baseUrl}/nothing-here`]) {
            const response = await fetch(url);
            expectCommon(response, url);
            expect(response.headers.get('content-security-policy'), url).to.equal("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        }
        const app = await fetch(`${root}/some/client/route`, { headers: { Accept: 'text/html' } });
        expect(app.status).to.equal(200);
        expectCommon(app, 'client app');
        const appPolicy = app.headers.get('content-security-policy') ?? '';
        for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) {
            expect(appPolicy.split('; '), directive).to.include(directive);
        }
        expect(appPolicy).to.not.match(/script-src[^;]*(unsafe-inline|unsafe-eval|blob:|data:)/);
        const docs = await fetch(`${gateway.baseUrl}/docs/`);
        expectCommon(docs, 'docs');
        expect(docs.headers.get('content-security-policy')).to.include("script-src 'self'");
        // A document keeps its own sandboxing policy.
        const token = await loginToken(gateway.baseUrl, 'suzhou');
        const uploaded = await call(gateway.baseUrl, 'POST', '/documents', { token, raw: '<html><script>alert(1)</script></html>', headers: { 'Content-Type': 'text/html' } });
        const document = await fetch(`${gateway.baseUrl}/documents/${uploaded.body.cid}`, { headers: { Authorization: `Bearer ${token}` } });
        expect(document.headers.get('content-security-policy')).to.include('sandbox');
        expectCommon(document, 'document');
    });
});

describe('the platform admin without the demo seed', function () {
    this.timeout(60_000);

    it('refuses a first start without GATEWAY_ADMIN_PASSWORD, naming it, and creates the admin with it when given', async () => {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-admin-'));
        try {
            const refused = await startTestGateway({ seedDemo: false, adminPassword: undefined }, dataDir).catch((e) => e);
            expect(refused).to.be.instanceOf(ConfigError);
            expect(refused.message).to.match(/^GATEWAY_ADMIN_PASSWORD is required/);
            const gateway = await startTestGateway({ seedDemo: false, adminPassword: 'operator-chosen-1' }, dataDir);
            try {
                const demo = await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'admin', password: 'xinlian-demo' } });
                expect(demo.status).to.equal(401);
                // No demo users to offer on a sign-in page.
                const accounts = await call(gateway.baseUrl, 'GET', '/auth/demo');
                expect(accounts.status, accounts.text).to.equal(404);
                expect(accounts.body.code).to.equal('NOT_FOUND');
                expect(accounts.body.detail).to.include('GATEWAY_SEED_DEMO=false');
                expect(await loginToken(gateway.baseUrl, 'admin', 'operator-chosen-1')).to.be.a('string');
            } finally {
                await gateway.stop();
            }
            // Later starts need no admin password: the admin exists.
            const again = await startTestGateway({ seedDemo: false, adminPassword: undefined }, dataDir);
            await again.stop();
        } finally {
            rmSync(dataDir, { recursive: true, force: true });
        }
    });
});

describe('the demo accounts a sign-in page offers (GET /auth/demo)', function () {
    this.timeout(60_000);

    it('names the enabled demo users, and the password only when it is the public one', async () => {
        // The usual test gateway: an operator-chosen demo password and admin password.
        const chosen = await startTestGateway();
        try {
            const accounts = await call(chosen.baseUrl, 'GET', '/auth/demo');
            expect(accounts.status, accounts.text).to.equal(200);
            expect(accounts.body).to.not.have.property('password');
            const names = accounts.body.users.map((user: { username: string }) => user.username);
            // The test gateways give the admin the demo password too (both are TEST_PASSWORD): it is offered.
            expect(names).to.have.members(DEMO_USERS.map((user) => user.username));
            expect(accounts.body.users.find((user: { username: string }) => user.username === 'huadong')).to.deep.equal({ username: 'huadong', role: 'core-enterprise', enterpriseId: DEMO_IDS.huadong });
        } finally {
            await chosen.dispose();
        }

        const publicDemo = await startTestGateway({ demoPassword: DEMO_PASSWORD, adminPassword: undefined });
        try {
            const accounts = await call(publicDemo.baseUrl, 'GET', '/auth/demo');
            expect(accounts.status, accounts.text).to.equal(200);
            expect(accounts.body.password).to.equal(DEMO_PASSWORD);
            expect(accounts.body.users.map((user: { username: string }) => user.username)).to.have.members(DEMO_USERS.map((user) => user.username));
            // What it says works: every user named signs in with that password.
            for (const user of accounts.body.users) {
                expect(await loginToken(publicDemo.baseUrl, user.username, accounts.body.password)).to.be.a('string');
            }
            // A disabled user is not offered.
            const admin = await loginToken(publicDemo.baseUrl, 'admin', DEMO_PASSWORD);
            const disabled = await call(publicDemo.baseUrl, 'POST', '/users/pudong/disable', { token: admin });
            expect(disabled.status, disabled.text).to.equal(200);
            const after = await call(publicDemo.baseUrl, 'GET', '/auth/demo');
            const offered = after.body.users.map((user: { username: string }) => user.username);
            expect(offered).to.include('jiangnan');
            expect(offered).to.not.include('pudong');
        } finally {
            await publicDemo.dispose();
        }

        // An admin created with its own password stays out once the setting is gone from later starts.
        const operator = await startTestGateway({ demoPassword: DEMO_PASSWORD, adminPassword: 'operator-chosen-1' });
        try {
            await operator.stop();
            const later = await startTestGateway({ demoPassword: DEMO_PASSWORD, adminPassword: undefined }, operator.dataDir);
            try {
                const accounts = await call(later.baseUrl, 'GET', '/auth/demo');
                const names = accounts.body.users.map((user: { username: string }) => user.username);
                expect(names).to.have.length(DEMO_USERS.length - 1);
                expect(names).to.not.include('admin');
                expect((await call(later.baseUrl, 'POST', '/auth/login', { body: { username: 'admin', password: DEMO_PASSWORD } })).status).to.equal(401);
            } finally {
                await later.dispose();
            }
        } finally {
            rmSync(operator.dataDir, { recursive: true, force: true });
        }
    });
});

describe('an event stream whose bearer token expires', function () {
    this.timeout(60_000);
    let gateway: TestGateway;

    before(async () => {
        gateway = await startTestGateway({ seedDemo: false, tokenTtlSeconds: 2 });
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('ends when the token expires', async () => {
        const token = await loginToken(gateway.baseUrl, 'admin');
        const stream = openStream(gateway.baseUrl, { query: `?access_token=${encodeURIComponent(token)}`, limitMs: 10_000 });
        await stream.opened;
        expect(await stream.ended).to.equal('ended');
        expect(stream.events(), 'the platform bootstrap events arrived first').to.be.greaterThan(0);
        expect((await call(gateway.baseUrl, 'GET', '/me', { token })).status).to.equal(401);
    });
});

describe('login sprays (password hashing bounded)', function () {
    this.timeout(120_000);
    let gateway: TestGateway;

    before(async () => {
        // A real scrypt cost, so that password checks pile up as they do in production.
        gateway = await startTestGateway({ seedDemo: false, trustProxy: ['loopback'], passwordScrypt: { N: 2 ** 14, r: 8, p: 1 } });
    });

    after(async () => {
        await gateway?.dispose();
    });

    const badLogin = (i: number, client: string) =>
        call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: `nobody-${i}`, password: 'wrong-password' }, headers: { 'X-Forwarded-For': client } });

    /** Logs the admin in from `client`, waiting out Retry-After (the hashing may still be busy). */
    async function adminLogin(client: string): Promise<number> {
        for (let attempt = 0; ; attempt++) {
            const login = await call(gateway.baseUrl, 'POST', '/auth/login', { body: { username: 'admin', password: TEST_PASSWORD }, headers: { 'X-Forwarded-For': client } });
            if (login.status !== 429 || attempt >= 10) {
                return login.status;
            }
            await new Promise((resolve) => setTimeout(resolve, 1000 * Number(login.headers.get('retry-after') ?? 1)));
        }
    }

    it('checks at most 30 failed logins of one client address per window, answering the rest 429 with Retry-After', async () => {
        const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => badLogin(i, '203.0.113.7')));
        const statuses = answers.map((a) => a.status);
        expect([...new Set(statuses)].sort()).to.deep.equal([401, 429]);
        expect(statuses.filter((s) => s === 401).length).to.be.at.most(30);
        for (const limited of answers.filter((a) => a.status === 429)) {
            expect(limited.body.code).to.equal('RATE_LIMITED');
            expect(Number(limited.headers.get('retry-after'))).to.be.at.least(1);
        }
        expect(await adminLogin('198.51.100.1'), 'another client logs in').to.equal(200);
    });

    it('runs at most 2 password checks at once with at most 16 waiting, answering logins beyond them 429 at once', async () => {
        const peak = { running: 0, waiting: 0 };
        let sampling = true;
        const sample = (): void => {
            const load = gateway.gateway.services.auth.hashingLoad();
            peak.running = Math.max(peak.running, load.running);
            peak.waiting = Math.max(peak.waiting, load.waiting);
            if (sampling) {
                setImmediate(sample);
            }
        };
        sample();
        // 200 client addresses: the per-address limit does not apply, the bound on hashing does.
        const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => badLogin(i, `198.18.${i >> 8}.${i & 255}`)));
        sampling = false;
        const limited = answers.filter((a) => a.status === 429);
        expect(answers.every((a) => a.status === 401 || a.status === 429)).to.equal(true);
        expect(limited.length, 'some logins found the hashing full').to.be.greaterThan(0);
        expect(limited.every((a) => a.body.code === 'RATE_LIMITED' && a.headers.get('retry-after') === '1')).to.equal(true);
        expect(peak.running).to.be.at.most(2);
        expect(peak.waiting).to.be.at.most(16);
        expect(peak.running, 'the sampler saw the checks').to.be.greaterThan(0);
        expect(await adminLogin('198.51.100.2')).to.equal(200);
    });
});
