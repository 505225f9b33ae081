import '../../test/support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { unreachableFabric, writeFabricWalletEntry } from '../../test/support/fabric-wallet';
import { STOPPED_PID, startRunningProcess, temporaryFileName } from '../../test/support/temporary-files';
import { AuthService, openAuthService } from '../auth/auth-service';
import { connectFabricBackend } from '../ledger/fabric-backend';
import type { LedgerBackend, LedgerUser } from '../ledger/ledger-backend';
import { bootstrapPlatform, seedDemo, whileLedgerUnavailable } from './bootstrap';
import { IdentityNotTrustedError } from '../ledger/ledger-errors';
import { AppError } from '../errors';
import { ConfigError } from '../config';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
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
            auth: { getUser: () => admin, listUsers: () => [], unfinishedUsers: () => [] },
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
            auth: { getUser: () => undefined, listUsers: () => [], unfinishedUsers: () => [], createUser: async () => undefined },
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
                unfinishedUsers: () => [],
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
                unfinishedUsers: () => [],
                createUser: async () => undefined,
            },
            verifier,
            ledger: { evaluate: async () => ({}), submit: async () => ({}) },
            users: { recordEnrolment: async () => undefined, createUser: async () => undefined },
        };
        const enrolments: Array<{ user: unknown; options: unknown }> = [];
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = {
            hasIdentity: async () => held,
            identityAttributes: async (user: typeof admin) => ({ [ATTR_ROLE]: user.role, [ATTR_EID]: user.enterpriseId }),
            enroll: async (user: unknown, options: unknown) => void enrolments.push({ user, options }),
        };
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

/**
 * The start-up check of the users' identities, on the Fabric backend with real enrolment certificates in its
 * wallet (issued as the Fabric CA issues them; no peer or CA runs) and the real user store.
 */
describe("bootstrapPlatform: the users' identities in a Fabric wallet", function () {
    this.timeout(30_000);
    const PASSPHRASE = 'test-passphrase';
    let directory: string;
    let fabric: LedgerBackend;
    const wallet = (): string => path.join(directory, 'wallet');
    const attrsOf = (user: LedgerUser): Record<string, string> => ({ [ATTR_ROLE]: user.role, [ATTR_EID]: user.enterpriseId });
    const verifier: LedgerUser = { username: 'gateway-verifier', role: 'platform-admin', enterpriseId: DEMO_IDS.platform, mspId: 'PlatformMSP' };
    /** What each user's certificate carries, when it is not the user's own role and enterprise. */
    const certified: Record<string, Record<string, string>> = {};
    /** Puts an identity in the wallet as the CA would enrol it: its entry names `user`, its certificate carries what `certified` says. */
    const enrolInWallet = async (user: LedgerUser): Promise<void> =>
        void (await writeFabricWalletEntry(wallet(), path.join(directory, 'ca'), PASSPHRASE, { mspId: user.mspId, username: user.username, attrs: attrsOf(user), certified: certified[user.username] }));

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'bootstrap-fabric-'));
        fabric = await connectFabricBackend({
            fabric: unreachableFabric(directory),
            walletDirectory: wallet(),
            walletPassphrase: PASSPHRASE,
            keyScrypt: { N: 1024, r: 8, p: 1 },
        });
        for (const name of Object.keys(certified)) {
            delete certified[name];
        }
    });
    afterEach(async () => {
        await fabric.close();
        rmSync(directory, { recursive: true, force: true });
    });

    /** Bootstraps with the real auth service over `auth/`, the Fabric backend (its enrolments recorded, not sent to the CA) and a ledger that answers. */
    async function start(auth: AuthService): Promise<{ warnings: string[]; enrolled: unknown[] }> {
        const enrolled: unknown[] = [];
        const backend = new Proxy(fabric, {
            get: (target, property) =>
                property === 'enroll' ? async (user: LedgerUser, options: unknown) => void enrolled.push({ user: user.username, options }) : (Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target),
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = { auth, verifier, ledger: { evaluate: async () => ({}), submit: async () => ({}) }, users: { recordEnrolment: async () => undefined } };
        const warnings: string[] = [];
        await bootstrapPlatform(services, backend, { dataDir: directory, adminPassword: 'operator-chosen-1', seedDemo: false, demoPassword: 'xinlian-demo', log: () => undefined, warn: (m) => void warnings.push(m) });
        return { warnings, enrolled };
    }
    const openAuth = (): Promise<AuthService> =>
        openAuthService({ directory: path.join(directory, 'auth'), tokenTtlSeconds: 600, passwordScrypt: { N: 1024, r: 8, p: 1 }, loginAttempts: 3, loginWindowSeconds: 60, enroll: enrolInWallet });

    it("names each enabled user whose identity's certificate does not carry its role and enterprise, what it expects and what it found", async () => {
        const auth = await openAuth();
        await enrolInWallet(verifier);
        const user = (username: string, enterpriseId = DEMO_IDS.suzhou) => ({ username, password: 'secret-password', role: 'supplier', enterpriseId, mspId: 'PlatformMSP' }) as const;
        await auth.createUser(user('alice'));
        certified.bob = { [ATTR_ROLE]: 'financier', [ATTR_EID]: DEMO_IDS.jiangnan };
        await auth.createUser(user('bob'));
        certified.dave = { [ATTR_ROLE]: 'regulator', [ATTR_EID]: DEMO_IDS.regulator };
        await auth.createUser(user('dave'));
        await auth.createUser(user('carol'));
        rmSync(path.join(wallet(), 'PlatformMSP', 'carol.json'));
        await auth.createUser({ username: 'admin', password: 'operator-chosen-1', role: 'platform-admin', enterpriseId: DEMO_IDS.platform, mspId: 'PlatformMSP' });
        const admin = await auth.authenticate(`Bearer ${(await auth.login('admin', 'operator-chosen-1', 'ip')).token}`);
        await auth.setDisabled(admin, 'dave', true);

        const { warnings, enrolled } = await start(auth);
        expect(enrolled, 'the read identity fits: it is not enrolled again').to.deep.equal([]);
        expect(warnings).to.have.length(2);
        expect(warnings[0]).to.equal(
            `user bob is supplier of ${DEMO_IDS.suzhou} (PlatformMSP), so its identity must carry ${ATTR_ROLE}=supplier, ${ATTR_EID}=${DEMO_IDS.suzhou}, but the certificate of its identity in the wallet carries ${ATTR_ROLE}=financier, ${ATTR_EID}=${DEMO_IDS.jiangnan}: its requests are refused. The wallet and users.json are not of one data directory: restore GATEWAY_DATA_DIR whole from one backup, or disable the user (POST /api/v1/users/bob/disable) and create it again under another name`,
        );
        expect(warnings[1]).to.match(/^user carol is supplier of \S+ \(PlatformMSP\), so its identity must carry xl\.role=supplier, xl\.eid=\S+, but the wallet holds no identity carol of PlatformMSP: its requests are refused/);
    });

    it('enrols the read identity again when its certificate does not carry its role and enterprise, and names unfinished creations', async () => {
        certified[verifier.username] = { [ATTR_ROLE]: 'supplier', [ATTR_EID]: DEMO_IDS.suzhou };
        await enrolInWallet(verifier);
        const auth = await openAuth();
        const cut = await auth.createUser({ username: 'erin', password: 'secret-password', role: 'supplier', enterpriseId: DEMO_IDS.suzhou, mspId: 'PlatformMSP' }, { beforeStore: async () => Promise.reject(new Error('the ledger did not record it')) }).catch((e) => e);
        expect(cut.message).to.equal('the ledger did not record it');
        const { warnings, enrolled } = await start(auth);
        expect(enrolled).to.deep.equal([{ user: verifier.username, options: { replace: true } }]);
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.match(new RegExp(`^the creation of user erin as supplier of ${DEMO_IDS.suzhou} \\(PlatformMSP\\), begun at \\S+, did not finish: its identity may be enrolled, but no such user exists; create it again with that role and enterprise`));
    });
});

describe('seedDemo: temporary files of its marker', () => {
    it('deletes those a stopped gateway left beside demo-seeded.json before it looks at the marker, and names one it cannot delete', async () => {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'bootstrap-marker-'));
        const running = await startRunningProcess();
        try {
            writeFileSync(path.join(dataDir, 'demo-seeded.json'), '{"seededAt":"2026-06-01T00:00:00.000Z"}');
            const names = {
                stopped: temporaryFileName('demo-seeded.json', STOPPED_PID),
                running: temporaryFileName('demo-seeded.json', running.pid, 1),
                other: temporaryFileName('users.json', STOPPED_PID, 2),
                undeletable: temporaryFileName('demo-seeded.json', STOPPED_PID, 3),
            };
            for (const name of [names.stopped, names.running, names.other]) {
                writeFileSync(path.join(dataDir, name), '{"seededAt":');
            }
            mkdirSync(path.join(dataDir, names.undeletable));
            const warnings: string[] = [];
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            await seedDemo({} as any, { dataDir, seedDemo: true, demoPassword: 'xinlian-demo', log: () => undefined, warn: (m) => void warnings.push(m) });
            expect(readdirSync(dataDir).sort()).to.deep.equal(['demo-seeded.json', names.running, names.other, names.undeletable].sort());
            expect(warnings).to.have.length(1);
            expect(warnings[0]).to.include(names.undeletable);
        } finally {
            await running.stop();
            rmSync(dataDir, { recursive: true, force: true });
        }
    });
});
