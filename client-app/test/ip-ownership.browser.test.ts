import { expect } from 'chai';
import { open, signIn } from './support/browser';
import { apiAs, ownerIdOf, toast, uploadAs } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Co-ownership of registered IP in Debian's Chromium against the real gateway: a co-owner named
 * without being asked sees the registration awaiting its answer on its IP page, confirms one and
 * declines another; the asset lists show pending, confirmed and declined standings. A co-owner of
 * a pledged right consents to a pledge and withdraws that consent, and declines another pledge.
 */
describe('IP co-ownership in the browser', function () {
    const suite = gatewayAndBrowser('ip-ownership');

    it('lets a named co-owner confirm or decline a registration, and shows each asset\'s standing', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const [suzhouId, hangzhouId] = [await ownerIdOf(suzhou), await ownerIdOf(hangzhou)];
        const patent = (registryNumber: string, title: string) => ({ kind: 'PATENT', registryNumber, title, ownerIds: [suzhouId, hangzhouId], expiryDate: '2035-12-31' });
        await apiAs(suzhou, 'POST', '/ip-assets', patent('ZL202310765432.0', 'Shared cooling channel design'));
        await apiAs(suzhou, 'POST', '/ip-assets', patent('ZL202310765433.5', 'Squatted fastener coating'));

        // The registrant's list shows both pending, awaiting Hangzhou.
        await open(suzhou, '/ip');
        const pendingRow = suzhou.locator('#ip-assets tbody tr', { hasText: 'Shared cooling channel design' });
        expect(await pendingRow.locator('.badge').textContent()).to.equal('Pending');
        expect(await pendingRow.textContent()).to.contain('awaiting Hangzhou');
        expect(await suzhou.locator('#ip-confirmations').count(), 'nothing awaits the registrant').to.equal(0);

        // Hangzhou sees both awaiting its answer.
        await open(hangzhou, '/ip');
        const confirmations = hangzhou.locator('#ip-confirmations tbody tr');
        expect(await confirmations.count()).to.equal(2);
        await confirmations.filter({ hasText: 'Shared cooling channel design' }).getByRole('button', { name: 'Confirm' }).click();
        await toast(hangzhou, /Ownership confirmed/);
        await hangzhou.locator('#ip-assets tbody tr', { hasText: 'Shared cooling channel design' }).locator('.badge', { hasText: 'Confirmed' }).waitFor();

        const squatted = hangzhou.locator('#ip-confirmations tbody tr', { hasText: 'Squatted fastener coating' });
        // A decline needs a reason, said in words before anything is sent.
        await squatted.getByRole('button', { name: 'Decline' }).click();
        await hangzhou.locator('#ip-confirmations', { hasText: 'Give a reason to decline.' }).waitFor();
        await squatted.getByRole('textbox').fill('Hangzhou Fastener Works is the sole patentee');
        await squatted.getByRole('button', { name: 'Decline' }).click();
        await toast(hangzhou, /Registration declined/);
        const declined = hangzhou.locator('#ip-assets tbody tr', { hasText: 'Squatted fastener coating' });
        await declined.locator('.badge', { hasText: 'Declined' }).waitFor();
        expect(await declined.textContent()).to.contain('Hangzhou Fastener Works is the sole patentee');
        expect(await hangzhou.locator('#ip-confirmations').count(), 'nothing is left to answer').to.equal(0);

        // The right is free: Hangzhou registers it for itself.
        const own = await apiAs<{ previousAssetId?: string }>(hangzhou, 'POST', '/ip-assets', { ...patent('ZL202310765433.5', 'Fastener coating'), ownerIds: [hangzhouId] });
        expect(own.previousAssetId).to.match(/^ip-/);

        await open(suzhou, '/ip');
        await suzhou.locator('#ip-assets tbody tr', { hasText: 'Shared cooling channel design' }).locator('.badge', { hasText: 'Confirmed' }).waitFor();
        await suzhou.locator('#ip-assets tbody tr', { hasText: 'Squatted fastener coating' }).locator('.badge', { hasText: 'Declined' }).waitFor();

        // The regulator's remedy for a contested record: voiding it from the enterprise's page.
        const regulator = await signIn(suite.browser, suite.gateway.url, 'regulator');
        await open(regulator, `/enterprises/${suzhouId}`, '/enterprises/:id');
        const shared = regulator.locator('#ip-records tbody tr', { hasText: 'Shared cooling channel design' });
        await shared.locator('.badge', { hasText: 'Confirmed' }).waitFor();
        await shared.getByRole('button', { name: 'Void record' }).click();
        await regulator.getByText('Give the reason.').first().waitFor();
        await shared.getByRole('textbox').fill('Court ruling 2026-88 assigns the patent to a third party');
        await shared.getByRole('button', { name: 'Void record' }).click();
        await shared.locator('.confirm button.danger').click();
        await toast(regulator, /Record voided/);
        const voided = regulator.locator('#ip-records tbody tr', { hasText: 'Shared cooling channel design' });
        await voided.locator('.badge', { hasText: 'Voided' }).waitFor();
        expect(await voided.getByRole('button', { name: 'Void record' }).count(), 'a voided record offers no second void').to.equal(0);
    });
    it('lets a co-owner withdraw its consent to a requested pledge, and decline another after a confirmation', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const appraiser = await signIn(suite.browser, suite.gateway.url, 'appraiser');
        const jiangnan = await signIn(suite.browser, suite.gateway.url, 'jiangnan');
        const [suzhouId, hangzhouId, jiangnanId] = [await ownerIdOf(suzhou), await ownerIdOf(hangzhou), await ownerIdOf(jiangnan)];
        const asset = await apiAs<{ id: string }>(suzhou, 'POST', '/ip-assets', { kind: 'PATENT', registryNumber: 'ZL202310765434.X', title: 'Jointly held die design', ownerIds: [suzhouId, hangzhouId], expiryDate: '2035-12-31' });
        await apiAs(hangzhou, 'POST', `/ip-assets/${asset.id}/confirm`, {}, 200);
        const reportCid = await uploadAs(appraiser, '%PDF-1.4 appraisal of ZL202310765434.X');
        const today = new Date().toISOString().slice(0, 10);
        await apiAs(appraiser, 'POST', `/ip-assets/${asset.id}/valuations`, { amount: '100000000', currency: 'CNY', valuationDate: today, reportCid });
        const request = (securedAmount: string) => ({ assetId: asset.id, pledgeeId: jiangnanId, securedAmount, currency: 'CNY', termStart: today, termEnd: '2030-12-31' });
        const first = await apiAs<{ id: string }>(suzhou, 'POST', '/pledges', request('1100000'));
        const second = await apiAs<{ id: string }>(suzhou, 'POST', '/pledges', request('2200000'));

        await open(hangzhou, '/ip');
        const firstRow = hangzhou.locator('#my-pledges tbody tr', { hasText: 'CNY 11,000.00' });
        expect(await firstRow.getByRole('button', { name: 'Withdraw consent' }).count(), 'nothing to withdraw before consenting').to.equal(0);
        await firstRow.getByRole('button', { name: 'Consent', exact: true }).click();
        await toast(hangzhou, /Consent recorded/);
        await firstRow.getByRole('button', { name: 'Withdraw consent' }).click();
        await toast(hangzhou, /Consent withdrawn/);
        await firstRow.getByRole('button', { name: 'Consent', exact: true }).waitFor();
        expect((await apiAs<{ consents: unknown[]; status: string }>(suzhou, 'GET', `/pledges/${first.id}`)).consents).to.deep.equal([]);

        // Declining needs a reason, asks for confirmation, and "No" changes nothing.
        const secondRow = hangzhou.locator('#my-pledges tbody tr', { hasText: 'CNY 22,000.00' });
        await secondRow.getByRole('button', { name: 'Decline' }).click();
        // Said next to the reason field, which is marked invalid and described by it.
        const reasonError = secondRow.locator('.field-error', { hasText: 'Give a reason to decline.' });
        await reasonError.waitFor();
        const reasonBox = secondRow.getByRole('textbox');
        expect(await reasonBox.getAttribute('aria-invalid')).to.equal('true');
        expect((await reasonBox.getAttribute('aria-describedby'))?.split(' ')).to.include(await reasonError.getAttribute('id'));
        await secondRow.getByRole('textbox').fill('We do not agree to encumber the die design');
        await secondRow.getByRole('button', { name: 'Decline' }).click();
        const question = secondRow.locator('.confirm');
        expect(await question.textContent()).to.contain('Bank of Jiangnan').and.contain('CNY 22,000.00').and.contain('We do not agree to encumber the die design');
        await question.getByRole('button', { name: 'No' }).click();
        expect((await apiAs<{ status: string }>(suzhou, 'GET', `/pledges/${second.id}`)).status).to.equal('REQUESTED');
        await secondRow.getByRole('button', { name: 'Decline' }).click();
        await secondRow.locator('.confirm').getByRole('button', { name: 'Yes, decline' }).click();
        await toast(hangzhou, /Pledge declined/);
        const declinedRow = hangzhou.locator('#my-pledges tbody tr', { hasText: 'CNY 22,000.00' });
        await declinedRow.locator('.badge', { hasText: 'Declined' }).waitFor();
        expect(await declinedRow.locator('.actions button').count(), 'a declined pledge offers nothing').to.equal(0);
        expect(await apiAs<{ status: string; declinedBy: string; closeReason: string }>(suzhou, 'GET', `/pledges/${second.id}`)).to.include({
            status: 'DECLINED',
            declinedBy: hangzhouId,
            closeReason: 'We do not agree to encumber the die design',
        });

        // The pledgor sees who declined and why, and may only cancel its other request.
        await open(suzhou, '/ip');
        const seen = suzhou.locator('#my-pledges tbody tr', { hasText: 'CNY 22,000.00' });
        await seen.locator('.badge', { hasText: 'Declined' }).waitFor();
        expect(await seen.textContent()).to.contain('Hangzhou').and.contain('We do not agree to encumber the die design');
        const pending = suzhou.locator('#my-pledges tbody tr', { hasText: 'CNY 11,000.00' });
        expect(await pending.locator('.actions button').allTextContents()).to.deep.equal(['Cancel']);
    });
});
