import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addDays } from '../src/format';
import { PASSWORD, open, screenshot, signIn } from './support/browser';
import { gatewayAndBrowser } from './support/suite';
import { apiAs, ownerIdOf, toast, uploadAs } from './support/page-api';

/**
 * Everyday workflows in Debian's Chromium against the real gateway (embedded ledger, demo seed, its
 * own data directory): sign-in and page titles, dashboards by role, onboarding users, live refresh,
 * locked notes, ids, the issue form's backing rules, and the actions that change or end a record.
 * The tests share one ledger; each sets up what it needs.
 */

/** Forgets the view on screen so that a test can tell when the same page was rendered anew. */
async function markView(page: Page): Promise<void> {
    await page.evaluate(() => document.querySelector('main > *')?.setAttribute('data-test-marker', 'old'));
}

/** Waits until the page on screen was rendered anew (the marker set by markView is gone). */
async function viewRenderedAnew(page: Page): Promise<void> {
    await page.waitForFunction(() => document.querySelector('main > [data-test-marker]') === null && document.querySelector('main[data-view]') !== null);
}

describe('client app workflows in the browser', function () {
    const suite = gatewayAndBrowser('workflows');

    it('signs in whatever the case of the user name, and keeps the page title in step with the page', async function () {
        const page = await signIn(suite.browser, suite.gateway.url, '  Suzhou ');
        expect(await page.locator('#who').textContent()).to.contain('suzhou');
        expect(await page.title()).to.equal('Dashboard · Xinlian');
        await open(page, '/nowhere', 'not-found');
        expect(await page.title()).to.equal('Page not found · Xinlian');
        await open(page, '/issue');
        expect(await page.locator('main .error[role=alert]').textContent()).to.contain('This page is for core enterprise users');
        expect(await page.title()).to.equal('Issue notes · Xinlian');
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.locator('#login-form').waitFor();
        expect(await page.title()).to.equal('Sign in · Xinlian');
    });

    it('shows a credit profile only on the dashboards of roles whose enterprise is scored', async function () {
        const b = suite.browser;
        for (const user of ['appraiser', 'admin', 'regulator', 'jiangnan', 'bureau', 'singapore']) {
            const page = await signIn(b, suite.gateway.url, user);
            expect(await page.locator('main .error').count(), user).to.equal(0);
            expect(await page.locator('#credit-profile').count(), user).to.equal(0);
        }
        for (const user of ['suzhou', 'huadong']) {
            const page = await signIn(b, suite.gateway.url, user);
            await page.locator('#credit-profile .score').waitFor();
        }
    });

    it('makes the administrator choose the enterprise of each new user, and keeps the last one chosen', async function () {
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        await open(admin, '/onboarding');
        const create = admin.locator('#create-user');
        const enterprise = create.locator('select[name=enterpriseId]');
        expect(await enterprise.inputValue()).to.equal('');
        expect(await admin.locator('#new-user-role').textContent()).to.equal('Choose the enterprise the user acts for; the role follows from its kind.');
        await create.locator('input[name=username]').fill('clerk.one');
        await create.locator('input[name=password]').fill('clerk-one-2026');
        await create.getByRole('button', { name: 'Create user' }).click();
        await create.locator('.error', { hasText: 'Choose the enterprise the user acts for.' }).waitFor();

        const hangzhouId = (await enterprise.locator('option', { hasText: 'Hangzhou' }).getAttribute('value')) ?? '';
        await enterprise.selectOption(hangzhouId);
        expect(await admin.locator('#new-user-role').textContent()).to.equal('The user will act as supplier for Hangzhou Fastener Works Co., Ltd.');
        await create.locator('input[name=username]').fill('Clerk.One');
        await create.getByRole('button', { name: 'Create user' }).click();
        await toast(admin, /User clerk\.one created/);
        await admin.locator('#users tbody tr', { hasText: 'clerk.one' }).waitFor();
        // The page came back with the same enterprise chosen, not the first in the list (the regulator).
        expect(await admin.locator('#create-user select[name=enterpriseId]').inputValue()).to.equal(hangzhouId);
        expect(await admin.locator('#new-user-role').textContent()).to.contain('supplier for Hangzhou');
        expect(await admin.locator('#create-user input[name=username]').inputValue()).to.equal('');
        const clerk = await signIn(suite.browser, suite.gateway.url, 'clerk.one', 'clerk-one-2026');
        expect(await clerk.locator('#who').textContent()).to.contain('Hangzhou Fastener Works');
    });

    it('refreshes the page on screen when an event concerns the user, keeping what the user is typing', async function () {
        this.timeout(60_000);
        const b = suite.browser;
        const hangzhou = await signIn(b, suite.gateway.url, 'hangzhou');
        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        const hangzhouId = await ownerIdOf(hangzhou);
        await open(hangzhou, '/offers');
        expect(await hangzhou.locator('#incoming-offers').count()).to.equal(0); // "No offers to you."
        await markView(hangzhou);

        // Suzhou is half-way through registering an invoice, typing the amount.
        await open(suzhou, '/receivables');
        await markView(suzhou);
        const form = suzhou.locator('#register-receivable');
        await form.locator('input[name=invoiceNumber]').fill('INV-HALF-TYPED');
        await form.locator('select[name=currency]').selectOption('USD');
        await form.locator('input[name=amount]').click();
        await suzhou.keyboard.type('12');

        // Suzhou (through another client) offers Hangzhou part of its note.
        const note = (await apiAs<{ items: Array<{ id: string; status: string }> }>(suzhou, 'GET', '/notes')).items.find((n) => n.status === 'ACTIVE');
        const offer = await apiAs<{ id: string }>(suzhou, 'POST', '/offers', { noteId: note?.id, toId: hangzhouId, amount: '100000', expiresAt: `${addDays(new Date(), 3)}T23:59:59.000Z` });

        // Hangzhou's list shows it without anyone navigating.
        const incoming = hangzhou.locator('#incoming-offers tbody tr', { hasText: 'Suzhou' });
        await incoming.waitFor({ timeout: 10_000 });
        await viewRenderedAnew(hangzhou);
        expect(await incoming.textContent()).to.contain('CNY 1,000.00');
        // Suzhou's page was refreshed too, with its half-filled form as it was, still being typed into.
        await viewRenderedAnew(suzhou);
        await suzhou.keyboard.type('34');
        expect(await form.locator('input[name=invoiceNumber]').inputValue()).to.equal('INV-HALF-TYPED');
        expect(await form.locator('select[name=currency]').inputValue()).to.equal('USD');
        expect(await form.locator('input[name=amount]').inputValue()).to.equal('1234');

        // Clicking the link of the page on screen reloads it.
        await markView(suzhou);
        await suzhou.locator('nav a', { hasText: 'Receivables' }).click();
        await viewRenderedAnew(suzhou);

        // An open panel is work in progress: the page is left alone and says that there is news.
        await apiAs(suzhou, 'POST', `/offers/${offer.id}/cancel`, {}, 200);
        await open(suzhou, '/notes');
        await suzhou.locator('#holdings tbody tr', { hasText: 'Active' }).first().getByRole('button', { name: 'Split' }).click();
        await suzhou.fill('form[data-panel=split] input[name=amounts]', '1');
        await apiAs(suzhou, 'POST', '/offers', { noteId: note?.id, toId: hangzhouId, amount: '100000', expiresAt: `${addDays(new Date(), 3)}T23:59:59.000Z` });
        await suzhou.locator('#live-notice').waitFor({ timeout: 10_000 });
        expect(await suzhou.inputValue('form[data-panel=split] input[name=amounts]')).to.equal('1');
        await suzhou.locator('#live-notice').getByRole('button', { name: 'Refresh now' }).click();
        await suzhou.locator('form[data-panel=split]').waitFor({ state: 'detached' });

        // Hangzhou declines from the list that refreshed itself; it cannot be undone, so the page asks first.
        const pending = hangzhou.locator('#incoming-offers tbody tr', { hasText: 'Pending' });
        await pending.getByRole('button', { name: 'Decline', exact: true }).click();
        expect(await pending.locator('.confirm .question').textContent()).to.equal(
            'Decline the offer of CNY 1,000.00 from Suzhou Precision Castings Co., Ltd.? The note goes back to them and this offer can no longer be accepted. This cannot be undone.',
        );
        expect(await pending.getByRole('button', { name: 'Yes, decline' }).getAttribute('class')).to.equal('danger');
        await pending.getByRole('button', { name: 'Yes, decline' }).click();
        await toast(hangzhou, /Offer declined/);
    });

    it('explains why a note is locked and unlocks it from its row', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const row = suzhou.locator('#holdings tbody tr', { hasText: 'Active' }).first();
        const noteId = (await row.locator('code.id').getAttribute('title')) ?? '';
        const sameRow = suzhou.locator(`#holdings tbody tr:has(code[title="${noteId}"])`);

        await row.getByRole('button', { name: 'Discount' }).click();
        await suzhou.locator('form[data-panel=discount] label', { hasText: 'Bank of Jiangnan' }).locator('input').check();
        await suzhou.getByRole('button', { name: 'Ask for quotes' }).click();
        await toast(suzhou, /Discount request sent/);
        expect(await sameRow.locator('.badge').textContent()).to.equal('Locked');
        expect(await sameRow.locator('.lock-reason').textContent()).to.contain('Discount quotes asked from Bank of Jiangnan. The note stays locked until you accept a quote or withdraw the request.');
        expect(await sameRow.getByRole('button', { name: 'Transfer' }).getAttribute('title')).to.equal('Locked: see why under Status');
        await screenshot(suzhou, 'supplier-note-locked');
        await sameRow.getByRole('button', { name: 'Withdraw request' }).click();
        await toast(suzhou, /Request withdrawn; the note is unlocked/);
        await suzhou.locator(`#holdings tbody tr:has(code[title="${noteId}"]) .badge`, { hasText: 'Active' }).waitFor();

        await sameRow.getByRole('button', { name: 'Transfer' }).click();
        const recipient = suzhou.locator('form[data-panel=transfer] select[name=toId]');
        await recipient.selectOption((await recipient.locator('option', { hasText: 'Hangzhou' }).getAttribute('value')) ?? '');
        await suzhou.fill('form[data-panel=transfer] input[name=amount]', '500');
        await suzhou.getByRole('button', { name: 'Offer transfer' }).click();
        await toast(suzhou, /Offer sent/);
        expect(await sameRow.locator('.lock-reason').textContent()).to.match(/^Transfer offer of CNY 500\.00 to Hangzhou Fastener Works Co\., Ltd\. pending until \d{4}-\d{2}-\d{2} 23:59 UTC\./);
        await sameRow.getByRole('button', { name: 'Cancel offer' }).click();
        await toast(suzhou, /Offer cancelled; the note is unlocked/);
        await suzhou.locator(`#holdings tbody tr:has(code[title="${noteId}"]) .badge`, { hasText: 'Active' }).waitFor();
    });

    it('copies a full id from its short form, and explains a shortened id typed into Provenance', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou', PASSWORD, { clipboard: true });
        await open(suzhou, '/notes');
        const cell = suzhou.locator('#holdings tbody tr').first().locator('.id-wrap');
        const fullId = (await cell.locator('code.id').getAttribute('title')) ?? '';
        expect(fullId).to.match(/^N-[0-9a-f]{24}$/);
        expect(await cell.locator('code.id').textContent()).to.contain('…');
        await cell.getByRole('button', { name: `Copy id ${fullId}` }).click();
        expect(await suzhou.evaluate(() => navigator.clipboard.readText())).to.equal(fullId);
        // The short form links to the record's provenance.
        expect(await cell.locator('a').getAttribute('href')).to.equal(`#/provenance/${fullId}`);

        await open(suzhou, '/provenance');
        await suzhou.fill('#provenance-form input[name=noteId]', `${fullId.slice(0, 10)}…${fullId.slice(-3)}`);
        await suzhou.locator('#provenance-form').getByRole('button', { name: 'Show' }).click();
        expect(await suzhou.locator('#note-id-problem').textContent()).to.contain('That is a shortened id');
        await suzhou.fill('#provenance-form input[name=noteId]', fullId);
        await suzhou.locator('#provenance-form').getByRole('button', { name: 'Show' }).click();
        await suzhou.waitForSelector('#provenance-tree');
    });

    it('offers only receivables in the credit line’s currency, and leaves what a smaller note does not draw available for the next one', async function () {
        this.timeout(60_000);
        const b = suite.browser;
        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        const core = await signIn(b, suite.gateway.url, 'huadong');
        const bank = await signIn(b, suite.gateway.url, 'jiangnan');
        const coreId = await ownerIdOf(core);
        const today = addDays(new Date(), 0);
        const register = async (invoiceNumber: string, amount: string, currency: string): Promise<string> => {
            const cid = await uploadAs(suzhou, `%PDF-1.4 ${invoiceNumber}`);
            const receivable = await apiAs<{ id: string }>(suzhou, 'POST', '/receivables', { buyerId: coreId, invoiceNumber, amount, currency, issueDate: today, dueDate: addDays(new Date(), 60), documentCid: cid });
            await apiAs(core, 'POST', `/receivables/${receivable.id}/confirm`, {}, 200);
            return receivable.id;
        };
        await register('INV-CNY-500', '50000', 'CNY');
        await register('INV-USD-50', '5000', 'USD');
        const usdLine = (await apiAs<{ id: string }>(bank, 'POST', '/credit-lines', { coreEnterpriseId: coreId, currency: 'USD', limit: '1000000', expiresAt: `${addDays(new Date(), 365)}T00:00:00.000Z` })).id;

        await open(core, '/issue');
        const form = core.locator('#issue-note');
        const cnyLine = (await form.locator('select[name=creditLineId] option', { hasText: '— CNY —' }).first().getAttribute('value')) ?? '';
        await form.locator('select[name=creditLineId]').selectOption(cnyLine);
        expect(await form.locator('label', { hasText: 'INV-USD-50' }).isHidden()).to.equal(true);
        expect(await core.locator('#other-currency-receivables').textContent()).to.contain('Not shown: 1 in USD.');
        await form.locator('label', { hasText: 'INV-CNY-500' }).locator('input').check();
        expect(await form.locator('input[name=amount]').inputValue()).to.equal('500.00');

        // A note for less than its backing draws only its amount: the page says what stays available,
        // and the receivable offers the rest to the next note.
        await form.locator('input[name=amount]').fill('300');
        const remainder = core.locator('#issue-remainder');
        await remainder.waitFor();
        expect(await remainder.textContent()).to.equal('The note draws CNY 300.00; the remaining CNY 200.00 of the last receivable selected stays available to back another note.');
        await screenshot(core, 'core-issue-remainder');
        await form.getByRole('button', { name: 'Issue note' }).click();
        await toast(core, /Note issued/);
        await open(core, '/confirmations');
        expect(await core.locator('#receivables tbody tr', { hasText: 'INV-CNY-500' }).locator('.badge').textContent()).to.equal('Confirmed');
        await open(core, '/issue');
        await form.locator('select[name=creditLineId]').selectOption(cnyLine);
        const rest = form.locator('label', { hasText: 'INV-CNY-500' });
        expect(await rest.textContent()).to.contain('CNY 200.00 available of CNY 500.00');
        await rest.locator('input').check();
        expect(await form.locator('input[name=amount]').inputValue()).to.equal('200.00');

        // A line in dollars offers the dollar receivable only.
        await open(core, '/issue');
        await form.locator('select[name=creditLineId]').selectOption(usdLine);
        expect(await form.locator('label', { hasText: 'INV-USD-50' }).isVisible()).to.equal(true);
        await form.locator('label', { hasText: 'INV-USD-50' }).locator('input').check();
        expect(await form.locator('input[name=amount]').inputValue()).to.equal('50.00');
        expect(await core.locator('#issue-remainder').isHidden()).to.equal(true);
    });

    it('lets the bank change a credit line’s limit and revoke the line, after confirming', async function () {
        const b = suite.browser;
        const bank = await signIn(b, suite.gateway.url, 'jiangnan');
        await open(bank, '/credit-lines');
        const row = bank.locator('#credit-lines tbody tr', { hasText: 'USD' }).first();
        const lineId = (await row.locator('code.id').getAttribute('title')) ?? '';
        await row.getByRole('button', { name: 'Change or revoke' }).click();
        const panel = bank.locator(`[data-panel=manage-line][data-line-id="${lineId}"]`);
        await panel.locator('input[name=limit]').fill('20,000');
        await panel.getByRole('button', { name: 'Change limit' }).click();
        await toast(bank, /Limit changed to USD 20,000\.00/);
        expect(await bank.locator(`#credit-lines tbody tr:has(code[title="${lineId}"])`).locator('td').nth(2).textContent()).to.equal('USD 20,000.00');
        // The limit already in force: the ledger answers with the line as it is, and the page says nothing changed.
        const updatedAt = (await apiAs<{ updatedAt: string }>(bank, 'GET', `/credit-lines/${lineId}`)).updatedAt;
        await bank.locator(`#credit-lines tbody tr:has(code[title="${lineId}"])`).getByRole('button', { name: 'Change or revoke' }).click();
        expect(await panel.locator('input[name=limit]').inputValue()).to.equal('20,000.00');
        await panel.getByRole('button', { name: 'Change limit' }).click();
        await toast(bank, /The limit is already USD 20,000\.00; nothing changed\./);
        expect(await apiAs<{ limit: string; updatedAt: string }>(bank, 'GET', `/credit-lines/${lineId}`)).to.include({ limit: '2000000', updatedAt });

        await bank.locator(`#credit-lines tbody tr:has(code[title="${lineId}"])`).getByRole('button', { name: 'Change or revoke' }).click();
        await panel.getByRole('button', { name: 'Revoke line', exact: true }).click();
        await panel.locator('.error', { hasText: 'Give the reason to revoke the line.' }).waitFor();
        await panel.locator('input[name=reason]').fill('Exposure review');
        await panel.getByRole('button', { name: 'Revoke line', exact: true }).click();
        expect(await panel.locator('.confirm .question').textContent()).to.contain('This cannot be undone.');
        await screenshot(bank, 'financier-line-revoke');
        await panel.getByRole('button', { name: 'Yes, revoke line' }).click();
        await toast(bank, /Credit line revoked/);
        const revoked = bank.locator(`#credit-lines tbody tr:has(code[title="${lineId}"])`);
        expect(await revoked.locator('.badge').textContent()).to.equal('Revoked');
        expect(await revoked.textContent()).to.contain('Exposure review');
        expect(await revoked.getByRole('button', { name: 'Change or revoke' }).count()).to.equal(0);

        const core = await signIn(b, suite.gateway.url, 'huadong');
        await open(core, '/issue');
        expect(await core.locator(`select[name=creditLineId] option[value="${lineId}"]`).count()).to.equal(0);
    });

    it('lets a supplier cancel a receivable its buyer has not confirmed, after confirming', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const coreId = (await apiAs<{ items: Array<{ id: string }> }>(suzhou, 'GET', '/enterprises?kind=CORE_ENTERPRISE')).items[0].id;
        const cid = await uploadAs(suzhou, '%PDF-1.4 INV-TO-CANCEL');
        await apiAs(suzhou, 'POST', '/receivables', { buyerId: coreId, invoiceNumber: 'INV-TO-CANCEL', amount: '7700', currency: 'CNY', issueDate: addDays(new Date(), 0), dueDate: addDays(new Date(), 30), documentCid: cid });
        await open(suzhou, '/receivables');
        const row = suzhou.locator('#receivables tbody tr', { hasText: 'INV-TO-CANCEL' });
        // Only receivables not yet confirmed (or disputed) can be cancelled.
        expect(await suzhou.locator('#receivables tbody tr', { hasText: 'Noted' }).getByRole('button', { name: 'Cancel receivable' }).count()).to.equal(0);
        await row.getByRole('button', { name: 'Cancel receivable', exact: true }).click();
        await row.locator('.error', { hasText: 'Say why you cancel this receivable.' }).waitFor();
        await row.locator('input[name=reason]').fill('Issued in error');
        await row.getByRole('button', { name: 'Cancel receivable', exact: true }).click();
        await row.getByRole('button', { name: 'Yes, cancel receivable' }).click();
        await toast(suzhou, /Receivable cancelled/);
        const cancelled = suzhou.locator('#receivables tbody tr', { hasText: 'INV-TO-CANCEL' });
        expect(await cancelled.locator('.badge').textContent()).to.equal('Cancelled');
        expect(await cancelled.textContent()).to.contain('Issued in error');
    });

    it('lets the credit bureau revoke a passport it issued, after confirming', async function () {
        const b = suite.browser;
        const bureau = await signIn(b, suite.gateway.url, 'bureau');
        await open(bureau, '/attestations');
        await bureau.locator('#issue-passport select[name=subjectId]').selectOption({ label: 'Hangzhou Fastener Works Co., Ltd.' });
        await bureau.getByRole('button', { name: 'Issue passport' }).click();
        await toast(bureau, /Passport issued/);
        const row = bureau.locator('#issued-passports tbody tr', { hasText: 'Hangzhou' }).first();
        await row.waitFor();
        expect(await row.locator('.badge').textContent()).to.equal('Valid');
        await row.locator('input[name=reason]').fill('Score under review');
        await row.getByRole('button', { name: 'Revoke', exact: true }).click();
        await row.getByRole('button', { name: 'Yes, revoke' }).click();
        await toast(bureau, /Passport revoked/);
        const revoked = bureau.locator('#issued-passports tbody tr', { hasText: 'Hangzhou' }).first();
        expect(await revoked.locator('.badge').textContent()).to.equal('Revoked');
        expect(await revoked.textContent()).to.contain('Score under review');
        await screenshot(bureau, 'bureau-passports');

        const hangzhou = await signIn(b, suite.gateway.url, 'hangzhou');
        await open(hangzhou, '/passport');
        expect(await hangzhou.locator('main').textContent()).to.contain('No valid credit passport');
    });

    it('tells the users of a frozen enterprise about the freeze as it happens', async function () {
        this.timeout(60_000);
        const b = suite.browser;
        const pudong = await signIn(b, suite.gateway.url, 'pudong');
        expect(await pudong.locator('#frozen-banner').isHidden()).to.equal(true);
        const pudongId = await ownerIdOf(pudong);
        const regulator = await signIn(b, suite.gateway.url, 'regulator');
        await open(regulator, `/enterprises/${pudongId}`, '/enterprises/:id');
        await regulator.locator('input[name=reason]').fill('Suspected double financing');
        await regulator.getByRole('button', { name: 'Freeze enterprise' }).click();
        await regulator.getByRole('button', { name: 'Yes, freeze enterprise' }).click();
        await toast(regulator, /Enterprise frozen/);

        const banner = pudong.locator('#frozen-banner');
        await banner.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await banner.textContent()).to.match(/^Pudong Factoring Co\., Ltd\. is frozen by the regulator \(since .* UTC\): “Suspected double financing”\. While it is frozen it can neither move nor receive anything/);
        await screenshot(pudong, 'frozen-banner');
        await pudong.reload();
        await pudong.locator('#frozen-banner').waitFor({ state: 'visible' });

        await open(regulator, `/enterprises/${pudongId}`, '/enterprises/:id');
        await regulator.locator('input[name=reason]').fill('Cleared');
        await regulator.getByRole('button', { name: 'Unfreeze enterprise' }).click();
        await toast(regulator, /Enterprise unfrozen/);
        await pudong.locator('#frozen-banner').waitFor({ state: 'hidden', timeout: 10_000 });
    });
});
