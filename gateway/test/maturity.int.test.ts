/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

const MATURITY_DAYS = 30;

/**
 * What happens at and after maturity, over real HTTP: notes, offers and a short credit line are made
 * today, then the gateway is restarted on the same ledger with its clock past maturity plus grace
 * (GATEWAY_LEDGER_CLOCK_OFFSET_DAYS, embedded backend only), where the line reads EXPIRED, offers
 * expire, the issuer redeems one root and another is marked overdue. Every answer is checked against the OpenAPI
 * document, as in all integration tests.
 */
describe('maturity: offer expiry, redemption and overdue notes (embedded backend, shifted ledger clock)', function () {
    this.timeout(60_000);
    let dataDir: string;
    let gateway: TestGateway | undefined;

    before(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-maturity-'));
    });
    after(async () => {
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('seeds a fresh data directory under a moved clock, dating the demo by the ledger', async () => {
        const offsetDays = 94;
        const fresh = mkdtempSync(path.join(tmpdir(), 'xinlian-maturity-fresh-'));
        const ahead = await startTestGateway({ ledgerClockOffsetDays: offsetDays }, fresh);
        try {
            const notes = await call(ahead.baseUrl, 'GET', '/notes', { token: await loginToken(ahead.baseUrl, 'suzhou') });
            expect(notes.status, notes.text).to.equal(200);
            // The demo note matures 90 days after the ledger's today, not the real one.
            expect(notes.body.items.map((note: any) => note.maturityDate)).to.deep.equal([isoDate(offsetDays + 90)]);
        } finally {
            await ahead.stop();
            rmSync(fresh, { recursive: true, force: true });
        }
    });

    it('expires an offer, redeems a root paying every holder, and marks an unredeemed root overdue', async () => {
        gateway = await startTestGateway({}, dataDir);
        let api = (method: string, route: string, token: string, body?: unknown) => call(gateway!.baseUrl, method, route, { token, body });
        const tokens = { huadong: await loginToken(gateway.baseUrl, 'huadong'), suzhou: await loginToken(gateway.baseUrl, 'suzhou'), hangzhou: await loginToken(gateway.baseUrl, 'hangzhou') };
        const lines = await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}`, tokens.huadong);
        const line = lines.body.items.find((l: any) => l.financierId === DEMO_IDS.jiangnan && l.status === 'ACTIVE');
        const issue = async (invoiceNumber: string, amount: string): Promise<any> => {
            const document = await call(gateway!.baseUrl, 'POST', '/documents', { token: tokens.suzhou, raw: `invoice ${invoiceNumber}`, headers: { 'Content-Type': 'text/plain' } });
            const receivable = await api('POST', '/receivables', tokens.suzhou, { buyerId: DEMO_IDS.huadong, invoiceNumber, amount, currency: 'CNY', issueDate: isoDate(-2), dueDate: isoDate(MATURITY_DAYS), documentCid: document.body.cid });
            expect((await api('POST', `/receivables/${receivable.body.id}/confirm`, tokens.huadong)).status).to.equal(200);
            const note = await api('POST', '/notes', tokens.huadong, { holderId: DEMO_IDS.suzhou, amount, currency: 'CNY', maturityDate: isoDate(MATURITY_DAYS), creditLineId: line.id, receivableIds: [receivable.body.id] });
            expect(note.status, note.text).to.equal(201);
            return note.body;
        };
        const redeemed = await issue('MAT-REDEEM-1', '800000');
        const overdue = await issue('MAT-OVERDUE-1', '300000');
        // Part of the redeemed root moves one tier down, so redemption pays two holders.
        const moved = await api('POST', '/offers', tokens.suzhou, { noteId: redeemed.id, toId: DEMO_IDS.hangzhou, amount: '200000', expiresAt: isoDate(3) });
        expect((await api('POST', `/offers/${moved.body.id}/accept`, tokens.hangzhou)).status).to.equal(200);
        const lapsing = await api('POST', '/offers', tokens.suzhou, { noteId: overdue.id, toId: DEMO_IDS.hangzhou, amount: '300000', expiresAt: isoDate(3) });
        expect(lapsing.status, lapsing.text).to.equal(201);
        const early = await api('POST', `/notes/${redeemed.id}/redeem`, tokens.huadong);
        expect([early.status, early.body.code]).to.deep.equal([409, 'INVALID_STATE']);
        const expiredEarly = await api('POST', `/offers/${lapsing.body.id}/expire`, tokens.hangzhou);
        expect([expiredEarly.status, expiredEarly.body.code]).to.deep.equal([409, 'INVALID_STATE']);
        const { graceDays } = (await api('GET', '/parameters/notes', tokens.huadong)).body;
        // A line that expires before the clock moves: reads will show it EXPIRED.
        const shortLine = await api('POST', '/credit-lines', await loginToken(gateway.baseUrl, 'jiangnan'), { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '5000000', expiresAt: isoDate(10) });
        expect(shortLine.body).to.include({ status: 'ACTIVE', remaining: '5000000' });
        await gateway.stop();

        gateway = await startTestGateway({ ledgerClockOffsetDays: MATURITY_DAYS + graceDays + 1 }, dataDir);
        api = (method, route, token, body) => call(gateway!.baseUrl, method, route, { token, body });
        for (const user of ['huadong', 'suzhou', 'hangzhou'] as const) {
            tokens[user] = await loginToken(gateway.baseUrl, user);
        }
        const linesNow = await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}`, tokens.huadong);
        expect(linesNow.body.items.find((l: any) => l.id === shortLine.body.id)).to.include({ status: 'EXPIRED', remaining: '0' });
        expect((await api('GET', `/credit-lines/${shortLine.body.id}`, tokens.huadong)).body).to.include({ status: 'EXPIRED', remaining: '0' });
        const expired = await api('POST', `/offers/${lapsing.body.id}/expire`, tokens.hangzhou);
        expect(expired.status, expired.text).to.equal(200);
        expect(expired.body.status).to.equal('EXPIRED');
        expect((await api('GET', `/notes/${overdue.id}`, tokens.suzhou)).body.status).to.equal('ACTIVE');

        expect((await api('POST', `/notes/${redeemed.id}/redeem`, tokens.suzhou)).status).to.equal(403);
        const redemption = await api('POST', `/notes/${redeemed.id}/redeem`, tokens.huadong);
        expect(redemption.status, redemption.text).to.equal(200);
        expect(JSON.stringify(redemption.body)).to.include(DEMO_IDS.hangzhou).and.to.include(DEMO_IDS.suzhou);
        const again = await api('POST', `/notes/${redeemed.id}/redeem`, tokens.huadong);
        expect([again.status, again.body.code]).to.deep.equal([409, 'INVALID_STATE']);

        const marked = await api('POST', `/notes/${overdue.id}/overdue`, tokens.hangzhou);
        expect(marked.status, marked.text).to.equal(200);
        expect(marked.body).to.include({ id: overdue.id, overdue: true });
        expect((await api('GET', `/notes/${overdue.id}`, tokens.suzhou)).body.overdue).to.equal(true);
        const twice = await api('POST', `/notes/${overdue.id}/overdue`, tokens.hangzhou);
        expect([twice.status, twice.body.code]).to.deep.equal([409, 'INVALID_STATE']);
        const redeemedRoot = await api('POST', `/notes/${redeemed.id}/overdue`, tokens.hangzhou);
        expect([redeemedRoot.status, redeemedRoot.body.code]).to.deep.equal([409, 'INVALID_STATE']);
    });
});
