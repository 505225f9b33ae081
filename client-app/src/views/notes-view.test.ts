import { expect } from 'chai';
import { noRecipient } from './notes-view';

describe('transfer recipients', () => {
    it('says nothing while another supplier can receive', () => {
        expect(noRecipient([{ name: 'Hangzhou Fastener Works', status: 'ACTIVE' }, { name: 'Ningbo Forge', status: 'FROZEN' }])).to.equal(undefined);
    });

    it('says why nobody can: the only other suppliers are frozen, or there is none', () => {
        expect(noRecipient([{ name: 'Hangzhou Fastener Works', status: 'FROZEN' }])).to.equal(
            'No supplier can receive a transfer now: Hangzhou Fastener Works is frozen by the regulator, and a frozen enterprise can receive nothing. Try again once the freeze is lifted.',
        );
        expect(noRecipient([{ name: 'A', status: 'FROZEN' }, { name: 'B', status: 'FROZEN' }, { name: 'C', status: 'FROZEN' }])).to.contain('A, B and C are frozen by the regulator');
        expect(noRecipient([])).to.contain('No other supplier is registered on the platform yet');
    });
});
