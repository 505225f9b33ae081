import type { IpKind } from './ip-asset';

/**
 * The latest expiry date the law allows for a right, derived from its registry key and the
 * transaction's date, so that an owner cannot declare a patent filed in 2023 in force until
 * 9999-12-31 and pledge it for as long. Pure and deterministic (no clock, no runtime imports): the
 * client app may bundle it.
 *
 * The limits (docs/ip-pledges.md, "Expiry date"):
 * - PATENT, from the year in the application number (the filing year, or later for a divisional
 *   or PCT national-phase number, whose term counts from an earlier date — so an upper bound):
 *   - invention (type digit 1, PCT 8): 20 years from filing (Patent Law art. 42), ending at the
 *     latest on 31 December of year + 20; plus the compensation for unreasonable delay in the
 *     grant (art. 42 ¶2, grants from 2021-06-01), which has no statutory maximum but cannot exceed
 *     the time from four years after filing to the grant (on or before today, and before the 20
 *     years end); plus the compensation for a new drug's approval (art. 42 ¶3): at most 5 years,
 *     and the term ends at most 14 years after the approval (on or before today);
 *   - utility model (2, PCT 9): 10 years, so 31 December of year + 10;
 *   - design (3): 15 years for applications filed from 1 June 2021, 10 before; the number gives
 *     only the year, so 15 years for 2021 and later, 10 before;
 * - TRADEMARK: a registration lasts 10 years from its approval and each renewal 10 years from the
 *   end of the last term, a renewal being filed at most 12 months before that end (Trademark Law
 *   arts. 39–40): so at most 11 years from today;
 * - SOFTWARE_COPYRIGHT of a legal person: 50 years, ending on 31 December of the 50th year after
 *   first publication (Regulations on Computer Software Protection art. 14); bounded by 31 December
 *   of the registration year (in the number) + 50;
 * - COPYRIGHT: none — a works registration number carries no date the term could count from.
 */

/** The latest expiry date a right may declare, and the rule that gives it, for a refusal. */
export interface ExpiryLimit {
    /** YYYY-MM-DD: the last day the right can be in force. */
    latest: string;
    /** Why, in words: "an invention patent filed in 2023: …". */
    rule: string;
}

/** Years of compensation for a new drug's approval a patent term may receive at most (Patent Law art. 42 ¶3). */
export const NEW_DRUG_EXTENSION_YEARS = 5;
/** Years a patent term extended for a new drug may run after the drug's approval at most (Patent Law art. 42 ¶3). */
export const NEW_DRUG_TOTAL_YEARS = 14;
/** The first grant date compensation for a delayed grant applies to (the Patent Law as amended in 2020, in force from this day). */
export const DELAY_COMPENSATION_FROM = '2021-06-01';
/** How many years from today a trademark registration may run at most: one renewed up to 12 months before its term ends. */
export const TRADEMARK_HORIZON_YEARS = 11;

const DAY_MS = 86_400_000;

function utc(date: string): number {
    return Date.parse(`${date}T00:00:00.000Z`);
}

function isoDate(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

/** `date` moved by whole years (29 February onto 28 February when the target year has none). */
function addYears(date: string, years: number): string {
    const [y, m, d] = date.split('-').map(Number);
    const target = y + years;
    const last = new Date(Date.UTC(target, m, 0)).getUTCDate();
    return `${String(target).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function minDate(a: string, b: string): string {
    return a < b ? a : b;
}

/** The year a patent key's application number names: 4 digits, or 2 for an 8-digit number (85–99 → 19xx, 00–03 → 20xx). */
export function patentYear(key: string): number | undefined {
    const digits = key.split('.')[0];
    if (/^[0-9]{12}$/.test(digits)) {
        return Number(digits.slice(0, 4));
    }
    if (/^[0-9]{8}$/.test(digits)) {
        const yy = Number(digits.slice(0, 2));
        return yy >= 85 ? 1900 + yy : 2000 + yy;
    }
    return undefined;
}

/** The patent type digit of a patent key (the fifth digit, the third of an 8-digit number). */
function patentType(key: string): string | undefined {
    const digits = key.split('.')[0];
    return digits.length === 12 ? digits[4] : digits.length === 8 ? digits[2] : undefined;
}

/** The year a key's registry number names, if its kind has one: a patent's filing year, a software copyright's registration year. */
export function registryYear(kind: IpKind, key: string): number | undefined {
    if (kind === 'PATENT') {
        return patentYear(key);
    }
    if (kind === 'SOFTWARE_COPYRIGHT') {
        const match = /^([0-9]{4})SR/.exec(key);
        return match ? Number(match[1]) : undefined;
    }
    return undefined;
}

/**
 * An invention patent filed in `year`, as declared on `today`: 20 years from filing (to 31 December
 * of year + 20 at the latest); plus the compensation for a delayed grant, which applies to grants
 * from 2021-06-01 and is at most the time from four years after filing to the grant — the grant
 * lies on or before today and before the 20 years end; plus at most 5 years for a new drug's
 * approval, the term then ending at most 14 years after the approval, itself on or before today.
 */
function inventionLimit(year: number, today: string): ExpiryLimit {
    const term = `${year + 20}-12-31`;
    const grantBy = today < term ? today : term;
    const delayFrom = `${year + 4}-01-01`;
    const delayDays = grantBy >= DELAY_COMPENSATION_FROM ? Math.max(0, Math.round((utc(grantBy) - utc(delayFrom)) / DAY_MS)) : 0;
    const compensated = isoDate(utc(term) + delayDays * DAY_MS);
    const drugTerm = minDate(addYears(compensated, NEW_DRUG_EXTENSION_YEARS), addYears(today, NEW_DRUG_TOTAL_YEARS));
    const latest = drugTerm > compensated ? drugTerm : compensated;
    return {
        latest,
        rule:
            `an invention patent filed in ${year} is in force for 20 years from filing, so until ${term} at the latest; ` +
            (delayDays > 0
                ? `compensation for a delayed grant adds at most ${delayDays} days (from ${delayFrom}, 4 years after filing, to a grant on or before ${grantBy}); `
                : grantBy < DELAY_COMPENSATION_FROM
                  ? `no compensation for a delayed grant applies (its 20 years ended before ${DELAY_COMPENSATION_FROM}, when such compensation began); `
                  : `no compensation for a delayed grant can apply yet (it needs a grant more than 4 years after filing, after ${delayFrom}); `) +
            `compensation for a new drug's approval adds at most ${NEW_DRUG_EXTENSION_YEARS} years and ends at most ${NEW_DRUG_TOTAL_YEARS} years after the approval, ` +
            `so no later than ${addYears(today, NEW_DRUG_TOTAL_YEARS)} (Patent Law art. 42)`,
    };
}

/**
 * The latest expiry date the law allows a right of `kind` with registry `key` (as readRegistryNumber
 * gives it) declared on `today` (YYYY-MM-DD, the transaction's date), or undefined when the law
 * gives none the ledger can compute (COPYRIGHT, or a key of another shape).
 */
export function maximumExpiryDate(kind: IpKind, key: string, today: string): ExpiryLimit | undefined {
    switch (kind) {
        case 'PATENT': {
            const year = patentYear(key);
            const type = patentType(key);
            if (year === undefined || type === undefined) {
                return undefined;
            }
            if (type === '1' || type === '8') {
                return inventionLimit(year, today);
            }
            if (type === '2' || type === '9') {
                return { latest: `${year + 10}-12-31`, rule: `a utility model patent filed in ${year} is in force for 10 years from filing (Patent Law art. 42)` };
            }
            const years = year >= 2021 ? 15 : 10;
            return {
                latest: `${year + years}-12-31`,
                rule: `a design patent filed in ${year} is in force for ${years} years from filing (Patent Law art. 42: 15 years for applications from 2021-06-01, 10 before)`,
            };
        }
        case 'TRADEMARK':
            return {
                latest: addYears(today, TRADEMARK_HORIZON_YEARS),
                rule: `a trademark registration lasts 10 years, and a renewal, filed at most 12 months before the term ends, 10 years more (Trademark Law arts. 39–40), so at most ${TRADEMARK_HORIZON_YEARS} years from ${today}`,
            };
        case 'SOFTWARE_COPYRIGHT': {
            const year = registryYear(kind, key);
            if (year === undefined) {
                return undefined;
            }
            return {
                latest: `${year + 50}-12-31`,
                rule: `a software copyright of a legal person registered in ${year} lasts until 31 December of the 50th year after first publication (Regulations on Computer Software Protection art. 14), bounded by the registration year`,
            };
        }
        default:
            return undefined;
    }
}

/** The last day a recorded right can be in force, and why. */
export interface InForceUntil {
    /** YYYY-MM-DD: the earlier of the declared expiry date and the statutory maximum. */
    date: string;
    /** The statutory limit, when it is earlier than the declared expiry date (a record from before the bound). */
    limit?: ExpiryLimit;
}

/**
 * The last day a right recorded with `expiryDate` under registry key `key` (the record's key, also
 * one an older ledger wrote: the limits read only its year and type digit) can be in force, judged
 * on `today` (the transaction's date): the declared date, or the statutory maximum
 * (maximumExpiryDate) when that is earlier. Registration has refused a later date since the bound
 * was introduced, so only a record from before it, declaring say 9999-12-31, is cut back. The
 * maximum is taken as of `today`, not of the registration: it never falls as time passes, so a
 * record is held to what a registration of the right today could declare, no less.
 */
export function inForceUntil(kind: IpKind, key: string, expiryDate: string, today: string): InForceUntil {
    const limit = maximumExpiryDate(kind, key, today);
    return limit && limit.latest < expiryDate ? { date: limit.latest, limit } : { date: expiryDate };
}
