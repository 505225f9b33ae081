import { expect } from 'chai';
import { backedRootIds, overdueProbeIds, readableRootIds } from './note-history';

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
