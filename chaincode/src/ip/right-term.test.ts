import { expect } from 'chai';
import { normaliseRegistryNumber } from './registry-number';
import { inForceUntil, maximumExpiryDate, patentYear, registryYear } from './right-term';

/** The key of a valid patent number (the check character verified by the reader). */
function patent(number: string): string {
    const key = normaliseRegistryNumber('PATENT', number);
    if (key === undefined) {
        throw new Error(`${number} is not a valid patent number`);
    }
    return key;
}

function latest(kind: Parameters<typeof maximumExpiryDate>[0], key: string, today: string): string | undefined {
    return maximumExpiryDate(kind, key, today)?.latest;
}

/**
 * The statutory maximum of a right's expiry date, from its registry number and the ledger's date:
 * the bound RegisterIpAsset puts on the owner's declared expiryDate.
 */
describe('maximumExpiryDate: the latest a right can be in force', () => {
    const today = '2026-01-05';

    it('reads the filing year of current and pre-2003 patent numbers, and the registration year of software copyrights', () => {
        expect(patentYear(patent('ZL202310123456.6'))).to.equal(2023);
        expect(patentYear(patent('ZL95115608.X'))).to.equal(1995);
        expect(patentYear(patent('ZL03112345.7'))).to.equal(2003);
        expect(registryYear('SOFTWARE_COPYRIGHT', '2023SR0123456')).to.equal(2023);
        expect(registryYear('TRADEMARK', '12345678')).to.equal(undefined);
    });

    it('gives an invention 20 years from filing, no delay compensation before a grant 4 years after filing, and a drug extension only up to 14 years from today', () => {
        // 2023 + 20 = 2043-12-31; a grant after 2027-01-01 is yet to come; a drug approved today runs to 2040-01-05 at most.
        const limit = maximumExpiryDate('PATENT', patent('ZL202310123456.6'), today);
        expect(limit?.latest).to.equal('2043-12-31');
        expect(limit?.rule).to.contain('invention patent filed in 2023').and.contain('2043-12-31').and.contain('no compensation for a delayed grant can apply yet');
        // A PCT national-phase invention (type 8) counts the same.
        expect(latest('PATENT', patent('ZL202580123456.3'), today)).to.equal('2045-12-31');
    });

    it('adds to an older invention at most the days from 4 years after filing to a grant on or before today', () => {
        // Filed 2010 (201080063196.9, a published number): 2030-12-31 + 4387 days (2014-01-01 → 2026-01-05).
        const limit = maximumExpiryDate('PATENT', patent('CN201080063196.9'), today);
        expect(limit?.latest).to.equal('2043-01-04');
        expect(limit?.rule).to.contain('at most 4387 days');
        // Filed 2005 (200510096239.4): its 20 years end 2025-12-31, the grant came before: + 6208 days (2009-01-01 → 2025-12-31).
        expect(latest('PATENT', patent('200510096239.4'), today)).to.equal('2042-12-30');
        // Filed 1995: its 20 years ended before delay compensation existed; a drug extension of at most 5 years ended in 2020.
        const old = maximumExpiryDate('PATENT', patent('ZL95115608.X'), today);
        expect(old?.latest).to.equal('2020-12-31');
        expect(old?.rule).to.contain('no compensation for a delayed grant applies');
    });

    it('lets a drug extension carry an invention past its compensated term, by at most 5 years and to at most 14 years from today', () => {
        // Filed 2012: 2032-12-31 + 3657 days (2016-01-01 → 2026-01-05) = 2043-01-05; a drug approved by today ends by 2040-01-05: no more.
        expect(latest('PATENT', patent(`201210000001.${checkOf('201210000001')}`), today)).to.equal('2043-01-05');
        // Filed 2008, declared on 2040-06-30: 2028-12-31 + 6209 days (2012-01-01 → 2028-12-31) = 2045-12-31, + 5 years = 2050-12-31 (before 2054-06-30).
        expect(latest('PATENT', patent(`200810000001.${checkOf('200810000001')}`), '2040-06-30')).to.equal('2050-12-31');
    });

    it('gives a utility model 10 years and a design 15 years from filing, 10 for designs filed before 2021', () => {
        expect(latest('PATENT', patent('ZL202320123456.1'), today)).to.equal('2033-12-31');
        expect(latest('PATENT', patent('ZL202590123456.9'), today)).to.equal('2035-12-31');
        expect(latest('PATENT', patent('ZL202330123456.7'), today)).to.equal('2038-12-31');
        expect(latest('PATENT', patent('ZL202130123456.8'), today)).to.equal('2036-12-31');
        expect(latest('PATENT', patent('ZL202030123456.3'), today)).to.equal('2030-12-31');
        expect(maximumExpiryDate('PATENT', patent('ZL202030123456.3'), today)?.rule).to.contain('design patent filed in 2020 is in force for 10 years');
    });

    it('gives a trademark at most 11 years from today (10 years, renewed at most 12 months before the term ends)', () => {
        expect(latest('TRADEMARK', '12345678', today)).to.equal('2037-01-05');
        expect(latest('TRADEMARK', '12345678', '2028-02-29')).to.equal('2039-02-28');
        expect(maximumExpiryDate('TRADEMARK', '12345678', today)?.rule).to.contain('Trademark Law arts. 39–40');
    });

    it('gives a software copyright until 31 December of its registration year + 50, and a works copyright no computed bound', () => {
        expect(latest('SOFTWARE_COPYRIGHT', '2023SR0123456', today)).to.equal('2073-12-31');
        expect(latest('SOFTWARE_COPYRIGHT', '2010SR0012345', today)).to.equal('2060-12-31');
        expect(maximumExpiryDate('COPYRIGHT', '国作登字2023F00123456', today)).to.equal(undefined);
    });

    it('is deterministic: the same key and date always give the same limit', () => {
        const key = patent('CN201080063196.9');
        expect(maximumExpiryDate('PATENT', key, today)).to.deep.equal(maximumExpiryDate('PATENT', key, today));
    });
});

/** How long a recorded right can carry a pledge: its declared expiry, cut back to the statutory term. */
describe('inForceUntil: the declared expiry date, bounded by the statutory term', () => {
    const today = '2026-01-05';

    it('cuts back an expiry a record from before the bound declares past the statutory term, saying why', () => {
        const utility = inForceUntil('PATENT', '202320123456.1', '9999-12-31', today);
        expect(utility.date).to.equal('2033-12-31');
        expect(utility.limit?.rule).to.contain('utility model patent filed in 2023');
        // A key an older ledger wrote under a wrong check character has the same year and type digit.
        expect(inForceUntil('PATENT', '202320123456.7', '9999-12-31', today).date).to.equal('2033-12-31');
        expect(inForceUntil('SOFTWARE_COPYRIGHT', '2023SR123456', '9999-12-31', today).date).to.equal('2073-12-31');
        expect(inForceUntil('TRADEMARK', '12345678', '9999-12-31', today).date).to.equal('2037-01-05');
        // Judged on the transaction's date: a trademark's bound moves on with it, never back.
        expect(inForceUntil('TRADEMARK', '12345678', '9999-12-31', '2030-06-01').date).to.equal('2041-06-01');
    });

    it('keeps a declared expiry within the term, and one of a right the ledger computes no term for', () => {
        expect(inForceUntil('PATENT', '202320123456.1', '2030-06-30', today)).to.deep.equal({ date: '2030-06-30' });
        expect(inForceUntil('PATENT', '202320123456.1', '2033-12-31', today)).to.deep.equal({ date: '2033-12-31' });
        expect(inForceUntil('COPYRIGHT', '国作登字2023F00123456', '9999-12-31', today)).to.deep.equal({ date: '9999-12-31' });
    });
});

/** The check character of 12 digits, by the CNIPA rule, computed here apart from the reader. */
function checkOf(digits: string): string {
    const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    const r = [...digits].reduce((sum, d, i) => sum + Number(d) * weights[i], 0) % 11;
    return r === 10 ? 'X' : String(r);
}
