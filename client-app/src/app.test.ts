import { expect } from 'chai';
import { normalizeUsername } from './app';

describe('app shell', () => {
    it('signs in with the user name as the gateway knows it: trimmed, lower case', () => {
        expect(normalizeUsername('  Suzhou ')).to.equal('suzhou');
        expect(normalizeUsername('HUADONG')).to.equal('huadong');
        expect(normalizeUsername('ops.clerk-2')).to.equal('ops.clerk-2');
    });
});
