import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { ALL_ROUTES } from '../src/http/routes';
import { DEMO_IDS, DEMO_USERS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';

/**
 * The permission matrix: every demo role against every write endpoint. Requests name records that
 * do not exist (or are refused for another reason after the role check), so a role that may call
 * the endpoint gets something other than 403 and a role that may not gets 403 FORBIDDEN.
 * Then bad input for every write endpoint: a 4xx that writes nothing (the ledger height stays).
 */

const NO_NOTE = 'NOTE-does-not-exist';
const NO_ASSET = 'ip-000000000000000000000000';
const NO_ATTESTATION = `0x${'ab'.repeat(32)}`;
const NO_ADDRESS = '0x000000000000000000000000000000000000dEaD';
const UNKNOWN_ENTERPRISE = '91110000MA9990012D';
/** The CID of DOCUMENT, which every user uploads first: a document may be cited only by those who may read it. */
const DOCUMENT = 'hello world\n';
const CID = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4';
const ALL = DEMO_USERS.map((u) => u.role);

interface MatrixCase {
    /** The path (or the path for a given caller's enterprise). */
    readonly path: string | ((eid: string) => string);
    readonly body?: unknown | ((eid: string) => unknown);
    readonly allowed: readonly string[];
}

function resolve<T>(value: T | ((eid: string) => T), eid: string): T {
    return typeof value === 'function' ? (value as (eid: string) => T)(eid) : value;
}

/** Keyed by "METHOD /path" of the route spec. */
const CASES: Readonly<Record<string, MatrixCase>> = {
    'POST /enterprises': { path: '/enterprises', body: { id: DEMO_IDS.suzhou, name: 'x', kind: 'SUPPLIER' }, allowed: ['platform-admin'] },
    'POST /enterprises/:id/freeze': { path: `/enterprises/${UNKNOWN_ENTERPRISE}/freeze`, body: { reason: 'r' }, allowed: ['regulator'] },
    'POST /enterprises/:id/unfreeze': { path: `/enterprises/${UNKNOWN_ENTERPRISE}/unfreeze`, body: { reason: 'r' }, allowed: ['regulator'] },
    'POST /credit-lines': { path: '/credit-lines', body: { coreEnterpriseId: UNKNOWN_ENTERPRISE, currency: 'CNY', limit: '1', expiresAt: '2099-01-01' }, allowed: ['financier'] },
    'POST /credit-lines/:id/limit': { path: '/credit-lines/CL-none/limit', body: { limit: '5' }, allowed: ['financier'] },
    'POST /credit-lines/:id/revoke': { path: '/credit-lines/CL-none/revoke', body: { reason: 'r' }, allowed: ['financier'] },
    'POST /receivables': {
        path: '/receivables',
        body: { buyerId: UNKNOWN_ENTERPRISE, invoiceNumber: 'X-1', amount: '1', currency: 'CNY', issueDate: '2026-01-01', dueDate: '2026-02-01', documentCid: CID },
        allowed: ['supplier'],
    },
    'POST /receivables/:id/confirm': { path: '/receivables/RCV-none/confirm', allowed: ['core-enterprise', 'supplier'] },
    'POST /receivables/:id/dispute': { path: '/receivables/RCV-none/dispute', body: { reason: 'r' }, allowed: ['core-enterprise', 'supplier'] },
    'POST /receivables/:id/cancel': { path: '/receivables/RCV-none/cancel', body: { reason: 'r' }, allowed: ['supplier'] },
    'POST /receivables/:id/settle': { path: '/receivables/RCV-none/settle', allowed: ['supplier'] },
    'POST /notes': {
        path: '/notes',
        body: { holderId: DEMO_IDS.suzhou, amount: '1', currency: 'CNY', maturityDate: '2099-01-01', creditLineId: 'CL-none', receivableIds: ['RCV-none'] },
        allowed: ['core-enterprise'],
    },
    'POST /notes/:id/split': { path: `/notes/${NO_NOTE}/split`, body: { amounts: ['1', '2'] }, allowed: ['supplier'] },
    'POST /notes/:id/redeem': { path: `/notes/${NO_NOTE}/redeem`, allowed: ['core-enterprise'] },
    'POST /notes/:id/overdue': { path: `/notes/${NO_NOTE}/overdue`, allowed: ALL },
    'PUT /parameters/notes': { path: '/parameters/notes', body: { maxTenorMonths: 6, graceDays: 3 }, allowed: ['platform-admin'] },
    'POST /offers': { path: '/offers', body: { noteId: NO_NOTE, toId: DEMO_IDS.hangzhou, amount: '1', expiresAt: '2099-01-01' }, allowed: ['supplier'] },
    'POST /offers/:id/accept': { path: '/offers/OFR-none/accept', allowed: ['supplier'] },
    'POST /offers/:id/decline': { path: '/offers/OFR-none/decline', allowed: ['supplier'] },
    'POST /offers/:id/cancel': { path: '/offers/OFR-none/cancel', allowed: ['supplier'] },
    'POST /offers/:id/expire': { path: '/offers/OFR-none/expire', allowed: ['supplier'] },
    'POST /discount-requests': { path: '/discount-requests', body: { noteId: NO_NOTE, financierIds: [DEMO_IDS.jiangnan] }, allowed: ['supplier'] },
    'POST /discount-requests/:id/withdraw': { path: '/discount-requests/DR-none/withdraw', allowed: ['supplier'] },
    'POST /discount-requests/:id/quotes': { path: '/discount-requests/DR-none/quotes', body: { rateBps: 100 }, allowed: ['financier'] },
    'POST /quotes/:id/accept': { path: '/quotes/Q-none/accept', allowed: ['supplier'] },
    'POST /quotes/:id/withdraw': { path: '/quotes/Q-none/withdraw', allowed: ['financier'] },
    'POST /ip-assets': {
        path: '/ip-assets',
        // The caller owns it with an unregistered co-owner: refused as NOT_FOUND after the role check.
        body: (eid: string) => ({ kind: 'PATENT', registryNumber: 'ZL202310000001.5', title: 't', ownerIds: [eid, UNKNOWN_ENTERPRISE], expiryDate: '2043-12-31' }),
        allowed: ['supplier', 'core-enterprise'],
    },
    'POST /ip-assets/:id/valuations': { path: `/ip-assets/${NO_ASSET}/valuations`, body: { amount: '1', currency: 'CNY', valuationDate: '2026-01-01', reportCid: CID }, allowed: ['appraiser'] },
    'POST /ip-assets/:id/confirm': { path: `/ip-assets/${NO_ASSET}/confirm`, allowed: ['supplier', 'core-enterprise'] },
    'POST /ip-assets/:id/decline': { path: `/ip-assets/${NO_ASSET}/decline`, body: { reason: 'r' }, allowed: ['supplier', 'core-enterprise'] },
    'POST /ip-assets/:id/void': { path: `/ip-assets/${NO_ASSET}/void`, body: { reason: 'r' }, allowed: ['regulator'] },
    'PUT /parameters/ip': { path: '/parameters/ip', body: { maxLtvBps: 5000 }, allowed: ['platform-admin'] },
    'POST /pledges': {
        path: '/pledges',
        body: { assetId: NO_ASSET, pledgeeId: DEMO_IDS.jiangnan, securedAmount: '1', currency: 'CNY', termStart: '2026-01-01', termEnd: '2099-01-01' },
        allowed: ['supplier', 'core-enterprise'],
    },
    'POST /pledges/:id/consent': { path: '/pledges/P-none/consent', allowed: ['supplier', 'core-enterprise'] },
    'POST /pledges/:id/consent/withdraw': { path: '/pledges/P-none/consent/withdraw', allowed: ['supplier', 'core-enterprise'] },
    'POST /pledges/:id/decline': { path: '/pledges/P-none/decline', body: { reason: 'r' }, allowed: ['supplier', 'core-enterprise'] },
    'POST /pledges/:id/accept': { path: '/pledges/P-none/accept', allowed: ['financier'] },
    'POST /pledges/:id/cancel': { path: '/pledges/P-none/cancel', allowed: ['supplier', 'core-enterprise'] },
    'POST /pledges/:id/release': { path: '/pledges/P-none/release', allowed: ['financier'] },
    'POST /pledges/:id/reject': { path: '/pledges/P-none/reject', body: { reason: 'r' }, allowed: ['financier'] },
    'POST /pledges/:id/enforce': { path: '/pledges/P-none/enforce', body: { reason: 'r' }, allowed: ['financier'] },
    'POST /bureau-keys': { path: '/bureau-keys', body: { bureauId: UNKNOWN_ENTERPRISE, address: NO_ADDRESS }, allowed: ['platform-admin'] },
    'POST /bureau-keys/generate': { path: '/bureau-keys/generate', body: { bureauId: UNKNOWN_ENTERPRISE }, allowed: ['platform-admin'] },
    'POST /bureau-keys/:address/revoke': { path: `/bureau-keys/${NO_ADDRESS}/revoke`, body: { reason: 'r' }, allowed: ['platform-admin'] },
    'POST /agreements': {
        path: '/agreements',
        body: { partnerId: UNKNOWN_ENTERPRISE, partnerMspId: 'PartnerMSP', gradeScale: [{ minScore: 0, grade: 'C' }], validFrom: '2026-01-01', validUntil: '2099-01-01' },
        allowed: ['platform-admin'],
    },
    'POST /agreements/:id/accept': { path: '/agreements/AGR-none/accept', allowed: ['foreign-partner'] },
    'POST /agreements/:id/terminate': { path: '/agreements/AGR-none/terminate', body: { reason: 'r' }, allowed: ['foreign-partner'] },
    'POST /agreements/:id/withdraw': { path: '/agreements/AGR-none/withdraw', body: { reason: 'r' }, allowed: ['platform-admin'] },
    'POST /attestations': { path: '/attestations', body: { subjectId: UNKNOWN_ENTERPRISE }, allowed: ['credit-bureau'] },
    'POST /attestations/anchor': { path: '/attestations/anchor', body: { attestation: {}, signature: '0x00' }, allowed: ['credit-bureau', 'platform-admin'] },
    'POST /attestations/:id/revoke': { path: `/attestations/${NO_ATTESTATION}/revoke`, body: { reason: 'r' }, allowed: ['credit-bureau', 'regulator'] },
    'POST /recognitions': { path: '/recognitions', body: { agreementId: 'AGR-none', attestationId: NO_ATTESTATION }, allowed: ['foreign-partner'] },
    'POST /profiles/:enterpriseId/refresh': { path: (eid: string) => `/profiles/${eid === DEMO_IDS.huadong ? DEMO_IDS.suzhou : eid}/refresh`, allowed: ['regulator', 'financier', 'credit-bureau', 'foreign-partner', 'supplier'] },
    'POST /users': { path: '/users', body: { username: 'nobody', password: 'long-enough-1', role: 'supplier', enterpriseId: UNKNOWN_ENTERPRISE }, allowed: ['platform-admin'] },
    'POST /users/:username/disable': { path: '/users/nobody/disable', allowed: ['platform-admin'] },
    'POST /users/:username/enable': { path: '/users/nobody/enable', allowed: ['platform-admin'] },
};

/** Writes every user may call for itself; not part of the role matrix. */
const SELF_SERVICE = new Set(['POST /auth/login', 'POST /auth/logout', 'POST /auth/password', 'POST /auth/api-keys', 'DELETE /auth/api-keys/:id', 'POST /documents', 'POST /passports/verify']);

const WRITE_ROUTES = ALL_ROUTES.filter((r) => r.method !== 'get' && !SELF_SERVICE.has(`${r.method.toUpperCase()} ${r.path}`));

describe('permission matrix and bad input', function () {
    this.timeout(120_000);
    let gateway: TestGateway;
    const tokens: Record<string, string> = {};

    before(async () => {
        gateway = await startTestGateway();
        for (const user of DEMO_USERS) {
            tokens[user.username] = await loginToken(gateway.baseUrl, user.username);
            const uploaded = await call(gateway.baseUrl, 'POST', '/documents', { token: tokens[user.username], raw: DOCUMENT, headers: { 'Content-Type': 'text/plain' } });
            expect(uploaded.body.cid, uploaded.text).to.equal(CID);
        }
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('has a matrix case for every write endpoint', () => {
        const keys = WRITE_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`);
        expect(keys.filter((k) => !CASES[k])).to.deep.equal([]);
    });

    for (const route of WRITE_ROUTES) {
        const key = `${route.method.toUpperCase()} ${route.path}`;
        describe(key, () => {
            for (const user of DEMO_USERS) {
                const allowed = CASES[key]?.allowed.includes(user.role);
                it(`${allowed ? 'lets' : 'refuses'} ${user.role} (${user.username})`, async () => {
                    const matrixCase = CASES[key];
                    const response = await call(gateway.baseUrl, route.method.toUpperCase(), resolve(matrixCase.path, user.enterpriseId), {
                        token: tokens[user.username],
                        body: matrixCase.body === undefined ? undefined : resolve(matrixCase.body, user.enterpriseId),
                    });
                    if (allowed) {
                        expect(response.status, `${user.role}: ${response.text}`).to.not.be.oneOf([401, 403]);
                    } else {
                        expect(response.status, `${user.role}: ${response.text}`).to.equal(403);
                        expect(response.body.code).to.equal('FORBIDDEN');
                    }
                });
            }
        });
    }

    describe('receivable reads', () => {
        /** The demo's receivables: Suzhou sells to Huadong, and they back Suzhou's note (Jiangnan granted the line, but finances no note). */
        const READERS = ['platform-admin', 'regulator'];
        const PARTIES = [DEMO_IDS.suzhou, DEMO_IDS.huadong];
        let receivableId: string;

        before(async () => {
            const listed = await call(gateway.baseUrl, 'GET', '/receivables', { token: tokens.suzhou });
            expect(listed.status, listed.text).to.equal(200);
            receivableId = listed.body.items[0].id;
        });

        for (const user of DEMO_USERS) {
            const allowed = READERS.includes(user.role) || PARTIES.includes(user.enterpriseId);
            it(`${allowed ? 'lets' : 'refuses'} ${user.role} (${user.username}) read a receivable and list the seller's and the buyer's`, async () => {
                const paths = [`/receivables/${receivableId}`, `/receivables?enterpriseId=${DEMO_IDS.suzhou}&role=seller`, `/receivables?enterpriseId=${DEMO_IDS.huadong}&role=buyer`];
                for (const path of paths) {
                    const response = await call(gateway.baseUrl, 'GET', path, { token: tokens[user.username] });
                    const listsOwn = !path.includes('?') || path.includes(user.enterpriseId);
                    if (READERS.includes(user.role) || (allowed && listsOwn)) {
                        expect(response.status, `${path}: ${response.text}`).to.equal(200);
                    } else {
                        expect(response.status, `${path}: ${response.text}`).to.equal(403);
                        expect(response.body.code).to.equal('FORBIDDEN');
                    }
                }
            });
        }
    });

    describe('bad input', () => {
        let height: number;

        before(async () => {
            height = (await call(gateway.baseUrl, 'GET', '/health/ready')).body.ledger.height;
        });

        for (const route of ALL_ROUTES.filter((r) => r.method !== 'get' && r.path !== '/auth/login' && r.path !== '/passports/verify')) {
            const key = `${route.method.toUpperCase()} ${route.path}`;
            it(`refuses ${key} with an unknown field, a wrong type, or malformed JSON, writing nothing`, async () => {
                const user = DEMO_USERS.find((u) => u.role === (CASES[key]?.allowed[0] ?? 'platform-admin')) ?? DEMO_USERS[0];
                const token = tokens[user.username];
                const path = CASES[key] ? resolve(CASES[key].path, user.enterpriseId) : route.path.replace(/:([A-Za-z]+)/g, (_: string, name: string) => (name === 'id' ? '0123456789abcdef' : 'x'));
                if (route.rawBody) {
                    const empty = await call(gateway.baseUrl, 'POST', path, { token, raw: '' });
                    expect(empty.status).to.equal(400);
                    return;
                }
                if (!route.body) {
                    const badParameter = await call(gateway.baseUrl, route.method.toUpperCase(), route.path.replace(/:([A-Za-z]+)/g, 'not%20an%20id'), { token });
                    expect(badParameter.status, badParameter.text).to.equal(400);
                    return;
                }
                const validBody = CASES[key]?.body === undefined ? {} : resolve(CASES[key].body, user.enterpriseId);
                const unknownField = await call(gateway.baseUrl, route.method.toUpperCase(), path, { token, body: { ...(validBody as object), unexpected: true } });
                expect(unknownField.status, unknownField.text).to.be.within(400, 499);
                expect(unknownField.body.code).to.equal('INVALID_ARGUMENT');
                const wrongType = await call(gateway.baseUrl, route.method.toUpperCase(), path, { token, body: [1, 2, 3] });
                expect(wrongType.status, wrongType.text).to.equal(400);
                const malformed = await call(gateway.baseUrl, route.method.toUpperCase(), path, { token, raw: '{"amount": ', headers: { 'Content-Type': 'application/json' } });
                expect(malformed.status, malformed.text).to.equal(400);
                expect(malformed.headers.get('content-type')).to.match(/^application\/problem\+json/);
            });
        }

        it('left the ledger unchanged', async () => {
            expect((await call(gateway.baseUrl, 'GET', '/health/ready')).body.ledger.height).to.equal(height);
        });
    });
});
