import './support/quiet-chaincode-logging';
import { randomBytes } from 'crypto';
import { expect } from 'chai';
import { usccCheckCharacter, patentCheckCharacter } from '@xinlian/chaincode';
import { computeCid } from '../src/documents/cid';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

/** A patent number of `prefix` (year and type digit) and 7 random digits, with the check character they give (a wrong one is refused). */
function validPatentNumber(prefix: string): string {
    const digits = `${prefix}${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    return `ZL${digits}.${patentCheckCharacter(digits) ?? ''}`;
}

/**
 * Citing a document on the ledger (a receivable's invoice, a valuation's report) opens it to whoever
 * may read the citing record, so the gateway lets a caller cite only a document it may read itself
 * right now (uploaded it, or reads a record already citing it): anything else is 404 NOT_FOUND, the
 * same answer for a document never stored and one stored but not the caller's, and nothing is written.
 */
describe('citing documents on the ledger (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    const tokens: Record<string, string> = {};
    let assetId: string;

    const api = (method: string, route: string, user: string, body?: unknown, raw?: string) =>
        call(gateway.baseUrl, method, route, { token: tokens[user], ...(raw === undefined ? { body } : { raw, headers: { 'Content-Type': 'text/plain' } }) });
    const height = async (): Promise<number> => (await call(gateway.baseUrl, 'GET', '/health/ready')).body.ledger.height;
    const upload = async (user: string, text: string): Promise<string> => {
        const uploaded = await api('POST', '/documents', user, undefined, text);
        expect(uploaded.status, uploaded.text).to.equal(201);
        return uploaded.body.cid;
    };

    function expectNoSuchDocument(response: ApiResponse, cid: string): void {
        expect(response.status, response.text).to.equal(404);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(response.body.code).to.equal('NOT_FOUND');
        expect(response.body.detail).to.equal(`document ${cid} does not exist`);
    }

    const valuation = (reportCid: string, amount = '5000000') => ({ amount, currency: 'CNY', valuationDate: isoDate(-1), reportCid });
    const receivable = (documentCid: string) => ({
        buyerId: DEMO_IDS.huadong,
        invoiceNumber: `CITE-${randomBytes(4).toString('hex').toUpperCase()}`,
        amount: '1000',
        currency: 'CNY',
        issueDate: isoDate(-1),
        dueDate: isoDate(30),
        documentCid,
    });

    before(async () => {
        gateway = await startTestGateway();
        for (const user of ['suzhou', 'hangzhou', 'huadong', 'appraiser', 'jiangnan', 'pudong']) {
            tokens[user] = await loginToken(gateway.baseUrl, user);
        }
        const asset = await api('POST', '/ip-assets', 'hangzhou', {
            kind: 'PATENT',
            registryNumber: validPatentNumber('20251'),
            title: 'Cold heading die with quick-change inserts',
            ownerIds: [DEMO_IDS.hangzhou],
            expiryDate: isoDate(3650),
        });
        expect(asset.status, asset.text).to.equal(201);
        assetId = asset.body.id;
    });

    after(async () => {
        await gateway?.dispose();
    });

    it("refuses a valuation citing another enterprise's private invoice, writes nothing, and keeps the invoice closed", async () => {
        const invoice = await upload('suzhou', `invoice ${randomBytes(8).toString('hex')} of Suzhou Precision Castings`);
        const start = await height();
        expectNoSuchDocument(await api('POST', `/ip-assets/${assetId}/valuations`, 'appraiser', valuation(invoice)), invoice);
        expect(await height(), 'nothing was written').to.equal(start);
        expect((await api('GET', `/ip-assets/${assetId}`, 'appraiser')).body.valuationHistory).to.deep.equal([]);
        for (const user of ['appraiser', 'jiangnan', 'pudong', 'hangzhou']) {
            const download = await api('GET', `/documents/${invoice}`, user);
            expect(download.status, `${user}: ${download.text}`).to.equal(404);
        }
        expect((await api('GET', `/documents/${invoice}`, 'suzhou')).status).to.equal(200);
    });

    it('refuses a valuation or a receivable citing a document never uploaded, with the same answer', async () => {
        const neverUploaded = await computeCid(Buffer.from(`never uploaded ${randomBytes(8).toString('hex')}`));
        const start = await height();
        expectNoSuchDocument(await api('POST', `/ip-assets/${assetId}/valuations`, 'appraiser', valuation(neverUploaded)), neverUploaded);
        expectNoSuchDocument(await api('POST', '/receivables', 'suzhou', receivable(neverUploaded)), neverUploaded);
        expect(await height(), 'nothing was written').to.equal(start);
    });

    it("refuses a receivable whose invoice is another enterprise's document, and registers one on the caller's own", async () => {
        const theirs = await upload('suzhou', `invoice ${randomBytes(8).toString('hex')} kept by Suzhou`);
        const start = await height();
        expectNoSuchDocument(await api('POST', '/receivables', 'hangzhou', receivable(theirs)), theirs);
        expect(await height(), 'nothing was written').to.equal(start);
        for (const user of ['hangzhou', 'huadong']) {
            expect((await api('GET', `/documents/${theirs}`, user)).status, user).to.equal(404);
        }
        const own = await upload('hangzhou', `invoice ${randomBytes(8).toString('hex')} of Hangzhou Fastener Works`);
        const registered = await api('POST', '/receivables', 'hangzhou', receivable(own));
        expect(registered.status, registered.text).to.equal(201);
        expect(registered.body.documentCid).to.equal(own);
    });

    it("says nothing of whether another enterprise's document already backs a receivable: 404, as for any document not the caller's", async () => {
        const invoice = await upload('suzhou', `invoice ${randomBytes(8).toString('hex')} already financed`);
        const financed = await api('POST', '/receivables', 'suzhou', receivable(invoice));
        expect(financed.status, financed.text).to.equal(201);
        const start = await height();
        // The ledger would refuse it as DOUBLE_FINANCING; the caller may not even read the document.
        const probe = await api('POST', '/receivables', 'hangzhou', receivable(invoice));
        expectNoSuchDocument(probe, invoice);
        expect(probe.body).to.not.have.property('txId');
        expect(await height(), 'nothing was written').to.equal(start);
    });

    it('answers a role that may not write the record at all 403, as it would without the document, never 404', async () => {
        const invoice = await upload('suzhou', `invoice ${randomBytes(8).toString('hex')} for the role check`);
        const report = await upload('appraiser', `valuation report ${randomBytes(8).toString('hex')}`);
        const start = await height();
        for (const [user, route, body] of [
            ['jiangnan', '/receivables', receivable(invoice)],
            ['pudong', `/ip-assets/${assetId}/valuations`, valuation(report)],
        ] as const) {
            const refused = await api('POST', route, user, body);
            expect(refused.status, `${user}: ${refused.text}`).to.equal(403);
            expect(refused.body.code).to.equal('FORBIDDEN');
        }
        // The same refusal as with a document of its own: the role is the reason.
        const own = await upload('jiangnan', `a bank's own file ${randomBytes(8).toString('hex')}`);
        const withOwn = await api('POST', '/receivables', 'jiangnan', receivable(own));
        expect(withOwn.status, withOwn.text).to.equal(403);
        expect(await height(), 'nothing was written').to.equal(start);
    });

    it('lets a caller cite its own upload, and a reader of a record already citing a document cite it again', async () => {
        const report = await upload('appraiser', `valuation report ${randomBytes(8).toString('hex')}`);
        const valued = await api('POST', `/ip-assets/${assetId}/valuations`, 'appraiser', valuation(report));
        expect(valued.status, valued.text).to.equal(201);
        expect(valued.body.valuation.reportCid).to.equal(report);
        // A second appraiser reads every IP asset, so (under the download rules) the report the first one cited.
        const admin = await loginToken(gateway.baseUrl, 'admin');
        const first17 = `91110108MA${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
        const secondId = first17 + usccCheckCharacter(first17);
        const registered = await call(gateway.baseUrl, 'POST', '/enterprises', { token: admin, body: { id: secondId, name: 'Second IP Appraisal Co., Ltd.', kind: 'APPRAISER', mspId: 'BankMSP' } });
        expect(registered.status, registered.text).to.equal(201);
        const user = await call(gateway.baseUrl, 'POST', '/users', { token: admin, body: { username: 'appraiser2', password: 'appraiser-2-password', role: 'appraiser', enterpriseId: secondId } });
        expect(user.status, user.text).to.equal(201);
        tokens.appraiser2 = await loginToken(gateway.baseUrl, 'appraiser2', 'appraiser-2-password');
        expect((await api('GET', `/documents/${report}`, 'appraiser2')).status).to.equal(200);
        const revalued = await api('POST', `/ip-assets/${assetId}/valuations`, 'appraiser2', valuation(report, '4800000'));
        expect(revalued.status, revalued.text).to.equal(201);
        expect(revalued.body.valuation).to.include({ amount: '4800000', reportCid: report, recordedBy: secondId });
        // It may not cite a document only Suzhou holds.
        const invoice = await upload('suzhou', `invoice ${randomBytes(8).toString('hex')} not for appraisers`);
        const start = await height();
        expectNoSuchDocument(await api('POST', `/ip-assets/${assetId}/valuations`, 'appraiser2', valuation(invoice, '4700000')), invoice);
        expect(await height()).to.equal(start);
    });
});
