/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { createHash, randomBytes } from 'crypto';
import { existsSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { Wallet } from 'ethers';
import { passportTypedData, recoverPassportSigner, usccCheckCharacter } from '@xinlian/chaincode';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';

const DAY_SECONDS = 86_400;

function expectCode(response: ApiResponse, status: number, code: string): void {
    expect(response.status, response.text).to.equal(status);
    expect(response.body.code).to.equal(code);
}

/**
 * Credit passports over real HTTP on the embedded ledger: rotating the gateway-held bureau key
 * (revoke, generate, issue with the new key, old passports judged SIGNER_REVOKED), and issuing
 * under a ledger clock run ahead (GATEWAY_LEDGER_CLOCK_OFFSET_DAYS).
 */
describe('credit passports: bureau key rotation and the ledger clock (embedded backend)', function () {
    this.timeout(60_000);

    describe('bureau key rotation', () => {
        let gateway: TestGateway;
        let admin: string;
        let bureau: string;
        const api = (method: string, route: string, token?: string, body?: unknown) => call(gateway.baseUrl, method, route, { token, body });
        const activeKeys = async (): Promise<string[]> => {
            const keys = await api('GET', `/bureau-keys?bureauId=${DEMO_IDS.bureau}&limit=500`, admin);
            return keys.body.items.filter((k: any) => k.status === 'ACTIVE').map((k: any) => k.address);
        };

        before(async () => {
            gateway = await startTestGateway();
            admin = await loginToken(gateway.baseUrl, 'admin');
            bureau = await loginToken(gateway.baseUrl, 'bureau');
        });
        after(() => gateway.dispose());

        it('refuses to generate a second key while the bureau key is active', async () => {
            expectCode(await api('POST', '/bureau-keys/generate', admin, { bureauId: DEMO_IDS.bureau, label: 'key 2' }), 409, 'ALREADY_EXISTS');
            expect(await activeKeys()).to.have.length(1);
        });

        it('revokes the key, generates a new one, issues with it, and judges the old passports SIGNER_REVOKED', async () => {
            const before = await api('POST', '/attestations', bureau, { subjectId: DEMO_IDS.suzhou, validDays: 30 });
            expect(before.status, before.text).to.equal(201);
            const oldPassport = before.body.passport;
            const oldKey = recoverPassportSigner(oldPassport.attestation, oldPassport.signature);
            expect(await activeKeys()).to.deep.equal([oldKey]);

            const revoked = await api('POST', `/bureau-keys/${oldKey}/revoke`, admin, { reason: 'rotation' });
            expect(revoked.status, revoked.text).to.equal(200);
            expectCode(await api('POST', '/attestations', bureau, { subjectId: DEMO_IDS.suzhou }), 409, 'SIGNER_NOT_REGISTERED');

            const generated = await api('POST', '/bureau-keys/generate', admin, { bureauId: DEMO_IDS.bureau, label: 'key 2' });
            expect(generated.status, generated.text).to.equal(201);
            expect(generated.body).to.include({ bureauId: DEMO_IDS.bureau, status: 'ACTIVE', label: 'key 2' });
            const newKey = generated.body.address;
            expect(newKey).to.not.equal(oldKey);
            expect(await activeKeys()).to.deep.equal([newKey]);
            expectCode(await api('POST', '/bureau-keys/generate', admin, { bureauId: DEMO_IDS.bureau }), 409, 'ALREADY_EXISTS');

            const after = await api('POST', '/attestations', bureau, { subjectId: DEMO_IDS.suzhou, validDays: 30 });
            expect(after.status, after.text).to.equal(201);
            expect(after.body.attestation).to.include({ signer: newKey, bureauId: DEMO_IDS.bureau, status: 'VALID' });
            expect(recoverPassportSigner(after.body.passport.attestation, after.body.passport.signature)).to.equal(newKey);
            const fresh = await api('POST', '/passports/verify', undefined, after.body.passport);
            expect(fresh.body).to.include({ valid: true, signer: newKey });
            expect(fresh.body.issuer).to.include({ address: newKey, status: 'ACTIVE' });

            // The old passport: still anchored and VALID as a record, but signed by a revoked key.
            const old = await api('POST', '/passports/verify', undefined, oldPassport);
            expect(old.body).to.include({ valid: false, signer: oldKey, status: 'VALID' });
            expect(old.body.reasons).to.deep.equal(['SIGNER_REVOKED']);
            expect(old.body.issuer).to.include({ address: oldKey, status: 'REVOKED' });
            const ledgerVerdict = await api('GET', `/attestations/${before.body.attestation.id}/verify`, bureau);
            expect(ledgerVerdict.body).to.include({ valid: false });
            expect(ledgerVerdict.body.reasons).to.deep.equal(['SIGNER_REVOKED']);
        });

        it('keeps signing with the new key after a restart', async () => {
            const [current] = await activeKeys();
            await gateway.restart();
            bureau = await loginToken(gateway.baseUrl, 'bureau');
            const issued = await api('POST', '/attestations', bureau, { subjectId: DEMO_IDS.hangzhou });
            expect(issued.status, issued.text).to.equal(201);
            expect(issued.body.attestation.signer).to.equal(current);
        });
    });

    describe('keys, anchoring and verification refused or explained', () => {
        let gateway: TestGateway;
        let admin: string;
        let bureau: string;
        const api = (method: string, route: string, token?: string, body?: unknown) => call(gateway.baseUrl, method, route, { token, body });
        const height = async (): Promise<number> => (await api('GET', '/health/ready')).body.ledger.height;
        const keyFile = (bureauId: string): string => path.join(gateway.dataDir, 'bureau-keys', `${bureauId}.json`);

        /** A passport on Hangzhou signed by `signer`. */
        async function signedPassport(signer: Wallet) {
            const issuedAt = Math.floor(Date.now() / 1000) - 60;
            const typed = passportTypedData({
                subject: DEMO_IDS.hangzhou,
                score: 705,
                grade: 'A',
                reasonCodes: ['ON_TIME_REDEMPTIONS'],
                evidenceHash: `0x${createHash('sha256').update(randomBytes(16)).digest('hex')}`,
                issuedAt,
                expiresAt: issuedAt + 30 * DAY_SECONDS,
                nonce: `0x${randomBytes(32).toString('hex')}`,
            });
            return { attestation: typed.message, signature: await signer.signTypedData(typed.domain, typed.types, typed.message) };
        }

        before(async () => {
            gateway = await startTestGateway();
            admin = await loginToken(gateway.baseUrl, 'admin');
            bureau = await loginToken(gateway.baseUrl, 'bureau');
        });
        after(() => gateway.dispose());

        it('anchors with the documented optional signer, and refuses a tampered passport naming its signer as INVALID_SIGNATURE', async () => {
            const signer = Wallet.createRandom();
            const published = await api('POST', '/bureau-keys', admin, { bureauId: DEMO_IDS.bureau, address: signer.address, label: 'offline signer' });
            expect(published.status, published.text).to.equal(201);
            const passport = await signedPassport(signer);
            const tampered = { ...passport, attestation: { ...passport.attestation, score: passport.attestation.score + 1 } };
            const start = await height();
            const named = await api('POST', '/attestations/anchor', bureau, { ...tampered, signer: signer.address });
            expectCode(named, 400, 'INVALID_SIGNATURE');
            expect(named.body.detail).to.include(`not the named signer ${signer.address}`);
            // Without the signer the chaincode can only say the recovered address is not registered (§3).
            expectCode(await api('POST', '/attestations/anchor', bureau, tampered), 409, 'SIGNER_NOT_REGISTERED');
            expect(await height(), 'nothing anchored').to.equal(start);
            const anchored = await api('POST', '/attestations/anchor', bureau, { ...passport, signer: signer.address.toLowerCase() });
            expect(anchored.status, anchored.text).to.equal(201);
            expect(anchored.body).to.include({ signer: signer.address, subject: DEMO_IDS.hangzhou, status: 'VALID' });
            expectCode(await api('POST', '/attestations/anchor', bureau, { ...passport, signer: 'not an address' }), 400, 'INVALID_ARGUMENT');
        });

        it('creates no sealed key for an enterprise that is not an active credit bureau', async () => {
            const unknown = `91110000MA9990013${usccCheckCharacter('91110000MA9990013')}`;
            const start = await height();
            const supplier = await api('POST', '/bureau-keys/generate', admin, { bureauId: DEMO_IDS.suzhou });
            expectCode(supplier, 400, 'INVALID_ARGUMENT');
            expect(supplier.body.detail).to.include('expected CREDIT_BUREAU');
            expectCode(await api('POST', '/bureau-keys/generate', admin, { bureauId: unknown }), 404, 'NOT_FOUND');
            // A frozen bureau.
            const first17 = `91310000MA${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
            const frozenId = first17 + usccCheckCharacter(first17);
            expect((await api('POST', '/enterprises', admin, { id: frozenId, name: 'Frozen Bureau', kind: 'CREDIT_BUREAU', country: 'CN' })).status).to.equal(201);
            const regulator = await loginToken(gateway.baseUrl, 'regulator');
            expect((await api('POST', `/enterprises/${frozenId}/freeze`, regulator, { reason: 'investigation' })).status).to.equal(200);
            const afterSetup = await height();
            expect(afterSetup).to.be.greaterThan(start);
            expectCode(await api('POST', '/bureau-keys/generate', admin, { bureauId: frozenId }), 409, 'ENTERPRISE_FROZEN');
            expect(await height(), 'nothing registered').to.equal(afterSetup);
            for (const id of [DEMO_IDS.suzhou, unknown, frozenId]) {
                expect(existsSync(keyFile(id)), `a sealed key for ${id}`).to.equal(false);
            }
            // Unfrozen, it gets its key.
            expect((await api('POST', `/enterprises/${frozenId}/unfreeze`, regulator, { reason: 'cleared' })).status).to.equal(200);
            expect((await api('POST', '/bureau-keys/generate', admin, { bureauId: frozenId })).status).to.equal(201);
            expect(existsSync(keyFile(frozenId))).to.equal(true);
        });

        it('says which field makes a passport MALFORMED, and why a signature is bad', async () => {
            const passport = await signedPassport(Wallet.createRandom());
            const badScore = await api('POST', '/passports/verify', undefined, { ...passport, attestation: { ...passport.attestation, score: 1001 } });
            expect(badScore.status, badScore.text).to.equal(200);
            expect(badScore.body).to.include({ valid: false });
            expect(badScore.body.reasons).to.deep.equal(['MALFORMED']);
            expect(badScore.body.detail).to.be.a('string').and.include('attestation.score');
            const noNonce = await api('POST', '/passports/verify', undefined, { ...passport, attestation: { ...passport.attestation, nonce: undefined } });
            expect(noNonce.body.reasons).to.deep.equal(['MALFORMED']);
            expect(noNonce.body.detail).to.include('attestation.nonce');
            const badSignature = await api('POST', '/passports/verify', undefined, { ...passport, signature: '0x1234' });
            expect(badSignature.body.reasons).to.include('BAD_SIGNATURE');
            expect(badSignature.body.detail).to.be.a('string').and.not.equal('');
            const unknownSigner = await api('POST', '/passports/verify', undefined, passport);
            expect(unknownSigner.body.reasons).to.deep.equal(['SIGNER_NOT_REGISTERED', 'NOT_ANCHORED']);
            expect(unknownSigner.body).to.not.have.property('detail');
        });
    });

    describe('a ledger clock run ahead', () => {
        const offsetDays = 91;
        let gateway: TestGateway;

        before(async () => {
            gateway = await startTestGateway({ ledgerClockOffsetDays: offsetDays });
        });
        after(() => gateway.dispose());

        it('stamps a short-lived passport by the ledger clock, so the ledger accepts it and judges it valid', async () => {
            const bureau = await loginToken(gateway.baseUrl, 'bureau');
            const shiftedNow = Math.floor(new Date().getTime() / 1000) + offsetDays * DAY_SECONDS;
            const issued = await call(gateway.baseUrl, 'POST', '/attestations', { token: bureau, body: { subjectId: DEMO_IDS.suzhou, validDays: 5 } });
            expect(issued.status, issued.text).to.equal(201);
            const { issuedAt, expiresAt } = issued.body.passport.attestation;
            expect(issuedAt).to.be.within(shiftedNow - 60, shiftedNow + 60);
            expect(expiresAt - issuedAt).to.equal(5 * DAY_SECONDS);
            const ledgerVerdict = await call(gateway.baseUrl, 'GET', `/attestations/${issued.body.attestation.id}/verify`, { token: bureau });
            expect(ledgerVerdict.body).to.include({ valid: true });
            const gatewayVerdict = await call(gateway.baseUrl, 'POST', '/passports/verify', { body: issued.body.passport });
            expect(gatewayVerdict.body).to.include({ valid: true });
            expect(new Date(gatewayVerdict.body.checkedAt).getTime() / 1000).to.be.within(shiftedNow - 60, shiftedNow + 60);
        });
    });
});
