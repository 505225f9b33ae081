import { expect } from 'chai';
import { Wallet } from 'ethers';
import { MAX_TIMESTAMP, passportTypedData } from '../../chaincode/src/recognition/passport';
import { usccCheckCharacter } from '../../chaincode/src/enterprise/identifiers';
import { decodePassport, encodePassport, passportLink, verifyPassportNow, verifyPassportOffline } from './passport-check';
import type { BureauKey, Passport, PassportAttestation } from './resources';

// Public Hardhat development keys: reproducible test signatures, never for real use.
const bureauWallet = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const rogueWallet = new Wallet('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');
const subject = `91320500MA1XY0001${usccCheckCharacter('91320500MA1XY0001')}`;
const NOW = new Date('2026-03-01T00:00:00Z');
const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const attestation: PassportAttestation = {
    subject,
    score: 742,
    grade: 'A',
    reasonCodes: ['ON_TIME_REDEMPTIONS'],
    evidenceHash: `0x${'ab'.repeat(32)}`,
    issuedAt: seconds('2026-02-01T00:00:00Z'),
    expiresAt: seconds('2026-08-01T00:00:00Z'),
    nonce: `0x${'01'.repeat(32)}`,
};

async function sign(wallet: Wallet, content: PassportAttestation): Promise<Passport> {
    const typed = passportTypedData(content);
    return { attestation: content, signature: await wallet.signTypedData(typed.domain, typed.types, typed.message) };
}

const issuers: BureauKey[] = [{ address: bureauWallet.address, bureauId: '91110000MA0000BUR1', label: 'Xinlian Credit Services', status: 'ACTIVE' }];

describe('verifyPassportOffline', () => {
    it('accepts a passport signed by a published, active bureau key', async () => {
        const verdict = verifyPassportOffline(await sign(bureauWallet, attestation), issuers, NOW);
        expect(verdict.valid).to.equal(true);
        expect(verdict.steps.map((s) => [s.label, s.ok])).to.deep.equal([
            ['Format', true],
            ['Signature', true],
            ['Issuer key', true],
            ['Validity', true],
        ]);
        expect(verdict.signer).to.equal(bureauWallet.address);
        expect(verdict.attestationId).to.match(/^0x[0-9a-f]{64}$/);
    });

    it('rejects a passport whose content was altered after signing', async () => {
        const signed = await sign(bureauWallet, attestation);
        const tampered = { ...signed, attestation: { ...signed.attestation, score: 999 } };
        const verdict = verifyPassportOffline(tampered, issuers, NOW);
        expect(verdict.valid).to.equal(false);
        expect(verdict.steps.find((s) => s.label === 'Issuer key')?.ok).to.equal(false);
        expect(verdict.signer).to.not.equal(bureauWallet.address);
    });

    it('rejects a passport signed by an unpublished key', async () => {
        const verdict = verifyPassportOffline(await sign(rogueWallet, attestation), issuers, NOW);
        expect(verdict.valid).to.equal(false);
        expect(verdict.steps[2]).to.deep.include({ label: 'Issuer key', ok: false });
    });

    it('rejects a passport signed by a revoked key', async () => {
        const revoked: BureauKey[] = [{ ...issuers[0], status: 'REVOKED' }];
        const verdict = verifyPassportOffline(await sign(bureauWallet, attestation), revoked, NOW);
        expect(verdict.valid).to.equal(false);
        expect(verdict.steps[2].detail).to.match(/revoked/);
    });

    it('rejects an expired passport', async () => {
        const verdict = verifyPassportOffline(await sign(bureauWallet, attestation), issuers, new Date('2026-09-01T00:00:00Z'));
        expect(verdict.valid).to.equal(false);
        expect(verdict.steps[3]).to.deep.include({ label: 'Validity', ok: false });
    });

    it('checks a passport valid until the largest time the ledger accepts (2^53 − 1 seconds), and one issued then, without throwing', async () => {
        const forever = await sign(bureauWallet, { ...attestation, expiresAt: MAX_TIMESTAMP });
        const verdict = verifyPassportOffline(forever, issuers, NOW);
        expect(verdict.valid).to.equal(true);
        expect(verdict.steps[3]).to.deep.equal({ label: 'Validity', ok: true, detail: 'Valid until +275760-09-13.' });
        // Issued at that time too (the ledger would refuse to anchor it): refused by number, still no throw.
        const future = await sign(bureauWallet, { ...attestation, issuedAt: MAX_TIMESTAMP - 1, expiresAt: MAX_TIMESTAMP });
        expect(verifyPassportOffline(future, issuers, NOW).steps[3]).to.deep.include({ label: 'Validity', ok: false, detail: 'The passport claims to be issued in the future.' });
        // Expired by the largest time a Date can hold, one second after its expiry: judged by number, dated at the ledger's clamp.
        const lapsed = await sign(bureauWallet, { ...attestation, expiresAt: 8_640_000_000_000 });
        expect(verifyPassportOffline(lapsed, issuers, new Date(8_640_000_000_000_000)).steps[3]).to.deep.equal({ label: 'Validity', ok: false, detail: 'The passport expired on +275760-09-13.' });
    });

    it('rejects malformed content and malformed signatures', async () => {
        expect(verifyPassportOffline('text', issuers, NOW).steps[0].ok).to.equal(false);
        expect(verifyPassportOffline({ attestation: { ...attestation, score: 2000 }, signature: '0x' }, issuers, NOW).steps[0]).to.deep.include({ label: 'Format', ok: false });
        const badSignature = verifyPassportOffline({ attestation, signature: '0x1234' }, issuers, NOW);
        expect(badSignature.valid).to.equal(false);
        expect(badSignature.steps[1]).to.deep.include({ label: 'Signature', ok: false });
    });
});

describe('verifyPassportNow', () => {
    it('reads the published keys for every check, so a key rotation is seen at once', async () => {
        // The platform revokes the bureau's key and publishes a new one between two checks.
        const newWallet = rogueWallet;
        const before: BureauKey[] = [{ ...issuers[0] }];
        const after: BureauKey[] = [
            { ...issuers[0], status: 'REVOKED', revokedAt: '2026-02-15T00:00:00Z' },
            { address: newWallet.address, bureauId: issuers[0].bureauId, label: 'key 2', status: 'ACTIVE' },
        ];
        const published = [before, after];
        let calls = 0;
        const load = async (): Promise<BureauKey[]> => published[Math.min(calls++, 1)];
        const oldPassport = await sign(bureauWallet, attestation);
        const newPassport = await sign(newWallet, { ...attestation, nonce: `0x${'02'.repeat(32)}` });

        expect((await verifyPassportNow(oldPassport, load, NOW)).valid).to.equal(true);
        // After the rotation: the new key's genuine passport is authentic, not "altered"...
        const fresh = await verifyPassportNow(newPassport, load, NOW);
        expect(fresh.valid).to.equal(true);
        expect(fresh.issuer?.label).to.equal('key 2');
        // ...and the revoked key's passport is not valid.
        const stale = await verifyPassportNow(oldPassport, load, NOW);
        expect(stale.valid).to.equal(false);
        expect(stale.steps[2]).to.deep.include({ label: 'Issuer key', ok: false });
        expect(stale.steps[2].detail).to.match(/revoked/);
        expect(calls).to.equal(3);
    });

    it('judges validity at the time given (the ledger\'s), not the browser clock', async () => {
        // The ledger runs 400 days ahead: a passport it just issued is valid, not "issued in the future".
        const ledgerNow = new Date(Date.now() + 400 * 86_400_000);
        const issuedAt = Math.floor(ledgerNow.getTime() / 1000) - 5;
        const passport = await sign(bureauWallet, { ...attestation, issuedAt, expiresAt: issuedAt + 180 * 86_400 });
        const verdict = await verifyPassportNow(passport, async () => issuers, ledgerNow);
        expect(verdict.steps[3]).to.deep.include({ label: 'Validity', ok: true });
        expect(verdict.valid).to.equal(true);
    });
});

describe('passport codes', () => {
    it('round-trips a passport through its base64url code and its link', async () => {
        const passport = await sign(bureauWallet, attestation);
        expect(decodePassport(encodePassport(passport))).to.deep.equal(passport);
        const link = passportLink('https://xinlian.example', passport);
        expect(link).to.match(/^https:\/\/xinlian\.example\/#\/verify\?p=[A-Za-z0-9_-]+$/);
        expect(decodePassport(link)).to.deep.equal(passport);
        expect(decodePassport(JSON.stringify(passport))).to.deep.equal(passport);
    });

    it('explains input that is not a passport', () => {
        expect(() => decodePassport('')).to.throw(/Paste a passport/);
        expect(() => decodePassport('{broken')).to.throw(/not valid JSON/);
        expect(() => decodePassport('hello world!')).to.throw(/neither a passport/);
        expect(() => decodePassport('AAAA')).to.throw(/damaged/);
    });
});
