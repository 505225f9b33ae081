import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { usccCheckCharacter } from '../../chaincode/src/enterprise/identifiers';
import { open, screenshot, signIn } from './support/browser';
import { apiAs, ownerIdOf, toast, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * The role views in Debian's Chromium against the real gateway: Provenance offered only to roles
 * that can be a party to a note, and a refusal said in words; a bank deciding an IP pledge with the
 * asset, its valuation and the loan-to-value in view, each decision asked first; the onboarding
 * form offering only the organisations the ledger accepts for a kind; the appraiser's and the
 * supplier's IP tables; the regulator's frozen count and filter, and the enterprises at the base score.
 */

const TODAY = new Date().toISOString().slice(0, 10);

/** A USCC not yet registered, with its check character. */
function newUscc(prefix: string): string {
    const body = `${prefix}${String(Date.now() % 10_000_000).padStart(7, '0')}`;
    return body + (usccCheckCharacter(body) ?? '');
}

async function navOf(page: Page): Promise<string[]> {
    return (await page.locator('nav a').allTextContents()).map((t) => t.trim());
}

/** An active note the seed gave Suzhou. */
async function suzhouNoteId(suzhou: Page): Promise<string> {
    const notes = await apiAs<{ items: Array<{ id: string; status: string }> }>(suzhou, 'GET', `/notes?holderId=${await ownerIdOf(suzhou)}&limit=500`);
    const note = notes.items.find((n) => n.status === 'ACTIVE');
    if (!note) {
        throw new Error('the seed gave Suzhou no active note');
    }
    return note.id;
}

describe('role views in the browser', function () {
    const suite = gatewayAndBrowser('role-views');

    it('offers Provenance only to roles that can be a party to a note, and says who may see one when the ledger refuses', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const noteId = await suzhouNoteId(suzhou);
        for (const user of ['singapore', 'bureau', 'appraiser', 'admin']) {
            const page = await signIn(suite.browser, suite.gateway.url, user);
            expect(await navOf(page), user).to.not.include('Provenance');
            await open(page, `/provenance/${noteId}`, '/provenance/:id');
            expect(await page.locator('main .error').textContent(), user).to.contain('This page is for');
            await page.context().close();
        }
        for (const user of ['suzhou', 'huadong', 'jiangnan', 'regulator']) {
            const page = user === 'suzhou' ? suzhou : await signIn(suite.browser, suite.gateway.url, user);
            expect(await navOf(page), user).to.include('Provenance');
        }

        // A bank that is not a party to the note: the ledger refuses, and the page says who may see it, naming the bank.
        const pudong = await signIn(suite.browser, suite.gateway.url, 'pudong');
        const pudongId = await ownerIdOf(pudong);
        await apiAs(pudong, 'GET', `/notes/${noteId}/provenance`, undefined, 403);
        await open(pudong, `/provenance/${noteId}`, '/provenance/:id');
        const refusal = pudong.locator('main .error[data-code=FORBIDDEN]');
        await refusal.waitFor();
        const text = (await refusal.textContent()) ?? '';
        expect(text).to.contain(`Pudong Factoring Co., Ltd. is not a party to note ${noteId}.`);
        expect(text).to.contain('can be seen only by the core enterprise that issued it').and.contain('the regulator');
        expect(text).to.not.contain(pudongId);
        await screenshot(pudong, 'role-views-provenance-refused');

        // The holder sees the tree.
        await open(suzhou, `/provenance/${noteId}`, '/provenance/:id');
        await suzhou.waitForSelector('#provenance-tree');
    });

    it('shows the bank the pledged asset, its valuation and the loan-to-value, and asks before accepting or releasing', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const [suzhouId, jiangnanId] = [await ownerIdOf(suzhou), await ownerIdOf(jiangnan)];
        const asset = await apiAs<{ id: string }>(suzhou, 'POST', '/ip-assets', { kind: 'PATENT', registryNumber: 'ZL202310555111.8', title: 'Vacuum die-casting mould cooling system', ownerIds: [suzhouId], expiryDate: '2036-11-24' });
        const reportCid = await uploadAs(appraiser, '%PDF-1.4 appraisal of ZL202310555111.8');
        await apiAs(appraiser, 'POST', `/ip-assets/${asset.id}/valuations`, { amount: '120000050', currency: 'CNY', valuationDate: TODAY, reportCid });
        const pledge = await apiAs<{ id: string }>(suzhou, 'POST', '/pledges', { assetId: asset.id, pledgeeId: jiangnanId, securedAmount: '50000000', currency: 'CNY', termStart: TODAY, termEnd: '2030-12-31' });
        const status = async (): Promise<string> => (await apiAs<{ status: string }>(jiangnan, 'GET', `/pledges/${pledge.id}`)).status;

        await open(jiangnan, '/pledges');
        const row = jiangnan.locator('#pledges tbody tr', { hasText: 'Vacuum die-casting mould cooling system' });
        const cells = await row.locator('td').allTextContents();
        expect(cells[2]).to.contain('Patent ZL202310555111.8');
        expect(cells[3]).to.contain('CNY 1,200,000.50').and.contain(TODAY).and.contain('Zhongguancun IP Appraisal Co., Ltd.');
        expect(cells[5]).to.contain('41.67 %').and.contain('cap 50.00 %');
        await screenshot(jiangnan, 'role-views-pledges');

        // Accept asks first, with what is accepted; "No" changes nothing.
        await row.getByRole('button', { name: 'Accept', exact: true }).click();
        const question = row.locator('.confirm');
        expect(await question.textContent())
            .to.contain('Vacuum die-casting mould cooling system')
            .and.contain('Patent ZL202310555111.8')
            .and.contain('CNY 500,000.00')
            .and.contain('valued at CNY 1,200,000.50')
            .and.contain('Loan-to-value 41.67 %');
        await screenshot(jiangnan, 'role-views-pledge-accept-confirm');
        await question.getByRole('button', { name: 'No' }).click();
        expect(await status()).to.equal('REQUESTED');
        await row.getByRole('button', { name: 'Accept', exact: true }).click();
        await row.locator('.confirm').getByRole('button', { name: 'Yes, accept' }).click();
        await toast(jiangnan, /Pledge accepted/);
        expect(await status()).to.equal('ACTIVE');

        // Release asks first too.
        const active = jiangnan.locator('#pledges tbody tr', { hasText: 'Vacuum die-casting mould cooling system' });
        await active.locator('.badge', { hasText: 'Active' }).waitFor();
        await active.getByRole('button', { name: 'Release', exact: true }).click();
        expect(await active.locator('.confirm').textContent()).to.contain('Release pledge').and.contain('cannot be undone');
        await active.locator('.confirm').getByRole('button', { name: 'No' }).click();
        expect(await status()).to.equal('ACTIVE');

        // The appraiser sees the kind, its valuation's date, appraiser and report, and the pledge its figure governs.
        await open(appraiser, `/valuations?ownerId=${encodeURIComponent(suzhouId)}`, '/valuations');
        const valued = appraiser.locator('#valuation-assets tbody tr', { hasText: 'ZL202310555111.8' });
        const valuedCells = await valued.locator('td').allTextContents();
        expect(valuedCells.slice(1, 6)).to.deep.equal(['Patent', 'ZL202310555111.8', 'CNY 1,200,000.50', TODAY, 'Zhongguancun IP Appraisal Co., Ltd.']);
        expect(await valued.locator('button[data-document-cid]').getAttribute('data-document-cid')).to.equal(reportCid);
        expect(valuedCells[7]).to.contain('Active').and.contain('Bank of Jiangnan').and.contain('CNY 500,000.00');
        expect(await valued.locator('form').count(), 'a confirmed record can be valued again').to.equal(1);
        await screenshot(appraiser, 'role-views-valuations');

        // The supplier's own table names the kind properly.
        await open(suzhou, '/ip');
        const own = suzhou.locator('#ip-assets tbody tr', { hasText: 'ZL202310555111.8' });
        expect((await own.locator('td').allTextContents())[1]).to.equal('Patent');
    });

    it('offers the administrator only the organisations the ledger accepts for the kind chosen', async function () {
        this.timeout(120_000);
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        await open(admin, '/onboarding');
        const form = admin.locator('#register-enterprise');
        const organisations = async (): Promise<string[]> => form.locator('select[name=mspId] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
        await form.locator('select[name=kind]').selectOption('SUPPLIER');
        expect(await organisations()).to.deep.equal(['PlatformMSP']);
        await form.locator('select[name=kind]').selectOption('FOREIGN_PARTNER');
        expect(await organisations()).to.deep.equal(['PartnerMSP']);
        await form.locator('select[name=kind]').selectOption('FINANCIER');
        expect(await organisations()).to.deep.equal(['BankMSP']);
        await form.locator('select[name=kind]').selectOption('APPRAISER');
        expect((await organisations()).sort()).to.deep.equal(['BankMSP', 'PlatformMSP']);
        await screenshot(admin, 'role-views-onboarding');

        // A supplier registers with the organisation offered.
        const uscc = newUscc('91330200MA');
        await form.locator('input[name=id]').fill(uscc);
        await form.locator('input[name=name]').fill('Ningbo Valve Co., Ltd.');
        await form.locator('select[name=kind]').selectOption('SUPPLIER');
        await form.getByRole('button', { name: 'Register enterprise' }).click();
        await toast(admin, /Enterprise registered/);
        const registered = admin.locator('#all-enterprises tbody tr', { hasText: 'Ningbo Valve Co., Ltd.' });
        expect(await registered.textContent()).to.contain('PlatformMSP');
    });

    it('counts and filters frozen enterprises for the regulator, and says which stand at the base score', async function () {
        this.timeout(120_000);
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        const admin = await signIn(suite.browser, suite.gateway.url, 'admin');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const hangzhouId = await ownerIdOf(hangzhou);
        await apiAs(regulator, 'POST', `/enterprises/${hangzhouId}/freeze`, { reason: 'role-views test' }, 200);
        try {
            await open(regulator, '/enterprises');
            const total = await regulator.locator('#enterprises tbody tr').count();
            expect(await regulator.locator('#frozen-count').textContent()).to.equal(`1 of ${total} enterprises are frozen.`);
            await regulator.locator('#enterprise-status').selectOption('FROZEN');
            await regulator.waitForFunction(() => location.hash === '#/enterprises?status=FROZEN');
            await regulator.locator('main[data-view="/enterprises"] #enterprises').waitFor();
            const frozen = await regulator.locator('#enterprises tbody tr').allTextContents();
            expect(frozen).to.have.length(1);
            expect(frozen[0]).to.contain('Hangzhou Fastener Works Co., Ltd.').and.contain('Frozen').and.contain('role-views test');
            await screenshot(regulator, 'role-views-enterprises-frozen');
        } finally {
            await apiAs(regulator, 'POST', `/enterprises/${hangzhouId}/unfreeze`, { reason: 'cleared' }, 200);
        }

        // A supplier no credit event has touched is not among the recorded profiles: the page says so, and names it.
        const uscc = newUscc('91330300MA');
        await apiAs(admin, 'POST', '/enterprises', { id: uscc, name: 'Wenzhou Springs Co., Ltd.', kind: 'SUPPLIER' });
        await open(regulator, '/warnings?level=NONE', '/warnings');
        expect(await regulator.locator('#warnings tbody tr', { hasText: 'Wenzhou Springs' }).count()).to.equal(0);
        const base = regulator.locator('#base-profiles');
        expect(await base.textContent()).to.match(/^\d+ enterprises? (has|have) no recorded credit events and stands? at the base score of 600 with no warning/);
        expect(await base.locator('a', { hasText: 'Wenzhou Springs Co., Ltd.' }).getAttribute('href')).to.equal(`#/enterprises/${uscc}`);
        await screenshot(regulator, 'role-views-warnings-all');
    });
});
