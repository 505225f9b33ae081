import { Server } from 'http';
import { AddressInfo } from 'net';
import { expect } from 'chai';
import express from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/auth-service';
import { AppError } from '../errors';
import type { GatewayServices } from '../services/gateway-services';
import { openIdempotencyStore } from '../services/idempotency-store';
import { problemMiddleware } from './problem';
import { evaluateRoute, RouteSpec, submitRoute } from './route-spec';
import { newApiRouter } from './router';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const SUPPLIER: Principal = { username: 'suzhou', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };

/** Fake services: a token table and a recording ledger. */
function fakeServices(directory: string) {
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
                return Array.from({ length: 5 }, (_, i) => ({ i }));
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
    { method: 'get', path: '/open', tag: 't', summary: 's', auth: 'public', handler: async () => ({ body: { open: true } }) },
    { method: 'get', path: '/crash', tag: 't', summary: 's', auth: 'public', handler: async () => { throw new Error('secret stack detail /etc/passwd'); } },
];

describe('API router', () => {
    let server: Server;
    let base: string;
    let calls: ReturnType<typeof fakeServices>['calls'];
    let directory: string;

    before(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'router-test-'));
        const fake = fakeServices(directory);
        calls = fake.calls;
        const app = express();
        app.use(newApiRouter(routes, fake.services, { maxDocumentBytes: 1024 }));
        app.use(problemMiddleware({ onError: () => undefined }));
        await new Promise<void>((resolve) => {
            server = app.listen(0, '127.0.0.1', () => resolve());
        });
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(() => {
        server.close();
        rmSync(directory, { recursive: true, force: true });
    });

    beforeEach(() => calls.splice(0));

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

    it('paginates lists with limit and an opaque cursor', async () => {
        const first = await (await fetch(`${base}/things?owner=E1&limit=2`, { headers: { Authorization: 'Bearer good' } })).json();
        expect(first.items).to.deep.equal([{ i: 0 }, { i: 1 }]);
        const last = await (await fetch(`${base}/things?owner=E1&limit=4&cursor=${first.nextCursor}`, { headers: { Authorization: 'Bearer good' } })).json();
        expect(last).to.deep.equal({ items: [{ i: 2 }, { i: 3 }, { i: 4 }], nextCursor: null });
        const bad = await fetch(`${base}/things?owner=E1&cursor=nonsense`, { headers: { Authorization: 'Bearer good' } });
        expect(bad.status).to.equal(400);
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
});
