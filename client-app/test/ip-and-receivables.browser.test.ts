import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { patentCheckCharacter } from '../../chaincode/src/ip/registry-number';
import { addDays } from '../src/format';
import { open, signIn } from './support/browser';
import { startGateway } from './support/gateway';
import { apiAs, ownerIdOf, toast, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * What the ledger allows on IP pledges and receivables, offered by the app in Debian's Chromium
 * against the real gateway: a junior pledge at the rank the ledger expects (and none under a senior
 * that allows no junior), a co-owned registration, a receivable between two suppliers disputed and
 * then confirmed by its buyer and acknowledged paid by its seller (no stale dispute reason), and the
 * pledgee's and pledgor's time-dependent actions by the ledger's date — with the ledger's clock
 * moved three weeks ahead for the last part. The registration form refuses, before sending, a
 * registry year after the ledger's and an expiry past the right's statutory term; the appraiser is
 * offered a valuation only of a right in force, and only in the currency of its open pledges.
 */

interface Pledge {
    id: string;
    status: string;
    priority: number;
    allowJunior: boolean;
}

/** Registers a patent for the page's enterprise and has the appraiser value it at `amount` CNY minor units; returns its id. */
async function valuedPatent(owner: Page, appraiser: Page, registryNumber: string, title: string, amount = '100000000', expiryDate = '2035-12-31'): Promise<string> {
    const asset = await apiAs<{ id: string }>(owner, 'POST', '/ip-assets', { kind: 'PATENT', registryNumber, title, ownerIds: [await ownerIdOf(owner)], expiryDate });
    const reportCid = await uploadAs(appraiser, `%PDF-1.4 appraisal of ${registryNumber}`);
    await apiAs(appraiser, 'POST', `/ip-assets/${asset.id}/valuations`, { amount, currency: 'CNY', valuationDate: addDays(new Date(), 0), reportCid });
    return asset.id;
}

/** The API requests `page` sends from now on with `method` to a path matching `path`, as they are made. */
function requestsTo(page: Page, method: string, path: RegExp): string[] {
    const seen: string[] = [];
    page.on('request', (request) => {
        const url = new URL(request.url());
        if (request.method() === method && path.test(url.pathname)) {
            seen.push(url.pathname);
        }
    });
    return seen;
}

/** The pledges of an asset as its owner reads them. */
async function pledgesOf(owner: Page, assetId: string): Promise<Pledge[]> {
    const all = await apiAs<{ items: Array<Pledge & { assetId: string }> }>(owner, 'GET', `/pledges?enterpriseId=${await ownerIdOf(owner)}&limit=500`);
    return all.items.filter((p) => p.assetId === assetId);
}

describe('IP pledges and receivables: what the ledger allows, offered in the app', function () {
    const suite = gatewayAndBrowser('ip-and-receivables');
    const TODAY = addDays(new Date(), 0);
    let termStartsLater = '';
    let shortTermPledge = '';
    let shortRightExpiry = '';

    it('requests a junior pledge at the rank behind an active senior that allows juniors, and offers none under a senior that allows none', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const assetId = await valuedPatent(suzhou, appraiser, 'ZL202310888001.3', 'Junior-ready mould design');

        // The senior pledge, through the form: it ranks first and lets later pledges rank behind it.
        await open(suzhou, '/ip');
        const form = suzhou.locator('#request-pledge');
        await form.locator('select[name=assetId]').selectOption(assetId);
        expect(await form.locator('#pledge-rank').textContent()).to.equal('This pledge would rank first.');
        await form.locator('select[name=pledgeeId]').selectOption({ label: 'Bank of Jiangnan' });
        await form.locator('input[name=securedAmount]').fill('200,000.00');
        await form.getByLabel('Let later pledges rank behind this one').check();
        await form.getByRole('button', { name: 'Request pledge' }).click();
        await toast(suzhou, /Pledge requested at rank 1, letting later pledges rank behind it/);
        const [senior] = await pledgesOf(suzhou, assetId);
        expect(senior).to.include({ status: 'REQUESTED', priority: 1, allowJunior: true });
        expect((await apiAs<Pledge>(jiangnan, 'POST', `/pledges/${senior.id}/accept`, {}, 200)).status).to.equal('ACTIVE');

        // The junior pledge: the form says where it ranks and what is left, and declares rank 2.
        await open(suzhou, '/ip');
        await form.locator('select[name=assetId]').selectOption(assetId);
        expect(await form.locator('#pledge-rank').textContent()).to.equal('This pledge would rank 2, behind Bank of Jiangnan (rank 1, CNY 200,000.00), which allows junior pledges.');
        expect(await form.locator('#pledge-valuation').textContent()).to.contain('at most CNY 300,000.00 is left');
        await form.locator('select[name=pledgeeId]').selectOption({ label: 'Pudong Factoring Co., Ltd.' });
        await form.locator('input[name=securedAmount]').fill('1,000.00');
        await form.getByRole('button', { name: 'Request pledge' }).click();
        await toast(suzhou, /Pledge requested at rank 2\. The financier decides/);
        const junior = (await pledgesOf(suzhou, assetId)).find((p) => p.id !== senior.id) as Pledge;
        expect(junior).to.include({ status: 'REQUESTED', priority: 2, allowJunior: false });
        // The ledger takes it: the rank is the one it expects.
        expect((await apiAs<Pledge>(pudong, 'POST', `/pledges/${junior.id}/accept`, {}, 200)).status).to.equal('ACTIVE');

        // Pudong allows no junior pledge: the asset is no longer offered, and the form says why.
        await open(suzhou, '/ip');
        expect(await suzhou.locator(`#request-pledge select[name=assetId] option[value="${assetId}"]`).count()).to.equal(0);
        expect(await suzhou.locator('#request-pledge-none, #request-pledge').first().textContent()).to.contain(
            'Junior-ready mould design (ZL202310888001.3): pledged to Pudong Factoring Co., Ltd., which allows no junior pledge, until that pledge is released',
        );
    });

    it('registers an IP asset owned jointly with the co-owners the registrant names, who are asked to confirm', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const [suzhouId, hangzhouId] = [await ownerIdOf(suzhou), await ownerIdOf(hangzhou)];
        await open(suzhou, '/ip');
        const form = suzhou.locator('#register-ip');
        await form.locator('input[name=registryNumber]').fill('ZL202310888002.8');
        await form.locator('input[name=title]').fill('Jointly developed casting alloy');
        // Banks are no co-owners, nor is the registrant itself.
        const offered = await form.locator('#ip-co-owners label').allTextContents();
        expect(offered.map((t) => t.trim())).to.include('Hangzhou Fastener Works Co., Ltd.').and.include('Huadong Heavy Industries Co., Ltd.');
        expect(offered.join(' ')).not.to.contain('Bank of Jiangnan').and.not.to.contain('Suzhou');
        await form.getByLabel('Hangzhou Fastener Works Co., Ltd.').check();
        await form.getByRole('button', { name: 'Register asset' }).click();
        await toast(suzhou, /IP asset registered, owned jointly\. It awaits the confirmation of Hangzhou Fastener Works Co\., Ltd\.; then an appraiser can value it\./);
        const row = suzhou.locator('#ip-assets tbody tr', { hasText: 'Jointly developed casting alloy' });
        expect(await row.locator('.badge').textContent()).to.equal('Pending');
        const assets = await apiAs<{ items: Array<{ title: string; ownerIds: string[]; pendingOwnerIds?: string[] }> }>(suzhou, 'GET', `/ip-assets?ownerId=${suzhouId}`);
        const joint = assets.items.find((a) => a.title === 'Jointly developed casting alloy');
        expect(joint?.ownerIds).to.have.members([suzhouId, hangzhouId]);
        expect(joint?.pendingOwnerIds).to.deep.equal([hangzhouId]);

        await open(hangzhou, '/ip');
        await hangzhou.locator('#ip-confirmations tbody tr', { hasText: 'Jointly developed casting alloy' }).getByRole('button', { name: 'Confirm' }).click();
        await toast(hangzhou, /Ownership confirmed/);
    });

    it('refuses before sending a registry year after the ledger\'s and an expiry past the right\'s term, and defaults the expiry to that term', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/ip');
        const registrations = requestsTo(suzhou, 'POST', /^\/api\/v1\/ip-assets$/);
        const form = suzhou.locator('#register-ip');
        const expiry = form.locator('input[name=expiryDate]');
        const error = form.locator('.error[role=alert]');
        await form.locator('select[name=kind]').selectOption('PATENT');
        await form.locator('input[name=title]').fill('Clamping fixture (utility model)');

        // A utility model filed in 2020 is in force until 2030-12-31 at the latest: the date follows the number.
        await form.locator('input[name=registryNumber]').fill('ZL202020123456.8');
        expect(await expiry.inputValue()).to.equal('2030-12-31');
        expect(await expiry.getAttribute('max')).to.equal('2030-12-31');
        expect(await form.locator('.expiry-hint').textContent()).to.equal('At most 2030-12-31: a utility model patent filed in 2020 is in force for 10 years from filing (Patent Law art. 42).');

        // A later date is named in the hint and refused on submission, with the rule; nothing is sent.
        await expiry.fill('2031-01-01');
        expect(await form.locator('.expiry-hint').textContent()).to.contain('The expiry date 2031-01-01 lies after 2030-12-31');
        await form.getByRole('button', { name: 'Register asset' }).click();
        await error.waitFor();
        expect(await error.textContent()).to.contain('The expiry date 2031-01-01 lies after 2030-12-31, the latest this right can be in force: a utility model patent filed in 2020');
        expect(await error.locator('.code').count(), 'the app refused it, not the ledger').to.equal(0);

        // A filing year after the ledger's: the hint says so as it is typed, and the form refuses it.
        const nextYear = new Date().getUTCFullYear() + 1;
        const digits = `${nextYear}10123456`;
        const future = `ZL${digits}.${patentCheckCharacter(digits)}`;
        await form.locator('input[name=registryNumber]').fill(future);
        expect(await form.locator('.registry-hint').textContent()).to.contain(`"${future}" is not a valid patent number. Its year ${nextYear} lies after today`);
        await form.getByRole('button', { name: 'Register asset' }).click();
        await form.locator('.error[role=alert]', { hasText: `Its year ${nextYear} lies after today` }).waitFor();
        expect(registrations, 'nothing was sent to the ledger').to.deep.equal([]);

        // The same utility model at its last possible day is registered.
        await form.locator('input[name=registryNumber]').fill('ZL202020123456.8');
        await expiry.fill('2030-12-31');
        await form.getByRole('button', { name: 'Register asset' }).click();
        await toast(suzhou, /IP asset registered/);
        expect(registrations).to.have.length(1);
        const assets = await apiAs<{ items: Array<{ title: string; expiryDate: string }> }>(suzhou, 'GET', `/ip-assets?ownerId=${await ownerIdOf(suzhou)}`);
        expect(assets.items.find((a) => a.title === 'Clamping fixture (utility model)')?.expiryDate).to.equal('2030-12-31');
    });

    it('offers the appraiser a valuation only in the currency of the asset\'s open pledges, and stores no report for one the ledger would refuse', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const [suzhouId, jiangnanId] = [await ownerIdOf(suzhou), await ownerIdOf(jiangnan)];
        const assetId = await valuedPatent(suzhou, appraiser, 'ZL202310888006.6', 'Pump impeller casting');
        const uploads = requestsTo(appraiser, 'POST', /^\/api\/v1\/documents$/);
        const valuations = requestsTo(appraiser, 'POST', /\/valuations$/);
        const row = () => appraiser.locator('#valuation-assets tbody tr', { hasText: 'Pump impeller casting' });

        // Unpledged: any currency.
        await open(appraiser, `/valuations?ownerId=${encodeURIComponent(suzhouId)}`, '/valuations');
        expect(await row().locator('select[name=currency] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).to.include.members(['CNY', 'USD', 'EUR']);

        // A pledge in CNY is requested while the page is open: a valuation in USD is refused before the report is stored.
        await apiAs(suzhou, 'POST', '/pledges', { assetId, pledgeeId: jiangnanId, securedAmount: '1000000', currency: 'CNY', termStart: TODAY, termEnd: '2030-12-31' });
        const form = row().locator('form');
        await form.locator('select[name=currency]').selectOption('USD');
        await form.locator('input[name=amount]').fill('150,000');
        await form.locator('input[name=report]').setInputFiles({ name: 'appraisal.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 appraisal in USD') });
        await form.getByRole('button', { name: 'Record valuation' }).click();
        await form.locator('.error[role=alert]').waitFor();
        expect(await form.locator('.error[role=alert]').textContent()).to.contain(
            'Pump impeller casting has requested or active pledges in CNY: a valuation in USD could not measure them. Value it in CNY while they are requested or active.',
        );
        expect(uploads, 'no report was stored').to.deep.equal([]);
        expect(valuations).to.deep.equal([]);

        // Opened again, the form offers CNY only, and says why; a valuation in CNY is recorded.
        await open(appraiser, `/valuations?ownerId=${encodeURIComponent(suzhouId)}`, '/valuations');
        const again = row().locator('form');
        expect(await again.locator('select[name=currency] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).to.deep.equal(['CNY']);
        expect(await again.locator('.valuation-currency').textContent()).to.equal('In CNY, the currency of its requested or active pledges, whose loan-to-value it measures.');
        await again.locator('input[name=amount]').fill('1,200,000');
        await again.locator('input[name=report]').setInputFiles({ name: 'appraisal.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 appraisal in CNY') });
        await again.getByRole('button', { name: 'Record valuation' }).click();
        await toast(appraiser, /Valuation recorded/);
        expect(uploads).to.have.length(1);
        expect((await apiAs<{ valuation?: { amount: string; currency: string } }>(appraiser, 'GET', `/ip-assets/${assetId}`)).valuation).to.include({ amount: '120000000', currency: 'CNY' });
    });

    it('lets a supplier that is the buyer dispute and then confirm an invoice, and its seller acknowledge payment, with no stale dispute reason', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');

        // Hangzhou sells to Suzhou, another supplier, through the form.
        await open(hangzhou, '/receivables');
        const register = hangzhou.locator('#register-receivable');
        await register.locator('select[name=buyerId]').selectOption({ label: 'Suzhou Precision Castings Co., Ltd. (supplier)' });
        await register.locator('input[name=invoiceNumber]').fill('HZ-SUP-0001');
        await register.locator('input[name=amount]').fill('12,000.00');
        await register.locator('input[name=document]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 invoice HZ-SUP-0001') });
        await register.getByRole('button', { name: 'Register receivable' }).click();
        await toast(hangzhou, /Receivable registered/);

        // Suzhou, the buyer, finds it on its own Receivables page, disputes it, then confirms it after all.
        await open(suzhou, '/receivables');
        const owed = suzhou.locator('#owed-receivables tbody tr', { hasText: 'HZ-SUP-0001' });
        expect(await owed.textContent()).to.contain('Hangzhou Fastener Works').and.contain('CNY 12,000.00');
        await owed.getByRole('textbox').fill('Goods damaged in transit');
        await owed.getByRole('button', { name: 'Dispute' }).click();
        await toast(suzhou, /Receivable disputed/);
        const disputed = suzhou.locator('#owed-receivables tbody tr', { hasText: 'HZ-SUP-0001' });
        await disputed.locator('.badge', { hasText: 'Disputed' }).waitFor();
        expect(await disputed.textContent()).to.contain('Goods damaged in transit');
        expect(await disputed.getByRole('button', { name: 'Dispute' }).count(), 'a disputed receivable cannot be disputed again').to.equal(0);
        await disputed.getByRole('button', { name: 'Confirm' }).click();
        const question = disputed.locator('.confirm');
        expect(await question.textContent()).to.contain('You disputed it').and.contain('“Goods damaged in transit”').and.contain('acknowledges the debt');
        await question.getByRole('button', { name: 'Yes, confirm' }).click();
        await toast(suzhou, /Invoice HZ-SUP-0001 confirmed: the dispute is withdrawn/);
        const confirmed = suzhou.locator('#owed-receivables tbody tr', { hasText: 'HZ-SUP-0001' });
        await confirmed.locator('.badge', { hasText: 'Confirmed' }).waitFor();
        expect(await confirmed.textContent(), 'the withdrawn dispute is not shown').not.to.contain('Goods damaged');

        // Hangzhou, the seller, acknowledges payment received outside any note.
        await open(hangzhou, '/receivables');
        const mine = hangzhou.locator('#receivables tbody tr', { hasText: 'HZ-SUP-0001' });
        expect(await mine.textContent()).not.to.contain('Goods damaged');
        await mine.getByRole('button', { name: 'Acknowledge payment' }).click();
        expect(await mine.locator('.confirm').textContent()).to.contain('Acknowledge that Suzhou Precision Castings Co., Ltd. paid you CNY 12,000.00 of invoice HZ-SUP-0001 outside any note?');
        await mine.locator('.confirm').getByRole('button', { name: 'Yes, acknowledge payment' }).click();
        await toast(hangzhou, /Payment of CNY 12,000\.00 acknowledged: invoice HZ-SUP-0001 is settled\./);
        const settled = hangzhou.locator('#receivables tbody tr', { hasText: 'HZ-SUP-0001' });
        await settled.locator('.badge', { hasText: 'Settled' }).waitFor();
        expect(await settled.textContent()).not.to.contain('Goods damaged');
        expect(await settled.getByRole('button', { name: 'Acknowledge payment' }).count(), 'nothing is left to acknowledge').to.equal(0);

        // A core enterprise may confirm a receivable it disputed, too, from its confirmations page.
        const cid = await uploadAs(suzhou, '%PDF-1.4 invoice SZ-CORE-0001');
        const receivable = await apiAs<{ id: string }>(suzhou, 'POST', '/receivables', { buyerId: await ownerIdOf(huadong), invoiceNumber: 'SZ-CORE-0001', amount: '500000', currency: 'CNY', issueDate: TODAY, dueDate: addDays(new Date(), 60), documentCid: cid });
        await apiAs(huadong, 'POST', `/receivables/${receivable.id}/dispute`, { reason: 'Quantity short' }, 200);
        await open(huadong, '/confirmations');
        const row = huadong.locator('#receivables tbody tr', { hasText: 'SZ-CORE-0001' });
        await row.getByRole('button', { name: 'Confirm' }).click();
        await row.locator('.confirm').getByRole('button', { name: 'Yes, confirm' }).click();
        await toast(huadong, /Invoice SZ-CORE-0001 confirmed/);
        await huadong.locator('#receivables tbody tr', { hasText: 'SZ-CORE-0001' }).locator('.badge', { hasText: 'Confirmed' }).waitFor();
    });

    it('sets the scene for the ledger\'s date: a pledge whose term starts later, one realised asset, a short request, a right about to expire', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const [jiangnanId, pudongId] = [await ownerIdOf(jiangnan), await ownerIdOf(pudong)];
        const request = (assetId: string, pledgeeId: string, fields: Record<string, unknown>) => ({ assetId, pledgeeId, securedAmount: '1000000', currency: 'CNY', termStart: TODAY, termEnd: '2030-12-31', ...fields });

        // A pledge accepted before its term starts (in 10 days): enforcement waits for the start.
        const later = await valuedPatent(suzhou, appraiser, 'ZL202310888003.2', 'Gearbox housing casting');
        termStartsLater = addDays(new Date(), 10);
        const laterPledge = await apiAs<Pledge>(suzhou, 'POST', '/pledges', request(later, jiangnanId, { termStart: termStartsLater, allowJunior: true }));
        await apiAs(jiangnan, 'POST', `/pledges/${laterPledge.id}/accept`, {}, 200);
        // A junior request whose term ends in 5 days, left for Pudong to decide.
        shortTermPledge = (await apiAs<Pledge>(suzhou, 'POST', '/pledges', request(later, pudongId, { priority: 2, termEnd: addDays(new Date(), 5) }))).id;

        await open(jiangnan, '/pledges');
        const notYet = jiangnan.locator('#pledges tbody tr', { hasText: 'Gearbox housing casting' });
        const enforce = notYet.getByRole('button', { name: 'Enforce' });
        expect(await enforce.isDisabled(), 'no enforcement before the term starts').to.equal(true);
        expect(await enforce.getAttribute('title')).to.equal(`Enforceable from ${termStartsLater}, when the pledge's term starts.`);
        expect(await notYet.textContent()).to.contain(`Enforceable from ${termStartsLater}`);
        expect(await notYet.getByRole('button', { name: 'Release' }).isDisabled()).to.equal(false);

        // An asset realised by enforcement: the junior request on it can no longer be accepted.
        const realised = await valuedPatent(suzhou, appraiser, 'ZL202310888004.7', 'Turbine blade coating');
        const senior = await apiAs<Pledge>(suzhou, 'POST', '/pledges', request(realised, jiangnanId, { allowJunior: true }));
        await apiAs(jiangnan, 'POST', `/pledges/${senior.id}/accept`, {}, 200);
        await apiAs(suzhou, 'POST', '/pledges', request(realised, pudongId, { priority: 2 }));
        await apiAs(jiangnan, 'POST', `/pledges/${senior.id}/enforce`, { reason: 'Loan in default' }, 200);
        await open(pudong, '/pledges');
        const onRealised = pudong.locator('#pledges tbody tr', { hasText: 'Turbine blade coating' });
        const accept = onRealised.getByRole('button', { name: 'Accept' });
        expect(await accept.isDisabled(), 'no acceptance on a realised asset').to.equal(true);
        expect(await accept.getAttribute('title')).to.match(/^The asset was realised by the enforcement of a pledge on \d{4}-\d{2}-\d{2}: it cannot be pledged again\.$/);
        expect(await onRealised.getByRole('button', { name: 'Reject' }).isDisabled(), 'rejecting still works').to.equal(false);
        // The short request can still be accepted today.
        expect(await pudong.locator('#pledges tbody tr', { hasText: 'Gearbox housing casting' }).getByRole('button', { name: 'Accept' }).isDisabled()).to.equal(false);

        // A right that expires in 15 days: offered to pledge today.
        shortRightExpiry = addDays(new Date(), 15);
        await valuedPatent(suzhou, appraiser, 'ZL202310888005.1', 'Short-lived mould insert', '100000000', shortRightExpiry);
        await open(suzhou, '/ip');
        expect(await suzhou.locator('#request-pledge select[name=assetId] option', { hasText: 'Short-lived mould insert' }).count()).to.equal(1);

        // Three weeks on, by the ledger's clock only.
        await suite.gateway.stop();
        suite.gateway = await startGateway({ dataDir: suite.dataDir, clockOffsetDays: 21 });
    });

    it('judges by the ledger\'s date three weeks on: the term started (enforce), the request lapsed (no accept), the right expired (neither pledged nor valued)', async function () {
        this.timeout(180_000);
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');

        await open(jiangnan, '/pledges');
        const started = jiangnan.locator('#pledges tbody tr', { hasText: 'Gearbox housing casting' });
        expect(await started.getByRole('button', { name: 'Enforce' }).isDisabled(), 'the term has started').to.equal(false);

        await open(pudong, '/pledges');
        const lapsed = pudong.locator(`#pledges tbody tr`, { hasText: 'Gearbox housing casting' });
        const accept = lapsed.getByRole('button', { name: 'Accept' });
        expect(await accept.isDisabled(), 'the term of the request has ended').to.equal(true);
        expect(await accept.getAttribute('title')).to.contain('The term ended on').and.contain('the ledger no longer accepts this pledge');
        // What the ledger answers, for the record: the button was right.
        const refusal = await pudong.evaluate(async (id) => {
            const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
            const response = await fetch(`/api/v1/pledges/${id}/accept`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
            return { status: response.status, code: ((await response.json()) as { code?: string }).code };
        }, shortTermPledge);
        expect(refusal).to.deep.equal({ status: 409, code: 'EXPIRED' });

        await open(suzhou, '/ip');
        expect(await suzhou.locator('#request-pledge select[name=assetId] option', { hasText: 'Short-lived mould insert' }).count(), 'an expired right is not offered').to.equal(0);
        // Another asset can still be pledged, so the form stands and names what it does not offer.
        expect(await suzhou.locator('#request-pledge').textContent()).to.contain(`Short-lived mould insert (the right expired on ${shortRightExpiry}: a pledge's term must end by the right's expiry)`);

        // Nor is it offered to the appraiser, who reads why; a right in force still is.
        await open(appraiser, `/valuations?ownerId=${encodeURIComponent(await ownerIdOf(suzhou))}`, '/valuations');
        const expired = appraiser.locator('#valuation-assets tbody tr', { hasText: 'Short-lived mould insert' });
        expect(await expired.locator('form').count(), 'an expired right is not offered for valuation').to.equal(0);
        expect(await expired.locator('.valuation-refused').textContent()).to.equal(
            `Cannot be valued: the right expired on ${shortRightExpiry}: a right no longer in force is worth nothing as collateral and cannot be valued.`,
        );
        expect(await appraiser.locator('#valuation-assets tbody tr', { hasText: 'Gearbox housing casting' }).locator('form').count()).to.equal(1);
    });
});
