/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { randomBytes } from 'crypto';
import { expect } from 'chai';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

/**
 * HTTP-level behaviour of the whole gateway (real express app, embedded ledger): malformed requests,
 * methods a path does not answer, enterprise ids in lower case, and keyset pagination while records
 * are being written. Every answer checked here is a problem document or a documented 2xx.
 */
describe('HTTP protocol (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    let suzhou: string;

    before(async () => {
        gateway = await startTestGateway();
        suzhou = await loginToken(gateway.baseUrl, 'suzhou');
    });

    after(async () => {
        await gateway?.dispose();
    });

    const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(gateway.baseUrl, method, path, { token: suzhou, ...options });

    function expectProblem(response: ApiResponse, status: number, code: string): void {
        expect(response.status, response.text).to.equal(status);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(response.body).to.include({ status, code });
        expect(response.body.detail).to.be.a('string');
    }

    /** Registers a receivable of Suzhou's against Huadong; returns its id. */
    async function registerReceivable(): Promise<string> {
        const document = await api('POST', '/documents', { raw: `invoice ${randomBytes(8).toString('hex')}`, headers: { 'Content-Type': 'text/plain' } });
        expect(document.status, document.text).to.equal(201);
        const body = { buyerId: DEMO_IDS.huadong, invoiceNumber: `HTTP-${randomBytes(5).toString('hex').toUpperCase()}`, amount: '1000', currency: 'CNY', issueDate: isoDate(-1), dueDate: isoDate(30), documentCid: document.body.cid };
        const created = await api('POST', '/receivables', { body });
        expect(created.status, created.text).to.equal(201);
        return created.body.id;
    }

    describe('malformed requests', () => {
        it('answers a path that is not valid percent-encoding with 400 INVALID_ARGUMENT', async () => {
            const response = await api('GET', '/receivables/%ZZ');
            expectProblem(response, 400, 'INVALID_ARGUMENT');
            expect(response.body.detail).to.include('percent-encoding');
        });

        it('answers a JSON body that is not in its Content-Encoding with 400, and an unknown encoding with 415', async () => {
            for (const encoding of ['gzip', 'br']) {
                const response = await api('POST', '/receivables', { raw: '{"amount":"5"}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding } });
                expectProblem(response, 400, 'INVALID_ARGUMENT');
                expect(response.body.detail).to.include('Content-Encoding');
            }
            expectProblem(await api('POST', '/receivables', { raw: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
        });

        it('refuses a +json media type it does not parse, and says a body must be a JSON object', async () => {
            expectProblem(await api('POST', '/receivables/R1/dispute', { raw: '{"reason":"x"}', headers: { 'Content-Type': 'application/merge-patch+json' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
            for (const raw of ['"str"', 'null']) {
                const response = await api('POST', '/receivables/R1/dispute', { raw, headers: { 'Content-Type': 'application/json' } });
                expectProblem(response, 400, 'INVALID_ARGUMENT');
                expect(response.body.detail).to.equal('body: must be a JSON object');
            }
        });

        it('refuses what the chaincode would refuse before it reaches the ledger: a zero amount, a CIDv0, a page size in another notation', async () => {
            const body = { buyerId: DEMO_IDS.huadong, invoiceNumber: 'HTTP-ZERO', amount: '0', currency: 'CNY', issueDate: isoDate(-1), dueDate: isoDate(30), documentCid: 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4' };
            const zero = await api('POST', '/receivables', { body });
            expectProblem(zero, 400, 'INVALID_ARGUMENT');
            expect(zero.body.detail).to.include('body.amount: must be whole minor units (fen, cents) from 1 to 10^18');
            const cidV0 = await api('POST', '/receivables', { body: { ...body, amount: '1', documentCid: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG' } });
            expectProblem(cidV0, 400, 'INVALID_ARGUMENT');
            expect(cidV0.body.detail).to.include('body.documentCid: must be a CIDv1 in multibase base32');
            for (const limit of ['1e2', '0x10']) {
                expectProblem(await api('GET', `/receivables?limit=${limit}`), 400, 'INVALID_ARGUMENT');
            }
        });
    });

    describe('authentication challenges', () => {
        /** RFC 9110 §11.6.1: every 401 names a challenge; RFC 6750 §3: invalid_token when a credential was presented and refused. */
        it('answers every 401 with WWW-Authenticate: the Bearer realm, and invalid_token for a credential that was refused', async () => {
            const cases: Array<[string, ApiResponse, string]> = [
                ['no credential', await api('GET', '/me', { token: undefined }), 'Bearer realm="xinlian"'],
                ['another scheme', await api('GET', '/me', { token: undefined, headers: { Authorization: 'Basic c3V6aG91OnNlY3JldA==' } }), 'Bearer realm="xinlian"'],
                ['a wrong bearer token', await api('GET', '/me', { token: 'not-a-token' }), 'Bearer realm="xinlian", error="invalid_token"'],
                ['a wrong API key', await api('GET', '/me', { token: undefined, headers: { Authorization: 'ApiKey xk_nothing' } }), 'Bearer realm="xinlian", error="invalid_token"'],
                ['a wrong token in ?access_token=', await api('GET', '/events?access_token=not-a-token', { token: undefined }), 'Bearer realm="xinlian", error="invalid_token"'],
                ['a write without credential', await api('POST', '/receivables', { token: undefined, body: {} }), 'Bearer realm="xinlian"'],
                ['a wrong password at login', await api('POST', '/auth/login', { token: undefined, body: { username: 'nobody', password: 'wrong password' } }), 'Bearer realm="xinlian"'],
            ];
            for (const [what, response, challenge] of cases) {
                expectProblem(response, 401, 'UNAUTHENTICATED');
                expect(response.headers.get('www-authenticate'), what).to.equal(challenge);
            }
        });

        it('names no challenge on answers other than 401', async () => {
            const forbidden = await api('GET', `/profiles/${DEMO_IDS.hangzhou}`);
            expectProblem(forbidden, 403, 'FORBIDDEN');
            expect(forbidden.headers.get('www-authenticate')).to.equal(null);
            expect((await api('GET', '/me')).headers.get('www-authenticate')).to.equal(null);
        });
    });

    describe('methods', () => {
        it('answers a known path asked with another method with 405, Allow and a problem document', async () => {
            const cases: Array<[method: string, path: string, allow: string]> = [
                ['DELETE', '/receivables', 'GET, HEAD, POST'],
                ['PUT', '/receivables', 'GET, HEAD, POST'],
                ['PATCH', '/receivables/R1', 'GET, HEAD'],
                ['GET', '/receivables/R1/confirm', 'POST'],
                ['DELETE', '/attestations/anchor', 'GET, HEAD, POST'],
            ];
            for (const [method, path, allow] of cases) {
                const response = await api(method, path);
                expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
                expect(response.headers.get('allow'), `${method} ${path}`).to.equal(allow);
            }
        });

        it('keeps OPTIONS answering with Allow, and unknown paths 404', async () => {
            const options = await fetch(`${gateway.baseUrl}/receivables`, { method: 'OPTIONS' });
            expect(options.status).to.equal(200);
            expect(options.headers.get('allow')).to.equal('GET, HEAD, POST');
            expectProblem(await api('DELETE', '/no-such-thing'), 404, 'NOT_FOUND');
            expectProblem(await api('GET', '/receivables/R1/no-such-action'), 404, 'NOT_FOUND');
        });
    });

    describe('enterprise ids', () => {
        it('reads a lower-case enterprise id in a path or a query as the id in capitals', async () => {
            const lower = DEMO_IDS.suzhou.toLowerCase();
            expect(lower).to.not.equal(DEMO_IDS.suzhou);
            const profile = await api('GET', `/profiles/${lower}`);
            expect(profile.status, profile.text).to.equal(200);
            expect(profile.body.enterpriseId).to.equal(DEMO_IDS.suzhou);
            const enterprise = await api('GET', `/enterprises/${lower}`);
            expect(enterprise.status, enterprise.text).to.equal(200);
            expect(enterprise.body.id).to.equal(DEMO_IDS.suzhou);
            const upper = await api('GET', `/receivables?enterpriseId=${DEMO_IDS.suzhou}&limit=500`);
            const lowered = await api('GET', `/receivables?enterpriseId=${lower}&limit=500`);
            expect(lowered.status, lowered.text).to.equal(200);
            expect(lowered.body).to.deep.equal(upper.body);
        });

        it('refuses an enterprise id with a wrong check character as INVALID_ARGUMENT, in a path, a query and a body, writing nothing', async () => {
            const bureau = await loginToken(gateway.baseUrl, 'bureau');
            const height = async (): Promise<number> => (await api('GET', '/health/ready')).body.ledger.height;
            const start = await height();
            // Suzhou's USCC ends in 9, Hangzhou's in 7, the partner's LEI in 12.
            const issued = await api('POST', '/attestations', { token: bureau, body: { subjectId: '91320500MA1MX00058' } });
            expectProblem(issued, 400, 'INVALID_ARGUMENT');
            expect(issued.body.detail).to.include('body.subjectId: must be a valid enterprise id');
            for (const path of ['/profiles/91330100MA2H000068', '/profiles/91330100ma2h000068', '/enterprises/5493001KJTIIGC8Y1R13', '/receivables?enterpriseId=91320500MA1MX00058']) {
                const response = await api('GET', path);
                expectProblem(response, 400, 'INVALID_ARGUMENT');
                expect(response.body.detail, path).to.include('must be a valid enterprise id');
            }
            expect(await height()).to.equal(start);
            // The same ids with their right check characters.
            expect((await api('GET', `/profiles/${DEMO_IDS.hangzhou}`, { token: bureau })).status).to.equal(200);
            expect((await api('GET', `/enterprises/${DEMO_IDS.singapore}`)).status).to.equal(200);
        });
    });

    describe('pagination', () => {
        it('neither repeats nor skips a receivable while new ones are registered between pages', async () => {
            for (let i = 0; i < 4; i++) {
                await registerReceivable();
            }
            const before = (await api('GET', '/receivables?limit=500')).body.items.map((r: any) => r.id) as string[];
            expect(before.length).to.be.at.least(4);
            const seen: string[] = [];
            let cursor: string | null = null;
            do {
                const page: ApiResponse = await api('GET', `/receivables?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
                expect(page.status, page.text).to.equal(200);
                seen.push(...page.body.items.map((r: any) => r.id));
                cursor = page.body.nextCursor;
                // Random ids: each lands before or after the cursor; neither may disturb the pages.
                await registerReceivable();
            } while (cursor !== null);
            expect(new Set(seen).size, `repeated: ${seen}`).to.equal(seen.length);
            expect(seen, 'every receivable that existed before paging').to.include.members(before);
            expect([...seen].sort()).to.deep.equal(seen);
        });
    });
});
