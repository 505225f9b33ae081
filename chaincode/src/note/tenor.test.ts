import { expect } from 'chai';
import { addCalendarMonths, daysInMonth, latestMaturityDate, monthsFromTenorDays, utcCalendarDate } from './tenor';

describe('tenor in calendar months', () => {
    describe('addCalendarMonths', () => {
        it('keeps the day of the month when the target month has it', () => {
            expect(addCalendarMonths('2027-03-01', 6)).to.equal('2027-09-01');
            expect(addCalendarMonths('2026-01-05', 6)).to.equal('2026-07-05');
            expect(addCalendarMonths('2026-01-15', 1)).to.equal('2026-02-15');
            expect(addCalendarMonths('2026-05-31', 0)).to.equal('2026-05-31');
        });

        it('clamps to the last day of a shorter target month', () => {
            expect(addCalendarMonths('2026-01-31', 1)).to.equal('2026-02-28');
            expect(addCalendarMonths('2026-08-31', 6)).to.equal('2027-02-28');
            expect(addCalendarMonths('2026-03-31', 1)).to.equal('2026-04-30');
            expect(addCalendarMonths('2026-05-31', 4)).to.equal('2026-09-30');
            expect(addCalendarMonths('2026-01-30', 1)).to.equal('2026-02-28');
        });

        it('lands on 29 February in a leap year and on 28 February in the others', () => {
            expect(addCalendarMonths('2028-01-31', 1)).to.equal('2028-02-29');
            expect(addCalendarMonths('2027-08-29', 6)).to.equal('2028-02-29');
            expect(addCalendarMonths('2028-02-29', 12)).to.equal('2029-02-28');
            expect(addCalendarMonths('2099-12-31', 2)).to.equal('2100-02-28'); // 2100 is not a leap year
            expect(addCalendarMonths('1999-12-31', 2)).to.equal('2000-02-29'); // 2000 is
        });

        it('carries December into the next year', () => {
            expect(addCalendarMonths('2026-12-15', 1)).to.equal('2027-01-15');
            expect(addCalendarMonths('2026-07-31', 6)).to.equal('2027-01-31');
            expect(addCalendarMonths('2026-11-30', 3)).to.equal('2027-02-28');
        });

        it('adds twelve months as one year, clamping only 29 February', () => {
            expect(addCalendarMonths('2026-01-05', 12)).to.equal('2027-01-05');
            expect(addCalendarMonths('2026-12-31', 12)).to.equal('2027-12-31');
            expect(addCalendarMonths('2027-02-28', 12)).to.equal('2028-02-28');
        });

        it('refuses a malformed date, an impossible date and a bad month count', () => {
            for (const [date, months] of [['2026-1-05', 1], ['2026-02-30', 1], ['2026-13-01', 1], ['2026-01-05', -1], ['2026-01-05', 1.5], ['2026-01-05T00:00:00Z', 1]] as const) {
                expect(() => addCalendarMonths(date, months), `${date} + ${months}`).to.throw(RangeError);
            }
        });
    });

    it('counts the days of each month, with Gregorian leap years', () => {
        expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).to.deep.equal([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
        expect([2024, 2028, 2000, 2100, 1900].map((y) => daysInMonth(y, 2))).to.deep.equal([29, 29, 29, 28, 28]);
    });

    it('takes the latest maturity from the UTC date of the issuing instant', () => {
        expect(latestMaturityDate(new Date('2026-08-31T10:00:00Z'), 6)).to.equal('2027-02-28');
        // 23:30 UTC on 31 January is already 1 February in Beijing; the ledger date is the UTC one.
        expect(utcCalendarDate(new Date('2026-01-31T23:30:00Z'))).to.equal('2026-01-31');
        expect(latestMaturityDate(new Date('2026-01-31T23:30:00Z'), 1)).to.equal('2026-02-28');
        expect(latestMaturityDate(new Date('2026-02-01T00:00:00Z'), 1)).to.equal('2026-03-01');
    });

    it('reads a cap kept in days as the nearest whole month within 1..12', () => {
        expect(monthsFromTenorDays(183)).to.equal(6);
        expect(monthsFromTenorDays(366)).to.equal(12);
        expect(monthsFromTenorDays(365)).to.equal(12);
        expect(monthsFromTenorDays(90)).to.equal(3);
        expect(monthsFromTenorDays(200)).to.equal(7);
        expect(monthsFromTenorDays(300)).to.equal(10);
        expect(monthsFromTenorDays(1)).to.equal(1);
        expect(monthsFromTenorDays(15)).to.equal(1);
        expect(monthsFromTenorDays(46)).to.equal(2);
        expect(monthsFromTenorDays(undefined)).to.equal(6);
    });
});
