import { expect } from 'chai';
import { countryProblem, enterpriseIdProblem, normaliseEnterpriseId, parseGradeScale } from './enterprise-checks';

const LEI = '529900T8BM49AURSDO55';
const USCC = '91320500MA1MX00059';

describe('platform administrator form checks', () => {
    it('accepts a USCC (18) or an LEI (20) with valid check characters', () => {
        expect(enterpriseIdProblem(LEI)).to.equal(undefined);
        expect(enterpriseIdProblem(normaliseEnterpriseId(' 529900t8bm49aursdo55 '))).to.equal(undefined);
        expect(enterpriseIdProblem(USCC)).to.equal(undefined);
        expect(enterpriseIdProblem('529900T8BM49AURSDO56')).to.match(/not a valid LEI/);
        expect(enterpriseIdProblem('91320500MA1MX00058')).to.match(/not a valid unified social credit code/);
        expect(enterpriseIdProblem('529900T8BM49AURSDO')).to.match(/An LEI has 20 characters/);
        expect(enterpriseIdProblem('12345')).to.match(/has 5 characters/);
    });

    it('checks the country in plain words: two letters, required with an LEI, CN with a USCC', () => {
        expect(countryProblem(LEI, 'SG')).to.equal(undefined);
        expect(countryProblem(LEI, '')).to.match(/needs its country/);
        expect(countryProblem(USCC, '')).to.equal(undefined);
        expect(countryProblem(USCC, 'CN')).to.equal(undefined);
        expect(countryProblem(USCC, 'SG')).to.match(/CN/);
        for (const bad of ['C', 'C1', 'CHN']) {
            const problem = countryProblem(LEI, bad);
            expect(problem, bad).to.match(/two-letter ISO 3166 code/);
            expect(problem, bad).to.not.match(/pattern|Invalid string/);
        }
    });

    it('reads a grade scale highest band first and refuses gaps, overlaps and repeats', () => {
        expect(parseGradeScale('C: 0\nA: 800\nB: 500')).to.deep.equal({ bands: [{ minScore: 800, grade: 'A' }, { minScore: 500, grade: 'B' }, { minScore: 0, grade: 'C' }] });
        expect(parseGradeScale('Tier-1 = 800, Tier-2 = 0')).to.deep.equal({ bands: [{ minScore: 800, grade: 'Tier-1' }, { minScore: 0, grade: 'Tier-2' }] });
        expect(parseGradeScale('A: 800, B: 500')).to.have.property('problem').that.matches(/0 to 499 have no grade/);
        expect(parseGradeScale('A: 500, B: 500, C: 0')).to.have.property('problem').that.matches(/Two bands start at 500/);
        expect(parseGradeScale('A: 800, A: 0')).to.have.property('problem').that.matches(/appears twice/);
        expect(parseGradeScale('A 800')).to.have.property('problem');
        expect(parseGradeScale('A: 1001, B: 0')).to.have.property('problem');
        expect(parseGradeScale('')).to.have.property('problem');
    });
});
