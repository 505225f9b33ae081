/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
import { expect } from 'chai';
import { peer } from '@hyperledger/fabric-protos';
import { DEMO_IDS } from '../../gateway/src/services/demo-seed';
import { call } from '../../gateway/test/conformance/api-client';
import { gatewayUrl, tokenCache } from '../src/rest-gateway';
import { World, openWorld } from '../src/world';

/**
 * "The partner's own peer must endorse what the partner recognises": accepting an agreement gives it
 * a recognition anchor whose key-level endorsement policy names the partner's organisation, and each
 * recognition writes the anchor (without reading it, so recognitions under one agreement do not
 * conflict). A recognition endorsed by the platform's and the bank's peers only
 * (enough for the chaincode's majority policy) is invalidated at commit; without a choice of
 * endorsers, the Fabric gateway of another organisation's peer reads the policy and asks the
 * partner's peer itself. Uses the platform REST gateway's demo agreement and its bureau to issue the
 * passport (skipped when that gateway does not run).
 */
describe("recognitions need the partner's own peer (state-based endorsement, real network)", function () {
    this.timeout(180_000);
    let world: World;
    const platform = (): string => gatewayUrl('XINLIAN_GATEWAY_URL') as string;
    const token = tokenCache(platform);

    before(async function () {
        if (!gatewayUrl('XINLIAN_GATEWAY_URL')) {
            this.skip();
        }
        world = await openWorld();
    });
    after(() => world?.close());

    it('invalidates a recognition the partner peer did not endorse, and commits one the gateway routes to it', async () => {
        const issued = await call(platform(), 'POST', '/attestations', { token: await token('bureau'), body: { subjectId: DEMO_IDS.suzhou, validDays: 30 } });
        expect(issued.status, issued.text).to.equal(201);
        const agreements = await call(platform(), 'GET', `/agreements?partnerId=${DEMO_IDS.singapore}`, { token: await token('regulator') });
        const agreement = agreements.body.items.find((a: any) => a.status === 'ACTIVE');
        expect(agreement, agreements.text).to.not.equal(undefined);
        const request = JSON.stringify({ agreementId: agreement.id, attestationId: issued.body.attestation.id });
        const anchorBefore = await world.evaluate<any>('regulator', 'recognition:ReadRecognitionAnchor', { args: [agreement.id] });
        expect(anchorBefore.endorsers).to.deep.equal(['PartnerMSP']);

        // The partner's identity, through the platform peer's gateway, choosing Platform + Bank as endorsers.
        const viaPlatform = await world.session('foreign-partner', 'platform');
        const bypass = await viaPlatform.contract.newProposal('recognition:RecognizeAttestation', { arguments: [request], endorsingOrganizations: ['PlatformMSP', 'BankMSP'] }).endorse();
        const refused = await (await bypass.submit()).getStatus();
        expect(refused.successful).to.equal(false);
        expect(refused.code).to.equal(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        // The same request with the endorsers left to the gateway: it adds the partner's peer.
        const routed = await viaPlatform.contract.newProposal('recognition:RecognizeAttestation', { arguments: [request] }).endorse();
        const committed = await (await routed.submit()).getStatus();
        expect(committed.successful, `validation code ${committed.code}`).to.equal(true);

        const anchorAfter = await world.evaluate<any>('regulator', 'recognition:ReadRecognitionAnchor', { args: [agreement.id] });
        expect(anchorAfter.recognitions).to.equal(anchorBefore.recognitions + 1);
        expect(anchorAfter.lastRecognitionId).to.equal(JSON.parse(Buffer.from(routed.getResult()).toString()).id);
    });

    it('commits recognitions under one agreement endorsed against the same state, each with the partner peer', async () => {
        const agreements = await call(platform(), 'GET', `/agreements?partnerId=${DEMO_IDS.singapore}`, { token: await token('regulator') });
        const agreement = agreements.body.items.find((a: any) => a.status === 'ACTIVE');
        const attestationIds: string[] = [];
        for (const subjectId of [DEMO_IDS.suzhou, DEMO_IDS.hangzhou, DEMO_IDS.huadong]) {
            const issued = await call(platform(), 'POST', '/attestations', { token: await token('bureau'), body: { subjectId, validDays: 30 } });
            expect(issued.status, issued.text).to.equal(201);
            attestationIds.push(issued.body.attestation.id);
        }
        const anchorBefore = await world.evaluate<any>('regulator', 'recognition:ReadRecognitionAnchor', { args: [agreement.id] });
        const partner = await world.session('foreign-partner', 'platform');
        // All endorsed before any is submitted: each simulation saw the same anchor.
        const endorsed = await Promise.all(attestationIds.map((attestationId) => partner.contract.newProposal('recognition:RecognizeAttestation', { arguments: [JSON.stringify({ agreementId: agreement.id, attestationId })] }).endorse()));
        const statuses = await Promise.all(endorsed.map(async (proposal) => (await proposal.submit()).getStatus()));
        expect(statuses.map((status) => status.code)).to.deep.equal([peer.TxValidationCode.VALID, peer.TxValidationCode.VALID, peer.TxValidationCode.VALID]);
        const anchorAfter = await world.evaluate<any>('regulator', 'recognition:ReadRecognitionAnchor', { args: [agreement.id] });
        expect(anchorAfter.recognitions).to.equal(anchorBefore.recognitions + 3);
        expect(endorsed.map((proposal) => JSON.parse(Buffer.from(proposal.getResult()).toString()).id)).to.include(anchorAfter.lastRecognitionId);
    });
});
