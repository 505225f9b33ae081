import { expect } from 'chai';
import { ChaincodeError } from '../errors';
import { EARLIEST_DATE, parseDateValue, requireOnOrAfterEarliestDate } from './input';

function refusal(value: unknown): ChaincodeError {
    try {
        parseDateValue(value, 'request.when');
    } catch (error) {
        expect(error).to.be.instanceOf(ChaincodeError);
        return error as ChaincodeError;
    }
    throw new Error(`${String(value)} was accepted`);
}

describe('parseDateValue', () => {
    it('reads a calendar date as UTC midnight and a UTC timestamp as that instant', () => {
        expect(parseDateValue('2027-02-28', 'd').toISOString()).to.equal('2027-02-28T00:00:00.000Z');
        expect(parseDateValue('2028-02-29', 'd').toISOString()).to.equal('2028-02-29T00:00:00.000Z');
        expect(parseDateValue('2027-04-30T23:59:59Z', 'd').toISOString()).to.equal('2027-04-30T23:59:59.000Z');
        expect(parseDateValue('2028-02-29T00:00:00.123456789Z', 'd').toISOString()).to.equal('2028-02-29T00:00:00.123Z');
    });

    it('refuses a calendar date that does not exist instead of rolling it over', () => {
        for (const value of ['2027-02-29', '2027-02-30', '2027-04-31', '2027-13-01', '2027-00-10', '2027-01-00', '2027-01-32']) {
            expect(refusal(value).code, value).to.equal('INVALID_ARGUMENT');
        }
    });

    it('refuses a timestamp whose calendar date does not exist', () => {
        for (const value of ['2027-02-30T00:00:00Z', '2027-02-29T12:00:00Z', '2027-04-31T24:00:00Z', '2027-06-31T08:30:00.5Z', '2027-13-01T00:00:00Z']) {
            expect(refusal(value).code, value).to.equal('INVALID_ARGUMENT');
        }
    });

    it('refuses a timestamp at hour 24, minute 60 or second 60', () => {
        for (const value of ['2027-04-30T24:00:00Z', '2027-04-30T25:00:00Z', '2027-04-30T23:60:00Z', '2027-04-30T23:59:60Z', '2027-12-31T24:00:00.000Z']) {
            expect(refusal(value).code, value).to.equal('INVALID_ARGUMENT');
        }
    });

    it('refuses other shapes: local times, offsets, non-strings', () => {
        for (const value of ['2027-04-30T12:00:00', '2027-04-30T12:00:00+08:00', '2027-4-30', '30/04/2027', '', 20270430, null, undefined]) {
            expect(refusal(value).code, String(value)).to.equal('INVALID_ARGUMENT');
        }
    });
});

describe('requireOnOrAfterEarliestDate', () => {
    it('accepts 2000-01-01 and later, and refuses earlier dates as typos, naming the field', () => {
        expect(EARLIEST_DATE).to.equal('2000-01-01');
        for (const date of ['2000-01-01', '2026-01-05', '9999-12-31']) {
            expect(() => requireOnOrAfterEarliestDate(date, 'request.when'), date).to.not.throw();
        }
        for (const date of ['0000-01-01', '0001-01-01', '1999-01-01', '1999-12-31']) {
            let refusal: unknown;
            try {
                requireOnOrAfterEarliestDate(date, 'request.when');
            } catch (error) {
                refusal = error;
            }
            expect(refusal, date).to.be.instanceOf(ChaincodeError);
            expect((refusal as ChaincodeError).code).to.equal('INVALID_ARGUMENT');
            expect((refusal as ChaincodeError).message).to.contain(`request.when ${date} must be on or after 2000-01-01`);
        }
    });
});
