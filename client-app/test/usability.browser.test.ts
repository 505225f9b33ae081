import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { open, signIn } from './support/browser';
import { toast } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Usability in Debian's Chromium against the real gateway (its own ledger): narrow screens, form
 * checks before sending, errors in words, focus after opening a panel, a frozen enterprise's
 * controls, the freeze confirmation.
 */

/** Whether the page scrolls sideways (its content is wider than the window). */
async function scrollsSideways(page: Page): Promise<boolean> {
    return page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) > window.innerWidth);
}

describe('client app usability in the browser', function () {
    const suite = gatewayAndBrowser('usability');

    it('does not scroll sideways at 390 px on the main pages of several roles', async function () {
        this.timeout(180_000);
        const pages: Record<string, string[]> = {
            suzhou: ['/', '/notes', '/discounts', '/receivables', '/ip', '/passport', '/offers'],
            huadong: ['/issue', '/exposure', '/confirmations'],
            jiangnan: ['/credit-lines', '/portfolio', '/pledges', '/quote-requests'],
            admin: ['/onboarding', '/parameters'],
            regulator: ['/enterprises', '/warnings'],
        };
        for (const [user, routes] of Object.entries(pages)) {
            const page = await signIn(suite.browser, suite.gateway.url, user);
            await page.setViewportSize({ width: 390, height: 844 });
            for (const route of routes) {
                await page.goto(`/#${route}`);
                await page.waitForFunction(() => document.querySelector('main[data-view]') !== null && document.querySelector('main [aria-busy=true]') === null);
                expect(await scrollsSideways(page), `${user} ${route}`).to.equal(false);
            }
            await page.context().close();
        }
    });

    it('checks a receivable’s dates before uploading anything, and shows no error code for its own check', async function () {
        const page = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(page, '/receivables');
        const form = page.locator('#register-receivable');
        await form.locator('select[name=buyerId]').selectOption({ label: 'Huadong Heavy Industries Co., Ltd.' });
        await form.locator('input[name=invoiceNumber]').fill('INV-DATES-1');
        await form.locator('input[name=amount]').fill('1000');
        await form.locator('input[name=issueDate]').fill('2030-05-10');
        await form.locator('input[name=dueDate]').fill('2030-05-01');
        await form.getByRole('button', { name: 'Register receivable' }).click();
        const error = form.locator('.error[role=alert]');
        await error.waitFor();
        expect(await error.textContent()).to.contain('The due date (2030-05-01) must be after the issue date (2030-05-10).');
        expect(await error.locator('.code').count()).to.equal(0);
    });

    it('says how the ledger will record an IP registry number while it is typed', async function () {
        const page = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(page, '/ip');
        const form = page.locator('#register-ip');
        await form.locator('select[name=kind]').selectOption('PATENT');
        await form.locator('input[name=registryNumber]').fill('ＺＬ202410555666.7');
        expect(await form.locator('.registry-hint').textContent()).to.contain('recorded as ZL202410555666.7');
        await form.locator('input[name=registryNumber]').fill('ZL20231012345');
        // Every character is allowed: the hint says what is wrong (the length) and the patent format.
        const hint = (await form.locator('.registry-hint').textContent()) ?? '';
        expect(hint).to.contain('is not a valid patent number').and.contain('has 11 characters where a patent number has 13').and.contain('Patent number: an optional ZL or CN');
        expect(hint).to.not.contain('Latin letters');
        // The pledge form offers valued assets only, in their valuation's currency (no free choice).
        expect(await page.locator('#request-pledge select[name=currency]').count()).to.equal(0);
    });

    it('saves parameters already in force without an error, saying nothing changed', async function () {
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        await open(admin, '/parameters');
        for (const [form, button, said] of [
            ['#note-parameters', 'Save note parameters', /These note parameters are already in force; nothing changed/],
            ['#ip-parameters', 'Save IP parameters', /This loan-to-value cap is already in force; nothing changed/],
        ] as const) {
            const before = await admin.locator(form).locator('p').first().textContent();
            await admin.locator(form).getByRole('button', { name: button }).click();
            await toast(admin, said);
            expect(await admin.locator(`${form} .error`).count()).to.equal(0);
            // Still the same parameters, last changed when they were (the defaults here).
            expect(await admin.locator(form).locator('p').first().textContent()).to.equal(before);
        }
        await admin.context().close();
    });

    it('moves the focus to the first field of a panel it opens', async function () {
        const page = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(page, '/notes');
        const split = page.locator('#holdings tbody tr').getByRole('button', { name: 'Split' }).and(page.locator(':enabled')).first();
        await split.click();
        await page.locator('[data-panel=split]').waitFor();
        expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('amounts');
    });

    it('asks before freezing an enterprise (Enter in the reason box asks), and disables the frozen enterprise’s controls with the reason', async function () {
        this.timeout(120_000);
        const b = suite.browser;
        const regulator = await signIn(b, suite.gateway.url, 'regulator');
        await open(regulator, '/enterprises');
        await regulator.locator('#enterprises a', { hasText: 'Hangzhou' }).first().click();
        await regulator.waitForSelector('main[data-view="/enterprises/:id"]');
        const reason = regulator.getByRole('textbox', { name: /Reason to freeze/ });
        await reason.fill('usability test');
        await reason.press('Enter');
        const question = regulator.locator('.confirm .question');
        await question.waitFor();
        expect(await question.textContent()).to.contain('usability test');
        await regulator.getByRole('button', { name: 'Yes, freeze enterprise' }).click();
        await regulator.locator('.toast', { hasText: 'Enterprise frozen.' }).waitFor();

        const hangzhou = await signIn(b, suite.gateway.url, 'hangzhou');
        await open(hangzhou, '/receivables');
        const register = hangzhou.locator('#register-receivable button[type=submit]');
        expect(await register.isDisabled()).to.equal(true);
        expect(await register.getAttribute('title')).to.contain('frozen by the regulator');
        await open(hangzhou, '/notes');
        for (const name of ['Split', 'Transfer', 'Discount']) {
            for (const control of await hangzhou.locator('#holdings tbody tr').getByRole('button', { name, exact: true }).all()) {
                expect(await control.isDisabled(), name).to.equal(true);
            }
        }
    });
});
