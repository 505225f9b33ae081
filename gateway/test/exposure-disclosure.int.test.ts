/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

const USERS = ['regulator', 'huadong', 'suzhou', 'jiangnan', 'pudong', 'singapore', 'admin'] as const;
type User = (typeof USERS)[number];

/**
 * Who learns what of a core enterprise's exposure and of why a credit line was revoked, over real
 * HTTP on the embedded backend with the demo seed (whose note huadong issued on jiangnan's line).
 */
describe('exposure and credit lines: what each party may learn (embedded backend)', function () {
    this.timeout(90_000);
    let dataDir: string;
    let gateway: TestGateway | undefined;
    const tokens = {} as Record<User, string>;

    const api = (method: string, route: string, user: User, body?: unknown) => call(gateway!.baseUrl, method, route, { token: tokens[user], body });

    before(async () => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-exposure-'));
        gateway = await startTestGateway({}, dataDir);
        for (const user of USERS) {
            tokens[user] = await loginToken(gateway.baseUrl, user);
        }
    });
    after(async () => {
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('opens to a financier that grants itself a line only the roots drawn on its own lines, revoked or not', async () => {
        const whole = await api('GET', `/exposure/${DEMO_IDS.huadong}`, 'huadong');
        expect(whole.status, whole.text).to.equal(200);
        expect(whole.body.roots).to.have.length.greaterThan(0);
        expect((await api('GET', `/exposure/${DEMO_IDS.huadong}`, 'regulator')).body).to.deep.equal(whole.body);
        // The demo's notes are drawn on jiangnan's line: jiangnan sees them all.
        expect((await api('GET', `/exposure/${DEMO_IDS.huadong}`, 'jiangnan')).body).to.deep.equal(whole.body);

        const refused = await api('GET', `/exposure/${DEMO_IDS.huadong}`, 'pudong');
        expect([refused.status, refused.body.code]).to.deep.equal([403, 'FORBIDDEN']);
        const tiny = await api('POST', '/credit-lines', 'pudong', { coreEnterpriseId: DEMO_IDS.huadong, limit: '1', currency: 'CNY', expiresAt: isoDate(300) });
        expect(tiny.status, tiny.text).to.equal(201);
        const empty = { coreEnterpriseId: DEMO_IDS.huadong, roots: [], totals: [] };
        const seen = await api('GET', `/exposure/${DEMO_IDS.huadong}`, 'pudong');
        expect(seen.status, seen.text).to.equal(200);
        expect(seen.body).to.deep.equal(empty);
        expect((await api('POST', `/credit-lines/${tiny.body.id}/revoke`, 'pudong', { reason: 'probe' })).status).to.equal(200);
        expect((await api('GET', `/exposure/${DEMO_IDS.huadong}`, 'pudong')).body).to.deep.equal(empty);
        for (const user of ['suzhou', 'singapore', 'admin'] as const) {
            expect((await api('GET', `/exposure/${DEMO_IDS.huadong}`, user)).status, user).to.equal(403);
        }
    });

    it('answers 404 for an unknown enterprise and 400 for one that is not a core enterprise', async () => {
        const unknown = await api('GET', '/exposure/91110000MA9990012D', 'regulator');
        expect([unknown.status, unknown.body.code]).to.deep.equal([404, 'NOT_FOUND']);
        for (const id of [DEMO_IDS.suzhou, DEMO_IDS.jiangnan]) {
            const wrongKind = await api('GET', `/exposure/${id}`, 'regulator');
            expect([wrongKind.status, wrongKind.body.code], id).to.deep.equal([400, 'INVALID_ARGUMENT']);
        }
    });

    it('shows why a line was revoked to its financier, its core enterprise and the regulator only', async () => {
        const line = await api('POST', '/credit-lines', 'pudong', { coreEnterpriseId: DEMO_IDS.huadong, limit: '500', currency: 'CNY', expiresAt: isoDate(300) });
        expect(line.status, line.text).to.equal(201);
        const revoked = await api('POST', `/credit-lines/${line.body.id}/revoke`, 'pudong', { reason: 'sector downgrade' });
        expect(revoked.body).to.include({ status: 'REVOKED', revocationReason: 'sector downgrade' });
        for (const user of ['pudong', 'huadong', 'regulator'] as const) {
            expect((await api('GET', `/credit-lines/${line.body.id}`, user)).body, user).to.include({ revocationReason: 'sector downgrade' });
            const listed = (await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}&limit=500`, user)).body.items.find((l: any) => l.id === line.body.id);
            expect(listed, user).to.include({ revocationReason: 'sector downgrade' });
        }
        for (const user of ['suzhou', 'singapore', 'jiangnan', 'admin'] as const) {
            const read = await api('GET', `/credit-lines/${line.body.id}`, user);
            expect(read.status, user).to.equal(200);
            expect(read.body, user).to.include({ status: 'REVOKED', revokedAt: revoked.body.revokedAt });
            expect(read.body, user).not.to.have.property('revocationReason');
            const listed = (await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.pudong}&limit=500`, user)).body.items.find((l: any) => l.id === line.body.id);
            expect(listed, user).not.to.have.property('revocationReason');
        }
    });
});
