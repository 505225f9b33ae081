import { expect } from 'chai';
import { hasOwnProfile } from './profile-views';

describe('dashboard credit profile', () => {
    it('is shown for the roles whose own enterprise is scored, and not for roles refused or unscored', () => {
        expect(hasOwnProfile('supplier')).to.equal(true);
        expect(hasOwnProfile('core-enterprise')).to.equal(true);
        for (const role of ['appraiser', 'platform-admin', 'regulator', 'financier', 'credit-bureau', 'foreign-partner'] as const) {
            expect(hasOwnProfile(role), role).to.equal(false);
        }
    });
});
