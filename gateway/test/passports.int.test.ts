/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { recoverPassportSigner } from '@xinlian/chaincode';
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
