import { expect } from 'chai';
import type { IpAsset, IpPledge } from '../resources';
import { IP_KINDS } from '../../../chaincode/src/ip/ip-asset';
import { assetStanding, awaitsAnswerFrom, ipKindLabel, openPledges, pledgeChoices, pledgeHeadroom, pledgeability } from './ip-view';

const SUZHOU = '91320500MA1MX00059';
const HANGZHOU = '91330100MA2H000067';
const HUADONG = '91310000MA1FL00038';

function asset(fields: Partial<IpAsset>): IpAsset {
    return {
        docType: 'ip-asset',
        id: 'ip-0123456789abcdef01234567',
        kind: 'PATENT',
        registryNumber: '202310123456.7',
        title: 'Casting method',
        ownerIds: [SUZHOU, HANGZHOU],
        expiryDate: '2035-12-31',
        valuationHistory: [],
        registeredBy: SUZHOU,
        registeredAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        ...fields,
    };
}

describe('IP asset standing', () => {
    it('counts records without pending owners (sole owner, or from before confirmations) and fully confirmed ones as confirmed', () => {
        expect(assetStanding(asset({}))).to.deep.equal({ state: 'CONFIRMED' });
        expect(assetStanding(asset({ pendingOwnerIds: [], ownerConfirmations: [{ enterpriseId: HANGZHOU, confirmedAt: 't', txId: 'x' }] }))).to.deep.equal({ state: 'CONFIRMED' });
    });

    it('is pending while a named co-owner has not confirmed, and awaits an answer from that co-owner only', () => {
        const pending = asset({ ownerIds: [SUZHOU, HANGZHOU, HUADONG], pendingOwnerIds: [HUADONG, HANGZHOU] });
        expect(assetStanding(pending)).to.deep.equal({ state: 'PENDING', awaiting: [HANGZHOU, HUADONG].sort() });
        expect(awaitsAnswerFrom(pending, HANGZHOU)).to.equal(true);
        expect(awaitsAnswerFrom(pending, HUADONG)).to.equal(true);
        expect(awaitsAnswerFrom(pending, SUZHOU)).to.equal(false);
    });

    it('shows declined and voided records with who, when and why, and asks nobody to answer them', () => {
        const declined = asset({ pendingOwnerIds: [HANGZHOU], voidKind: 'DECLINED', voidedBy: HANGZHOU, voidedAt: '2026-02-03T04:05:06.000Z', voidReason: 'not ours', voidTxId: 'tx' });
        expect(assetStanding(declined)).to.deep.equal({ state: 'DECLINED', by: HANGZHOU, at: '2026-02-03T04:05:06.000Z', reason: 'not ours' });
        expect(awaitsAnswerFrom(declined, HANGZHOU)).to.equal(false);
        const voided = asset({ voidKind: 'VOIDED', voidedBy: 'REG', voidedAt: '2026-02-03T04:05:06.000Z', voidReason: 'contested', voidTxId: 'tx' });
        expect(assetStanding(voided)).to.include({ state: 'VOIDED', by: 'REG', reason: 'contested' });
    });
});

const BANK = '91110000MA00000BNK';

function pledge(fields: Partial<IpPledge>): IpPledge {
    return {
        docType: 'ip-pledge',
        id: 'pl-1',
        assetId: 'ip-0123456789abcdef01234567',
        pledgorId: SUZHOU,
        coOwnerIds: [],
        pledgeeId: BANK,
        securedAmount: '3000000',
        currency: 'CNY',
        termStart: '2026-01-01',
        termEnd: '2027-01-01',
        priority: 1,
        allowJunior: true,
        status: 'ACTIVE',
        consents: [],
        requestedAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        ...fields,
    };
}

describe('what an IP asset can still secure', () => {
    const valuation = { amount: '10000000', currency: 'CNY', valuationDate: '2026-01-01', reportCid: 'bafk', appraiserId: 'APP', recordedBy: 'APP', recordedAt: '2026-01-01T00:00:00.000Z' } as unknown as IpAsset['valuation'];
    const valued = asset({ ownerIds: [SUZHOU], valuation });

    it('subtracts what active pledges of the asset already secure', () => {
        const verdict = pledgeability(valued, [pledge({}), pledge({ id: 'pl-2', status: 'RELEASED', securedAmount: '9000000' }), pledge({ id: 'pl-3', assetId: 'ip-other' })]);
        expect(verdict).to.deep.equal({ pledgeable: true, securedByActive: 3000000n });
        expect(pledgeHeadroom('10000000', 5000, 3000000n)).to.equal(2000000n);
        expect(pledgeHeadroom('10000000', 5000, 6000000n)).to.equal(0n);
    });

    it('is not pledgeable under an active pledge that allows no junior one', () => {
        const verdict = pledgeability(valued, [pledge({ allowJunior: false })], () => 'Bank of Ningbo');
        expect(verdict.pledgeable).to.equal(false);
        expect(verdict).to.have.property('reason').that.contains('Bank of Ningbo');
    });

    it('says an enforced asset was realised, not that it lacks a valuation', () => {
        const verdict = pledgeability(asset({ ownerIds: [SUZHOU], valuation, enforcedAt: '2026-03-01T00:00:00.000Z' }), []);
        expect(verdict.pledgeable).to.equal(false);
        expect(verdict).to.have.property('reason').that.matches(/realised by the enforcement/);
        expect(pledgeability(asset({ ownerIds: [SUZHOU] }), [])).to.have.property('reason').that.matches(/not valued/);
    });
});

describe('what a pledgor or co-owner may do with a pledge', () => {
    const requested = pledge({ status: 'REQUESTED', coOwnerIds: [HANGZHOU, HUADONG] });
    const consent = (enterpriseId: string) => ({ enterpriseId, consentedAt: '2026-01-02T00:00:00.000Z', txId: 'tx' });

    it('offers a co-owner that has not consented Consent and Decline, and one that has Withdraw consent and Decline', () => {
        expect(pledgeChoices(requested, HANGZHOU)).to.deep.equal({ consent: true, withdrawConsent: false, decline: true, cancel: false });
        const consented = { ...requested, consents: [consent(HANGZHOU)] };
        expect(pledgeChoices(consented, HANGZHOU)).to.deep.equal({ consent: false, withdrawConsent: true, decline: true, cancel: false });
        // Another co-owner's consent is not its own to withdraw.
        expect(pledgeChoices(consented, HUADONG)).to.deep.equal({ consent: true, withdrawConsent: false, decline: true, cancel: false });
    });

    it('offers the pledgor only Cancel, and nothing to others or on a pledge no longer requested', () => {
        expect(pledgeChoices(requested, SUZHOU)).to.deep.equal({ consent: false, withdrawConsent: false, decline: false, cancel: true });
        expect(pledgeChoices(requested, BANK)).to.deep.equal({ consent: false, withdrawConsent: false, decline: false, cancel: false });
        for (const status of ['ACTIVE', 'DECLINED', 'REJECTED', 'CANCELLED'] as const) {
            const closed = { ...requested, status, consents: [consent(HANGZHOU)] };
            expect(pledgeChoices(closed, HANGZHOU), status).to.deep.equal({ consent: false, withdrawConsent: false, decline: false, cancel: false });
            expect(pledgeChoices(closed, SUZHOU).cancel, status).to.equal(false);
        }
    });
});

describe('IP kinds and pledge status as a user reads them', () => {
    it('labels every kind the ledger knows in words, capitalised', () => {
        expect(IP_KINDS.map(ipKindLabel)).to.deep.equal(['Patent', 'Trademark', 'Copyright', 'Software copyright']);
    });

    it('lists the open pledges of an asset from its notice, active ones first by rank, and leaves closed ones out', () => {
        const notice = [
            { id: 'p-rejected', status: 'REJECTED' as const, priority: 1 },
            { id: 'p-requested', status: 'REQUESTED' as const, priority: 3 },
            { id: 'p-second', status: 'ACTIVE' as const, priority: 2 },
            { id: 'p-first', status: 'ACTIVE' as const, priority: 1 },
            { id: 'p-released', status: 'RELEASED' as const, priority: 1 },
        ];
        expect(openPledges(notice).map((p) => p.id)).to.deep.equal(['p-first', 'p-second', 'p-requested']);
        expect(openPledges([{ id: 'x', status: 'ENFORCED' as const, priority: 1 }])).to.deep.equal([]);
    });
});
