import { expect } from 'chai';
import { ApiClient, ApiError, codeForStatus, parseRetryAfter } from './api-client';
import { InputError } from './input-error';
import type { LedgerEvent } from './resources';

interface Recorded {
    url: string;
    method: string;
    headers: Record<string, string>;
    body?: string;
}

/** A fake fetch answering from a queue of responses and recording every request. */
function fakeFetch(answers: Array<Response | Error>): { fetch: (url: string, init?: RequestInit) => Promise<Response>; calls: Recorded[] } {
    const calls: Recorded[] = [];
    return {
        calls,
        fetch: async (url, init = {}) => {
            calls.push({ url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: typeof init.body === 'string' ? init.body : undefined });
            const next = answers.shift();
            if (!next) {
                throw new Error('no answer queued');
            }
            if (next instanceof Error) {
                throw next;
            }
            return next;
        },
    };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
}

const user = { username: 'suzhou', role: 'supplier', enterpriseId: '91320500MA1XYZ0001', mspId: 'PlatformMSP' };

describe('ApiClient', () => {
    it('logs in, keeps the token and sends it as a bearer token afterwards', async () => {
        const f = fakeFetch([json(200, { token: 'tok-1', expiresAt: '2026-01-05T00:15:00Z', user }), json(200, user)]);
        const api = new ApiClient({ fetch: f.fetch, newIdempotencyKey: () => 'key-1' });
        const result = await api.login('suzhou', 'xinlian-demo');
        expect(result.user.role).to.equal('supplier');
        expect(api.token).to.equal('tok-1');
        expect(f.calls[0]).to.deep.include({ url: '/api/v1/auth/login', method: 'POST' });
        expect(f.calls[0].headers.Authorization).to.equal(undefined);
        expect(JSON.parse(f.calls[0].body ?? '')).to.deep.equal({ username: 'suzhou', password: 'xinlian-demo' });
        await api.me();
        expect(f.calls[1].url).to.equal('/api/v1/me');
        expect(f.calls[1].headers.Authorization).to.equal('Bearer tok-1');
    });

    it('sends an Idempotency-Key on writes only and records the transaction id', async () => {
        let n = 0;
        const f = fakeFetch([json(200, { items: [], nextCursor: null }), json(200, { parent: {}, children: [] }, { 'X-Transaction-Id': 'tx-9' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => `key-${++n}` });
        await api.listNotes('91320500MA1XYZ0001');
        await api.splitNote('N-1', ['600', '400']);
        expect(f.calls[0].headers['Idempotency-Key']).to.equal(undefined);
        expect(f.calls[0].url).to.equal('/api/v1/notes?holderId=91320500MA1XYZ0001');
        expect(f.calls[1]).to.deep.include({ url: '/api/v1/notes/N-1/split', method: 'POST' });
        expect(f.calls[1].headers['Idempotency-Key']).to.equal('key-1');
        expect(f.calls[1].headers['Content-Type']).to.equal('application/json');
        expect(JSON.parse(f.calls[1].body ?? '')).to.deep.equal({ amounts: ['600', '400'] });
        expect(api.lastTransactionId).to.equal('tx-9');
    });

    it('decodes a problem+json answer into an ApiError with the gateway code', async () => {
        const f = fakeFetch([json(403, { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'note N-1 is not held by X', code: 'FORBIDDEN', txId: 'tx-3' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't' });
        const error = await api.readNote('N-1').then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(ApiError);
        const apiError = error as ApiError;
        expect(apiError.code).to.equal('FORBIDDEN');
        expect(apiError.status).to.equal(403);
        expect(apiError.detail).to.equal('note N-1 is not held by X');
        expect(apiError.txId).to.equal('tx-3');
        expect(apiError.userMessage).to.match(/not allowed/);
    });

    it('derives a code from the status when the body is not a problem document', async () => {
        const f = fakeFetch([new Response('upstream down', { status: 503 })]);
        const api = new ApiClient({ fetch: f.fetch, retries: 0 });
        const error = (await api.listIssuers().catch((e: unknown) => e)) as ApiError;
        expect(error.code).to.equal('LEDGER_UNAVAILABLE');
        expect(codeForStatus(409)).to.equal('CONFLICT');
        expect(codeForStatus(418)).to.equal('INTERNAL');
    });

    it('turns a network failure into a NETWORK error once the repeats are used up', async () => {
        const f = fakeFetch([new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), new TypeError('Failed to fetch')]);
        const delays: number[] = [];
        const api = new ApiClient({ fetch: f.fetch, retries: 2, retryDelayMs: 100, sleep: async (ms) => void delays.push(ms) });
        const error = (await api.me().catch((e: unknown) => e)) as ApiError;
        expect(error).to.be.instanceOf(ApiError);
        expect(error.code).to.equal('NETWORK');
        expect(error.userMessage).to.match(/cannot be reached/);
        expect(f.calls).to.have.length(3);
        expect(delays).to.deep.equal([100, 200]);
    });

    it('says a write that got no answer may have been recorded, and to check before trying again', async () => {
        const f = fakeFetch([new TypeError('Failed to fetch'), new TypeError('Failed to fetch')]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', retries: 1, sleep: async () => undefined, newIdempotencyKey: () => 'k' });
        const error = (await api.splitNote('N-1', ['600', '400']).catch((e: unknown) => e)) as ApiError;
        expect(error.code).to.equal('NETWORK');
        expect(error.write).to.equal(true);
        expect(error.userMessage).to.equal('The platform could not be reached, so it is not known whether this change was recorded. Reload the record or list to check before trying again.');
        expect(error.userMessage).not.to.match(/Check your connection and try again/);
    });

    it('repeats a write whose outcome is unknown with the same Idempotency-Key until the gateway answers', async () => {
        const keys = ['key-a', 'key-b'];
        const f = fakeFetch([
            new TypeError('Failed to fetch'),
            json(504, { code: 'LEDGER_TIMEOUT', title: 'Gateway Timeout', detail: 'no commit status yet' }),
            json(409, { code: 'IDEMPOTENCY_IN_PROGRESS', title: 'Conflict', detail: 'still running' }),
            json(201, { id: 'CL-1' }, { 'X-Transaction-Id': 'tx-1', 'Idempotent-Replayed': 'true' }),
        ]);
        const api = new ApiClient({ fetch: f.fetch, newIdempotencyKey: () => keys.shift() as string, sleep: async () => undefined });
        const line = await api.grantCreditLine({ coreEnterpriseId: 'E', currency: 'CNY', limit: '100', expiresAt: '2030-01-01' });
        expect(line).to.deep.equal({ id: 'CL-1' });
        expect(f.calls.map((c) => c.headers['Idempotency-Key'])).to.deep.equal(['key-a', 'key-a', 'key-a', 'key-a']);
        expect(api.lastTransactionId).to.equal('tx-1');
    });

    it('never repeats a refusal, and repeats a read only while the gateway is unavailable', async () => {
        const f = fakeFetch([json(409, { code: 'INSUFFICIENT_LIMIT', title: 'Conflict', detail: 'no room' })]);
        const api = new ApiClient({ fetch: f.fetch, sleep: async () => undefined });
        const refused = (await api.grantCreditLine({ coreEnterpriseId: 'E', currency: 'CNY', limit: '100', expiresAt: '2030-01-01' }).catch((e: unknown) => e)) as ApiError;
        expect([refused.code, f.calls.length]).to.deep.equal(['INSUFFICIENT_LIMIT', 1]);

        const reads = fakeFetch([json(503, { code: 'LEDGER_UNAVAILABLE', title: 'Service Unavailable', detail: 'starting' }), json(200, user), json(409, { code: 'IDEMPOTENCY_IN_PROGRESS', title: 'Conflict', detail: '' })]);
        const reader = new ApiClient({ fetch: reads.fetch, sleep: async () => undefined });
        expect(await reader.me()).to.deep.equal(user);
        expect(reads.calls.map((c) => c.headers['Idempotency-Key'])).to.deep.equal([undefined, undefined]);
        expect(((await reader.me().catch((e: unknown) => e)) as ApiError).code).to.equal('IDEMPOTENCY_IN_PROGRESS');
        expect(reads.calls).to.have.length(3);
    });

    it('calls the unauthenticated hook on 401, with the refusal that says why', async () => {
        const refusals: ApiError[] = [];
        const detail = 'the token was issued before the password changed; log in again';
        const f = fakeFetch([json(401, { code: 'UNAUTHENTICATED', title: 'Unauthorized', status: 401, detail }, { 'WWW-Authenticate': 'Bearer realm="xinlian", error="invalid_token"' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 'old', onUnauthenticated: (error) => void refusals.push(error) });
        await api.me().catch(() => undefined);
        expect(refusals.map((e) => [e.status, e.code, e.detail])).to.deep.equal([[401, 'UNAUTHENTICATED', detail]]);
    });

    describe('a 503 that says when to come back (Retry-After)', () => {
        const busy = (seconds: string): Response => json(503, { code: 'LEDGER_UNAVAILABLE', title: 'Service Unavailable', detail: 'the gateway is starting; try again shortly' }, { 'Retry-After': seconds });

        it('reads again once, after the wait asked for, and no sooner', async () => {
            const f = fakeFetch([busy('2'), json(200, user)]);
            const delays: number[] = [];
            const api = new ApiClient({ fetch: f.fetch, sleep: async (ms) => void delays.push(ms) });
            expect(await api.me()).to.deep.equal(user);
            expect(delays).to.deep.equal([2000]);
        });

        it('reads only once more: a second 503 is left to the user, saying the platform is busy and when to try again', async () => {
            const f = fakeFetch([busy('2'), busy('3')]);
            const delays: number[] = [];
            const api = new ApiClient({ fetch: f.fetch, sleep: async (ms) => void delays.push(ms) });
            const error = (await api.me().catch((e: unknown) => e)) as ApiError;
            expect([error.status, error.code, error.retryAfterSeconds]).to.deep.equal([503, 'LEDGER_UNAVAILABLE', 3]);
            expect(error.userMessage).to.equal('The platform is busy right now (starting up or under heavy load) and asked to wait. Please try again in 3 seconds.');
            expect(f.calls).to.have.length(2);
            expect(delays).to.deep.equal([2000]);
        });

        it('does not sit through a long wait: the user is told at once', async () => {
            const f = fakeFetch([busy('120')]);
            const api = new ApiClient({ fetch: f.fetch, sleep: async () => expect.fail('no wait') });
            const error = (await api.listNotes('H').catch((e: unknown) => e)) as ApiError;
            expect(error.userMessage).to.contain('try again in 2 minutes');
            expect(f.calls).to.have.length(1);
        });

        it('sends a write again only with its Idempotency-Key, once, and never one sent once (a password change)', async () => {
            const f = fakeFetch([busy('1'), json(201, { id: 'CL-1' }, { 'X-Transaction-Id': 'tx-1' })]);
            let n = 0;
            const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => `key-${++n}`, sleep: async () => undefined });
            await api.grantCreditLine({ coreEnterpriseId: 'E', currency: 'CNY', limit: '100', expiresAt: '2030-01-01' });
            expect(f.calls.map((c) => [c.method, c.headers['Idempotency-Key']])).to.deep.equal([
                ['POST', 'key-1'],
                ['POST', 'key-1'],
            ]);

            const once = fakeFetch([busy('1')]);
            const account = new ApiClient({ fetch: once.fetch, token: 't', sleep: async () => undefined });
            const refused = (await account.changePassword('old-password-1', 'new-password-1').catch((e: unknown) => e)) as ApiError;
            expect(refused.status).to.equal(503);
            expect(once.calls).to.have.length(1);
        });

        it('keeps the feed of events away for as long as the gateway asked', async () => {
            const abort = new AbortController();
            const f = fakeFetch([busy('1')]);
            const started = Date.now();
            const states: string[] = [];
            const following = new ApiClient({ fetch: f.fetch, token: 't' }).followEvents({ signal: abort.signal, retryMs: 10, onEvent: () => undefined, onState: (s) => void states.push(s) });
            await new Promise((resolve) => setTimeout(resolve, 300));
            expect(f.calls, 'not reconnected within the second asked for').to.have.length(1);
            abort.abort();
            await following;
            expect(states[0]).to.equal('retrying');
            expect(Date.now() - started).to.be.lessThan(1000);
        });
    });

    it('sends nothing beyond the limits the API documents, and names the field', async () => {
        const f = fakeFetch([]);
        const api = new ApiClient({ fetch: f.fetch, token: 't' });
        const tooMany = Array.from({ length: 51 }, (_, i) => `R-${i}`);
        const error = await api.issueNote({ holderId: 'H', amount: '100', currency: 'CNY', maturityDate: '2030-01-01', creditLineId: 'L', receivableIds: tooMany }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InputError);
        expect(error).to.include({ field: 'receivableIds', message: 'At most 50 are allowed here at once (51 given).' });
        const long = await api.registerEnterprise({ id: 'X', name: 'N'.repeat(201), kind: 'SUPPLIER' }).catch((e: unknown) => e);
        expect(long).to.include({ field: 'name' });
        expect(f.calls, 'nothing sent').to.have.length(0);
    });

    it('does not send again by itself a write refused for an ended session, and carries on with a renewed token', async () => {
        let expired = 0;
        const f = fakeFetch([json(401, { code: 'UNAUTHENTICATED' }), json(201, { id: 'CL-1' }, { 'X-Transaction-Id': 'tx-1' })]);
        let n = 0;
        const api = new ApiClient({ fetch: f.fetch, token: 'old', onUnauthenticated: () => (expired += 1), newIdempotencyKey: () => `key-${++n}`, sleep: async () => undefined });
        const body = { coreEnterpriseId: 'C', currency: 'CNY', limit: '100', expiresAt: '2027-01-01T00:00:00.000Z' };
        const refused = (await api.grantCreditLine(body).catch((e: unknown) => e)) as ApiError;
        expect(refused.code).to.equal('UNAUTHENTICATED');
        expect(expired).to.equal(1);
        expect(f.calls).to.have.length(1); // not repeated: a 401 is an answer, not an unknown outcome

        api.useToken('new');
        expect(api.token).to.equal('new');
        await api.grantCreditLine(body); // the user pressed the button again
        expect(f.calls).to.have.length(2);
        expect(f.calls[1].headers.Authorization).to.equal('Bearer new');
        expect(f.calls[1].headers['Idempotency-Key']).to.equal('key-2');
    });

    it('learns the gateway’s clock from the Date header of its answers', async () => {
        const api = new ApiClient({ fetch: fakeFetch([json(200, user), json(200, user, { Date: new Date(Date.now() + 3_600_000).toUTCString() })]).fetch, token: 't' });
        expect(api.serverClockOffsetMs).to.equal(undefined);
        await api.me(); // no Date header (a fake): still unknown
        expect(api.serverClockOffsetMs).to.equal(undefined);
        await api.me();
        // An hour ahead, to the second of the header.
        expect(api.serverClockOffsetMs).to.be.within(3_600_000 - 2_000, 3_600_000 + 1_000);
    });

    it('follows nextCursor across pages of a list', async () => {
        const f = fakeFetch([json(200, { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c2' }), json(200, { items: [{ id: 'c' }], nextCursor: null })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't' });
        const offers = await api.listOffers('E1', 'incoming');
        expect(offers.map((o) => o.id)).to.deep.equal(['a', 'b', 'c']);
        expect(f.calls[0].url).to.equal('/api/v1/offers?enterpriseId=E1&direction=incoming');
        expect(f.calls[1].url).to.equal('/api/v1/offers?enterpriseId=E1&direction=incoming&cursor=c2');
    });

    it('reads every page of a long list: 2,065 receivables over 21 pages of 100, none dropped', async () => {
        const ids = Array.from({ length: 2065 }, (_, i) => `R-${String(i).padStart(5, '0')}`);
        const pages: Response[] = [];
        for (let start = 0; start < ids.length; start += 100) {
            const more = start + 100 < ids.length;
            pages.push(json(200, { items: ids.slice(start, start + 100).map((id) => ({ id })), nextCursor: more ? `after-${ids[start + 99]}` : null }));
        }
        const f = fakeFetch(pages);
        const api = new ApiClient({ fetch: f.fetch, token: 't' });
        const receivables = await api.listReceivables('E1', 'buyer');
        expect(receivables.map((r) => r.id)).to.deep.equal(ids);
        expect(f.calls).to.have.length(21);
        expect(f.calls[20].url).to.equal('/api/v1/receivables?enterpriseId=E1&role=buyer&cursor=after-R-01999');
    });

    it('fails with LIST_TOO_LONG, rather than returning part of the list, when pages go on past the 100-page bound', async () => {
        let served = 0;
        const api = new ApiClient({
            token: 't',
            fetch: async () => {
                served++;
                return json(200, { items: [{ id: `E-${served}` }], nextCursor: `c${served}` });
            },
        });
        const error = (await api.listEnterprises().catch((e: unknown) => e)) as ApiError;
        expect(error).to.be.instanceOf(ApiError);
        expect(error.code).to.equal('LIST_TOO_LONG');
        expect(error.userMessage).to.match(/not shown at all rather than with entries missing/);
        expect(error.detail).to.contain('more than 100 entries in /enterprises').and.contain('100 pages');
        expect(served).to.equal(100);
    });

    it('returns a list that ends exactly on its last allowed page, and honours a smaller maxPages', async () => {
        const page = (cursor: string | null): Response => json(200, { items: [{ id: 'x' }], nextCursor: cursor });
        const full = fakeFetch([page('c2'), page(null)]);
        expect(await new ApiClient({ fetch: full.fetch, token: 't', maxPages: 2 }).listEnterprises()).to.have.length(2);
        const over = fakeFetch([page('c2'), page('c3'), page(null)]);
        const error = (await new ApiClient({ fetch: over.fetch, token: 't', maxPages: 2 }).listEnterprises().catch((e: unknown) => e)) as ApiError;
        expect(error.code).to.equal('LIST_TOO_LONG');
        expect(over.calls).to.have.length(2);
    });

    it('sends quote terms in the body for the gateway to move into the transient map', async () => {
        const f = fakeFetch([json(201, { id: 'Q-1' }), json(201, { id: 'Q-2' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        await api.submitQuote('DR-1', 350, '5000');
        await api.submitQuote('DR-1', 350, '0');
        expect(JSON.parse(f.calls[0].body ?? '')).to.deep.equal({ rateBps: 350, feeAmount: '5000' });
        expect(JSON.parse(f.calls[1].body ?? '')).to.deep.equal({ rateBps: 350 });
    });

    it('verifies passports and lists issuers without credentials', async () => {
        const f = fakeFetch([json(200, { valid: true, reasons: [], status: 'VALID' }), json(200, { items: [{ address: '0xA', bureauId: 'B', status: 'ACTIVE' }], nextCursor: null })]);
        const api = new ApiClient({ fetch: f.fetch, token: 'secret' });
        const passport = { attestation: { subject: 'S', score: 1, grade: 'A', reasonCodes: [], evidenceHash: '0x', issuedAt: 1, expiresAt: 2, nonce: '0x' }, signature: '0x' };
        expect((await api.verifyPassport(passport)).valid).to.equal(true);
        expect(await api.listIssuers()).to.deep.equal([{ address: '0xA', bureauId: 'B', status: 'ACTIVE' }]);
        expect(f.calls.every((c) => c.headers.Authorization === undefined)).to.equal(true);
    });

    it('reads every page of the published issuer keys, without credentials', async () => {
        const first = Array.from({ length: 100 }, (_, i) => ({ address: `0x${String(i).padStart(40, '0')}`, bureauId: 'B', status: i % 2 ? 'REVOKED' : 'ACTIVE' }));
        const later = { address: `0x${'f'.repeat(40)}`, bureauId: 'B', status: 'ACTIVE' };
        const f = fakeFetch([json(200, { items: first, nextCursor: 'page-2' }), json(200, { items: [later], nextCursor: null })]);
        const api = new ApiClient({ fetch: f.fetch, token: 'secret' });
        const keys = await api.listIssuers();
        expect(keys).to.have.length(101);
        expect(keys[100]).to.deep.equal(later);
        expect(f.calls.map((c) => c.url)).to.deep.equal(['/api/v1/passports/issuers', '/api/v1/passports/issuers?cursor=page-2']);
        expect(f.calls.every((c) => c.headers.Authorization === undefined)).to.equal(true);
    });

    it('reads the ledger height without credentials, undefined when the backend reports none', async () => {
        const f = fakeFetch([json(200, { status: 'ready', ledger: { backend: 'embedded', height: 21 } }), json(200, { status: 'ready', ledger: { backend: 'fabric' } })]);
        const api = new ApiClient({ fetch: f.fetch, token: 'secret' });
        expect(await api.ledgerHeight()).to.equal(21);
        expect(await api.ledgerHeight()).to.equal(undefined);
        expect(f.calls.map((c) => [c.url, c.headers.Authorization])).to.deep.equal([
            ['/api/v1/health/ready', undefined],
            ['/api/v1/health/ready', undefined],
        ]);
    });

    it('revokes an attestation with its reason', async () => {
        const f = fakeFetch([json(200, { id: '0xabc', status: 'REVOKED' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        expect((await api.revokeAttestation('0xabc', 'score disputed')).status).to.equal('REVOKED');
        expect(f.calls[0]).to.deep.include({ url: '/api/v1/attestations/0xabc/revoke', method: 'POST', body: '{"reason":"score disputed"}' });
        expect(f.calls[0].headers['Idempotency-Key']).to.equal('k');
    });

    it('terminates an agreement with its reason', async () => {
        const f = fakeFetch([json(200, { id: 'agr-1', status: 'TERMINATED' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        expect((await api.terminateAgreement('agr-1', 'contract ended')).status).to.equal('TERMINATED');
        expect(f.calls[0]).to.deep.include({ url: '/api/v1/agreements/agr-1/terminate', method: 'POST', body: '{"reason":"contract ended"}' });
        expect(f.calls[0].headers['Idempotency-Key']).to.equal('k');
    });

    it('requests a pledge with the rank it declares and whether juniors may follow', async () => {
        const f = fakeFetch([json(201, { id: 'pledge-1', status: 'REQUESTED' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        await api.requestPledge({ assetId: 'ip-1', pledgeeId: 'BANK', securedAmount: '100000', currency: 'CNY', termStart: '2026-01-01', termEnd: '2027-01-01', priority: 2, allowJunior: true });
        expect(f.calls[0]).to.deep.include({ url: '/api/v1/pledges', method: 'POST' });
        expect(JSON.parse(f.calls[0].body ?? '')).to.include({ priority: 2, allowJunior: true });
    });

    it('acknowledges payment of a receivable with an empty body (the seller)', async () => {
        const f = fakeFetch([json(200, { id: 'rcv-1', status: 'SETTLED' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        expect((await api.settleReceivable('rcv-1')).status).to.equal('SETTLED');
        expect(f.calls[0]).to.deep.include({ url: '/api/v1/receivables/rcv-1/settle', method: 'POST', body: '{}' });
        expect(f.calls[0].headers['Idempotency-Key']).to.equal('k');
    });

    it('uploads documents as raw bytes with their media type', async () => {
        const f = fakeFetch([json(201, { cid: 'bafkrei', size: 3, mediaType: 'application/pdf' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        const stored = await api.uploadDocument(new Uint8Array([1, 2, 3]), 'application/pdf');
        expect(stored.cid).to.equal('bafkrei');
        expect(f.calls[0].headers['Content-Type']).to.equal('application/pdf');
    });

    it('downloads a document as untyped bytes, never with the type its uploader declared', async () => {
        const html = "<script>document.title='PWNED'</script>";
        const f = fakeFetch([new Response(html, { status: 200, headers: { 'Content-Type': 'text/html' } })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't' });
        const blob = await api.downloadDocument('bafkrei');
        expect(blob.type).to.equal('application/octet-stream');
        expect(await blob.text()).to.equal(html);
        expect(f.calls[0].url).to.equal('/api/v1/documents/bafkrei');
    });

    it('proposes agreements and generates and revokes bureau keys (platform admin)', async () => {
        const f = fakeFetch([json(201, { id: 'agr-1', status: 'PROPOSED' }), json(201, { address: '0xabc', status: 'ACTIVE' }), json(200, { address: '0xabc', status: 'REVOKED' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 't', newIdempotencyKey: () => 'k' });
        const scale = [{ minScore: 0, grade: 'C' }];
        await api.proposeAgreement({ partnerId: 'P', partnerMspId: 'PartnerMSP', gradeScale: scale, validFrom: '2026-01-01', validUntil: '2027-01-01' });
        await api.generateBureauKey('B', 'key 2');
        await api.revokeBureauKey('0xabc', 'compromised');
        expect(f.calls.map((c) => [c.method, c.url, c.body])).to.deep.equal([
            ['POST', '/api/v1/agreements', JSON.stringify({ partnerId: 'P', partnerMspId: 'PartnerMSP', gradeScale: scale, validFrom: '2026-01-01', validUntil: '2027-01-01' })],
            ['POST', '/api/v1/bureau-keys/generate', '{"bureauId":"B","label":"key 2"}'],
            ['POST', '/api/v1/bureau-keys/0xabc/revoke', '{"reason":"compromised"}'],
        ]);
    });

    it('encodes path segments', async () => {
        const f = fakeFetch([json(200, {})]);
        const api = new ApiClient({ fetch: f.fetch, token: 't' });
        await api.readEnterprise('a/b?c');
        expect(f.calls[0].url).to.equal('/api/v1/enterprises/a%2Fb%3Fc');
    });

    it('follows the event stream with the bearer token and resumes with Last-Event-ID', async () => {
        const encoder = new TextEncoder();
        const stream = (text: string): Response =>
            new Response(
                new ReadableStream({
                    start(controller) {
                        controller.enqueue(encoder.encode(text));
                        controller.close();
                    },
                }),
                { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
            );
        const abort = new AbortController();
        const events: LedgerEvent[] = [];
        const f = fakeFetch([stream('id: 4:0\nevent: IssueNote\ndata: {"noteId":"N-1"}\n\n'), stream('id: 5:0\nevent: SplitNote\ndata: {"rootId":"N-1"}\n\n')]);
        const api = new ApiClient({ fetch: f.fetch, token: 'tok' });
        await api.followEvents({
            signal: abort.signal,
            retryMs: 1,
            onEvent: (event) => {
                events.push(event);
                if (events.length === 2) {
                    abort.abort();
                }
            },
        });
        expect(events).to.deep.equal([
            { id: '4:0', name: 'IssueNote', data: { noteId: 'N-1' } },
            { id: '5:0', name: 'SplitNote', data: { rootId: 'N-1' } },
        ]);
        expect(f.calls[0].headers.Authorization).to.equal('Bearer tok');
        expect(f.calls[0].headers.Accept).to.equal('text/event-stream');
        expect(f.calls[1].headers['Last-Event-ID']).to.equal('4:0');
    });

    it('stops following events on 401 with an ApiError', async () => {
        const f = fakeFetch([json(401, { code: 'UNAUTHENTICATED' })]);
        const api = new ApiClient({ fetch: f.fetch, token: 'tok' });
        const error = await api.followEvents({ signal: new AbortController().signal, onEvent: () => undefined }).catch((e: unknown) => e);
        expect((error as ApiError).code).to.equal('UNAUTHENTICATED');
    });

    describe('accounts', () => {
        it('changes the password with one POST /auth/password and never repeats it, even when its outcome is unknown', async () => {
            const f = fakeFetch([new Response(null, { status: 204 })]);
            const api = new ApiClient({ fetch: f.fetch, token: 'tok', newIdempotencyKey: () => 'key-1' });
            expect(await api.changePassword('old-password-1', 'new-password-2')).to.equal(undefined);
            expect(f.calls[0]).to.deep.include({ url: '/api/v1/auth/password', method: 'POST' });
            expect(f.calls[0].headers.Authorization).to.equal('Bearer tok');
            expect(JSON.parse(f.calls[0].body ?? '')).to.deep.equal({ currentPassword: 'old-password-1', newPassword: 'new-password-2' });

            // A repeat would carry the token the first attempt may have ended: the client does not repeat it.
            const lost = fakeFetch([new TypeError('Failed to fetch'), new Response(null, { status: 204 })]);
            const once = new ApiClient({ fetch: lost.fetch, token: 'tok', sleep: async () => undefined });
            expect(((await once.changePassword('a-password-1', 'b-password-2').catch((e: unknown) => e)) as ApiError).code).to.equal('NETWORK');
            expect(lost.calls).to.have.length(1);
        });

        it('reports a wrong current password as FORBIDDEN without ending the session', async () => {
            let expired = 0;
            const f = fakeFetch([json(403, { code: 'FORBIDDEN', title: 'Forbidden', detail: 'wrong password' })]);
            const api = new ApiClient({ fetch: f.fetch, token: 'tok', onUnauthenticated: () => (expired += 1) });
            const error = (await api.changePassword('wrong-one-123', 'new-password-2').catch((e: unknown) => e)) as ApiError;
            expect([error.status, error.code, expired]).to.deep.equal([403, 'FORBIDDEN', 0]);
        });

        it('disables and enables a user by name, and lists users with their disabled flag', async () => {
            const account = { ...user, disabled: true };
            const f = fakeFetch([json(200, account), json(200, { ...account, disabled: false }), json(200, { items: [account], nextCursor: null })]);
            const api = new ApiClient({ fetch: f.fetch, token: 'tok', newIdempotencyKey: () => 'k' });
            expect((await api.disableUser('ops.clerk-2')).disabled).to.equal(true);
            expect((await api.enableUser('ops.clerk-2')).disabled).to.equal(false);
            expect((await api.listUsers())[0].disabled).to.equal(true);
            expect(f.calls.map((c) => [c.method, c.url])).to.deep.equal([
                ['POST', '/api/v1/users/ops.clerk-2/disable'],
                ['POST', '/api/v1/users/ops.clerk-2/enable'],
                ['GET', '/api/v1/users'],
            ]);
            expect(f.calls[0].headers['Idempotency-Key']).to.equal('k');
        });

        it('lists the enrolled users of an enterprise across pages', async () => {
            const enrolment = (username: string) => ({ docType: 'userEnrolment', certificateFingerprint: 'ab'.repeat(32), username, role: 'supplier', enterpriseId: 'E/1', mspId: 'PlatformMSP', recordedAt: '2026-01-05T00:00:00Z', recordedBy: 'P', recordedByFingerprint: 'cd'.repeat(32) });
            const f = fakeFetch([json(200, { items: [enrolment('a1')], nextCursor: 'c1' }), json(200, { items: [enrolment('b2')], nextCursor: null })]);
            const api = new ApiClient({ fetch: f.fetch, token: 'tok' });
            expect((await api.listEnterpriseUsers('E/1')).map((e) => e.username)).to.deep.equal(['a1', 'b2']);
            expect(f.calls.map((c) => c.url)).to.deep.equal(['/api/v1/enterprises/E%2F1/users', '/api/v1/enterprises/E%2F1/users?cursor=c1']);
        });

        it('surfaces Retry-After of a 429 on the ApiError, and says the wait', async () => {
            const f = fakeFetch([json(429, { code: 'RATE_LIMITED', title: 'Too Many Requests', detail: 'too many login attempts' }, { 'Retry-After': '42' })]);
            const api = new ApiClient({ fetch: f.fetch, sleep: async () => undefined });
            const error = (await api.login('suzhou', 'whatever-123').catch((e: unknown) => e)) as ApiError;
            expect([error.status, error.code, error.retryAfterSeconds]).to.deep.equal([429, 'RATE_LIMITED', 42]);
            expect(error.userMessage).to.contain('42 seconds');
            expect(f.calls).to.have.length(1);

            const plain = fakeFetch([json(429, { code: 'RATE_LIMITED' })]);
            const without = (await new ApiClient({ fetch: plain.fetch }).login('suzhou', 'whatever-123').catch((e: unknown) => e)) as ApiError;
            expect(without.retryAfterSeconds).to.equal(undefined);
        });

        it('reads Retry-After as seconds or as an HTTP date', () => {
            const now = new Date('2026-01-05T00:00:00Z');
            expect(parseRetryAfter('7', now)).to.equal(7);
            expect(parseRetryAfter('Mon, 05 Jan 2026 00:00:30 GMT', now)).to.equal(30);
            expect(parseRetryAfter('Sun, 04 Jan 2026 23:00:00 GMT', now)).to.equal(0);
            expect(parseRetryAfter('soon', now)).to.equal(undefined);
            expect(parseRetryAfter(null, now)).to.equal(undefined);
            expect(parseRetryAfter('-3', now)).to.equal(undefined);
        });
    });
});
