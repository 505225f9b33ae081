import { expect } from 'chai';
import type { ChaincodeEventView, LedgerUser } from '../ledger/ledger-backend';
import { formatEventId, maySee, parseEventId } from './events-service';

const supplier: LedgerUser = { username: 's', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };
const event = (payload: unknown): ChaincodeEventView => ({ name: 'X', payload, txId: 't', position: { block: 3, index: 1 } });

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
});
