/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ADMIN_EVENTS } from '../src/services/events-service';
import { call, readEvents } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

const USERS = ['admin', 'regulator', 'huadong', 'suzhou', 'hangzhou', 'jiangnan', 'pudong', 'bureau', 'singapore'] as const;
type User = (typeof USERS)[number];

/**
 * What each caller's event stream carries, over real HTTP on the embedded backend, measured against
 * what the same caller may read through the API: the platform admin gets no credit profile and no
 * note business, financiers no quote ids of their competitors and no receivables they may not read,
 * the regulator everything. Also: a malformed resume position names where it came from.
 */
describe('events: what each caller learns from the stream (embedded backend)', function () {
    this.timeout(90_000);
    let dataDir: string;
    let gateway: TestGateway | undefined;
    const tokens = {} as Record<User, string>;
    const api = (method: string, route: string, user: User, body?: unknown) => call(gateway!.baseUrl, method, route, { token: tokens[user], body });
    const eventsOf = async (user: User): Promise<Array<{ event: string; data: any }>> =>
        readEvents(gateway!.baseUrl, '/events', { token: tokens[user], count: 100_000, timeoutMs: 1500 });

    let receivableId: string;
    let noteId: string;
    let requestId: string;
    let acceptedQuoteId: string;
    let otherQuoteId: string;
    /** A root redeemed while hangzhou's request to discount a piece of it, quoted by jiangnan and pudong, was open. */
    const closing = {} as { rootId: string; fragmentId: string; requestId: string; jiangnanQuoteId: string; pudongQuoteId: string };

    async function login(): Promise<void> {
        for (const user of USERS) {
            tokens[user] = await loginToken(gateway!.baseUrl, user);
        }
    }

    before(async () => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-events-'));
        gateway = await startTestGateway({}, dataDir);
        await login();
        // The bureau gives suzhou a passport valid for a day; its profile counts it.
        const passport = await api('POST', '/attestations', 'bureau', { subjectId: DEMO_IDS.suzhou, score: 820, grade: 'AA', validDays: 1 });
        expect(passport.status, passport.text).to.equal(201);

        // huadong issues suzhou a note on jiangnan's line; suzhou asks jiangnan and pudong to quote and takes jiangnan's.
        const lines = await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}`, 'huadong');
        const line = lines.body.items.find((l: any) => l.financierId === DEMO_IDS.jiangnan && l.status === 'ACTIVE');
        /** Suzhou's invoice to huadong, registered and confirmed; its receivable's id. */
        const confirmedReceivable = async (invoiceNumber: string, amount: string): Promise<string> => {
            const document = await call(gateway!.baseUrl, 'POST', '/documents', { token: tokens.suzhou, raw: `invoice ${invoiceNumber}`, headers: { 'Content-Type': 'text/plain' } });
            const receivable = await api('POST', '/receivables', 'suzhou', {
                buyerId: DEMO_IDS.huadong,
                invoiceNumber,
                amount,
                currency: 'CNY',
                issueDate: isoDate(-2),
                dueDate: isoDate(30),
                documentCid: document.body.cid,
            });
            expect(receivable.status, receivable.text).to.equal(201);
            expect((await api('POST', `/receivables/${receivable.body.id}/confirm`, 'huadong')).status).to.equal(200);
            return receivable.body.id;
        };
        receivableId = await confirmedReceivable('EVT-1', '500000');
        const note = await api('POST', '/notes', 'huadong', { holderId: DEMO_IDS.suzhou, amount: '500000', currency: 'CNY', maturityDate: isoDate(30), creditLineId: line.id, receivableIds: [receivableId] });
        expect(note.status, note.text).to.equal(201);
        noteId = note.body.id;
        // Until it is asked to fund the note or holds a piece of it, the line's financier may not read the receivable behind the note.
        expect((await api('GET', `/receivables/${receivableId}`, 'jiangnan')).status).to.equal(403);
        const request = await api('POST', '/discount-requests', 'suzhou', { noteId, financierIds: [DEMO_IDS.jiangnan, DEMO_IDS.pudong] });
        expect(request.status, request.text).to.equal(201);
        requestId = request.body.id;
        const accepted = await api('POST', `/discount-requests/${requestId}/quotes`, 'jiangnan', { rateBps: 450, feeAmount: '100' });
        const other = await api('POST', `/discount-requests/${requestId}/quotes`, 'pudong', { rateBps: 500 });
        expect([accepted.status, other.status], other.text).to.deep.equal([201, 201]);
        acceptedQuoteId = accepted.body.id;
        otherQuoteId = other.body.id;
        // pudong may read its own quote of the request, not jiangnan's.
        const pudongQuotes = await api('GET', `/discount-requests/${requestId}/quotes`, 'pudong');
        expect(pudongQuotes.body.items.map((q: any) => q.id)).to.deep.equal([otherQuoteId]);
        const taken = await api('POST', `/quotes/${acceptedQuoteId}/accept`, 'suzhou');
        expect(taken.status, taken.text).to.equal(200);
        expect(taken.body.withdrawnQuoteIds).to.deep.equal([otherQuoteId]);

        // huadong issues suzhou a note maturing tomorrow; suzhou passes a piece to hangzhou, which asks
        // jiangnan and pudong to discount it; both quote. Redemption (below, two days on) closes the request.
        const shortReceivableId = await confirmedReceivable('EVT-2', '300000');
        const shortNote = await api('POST', '/notes', 'huadong', { holderId: DEMO_IDS.suzhou, amount: '300000', currency: 'CNY', maturityDate: isoDate(1), creditLineId: line.id, receivableIds: [shortReceivableId] });
        expect(shortNote.status, shortNote.text).to.equal(201);
        closing.rootId = shortNote.body.id;
        const offer = await api('POST', '/offers', 'suzhou', { noteId: closing.rootId, toId: DEMO_IDS.hangzhou, amount: '100000', expiresAt: isoDate(1) });
        const received = await api('POST', `/offers/${offer.body.id}/accept`, 'hangzhou');
        expect(received.status, received.text).to.equal(200);
        closing.fragmentId = received.body.received.id;
        const closingRequest = await api('POST', '/discount-requests', 'hangzhou', { noteId: closing.fragmentId, financierIds: [DEMO_IDS.jiangnan, DEMO_IDS.pudong] });
        expect(closingRequest.status, closingRequest.text).to.equal(201);
        closing.requestId = closingRequest.body.id;
        const fromJiangnan = await api('POST', `/discount-requests/${closing.requestId}/quotes`, 'jiangnan', { rateBps: 300 });
        const fromPudong = await api('POST', `/discount-requests/${closing.requestId}/quotes`, 'pudong', { rateBps: 320 });
        expect([fromJiangnan.status, fromPudong.status], fromPudong.text).to.deep.equal([201, 201]);
        closing.jiangnanQuoteId = fromJiangnan.body.id;
        closing.pudongQuoteId = fromPudong.body.id;

        // Two days on the passport has expired: suzhou's refresh changes its profile, an event with its score and warning level.
        await gateway!.stop();
        gateway = await startTestGateway({ ledgerClockOffsetDays: 2 }, dataDir);
        await login();
        const refreshed = await api('POST', `/profiles/${DEMO_IDS.suzhou}/refresh`, 'suzhou');
        expect(refreshed.status, refreshed.text).to.equal(200);
        expect(refreshed.body.lastTxId).to.equal(refreshed.headers.get('X-Transaction-Id'));
        const redeemed = await api('POST', `/notes/${closing.rootId}/redeem`, 'huadong');
        expect(redeemed.status, redeemed.text).to.equal(200);
        expect(redeemed.body.closedRequestIds).to.deep.equal([closing.requestId]);
    });
    after(async () => {
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('gives the platform admin no credit profile and no note business, which it may not read, and the rest whole', async () => {
        expect((await api('GET', `/profiles/${DEMO_IDS.suzhou}`, 'admin')).status).to.equal(403);
        expect((await api('GET', `/notes/${noteId}`, 'admin')).status).to.equal(403);
        expect((await api('GET', `/discount-requests/${requestId}`, 'admin')).status).to.equal(403);
        expect((await api('GET', `/receivables/${receivableId}`, 'admin')).status).to.equal(200);

        const seen = await eventsOf('admin');
        const names = new Set(seen.map((e) => e.event));
        for (const withheld of ['RefreshCreditProfile', 'IssueNote', 'RequestDiscount', 'SubmitQuote', 'AcceptQuote']) {
            expect(names.has(withheld), withheld).to.equal(false);
        }
        expect(seen.some((e) => 'score' in e.data.payload || 'warning' in e.data.payload)).to.equal(false);
        expect(JSON.stringify(seen)).not.to.include(noteId);
        expect([...names].filter((name) => ADMIN_EVENTS[name] !== 'whole')).to.deep.equal([]);
        // What it may read reaches it whole: the receivable's registration and confirmation, the enterprises it registered.
        const receivableEvents = seen.filter((e) => e.data.payload.receivableId === receivableId).map((e) => e.event);
        expect(receivableEvents).to.include.members(['RegisterReceivable', 'ConfirmReceivable']);
        expect(names.has('RegisterEnterprise')).to.equal(true);
    });

    it('gives the regulator every event whole', async () => {
        const seen = await eventsOf('regulator');
        const profile = seen.find((e) => e.event === 'RefreshCreditProfile' && e.data.payload.enterpriseId === DEMO_IDS.suzhou);
        expect(profile?.data.payload).to.have.property('score').that.is.a('number');
        expect(profile?.data.payload).to.have.property('warning').that.is.a('string');
        expect(seen.find((e) => e.event === 'IssueNote' && e.data.payload.noteId === noteId)?.data.payload.receivableIds).to.deep.equal([receivableId]);
        expect(seen.find((e) => e.event === 'AcceptQuote' && e.data.payload.requestId === requestId)?.data.payload.withdrawnQuoteIds).to.deep.equal([otherQuoteId]);
    });

    it('gives a financier no receivable it may not read and no quote of a competitor', async () => {
        const jiangnan = await eventsOf('jiangnan');
        const issued = jiangnan.find((e) => e.event === 'IssueNote' && e.data.payload.noteId === noteId)?.data.payload;
        expect(issued).to.include({ holderId: DEMO_IDS.suzhou, amount: '500000', financierId: DEMO_IDS.jiangnan });
        expect(issued).not.to.have.property('receivableIds');

        const pudong = await eventsOf('pudong');
        const lost = pudong.find((e) => e.event === 'AcceptQuote' && e.data.payload.requestId === requestId)?.data.payload;
        expect(lost).to.include({ quoteId: acceptedQuoteId, holderId: DEMO_IDS.suzhou });
        expect(lost).not.to.have.property('withdrawnQuoteIds');
        expect(pudong.some((e) => e.event === 'RefreshCreditProfile')).to.equal(false);

        // The holder sees its own request's events whole, the issuer its note's.
        const suzhou = await eventsOf('suzhou');
        expect(suzhou.find((e) => e.event === 'AcceptQuote' && e.data.payload.requestId === requestId)?.data.payload.withdrawnQuoteIds).to.deep.equal([otherQuoteId]);
        expect(suzhou.find((e) => e.event === 'RefreshCreditProfile' && e.data.payload.enterpriseId === DEMO_IDS.suzhou)?.data.payload).to.have.property('score');
        const huadong = await eventsOf('huadong');
        expect(huadong.find((e) => e.event === 'IssueNote' && e.data.payload.noteId === noteId)?.data.payload.receivableIds).to.deep.equal([receivableId]);
    });

    it('tells each financier invited to a request that redemption closed it, showing it only its own request and quote', async () => {
        const redemptionOf = async (user: User): Promise<any> => (await eventsOf(user)).find((e) => e.event === 'RedeemNote' && e.data.payload.rootId === closing.rootId)?.data.payload;
        // What pudong may read: the request (closed), its own quote (withdrawn), not jiangnan's.
        expect((await api('GET', `/discount-requests/${closing.requestId}`, 'pudong')).body.status).to.equal('CLOSED');
        const pudongQuotes = await api('GET', `/discount-requests/${closing.requestId}/quotes`, 'pudong');
        expect(pudongQuotes.body.items.map((q: any) => [q.id, q.status])).to.deep.equal([[closing.pudongQuoteId, 'WITHDRAWN']]);
        expect((await api('GET', `/notes/${closing.rootId}`, 'pudong')).status).to.equal(403);

        const pudong = await redemptionOf('pudong');
        expect(pudong, 'pudong is told of the redemption').to.be.an('object');
        expect(pudong).to.deep.include({
            rootId: closing.rootId,
            issuerId: DEMO_IDS.huadong,
            payees: [],
            escrows: [],
            closedRequestIds: [closing.requestId],
            closedRequests: [{ requestId: closing.requestId, holderId: DEMO_IDS.hangzhou, financierIds: [DEMO_IDS.pudong], withdrawnQuotes: [{ quoteId: closing.pudongQuoteId, financierId: DEMO_IDS.pudong }] }],
        });
        for (const secret of [DEMO_IDS.jiangnan, closing.jiangnanQuoteId, DEMO_IDS.suzhou, closing.fragmentId]) {
            expect(JSON.stringify(pudong)).not.to.include(secret);
        }
        expect(pudong).not.to.have.property('closedOfferIds');

        // jiangnan granted the line: every payee, but of the request only itself and its own quote.
        const jiangnan = await redemptionOf('jiangnan');
        expect(jiangnan.payees.map((p: any) => p.holderId).sort()).to.deep.equal([DEMO_IDS.hangzhou, DEMO_IDS.suzhou].sort());
        expect(jiangnan.closedRequests).to.deep.equal([{ requestId: closing.requestId, holderId: DEMO_IDS.hangzhou, financierIds: [DEMO_IDS.jiangnan], withdrawnQuotes: [{ quoteId: closing.jiangnanQuoteId, financierId: DEMO_IDS.jiangnan }] }]);

        // The requesting holder sees its request whole, as it may list every quote of it; the regulator everything.
        const whole = {
            requestId: closing.requestId,
            holderId: DEMO_IDS.hangzhou,
            financierIds: [DEMO_IDS.jiangnan, DEMO_IDS.pudong].sort(),
            withdrawnQuotes: [
                { quoteId: closing.jiangnanQuoteId, financierId: DEMO_IDS.jiangnan },
                { quoteId: closing.pudongQuoteId, financierId: DEMO_IDS.pudong },
            ].sort((a, b) => (a.quoteId < b.quoteId ? -1 : 1)),
        };
        expect((await redemptionOf('hangzhou')).closedRequests).to.deep.equal([whole]);
        expect((await redemptionOf('regulator')).closedRequests).to.deep.equal([whole]);
        // The issuer may not read the request: it sees that one closed, not who was asked to fund its paper.
        const huadong = await redemptionOf('huadong');
        expect(huadong).to.deep.include({ closedRequestIds: [closing.requestId], closedRequests: [] });
        expect((await api('GET', `/discount-requests/${closing.requestId}`, 'huadong')).status).to.equal(403);
        // suzhou, paid for its change, has no part in hangzhou's request.
        expect(await redemptionOf('suzhou')).to.deep.include({ closedRequestIds: [], closedRequests: [] });
    });

    it("shows a passport's subject, when the key that signed it is revoked, only itself and the partners that recognised its own passports", async () => {
        // The bureau's key has signed suzhou's passports (before); it signs hangzhou's and huadong's too,
        // and singapore recognises hangzhou's only. Then the admin revokes the key.
        const issued: Record<string, any> = {};
        for (const subject of ['hangzhou', 'huadong'] as const) {
            const passport = await api('POST', '/attestations', 'bureau', { subjectId: DEMO_IDS[subject], score: 700, grade: 'A', validDays: 30 });
            expect(passport.status, passport.text).to.equal(201);
            issued[subject] = passport.body.attestation;
        }
        const agreements = await api('GET', `/agreements?partnerId=${DEMO_IDS.singapore}`, 'singapore');
        const agreement = agreements.body.items.find((a: any) => a.status === 'ACTIVE');
        const recognised = await api('POST', '/recognitions', 'singapore', { agreementId: agreement.id, attestationId: issued.hangzhou.id });
        expect(recognised.status, recognised.text).to.equal(201);
        const key = issued.hangzhou.signer;
        const revoked = await api('POST', `/bureau-keys/${key}/revoke`, 'admin', { reason: 'key compromised' });
        expect(revoked.status, revoked.text).to.equal(200);

        // suzhou may not read hangzhou's passports or who recognised them.
        expect((await api('GET', `/attestations?subjectId=${DEMO_IDS.hangzhou}`, 'suzhou')).status).to.equal(403);
        expect((await api('GET', `/recognitions?subjectId=${DEMO_IDS.hangzhou}`, 'suzhou')).status).to.equal(403);

        const revocationOf = async (user: User): Promise<any> => (await eventsOf(user)).find((e) => e.event === 'RevokeBureauKey' && e.data.payload.address === key)?.data.payload;
        const subjects = [DEMO_IDS.suzhou, DEMO_IDS.hangzhou, DEMO_IDS.huadong].sort();
        const whole = {
            address: key,
            bureauId: DEMO_IDS.bureau,
            subjects,
            partnerIds: [DEMO_IDS.singapore],
            bySubject: subjects.map((subject) => ({ subject, partnerIds: subject === DEMO_IDS.hangzhou ? [DEMO_IDS.singapore] : [] })),
        };
        for (const user of ['regulator', 'admin', 'bureau', 'singapore'] as const) {
            expect(await revocationOf(user), user).to.deep.include(whole);
        }
        const suzhou = await revocationOf('suzhou');
        expect(suzhou).to.deep.include({ address: key, bureauId: DEMO_IDS.bureau, subjects: [DEMO_IDS.suzhou], partnerIds: [], bySubject: [{ subject: DEMO_IDS.suzhou, partnerIds: [] }] });
        for (const secret of [DEMO_IDS.hangzhou, DEMO_IDS.huadong, DEMO_IDS.singapore]) {
            expect(JSON.stringify(suzhou)).not.to.include(secret);
        }
        expect(await revocationOf('hangzhou')).to.deep.include({ subjects: [DEMO_IDS.hangzhou], partnerIds: [DEMO_IDS.singapore], bySubject: [{ subject: DEMO_IDS.hangzhou, partnerIds: [DEMO_IDS.singapore] }] });
        expect(await revocationOf('huadong')).to.deep.include({ subjects: [DEMO_IDS.huadong], partnerIds: [], bySubject: [{ subject: DEMO_IDS.huadong, partnerIds: [] }] });
        // hangzhou may read who recognised its own passport: what its event showed it.
        const own = await api('GET', `/recognitions?subjectId=${DEMO_IDS.hangzhou}`, 'hangzhou');
        expect(own.body.items.map((r: any) => r.partnerId)).to.deep.equal([DEMO_IDS.singapore]);
        // An enterprise the revocation does not concern is not told of it.
        expect(await revocationOf('jiangnan')).to.equal(undefined);
    });

    it('names the query parameter or the header a malformed resume position came from', async () => {
        const byQuery = await call(gateway!.baseUrl, 'GET', '/events?after=abc', { token: tokens.suzhou });
        expect(byQuery.status).to.equal(400);
        expect(byQuery.body.code).to.equal('INVALID_ARGUMENT');
        expect(byQuery.body.detail).to.equal('the query parameter after must look like <block>:<index>');
        const byHeader = await call(gateway!.baseUrl, 'GET', '/events', { token: tokens.suzhou, headers: { 'Last-Event-ID': 'abc' } });
        expect(byHeader.status).to.equal(400);
        expect(byHeader.body.detail).to.equal('Last-Event-ID must look like <block>:<index>');
    });
});
