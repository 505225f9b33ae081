/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
import { expect } from 'chai';
import { DEMO_IDS } from '../../gateway/src/services/demo-seed';
import { call } from '../../gateway/test/conformance/api-client';
import { gatewayUrl, tokenCache } from '../src/rest-gateway';

/**
 * The foreign partner's own REST gateway (fabric backend, configured with the PartnerMSP peer and CA
 * only; its users enrolled with the Partner CA) verifies a passport the platform's gateway issued and
 * records a recognition as the partner, reading the partner peer's own copy of the ledger.
 */
describe('partner gateway (fabric backend, PartnerMSP peer)', function () {
    this.timeout(120_000);
    const platform = (): string => gatewayUrl('XINLIAN_GATEWAY_URL') as string;
    const partner = (): string => gatewayUrl('XINLIAN_PARTNER_GATEWAY_URL') as string;
    const platformToken = tokenCache(platform);
    const partnerToken = tokenCache(partner);

    before(function () {
        if (!gatewayUrl('XINLIAN_GATEWAY_URL') || !gatewayUrl('XINLIAN_PARTNER_GATEWAY_URL')) {
            this.skip();
        }
    });

    it("holds only the partner's users, enrolled with the PartnerMSP CA", async () => {
        const me = await call(partner(), 'GET', '/me', { token: await partnerToken('singapore') });
        expect(me.body).to.deep.equal({ username: 'singapore', role: 'foreign-partner', enterpriseId: DEMO_IDS.singapore, mspId: 'PartnerMSP' });
        const stranger = await call(partner(), 'POST', '/auth/login', { body: { username: 'suzhou', password: 'xinlian-demo' } });
        expect(stranger.status).to.equal(401);
        const ready = await call(partner(), 'GET', '/health/ready');
        expect(ready.status, ready.text).to.equal(200);
    });

    it('verifies a passport issued through the platform gateway and records the recognition as the partner', async () => {
        const issued = await call(platform(), 'POST', '/attestations', { token: await platformToken('bureau'), body: { subjectId: DEMO_IDS.hangzhou, validDays: 60 } });
        expect(issued.status, issued.text).to.equal(201);
        const { passport, attestation } = issued.body;

        const verdict = await call(partner(), 'POST', '/passports/verify', { body: passport });
        expect(verdict.status, verdict.text).to.equal(200);
        expect(verdict.body).to.include({ valid: true, status: 'VALID', subject: DEMO_IDS.hangzhou, attestationId: attestation.id });
        expect(verdict.body.issuer.bureauId).to.equal(DEMO_IDS.bureau);
        const tampered = await call(partner(), 'POST', '/passports/verify', { body: { ...passport, attestation: { ...passport.attestation, score: passport.attestation.score + 1 } } });
        expect(tampered.body.valid).to.equal(false);

        const token = await partnerToken('singapore');
        const agreements = await call(partner(), 'GET', `/agreements?partnerId=${DEMO_IDS.singapore}`, { token });
        const agreement = agreements.body.items.find((a: any) => a.status === 'ACTIVE');
        expect(agreement, agreements.text).to.not.equal(undefined);
        const recognised = await call(partner(), 'POST', '/recognitions', { token, body: { agreementId: agreement.id, attestationId: attestation.id } });
        expect(recognised.status, recognised.text).to.equal(201);
        expect(recognised.headers.get('x-transaction-id')).to.match(/^[0-9a-f]{64}$/);
        const recognitionId: string = recognised.body.id;

        // The platform's gateway (another org's peer) sees the partner's recognition once committed.
        const listed = await call(platform(), 'GET', `/recognitions?subjectId=${DEMO_IDS.hangzhou}&limit=500`, { token: await platformToken('regulator') });
        expect(listed.status, listed.text).to.equal(200);
        expect(listed.body.items.map((r: any) => r.id)).to.include(recognitionId);
        // And the partner reads it back from its own peer.
        const own = await call(partner(), 'GET', `/recognitions?subjectId=${DEMO_IDS.hangzhou}&limit=500`, { token });
        expect(own.body.items.map((r: any) => r.id)).to.include(recognitionId);
    });
});
