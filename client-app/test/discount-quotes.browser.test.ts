import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { addDays, daysUntil, formatMoney } from '../src/format';
import { open, screenshot, signIn } from './support/browser';
import { startGateway } from './support/gateway';
import { apiAs, minorOf, ownerIdOf, toast } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Discount quotes by the ledger's time, in Debian's Chromium against the real gateway: a quote
 * fixes its rate and fee, and the ledger prices it again for the days left when it is accepted.
 * With the ledger's clock moved on after quoting, the holder's page, the bank's own line, the
 * confirmation and the toast must all say what the acceptance pays, and "Best price" must follow;
 * once the note has matured no quote can be accepted.
 */

interface HeldNote {
    id: string;
    amount: string;
    status: string;
    maturityDate: string;
}

interface Terms {
    days: number;
    price: string;
    fundedAt?: string;
    indicative?: { days: number; price: string };
}

async function activeNotes(page: Page): Promise<HeldNote[]> {
    const notes = await apiAs<{ items: HeldNote[] }>(page, 'GET', `/notes?holderId=${await ownerIdOf(page)}&limit=500`);
    return notes.items.filter((n) => n.status === 'ACTIVE');
}

/** The card of the open request on `noteId` on the holder's Discounting page. */
function requestCard(page: Page, noteId: string): Locator {
    return page.locator(`section.card:has(code[title="${noteId}"])`);
}

/** A quote's row, by its financier's name: cells as text. */
async function rowCells(card: Locator, financier: string): Promise<string[]> {
    return card.locator('table.quotes tbody tr', { hasText: financier }).locator('td').allTextContents();
}

describe('discount quotes priced at the ledger’s time, 30 days after quoting and after maturity', function () {
    const suite = gatewayAndBrowser('discount-quotes');
    let mainNote: HeldNote;
    let smallNote: HeldNote;
    let jiangnanQuoteId = '';
    const offset = 30;

    it('sets the scene: two notes, quotes from two banks (3.90 % with a CNY 50.00 fee, 4.00 % without), then the ledger 30 days on', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const [jiangnanId, pudongId] = [await ownerIdOf(jiangnan), await ownerIdOf(pudong)];
        const [whole] = await activeNotes(suzhou);
        // A large part, on which the ranking of the two quotes turns between 90 and 60 days, and a small one to let mature.
        const small = 1_000_000n;
        await apiAs(suzhou, 'POST', `/notes/${whole.id}/split`, { amounts: [(BigInt(whole.amount) - small).toString(), small.toString()] }, 200);
        const parts = await activeNotes(suzhou);
        mainNote = parts.find((n) => BigInt(n.amount) !== small) as HeldNote;
        smallNote = parts.find((n) => BigInt(n.amount) === small) as HeldNote;
        const mainRequest = await apiAs<{ id: string }>(suzhou, 'POST', '/discount-requests', { noteId: mainNote.id, financierIds: [jiangnanId, pudongId] });
        const smallRequest = await apiAs<{ id: string }>(suzhou, 'POST', '/discount-requests', { noteId: smallNote.id, financierIds: [pudongId] });
        jiangnanQuoteId = (await apiAs<{ id: string }>(jiangnan, 'POST', `/discount-requests/${mainRequest.id}/quotes`, { rateBps: 390, feeAmount: '5000' })).id;
        await apiAs(pudong, 'POST', `/discount-requests/${mainRequest.id}/quotes`, { rateBps: 400 });
        await apiAs(pudong, 'POST', `/discount-requests/${smallRequest.id}/quotes`, { rateBps: 400 });

        // On the day of quoting, with about 90 days left, 3.90 % plus the fee pays more.
        await open(suzhou, '/discounts');
        const card = requestCard(suzhou, mainNote.id);
        expect(await card.locator('tr', { hasText: 'Bank of Jiangnan' }).locator('.badge-best').count()).to.equal(1);
        expect(await card.locator('tr', { hasText: 'Pudong' }).locator('.badge-best').count()).to.equal(0);

        await suite.gateway.stop();
        suite.gateway = await startGateway({ dataDir: suite.dataDir, clockOffsetDays: offset });
    });

    it('shows the price of today, ranks on it, and pays exactly what the page, the confirmation and the toast said', async function () {
        this.timeout(90_000);
        const ledgerNow = new Date(Date.now() + offset * 86_400_000);
        const daysLeft = daysUntil(mainNote.maturityDate, ledgerNow);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/discounts');
        const card = requestCard(suzhou, mainNote.id);
        const jiangnanCells = await rowCells(card, 'Bank of Jiangnan');
        const pudongCells = await rowCells(card, 'Pudong');
        // Days left by the ledger's date, not those of the day of quoting.
        expect(jiangnanCells[2]).to.equal(`${daysLeft}`);
        expect(pudongCells[2]).to.equal(`${daysLeft}`);
        // With about 60 days left, 4.00 % without a fee pays more: the badge moves to it.
        expect(BigInt(minorOf(pudongCells[5])) > BigInt(minorOf(jiangnanCells[5]))).to.equal(true);
        expect(await card.locator('tr', { hasText: 'Pudong' }).locator('.badge-best').count()).to.equal(1);
        expect(await card.locator('tr', { hasText: 'Bank of Jiangnan' }).locator('.badge-best').count()).to.equal(0);
        const shown = minorOf(jiangnanCells[5]);
        // The page says the figures are today's, and final only at acceptance.
        const asOf = card.locator('.quote-as-of');
        expect(await asOf.count()).to.equal(1);
        expect(await asOf.textContent()).to.contain(`Figures as of today, ${addDays(ledgerNow, 0)}`);
        expect(await asOf.textContent()).to.contain('the final price is set when you accept');
        await screenshot(suzhou, 'supplier-discounts-30-days-on');

        // The bank's own line says the same price, for the same days.
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        await open(jiangnan, '/quote-requests');
        const own = jiangnan.locator(`p.own-quote[data-quote-id="${jiangnanQuoteId}"]`);
        expect(await own.count()).to.equal(1);
        const line = (await own.textContent()) ?? '';
        expect(line).to.contain('Your quote: 3.90 % p.a., fee CNY 50.00');
        expect(line).to.contain(`${daysLeft} days before maturity`);
        expect(minorOf((await own.locator('strong.price').textContent()) ?? '')).to.equal(shown);

        // The confirmation names that price; the toast the price the ledger recorded.
        const row = card.locator('table.quotes tbody tr', { hasText: 'Bank of Jiangnan' });
        await row.getByRole('button', { name: 'Accept quote' }).click();
        const question = (await row.locator('.confirm .question').textContent()) ?? '';
        expect(question).to.contain(`for ${formatMoney(shown, 'CNY')}`);
        expect(question).to.contain(`${daysLeft} days left to maturity`);
        await row.getByRole('button', { name: 'Yes, accept quote' }).click();
        await toast(suzhou, new RegExp(`Discounted: you receive ${formatMoney(shown, 'CNY').replace(/[.]/g, '\\.')} \\(3\\.90 % p\\.a\\. for ${daysLeft} days`));

        const terms = await apiAs<Terms>(suzhou, 'GET', `/quotes/${jiangnanQuoteId}/terms`);
        expect(terms.fundedAt, 'final terms').to.be.a('string');
        expect(terms.days).to.equal(daysLeft);
        expect(terms.price).to.equal(shown);
        // What the quote showed when it was made is not what was paid.
        expect(terms.indicative?.price).to.not.equal(shown);

        await open(suzhou, '/notes');
        const settled = suzhou.locator(`#settled-notes-table tbody tr:has(code[title="${mainNote.id}"])`);
        expect(minorOf((await settled.locator('.received').textContent()) ?? '')).to.equal(shown);
    });

    it('offers no acceptance and no best price once the note has matured, and says why', async function () {
        this.timeout(90_000);
        await suite.gateway.stop();
        suite.gateway = await startGateway({ dataDir: suite.dataDir, clockOffsetDays: daysUntil(smallNote.maturityDate, new Date()) + 1 });
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/discounts');
        const card = requestCard(suzhou, smallNote.id);
        const row = card.locator('table.quotes tbody tr', { hasText: 'Pudong' });
        const accept = row.getByRole('button', { name: 'Accept quote' });
        expect(await accept.isDisabled()).to.equal(true);
        expect(await accept.getAttribute('title')).to.contain('can no longer be discounted, only redeemed');
        expect(await card.locator('.badge-best').count()).to.equal(0);
        expect(await row.locator('strong.price').count()).to.equal(0);
        expect(await card.locator('[data-matured]').count()).to.equal(1);
        expect(await card.locator('[data-matured]').textContent()).to.contain(`The note matured on ${smallNote.maturityDate}`);

        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        await open(pudong, '/quote-requests');
        const own = pudong.locator('.card', { hasText: 'Request from Suzhou' }).locator('p.own-quote');
        expect(await own.count()).to.equal(1);
        expect(await own.textContent()).to.contain(`The note matured on ${smallNote.maturityDate}`);
        expect(await own.locator('strong.price').count()).to.equal(0);
    });
});
