import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { open, screenshot, signIn } from './support/browser';
import { apiAs, ownerIdOf, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Layout in Debian's Chromium against the real gateway (demo seed plus a pledge, a valuation, a
 * split note and a discount request with two quotes), at a 1280 × 800 laptop and a 390 × 844 phone:
 * every action button, form control and table cell of the busiest pages lies inside its card and
 * inside whatever clips it (no cut-off column, no sideways scrolling needed); on a phone each table
 * cell is labelled with its column header; the provenance tree's labels stay inside their boxes;
 * the live events feed can be reached at every width; the navigation stays in sight and clickable,
 * never under the live events, when the page is scrolled.
 */

interface Viewport {
    name: string;
    width: number;
    height: number;
}

const LAPTOP: Viewport = { name: 'laptop', width: 1280, height: 800 };
const PHONE: Viewport = { name: 'phone', width: 390, height: 844 };
const TABLET: Viewport = { name: 'tablet', width: 1000, height: 800 };
const DESKTOP: Viewport = { name: 'desktop', width: 1440, height: 900 };
const WIDE: Viewport = { name: 'wide', width: 1700, height: 900 };

/** Waits until the view on screen has rendered, its deferred cards included. */
async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() => document.querySelector('main[data-view]') !== null && document.querySelector('main [aria-busy=true]') === null);
}

/**
 * What lies outside where it should, horizontally: the page wider than the window; a button,
 * control, table cell, id, amount or badge past its card's edge, the window's edge, or the edge of
 * an ancestor that clips it (a scrolling table box); a provenance label past its node's box.
 */
async function layoutProblems(page: Page): Promise<string[]> {
    return page.evaluate(() => {
        const problems: string[] = [];
        const root = document.documentElement;
        if (root.scrollWidth > window.innerWidth) {
            problems.push(`the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
        }
        const main = document.querySelector('main') as HTMLElement;
        const name = (el: Element): string => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || (el as HTMLInputElement).name || (el as HTMLInputElement).placeholder || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
        const outside = (r: DOMRect, b: { left: number; right: number }): boolean => r.left < b.left - 0.5 || r.right > b.right + 0.5;
        for (const el of Array.from(main.querySelectorAll('button, input, select, textarea, th, td, .id-wrap, .money, .badge'))) {
            const r = el.getBoundingClientRect();
            // Not drawn: no box, or inside a box clipped to nothing (a header row kept for screen readers only).
            let hidden = r.width <= 1 || r.height <= 1;
            for (let a = el.parentElement; a && a !== main && !hidden; a = a.parentElement) {
                const box = a.getBoundingClientRect();
                hidden = (box.width <= 1 || box.height <= 1) && getComputedStyle(a).overflowX !== 'visible';
            }
            if (hidden) {
                continue;
            }
            const card = el.closest('.card') ?? main;
            const bounds: Array<[string, { left: number; right: number }]> = [
                ['the window', { left: 0, right: root.clientWidth }],
                [card === main ? 'the main column' : 'its card', card.getBoundingClientRect()],
            ];
            for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') {
                    bounds.push([`a clipping ${a.className || a.tagName.toLowerCase()}`, a.getBoundingClientRect()]);
                }
            }
            const hit = bounds.find(([, b]) => outside(r, b));
            if (hit) {
                problems.push(`${name(el)} [${Math.round(r.left)}–${Math.round(r.right)}] lies outside ${hit[0]} [${Math.round(hit[1].left)}–${Math.round(hit[1].right)}]`);
            }
        }
        for (const node of Array.from(document.querySelectorAll('svg.provenance-tree a.node'))) {
            const box = (node.querySelector('rect') as SVGRectElement).getBoundingClientRect();
            for (const text of Array.from(node.querySelectorAll('text'))) {
                const r = text.getBoundingClientRect();
                if (outside(r, { left: box.left, right: box.right - 2 })) {
                    problems.push(`tree label "${text.textContent}" [${Math.round(r.left)}–${Math.round(r.right)}] runs past its box [${Math.round(box.left)}–${Math.round(box.right)}]`);
                }
            }
        }
        return problems;
    });
}

/** Table cells whose column header is not shown beside them on a phone (header text → what the cell shows before its content). */
async function unlabelledCells(page: Page): Promise<string[]> {
    return page.evaluate(() => {
        const missing: string[] = [];
        for (const table of Array.from(document.querySelectorAll('main table'))) {
            const headers = Array.from(table.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim());
            for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
                Array.from(row.children).forEach((cell, index) => {
                    const header = headers[index] ?? '';
                    const shown = getComputedStyle(cell, '::before').content;
                    if (header !== '' && !shown.includes(header)) {
                        missing.push(`${header}: ${shown}`);
                    }
                });
            }
        }
        return missing;
    });
}

/** Checks one page at a viewport, saves its screenshot, and returns what is wrong with it. */
async function checkPage(page: Page, route: string, view: string, viewport: Viewport, label: string, tables = true): Promise<string[]> {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await open(page, route, view);
    await settled(page);
    await screenshot(page, `layout-${label}-${viewport.name}`);
    const problems = await layoutProblems(page);
    if (tables && (await page.locator('main table tbody tr').count()) === 0) {
        problems.push('no table rows on the page');
    }
    if (viewport === PHONE) {
        problems.push(...(await unlabelledCells(page)).map((cell) => `cell without its header (${cell})`));
    }
    return problems;
}

/** Where the live feed is, and whether it is drawn, after scrolling to it. */
async function liveFeed(page: Page): Promise<{ shown: boolean; left: number; right: number; top: number; mainBottom: number; mainLeft: number; mainRight: number; firstEventVisible: boolean; windowWidth: number }> {
    await page.locator('#event-feed li').first().waitFor({ state: 'attached' });
    return page.evaluate(() => {
        const aside = document.querySelector('aside.live') as HTMLElement;
        const main = (document.querySelector('main') as HTMLElement).getBoundingClientRect();
        aside.scrollIntoView({ block: 'start' });
        const first = document.querySelector('#event-feed li') as HTMLElement;
        const box = aside.getBoundingClientRect();
        const event = first.getBoundingClientRect();
        const mainNow = (document.querySelector('main') as HTMLElement).getBoundingClientRect();
        return {
            shown: getComputedStyle(aside).display !== 'none' && box.width > 0 && box.height > 0,
            left: box.left,
            right: box.right,
            top: box.top + window.scrollY,
            mainBottom: mainNow.bottom + window.scrollY,
            mainLeft: main.left,
            mainRight: main.right,
            firstEventVisible: event.height > 0 && event.top >= 0 && event.bottom <= window.innerHeight && event.left >= 0 && event.right <= window.innerWidth,
            windowWidth: document.documentElement.clientWidth,
        };
    });
}

describe('layout at laptop and phone widths in the browser', function () {
    const suite = gatewayAndBrowser('layout');
    let rootNoteId = '';
    let suzhouId = '';

    before('sets the scene: an IP asset valued and pledged to the bank, a note split and offered for discounting with two quotes', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const [jiangnanId, pudongId] = [await ownerIdOf(jiangnan), await ownerIdOf(pudong)];
        suzhouId = await ownerIdOf(suzhou);
        const today = new Date().toISOString().slice(0, 10);

        const asset = await apiAs<{ id: string }>(suzhou, 'POST', '/ip-assets', { kind: 'PATENT', registryNumber: 'ZL202310123456.6', title: 'Vacuum die-casting mould cooling system', ownerIds: [suzhouId], expiryDate: '2035-12-31' });
        const reportCid = await uploadAs(appraiser, '%PDF-1.4 appraisal of ZL202310123456.6');
        await apiAs(appraiser, 'POST', `/ip-assets/${asset.id}/valuations`, { amount: '120000050', currency: 'CNY', valuationDate: today, reportCid });
        await apiAs(suzhou, 'POST', '/pledges', { assetId: asset.id, pledgeeId: jiangnanId, securedAmount: '50000000', currency: 'CNY', termStart: today, termEnd: '2030-12-31' });

        const notes = await apiAs<{ items: Array<{ id: string; rootId: string; amount: string; status: string }> }>(suzhou, 'GET', `/notes?holderId=${suzhouId}&limit=500`);
        const seeded = notes.items.find((n) => n.status === 'ACTIVE');
        if (!seeded) {
            throw new Error('the demo seed gave Suzhou no active note');
        }
        rootNoteId = seeded.rootId;
        await apiAs(suzhou, 'POST', `/notes/${seeded.id}/split`, { amounts: ['12000050', (BigInt(seeded.amount) - 12000050n).toString()] }, 200);
        const split = await apiAs<{ items: Array<{ id: string; amount: string; status: string }> }>(suzhou, 'GET', `/notes?holderId=${suzhouId}&limit=500`);
        const part = split.items.find((n) => n.status === 'ACTIVE' && n.amount === '12000050');
        const request = await apiAs<{ id: string }>(suzhou, 'POST', '/discount-requests', { noteId: part?.id, financierIds: [jiangnanId, pudongId] });
        await apiAs(jiangnan, 'POST', `/discount-requests/${request.id}/quotes`, { rateBps: 350, feeAmount: '20000' });
        await apiAs(pudong, 'POST', `/discount-requests/${request.id}/quotes`, { rateBps: 320, feeAmount: '50000' });
    });

    const pages: Array<{ user: string; route: () => string; view: string; label: string; tables?: false }> = [
        { user: 'jiangnan', route: () => '/pledges', view: '/pledges', label: 'bank-pledges' },
        { user: 'appraiser', route: () => `/valuations?ownerId=${encodeURIComponent(suzhouId)}`, view: '/valuations', label: 'appraiser-valuations' },
        { user: 'huadong', route: () => '/issue', view: '/issue', label: 'core-issue' },
        { user: 'huadong', route: () => '/exposure', view: '/exposure', label: 'core-exposure' },
        { user: 'suzhou', route: () => '/notes', view: '/notes', label: 'supplier-notes' },
        { user: 'suzhou', route: () => '/discounts', view: '/discounts', label: 'supplier-discounts' },
        { user: 'huadong', route: () => `/provenance/${rootNoteId}`, view: '/provenance/:id', label: 'core-provenance', tables: false },
    ];

    for (const viewport of [LAPTOP, PHONE]) {
        it(`keeps every button, control and cell of the busy pages inside its card at ${viewport.width} × ${viewport.height}`, async function () {
            this.timeout(180_000);
            const signedIn = new Map<string, Page>();
            const found: Record<string, string[]> = {};
            for (const { user, route, view, label, tables } of pages) {
                const page = signedIn.get(user) ?? (await signIn(suite.browser, suite.gateway.url, user));
                signedIn.set(user, page);
                const problems = await checkPage(page, route(), view, viewport, label, tables);
                if (problems.length > 0) {
                    found[label] = problems;
                }
            }
            expect(found).to.deep.equal({});
        });
    }

    it('draws the action buttons of the pledges and the discount quotes where they can be clicked at both widths', async function () {
        const bank = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(bank, '/pledges');
        await open(suzhou, '/discounts');
        await settled(suzhou);
        // The same pages, the window resized: the layout follows without a new render.
        for (const viewport of [LAPTOP, PHONE]) {
            await bank.setViewportSize({ width: viewport.width, height: viewport.height });
            for (const name of ['Accept', 'Reject']) {
                const action = bank.locator('#pledges tbody tr').first().getByRole('button', { name, exact: true });
                // A trial click fails when another element (or a clipping box) would take the click.
                await action.click({ trial: true, timeout: 5_000 });
            }
            await suzhou.setViewportSize({ width: viewport.width, height: viewport.height });
            const quote = suzhou.locator('table.quotes tbody tr', { hasText: 'Pudong' });
            await quote.getByRole('button', { name: 'Accept quote' }).click({ trial: true, timeout: 5_000 });
            const receive = quote.locator('td[data-label="You receive"]');
            expect(await receive.isVisible(), `"You receive" at ${viewport.width} px`).to.equal(true);
        }
    });

    it('keeps every navigation link in sight and clickable, never under the live events, once the page is scrolled', async function () {
        this.timeout(60_000);
        const page = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        for (const viewport of [LAPTOP, DESKTOP, TABLET, WIDE]) {
            await page.setViewportSize({ width: viewport.width, height: viewport.height });
            await open(page, '/notes');
            await settled(page);
            await page.locator('#event-feed li').first().waitFor({ state: 'attached' });
            // A long page (as with many notes): scrolled well past where the navigation starts.
            await page.evaluate(() => {
                (document.querySelector('main') as HTMLElement).style.paddingBottom = '1500px';
                window.scrollTo(0, 400);
            });
            expect(await page.evaluate(() => window.scrollY), `scrolled at ${viewport.width} px`).to.equal(400);
            // Each link is the element at its own centre: drawn, inside the window, covered by nothing.
            const hidden = await page.evaluate(() =>
                Array.from(document.querySelectorAll('nav a')).flatMap((link) => {
                    const r = link.getBoundingClientRect();
                    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
                    const hit = document.elementFromPoint(x, y);
                    return hit !== null && (hit === link || link.contains(hit)) ? [] : [`${link.textContent} at (${Math.round(x)}, ${Math.round(y)}): ${hit ? `${hit.tagName}.${hit.className}` : 'outside the window'}`];
                }),
            );
            expect(hidden, `navigation links hidden at ${viewport.width} × ${viewport.height}`).to.deep.equal([]);
            // The live events stay in sight too, beside or below the navigation, never over it.
            const boxes = await page.evaluate(() => {
                const nav = (document.querySelector('nav') as HTMLElement).getBoundingClientRect();
                const feed = (document.querySelector('aside.live') as HTMLElement).getBoundingClientRect();
                return { navBottom: nav.bottom, navRight: nav.right, feedTop: feed.top, feedLeft: feed.left, feedBottom: feed.bottom, height: window.innerHeight };
            });
            expect(boxes.feedTop >= boxes.navBottom || boxes.feedLeft >= boxes.navRight, `feed clear of the navigation at ${viewport.width} px`).to.equal(true);
            expect(boxes.feedTop < boxes.height && boxes.feedBottom > 0, `feed in sight at ${viewport.width} px`).to.equal(true);
            // A link reached by the keyboard is focused in sight, and clicking it works.
            await page.locator('nav a').nth(-2).focus();
            await page.keyboard.press('Tab');
            const focused = await page.evaluate(() => {
                const el = document.activeElement as HTMLElement;
                const r = el.getBoundingClientRect();
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return { text: el.textContent, shown: hit === el || el.contains(hit) };
            });
            expect(focused, `the last link focused in sight at ${viewport.width} px`).to.deep.equal({ text: 'Account', shown: true });
            // The page's order, which the keyboard and screen readers follow: navigation, page, live events.
            expect(
                await page.evaluate(() => {
                    const [nav, main, feed] = ['nav', 'main', 'aside.live'].map((selector) => document.querySelector(selector) as Node);
                    return Boolean(nav.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING) && Boolean(main.compareDocumentPosition(feed) & Node.DOCUMENT_POSITION_FOLLOWING);
                }),
                `navigation, page, events in the page's order at ${viewport.width} px`,
            ).to.equal(true);
            await screenshot(page, `layout-scrolled-nav-${viewport.name}`);
            await page.locator('nav a', { hasText: 'Account' }).click({ timeout: 5_000 });
            await page.waitForSelector('main[data-view="/account"]');
        }
    });

    it('keeps the live events feed reachable at every width, below the page on a phone', async function () {
        const page = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        for (const viewport of [LAPTOP, TABLET, PHONE]) {
            await page.setViewportSize({ width: viewport.width, height: viewport.height });
            await open(page, '/pledges');
            await settled(page);
            const feed = await liveFeed(page);
            expect(feed.shown, `feed drawn at ${viewport.width} px`).to.equal(true);
            expect(feed.left >= 0 && feed.right <= feed.windowWidth, `feed inside the window at ${viewport.width} px`).to.equal(true);
            expect(feed.firstEventVisible, `an event visible once scrolled to at ${viewport.width} px`).to.equal(true);
            // Beside the page, never on top of it; on a phone, after it.
            expect(feed.right <= feed.mainLeft + 0.5 || feed.left >= feed.mainRight - 0.5 || feed.top >= feed.mainBottom, `feed beside or below the page at ${viewport.width} px`).to.equal(true);
            if (viewport === PHONE) {
                expect(feed.top, 'the feed follows the page on a phone').to.be.at.least(feed.mainBottom);
            }
            await page.evaluate(() => window.scrollTo(0, 0));
            await screenshot(page, `layout-live-feed-${viewport.name}`);
        }
    });
});
