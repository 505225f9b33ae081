import { expect } from 'chai';
import { eventNames } from '../ledger/event-parties';
import { EID } from '../testing/fixtures';
import { expectRefused } from '../testing/harness';
import type { DiscountQuote, DiscountRequest } from './discount';
import type { Note } from './note';
import type { Receivable } from '../receivable/receivable';
import type { Provenance } from './provenance';
import type { OverdueMark, Payee } from './redemption';
import { MATURITY, NoteWorld, confirmedReceivables, issue, newNoteWorld, offer, quote, readNote, requestDiscount, transfer } from './testing';
import type { NoteOffer } from './transfer';

interface RedemptionResult {
    root: Note;
    payees: Payee[];
    escrows: Payee[];
    redeemedNoteIds: string[];
    escrowedNoteIds: string[];
    closedOfferIds: string[];
    closedRequestIds: string[];
    onTime: boolean;
    escrowRelease: boolean;
}

describe('NoteContract redemption', () => {
    let w: NoteWorld;
    let root: Note;

    beforeEach(async () => {
        w = await newNoteWorld();
        root = await issue(w);
    });
    afterEach(() => w.h.close());

    describe('RedeemNote', () => {
        it('pays every unspent leaf, closes what is pending on them, restores the line and settles the receivables', async () => {
            const first = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '30000000');
            const change = first.change as Note;
            const pendingOffer = await offer(w.h, w.cast.tier2, first.received.id, EID.tier3, '10000000', `${MATURITY}T00:00:00Z`);
            const request = await requestDiscount(w.h, w.cast.tier1, change.id, [EID.bank]);
            const q = await quote(w.h, w.cast.bank, request.id, 360);

            await expectRefused(w.h, 'INVALID_STATE', () => {
                w.h.setTime('2026-04-14T23:59:59Z');
                return w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]);
            });
            w.h.setTime(`${MATURITY}T09:00:00Z`);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);

            expect(result.payees).to.deep.equal([
                { holderId: EID.tier1, amount: '70000000', noteIds: [change.id], holderFrozen: false },
                { holderId: EID.tier2, amount: '30000000', noteIds: [first.received.id], holderFrozen: false },
            ]);
            expect(result.onTime).to.equal(true);
            expect(result.redeemedNoteIds.sort()).to.deep.equal([change.id, first.received.id].sort());
            expect(result.closedOfferIds).to.deep.equal([pendingOffer.id]);
            expect(result.closedRequestIds).to.deep.equal([request.id]);
            expect(result.root).to.include({ rootStatus: 'REDEEMED', onTime: true, redeemedAt: '2026-04-15T09:00:00.000Z', status: 'SPENT' });

            for (const id of [change.id, first.received.id]) {
                const leaf = await readNote(w.h, w.cast, id);
                expect(leaf).to.include({ status: 'REDEEMED', redeemedAt: '2026-04-15T09:00:00.000Z' });
                expect(leaf.lock).to.equal(undefined);
            }
            expect(await readNote(w.h, w.cast, root.id)).to.deep.equal(result.root);
            expect(await w.h.evaluate<NoteOffer>(w.cast.tier2, 'note:ReadOffer', [pendingOffer.id])).to.include({ status: 'CLOSED' });
            expect(await w.h.evaluate<DiscountRequest>(w.cast.tier1, 'note:ReadDiscountRequest', [request.id])).to.include({ status: 'CLOSED' });
            expect((await w.h.evaluate<DiscountQuote[]>(w.cast.tier1, 'note:ListQuotes', [request.id])).map((x) => [x.id, x.status])).to.deep.equal([[q.id, 'WITHDRAWN']]);
            expect((await w.h.evaluate<{ used: string }>(w.cast.bank, 'credit-line:ReadCreditLine', [w.lineId])).used).to.equal('0');
            for (const id of root.receivableIds ?? []) {
                expect((await w.h.evaluate<{ status: string }>(w.cast.core, 'receivable:ReadReceivable', [id])).status).to.equal('SETTLED');
            }
            expect(await w.h.evaluate(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).to.deep.equal([]);
            expect(await w.h.evaluate(w.cast.tier2, 'note:ListNotesOfHolder', [EID.tier2])).to.deep.equal([]);

            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('RedeemNote');
            expect(event?.payload).to.deep.include({ rootId: root.id, issuerId: EID.core, financierId: EID.bank, currency: 'CNY', onTime: true, payees: [{ holderId: EID.tier1, amount: '70000000', noteIds: [change.id] }, { holderId: EID.tier2, amount: '30000000', noteIds: [first.received.id] }] });
            // The recipient of the closed offer, holding nothing of the root, is named: it learns the offer is gone.
            expect(event?.payload).to.deep.include({ closedOfferIds: [pendingOffer.id], closedOffers: [{ offerId: pendingOffer.id, fromId: EID.tier2, toId: EID.tier3 }] });

            const provenance = await w.h.evaluate<Provenance>(w.cast.regulator, 'note:GetProvenance', [change.id]);
            expect(provenance.proof).to.include({ faceAmount: '100000000', outstandingAmount: '0', redeemedAmount: '100000000', balanced: true });

            // Nothing redeemed moves again.
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [change.id, { amounts: ['1', '69999999'] }]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier3, 'note:AcceptOffer', [pendingOffer.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [q.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]));
        });

        it('redeems a root that was never split as its own single leaf', async () => {
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.root).to.include({ status: 'REDEEMED', rootStatus: 'REDEEMED', onTime: true, amount: '100000000' });
            expect(result.payees).to.deep.equal([{ holderId: EID.tier1, amount: '100000000', noteIds: [root.id], holderFrozen: false }]);
            expect(await readNote(w.h, w.cast, root.id)).to.deep.equal(result.root);
        });

        it('pays the financier that discounted a note', async () => {
            const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank]);
            const q = await quote(w.h, w.cast.bank, request.id, 360);
            const { funded } = await w.h.submit<{ funded: Note }>(w.cast.tier1, 'note:AcceptQuote', [q.id]);
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.payees).to.deep.equal([{ holderId: EID.bank, amount: '100000000', noteIds: [funded.id], holderFrozen: false }]);
            expect(result.escrows).to.deep.equal([]);
        });

        it('records a redemption on the last grace day as on time, and one from the next 00:00 UTC as late', async () => {
            const second = await issue(w);
            w.h.setTime('2026-04-18T23:59:59Z'); // maturity 2026-04-15 + 3 whole grace days: the last second of the last one
            expect((await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id])).onTime).to.equal(true);
            // The next transaction runs at 2026-04-19T00:00:00Z, the grace deadline.
            const late = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [second.id]);
            expect(late.onTime).to.equal(false);
            expect(late.root).to.include({ onTime: false, redeemedAt: '2026-04-19T00:00:00.000Z' });
        });

        it('counts a redemption at any time of the maturity date as on time, also with no grace days', async () => {
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 0 }]);
            const strict = await issue(w);
            expect(strict.graceDays).to.equal(0);
            w.h.setTime(`${MATURITY}T16:53:00Z`);
            // Nobody may mark it overdue on its maturity date: the issuer can still pay on time.
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:MarkOverdue', [strict.id]));
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [strict.id]);
            expect(result.onTime).to.equal(true);
            expect(result.root).to.include({ onTime: true, redeemedAt: `${MATURITY}T16:53:01.000Z` });
            expect(result.root.overdue).to.not.equal(true);
            const events = w.h.events();
            expect(events.at(-1)?.payload).to.include({ rootId: strict.id, onTime: true });
        });

        it('names in its event every financier invited to a request it closes, with the quotes it withdrew', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '30000000');
            const request = await requestDiscount(w.h, w.cast.tier2, received.id, [EID.bank2, EID.bank]);
            const fromBank2 = await quote(w.h, w.cast.bank2, request.id, 400);
            const fromBank = await quote(w.h, w.cast.bank, request.id, 380);
            await w.h.submit(w.cast.bank, 'note:WithdrawQuote', [fromBank.id]);
            const again = await quote(w.h, w.cast.bank, request.id, 390);
            w.h.setTime(`${MATURITY}T09:00:00Z`);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.closedRequestIds).to.deep.equal([request.id]);
            // The issuer's answer does not carry who was asked to fund its paper.
            expect(result).not.to.have.property('closedRequests');

            const payload = w.h.events().at(-1)?.payload as Record<string, unknown>;
            const withdrawn = [
                { quoteId: fromBank2.id, financierId: EID.bank2 },
                { quoteId: again.id, financierId: EID.bank },
            ].sort((a, b) => (a.quoteId < b.quoteId ? -1 : 1));
            // The quote withdrawn earlier is not withdrawn again.
            expect(payload.closedRequests).to.deep.equal([{ requestId: request.id, holderId: EID.tier2, financierIds: [EID.bank, EID.bank2].sort(), withdrawnQuotes: withdrawn }]);
            // So the event reaches bank2, which neither holds nor funds any of the root.
            expect(eventNames(payload, EID.bank2)).to.equal(true);
            for (const { quoteId } of withdrawn) {
                expect((await w.h.evaluate<DiscountQuote[]>(w.cast.tier2, 'note:ListQuotes', [request.id])).find((x) => x.id === quoteId)?.status).to.equal('WITHDRAWN');
            }
        });

        it('refuses anyone but the issuer', async () => {
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.core2, 'note:RedeemNote', [root.id]));
            for (const who of [w.cast.tier1, w.cast.bank, w.cast.regulator, w.cast.admin]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:RedeemNote', [root.id]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:RedeemNote', [root.id]));
        });

        it('lets a frozen issuer redeem its matured root and pay out its escrow: the holders are paid, nothing else is open to it', async () => {
            const { received, change } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '30000000');
            const receivableIds = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core, ['1000']);
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'inquiry']);
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier2, 'inquiry']);
            // Before maturity it is refused for that reason, not for the freeze.
            const early = await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]));
            expect(early.detail).to.equal(`note ${root.id} matures on ${MATURITY}`);

            w.h.setTime(`${MATURITY}T09:00:00Z`);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            // The active holder is paid; the frozen one's part goes into escrow, as for any issuer.
            expect(result).to.deep.include({
                onTime: true,
                escrowRelease: false,
                payees: [{ holderId: EID.tier1, amount: '70000000', noteIds: [(change as Note).id], holderFrozen: false }],
                escrows: [{ holderId: EID.tier2, amount: '30000000', noteIds: [received.id], holderFrozen: true }],
            });
            expect(result.root).to.include({ rootStatus: 'REDEEMED', onTime: true });
            expect(w.h.events().at(-1)?.name).to.equal('RedeemNote');
            expect((await w.h.evaluate<{ used: string }>(w.cast.bank, 'credit-line:ReadCreditLine', [w.lineId])).used).to.equal('0');
            // Redeemed, it can no longer be marked overdue while the freeze lasts.
            w.h.setTime('2026-05-01T00:00:00Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:MarkOverdue', [root.id]));

            // Its holder active again, the still frozen issuer pays the escrow out.
            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier2, 'closed']);
            const release = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(release).to.deep.include({ escrowRelease: true, redeemedNoteIds: [received.id], escrows: [] });
            expect(await readNote(w.h, w.cast, received.id)).to.include({ status: 'REDEEMED' });

            // Anything else stays refused to the frozen issuer: issuing a new note, for one.
            const issueRequest = { holderId: EID.tier1, amount: '1000', currency: 'CNY', maturityDate: '2026-08-01', creditLineId: w.lineId, receivableIds };
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.core, 'note:IssueNote', [issueRequest]));
            expect((await w.h.evaluate<{ status: string }>(w.cast.regulator, 'enterprise:ReadEnterprise', [EID.core])).status).to.equal('FROZEN');
        });

        it('refuses a note that is not a root, an unknown id and a malformed id', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '1');
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:RedeemNote', [received.id]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.core, 'note:RedeemNote', ['N-000000000000000000000000']));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:RedeemNote', ['']));
        });
    });

    describe('RedeemNote and the backing receivables', () => {
        function readReceivable(id: string): Promise<Receivable> {
            return w.h.evaluate<Receivable>(w.cast.regulator, 'receivable:ReadReceivable', [id]);
        }

        it('settles only what the note drew: the rest of the receivable stays the seller\'s to finance or acknowledge', async () => {
            // A 5000 receivable backs a 3000 note.
            const partial = await issue(w, { amount: '3000', backing: ['5000'] });
            const [receivableId] = partial.receivableIds as string[];
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await w.h.submit(w.cast.core, 'note:RedeemNote', [partial.id]);
            const after = await readReceivable(receivableId);
            expect(after).to.include({ status: 'CONFIRMED', notedAmount: '3000', settledAmount: '3000', availableAmount: '2000' });
            expect(after.allocations).to.deep.equal([{ noteId: partial.id, amount: '3000', allocatedAt: partial.createdAt, settledAt: after.updatedAt }]);
            // The seller acknowledges the remaining 2000 paid: only now is the receivable settled.
            expect(await w.h.submit(w.cast.tier1, 'receivable:SettleReceivable', [receivableId])).to.include({ status: 'SETTLED', settledAmount: '5000', acknowledgedAmount: '2000' });
        });

        it('does not settle a large receivable when a 1-fen note it backs is redeemed', async () => {
            const tiny = await issue(w, { amount: '1', backing: ['100000000'] });
            const [receivableId] = tiny.receivableIds as string[];
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await w.h.submit(w.cast.core, 'note:RedeemNote', [tiny.id]);
            expect(await readReceivable(receivableId)).to.include({ status: 'CONFIRMED', settledAmount: '1', availableAmount: '99999999' });
        });
    });

    describe('RedeemNote with a frozen holder (escrow)', () => {
        const at = `${MATURITY}T09:00:00Z`;

        /** Moves 30 of the root's 100 to tier2 and freezes tier2; returns tier1's change and tier2's note. */
        async function splitAndFreeze(): Promise<{ change: Note; held: Note }> {
            const moved = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '30000000');
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier2, 'inquiry']);
            return { change: moved.change as Note, held: moved.received };
        }

        it('pays active holders and escrows the leaves of a frozen one, which stay in its holdings; the issuer is discharged', async () => {
            const { change, held } = await splitAndFreeze();
            const pending = await offer(w.h, w.cast.tier1, change.id, EID.tier3, '1', `${MATURITY}T00:00:00Z`);
            w.h.setTime(at);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);

            expect(result.payees).to.deep.equal([{ holderId: EID.tier1, amount: '70000000', noteIds: [change.id], holderFrozen: false }]);
            expect(result.escrows).to.deep.equal([{ holderId: EID.tier2, amount: '30000000', noteIds: [held.id], holderFrozen: true }]);
            expect(result).to.deep.include({ redeemedNoteIds: [change.id], escrowedNoteIds: [held.id], closedOfferIds: [pending.id], onTime: true, escrowRelease: false });
            expect(result.root).to.include({ rootStatus: 'REDEEMED', onTime: true });

            // The escrowed leaf stays with its holder, visible to it, the issuer and the regulator, and moves nowhere.
            const escrowed = await readNote(w.h, w.cast, held.id);
            expect(escrowed).to.include({ status: 'ESCROWED', escrowedAt: '2026-04-15T09:00:00.000Z', holderId: EID.tier2 });
            expect(escrowed.redeemedAt).to.equal(undefined);
            for (const who of [w.cast.tier2, w.cast.core]) {
                expect(await w.h.evaluate<Note>(who, 'note:ReadNote', [held.id])).to.deep.equal(escrowed);
            }
            expect(await w.h.evaluate<Note[]>(w.cast.tier2, 'note:ListNotesOfHolder', [EID.tier2])).to.deep.equal([escrowed]);
            expect(await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).to.deep.equal([]);
            expect(await readNote(w.h, w.cast, change.id)).to.include({ status: 'REDEEMED' });

            // Discharged: the line is restored, the receivables are settled, the root cannot be marked overdue.
            expect((await w.h.evaluate<{ used: string }>(w.cast.bank, 'credit-line:ReadCreditLine', [w.lineId])).used).to.equal('0');
            for (const id of root.receivableIds ?? []) {
                expect((await w.h.evaluate<Receivable>(w.cast.core, 'receivable:ReadReceivable', [id])).status).to.equal('SETTLED');
            }
            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('RedeemNote');
            expect(event?.payload).to.deep.include({
                payees: [{ holderId: EID.tier1, amount: '70000000', noteIds: [change.id] }],
                escrows: [{ holderId: EID.tier2, amount: '30000000', noteIds: [held.id] }],
                redeemedNoteIds: [change.id],
                escrowedNoteIds: [held.id],
                escrowRelease: false,
            });
            w.h.setTime('2026-05-01T00:00:00Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [root.id]));

            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier2, 'closed']);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:SplitNote', [held.id, { amounts: ['1', '29999999'] }]));
            await expectRefused(w.h, 'INVALID_STATE', () => offer(w.h, w.cast.tier2, held.id, EID.tier3, '1'));
            await expectRefused(w.h, 'INVALID_STATE', () => requestDiscount(w.h, w.cast.tier2, held.id, [EID.bank]));
        });

        it('keeps the leaves in escrow while the holder is frozen, and pays them out on a second redemption once it is active', async () => {
            const { held } = await splitAndFreeze();
            w.h.setTime(at);
            await w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]));

            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier2, 'closed']);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.core2, 'note:RedeemNote', [root.id]));
            const lineBefore = await w.h.evaluate(w.cast.bank, 'credit-line:ReadCreditLine', [w.lineId]);
            const release = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(release).to.deep.include({
                payees: [{ holderId: EID.tier2, amount: '30000000', noteIds: [held.id], holderFrozen: false }],
                escrows: [],
                redeemedNoteIds: [held.id],
                escrowedNoteIds: [],
                closedOfferIds: [],
                closedRequestIds: [],
                onTime: true,
                escrowRelease: true,
            });
            const paid = await readNote(w.h, w.cast, held.id);
            expect(paid).to.include({ status: 'REDEEMED', escrowedAt: '2026-04-15T09:00:00.000Z' });
            expect(paid.releasedAt).to.equal(paid.updatedAt);
            expect(paid.redeemedAt).to.equal(paid.releasedAt);
            expect(await w.h.evaluate(w.cast.tier2, 'note:ListNotesOfHolder', [EID.tier2])).to.deep.equal([]);
            expect(await w.h.evaluate(w.cast.bank, 'credit-line:ReadCreditLine', [w.lineId])).to.deep.equal(lineBefore);
            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('RedeemNote');
            expect(event?.payload).to.deep.include({ rootId: root.id, payees: [{ holderId: EID.tier2, amount: '30000000', noteIds: [held.id] }], redeemedNoteIds: [held.id], escrowRelease: true });

            // Nothing is left in escrow.
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]));
        });

        it('pays out only the holders active again, keeping the others in escrow', async () => {
            const { change, held } = await splitAndFreeze();
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            w.h.setTime(at);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.payees).to.deep.equal([]);
            expect(result.escrows.map((e) => [e.holderId, e.amount])).to.deep.equal([
                [EID.tier1, '70000000'],
                [EID.tier2, '30000000'],
            ]);
            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'closed']);
            const release = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(release.payees.map((p) => p.holderId)).to.deep.equal([EID.tier1]);
            expect(release.escrows).to.deep.equal([{ holderId: EID.tier2, amount: '30000000', noteIds: [held.id], holderFrozen: true }]);
            expect(release.escrowedNoteIds).to.deep.equal([held.id]);
            expect((await readNote(w.h, w.cast, change.id)).status).to.equal('REDEEMED');
            expect((await readNote(w.h, w.cast, held.id)).status).to.equal('ESCROWED');
        });

        it('escrows a root never split, and keeps the time its redemption ran when paying it out', async () => {
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            w.h.setTime(at);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.root).to.include({ status: 'ESCROWED', rootStatus: 'REDEEMED', redeemedAt: '2026-04-15T09:00:00.000Z', escrowedAt: '2026-04-15T09:00:00.000Z', onTime: true });
            expect(await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).to.deep.equal([result.root]);
            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'closed']);
            const release = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(release.root).to.include({ status: 'REDEEMED', rootStatus: 'REDEEMED', redeemedAt: '2026-04-15T09:00:00.000Z' });
            expect(release.root.releasedAt).to.equal(release.root.updatedAt);
            expect(await readNote(w.h, w.cast, root.id)).to.deep.equal(release.root);
            expect(release.payees).to.deep.equal([{ holderId: EID.tier1, amount: '100000000', noteIds: [root.id], holderFrozen: false }]);
        });

        it('proves the conservation of a root with escrowed leaves: redeemed plus escrowed make the face', async () => {
            const { held } = await splitAndFreeze();
            w.h.setTime(at);
            await w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]);
            const provenance = await w.h.evaluate<Provenance>(w.cast.tier2, 'note:GetProvenance', [held.id]);
            expect(provenance.chain[0]).to.include({ id: held.id, status: 'ESCROWED' });
            expect(provenance.proof).to.include({ faceAmount: '100000000', outstandingAmount: '0', redeemedAmount: '70000000', escrowedAmount: '30000000', balanced: true });
            // The issuer owes nothing more: the root is off its exposure.
            expect((await w.h.evaluate<{ roots: unknown[] }>(w.cast.core, 'note:GetExposure', [EID.core])).roots).to.deep.equal([]);
        });
    });

    describe('MarkOverdue', () => {
        it('lets anyone authenticated mark an unredeemed root overdue from its grace deadline (maturity date plus whole grace days), once', async () => {
            // Maturity 2026-04-15 with 3 grace days: refused all through the last grace day, 2026-04-18.
            w.h.setTime('2026-04-18T23:59:58Z');
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:MarkOverdue', [root.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier3, 'note:MarkOverdue', [root.id]));
            // tier3 has no part in the root: it learns that the root is now overdue, and nothing of the root.
            const marked = await w.h.submit<OverdueMark>(w.cast.tier3, 'note:MarkOverdue', [root.id]);
            expect(marked).to.deep.equal({ id: root.id, overdue: true, overdueAt: '2026-04-19T00:00:00.000Z' });
            expect(await readNote(w.h, w.cast, root.id)).to.include({ overdue: true, overdueAt: '2026-04-19T00:00:00.000Z', rootStatus: 'OUTSTANDING' });
            expect(w.h.events().at(-1)?.name).to.equal('MarkOverdue');
            expect(w.h.events().at(-1)?.payload).to.include({ rootId: root.id, issuerId: EID.core });
            // The holders of what is unpaid are named, so the overdue reaches their live feeds.
            expect(w.h.events().at(-1)?.payload?.holderIds).to.be.an('array').that.is.not.empty;
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [root.id]));

            // Redeeming late keeps the overdue record and is not on time.
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.root).to.include({ overdue: true, onTime: false, rootStatus: 'REDEEMED' });
        });

        it('tells a holder below tier 1, through its note\'s provenance, that the root it cannot read is overdue', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '1');
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier2, 'note:ReadNote', [root.id]));
            const before = await w.h.evaluate<Provenance>(w.cast.tier2, 'note:GetProvenance', [received.id]);
            expect(before.overdue).to.equal(false);
            expect(before).not.to.have.property('overdueAt');
            w.h.setTime('2026-04-19T00:00:00Z');
            const marked = await w.h.submit<Note>(w.cast.bank, 'note:MarkOverdue', [root.id]);
            const after = await w.h.evaluate<Provenance>(w.cast.tier2, 'note:GetProvenance', [received.id]);
            expect(after).to.include({ rootId: root.id, overdue: true, overdueAt: marked.overdueAt });
        });

        it('refuses a redeemed root, a non-root and an unknown note', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '1');
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]);
            w.h.setTime('2026-05-01T00:00:00Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [root.id]));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [received.id]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', ['N-000000000000000000000000']));
        });

        it('returns the whole root to those who may read it, and tells them why it cannot be marked', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '1');
            const request = await requestDiscount(w.h, w.cast.tier2, received.id, [EID.bank2]);
            // Those ReadNote lets read the root: its issuer, its holder, the regulator, and bank2, invited to discount a note below it.
            const readers = [w.cast.core, w.cast.tier1, w.cast.regulator, w.cast.bank2];
            for (const who of readers) {
                expect((await w.h.evaluate<Note>(who, 'note:ReadNote', [root.id])).id).to.equal(root.id);
            }
            w.h.setTime('2026-04-18T12:00:00Z'); // the last grace day
            for (const who of readers) {
                const refused = await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(who, 'note:MarkOverdue', [root.id]));
                expect(refused.detail).to.equal(`note ${root.id} is not overdue before 2026-04-19T00:00:00.000Z`);
            }
            w.h.setTime('2026-04-19T00:00:00Z');
            const marked = await w.h.submit<Note>(w.cast.bank2, 'note:MarkOverdue', [root.id]);
            expect(marked).to.deep.equal(await readNote(w.h, w.cast, root.id));
            expect(marked).to.include({ overdue: true, holderId: EID.tier1, faceAmount: '100000000', creditLineId: w.lineId, maturityDate: MATURITY });
            for (const who of readers) {
                const refused = await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(who, 'note:MarkOverdue', [root.id]));
                expect(refused.detail).to.equal(`note ${root.id} is already marked overdue`);
            }
            expect((await w.h.evaluate<DiscountRequest>(w.cast.bank2, 'note:ReadDiscountRequest', [request.id])).status).to.equal('OPEN');
        });

        it('tells a caller that may not read the root neither its maturity nor its state, nor the root of a fragment', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '1');
            // A holder below tier 1, a financier with no part in the root, another core enterprise, a supplier of no registered enterprise.
            const strangers = [w.cast.tier2, w.cast.tier3, w.cast.bank2, w.cast.core2, w.cast.unregistered];
            for (const who of strangers.slice(0, 4)) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:ReadNote', [root.id]));
            }
            const generic = `note ${root.id} cannot be marked overdue now`;
            const refusedAll = async (code: 'INVALID_STATE' | 'INVALID_ARGUMENT', noteId: string): Promise<string[]> => {
                const details: string[] = [];
                for (const who of strangers) {
                    details.push((await expectRefused(w.h, code, () => w.h.submit(who, 'note:MarkOverdue', [noteId]))).detail);
                }
                return details;
            };
            // Before its grace ends.
            w.h.setTime('2026-04-16T00:00:00Z');
            expect(await refusedAll('INVALID_STATE', root.id)).to.deep.equal(strangers.map(() => generic));
            // A fragment: its root is not named to those who may not read the fragment (tier2 may).
            expect(await refusedAll('INVALID_ARGUMENT', received.id)).to.deep.equal([
                `note ${received.id} is not a root note; its root is ${root.id}`,
                ...strangers.slice(1).map(() => `note ${received.id} is not a root note`),
            ]);
            // Once marked.
            w.h.setTime('2026-04-19T00:00:00Z');
            const first = await w.h.submit<OverdueMark>(w.cast.unregistered, 'note:MarkOverdue', [root.id]);
            expect(first).to.deep.equal({ id: root.id, overdue: true, overdueAt: '2026-04-19T00:00:00.000Z' });
            expect(await refusedAll('INVALID_STATE', root.id)).to.deep.equal(strangers.map(() => generic));
            // Once redeemed.
            await w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(await refusedAll('INVALID_STATE', root.id)).to.deep.equal(strangers.map(() => generic));
            expect((await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:MarkOverdue', [root.id]))).detail).to.equal(`note ${root.id} is redeemed`);
        });

        it('uses the grace period fixed on the root at issuance; with none, the root is overdue from the day after its maturity date', async () => {
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 0 }]);
            const strict = await issue(w);
            w.h.setTime('2026-04-15T23:59:59Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [strict.id]));
            // 2026-04-16T00:00:00Z
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [root.id]));
            w.h.setTime('2026-04-16T00:00:00Z');
            expect((await w.h.submit<Note>(w.cast.bank, 'note:MarkOverdue', [strict.id])).overdue).to.equal(true);
        });
    });
});
