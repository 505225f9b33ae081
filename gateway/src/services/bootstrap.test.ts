import { expect } from 'chai';
import { whileLedgerUnavailable } from './bootstrap';
import { AppError } from '../errors';

describe('whileLedgerUnavailable', () => {
    it('retries while the ledger is unavailable and returns the first success', async () => {
        let calls = 0;
        const retries: number[] = [];
        const result = await whileLedgerUnavailable(
            async () => {
                calls++;
                if (calls < 3) {
                    throw new AppError('LEDGER_UNAVAILABLE', 'not yet');
                }
                return 'ready';
            },
            (_error, attempt) => retries.push(attempt),
            5,
            0,
        );
        expect(result).to.equal('ready');
        expect(retries).to.deep.equal([1, 2]);
    });

    it('gives up after the last attempt and never retries other errors', async () => {
        let calls = 0;
        const unavailable = await whileLedgerUnavailable(async () => {
            calls++;
            throw new AppError('LEDGER_UNAVAILABLE', 'down');
        }, () => undefined, 3, 0).catch((e) => e);
        expect(unavailable.code).to.equal('LEDGER_UNAVAILABLE');
        expect(calls).to.equal(3);
        calls = 0;
        const refused = await whileLedgerUnavailable(async () => {
            calls++;
            throw new AppError('FORBIDDEN', 'no');
        }, () => undefined, 3, 0).catch((e) => e);
        expect(refused.code).to.equal('FORBIDDEN');
        expect(calls).to.equal(1);
    });
});
