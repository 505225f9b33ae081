import { expect } from 'chai';
import type { CreditLine } from '../resources';
import { escrowPayOut, noUsableLine, redemptionQuestion } from './core-views';

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

    it('counts a line the ledger reads as EXPIRED as expired, not revoked', () => {
        const why = noUsableLine([line({ status: 'EXPIRED', remaining: '0', expiresAt: '2026-03-01T00:00:00.000Z' }), line({ status: 'REVOKED', remaining: '0' })], now) ?? '';
        expect(why).to.contain('of your 2 lines, 1 expired, 1 revoked');
    });
});

describe('redemption and escrow, asked before paying', () => {
    const names: Record<string, string> = { SUZHOU: 'Suzhou Precision Castings', HANGZHOU: 'Hangzhou Fastener Works', NINGBO: 'Ningbo Forge' };
    const name = (id: string): string => names[id] ?? id;
    // Suzhou holds two positions (tiers 1 and 2); Hangzhou one.
    const positions = [
        { holderId: 'SUZHOU', amount: '9000000' },
        { holderId: 'HANGZHOU', amount: '3000000' },
        { holderId: 'SUZHOU', amount: '50' },
    ];

    it('says what the holders are paid in all when none is frozen', () => {
        expect(redemptionQuestion('N-root', 'CNY', positions, () => false, name)).to.equal('Redeem note N-root now, paying its holders CNY 120,000.50 in all? This cannot be undone.');
    });

    it('says what goes into escrow, and for whom, when a holder is frozen', () => {
        const frozen = (id: string): boolean => id === 'HANGZHOU';
        expect(redemptionQuestion('N-root', 'CNY', positions, frozen, name)).to.equal(
            'Redeem note N-root now, paying its holder CNY 90,000.50 and CNY 30,000.00 into escrow for Hangzhou Fastener Works, frozen by the regulator (paid out to it once the freeze is lifted)? This cannot be undone.',
        );
        expect(redemptionQuestion('N-root', 'CNY', positions, () => true, name)).to.equal(
            'Redeem note N-root now, paying no holder now and CNY 120,000.50 into escrow for Suzhou Precision Castings (CNY 90,000.50), Hangzhou Fastener Works (CNY 30,000.00), frozen by the regulator (paid out to them once the freeze is lifted)? This cannot be undone.',
        );
    });

    it('pays out escrow only to holders no longer frozen', () => {
        const escrowed = [
            { holderId: 'HANGZHOU', amount: '3000000' },
            { holderId: 'NINGBO', amount: '100' },
            { holderId: 'HANGZHOU', amount: '1' },
        ];
        expect(escrowPayOut(escrowed, () => true)).to.deep.equal({ payable: [], kept: [{ holderId: 'HANGZHOU', amount: '3000001' }, { holderId: 'NINGBO', amount: '100' }] });
        expect(escrowPayOut(escrowed, (id) => id === 'NINGBO')).to.deep.equal({ payable: [{ holderId: 'HANGZHOU', amount: '3000001' }], kept: [{ holderId: 'NINGBO', amount: '100' }] });
    });
});
