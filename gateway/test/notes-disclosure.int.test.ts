/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { createHash } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call, readEvents } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

const MATURITY_DAYS = 30;
const USERS = ['admin', 'regulator', 'huadong', 'suzhou', 'hangzhou', 'jiangnan', 'pudong'] as const;
type User = (typeof USERS)[number];

/** Canonical JSON as the chaincode writes it: keys sorted at every level. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(',')}]`;
    }
    if (value !== null && typeof value === 'object') {
        return `{${Object.keys(value)
            .sort()
            .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
            .join(',')}}`;
    }
    return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * What each party learns of notes, quotes and credit lines, over real HTTP on the embedded backend:
 * salted quote terms, the recipient of an offer reading what it is offered, a frozen financier's
 * lines, an expired line's headroom, redemption and overdue events cut down to each holder's own
 * position, overdue marking by those who may not read the root, and offers acted on by strangers.
 * The last test restarts the gateway with its ledger clock past maturity plus grace.
 */
describe('notes: what each party may learn (embedded backend)', function () {
    this.timeout(90_000);
    let dataDir: string;
    let gateway: TestGateway | undefined;
    const tokens = {} as Record<User, string>;
    let lineId: string;

    const api = (method: string, route: string, user: User, body?: unknown) => call(gateway!.baseUrl, method, route, { token: tokens[user], body });

    async function login(): Promise<void> {
        for (const user of USERS) {
            tokens[user] = await loginToken(gateway!.baseUrl, user);
        }
    }

    let invoices = 0;
    /** A receivable of suzhou on huadong, confirmed; returns its id. */
    async function confirmedReceivable(amount: string, dueDays = MATURITY_DAYS): Promise<string> {
        invoices += 1;
        const document = await call(gateway!.baseUrl, 'POST', '/documents', { token: tokens.suzhou, raw: `invoice DISC-${invoices}`, headers: { 'Content-Type': 'text/plain' } });
        const receivable = await api('POST', '/receivables', 'suzhou', {
            buyerId: DEMO_IDS.huadong,
            invoiceNumber: `DISC-${invoices}`,
            amount,
            currency: 'CNY',
            issueDate: isoDate(-2),
            dueDate: isoDate(dueDays),
            documentCid: document.body.cid,
        });
        expect(receivable.status, receivable.text).to.equal(201);
        expect((await api('POST', `/receivables/${receivable.body.id}/confirm`, 'huadong')).status).to.equal(200);
        return receivable.body.id;
    }

    /** The request for a note huadong issues to suzhou on `creditLineId`, maturing in MATURITY_DAYS. */
    async function issueRequest(amount: string, creditLineId = lineId): Promise<Record<string, unknown>> {
        return { holderId: DEMO_IDS.suzhou, amount, currency: 'CNY', maturityDate: isoDate(MATURITY_DAYS), creditLineId, receivableIds: [await confirmedReceivable(amount)] };
    }

    /** A note huadong issues to suzhou on the demo line. */
    async function issue(amount: string): Promise<any> {
        const note = await api('POST', '/notes', 'huadong', await issueRequest(amount));
        expect(note.status, note.text).to.equal(201);
        return note.body;
    }

    before(async () => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-disclosure-'));
        gateway = await startTestGateway({}, dataDir);
        await login();
        const lines = await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}`, 'huadong');
        lineId = lines.body.items.find((line: any) => line.financierId === DEMO_IDS.jiangnan && line.status === 'ACTIVE').id;
    });
    after(async () => {
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('salts a quote\'s private terms so that no rate and fee hash to its public termsHash, and keeps the salt out of every answer', async () => {
        const note = await issue('800000');
        const request = await api('POST', '/discount-requests', 'suzhou', { noteId: note.id, financierIds: [DEMO_IDS.jiangnan] });
        expect(request.status, request.text).to.equal(201);
        const quote = await api('POST', `/discount-requests/${request.body.id}/quotes`, 'jiangnan', { rateBps: 450, feeAmount: '100' });
        expect(quote.status, quote.text).to.equal(201);
        expect(quote.body).not.to.have.property('salt');
        const terms = await api('GET', `/quotes/${quote.body.id}/terms`, 'suzhou');
        expect(terms.status, terms.text).to.equal(200);
        expect(terms.body).to.include({ rateBps: 450, fee: '100' });
        expect(terms.body).not.to.have.property('salt');
        // An outsider holding the public quote knows every field of the terms but the rate and the fee
        // (and the discount and price they give). Hashing the true terms, or any rate with the true fee,
        // does not give the public hash.
        expect(sha256(canonical(terms.body))).not.to.equal(quote.body.termsHash);
        const found: number[] = [];
        for (let rate = 0; rate <= 10_000; rate += 1) {
            // ACT/360, half-up: the pricing of docs/notes-pricing.md.
            const interest = (800000n * BigInt(rate) * BigInt(terms.body.days) * 2n + 3_600_000n) / 7_200_000n;
            const candidate = { ...terms.body, rateBps: rate, discount: interest.toString(), price: (800000n - interest - 100n).toString() };
            if (sha256(canonical(candidate)) === quote.body.termsHash) {
                found.push(rate);
            }
        }
        expect(found).to.deep.equal([]);
        // The same terms quoted again hash differently (a fresh salt per quote).
        expect((await api('POST', `/quotes/${quote.body.id}/withdraw`, 'jiangnan')).status).to.equal(200);
        const again = await api('POST', `/discount-requests/${request.body.id}/quotes`, 'jiangnan', { rateBps: 450, feeAmount: '100' });
        const againTerms = await api('GET', `/quotes/${again.body.id}/terms`, 'jiangnan');
        expect({ ...againTerms.body, quoteId: quote.body.id, quotedAt: terms.body.quotedAt }).to.deep.equal(terms.body);
        expect(again.body.termsHash).not.to.equal(quote.body.termsHash);
        // Accepting funds the note at the final price; the terms read back say when, and what the quote showed.
        const accepted = await api('POST', `/quotes/${again.body.id}/accept`, 'suzhou');
        expect(accepted.status, accepted.text).to.equal(200);
        expect(accepted.body.quote.fundedTermsHash).to.match(/^[0-9a-f]{64}$/);
        const final = await api('GET', `/quotes/${again.body.id}/terms`, 'regulator');
        expect(final.body.fundedAt).to.be.a('string');
        expect(final.body.indicative).to.deep.equal({ days: againTerms.body.days, discount: againTerms.body.discount, price: againTerms.body.price });
        expect(final.body).not.to.have.property('salt');
        const events = await readEvents(gateway!.baseUrl, '/events', { token: tokens.suzhou, count: 10_000, timeoutMs: 1500 });
        const quoteEvents = events.filter((e) => [quote.body.id, again.body.id].includes(e.data.payload.quoteId));
        expect(quoteEvents.map((e) => e.event)).to.deep.equal(['SubmitQuote', 'WithdrawQuote', 'SubmitQuote', 'AcceptQuote']);
        expect(quoteEvents.every((e) => !('salt' in e.data.payload))).to.equal(true);
    });

    it('lets the recipient of a pending offer read the offered note, its provenance and its root, and no longer once declined', async () => {
        const root = await issue('900000');
        const split = await api('POST', `/notes/${root.id}/split`, 'suzhou', { amounts: ['600000', '300000'] });
        expect(split.status, split.text).to.equal(200);
        const [offered, kept] = split.body.children;
        for (const id of [offered.id, root.id]) {
            expect((await api('GET', `/notes/${id}`, 'hangzhou')).status).to.equal(403);
        }
        const offer = await api('POST', '/offers', 'suzhou', { noteId: offered.id, toId: DEMO_IDS.hangzhou, amount: '200000', expiresAt: isoDate(3) });
        expect(offer.status, offer.text).to.equal(201);
        const note = await api('GET', `/notes/${offered.id}`, 'hangzhou');
        expect(note.status, note.text).to.equal(200);
        expect(note.body).to.include({ id: offered.id, status: 'LOCKED', issuerId: DEMO_IDS.huadong, amount: '600000', maturityDate: root.maturityDate });
        const provenance = await api('GET', `/notes/${offered.id}/provenance`, 'hangzhou');
        expect(provenance.status, provenance.text).to.equal(200);
        expect(provenance.body.chain.map((hop: any) => hop.id)).to.deep.equal([offered.id, root.id]);
        expect(provenance.body.proof).to.include({ issuerId: DEMO_IDS.huadong, balanced: true });
        expect((await api('GET', `/notes/${root.id}`, 'hangzhou')).status).to.equal(200);
        expect((await api('GET', `/notes/${kept.id}`, 'hangzhou')).status).to.equal(403);
        expect((await api('GET', `/notes/${offered.id}`, 'pudong')).status).to.equal(403);
        expect((await api('POST', `/offers/${offer.body.id}/decline`, 'hangzhou')).status).to.equal(200);
        for (const route of [`/notes/${offered.id}`, `/notes/${offered.id}/provenance`, `/notes/${root.id}`]) {
            const refused = await api('GET', route, 'hangzhou');
            expect([refused.status, refused.body.code]).to.deep.equal([403, 'FORBIDDEN']);
        }
    });

    it('refuses issuance on a frozen financier\'s line, and lets that financier revoke it', async () => {
        const granted = await api('POST', '/credit-lines', 'pudong', { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '100000', expiresAt: isoDate(200) });
        expect(granted.status, granted.text).to.equal(201);
        expect((await api('POST', `/enterprises/${DEMO_IDS.pudong}/freeze`, 'regulator', { reason: 'inquiry' })).status).to.equal(200);
        try {
            const issued = await api('POST', '/notes', 'huadong', await issueRequest('3000', granted.body.id));
            expect([issued.status, issued.body.code]).to.deep.equal([409, 'ENTERPRISE_FROZEN']);
            expect((await api('GET', `/credit-lines/${granted.body.id}`, 'huadong')).body).to.include({ used: '0', remaining: '100000' });
            const revoked = await api('POST', `/credit-lines/${granted.body.id}/revoke`, 'pudong', { reason: 'frozen: closing the line' });
            expect(revoked.status, revoked.text).to.equal(200);
            expect(revoked.body).to.include({ status: 'REVOKED', remaining: '0', used: '0' });
        } finally {
            expect((await api('POST', `/enterprises/${DEMO_IDS.pudong}/unfreeze`, 'regulator', { reason: 'cleared' })).status).to.equal(200);
        }
    });

    it('shows each holder only its own line of a redemption and of an overdue root; the issuer and the regulator see every holder; strangers learn nothing from overdue marking or offers', async () => {
        const shortLine = await api('POST', '/credit-lines', 'jiangnan', { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '5000', expiresAt: isoDate(10) });
        expect(shortLine.status, shortLine.text).to.equal(201);
        const redeemed = await issue('800000');
        const overdue = await issue('300000');
        const moved = async (noteId: string, amount: string): Promise<any> => {
            const offer = await api('POST', '/offers', 'suzhou', { noteId, toId: DEMO_IDS.hangzhou, amount, expiresAt: isoDate(3) });
            const accepted = await api('POST', `/offers/${offer.body.id}/accept`, 'hangzhou');
            expect(accepted.status, accepted.text).to.equal(200);
            return accepted.body;
        };
        const toHangzhou = await moved(redeemed.id, '200000');
        await moved(overdue.id, '100000');
        // An offer left to lapse, and one accepted: only their parties may act on them.
        const lapsing = await api('POST', '/offers', 'suzhou', { noteId: (await issue('70000')).id, toId: DEMO_IDS.hangzhou, amount: '70000', expiresAt: isoDate(3) });
        expect(lapsing.status, lapsing.text).to.equal(201);
        const { graceDays } = (await api('GET', '/parameters/notes', 'huadong')).body;
        await gateway!.stop();
        gateway = await startTestGateway({ ledgerClockOffsetDays: MATURITY_DAYS + graceDays + 1 }, dataDir);
        await login();

        // An expired line offers no headroom, and says so.
        const expired = await api('GET', `/credit-lines/${shortLine.body.id}`, 'huadong');
        expect(expired.body).to.include({ remaining: '0', used: '0', limit: '5000' });

        const redemption = await api('POST', `/notes/${redeemed.id}/redeem`, 'huadong');
        expect(redemption.status, redemption.text).to.equal(200);
        // hangzhou holds a piece of the overdue root but may not read the root: it learns it is now overdue, nothing more.
        expect((await api('GET', `/notes/${overdue.id}`, 'hangzhou')).status).to.equal(403);
        const marked = await api('POST', `/notes/${overdue.id}/overdue`, 'hangzhou');
        expect(marked.status, marked.text).to.equal(200);
        expect(marked.body).to.deep.equal({ id: overdue.id, overdue: true, overdueAt: marked.body.overdueAt });
        expect(marked.body.overdueAt).to.be.a('string');
        // Refusals tell those who may not read the root neither its state nor its maturity; its parties are told why.
        for (const [user, rootId] of [['hangzhou', overdue.id], ['pudong', overdue.id], ['pudong', redeemed.id]] as const) {
            const refused = await api('POST', `/notes/${rootId}/overdue`, user);
            expect([refused.status, refused.body.code, refused.body.detail]).to.deep.equal([409, 'INVALID_STATE', `note ${rootId} cannot be marked overdue now`]);
        }
        expect((await api('POST', `/notes/${overdue.id}/overdue`, 'suzhou')).body.detail).to.equal(`note ${overdue.id} is already marked overdue`);
        expect((await api('POST', `/notes/${redeemed.id}/overdue`, 'huadong')).body.detail).to.equal(`note ${redeemed.id} is redeemed`);

        // Past its expiry, an offer is the parties' to expire: pudong (a financier with no part in it)
        // and the regulator are refused without a word of it, the recipient expires it.
        for (const user of ['pudong', 'regulator', 'jiangnan', 'huadong'] as const) {
            const refused = await api('POST', `/offers/${lapsing.body.id}/expire`, user);
            expect([refused.status, refused.body.code], refused.text).to.deep.equal([403, 'FORBIDDEN']);
            for (const secret of [DEMO_IDS.suzhou, DEMO_IDS.hangzhou, lapsing.body.noteId, '70000', 'pending']) {
                expect(refused.body.detail).not.to.include(secret);
            }
        }
        expect((await api('GET', `/offers/${lapsing.body.id}`, 'pudong')).status).to.equal(403);
        const expiredOffer = await api('POST', `/offers/${lapsing.body.id}/expire`, 'hangzhou');
        expect(expiredOffer.status, expiredOffer.text).to.equal(200);
        expect(expiredOffer.body).to.include({ id: lapsing.body.id, status: 'EXPIRED' });
        // An offer no longer pending: the wrong party is refused as such, not told its state.
        for (const [user, action] of [['suzhou', 'accept'], ['suzhou', 'decline'], ['hangzhou', 'cancel']] as const) {
            const refused = await api('POST', `/offers/${toHangzhou.offer.id}/${action}`, user);
            expect([refused.status, refused.body.code], refused.text).to.deep.equal([403, 'FORBIDDEN']);
        }
        expect((await api('POST', `/offers/${toHangzhou.offer.id}/decline`, 'hangzhou')).body.code).to.equal('INVALID_STATE');

        const eventsOf = async (user: User, name: string, rootId: string): Promise<any> => {
            const events = await readEvents(gateway!.baseUrl, '/events', { token: tokens[user], count: 10_000, timeoutMs: 1500 });
            return events.find((e) => e.event === name && e.data.payload.rootId === rootId)?.data.payload;
        };
        const suzhouNoteIds = redemption.body.payees.find((p: any) => p.holderId === DEMO_IDS.suzhou).noteIds as string[];
        const hangzhouView = await eventsOf('hangzhou', 'RedeemNote', redeemed.id);
        expect(hangzhouView.payees).to.deep.equal([{ ...hangzhouView.payees[0], holderId: DEMO_IDS.hangzhou, amount: '200000' }]);
        expect(JSON.stringify(hangzhouView)).not.to.include(DEMO_IDS.suzhou);
        for (const id of hangzhouView.redeemedNoteIds ?? []) {
            expect(id).to.equal(toHangzhou.received.id);
        }
        expect(suzhouNoteIds.some((id) => JSON.stringify(hangzhouView).includes(id))).to.equal(false);
        for (const user of ['huadong', 'regulator'] as const) {
            const full = await eventsOf(user, 'RedeemNote', redeemed.id);
            expect(full.payees.map((p: any) => [p.holderId, p.amount])).to.deep.equal(
                [
                    [DEMO_IDS.hangzhou, '200000'],
                    [DEMO_IDS.suzhou, '600000'],
                ].sort(),
            );
            expect(full.redeemedNoteIds).to.include.members(suzhouNoteIds);
        }

        expect((await eventsOf('suzhou', 'MarkOverdue', overdue.id)).holderIds).to.deep.equal([DEMO_IDS.suzhou]);
        expect((await eventsOf('hangzhou', 'MarkOverdue', overdue.id)).holderIds).to.deep.equal([DEMO_IDS.hangzhou]);
        expect((await eventsOf('huadong', 'MarkOverdue', overdue.id)).holderIds).to.deep.equal([DEMO_IDS.hangzhou, DEMO_IDS.suzhou].sort());
    });
});
