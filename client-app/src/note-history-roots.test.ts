import { expect } from 'chai';
import { backedRootIds, overdueProbeIds, readableRootIds, rootGraceDeadlines } from './note-history';

describe('readableRootIds', () => {
    it('reads the roots of tier-1 notes and never those a holder below tier 1 may not read', () => {
        const held = [
            { id: 'R1', rootId: 'R1', tier: 1 }, // the root itself: nothing to read
            { id: 'N1', rootId: 'R2', tier: 1 }, // a split of a root the holder held
            { id: 'N2', rootId: 'R2', tier: 1 },
            { id: 'N3', rootId: 'R3', tier: 2 }, // received by transfer: the root is someone else's
        ];
        expect(readableRootIds(held)).to.deep.equal(['R2']);
    });
});

describe('overdueProbeIds', () => {
    it('asks about one note per unreadable root, and only past maturity', () => {
        const held = [
            { id: 'R1', rootId: 'R1', tier: 1, maturityDate: '2026-01-01' }, // the root itself
            { id: 'N1', rootId: 'R2', tier: 1, maturityDate: '2026-01-01' }, // its root is readable
            { id: 'N2', rootId: 'R3', tier: 2, maturityDate: '2026-01-01' },
            { id: 'N3', rootId: 'R3', tier: 3, maturityDate: '2026-01-01' }, // same root: asked once
            { id: 'N4', rootId: 'R4', tier: 2, maturityDate: '2026-03-01' }, // not yet mature
        ];
        expect(overdueProbeIds(held, new Date('2026-02-01T08:00:00Z'))).to.deep.equal(['N2']);
    });

    it('asks on the maturity date itself, when "Mark overdue" is first offered (a root with no grace may be marked that day)', () => {
        const held = [{ id: 'N2', rootId: 'R3', tier: 2, maturityDate: '2026-02-01' }];
        expect(overdueProbeIds(held, new Date('2026-02-01T08:00:00Z'))).to.deep.equal(['N2']);
        expect(overdueProbeIds(held, new Date('2026-01-31T23:00:00Z'))).to.deep.equal([]);
    });
});

describe('rootGraceDeadlines', () => {
    // Root R3 was issued with 3 days of grace, maturing 2027-06-01; its tier-2 piece N2 cannot read it.
    const tier2Provenance = { rootId: 'R3', graceDeadline: '2027-06-05T00:00:00.000Z' };

    it('gives a tier-2 row the deadline its root was issued with, from its provenance: markable from 2027-06-05 whatever the platform grace is now', () => {
        const deadlines = rootGraceDeadlines([], [tier2Provenance]);
        expect(deadlines.get('R3')?.toISOString()).to.equal('2027-06-05T00:00:00.000Z');
        // From 2027-06-05 00:00 UTC the ledger lets the holder mark it; the platform's 10 days in force now would have said 2027-06-12.
        expect(new Date('2027-06-05T00:00:00Z').getTime()).to.be.at.least((deadlines.get('R3') as Date).getTime());
    });

    it('reads a readable root\'s own grace, a root recorded without one as none, and leaves out a root nothing says', () => {
        const deadlines = rootGraceDeadlines(
            [
                { id: 'R1', maturityDate: '2027-06-01', graceDays: 10 },
                { id: 'R2', maturityDate: '2027-06-01' },
            ],
            [tier2Provenance, undefined],
        );
        expect([...deadlines].map(([id, at]) => [id, at.toISOString()])).to.deep.equal([
            ['R3', '2027-06-05T00:00:00.000Z'],
            ['R1', '2027-06-12T00:00:00.000Z'],
            ['R2', '2027-06-02T00:00:00.000Z'],
        ]);
        expect(deadlines.has('R4')).to.equal(false);
    });
});

describe('backedRootIds', () => {
    it('finds every note a receivable backs, and the one note of records from before allocations', () => {
        const receivables = [
            { noteId: 'R1', allocations: [{ noteId: 'R1' }, { noteId: 'R2' }] },
            { noteId: 'R3' }, // written before allocations
            { allocations: [] }, // confirmed, backing nothing yet
        ];
        expect(backedRootIds(receivables)).to.deep.equal(['R1', 'R2', 'R3']);
    });
});
