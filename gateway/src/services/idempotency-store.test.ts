import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { AppError } from '../errors';
import type { Submission, SubmissionOutcome } from '../ledger/ledger-backend';
import { IdempotencyStore, openIdempotencyStore, requestFingerprint } from './idempotency-store';

describe('request fingerprint', () => {
    it('fingerprints a binary body by its bytes and content type', () => {
        const bytes = Buffer.from('%PDF-1.7 invoice');
        const same = requestFingerprint('post', '/documents', Buffer.from('%PDF-1.7 invoice'), 'application/pdf');
        expect(requestFingerprint('post', '/documents', bytes, 'application/pdf')).to.equal(same).and.match(/^[0-9a-f]{64}$/);
        expect(requestFingerprint('post', '/documents', Uint8Array.from(bytes), 'application/pdf')).to.equal(same);
        expect(requestFingerprint('post', '/documents', Buffer.from('%PDF-1.7 invoicf'), 'application/pdf')).to.not.equal(same);
        expect(requestFingerprint('post', '/documents', bytes, 'text/plain')).to.not.equal(same);
        expect(requestFingerprint('post', '/documents', bytes)).to.not.equal(same);
        expect(requestFingerprint('post', '/other', bytes, 'application/pdf')).to.not.equal(same);
    });

    it('hashes a binary body as bytes, never as the JSON of a Buffer', () => {
        const bytes = Buffer.from([1, 2, 3]);
        const expected = createHash('sha256').update('post /documents\n').update('binary application/octet-stream\n').update(bytes).digest('hex');
        expect(requestFingerprint('post', '/documents', bytes, 'application/octet-stream')).to.equal(expected);
        expect(requestFingerprint('post', '/documents', bytes, 'application/octet-stream')).to.not.equal(requestFingerprint('post', '/documents', bytes.toJSON()));
    });

    it('fingerprints a 20 MiB body by hashing its bytes', () => {
        const large = Buffer.alloc(20 * 1024 * 1024, 7);
        const expected = createHash('sha256').update('post /documents\n').update('binary image/png\n').update(large).digest('hex');
        expect(requestFingerprint('post', '/documents', large, 'image/png')).to.equal(expected);
    });

    it('fingerprints a JSON body by its JSON text, as earlier gateways did, ignoring the content type', () => {
        const body = { a: 1, b: ['x'] };
        const earlier = createHash('sha256').update('post /x\n').update(JSON.stringify(body)).digest('hex');
        expect(requestFingerprint('post', '/x', body)).to.equal(earlier);
        expect(requestFingerprint('post', '/x', body, 'application/json')).to.equal(earlier);
        expect(requestFingerprint('post', '/x', undefined)).to.equal(requestFingerprint('post', '/x', null));
        expect(requestFingerprint('post', '/x', { a: 2, b: ['x'] })).to.not.equal(earlier);
    });
});

describe('idempotency store', () => {
    let directory: string;
    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'idem-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    const fp = requestFingerprint('post', '/x', { a: 1 });
    /** The file of the record of (username, key). */
    const recordOf = (username: string, key: string) => path.join(directory, `${createHash('sha256').update(`${username}\u0000${key}`).digest('hex')}.json`);

    it('stores only what `keep` leaves of a response: the first request gets all of it, a repeat what was kept', async () => {
        const store = openIdempotencyStore(directory);
        const keep = (response: { status: number; body: unknown }) => ({ ...response, body: { id: (response.body as { id: string }).id } });
        const first = await store.run('u', 'k', fp, async () => ({ status: 201, body: { id: 'K1', secret: 'shown-once' } }), undefined, keep);
        expect(first).to.deep.equal({ response: { status: 201, body: { id: 'K1', secret: 'shown-once' } }, replayed: false });
        expect(readdirSync(directory).map((name) => readFileSync(path.join(directory, name), 'utf8')).join('')).to.not.include('shown-once');
        const repeat = await openIdempotencyStore(directory).run('u', 'k', fp, async () => ({ status: 201, body: { id: 'K2', secret: 'again' } }), undefined, keep);
        expect(repeat).to.deep.equal({ response: { status: 201, body: { id: 'K1' } }, replayed: true });
    });

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
        // Still running, so worth asking again shortly (rendered as Retry-After).
        expect(outcomes.filter((o) => o instanceof AppError).map((o) => o.retryAfter)).to.deep.equal([1, 1, 1]);
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

    describe('a request interrupted after it sent transactions', () => {
        const t1: Submission = { txId: 't1', session: 'old' };
        const t2: Submission = { txId: 't2', session: 'old' };

        /** Starts a request that records `submissions` and then never answers, as if the gateway had stopped. */
        async function interrupt(store: IdempotencyStore, key: string, submissions: Submission[]): Promise<void> {
            let recorded: () => void = () => undefined;
            const done = new Promise<void>((resolve) => (recorded = resolve));
            void store.run('u', key, fp, async (record) => {
                for (const submission of submissions) {
                    await record(submission);
                }
                recorded();
                return new Promise<never>(() => undefined);
            });
            await done;
        }

        /** A store reopened after the restart, whose ledger answers `outcomes` by transaction id. */
        function restarted(outcomes: Record<string, SubmissionOutcome>, asked: string[] = []): IdempotencyStore {
            return openIdempotencyStore(directory, {
                outcomeOf: async (submission) => {
                    asked.push(`${submission.txId}@${submission.session}`);
                    return outcomes[submission.txId] ?? { state: 'unknown' };
                },
            });
        }

        it('answers IDEMPOTENCY_RESPONSE_LOST naming the transaction when one committed valid, without running again', async () => {
            await interrupt(openIdempotencyStore(directory), 'k', [t1, t2]);
            const asked: string[] = [];
            let runs = 0;
            const store = restarted({ t1: { state: 'committed', valid: false }, t2: { state: 'committed', valid: true } }, asked);
            const error = await store.run('u', 'k', fp, async () => ({ status: 201, body: { n: ++runs } })).catch((e) => e);
            expect(error).to.be.instanceOf(AppError);
            expect(error.code).to.equal('IDEMPOTENCY_RESPONSE_LOST');
            expect(error.txId).to.equal('t2');
            expect(runs).to.equal(0);
            expect(asked).to.deep.equal(['t1@old', 't2@old']);
        });

        it('answers with the response rebuilt from the one committed transaction, stored for later repeats', async () => {
            await interrupt(openIdempotencyStore(directory), 'k', [t1, t2]);
            const committed = { t1: { state: 'committed', valid: false }, t2: { state: 'committed', valid: true, result: Buffer.from('{"id":"L1"}') } } as const;
            const rebuilt: string[] = [];
            const rebuild = ({ txId, result }: { txId: string; result: Buffer }) => (rebuilt.push(txId), { status: 201, body: JSON.parse(result.toString()), txId });
            let runs = 0;
            const execute = async () => ({ status: 201, body: { n: ++runs } });
            const ran = await restarted(committed).run('u', 'k', fp, execute, rebuild);
            expect(ran).to.deep.equal({ response: { status: 201, body: { id: 'L1' }, txId: 't2' }, replayed: true });
            const asked: string[] = [];
            expect((await restarted(committed, asked).run('u', 'k', fp, execute, rebuild)).response.body).to.deep.equal({ id: 'L1' });
            // The stored response is replayed once the ledger confirms its transaction; nothing is rebuilt again.
            expect([runs, rebuilt, asked]).to.deep.equal([0, ['t2'], ['t2@old']]);
        });

        it('falls back to IDEMPOTENCY_RESPONSE_LOST when the result cannot make the response, or was not read', async () => {
            await interrupt(openIdempotencyStore(directory), 'k', [t1]);
            const refuse = () => {
                throw new AppError('INTERNAL', 'not JSON');
            };
            const unreadable = await restarted({ t1: { state: 'committed', valid: true, result: Buffer.from('x') } }).run('u', 'k', fp, async () => ({ status: 201, body: {} }), refuse).catch((e) => e);
            expect([unreadable.code, unreadable.txId]).to.deep.equal(['IDEMPOTENCY_RESPONSE_LOST', 't1']);
            const noResult = await restarted({ t1: { state: 'committed', valid: true } }).run('u', 'k', fp, async () => ({ status: 201, body: {} }), () => ({ status: 201, body: {} })).catch((e) => e);
            expect(noResult.code).to.equal('IDEMPOTENCY_RESPONSE_LOST');
        });

        it('runs again when nothing it sent was written (invalid or lost for good), and replays that answer later', async () => {
            await interrupt(openIdempotencyStore(directory), 'k', [t1, t2]);
            const store = restarted({ t1: { state: 'committed', valid: false }, t2: { state: 'lost' } });
            const ran = await store.run('u', 'k', fp, async () => ({ status: 201, body: 'second' }));
            expect(ran).to.deep.equal({ response: { status: 201, body: 'second' }, replayed: false });
            expect((await store.run('u', 'k', fp, async () => ({ status: 201, body: 'third' }))).response.body).to.equal('second');
        });

        it('runs again when it was interrupted before sending anything', async () => {
            await interrupt(openIdempotencyStore(directory), 'k', []);
            expect((await restarted({}).run('u', 'k', fp, async () => ({ status: 200, body: 'ran' }))).response.body).to.equal('ran');
        });

        it('answers IDEMPOTENCY_IN_PROGRESS while a transaction it sent may still commit, and for records without submissions', async () => {
            await interrupt(openIdempotencyStore(directory), 'k', [t1, t2]);
            const unknown = await restarted({ t1: { state: 'lost' } }).run('u', 'k', fp, async () => ({ status: 200, body: {} })).catch((e) => e);
            expect([unknown.code, unknown.txId]).to.deep.equal(['IDEMPOTENCY_IN_PROGRESS', 't2']);

            const store = openIdempotencyStore(directory);
            await store.run('u', 'k2', fp, async () => { throw new AppError('LEDGER_TIMEOUT', 'x', { txId: 'tx9' }); }).catch(() => undefined);
            const legacy = await restarted({ tx9: { state: 'lost' } }).run('u', 'k2', fp, async () => ({ status: 200, body: {} })).catch((e) => e);
            expect(legacy.code).to.equal('IDEMPOTENCY_IN_PROGRESS');
        });

        it('does not let work that outlives the request change its stored answer', async () => {
            const store = openIdempotencyStore(directory);
            let late: ((s: Submission) => Promise<void>) | undefined;
            await store.run('u', 'k', fp, async (record) => {
                late = record;
                return { status: 200, body: 'answer' };
            });
            await late?.({ txId: 'after', session: 'old' });
            expect((await restarted({}).run('u', 'k', fp, async () => ({ status: 200, body: 'other' }))).response).to.deep.equal({ status: 200, body: 'answer' });
        });
    });

    describe('expiry', () => {
        const HOUR = 60 * 60 * 1000;
        /** A clock the test moves. */
        const clockAt = (start: number) => {
            const clock = { now: start, read: () => new Date(clock.now) };
            return clock;
        };
        const fileOf = (username: string, key: string) => path.join(directory, `${createHash('sha256').update(`${username}\u0000${key}`).digest('hex')}.json`);
        const files = () => readdirSync(directory).sort();

        it('runs a key again as a new request once its record has expired, even with another request', async () => {
            const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
            const store = openIdempotencyStore(directory, { clock: clock.read, retentionMs: 24 * HOUR, purgeIntervalMs: 0 });
            let runs = 0;
            const execute = async () => ({ status: 201, body: { n: ++runs } });
            await store.run('u', 'k', fp, execute);
            clock.now += 24 * HOUR - 1;
            expect(await store.run('u', 'k', fp, execute)).to.deep.equal({ response: { status: 201, body: { n: 1 } }, replayed: true });
            expect((await store.run('u', 'k', requestFingerprint('post', '/x', { a: 2 }), execute).catch((e) => e)).code).to.equal('IDEMPOTENCY_KEY_REUSED');
            clock.now += 1;
            // Expired: another request with the key runs, and is the one remembered from now on.
            expect(await store.run('u', 'k', requestFingerprint('post', '/x', { a: 2 }), execute)).to.deep.equal({ response: { status: 201, body: { n: 2 } }, replayed: false });
            expect(await store.run('u', 'k', requestFingerprint('post', '/x', { a: 2 }), execute)).to.deep.equal({ response: { status: 201, body: { n: 2 } }, replayed: true });
            expect(runs).to.equal(2);
        });

        it('purges expired records of completed requests, and keeps the others and every interrupted one', async () => {
            const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
            const store = openIdempotencyStore(directory, { clock: clock.read, retentionMs: 2 * HOUR, purgeIntervalMs: 0 });
            await store.run('u', 'old', fp, async () => ({ status: 201, body: 'old' }));
            await store.run('u', 'timed-out', fp, async () => { throw new AppError('LEDGER_TIMEOUT', 'x', { txId: 'tx9' }); }).catch(() => undefined);
            clock.now += HOUR;
            await store.run('u', 'new', fp, async () => ({ status: 201, body: 'new' }));
            expect(await store.purgeExpired()).to.equal(0);
            clock.now += HOUR;
            expect(await store.purgeExpired()).to.equal(1);
            expect(files()).to.have.members([path.basename(fileOf('u', 'new')), path.basename(fileOf('u', 'timed-out'))]);
            clock.now += 100 * HOUR;
            expect(await store.purgeExpired()).to.equal(1);
            // Its transaction may have committed: forgetting it would let a late repeat write twice.
            expect(files()).to.deep.equal([path.basename(fileOf('u', 'timed-out'))]);
            expect(JSON.parse(readFileSync(fileOf('u', 'timed-out'), 'utf8'))).to.deep.include({ state: 'pending' });
        });

        it('never purges the record of a request running now, however old, and keeps it pending for a crash', async () => {
            const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
            const store = openIdempotencyStore(directory, { clock: clock.read, retentionMs: HOUR, purgeIntervalMs: 0 });
            let finish: (response: { status: number; body: unknown }) => void = () => undefined;
            let recorded: () => void = () => undefined;
            const sent = new Promise<void>((resolve) => (recorded = resolve));
            const running = store.run('u', 'slow', fp, async (record) => {
                await record({ txId: 't1', session: 's' });
                recorded();
                return new Promise((resolve) => (finish = resolve));
            });
            await sent;
            clock.now += 5 * HOUR;
            expect(await store.purgeExpired()).to.equal(0);
            const pending = JSON.parse(readFileSync(fileOf('u', 'slow'), 'utf8'));
            expect(pending).to.deep.include({ state: 'pending', submissions: [{ txId: 't1', session: 's' }] });
            finish({ status: 201, body: 'slow' });
            expect((await running).replayed).to.equal(false);
            // Completed now: kept for a retention from here.
            expect(await store.purgeExpired()).to.equal(0);
            expect(await store.run('u', 'slow', fp, async () => ({ status: 201, body: 'again' }))).to.deep.equal({ response: { status: 201, body: 'slow' }, replayed: true });
        });

        it('never deletes the record of a request that starts while a purge runs', async () => {
            const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
            const store = openIdempotencyStore(directory, { clock: clock.read, retentionMs: HOUR, purgeIntervalMs: 0 });
            const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
            for (const key of keys) {
                await store.run('u', key, fp, async () => ({ status: 201, body: 'first' }));
            }
            clock.now += 2 * HOUR;
            // Repeats arrive while the purge goes through the records: some before it reaches theirs, some while it judges them, some after.
            const purged = store.purgeExpired();
            const repeats = [];
            for (const key of keys) {
                repeats.push(store.run('u', key, fp, async () => ({ status: 201, body: 'second' })));
                await new Promise((resolve) => setImmediate(resolve));
            }
            expect((await Promise.all(repeats)).map((r) => [r.response.body, r.replayed])).to.deep.equal(keys.map(() => ['second', false]));
            expect(await purged).to.be.at.most(keys.length);
            // Every new record survived the purge.
            expect(files()).to.have.length(keys.length);
            for (const key of keys) {
                expect((await store.run('u', key, fp, async () => ({ status: 201, body: 'third' }))).response.body).to.equal('second');
            }
        });

        it('deletes temporary files a crash left once as old as the retention, and leaves unreadable records', async () => {
            const store = openIdempotencyStore(directory, { retentionMs: HOUR, purgeIntervalMs: 0, onPurgeError: (error) => errors.push(error) });
            const errors: unknown[] = [];
            const record = path.basename(fileOf('u', 'k'));
            // Of a process that runs (the parent): the store leaves them when it opens, as writes under way.
            const stale = `${record}.${process.ppid}.0.deadbeef.tmp`;
            const fresh = `${record}.${process.ppid}.1.deadbeef.tmp`;
            writeFileSync(path.join(directory, stale), '{"fingerprint":');
            writeFileSync(path.join(directory, fresh), '{"fingerprint":');
            const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
            utimesSync(path.join(directory, stale), twoHoursAgo, twoHoursAgo);
            writeFileSync(path.join(directory, path.basename(fileOf('u', 'broken'))), 'not json');
            writeFileSync(path.join(directory, 'README'), 'not a record');
            expect(await store.purgeExpired()).to.equal(0);
            expect(files()).to.deep.equal([path.basename(fileOf('u', 'broken')), fresh, 'README'].sort());
            expect(errors).to.have.length(1);
            // The report names the record and what to do; a request with its key fails the same way.
            const corrupt = `the file ${fileOf('u', 'broken')} is corrupt (not valid JSON: Unexpected token 'o'): remove it (a request repeated with its Idempotency-Key then runs as a new one, so check on the ledger first that its write did not commit)`;
            expect((errors[0] as Error).message).to.equal(corrupt);
            const refused = await store.run('u', 'broken', fp, async () => ({ status: 201, body: 'x' })).catch((error: Error) => error);
            expect((refused as Error).message).to.equal(corrupt);
        });

        it('purges on a timer that does not keep the process alive, until closed', async () => {
            const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
            const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
            const before = timers();
            const store = openIdempotencyStore(directory, { clock: clock.read, retentionMs: HOUR, purgeIntervalMs: 20 });
            expect(timers(), 'an unref-ed timer is not an active resource').to.equal(before);
            await store.run('u', 'k', fp, async () => ({ status: 201, body: 'x' }));
            clock.now += 2 * HOUR;
            const deadline = Date.now() + 2000;
            while (files().length > 0 && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 10));
            }
            expect(files()).to.deep.equal([]);
            await store.close();
            await store.run('u', 'k2', fp, async () => ({ status: 201, body: 'y' }));
            clock.now += 2 * HOUR;
            await new Promise((resolve) => setTimeout(resolve, 100));
            expect(files(), 'no purge after close').to.have.length(1);
        });
    });

    describe('a completed record the ledger does not hold (a data directory restored from an inconsistent copy)', () => {
        const sent: Submission = { txId: 't1', session: 'first', transaction: 'c2lnbmVk' };

        /** Runs a request that sent `sent` and answered, in a store whose ledger did not mind. */
        async function completed(key = 'k'): Promise<void> {
            await openIdempotencyStore(directory).run('u', key, fp, async (record) => {
                await record(sent);
                return { status: 201, body: { id: 'R1' }, txId: sent.txId };
            });
        }

        /** A store reopened on a ledger that answers `outcome` for every transaction. */
        function reopened(outcome: SubmissionOutcome, asked: Submission[] = [], stale: unknown[] = []): IdempotencyStore {
            return openIdempotencyStore(directory, {
                outcomeOf: async (submission) => (asked.push(submission), outcome),
                onStaleRecord: (record) => stale.push(record),
            });
        }

        it('keeps the transactions a request sent in its completed record, without their signed bytes', async () => {
            await completed();
            const stored = JSON.parse(readFileSync(readdirSync(directory).map((name) => path.join(directory, name))[0], 'utf8'));
            expect(stored).to.deep.include({ state: 'done', submissions: [{ txId: 't1', session: 'first' }] });
        });

        it('discards the record, reports it and runs the request as a new one when the ledger lost its transaction', async () => {
            await completed();
            const asked: Submission[] = [];
            const stale: unknown[] = [];
            let runs = 0;
            const store = reopened({ state: 'lost' }, asked, stale);
            const ran = await store.run('u', 'k', fp, async () => ({ status: 201, body: { id: `R${++runs + 1}` }, txId: 't2' }));
            expect(ran).to.deep.equal({ response: { status: 201, body: { id: 'R2' }, txId: 't2' }, replayed: false });
            expect(asked).to.deep.equal([{ txId: 't1', session: 'first' }]);
            expect(stale).to.deep.equal([{ username: 'u', txIds: ['t1'] }]);
            // The new run's record answers from now on.
            const again = await openIdempotencyStore(directory).run('u', 'k', fp, async () => ({ status: 201, body: { id: 'R3' } }));
            expect(again).to.deep.equal({ response: { status: 201, body: { id: 'R2' }, txId: 't2' }, replayed: true });
            expect(runs).to.equal(1);
        });

        it('treats a transaction committed invalid like a lost one: nothing of it was written', async () => {
            await completed();
            const stale: unknown[] = [];
            const ran = await reopened({ state: 'committed', valid: false }, [], stale).run('u', 'k', fp, async () => ({ status: 201, body: { id: 'R2' } }));
            expect([ran.replayed, stale.length]).to.deep.equal([false, 1]);
        });

        it('replays the stored response when the ledger holds the transaction, or cannot tell', async () => {
            await completed();
            for (const outcome of [{ state: 'committed', valid: true }, { state: 'unknown' }] as const) {
                const stale: unknown[] = [];
                const ran = await reopened(outcome, [], stale).run('u', 'k', fp, async () => ({ status: 201, body: { id: 'R2' } }));
                expect(ran, outcome.state).to.deep.equal({ response: { status: 201, body: { id: 'R1' }, txId: 't1' }, replayed: true });
                expect(stale).to.deep.equal([]);
            }
        });

        it("looks up the transaction an older gateway's record names, and asks nothing for a request that sent none", async () => {
            const file = recordOf('u', 'old');
            writeFileSync(file, JSON.stringify({ fingerprint: fp, state: 'done', response: { status: 201, body: { id: 'R0' }, txId: 't0' }, createdAt: new Date().toISOString() }));
            const asked: Submission[] = [];
            const ran = await reopened({ state: 'lost' }, asked).run('u', 'old', fp, async () => ({ status: 201, body: { id: 'R9' } }));
            expect([ran.replayed, ran.response.body, asked]).to.deep.equal([false, { id: 'R9' }, [{ txId: 't0', session: '' }]]);
            // An upload: no transaction, nothing to ask, replayed as stored.
            await openIdempotencyStore(directory).run('u', 'upload', fp, async () => ({ status: 201, body: { cid: 'bafy' } }));
            const none: Submission[] = [];
            expect((await reopened({ state: 'lost' }, none).run('u', 'upload', fp, async () => ({ status: 201, body: {} }))).replayed).to.equal(true);
            expect(none).to.deep.equal([]);
        });

        describe('a request that sent several transactions', () => {
            const first: Submission = { txId: 't1', session: 'first' };
            const second: Submission = { txId: 't2', session: 'first' };

            /** Runs a request that sent `first` then `second` and answered, as a route writing twice would. */
            async function completedTwice(key = 'k'): Promise<void> {
                await openIdempotencyStore(directory).run('u', key, fp, async (record) => {
                    await record(first);
                    await record(second);
                    return { status: 201, body: { ids: ['R1', 'R2'] }, txId: second.txId };
                });
            }

            /** A store reopened on a ledger that answers `outcomes` by transaction id. */
            function reopenedWith(outcomes: Record<string, SubmissionOutcome>, partial: unknown[] = [], stale: unknown[] = []): IdempotencyStore {
                return openIdempotencyStore(directory, {
                    outcomeOf: async (submission) => outcomes[submission.txId] ?? { state: 'unknown' },
                    onStaleRecord: (record) => stale.push(record),
                    onPartialRecord: (record) => partial.push(record),
                });
            }

            it('refuses a repeat with CONFLICT naming what the ledger holds and lacks when it holds only some of them: no replay, no second run', async () => {
                await completedTwice();
                const partial: unknown[] = [];
                const stale: unknown[] = [];
                let runs = 0;
                const store = reopenedWith({ t1: { state: 'committed', valid: true }, t2: { state: 'lost' } }, partial, stale);
                const refused = await store.run('u', 'k', fp, async () => ({ status: 201, body: { n: ++runs } })).catch((e) => e);
                expect(refused).to.be.instanceOf(AppError);
                expect([refused.code, refused.status, refused.txId, refused.retryAfter]).to.deep.equal(['CONFLICT', 409, 't1', undefined]);
                expect(refused.message).to.equal(
                    'the request with this Idempotency-Key was answered before, but the ledger holds only part of its writes: transaction t1 is on the ledger, transaction t2 is not ' +
                        "(was the gateway's data directory restored from a copy?). Its answer is not replayed, and it is not run again, which would repeat the writes that committed: " +
                        'read the current state before doing anything else',
                );
                expect(runs).to.equal(0);
                expect(partial).to.deep.equal([{ username: 'u', committed: ['t1'], missing: ['t2'] }]);
                expect(stale).to.deep.equal([]);
                // The record is kept: a later repeat is refused the same way, and never runs.
                const again = await store.run('u', 'k', fp, async () => ({ status: 201, body: { n: ++runs } })).catch((e) => e);
                expect([again.code, runs, partial.length]).to.deep.equal(['CONFLICT', 0, 2]);
                // On a ledger that holds both (the one the request wrote to), the stored answer is replayed.
                const whole = await reopenedWith({ t1: { state: 'committed', valid: true }, t2: { state: 'committed', valid: true } }).run('u', 'k', fp, async () => ({ status: 201, body: { n: ++runs } }));
                expect(whole).to.deep.equal({ response: { status: 201, body: { ids: ['R1', 'R2'] }, txId: 't2' }, replayed: true });
            });

            it('names every transaction on each side', async () => {
                await openIdempotencyStore(directory).run('u', 'k', fp, async (record) => {
                    for (const txId of ['a1', 'a2', 'a3', 'a4']) {
                        await record({ txId, session: 'first' });
                    }
                    return { status: 201, body: {} };
                });
                const outcomes: Record<string, SubmissionOutcome> = { a1: { state: 'committed', valid: true }, a2: { state: 'committed', valid: true }, a3: { state: 'lost' }, a4: { state: 'lost' } };
                const refused = await reopenedWith(outcomes).run('u', 'k', fp, async () => ({ status: 201, body: {} })).catch((e) => e);
                expect(refused.code).to.equal('CONFLICT');
                expect(refused.message).to.include('transactions a1, a2 are on the ledger, transactions a3, a4 are not');
            });

            it('replays when the ledger holds the write, whatever became of the attempts before it (a read conflict retried)', async () => {
                await completedTwice();
                const partial: unknown[] = [];
                const ran = await reopenedWith({ t1: { state: 'committed', valid: false }, t2: { state: 'committed', valid: true } }, partial).run('u', 'k', fp, async () => ({ status: 201, body: 'again' }));
                expect([ran.replayed, partial]).to.deep.equal([true, []]);
            });

            it('runs anew when the ledger holds none of them, as for one transaction', async () => {
                await completedTwice();
                const partial: unknown[] = [];
                const stale: unknown[] = [];
                const ran = await reopenedWith({ t1: { state: 'committed', valid: false }, t2: { state: 'lost' } }, partial, stale).run('u', 'k', fp, async () => ({ status: 201, body: 'again' }));
                expect([ran.replayed, ran.response.body, partial, stale]).to.deep.equal([false, 'again', [], [{ username: 'u', txIds: ['t1', 't2'] }]]);
            });

            it('replays as stored when the ledger cannot tell what became of the ones it lacks', async () => {
                await completedTwice();
                const partial: unknown[] = [];
                const ran = await reopenedWith({ t1: { state: 'committed', valid: true }, t2: { state: 'unknown' } }, partial).run('u', 'k', fp, async () => ({ status: 201, body: 'again' }));
                expect([ran.replayed, partial]).to.deep.equal([true, []]);
            });
        });

        it('asks the ledger only on a repeat, never for a first request', async () => {
            const asked: Submission[] = [];
            await reopened({ state: 'lost' }, asked).run('u', 'fresh', fp, async (record) => {
                await record(sent);
                return { status: 201, body: {} };
            });
            expect(asked).to.deep.equal([]);
        });
    });

    it('deletes the temporary files a killed gateway left when it opens, before its first request', async () => {
        const record = path.basename(recordOf('u', 'k'));
        // No process runs with a pid above 2^22; this process's own pid was an earlier process's.
        const dead = `${record}.4194305.0.0badf00d.tmp`;
        const reused = `${record}.${process.pid}.7.0badf00d.tmp`;
        const running = `${record}.${process.ppid}.2.0badf00d.tmp`;
        for (const name of [dead, reused, running, 'README.tmp']) {
            writeFileSync(path.join(directory, name), '{"fingerprint":');
        }
        const store = openIdempotencyStore(directory, { purgeIntervalMs: 0 });
        await store.run('u', 'other', fp, async () => ({ status: 201, body: 'x' }));
        expect(readdirSync(directory).sort()).to.deep.equal([path.basename(recordOf('u', 'other')), running, 'README.tmp'].sort());
    });
});
