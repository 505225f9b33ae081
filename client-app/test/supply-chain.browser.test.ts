import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { usccCheckCharacter } from '../../chaincode/src/enterprise/identifiers';
import { addCalendarMonths } from '../../chaincode/src/note/tenor';
import { addDays, daysUntil, formatMinorUnits } from '../src/format';
import { SCREENSHOTS, launchBrowser, open, screenshot, screenshotAll, signIn } from './support/browser';
import { RunningGateway, startGateway } from './support/gateway';
import { apiAs, minorOf, ownerIdOf, toast } from './support/page-api';

/**
 * The client app in Debian's Chromium against the real gateway (embedded ledger, demo seed).
 * The tests follow one story and run in order: the ledger state of each builds on the previous.
 */

/** An instant `ms` from now, ISO-8601. */
function inMs(ms: number): string {
    return new Date(new Date().getTime() + ms).toISOString();
}

/** Waits until a second after `instant` (ISO-8601). */
async function waitPast(instant: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(instant) + 1_000 - new Date().getTime())));
}

describe('client app in the browser', function () {
    let dataDir: string;
    let gateway: RunningGateway;
    let browser: Browser | undefined;
    let rootNoteId = '';
    let rootFace = '';
    let transferredAmount = '';
    let maturityDate = '';
    let invoiceNoteId = '';

    before(async function () {
        this.timeout(180_000);
        rmSync(path.join(SCREENSHOTS, 'failures'), { recursive: true, force: true });
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-browser-'));
        gateway = await startGateway({ dataDir });
        browser = await launchBrowser();
    });

    after(async function () {
        this.timeout(60_000);
        await browser?.close();
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    afterEach(async function () {
        if (this.currentTest?.state === 'failed') {
            await screenshotAll(browser, (this.currentTest.title ?? 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
        }
        // One story, one set of pages per test.
        for (const context of browser?.contexts() ?? []) {
            await context.close();
        }
    });

    it('shows each user the views of their role only', async function () {
        const b = browser as Browser;
        const expectations: Array<[string, string[], string[]]> = [
            ['suzhou', ['My notes', 'Offers', 'Discounting', 'Receivables', 'IP & pledges', 'Passport'], ['Issue notes', 'Credit lines', 'Enterprises', 'Agreements']],
            ['huadong', ['Receivables', 'Issue notes', 'Exposure & redemption'], ['My notes', 'Credit lines', 'Enterprises']],
            ['jiangnan', ['Credit lines', 'Discount requests', 'Pledges', 'Portfolio'], ['My notes', 'Issue notes', 'Agreements']],
            ['singapore', ['Agreements', 'Verify passport'], ['My notes', 'Issue notes', 'Credit lines']],
            ['regulator', ['Enterprises', 'Warnings'], ['My notes', 'Issue notes', 'Discount requests']],
        ];
        for (const [user, visible, hidden] of expectations) {
            const page = await signIn(b, gateway.url, user);
            const nav = (await page.locator('nav a').allTextContents()).map((t) => t.trim());
            expect(nav, user).to.include.members(visible);
            expect(nav, user).to.not.include.members(hidden);
            await screenshot(page, `dashboard-${user}`);
        }

        // The credit profile on a supplier's dashboard: score, reasons, warning level.
        const supplier = await signIn(b, gateway.url, 'suzhou');
        await supplier.locator('#credit-profile .score').waitFor();
        expect(Number(await supplier.locator('#credit-profile .score').textContent())).to.be.within(0, 1000);
        expect(await supplier.locator('#warning-level').textContent()).to.match(/None|Red|Yellow|Blue/);
        // Its recent events: the newest the live feed has received, also those that arrived while the dashboard loaded.
        await supplier.locator('#event-feed li').first().waitFor();
        await supplier.locator('#dashboard-events li').first().waitFor({ timeout: 5_000 });
        expect(await supplier.locator('#dashboard-events li').first().textContent()).to.equal(await supplier.locator('#event-feed li').first().textContent());

        // Core enterprise views: receivables to confirm, credit line with remaining limit, exposure.
        const core = await signIn(b, gateway.url, 'huadong');
        await open(core, '/confirmations');
        await core.locator('#receivables').waitFor();
        await screenshot(core, 'core-receivables');
        await open(core, '/issue');
        expect(await core.locator('#credit-lines .remaining').first().textContent()).to.match(/^CNY [\d,]+\.\d{2}$/);
        await screenshot(core, 'core-issue');

        // Regulator: an enterprise with its profile and audit pack.
        const regulator = await signIn(b, gateway.url, 'regulator');
        await open(regulator, '/enterprises');
        await regulator.locator('#enterprises a', { hasText: 'Suzhou' }).click();
        await regulator.waitForSelector('main[data-view="/enterprises/:id"] #credit-profile');
        await regulator.getByRole('button', { name: 'Export audit pack' }).click();
        await regulator.locator('#audit-result a', { hasText: 'Download audit pack' }).waitFor();
        await screenshot(regulator, 'regulator-enterprise');
        await open(regulator, '/warnings?level=NONE', '/warnings');
        await screenshot(regulator, 'regulator-warnings');
    });

    it('lets a supplier split a note and transfer part to a tier-2 supplier who accepts it', async function () {
        const b = browser as Browser;
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const firstRow = suzhou.locator('#holdings tbody tr').first();
        const face = minorOf((await firstRow.locator('.money').textContent()) ?? '');
        rootFace = face;
        rootNoteId = (await firstRow.locator('code.id').getAttribute('title')) ?? '';
        expect(rootNoteId).to.match(/^N-/);
        maturityDate = /\d{4}-\d{2}-\d{2}/.exec((await firstRow.locator('td').nth(2).textContent()) ?? '')?.[0] ?? '';
        expect(maturityDate).to.not.equal('');
        await screenshot(suzhou, 'supplier-notes');

        // Split into 60 % and the rest.
        const part = ((BigInt(face) * 60n) / 100n).toString();
        const rest = (BigInt(face) - BigInt(part)).toString();
        await firstRow.getByRole('button', { name: 'Split' }).click();
        // One amount, even the whole note, is not a split: the box says so as it is typed, and refuses it.
        const splitCheck = suzhou.locator('form[data-panel=split] .split-check');
        await suzhou.fill('form[data-panel=split] input[name=amounts]', formatMinorUnits(face, 2));
        expect(await splitCheck.textContent()).to.match(/^Only one amount read \(CNY [\d,.]+\): a split needs at least two\./);
        await suzhou.getByRole('button', { name: 'Split note' }).click();
        await suzhou.locator('form[data-panel=split] .error', { hasText: 'Only one amount read' }).waitFor();
        await suzhou.fill('form[data-panel=split] input[name=amounts]', `${formatMinorUnits(part, 2)}; ${formatMinorUnits(rest, 2)}`);
        expect(await suzhou.locator('form[data-panel=split] .hint').last().textContent()).to.match(/✓ 2 parts add up/);
        await suzhou.getByRole('button', { name: 'Split note' }).click();
        await toast(suzhou, /Split into 2 notes/);
        await suzhou.locator('#holdings tbody tr').nth(1).waitFor();
        expect(await suzhou.locator('#holdings tbody tr').count()).to.equal(2);

        // Offer part of the larger child to Hangzhou (tier 2).
        const row = suzhou.locator('#holdings tbody tr', { hasText: formatMinorUnits(part, 2) });
        await row.getByRole('button', { name: 'Transfer' }).click();
        const transferForm = suzhou.locator('form[data-panel=transfer]');
        // No recipient is chosen until the holder picks one: an amount and Enter send nothing.
        const offersSent: string[] = [];
        suzhou.on('request', (request) => {
            if (request.method() === 'POST' && request.url().includes('/api/v1/offers')) {
                offersSent.push(request.url());
            }
        });
        expect(await transferForm.locator('select[name=toId]').inputValue()).to.equal('');
        await transferForm.locator('input[name=amount]').fill('1.00');
        await transferForm.locator('input[name=amount]').press('Enter');
        await transferForm.locator('.error', { hasText: 'Choose the supplier to offer the note to.' }).waitFor();
        expect(offersSent, 'no offer sent without a recipient').to.deep.equal([]);
        await transferForm.locator('input[name=amount]').fill('');
        const hangzhouId = await suzhou.locator('form[data-panel=transfer] select[name=toId] option', { hasText: 'Hangzhou' }).getAttribute('value');
        await suzhou.selectOption('form[data-panel=transfer] select[name=toId]', hangzhouId ?? '');
        transferredAmount = ((BigInt(part) * 2n) / 3n).toString();
        // An error stays only until the next try: then the form says in words what is wrong now.
        await suzhou.getByRole('button', { name: 'Offer transfer' }).click();
        await transferForm.locator('.error', { hasText: 'Enter an amount.' }).waitFor();
        await suzhou.fill('form[data-panel=transfer] input[name=amount]', formatMinorUnits(transferredAmount, 2));
        await suzhou.fill('form[data-panel=transfer] input[name=days]', '31');
        await suzhou.getByRole('button', { name: 'Offer transfer' }).click();
        await transferForm.locator('.error', { hasText: 'An offer can be valid for 1 to 30 whole days.' }).waitFor();
        expect(await transferForm.locator('.error').count()).to.equal(1);
        await suzhou.fill('form[data-panel=transfer] input[name=days]', '7');
        await suzhou.getByRole('button', { name: 'Offer transfer' }).click();
        await toast(suzhou, /Offer sent/);

        const hangzhou = await signIn(b, gateway.url, 'hangzhou');
        await open(hangzhou, '/offers');
        const offer = hangzhou.locator('#incoming-offers tbody tr', { hasText: 'Suzhou' });
        expect(await offer.textContent()).to.contain(formatMinorUnits(transferredAmount, 2));
        // The recipient may read the offered note while the offer is pending: who owes it, and when.
        expect(await offer.locator('.offered-note').textContent()).to.match(/issued by Huadong[^·]*· matures \d{4}-\d{2}-\d{2}/);
        // The live feed tells the recipient the same: the amount with its currency, the sender by name.
        const offered = hangzhou.locator('#event-feed li[data-event=OfferTransfer]').first();
        await offered.waitFor();
        expect(await offered.textContent()).to.contain(`CNY ${formatMinorUnits(transferredAmount, 2)} · from Suzhou Precision Castings Co., Ltd. · to Hangzhou Fastener Works Co., Ltd.`);
        await screenshot(hangzhou, 'supplier-offers');
        await offer.getByRole('button', { name: 'Accept' }).click();
        await toast(hangzhou, /Offer accepted/);
        await hangzhou.locator('#incoming-offers .badge', { hasText: 'Accepted' }).waitFor();

        await open(hangzhou, '/notes');
        const held = hangzhou.locator('#holdings tbody tr').first();
        expect(minorOf((await held.locator('.money').textContent()) ?? '')).to.equal(transferredAmount);
        expect(await held.textContent()).to.contain('tier 2');
        const heldId = (await held.locator('code.id').getAttribute('title')) ?? '';
        expect(heldId).to.match(/^N-/);

        // The accepted offer links to the note the recipient received, not to the sender's spent note.
        await open(hangzhou, '/offers');
        const accepted = hangzhou.locator('#incoming-offers tbody tr', { hasText: 'Accepted' }).locator('.offered-note');
        expect(await accepted.locator('a').getAttribute('href')).to.equal(`#/provenance/${encodeURIComponent(heldId)}`);
        expect(await accepted.locator('code.id').getAttribute('title')).to.equal(heldId);
        await open(hangzhou, '/notes');

        // The provenance tree, drawn as SVG, from the tier-2 fragment up to the root. The ancestors
        // are Suzhou's, which Hangzhou may not read: drawn from the chain, never asked for, not linked.
        const notesRead: string[] = [];
        hangzhou.on('request', (request) => {
            const match = /\/api\/v1\/notes\/([^/?]+)$/.exec(new URL(request.url()).pathname);
            if (request.method() === 'GET' && match) {
                notesRead.push(decodeURIComponent(match[1]));
            }
        });
        await held.locator('a').first().click();
        await hangzhou.waitForSelector('#provenance-tree');
        expect(await hangzhou.locator('#provenance-tree .node').count()).to.equal(3);
        expect(await hangzhou.locator('#conservation').textContent()).to.contain('amounts add up');
        expect(notesRead, 'only the note Hangzhou holds is read').to.deep.equal([heldId]);
        expect(await hangzhou.locator('#provenance-tree a.node').count()).to.equal(1);
        expect(await hangzhou.locator('#provenance-tree a.node').getAttribute('data-note-id')).to.equal(heldId);
        expect(await hangzhou.locator('#provenance-tree g.node.unlinked').count()).to.equal(2);
        expect(await hangzhou.locator(`#provenance-tree g.node.unlinked[data-note-id="${rootNoteId}"] text.holder`).textContent()).to.contain('Suzhou');
        await screenshot(hangzhou, 'provenance-tree');

        await open(suzhou, '/offers');
        await suzhou.locator('#outgoing-offers .badge', { hasText: 'Accepted' }).waitFor();
        await open(suzhou, `/provenance/${rootNoteId}`, '/provenance/:id');
        await suzhou.waitForSelector('#provenance-tree');
        expect(await suzhou.locator('#provenance-tree .node').count()).to.equal(5); // root, 2 split children, transfer + change
        await screenshot(suzhou, 'provenance-tree-root');
    });

    it('shows a pending offer past its expiry as lapsed, and lets its recipient mark it expired so the note is free again', async function () {
        this.timeout(60_000);
        const b = browser as Browser;
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        const hangzhou = await signIn(b, gateway.url, 'hangzhou');
        const hangzhouId = await ownerIdOf(hangzhou);
        // The app offers for whole days; a few seconds' offer is made through the API, as another client would.
        const notes = await apiAs<{ items: Array<{ id: string; amount: string; status: string }> }>(suzhou, 'GET', `/notes?holderId=${await ownerIdOf(suzhou)}&limit=500`);
        const note = notes.items.find((n) => n.status === 'ACTIVE');
        expect(note, 'Suzhou holds an active note').to.not.equal(undefined);
        const noteId = note!.id;
        const expiresAt = inMs(4_000);
        await apiAs(suzhou, 'POST', '/offers', { noteId, toId: hangzhouId, amount: note!.amount, expiresAt });
        await open(suzhou, '/notes');
        const lockedRow = suzhou.locator(`#holdings tbody tr:has(code[title="${noteId}"])`);
        expect(await lockedRow.locator('.badge').textContent()).to.equal('Locked');
        // Why it is locked, and the way to unlock it.
        expect(await lockedRow.locator('.lock-reason').textContent()).to.match(/^Transfer offer of CNY [\d,.]+ to Hangzhou Fastener Works Co\., Ltd\. pending until .*you cancel it\./);
        expect(await lockedRow.locator('.lock-reason').getByRole('button', { name: 'Cancel offer' }).count()).to.equal(1);
        await waitPast(expiresAt);

        await open(hangzhou, '/offers');
        const offer = hangzhou.locator('#incoming-offers tbody tr', { hasText: 'Lapsed' });
        expect(await offer.count()).to.equal(1);
        expect(await offer.getByRole('button', { name: 'Accept' }).count()).to.equal(0);
        await screenshot(hangzhou, 'supplier-offer-lapsed');
        await offer.getByRole('button', { name: 'Mark expired' }).click();
        await toast(hangzhou, /Offer marked expired; the note is back with Suzhou/);
        await hangzhou.locator('#incoming-offers .badge', { hasText: 'Expired' }).waitFor();

        await open(suzhou, '/offers');
        await suzhou.locator('#outgoing-offers .badge', { hasText: 'Expired' }).waitFor();
        await open(suzhou, '/notes');
        expect(await suzhou.locator(`#holdings tbody tr:has(code[title="${noteId}"])`).locator('.badge').textContent()).to.equal('Active');
    });

    it('shows a credit line past its expiry as expired, and leaves it out of the lines a note can draw on', async function () {
        this.timeout(60_000);
        const b = browser as Browser;
        const core = await signIn(b, gateway.url, 'huadong');
        const coreId = await ownerIdOf(core);
        const bank = await signIn(b, gateway.url, 'jiangnan');
        const expiresAt = inMs(4_000);
        const lineId = (await apiAs<{ id: string }>(bank, 'POST', '/credit-lines', { coreEnterpriseId: coreId, currency: 'CNY', limit: '10000000', expiresAt })).id;
        await open(core, '/issue');
        expect(await core.locator(`#credit-lines tbody tr:has(code[title="${lineId}"]) .badge`).textContent()).to.equal('Active');
        expect(await core.locator(`select[name=creditLineId] option[value="${lineId}"]`).count()).to.equal(1);
        await waitPast(expiresAt);

        await open(core, '/issue');
        expect(await core.locator(`#credit-lines tbody tr:has(code[title="${lineId}"]) .badge`).textContent()).to.equal('Expired');
        expect(await core.locator(`select[name=creditLineId] option[value="${lineId}"]`).count()).to.equal(0);
        expect(await core.locator('select[name=creditLineId] option').count()).to.be.at.least(1);
        await open(bank, '/credit-lines');
        expect(await bank.locator(`#credit-lines tbody tr:has(code[title="${lineId}"]) .badge`).textContent()).to.equal('Expired');
    });

    it('lets the tier-2 supplier discount the note with the bank, comparing the quote first', async function () {
        const b = browser as Browser;
        const hangzhou = await signIn(b, gateway.url, 'hangzhou');
        await open(hangzhou, '/notes');
        await hangzhou.locator('#holdings tbody tr').first().getByRole('button', { name: 'Discount' }).click();
        await hangzhou.locator('form[data-panel=discount] label', { hasText: 'Bank of Jiangnan' }).locator('input').check();
        await hangzhou.getByRole('button', { name: 'Ask for quotes' }).click();
        await toast(hangzhou, /Discount request sent/);
        // The note is locked while quotes are asked for: the row says so and how to unlock it.
        const locked = hangzhou.locator('#holdings tbody tr').first();
        await locked.locator('.lock-reason[data-lock=DISCOUNT]').waitFor();
        expect(await locked.locator('.lock-reason').textContent()).to.contain('Discount quotes asked from Bank of Jiangnan. The note stays locked until you accept a quote or withdraw the request.');
        expect(await locked.getByRole('button', { name: 'Withdraw request' }).count()).to.equal(1);
        expect(await locked.getByRole('button', { name: 'Split' }).isDisabled()).to.equal(true);

        const bank = await signIn(b, gateway.url, 'jiangnan');
        await open(bank, '/quote-requests');
        const request = bank.locator('.card', { hasText: 'Request from Hangzhou' });
        await request.locator('input[name=rate]').fill('3.6');
        await request.locator('input[name=fee]').fill('100');
        await request.getByRole('button', { name: 'Submit quote' }).click();
        await toast(bank, /Quote submitted/);
        await bank.locator('.card', { hasText: 'Your quote: 3.60 % p.a.' }).waitFor();
        await screenshot(bank, 'financier-quote-requests');

        await open(hangzhou, '/discounts');
        const quote = hangzhou.locator('table.quotes tbody tr', { hasText: 'Bank of Jiangnan' });
        const cells = await quote.locator('td').allTextContents();
        expect(cells[1]).to.equal('3.60 %');
        const price = minorOf(cells[5]);
        expect(BigInt(price) < BigInt(transferredAmount)).to.equal(true);
        expect(cells[6]).to.match(/^\d+\.\d{2} %$/);
        expect(Number.parseFloat(cells[6])).to.be.greaterThan(3.6); // the fee and discounting push it above the quoted rate
        await screenshot(hangzhou, 'supplier-discounts');
        await quote.getByRole('button', { name: 'Accept quote' }).click();
        // Selling the note cannot be undone: the page asks first.
        expect(await quote.locator('.confirm .question').textContent()).to.contain('this cannot be undone');
        await quote.getByRole('button', { name: 'Yes, accept quote' }).click();
        await toast(hangzhou, /Discounted: you receive CNY/);

        await open(bank, '/portfolio');
        const funded = bank.locator('#portfolio-notes tbody tr').first();
        expect(minorOf((await funded.locator('.money').textContent()) ?? '')).to.equal(transferredAmount);
        expect((await funded.locator('td').allTextContents())[4]).to.equal('3');
        await screenshot(bank, 'financier-portfolio');
        await open(bank, '/credit-lines');
        await screenshot(bank, 'financier-credit-lines');
    });

    it('lets the foreign partner verify a passport offline and recognise it', async function () {
        const b = browser as Browser;
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        const link = (await suzhou.locator('#passport-link').getAttribute('href')) ?? '';
        const json = (await suzhou.locator('#passport-json').textContent()) ?? '';
        expect(link).to.match(/#\/verify\?p=[A-Za-z0-9_-]+$/);
        await screenshot(suzhou, 'passport');

        const partner = await signIn(b, gateway.url, 'singapore');
        await open(partner, '/agreements');
        await partner.locator('#agreements .badge', { hasText: 'Active' }).waitFor();
        await screenshot(partner, 'partner-agreements');

        // A tampered passport fails in the browser and the ledger is never asked.
        const ledgerCalls: string[] = [];
        partner.on('request', (r) => {
            if (r.url().includes('/passports/verify')) {
                ledgerCalls.push(r.url());
            }
        });
        await open(partner, '/verify');
        const tampered = JSON.parse(json) as { attestation: { score: number } };
        tampered.attestation.score = tampered.attestation.score === 1000 ? 999 : tampered.attestation.score + 1;
        await partner.fill('#passport-input', JSON.stringify(tampered));
        await partner.getByRole('button', { name: 'Verify offline' }).click();
        await partner.locator('#offline-verdict', { hasText: 'Not a valid passport' }).waitFor();
        expect(await partner.locator('#offline-verdict li.bad').first().textContent()).to.contain('Issuer key');
        expect(ledgerCalls).to.deep.equal([]);
        await screenshot(partner, 'partner-verify-tampered');

        // The genuine passport, opened from its QR link.
        await partner.goto(link.replace(/^.*#/, '/#'));
        await partner.locator('#offline-verdict', { hasText: 'Authentic passport (checked offline)' }).waitFor();
        expect(await partner.locator('#offline-verdict li.ok').count()).to.equal(4);
        await partner.locator('#ledger-verdict', { hasText: 'Anchored and valid on the ledger' }).waitFor();
        expect(ledgerCalls).to.have.length(1);
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised', { hasText: 'maps to your grade' }).waitFor();
        await screenshot(partner, 'partner-verify');

        await open(partner, '/agreements');
        await partner.locator('#recognitions tbody tr', { hasText: 'Suzhou' }).waitFor();
    });

    it('shows agreements past their validity as lapsed: a proposed one can no longer be accepted', async function () {
        this.timeout(60_000);
        const b = browser as Browser;
        const partner = await signIn(b, gateway.url, 'singapore');
        const partnerId = await ownerIdOf(partner);
        const admin = await signIn(b, gateway.url, 'admin');
        const validUntil = inMs(5_000);
        const terms = { partnerId, partnerMspId: 'PartnerMSP', gradeScale: [{ minScore: 0, grade: 'C' }, { minScore: 700, grade: 'A' }], validFrom: inMs(-60_000), validUntil };
        const accepted = (await apiAs<{ id: string }>(admin, 'POST', '/agreements', terms)).id;
        const proposed = (await apiAs<{ id: string }>(admin, 'POST', '/agreements', terms)).id;
        await apiAs(partner, 'POST', `/agreements/${accepted}/accept`, {}, 200);
        await open(partner, '/agreements');
        const row = (id: string) => partner.locator(`#agreements tbody tr:has(code[title="${id}"])`);
        expect(await row(accepted).locator('.badge').textContent()).to.equal('Active');
        expect(await row(proposed).getByRole('button', { name: 'Accept' }).count()).to.equal(1);
        await waitPast(validUntil);

        await open(partner, '/agreements');
        expect(await row(accepted).locator('.badge').textContent()).to.equal('Lapsed');
        expect(await row(proposed).locator('.badge').textContent()).to.equal('Lapsed');
        expect(await row(proposed).getByRole('button', { name: 'Accept' }).count()).to.equal(0);
        // The demo agreement is still in force and still listed as such.
        expect(await partner.locator('#agreements .badge', { hasText: /^Active$/ }).count()).to.be.at.least(1);
    });

    it('shows a clear error when a user attempts what their role or position does not allow', async function () {
        const b = browser as Browser;
        // A tier-2 supplier may read its own fragment's chain, not the root it was never a holder of.
        const hangzhou = await signIn(b, gateway.url, 'hangzhou');
        await open(hangzhou, `/provenance/${rootNoteId}`, '/provenance/:id');
        const alert = hangzhou.locator('main .error[role=alert]');
        await alert.waitFor();
        expect(await alert.getAttribute('data-code')).to.equal('FORBIDDEN');
        expect(await alert.textContent()).to.contain('You are not allowed to do this');
        await screenshot(hangzhou, 'error-forbidden');

        // A supplier opening a core-enterprise page is told whose page it is.
        await open(hangzhou, '/issue');
        expect(await hangzhou.locator('main .error[role=alert]').textContent()).to.contain('This page is for core enterprise users');

        // The core enterprise cannot redeem before maturity: the button says from when it can.
        const core = await signIn(b, gateway.url, 'huadong');
        await open(core, '/exposure');
        const early = core.locator(`[data-root-id="${rootNoteId}"]`);
        expect(await early.getByRole('button', { name: 'Redeem' }).isDisabled()).to.equal(true);
        expect(await early.locator('.not-yet-hint').first().textContent()).to.match(/Redeemable from \d{4}-\d{2}-\d{2}/);

        // A wrong password.
        const context = await b.newContext({ baseURL: gateway.url });
        const login = await context.newPage();
        await login.goto('/#/');
        await login.fill('#login-form input[name=username]', 'suzhou');
        await login.fill('#login-form input[name=password]', 'wrong-password');
        await login.click('#login-form button[type=submit]');
        await login.locator('#login-form .error', { hasText: 'The user name or password is wrong.' }).waitFor();
        await screenshot(login, 'login-error');
    });

    it('registers an invoice with its document, which the core enterprise confirms and issues a note against', async function () {
        const b = browser as Browser;
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        await open(suzhou, '/receivables');
        const form = suzhou.locator('#register-receivable');
        // No buyer is chosen until the supplier picks one: registering without one sends nothing.
        const sent: string[] = [];
        suzhou.on('request', (request) => {
            if (request.method() === 'POST' && /\/api\/v1\/(documents|receivables)/.test(request.url())) {
                sent.push(request.url());
            }
        });
        expect(await form.locator('select[name=buyerId]').inputValue()).to.equal('');
        await form.locator('input[name=invoiceNumber]').fill('INV-BROWSER-0001');
        await form.locator('input[name=amount]').fill('12,345.67');
        await form.locator('input[name=document]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 browser test invoice INV-BROWSER-0001') });
        await form.getByRole('button', { name: 'Register receivable' }).click();
        await form.locator('.error', { hasText: 'Choose the buyer of the invoice.' }).waitFor();
        expect(sent, 'nothing uploaded or registered without a buyer').to.deep.equal([]);
        await form.locator('select[name=buyerId]').selectOption({ label: 'Huadong Heavy Industries Co., Ltd.' });
        await form.getByRole('button', { name: 'Register receivable' }).click();
        await toast(suzhou, /Receivable registered/);
        const mine = suzhou.locator('#receivables tbody tr', { hasText: 'INV-BROWSER-0001' });
        expect(await mine.textContent()).to.contain('CNY 12,345.67');
        await screenshot(suzhou, 'supplier-receivables');

        // Registering the same invoice again is refused as double financing, in words.
        await open(suzhou, '/receivables');
        await form.locator('select[name=buyerId]').selectOption({ label: 'Huadong Heavy Industries Co., Ltd.' });
        await form.locator('input[name=invoiceNumber]').fill('INV-BROWSER-0001');
        await form.locator('input[name=amount]').fill('12,345.67');
        await form.locator('input[name=document]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 browser test invoice INV-BROWSER-0001') });
        await form.getByRole('button', { name: 'Register receivable' }).click();
        const refusal = form.locator('.error[role=alert]');
        await refusal.waitFor();
        expect(await refusal.getAttribute('data-code')).to.equal('DOUBLE_FINANCING');
        expect(await refusal.textContent()).to.contain('cannot be financed twice');

        const core = await signIn(b, gateway.url, 'huadong');
        await open(core, '/confirmations');
        await core.locator('#receivables tbody tr', { hasText: 'INV-BROWSER-0001' }).getByRole('button', { name: 'Confirm' }).click();
        await toast(core, /Receivable confirmed/);
        await open(core, '/issue');
        // The remaining limit of the line the form draws on (the first line it offers).
        const lineId = await core.locator('#issue-note select[name=creditLineId]').inputValue();
        const remaining = core.locator(`#credit-lines tbody tr:has(code[title="${lineId}"]) .remaining`);
        const remainingBefore = minorOf((await remaining.textContent()) ?? '');
        await core.locator('#issue-note label', { hasText: 'INV-BROWSER-0001' }).locator('input').check();
        expect(await core.locator('#issue-note input[name=amount]').inputValue()).to.equal('12,345.67');
        // The maturity may lie at most 6 calendar months after the ledger's date (the day before the earliest allowed).
        const maturity = core.locator('#issue-note input[name=maturityDate]');
        const suggestedMaturity = await maturity.inputValue();
        const ledgerToday = new Date(`${await maturity.getAttribute('min')}T00:00:00Z`);
        ledgerToday.setUTCDate(ledgerToday.getUTCDate() - 1);
        const latest = addCalendarMonths(ledgerToday.toISOString().slice(0, 10), 6);
        expect(await maturity.getAttribute('max')).to.equal(latest);
        expect(await core.locator('#issue-note label.field', { has: core.locator('input[name=maturityDate]') }).locator('.hint').textContent()).to.equal(`After today and at most 6 months away: ${latest} at the latest.`);
        const afterLatest = new Date(`${latest}T00:00:00Z`);
        afterLatest.setUTCDate(afterLatest.getUTCDate() + 1);
        await maturity.fill(afterLatest.toISOString().slice(0, 10));
        await core.getByRole('button', { name: 'Issue note' }).click();
        await core.locator('#issue-note .error', { hasText: `at most 6 months (until ${latest})` }).waitFor();
        await maturity.fill(suggestedMaturity);
        await core.getByRole('button', { name: 'Issue note' }).click();
        await toast(core, /Note issued/);
        const remainingAfter = minorOf((await remaining.textContent()) ?? '');
        expect(BigInt(remainingBefore) - BigInt(remainingAfter)).to.equal(1234567n);

        await open(suzhou, '/notes');
        const invoiceNote = suzhou.locator('#holdings tbody tr', { hasText: 'CNY 12,345.67' });
        await invoiceNote.waitFor();
        invoiceNoteId = (await invoiceNote.locator('code.id').getAttribute('title')) ?? '';
    });

    it('registers an IP asset that an appraiser values and a financier accepts in pledge', async function () {
        const b = browser as Browser;
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        await open(suzhou, '/ip');
        const register = suzhou.locator('#register-ip');
        await register.locator('input[name=registryNumber]').fill('ZL202310123456.6');
        await register.locator('input[name=title]').fill('Precision casting mould cooling method');
        await register.getByRole('button', { name: 'Register asset' }).click();
        await toast(suzhou, /IP asset registered/);
        await suzhou.locator('#ip-assets tbody tr', { hasText: '202310123456.6' }).waitFor();

        // No valuation yet: the pledge form does not offer the asset, and says why.
        expect(await suzhou.locator('#request-pledge select[name=assetId] option', { hasText: '202310123456.6' }).count()).to.equal(0);
        expect(await suzhou.locator('#request-pledge-none, #request-pledge').first().textContent()).to.match(/not valued yet|must value an asset/);

        // The appraiser values it, with the report stored as a document.
        const appraiser = await signIn(b, gateway.url, 'appraiser');
        await open(appraiser, `/valuations?ownerId=${encodeURIComponent(await ownerIdOf(suzhou))}`, '/valuations');
        const valuation = appraiser.locator('#valuation-assets tbody tr', { hasText: '202310123456.6' }).locator('form');
        await valuation.locator('input[name=amount]').fill('1,000,000');
        await valuation.locator('input[name=report]').setInputFiles({ name: 'appraisal.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 appraisal of ZL202310123456.6') });
        await valuation.getByRole('button', { name: 'Record valuation' }).click();
        await toast(appraiser, /Valuation recorded/);
        await screenshot(appraiser, 'appraiser-valuations');

        await open(suzhou, '/ip');
        const pledge = suzhou.locator('#request-pledge');
        const asset = pledge.locator('select[name=assetId] option', { hasText: '202310123456.6' });
        await pledge.locator('select[name=assetId]').selectOption((await asset.getAttribute('value')) ?? '');
        // The valuation, its currency and the loan-to-value cap are shown; the currency is not a choice.
        expect(await pledge.locator('#pledge-currency').textContent()).to.equal('CNY');
        expect(await pledge.locator('#pledge-valuation').textContent()).to.match(/Valued at CNY 1,000,000\.00 .* Loan-to-value cap .* at most CNY/);
        await pledge.locator('select[name=pledgeeId]').selectOption({ label: 'Bank of Jiangnan' });
        await pledge.locator('input[name=securedAmount]').fill('50000');
        await pledge.getByRole('button', { name: 'Request pledge' }).click();
        await toast(suzhou, /Pledge requested/);
        await suzhou.locator('#my-pledges .badge', { hasText: 'Requested' }).waitFor();
        await screenshot(suzhou, 'supplier-ip');

        const bank = await signIn(b, gateway.url, 'jiangnan');
        await open(bank, '/pledges');
        const row = bank.locator('#pledges tbody tr', { hasText: 'Suzhou' });
        expect(await row.textContent()).to.contain('CNY 50,000.00');
        await row.getByRole('button', { name: 'Accept' }).click();
        await row.locator('.confirm').getByRole('button', { name: 'Yes, accept' }).click();
        await toast(bank, /Pledge accepted/);
        await bank.locator('#pledges .badge', { hasText: 'Active' }).waitFor();
        await screenshot(bank, 'financier-pledges');
        await open(bank, '/portfolio');
        await bank.locator('.card', { hasText: 'Active pledges' }).locator('tbody tr', { hasText: 'Suzhou' }).waitFor();
    });

    it('lets the platform administrator onboard an enterprise with its first user, and change platform parameters', async function () {
        const b = browser as Browser;
        const admin = await signIn(b, gateway.url, 'admin');
        const nav = (await admin.locator('nav a').allTextContents()).map((t) => t.trim());
        expect(nav).to.include.members(['Onboarding', 'Platform parameters']);
        await open(admin, '/onboarding');

        // A supplier new to the platform: its unified social credit code carries a valid check character.
        const body = `91330200MA${String(Date.now() % 10_000_000).padStart(7, '0')}`;
        const uscc = body + (usccCheckCharacter(body) ?? '');
        const register = admin.locator('#register-enterprise');
        await register.locator('input[name=id]').fill(uscc);
        await register.locator('input[name=name]').fill('Ningbo Harbour Fasteners');
        await register.locator('select[name=kind]').selectOption('SUPPLIER');
        await register.locator('input[name=country]').fill('cn');
        await register.getByRole('button', { name: 'Register enterprise' }).click();
        await toast(admin, /Enterprise registered/);
        await admin.locator('#all-enterprises tbody tr', { hasText: 'Ningbo Harbour Fasteners' }).waitFor();

        // A user of it: the role follows from the enterprise's kind.
        const create = admin.locator('#create-user');
        await create.locator('select[name=enterpriseId]').selectOption(uscc);
        expect(await admin.locator('#new-user-role').textContent()).to.equal('The user will act as supplier for Ningbo Harbour Fasteners.');
        await create.locator('input[name=username]').fill('ningbo');
        await create.locator('input[name=password]').fill('short');
        await create.getByRole('button', { name: 'Create user' }).click();
        await create.locator('.error', { hasText: /at least 10 characters/ }).waitFor();
        await create.locator('input[name=password]').fill('ningbo-harbour-2026');
        await create.getByRole('button', { name: 'Create user' }).click();
        await toast(admin, /User ningbo created/);
        const userRow = admin.locator('#users tbody tr', { hasText: 'ningbo' });
        expect(await userRow.textContent()).to.contain('Ningbo Harbour Fasteners');
        await screenshot(admin, 'admin-onboarding');

        // The new user signs in with the initial password and gets the supplier's views.
        const supplier = await signIn(b, gateway.url, 'ningbo', 'ningbo-harbour-2026');
        expect(await supplier.locator('#who').textContent()).to.contain('Ningbo Harbour Fasteners');
        expect((await supplier.locator('nav a').allTextContents()).map((t) => t.trim())).to.include.members(['My notes', 'Offers', 'Receivables']);

        // Parameters: a refused value explains itself; a valid one is in force on the ledger.
        await open(admin, '/parameters');
        const notes = admin.locator('#note-parameters');
        const tenorBefore = (await notes.locator('.max-tenor').textContent()) ?? '';
        expect(tenorBefore).to.equal('6');
        await notes.locator('input[name=maxTenorMonths]').fill('13');
        await notes.getByRole('button', { name: 'Save note parameters' }).click();
        await notes.locator('.error', { hasText: /calendar months from 1 to 12/ }).waitFor();
        await notes.locator('input[name=maxTenorMonths]').fill('7');
        await notes.getByRole('button', { name: 'Save note parameters' }).click();
        await toast(admin, /Note parameters saved/);
        await admin.locator('#note-parameters .max-tenor', { hasText: '7' }).waitFor();
        const ip = admin.locator('#ip-parameters');
        await ip.locator('input[name=maxLtv]').fill('45');
        await ip.getByRole('button', { name: 'Save IP parameters' }).click();
        await toast(admin, /IP parameters saved/);
        await admin.locator('#ip-parameters .max-ltv', { hasText: '45.00 %' }).waitFor();
        await screenshot(admin, 'admin-parameters');
        const core = await signIn(b, gateway.url, 'huadong');
        expect(await core.evaluate(async () => {
            const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
            const response = await fetch('/api/v1/parameters/notes', { headers: { Authorization: `Bearer ${token}` } });
            return ((await response.json()) as { maxTenorMonths: number }).maxTenorMonths;
        })).to.equal(7);

        // Back to what was in force, for the rest of the story.
        await admin.locator('#note-parameters input[name=maxTenorMonths]').fill(tenorBefore);
        await admin.locator('#note-parameters').getByRole('button', { name: 'Save note parameters' }).click();
        await admin.locator('#note-parameters .max-tenor', { hasText: tenorBefore }).waitFor();
    });

    it('lets the core enterprise redeem at maturity, paying every holder down the chain', async function () {
        this.timeout(240_000);
        const b = browser as Browser;
        // Restart the same ledger with the gateway's clock a day past maturity (within the grace period).
        await gateway.stop();
        gateway = await startGateway({ dataDir, clockOffsetDays: daysUntil(maturityDate, new Date()) + 1 });
        const core = await signIn(b, gateway.url, 'huadong');
        await open(core, '/exposure');
        const root = core.locator(`[data-root-id="${rootNoteId}"]`);
        const holders = await root.locator('tbody tr').count();
        expect(holders).to.be.at.least(2); // Suzhou (tier 1) and the bank (tier 3)
        await screenshot(core, 'core-exposure');
        await root.getByRole('button', { name: 'Redeem' }).click();
        // Paying every holder cannot be undone: the page asks first.
        expect(await root.locator('.confirm .question').textContent()).to.contain('This cannot be undone.');
        await root.getByRole('button', { name: 'Yes, redeem' }).click();
        await toast(core, /Redeemed: paid \d+ holders? CNY [\d,]+\.\d{2}, on time/);
        await core.locator(`[data-root-id="${rootNoteId}"]`).waitFor({ state: 'detached' });

        const bank = await signIn(b, gateway.url, 'jiangnan');
        await open(bank, '/portfolio');
        expect(await bank.locator('#portfolio-notes').count()).to.equal(0); // the table gave way to "None held now."
    });

    it('shows holders, the bank and the issuer what the redemption paid them and when, and says so in the live feed', async function () {
        const b = browser as Browser;
        const money = (minor: string | bigint): string => `CNY ${formatMinorUnits(minor.toString(), 2)}`;
        const suzhouShare = BigInt(rootFace) - BigInt(transferredAmount);

        // Suzhou: its two notes of the root (the rest of the split and the change of the transfer), paid by Huadong.
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const settled = suzhou.locator('#settled-notes[data-loaded] #settled-notes-table tbody tr', { hasText: 'Redeemed' });
        await settled.first().waitFor();
        expect(await settled.count()).to.equal(2);
        let received = 0n;
        for (const cells of await Promise.all((await settled.all()).map((row) => row.locator('td').allTextContents()))) {
            received += BigInt(minorOf(cells[3]));
            expect(cells[4]).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
            expect(cells[5]).to.equal('Huadong Heavy Industries Co., Ltd.');
        }
        expect(received).to.equal(suzhouShare);
        await screenshot(suzhou, 'supplier-settled-notes');

        // Hangzhou sold its note to the bank before maturity: what it received, from whom.
        const hangzhou = await signIn(b, gateway.url, 'hangzhou');
        await open(hangzhou, '/notes');
        expect(await hangzhou.locator('main .summary').textContent()).to.contain('You hold no notes now.');
        const sold = hangzhou.locator('#settled-notes[data-loaded] #settled-notes-table tbody tr', { hasText: 'Discounted' });
        await sold.waitFor();
        const soldCells = await sold.locator('td').allTextContents();
        expect(minorOf(soldCells[1])).to.equal(transferredAmount);
        expect(BigInt(minorOf(soldCells[3])) < BigInt(transferredAmount)).to.equal(true);
        expect(soldCells[5]).to.equal('Bank of Jiangnan');

        // The bank: what it paid for the note and what the redemption paid it.
        const bank = await signIn(b, gateway.url, 'jiangnan');
        await open(bank, '/portfolio');
        const redeemed = bank.locator('#settled-notes[data-loaded] #settled-notes-table tbody tr');
        await redeemed.first().waitFor();
        const bankCells = await redeemed.first().locator('td').allTextContents();
        expect(bankCells[1]).to.equal('Huadong Heavy Industries Co., Ltd.');
        expect(minorOf(bankCells[4])).to.equal(transferredAmount);
        expect(BigInt(minorOf(bankCells[3])) < BigInt(transferredAmount)).to.equal(true);
        // Its live feed: the total paid and every payee with its amount and currency.
        const event = bank.locator('#event-feed li[data-event=RedeemNote]', { hasText: 'paid CNY' }).first();
        await event.waitFor();
        expect(await event.textContent()).to.contain(`paid ${money(rootFace)} to 2 holders · Bank of Jiangnan ${money(transferredAmount)}, Suzhou Precision Castings Co., Ltd. ${money(suzhouShare)} · on time · by Huadong Heavy Industries Co., Ltd.`);

        // The issuer: the redeemed root, on time, with whom it paid.
        const core = await signIn(b, gateway.url, 'huadong');
        await open(core, '/exposure');
        const root = core.locator(`#redeemed-roots-table tbody tr:has(code[title="${rootNoteId}"])`);
        await root.waitFor();
        expect(await root.locator('.badge').textContent()).to.equal('On time');
        expect(await root.locator('ul.payees li').allTextContents()).to.deep.equal([`Suzhou Precision Castings Co., Ltd. ${money(suzhouShare)}`, `Bank of Jiangnan ${money(transferredAmount)}`]);
        await screenshot(core, 'core-redeemed');
    });

    it('lets anyone mark an unredeemed note overdue once maturity plus grace has passed, and not before', async function () {
        this.timeout(240_000);
        const b = browser as Browser;
        const coreId = await ownerIdOf(await signIn(b, gateway.url, 'huadong'));
        // Within the grace period the button is disabled and says from when it can work.
        const bank = await signIn(b, gateway.url, 'jiangnan');
        await open(bank, `/exposure/${coreId}`, '/exposure/:enterpriseId');
        const root = bank.locator(`[data-root-id="${invoiceNoteId}"]`);
        // A financier's map says it holds only the notes drawn on its own lines; the issuer's and the regulator's do not.
        expect(await bank.locator('#exposure-scope').textContent()).to.match(/drawn on your credit lines only/);
        // The maturity date itself is never part of the grace: the last day on time is maturity plus the grace days, and
        // marking waits for 00:00 UTC of the day after it.
        const exposure = await apiAs<{ roots: Array<{ rootId: string; maturityDate: string; graceDays: number }> }>(bank, 'GET', `/exposure/${coreId}`);
        const { maturityDate: invoiceMaturity, graceDays } = exposure.roots.find((r) => r.rootId === invoiceNoteId) ?? { maturityDate: '', graceDays: -1 };
        const deadline = `${addDays(new Date(`${invoiceMaturity}T00:00:00Z`), graceDays + 1)} 00:00 UTC`;
        expect(await root.locator('.overdue-rule').textContent()).to.equal(
            `On time if redeemed by the end of ${addDays(new Date(`${invoiceMaturity}T00:00:00Z`), graceDays)} UTC (its maturity date plus ${graceDays} grace day${graceDays === 1 ? '' : 's'}). Still unredeemed at ${deadline}, anyone may mark it overdue; the ledger refuses before.`,
        );
        expect(await root.getByRole('button', { name: 'Mark overdue', exact: true }).isDisabled()).to.equal(true);
        expect(await root.locator('.not-yet-hint').textContent()).to.equal(` Can be marked overdue from ${deadline}`);

        // Past maturity plus grace (the ledger's clock, and the holder's browser clock, moved on): the holder marks it.
        const grace = (await apiAs<{ graceDays: number }>(bank, 'GET', '/parameters/notes')).graceDays;
        const offsetDays = daysUntil(maturityDate, new Date()) + grace + 2;
        await gateway.stop();
        gateway = await startGateway({ dataDir, clockOffsetDays: offsetDays });
        // The browser's clock stays on the real time: the app goes by the ledger's time from /health/ready.
        const suzhou = await signIn(b, gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const held = suzhou.locator(`#holdings tbody tr:has(code[title="${invoiceNoteId}"])`);
        expect(await held.getByRole('button', { name: 'Split' }).isDisabled()).to.equal(true); // matured: it can only be redeemed
        await held.getByRole('button', { name: 'Mark overdue', exact: true }).click();
        await held.getByRole('button', { name: 'Yes, mark overdue' }).click();
        await toast(suzhou, /The note is marked overdue/);
        // The holder's page shows the root overdue and offers no second marking.
        await held.locator('.badge', { hasText: 'Overdue' }).waitFor();
        expect(await held.getByRole('button', { name: 'Mark overdue', exact: true }).count()).to.equal(0);
        // Its own action is no news: no "New activity" notice.
        await suzhou.waitForTimeout(1500);
        expect(await suzhou.locator('#live-notice').count()).to.equal(0);

        const regulator = await signIn(b, gateway.url, 'regulator');
        await open(regulator, `/exposure/${coreId}`, '/exposure/:enterpriseId');
        const marked = regulator.locator(`[data-root-id="${invoiceNoteId}"]`);
        expect(await regulator.locator('#exposure-scope').count()).to.equal(0);
        expect(await marked.locator('h2 .badge').textContent()).to.equal('Overdue');
        expect(await marked.getByRole('button', { name: 'Mark overdue', exact: true }).count()).to.equal(0);
        // The issuer can redeem now (late), by the ledger's time.
        const issuer = await signIn(b, gateway.url, 'huadong');
        await open(issuer, '/exposure');
        expect(await issuer.locator(`[data-root-id="${invoiceNoteId}"]`).getByRole('button', { name: 'Redeem' }).isDisabled()).to.equal(false);
    });
});
