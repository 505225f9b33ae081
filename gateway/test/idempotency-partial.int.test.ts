/* eslint-disable @typescript-eslint/no-explicit-any -- log lines and response bodies are whatever JSON they hold */
import './support/quiet-chaincode-logging';
import { cpSync, rmSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { z } from 'zod';
import { openGateway } from '../src/app';
import type { Config } from '../src/config';
import type { RouteSpec } from '../src/http/route-spec';
import { EnterpriseId } from '../src/http/schemas';
import type { LedgerBackend } from '../src/ledger/ledger-backend';
import { openLedgerBackend } from '../src/ledger/open-ledger-backend';
import { newLogger } from '../src/operations/logger';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { serveRoutes } from './support/api-server';
import { TEST_PASSWORD, testConfig } from './support/test-gateway';
import { suiteDirectories } from './support/temporary-files';

/**
 * A route that writes twice per request: registers two suppliers, one transaction each, calling
 * `between` after the first has committed. No route of the API sends two writes today; this one
 * stands for such a route, and runs on the gateway's real services.
 */
function twoWritesRoute(between: () => Promise<void>, handled: { count: number }): RouteSpec {
    return {
        method: 'post', path: '/supplier-pairs', tag: 't', summary: 's', status: 201,
        body: z.strictObject({ first: EnterpriseId, second: EnterpriseId }),
        handler: async ({ principal, body, services }) => {
            handled.count++;
            const txIds: string[] = [];
            for (const [i, id] of [body.first, body.second].entries()) {
                if (i > 0) {
                    await between();
                }
                const written = await services.ledger.submit(principal, 'enterprise:RegisterEnterprise', [{ id, name: `Pair supplier ${i + 1}`, kind: 'SUPPLIER' }]);
                txIds.push(written.txId);
            }
            return { body: { txIds }, txId: txIds[1] };
        },
    };
}

/** A backend that forwards to whichever ledger `current` holds, so a test can close and reopen it under a running gateway. */
function swappable(holder: { current: LedgerBackend }): LedgerBackend {
    return new Proxy({} as LedgerBackend, {
        get(_target, property) {
            const value = (holder.current as any)[property];
            return typeof value === 'function' ? value.bind(holder.current) : value;
        },
    });
}

describe('a repeated two-write request whose later write a restored ledger lacks (embedded backend)', function () {
    this.timeout(120_000);
    const newDirectory = suiteDirectories();

    /** The gateway's services on `config`'s data directory, the two-write route served over them, and the admin's token. */
    async function serve(config: Config, between: () => Promise<void>, lines: string[], holder?: { current: LedgerBackend }) {
        const logger = newLogger('warn', { write: (line: string) => void lines.push(line) });
        const gateway = await openGateway(config, { logger, ...(holder ? { backend: swappable(holder) } : {}) });
        const handled = { count: 0 };
        const server = await serveRoutes([twoWritesRoute(between, handled)], gateway.services);
        const { token } = await gateway.services.auth.login('admin', TEST_PASSWORD, '127.0.0.1');
        return {
            handled,
            post: (body: unknown) => call(server.base, 'POST', '/supplier-pairs', { token, body, headers: { 'Idempotency-Key': 'pair-1' } }),
            read: (id: string) => gateway.services.ledger.evaluate(gateway.services.verifier, 'enterprise:ReadEnterprise', [id]).then(() => 'on the ledger', (error: any) => error.code),
            async close() {
                server.close();
                await gateway.close();
            },
        };
    }

    it('answers 409 CONFLICT naming the transactions on the ledger and those not, never replaying or running it again, and logs it', async () => {
        const dataDir = newDirectory('pair-live');
        const restored = newDirectory('pair-copy');
        const config = testConfig(dataDir, { seedDemo: false });
        const holder = { current: await openLedgerBackend(config) };
        // The copy is taken between the two writes, with the ledger closed: it holds the first and not the second.
        const copyBetween = async (): Promise<void> => {
            await holder.current.close();
            cpSync(dataDir, restored, { recursive: true });
            holder.current = await openLedgerBackend(config);
        };
        const body = { first: DEMO_IDS.suzhou, second: DEMO_IDS.hangzhou };

        const live = await serve(config, copyBetween, [], holder);
        const answered = await live.post(body);
        await live.close();
        expect(answered.status, answered.text).to.equal(201);
        const [first, second]: string[] = answered.body.txIds;
        // The idempotency records after the request, the ledger from between its writes.
        rmSync(path.join(restored, 'idempotency'), { recursive: true, force: true });
        cpSync(path.join(dataDir, 'idempotency'), path.join(restored, 'idempotency'), { recursive: true });

        const lines: string[] = [];
        const back = await serve(testConfig(restored, { seedDemo: false }), async () => undefined, lines);
        try {
            for (const attempt of [1, 2]) {
                const repeat = await back.post(body);
                expect(repeat.status, repeat.text).to.equal(409);
                expect(repeat.headers.get('content-type')).to.match(/^application\/problem\+json/);
                expect(repeat.headers.get('idempotent-replayed')).to.equal(null);
                expect(repeat.headers.get('retry-after'), 'not a conflict that waiting resolves').to.equal(null);
                expect(repeat.body).to.include({ code: 'CONFLICT', status: 409, txId: first });
                expect(repeat.body.detail, `attempt ${attempt}`).to.include(`transaction ${first} is on the ledger, transaction ${second} is not`).and.include('read the current state before doing anything else');
            }
            // Neither run again nor completed: the first supplier is there once, the second still missing.
            expect(back.handled.count).to.equal(0);
            expect([await back.read(DEMO_IDS.suzhou), await back.read(DEMO_IDS.hangzhou)]).to.deep.equal(['on the ledger', 'NOT_FOUND']);
            const warnings = lines.map((line) => JSON.parse(line)).filter((entry: any) => /holds only some/.test(entry.msg));
            expect(warnings, lines.join('')).to.have.length(2);
            expect(warnings[0]).to.deep.include({ username: 'admin', committed: [first], missing: [second] });
        } finally {
            await back.close();
        }

        // The ledger the request wrote to holds both: there the stored answer is replayed.
        const whole = await serve(config, async () => undefined, []);
        try {
            const replayed = await whole.post(body);
            expect([replayed.status, replayed.headers.get('idempotent-replayed'), replayed.body]).to.deep.equal([201, 'true', answered.body]);
            expect(whole.handled.count).to.equal(0);
        } finally {
            await whole.close();
        }
    });
});
