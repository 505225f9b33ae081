import { expect } from 'chai';
import { confirmTone } from './view-kit';

describe('confirmations', () => {
    it('make "Yes" red only for what destroys or takes away', () => {
        // Revoke, freeze, terminate, decline, cancel: asked by a plain or red button.
        expect(confirmTone({}, {})).to.equal('danger');
        expect(confirmTone({}, { class: 'danger' })).to.equal('danger');
        // Accept an agreement or a quote, redeem: asked by a primary button.
        expect(confirmTone({}, { class: 'primary', 'data-quote-id': 'Q-1' })).to.equal('primary');
        // Said outright (pay out escrow, accept an agreement).
        expect(confirmTone({ tone: 'primary' }, {})).to.equal('primary');
        expect(confirmTone({ tone: 'danger' }, { class: 'primary' })).to.equal('danger');
    });
});
