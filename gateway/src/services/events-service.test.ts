import { expect } from 'chai';
import 'reflect-metadata';
import { contracts } from '@xinlian/chaincode';
import type { ChaincodeEventView, LedgerUser } from '../ledger/ledger-backend';
import { ADMIN_EVENTS, eventFor, formatEventId, maySee, parseEventId } from './events-service';

const supplier: LedgerUser = { username: 's', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };
const event = (payload: unknown, name = 'X'): ChaincodeEventView => ({ name, payload, txId: 't', position: { block: 3, index: 1 } });
const as = (enterpriseId: string, role: LedgerUser['role']): LedgerUser => ({ username: enterpriseId.toLowerCase(), role, enterpriseId, mspId: 'PlatformMSP' });

/** A redemption paying two holders, E1 and E2, of a root CORE issued on BANK's line. */
const redemption = {
    rootId: 'N-root',
    issuerId: 'CORE',
    financierId: 'BANK',
    currency: 'CNY',
    redeemedNoteIds: ['N-1', 'N-2', 'N-3'],
    escrowedNoteIds: ['N-4', 'N-5'],
    payees: [
        { holderId: 'E1', amount: '600', noteIds: ['N-1', 'N-3'] },
        { holderId: 'E2', amount: '400', noteIds: ['N-2'] },
    ],
    escrows: [
        { holderId: 'E3', amount: '70', noteIds: ['N-4'] },
        { holderId: 'E4', amount: '30', noteIds: ['N-5'] },
    ],
    onTime: true,
    escrowRelease: false,
    closedOfferIds: [],
    closedRequestIds: [],
    txId: 't',
};

/** What a party named in a redemption while holding nothing of its root sees besides its own part. */
const HOLDING_NOTHING = { rootId: 'N-root', issuerId: 'CORE', currency: 'CNY', payees: [], escrows: [], onTime: true, escrowRelease: false, txId: 't' };

describe('events service', () => {
    it('formats and parses <block>:<index> ids, refusing anything else', () => {
        expect(formatEventId({ block: 12, index: 3 })).to.equal('12:3');
        expect(parseEventId('12:3')).to.deep.equal({ block: 12, index: 3 });
        expect(() => parseEventId('12')).to.throw().with.property('code', 'INVALID_ARGUMENT');
    });

    it('names the header or parameter a malformed position came from', () => {
        expect(() => parseEventId('abc')).to.throw(/^Last-Event-ID must look like <block>:<index>$/);
        expect(() => parseEventId('abc', 'the query parameter after')).to.throw(/^the query parameter after must look like <block>:<index>$/);
    });

    it('shows a user the events naming its enterprise anywhere in the payload', () => {
        expect(maySee(supplier, event({ holderId: 'E1' }))).to.equal(true);
        expect(maySee(supplier, event({ payees: [{ holderId: 'E1', amount: '5' }] }))).to.equal(true);
        expect(maySee(supplier, event({ holderId: 'E2', note: 'E1 mentioned in text' }))).to.equal(false);
        expect(maySee(supplier, event(undefined))).to.equal(false);
    });

    it('shows the regulator everything', () => {
        expect(maySee({ ...supplier, role: 'regulator' }, event({ holderId: 'E2' }))).to.equal(true);
        expect(maySee({ ...supplier, role: 'regulator' }, event({}))).to.equal(true);
        const profile = event({ enterpriseId: 'E2', score: 612, warning: 'YELLOW', txId: 't' }, 'RefreshCreditProfile');
        expect(eventFor(as('REG', 'regulator'), profile)).to.deep.equal(profile);
    });

    it('shows the platform operator the events of what it may read, whole, and no credit profile or note business', () => {
        const admin = as('OPS', 'platform-admin');
        const frozen = event({ enterpriseId: 'E2', status: 'FROZEN', txId: 't' }, 'FreezeEnterprise');
        expect(eventFor(admin, frozen)).to.deep.equal(frozen);
        const pledge = event({ pledgeId: 'PL-1', assetId: 'IP-1', ownerIds: ['E1'], pledgorId: 'E1', pledgeeId: 'BANK', txId: 't' }, 'RequestPledge');
        expect(eventFor(admin, pledge)).to.deep.equal(pledge);
        // ReadCreditProfile refuses the admin: no profile's event reaches it, not even its own enterprise's.
        expect(maySee(admin, event({ enterpriseId: 'E2', score: 612, warning: 'YELLOW', txId: 't' }, 'RefreshCreditProfile'))).to.equal(false);
        expect(maySee(admin, event({ enterpriseId: 'OPS', score: 500, warning: 'NONE', txId: 't' }, 'RefreshCreditProfile'))).to.equal(false);
        expect(maySee(admin, event(redemption, 'RedeemNote'))).to.equal(false);
        expect(maySee(admin, event({ quoteId: 'Q-1', requestId: 'DR-1', holderId: 'E1', financierId: 'BANK', termsHash: 'ab', txId: 't' }, 'SubmitQuote'))).to.equal(false);
        // An event nobody has decided on does not reach the admin, even when it names the admin's enterprise.
        expect(maySee(admin, event({ enterpriseId: 'OPS' }, 'SomethingNew'))).to.equal(false);
        expect(maySee(admin, event({ enterpriseId: 'OPS' }, 'constructor'))).to.equal(false);
    });

    it('decides for every transaction that changes state what the platform operator sees of its event', () => {
        const submitted = contracts
            .flatMap((contract) => (Reflect.getMetadata('fabric:transactions', contract.prototype) ?? []) as Array<{ name: string; tag: string[] }>)
            .filter((transaction) => transaction.tag.includes('SUBMIT'))
            .map((transaction) => transaction.name)
            .sort();
        expect(submitted).to.include.members(['RefreshCreditProfile', 'IssueNote', 'RegisterEnterprise']);
        expect(Object.keys(ADMIN_EVENTS).sort()).to.deep.equal(submitted);
    });

    it('shows a holder only its own payee line and its own note ids of a redemption', () => {
        const seen = eventFor(supplier, event(redemption, 'RedeemNote'));
        const expected: Record<string, unknown> = { ...redemption, payees: [redemption.payees[0]], redeemedNoteIds: ['N-1', 'N-3'], escrows: [] };
        delete expected.escrowedNoteIds;
        expect(seen?.payload).to.deep.equal(expected);
        for (const other of ['E2', 'E3', 'E4', 'N-2', 'N-4', 'N-5']) {
            expect(JSON.stringify(seen)).not.to.include(other);
        }
        expect(eventFor(as('E2', 'supplier'), event(redemption, 'RedeemNote'))?.payload).to.deep.include({ payees: [redemption.payees[1]], redeemedNoteIds: ['N-2'] });
        expect(maySee(as('E9', 'supplier'), event(redemption, 'RedeemNote'))).to.equal(false);
    });

    it('shows a frozen holder only its own escrow line of a redemption', () => {
        const seen = eventFor(as('E3', 'supplier'), event(redemption, 'RedeemNote'))?.payload as Record<string, unknown>;
        expect(seen).to.deep.include({ payees: [], escrows: [redemption.escrows[0]], escrowedNoteIds: ['N-4'] });
        expect(seen).not.to.have.property('redeemedNoteIds');
    });

    it('shows no note ids to a holder when the payee lines do not say which are its own', () => {
        const unattributed = { ...redemption, payees: redemption.payees.map(({ holderId, amount }) => ({ holderId, amount })) };
        const seen = eventFor(supplier, event(unattributed, 'RedeemNote'))?.payload as Record<string, unknown>;
        expect(seen.payees).to.deep.equal([{ holderId: 'E1', amount: '600' }]);
        expect(seen).not.to.have.property('redeemedNoteIds');
        expect(seen).not.to.have.property('escrowedNoteIds');
    });

    it('shows the whole redemption to the issuer, the line\'s financier and the regulator', () => {
        for (const user of [as('CORE', 'core-enterprise'), as('BANK', 'financier'), as('REG', 'regulator')]) {
            expect(eventFor(user, event(redemption, 'RedeemNote'))?.payload).to.deep.equal(redemption);
        }
    });

    describe('the discount requests a redemption closes', () => {
        /** E2's request invited BANK (the line's financier) and FIN2, which both quoted; E1's invited FIN3, which quoted. */
        const closing = {
            ...redemption,
            closedRequestIds: ['DR-1', 'DR-2'],
            closedRequests: [
                { requestId: 'DR-1', holderId: 'E2', financierIds: ['BANK', 'FIN2'], withdrawnQuotes: [{ quoteId: 'Q-1', financierId: 'FIN2' }, { quoteId: 'Q-2', financierId: 'BANK' }] },
                { requestId: 'DR-2', holderId: 'E1', financierIds: ['FIN3'], withdrawnQuotes: [{ quoteId: 'Q-3', financierId: 'FIN3' }] },
            ],
        };
        const seenBy = (user: LedgerUser): Record<string, unknown> | undefined => eventFor(user, event(closing, 'RedeemNote'))?.payload as Record<string, unknown> | undefined;

        it('shows an invited financier holding nothing of the root its own request, itself and its own withdrawn quote, and nothing else', () => {
            const seen = seenBy(as('FIN2', 'financier'));
            expect(seen).to.deep.equal({
                ...HOLDING_NOTHING,
                closedRequestIds: ['DR-1'],
                closedRequests: [{ requestId: 'DR-1', holderId: 'E2', financierIds: ['FIN2'], withdrawnQuotes: [{ quoteId: 'Q-1', financierId: 'FIN2' }] }],
            });
            expect(seenBy(as('FIN3', 'financier'))?.closedRequests).to.deep.equal([closing.closedRequests[1]]);
            expect(maySee(as('FIN9', 'financier'), event(closing, 'RedeemNote'))).to.equal(false);
        });

        it('shows a requesting holder its own requests whole, and no other holder\'s', () => {
            const e2 = seenBy(as('E2', 'supplier'));
            expect(e2).to.deep.include({ payees: [redemption.payees[1]], closedRequestIds: ['DR-1'], closedRequests: [closing.closedRequests[0]], financierId: 'BANK', closedOfferIds: [] });
            expect(JSON.stringify(e2)).not.to.include('FIN3');
            expect(seenBy(supplier)).to.deep.include({ closedRequestIds: ['DR-2'], closedRequests: [closing.closedRequests[1]] });
            expect(seenBy(as('E3', 'supplier'))).to.deep.include({ closedRequestIds: [], closedRequests: [] });
        });

        it('shows the issuer and the line\'s financier every payee but only the requests they are party to; the regulator everything', () => {
            expect(seenBy(as('CORE', 'core-enterprise'))).to.deep.equal({ ...closing, closedRequests: [] });
            expect(seenBy(as('BANK', 'financier'))).to.deep.equal({
                ...closing,
                closedRequests: [{ requestId: 'DR-1', holderId: 'E2', financierIds: ['BANK'], withdrawnQuotes: [{ quoteId: 'Q-2', financierId: 'BANK' }] }],
            });
            expect(seenBy(as('REG', 'regulator'))).to.deep.equal(closing);
        });
    });

    describe('the transfer offers a redemption closes', () => {
        /** E1 had offered part of its leaf to E7; E2 had offered to E8. */
        const closing = {
            ...redemption,
            closedOfferIds: ['OF-1', 'OF-2'],
            closedOffers: [
                { offerId: 'OF-1', fromId: 'E1', toId: 'E7' },
                { offerId: 'OF-2', fromId: 'E2', toId: 'E8' },
            ],
        };
        const seenBy = (user: LedgerUser): Record<string, unknown> | undefined => eventFor(user, event(closing, 'RedeemNote'))?.payload as Record<string, unknown> | undefined;

        it('tells the recipient of a closed offer, holding nothing of the root, that its offer is gone, and nothing else', () => {
            expect(seenBy(as('E7', 'supplier'))).to.deep.equal({
                ...HOLDING_NOTHING,
                closedOfferIds: ['OF-1'],
                closedOffers: [closing.closedOffers[0]],
                closedRequestIds: [],
                financierId: 'BANK',
            });
            expect(maySee(as('E9', 'supplier'), event(closing, 'RedeemNote'))).to.equal(false);
        });

        it("shows a paid holder its own closed offers only, and the issuer and the line's financier the ids without the parties", () => {
            expect(seenBy(supplier)).to.deep.include({ closedOfferIds: ['OF-1'], closedOffers: [closing.closedOffers[0]] });
            expect(JSON.stringify(seenBy(supplier))).not.to.include('E8');
            for (const user of [as('CORE', 'core-enterprise'), as('BANK', 'financier')]) {
                const seen = seenBy(user);
                expect(seen).to.include.keys('payees');
                expect(seen).to.deep.include({ closedOfferIds: ['OF-1', 'OF-2'] });
                expect(seen).not.to.have.property('closedOffers');
            }
            expect(seenBy(as('REG', 'regulator'))).to.deep.equal(closing);
        });
    });

    it('shows a holder only itself among the holders of an overdue root', () => {
        const overdue = { rootId: 'N-root', issuerId: 'CORE', holderIds: ['BANK2', 'E1', 'E2'], maturityDate: '2026-04-15', txId: 't' };
        expect(eventFor(supplier, event(overdue, 'MarkOverdue'))?.payload).to.deep.equal({ ...overdue, holderIds: ['E1'] });
        expect(eventFor(as('BANK2', 'financier'), event(overdue, 'MarkOverdue'))?.payload).to.deep.include({ holderIds: ['BANK2'] });
        expect(eventFor(as('CORE', 'core-enterprise'), event(overdue, 'MarkOverdue'))?.payload).to.deep.equal(overdue);
        expect(eventFor(as('REG', 'regulator'), event(overdue, 'MarkOverdue'))?.payload).to.deep.equal(overdue);
    });

    it('shows the financier of the line a note draws on the new root without the receivables behind it', () => {
        const issued = { noteId: 'N-root', rootId: 'N-root', issuerId: 'CORE', holderId: 'E1', financierId: 'BANK', amount: '1000', currency: 'CNY', creditLineId: 'CL-1', receivableIds: ['RCV-1', 'RCV-2'], txId: 't' };
        const rest: Record<string, unknown> = { ...issued };
        delete rest.receivableIds;
        expect(eventFor(as('BANK', 'financier'), event(issued, 'IssueNote'))?.payload).to.deep.equal(rest);
        for (const user of [as('CORE', 'core-enterprise'), supplier, as('REG', 'regulator')]) {
            expect(eventFor(user, event(issued, 'IssueNote'))?.payload).to.deep.equal(issued);
        }
    });

    it('shows invited financiers an accepted quote or a withdrawn request without the ids of the other quotes', () => {
        const accepted = {
            quoteId: 'Q-1',
            requestId: 'DR-1',
            holderId: 'E1',
            financierId: 'BANK',
            financierIds: ['BANK', 'BANK2'],
            spentNoteIds: ['N-1'],
            createdNoteIds: ['N-2'],
            withdrawnQuoteIds: ['Q-2', 'Q-3'],
            txId: 't',
        };
        const withdrawn = { requestId: 'DR-1', noteId: 'N-1', holderId: 'E1', financierIds: ['BANK', 'BANK2'], withdrawnQuoteIds: ['Q-1', 'Q-2'], txId: 't' };
        for (const [name, payload] of [
            ['AcceptQuote', accepted],
            ['WithdrawDiscountRequest', withdrawn],
        ] as const) {
            for (const financier of [as('BANK', 'financier'), as('BANK2', 'financier')]) {
                const seen = eventFor(financier, event(payload, name))?.payload as Record<string, unknown>;
                expect(seen).not.to.have.property('withdrawnQuoteIds');
                expect(seen).to.deep.include({ requestId: 'DR-1', holderId: 'E1' });
            }
            expect(eventFor(supplier, event(payload, name))?.payload).to.deep.equal(payload);
            expect(eventFor(as('REG', 'regulator'), event(payload, name))?.payload).to.deep.equal(payload);
        }
    });

    describe('a revoked bureau key', () => {
        /** The key signed passports about E1, E2 and CORE; P1 recognised E2's, P2 E2's and CORE's. */
        const revoked = {
            address: '0xKEY',
            bureauId: 'BUREAU',
            subjects: ['CORE', 'E1', 'E2'],
            partnerIds: ['P1', 'P2'],
            bySubject: [
                { subject: 'CORE', partnerIds: ['P2'] },
                { subject: 'E1', partnerIds: [] },
                { subject: 'E2', partnerIds: ['P1', 'P2'] },
            ],
            txId: 't',
        };

        it('shows a subject only itself and the partners that recognised its own passports', () => {
            expect(eventFor(supplier, event(revoked, 'RevokeBureauKey'))?.payload).to.deep.equal({
                address: '0xKEY',
                bureauId: 'BUREAU',
                subjects: ['E1'],
                partnerIds: [],
                bySubject: [{ subject: 'E1', partnerIds: [] }],
                txId: 't',
            });
            expect(eventFor(as('E2', 'supplier'), event(revoked, 'RevokeBureauKey'))?.payload).to.deep.include({ subjects: ['E2'], partnerIds: ['P1', 'P2'], bySubject: [{ subject: 'E2', partnerIds: ['P1', 'P2'] }] });
            expect(eventFor(as('CORE', 'core-enterprise'), event(revoked, 'RevokeBureauKey'))?.payload).to.deep.include({ subjects: ['CORE'], partnerIds: ['P2'], bySubject: [{ subject: 'CORE', partnerIds: ['P2'] }] });
        });

        it('shows the bureau, the partners and the regulator the whole event, which they may read', () => {
            for (const user of [as('BUREAU', 'credit-bureau'), as('P1', 'foreign-partner'), as('REG', 'regulator'), as('OPS', 'platform-admin')]) {
                expect(eventFor(user, event(revoked, 'RevokeBureauKey'))?.payload, user.role).to.deep.equal(revoked);
            }
        });

        it('shows a subject no partner of an event that does not say which partner recognised whom', () => {
            const older = { address: '0xKEY', bureauId: 'BUREAU', subjects: ['CORE', 'E1', 'E2'], partnerIds: ['P1', 'P2'], txId: 't' };
            expect(eventFor(as('E2', 'supplier'), event(older, 'RevokeBureauKey'))?.payload).to.deep.equal({ ...older, subjects: ['E2'], partnerIds: [] });
        });
    });

    it('passes other events through unchanged to the enterprises they name', () => {
        const transferred = { offerId: 'OF-1', fromId: 'E1', toId: 'E2', spentNoteIds: ['N-1'], createdNoteIds: ['N-2', 'N-3'], txId: 't' };
        expect(eventFor(supplier, event(transferred, 'AcceptOffer'))?.payload).to.deep.equal(transferred);
    });
});
