import { expect } from 'chai';
import { ApiError } from './api-client';
import { distinctIds, newestRedemptionFirst, payeesOf, redeemedLeavesOf, redeemedNotesOf, walkNotes } from './note-history';
import type { Note } from './resources';

const SUZHOU = 'S';
const HANGZHOU = 'H';
const BANK = 'B';

function note(id: string, holderId: string, amount: string, status: Note['status'], extra: Partial<Note> = {}): Note {
    return { docType: 'note', id, rootId: 'R', issuerId: 'I', holderId, amount, currency: 'CNY', maturityDate: '2026-03-01', tier: 1, status, origin: 'SPLIT', createdAt: '', txId: '', updatedAt: '', ...extra };
}

/**
 * Root R (1000, Suzhou) split into A (600) and C (400); A transferred: T (200) to Hangzhou, X (400)
 * change back to Suzhou; T discounted to the bank as D. Everything redeemed.
 */
const TREE: Note[] = [
    note('R', SUZHOU, '1000', 'SPENT', { origin: 'ISSUE', children: ['A', 'C'], spentBy: 'SPLIT' }),
    note('A', SUZHOU, '600', 'SPENT', { children: ['T', 'X'], spentBy: 'TRANSFER' }),
    note('C', SUZHOU, '400', 'REDEEMED', { redeemedAt: '2026-03-02T10:00:00.000Z' }),
    note('T', HANGZHOU, '200', 'SPENT', { tier: 2, children: ['D'], spentBy: 'DISCOUNT' }),
    note('X', SUZHOU, '400', 'REDEEMED', { origin: 'CHANGE', redeemedAt: '2026-03-02T10:00:00.000Z' }),
    note('D', BANK, '200', 'REDEEMED', { tier: 3, origin: 'DISCOUNT', redeemedAt: '2026-03-02T10:00:00.000Z' }),
];

/** A reader that knows TREE, refuses `forbidden` ids, and records what was read. */
function reader(forbidden: string[] = []): { api: { readNote(id: string): Promise<Note> }; reads: string[] } {
    const reads: string[] = [];
    return {
        reads,
        api: {
            readNote: async (id) => {
                reads.push(id);
                const found = TREE.find((n) => n.id === id);
                if (!found || forbidden.includes(id)) {
                    throw new ApiError({ status: found ? 403 : 404, code: found ? 'FORBIDDEN' : 'NOT_FOUND' });
                }
                return found;
            },
        },
    };
}

describe('note history', () => {
    it('finds the redeemed notes a holder kept, following only its own notes down from the root', async () => {
        const { api, reads } = reader();
        const walk = await redeemedNotesOf(api, SUZHOU, ['R']);
        expect(walk.notes.map((n) => n.id).sort()).to.deep.equal(['C', 'X']);
        expect(walk.truncated).to.equal(false);
        // It reads the transferred note T (to learn it is no longer Suzhou's) but never what Hangzhou did with it.
        expect(reads.sort()).to.deep.equal(['A', 'C', 'R', 'T', 'X']);
    });

    it('finds a tier-2 holder its own redeemed notes from the note it received, skipping what it sold', async () => {
        const hangzhou = await redeemedNotesOf(reader().api, HANGZHOU, ['T']);
        expect(hangzhou.notes).to.deep.equal([]);
        const bank = await redeemedNotesOf(reader().api, BANK, ['D']);
        expect(bank.notes.map((n) => n.id)).to.deep.equal(['D']);
    });

    it('skips notes the reader may not read and reads each note once', async () => {
        const { api, reads } = reader(['X']);
        const walk = await walkNotes(api, ['R', 'R', 'A'], () => true);
        expect(walk.notes.map((n) => n.id).sort()).to.deep.equal(['A', 'C', 'D', 'R', 'T']);
        expect(new Set(reads).size).to.equal(reads.length);
    });

    it('stops at its read limit and says so', async () => {
        const walk = await walkNotes(reader().api, ['R'], () => true, 3);
        expect(walk.notes).to.have.length(3);
        expect(walk.truncated).to.equal(true);
    });

    it('lists every redeemed leaf of a root and sums them per payee, largest first', async () => {
        const leaves = await redeemedLeavesOf(reader().api, 'R');
        expect(leaves.notes.map((n) => n.id).sort()).to.deep.equal(['C', 'D', 'X']);
        expect(payeesOf(leaves.notes)).to.deep.equal([
            { holderId: SUZHOU, amount: '800' },
            { holderId: BANK, amount: '200' },
        ]);
    });

    it('lists apart the leaves paid into escrow for a frozen holder', async () => {
        const tree = TREE.map((n) => (n.id === 'D' ? { ...n, status: 'ESCROWED' as const, redeemedAt: undefined, escrowedAt: '2026-03-02T10:00:00.000Z' } : n));
        const api = { readNote: async (id: string) => tree.find((n) => n.id === id) as Note };
        const leaves = await redeemedLeavesOf(api, 'R');
        expect(leaves.notes.map((n) => n.id).sort()).to.deep.equal(['C', 'X']);
        expect(leaves.escrowed.map((n) => n.id)).to.deep.equal(['D']);
        expect(payeesOf(leaves.escrowed)).to.deep.equal([{ holderId: BANK, amount: '200' }]);
    });

    it('orders by redemption time, newest first, and keeps distinct ids', () => {
        const sorted = [{ id: 'a', redeemedAt: '2026-01-01' }, { id: 'b' }, { id: 'c', redeemedAt: '2026-02-01' }].sort(newestRedemptionFirst);
        expect(sorted.map((n) => n.id)).to.deep.equal(['c', 'a', 'b']);
        expect(distinctIds(['N-1', undefined, '', 'N-2', 'N-1'])).to.deep.equal(['N-1', 'N-2']);
    });
});
