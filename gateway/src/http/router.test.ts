import { brotliCompressSync, gzipSync } from 'zlib';
import { expect } from 'chai';
import { z } from 'zod';
import type { Principal } from '../auth/auth-service';
import { AppError } from '../errors';
import type { GatewayServices } from '../services/gateway-services';
import { openIdempotencyStore, requestFingerprint } from '../services/idempotency-store';
import { evaluateRoute, PageKey, RouteSpec, submitRoute } from './route-spec';
import { buildOpenApi } from './openapi';
import { paginate, queryParameterNames, secretField } from './router';
import { ALL_ROUTES } from './routes';
import { ApiServer, serveRoutes } from '../../test/support/api-server';
import { TransactionResult } from './schemas';
import RESULT_SCHEMAS from './transaction-result-schemas.json';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const SUPPLIER: Principal = { username: 'suzhou', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };

/** Fake services: a token table and a recording ledger whose lists are the ids in `listed`. */
function fakeServices(directory: string, listed: string[]) {
    const calls: Array<{ kind: string; user: string; fn: string; args: readonly unknown[]; transient?: unknown }> = [];
    const services = {
        auth: {
            authenticate: async (header: string | undefined) => {
                if (header !== 'Bearer good') {
                    throw new AppError('UNAUTHENTICATED', 'no');
                }
                return SUPPLIER;
            },
        },
        ledger: {
            submit: async (user: Principal, fn: string, args: readonly unknown[], options?: { transient?: unknown }) => {
                calls.push({ kind: 'submit', user: user.username, fn, args, transient: options?.transient });
                if (fn === 'x:Refuse') {
                    throw new AppError('INVALID_STATE', 'not now', { txId: 'tx-refused' });
                }
                return { result: { ok: calls.length }, txId: `tx-${calls.length}` };
            },
            evaluate: async (user: Principal, fn: string, args: readonly unknown[]) => {
                calls.push({ kind: 'evaluate', user: user.username, fn, args });
                return listed.map((id) => ({ id }));
            },
        },
        idempotency: openIdempotencyStore(directory),
    } as unknown as GatewayServices;
    return { services, calls };
}

const routes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/things', tag: 't', summary: 's', transaction: 'x:Create', status: 201,
        body: z.strictObject({ amount: z.string().regex(/^\d+$/) }),
        args: ({ body }) => [body],
        transient: ({ body }) => ({ terms: JSON.stringify(body) }),
    }),
    evaluateRoute({ method: 'get', path: '/things', tag: 't', summary: 's', transaction: 'x:List', list: true, query: z.object({ owner: z.string() }), args: ({ query }) => [query.owner] }),
    submitRoute({ method: 'post', path: '/things/:id/refuse', tag: 't', summary: 's', transaction: 'x:Refuse', params: z.strictObject({ id: z.string() }), args: ({ params }) => [params.id] }),
    evaluateRoute({ method: 'get', path: '/things/:id', tag: 't', summary: 's', transaction: 'x:Read', params: z.strictObject({ id: z.string() }), args: ({ params }) => [params.id] }),
    submitRoute({ method: 'post', path: '/things/special', tag: 't', summary: 's', transaction: 'x:Special', body: z.strictObject({}).optional(), args: () => [] }),
    { method: 'get', path: '/open', tag: 't', summary: 's', auth: 'public', handler: async () => ({ body: { open: true } }) },
    { method: 'post', path: '/upload', tag: 't', summary: 's', rawBody: true, handler: async ({ body }) => ({ body: { size: (body as Buffer).length } }) },
    { method: 'post', path: '/open-upload', tag: 't', summary: 's', auth: 'public', rawBody: true, handler: async ({ body }) => ({ body: { size: (body as Buffer).length } }) },
    {
        method: 'post', path: '/secrets', tag: 't', summary: 's', status: 201,
        body: z.strictObject({ name: z.string(), password: secretField(z.string()) }),
        response: z.object({ id: z.string(), secret: secretField(z.string().optional()) }),
        handler: async ({ body }) => ({ body: { id: `S-${body.name}`, secret: `shown-once-${body.password.length}-${Math.random().toString(36).slice(2)}` } }),
    },
    { method: 'get', path: '/crash', tag: 't', summary: 's', auth: 'public', handler: async () => { throw new Error('secret stack detail /etc/passwd'); } },
];

describe('API router', () => {
    let server: ApiServer;
    let base: string;
    let calls: ReturnType<typeof fakeServices>['calls'];
    let directory: string;
    /** The ids the fake ledger lists, in the (unsorted) order it returns them. */
    const listed: string[] = [];
    /** The codes the problem middleware was handed (what the gateway logs and counts). */
    const handled: string[] = [];

    before(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'router-test-'));
        const fake = fakeServices(directory, listed);
        calls = fake.calls;
        server = await serveRoutes(routes, fake.services, (error) => handled.push(error.code));
        base = server.base;
    });

    after(() => {
        server.close();
        rmSync(directory, { recursive: true, force: true });
    });

    beforeEach(() => {
        calls.splice(0);
        handled.splice(0);
        listed.splice(0, listed.length, 'T3', 'T1', 'T5', 'T2', 'T4');
    });

    const authorised = { Authorization: 'Bearer good' };
    const list = async (query: string) => (await fetch(`${base}/things?owner=E1&${query}`, { headers: authorised })).json() as Promise<{ items: Array<{ id: string }>; nextCursor: string | null }>;

    const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${base}${p}`, { method: 'POST', headers: { Authorization: 'Bearer good', 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

    it('submits as the authenticated user with args and transient data, answering 201 with X-Transaction-Id', async () => {
        const response = await post('/things', { amount: '5' });
        expect(response.status).to.equal(201);
        expect(response.headers.get('x-transaction-id')).to.equal('tx-1');
        expect(await response.json()).to.deep.equal({ ok: 1 });
        expect(calls).to.deep.equal([{ kind: 'submit', user: 'suzhou', fn: 'x:Create', args: [{ amount: '5' }], transient: { terms: '{"amount":"5"}' } }]);
    });

    it('refuses invalid input with 400 problem+json naming the field, and calls nothing', async () => {
        const response = await post('/things', { amount: 'five', extra: 1 });
        expect(response.status).to.equal(400);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        const problem = await response.json();
        expect(problem.code).to.equal('INVALID_ARGUMENT');
        expect(problem.detail).to.include('body.amount');
        expect(calls).to.deep.equal([]);
    });

    it('refuses a request without valid credentials before validating it', async () => {
        const response = await fetch(`${base}/things?owner=x`, { headers: { Authorization: 'Bearer forged' } });
        expect(response.status).to.equal(401);
        expect(calls).to.deep.equal([]);
    });

    it('refuses a request without valid credentials before reading its body: 401, not 413 or 400', async () => {
        const large = await fetch(`${base}/upload`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: Buffer.alloc(64 * 1024, 1) });
        expect(large.status).to.equal(401);
        expect((await large.json()).code).to.equal('UNAUTHENTICATED');
        const malformed = await fetch(`${base}/things`, { method: 'POST', headers: { Authorization: 'Bearer forged', 'Content-Type': 'application/json' }, body: '{"amount":' });
        expect(malformed.status).to.equal(401);
        const tooLargeJson = await fetch(`${base}/things`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ amount: '1'.repeat(2 * 1024 * 1024) }) });
        expect(tooLargeJson.status).to.equal(401);
        expect(handled).to.deep.equal(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
        // With credentials the limit applies; a public route reads its body first, as before.
        expect((await fetch(`${base}/upload`, { method: 'POST', headers: authorised, body: Buffer.alloc(64 * 1024, 1) })).status).to.equal(413);
        expect((await fetch(`${base}/open-upload`, { method: 'POST', body: Buffer.alloc(64 * 1024, 1) })).status).to.equal(413);
        expect(await (await fetch(`${base}/upload`, { method: 'POST', headers: authorised, body: Buffer.alloc(100, 1) })).json()).to.deep.equal({ size: 100 });
        expect(calls).to.deep.equal([]);
    });

    it('keeps secret fields out of the idempotency store: the request fingerprint and the stored response', async () => {
        const first = await post('/secrets', { name: 'a', password: 'hunter2-hunter2' }, { 'Idempotency-Key': 'secret-1' });
        expect(first.status).to.equal(201);
        const shown = await first.json();
        expect(shown.secret).to.match(/^shown-once-15-/);
        const stored = readdirSync(directory).map((name) => readFileSync(path.join(directory, name), 'utf8')).join('\n');
        expect(stored).to.not.include(shown.secret);
        expect(stored).to.not.include('hunter2');
        const unredacted = requestFingerprint('post', '/secrets', { name: 'a', password: 'hunter2-hunter2' });
        expect(stored, 'no fast hash of the password either').to.not.include(unredacted);
        const repeat = await post('/secrets', { name: 'a', password: 'hunter2-hunter2' }, { 'Idempotency-Key': 'secret-1' });
        expect(repeat.status).to.equal(201);
        expect(repeat.headers.get('idempotent-replayed')).to.equal('true');
        expect(await repeat.json(), 'the repeat gets the response without the secret').to.deep.equal({ id: 'S-a' });
        const otherName = await post('/secrets', { name: 'b', password: 'hunter2-hunter2' }, { 'Idempotency-Key': 'secret-1' });
        expect(otherName.status, 'a different request is still told apart').to.equal(422);
    });

    it('paginates lists in id order with limit and an opaque cursor', async () => {
        const first = await list('limit=2');
        expect(first.items).to.deep.equal([{ id: 'T1' }, { id: 'T2' }]);
        expect(first.nextCursor).to.be.a('string').and.not.include('T2');
        const last = await list(`limit=4&cursor=${first.nextCursor}`);
        expect(last).to.deep.equal({ items: [{ id: 'T3' }, { id: 'T4' }, { id: 'T5' }], nextCursor: null });
        expect(await list('limit=5')).to.deep.equal({ items: ['T1', 'T2', 'T3', 'T4', 'T5'].map((id) => ({ id })), nextCursor: null });
    });

    it('neither repeats nor skips an item when records are added or removed between pages', async () => {
        const first = await list('limit=2');
        expect(first.items.map((item) => item.id)).to.deep.equal(['T1', 'T2']);
        // Added before the cursor (T0, T15), after it (T25, T6), and the page's last item removed.
        listed.push('T0', 'T15', 'T25', 'T6');
        listed.splice(listed.indexOf('T2'), 1);
        const second = await list(`limit=2&cursor=${first.nextCursor}`);
        expect(second.items.map((item) => item.id)).to.deep.equal(['T25', 'T3']);
        listed.splice(listed.indexOf('T4'), 1);
        const third = await list(`limit=10&cursor=${second.nextCursor}`);
        expect(third).to.deep.equal({ items: [{ id: 'T5' }, { id: 'T6' }], nextCursor: null });
        const seen = [...first.items, ...second.items, ...third.items].map((item) => item.id);
        expect(new Set(seen).size, 'no repeats').to.equal(seen.length);
        expect(seen, 'every item that was there throughout').to.include.members(['T1', 'T3', 'T5']);
    });

    it('refuses a cursor it did not issue with 400, and an offset cursor of the old kind', async () => {
        const tampered = [
            'nonsense',
            Buffer.from('o:2').toString('base64url'),
            Buffer.from('k:').toString('base64url'),
            `${Buffer.from('k:T1').toString('base64url')}!`,
            Buffer.from([0x6b, 0x3a, 0xff, 0xfe]).toString('base64url'),
        ];
        for (const cursor of tampered) {
            const response = await fetch(`${base}/things?owner=E1&cursor=${encodeURIComponent(cursor)}`, { headers: authorised });
            expect(response.status, cursor).to.equal(400);
            expect((await response.json()).code, cursor).to.equal('INVALID_ARGUMENT');
        }
    });

    it('accepts only decimal digits as a page size', async () => {
        for (const limit of ['1e2', '0x10', '2.5', '-1', '0', '501', '+5', '%205']) {
            const response = await fetch(`${base}/things?owner=E1&limit=${limit}`, { headers: authorised });
            expect(response.status, limit).to.equal(400);
            expect((await response.json()).detail, limit).to.equal('query.limit: must be a whole number from 1 to 500');
        }
        expect((await list('limit=03')).items).to.have.length(3);
    });

    it('refuses a query parameter the route does not take with 400 naming it, and calls nothing', async () => {
        for (const [query, named] of [
            ['ownr=E1', 'query.ownr: is not a query parameter of this route (this route takes owner, limit, cursor)'],
            ['owner=E1&Owner=E2', 'query.Owner: is not a query parameter of this route (this route takes owner, limit, cursor)'],
            ['owner=E1&limit[]=1', 'query.limit[]: is not a query parameter of this route (this route takes owner, limit, cursor)'],
            ['owner=E1&cursor[a]=1&x=2', 'query.cursor[a], query.x: are not query parameters of this route (this route takes owner, limit, cursor)'],
        ]) {
            const response = await fetch(`${base}/things?${query}`, { headers: authorised });
            expect(response.status, query).to.equal(400);
            expect(await response.json(), query).to.include({ code: 'INVALID_ARGUMENT', detail: named });
        }
        const unlisted = await fetch(`${base}/things/T1?limit=1`, { headers: authorised });
        expect(unlisted.status).to.equal(400);
        expect((await unlisted.json()).detail).to.equal('query.limit: is not a query parameter of this route (this route takes no query parameters)');
        expect(calls).to.deep.equal([]);
        // The parameters it takes still work.
        expect((await list('limit=2')).items.map((item) => item.id)).to.deep.equal(['T1', 'T2']);
    });

    it('takes exactly the query parameters the OpenAPI document lists for each route', () => {
        const document = buildOpenApi(ALL_ROUTES, 'test') as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> };
        for (const route of ALL_ROUTES) {
            const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method];
            const documented = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
            expect([...queryParameterNames(route)].sort(), `${route.method} ${route.path}`).to.deep.equal(documented.sort());
        }
        expect(queryParameterNames(ALL_ROUTES.find((r) => r.path === '/events') as RouteSpec)).to.include('access_token');
        expect(() => queryParameterNames({ method: 'get', path: '/x', query: z.string() })).to.throw('get /x: a query schema must be an object schema');
    });

    it('fails loudly, not by skipping, when list items share a page key or have none', async () => {
        listed.push('T1');
        const duplicate = await fetch(`${base}/things?owner=E1`, { headers: authorised });
        expect(duplicate.status).to.equal(500);
        expect(handled).to.deep.equal(['INTERNAL']);
    });

    it('refuses a body over the limit with 413 naming the limit, and calls nothing', async () => {
        const response = await post('/things', { amount: '1'.repeat(1024 * 1024) });
        expect(response.status).to.equal(413);
        expect(await response.json()).to.include({ code: 'PAYLOAD_TOO_LARGE', detail: 'the request body is larger than the 1048576 bytes this endpoint accepts' });
        expect(calls).to.deep.equal([]);
    });

    it('renders a ledger refusal with its code and transaction id', async () => {
        const response = await post('/things/T1/refuse', {});
        expect(response.status).to.equal(409);
        expect(await response.json()).to.include({ code: 'INVALID_STATE', txId: 'tx-refused', detail: 'not now' });
    });

    it('replays an Idempotency-Key without calling the ledger again', async () => {
        const first = await post('/things', { amount: '7' }, { 'Idempotency-Key': 'k1' });
        const second = await post('/things', { amount: '7' }, { 'Idempotency-Key': 'k1' });
        expect(await second.json()).to.deep.equal(await first.json());
        expect(second.headers.get('idempotent-replayed')).to.equal('true');
        expect(calls.filter((c) => c.kind === 'submit')).to.have.length(1);
    });

    it('serves public routes without credentials, and hides internals of unexpected failures', async () => {
        expect(await (await fetch(`${base}/open`)).json()).to.deep.equal({ open: true });
        const crash = await fetch(`${base}/crash`);
        expect(crash.status).to.equal(500);
        const text = await crash.text();
        expect(text).to.not.include('passwd');
        expect(JSON.parse(text).code).to.equal('INTERNAL');
    });

    it('refuses malformed JSON and non-JSON bodies', async () => {
        const malformed = await fetch(`${base}/things`, { method: 'POST', headers: { Authorization: 'Bearer good', 'Content-Type': 'application/json' }, body: '{"amount":' });
        expect(malformed.status).to.equal(400);
        const form = await fetch(`${base}/things`, { method: 'POST', headers: { Authorization: 'Bearer good', 'Content-Type': 'text/plain' }, body: 'amount=5' });
        expect(form.status).to.equal(415);
    });

    it('refuses a +json media type it does not parse with 415, rather than validating an unread body', async () => {
        for (const type of ['application/merge-patch+json', 'application/problem+json', 'application/vnd.api+json']) {
            const response = await post('/things', { amount: '5' }, { 'Content-Type': type });
            expect(response.status, type).to.equal(415);
            const problem = await response.json();
            expect(problem.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
            expect(problem.detail).to.include(type);
        }
        expect((await post('/things', { amount: '5' }, { 'Content-Type': 'application/json; charset=utf-8' })).status).to.equal(201);
        expect(calls).to.have.length(1);
    });

    it('says that a body of valid JSON must be an object when it is a string, null, a number or an array', async () => {
        for (const body of ['"str"', 'null', '42', '[1,2]', 'true']) {
            const response = await fetch(`${base}/things`, { method: 'POST', headers: { ...authorised, 'Content-Type': 'application/json' }, body });
            expect(response.status, body).to.equal(400);
            expect(await response.json(), body).to.include({ code: 'INVALID_ARGUMENT', detail: 'body: must be a JSON object' });
        }
        expect(calls).to.deep.equal([]);
    });

    it('refuses a body that is not in its Content-Encoding with 400, and an encoding it does not accept with 415', async () => {
        const json = JSON.stringify({ amount: '5' });
        const send = (encoding: string, body: Uint8Array | string) =>
            fetch(`${base}/things`, { method: 'POST', headers: { ...authorised, 'Content-Type': 'application/json', 'Content-Encoding': encoding }, body });
        for (const encoding of ['gzip', 'br', 'deflate']) {
            const response = await send(encoding, json);
            expect(response.status, encoding).to.equal(400);
            expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
            const problem = await response.json();
            expect(problem.code, encoding).to.equal('INVALID_ARGUMENT');
            expect(problem.detail, encoding).to.include('Content-Encoding');
        }
        expect(handled).to.deep.equal(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
        const unknown = await send('compress', json);
        expect(unknown.status).to.equal(415);
        expect((await unknown.json()).code).to.equal('UNSUPPORTED_MEDIA_TYPE');
        expect(calls).to.deep.equal([]);
        expect((await send('gzip', gzipSync(json))).status).to.equal(201);
        expect((await send('br', brotliCompressSync(json))).status).to.equal(201);
    });

    it('answers a path parameter that is not valid percent-encoding with 400, not 500', async () => {
        for (const p of ['/things/%ZZ', '/things/%E0%A4%A/refuse', '/things/%C3%28']) {
            const response = await fetch(`${base}${p}`, { method: p.endsWith('refuse') ? 'POST' : 'GET', headers: authorised });
            expect(response.status, p).to.equal(400);
            expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
            const problem = await response.json();
            expect(problem.code).to.equal('INVALID_ARGUMENT');
            expect(problem.detail).to.include('percent-encoding');
        }
        expect(handled).to.deep.equal(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
        expect(calls).to.deep.equal([]);
    });

    it('answers a known path asked with a method it does not answer with 405 and Allow', async () => {
        const cases: Array<[method: string, path: string, allow: string]> = [
            ['DELETE', '/things', 'GET, HEAD, POST'],
            ['PUT', '/things', 'GET, HEAD, POST'],
            ['PATCH', '/things/T1', 'GET, HEAD'],
            ['GET', '/things/T1/refuse', 'POST'],
            ['DELETE', '/things/special', 'GET, HEAD, POST'],
            ['POST', '/open', 'GET, HEAD'],
        ];
        for (const [method, p, allow] of cases) {
            const response = await fetch(`${base}${p}`, { method, headers: authorised });
            expect(response.status, `${method} ${p}`).to.equal(405);
            expect(response.headers.get('allow'), `${method} ${p}`).to.equal(allow);
            expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
            expect(await response.json()).to.include({ status: 405, code: 'METHOD_NOT_ALLOWED' });
        }
        const head = await fetch(`${base}/things/T1/refuse`, { method: 'HEAD', headers: authorised });
        expect(head.status).to.equal(405);
        expect(head.headers.get('allow')).to.equal('POST');
        expect(calls).to.deep.equal([]);
    });

    it('keeps answering OPTIONS with Allow, and unknown paths with 404', async () => {
        const options = await fetch(`${base}/things`, { method: 'OPTIONS' });
        expect(options.status).to.equal(200);
        expect(options.headers.get('allow')).to.equal('GET, HEAD, POST');
        for (const [method, p] of [['DELETE', '/nothing'], ['GET', '/things/T1/unknown'], ['POST', '/things/T1/refuse/more']]) {
            const response = await fetch(`${base}${p}`, { method, headers: authorised });
            expect(response.status, `${method} ${p}`).to.equal(404);
            expect(response.headers.get('allow')).to.equal(null);
            expect((await response.json()).code).to.equal('NOT_FOUND');
        }
    });
});

describe('page keys of the list routes', () => {
    type JsonSchema = { $ref?: string; required?: string[]; items?: JsonSchema };
    const results = RESULT_SCHEMAS as unknown as { transactions: Record<string, JsonSchema>; components: Record<string, JsonSchema> };
    const resolve = (schema: JsonSchema): JsonSchema => (schema.$ref ? results.components[schema.$ref.split('/').pop() as string] : schema);

    /** The fields a page key reads, found by handing it an item that records each read. */
    function fieldsRead(pageKey: PageKey): string[] {
        const read: string[] = [];
        const item = new Proxy({}, { get: (_target, name) => (read.push(String(name)), 'RED') });
        pageKey(item);
        return read;
    }

    it('key every list by fields its items always carry (the id unless the route says otherwise)', () => {
        const lists = ALL_ROUTES.filter((route) => route.list);
        expect(lists.length).to.be.greaterThan(10);
        for (const route of lists) {
            const read = fieldsRead(route.pageKey ?? ((item) => item.id));
            const required = route.transaction && route.response === TransactionResult ? resolve(resolve(results.transactions[route.transaction]).items as JsonSchema).required : Object.keys((route.response as z.ZodObject).shape);
            expect(required, `${route.method} ${route.path}`).to.include.members(read);
        }
    });

    it('keeps warnings worst first, then in enterprise id order', () => {
        const warnings = ALL_ROUTES.find((route) => route.path === '/warnings') as RouteSpec;
        const entries = [
            { enterpriseId: 'B', warning: 'BLUE' },
            { enterpriseId: 'A', warning: 'NONE' },
            { enterpriseId: 'C', warning: 'RED' },
            { enterpriseId: 'A', warning: 'RED' },
            { enterpriseId: 'D', warning: 'YELLOW' },
        ];
        const page = paginate(entries, {}, warnings.pageKey);
        expect(page.items.map((entry) => `${(entry as typeof entries[0]).warning} ${(entry as typeof entries[0]).enterpriseId}`)).to.deep.equal(['RED A', 'RED C', 'YELLOW D', 'BLUE B', 'NONE A']);
    });
});
