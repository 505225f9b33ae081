import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { AppError } from '../errors';
import { openIdempotencyStore, requestFingerprint } from './idempotency-store';

describe('idempotency store', () => {
    let directory: string;
    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'idem-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    const fp = requestFingerprint('post', '/x', { a: 1 });

    it('runs once per user and key and replays the stored response after reopening', async () => {
        let runs = 0;
        const execute = async () => ({ status: 201, body: { n: ++runs }, txId: 'tx' });
        const store = openIdempotencyStore(directory);
        expect((await store.run('u', 'k', fp, execute)).replayed).to.equal(false);
        const reopened = openIdempotencyStore(directory);
        expect(await reopened.run('u', 'k', fp, execute)).to.deep.equal({ response: { status: 201, body: { n: 1 }, txId: 'tx' }, replayed: true });
        expect((await reopened.run('other', 'k', fp, execute)).response.body).to.deep.equal({ n: 2 });
        expect(runs).to.equal(2);
    });

    it('runs concurrent repeats of one key once, refusing the others as in progress', async () => {
        let runs = 0;
        const store = openIdempotencyStore(directory);
        const execute = async () => ({ status: 201, body: { n: ++runs } });
        const outcomes = await Promise.all([1, 2, 3, 4].map(() => store.run('u', 'k', fp, execute).catch((e) => e)));
        expect(runs).to.equal(1);
        expect(outcomes.filter((o) => o instanceof AppError).map((o) => o.code)).to.deep.equal(['IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_IN_PROGRESS']);
    });

    it('refuses a reused key with another request, and a bad key', async () => {
        const store = openIdempotencyStore(directory);
        await store.run('u', 'k', fp, async () => ({ status: 200, body: {} }));
        const reused = await store.run('u', 'k', requestFingerprint('post', '/x', { a: 2 }), async () => ({ status: 200, body: {} })).catch((e) => e);
        expect(reused.code).to.equal('IDEMPOTENCY_KEY_REUSED');
        expect((await store.run('u', 'bad key', fp, async () => ({ status: 200, body: {} })).catch((e) => e)).code).to.equal('INVALID_ARGUMENT');
    });

    it('forgets a failed attempt, but keeps a key whose submission timed out pending', async () => {
        const store = openIdempotencyStore(directory);
        await store.run('u', 'k1', fp, async () => { throw new AppError('NOT_FOUND', 'x'); }).catch(() => undefined);
        expect((await store.run('u', 'k1', fp, async () => ({ status: 200, body: 'ok' }))).response.body).to.equal('ok');
        await store.run('u', 'k2', fp, async () => { throw new AppError('LEDGER_TIMEOUT', 'x', { txId: 'tx9' }); }).catch(() => undefined);
        expect((await store.run('u', 'k2', fp, async () => ({ status: 200, body: 'again' })).catch((e) => e)).code).to.equal('IDEMPOTENCY_IN_PROGRESS');
    });
});
