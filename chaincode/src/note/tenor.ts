/**
 * The tenor cap of credit notes in calendar months, as pure date arithmetic on ISO calendar dates
 * (YYYY-MM-DD, UTC). The chaincode applies it at the transaction's date; the client app bundles this
 * file and shows the same latest maturity before anything is sent. No imports, no clock.
 */

/** Tenor cap by default: 6 calendar months. */
export const DEFAULT_MAX_TENOR_MONTHS = 6;
/** Tenor cap no parameter may exceed: 12 calendar months. */
export const HARD_MAX_TENOR_MONTHS = 12;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1..12) of `year` (proleptic Gregorian). */
export function daysInMonth(year: number, month: number): number {
    return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number, width: number): string {
    return String(value).padStart(width, '0');
}

/**
 * The calendar date `months` (a whole number ≥ 0) after `date` (YYYY-MM-DD): same day of the month,
 * or the target month's last day when it has no such day (2026-01-31 + 1 → 2026-02-28,
 * 2028-01-31 + 1 → 2028-02-29, 2026-08-31 + 6 → 2027-02-28). Throws RangeError on a malformed
 * date or month count (a programming error: callers pass validated values).
 */
export function addCalendarMonths(date: string, months: number): string {
    const match = ISO_DATE.exec(date);
    if (!match || !Number.isSafeInteger(months) || months < 0) {
        throw new RangeError(`addCalendarMonths needs a YYYY-MM-DD date and a whole number of months ≥ 0 (got ${date}, ${months})`);
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
        throw new RangeError(`${date} is not a calendar date`);
    }
    const index = year * 12 + (month - 1) + months;
    const targetYear = Math.floor(index / 12);
    const targetMonth = (index % 12) + 1;
    if (targetYear > 9999) {
        throw new RangeError(`${date} plus ${months} months is past the year 9999`);
    }
    return `${pad(targetYear, 4)}-${pad(targetMonth, 2)}-${pad(Math.min(day, daysInMonth(targetYear, targetMonth)), 2)}`;
}

/** The UTC calendar date of an instant, as YYYY-MM-DD. */
export function utcCalendarDate(instant: Date): string {
    return instant.toISOString().slice(0, 10);
}

/**
 * The latest maturity date a note issued at `issuedAt` (the transaction's timestamp; its UTC date
 * is the issue date) may have under a cap of `maxTenorMonths` calendar months.
 */
export function latestMaturityDate(issuedAt: Date, maxTenorMonths: number): string {
    return addCalendarMonths(utcCalendarDate(issuedAt), maxTenorMonths);
}

/** Average days of a calendar month (365.25 / 12), to read a cap kept in days. */
const DAYS_PER_MONTH = 365.25 / 12;

/**
 * The cap in months that stands for a cap kept in days by ledgers written before caps were months
 * (`maxTenorDays`): the nearest whole month (days / 30.4375, rounded), within 1..12. The two values
 * those ledgers were most likely to hold map exactly: 183 (their default) → 6, 366 (their maximum) → 12;
 * e.g. 90 → 3, 200 → 7, 300 → 10, 1 → 1. A missing value or one that is not a number gives the default.
 */
export function monthsFromTenorDays(days: number | undefined): number {
    if (typeof days !== 'number' || !Number.isFinite(days)) {
        return DEFAULT_MAX_TENOR_MONTHS;
    }
    return Math.min(HARD_MAX_TENOR_MONTHS, Math.max(1, Math.round(days / DAYS_PER_MONTH)));
}
