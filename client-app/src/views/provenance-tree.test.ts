import { expect } from 'chai';
import { ApiError } from '../api-client';
import type { Note, Provenance } from '../resources';
import { TreeNode, fitText, layoutTree, loadProvenanceTree, textMeasure } from './provenance-tree';

function note(id: string, holderId: string, amount: string, extra: Partial<Note> = {}): Note {
    return { docType: 'note', id, rootId: 'R', holderId, issuerId: 'CORE', amount, currency: 'CNY', maturityDate: '2026-04-01', tier: 1, status: 'ACTIVE', origin: 'ISSUE', createdAt: '', txId: '', updatedAt: '', ...extra };
}

/** R (tier1) → split → A (tier1, spent by transfer) + B; A → T (tier2) + C (change). */
const NOTES: Record<string, Note> = {
    R: note('R', 'T1', '1000', { status: 'SPENT', children: ['A', 'B'] }),
    A: note('A', 'T1', '600', { parentId: 'R', status: 'SPENT', origin: 'SPLIT', children: ['T', 'C'] }),
    B: note('B', 'T1', '400', { parentId: 'R', origin: 'SPLIT' }),
    T: note('T', 'T2', '250', { parentId: 'A', tier: 2, origin: 'TRANSFER' }),
    C: note('C', 'T1', '350', { parentId: 'A', origin: 'CHANGE' }),
};

const provenanceOfT: Provenance = {
    noteId: 'T',
    rootId: 'R',
    chain: [
        { id: 'T', parentId: 'A', holderId: 'T2', amount: '250', tier: 2, status: 'ACTIVE', origin: 'TRANSFER' },
        { id: 'A', parentId: 'R', holderId: 'T1', amount: '600', tier: 1, status: 'SPENT', origin: 'SPLIT' },
        { id: 'R', holderId: 'T1', amount: '1000', tier: 1, status: 'SPENT', origin: 'ISSUE' },
    ],
    proof: { rootId: 'R', issuerId: 'CORE', currency: 'CNY', maturityDate: '2026-04-01', faceAmount: '1000', outstandingAmount: '1000', redeemedAmount: '0', escrowedAmount: '0', outstandingLeaves: 3, redeemedLeaves: 0, escrowedLeaves: 0, spentNotes: 2, childrenBalanced: true, balanced: true },
    overdue: false,
    graceDays: 3,
    graceDeadline: '2026-04-05T00:00:00.000Z',
};

function reader(readable: (id: string) => boolean): Parameters<typeof loadProvenanceTree>[0] {
    return {
        provenance: async () => provenanceOfT,
        readNote: async (id: string) => {
            if (!readable(id)) {
                throw new ApiError({ status: 403, code: 'FORBIDDEN' });
            }
            return NOTES[id];
        },
    };
}

function shape(node: TreeNode): unknown {
    return { id: node.id, hidden: node.hidden, children: node.children.map(shape) };
}

describe('loadProvenanceTree', () => {
    it('draws the whole tree for a reader who may read every note', async () => {
        const tree = await loadProvenanceTree(reader(() => true), 'T');
        expect(tree.focusId).to.equal('T');
        expect(shape(tree.root)).to.deep.equal({
            id: 'R',
            hidden: false,
            children: [
                { id: 'A', hidden: false, children: [{ id: 'T', hidden: false, children: [] }, { id: 'C', hidden: false, children: [] }] },
                { id: 'B', hidden: false, children: [] },
            ],
        });
    });

    it('keeps the chain but hides branches the reader may not read', async () => {
        // A tier-2 holder reads only its own note; the chain still shows R → A → T.
        const tree = await loadProvenanceTree(reader((id) => id === 'T'), 'T');
        expect(shape(tree.root)).to.deep.equal({ id: 'R', hidden: false, children: [{ id: 'A', hidden: false, children: [{ id: 'T', hidden: false, children: [] }] }] });
    });

    it('marks children it knows only by id as hidden', async () => {
        const tree = await loadProvenanceTree(reader((id) => id !== 'B' && id !== 'C'), 'T');
        const ids = (n: TreeNode): string[] => [`${n.id}${n.hidden ? '?' : ''}`, ...n.children.flatMap(ids)];
        expect(ids(tree.root)).to.deep.equal(['R', 'A', 'T', 'C?', 'B?']);
    });

    it('asks nothing of the ancestors a holder may not read, drawing them from the chain without a link', async () => {
        const asked: string[] = [];
        const api = reader((id) => id === 'T');
        const tree = await loadProvenanceTree({ provenance: api.provenance, readNote: async (id) => (asked.push(id), api.readNote(id)) }, 'T', { reader: { role: 'supplier', enterpriseId: 'T2' } });
        expect(asked).to.deep.equal(['T']);
        expect(shape(tree.root)).to.deep.equal({ id: 'R', hidden: false, children: [{ id: 'A', hidden: false, children: [{ id: 'T', hidden: false, children: [] }] }] });
        const readable = (n: TreeNode): string[] => [`${n.id}:${String(n.readable)}`, ...n.children.flatMap(readable)];
        expect(readable(tree.root)).to.deep.equal(['R:false', 'A:false', 'T:true']);
        expect(tree.root.holderId).to.equal('T1');
    });

    it('still asks for ancestors the reader may read: the issuer, a financier, the regulator, a reader invited to the note', async () => {
        for (const who of [
            { role: 'core-enterprise', enterpriseId: 'CORE' },
            { role: 'financier', enterpriseId: 'BANK' },
            { role: 'regulator', enterpriseId: 'REG' },
            { role: 'supplier', enterpriseId: 'T3' },
        ]) {
            const asked: string[] = [];
            const api = reader(() => true);
            await loadProvenanceTree({ provenance: api.provenance, readNote: async (id) => (asked.push(id), api.readNote(id)) }, 'T', { reader: who });
            expect(asked, who.role).to.include.members(['R', 'A', 'T']);
        }
    });

    it('marks the notes it was refused as not readable', async () => {
        const tree = await loadProvenanceTree(reader((id) => id !== 'B' && id !== 'C'), 'T');
        const refused = (n: TreeNode): string[] => [...(n.readable === false ? [n.id] : []), ...n.children.flatMap(refused)];
        expect(refused(tree.root)).to.deep.equal(['C', 'B']);
    });

    it('stops reading at the limit and says the tree is truncated', async () => {
        const tree = await loadProvenanceTree(reader(() => true), 'T', { limit: 2 });
        expect(tree.truncated).to.equal(true);
    });
});

describe('layoutTree', () => {
    it('gives leaves consecutive slots and centres parents over their children', () => {
        const leaf = (id: string): TreeNode => ({ id, hidden: false, children: [] });
        const root: TreeNode = { id: 'R', hidden: false, children: [{ id: 'A', hidden: false, children: [leaf('T'), leaf('C')] }, leaf('B')] };
        const { placed, width, depth } = layoutTree(root);
        const at = Object.fromEntries(placed.map((p) => [p.node.id, [p.x, p.depth]]));
        expect(at).to.deep.equal({ R: [1.25, 0], A: [0.5, 1], T: [0, 2], C: [1, 2], B: [2, 1] });
        expect(width).to.equal(3);
        expect(depth).to.equal(3);
        expect(placed.find((p) => p.node.id === 'T')?.parentId).to.equal('A');
    });
});

describe('fitText', () => {
    /** Every character 7 px wide, the ellipsis too. */
    const sevenEach = (text: string): number => Array.from(text).length * 7;

    it('keeps a label that fits whole', () => {
        expect(fitText('Bank of Jiangnan', 148, sevenEach)).to.equal('Bank of Jiangnan');
    });

    it('cuts a label that does not fit to the longest prefix that fits with its ellipsis', () => {
        const fitted = fitText('Suzhou Precision Castings Co., Ltd.', 148, sevenEach);
        // 148 px holds 21 characters: 20 kept plus the ellipsis.
        expect(fitted).to.equal('Suzhou Precision Cas…');
        expect(sevenEach(fitted)).to.be.at.most(148);
        expect(sevenEach(`${'Suzhou Precision Cast'}…`)).to.be.above(148);
    });

    it('drops a space before the ellipsis and never splits a surrogate pair', () => {
        expect(fitText('Suzhou Precision Castings', 7 * 8, sevenEach)).to.equal('Suzhou…');
        expect(fitText('𠮷𠮷𠮷𠮷𠮷', 7 * 3, sevenEach)).to.equal('𠮷𠮷…');
    });

    it('measures without a canvas by a generous estimate: Chinese a full em, others 0.62 em', () => {
        const measure = textMeasure('700 12px system-ui');
        expect(measure('信链')).to.equal(24);
        expect(measure('ab')).to.be.closeTo(14.88, 1e-9);
        expect(fitText('华东重工集团有限公司', 60, measure)).to.equal('华东重工…');
    });
});
