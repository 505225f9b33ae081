import { expect } from 'chai';
import { createHash, randomBytes } from 'crypto';
import { Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { MAX_TIMESTAMP, passportTypedData } from '../../chaincode/src/recognition/passport';
import { open, screenshot, signIn } from './support/browser';
import { gatewayAndBrowser } from './support/suite';
import { apiAs, ownerIdOf, toast } from './support/page-api';

/**
 * Passports and recognition in Debian's Chromium against the real gateway: a bureau key rotated
 * while pages are open (verify page, supplier's passport, bureau's list, partner's recognitions),
 * the partner's whole job (accept after confirming, recognise by grade, terminate), and the same
 * pages with the ledger's clock far ahead of the browser's, and a passport valid until the largest
 * time the ledger accepts.
 */

interface Key {
    address: string;
    bureauId: string;
    status: string;
}

async function publishedKeys(page: Page): Promise<Key[]> {
    const answer = await apiAs<Key[] | { items: Key[] }>(page, 'GET', '/passports/issuers');
    return Array.isArray(answer) ? answer : answer.items;
}

/** Pastes a passport into the verify page on screen and checks it; the page is NOT reloaded. */
async function verifyOnPage(partner: Page, json: string): Promise<string> {
    await partner.locator('#verify-result').evaluate((e) => e.replaceChildren());
    await partner.fill('#passport-input', json);
    await partner.getByRole('button', { name: 'Verify offline' }).click();
    const verdict = partner.locator('#offline-verdict');
    await verdict.waitFor();
    return (await verdict.textContent()) ?? '';
}

describe('credit passports and recognition in the browser', function () {
    const suite = gatewayAndBrowser('recognition');

    it('follows a rotation of the bureau key on every open page: verify, passport, bureau list, recognitions', async function () {
        this.timeout(120_000);
        const b = suite.browser;
        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        const oldJson = (await suzhou.locator('#passport-json').textContent()) ?? '';

        // The partner checks (and recognises) the passport while the old key is in force.
        const partner = await signIn(b, suite.gateway.url, 'singapore');
        await open(partner, '/verify');
        expect(await verifyOnPage(partner, oldJson)).to.contain('Authentic passport');
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised').waitFor();

        // The platform revokes the bureau's key.
        const admin = await signIn(b, suite.gateway.url, 'admin');
        const bureau = await signIn(b, suite.gateway.url, 'bureau');
        const bureauId = await ownerIdOf(bureau);
        const oldKey = (await publishedKeys(admin)).find((k) => k.bureauId === bureauId && k.status === 'ACTIVE');
        expect(oldKey, 'the demo bureau key').to.not.equal(undefined);
        await apiAs(admin, 'POST', `/bureau-keys/${oldKey?.address}/revoke`, { reason: 'key compromised' }, 200);

        // The verify page, still open, sees the revocation: the passport is not valid offline.
        const revokedVerdict = await verifyOnPage(partner, oldJson);
        expect(revokedVerdict).to.contain('Not a valid passport');
        expect(await partner.locator('#offline-verdict li.bad').first().textContent()).to.match(/Issuer key: .*revoked/);
        expect(await partner.locator('#ledger-verdict').count()).to.equal(0);

        // The supplier has no valid passport any more; its history says why.
        await open(suzhou, '/passport');
        expect(await suzhou.locator('main').textContent()).to.contain('No valid credit passport');
        expect(await suzhou.locator('#passport-link').count()).to.equal(0);
        expect(await suzhou.locator('#passport-history .badge').first().textContent()).to.equal('Signer revoked');

        // The bureau sees the passport's real state, with nothing to revoke, and why it cannot issue.
        await open(bureau, '/attestations');
        const oldRow = bureau.locator('#issued-passports tbody tr', { hasText: 'Suzhou' }).first();
        expect(await oldRow.locator('.badge').textContent()).to.equal('Signer revoked');
        expect(await oldRow.getByRole('button', { name: 'Revoke' }).count()).to.equal(0);
        await bureau.locator('#no-active-key').waitFor();

        // The partner's recognition of that passport no longer stands.
        await open(partner, '/agreements');
        const recognition = partner.locator('#recognitions tbody tr', { hasText: 'Suzhou' }).first();
        expect(await recognition.locator('.badge').textContent()).to.equal('Signer revoked');
        await screenshot(partner, 'partner-recognitions-signer-revoked');

        // A new key, and a new passport signed with it.
        await apiAs(admin, 'POST', '/bureau-keys/generate', { bureauId, label: 'passport key 2' });
        const newKey = (await publishedKeys(admin)).find((k) => k.bureauId === bureauId && k.status === 'ACTIVE');
        await open(bureau, '/attestations');
        expect(await bureau.locator('#no-active-key').count()).to.equal(0);
        await bureau.locator('#issue-passport select[name=subjectId]').selectOption({ label: 'Suzhou Precision Castings Co., Ltd.' });
        await bureau.getByRole('button', { name: 'Issue passport' }).click();
        await toast(bureau, /Passport issued/);
        const newRow = bureau.locator('#issued-passports tbody tr', { hasText: 'Suzhou' }).first();
        expect(await newRow.locator('.badge').textContent()).to.equal('Valid');
        expect(await newRow.getByRole('button', { name: 'Revoke' }).count()).to.equal(1);
        await screenshot(bureau, 'bureau-passports-after-rotation');

        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        expect((await suzhou.locator('main dd code').first().textContent())?.toLowerCase()).to.equal(newKey?.address.toLowerCase());
        const newJson = (await suzhou.locator('#passport-json').textContent()) ?? '';

        // The same session of the app (no reload since its first check, before the new key
        // existed) accepts the new genuine passport and still refuses the old one.
        await open(partner, '/verify');
        expect(await verifyOnPage(partner, newJson)).to.contain('Authentic passport');
        expect(await partner.locator('#offline-verdict li.ok').count()).to.equal(4);
        await partner.locator('#ledger-verdict', { hasText: 'Anchored and valid on the ledger' }).waitFor();
        expect(await verifyOnPage(partner, oldJson)).to.contain('Not a valid passport');
    });

    it('lets the partner accept an agreement after confirming its scale, recognise by grade, and terminate it', async function () {
        this.timeout(120_000);
        const b = suite.browser;
        const partner = await signIn(b, suite.gateway.url, 'singapore');
        const partnerId = await ownerIdOf(partner);
        const admin = await signIn(b, suite.gateway.url, 'admin');
        const day = 86_400_000;
        const proposed = await apiAs<{ id: string }>(admin, 'POST', '/agreements', {
            partnerId,
            partnerMspId: 'PartnerMSP',
            gradeScale: [
                { minScore: 0, grade: 'Tier-3' },
                { minScore: 500, grade: 'Tier-2' },
                { minScore: 800, grade: 'Tier-1' },
            ],
            validFrom: new Date(Date.now() - day).toISOString(),
            validUntil: new Date(Date.now() + 365 * day).toISOString(),
        });
        await open(partner, '/agreements');
        const row = partner.locator(`#agreements tbody tr:has(code[title="${proposed.id}"])`);
        expect(await row.textContent()).to.contain('Tier-1 800–1000 · Tier-2 500–799 · Tier-3 0–499');

        // Accepting asks first, saying what is agreed.
        await row.getByRole('button', { name: 'Accept', exact: true }).click();
        const question = row.locator('.confirm .question');
        expect(await question.textContent()).to.contain('Tier-1 800–1000');
        await row.getByRole('button', { name: 'No' }).click();
        expect(await row.locator('.badge').textContent()).to.equal('Proposed');
        await row.getByRole('button', { name: 'Accept', exact: true }).click();
        await row.getByRole('button', { name: 'Yes, accept' }).click();
        await toast(partner, /Agreement accepted/);
        expect(await row.locator('.badge').textContent()).to.equal('Active');

        // The Recognise dropdown says which grade the passport gets under each agreement.
        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        await open(suzhou, '/passport');
        const json = (await suzhou.locator('#passport-json').textContent()) ?? '';
        const score = (JSON.parse(json) as { attestation: { score: number } }).attestation.score;
        const expected = score >= 800 ? 'Tier-1' : score >= 500 ? 'Tier-2' : 'Tier-3';
        await open(partner, '/verify');
        expect(await verifyOnPage(partner, json)).to.contain('Authentic passport');
        const option = partner.locator('#recognise-form select[name=agreementId] option', { hasText: 'Tier-1 800–1000' });
        expect(await option.textContent()).to.contain(`${score} → ${expected} under`);
        expect(await option.textContent()).to.not.match(/^agr|…/);
        await partner.locator('#recognise-form select[name=agreementId]').selectOption({ value: proposed.id });
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised', { hasText: `maps to your grade ${expected}` }).waitFor();

        await open(partner, '/agreements');
        const recognition = partner.locator(`#recognitions tbody tr:has(code[title="${proposed.id}"])`);
        expect(await recognition.locator('.badge').textContent()).to.equal('Standing');

        // Terminating needs a reason, then confirmation.
        await row.getByRole('button', { name: 'Terminate', exact: true }).click();
        await partner.locator('.error', { hasText: 'Give the reason to terminate the agreement.' }).waitFor();
        await row.locator('input[name=reason]').fill('Programme ended');
        await row.getByRole('button', { name: 'Terminate', exact: true }).click();
        await row.getByRole('button', { name: 'Yes, terminate' }).click();
        await toast(partner, /Agreement terminated/);
        expect(await row.locator('.badge').textContent()).to.equal('Terminated');
        expect(await row.textContent()).to.contain('Programme ended');
        expect(await row.getByRole('button', { name: 'Terminate' }).count()).to.equal(0);
        expect(await recognition.locator('.badge').textContent()).to.equal('Agreement terminated');
        await screenshot(partner, 'partner-agreement-terminated');

        // Only agreements in force are offered to recognise under.
        await open(partner, '/verify');
        expect(await verifyOnPage(partner, json)).to.contain('Authentic passport');
        await partner.locator('#ledger-verdict').waitFor();
        expect(await partner.locator(`#recognise-form option[value="${proposed.id}"]`).count()).to.equal(0);
    });
});

describe('credit passports with the ledger clock 400 days ahead of the browser', function () {
    const suite = gatewayAndBrowser('recognition-ahead', { clockOffsetDays: 400 });

    it('judges agreements and passports by the ledger’s time, not the browser’s', async function () {
        this.timeout(120_000);
        const b = suite.browser;
        const partner = await signIn(b, suite.gateway.url, 'singapore');
        await open(partner, '/agreements');
        // The demo agreement starts at the ledger's "now": in force, not "Not yet in force".
        const badges = await partner.locator('#agreements .badge').allTextContents();
        expect(badges).to.include('Active');
        expect(badges).to.not.include('Not yet in force');

        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        const link = (await suzhou.locator('#passport-link').getAttribute('href')) ?? '';

        // A fresh passport is authentic and in its validity, not "issued in the future".
        await partner.goto(link.replace(/^.*#/, '/#'));
        await partner.locator('#offline-verdict', { hasText: 'Authentic passport (checked offline)' }).waitFor();
        expect(await partner.locator('#offline-verdict li.ok').count()).to.equal(4);
        await partner.locator('#ledger-verdict', { hasText: 'Anchored and valid on the ledger' }).waitFor();
        // The agreement is in force by the ledger's time, so it is offered.
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised', { hasText: 'maps to your grade' }).waitFor();
        await open(partner, '/agreements');
        expect(await partner.locator('#recognitions tbody tr', { hasText: 'Suzhou' }).first().locator('.badge').textContent()).to.equal('Standing');

        // Anyone scanning the code, without signing in, gets the same verdict.
        const context = await b.newContext({ baseURL: suite.gateway.url });
        const visitor = await context.newPage();
        await visitor.goto(link.replace(/^.*#/, '/#'));
        await visitor.locator('#offline-verdict', { hasText: 'Authentic passport (checked offline)' }).waitFor();
        expect(await visitor.locator('#offline-verdict li.ok').count()).to.equal(4);
    });
});

describe('a credit passport valid until the largest time the ledger accepts (2^53 − 1 seconds)', function () {
    const suite = gatewayAndBrowser('recognition-forever');

    it('renders it on the passport, bureau, verify and agreements pages, dated as the ledger dates it', async function () {
        this.timeout(120_000);
        const b = suite.browser;
        const admin = await signIn(b, suite.gateway.url, 'admin');
        const bureau = await signIn(b, suite.gateway.url, 'bureau');
        const suzhou = await signIn(b, suite.gateway.url, 'suzhou');
        const partner = await signIn(b, suite.gateway.url, 'singapore');
        const bureauId = await ownerIdOf(bureau);
        const subject = await ownerIdOf(suzhou);

        // A key of the bureau's own, published by the platform; a passport signed with it offline and anchored by the bureau.
        const signer = Wallet.createRandom();
        await apiAs(admin, 'POST', '/bureau-keys', { bureauId, address: signer.address, label: 'offline signer' });
        // A minute ahead (the ledger allows 300 s): later than the demo's passport, so it is the subject's current one.
        const issuedAt = Math.floor(Date.now() / 1000) + 60;
        const typed = passportTypedData({
            subject,
            score: 705,
            grade: 'A',
            reasonCodes: ['ON_TIME_REDEMPTIONS'],
            evidenceHash: `0x${createHash('sha256').update(randomBytes(16)).digest('hex')}`,
            issuedAt,
            expiresAt: MAX_TIMESTAMP,
            nonce: `0x${randomBytes(32).toString('hex')}`,
        });
        const passport = { attestation: typed.message, signature: await signer.signTypedData(typed.domain, typed.types, typed.message) };
        const anchored = await apiAs<{ id: string; expiresAt: number }>(bureau, 'POST', '/attestations/anchor', { ...passport, signer: signer.address });
        expect(anchored.expiresAt).to.equal(MAX_TIMESTAMP);
        // The ledger presents that expiry held at the last instant a date can hold.
        const verdict = await apiAs<{ valid: boolean; expiresAt: string }>(partner, 'POST', '/passports/verify', passport, 200);
        expect(verdict).to.include({ valid: true, expiresAt: '+275760-09-13T00:00:00.000Z' });

        // The subject's passport page: it is the current passport, dated the same way, also in the history.
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
        expect(await suzhou.locator('.passport dl').textContent()).to.contain('+275760-09-13 00:00 UTC');
        expect(JSON.parse((await suzhou.locator('#passport-json').textContent()) ?? '{}')).to.deep.equal(passport);
        const historyRow = suzhou.locator(`#passport-history tbody tr:has(code[title="${anchored.id}"])`);
        expect(await historyRow.textContent()).to.contain('+275760-09-13 00:00 UTC');
        expect(await historyRow.locator('.badge').textContent()).to.equal('Valid');
        const link = (await suzhou.locator('#passport-link').getAttribute('href')) ?? '';

        // The bureau's list of the passports it issued.
        await open(bureau, '/attestations');
        const issuedRow = bureau.locator(`#issued-passports tbody tr:has(code[title="${anchored.id}"])`);
        expect(await issuedRow.textContent()).to.contain('+275760-09-13 00:00 UTC');
        expect(await issuedRow.locator('.badge').textContent()).to.equal('Valid');

        // The partner verifies it, offline then on the ledger, and recognises it.
        await open(partner, '/verify');
        expect(await verifyOnPage(partner, JSON.stringify(passport))).to.contain('Authentic passport');
        expect(await partner.locator('#offline-verdict li.ok').allTextContents()).to.include('✓ Validity: Valid until +275760-09-13.');
        await partner.locator('#ledger-verdict', { hasText: 'Anchored and valid on the ledger' }).waitFor();
        await partner.getByRole('button', { name: 'Recognise passport' }).click();
        await partner.locator('#recognised').waitFor();

        // Its recognitions, with the passport's expiry.
        await open(partner, '/agreements');
        const recognition = partner.locator('#recognitions tbody tr', { hasText: '+275760-09-13 00:00 UTC' });
        expect(await recognition.count()).to.equal(1);
        expect(await recognition.locator('.badge').textContent()).to.equal('Standing');
        await screenshot(partner, 'partner-recognition-far-expiry');

        // Anyone opening the passport's link, without signing in.
        const context = await b.newContext({ baseURL: suite.gateway.url });
        const visitor = await context.newPage();
        await visitor.goto(link.replace(/^.*#/, '/#'));
        await visitor.locator('#offline-verdict', { hasText: 'Authentic passport (checked offline)' }).waitFor();
        expect(await visitor.locator('#offline-verdict').textContent()).to.contain('Valid until +275760-09-13.');
        await visitor.locator('#ledger-verdict', { hasText: 'Anchored and valid on the ledger' }).waitFor();

        // The subject's page keeps rendering with the passport in its history.
        await open(suzhou, '/passport');
        await suzhou.locator('#passport-qr svg').waitFor();
    });
});
