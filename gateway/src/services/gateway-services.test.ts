import { expect } from 'chai';
import { ROLE_ORGS } from '@xinlian/chaincode';
import { DEMO_IDS } from './demo-seed';
import { PLATFORM_ID, verifierOf } from './gateway-services';

describe('verifierOf', () => {
    it("reads as the operator on the platform's gateway", () => {
        expect(verifierOf('PlatformMSP')).to.deep.equal({ username: 'gateway-verifier', role: 'platform-admin', enterpriseId: PLATFORM_ID, mspId: 'PlatformMSP' });
    });

    it("reads with a role the chaincode accepts from a member org's own identities", () => {
        const partner = verifierOf('PartnerMSP');
        expect(partner).to.include({ role: 'foreign-partner', enterpriseId: DEMO_IDS.singapore, mspId: 'PartnerMSP' });
        const bank = verifierOf('BankMSP');
        expect(ROLE_ORGS[bank.role]).to.include('BankMSP');
        expect(ROLE_ORGS[partner.role]).to.include('PartnerMSP');
    });

    it('refuses an organisation without a demo enterprise', () => {
        expect(() => verifierOf('OrdererMSP')).to.throw(/OrdererMSP/);
    });
});
