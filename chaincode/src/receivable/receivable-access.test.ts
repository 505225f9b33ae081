import { expect } from 'chai';
import type { DiscountQuote } from '../note/discount';
import type { Note } from '../note/note';
import { NoteWorld, issue, newNoteWorld, quote, requestDiscount, transfer } from '../note/testing';
import { EID } from '../testing/fixtures';
import { expectRefused } from '../testing/harness';
import type { TestIdentity } from '../testing/identities';
import type { Receivable } from './receivable';

/** Financiers read a receivable only while it backs a note they finance or are asked to fund. */
describe('receivable reads by financiers', () => {
    let w: NoteWorld;
    let root: Note;
    let receivableId: string;

    beforeEach(async () => {
        w = await newNoteWorld();
        root = await issue(w, { amount: '100000000' });
        receivableId = (root.receivableIds ?? [])[0];
    });
    afterEach(() => w.h.close());

    const read = (who: TestIdentity) => w.h.evaluate<Receivable>(who, 'receivable:ReadReceivable', [receivableId]);

    it('refuses a financier with no part in the note the receivable backs, the line grantor included', async () => {
        expect((await read(w.cast.regulator)).noteId).to.equal(root.id);
        for (const who of [w.cast.bank, w.cast.bank2]) {
            await expectRefused(w.h, 'FORBIDDEN', () => read(who));
        }
    });

    it('lets a financier invited to an open discount request on the note read it, until the request is withdrawn', async () => {
        const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank2]);
        expect((await read(w.cast.bank2)).id).to.equal(receivableId);
        await expectRefused(w.h, 'FORBIDDEN', () => read(w.cast.bank));
        await w.h.submit(w.cast.tier1, 'note:WithdrawDiscountRequest', [request.id]);
        await expectRefused(w.h, 'FORBIDDEN', () => read(w.cast.bank2));
    });

    it('lets a financier invited to discount a fragment of the note read it', async () => {
        const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '40000000');
        await requestDiscount(w.h, w.cast.tier2, received.id, [EID.bank]);
        expect((await read(w.cast.bank)).id).to.equal(receivableId);
        // The tier-2 holder walks the note's provenance, not the tier-1 seller's invoices.
        await expectRefused(w.h, 'FORBIDDEN', () => read(w.cast.tier2));
    });

    it('lets the financier that funded a discount read it afterwards, not the competitor whose quote was withdrawn', async () => {
        const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank, EID.bank2]);
        const winning: DiscountQuote = await quote(w.h, w.cast.bank, request.id, 300);
        await quote(w.h, w.cast.bank2, request.id, 400);
        await w.h.submit(w.cast.tier1, 'note:AcceptQuote', [winning.id]);
        expect((await read(w.cast.bank)).id).to.equal(receivableId);
        await expectRefused(w.h, 'FORBIDDEN', () => read(w.cast.bank2));
    });

    it('lets a financier of any of the notes a receivable backs read it', async () => {
        // A receivable of 150 backs a note of 100 and, with its remaining 50, a second note.
        const first = await issue(w, { amount: '100000000', backing: ['150000000'] });
        const shared = (first.receivableIds ?? [])[0];
        const second = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [
            { holderId: EID.tier1, amount: '50000000', currency: 'CNY', maturityDate: first.maturityDate, creditLineId: w.lineId, receivableIds: [shared] },
        ]);
        expect((await w.h.evaluate<Receivable>(w.cast.regulator, 'receivable:ReadReceivable', [shared])).noteId).to.equal(first.id);
        await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank2, 'receivable:ReadReceivable', [shared]));
        await requestDiscount(w.h, w.cast.tier1, second.id, [EID.bank2]);
        expect((await w.h.evaluate<Receivable>(w.cast.bank2, 'receivable:ReadReceivable', [shared])).id).to.equal(shared);
    });

    it('does not let a financier list the receivables of the note it funds', async () => {
        const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank]);
        await w.h.submit(w.cast.tier1, 'note:AcceptQuote', [(await quote(w.h, w.cast.bank, request.id, 300)).id]);
        await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank, 'receivable:ListReceivables', [EID.tier1, 'seller']));
    });
});
