import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { open, screenshot, signIn } from './support/browser';
import { apiAs, ownerIdOf, toast } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Accounts, in Debian's Chromium against the real gateway: a user changes its password on the
 * Account page and is signed out (the old password and the old session stop working, the new one
 * signs in); the administrator disables a user, who then cannot sign in, and enables it again; the
 * regulator and an enterprise's own users see the identities enrolled for its users; too many
 * failed sign-ins are told with the wait the gateway asks for.
 */

/** Fills the sign-in form of `page` and submits it. */
async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
}

/** The answer status of GET /me with the bearer token `token`, from inside `page`. */
async function meStatus(page: Page, token: string): Promise<number> {
    return page.evaluate(async (token) => (await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status, token);
}

/** The bearer token of the page's session. */
async function tokenOf(page: Page): Promise<string> {
    return page.evaluate(() => (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token ?? '');
}

describe('Accounts in the browser', function () {
    const suite = gatewayAndBrowser('account');

    /** Creates a supplier user of Hangzhou through the API as the admin; returns the admin's page. */
    async function createSupplierUser(username: string, password: string): Promise<Page> {
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        await apiAs(admin, 'POST', '/users', { username, password, role: 'supplier', enterpriseId: await ownerIdOf(hangzhou) });
        await hangzhou.context().close();
        return admin;
    }

    it('changes the password on the Account page, signs the user out, refuses the old password and session, and signs in with the new one', async function () {
        this.timeout(120_000);
        await createSupplierUser('account.one', 'first-password-1');
        const user = await signIn(suite.browser, suite.gateway.url, 'account.one', 'first-password-1');
        const oldToken = await tokenOf(user);
        expect((await user.locator('nav a').allTextContents()).map((t) => t.trim())).to.include('Account');
        await open(user, '/account');
        const form = user.locator('#change-password');
        const change = async (current: string, next: string, repeat: string): Promise<void> => {
            await form.locator('input[name=currentPassword]').fill(current);
            await form.locator('input[name=newPassword]').fill(next);
            await form.locator('input[name=repeatPassword]').fill(repeat);
            await form.getByRole('button', { name: 'Change password' }).click();
        };

        // The client's own checks: nothing is sent.
        await change('first-password-1', 'short-1', 'short-1');
        await form.locator('.error', { hasText: 'at least 10 characters' }).waitFor();
        await change('first-password-1', 'account.one', 'account.one');
        await form.locator('.error', { hasText: 'must not be the user name' }).waitFor();
        await change('first-password-1', 'second-password-2', 'second-password-3');
        await form.locator('.error', { hasText: 'does not match' }).waitFor();
        await screenshot(user, 'account-change-password');
        expect(await meStatus(user, oldToken)).to.equal(200);

        // The gateway refuses a wrong current password; the user stays signed in.
        await change('not-my-password', 'second-password-2', 'second-password-2');
        await form.locator('.error', { hasText: 'The current password is wrong.' }).waitFor();
        expect(await user.locator('#who').count()).to.equal(1);
        expect(await meStatus(user, oldToken)).to.equal(200);

        await change('first-password-1', 'second-password-2', 'second-password-2');
        await user.locator('#login-form #login-notice', { hasText: 'Password changed; sign in with the new password' }).waitFor();
        expect(await user.locator('#session-expired').count()).to.equal(0);
        expect(await user.evaluate(() => sessionStorage.getItem('xinlian.session'))).to.equal(null);
        // Every token issued before the change has ended.
        expect(await meStatus(user, oldToken)).to.equal(401);

        await submitSignIn(user, 'account.one', 'first-password-1');
        await user.locator('#login-form #sign-in-refused[data-code=UNAUTHENTICATED]', { hasText: 'The user name or password is wrong.' }).waitFor();
        await submitSignIn(user, 'account.one', 'second-password-2');
        await user.waitForSelector('main[data-view="/"]');
        expect(await user.locator('#who').textContent()).to.contain('account.one');
    });

    it('lets the administrator disable a user, who then cannot sign in and loses its session, and enable it again', async function () {
        this.timeout(120_000);
        const admin = await createSupplierUser('account.two', 'acct-two-password');
        const user = await signIn(suite.browser, suite.gateway.url, 'account.two', 'acct-two-password');
        const token = await tokenOf(user);

        await open(admin, '/onboarding');
        // The administrator cannot disable itself: not offered.
        expect(await admin.locator('#users tbody tr', { hasText: 'Platform administrator' }).first().locator('[data-action=disable-user]').count()).to.equal(0);
        const row = admin.locator('#users tbody tr', { has: admin.locator('[data-username="account.two"]') });
        expect(await row.locator('.badge').textContent()).to.equal('Active');
        await row.getByRole('button', { name: 'Disable' }).click();
        await row.locator('.confirm .question', { hasText: 'Disable account.two?' }).waitFor();
        await row.getByRole('button', { name: 'Yes, disable' }).click();
        await toast(admin, /User account\.two disabled/);
        const disabledRow = admin.locator('#users tbody tr', { has: admin.locator('[data-username="account.two"]') });
        expect(await disabledRow.locator('.badge').textContent()).to.equal('Disabled');
        expect(await disabledRow.locator('[data-action=enable-user]').count()).to.equal(1);
        await screenshot(admin, 'admin-users-disabled');

        // Its session ends at once, and a correct password no longer signs it in.
        expect(await meStatus(user, token)).to.equal(401);
        await user.reload();
        await user.locator('#login-form #session-expired').waitFor();
        await submitSignIn(user, 'account.two', 'acct-two-password');
        await user.locator('#login-form #sign-in-refused[data-code=FORBIDDEN]', { hasText: 'This user is disabled; ask the platform administrator.' }).waitFor();

        await disabledRow.getByRole('button', { name: 'Enable' }).click();
        await toast(admin, /User account\.two enabled/);
        expect(await admin.locator('#users tbody tr', { has: admin.locator('[data-username="account.two"]') }).locator('.badge').textContent()).to.equal('Active');
        await submitSignIn(user, 'account.two', 'acct-two-password');
        await user.waitForSelector('main[data-view="/"]');
    });

    it('shows the regulator and the enterprise own users the identities enrolled for its users, and asks for no one else', async function () {
        this.timeout(120_000);
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const suzhouId = await ownerIdOf(suzhou);
        const enrolments = await apiAs<{ items: { username: string; certificateFingerprint: string }[] }>(regulator, 'GET', `/enterprises/${suzhouId}/users`);
        const fingerprint = enrolments.items.find((e) => e.username === 'suzhou')?.certificateFingerprint ?? '';
        expect(fingerprint).to.match(/^[0-9a-f]{64}$/);

        await open(regulator, `/enterprises/${suzhouId}`, '/enterprises/:id');
        const card = regulator.locator('#enrolled-users[data-loaded]');
        await card.waitFor();
        const row = card.locator('tbody tr', { has: regulator.locator('[data-username="suzhou"]') });
        expect(await row.textContent()).to.contain('Supplier');
        const shown = row.locator('code.id');
        expect(await shown.getAttribute('title')).to.equal(fingerprint);
        expect(((await shown.textContent()) ?? '').length).to.be.lessThan(fingerprint.length);
        await screenshot(regulator, 'regulator-enrolled-users');

        // Its own users see it on their dashboard; a bank's user asks only for its own enterprise's.
        await open(suzhou, '/');
        await suzhou.locator('#enrolled-users[data-loaded] [data-username="suzhou"]').waitFor();
        const bank = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const asked: string[] = [];
        bank.on('request', (request) => {
            const match = /\/api\/v1\/enterprises\/([^/?]+)\/users/.exec(request.url());
            if (match) {
                asked.push(decodeURIComponent(match[1]));
            }
        });
        await open(bank, '/');
        await bank.locator('#enrolled-users[data-loaded] [data-username="jiangnan"]').waitFor();
        expect(asked).to.deep.equal([await ownerIdOf(bank)]);
        expect(await bank.locator('#enrolled-users .error').count()).to.equal(0);
    });

    // Last: it leaves this gateway refusing sign-ins from the test's address for up to a minute.
    it('says how long to wait after too many failed sign-ins', async function () {
        this.timeout(60_000);
        const context = await suite.browser.newContext({ baseURL: suite.gateway.url });
        const page = await context.newPage();
        await page.goto('/#/');
        const status = await page.evaluate(async () => {
            for (let i = 0; i < 60; i++) {
                const response = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'suzhou', password: `wrong-password-${i}` }) });
                if (response.status === 429) {
                    return 429;
                }
            }
            return 0;
        });
        expect(status).to.equal(429);
        await submitSignIn(page, 'suzhou', 'wrong-password-x');
        const refused = page.locator('#login-form #sign-in-refused[data-code=RATE_LIMITED]');
        await refused.waitFor();
        expect(await refused.textContent()).to.match(/^Too many sign-in attempts; try again in \d+ seconds?\.$/);
    });
});
