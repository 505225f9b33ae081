import { expect } from 'chai';
import { eventNames } from './event-parties';

describe('eventNames', () => {
    it('finds an enterprise named anywhere in a payload', () => {
        expect(eventNames({ payees: [{ holderId: 'BANK', amount: '1' }] }, 'BANK')).to.equal(true);
        expect(eventNames({ fromId: 'HANGZHOU', toId: 'SUZHOU' }, 'SUZHOU')).to.equal(true);
        expect(eventNames({ payees: [{ holderId: 'BANK' }] }, 'SUZHOU')).to.equal(false);
    });

    it('matches whole values only, and stops at a depth no payload reaches', () => {
        expect(eventNames({ note: 'SUZHOU pays' }, 'SUZHOU')).to.equal(false);
        let deep: unknown = 'SUZHOU';
        for (let i = 0; i < 8; i++) {
            deep = [deep];
        }
        expect(eventNames(deep, 'SUZHOU')).to.equal(false);
        expect(eventNames(null, 'SUZHOU')).to.equal(false);
    });
});
