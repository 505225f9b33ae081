import './support/quiet-chaincode-logging';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { Gateway, openGateway } from '../src/app';
import { newLogger } from '../src/operations/logger';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call } from './conformance/api-client';
import { TEST_PASSWORD, testConfig } from './support/test-gateway';

interface LogLine {
    level: number;
    msg: string;
    audit?: string;
    action?: string;
    outcome?: string;
    actor?: string;
    target?: string;
    client?: string;
    code?: string;
    user?: string;
    url?: string;
}

/**
 * Account security over real HTTP on the embedded backend, with the gateway's own logger at its
 * default level (info) captured: the names of the gateway's own identities are refused as user names
 * (QA: a user named gateway-verifier took the read identity's wallet entry, and public passport
 * verification answered 401), and every account security action leaves one audit line.
 */
describe('account security (embedded backend)', function () {
    this.timeout(120_000);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-gateway-'));
    const config = testConfig(dataDir, { logLevel: 'info' });
    const written: string[] = [];
    const logger = newLogger(config.logLevel, { write: (line: string) => void written.push(line) });
    let gateway: Gateway;
    let baseUrl: string;
    const api = (method: string, route: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> => call(baseUrl, method, route, { token, body, headers });
    const login = async (username: string, password = TEST_PASSWORD): Promise<string> => {
        const answer = await api('POST', '/auth/login', undefined, { username, password });
        expect(answer.status, answer.text).to.equal(200);
        return answer.body.token as string;
    };
    const open = async (): Promise<void> => {
        gateway = await openGateway(config, { logger });
        baseUrl = `http://127.0.0.1:${await gateway.listen()}/api/v1`;
    };

    before(open);
    after(async () => {
        await gateway?.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it("refuses the names of the gateway's own identities with 400, enrolling nothing; anonymous passport verification keeps working, also after a restart", async () => {
        const admin = await login('admin');
        const issued = await api('POST', '/attestations', await login('bureau'), { subjectId: DEMO_IDS.suzhou, validDays: 30 });
        expect(issued.status, issued.text).to.equal(201);
        const enrolmentsBefore = (await api('GET', `/enterprises/${DEMO_IDS.suzhou}/users`, admin)).body.items;
        for (const username of ['gateway-verifier', 'ca-init', 'registrar-admin']) {
            const refused = await api('POST', '/users', admin, { username, password: 'reserved-password-1', role: 'supplier', enterpriseId: DEMO_IDS.suzhou });
            expect(refused.status, refused.text).to.equal(400);
            expect(refused.body.code).to.equal('INVALID_ARGUMENT');
            expect(refused.body.detail).to.include(`username ${username} is reserved`);
        }
        expect((await api('GET', '/users', admin)).body.items.map((u: { username: string }) => u.username)).to.not.include.members(['gateway-verifier', 'ca-init', 'registrar-admin']);
        expect((await api('GET', `/enterprises/${DEMO_IDS.suzhou}/users`, admin)).body.items).to.deep.equal(enrolmentsBefore);

        for (let start = 0; start < 2; start++) {
            const verified = await api('POST', '/passports/verify', undefined, issued.body.passport);
            expect(verified.status, verified.text).to.equal(200);
            expect(verified.body).to.include({ valid: true });
            const issuers = await api('GET', '/passports/issuers');
            expect(issuers.status, issuers.text).to.equal(200);
            if (start === 0) {
                await gateway.close();
                await open();
            }
        }
    });

    it('logs one audit line per account security action at the default level, naming actor, target, outcome and client, never a secret', async () => {
        written.splice(0);
        const admin = await login('admin');
        expect((await api('POST', '/auth/login', undefined, { username: 'suzhou', password: 'not-the-password' })).status).to.equal(401);
        const created = await api('POST', '/users', admin, { username: 'auditee', password: 'auditee-password-1', role: 'supplier', enterpriseId: DEMO_IDS.suzhou });
        expect(created.status, created.text).to.equal(201);
        expect((await api('POST', '/users', admin, { username: 'gateway-verifier', password: 'auditee-password-1', role: 'supplier', enterpriseId: DEMO_IDS.suzhou })).status).to.equal(400);
        const auditee = await login('auditee', 'auditee-password-1');
        const key = await api('POST', '/auth/api-keys', auditee, { label: 'ci' });
        expect(key.status, key.text).to.equal(201);
        const byKey = { Authorization: `ApiKey ${key.body.apiKey}` };
        expect((await api('POST', '/auth/api-keys', undefined, { label: 'more' }, byKey)).status).to.equal(403);
        expect((await api('POST', '/auth/logout', undefined, {}, byKey)).status).to.equal(403);
        expect((await api('DELETE', `/auth/api-keys/${key.body.id}`, auditee)).status).to.equal(204);
        expect((await api('POST', '/auth/password', auditee, { currentPassword: 'auditee-password-1', newPassword: 'auditee-password-2' })).status).to.equal(204);
        expect((await api('POST', '/users/admin/disable', await login('suzhou'))).status).to.equal(403);
        expect((await api('POST', '/users/auditee/disable', admin)).status).to.equal(200);
        expect((await api('POST', '/users/auditee/enable', admin)).status).to.equal(200);
        expect((await api('POST', '/auth/logout', admin, {})).status).to.equal(204);

        const lines = written.map((line) => JSON.parse(line) as LogLine);
        const audit = lines.filter((line) => line.audit === 'account');
        expect(audit.map(({ action, outcome, actor, target, code }) => ({ action, outcome, actor, target, ...(code ? { code } : {}) }))).to.deep.equal([
            { action: 'login', outcome: 'succeeded', actor: 'admin', target: 'admin' },
            { action: 'login', outcome: 'refused', actor: 'suzhou', target: 'suzhou', code: 'UNAUTHENTICATED' },
            { action: 'create-user', outcome: 'succeeded', actor: 'admin', target: 'auditee' },
            { action: 'create-user', outcome: 'refused', actor: 'admin', target: 'gateway-verifier', code: 'INVALID_ARGUMENT' },
            { action: 'login', outcome: 'succeeded', actor: 'auditee', target: 'auditee' },
            { action: 'create-api-key', outcome: 'succeeded', actor: 'auditee', target: 'auditee' },
            { action: 'create-api-key', outcome: 'refused', actor: 'auditee', target: 'auditee', code: 'FORBIDDEN' },
            { action: 'logout', outcome: 'refused', actor: 'auditee', target: 'auditee', code: 'FORBIDDEN' },
            { action: 'delete-api-key', outcome: 'succeeded', actor: 'auditee', target: 'auditee' },
            { action: 'change-password', outcome: 'succeeded', actor: 'auditee', target: 'auditee' },
            { action: 'login', outcome: 'succeeded', actor: 'suzhou', target: 'suzhou' },
            { action: 'disable-user', outcome: 'refused', actor: 'suzhou', target: 'admin', code: 'FORBIDDEN' },
            { action: 'disable-user', outcome: 'succeeded', actor: 'admin', target: 'auditee' },
            { action: 'enable-user', outcome: 'succeeded', actor: 'admin', target: 'auditee' },
            { action: 'logout', outcome: 'succeeded', actor: 'admin', target: 'admin' },
        ]);
        for (const line of audit) {
            expect(line.client, `${line.action}: the client address`).to.match(/127\.0\.0\.1$/);
            // pino: 30 info, 40 warn.
            expect(line.level, line.action).to.equal(line.outcome === 'succeeded' ? 30 : 40);
        }
        // The refused request itself is logged at warn, naming who asked and from where.
        const refusedDisable = lines.find((line) => line.audit === undefined && line.code === 'FORBIDDEN' && line.url === '/api/v1/users/admin/disable');
        expect(refusedDisable, 'the 403 request line').to.include({ level: 40, user: 'suzhou' });
        expect(refusedDisable?.client).to.match(/127\.0\.0\.1$/);
        const log = written.join('\n');
        for (const secret of [TEST_PASSWORD, 'not-the-password', 'auditee-password-1', 'auditee-password-2', admin, auditee, key.body.apiKey, key.body.apiKey.slice(20)]) {
            expect(log).to.not.include(secret);
        }
    });
});
