import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { bootstrapPlatform, whileLedgerUnavailable } from './bootstrap';
import { IdentityNotTrustedError } from '../ledger/ledger-errors';
import { AppError } from '../errors';
import { ConfigError } from '../config';
import { DEMO_IDS } from './demo-seed';

describe('whileLedgerUnavailable', () => {
    it('retries while the ledger is unavailable and returns the first success', async () => {
        let calls = 0;
        const retries: number[] = [];
        const result = await whileLedgerUnavailable(
            async () => {
                calls++;
                if (calls < 3) {
                    throw new AppError('LEDGER_UNAVAILABLE', 'not yet');
                }
                return 'ready';
            },
            (_error, attempt) => retries.push(attempt),
            5,
            0,
        );
        expect(result).to.equal('ready');
        expect(retries).to.deep.equal([1, 2]);
    });

    it('gives up after the last attempt and never retries other errors', async () => {
        let calls = 0;
        const unavailable = await whileLedgerUnavailable(async () => {
            calls++;
            throw new AppError('LEDGER_UNAVAILABLE', 'down');
        }, () => undefined, 3, 0).catch((e) => e);
        expect(unavailable.code).to.equal('LEDGER_UNAVAILABLE');
        expect(calls).to.equal(3);
        calls = 0;
        const refused = await whileLedgerUnavailable(async () => {
            calls++;
            throw new AppError('FORBIDDEN', 'no');
        }, () => undefined, 3, 0).catch((e) => e);
        expect(refused.code).to.equal('FORBIDDEN');
        expect(calls).to.equal(1);
    });
});

describe('bootstrapPlatform on a ledger that refuses the data folder\'s identities', () => {
    it('fails at once with what to do, instead of waiting for the ledger', async () => {
        const refused = new IdentityNotTrustedError('the ledger refused the identity that signed the request (access denied)', undefined, new Error('access denied: channel [xinlian] creator org unknown'));
        let evaluations = 0;
        const admin = { username: 'admin', role: 'platform-admin', enterpriseId: 'E', mspId: 'PlatformMSP' };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = {
            auth: { getUser: () => admin, listUsers: () => [] },
            verifier: { username: 'verifier' },
            ledger: {
                evaluate: async () => {
                    evaluations++;
                    throw refused;
                },
            },
        };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = { hasIdentity: async () => true };
        const options = { dataDir: '/data/gw', adminPassword: 'p', seedDemo: true, demoPassword: 'p', log: () => undefined };
        const error = await whileLedgerUnavailable(() => bootstrapPlatform(services, backend, options), () => undefined, 5, 0).catch((e) => e);
        expect(error).to.be.instanceOf(AppError);
        expect(error.message).to.equal('the identities in GATEWAY_DATA_DIR (/data/gw) are not trusted by this network (was it cleaned?); start with an empty GATEWAY_DATA_DIR');
        expect(error.cause).to.equal(refused);
        expect(evaluations).to.equal(1);
        // A member org's gateway (e.g. the partner's) checks its read identity the same way.
        evaluations = 0;
        const member = await bootstrapPlatform(services, backend, { ...options, mspId: 'PartnerMSP' }).catch((e) => e);
        expect(member.message).to.match(/^the identities in GATEWAY_DATA_DIR \(\/data\/gw\) are not trusted by this network/);
        expect(evaluations).to.equal(1);
    });

    it("lets a member org's gateway start when the contract refuses its read identity's query", async () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = {
            auth: { getUser: () => undefined, listUsers: () => [], createUser: async () => undefined },
            verifier: { username: 'gateway-verifier', enterpriseId: 'P', mspId: 'PartnerMSP' },
            ledger: { evaluate: async () => Promise.reject(new AppError('FORBIDDEN', 'no')) },
        };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = { hasIdentity: async () => true };
        await bootstrapPlatform(services, backend, { dataDir: '/d', mspId: 'PartnerMSP', adminPassword: 'p', seedDemo: false, demoPassword: 'p', log: () => undefined });
    });
});

describe('bootstrapPlatform: the platform admin', () => {
    /** Fake services with an auth that records created users (the admin exists when `existing` has it). */
    function platform(existing: Record<string, string> = {}) {
        const passwords: Record<string, string> = { ...existing };
        const admin = { username: 'admin', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = {
            auth: {
                getUser: (name: string) => (passwords[name] !== undefined ? { ...admin, username: name } : undefined),
                createUser: async (user: { username: string; password: string }) => void (passwords[user.username] = user.password),
                passwordMatches: async (name: string, password: string) => passwords[name] === password,
                listUsers: () => [],
            },
            verifier: { username: 'gateway-verifier' },
            ledger: { evaluate: async () => ({}), submit: async () => ({}) },
            users: { recordEnrolment: async () => undefined },
        };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = { hasIdentity: async () => true };
        const said: { info: string[]; warn: string[] } = { info: [], warn: [] };
        const options = { dataDir: '/d', seedDemo: false, demoPassword: 'xinlian-demo', log: (m: string) => void said.info.push(m), warn: (m: string) => void said.warn.push(m) };
        return { services, backend, passwords, said, options };
    }

    it('refuses a first start without the demo seed and without GATEWAY_ADMIN_PASSWORD, naming the setting', async () => {
        const { services, backend, passwords, options } = platform();
        const error = await bootstrapPlatform(services, backend, options).catch((e) => e);
        expect(error).to.be.instanceOf(ConfigError);
        expect(error.message).to.match(/^GATEWAY_ADMIN_PASSWORD is required/);
        expect(passwords).to.deep.equal({});
    });

    it('creates the admin with GATEWAY_ADMIN_PASSWORD, with or without the demo seed', async () => {
        const { services, backend, passwords, said, options } = platform();
        await bootstrapPlatform(services, backend, { ...options, adminPassword: 'operator-chosen-1' });
        expect(passwords).to.deep.equal({ admin: 'operator-chosen-1' });
        expect(said.warn).to.deep.equal([]);
    });

    it('gives the admin the demo password only with the demo seed, and warns', async () => {
        const { services, backend, passwords, said, options } = platform();
        // A data folder whose demo seed ran already: bootstrap stops at the seed's marker.
        const dataDir = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
        writeFileSync(path.join(dataDir, 'demo-seeded.json'), '{}');
        try {
            await bootstrapPlatform(services, backend, { ...options, seedDemo: true, dataDir });
        } finally {
            rmSync(dataDir, { recursive: true, force: true });
        }
        expect(passwords.admin).to.equal('xinlian-demo');
        expect(said.warn).to.have.length(1);
        expect(said.warn[0]).to.include('public demo password');
    });

    it('warns on a start without the seed when the admin still has the demo password, and keeps an existing admin', async () => {
        const stale = platform({ admin: 'xinlian-demo' });
        await bootstrapPlatform(stale.services, stale.backend, stale.options);
        expect(stale.said.warn).to.have.length(1);
        expect(stale.said.warn[0]).to.include('POST /api/v1/auth/password');
        const changed = platform({ admin: 'changed-since-1' });
        await bootstrapPlatform(changed.services, changed.backend, { ...changed.options, adminPassword: 'ignored-password' });
        expect(changed.passwords).to.deep.equal({ admin: 'changed-since-1' });
        expect(changed.said.warn).to.deep.equal([]);
    });
});

describe("bootstrapPlatform: the gateway's read identity and the demo users' names", () => {
    const admin = { username: 'admin', role: 'platform-admin', enterpriseId: DEMO_IDS.platform, mspId: 'PlatformMSP' };
    const verifier = { username: 'gateway-verifier', role: 'platform-admin', enterpriseId: DEMO_IDS.platform, mspId: 'PlatformMSP' };
    /** Fake services holding `users` (and the admin), and a backend whose wallet fits the read identity when `held`. */
    function gateway(users: Array<typeof admin & { disabled?: boolean }>, held: boolean) {
        const all = [admin, ...users];
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = {
            auth: {
                getUser: (name: string) => all.find((u) => u.username === name),
                listUsers: () => all.map((u) => ({ disabled: false, ...u })),
                createUser: async () => undefined,
            },
            verifier,
            ledger: { evaluate: async () => ({}), submit: async () => ({}) },
            users: { recordEnrolment: async () => undefined, createUser: async () => undefined },
        };
        const enrolments: Array<{ user: unknown; options: unknown }> = [];
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = { hasIdentity: async () => held, enroll: async (user: unknown, options: unknown) => void enrolments.push({ user, options }) };
        const warnings: string[] = [];
        const options = { dataDir: '/d', adminPassword: 'operator-chosen-1', seedDemo: false, demoPassword: 'xinlian-demo', log: () => undefined, warn: (m: string) => void warnings.push(m) };
        return { services, backend, enrolments, warnings, options };
    }

    it("enrolls the read identity in place of whatever the wallet holds under its name, and names a user that was given that name", async () => {
        const damaged = gateway([{ username: 'gateway-verifier', role: 'supplier', enterpriseId: 'S', mspId: 'PlatformMSP' }], false);
        await bootstrapPlatform(damaged.services, damaged.backend, damaged.options);
        expect(damaged.enrolments).to.deep.equal([{ user: verifier, options: { replace: true } }]);
        expect(damaged.warnings).to.have.length(1);
        expect(damaged.warnings[0]).to.match(/^user gateway-verifier has a reserved name .*disable it \(POST \/api\/v1\/users\/gateway-verifier\/disable\)/);
        // Once that user is disabled, nothing more is said; a wallet that holds the read identity is left alone.
        const healed = gateway([{ username: 'gateway-verifier', role: 'supplier', enterpriseId: 'S', mspId: 'PlatformMSP', disabled: true }], true);
        await bootstrapPlatform(healed.services, healed.backend, healed.options);
        expect(healed.enrolments).to.deep.equal([]);
        expect(healed.warnings).to.deep.equal([]);
    });

    it('refuses to seed the demo when a user of a demo name exists for another enterprise, naming it', async () => {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
        try {
            const taken = gateway([{ username: 'suzhou', role: 'supplier', enterpriseId: 'NOT-THE-DEMO-ONE', mspId: 'PlatformMSP' }], true);
            const error = await bootstrapPlatform(taken.services, taken.backend, { ...taken.options, seedDemo: true, dataDir }).catch((e) => e);
            expect(error).to.be.instanceOf(ConfigError);
            expect(error.message).to.match(/^user suzhou exists as a supplier of NOT-THE-DEMO-ONE \(PlatformMSP\), but the demo seed \(GATEWAY_SEED_DEMO\) needs suzhou to be the demo's supplier of /);
            // A member organisation's gateway checks its own demo users the same way.
            const member = gateway([{ username: 'singapore', role: 'foreign-partner', enterpriseId: 'ELSEWHERE', mspId: 'PartnerMSP' }], true);
            const memberError = await bootstrapPlatform(member.services, member.backend, { ...member.options, mspId: 'PartnerMSP', seedDemo: true, dataDir }).catch((e) => e);
            expect(memberError).to.be.instanceOf(ConfigError);
            expect(memberError.message).to.match(/^user singapore exists as a foreign-partner of ELSEWHERE/);
        } finally {
            rmSync(dataDir, { recursive: true, force: true });
        }
    });
});
