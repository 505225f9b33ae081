import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { request } from 'http';
import { AppError } from '../src/errors';
import { bindServer, failureCauses, ledgerNotReadyMessage } from '../src/app';

describe('start-up messages and the early-bound server', () => {
    it('says in each "not ready yet" warning what caused the failure', () => {
        const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:18300'), { code: 'ECONNREFUSED' });
        const error = new AppError('LEDGER_UNAVAILABLE', 'enrolling admin with the Fabric CA failed', { cause: refused });
        expect(ledgerNotReadyMessage(error)).to.equal('the ledger is not ready yet: enrolling admin with the Fabric CA failed: connect ECONNREFUSED 127.0.0.1:18300');
        expect(ledgerNotReadyMessage(new AppError('LEDGER_TIMEOUT', 'the peer did not answer'))).to.equal('the ledger is not ready yet: the peer did not answer');
    });

    it("names the errors of a cause that has no message of its own (every address refused), and a cause's code", () => {
        const v4 = new Error('connect ECONNREFUSED 127.0.0.1:7054');
        const v6 = new Error('connect ECONNREFUSED ::1:7054');
        const fetchFailed = new TypeError('fetch failed', { cause: Object.assign(new AggregateError([v4, v6], ''), { code: 'ECONNREFUSED' }) });
        const error = new AppError('LEDGER_UNAVAILABLE', 'enrolling verifier with the Fabric CA failed', { cause: fetchFailed });
        expect(failureCauses(error)).to.deep.equal(['fetch failed', 'connect ECONNREFUSED 127.0.0.1:7054; connect ECONNREFUSED ::1:7054']);
        expect(failureCauses(new Error('outer', { cause: Object.assign(new Error(''), { code: 'ECONNRESET' }) }))).to.deep.equal(['ECONNRESET']);
    });

    it('binds the address at once and answers 503 with Retry-After until the app is attached, but liveness 200', async () => {
        const bound = await bindServer('127.0.0.1', 0);
        const get = (path = '/health/ready') =>
            new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
                const req = request({ host: '127.0.0.1', port: bound.port, path, agent: false }, (res) => {
                    let body = '';
                    res.on('data', (chunk: Buffer) => (body += chunk.toString()));
                    res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
                });
                req.on('error', reject);
                req.end();
            });
        try {
            const starting = await get();
            expect(starting).to.include({ status: 503, retryAfter: '2' });
            expect(JSON.parse(starting.body)).to.include({ code: 'LEDGER_UNAVAILABLE', detail: 'the gateway is starting; try again shortly' });
            // Liveness: the process serves requests, so a probe does not restart a gateway still opening its ledger.
            for (const path of ['/health/live', '/api/v1/health/live']) {
                expect(await get(path)).to.deep.equal({ status: 200, retryAfter: undefined, body: '{"status":"ok"}' });
            }
            expect((await get('/api/v1/notes')).status).to.equal(503);
            bound.attach((_req, res) => res.end('ready'));
            expect(await get()).to.include({ status: 200, body: 'ready' });
            const second = await bindServer('127.0.0.1', bound.port).then(
                () => undefined,
                (error: Error) => error,
            );
            expect(second?.name).to.equal('ListenError');
            expect(second?.message).to.equal(`cannot listen on 127.0.0.1:${bound.port}: the port is in use (set GATEWAY_PORT to another one)`);
        } finally {
            await bound.close();
        }
    });
});
