import { expect } from 'chai';
import type { Page, Route } from 'playwright-core';
import { addDays } from '../src/format';
import { checkSplit } from '../src/note-forms';
import { PASSWORD, open, screenshot, signIn } from './support/browser';
import { apiAs, minorOf, ownerIdOf, toast, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Forms, errors and the session in Debian's Chromium against the real gateway (embedded ledger, demo
 * seed, its own data directory): errors said next to their field (aria-invalid, aria-describedby,
 * the focus on the first), the limits the API documents checked before sending (and maxlength),
 * typed values kept while other pages are visited, a busy gateway's Retry-After, the reason a
 * session ended, and the skip link.
 */

/** What has the keyboard focus: tag, name and id. */
async function focused(page: Page): Promise<{ tag: string; name: string; id: string; value: string }> {
    return page.evaluate(() => {
        const e = document.activeElement as HTMLInputElement | null;
        return { tag: e?.tagName.toLowerCase() ?? '', name: e?.getAttribute('name') ?? '', id: e?.id ?? '', value: e?.value ?? '' };
    });
}

/** The texts that describe a control (aria-describedby), and whether it is marked invalid. */
async function described(page: Page, selector: string): Promise<{ invalid: string | null; description: string }> {
    return page.locator(selector).first().evaluate((control) => ({
        invalid: control.getAttribute('aria-invalid'),
        description: (control.getAttribute('aria-describedby') ?? '')
            .split(/\s+/)
            .filter(Boolean)
            .map((id) => document.getElementById(id)?.textContent ?? `#${id} missing`)
            .join(' | '),
    }));
}

/** Counts the requests of `page` that match. */
function countRequests(page: Page, method: string, path: RegExp): () => number {
    let n = 0;
    page.on('request', (request) => {
        if (request.method() === method && path.test(new URL(request.url()).pathname)) {
            n += 1;
        }
    });
    return () => n;
}

/** The answer the gateway gives while it cannot take requests yet (gateway app.ts bindServer), with its Retry-After. */
function busyAnswer(route: Route, retryAfterSeconds: number): Promise<void> {
    return route.fulfill({
        status: 503,
        headers: { 'Content-Type': 'application/problem+json', 'Retry-After': String(retryAfterSeconds) },
        body: JSON.stringify({ type: 'urn:xinlian:error:LEDGER_UNAVAILABLE', title: 'Ledger unavailable', status: 503, detail: 'the gateway is starting; try again shortly', code: 'LEDGER_UNAVAILABLE' }),
    });
}

describe('forms and errors in the browser', function () {
    const suite = gatewayAndBrowser('forms');

    it('says a form check next to its field (aria-invalid, aria-describedby), moves the focus there, and keeps a summary', async function () {
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        await open(admin, '/onboarding');
        const form = admin.locator('#register-enterprise');
        await form.locator('input[name=id]').fill('529900T8BM49AURSDO55');
        await form.locator('input[name=country]').fill('SG');
        await form.getByRole('button', { name: 'Register enterprise' }).click();
        const summary = form.locator('.outcome .error[role=alert]');
        await summary.waitFor();
        expect(await summary.textContent()).to.equal('Enter the name.');
        expect(await described(admin, '#register-enterprise input[name=name]')).to.deep.equal({ invalid: 'true', description: 'Enter the name.' });
        // Said in the name's field, right under it.
        expect(await form.locator('label.field', { has: admin.locator('input[name=name]') }).locator('.field-error').textContent()).to.equal('Enter the name.');
        expect(await focused(admin)).to.deep.include({ tag: 'input', name: 'name' });
        // Not part of the field's name: the label stays "Name".
        expect(await form.getByRole('textbox', { name: 'Name', exact: true }).count()).to.equal(1);
        await screenshot(admin, 'field-error-name');

        // Sent again with the name: the error leaves the field.
        await form.locator('input[name=name]').fill('Field Error Test Pte. Ltd.');
        await form.locator('input[name=id]').fill('');
        await form.getByRole('button', { name: 'Register enterprise' }).click();
        await summary.filter({ hasNotText: 'Enter the name.' }).waitFor();
        expect(await described(admin, '#register-enterprise input[name=name]')).to.deep.equal({ invalid: null, description: '' });
        // What is wrong now is the identifier's: said under it alone.
        expect(await form.locator('.field-error').count()).to.equal(1);
        expect((await described(admin, '#register-enterprise input[name=id]')).invalid).to.equal('true');
        expect(await focused(admin)).to.deep.include({ tag: 'input', name: 'id' });
    });

    it('says a check other than a missing value next to its field too: a split that does not add up, an offer valid too long', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const sent = countRequests(suzhou, 'POST', /\/api\/v1\/(notes\/[^/]+\/split|offers)$/);
        await open(suzhou, '/notes');
        const row = suzhou.locator('#holdings tbody tr', { hasText: 'Active' }).first();
        const face = minorOf((await row.locator('.money').first().textContent()) ?? '');
        await row.getByRole('button', { name: 'Split' }).click();
        const split = suzhou.locator('form[data-panel=split]');
        await split.locator('input[name=amounts]').fill('1; 2');
        await split.getByRole('button', { name: 'Split note' }).click();
        const summary = split.locator('.outcome .error[role=alert]');
        await summary.waitFor();
        // The split check's own words, unchanged, under the amounts box.
        const expected = checkSplit('1; 2', face, 'CNY').message;
        expect(expected).to.match(/^2 parts read .* short\)\.$/);
        expect(await described(suzhou, 'form[data-panel=split] input[name=amounts]')).to.deep.equal({ invalid: 'true', description: expected });
        expect(await split.locator('label.field', { has: suzhou.locator('input[name=amounts]') }).locator('.field-error').textContent()).to.equal(expected);
        expect(await focused(suzhou)).to.deep.include({ tag: 'input', name: 'amounts' });
        // The summary says it as it is: the sentence says what it is about.
        expect(await summary.textContent()).to.equal(expected);
        await split.getByRole('button', { name: 'Close' }).click();

        // An offer valid for longer than the client offers: said under the days, the amount left alone.
        await row.getByRole('button', { name: 'Transfer' }).click();
        const transfer = suzhou.locator('form[data-panel=transfer]');
        await transfer.locator('select[name=toId]').selectOption({ index: 1 });
        await transfer.locator('input[name=amount]').fill('1.00');
        await transfer.locator('input[name=days]').fill('45');
        await transfer.getByRole('button', { name: 'Offer transfer' }).click();
        await transfer.locator('.outcome .error[role=alert]').waitFor();
        const days = await described(suzhou, 'form[data-panel=transfer] input[name=days]');
        expect(days.invalid).to.equal('true');
        expect(days.description).to.match(/^An offer can be valid for 1 to 30 whole days/);
        expect(await described(suzhou, 'form[data-panel=transfer] input[name=amount]')).to.deep.equal({ invalid: null, description: '' });
        expect(await focused(suzhou)).to.deep.include({ tag: 'input', name: 'days' });
        // An amount that is not one: said under the amount.
        await transfer.locator('input[name=amount]').fill('1.234');
        await transfer.getByRole('button', { name: 'Offer transfer' }).click();
        await transfer.locator('.outcome .error[role=alert]', { hasNotText: 'whole days' }).waitFor();
        expect((await described(suzhou, 'form[data-panel=transfer] input[name=amount]')).invalid).to.equal('true');
        expect(await described(suzhou, 'form[data-panel=transfer] input[name=days]')).to.deep.equal({ invalid: null, description: '' });
        expect(await focused(suzhou)).to.deep.include({ tag: 'input', name: 'amount' });
        expect(sent(), 'nothing sent').to.equal(0);
        await screenshot(suzhou, 'field-error-offer-days');
    });

    it('gives text fields the maxlength the API documents, and checks the limits it documents before sending', async function () {
        this.timeout(90_000);
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        await open(admin, '/onboarding');
        const form = admin.locator('#register-enterprise');
        await form.locator('input[name=id]').fill('529900T8BM49AURSDO55');
        await form.locator('input[name=country]').fill('SG');
        const name = form.locator('input[name=name]');
        expect(await name.getAttribute('maxlength')).to.equal('200');
        await name.fill('N'.repeat(250));
        expect((await name.inputValue()).length, 'the browser takes no more than the API').to.equal(200);
        // A longer value set by a script (or a browser without maxlength) is refused before sending, on the field.
        const registrations = countRequests(admin, 'POST', /\/api\/v1\/enterprises$/);
        await name.evaluate((input: HTMLInputElement) => {
            input.value = 'N'.repeat(230);
        });
        await form.getByRole('button', { name: 'Register enterprise' }).click();
        const summary = form.locator('.outcome .error[role=alert]');
        await summary.waitFor();
        expect(await summary.textContent()).to.equal('Name: at most 200 characters are allowed here (230 typed).');
        expect(await described(admin, '#register-enterprise input[name=name]')).to.deep.equal({ invalid: 'true', description: 'At most 200 characters are allowed here (230 typed).' });
        expect(await focused(admin)).to.deep.include({ name: 'name' });
        expect(registrations(), 'nothing sent').to.equal(0);
        // A reason box too, also in a panel opened later (the regulator's freeze reason).
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        await open(regulator, '/enterprises');
        await regulator.locator('#enterprises a', { hasText: 'Hangzhou' }).first().click();
        await regulator.waitForSelector('main[data-view="/enterprises/:id"]');
        expect(await regulator.getByRole('textbox', { name: /Reason to freeze/ }).getAttribute('maxlength')).to.equal('500');

        // The 50 receivables a note may draw on at most: said on the receivables before anything is sent.
        const [suzhou, core] = await Promise.all([signIn(suite.browser, suite.gateway.url, 'suzhou'), signIn(suite.browser, suite.gateway.url, 'huadong')]);
        const coreId = await ownerIdOf(core);
        const today = addDays(new Date(), 0);
        for (let i = 1; i <= 51; i++) {
            const invoice = `INV-FIFTY-${String(i).padStart(2, '0')}`;
            const cid = await uploadAs(suzhou, `%PDF-1.4 ${invoice}`);
            const receivable = await apiAs<{ id: string }>(suzhou, 'POST', '/receivables', { buyerId: coreId, invoiceNumber: invoice, amount: '10000', currency: 'CNY', issueDate: today, dueDate: addDays(new Date(), 60), documentCid: cid });
            await apiAs(core, 'POST', `/receivables/${receivable.id}/confirm`, {}, 200);
        }
        await open(core, '/issue');
        const issue = core.locator('#issue-note');
        const lineId = await issue.locator('select[name=creditLineId] option', { hasText: 'CNY' }).first().getAttribute('value');
        await issue.locator('select[name=creditLineId]').selectOption(lineId ?? '');
        const boxes = issue.locator('label.check', { hasText: 'INV-FIFTY-' }).locator('input');
        expect(await boxes.count()).to.equal(51);
        for (const box of await boxes.all()) {
            await box.check();
        }
        const issues = countRequests(core, 'POST', /\/api\/v1\/notes$/);
        await issue.getByRole('button', { name: 'Issue note' }).click();
        const refused = issue.locator('.outcome .error[role=alert]');
        await refused.waitFor();
        expect(await refused.textContent()).to.equal('Confirmed receivables: at most 50 are allowed here at once (51 given).');
        expect(await issue.locator('fieldset > .field-error').textContent()).to.equal('At most 50 are allowed here at once (51 given).');
        expect(await described(core, '#issue-note input[name=receivableIds]:checked')).to.deep.equal({ invalid: 'true', description: 'At most 50 are allowed here at once (51 given).' });
        expect(await focused(core)).to.deep.include({ tag: 'input', name: 'receivableIds' });
        expect(issues(), 'nothing sent').to.equal(0);
        await screenshot(core, 'field-error-fifty-receivables');
    });

    it('ties the gateway’s refusal of a field (400 body.<field>) to that field, by its label, never "body.invoiceNumber:"', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/receivables');
        const form = suzhou.locator('#register-receivable');
        await form.locator('select[name=buyerId]').selectOption({ label: 'Huadong Heavy Industries Co., Ltd.' });
        // Not checked in the page: the gateway's pattern refuses it.
        await form.locator('input[name=invoiceNumber]').fill('发票 2026-1');
        await form.locator('input[name=amount]').fill('1000');
        await form.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 pattern') });
        await form.getByRole('button', { name: 'Register receivable' }).click();
        const summary = form.locator('.outcome .error[role=alert]');
        await summary.waitFor();
        expect(await summary.getAttribute('data-code')).to.equal('INVALID_ARGUMENT');
        const text = (await summary.textContent()) ?? '';
        expect(text).to.contain('Invoice number: ');
        expect(text).to.not.match(/body\.|Body\.|invoiceNumber/);
        // The summary links to the field; the field says what the gateway said, and has the focus.
        expect(await summary.locator('ul.problems a').getAttribute('href')).to.match(/^#field-/);
        const { invalid, description } = await described(suzhou, '#register-receivable input[name=invoiceNumber]');
        expect(invalid).to.equal('true');
        expect(description).to.not.equal('').and.not.match(/body\./);
        expect(text).to.contain(description.charAt(0).toLowerCase() + description.slice(1));
        expect(await focused(suzhou)).to.deep.include({ name: 'invoiceNumber' });
        // The link takes the keyboard back to the field.
        await suzhou.locator('input[name=amount]').focus();
        await summary.locator('ul.problems a').click();
        expect(await focused(suzhou)).to.deep.include({ name: 'invoiceNumber' });
        expect(new URL(suzhou.url()).hash).to.equal('#/receivables');
    });

    it('keeps what was typed when the user visits another page and comes back; not a password, not once sent, not after signing out', async function () {
        this.timeout(90_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/receivables');
        const form = suzhou.locator('#register-receivable');
        await form.locator('select[name=buyerId]').selectOption({ label: 'Huadong Heavy Industries Co., Ltd.' });
        await form.locator('input[name=invoiceNumber]').fill('INV-DRAFT-1');
        await form.locator('input[name=amount]').fill('4,321.00');
        await open(suzhou, '/account');
        const passwords = suzhou.locator('main input[type=password]');
        await passwords.nth(0).fill('current-secret-1');
        await open(suzhou, '/notes');
        await open(suzhou, '/receivables');
        expect(await form.locator('input[name=invoiceNumber]').inputValue()).to.equal('INV-DRAFT-1');
        expect(await form.locator('input[name=amount]').inputValue()).to.equal('4,321.00');
        expect(await form.locator('select[name=buyerId] option:checked').textContent()).to.contain('Huadong');
        // Never a password.
        await open(suzhou, '/account');
        expect(await passwords.nth(0).inputValue()).to.equal('');
        // The browser's back button too.
        await suzhou.goBack();
        await suzhou.waitForSelector('main[data-view="/receivables"]');
        expect(await form.locator('input[name=invoiceNumber]').inputValue()).to.equal('INV-DRAFT-1');

        // Sent successfully: the form starts empty afterwards, also after a visit elsewhere.
        await form.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 INV-DRAFT-1') });
        await form.getByRole('button', { name: 'Register receivable' }).click();
        await toast(suzhou, /Receivable registered/);
        expect(await form.locator('input[name=invoiceNumber]').inputValue()).to.equal('');
        await open(suzhou, '/notes');
        await open(suzhou, '/receivables');
        expect(await form.locator('input[name=invoiceNumber]').inputValue()).to.equal('');

        // Typed again, then signed out: the next sign-in, the same user's too, starts empty.
        await form.locator('input[name=invoiceNumber]').fill('INV-DRAFT-2');
        await open(suzhou, '/notes');
        await suzhou.getByRole('button', { name: 'Sign out' }).click();
        await suzhou.locator('#login-form').waitFor();
        await suzhou.fill('#login-form input[name=username]', 'suzhou');
        await suzhou.fill('#login-form input[name=password]', PASSWORD);
        await suzhou.click('#login-form button[type=submit]');
        await suzhou.waitForSelector('#who');
        await open(suzhou, '/receivables');
        expect(await form.locator('input[name=invoiceNumber]').inputValue()).to.equal('');
        expect(await suzhou.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(sessionStorage))))).to.not.contain('INV-DRAFT');
    });

    it('waits as a busy gateway asks (503 Retry-After) before reading again, once; else says when to try again', async function () {
        this.timeout(60_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        // The sold ones: the page reads those and the owed ones at once.
        const receivables = /\/api\/v1\/receivables\?.*role=seller/;
        const seen: number[] = [];
        let busyFor = 1;
        await suzhou.route(receivables, async (route) => {
            seen.push(Date.now());
            if (busyFor > 0) {
                busyFor -= 1;
                await busyAnswer(route, 1);
            } else {
                await route.continue();
            }
        });
        await open(suzhou, '/receivables');
        await suzhou.locator('#register-receivable').waitFor();
        expect(await suzhou.locator('main .error').count()).to.equal(0);
        expect(seen.length).to.be.greaterThanOrEqual(2);
        expect(seen[1] - seen[0], 'the second after the wait asked for').to.be.greaterThanOrEqual(950);

        // Busy twice: the page says so, and when to try again; "Try again" reads again.
        await open(suzhou, '/notes');
        seen.length = 0;
        busyFor = 2;
        await open(suzhou, '/receivables');
        const error = suzhou.locator('main .error[data-code=LEDGER_UNAVAILABLE]');
        await error.waitFor();
        expect(await error.locator('strong').textContent()).to.equal('The platform is busy right now (starting up or under heavy load) and asked to wait. Please try again in 1 second.');
        expect(seen).to.have.length(2);
        await suzhou.locator('#view-retry').click();
        await suzhou.locator('#register-receivable').waitFor();

        // A write is sent again only with its Idempotency-Key, and recorded once.
        const bank = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const keys: string[] = [];
        let busyWrites = 1;
        await bank.route(/\/api\/v1\/credit-lines$/, async (route) => {
            if (route.request().method() !== 'POST') {
                await route.continue();
                return;
            }
            keys.push((await route.request().allHeaders())['idempotency-key'] ?? '');
            if (busyWrites > 0) {
                busyWrites -= 1;
                await busyAnswer(route, 1);
            } else {
                await route.continue();
            }
        });
        await open(bank, '/credit-lines');
        const grant = bank.locator('#grant-line');
        await grant.locator('input[name=limit]').fill('654321');
        await grant.getByRole('button', { name: 'Grant credit line' }).click();
        await toast(bank, /Credit line granted/);
        expect(keys).to.have.length(2);
        expect(keys[0]).to.not.equal('');
        expect(keys[1]).to.equal(keys[0]);
    });

    it('says why the session ended: the password changed elsewhere, the account disabled, signed out in a tab that shared it', async function () {
        this.timeout(120_000);
        const b = suite.browser;
        const url = suite.gateway.url;

        // The password changed in another tab (or device).
        const [tab, other] = await Promise.all([signIn(b, url, 'hangzhou'), signIn(b, url, 'hangzhou')]);
        await open(tab, '/receivables');
        await tab.locator('#register-receivable input[name=invoiceNumber]').fill('INV-KEPT-1');
        const newPassword = 'hangzhou-new-pass-1';
        await other.evaluate(
            async ({ current, next }) => {
                const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
                const response = await fetch('/api/v1/auth/password', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ currentPassword: current, newPassword: next }) });
                if (response.status !== 204) {
                    throw new Error(`password change: ${response.status}`);
                }
            },
            { current: PASSWORD, next: newPassword },
        );
        const dialog = tab.locator('dialog#session-dialog[open][data-mode=ended]');
        await dialog.waitFor({ timeout: 45_000 });
        expect(await dialog.locator('h2').textContent()).to.equal('Your password was changed');
        expect(await dialog.getAttribute('data-reason')).to.equal('password-changed');
        expect(await dialog.locator('#session-dialog-text').textContent()).to.contain('was changed, on another tab or device').and.not.contain('limited time');
        expect(await tab.locator('#register-receivable input[name=invoiceNumber]').inputValue()).to.equal('INV-KEPT-1');
        await screenshot(tab, 'session-ended-password-changed');
        await dialog.getByLabel('New password of hangzhou').fill(newPassword);
        await dialog.getByRole('button', { name: 'Sign in again' }).click();
        await tab.locator('dialog#session-dialog').waitFor({ state: 'detached' });
        // A reload of a tab whose token the change ended says it on the sign-in page.
        await other.reload();
        await other.locator('#login-form #session-expired', { hasText: 'Your password was changed' }).waitFor();

        // The administrator disables the account.
        const [bureau, admin] = await Promise.all([signIn(b, url, 'bureau'), signIn(b, url, 'admin')]);
        await apiAs(admin, 'POST', '/users/bureau/disable', undefined, 200);
        const disabled = bureau.locator('dialog#session-dialog[open][data-mode=ended]');
        await disabled.waitFor({ timeout: 45_000 });
        expect(await disabled.getAttribute('data-reason')).to.equal('disabled');
        expect(await disabled.locator('h2').textContent()).to.equal('Your account has been disabled');
        expect(await disabled.locator('#session-dialog-text').textContent()).to.contain('platform administrator disabled bureau');
        await apiAs(admin, 'POST', '/users/bureau/enable', undefined, 200);

        // The same session (a tab opened from it has a copy of its session, token included) signed out in the other one.
        const appraiser = await signIn(b, url, 'appraiser');
        const [copy] = await Promise.all([appraiser.context().waitForEvent('page'), appraiser.evaluate(() => void window.open(window.location.href))]);
        await copy.waitForSelector('#who');
        await copy.getByRole('button', { name: 'Sign out' }).click();
        const signedOut = appraiser.locator('dialog#session-dialog[open][data-mode=ended]');
        await signedOut.waitFor({ timeout: 45_000 });
        expect(await signedOut.getAttribute('data-reason')).to.equal('signed-out');
        expect(await signedOut.locator('h2').textContent()).to.equal('You were signed out');
    });

    it('offers a skip link first, visible when the keyboard reaches it, that takes the keyboard to the page', async function () {
        const page = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        await open(page, '/credit-lines');
        await page.reload();
        await page.waitForSelector('main[data-view="/credit-lines"]');
        const skip = page.locator('#skip-link');
        // Out of sight until then.
        const hidden = await skip.boundingBox();
        expect((hidden?.y ?? 0) + (hidden?.height ?? 0)).to.be.at.most(0);
        await page.keyboard.press('Tab');
        expect(await focused(page)).to.deep.include({ tag: 'a', id: 'skip-link' });
        expect(await skip.textContent()).to.equal('Skip to main content');
        const shown = await skip.boundingBox();
        expect(shown?.y ?? -1).to.be.greaterThanOrEqual(0);
        expect(shown?.height ?? 0).to.be.greaterThan(10);
        await screenshot(page, 'skip-link');
        await page.keyboard.press('Enter');
        expect(await focused(page)).to.deep.include({ tag: 'main', id: 'main' });
        expect(new URL(page.url()).hash, 'not taken for a route').to.equal('#/credit-lines');
        // The next Tab is inside the page, past the header and the navigation.
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement) ?? false)).to.equal(true);
    });
});
