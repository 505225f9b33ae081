import { expect } from 'chai';
import { buyerChoices, buyerOptions, invoiceAmount, settleable, statusNote } from './receivables-view';
import { InputError } from './ui';

describe('invoice registration checks', () => {
    it('accepts 1 to 10^18 minor units and refuses anything else in words, before any upload', () => {
        expect(invoiceAmount('1,234.56', 'CNY')).to.equal('123456');
        expect(invoiceAmount('10000000000000000', 'CNY')).to.equal('1000000000000000000');
        for (const typed of ['99999999999999999999999', '10000000000000000.01', '0', '', 'abc']) {
            expect(() => invoiceAmount(typed, 'CNY'), typed).to.throw(InputError);
        }
    });
});

describe('a receivable\'s status and what its parties may do', () => {
    it('shows the dispute reason only while the receivable is disputed, and the cancellation reason once cancelled', () => {
        const reasons = { disputeReason: 'goods damaged', cancelReason: 'wrong buyer' };
        expect(statusNote({ status: 'DISPUTED', ...reasons })).to.equal('goods damaged');
        expect(statusNote({ status: 'CANCELLED', ...reasons })).to.equal('wrong buyer');
        for (const status of ['REGISTERED', 'CONFIRMED', 'NOTED', 'SETTLED'] as const) {
            expect(statusNote({ status, ...reasons }), status).to.equal(undefined);
        }
    });

    it('lets the buyer confirm a registered or disputed receivable, and dispute only a registered one', () => {
        expect(buyerChoices({ status: 'REGISTERED' })).to.deep.equal({ confirm: true, dispute: true });
        expect(buyerChoices({ status: 'DISPUTED' })).to.deep.equal({ confirm: true, dispute: false });
        for (const status of ['CONFIRMED', 'NOTED', 'SETTLED', 'CANCELLED'] as const) {
            expect(buyerChoices({ status }), status).to.deep.equal({ confirm: false, dispute: false });
        }
    });

    it('lets the seller acknowledge payment of a confirmed receivable with something still available', () => {
        expect(settleable({ status: 'CONFIRMED', availableAmount: '1' })).to.equal(true);
        expect(settleable({ status: 'CONFIRMED', availableAmount: '0' })).to.equal(false);
        for (const status of ['REGISTERED', 'DISPUTED', 'NOTED', 'SETTLED', 'CANCELLED'] as const) {
            expect(settleable({ status, availableAmount: '500' }), status).to.equal(false);
        }
    });

    it('offers as buyers the core enterprises and the other suppliers, never the seller itself', () => {
        const enterprises = [
            { id: 'S1', kind: 'SUPPLIER' as const, name: 'Suzhou' },
            { id: 'C1', kind: 'CORE_ENTERPRISE' as const, name: 'Huadong' },
            { id: 'S2', kind: 'SUPPLIER' as const, name: 'Hangzhou' },
            { id: 'F1', kind: 'FINANCIER' as const, name: 'Bank' },
        ];
        expect(buyerOptions(enterprises, 'S1')).to.deep.equal([
            ['C1', 'Huadong'],
            ['S2', 'Hangzhou (supplier)'],
        ]);
    });
});
