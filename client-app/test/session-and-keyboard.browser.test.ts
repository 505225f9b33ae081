import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '../src/format';
import { PASSWORD, open, screenshot, signIn } from './support/browser';
import { gatewayAndBrowser } from './support/suite';
import { apiAs, minorOf, ownerIdOf, toast, uploadAs } from './support/page-api';

/**
 * The end of a session and the keyboard, in Debian's Chromium against the real gateway.
 *
 * Sessions: tokens that live 30 seconds (GATEWAY_TOKEN_TTL), so that their end comes within a test:
 * the warning before it, the page kept as it is under a dialog to sign in again, the typed values
 * kept in the tab for a reload (never passwords, never for another user), and a write refused for
 * an ended session that is not sent again until the user presses its button.
 *
 * Keyboard and confirmations: the focus after No, Escape and Close, after recognising a passport
 * and on the sign-in page; which "Yes" is red; the issue form within the credit line's limit.
 */

const TOKEN_TTL_SECONDS = 30;

/** What has the keyboard focus: tag, text, name and data-action. */
async function focused(page: Page): Promise<{ tag: string; text: string; name: string; action: string; id: string }> {
    return page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        return {
            tag: e?.tagName.toLowerCase() ?? '',
            text: (e?.textContent ?? '').trim(),
            name: e?.getAttribute('name') ?? '',
            action: e?.getAttribute('data-action') ?? '',
            id: e?.id ?? '',
        };
    });
}

/** Signs in on the sign-in page on screen (after a reload, say). */
async function signInOnPage(page: Page, username: string, password = PASSWORD): Promise<void> {
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#who');
}

/** The session's values kept in the tab (sessionStorage), as text. */
async function keptInTab(page: Page): Promise<string> {
    return page.evaluate(() => sessionStorage.getItem('xinlian.drafts') ?? '');
}

describe('the end of a session in the browser', function () {
    let savedTtl: string | undefined;
    before(() => {
        savedTtl = process.env.GATEWAY_TOKEN_TTL;
        process.env.GATEWAY_TOKEN_TTL = `${TOKEN_TTL_SECONDS}s`;
    });
    const suite = gatewayAndBrowser('session');
    before(() => {
        // Only this suite's gateway has short-lived tokens.
        if (savedTtl === undefined) {
            delete process.env.GATEWAY_TOKEN_TTL;
        } else {
            process.env.GATEWAY_TOKEN_TTL = savedTtl;
        }
    });

    it('warns before the session ends, keeps the page under a sign-in dialog, and loses nothing typed (also over a reload, for the same user only)', async function () {
        this.timeout(150_000);
        const b: Browser = suite.browser;
        const url = suite.gateway.url;
        // Five tabs, whose sessions end together (unless renewed).
        const [kept, reloaded, other, account, renew] = await Promise.all([signIn(b, url, 'jiangnan'), signIn(b, url, 'jiangnan'), signIn(b, url, 'suzhou'), signIn(b, url, 'hangzhou'), signIn(b, url, 'huadong')]);
        const signedInAt = Date.now();

        // 1. The bank types a limit and picks a currency in "Grant a credit line".
        await open(kept, '/credit-lines');
        const grant = kept.locator('#grant-line');
        await grant.locator('select[name=currency]').selectOption('USD');
        await grant.locator('input[name=limit]').fill('1234567.89');

        // 2. The same bank, in another tab: a new limit and a reason typed in the panel of a line, and a limit in the grant form.
        await open(reloaded, '/credit-lines');
        await reloaded.locator('#grant-line input[name=limit]').fill('7654321');
        const lineId = (await reloaded.locator('#credit-lines tbody tr button', { hasText: 'Change or revoke' }).first().getAttribute('data-line-id')) ?? '';
        await reloaded.locator(`#credit-lines button[data-line-id="${lineId}"]`).click();
        const panel = reloaded.locator('section[data-panel=manage-line]');
        await panel.locator('#change-limit input[name=limit]').fill('4,800,000');
        await panel.locator('input[name=reason]').fill('Annual review pending');

        // 3. A supplier half-way through registering an invoice, with its document chosen.
        await open(other, '/receivables');
        const register = other.locator('#register-receivable');
        await register.locator('input[name=invoiceNumber]').fill('INV-SESSION-1');
        await register.locator('input[name=amount]').fill('88000');
        await register.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 session') });

        // 4. Someone typing passwords on the Account page.
        await open(account, '/account');
        const passwords = account.locator('main input[type=password]');
        await passwords.nth(0).fill('current-secret-1');
        await passwords.nth(1).fill('brand-new-secret-2');

        // 5. A core enterprise typing an amount, who will choose to stay signed in.
        await open(renew, '/issue');
        await renew.locator('#issue-note input[name=amount]').fill('12.34');

        // The warning comes first, with a way to stay signed in; then the dialog, over the page as it was.
        const warning = kept.locator('#session-warning');
        await warning.waitFor({ state: 'visible', timeout: TOKEN_TTL_SECONDS * 1000 });
        expect(await warning.textContent()).to.match(/Your session ends in (less than a minute|1 minute)\./);
        await warning.getByRole('button', { name: 'Stay signed in' }).waitFor();
        await screenshot(kept, 'session-warning');

        // Staying signed in before the end: the same user's password gives a new session, the page untouched.
        const renewWarning = renew.locator('#session-warning');
        await renewWarning.waitFor({ state: 'visible', timeout: TOKEN_TTL_SECONDS * 1000 });
        await renewWarning.getByRole('button', { name: 'Stay signed in' }).click();
        const renewDialog = renew.locator('dialog#session-dialog[open][data-mode=renew]');
        await renewDialog.waitFor();
        expect(await focused(renew)).to.deep.include({ tag: 'input', name: 'password' });
        await renewDialog.locator('input[name=password]').fill(PASSWORD);
        await renewDialog.getByRole('button', { name: 'Stay signed in' }).click();
        await renew.locator('dialog#session-dialog').waitFor({ state: 'detached' });
        await toast(renew, /signed in with a new session/);
        expect(await renewWarning.isHidden()).to.equal(true);
        const dialog = kept.locator('dialog#session-dialog[open][data-mode=ended]');
        await dialog.waitFor({ timeout: TOKEN_TTL_SECONDS * 1000 });
        await screenshot(kept, 'session-ended-dialog');
        expect(await focused(kept)).to.deep.include({ tag: 'input', name: 'password' });
        expect(await grant.locator('input[name=limit]').inputValue()).to.equal('1234567.89');
        expect(await grant.locator('select[name=currency]').inputValue()).to.equal('USD');
        expect(await warning.isHidden()).to.equal(true);

        // Signing in again in the dialog: the same page, nothing lost, and the form sends with the new session.
        await dialog.locator('input[name=password]').fill('not the password');
        await dialog.getByRole('button', { name: 'Sign in again' }).click();
        await dialog.locator('#reauth-refused', { hasText: 'The user name or password is wrong.' }).waitFor();
        await dialog.locator('input[name=password]').fill(PASSWORD);
        await dialog.getByRole('button', { name: 'Sign in again' }).click();
        await kept.locator('dialog#session-dialog').waitFor({ state: 'detached' });
        await toast(kept, /Signed in again/);
        expect(await grant.locator('input[name=limit]').inputValue()).to.equal('1234567.89');
        expect(await keptInTab(kept)).to.equal('');
        await grant.getByRole('button', { name: 'Grant credit line' }).click();
        await toast(kept, /Credit line granted/);
        await kept.locator('#credit-lines tbody tr', { hasText: 'USD 1,234,567.89' }).waitFor();

        // The renewed tab went past its first session's end without asking anything, and still works.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, signedInAt + (TOKEN_TTL_SECONDS + 2) * 1000 - Date.now())));
        expect(await renew.locator('dialog#session-dialog').count()).to.equal(0);
        expect(await renew.locator('#issue-note input[name=amount]').inputValue()).to.equal('12.34');
        await open(renew, '/exposure');
        expect(await renew.locator('main .error').count()).to.equal(0);

        // A reload before signing in again: the values typed come back on the same page, for the same user.
        await reloaded.locator('dialog#session-dialog[open]').waitFor();
        const keptText = await keptInTab(reloaded);
        expect(keptText).to.contain('7654321').and.to.contain('Annual review pending');
        await reloaded.reload();
        await reloaded.locator('#login-form #session-expired', { hasText: 'What you typed on this page comes back when jiangnan signs in again.' }).waitFor();
        expect(await focused(reloaded)).to.deep.include({ tag: 'input', name: 'username' });
        await signInOnPage(reloaded, 'jiangnan');
        await reloaded.waitForSelector('main[data-view="/credit-lines"]');
        await reloaded.locator('#drafts-restored', { hasText: 'it comes back when you open that panel again' }).waitFor();
        expect(await reloaded.locator('#grant-line input[name=limit]').inputValue()).to.equal('7654321');
        await reloaded.locator(`#credit-lines button[data-line-id="${lineId}"]`).click();
        expect(await reloaded.locator('section[data-panel=manage-line] #change-limit input[name=limit]').inputValue()).to.equal('4,800,000');
        expect(await reloaded.locator('section[data-panel=manage-line] input[name=reason]').inputValue()).to.equal('Annual review pending');
        await screenshot(reloaded, 'session-restored-after-reload');

        // Someone else signing in on that tab gets nothing of the supplier's, and the tab keeps none of it.
        await other.locator('dialog#session-dialog[open]').waitFor();
        expect(await keptInTab(other)).to.contain('INV-SESSION-1');
        await other.reload();
        await other.locator('#login-form #session-expired', { hasText: 'comes back when suzhou signs in again' }).waitFor();
        await signInOnPage(other, 'hangzhou');
        await other.waitForSelector('main[data-view="/receivables"]');
        expect(await other.locator('#register-receivable input[name=invoiceNumber]').inputValue()).to.equal('');
        expect(await other.locator('#drafts-restored').count()).to.equal(0);
        expect(await keptInTab(other)).to.equal('');

        // Passwords are never kept: with only passwords typed, nothing is.
        await account.locator('dialog#session-dialog[open]').waitFor();
        const storage = await account.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(sessionStorage))));
        expect(storage).to.not.contain('current-secret-1').and.to.not.contain('brand-new-secret-2');
        expect(await keptInTab(account)).to.equal('');
    });

    it('does not send again by itself a write refused because the session had ended: the user presses the button again', async function () {
        this.timeout(60_000);
        const b = suite.browser;
        const [bank, sameUser] = await Promise.all([signIn(b, suite.gateway.url, 'pudong'), signIn(b, suite.gateway.url, 'pudong')]);
        const bankId = await ownerIdOf(bank);
        await open(bank, '/credit-lines');
        const grant = bank.locator('#grant-line');
        await grant.locator('input[name=limit]').fill('321000');
        const before = (await apiAs<{ items: unknown[] }>(sameUser, 'GET', `/credit-lines?enterpriseId=${encodeURIComponent(bankId)}`)).items.length;

        // The live feed would also notice the ended session (its stream closes, the reconnect is refused)
        // and could raise the dialog before the click below: the feed is kept offline meanwhile, so the
        // refused write is what ends the session here, whatever the timing.
        const feed = /\/api\/v1\/events/;
        await bank.route(feed, (route) => route.abort());
        // The password changes elsewhere: every token of the user ends at once, this tab's too.
        const newPassword = 'pudong-new-pass-1';
        await sameUser.evaluate(async ({ current, next }) => {
            const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
            const response = await fetch('/api/v1/auth/password', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ currentPassword: current, newPassword: next }) });
            if (response.status !== 204) {
                throw new Error(`password change: ${response.status}`);
            }
        }, { current: PASSWORD, next: newPassword });
        await grant.getByRole('button', { name: 'Grant credit line' }).click();

        // Refused for the ended session: the dialog asks to sign in again, and the form still holds the limit.
        const dialog = bank.locator('dialog#session-dialog[open][data-mode=ended]');
        await dialog.waitFor();
        expect(await grant.locator('.outcome .error').getAttribute('data-code')).to.equal('UNAUTHENTICATED');
        await dialog.locator('input[name=password]').fill(newPassword);
        await dialog.getByRole('button', { name: 'Sign in again' }).click();
        await bank.locator('dialog#session-dialog').waitFor({ state: 'detached' });
        await bank.unroute(feed);

        // Nothing was sent for the user meanwhile; the form says so, with the limit as typed.
        const notSent = grant.locator('.outcome [data-code=NOT_SENT]');
        await notSent.waitFor();
        expect(await notSent.textContent()).to.contain('Not sent');
        expect(await grant.locator('input[name=limit]').inputValue()).to.equal('321000');
        const lines = async (): Promise<number> =>
            bank.evaluate(async (id) => {
                const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
                const response = await fetch(`/api/v1/credit-lines?enterpriseId=${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${token}` } });
                return ((await response.json()) as { items: unknown[] }).items.length;
            }, bankId);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(await lines()).to.equal(before);

        // Pressing the button again sends it, once.
        await grant.getByRole('button', { name: 'Grant credit line' }).click();
        await toast(bank, /Credit line granted/);
        expect(await lines()).to.equal(before + 1);
    });
});

describe('keyboard, confirmations and the issue form in the browser', function () {
    const suite = gatewayAndBrowser('keyboard');

    it('starts the sign-in page on the user name', async function () {
        const context = await suite.browser.newContext({ baseURL: suite.gateway.url });
        const page = await context.newPage();
        await page.goto('/#/');
        await page.locator('#login-form').waitFor();
        expect(await focused(page)).to.deep.include({ tag: 'input', name: 'username' });
        await page.keyboard.type('suzhou');
        expect(await page.inputValue('#login-form input[name=username]')).to.equal('suzhou');
    });

    it('offers the demo users on the sign-in page: one click fills the form, Enter signs in', async function () {
        const context = await suite.browser.newContext({ baseURL: suite.gateway.url });
        const page = await context.newPage();
        await page.goto('/#/');
        const hangzhou = page.locator('#demo-accounts button[data-username="hangzhou"]');
        await hangzhou.waitFor();
        expect(await page.locator('#demo-accounts button').count()).to.equal(10);
        expect((await hangzhou.textContent())?.replace(/\s+/g, ' ')).to.equal('hangzhou Supplier');
        // The hint arrives after the page: the focus stays where typing starts.
        expect(await focused(page)).to.deep.include({ tag: 'input', name: 'username' });
        await hangzhou.click();
        expect(await page.inputValue('#login-form input[name=username]')).to.equal('hangzhou');
        // The public demo password is filled in and shown; another (GATEWAY_DEMO_PASSWORD) is left to the user.
        const publicPassword = PASSWORD === 'xinlian-demo';
        expect(await page.inputValue('#login-form input[name=password]')).to.equal(publicPassword ? PASSWORD : '');
        expect(await page.locator('#demo-accounts code').count()).to.equal(publicPassword ? 1 : 0);
        if (!publicPassword) {
            await page.keyboard.type(PASSWORD);
        }
        await page.keyboard.press('Enter');
        await page.waitForSelector('#who');
        expect(await page.locator('#who').textContent()).to.include('hangzhou');
        await context.close();
    });

    it('gives the focus back to the button that asked after No or Escape, and keeps "Yes, revoke" red', async function () {
        const bureau = await signIn(suite.browser, suite.gateway.url, 'bureau');
        await open(bureau, '/attestations');
        const row = bureau.locator('#issued-passports tbody tr', { hasText: 'Suzhou' }).first();
        await row.locator('input[name=reason]').fill('Score under review');
        await row.getByRole('button', { name: 'Revoke', exact: true }).click();
        const yes = row.getByRole('button', { name: 'Yes, revoke' });
        expect(await focused(bureau)).to.deep.include({ tag: 'button', text: 'Yes, revoke' });
        expect(await yes.getAttribute('class')).to.equal('danger');
        await row.getByRole('button', { name: 'No', exact: true }).click();
        expect(await row.locator('.confirm').count()).to.equal(0);
        expect(await focused(bureau)).to.deep.include({ tag: 'button', text: 'Revoke' });

        // Escape answers No.
        await bureau.keyboard.press('Enter');
        await yes.waitFor();
        await bureau.keyboard.press('Escape');
        expect(await row.locator('.confirm').count()).to.equal(0);
        expect(await focused(bureau)).to.deep.include({ tag: 'button', text: 'Revoke' });
        expect(await row.locator('.badge').textContent()).to.equal('Valid');
    });

    it('gives the focus back to the button that opened a panel on Close and on Escape; Escape in a confirmation inside a panel only answers No', async function () {
        this.timeout(60_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const split = suzhou.locator('#holdings tbody tr', { hasText: 'Active' }).first().getByRole('button', { name: 'Split' });
        await split.click();
        expect(await focused(suzhou)).to.deep.include({ name: 'amounts' });
        await suzhou.locator('form[data-panel=split]').getByRole('button', { name: 'Close' }).click();
        await suzhou.locator('form[data-panel=split]').waitFor({ state: 'detached' });
        expect(await focused(suzhou)).to.deep.include({ tag: 'button', text: 'Split' });
        await suzhou.keyboard.press('Enter');
        await suzhou.locator('form[data-panel=split] input[name=amounts]').waitFor();
        await suzhou.keyboard.press('Escape');
        await suzhou.locator('form[data-panel=split]').waitFor({ state: 'detached' });
        expect(await focused(suzhou)).to.deep.include({ tag: 'button', text: 'Split' });

        const bank = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        await open(bank, '/credit-lines');
        await bank.locator('#credit-lines tbody tr button', { hasText: 'Change or revoke' }).first().click();
        const panel = bank.locator('section[data-panel=manage-line]');
        await panel.locator('input[name=reason]').fill('Closing the account');
        await panel.getByRole('button', { name: 'Revoke line' }).click();
        await panel.getByRole('button', { name: 'Yes, revoke line' }).waitFor();
        await bank.keyboard.press('Escape');
        expect(await panel.locator('.confirm').count()).to.equal(0);
        expect(await panel.count()).to.equal(1);
        expect(await focused(bank)).to.deep.include({ tag: 'button', text: 'Revoke line' });
        await bank.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });
        expect(await focused(bank)).to.deep.include({ tag: 'button', text: 'Change or revoke' });
    });

    it('makes the partner’s "Yes, accept" the primary button, and moves the focus to the outcome of recognising a passport', async function () {
        this.timeout(90_000);
        const b = suite.browser;
        const partner = await signIn(b, suite.gateway.url, 'singapore');
        const admin = await signIn(b, suite.gateway.url, 'admin');
        const day = 86_400_000;
        await apiAs(admin, 'POST', '/agreements', {
            partnerId: await ownerIdOf(partner),
            partnerMspId: 'PartnerMSP',
            gradeScale: [
                { minScore: 0, grade: 'C' },
                { minScore: 500, grade: 'B' },
                { minScore: 800, grade: 'A' },
            ],
            validFrom: new Date(Date.now() - day).toISOString(),
            validUntil: new Date(Date.now() + 365 * day).toISOString(),
        });
        await open(partner, '/agreements');
        const row = partner.locator('#agreements tbody tr', { hasText: 'Proposed' }).first();
        await row.getByRole('button', { name: 'Accept', exact: true }).click();
        const yes = row.getByRole('button', { name: 'Yes, accept' });
        expect(await yes.getAttribute('class')).to.equal('primary');
        expect(await row.locator('.confirm').getAttribute('class')).to.contain('confirm-primary');
        await screenshot(partner, 'partner-accept-confirm-primary');
        await yes.click();
        await toast(partner, /Agreement accepted/);

        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        await open(suzhou, '/passport');
        const json = (await suzhou.locator('#passport-json').textContent()) ?? '';
        await open(partner, '/verify');
        await partner.fill('#passport-input', json);
        await partner.getByRole('button', { name: 'Verify offline' }).click();
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised').waitFor();
        expect(await focused(partner)).to.deep.include({ tag: 'p', id: 'recognised' });
    });

    it('offers no more than the credit line has left, says so before sending, and counts one day as "1 day"', async function () {
        this.timeout(90_000);
        const b = suite.browser;
        const [suzhou, core, bank] = await Promise.all([signIn(b, suite.gateway.url, 'suzhou'), signIn(b, suite.gateway.url, 'huadong'), signIn(b, suite.gateway.url, 'jiangnan')]);
        const coreId = await ownerIdOf(core);
        const today = addDays(new Date(), 0);
        const cid = await uploadAs(suzhou, '%PDF-1.4 INV-LIMIT-200K');
        const receivable = await apiAs<{ id: string }>(suzhou, 'POST', '/receivables', { buyerId: coreId, invoiceNumber: 'INV-LIMIT-200K', amount: '20000000', currency: 'CNY', issueDate: today, dueDate: addDays(new Date(), 60), documentCid: cid });
        await apiAs(core, 'POST', `/receivables/${receivable.id}/confirm`, {}, 200);
        // The bank lowers the line to what is used plus CNY 45,000.00.
        const line = (await apiAs<{ items: Array<{ id: string; currency: string; used: string; status: string }> }>(bank, 'GET', `/credit-lines?enterpriseId=${encodeURIComponent(coreId)}`)).items.find((l) => l.currency === 'CNY' && l.status === 'ACTIVE');
        expect(line, 'the demo CNY line').to.not.equal(undefined);
        await apiAs(bank, 'POST', `/credit-lines/${line?.id}/limit`, { limit: (BigInt(line?.used ?? '0') + 4_500_000n).toString() }, 200);

        await open(core, '/issue');
        const form = core.locator('#issue-note');
        await form.locator('select[name=creditLineId]').selectOption(line?.id ?? '');
        await form.locator('label', { hasText: 'INV-LIMIT-200K' }).locator('input').check();
        expect(await form.locator('input[name=amount]').inputValue()).to.equal('45,000.00');
        expect(await core.locator('#issue-limit').textContent()).to.equal(
            'The selected receivables have CNY 200,000.00 available, but the credit line has only CNY 45,000.00 left: the amount is set to that.',
        );
        await screenshot(core, 'core-issue-capped-at-limit');

        // More than the line has left: said in the form, nothing sent (no ledger code).
        await form.locator('input[name=amount]').fill('200,000');
        await form.getByRole('button', { name: 'Issue note' }).click();
        const error = form.locator('.outcome .error');
        await error.waitFor();
        expect(await error.textContent()).to.contain('The credit line has CNY 45,000.00 left: the note can be at most that.');
        expect(await error.locator('.code').count()).to.equal(0);

        // Within it, maturing tomorrow: issued; the exposure says "in 1 day".
        const tomorrow = addDays(new Date(), 1);
        await form.locator('input[name=amount]').fill('45,000.00');
        await form.locator('input[name=maturityDate]').fill(tomorrow);
        await form.getByRole('button', { name: 'Issue note' }).click();
        await toast(core, /Note issued/);
        await open(core, '/exposure');
        const root = core.locator('section.root', { hasText: `matures ${tomorrow}` }).first();
        expect(minorOf((await root.locator('p').first().textContent()) ?? '')).to.equal('4500000');
        expect(await root.locator('p').first().textContent()).to.contain(`matures ${tomorrow} (in 1 day)`);
    });
});
