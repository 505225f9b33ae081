import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { PASSWORD, open, signIn } from './support/browser';
import { apiAs, ownerIdOf, toast } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Fixes found by QA, in Debian's Chromium against the real gateway: an uploaded HTML document never
 * runs in the app's origin; a frozen buyer is not offered Confirm / Dispute; an invoice form with a
 * bad amount uploads nothing; the admin registers a foreign partner by LEI, proposes a recognition
 * agreement and generates / revokes bureau keys; the verify page works with no network and does not
 * offer to recognise a passport twice; an expired session returns to the page after sign-in, and
 * what is typed on the sign-in page meanwhile stays; signing out ends the token on the gateway.
 */

/** Uploads `text` as the page's user with the media type the uploader claims; returns its CID. */
async function uploadTyped(page: Page, text: string, mediaType: string): Promise<string> {
    return page.evaluate(
        async ({ text, mediaType }) => {
            const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
            const response = await fetch('/api/v1/documents', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': mediaType }, body: text });
            if (response.status !== 201) {
                throw new Error(`upload: ${response.status} ${await response.text()}`);
            }
            return ((await response.json()) as { cid: string }).cid;
        },
        { text, mediaType },
    );
}

const today = (days = 0): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('QA fixes in the browser', function () {
    const suite = gatewayAndBrowser('platform-fixes');

    it('never runs an uploaded HTML document in the app origin: the buyer\'s Open downloads it', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const core = await signIn(suite.browser, suite.gateway.url, 'huadong');
        const cid = await uploadTyped(suzhou, "<script>document.title='PWNED origin='+location.origin</script>", 'text/html');
        await apiAs(suzhou, 'POST', '/receivables', { buyerId: await ownerIdOf(core), invoiceNumber: 'XSS-1', amount: '100000', currency: 'CNY', issueDate: today(), dueDate: today(30), documentCid: cid });

        const opened: Page[] = [];
        core.context().on('page', (page) => opened.push(page));
        await open(core, '/confirmations');
        const row = core.locator('#receivables tbody tr', { hasText: 'XSS-1' });
        const [download] = await Promise.all([core.waitForEvent('download', { timeout: 15_000 }), row.getByRole('button', { name: 'Open' }).click()]);
        expect(download.suggestedFilename()).to.equal('invoice-XSS-1.bin');
        await core.waitForTimeout(1_000);
        expect(opened.length, 'no tab opened on the document').to.equal(0);
        expect(await core.title()).to.not.contain('PWNED');
        for (const page of core.context().pages()) {
            expect(await page.title()).to.not.contain('PWNED');
        }
    });

    it('disables Confirm and Dispute for a frozen buyer, with the freeze as the reason', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        let core = await signIn(suite.browser, suite.gateway.url, 'huadong');
        const coreId = await ownerIdOf(core);
        const cid = await uploadTyped(suzhou, '%PDF-1.4 invoice', 'application/pdf');
        await apiAs(suzhou, 'POST', '/receivables', { buyerId: coreId, invoiceNumber: 'FRZ-1', amount: '100000', currency: 'CNY', issueDate: today(), dueDate: today(30), documentCid: cid });
        await apiAs(regulator, 'POST', `/enterprises/${coreId}/freeze`, { reason: 'QA freeze' }, 200);
        try {
            await core.context().close();
            core = await signIn(suite.browser, suite.gateway.url, 'huadong');
            await open(core, '/confirmations');
            const row = core.locator('#receivables tbody tr', { hasText: 'FRZ-1' });
            for (const name of ['Confirm', 'Dispute']) {
                const action = row.getByRole('button', { name, exact: true });
                expect(await action.isDisabled(), name).to.equal(true);
                expect(await action.getAttribute('title'), name).to.contain('frozen');
            }
        } finally {
            await apiAs(regulator, 'POST', `/enterprises/${coreId}/unfreeze`, { reason: 'cleared' }, 200);
        }
    });

    it('checks an invoice\'s amount before uploading its document', async function () {
        this.timeout(60_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const uploads: string[] = [];
        suzhou.on('request', (request) => {
            if (request.method() === 'POST' && request.url().includes('/api/v1/documents')) {
                uploads.push(request.url());
            }
        });
        await open(suzhou, '/receivables');
        const form = suzhou.locator('#register-receivable');
        // The default dates are the ledger's today and 60 days on.
        expect(await form.locator('input[name=issueDate]').inputValue()).to.equal(today());
        await form.locator('select[name=buyerId]').selectOption({ label: 'Huadong Heavy Industries Co., Ltd.' });
        await form.locator('input[name=invoiceNumber]').fill('BIG-1');
        await form.locator('input[name=amount]').fill('99999999999999999999999');
        await form.locator('input[type=file]').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 big') });
        await form.getByRole('button', { name: 'Register receivable' }).click();
        await form.locator('.error', { hasText: 'too large' }).waitFor();
        expect(await form.locator('.error').textContent()).to.not.match(/INVALID_ARGUMENT|request\./);
        expect(uploads, 'nothing uploaded').to.deep.equal([]);
    });

    it('verifies a passport with no network against the keys last read, and never offers to recognise it twice', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        const link = ((await suzhou.locator('#passport-link').getAttribute('href')) ?? '').replace(/^.*#/, '/#');

        const partner = await signIn(suite.browser, suite.gateway.url, 'singapore');
        await partner.goto(link);
        await partner.locator('#ledger-verdict', { hasText: 'Anchored and valid on the ledger' }).waitFor();
        // The textarea has a label.
        expect(await partner.getByLabel('Passport (its JSON or its verification link)').count()).to.equal(1);
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised').waitFor();

        // Checked again: the recognition is shown, not offered again (the ledger would refuse it).
        await partner.reload();
        await partner.locator('#ledger-verdict #already-recognised').waitFor();
        expect(await partner.getByRole('button', { name: 'Recognise passport' }).count()).to.equal(0);

        // No network: the check still gives a verdict, against the keys read before, and says the ledger was not asked.
        await partner.context().setOffline(true);
        try {
            await partner.locator('#verify-result').evaluate((e) => e.replaceChildren());
            await partner.getByRole('button', { name: 'Verify offline' }).click();
            await partner.locator('#offline-verdict', { hasText: 'Authentic passport (checked offline)' }).waitFor();
            expect(await partner.locator('#offline-verdict li.ok').count()).to.equal(4);
            expect(await partner.locator('#keys-age').textContent()).to.match(/last read from the platform, .* ago/);
            await partner.locator('#ledger-skipped').waitFor();
            expect(await partner.locator('#verify-form .error').count()).to.equal(0);
        } finally {
            await partner.context().setOffline(false);
        }
    });

    it('lets the admin propose an agreement the partner then sees, and generate and revoke a bureau key', async function () {
        this.timeout(120_000);
        const partner = await signIn(suite.browser, suite.gateway.url, 'singapore');
        const partnerId = await ownerIdOf(partner);
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        expect((await admin.locator('nav a').allTextContents()).map((t) => t.trim())).to.include('Recognition & keys');
        await open(admin, '/recognition');
        const propose = admin.locator('#propose-agreement');
        await propose.locator('select[name=partnerId]').selectOption({ value: partnerId });
        await propose.locator('textarea[name=gradeScale]').fill('Gold: 850\nSilver: 0');
        await propose.locator('input[name=validUntil]').fill(today(200));
        await propose.getByRole('button', { name: 'Propose agreement' }).click();
        await toast(admin, /Agreement proposed/);
        await admin.locator('#all-agreements tbody tr', { hasText: 'Gold 850–1000' }).locator('.badge', { hasText: 'Proposed' }).waitFor();

        await open(partner, '/agreements');
        const row = partner.locator('#agreements tbody tr', { hasText: 'Gold 850–1000 · Silver 0–849' });
        expect(await row.locator('.badge').textContent()).to.equal('Proposed');
        expect(await row.getByRole('button', { name: 'Accept', exact: true }).count()).to.equal(1);

        // A key rotation: generating while the bureau has an active key is refused in words; revoke it, then generate.
        const bureauRows = admin.locator('#bureau-keys tbody tr');
        const oldKey = bureauRows.filter({ has: admin.locator('.badge', { hasText: 'Active' }) }).first();
        const oldAddress = (await oldKey.getAttribute('data-key-address')) ?? (await oldKey.locator('[data-key-address]').getAttribute('data-key-address'));
        const generate = admin.locator('#generate-bureau-key');
        await generate.locator('input[name=label]').fill('QA key');
        await generate.getByRole('button', { name: 'Generate key' }).click();
        await generate.locator('.error', { hasText: 'already has an active key' }).waitFor();
        expect(await generate.locator('.error').textContent()).to.not.contain('ALREADY_EXISTS');
        await oldKey.locator('input[name=reason]').fill('QA rotation');
        await oldKey.getByRole('button', { name: 'Revoke key' }).click();
        await oldKey.getByRole('button', { name: 'Yes, revoke key' }).click();
        await toast(admin, /Key revoked/);
        await admin.locator('#bureau-keys tbody tr', { hasText: oldAddress ?? '' }).locator('.badge', { hasText: 'Revoked' }).waitFor();
        await generate.locator('input[name=label]').fill('QA key');
        await generate.getByRole('button', { name: 'Generate key' }).click();
        await toast(admin, /generated and published/);
        expect(await admin.locator('#bureau-keys tbody tr', { hasText: 'QA key' }).locator('.badge').textContent()).to.equal('Active');
    });

    it('registers a foreign partner by LEI, and says in words what is wrong with a country or a username', async function () {
        this.timeout(120_000);
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        await open(admin, '/onboarding');
        const register = admin.locator('#register-enterprise');
        await register.getByLabel('USCC or LEI').fill('529900T8BM49AURSDO55');
        expect(await register.getByLabel('USCC or LEI').inputValue()).to.equal('529900T8BM49AURSDO55');
        await register.locator('input[name=name]').fill('Deutsche Test Partner GmbH');
        await register.locator('select[name=kind]').selectOption('FOREIGN_PARTNER');
        await register.locator('input[name=country]').fill('1A');
        await register.getByRole('button', { name: 'Register enterprise' }).click();
        await register.locator('.error', { hasText: 'two-letter ISO 3166 code' }).waitFor();
        expect(await register.locator('.error').textContent()).to.not.match(/pattern|Invalid string/);
        await register.locator('input[name=country]').fill('');
        await register.getByRole('button', { name: 'Register enterprise' }).click();
        await register.locator('.error', { hasText: 'needs its country' }).waitFor();
        await register.locator('input[name=country]').fill('DE');
        await register.getByRole('button', { name: 'Register enterprise' }).click();
        await toast(admin, /Enterprise registered/);
        await admin.locator('#all-enterprises tbody tr', { hasText: 'Deutsche Test Partner GmbH' }).waitFor();

        // A username already taken: said in words, not "already exists on the ledger".
        const create = admin.locator('#create-user');
        await create.locator('select[name=enterpriseId]').selectOption({ label: 'Deutsche Test Partner GmbH (Foreign partner)' });
        await create.locator('input[name=username]').fill('suzhou');
        await create.locator('input[name=password]').fill('long-enough-1');
        await create.getByRole('button', { name: 'Create user' }).click();
        await create.locator('.error', { hasText: 'already a user named suzhou' }).waitFor();
        expect(await create.locator('.error').textContent()).to.not.contain('ledger');
    });

    it('hides the Passport page from financiers', async function () {
        this.timeout(60_000);
        const bank = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        expect((await bank.locator('nav a').allTextContents()).map((t) => t.trim())).to.not.include('Passport');
    });

    /** Suzhou on its Receivables page with a token the gateway refuses kept in the tab, as after an expiry: a reload restores it. */
    async function onReceivablesWithExpiredToken(): Promise<Page> {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/receivables');
        await suzhou.evaluate(() => {
            const session = JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string };
            session.token = 'expired-token';
            sessionStorage.setItem('xinlian.session', JSON.stringify(session));
        });
        return suzhou;
    }

    it('says an expired session has expired and returns to the page after signing in again', async function () {
        this.timeout(60_000);
        const suzhou = await onReceivablesWithExpiredToken();
        await suzhou.reload();
        await suzhou.locator('#login-form #session-expired', { hasText: 'Your session has expired; sign in again' }).waitFor();
        expect(new URL(suzhou.url()).hash).to.equal('#/receivables');
        await suzhou.fill('#login-form input[name=username]', 'suzhou');
        await suzhou.fill('#login-form input[name=password]', PASSWORD);
        await suzhou.click('#login-form button[type=submit]');
        await suzhou.waitForSelector('main[data-view="/receivables"]');
    });

    it('ends the session on the gateway when the user signs out, not only in the tab', async function () {
        this.timeout(60_000);
        const bank = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const token = await bank.evaluate(() => (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token);
        const meWith = (page: Page, bearer: string | undefined): Promise<number> =>
            page.evaluate(async (bearer) => (await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${bearer ?? ''}` } })).status, bearer);
        expect(await meWith(bank, token)).to.equal(200);
        const loggedOut = bank.waitForResponse((response) => response.url().endsWith('/api/v1/auth/logout'));
        await bank.getByRole('button', { name: 'Sign out' }).click();
        await bank.locator('#login-form').waitFor();
        expect((await loggedOut).status()).to.equal(204);
        expect(await meWith(bank, token)).to.equal(401);
    });

    it('keeps what is typed on the sign-in page while an expired session is still being cleared', async function () {
        this.timeout(60_000);
        const suzhou = await onReceivablesWithExpiredToken();
        // After the refused token the app asks the ledger's time; held here until the form is filled
        // (or 1.5 s, for a page that shows the form only after asking), as on a slow link.
        let filled: () => void = () => undefined;
        const typed = new Promise<void>((resolve) => {
            filled = resolve;
            setTimeout(resolve, 1_500);
        });
        await suzhou.route('**/api/v1/health/ready', async (route) => {
            await typed;
            await route.continue();
        });
        await suzhou.reload();
        await suzhou.locator('#login-form #session-expired').waitFor();
        await suzhou.fill('#login-form input[name=username]', 'suzhou');
        await suzhou.fill('#login-form input[name=password]', PASSWORD);
        filled();
        await suzhou.waitForLoadState('networkidle');
        expect(await suzhou.inputValue('#login-form input[name=username]')).to.equal('suzhou');
        expect(await suzhou.inputValue('#login-form input[name=password]')).to.equal(PASSWORD);
        expect(await suzhou.evaluate(() => document.activeElement?.getAttribute('name'))).to.equal('password');
        await suzhou.unroute('**/api/v1/health/ready');
        await suzhou.click('#login-form button[type=submit]');
        await suzhou.waitForSelector('main[data-view="/receivables"]');
    });
});
