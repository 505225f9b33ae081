import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import type { LedgerUser } from '../ledger/ledger-backend';
import { openAuthService } from './auth-service';
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

    const open = (enroll: (user: LedgerUser) => Promise<void> = async (u) => void enrolled.push(u)) =>
        openAuthService({ directory, tokenTtlSeconds: 600, passwordScrypt: COST, loginAttempts: 3, loginWindowSeconds: 60, enroll, clock: () => now });
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
        const alice = await auth.createUser({ username: 'alice', password: 'secret-password', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
        await auth.createUser({ username: 'bob', password: 'secret-password', role: 'supplier', enterpriseId: 'E2', mspId: 'PlatformMSP' });
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
        const alice = await auth.createUser({ username: 'alice', password: 'secret-password', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' });
        const bob = await auth.createUser({ username: 'bob', password: 'secret-password', role: 'supplier', enterpriseId: 'E2', mspId: 'PlatformMSP' });
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
});
