import { expect } from 'chai';
import { STATUS_ORDERS, compareSortValues, itemsWithStatus, moneyKey, nextOrder, orderItems, statusCounts, statusRank } from './list-order';

describe('list order', () => {
    describe('compareSortValues', () => {
        it('compares text as people read the numbers in it, and ISO dates in time order', () => {
            expect(compareSortValues('INV-9', 'INV-10')).to.be.lessThan(0);
            expect(compareSortValues('2026-02-01', '2026-11-30')).to.be.lessThan(0);
            expect(compareSortValues('bank of jiangnan', 'Bank of Jiangnan')).to.equal(0);
        });

        it('compares amounts as integers, never as text or floats', () => {
            expect(compareSortValues(900n, 10_000n)).to.be.lessThan(0);
            expect(compareSortValues(10n ** 18n, 10n ** 18n - 1n)).to.be.greaterThan(0);
            expect(compareSortValues(2, 10)).to.be.lessThan(0);
        });

        it('compares tuples element by element: currency first, then the amount', () => {
            expect(compareSortValues(moneyKey('100', 'USD'), moneyKey('9', 'CNY'))).to.be.greaterThan(0);
            expect(compareSortValues(moneyKey('9', 'CNY'), moneyKey('100', 'CNY'))).to.be.lessThan(0);
            expect(compareSortValues([1, 'b'], [1, 'a'])).to.be.greaterThan(0);
        });
    });

    describe('orderItems', () => {
        const notes = [
            { id: 'N-c', maturity: '2026-09-01', amount: '500' },
            { id: 'N-a', maturity: '2026-03-01', amount: '2000' },
            { id: 'N-b', maturity: undefined, amount: '100' },
            { id: 'N-d', maturity: '2026-03-01', amount: '70' },
        ];

        it('orders by a column either way, equal values keeping their order', () => {
            expect(orderItems(notes, (n) => n.maturity, 'ascending').map((n) => n.id)).to.deep.equal(['N-a', 'N-d', 'N-c', 'N-b']);
            expect(orderItems(notes, (n) => n.maturity, 'descending').map((n) => n.id)).to.deep.equal(['N-c', 'N-a', 'N-d', 'N-b']);
        });

        it('puts items without a value last in both directions', () => {
            expect(orderItems(notes, (n) => n.maturity, 'ascending').at(-1)?.id).to.equal('N-b');
            expect(orderItems(notes, (n) => n.maturity, 'descending').at(-1)?.id).to.equal('N-b');
        });

        it('orders amounts by size, not as text', () => {
            expect(orderItems(notes, (n) => moneyKey(n.amount, 'CNY'), 'descending').map((n) => n.amount)).to.deep.equal(['2000', '500', '100', '70']);
        });

        it('leaves the list it was given as it was', () => {
            orderItems(notes, (n) => n.id, 'ascending');
            expect(notes.map((n) => n.id)).to.deep.equal(['N-c', 'N-a', 'N-b', 'N-d']);
        });
    });

    describe('the status filter', () => {
        const receivables = [{ status: 'SETTLED' }, { status: 'CONFIRMED' }, { status: 'REGISTERED' }, { status: 'CONFIRMED' }, { status: 'SOMETHING_NEW' }];

        it('offers the statuses present, in the lifecycle order, with their counts; unknown ones last', () => {
            expect(statusCounts(receivables, (r) => r.status, STATUS_ORDERS.receivable)).to.deep.equal([
                { status: 'REGISTERED', count: 1 },
                { status: 'CONFIRMED', count: 2 },
                { status: 'SETTLED', count: 1 },
                { status: 'SOMETHING_NEW', count: 1 },
            ]);
        });

        it('keeps the items of the status chosen, and all for no choice', () => {
            expect(itemsWithStatus(receivables, (r) => r.status, 'CONFIRMED')).to.have.length(2);
            expect(itemsWithStatus(receivables, (r) => r.status, '')).to.have.length(5);
        });

        it('ranks statuses for a Status column: what still needs someone first', () => {
            expect(statusRank(STATUS_ORDERS.pledge, 'REQUESTED')).to.be.lessThan(statusRank(STATUS_ORDERS.pledge, 'ACTIVE'));
            expect(statusRank(STATUS_ORDERS.note, 'UNHEARD_OF')).to.equal(STATUS_ORDERS.note.length);
        });
    });

    it('turns a column the other way round on a second click, and starts another ascending', () => {
        expect(nextOrder({ column: 'Due', direction: 'ascending' }, 'Due')).to.deep.equal({ column: 'Due', direction: 'descending' });
        expect(nextOrder({ column: 'Due', direction: 'descending' }, 'Due')).to.deep.equal({ column: 'Due', direction: 'ascending' });
        expect(nextOrder({ column: 'Due', direction: 'descending' }, 'Amount')).to.deep.equal({ column: 'Amount', direction: 'ascending' });
    });

    it('has no sort key for an amount it cannot read', () => {
        expect(moneyKey(undefined, 'CNY')).to.equal(undefined);
        expect(moneyKey('12.50', 'CNY')).to.equal(undefined);
    });
});
