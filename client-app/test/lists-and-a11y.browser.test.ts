import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { usccCheckCharacter } from '../../chaincode/src/enterprise/identifiers';
import { addDays } from '../src/format';
import { open, screenshot, signIn } from './support/browser';
import { apiAs, minorOf, ownerIdOf, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Lists and accessibility in Debian's Chromium against the real gateway: discount quotes best
 * first; the main lists in an order their tables show, ordered again from their headers (aria-sort)
 * and filtered by status, the choice kept when the page is drawn again; every badge's colours at
 * WCAG AA contrast; copy buttons at least 24 × 24 px on a phone; Chinese names marked
 * lang="zh-Hans"; a refused exposure naming the enterprises.
 */

const CHINESE_NAME = '宁波精工铸造有限公司';

/** A USCC not yet registered, with its check character. */
function newUscc(prefix: string): string {
    const body = `${prefix}${String(Date.now() % 10_000_000).padStart(7, '0')}`;
    return body + (usccCheckCharacter(body) ?? '');
}

interface HeldNote {
    id: string;
    amount: string;
    status: string;
    maturityDate: string;
}

/** The texts of one column of a table, by its header (each cell's data-label), rows in page order, hidden ones left out. */
async function column(table: Locator, header: string): Promise<string[]> {
    return table.locator(`tbody tr:visible td[data-label="${header}"]`).allTextContents();
}

/** The header that orders a table, and which way (aria-sort), or undefined. */
async function sortedBy(table: Locator): Promise<{ column: string; direction: string } | undefined> {
    const th = table.locator('thead th[aria-sort]');
    if ((await th.count()) !== 1) {
        return undefined;
    }
    return { column: ((await th.textContent()) ?? '').trim(), direction: (await th.getAttribute('aria-sort')) ?? '' };
}

function ascending(values: string[]): boolean {
    return values.every((v, i) => i === 0 || values[i - 1] <= v);
}

/** What the page's badges, pills and warning levels measure: each one's text, and its contrast on its background as drawn. */
async function badgeContrasts(page: Page): Promise<Array<{ text: string; ratio: number }>> {
    return page.evaluate(() => {
        const parse = (value: string): number[] => (value.match(/[\d.]+/g) ?? []).map(Number).concat(1).slice(0, 4);
        const over = (top: number[], under: number[]): number[] => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
        /** The background an element is drawn on: its own over its ancestors', down to the first opaque one. */
        const background = (element: Element | null): number[] => {
            const layers: number[][] = [];
            for (let e = element; e; e = e.parentElement) {
                const colour = parse(getComputedStyle(e).backgroundColor);
                if (colour[3] > 0) {
                    layers.push(colour);
                    if (colour[3] === 1) {
                        break;
                    }
                }
            }
            return layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
        };
        const luminance = (rgb: number[]): number =>
            rgb
                .slice(0, 3)
                .map((c) => c / 255)
                .map((s) => (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4))
                .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
        return Array.from(document.querySelectorAll<HTMLElement>('.badge, .warning, .chip, .who .role'))
            .filter((e) => e.getClientRects().length > 0)
            .map((e) => {
                const bg = background(e);
                const fg = over(parse(getComputedStyle(e).color), bg);
                const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
                return { text: `${e.className}: ${e.textContent ?? ''}`, ratio: (light + 0.05) / (dark + 0.05) };
            });
    });
}

describe('lists and accessibility', function () {
    const suite = gatewayAndBrowser('lists-and-a11y');
    let huadongId = '';
    let chineseId = '';
    let quotedNote: HeldNote;

    it('sets the scene: a supplier with a Chinese name, three notes of different maturities, a discount request with two quotes, two offers', async function () {
        this.timeout(180_000);
        const [admin, suzhou, huadong, hangzhou, jiangnan, pudong] = await Promise.all(['admin', 'suzhou', 'huadong', 'hangzhou', 'jiangnan', 'pudong'].map((user) => signIn(suite.browser, suite.gateway.url, user)));
        const [suzhouId, hangzhouId, jiangnanId, pudongId] = await Promise.all([suzhou, hangzhou, jiangnan, pudong].map((page) => ownerIdOf(page)));
        huadongId = await ownerIdOf(huadong);
        chineseId = newUscc('91330200MA');
        await apiAs(admin, 'POST', '/enterprises', { id: chineseId, name: CHINESE_NAME, kind: 'SUPPLIER' });

        // Two invoices to the core enterprise: the later issued falls due later, so newest-issued-first is not due order.
        const now = new Date();
        const invoice = async (buyerId: string, number: string, amount: string, issued: number, due: number): Promise<string> => {
            const documentCid = await uploadAs(suzhou, `%PDF-1.4 invoice ${number}`);
            const receivable = await apiAs<{ id: string }>(suzhou, 'POST', '/receivables', { buyerId, invoiceNumber: number, amount, currency: 'CNY', issueDate: addDays(now, issued), dueDate: addDays(now, due), documentCid });
            return receivable.id;
        };
        const early = await invoice(huadongId, 'LA-0001', '1000000', -10, 40);
        const late = await invoice(huadongId, 'LA-0002', '2000000', -5, 100);
        await invoice(chineseId, 'LA-0003', '300000', -1, 70);
        for (const id of [early, late]) {
            await apiAs(huadong, 'POST', `/receivables/${id}/confirm`, {}, 200);
        }
        const lines = await apiAs<{ items: Array<{ id: string; financierId: string; status: string }> }>(huadong, 'GET', `/credit-lines?enterpriseId=${huadongId}`);
        const line = lines.items.find((l) => l.financierId === jiangnanId && l.status === 'ACTIVE');
        expect(line, 'the demo line of Bank of Jiangnan').to.not.equal(undefined);
        const issue = (receivableId: string, amount: string, days: number): Promise<unknown> =>
            apiAs(huadong, 'POST', '/notes', { holderId: suzhouId, amount, currency: 'CNY', maturityDate: addDays(now, days), creditLineId: line?.id, receivableIds: [receivableId] });
        await issue(early, '1000000', 30);
        await issue(late, '2000000', 150);
        const held = (await apiAs<{ items: HeldNote[] }>(suzhou, 'GET', `/notes?holderId=${suzhouId}&limit=500`)).items;
        expect(held).to.have.length(3);
        const byAmount = (amount: string): HeldNote => held.find((n) => n.amount === amount) as HeldNote;
        quotedNote = byAmount('2000000');
        const seeded = byAmount('25500000');

        // Quotes: Jiangnan's pays more. The gateway lists them by id (a hash): until it lists Pudong's
        // first (the worse deal, as a page that kept the gateway's order would show first), both quote again.
        const request = await apiAs<{ id: string }>(suzhou, 'POST', '/discount-requests', { noteId: quotedNote.id, financierIds: [jiangnanId, pudongId] });
        const quote = (bank: Page, rateBps: number): Promise<{ id: string }> => apiAs<{ id: string }>(bank, 'POST', `/discount-requests/${request.id}/quotes`, { rateBps });
        let quotes = [await quote(jiangnan, 350), await quote(pudong, 450)];
        const liveFinanciers = async (): Promise<string[]> =>
            (await apiAs<{ items: Array<{ financierId: string; status: string }> }>(suzhou, 'GET', `/discount-requests/${request.id}/quotes`)).items.filter((q) => q.status === 'SUBMITTED').map((q) => q.financierId);
        for (let attempt = 0; (await liveFinanciers())[0] !== pudongId; attempt++) {
            expect(attempt, 'quotes listed with the worse deal first').to.be.lessThan(20);
            for (const [bank, { id }] of [jiangnan, pudong].map((b, i) => [b, quotes[i]] as const)) {
                await apiAs(bank, 'POST', `/quotes/${id}/withdraw`, {}, 200);
            }
            quotes = [await quote(jiangnan, 350), await quote(pudong, 450)];
        }

        // Offers: one declined (the note comes back), a newer one pending (its note stays locked).
        const expiresAt = `${addDays(now, 5)}T23:59:59.000Z`;
        const declined = await apiAs<{ id: string }>(suzhou, 'POST', '/offers', { noteId: byAmount('1000000').id, toId: hangzhouId, amount: '1000000', expiresAt });
        await apiAs(hangzhou, 'POST', `/offers/${declined.id}/decline`, {}, 200);
        await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second on the ledger
        await apiAs(suzhou, 'POST', '/offers', { noteId: seeded.id, toId: hangzhouId, amount: '100000', expiresAt });
    });

    it('lists a note’s discount quotes best first, the best marked, whatever order the gateway lists them in', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/discounts');
        const quotes = suzhou.locator(`section.card:has(code[title="${quotedNote.id}"]) table.quotes`);
        const rows = quotes.locator('tbody tr');
        expect(await rows.count()).to.equal(2);
        expect(await rows.nth(0).textContent()).to.contain('Bank of Jiangnan');
        expect(await rows.nth(0).locator('.badge-best').count()).to.equal(1);
        expect(await rows.nth(0).getAttribute('class')).to.contain('best-quote');
        expect(await rows.nth(1).textContent()).to.contain('Pudong Factoring');
        expect(await rows.nth(1).locator('.badge-best').count()).to.equal(0);
        const received = (await column(quotes, 'You receive')).map((text) => BigInt(minorOf(text)));
        expect(received[0] > received[1], 'the first pays more').to.equal(true);
        expect(await suzhou.locator('.quote-as-of').first().textContent()).to.contain('the best quote first');
        await screenshot(suzhou, 'lists-quotes-best-first');
    });

    it('starts the main lists in an order their tables show, and orders them again from a header button', async function () {
        this.timeout(90_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const holdings = suzhou.locator('table#holdings');
        expect(await sortedBy(holdings)).to.deep.equal({ column: 'Maturity', direction: 'ascending' });
        const maturities = (await column(holdings, 'Maturity')).map((text) => text.slice(0, 10));
        expect(maturities).to.have.length(3);
        expect(ascending(maturities), maturities.join(' ')).to.equal(true);

        // The Amount header orders by amount, then the other way round; the focus stays on it.
        const amountHeader = holdings.locator('thead th', { hasText: 'Amount' }).getByRole('button');
        await amountHeader.click();
        expect(await sortedBy(holdings)).to.deep.equal({ column: 'Amount', direction: 'ascending' });
        expect((await column(holdings, 'Amount')).map(minorOf)).to.deep.equal(['1000000', '2000000', '25500000']);
        await amountHeader.click();
        expect(await sortedBy(holdings)).to.deep.equal({ column: 'Amount', direction: 'descending' });
        expect((await column(holdings, 'Amount')).map(minorOf)).to.deep.equal(['25500000', '2000000', '1000000']);
        expect(await amountHeader.evaluate((button) => button === document.activeElement)).to.equal(true);
        // Only the ordering column says so.
        expect(await holdings.locator('thead th[aria-sort]').count()).to.equal(1);

        await open(suzhou, '/receivables');
        const receivables = suzhou.locator('table#receivables');
        expect(await sortedBy(receivables)).to.deep.equal({ column: 'Due', direction: 'ascending' });
        const due = await column(receivables, 'Due');
        expect(ascending(due), due.join(' ')).to.equal(true);
        const invoices = await column(receivables, 'Invoice');
        expect(invoices.indexOf('LA-0001')).to.be.lessThan(invoices.indexOf('LA-0002'));

        await open(suzhou, '/offers');
        const outgoing = suzhou.locator('table#outgoing-offers');
        expect(await sortedBy(outgoing)).to.deep.equal({ column: 'Offered', direction: 'descending' });
        const offered = await column(outgoing, 'Offered');
        expect(offered).to.have.length(2);
        expect(offered[0] >= offered[1], offered.join(' ')).to.equal(true);
        expect(await outgoing.locator('tbody tr').first().locator('.badge').textContent()).to.equal('Pending');

        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');
        await open(huadong, '/exposure');
        const matures = (await huadong.locator('section.root').allTextContents()).map((text) => /matures (\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? '');
        expect(matures).to.have.length(3);
        expect(ascending(matures), matures.join(' ')).to.equal(true);
        await open(huadong, '/issue');
        expect(await sortedBy(huadong.locator('table#credit-lines'))).to.deep.equal({ column: 'Expires', direction: 'ascending' });
    });

    it('filters a list that mixes statuses, and keeps the order and the filter when the page is drawn again', async function () {
        this.timeout(60_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        const holdings = suzhou.locator('table#holdings');
        const filter = suzhou.locator('#holdings-filter select[name=status]');
        expect(await filter.locator('option').allTextContents()).to.deep.equal(['All (3)', 'Active (1)', 'Locked (2)']);
        expect(await filter.getAttribute('aria-controls')).to.equal('holdings');
        await filter.selectOption('LOCKED');
        expect(await holdings.locator('tbody tr:visible').count()).to.equal(2);
        expect(await column(holdings, 'Status')).to.satisfy((cells: string[]) => cells.every((text) => text.startsWith('Locked')));
        expect(await suzhou.locator('#holdings-filter .list-count').textContent()).to.equal('2 of 3 shown');
        await holdings.locator('thead th', { hasText: 'Amount' }).getByRole('button').click();
        await screenshot(suzhou, 'lists-holdings-locked-by-amount');

        // Away and back: the same order and filter.
        await open(suzhou, '/offers');
        await open(suzhou, '/notes');
        expect(await suzhou.locator('#holdings-filter select[name=status]').inputValue()).to.equal('LOCKED');
        expect(await suzhou.locator('table#holdings tbody tr:visible').count()).to.equal(2);
        expect(await sortedBy(suzhou.locator('table#holdings'))).to.deep.equal({ column: 'Amount', direction: 'ascending' });

        await suzhou.locator('#holdings-filter select[name=status]').selectOption('');
        expect(await suzhou.locator('table#holdings tbody tr:visible').count()).to.equal(3);
        expect(await suzhou.locator('#holdings-filter .list-count').textContent()).to.equal('');

        // A list of one status offers no filter.
        await open(suzhou, '/offers');
        expect(await suzhou.locator('#incoming-offers-filter').count()).to.equal(0);
        expect(await suzhou.locator('#outgoing-offers-filter select option').allTextContents()).to.deep.equal(['All (2)', 'Pending (1)', 'Declined (1)']);
    });

    it('draws every badge, pill and warning level at WCAG AA contrast (4.5:1) as the browser computes it', async function () {
        this.timeout(90_000);
        const low: string[] = [];
        let measured = 0;
        const visit = async (user: string, routes: string[]): Promise<void> => {
            const page = await signIn(suite.browser, suite.gateway.url, user);
            for (const route of routes) {
                await open(page, route, route.split('?')[0]);
                await page.waitForFunction(() => document.querySelector('main [aria-busy="true"]') === null);
                for (const { text, ratio } of await badgeContrasts(page)) {
                    measured += 1;
                    if (ratio < 4.5) {
                        low.push(`${user} ${route} ${text} ${ratio.toFixed(2)}:1`);
                    }
                }
            }
        };
        await visit('suzhou', ['/', '/notes', '/offers', '/receivables', '/discounts']);
        await visit('hangzhou', ['/offers']);
        await visit('regulator', ['/enterprises', '/warnings?level=NONE']);
        expect(measured).to.be.greaterThan(20);
        expect(low).to.deep.equal([]);
    });

    it('gives every copy button and sort button a tap target of at least 24 × 24 px on a phone, without making the desktop’s rows taller', async function () {
        this.timeout(60_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const sizes = async (selector: string): Promise<Array<{ width: number; height: number }>> =>
            suzhou.locator(selector).evaluateAll((elements) => elements.filter((e) => e.getClientRects().length > 0).map((e) => ({ width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height })));
        await suzhou.setViewportSize({ width: 390, height: 844 });
        for (const route of ['/notes', '/offers', '/discounts', '/receivables']) {
            await open(suzhou, route);
            const buttons = [...(await sizes('button.copy-id')), ...(await sizes('th button.sort'))];
            expect(buttons.length, route).to.be.greaterThan(0);
            expect(JSON.stringify(buttons.filter((b) => b.width < 24 || b.height < 24)), route).to.equal('[]');
        }
        await screenshot(suzhou, 'lists-notes-phone');

        // At a desktop width too; yet a row is no taller with its copy buttons than without them.
        await suzhou.setViewportSize({ width: 1280, height: 800 });
        await open(suzhou, '/notes');
        expect((await sizes('button.copy-id')).every((b) => b.width >= 24 && b.height >= 24)).to.equal(true);
        const heights = await suzhou.locator('#holdings tbody tr').first().evaluate((row) => {
            const withButtons = row.getBoundingClientRect().height;
            const wrap = row.querySelector('.id-wrap') as HTMLElement;
            const line = wrap.getBoundingClientRect().height;
            row.querySelectorAll<HTMLElement>('button.copy-id').forEach((b) => (b.style.display = 'none'));
            return { withButtons, without: row.getBoundingClientRect().height, line };
        });
        expect(heights.withButtons).to.be.at.most(heights.without + 0.5);
        expect(heights.line, 'the id line').to.be.lessThan(24);
    });

    it('marks Chinese names lang="zh-Hans" where lists show them, and English ones not', async function () {
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        await open(regulator, '/enterprises');
        const chinese = regulator.locator('#enterprises tbody tr', { hasText: CHINESE_NAME });
        expect(await chinese.locator('[lang="zh-Hans"]').textContent()).to.equal(CHINESE_NAME);
        expect(await regulator.locator('#enterprises tbody tr', { hasText: 'Bank of Jiangnan' }).locator('[lang]').count()).to.equal(0);

        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/receivables');
        const buyer = suzhou.locator('#receivables tbody tr', { hasText: 'LA-0003' }).locator('td[data-label="Buyer"] [lang="zh-Hans"]');
        expect(await buyer.textContent()).to.equal(CHINESE_NAME);
        // The page itself stays English.
        expect(await suzhou.evaluate(() => document.documentElement.lang)).to.equal('en');
    });

    it('marks a Chinese name in a card title, in the header and in a confirmation question', async function () {
        this.timeout(120_000);
        const [admin, huadong, jiangnan] = await Promise.all(['admin', 'huadong', 'jiangnan'].map((user) => signIn(suite.browser, suite.gateway.url, user)));
        const jiangnanId = await ownerIdOf(jiangnan);
        const password = 'ningbo-casting-2026';
        await apiAs(admin, 'POST', '/users', { username: 'ningbo', password, role: 'supplier', enterpriseId: chineseId });
        const ningbo = await signIn(suite.browser, suite.gateway.url, 'ningbo', password);
        // The header names the user's enterprise, marked.
        expect(await ningbo.locator('#who strong [lang="zh-Hans"]').textContent()).to.equal(CHINESE_NAME);

        // A note held by the Chinese supplier, offered for discounting to Bank of Jiangnan.
        const now = new Date();
        const documentCid = await uploadAs(ningbo, '%PDF-1.4 invoice NB-0001');
        const receivable = await apiAs<{ id: string }>(ningbo, 'POST', '/receivables', { buyerId: huadongId, invoiceNumber: 'NB-0001', amount: '500000', currency: 'CNY', issueDate: addDays(now, -1), dueDate: addDays(now, 60), documentCid });
        await apiAs(huadong, 'POST', `/receivables/${receivable.id}/confirm`, {}, 200);
        const lines = await apiAs<{ items: Array<{ id: string; financierId: string; status: string }> }>(huadong, 'GET', `/credit-lines?enterpriseId=${huadongId}`);
        const line = lines.items.find((l) => l.financierId === jiangnanId && l.status === 'ACTIVE');
        const note = await apiAs<{ id: string }>(huadong, 'POST', '/notes', { holderId: chineseId, amount: '500000', currency: 'CNY', maturityDate: addDays(now, 90), creditLineId: line?.id, receivableIds: [receivable.id] });
        await apiAs(ningbo, 'POST', '/discount-requests', { noteId: note.id, financierIds: [jiangnanId] });

        // The bank's card of the request: "Request from <name>", the name marked, the words around it not.
        await open(jiangnan, '/quote-requests');
        const title = jiangnan.locator('main .card h2', { hasText: CHINESE_NAME });
        expect(await title.textContent()).to.equal(`Request from ${CHINESE_NAME}`);
        expect(await title.locator('[lang="zh-Hans"]').textContent()).to.equal(CHINESE_NAME);

        // A confirmation question naming the enterprise (answered No: nothing is frozen).
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        await open(regulator, `/enterprises/${chineseId}`, '/enterprises/:id');
        expect(await regulator.locator('main h1 [lang="zh-Hans"]').textContent()).to.equal(CHINESE_NAME);
        await regulator.getByRole('textbox', { name: /Reason to freeze/ }).fill('lang check');
        await regulator.getByRole('button', { name: 'Freeze enterprise' }).click();
        const question = regulator.locator('.confirm .question');
        expect(await question.textContent()).to.match(new RegExp(`^Freeze ${CHINESE_NAME}\\?`));
        expect(await question.locator('[lang="zh-Hans"]').textContent()).to.equal(CHINESE_NAME);
        await regulator.locator('.confirm').getByRole('button', { name: 'No' }).click();
        await question.waitFor({ state: 'detached' });
    });

    it('names the enterprises of a refused exposure, their ids after them', async function () {
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const pudongId = await ownerIdOf(pudong);
        await open(pudong, `/exposure/${huadongId}`, '/exposure/:enterpriseId');
        const refusal = pudong.locator('#exposure-refused');
        expect(await refusal.getAttribute('data-code')).to.equal('FORBIDDEN');
        const headline = refusal.locator('strong');
        expect(((await headline.textContent()) ?? '').replace(/\s+/g, ' ')).to.equal(`Pudong Factoring Co., Ltd. (${pudongId}) may not see the exposure of Huadong Heavy Industries Co., Ltd. (${huadongId}).`);
        expect(await headline.locator('.party-id code').allTextContents()).to.deep.equal([pudongId, huadongId]);
        expect(await pudong.locator('main h1').textContent()).to.equal('Exposure of Huadong Heavy Industries Co., Ltd.');
        expect(await refusal.textContent()).to.contain('a financier that granted it a credit line');

        // A supplier is no core enterprise: it has no exposure map, said with its name.
        await open(pudong, `/exposure/${chineseId}`, '/exposure/:enterpriseId');
        expect(await pudong.locator('#exposure-refused strong').textContent()).to.contain(`${CHINESE_NAME} (${chineseId}) is a supplier, not a core enterprise.`);
        await screenshot(pudong, 'lists-exposure-refused');
    });
});
