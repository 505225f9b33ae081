import { expect } from 'chai';
import { open, signIn } from './support/browser';
import { apiAs, ownerIdOf, toast } from './support/page-api';
import { gatewayAndBrowser } from './support/suite';

/**
 * Co-ownership of registered IP in Debian's Chromium against the real gateway: a co-owner named
 * without being asked sees the registration awaiting its answer on its IP page, confirms one and
 * declines another; the asset lists show pending, confirmed and declined standings.
 */
describe('IP co-ownership in the browser', function () {
    const suite = gatewayAndBrowser('ip-ownership');

    it('lets a named co-owner confirm or decline a registration, and shows each asset\'s standing', async function () {
        this.timeout(180_000);
        const suzhou = await signIn(suite.browser, suite.gateway.url, 'suzhou');
        const hangzhou = await signIn(suite.browser, suite.gateway.url, 'hangzhou');
        const [suzhouId, hangzhouId] = [await ownerIdOf(suzhou), await ownerIdOf(hangzhou)];
        const patent = (registryNumber: string, title: string) => ({ kind: 'PATENT', registryNumber, title, ownerIds: [suzhouId, hangzhouId], expiryDate: '2035-12-31' });
        await apiAs(suzhou, 'POST', '/ip-assets', patent('ZL202310765432.1', 'Shared cooling channel design'));
        await apiAs(suzhou, 'POST', '/ip-assets', patent('ZL202310765433.X', 'Squatted fastener coating'));

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
        const own = await apiAs<{ previousAssetId?: string }>(hangzhou, 'POST', '/ip-assets', { ...patent('ZL202310765433.X', 'Fastener coating'), ownerIds: [hangzhouId] });
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
});
