import { expect } from 'chai';
import { graceDeadline, pastGrace } from './grace';

describe('grace period', () => {
    const at = (iso: string): Date => new Date(iso);

    it('never counts the maturity date against the grace: with no grace days, the whole maturity date is on time', () => {
        const root = { maturityDate: '2026-12-08', graceDays: 0 };
        expect(graceDeadline(root).toISOString()).to.equal('2026-12-09T00:00:00.000Z');
        for (const time of ['2026-12-08T00:00:00.000Z', '2026-12-08T16:53:00.000Z', '2026-12-08T23:59:59.999Z']) {
            expect(pastGrace(root, at(time)), time).to.equal(false);
        }
        expect(pastGrace(root, at('2026-12-09T00:00:00.000Z'))).to.equal(true);
    });

    it('gives whole grace days after the maturity date: paying on the last of them is on time, overdue from the next 00:00 UTC', () => {
        const root = { maturityDate: '2026-04-15', graceDays: 3 };
        expect(pastGrace(root, at('2026-04-18T00:00:00.000Z'))).to.equal(false);
        expect(pastGrace(root, at('2026-04-18T23:59:59.999Z'))).to.equal(false);
        expect(pastGrace(root, at('2026-04-19T00:00:00.000Z'))).to.equal(true);
        expect(pastGrace(root, at('2026-05-01T12:00:00.000Z'))).to.equal(true);
    });

    it('treats a root recorded without graceDays as grace 0, with the maturity date itself still on time', () => {
        const root = { maturityDate: '2026-04-15' };
        expect(graceDeadline(root).toISOString()).to.equal('2026-04-16T00:00:00.000Z');
        expect(pastGrace(root, at('2026-04-15T23:59:59.999Z'))).to.equal(false);
        expect(pastGrace(root, at('2026-04-16T00:00:00.000Z'))).to.equal(true);
    });

    it('counts calendar days across month and year ends', () => {
        expect(graceDeadline({ maturityDate: '2026-12-31', graceDays: 0 }).toISOString()).to.equal('2027-01-01T00:00:00.000Z');
        expect(graceDeadline({ maturityDate: '2028-02-28', graceDays: 1 }).toISOString()).to.equal('2028-03-01T00:00:00.000Z');
        expect(graceDeadline({ maturityDate: '2026-12-30', graceDays: 90 }).toISOString()).to.equal('2027-03-31T00:00:00.000Z');
    });
});
