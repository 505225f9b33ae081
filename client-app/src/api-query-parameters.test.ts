import { readFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { ApiClient } from './api-client';

/**
 * The gateway refuses a query parameter a route does not declare (400 INVALID_ARGUMENT), so every
 * query the client sends must use only the parameters the API document (docs/api/openapi.json) lists
 * for that path and method. Each list is followed to a second page, so the cursor is checked too.
 */

interface Operation {
    readonly parameters?: ReadonlyArray<{ readonly in: string; readonly name: string }>;
}
type Paths = Record<string, Record<string, Operation>>;

const DOCUMENT = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json'), 'utf8')) as { servers?: Array<{ url: string }>; paths: Paths };

/** The documented operation a request path (under /api/v1) matches, with its path template. */
function operationOf(method: string, requestPath: string): { template: string; operation: Operation } | undefined {
    for (const [template, operations] of Object.entries(DOCUMENT.paths)) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        const operation = operations[method.toLowerCase()];
        if (operation && pattern.test(requestPath)) {
            return { template, operation };
        }
    }
    return undefined;
}

describe('query parameters the client sends', () => {
    it('are only those the API document declares for each route', async () => {
        const sent: Array<{ method: string; url: URL }> = [];
        const fetchFn = async (url: string, init: RequestInit = {}): Promise<Response> => {
            const parsed = new URL(url, 'http://gateway.test');
            const method = init.method ?? 'GET';
            sent.push({ method, url: parsed });
            const found = operationOf(method, parsed.pathname.replace(/^\/api\/v1/, ''));
            const paged = found?.operation.parameters?.some((p) => p.in === 'query' && p.name === 'cursor') ?? false;
            // A list answers a first page with a cursor to the next, and the next as the last.
            const body = paged ? { items: [], nextCursor: parsed.searchParams.has('cursor') ? null : 'next-page' } : {};
            return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
        };
        const api = new ApiClient({ fetch: fetchFn, token: 't' });
        const id = '91320500MA1XYZ0001';
        await api.listUsers();
        await api.listEnterprises();
        await api.listEnterprises('FINANCIER');
        await api.listEnterpriseUsers(id);
        await api.listCreditLines(id);
        await api.listReceivables(id, 'buyer');
        await api.listNotes(id);
        await api.listOffers(id, 'outgoing');
        await api.listDiscountRequests(id);
        await api.listQuotes('DR-1');
        await api.listIpAssets(id);
        await api.listPledges(id);
        await api.listAgreements(id);
        await api.listAllAgreements();
        await api.listBureauKeys();
        await api.listBureauKeys(id);
        await api.listAttestations(id);
        await api.listIssuers();
        await api.listRecognitions({ subjectId: id });
        await api.listRecognitions({ agreementId: 'AG-1' });
        await api.listWarnings('RED');
        await api.auditPack(id);
        await api.auditPack(id, 'bookmark-2');
        await api.exposure(id);
        await api.pledgeNotice('IP-1');

        expect(sent.filter((s) => s.url.searchParams.has('cursor')).length, 'lists followed to a second page').to.be.greaterThan(10);
        for (const { method, url } of sent) {
            const found = operationOf(method, url.pathname.replace(/^\/api\/v1/, ''));
            expect(found, `${method} ${url.pathname} is a documented route`).to.not.equal(undefined);
            const declared = (found?.operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
            for (const name of url.searchParams.keys()) {
                expect(declared, `${method} ${url.pathname}${url.search}: ${name}`).to.include(name);
            }
        }
    });
});
