import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addDays, daysUntil } from '../src/format';
import { PASSWORD, open, screenshot, signIn } from './support/browser';
import { startGateway } from './support/gateway';
import { apiAs, ownerIdOf, toast, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * A redemption while a holder is frozen, in Debian's Chromium against the real gateway: what the
 * issuer is asked before paying, what the live feed says to the frozen holder and to the issuer (paid,
 * and held in escrow for whom), no "Mark overdue" on the escrowed note, "Pay out escrow" disabled
 * while the holder is frozen and paying out once the freeze is lifted. The issuer is frozen too while
 * it redeems and pays out: redemption is the one thing a frozen enterprise may still do. On the way: the transfer panel
 * when the only other supplier is frozen, the exposure totals of two currencies, the feed's titles in
 * the app's own words, and copying the passport JSON where the browser has no Clipboard API.
 */

interface HeldNote {
    id: string;
    rootId: string;
    amount: string;
    status: string;
    currency: string;
    maturityDate: string;
}

async function heldNotes(page: Page): Promise<HeldNote[]> {
    return (await apiAs<{ items: HeldNote[] }>(page, 'GET', `/notes?holderId=${await ownerIdOf(page)}&limit=500`)).items;
}

/** The text of the newest feed entry of `event` that contains `text`, once it is on the page. */
async function feedEntry(page: Page, event: string, text: string | RegExp): Promise<string> {
    const entry = page.locator(`#event-feed li[data-event=${event}]`, { hasText: text }).first();
    await entry.waitFor({ timeout: 15_000 });
    return ((await entry.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('a redemption with a frozen holder: escrow in words, and the controls around it', function () {
    const suite = gatewayAndBrowser('escrow');
    let rootId = '';
    let hangzhouNoteId = '';
    const HANGZHOU = 'Hangzhou Fastener Works Co., Ltd.';

    it('sets the scene: CNY 30,000.00 of the seeded note transferred to Hangzhou, a USD note beside it', async function () {
        this.timeout(120_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');
        const bank = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const [suzhouId, hangzhouId, huadongId] = [await ownerIdOf(suzhou), await ownerIdOf(hangzhou), await ownerIdOf(huadong)];

        const seeded = (await heldNotes(suzhou)).find((n) => n.status === 'ACTIVE' && n.currency === 'CNY');
        if (!seeded) {
            throw new Error('the demo seed gave Suzhou no active note');
        }
        rootId = seeded.rootId;
        const offer = await apiAs<{ id: string }>(suzhou, 'POST', '/offers', { noteId: seeded.id, toId: hangzhouId, amount: '3000000', expiresAt: `${addDays(new Date(), 3)}T23:59:59.000Z` });
        await apiAs(hangzhou, 'POST', `/offers/${offer.id}/accept`, {}, 200);
        hangzhouNoteId = (await heldNotes(hangzhou)).find((n) => n.rootId === rootId)?.id ?? '';
        expect(hangzhouNoteId).to.not.equal('');

        // A USD note: a USD line, a USD receivable confirmed, a note issued on them.
        const line = await apiAs<{ id: string }>(bank, 'POST', '/credit-lines', { coreEnterpriseId: huadongId, currency: 'USD', limit: '10000000', expiresAt: `${addDays(new Date(), 365)}T00:00:00.000Z` });
        const documentCid = await uploadAs(suzhou, '%PDF-1.4 invoice SPC-USD-0001');
        const receivable = await apiAs<{ id: string }>(suzhou, 'POST', '/receivables', {
            buyerId: huadongId,
            invoiceNumber: 'SPC-USD-0001',
            amount: '1000000',
            currency: 'USD',
            issueDate: addDays(new Date(), -3),
            dueDate: addDays(new Date(), 60),
            documentCid,
        });
        await apiAs(huadong, 'POST', `/receivables/${receivable.id}/confirm`, {}, 200);
        await apiAs(huadong, 'POST', '/notes', { holderId: suzhouId, amount: '1000000', currency: 'USD', maturityDate: addDays(new Date(), 150), creditLineId: line.id, receivableIds: [receivable.id] });
    });

    it('separates the currencies of the exposure totals', async function () {
        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');
        await open(huadong, '/exposure');
        const totals = ((await huadong.locator('#exposure-totals').textContent()) ?? '').replace(/\s+/g, ' ').trim();
        expect(totals).to.equal('Outstanding: CNY 255,000.00 on 1 note; USD 10,000.00 on 1 note.');
    });

    it('titles the feed’s events in the app’s words: passport issued and recognised, IP asset registered', async function () {
        this.timeout(60_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await apiAs(suzhou, 'POST', '/ip-assets', { kind: 'PATENT', registryNumber: 'ZL202310123456.6', title: 'Die-casting mould cooling', ownerIds: [await ownerIdOf(suzhou)], expiryDate: '2035-12-31' });
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        const link = ((await suzhou.locator('#passport-link').getAttribute('href')) ?? '').replace(/^.*#/, '/#');
        const partner = await signIn(suite.browser, suite.gateway.url, 'singapore');
        await partner.goto(link);
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised').waitFor();

        const title = async (event: string): Promise<string> => {
            const entry = suzhou.locator(`#event-feed li[data-event=${event}] strong`).first();
            await entry.waitFor({ timeout: 15_000 });
            return (await entry.textContent()) ?? '';
        };
        expect(await title('SubmitAttestation')).to.equal('Passport issued');
        expect(await title('RecognizeAttestation')).to.equal('Passport recognised');
        expect(await title('RegisterIpAsset')).to.equal('IP asset registered');
        expect(await title('OfferTransfer')).to.equal('Transfer offered');
        const titles = await suzhou.locator('#event-feed li strong').allTextContents();
        expect(titles.filter((t) => /attestation|\bip\b|Recognize/.test(t)), 'raw transaction names').to.deep.equal([]);
    });

    it('copies the passport JSON with the copy command where the browser has no Clipboard API, and says it did', async function () {
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou', PASSWORD, { clipboard: true });
        // As on plain http from another host: navigator.clipboard is undefined (the test keeps it to read the result).
        await suzhou.context().addInitScript(() => {
            Object.defineProperty(window, 'realClipboard', { value: navigator.clipboard });
            Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
        });
        await suzhou.reload();
        await open(suzhou, '/passport');
        expect(await suzhou.evaluate(() => navigator.clipboard === undefined)).to.equal(true);
        const json = (await suzhou.locator('#passport-json').textContent()) ?? '';
        await suzhou.getByRole('button', { name: 'Copy passport JSON' }).click();
        await suzhou.locator('.copy-status', { hasText: '✓ Copied' }).waitFor({ timeout: 5_000 });
        expect(await suzhou.evaluate(() => (window as unknown as { realClipboard: Clipboard }).realClipboard.readText())).to.equal(json);
    });

    it('explains an empty list of recipients when the only other supplier is frozen', async function () {
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        await apiAs(regulator, 'POST', `/enterprises/${await ownerIdOf(hangzhou)}/freeze`, { reason: 'escrow test' }, 200);

        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        await open(suzhou, '/notes');
        await suzhou.locator('#holdings tbody tr', { hasText: 'Active' }).first().getByRole('button', { name: 'Transfer' }).click();
        const panel = suzhou.locator('form[data-panel=transfer]');
        expect(await panel.locator('select[name=toId]').count()).to.equal(0);
        expect(await panel.locator('#no-recipient').textContent()).to.equal(
            `No supplier can receive a transfer now: ${HANGZHOU} is frozen by the regulator, and a frozen enterprise can receive nothing. Try again once the freeze is lifted.`,
        );
        const submit = panel.getByRole('button', { name: 'Offer transfer' });
        expect(await submit.isDisabled()).to.equal(true);
        expect(await submit.getAttribute('title')).to.contain('No supplier can receive a transfer now');
    });

    it('asks the issuer, frozen itself, before redeeming what is paid and what goes into escrow for whom, then pays', async function () {
        this.timeout(180_000);
        // The ledger's clock past the root's maturity plus grace (the notes' pages offer "Mark overdue" then).
        const issuer = await signIn(suite.browser, suite.gateway.url, 'huadong');
        const root = await apiAs<{ maturityDate: string; graceDays: number }>(issuer, 'GET', `/notes/${rootId}`);
        await suite.gateway.stop();
        suite.gateway = await startGateway({ dataDir: suite.dataDir, clockOffsetDays: daysUntil(root.maturityDate, new Date()) + root.graceDays + 2 });

        // The regulator freezes the issuer: it may still pay what it owes, and nothing else.
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        await apiAs(regulator, 'POST', `/enterprises/${await ownerIdOf(issuer)}/freeze`, { reason: 'escrow test: issuer' }, 200);
        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');
        await open(huadong, '/exposure');
        const banner = huadong.locator('#frozen-banner');
        await banner.waitFor({ state: 'visible' });
        expect(await banner.textContent()).to.contain('It can still redeem its matured notes, which only pays their holders what they are owed.');
        const section = huadong.locator(`section.root[data-root-id="${rootId}"]`);
        const redeem = section.getByRole('button', { name: 'Redeem', exact: true });
        expect(await redeem.isDisabled()).to.equal(false);
        expect(await redeem.getAttribute('data-frozen')).to.equal(null);
        await redeem.click();
        expect(await section.locator('.confirm .question').textContent()).to.equal(
            `Redeem note ${rootId} now, paying its holder CNY 225,000.00 and CNY 30,000.00 into escrow for ${HANGZHOU}, frozen by the regulator (paid out to it once the freeze is lifted)? This cannot be undone.`,
        );
        await section.getByRole('button', { name: 'Yes, redeem' }).click();
        await toast(huadong, /Redeemed: paid 1 holder CNY 225,000.00; CNY 30,000.00 held in escrow for 1 frozen holder/);
    });

    it('tells the frozen holder, and the issuer, what was paid and what is held in escrow for whom', async function () {
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const own = await feedEntry(hangzhou, 'RedeemNote', 'escrow');
        expect(own).to.equal(`Note redeemed CNY 30,000.00 held in escrow for ${HANGZHOU} (frozen) · late · by Huadong Heavy Industries Co., Ltd.`);
        expect(own).to.not.contain('0 holders');

        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');
        expect(await feedEntry(huadong, 'RedeemNote', 'escrow')).to.equal(
            `Note redeemed paid CNY 225,000.00 to 1 holder · Suzhou Precision Castings Co., Ltd. CNY 225,000.00 · CNY 30,000.00 held in escrow for ${HANGZHOU} (frozen) · late · by Huadong Heavy Industries Co., Ltd.`,
        );
    });

    it('offers no "Mark overdue" on the escrowed note: its root is redeemed', async function () {
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        await open(hangzhou, '/notes');
        const row = hangzhou.locator(`#holdings tbody tr:has(code[title="${hangzhouNoteId}"])`);
        await row.locator('.badge', { hasText: 'Escrowed' }).waitFor();
        await screenshot(hangzhou, 'escrowed-note-frozen-holder');
        expect(await row.locator('[data-action=mark-overdue]').count()).to.equal(0);
    });

    it('disables "Pay out escrow" while the holder is frozen, naming it, and pays out once the freeze is lifted, the issuer still frozen', async function () {
        this.timeout(60_000);
        const huadong = await signIn(suite.browser, suite.gateway.url, 'huadong');
        await open(huadong, '/exposure');
        const payOut = huadong.locator('#redeemed-roots-table [data-action=pay-out-escrow]');
        await payOut.waitFor();
        expect(await payOut.isDisabled()).to.equal(true);
        expect(await payOut.getAttribute('title')).to.equal(`Nothing to pay out yet: ${HANGZHOU} is still frozen by the regulator. The escrow can be paid out once the freeze is lifted.`);

        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        await apiAs(regulator, 'POST', `/enterprises/${await ownerIdOf(hangzhou)}/unfreeze`, { reason: 'cleared' }, 200);
        // The unfreezing reaches the issuer's directory (its feed) or a fresh page.
        await open(huadong, '/exposure');
        const button = huadong.locator('#redeemed-roots-table').getByRole('button', { name: 'Pay out escrow' });
        await huadong.waitForFunction(() => {
            const b = document.querySelector('#redeemed-roots-table button[data-action=pay-out-escrow]') as HTMLButtonElement | null;
            return b !== null && !b.disabled;
        });
        await button.click();
        expect(await huadong.locator('#redeemed-roots-table .confirm .question').textContent()).to.equal(`Pay out CNY 30,000.00 held in escrow for note ${rootId} to ${HANGZHOU}? This cannot be undone.`);
        await huadong.getByRole('button', { name: 'Yes, pay out escrow' }).click();
        await toast(huadong, /Paid out CNY 30,000.00 from escrow/);
        expect(await feedEntry(hangzhou, 'RedeemNote', 'out of escrow')).to.equal(
            `Escrow paid out paid CNY 30,000.00 out of escrow to 1 holder · ${HANGZHOU} CNY 30,000.00 · late · by Huadong Heavy Industries Co., Ltd.`,
        );
        expect((await apiAs<{ status: string }>(regulator, 'GET', `/enterprises/${await ownerIdOf(huadong)}`)).status).to.equal('FROZEN');
        await apiAs(regulator, 'POST', `/enterprises/${await ownerIdOf(huadong)}/unfreeze`, { reason: 'cleared' }, 200);
    });
});
