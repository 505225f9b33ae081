import { expect } from 'chai';
import { ENTERPRISE_KINDS } from '../../../chaincode/src/enterprise/kinds';
import { CREDIT_SUBJECT_KINDS } from '../../../chaincode/src/profile/credit-profile';
import { enterprisesWithStatus, hasOwnProfile, unrecordedSubjects, usableCreditLines, voidBlocker } from './profile-views';

describe('dashboard credit profile', () => {
    it('is shown for the roles whose own enterprise is scored, and not for roles refused or unscored', () => {
        expect(hasOwnProfile('supplier')).to.equal(true);
        expect(hasOwnProfile('core-enterprise')).to.equal(true);
        for (const role of ['appraiser', 'platform-admin', 'regulator', 'financier', 'credit-bureau', 'foreign-partner'] as const) {
            expect(hasOwnProfile(role), role).to.equal(false);
        }
    });
});

describe('core enterprise dashboard credit lines', () => {
    it('lists only its own active lines not past their expiry by the ledger time', () => {
        const now = new Date('2026-06-01T00:00:00Z');
        const lines = [
            { id: 'live', coreEnterpriseId: 'CORE', status: 'ACTIVE' as const, expiresAt: '2026-12-31T00:00:00.000Z' },
            { id: 'expired', coreEnterpriseId: 'CORE', status: 'ACTIVE' as const, expiresAt: '2026-05-31T23:59:59.000Z' },
            { id: 'revoked', coreEnterpriseId: 'CORE', status: 'REVOKED' as const, expiresAt: '2026-12-31T00:00:00.000Z' },
            { id: 'other', coreEnterpriseId: 'OTHER', status: 'ACTIVE' as const, expiresAt: '2026-12-31T00:00:00.000Z' },
        ];
        expect(usableCreditLines(lines, 'CORE', now).map((l) => l.id)).to.deep.equal(['live']);
    });
});

describe('regulator voiding an IP record', () => {
    it('is blocked while a pledge of the asset is requested or active, not after it closed', () => {
        const asset = { id: 'ip-1' };
        expect(voidBlocker(asset, [{ id: 'pl-1', assetId: 'ip-1', status: 'ACTIVE' }])).to.match(/active/);
        expect(voidBlocker(asset, [{ id: 'pl-1', assetId: 'ip-1', status: 'REQUESTED' }])).to.match(/requested/);
        expect(voidBlocker(asset, [{ id: 'pl-1', assetId: 'ip-1', status: 'RELEASED' }, { id: 'pl-2', assetId: 'ip-2', status: 'ACTIVE' }])).to.equal(undefined);
    });
});

describe('regulator: frozen enterprises and profiles not recorded', () => {
    const enterprises = [
        { id: 'SUP-A', kind: 'SUPPLIER' as const, status: 'ACTIVE' as const, name: 'A' },
        { id: 'SUP-NEW', kind: 'SUPPLIER' as const, status: 'ACTIVE' as const, name: 'New supplier' },
        { id: 'CORE', kind: 'CORE_ENTERPRISE' as const, status: 'FROZEN' as const, name: 'Core' },
        { id: 'BANK', kind: 'FINANCIER' as const, status: 'FROZEN' as const, name: 'Bank' },
        { id: 'REG', kind: 'REGULATOR' as const, status: 'ACTIVE' as const, name: 'Regulator' },
    ];

    it('filters the enterprises by status, and shows all for any other value', () => {
        expect(enterprisesWithStatus(enterprises, 'FROZEN').map((e) => e.id)).to.deep.equal(['CORE', 'BANK']);
        expect(enterprisesWithStatus(enterprises, 'ACTIVE').map((e) => e.id)).to.deep.equal(['SUP-A', 'SUP-NEW', 'REG']);
        expect(enterprisesWithStatus(enterprises, undefined)).to.have.length(5);
        expect(enterprisesWithStatus(enterprises, 'frozen')).to.have.length(5);
    });

    it('names the credit subjects with no recorded profile (at the base score), not the institutions that are never scored', () => {
        expect(unrecordedSubjects(enterprises, [{ enterpriseId: 'SUP-A' }, { enterpriseId: 'CORE' }]).map((e) => e.id)).to.deep.equal(['SUP-NEW']);
        expect(unrecordedSubjects(enterprises, []).map((e) => e.id)).to.deep.equal(['SUP-A', 'SUP-NEW', 'CORE']);
        // The kinds the ledger scores, and no other.
        for (const kind of ENTERPRISE_KINDS) {
            expect(unrecordedSubjects([{ id: 'X', kind }], []).length === 1, kind).to.equal(CREDIT_SUBJECT_KINDS.includes(kind));
        }
    });
});
