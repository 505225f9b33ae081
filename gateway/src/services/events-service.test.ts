import { expect } from 'chai';
import type { ChaincodeEventView, LedgerUser } from '../ledger/ledger-backend';
import { eventFor, formatEventId, maySee, parseEventId } from './events-service';

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

describe('events service', () => {
    it('formats and parses <block>:<index> ids, refusing anything else', () => {
        expect(formatEventId({ block: 12, index: 3 })).to.equal('12:3');
        expect(parseEventId('12:3')).to.deep.equal({ block: 12, index: 3 });
        expect(() => parseEventId('12')).to.throw().with.property('code', 'INVALID_ARGUMENT');
    });

    it('shows a user the events naming its enterprise anywhere in the payload', () => {
        expect(maySee(supplier, event({ holderId: 'E1' }))).to.equal(true);
        expect(maySee(supplier, event({ payees: [{ holderId: 'E1', amount: '5' }] }))).to.equal(true);
        expect(maySee(supplier, event({ holderId: 'E2', note: 'E1 mentioned in text' }))).to.equal(false);
        expect(maySee(supplier, event(undefined))).to.equal(false);
    });

    it('shows the regulator and the platform operator everything', () => {
        expect(maySee({ ...supplier, role: 'regulator' }, event({ holderId: 'E2' }))).to.equal(true);
        expect(maySee({ ...supplier, role: 'platform-admin' }, event({}))).to.equal(true);
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

    it('shows the whole redemption to the issuer, the line\'s financier, the regulator and the operator', () => {
        for (const user of [as('CORE', 'core-enterprise'), as('BANK', 'financier'), as('REG', 'regulator'), as('OPS', 'platform-admin')]) {
            expect(eventFor(user, event(redemption, 'RedeemNote'))?.payload).to.deep.equal(redemption);
        }
    });

    it('shows a holder only itself among the holders of an overdue root', () => {
        const overdue = { rootId: 'N-root', issuerId: 'CORE', holderIds: ['BANK2', 'E1', 'E2'], maturityDate: '2026-04-15', txId: 't' };
        expect(eventFor(supplier, event(overdue, 'MarkOverdue'))?.payload).to.deep.equal({ ...overdue, holderIds: ['E1'] });
        expect(eventFor(as('BANK2', 'financier'), event(overdue, 'MarkOverdue'))?.payload).to.deep.include({ holderIds: ['BANK2'] });
        expect(eventFor(as('CORE', 'core-enterprise'), event(overdue, 'MarkOverdue'))?.payload).to.deep.equal(overdue);
        expect(eventFor(as('REG', 'regulator'), event(overdue, 'MarkOverdue'))?.payload).to.deep.equal(overdue);
    });

    it('passes other events through unchanged to the enterprises they name', () => {
        const transferred = { offerId: 'OF-1', fromId: 'E1', toId: 'E2', spentNoteIds: ['N-1'], createdNoteIds: ['N-2', 'N-3'], txId: 't' };
        expect(eventFor(supplier, event(transferred, 'AcceptOffer'))?.payload).to.deep.equal(transferred);
    });
});
