import { EID } from '../testing/fixtures';
import { TxArg, expectRefused } from '../testing/harness';
import type { TestIdentity } from '../testing/identities';
import { MATURITY, NoteWorld, confirmedReceivables, inAWeek, issue, newNoteWorld, offer, quote, requestDiscount } from './testing';

/**
 * The authorisation matrix of every state-changing note transaction: no attributes, a role from the
 * wrong organisation, an unregistered enterprise, the wrong role, and the right role acting for the
 * wrong enterprise are all refused with the right code and change nothing.
 */
describe('NoteContract authorisation matrix', () => {
    let w: NoteWorld;
    const cases: Array<{ tx: string; args: () => TxArg[]; transient?: Record<string, object>; wrongRole: () => TestIdentity[]; wrongEnterprise: () => TestIdentity[]; anyone?: boolean }> = [];
    let ids: { rootA: string; rootB: string; offerId: string; requestId: string; quoteId: string; issueRequest: object };

    before(async () => {
        w = await newNoteWorld();
        const a = await issue(w);
        const b = await issue(w);
        const pending = await offer(w.h, w.cast.tier1, a.id, EID.tier2, '1');
        const request = await requestDiscount(w.h, w.cast.tier1, b.id, [EID.bank]);
        const q = await quote(w.h, w.cast.bank, request.id, 360);
        const receivableIds = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core, ['1000']);
        ids = {
            rootA: a.id,
            rootB: b.id,
            offerId: pending.id,
            requestId: request.id,
            quoteId: q.id,
            issueRequest: { holderId: EID.tier1, amount: '1000', currency: 'CNY', maturityDate: MATURITY, creditLineId: w.lineId, receivableIds },
        };
    });
    after(() => w.h.close());

    /** The standard suppliers other than those named. */
    function suppliersBut(...keep: Array<'tier1' | 'tier2' | 'tier3'>): TestIdentity[] {
        return (['tier1', 'tier2', 'tier3'] as const).filter((k) => !keep.includes(k)).map((k) => w.cast[k]);
    }

    cases.push(
        { tx: 'IssueNote', args: () => [ids.issueRequest], wrongRole: () => [w.cast.tier1, w.cast.bank, w.cast.regulator, w.cast.admin], wrongEnterprise: () => [] },
        { tx: 'SplitNote', args: () => [ids.rootA, { amounts: ['1', '99999999'] }], wrongRole: () => [w.cast.core, w.cast.bank, w.cast.regulator], wrongEnterprise: () => suppliersBut('tier1') },
        {
            tx: 'OfferTransfer',
            args: () => [{ noteId: ids.rootA, toId: EID.tier3, amount: '1', expiresAt: inAWeek(w.h) }],
            wrongRole: () => [w.cast.core, w.cast.bank, w.cast.regulator],
            wrongEnterprise: () => suppliersBut('tier1'),
        },
        { tx: 'AcceptOffer', args: () => [ids.offerId], wrongRole: () => [w.cast.core, w.cast.bank], wrongEnterprise: () => suppliersBut('tier2') },
        { tx: 'DeclineOffer', args: () => [ids.offerId], wrongRole: () => [w.cast.core, w.cast.bank], wrongEnterprise: () => suppliersBut('tier2') },
        { tx: 'CancelOffer', args: () => [ids.offerId], wrongRole: () => [w.cast.core, w.cast.bank], wrongEnterprise: () => suppliersBut('tier1') },
        { tx: 'ExpireOffer', args: () => [ids.offerId], wrongRole: () => [w.cast.core, w.cast.bank, w.cast.regulator, w.cast.admin], wrongEnterprise: () => suppliersBut('tier1', 'tier2') },
        { tx: 'RequestDiscount', args: () => [{ noteId: ids.rootA, financierIds: [EID.bank] }], wrongRole: () => [w.cast.core, w.cast.bank], wrongEnterprise: () => suppliersBut('tier1') },
        { tx: 'SubmitQuote', args: () => [ids.requestId], transient: { terms: { rateBps: 100 } }, wrongRole: () => [w.cast.tier1, w.cast.core, w.cast.regulator], wrongEnterprise: () => [w.cast.bank2] },
        { tx: 'WithdrawQuote', args: () => [ids.quoteId], wrongRole: () => [w.cast.tier1, w.cast.core], wrongEnterprise: () => [w.cast.bank2] },
        { tx: 'AcceptQuote', args: () => [ids.quoteId], wrongRole: () => [w.cast.bank, w.cast.core], wrongEnterprise: () => suppliersBut('tier1') },
        { tx: 'WithdrawDiscountRequest', args: () => [ids.requestId], wrongRole: () => [w.cast.bank, w.cast.core], wrongEnterprise: () => suppliersBut('tier1') },
        { tx: 'RedeemNote', args: () => [ids.rootA], wrongRole: () => [w.cast.tier1, w.cast.bank, w.cast.regulator], wrongEnterprise: () => [w.cast.core2] },
        { tx: 'MarkOverdue', args: () => [ids.rootA], wrongRole: () => [], wrongEnterprise: () => [], anyone: true },
        { tx: 'SetNoteParameters', args: () => [{ maxTenorMonths: 4, graceDays: 1 }], wrongRole: () => [w.cast.core, w.cast.tier1, w.cast.bank, w.cast.regulator], wrongEnterprise: () => [] },
    );

    for (const tc of cases) {
        it(`refuses ${tc.tx} without attributes, from the wrong org, from the wrong role and for the wrong enterprise`, async () => {
            const submit = (who: TestIdentity) => w.h.submit(who, `note:${tc.tx}`, tc.args(), tc.transient ? { transient: tc.transient } : {});
            await expectRefused(w.h, 'UNAUTHENTICATED', () => submit(w.cast.anonymous));
            await expectRefused(w.h, 'FORBIDDEN', () => submit(w.cast.wrongOrgSupplier));
            if (!tc.anyone) {
                await expectRefused(w.h, 'FORBIDDEN', () => submit(w.cast.unregistered));
            }
            for (const who of tc.wrongRole()) {
                await expectRefused(w.h, 'FORBIDDEN', () => submit(who));
            }
            for (const who of tc.wrongEnterprise()) {
                await expectRefused(w.h, 'FORBIDDEN', () => submit(who));
            }
        });
    }
});
