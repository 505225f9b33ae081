import { mkdirSync } from 'fs';
import * as path from 'path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

/** Debian's Chromium driven by playwright-core; never a downloaded browser. */

export const SCREENSHOTS = path.resolve(__dirname, '../screenshots');
export const PASSWORD = process.env.GATEWAY_DEMO_PASSWORD || 'xinlian-demo';

export async function launchBrowser(): Promise<Browser> {
    return chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
}

/** Options of a signed-in page. */
export interface SignInOptions {
    /** The browser's clock starts here (and runs on), as when the ledger's clock is moved ahead. */
    clock?: Date;
    /** Lets the page use the clipboard. */
    clipboard?: boolean;
}

/** A signed-in page of `username`, in its own browser context (its own session storage). */
export async function signIn(browser: Browser, baseUrl: string, username: string, password = PASSWORD, options: SignInOptions = {}): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 960 }, baseURL: baseUrl });
    if (options.clock) {
        await context.clock.install({ time: options.clock });
    }
    if (options.clipboard) {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    }
    const page = await context.newPage();
    await page.goto('/#/');
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#who');
    await page.waitForSelector('main[data-view="/"]');
    return page;
}

/** Opens a route and waits for its view to render. */
export async function open(page: Page, route: string, view = route.split('?')[0]): Promise<void> {
    // Forget the previous view's marker so the wait below sees the new render, not the old one.
    await page.evaluate(() => document.querySelector('main')?.removeAttribute('data-view'));
    if (new URL(page.url()).hash === `#${route}`) {
        await page.reload(); // the same hash fires no hashchange
    } else {
        await page.goto(`/#${route}`);
    }
    await page.waitForSelector(`main[data-view="${view}"]`);
}

/** Saves a full-page screenshot as test/screenshots/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Screenshots every open page of the browser, for a failed test. */
export async function screenshotAll(browser: Browser | undefined, prefix: string): Promise<void> {
    if (!browser) {
        return;
    }
    const dir = path.join(SCREENSHOTS, 'failures');
    mkdirSync(dir, { recursive: true });
    let n = 0;
    for (const context of browser.contexts()) {
        for (const page of context.pages()) {
            n += 1;
            await page.screenshot({ path: path.join(dir, `${prefix}-${n}.png`), fullPage: true }).catch(() => undefined);
        }
    }
}
