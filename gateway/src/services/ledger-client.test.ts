import { expect } from 'chai';
import { AppError } from '../errors';
import type { InvokeOptions, LedgerBackend, LedgerUser, Submission } from '../ledger/ledger-backend';
import { newLedgerClient, recordSubmissions } from './ledger-client';

const USER: LedgerUser = { username: 'u', role: 'supplier', enterpriseId: 'E', mspId: 'PlatformMSP' };

function backendFailing(failures: AppError[]): { backend: LedgerBackend; attempts: () => number } {
    let attempts = 0;
    const backend = {
        submit: async (_user: LedgerUser, _fn: string, _args: string[], invoke?: InvokeOptions) => {
            await invoke?.onSubmitting?.({ txId: `tx${attempts + 1}`, session: 's' });
            const failure = failures[attempts++];
            if (failure) {
                throw failure;
            }
            return { payload: Buffer.from('{"id":"X"}'), txId: `tx${attempts}`, blockNumber: 1 };
        },
        evaluate: async () => Buffer.from('[1,2]'),
    } as unknown as LedgerBackend;
    return { backend, attempts: () => attempts };
}

describe('ledger client', () => {
    const conflict = () => new AppError('CONFLICT', 'mvcc', { retryable: true, txId: 't' });
    const sleeps: number[] = [];
    const options = { retry: { retries: 3, backoffMs: 10 }, sleep: async (ms: number) => void sleeps.push(ms) };

    beforeEach(() => sleeps.splice(0));

    it('retries read conflicts with growing backoff and returns the parsed result', async () => {
        const { backend, attempts } = backendFailing([conflict(), conflict()]);
        const written = await newLedgerClient(backend, { ...options, random: () => 0.5 }).submit(USER, 'x:Tx', [{ a: 1 }]);
        expect(written).to.deep.equal({ result: { id: 'X' }, txId: 'tx3' });
        expect(attempts()).to.equal(3);
        // Half-way between a tenth and all of 10 ms, then of 20 ms.
        expect(sleeps).to.deep.equal([5.5, 11]);
    });

    it('draws each delay at random between a tenth of its ceiling and all of it, so losers of one race spread out', async () => {
        const draws = [0, 0.999999, 0.25];
        const client = newLedgerClient(backendFailing([conflict(), conflict(), conflict()]).backend, { ...options, random: () => draws.shift() ?? 0 });
        await client.submit(USER, 'x:Tx', []);
        expect(sleeps[0]).to.equal(1);
        expect(sleeps[1]).to.be.closeTo(20, 0.001);
        expect(sleeps[2]).to.be.closeTo(40 * (0.1 + 0.9 * 0.25), 1e-9);
        // With the default source, twenty requests that lost the same race wait twenty different times.
        sleeps.splice(0);
        await Promise.all(Array.from({ length: 20 }, () => newLedgerClient(backendFailing([conflict()]).backend, options).submit(USER, 'x:Tx', [])));
        expect(sleeps).to.have.length(20);
        expect(new Set(sleeps).size).to.equal(20);
        expect(sleeps.every((ms) => ms >= 1 && ms < 10)).to.equal(true);
    });

    it('tells the recorder of the work it runs in about every attempt, and nobody outside it', async () => {
        const { backend } = backendFailing([conflict()]);
        const client = newLedgerClient(backend, options);
        const recorded: Submission[] = [];
        const written = await recordSubmissions(async (submission) => void recorded.push(submission), () => client.submit(USER, 'x:Tx', []));
        expect(written.txId).to.equal('tx2');
        expect(recorded.map((s) => s.txId)).to.deep.equal(['tx1', 'tx2']);
        await client.submit(USER, 'x:Tx', []);
        expect(recorded).to.have.length(2);
    });

    it('gives up after the bounded number of retries', async () => {
        const { backend, attempts } = backendFailing([conflict(), conflict(), conflict(), conflict(), conflict()]);
        const error = await newLedgerClient(backend, options).submit(USER, 'x:Tx', []).catch((e) => e);
        expect(error).to.be.instanceOf(AppError).and.include({ code: 'CONFLICT' });
        expect(attempts()).to.equal(4);
    });

    it('never retries a contract error', async () => {
        const { backend, attempts } = backendFailing([new AppError('INSUFFICIENT_LIMIT', 'no')]);
        const error = await newLedgerClient(backend, options).submit(USER, 'x:Tx', []).catch((e) => e);
        expect(error.code).to.equal('INSUFFICIENT_LIMIT');
        expect(attempts()).to.equal(1);
    });

    it('observes each call with its outcome', async () => {
        const seen: string[] = [];
        const { backend } = backendFailing([new AppError('NOT_FOUND', 'no')]);
        const client = newLedgerClient(backend, { ...options, observe: (kind, fn, outcome) => seen.push(`${kind} ${fn} ${outcome}`) });
        await client.submit(USER, 'x:Tx', []).catch(() => undefined);
        expect(await client.evaluate(USER, 'x:Read', ['a'])).to.deep.equal([1, 2]);
        expect(seen).to.deep.equal(['submit x:Tx NOT_FOUND', 'evaluate x:Read ok']);
    });
});
