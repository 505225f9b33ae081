import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import type { LedgerUser } from '../ledger/ledger-backend';
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
        expect((await auth.authenticate(`Bearer ${first}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
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
        expect((await auth.authenticate(`Bearer ${token}`).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        expect((await auth.login('alice', 'secret-password', 'ip')).user.username).to.equal('alice');
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
});
