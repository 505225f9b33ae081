import { Server } from 'http';
import { AddressInfo } from 'net';
import { expect } from 'chai';
import express from 'express';
import type { Principal } from '../src/auth/auth-service';
import { AppError } from '../src/errors';
import { problemMiddleware } from '../src/http/problem';
import { eventsRoutes } from '../src/http/routes/events-routes';
import { healthRoutes } from '../src/http/routes/health-routes';
import { newApiRouter } from '../src/http/router';
import type { GatewayServices } from '../src/services/gateway-services';

const REGULATOR: Principal = { username: 'regulator', role: 'regulator', enterpriseId: 'R', mspId: 'PlatformMSP' };

/**
 * Readiness and the event stream when the ledger cannot serve (fake services): the chaincode down (peers up)
 * makes the gateway not ready (the fabric backend's status reads through the own peer); the own peer down answers the event stream 503 before any header is sent.
 */
describe('routes while the ledger is down', () => {
    let server: Server;
    let base: string;
    const state = { peerUp: true, chaincodeUp: true, subscribed: 0 };
    const unavailable = (): AppError => new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable');
    const services = {
        auth: { authenticate: async () => REGULATOR },
        // As the fabric backend's status: the own peer reachable and the chaincode answering a read.
        ledgerStatus: async () => {
            if (!state.peerUp || !state.chaincodeUp) {
                throw unavailable();
            }
            return { backend: 'fabric' };
        },
        ledgerTime: () => new Date(),
        events: {
            subscribe: () => {
                state.subscribed++;
                return { close: () => undefined, async *[Symbol.asyncIterator]() {} };
            },
        },
    } as unknown as GatewayServices;

    before(async () => {
        const app = express();
        app.use('/api/v1', newApiRouter([...healthRoutes, ...eventsRoutes], services, { maxDocumentBytes: 0 }));
        app.use(problemMiddleware({ onError: () => undefined }));
        server = await new Promise<Server>((resolve) => {
            const s = app.listen(0, '127.0.0.1', () => resolve(s));
        });
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    });

    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('is ready when the ledger serves; 503 LEDGER_UNAVAILABLE when the chaincode cannot run', async () => {
        Object.assign(state, { peerUp: true, chaincodeUp: true });
        expect((await fetch(`${base}/health/ready`)).status).to.equal(200);
        state.chaincodeUp = false;
        const down = await fetch(`${base}/health/ready`);
        expect(down.status).to.equal(503);
        expect(((await down.json()) as { code: string }).code).to.equal('LEDGER_UNAVAILABLE');
    });

    it('answers the event stream 503 LEDGER_UNAVAILABLE, not a 200 that closes, when the own peer is down', async () => {
        Object.assign(state, { peerUp: false, chaincodeUp: true, subscribed: 0 });
        const response = await fetch(`${base}/events`, { headers: { Authorization: 'Bearer t' } });
        expect(response.status).to.equal(503);
        expect(response.headers.get('content-type')).to.match(/problem\+json/);
        expect(((await response.json()) as { code: string }).code).to.equal('LEDGER_UNAVAILABLE');
        expect(state.subscribed).to.equal(0);
    });
});
