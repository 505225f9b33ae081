import './support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, renameSync, rmSync, rmdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { usccCheckCharacter } from '@xinlian/chaincode';
import { Gateway, openGateway } from '../src/app';
import { AppError } from '../src/errors';
import type { LedgerBackend } from '../src/ledger/ledger-backend';
import { openLedgerBackend } from '../src/ledger/open-ledger-backend';
import { newLogger } from '../src/operations/logger';
import { DEMO_IDS, DEMO_USERS } from '../src/services/demo-seed';
import { newUserService } from '../src/services/user-service';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway, testConfig } from './support/test-gateway';

/**
 * Every identity the platform enrols is recorded on the ledger by the platform admin (QA: the admin
 * could make users for any enterprise, the regulator included, leaving no trace). Over real HTTP on
 * the embedded backend: the record of a new user, who may read it, the audit trail that names the
 * signer of a change, a ledger that refuses or is down leaving no user, and the enterprise rules
 * QA reproduced over REST (one regulator, MSPs of the channel, the freeze reason).
 */

interface Enrolment {
    username: string;
    role: string;
    enterpriseId: string;
    mspId: string;
    certificateFingerprint: string;
    recordedAt: string;
    recordedBy: string;
    recordedByFingerprint: string;
}

function freshUscc(prefix: string): string {
    const first17 = `${prefix}${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
    return first17 + usccCheckCharacter(first17);
}

describe('user enrolments on the ledger (embedded backend)', function () {
    this.timeout(120_000);
    let gateway: TestGateway;
    const tokens: Record<string, string> = {};
    const api = (method: string, url: string, user: string, body?: unknown) => call(gateway.baseUrl, method, url, { token: tokens[user], body });
    const enrolmentsOf = async (enterpriseId: string, user: string): Promise<Enrolment[]> => {
        const listed = await api('GET', `/enterprises/${enterpriseId}/users`, user);
        expect(listed.status, listed.text).to.equal(200);
        return listed.body.items as Enrolment[];
    };

    before(async () => {
        gateway = await startTestGateway();
        for (const user of DEMO_USERS) {
            tokens[user.username] = await loginToken(gateway.baseUrl, user.username);
        }
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('records a new user on the ledger: listed for the regulator, the platform admin and the enterprise, 403 for others', async () => {
        const created = await api('POST', '/users', 'admin', { username: 'clerk', password: 'clerk-password-1', role: 'supplier', enterpriseId: DEMO_IDS.suzhou });
        expect(created.status, created.text).to.equal(201);
        for (const reader of ['regulator', 'admin', 'suzhou']) {
            const clerk = (await enrolmentsOf(DEMO_IDS.suzhou, reader)).filter((e) => e.username === 'clerk');
            expect(clerk, reader).to.have.length(1);
            expect(clerk[0]).to.include({ role: 'supplier', enterpriseId: DEMO_IDS.suzhou, mspId: 'PlatformMSP', recordedBy: DEMO_IDS.platform });
            expect(clerk[0].certificateFingerprint).to.match(/^[0-9a-f]{64}$/);
        }
        for (const other of ['hangzhou', 'huadong', 'jiangnan', 'bureau', 'singapore']) {
            const refused = await api('GET', `/enterprises/${DEMO_IDS.suzhou}/users`, other);
            expect(refused.status, `${other}: ${refused.text}`).to.equal(403);
            expect(refused.body.code).to.equal('FORBIDDEN');
        }
    });

    it("records the demo seed's users and the platform's own identities like any other", async () => {
        for (const user of DEMO_USERS) {
            const names = (await enrolmentsOf(user.enterpriseId, 'regulator')).map((e) => e.username);
            expect(names, user.username).to.include(user.username);
        }
        expect((await enrolmentsOf(DEMO_IDS.platform, 'regulator')).map((e) => e.username)).to.include('gateway-verifier');
    });

    it('names, in the audit pack, the certificate that signed a change, which leads to the user enrolled with it', async () => {
        const created = await api('POST', '/users', 'admin', { username: 'inspector', password: 'inspector-password-1', role: 'regulator', enterpriseId: DEMO_IDS.regulator });
        expect(created.status, created.text).to.equal(201);
        tokens.inspector = await loginToken(gateway.baseUrl, 'inspector', 'inspector-password-1');
        const frozen = await api('POST', `/enterprises/${DEMO_IDS.hangzhou}/freeze`, 'inspector', { reason: 'late filings' });
        expect(frozen.status, frozen.text).to.equal(200);
        await api('POST', `/enterprises/${DEMO_IDS.hangzhou}/unfreeze`, 'inspector', { reason: 'filed' });

        const pack = await api('GET', `/audit/${DEMO_IDS.hangzhou}`, 'regulator');
        expect(pack.status, pack.text).to.equal(200);
        const record = (pack.body.records as Array<{ type: string; history: Array<{ txId: string; creator?: { certificateFingerprint: string; enterpriseId: string } }> }>).find((r) => r.type === 'enterprise');
        const freeze = record?.history.find((entry) => entry.txId === frozen.headers.get('x-transaction-id'));
        expect(freeze?.creator?.enterpriseId).to.equal(DEMO_IDS.regulator);
        const signers = (await enrolmentsOf(DEMO_IDS.regulator, 'regulator')).filter((e) => e.certificateFingerprint === freeze?.creator?.certificateFingerprint);
        expect(signers.map((e) => e.username)).to.deep.equal(['inspector']);
        expect(pack.body.generatedBy.certificateFingerprint).to.equal((await enrolmentsOf(DEMO_IDS.regulator, 'regulator')).find((e) => e.username === 'regulator')?.certificateFingerprint);
    });

    it("names the signer of every change in a business enterprise's audit pack, down to the user of a credit line's grant", async () => {
        const created = await api('POST', '/users', 'admin', { username: 'loans', password: 'loans-password-1', role: 'financier', enterpriseId: DEMO_IDS.jiangnan });
        expect(created.status, created.text).to.equal(201);
        tokens.loans = await loginToken(gateway.baseUrl, 'loans', 'loans-password-1');
        const granted = await api('POST', '/credit-lines', 'loans', { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '500000000', expiresAt: '2099-01-01' });
        expect(granted.status, granted.text).to.equal(201);

        const pack = await api('GET', `/audit/${DEMO_IDS.huadong}`, 'regulator');
        expect(pack.status, pack.text).to.equal(200);
        type Entry = { txId: string; creator?: { certificateFingerprint: string; enterpriseId: string; role: string } };
        const records = pack.body.records as Array<{ type: string; id: string; history: Entry[] }>;
        // The demo seed's notes, receivables and lines as much as the enterprise record: every change says who signed it.
        const entries = records.flatMap((record) => record.history.map((entry) => ({ record: `${record.type}/${record.id}`, ...entry })));
        expect(entries.length).to.be.greaterThan(5);
        expect(entries.filter((entry) => entry.creator === undefined).map((entry) => entry.record)).to.deep.equal([]);
        const grant = entries.find((entry) => entry.txId === granted.headers.get('x-transaction-id') && entry.record === `creditLine/${granted.body.id}`);
        expect(grant?.creator).to.include({ enterpriseId: DEMO_IDS.jiangnan, role: 'financier' });
        const signers = (await enrolmentsOf(DEMO_IDS.jiangnan, 'regulator')).filter((e) => e.certificateFingerprint === grant?.creator?.certificateFingerprint);
        expect(signers.map((e) => e.username)).to.deep.equal(['loans']);
    });

    it('logs one line per user created, naming the user and its certificate, never the password', async () => {
        const lines: Array<Record<string, unknown>> = [];
        const log = { info: (fields: Record<string, unknown>, message: string) => void lines.push({ ...fields, message }), warn: (fields: Record<string, unknown>, message: string) => void lines.push({ ...fields, message, warn: true }) };
        const users = newUserService(gateway.gateway.services.auth, gateway.gateway.services.ledger, { log });
        const admin = gateway.gateway.services.auth.getUser('admin');
        await users.createUser(admin!, { username: 'logged', password: 'logged-password-1', role: 'core-enterprise', enterpriseId: DEMO_IDS.huadong }, '192.0.2.7');
        expect(lines).to.have.length(1);
        const recorded = (await enrolmentsOf(DEMO_IDS.huadong, 'regulator')).find((e) => e.username === 'logged');
        expect(lines[0]).to.include({ audit: 'account', action: 'create-user', outcome: 'succeeded', actor: 'admin', target: 'logged', client: '192.0.2.7' });
        expect(lines[0]).to.include({ username: 'logged', role: 'core-enterprise', enterpriseId: DEMO_IDS.huadong, createdBy: 'admin', certificateFingerprint: recorded?.certificateFingerprint });
        // A refusal is logged too, as a warning naming what was refused.
        const refused = await users.createUser(admin!, { username: 'logged', password: 'logged-password-2', role: 'core-enterprise', enterpriseId: DEMO_IDS.huadong }, '192.0.2.7').catch((e) => e);
        expect(refused.code).to.equal('ALREADY_EXISTS');
        expect(lines[1]).to.include({ warn: true, action: 'create-user', outcome: 'refused', code: 'ALREADY_EXISTS', actor: 'admin', target: 'logged' });
        expect(JSON.stringify(lines)).to.not.include('logged-password-1').and.not.include('logged-password-2');
    });

    describe('enterprise rules over REST', () => {
        it('refuses an MSP that is not an organisation of the channel for the kind, and a second regulator', async () => {
            const evil = await api('POST', '/enterprises', 'admin', { id: freshUscc('91310000MA'), name: 'Evil Co', kind: 'SUPPLIER', mspId: 'EvilMSP' });
            expect(evil.status, evil.text).to.equal(400);
            expect(evil.body.code).to.equal('INVALID_ARGUMENT');
            const shadow = await api('POST', '/enterprises', 'admin', { id: freshUscc('11100000MB'), name: 'Shadow Regulator', kind: 'REGULATOR' });
            expect(shadow.status, shadow.text).to.equal(409);
            expect(shadow.body.code).to.equal('ALREADY_EXISTS');
            const regulators = await api('GET', '/enterprises?kind=REGULATOR', 'admin');
            expect(regulators.body.items.map((e: { id: string }) => e.id)).to.deep.equal([DEMO_IDS.regulator]);
        });

        it("shows a freeze's reason to the regulator, the platform admin and the enterprise, and only the status to others", async () => {
            expect((await api('POST', `/enterprises/${DEMO_IDS.pudong}/freeze`, 'regulator', { reason: 'sanctions screening' })).status).to.equal(200);
            for (const user of ['regulator', 'admin', 'pudong']) {
                expect((await api('GET', `/enterprises/${DEMO_IDS.pudong}`, user)).body).to.include({ status: 'FROZEN', statusReason: 'sanctions screening' });
            }
            for (const user of ['singapore', 'jiangnan', 'suzhou']) {
                const read = await api('GET', `/enterprises/${DEMO_IDS.pudong}`, user);
                expect(read.body.status).to.equal('FROZEN');
                expect(read.body, user).to.not.have.property('statusReason');
            }
            await api('POST', `/enterprises/${DEMO_IDS.pudong}/unfreeze`, 'regulator', { reason: 'cleared' });
        });
    });
});

/** `backend`, except that it answers the submits of user enrolment records with `state.failure` while it is set. */
function failingEnrolmentRecords(backend: LedgerBackend, state: { failure?: AppError }): LedgerBackend {
    return new Proxy(backend, {
        get(target, property, receiver) {
            if (property === 'submit') {
                return (user: Parameters<LedgerBackend['submit']>[0], fn: string, ...rest: unknown[]) => {
                    if (fn === 'identity:RecordUserEnrolment' && state.failure) {
                        return Promise.reject(state.failure);
                    }
                    return (target.submit as (...args: unknown[]) => unknown).call(target, user, fn, ...rest);
                };
            }
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
        },
    });
}

describe('user creation when the ledger does not record the enrolment (embedded backend)', function () {
    this.timeout(120_000);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-gateway-'));
    const state: { failure?: AppError } = {};
    let gateway: Gateway;
    let baseUrl: string;

    before(async () => {
        const config = testConfig(dataDir);
        gateway = await openGateway(config, { logger: newLogger(config.logLevel), backend: failingEnrolmentRecords(await openLedgerBackend(config), state) });
        baseUrl = `http://127.0.0.1:${await gateway.listen()}/api/v1`;
    });

    after(async () => {
        await gateway?.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    for (const [what, failure, status] of [
        ['refuses the record', new AppError('FORBIDDEN', 'the ledger refuses the record'), 403],
        ['is unavailable', new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable'), 503],
    ] as const) {
        it(`creates no user when the ledger ${what}, and creates it once the ledger records it`, async () => {
            const admin = await loginToken(baseUrl, 'admin');
            const username = status === 403 ? 'refused' : 'outage';
            const body = { username, password: `${username}-password-1`, role: 'platform-admin', enterpriseId: DEMO_IDS.platform };
            state.failure = failure;
            const failed = await call(baseUrl, 'POST', '/users', { token: admin, body });
            expect(failed.status, failed.text).to.equal(status);
            expect(failed.body.code).to.equal(failure.code);
            expect(gateway.services.auth.getUser(username)).to.equal(undefined);
            const users = await call(baseUrl, 'GET', '/users', { token: admin });
            expect(users.body.items.map((u: { username: string }) => u.username)).to.not.include(username);
            const login = await call(baseUrl, 'POST', '/auth/login', { body: { username, password: body.password } });
            expect(login.status).to.equal(401);

            state.failure = undefined;
            const created = await call(baseUrl, 'POST', '/users', { token: admin, body });
            expect(created.status, created.text).to.equal(201);
            const enrolments = await call(baseUrl, 'GET', `/enterprises/${DEMO_IDS.platform}/users`, { token: admin });
            expect(enrolments.body.items.filter((e: Enrolment) => e.username === username)).to.have.length(1);
        });
    }
});

/**
 * `backend`, except that once the ledger has recorded a user's enrolment while `state.blockUsersFile` is set,
 * users.json is made unwritable (a folder takes its place, which fails its atomic rename for root too): the
 * creation fails after the identity is enrolled and recorded, before the user is stored.
 */
function usersFileFailingAfterEnrolment(backend: LedgerBackend, usersFile: string, state: { blockUsersFile?: boolean }): LedgerBackend {
    return new Proxy(backend, {
        get(target, property, receiver) {
            if (property === 'submit') {
                return async (user: Parameters<LedgerBackend['submit']>[0], fn: string, ...rest: unknown[]) => {
                    const outcome = await (target.submit as (...args: unknown[]) => Promise<unknown>).call(target, user, fn, ...rest);
                    if (fn === 'identity:RecordUserEnrolment' && state.blockUsersFile) {
                        renameSync(usersFile, `${usersFile}.saved`);
                        mkdirSync(usersFile);
                    }
                    return outcome;
                };
            }
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
        },
    });
}

describe('user creation when users.json cannot take the user after its identity is enrolled (embedded backend)', function () {
    this.timeout(120_000);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-gateway-'));
    const usersFile = path.join(dataDir, 'auth', 'users.json');
    const state: { blockUsersFile?: boolean } = {};
    let gateway: Gateway;
    let baseUrl: string;

    before(async () => {
        const config = testConfig(dataDir);
        gateway = await openGateway(config, { logger: newLogger(config.logLevel), backend: usersFileFailingAfterEnrolment(await openLedgerBackend(config), usersFile, state) });
        baseUrl = `http://127.0.0.1:${await gateway.listen()}/api/v1`;
    });

    after(async () => {
        await gateway?.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('finishes the creation when it is made again, and refuses the name for another enterprise or role, naming the identity left behind', async () => {
        const admin = await loginToken(baseUrl, 'admin');
        const body = { username: 'orphan', password: 'orphan-password-1', role: 'supplier', enterpriseId: DEMO_IDS.suzhou };
        state.blockUsersFile = true;
        const failed = await call(baseUrl, 'POST', '/users', { token: admin, body });
        state.blockUsersFile = false;
        rmdirSync(usersFile);
        renameSync(`${usersFile}.saved`, usersFile);
        expect(failed.status, failed.text).to.equal(500);
        expect(failed.body.code).to.equal('INTERNAL');
        const enrolmentsOfOrphan = async (): Promise<Enrolment[]> =>
            ((await call(baseUrl, 'GET', `/enterprises/${DEMO_IDS.suzhou}/users`, { token: admin })).body.items as Enrolment[]).filter((e) => e.username === 'orphan');
        expect(await enrolmentsOfOrphan(), 'the identity was enrolled and recorded').to.have.length(1);
        expect((await call(baseUrl, 'POST', '/auth/login', { body: { username: 'orphan', password: body.password } })).status).to.equal(401);

        for (const other of [
            { ...body, enterpriseId: DEMO_IDS.hangzhou },
            { ...body, role: 'financier', enterpriseId: DEMO_IDS.jiangnan },
        ]) {
            const refused = await call(baseUrl, 'POST', '/users', { token: admin, body: other });
            expect(refused.status, refused.text).to.equal(409);
            expect(refused.body.code).to.equal('ALREADY_EXISTS');
            expect(refused.body.detail).to.include(`the identity orphan of PlatformMSP enrolled for it as supplier of ${DEMO_IDS.suzhou}`).and.include(`create orphan as supplier of ${DEMO_IDS.suzhou} to finish it`);
        }

        const created = await call(baseUrl, 'POST', '/users', { token: admin, body });
        expect(created.status, created.text).to.equal(201);
        const token = await loginToken(baseUrl, 'orphan', body.password);
        const read = await call(baseUrl, 'GET', `/enterprises/${DEMO_IDS.suzhou}`, { token });
        expect(read.status, read.text).to.equal(200);
        // Both certificates the platform issued for the user are on record: the one left behind, and the one it signs with.
        expect(await enrolmentsOfOrphan()).to.have.length(2);
        const users = await call(baseUrl, 'GET', '/users', { token: admin });
        expect(users.body.items.filter((u: { username: string }) => u.username === 'orphan')).to.deep.equal([{ username: 'orphan', role: 'supplier', enterpriseId: DEMO_IDS.suzhou, mspId: 'PlatformMSP', disabled: false }]);
    });
});
