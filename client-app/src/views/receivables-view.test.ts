import { expect } from 'chai';
import { invoiceAmount } from './receivables-view';
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
