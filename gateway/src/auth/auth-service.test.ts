import '../../test/support/quiet-chaincode-logging';
import { createHash } from 'crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { RunningProcess, STOPPED_PID, startRunningProcess, temporaryFileName } from '../../test/support/temporary-files';
import { openEmbeddedBackend } from '../ledger/embedded-backend';
import type { LedgerBackend, LedgerUser } from '../ledger/ledger-backend';
import { ConfigError } from '../config';
import { AuthService, AuthServiceOptions, Principal, openAuthService } from './auth-service';
import { hashPassword, verifyPassword } from './password';
import { issueToken, verifyToken } from './tokens';

const COST = { N: 1024, r: 8, p: 1 };

describe('auth service', () => {
    let directory: string;
    let now: Date;
    const enrolled: LedgerUser[] = [];

    beforeEach(() => {
        directory = mkdtempSync(path.join(tmpdir(), 'auth-'));
        now = new Date('2026-06-01T00:00:00Z');
        enrolled.splice(0);
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    const open = (enroll: (user: LedgerUser) => Promise<void> = async (u) => void enrolled.push(u), more: Partial<AuthServiceOptions> = {}) =>
        openAuthService({ directory, tokenTtlSeconds: 600, passwordScrypt: COST, loginAttempts: 3, loginWindowSeconds: 60, enroll, clock: () => now, ...more });
    /** Logs `username` in and authenticates its token: the principal a request with it has. */
    const loggedIn = async (auth: AuthService, username: string, password = 'secret-password'): Promise<Principal> =>
        auth.authenticate(`Bearer ${(await auth.login(username, password, 'ip')).token}`);
    const supplier = (username: string, enterpriseId = 'E1') => ({ username, password: 'secret-password', role: 'supplier', enterpriseId, mspId: 'PlatformMSP' }) as const;
    /** An enrolment that takes a few turns of the event loop, as a real one does. */
    const slowEnroll = async (user: LedgerUser): Promise<void> => {
        for (let i = 0; i < 5; i++) {
            await new Promise((resolve) => setImmediate(resolve));
        }
        enrolled.push(user);
    };

    it('hashes passwords with scrypt and verifies them', async () => {
        const hash = await hashPassword('correct horse', COST);
        expect(hash).to.match(/^scrypt\$1024\$8\$1\$/);
        expect(await verifyPassword('correct horse', hash)).to.equal(true);
        expect(await verifyPassword('wrong horse', hash)).to.equal(false);
    });

    it('issues tokens that expire and cannot be altered', () => {
        const secret = Buffer.alloc(32, 1);
        const { token } = issueToken(secret, 'alice', now, 60);
        expect(verifyToken(secret, token, now)?.sub).to.equal('alice');
        expect(verifyToken(secret, token, new Date(now.getTime() + 61_000))).to.equal(undefined);
        expect(verifyToken(Buffer.alloc(32, 2), token, now)).to.equal(undefined);
    });

    it('creates a user, enrolls its identity, and logs it in; the store holds no password', async () => {
        const auth = await open();
        await auth.createUser({ username: 'alice', password: 'secret-password', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
        expect(enrolled).to.deep.equal([{ username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' }]);
        expect(readFileSync(path.join(directory, 'users.json'), 'utf8')).to.not.include('secret-password');
        const login = await auth.login('alice', 'secret-password', '127.0.0.1');
        expect(await auth.authenticate(`Bearer ${login.token}`)).to.deep.equal(enrolled[0]);
    });

    it('refuses a role its organisation may not hold', async () => {
        const auth = await open();
        const error = await auth.createUser({ username: 'bob', password: 'secret-password', role: 'financier', enterpriseId: 'E1', mspId: 'PlatformMSP' }).catch((e) => e);
        expect(error.code).to.equal('INVALID_ARGUMENT');
        expect(enrolled).to.deep.equal([]);
    });

    it('creates a user name once when several creations of it run at once, refusing the others as ALREADY_EXISTS', async () => {
        const auth = await open(slowEnroll);
        const passwords = ['password-0', 'password-1', 'password-2', 'password-3', 'password-4', 'password-5'];
        const outcomes = await Promise.allSettled(passwords.map((password) => auth.createUser({ username: 'race', password, role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' })));
        const created = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
        expect(created).to.have.length(1);
        expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).to.deep.equal(Array(passwords.length - 1).fill('ALREADY_EXISTS'));
        expect(enrolled.map((u) => u.username)).to.deep.equal(['race']);
        expect((await auth.login('race', passwords[created[0]], 'ip')).user.username).to.equal('race');
        const reopened = await open();
        expect(reopened.listUsers().map((u) => u.username)).to.deep.equal(['race']);
    });

    it('lets a waiting creation of a user name proceed when the one before it failed to enroll', async () => {
        let failures = 1;
        const auth = await open(async (user) => {
            await slowEnroll(user);
            if (failures-- > 0) {
                throw new Error('enrolment failed');
            }
        });
        const spec = { username: 'carol', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' } as const;
        const [first, second] = await Promise.allSettled([auth.createUser({ ...spec, password: 'first-password' }), auth.createUser({ ...spec, password: 'second-password' })]);
        expect(first.status).to.equal('rejected');
        expect(second.status).to.equal('fulfilled');
        expect((await auth.login('carol', 'second-password', 'ip')).user.username).to.equal('carol');
    });

    it('rate-limits logins per client and user name', async () => {
        const auth = await open();
        await auth.createUser({ username: 'alice', password: 'secret-password', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
        for (let i = 0; i < 3; i++) {
            expect((await auth.login('alice', 'nope', 'ip1').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        }
        expect((await auth.login('alice', 'secret-password', 'ip1').catch((e) => e)).code).to.equal('RATE_LIMITED');
        expect((await auth.login('alice', 'secret-password', 'ip2')).user.username).to.equal('alice');
        now = new Date(now.getTime() + 61_000);
        expect((await auth.login('alice', 'secret-password', 'ip1')).user.username).to.equal('alice');
    });

    it('authenticates an API key as its owner only, until it is deleted', async () => {
        const auth = await open();
        await auth.createUser({ username: 'alice', password: 'secret-password', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
        await auth.createUser({ username: 'bob', password: 'secret-password', role: 'supplier', enterpriseId: 'E2', mspId: 'PlatformMSP' });
        const alice = await loggedIn(auth, 'alice');
        const key = await auth.createApiKey(alice, 'ci');
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
        const asBearer = await auth.authenticate(`Bearer ${key.apiKey}`).catch((e) => e);
        expect(asBearer).to.include({ code: 'UNAUTHENTICATED', message: 'this is an API key: send it as "Authorization: ApiKey <key>"' });
        const tampered = key.apiKey.slice(0, -1) + (key.apiKey.endsWith('A') ? 'B' : 'A');
        expect((await auth.authenticate(`ApiKey ${tampered}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        expect((await auth.deleteApiKey({ ...alice, username: 'bob' }, key.id).catch((e) => e)).code).to.equal('NOT_FOUND');
        await auth.deleteApiKey(alice, key.id);
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
    });

    it("lists a user's own API keys without their secrets or hashes", async () => {
        const auth = await open();
        await auth.createUser({ username: 'alice', password: 'secret-password', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
        await auth.createUser({ username: 'bob', password: 'secret-password', role: 'supplier', enterpriseId: 'E2', mspId: 'PlatformMSP' });
        const alice = await loggedIn(auth, 'alice');
        const bob = await loggedIn(auth, 'bob');
        expect(auth.listApiKeys(alice)).to.deep.equal([]);
        const ci = await auth.createApiKey(alice, 'ci');
        const deploy = await auth.createApiKey(alice, 'deploy');
        await auth.createApiKey(bob, 'bob');
        const listed = auth.listApiKeys(alice);
        expect(listed).to.deep.equal([
            { id: ci.id, label: 'ci', createdAt: now.toISOString() },
            { id: deploy.id, label: 'deploy', createdAt: now.toISOString() },
        ]);
        await auth.deleteApiKey(alice, ci.id);
        expect(auth.listApiKeys(alice).map((k) => k.id)).to.deep.equal([deploy.id]);
        expect(() => auth.listApiKeys({ ...alice, username: 'carol' })).to.throw().with.property('code', 'UNAUTHENTICATED');
    });

    it('refuses to create an API key with an API key, or for a principal that no credential backs', async () => {
        const auth = await open();
        await auth.createUser(supplier('alice'));
        const key = await auth.createApiKey(await loggedIn(auth, 'alice'), 'ci');
        const viaKey = await auth.authenticate(`ApiKey ${key.apiKey}`);
        expect(auth.credentialOf(viaKey)).to.deep.equal({ kind: 'apiKey', apiKeyId: key.id });
        expect((await auth.createApiKey(viaKey, 'more').catch((e) => e)).code).to.equal('FORBIDDEN');
        const unbacked: Principal = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };
        expect((await auth.createApiKey(unbacked, 'more').catch((e) => e)).code).to.equal('FORBIDDEN');
        expect(auth.listApiKeys(viaKey).map((k) => k.id)).to.deep.equal([key.id]);
    });

    it('creates an API key that stops working once its expiry has passed', async () => {
        const auth = await open();
        await auth.createUser(supplier('alice'));
        const alice = await loggedIn(auth, 'alice');
        const key = await auth.createApiKey(alice, 'ci', { expiresInDays: 2 });
        expect(key.expiresAt).to.equal('2026-06-03T00:00:00.000Z');
        expect(auth.listApiKeys(alice)[0]).to.deep.include({ id: key.id, expiresAt: key.expiresAt });
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
        now = new Date('2026-06-03T00:00:00Z');
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        expect((await auth.createApiKey(alice, 'x', { expiresInDays: 0 }).catch((e) => e)).code).to.equal('INVALID_ARGUMENT');
    });

    it('holds passwords to at least 10 characters that are not the user name', async () => {
        const auth = await open();
        for (const password of ['short-pw9', 'alice-the-user']) {
            const refused = await auth.createUser({ ...supplier('alice-the-user'), password }).catch((e) => e);
            expect(refused.code, password).to.equal('INVALID_ARGUMENT');
        }
        expect(enrolled).to.deep.equal([]);
        await auth.createUser({ ...supplier('alice'), password: 'xinlian-demo' });
        const alice = await loggedIn(auth, 'alice', 'xinlian-demo');
        for (const newPassword of ['short-pw9', 'alice']) {
            expect((await auth.changePassword(alice, 'xinlian-demo', newPassword, 'ip').catch((e) => e)).code, newPassword).to.equal('INVALID_ARGUMENT');
        }
    });

    it('changes a password: the old one and every earlier token stop working, API keys keep working', async () => {
        const auth = await open();
        await auth.createUser(supplier('alice'));
        const first = (await auth.login('alice', 'secret-password', 'ip')).token;
        const alice = await auth.authenticate(`Bearer ${first}`);
        const key = await auth.createApiKey(alice, 'ci');
        expect((await auth.changePassword(alice, 'not-the-password', 'a-new-password', 'ip').catch((e) => e)).code).to.equal('FORBIDDEN');
        expect((await auth.authenticate(`Bearer ${first}`)).username, 'a refused change ends nothing').to.equal('alice');
        await auth.changePassword(alice, 'secret-password', 'a-new-password', 'ip');
        const ended = await auth.authenticate(`Bearer ${first}`).catch((e) => e);
        expect(ended.code).to.equal('UNAUTHENTICATED');
        expect(ended.message).to.equal('the token was issued before the password changed; log in again');
        expect(ended.reason).to.equal('password-changed');
        expect((await auth.login('alice', 'secret-password', 'ip2').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        const second = (await auth.login('alice', 'a-new-password', 'ip')).token;
        expect((await auth.authenticate(`Bearer ${second}`)).username).to.equal('alice');
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
        const reopened = await open();
        expect((await reopened.authenticate(`Bearer ${first}`).catch((e) => e)).code, 'after a restart too').to.equal('UNAUTHENTICATED');
        expect((await reopened.authenticate(`Bearer ${second}`)).username).to.equal('alice');
    });

    it('disables a user: it cannot log in and its tokens and API keys are refused at once; enabling brings back its keys, not its tokens', async () => {
        const auth = await open();
        await auth.createUser({ username: 'admin', password: 'secret-password', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' });
        await auth.createUser(supplier('alice'));
        const admin = await loggedIn(auth, 'admin');
        const token = (await auth.login('alice', 'secret-password', 'ip')).token;
        const key = await auth.createApiKey(await auth.authenticate(`Bearer ${token}`), 'ci');
        expect(await auth.setDisabled(admin, 'alice', true)).to.deep.include({ username: 'alice', disabled: true });
        expect((await auth.authenticate(`Bearer ${token}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        expect((await auth.login('alice', 'secret-password', 'ip').catch((e) => e)).code).to.equal('FORBIDDEN');
        expect((await auth.login('alice', 'wrong-password', 'ip').catch((e) => e)).code, 'a wrong password says no more').to.equal('UNAUTHENTICATED');
        expect(auth.listUsers().find((u) => u.username === 'alice')?.disabled).to.equal(true);
        expect((await open()).listUsers().find((u) => u.username === 'alice')?.disabled, 'after a restart').to.equal(true);
        expect(await auth.setDisabled(admin, 'alice', false)).to.deep.include({ disabled: false });
        expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
        const ended = await auth.authenticate(`Bearer ${token}`).catch((e) => e);
        expect(ended.code).to.equal('UNAUTHENTICATED');
        expect(ended.message, 'told why, not of a password change').to.equal('the token was ended when user alice was disabled; log in again');
        expect(ended.reason).to.equal('disabled');
        expect((await auth.login('alice', 'secret-password', 'ip')).user.username).to.equal('alice');
    });

    it('says why a presented credential no longer works (the reason of its 401), and gives none for a request without one', async () => {
        const auth = await open();
        await auth.createUser({ username: 'admin', password: 'secret-password', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' });
        await auth.createUser(supplier('alice'));
        const token = (await auth.login('alice', 'secret-password', 'ip')).token;
        const key = await auth.createApiKey(await auth.authenticate(`Bearer ${token}`), 'ci');
        const reasonOf = async (authorization: string | undefined): Promise<string | undefined> => {
            const refused = await auth.authenticate(authorization).catch((e) => e);
            expect(refused.code, authorization).to.equal('UNAUTHENTICATED');
            return refused.reason;
        };
        expect(await reasonOf('Bearer not-a-token')).to.equal('expired');
        expect(await reasonOf(`ApiKey ${key.apiKey.slice(0, -1)}x`)).to.equal('expired');
        expect(await reasonOf(undefined)).to.equal(undefined);
        expect(await reasonOf(`Basic ${token}`)).to.equal(undefined);
        await auth.setDisabled(await loggedIn(auth, 'admin'), 'alice', true);
        expect(await reasonOf(`ApiKey ${key.apiKey}`)).to.equal('disabled');
        const disabled = await auth.authenticate(`Bearer ${token}`).catch((e) => e);
        expect(disabled.reason, disabled.message).to.equal('disabled');
    });

    it('lets only a platform admin disable users, never itself, and only users that exist', async () => {
        const auth = await open();
        await auth.createUser({ username: 'admin', password: 'secret-password', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' });
        await auth.createUser(supplier('alice'));
        await auth.createUser(supplier('bob'));
        const admin = await loggedIn(auth, 'admin');
        expect((await auth.setDisabled(await loggedIn(auth, 'alice'), 'bob', true).catch((e) => e)).code).to.equal('FORBIDDEN');
        expect((await auth.setDisabled(admin, 'admin', true).catch((e) => e)).code).to.equal('INVALID_ARGUMENT');
        expect((await auth.setDisabled(admin, 'nobody', true).catch((e) => e)).code).to.equal('NOT_FOUND');
        expect(auth.listUsers().map((u) => u.disabled)).to.deep.equal([false, false, false]);
    });

    it("refuses the names of the gateway's own identities before enrolling anything", async () => {
        const auth = await open();
        for (const username of ['gateway-verifier', 'ca-init', 'registrar-admin', 'registrar-ca']) {
            const refused = await auth.createUser(supplier(username)).catch((e) => e);
            expect(refused.code, username).to.equal('INVALID_ARGUMENT');
            expect(refused.message, username).to.match(new RegExp(`^username ${username} is reserved: .*; choose another$`));
        }
        expect(enrolled).to.deep.equal([]);
        expect(auth.listUsers()).to.deep.equal([]);
        // Names that only look alike are ordinary.
        await auth.createUser(supplier('gateway-verifier2'));
        await auth.createUser(supplier('registrar'));
        expect(enrolled.map((u) => u.username)).to.deep.equal(['gateway-verifier2', 'registrar']);
    });

    it('logs one audit line per account security action: actor, target, action, outcome and client, never a secret', async () => {
        const lines: Array<Record<string, unknown> & { level: string; message: string }> = [];
        const log = { info: (fields: Record<string, unknown>, message: string) => void lines.push({ ...fields, level: 'info', message }), warn: (fields: Record<string, unknown>, message: string) => void lines.push({ ...fields, level: 'warn', message }) };
        const auth = await open(undefined, { log });
        await auth.createUser({ username: 'admin', password: 'admin-password', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' });
        await auth.createUser(supplier('alice'));
        const taken = (): Array<Record<string, unknown>> => lines.splice(0).map(({ audit, ...rest }) => (expect(audit).to.equal('account'), rest));

        const login = await auth.login('alice', 'secret-password', '10.0.0.7');
        const alice = await auth.authenticate(`Bearer ${login.token}`);
        expect((await auth.login('alice', 'wrong-password', '10.0.0.8').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        expect((await auth.login('mallory', 'guess-password', '10.0.0.9').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        const tokenId = createHash('sha256').update(login.token).digest('hex').slice(0, 32);
        expect(taken()).to.deep.equal([
            { level: 'info', message: 'account security action login succeeded', action: 'login', actor: 'alice', target: 'alice', client: '10.0.0.7', outcome: 'succeeded', tokenId, expiresAt: login.expiresAt },
            { level: 'warn', message: 'account security action login refused', action: 'login', actor: 'alice', target: 'alice', client: '10.0.0.8', outcome: 'refused', code: 'UNAUTHENTICATED', reason: 'unknown user name or wrong password' },
            { level: 'warn', message: 'account security action login refused', action: 'login', actor: 'mallory', target: 'mallory', client: '10.0.0.9', outcome: 'refused', code: 'UNAUTHENTICATED', reason: 'unknown user name or wrong password' },
        ]);

        const key = await auth.createApiKey(alice, 'ci', { expiresInDays: 5, client: '10.0.0.7' });
        const viaKey = await auth.authenticate(`ApiKey ${key.apiKey}`);
        expect((await auth.createApiKey(viaKey, 'more', { client: '10.0.0.7' }).catch((e) => e)).code).to.equal('FORBIDDEN');
        expect((await auth.logout(viaKey, '10.0.0.7').catch((e) => e)).code).to.equal('FORBIDDEN');
        await auth.deleteApiKey(alice, key.id, '10.0.0.7');
        expect(taken()).to.deep.equal([
            { level: 'info', message: 'account security action create-api-key succeeded', action: 'create-api-key', actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'token', tokenId, label: 'ci', outcome: 'succeeded', apiKeyId: key.id, expiresAt: key.expiresAt },
            { level: 'warn', message: 'account security action create-api-key refused', action: 'create-api-key', actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'api-key', credentialKeyId: key.id, label: 'more', outcome: 'refused', code: 'FORBIDDEN', reason: 'API keys are created with the bearer token of a password login, not with an API key' },
            { level: 'warn', message: 'account security action logout refused', action: 'logout', actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'api-key', credentialKeyId: key.id, outcome: 'refused', code: 'FORBIDDEN', reason: 'signing out ends a bearer token; an API key stops working when it is deleted (DELETE /auth/api-keys/{id})' },
            { level: 'info', message: 'account security action delete-api-key succeeded', action: 'delete-api-key', actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'token', tokenId, apiKeyId: key.id, outcome: 'succeeded' },
        ]);

        expect((await auth.changePassword(alice, 'not-the-password', 'a-new-password', '10.0.0.7').catch((e) => e)).code).to.equal('FORBIDDEN');
        await auth.changePassword(alice, 'secret-password', 'a-new-password', '10.0.0.7');
        const second = await auth.authenticate(`Bearer ${(await auth.login('alice', 'a-new-password', '10.0.0.7')).token}`);
        await auth.logout(second, '10.0.0.7');
        const changes = taken();
        expect(changes.map(({ action, outcome, code, actor, target, client, credential }) => ({ action, outcome, code, actor, target, client, credential }))).to.deep.equal([
            { action: 'change-password', outcome: 'refused', code: 'FORBIDDEN', actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'token' },
            { action: 'change-password', outcome: 'succeeded', code: undefined, actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'token' },
            { action: 'login', outcome: 'succeeded', code: undefined, actor: 'alice', target: 'alice', client: '10.0.0.7', credential: undefined },
            { action: 'logout', outcome: 'succeeded', code: undefined, actor: 'alice', target: 'alice', client: '10.0.0.7', credential: 'token' },
        ]);
        expect(changes[3].tokenId).to.equal(changes[2].tokenId);

        const admin = await loggedIn(auth, 'admin', 'admin-password');
        lines.splice(0);
        await auth.setDisabled(admin, 'alice', true, '10.0.0.1');
        await auth.setDisabled(admin, 'alice', true, '10.0.0.1');
        await auth.setDisabled(admin, 'alice', false, '10.0.0.1');
        expect((await auth.setDisabled(second, 'admin', true, '10.0.0.7').catch((e) => e)).code).to.equal('FORBIDDEN');
        expect(taken().map(({ action, outcome, actor, target, client, changed, code }) => ({ action, outcome, actor, target, client, changed, code }))).to.deep.equal([
            { action: 'disable-user', outcome: 'succeeded', actor: 'admin', target: 'alice', client: '10.0.0.1', changed: true, code: undefined },
            { action: 'disable-user', outcome: 'succeeded', actor: 'admin', target: 'alice', client: '10.0.0.1', changed: false, code: undefined },
            { action: 'enable-user', outcome: 'succeeded', actor: 'admin', target: 'alice', client: '10.0.0.1', changed: true, code: undefined },
            { action: 'disable-user', outcome: 'refused', actor: 'alice', target: 'admin', client: '10.0.0.7', changed: undefined, code: 'FORBIDDEN' },
        ]);

        const logged = JSON.stringify([lines, changes]);
        for (const secret of ['secret-password', 'wrong-password', 'guess-password', 'a-new-password', 'admin-password', login.token, key.apiKey, key.apiKey.slice(20)]) {
            expect(logged).to.not.include(secret);
        }
    });

    it('rate-limits failed logins per client address across user names; successful ones do not count', async () => {
        const auth = await open(undefined, { loginAttempts: 100, loginClientAttempts: 4 });
        await auth.createUser(supplier('alice'));
        for (let i = 0; i < 10; i++) {
            expect((await auth.login('alice', 'secret-password', 'nat')).user.username, 'many users behind one address').to.equal('alice');
        }
        for (let i = 0; i < 4; i++) {
            expect((await auth.login(`nobody-${i}`, 'wrong-password', 'sprayer').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        }
        const limited = await auth.login('nobody-4', 'wrong-password', 'sprayer').catch((e) => e);
        expect(limited).to.include({ code: 'RATE_LIMITED' });
        expect(limited.retryAfter).to.be.greaterThan(0);
        expect((await auth.login('alice', 'secret-password', 'sprayer').catch((e) => e)).code, 'also for a good password').to.equal('RATE_LIMITED');
        expect((await auth.login('alice', 'secret-password', 'elsewhere')).user.username).to.equal('alice');
    });

    it('checks at most `concurrency` passwords at once and refuses logins beyond the queue at once with RATE_LIMITED', async () => {
        const auth = await open(undefined, { loginAttempts: 100, loginClientAttempts: 100, passwordHashing: { concurrency: 1, queue: 2 } });
        await auth.createUser(supplier('alice'));
        const peak = { running: 0, waiting: 0 };
        let sampling = true;
        const sample = (): void => {
            const load = auth.hashingLoad();
            peak.running = Math.max(peak.running, load.running);
            peak.waiting = Math.max(peak.waiting, load.waiting);
            if (sampling) {
                setImmediate(sample);
            }
        };
        sample();
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => auth.login(`nobody-${i}`, 'wrong-password', `client-${i}`).catch((e) => e)));
        sampling = false;
        expect(outcomes.map((o) => o.code)).to.deep.equal([...Array(3).fill('UNAUTHENTICATED'), ...Array(7).fill('RATE_LIMITED')]);
        expect(outcomes[9].retryAfter).to.equal(1);
        expect(peak).to.deep.equal({ running: 1, waiting: 2 });
        expect(auth.hashingLoad()).to.deep.equal({ running: 0, waiting: 0 });
        expect((await auth.login('alice', 'secret-password', 'client-9')).user.username, 'a refused check did not count against the client').to.equal('alice');
    });

    it("ends a watch when the user is disabled, the key is deleted, or the password changes; never for another user's change", async () => {
        const auth = await open();
        await auth.createUser({ username: 'admin', password: 'secret-password', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' });
        await auth.createUser(supplier('alice'));
        await auth.createUser(supplier('bob'));
        const admin = await loggedIn(auth, 'admin');
        const alice = await loggedIn(auth, 'alice');
        const bob = await loggedIn(auth, 'bob');
        const key = await auth.createApiKey(alice, 'ci');
        const viaKey = await auth.authenticate(`ApiKey ${key.apiKey}`);
        const ended: string[] = [];
        auth.watch(alice, () => ended.push('alice token'));
        auth.watch(viaKey, () => ended.push('alice key'));
        auth.watch(bob, () => ended.push('bob token'));
        const unwatched = auth.watch(await loggedIn(auth, 'bob'), () => ended.push('stopped watching'));
        unwatched();
        await auth.createApiKey(bob, 'other');
        expect(ended).to.deep.equal([]);
        await auth.deleteApiKey(alice, key.id);
        expect(ended).to.deep.equal(['alice key']);
        await auth.changePassword(bob, 'secret-password', 'bob-new-password', 'ip');
        expect(ended).to.deep.equal(['alice key', 'bob token']);
        await auth.setDisabled(admin, 'alice', true);
        expect(ended).to.deep.equal(['alice key', 'bob token', 'alice token']);
        const late: string[] = [];
        auth.watch(alice, () => late.push('already ended'));
        expect(late, 'a credential that already stopped working ends its watch at once').to.deep.equal(['already ended']);
    });

    it('ends a watch when its token expires', async () => {
        const auth = await openAuthService({ directory, tokenTtlSeconds: 1, passwordScrypt: COST, loginAttempts: 3, loginWindowSeconds: 60, enroll: async () => undefined });
        await auth.createUser(supplier('alice'));
        const alice = await auth.authenticate(`Bearer ${(await auth.login('alice', 'secret-password', 'ip')).token}`);
        const started = Date.now();
        const endedAfter = await new Promise<number>((resolve) => auth.watch(alice, () => resolve(Date.now() - started)));
        expect(endedAfter).to.be.within(0, 1500);
        expect((auth.credentialOf(alice) as { expiresAt: Date }).expiresAt.getTime()).to.be.at.most(Date.now());
    });

    it('stores no user when the work before storing it rejects, and runs it with the enrolled principal', async () => {
        const auth = await open();
        const seen: Principal[] = [];
        const refused = await auth.createUser(supplier('alice'), { beforeStore: async (user) => { seen.push(user); throw new Error('no record'); } }).catch((e) => e);
        expect(refused.message).to.equal('no record');
        expect(seen.map((u) => u.username)).to.deep.equal(['alice']);
        expect(auth.getUser('alice')).to.equal(undefined);
        await auth.createUser(supplier('alice'), { beforeStore: async () => undefined });
        expect(auth.getUser('alice')?.username).to.equal('alice');
    });
    describe('when users.json cannot be written', () => {
        const usersFile = () => path.join(directory, 'users.json');
        /** Puts a directory where users.json is, so its atomic rename fails (for root too); returns a function that puts the file back. */
        const blockUsersFile = (): (() => void) => {
            renameSync(usersFile(), `${usersFile()}.saved`);
            mkdirSync(usersFile());
            return () => {
                rmdirSync(usersFile());
                renameSync(`${usersFile()}.saved`, usersFile());
            };
        };

        it('creates no user, and a later creation writes the file again', async () => {
            const auth = await open();
            await auth.createUser(supplier('alice'));
            const unblock = blockUsersFile();
            const recorded: string[] = [];
            const failed = await auth.createUser(supplier('permtest'), { beforeStore: async (user) => void recorded.push(user.username) }).catch((e) => e);
            expect(failed.code).to.equal('INTERNAL');
            expect(failed.message).to.include('users.json');
            expect(enrolled.map((u) => u.username), 'no identity enrolled for a user that cannot be stored').to.deep.equal(['alice']);
            expect(recorded, 'and no enrolment recorded on the ledger').to.deep.equal([]);
            expect(auth.getUser('permtest'), 'not created in memory either').to.equal(undefined);
            expect((await auth.login('permtest', 'secret-password', 'ip').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
            expect((await auth.createUser(supplier('permtest')).catch((e) => e)).code, 'a repeat tries the disk again, it does not find the name taken').to.equal('INTERNAL');
            unblock();
            await auth.createUser(supplier('permtest'));
            await auth.createUser(supplier('bob'));
            expect((await open()).listUsers().map((u) => u.username), 'after a restart').to.deep.equal(['alice', 'bob', 'permtest']);
        });

        it('keeps the old password, its tokens, API keys and enabled state when the change cannot be saved', async () => {
            const auth = await open();
            await auth.createUser({ username: 'admin', password: 'secret-password', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' });
            await auth.createUser(supplier('alice'));
            const admin = await loggedIn(auth, 'admin');
            const token = (await auth.login('alice', 'secret-password', 'ip')).token;
            const alice = await auth.authenticate(`Bearer ${token}`);
            const key = await auth.createApiKey(alice, 'ci');
            const ended: string[] = [];
            auth.watch(alice, () => ended.push('alice token'));
            const unblock = blockUsersFile();
            expect((await auth.changePassword(alice, 'secret-password', 'a-new-password', 'ip').catch((e) => e)).code).to.equal('INTERNAL');
            expect((await auth.setDisabled(admin, 'alice', true).catch((e) => e)).code).to.equal('INTERNAL');
            expect((await auth.createApiKey(alice, 'another').catch((e) => e)).code).to.equal('INTERNAL');
            expect((await auth.deleteApiKey(alice, key.id).catch((e) => e)).code).to.equal('INTERNAL');
            expect((await auth.logout(alice).catch((e) => e)).code).to.equal('INTERNAL');
            expect((await auth.authenticate(`Bearer ${token}`)).username, 'the token still works').to.equal('alice');
            expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
            expect(auth.listApiKeys(alice).map((k) => k.label)).to.deep.equal(['ci']);
            expect(auth.listUsers().find((u) => u.username === 'alice')?.disabled).to.equal(false);
            expect((await auth.login('alice', 'a-new-password', 'ip').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
            expect(ended, 'no stream ended for a change that was not made').to.deep.equal([]);
            unblock();
            await auth.setDisabled(admin, 'alice', true);
            expect(ended).to.deep.equal(['alice token']);
            const reopened = await open();
            expect(reopened.listUsers().find((u) => u.username === 'alice')?.disabled, 'the later change reached the disk').to.equal(true);
            expect(await reopened.passwordMatches('alice', 'secret-password')).to.equal(true);
        });

        it('still runs concurrent changes one at a time, losing none', async () => {
            const auth = await open();
            await auth.createUser(supplier('alice'));
            const alice = await loggedIn(auth, 'alice');
            const labels = Array.from({ length: 12 }, (_, i) => `key-${i}`);
            const made = await Promise.all(labels.map((label) => auth.createApiKey(alice, label)));
            await Promise.all([auth.deleteApiKey(alice, made[0].id), auth.deleteApiKey(alice, made[5].id), auth.createApiKey(alice, 'late')]);
            const expected = [...labels.filter((l) => l !== 'key-0' && l !== 'key-5'), 'late'].sort();
            expect(auth.listApiKeys(alice).map((k) => k.label).sort()).to.deep.equal(expected);
            const reopened = await open();
            const again = await reopened.authenticate(`ApiKey ${made[1].apiKey}`);
            expect(reopened.listApiKeys(again).map((k) => k.label).sort()).to.deep.equal(expected);
        });

        describe('after the identity is enrolled (the embedded ledger\'s wallet)', function () {
            this.timeout(30_000);
            let backend: LedgerBackend;
            const openWithWallet = () => open((user) => backend.enroll(user));
            /** Puts a directory where users.json is once the identity is enrolled, so the user cannot be stored. */
            let unblock: (() => void) | undefined;
            const blockAfterEnrolment = async (): Promise<void> => void (unblock = blockUsersFile());

            beforeEach(async () => {
                backend = await openEmbeddedBackend({ ledger: path.join(directory, 'ledger'), wallet: path.join(directory, 'wallet'), walletPassphrase: 'test-passphrase', keyScrypt: COST, sync: false });
            });
            afterEach(async () => {
                unblock?.();
                unblock = undefined;
                await backend.close();
            });

            it('finishes the creation when it is made again, also after a restart, with a user who logs in and acts on the ledger', async () => {
                const auth = await openWithWallet();
                await auth.createUser(supplier('bob'));
                const failed = await auth.createUser(supplier('alice'), { beforeStore: blockAfterEnrolment }).catch((e) => e);
                expect(failed.code).to.equal('INTERNAL');
                expect(failed.message).to.include('users.json');
                expect(await backend.hasIdentity(supplier('alice')), 'the identity is enrolled').to.equal(true);
                unblock?.();
                unblock = undefined;
                expect(auth.getUser('alice')).to.equal(undefined);
                expect(auth.listUsers().map((u) => u.username)).to.deep.equal(['bob']);
                expect((await auth.login('alice', 'secret-password', 'ip').catch((e) => e)).code).to.equal('UNAUTHENTICATED');
                const restarted = await openWithWallet();
                expect(restarted.unfinishedUsers()).to.deep.equal([{ username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP', since: now.toISOString() }]);
                await restarted.createUser({ ...supplier('alice'), password: 'another-password' });
                expect(restarted.unfinishedUsers()).to.deep.equal([]);
                const login = await restarted.login('alice', 'another-password', 'ip');
                const alice = await restarted.authenticate(`Bearer ${login.token}`);
                const caller = JSON.parse((await backend.evaluate(alice, 'identity:ReadCallerIdentity', [])).toString('utf8'));
                expect(caller).to.include({ role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
                expect((await openWithWallet()).listUsers().map((u) => u.username)).to.deep.equal(['alice', 'bob']);
            });

            it('refuses the name for another role, enterprise or organisation, naming the identity left behind', async () => {
                const auth = await openWithWallet();
                expect((await auth.createUser(supplier('alice'), { beforeStore: blockAfterEnrolment }).catch((e) => e)).code).to.equal('INTERNAL');
                unblock?.();
                unblock = undefined;
                const restarted = await openWithWallet();
                const others = [
                    supplier('alice', 'E2'),
                    { ...supplier('alice'), role: 'core-enterprise' },
                    { ...supplier('alice'), role: 'financier', enterpriseId: 'B1', mspId: 'BankMSP' },
                ] as const;
                for (const other of others) {
                    const refused = await restarted.createUser(other).catch((e) => e);
                    expect(refused.code, `${other.role} of ${other.enterpriseId}`).to.equal('ALREADY_EXISTS');
                    expect(refused.message).to.include('user alice does not exist').and.include('the identity alice of PlatformMSP enrolled for it as supplier of E1').and.include('create alice as supplier of E1 to finish it');
                }
                expect(await backend.hasIdentity({ username: 'alice', role: 'financier', enterpriseId: 'B1', mspId: 'BankMSP' }), 'nothing enrolled in another organisation').to.equal(false);
                expect(await backend.hasIdentity(supplier('alice')), 'the identity left behind is kept').to.equal(true);
                await restarted.createUser(supplier('alice'));
                expect((await restarted.login('alice', 'secret-password', 'ip')).user).to.deep.equal({ username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
            });

            it('frees the name when the enrolment itself fails, for a creation of another enterprise', async () => {
                let enrolments = 0;
                const auth = await open(async (user) => {
                    if (enrolments++ === 0) {
                        throw new Error('the CA is unreachable');
                    }
                    await backend.enroll(user);
                });
                expect((await auth.createUser(supplier('alice')).catch((e) => e)).message).to.equal('the CA is unreachable');
                expect(auth.unfinishedUsers()).to.deep.equal([]);
                await auth.createUser(supplier('alice', 'E2'));
                expect(auth.getUser('alice')?.enterpriseId).to.equal('E2');
            });
        });
    });

    describe('the token secret', () => {
        const secretFile = () => path.join(directory, 'token-secret');
        for (const [what, content, reason] of [
            ['an empty file', '\n', 'it is empty'],
            ['text that is not base64', 'not a base64 secret!\n', 'it is not base64'],
            ['base64 of fewer than 32 bytes', `${Buffer.alloc(16, 7).toString('base64')}\n`, 'it decodes to 16 bytes'],
        ] as const) {
            it(`refuses to open with ${what} in token-secret, naming the file`, async () => {
                writeFileSync(secretFile(), content);
                const refused = await open().catch((e) => e);
                expect(refused).to.be.instanceOf(ConfigError);
                expect(refused.message).to.include(secretFile());
                expect(refused.message).to.include(reason);
                expect(refused.message).to.include('at least 32 bytes');
                expect(readFileSync(secretFile(), 'utf8'), 'the file is left as it was').to.equal(content);
            });
        }

        it('keeps reading a secret written without base64 padding or as base64url, as earlier versions did', async () => {
            const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
            const tokens: string[] = [];
            for (const spelling of [bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')]) {
                writeFileSync(secretFile(), `${spelling}\n`);
                const auth = await open();
                if (tokens.length === 0) {
                    await auth.createUser(supplier('alice'));
                }
                tokens.push((await auth.login('alice', 'secret-password', 'ip')).token);
                // One secret however it is spelt: each token is good under every spelling.
                for (const token of tokens) {
                    expect((await auth.authenticate(`Bearer ${token}`)).username).to.equal('alice');
                }
            }
        });

        it('deletes the temporary files of token-secret and users.json a stopped gateway left when it opens, keeping a running process\'s', async () => {
            let running: RunningProcess | undefined;
            try {
                running = await startRunningProcess();
                const names = {
                    secret: temporaryFileName('token-secret', STOPPED_PID),
                    earlierSecret: temporaryFileName('token-secret', process.pid, 3),
                    users: temporaryFileName('users.json', STOPPED_PID, 1),
                    runningSecret: temporaryFileName('token-secret', running.pid),
                    undeletable: temporaryFileName('token-secret', STOPPED_PID, 2),
                    other: 'token-secret.bak',
                };
                for (const name of [names.secret, names.earlierSecret, names.users, names.runningSecret, names.other]) {
                    writeFileSync(path.join(directory, name), 'c2Vj');
                }
                mkdirSync(path.join(directory, names.undeletable));
                const errors: unknown[] = [];
                const auth = await open(undefined, { onCleanupError: (error) => errors.push(error) });
                expect(readdirSync(directory).sort()).to.deep.equal(['token-secret', names.runningSecret, names.undeletable, names.other].sort());
                expect(errors.map((e) => (e as Error).message)).to.satisfy((messages: string[]) => messages.length === 1 && messages[0].includes(names.undeletable));
                await auth.createUser(supplier('alice'));
                expect((await auth.login('alice', 'secret-password', 'ip')).user.username).to.equal('alice');
            } finally {
                await running?.stop();
            }
        });

        it('makes a secret of 32 random bytes when there is none, and keeps using one that an operator wrote', async () => {
            const first = await open();
            await first.createUser(supplier('alice'));
            const token = (await first.login('alice', 'secret-password', 'ip')).token;
            expect(Buffer.from(readFileSync(secretFile(), 'utf8'), 'base64')).to.have.length(32);
            expect((await (await open()).authenticate(`Bearer ${token}`)).username).to.equal('alice');
            // As openssl rand -base64 64 writes it: lines of 64 characters.
            writeFileSync(secretFile(), `${Buffer.alloc(64, 3).toString('base64').replace(/.{64}/g, '$&\n')}\n`);
            const own = await open();
            expect((await own.authenticate(`Bearer ${token}`).catch((e) => e)).code, 'a new secret ends the tokens of the old one').to.equal('UNAUTHENTICATED');
            expect((await own.authenticate(`Bearer ${(await own.login('alice', 'secret-password', 'ip')).token}`)).username).to.equal('alice');
        });
    });

    describe('logout', () => {
        it('ends the token it was sent with, and only it, also after a restart and for its watches', async () => {
            const auth = await open();
            await auth.createUser(supplier('alice'));
            // Two logins in the same second (the clock stands still): still two tokens.
            const first = (await auth.login('alice', 'secret-password', 'ip')).token;
            const second = (await auth.login('alice', 'secret-password', 'ip')).token;
            expect(first).to.not.equal(second);
            const alice = await auth.authenticate(`Bearer ${first}`);
            const other = await auth.authenticate(`Bearer ${second}`);
            const key = await auth.createApiKey(other, 'ci');
            const ended: string[] = [];
            auth.watch(alice, () => ended.push('first'));
            auth.watch(other, () => ended.push('second'));
            await auth.logout(alice);
            expect(ended).to.deep.equal(['first']);
            const refused = await auth.authenticate(`Bearer ${first}`).catch((e) => e);
            expect(refused.code).to.equal('UNAUTHENTICATED');
            expect(refused.message).to.include('signed out');
            expect(refused.reason).to.equal('signed-out');
            expect((await auth.authenticate(`Bearer ${second}`)).username).to.equal('alice');
            expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
            const reopened = await open();
            expect((await reopened.authenticate(`Bearer ${first}`).catch((e) => e)).code, 'after a restart').to.equal('UNAUTHENTICATED');
            expect((await reopened.authenticate(`Bearer ${second}`)).username).to.equal('alice');
            expect(readFileSync(path.join(directory, 'users.json'), 'utf8'), 'the token itself is not stored').to.not.include(first.split('.')[1]);
        });

        it('does not end API keys: they are deleted instead', async () => {
            const auth = await open();
            await auth.createUser(supplier('alice'));
            const key = await auth.createApiKey(await loggedIn(auth, 'alice'), 'ci');
            const viaKey = await auth.authenticate(`ApiKey ${key.apiKey}`);
            const refused = await auth.logout(viaKey).catch((e) => e);
            expect(refused.code).to.equal('FORBIDDEN');
            expect(refused.message).to.include('DELETE /auth/api-keys');
            expect((await auth.authenticate(`ApiKey ${key.apiKey}`)).username).to.equal('alice');
        });

        it('forgets an ended token once it would have expired, and keeps the list of each user bounded', async () => {
            const auth = await open();
            await auth.createUser(supplier('alice'));
            await auth.createUser(supplier('bob'));
            const stored = () => JSON.parse(readFileSync(path.join(directory, 'users.json'), 'utf8')) as Array<{ username: string; endedTokens?: unknown[] }>;
            const endedOf = (username: string) => stored().find((u) => u.username === username)?.endedTokens ?? [];
            await auth.logout(await loggedIn(auth, 'alice'));
            expect(endedOf('alice')).to.have.length(1);
            now = new Date(now.getTime() + 601_000);
            await auth.logout(await loggedIn(auth, 'alice'));
            expect(endedOf('alice'), 'the first one expired meanwhile').to.have.length(1);

            const bobToken = (await auth.login('bob', 'secret-password', 'ip')).token;
            const tokens: string[] = [];
            for (let i = 0; i < 100; i++) {
                const token = (await auth.login('alice', 'secret-password', 'ip')).token;
                tokens.push(token);
                if (i < 99) {
                    await auth.logout(await auth.authenticate(`Bearer ${token}`));
                }
            }
            expect(endedOf('alice')).to.have.length(100);
            const kept = await auth.authenticate(`Bearer ${tokens[99]}`);
            const spare = (await auth.login('alice', 'secret-password', 'ip')).token;
            // One more than the bound: every token of the user ends, as a password change ends them.
            await auth.logout(kept);
            expect(endedOf('alice')).to.have.length(0);
            const refused = await auth.authenticate(`Bearer ${spare}`).catch((e) => e);
            expect(refused.code).to.equal('UNAUTHENTICATED');
            // Told why: a sign-out ended it, not a password change that never happened.
            expect(refused.message).to.equal('the token was signed out: a sign-out of user alice found 100 signed-out tokens kept, and ended every token of the user instead; log in again');
            expect(refused.reason).to.equal('signed-out');
            expect((await auth.authenticate(`Bearer ${tokens[99]}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
            expect((await auth.authenticate(`Bearer ${(await auth.login('alice', 'secret-password', 'ip')).token}`)).username, 'a new login works').to.equal('alice');
            expect((await auth.authenticate(`Bearer ${bobToken}`)).username, "another user's tokens are untouched").to.equal('bob');
        });
    });
});
