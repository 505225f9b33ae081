import { expect } from 'chai';
import { noteIdProblem } from './provenance-view';

describe('provenance note id check', () => {
    it('accepts record ids and explains anything else in plain words, not the validator\'s', () => {
        expect(noteIdProblem('N-5bbd01cfa515300725fd89b1')).to.equal(undefined);
        for (const typed of ['N 5bbd', '-N1', 'N/1', 'x'.repeat(129), '票据1']) {
            const problem = noteIdProblem(typed);
            expect(problem, typed).to.be.a('string');
            expect(problem, typed).to.not.match(/Path\.id|must be a record id/);
        }
    });
});
