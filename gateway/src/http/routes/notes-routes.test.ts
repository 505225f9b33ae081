import '../../../test/support/quiet-chaincode-logging';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { MAX_GRACE_DAYS } from '@xinlian/chaincode';
import { ChaincodeError } from '../../../../chaincode/src/errors';
import { Input } from '../../../../chaincode/src/ledger/input';
import { parseNoteParameters } from '../../../../chaincode/src/note/note-parameters';
import type { Principal } from '../../auth/auth-service';
import type { GatewayServices } from '../../services/gateway-services';
import { openIdempotencyStore } from '../../services/idempotency-store';
import { notesRoutes } from './notes-routes';
import { ApiServer, serveRoutes } from '../../../test/support/api-server';

const ADMIN: Principal = { username: 'admin', role: 'platform-admin', enterpriseId: 'E0', mspId: 'PlatformMSP' };

/** Whether the ledger's own parser accepts a SetNoteParameters request. */
function ledgerAccepts(body: Record<string, unknown>): boolean {
    try {
        parseNoteParameters(Input.of(body, 'request'), 'E0', '2026-01-05T00:00:00.000Z');
        return true;
    } catch (error) {
        if (error instanceof ChaincodeError && error.code === 'INVALID_ARGUMENT') {
            return false;
        }
        throw error;
    }
}

/** PUT /parameters/notes at the gateway's schema, over a ledger that records what reaches it. */
describe('PUT /parameters/notes: the gateway takes its limits from the chaincode', () => {
    let server: ApiServer;
    let base: string;
    let directory: string;
    const submitted: unknown[] = [];

    before(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'notes-routes-test-'));
        const services = {
            auth: { authenticate: async () => ADMIN },
            ledger: {
                submit: async (_user: Principal, _fn: string, args: readonly unknown[]) => {
                    submitted.push(args[0]);
                    return { result: args[0], txId: `tx-${submitted.length}` };
                },
                evaluate: async () => ({}),
            },
            idempotency: openIdempotencyStore(directory),
        } as unknown as GatewayServices;
        server = await serveRoutes(notesRoutes, services);
        base = server.base;
    });

    after(() => {
        server.close();
        rmSync(directory, { recursive: true, force: true });
    });

    beforeEach(() => submitted.splice(0));

    const put = (body: unknown) => fetch(`${base}/parameters/notes`, { method: 'PUT', headers: { Authorization: 'Bearer any', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    it('refuses a grace of 91 days with 400 naming the field and the limit of 90, before the ledger', async () => {
        expect(MAX_GRACE_DAYS).to.equal(90);
        const response = await put({ maxTenorMonths: 6, graceDays: 91 });
        expect(response.status).to.equal(400);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        const problem = await response.json();
        expect(problem.code).to.equal('INVALID_ARGUMENT');
        expect(problem.detail).to.equal('body.graceDays: must be a whole number of days from 0 to 90');
        expect(submitted).to.deep.equal([]);
    });

    it('passes to the ledger exactly the parameters the ledger accepts, and refuses the rest itself', async () => {
        const bodies: Array<Record<string, unknown>> = [
            ...[-1, 0, 1, 3, 89, 90, 91, 365, 2.5].map((graceDays) => ({ maxTenorMonths: 6, graceDays })),
            ...[0, 1, 12, 13].map((maxTenorMonths) => ({ maxTenorMonths, graceDays: 3 })),
        ];
        for (const body of bodies) {
            submitted.splice(0);
            const response = await put(body);
            const accepted = ledgerAccepts(body);
            expect(response.status, JSON.stringify(body)).to.equal(accepted ? 200 : 400);
            expect(submitted, JSON.stringify(body)).to.deep.equal(accepted ? [body] : []);
        }
    });
});
