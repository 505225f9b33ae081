import { expect } from 'chai';
import type { IpAsset, IpPledge } from '../resources';
import { IP_KINDS } from '../../../chaincode/src/ip/ip-asset';
import { assetStanding, awaitsAnswerFrom, coOwnerCandidates, ipKindLabel, openPledges, pledgeChoices, pledgeHeadroom, pledgeability, rankSentence, registrationOwners, rightInForceUntil, valuability, valuationProblem } from './ip-view';
import { InputError } from './ui';

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
        const active = pledge({});
        const verdict = pledgeability(valued, [active, pledge({ id: 'pl-2', status: 'RELEASED', securedAmount: '9000000' }), pledge({ id: 'pl-3', assetId: 'ip-other' })]);
        expect(verdict).to.deep.equal({ pledgeable: true, securedByActive: 3000000n, priority: 2, seniors: [active] });
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

describe('the rank a new pledge declares, as the ledger expects it', () => {
    const valuation = { amount: '100000000', currency: 'CNY', valuationDate: '2026-01-01', reportCid: 'bafk', appraiserId: 'APP', recordedBy: 'APP', recordedAt: '2026-01-01T00:00:00.000Z' } as unknown as IpAsset['valuation'];
    const valued = asset({ ownerIds: [SUZHOU], valuation, expiryDate: '2030-06-30' });

    it('ranks first on an asset with no active pledge, whatever was requested, released or rejected before', () => {
        const closed = ['REQUESTED', 'RELEASED', 'REJECTED', 'CANCELLED'].map((status, i) => pledge({ id: `pl-${i}`, status: status as IpPledge['status'], allowJunior: false }));
        expect(pledgeability(valued, closed)).to.deep.include({ pledgeable: true, priority: 1, seniors: [] });
        expect(rankSentence(1, [])).to.equal('This pledge would rank first.');
    });

    it('ranks right behind the active pledges (their number plus one), seniors in rank order', () => {
        const first = pledge({ id: 'pl-a', priority: 1, securedAmount: '20000000' });
        const second = pledge({ id: 'pl-b', priority: 2, securedAmount: '5000000', pledgeeId: 'BANK2' });
        const verdict = pledgeability(valued, [second, pledge({ id: 'pl-r', status: 'REQUESTED', priority: 3 }), first]);
        expect(verdict).to.deep.equal({ pledgeable: true, securedByActive: 25000000n, priority: 3, seniors: [first, second] });
        const name = (id: string) => (id === BANK ? 'Bank of Jiangnan' : 'Bank of Ningbo');
        expect(rankSentence(2, [first], name)).to.equal('This pledge would rank 2, behind Bank of Jiangnan (rank 1, CNY 200,000.00), which allows junior pledges.');
        expect(rankSentence(3, [first, second], name)).to.contain('rank 3, behind Bank of Jiangnan (rank 1, CNY 200,000.00), Bank of Ningbo (rank 2, CNY 50,000.00), which allow');
    });

    it('does not offer a right already expired by the ledger\'s date, and offers it on its last day', () => {
        const expired = pledgeability(valued, [], undefined, '2030-07-01');
        expect(expired.pledgeable).to.equal(false);
        expect(expired).to.have.property('reason').that.equals("the right expired on 2030-06-30: a pledge's term must end by the right's expiry");
        expect(pledgeability(valued, [], undefined, '2030-06-30')).to.include({ pledgeable: true, priority: 1 });
    });
});

describe('registering a co-owned IP asset', () => {
    const enterprises = [
        { id: SUZHOU, kind: 'SUPPLIER' as const, status: 'ACTIVE' as const, name: 'Suzhou Precision' },
        { id: HANGZHOU, kind: 'SUPPLIER' as const, status: 'ACTIVE' as const, name: 'Hangzhou Fastener' },
        { id: HUADONG, kind: 'CORE_ENTERPRISE' as const, status: 'ACTIVE' as const, name: 'Huadong Auto' },
        { id: 'FROZEN1', kind: 'SUPPLIER' as const, status: 'FROZEN' as const, name: 'Frozen Works' },
        { id: BANK, kind: 'FINANCIER' as const, status: 'ACTIVE' as const, name: 'Bank' },
    ];

    it('offers as co-owners the other suppliers and core enterprises that are not frozen, by name', () => {
        expect(coOwnerCandidates(enterprises, SUZHOU).map((e) => e.id)).to.deep.equal([HANGZHOU, HUADONG]);
    });

    it('names the registrant and its co-owners once each, and at most 10 owners in all', () => {
        expect(registrationOwners(SUZHOU, [])).to.deep.equal([SUZHOU]);
        expect(registrationOwners(SUZHOU, [HANGZHOU, SUZHOU, HANGZHOU])).to.deep.equal([SUZHOU, HANGZHOU]);
        const nine = Array.from({ length: 9 }, (_, i) => `CO${i}`);
        expect(registrationOwners(SUZHOU, nine)).to.have.length(10);
        expect(() => registrationOwners(SUZHOU, [...nine, 'CO9'])).to.throw(InputError, /at most 9 co-owners/);
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

describe('what an appraiser may value, as the ledger judges it (ReviseValuation)', () => {
    const ALL = ['CNY', 'USD', 'EUR'];
    const right = asset({ expiryDate: '2035-12-31' });

    it('offers no valuation of a right past its expiry by the ledger\'s date, and offers it on its last day', () => {
        const expired = asset({ expiryDate: '2026-03-09' });
        const verdict = valuability(expired, { pledges: [] }, '2026-03-10', ALL);
        expect(verdict).to.deep.equal({ valuable: false, reason: 'the right expired on 2026-03-09: a right no longer in force is worth nothing as collateral and cannot be valued' });
        expect(valuationProblem('Casting method', verdict, 'CNY')).to.equal('Casting method cannot be valued: the right expired on 2026-03-09: a right no longer in force is worth nothing as collateral and cannot be valued.');
        expect(valuability(expired, { pledges: [] }, '2026-03-09', ALL)).to.deep.equal({ valuable: true, currencies: ALL });
    });

    it('ends a record that declares more than the law allows when the law says, as the ledger does (right-term.ts)', () => {
        // A utility model filed in 2010, recorded before the bound with an expiry in 2035: in force until 2020-12-31.
        const legacy = asset({ registryNumber: '201020123456.4', expiryDate: '2035-12-31' });
        const rule = 'a utility model patent filed in 2010 is in force for 10 years from filing (Patent Law art. 42)';
        expect(rightInForceUntil(legacy, '2026-03-10')).to.deep.equal({ date: '2020-12-31', rule });
        expect(valuability(legacy, { pledges: [] }, '2026-03-10', ALL)).to.deep.equal({
            valuable: false,
            reason: `the right expired on 2020-12-31 (its record declares 2035-12-31, but ${rule}): a right no longer in force is worth nothing as collateral and cannot be valued`,
        });
        expect(pledgeability({ ...legacy, valuation: { amount: '10000000', currency: 'CNY', valuationDate: '2026-01-01', reportCid: 'bafk', appraiserId: 'APP' } as unknown as IpAsset['valuation'] }, [], undefined, '2026-03-10')).to.have.property('reason').that.contains('the right expired on 2020-12-31 (its record declares 2035-12-31');
        // A declared date within the law's is the date.
        expect(rightInForceUntil(right, '2026-03-10')).to.deep.equal({ date: '2035-12-31' });
    });

    it('offers only the currency of the requested or active pledges, and every currency once they are closed', () => {
        const requested = { pledges: [pledge({ status: 'REJECTED', currency: 'USD' }), pledge({ status: 'REQUESTED', currency: 'EUR' })] };
        const verdict = valuability(right, requested, '2026-03-10', ALL);
        expect(verdict).to.deep.equal({ valuable: true, currencies: ['EUR'], pledgeCurrency: 'EUR' });
        expect(valuationProblem('Casting method', verdict, 'EUR')).to.equal(undefined);
        expect(valuationProblem('Casting method', verdict, 'CNY')).to.equal(
            'Casting method has requested or active pledges in EUR: a valuation in CNY could not measure them. Value it in EUR while they are requested or active.',
        );
        expect(valuability(right, { pledges: [pledge({ status: 'ACTIVE', currency: 'CNY' })] }, '2026-03-10', ALL)).to.deep.equal({ valuable: true, currencies: ['CNY'], pledgeCurrency: 'CNY' });
        const closed = { pledges: [pledge({ status: 'RELEASED', currency: 'CNY' }), pledge({ status: 'ENFORCED', currency: 'USD' })] };
        expect(valuability(right, closed, '2026-03-10', ALL)).to.deep.equal({ valuable: true, currencies: ALL });
        // Without its notice the app cannot tell, and leaves the judgement to the ledger.
        expect(valuability(right, undefined, '2026-03-10', ALL)).to.deep.equal({ valuable: true, currencies: ALL });
    });

    it('offers no currency while open pledges are in several, since no one valuation measures them all', () => {
        const mixed = { pledges: [pledge({ id: 'a', status: 'ACTIVE', currency: 'USD' }), pledge({ id: 'b', status: 'REQUESTED', currency: 'CNY', priority: 2 })] };
        expect(valuability(right, mixed, '2026-03-10', ALL)).to.deep.equal({ valuable: false, reason: 'its requested or active pledges are in CNY and USD: a valuation in one currency cannot measure them all' });
    });
});
