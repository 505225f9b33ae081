import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotAll } from './browser';
import { RunningGateway, startGateway } from './gateway';

/** What a browser suite runs against: a gateway on a ledger of its own, and one browser. */
export interface BrowserSuite {
    dataDir: string;
    gateway: RunningGateway;
    browser: Browser;
}

/**
 * Registers, in the calling describe block, the hooks of a browser suite: before all, a gateway on
 * a fresh data directory (seeded with the demo) and a browser; after each test, a screenshot of
 * every page when it failed and the pages closed; after all, everything stopped and removed. The
 * returned object is filled in by the first hook. `clockOffsetDays` runs the ledger's clock ahead
 * from the start (the demo is seeded in the ledger's time).
 */
export function gatewayAndBrowser(name: string, options: { clockOffsetDays?: number } = {}): BrowserSuite {
    const suite = {} as Partial<BrowserSuite>;
    before(async function () {
        this.timeout(180_000);
        suite.dataDir = mkdtempSync(path.join(tmpdir(), `xinlian-${name}-`));
        suite.gateway = await startGateway({ dataDir: suite.dataDir, clockOffsetDays: options.clockOffsetDays });
        suite.browser = await launchBrowser();
    });
    after(async function () {
        this.timeout(60_000);
        await suite.browser?.close();
        await suite.gateway?.stop();
        if (suite.dataDir) {
            rmSync(suite.dataDir, { recursive: true, force: true });
        }
    });
    afterEach(async function () {
        if (this.currentTest?.state === 'failed') {
            await screenshotAll(suite.browser, `${name}-${(this.currentTest.title ?? 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`);
        }
        for (const context of suite.browser?.contexts() ?? []) {
            await context.close();
        }
    });
    return suite as BrowserSuite;
}
