import { expect } from 'chai';
import type { CreditLine } from '../resources';
import { noUsableLine } from './core-views';

describe('issue form without a usable credit line', () => {
    const now = new Date('2026-03-10T08:00:00Z');
    const line = (extra: Partial<CreditLine>): CreditLine => ({ id: 'L', financierId: 'B', coreEnterpriseId: 'C', currency: 'CNY', limit: '100', used: '0', remaining: '100', status: 'ACTIVE', expiresAt: '2027-01-01T00:00:00.000Z', ...extra }) as CreditLine;

    it('says nothing when a line can back a note', () => {
        expect(noUsableLine([line({})], now)).to.equal(undefined);
    });

    it('says why none can: none granted, expired, used up, revoked', () => {
        expect(noUsableLine([], now)).to.contain('No credit line has been granted to you yet');
        const why = noUsableLine([line({ expiresAt: '2026-03-01T00:00:00.000Z' }), line({ used: '100', remaining: '0' }), line({ status: 'REVOKED' })], now) ?? '';
        expect(why).to.contain('of your 3 lines, 1 expired, 1 used up (no limit left), 1 revoked');
    });
});
