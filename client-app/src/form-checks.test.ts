import { expect } from 'chai';
import { REGISTRY_NUMBER_FORMATS } from '../../chaincode/src/ip/registry-number';
import { REGISTRY_FORMATS, checkRegistryNumber, dueDateProblem, expiryLimitOf, futureDateProblem, ltvCapProblem, maturityProblem, maxSecured, quoteProblem, rightExpiryProblem, securedProblem } from './form-checks';

describe('form checks', () => {
    const now = new Date('2026-03-10T08:00:00Z');

    it('accepts a maturity after today within the tenor cap in calendar months and says why otherwise', () => {
        expect(maturityProblem('2026-03-11', now, 6)).to.equal(undefined);
        expect(maturityProblem('2026-03-10', now, 6)).to.contain('must be after today (2026-03-10)');
        expect(maturityProblem('2026-09-10', now, 6)).to.equal(undefined);
        expect(maturityProblem('2026-09-11', now, 6)).to.equal('The maturity date 2026-09-11 is too far away: the platform allows at most 6 months (until 2026-09-10).');
        expect(maturityProblem('2026-04-11', now, 1)).to.contain('at most 1 month (until 2026-04-10)');
        expect(maturityProblem('2099-01-01', now)).to.equal(undefined);
    });

    it('clamps the latest maturity to the end of a shorter month, as the ledger does', () => {
        const endOfAugust = new Date('2026-08-31T23:30:00Z');
        expect(maturityProblem('2027-02-28', endOfAugust, 6)).to.equal(undefined);
        expect(maturityProblem('2027-03-01', endOfAugust, 6)).to.contain('at most 6 months (until 2027-02-28)');
        expect(maturityProblem('2027-02-28', new Date('2026-02-28T08:00:00Z'), 12)).to.equal(undefined);
        expect(maturityProblem('2027-03-01', new Date('2026-02-28T08:00:00Z'), 12)).to.contain('until 2027-02-28');
    });

    it('refuses a due date on or before the issue date', () => {
        expect(dueDateProblem('2026-03-10', '2026-03-11')).to.equal(undefined);
        expect(dueDateProblem('2026-03-10', '2026-03-10')).to.contain('must be after the issue date');
    });

    it('refuses an expiry that is not in the future', () => {
        expect(futureDateProblem('2026-03-11', now, 'The expiry date')).to.equal(undefined);
        expect(futureDateProblem('2026-03-10', now, 'The expiry date')).to.contain('must be in the future');
    });

    it('keeps a loan-to-value cap within 0 and 90 %', () => {
        expect(ltvCapProblem(9000)).to.equal(undefined);
        expect(ltvCapProblem(9001)).to.contain('at most 90.00 %');
        expect(ltvCapProblem(0)).to.contain('more than 0 %');
    });

    it('says the normal form of a registry number the ledger will record', () => {
        // The registrant's spelling is kept; only NFKC changes what is shown (the ledger keys every spelling alike).
        expect(checkRegistryNumber('PATENT', 'ZL202410555666.7', now)).to.deep.equal({ normalised: 'ZL202410555666.7' });
        expect(checkRegistryNumber('PATENT', 'ＺＬ202410555666.7', now)).to.deep.equal({ normalised: 'ZL202410555666.7', note: 'It is recorded as ZL202410555666.7.' });
        expect(checkRegistryNumber('COPYRIGHT', 'АВС-2023-F-777', now)).to.have.property('problem').that.contains('It contains "А" (U+0410)').and.contains('Latin letters');
        expect(checkRegistryNumber('PATENT', '202410555666.7', now)).to.deep.equal({ normalised: '202410555666.7' });
        expect(checkRegistryNumber('PATENT', 'ZL12', now)).to.have.property('problem').that.contains('has 2 characters where a patent number has 13').and.contains('Patent number: an optional ZL or CN, then 12 digits');
    });

    it('says what is wrong with a registry number of allowed characters, not that its characters are wrong', () => {
        const verdicts = [checkRegistryNumber('PATENT', 'ZL20231012345', now), checkRegistryNumber('PATENT', 'ZL2023101234567.7', now), checkRegistryNumber('SOFTWARE_COPYRIGHT', '2023SR12', now)];
        const problems = verdicts.map((v) => ('problem' in v ? v.problem : ''));
        expect(problems[0]).to.match(/^"ZL20231012345" is not a valid patent number\. Its number part .* has 11 characters where a patent number has 13/);
        expect(problems[1]).to.contain('has 14 characters');
        expect(problems[2]).to.match(/^"2023SR12" is not a valid software copyright number\. It has 2 digits after SR where 6 or 7 belong\. Software copyright number: .*2023SR0123456/);
        for (const problem of problems) {
            expect(problem).to.not.contain('Latin letters');
        }
    });

    it('refuses a registry number whose year lies after the ledger\'s year, as the ledger does', () => {
        // ZL202710123456.4 is well formed: only its filing year, after 2026, is wrong.
        expect(checkRegistryNumber('PATENT', 'ZL202710123456.4', now)).to.deep.equal({
            problem: '"ZL202710123456.4" is not a valid patent number. Its year 2027 lies after today (2026-03-10), and an office numbers a right in the year it receives it.',
        });
        expect(checkRegistryNumber('PATENT', 'ZL202710123456.4', new Date('2027-01-01T00:00:00Z'))).to.deep.equal({ normalised: 'ZL202710123456.4' });
        expect(checkRegistryNumber('SOFTWARE_COPYRIGHT', '2027SR0123456', now)).to.have.property('problem').that.contains('Its year 2027 lies after today (2026-03-10)');
        expect(checkRegistryNumber('SOFTWARE_COPYRIGHT', '2026SR0123456', now)).to.deep.equal({ normalised: '2026SR0123456' });
        // A trademark number carries no year.
        expect(checkRegistryNumber('TRADEMARK', '99999999', now)).to.deep.equal({ normalised: '99999999' });
    });

    it('bounds a right\'s expiry by the term its number allows on the ledger\'s date (chaincode right-term.ts)', () => {
        // A utility model filed in 2020 ends on 31 December 2030 at the latest.
        expect(expiryLimitOf('PATENT', 'ZL202020123456.8', now)?.latest).to.equal('2030-12-31');
        expect(rightExpiryProblem('PATENT', 'ZL202020123456.8', '2030-12-31', now)).to.equal(undefined);
        expect(rightExpiryProblem('PATENT', 'ZL202020123456.8', '2031-01-01', now)).to.equal(
            'The expiry date 2031-01-01 lies after 2030-12-31, the latest this right can be in force: a utility model patent filed in 2020 is in force for 10 years from filing (Patent Law art. 42).',
        );
        // The default the form used to offer (today + 3650 days) is past that limit.
        expect(rightExpiryProblem('PATENT', 'ZL202020123456.8', '2036-03-07', now)).to.contain('lies after 2030-12-31');
        // A trademark runs at most 11 years from the ledger's date.
        expect(expiryLimitOf('TRADEMARK', '12345678', now)?.latest).to.equal('2037-03-10');
        expect(rightExpiryProblem('TRADEMARK', '12345678', '2037-03-11', now)).to.contain('lies after 2037-03-10');
        // A works copyright number gives no limit; an invalid number gives none either (its own check says why).
        expect(expiryLimitOf('COPYRIGHT', '国作登字-2023-F-00123456', now)).to.equal(undefined);
        expect(rightExpiryProblem('COPYRIGHT', '国作登字-2023-F-00123456', '2199-12-31', now)).to.equal(undefined);
        expect(expiryLimitOf('PATENT', 'ZL12', now)).to.equal(undefined);
        // Still in the future, first.
        expect(rightExpiryProblem('PATENT', 'ZL202020123456.8', '2026-03-10', now)).to.contain('must be in the future');
    });

    it('states each kind’s format as the ledger does', () => {
        expect(REGISTRY_FORMATS.PATENT).to.equal(`Patent number: ${REGISTRY_NUMBER_FORMATS.PATENT}.`);
        expect(REGISTRY_FORMATS.SOFTWARE_COPYRIGHT).to.contain('6–7 digits');
        expect(Object.keys(REGISTRY_FORMATS).sort()).to.deep.equal(Object.keys(REGISTRY_NUMBER_FORMATS).sort());
    });

    it('caps a secured amount at the loan-to-value share of the valuation', () => {
        expect(maxSecured('50000000', 5000)).to.equal('25000000');
        expect(securedProblem('25000000', { amount: '50000000', currency: 'CNY' }, 5000)).to.equal(undefined);
        expect(securedProblem('25000001', { amount: '50000000', currency: 'CNY' }, 5000)).to.contain('At most CNY 250,000.00 can be secured');
    });

    describe('quoteProblem', () => {
        // A CNY 100,000.00 note maturing 90 days after `now`.
        const note = { face: '10000000', currency: 'CNY', maturityDate: '2026-06-08' };

        it('accepts a quote that leaves something to pay', () => {
            expect(quoteProblem({ ...note, rateBps: 350, fee: '0' }, now)).to.equal(undefined);
            expect(quoteProblem({ ...note, rateBps: 10_000, fee: '7000000' }, now)).to.equal(undefined);
        });

        it('refuses interest plus a fee that leave nothing to pay, in major units', () => {
            const problem = quoteProblem({ ...note, rateBps: 350, fee: '20000000' }, now) ?? '';
            expect(problem).to.contain('the fee (CNY 200,000.00)');
            expect(problem).to.contain('the note’s CNY 100,000.00'.replace('’', "'"));
            expect(problem).to.not.match(/\b20000000\b/);
            // Exactly the face: the price would be zero, which the ledger refuses too.
            expect(quoteProblem({ ...note, rateBps: 0, fee: '10000000' }, now)).to.not.equal(undefined);
        });

        it('refuses a rate above 100 % and a note already due', () => {
            expect(quoteProblem({ ...note, rateBps: 10_001, fee: '0' }, now)).to.contain('at most 100.00 %');
            expect(quoteProblem({ ...note, maturityDate: '2026-03-10', rateBps: 100, fee: '0' }, now)).to.contain('can no longer be discounted');
        });
    });
});
