import { expect } from 'chai';
import { EID } from '../testing/fixtures';
import { expectRefused } from '../testing/harness';
import type { DiscountQuote, DiscountRequest } from './discount';
import type { Note } from './note';
import type { Provenance } from './provenance';
import type { Payee } from './redemption';
import { MATURITY, NoteWorld, issue, newNoteWorld, offer, quote, readNote, requestDiscount, transfer } from './testing';
import type { NoteOffer } from './transfer';

interface RedemptionResult {
    root: Note;
    payees: Payee[];
    redeemedNoteIds: string[];
    closedOfferIds: string[];
    closedRequestIds: string[];
    onTime: boolean;
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
            expect(event?.payload).to.deep.include({ rootId: root.id, issuerId: EID.core, financierId: EID.bank, currency: 'CNY', onTime: true, payees: [{ holderId: EID.tier1, amount: '70000000' }, { holderId: EID.tier2, amount: '30000000' }] });

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

        it('pays the financier that discounted a note, and flags a frozen holder for escrow', async () => {
            const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank]);
            const q = await quote(w.h, w.cast.bank, request.id, 360);
            await w.h.submit(w.cast.tier1, 'note:AcceptQuote', [q.id]);
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'inquiry']);
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.payees).to.have.length(1);
            expect(result.payees[0]).to.include({ holderId: EID.bank, amount: '100000000', holderFrozen: true });
        });

        it('records a redemption after maturity plus grace as late, and one at the deadline as on time', async () => {
            const second = await issue(w);
            w.h.setTime('2026-04-18T00:00:00Z'); // maturity + 3 grace days exactly
            expect((await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id])).onTime).to.equal(true);
            expect((await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [second.id])).onTime).to.equal(false);
        });

        it('refuses anyone but the issuer', async () => {
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.core2, 'note:RedeemNote', [root.id]));
            for (const who of [w.cast.tier1, w.cast.bank, w.cast.regulator, w.cast.admin]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:RedeemNote', [root.id]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:RedeemNote', [root.id]));
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.core, 'note:RedeemNote', [root.id]));
        });

        it('refuses a note that is not a root, an unknown id and a malformed id', async () => {
            const { received } = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '1');
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:RedeemNote', [received.id]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.core, 'note:RedeemNote', ['N-000000000000000000000000']));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:RedeemNote', ['']));
        });
    });

    describe('MarkOverdue', () => {
        it('lets anyone authenticated mark an unredeemed root overdue after maturity plus grace, once', async () => {
            w.h.setTime('2026-04-18T00:00:00Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier3, 'note:MarkOverdue', [root.id]));
            w.h.setTime('2026-04-18T00:00:01Z');
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:MarkOverdue', [root.id]));
            const marked = await w.h.submit<Note>(w.cast.tier3, 'note:MarkOverdue', [root.id]);
            expect(marked).to.include({ overdue: true, overdueAt: '2026-04-18T00:00:02.000Z', rootStatus: 'OUTSTANDING' });
            expect(w.h.events().at(-1)?.name).to.equal('MarkOverdue');
            expect(w.h.events().at(-1)?.payload).to.include({ rootId: root.id, issuerId: EID.core });
            // The holders of what is unpaid are named, so the overdue reaches their live feeds.
            expect(w.h.events().at(-1)?.payload?.holderIds).to.be.an('array').that.is.not.empty;
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [root.id]));

            // Redeeming late keeps the overdue record and is not on time.
            const result = await w.h.submit<RedemptionResult>(w.cast.core, 'note:RedeemNote', [root.id]);
            expect(result.root).to.include({ overdue: true, onTime: false, rootStatus: 'REDEEMED' });
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

        it('uses the grace period fixed on the root at issuance', async () => {
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorDays: 183, graceDays: 0 }]);
            const strict = await issue(w);
            w.h.setTime('2026-04-15T00:00:01Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:MarkOverdue', [root.id]));
            expect((await w.h.submit<Note>(w.cast.bank, 'note:MarkOverdue', [strict.id])).overdue).to.equal(true);
        });
    });
});
