import { expect } from 'chai';
import { eventBlock, eventConcerns, eventPayload, isNewEvent, overdueRootIds } from './live-events';
import type { LedgerEvent } from './resources';

const offer: LedgerEvent = {
    id: '42:0',
    name: 'OfferTransfer',
    data: { name: 'OfferTransfer', txId: 't', block: 42, index: 0, payload: { offerId: 'OF-1', fromId: 'HANGZHOU', toId: 'SUZHOU', amount: '100', currency: 'CNY' } },
};

describe('live events', () => {
    it('reads the payload of a feed event', () => {
        expect(eventPayload(offer)).to.deep.include({ offerId: 'OF-1' });
    });

    it('concerns the parties it names, and the regulator and the administrator always', () => {
        expect(eventConcerns(offer, { role: 'supplier', enterpriseId: 'SUZHOU' })).to.equal(true);
        expect(eventConcerns(offer, { role: 'supplier', enterpriseId: 'NINGBO' })).to.equal(false);
        expect(eventConcerns(offer, { role: 'regulator', enterpriseId: 'NFRO' })).to.equal(true);
        expect(eventConcerns(offer, { role: 'platform-admin', enterpriseId: 'PLATFORM' })).to.equal(true);
    });

    it('tells new events from replayed history by the ledger height when the feed connected', () => {
        expect(eventBlock(offer)).to.equal(42);
        expect(eventBlock({ id: '7:3', name: 'X', data: 'text' })).to.equal(7);
        expect(eventBlock({ id: '', name: 'X', data: {} })).to.equal(undefined);
        expect(isNewEvent(offer, 42)).to.equal(true);
        expect(isNewEvent(offer, 43)).to.equal(false);
        expect(isNewEvent(offer, undefined)).to.equal(false);
    });

    it('collects the roots the feed says were marked overdue', () => {
        const overdue: LedgerEvent = { id: '50:0', name: 'MarkOverdue', data: { name: 'MarkOverdue', txId: 'u', block: 50, index: 0, payload: { rootId: 'N-root', issuerId: 'CORE', holderIds: ['SUZHOU'], maturityDate: '2026-04-15' } } };
        expect([...overdueRootIds([offer, overdue])]).to.deep.equal(['N-root']);
        expect(overdueRootIds([offer]).size).to.equal(0);
    });
});
