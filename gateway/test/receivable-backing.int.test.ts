/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

/**
 * Receivables back credit notes by amount, over real HTTP on the embedded backend: a note draws
 * only its face from its receivables, the rest stays the seller's to finance (never more than the
 * receivable in total, even when two issuances race), only the seller acknowledges payment, and a
 * buyer disputing invoices it never confirmed keeps its credit profile. Every answer is checked
 * against the OpenAPI document, as in all integration tests.
 */
describe('receivables backing notes by amount (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    const tokens: Record<string, string> = {};
    let lineId: string;
    let invoices = 0;

    const api = (method: string, route: string, user: string, body?: unknown) => call(gateway.baseUrl, method, route, { token: tokens[user], body });

    before(async () => {
        gateway = await startTestGateway();
        for (const user of ['huadong', 'suzhou', 'hangzhou', 'jiangnan', 'regulator']) {
            tokens[user] = await loginToken(gateway.baseUrl, user);
        }
        const lines = await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}`, 'huadong');
        lineId = lines.body.items.find((l: any) => l.financierId === DEMO_IDS.jiangnan && l.status === 'ACTIVE').id;
    });
    after(() => gateway.dispose());

    /** Registers a receivable of `seller` against Huadong (confirmed unless told otherwise). */
    async function receivable(seller: string, amount: string, confirm = true): Promise<any> {
        invoices += 1;
        const invoiceNumber = `BACK-${invoices}-${seller.toUpperCase()}`;
        const document = await call(gateway.baseUrl, 'POST', '/documents', { token: tokens[seller], raw: `invoice ${invoiceNumber}`, headers: { 'Content-Type': 'text/plain' } });
        const created = await api('POST', '/receivables', seller, { buyerId: DEMO_IDS.huadong, invoiceNumber, amount, currency: 'CNY', issueDate: isoDate(-2), dueDate: isoDate(60), documentCid: document.body.cid });
        expect(created.status, created.text).to.equal(201);
        if (!confirm) {
            return created.body;
        }
        const confirmed = await api('POST', `/receivables/${created.body.id}/confirm`, 'huadong');
        expect(confirmed.status, confirmed.text).to.equal(200);
        return confirmed.body;
    }

    function issue(amount: string, receivableIds: string[]): ReturnType<typeof api> {
        return api('POST', '/notes', 'huadong', { holderId: DEMO_IDS.suzhou, amount, currency: 'CNY', maturityDate: isoDate(30), creditLineId: lineId, receivableIds });
    }

    it('draws a 1-fen note from a ¥1,000,000.00 receivable and leaves the rest to back another note, never more', async () => {
        const big = await receivable('suzhou', '100000000');
        const tiny = await issue('1', [big.id]);
        expect(tiny.status, tiny.text).to.equal(201);
        expect(tiny.body.backing).to.deep.equal([{ receivableId: big.id, amount: '1' }]);
        const afterTiny = await api('GET', `/receivables/${big.id}`, 'suzhou');
        expect(afterTiny.body).to.include({ status: 'CONFIRMED', notedAmount: '1', availableAmount: '99999999', settledAmount: '0' });

        const tooMuch = await issue('100000000', [big.id]);
        expect([tooMuch.status, tooMuch.body.code]).to.deep.equal([400, 'INVALID_ARGUMENT']);
        const rest = await issue('99999999', [big.id]);
        expect(rest.status, rest.text).to.equal(201);
        const full = await api('GET', `/receivables/${big.id}`, 'huadong');
        expect(full.body).to.include({ status: 'NOTED', notedAmount: '100000000', availableAmount: '0' });
        expect(full.body.allocations.map((a: any) => [a.noteId, a.amount])).to.deep.equal([
            [tiny.body.id, '1'],
            [rest.body.id, '99999999'],
        ]);
        const again = await issue('1', [big.id]);
        expect([again.status, again.body.code]).to.deep.equal([409, 'DOUBLE_FINANCING']);
    });

    it('lets only one of two concurrent issuances draw on a receivable that cannot carry both', async () => {
        const shared = await receivable('suzhou', '1000');
        const usedBefore = BigInt((await api('GET', `/credit-lines/${lineId}`, 'jiangnan')).body.used);
        const answers = await Promise.all([issue('600', [shared.id]), issue('600', [shared.id])]);
        expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join('\n')).to.deep.equal([201, 400]);
        expect(answers.find((a) => a.status === 400)?.body.code).to.equal('INVALID_ARGUMENT');
        const after = await api('GET', `/receivables/${shared.id}`, 'suzhou');
        expect(after.body).to.include({ status: 'CONFIRMED', notedAmount: '600', availableAmount: '400' });
        expect(after.body.allocations).to.have.length(1);
        expect(BigInt((await api('GET', `/credit-lines/${lineId}`, 'jiangnan')).body.used) - usedBefore).to.equal(600n);
    });

    it('lets only the seller acknowledge payment, covering what no note draws on', async () => {
        const partly = await receivable('suzhou', '5000');
        expect((await issue('3000', [partly.id])).status).to.equal(201);
        const byBuyer = await api('POST', `/receivables/${partly.id}/settle`, 'huadong');
        expect([byBuyer.status, byBuyer.body.code]).to.deep.equal([403, 'FORBIDDEN']);
        expect((await api('GET', `/receivables/${partly.id}`, 'suzhou')).body).to.include({ status: 'CONFIRMED', availableAmount: '2000' });
        const bySeller = await api('POST', `/receivables/${partly.id}/settle`, 'suzhou');
        expect(bySeller.status, bySeller.text).to.equal(200);
        // The 3000 the note draws is settled by its redemption; until then the receivable is NOTED.
        expect(bySeller.body).to.include({ status: 'NOTED', acknowledgedAmount: '2000', settledAmount: '2000', availableAmount: '0' });
        const twice = await api('POST', `/receivables/${partly.id}/settle`, 'suzhou');
        expect([twice.status, twice.body.code]).to.deep.equal([409, 'INVALID_STATE']);
    });

    it("leaves a buyer's score and warning as they were when it disputes invoices a stranger registered against it", async () => {
        const before = (await api('GET', `/profiles/${DEMO_IDS.huadong}`, 'huadong')).body;
        for (let i = 0; i < 2; i++) {
            const fake = await receivable('hangzhou', '1', false);
            const disputed = await api('POST', `/receivables/${fake.id}/dispute`, 'huadong', { reason: 'we never traded with this supplier' });
            expect(disputed.status, disputed.text).to.equal(200);
            expect(disputed.body.status).to.equal('DISPUTED');
        }
        const after = (await api('GET', `/profiles/${DEMO_IDS.huadong}`, 'huadong')).body;
        expect({ score: after.score, warning: after.warning, warningRules: after.warningRules }).to.deep.equal({ score: before.score, warning: before.warning, warningRules: before.warningRules });
        expect(after.changes).to.deep.equal(before.changes);
    });
});
