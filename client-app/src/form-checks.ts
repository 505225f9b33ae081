import { REGISTRY_NUMBER_FORMATS, readRegistryNumber } from '../../chaincode/src/ip/registry-number';
import { type ExpiryLimit, maximumExpiryDate, registryYear } from '../../chaincode/src/ip/right-term';
import { maturityInstant } from '../../chaincode/src/ledger/expiry';
import { discountInterest, wholeDaysBetween } from '../../chaincode/src/note/pricing';
import { latestMaturityDate } from '../../chaincode/src/note/tenor';
import type { IpAsset } from './resources';
import { MAX_RATE_BPS, daysUntil, formatBps, formatMoney } from './format';

/**
 * Checks the forms run before anything is sent, so the user reads in words what the ledger would
 * refuse: dates in order and in the future, a maturity within the tenor cap, a loan-to-value cap in
 * range, a registry number in its office's format and a right's expiry within its statutory term.
 * Pure functions; the ledger stays the judge.
 */

/** A verdict: undefined when the value may be sent, else what to tell the user. */
export type Problem = string | undefined;

/**
 * A note's maturity: after today (the ledger's date) and, when the cap is known, no later than today
 * plus `maxTenorMonths` calendar months (the same day, or the last day of a shorter month: the
 * chaincode's note/tenor.ts latestMaturityDate).
 */
export function maturityProblem(maturityDate: string, now: Date, maxTenorMonths?: number): Problem {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(maturityDate)) {
        return 'Enter the maturity date.';
    }
    const days = daysUntil(maturityDate, now);
    if (days < 1) {
        return `The maturity date must be after today (${now.toISOString().slice(0, 10)}).`;
    }
    if (maxTenorMonths !== undefined) {
        const latest = latestMaturityDate(now, maxTenorMonths);
        if (maturityDate > latest) {
            return `The maturity date ${maturityDate} is too far away: the platform allows at most ${monthsText(maxTenorMonths)} (until ${latest}).`;
        }
    }
    return undefined;
}

/** A number of months in words: "1 month", "6 months". */
export function monthsText(months: number): string {
    return `${months} month${months === 1 ? '' : 's'}`;
}

/** An invoice's due date must come after its issue date. */
export function dueDateProblem(issueDate: string, dueDate: string): Problem {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(issueDate) || !/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) {
        return 'Enter the issue date and the due date.';
    }
    return dueDate > issueDate ? undefined : `The due date (${dueDate}) must be after the issue date (${issueDate}).`;
}

/** A date that must lie in the future (an expiry): after `now`'s date. `what` names it ("The expiry date"). */
export function futureDateProblem(date: string, now: Date, what: string): Problem {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        return `${what}: enter a date.`;
    }
    return daysUntil(date, now) >= 1 ? undefined : `${what} must be in the future (after ${now.toISOString().slice(0, 10)}).`;
}

/** The platform's limits of the loan-to-value cap the administrator may set, in basis points. */
export const MIN_LTV_BPS = 1;
export const MAX_LTV_BPS = 9000;

/** A loan-to-value cap within the range the parameters form states (above 0, at most 90 %). */
export function ltvCapProblem(bps: number): Problem {
    return bps >= MIN_LTV_BPS && bps <= MAX_LTV_BPS ? undefined : `The loan-to-value cap must be more than 0 % and at most ${formatBps(MAX_LTV_BPS)}.`;
}

/** What each kind of IP registry number is called in a sentence. */
const REGISTRY_NUMBER_NAMES: Readonly<Record<IpAsset['kind'], string>> = {
    PATENT: 'Patent',
    TRADEMARK: 'Trademark',
    SOFTWARE_COPYRIGHT: 'Software copyright',
    COPYRIGHT: 'Copyright',
};

/** Format hints per kind of IP registry number: the ledger's own statement of what it accepts (chaincode ip/registry-number.ts). */
export const REGISTRY_FORMATS: Readonly<Record<IpAsset['kind'], string>> = Object.fromEntries(
    (Object.keys(REGISTRY_NUMBER_NAMES) as IpAsset['kind'][]).map((kind) => [kind, `${REGISTRY_NUMBER_NAMES[kind]} number: ${REGISTRY_NUMBER_FORMATS[kind]}.`]),
) as Record<IpAsset['kind'], string>;

/**
 * What the ledger will record for a typed registry number on its date `now`: the spelling it shows
 * (`normalised`, with a note when that differs from what was typed), or a problem: what is wrong
 * with it, by the ledger's rules, and the kind's format. Spellings of one number (separators,
 * full-width characters) are one right to the ledger; a number whose year (a patent's filing year,
 * a software copyright's registration year) lies after the ledger's year is refused, as the ledger
 * refuses it (chaincode ip/ip-asset.ts parseIpAssetRequest).
 */
export function checkRegistryNumber(kind: IpAsset['kind'], typed: string, now: Date): { normalised: string; note?: string } | { problem: string } {
    const text = typed.trim();
    if (text === '') {
        return { problem: 'Enter the registry number.' };
    }
    const reading = readRegistryNumber(kind, text);
    const name = REGISTRY_NUMBER_NAMES[kind].toLowerCase();
    if ('problem' in reading) {
        const problem = reading.problem.charAt(0).toUpperCase() + reading.problem.slice(1);
        return { problem: `"${text}" is not a valid ${name} number. ${problem}. ${REGISTRY_FORMATS[kind]}` };
    }
    const parsed = reading.number;
    const year = registryYear(kind, parsed.key);
    const today = now.toISOString().slice(0, 10);
    if (year !== undefined && year > now.getUTCFullYear()) {
        return { problem: `"${text}" is not a valid ${name} number. Its year ${year} lies after today (${today}), and an office numbers a right in the year it receives it.` };
    }
    return parsed.display === text ? { normalised: parsed.display } : { normalised: parsed.display, note: `It is recorded as ${parsed.display}.` };
}

/**
 * The latest expiry date the law allows a right of `kind` numbered `typed`, declared on the ledger's
 * date `now` (chaincode ip/right-term.ts maximumExpiryDate, the ledger's own rule), or undefined
 * when the number is not valid or gives no limit (a works copyright).
 */
export function expiryLimitOf(kind: IpAsset['kind'], typed: string, now: Date): ExpiryLimit | undefined {
    const reading = readRegistryNumber(kind, typed.trim());
    return 'problem' in reading ? undefined : maximumExpiryDate(kind, reading.number.key, now.toISOString().slice(0, 10));
}

/**
 * A right's declared expiry date the ledger would refuse on its date `now`: not after today, or
 * after the latest the law allows the right numbered `typed` (expiryLimitOf), with the rule.
 */
export function rightExpiryProblem(kind: IpAsset['kind'], typed: string, expiryDate: string, now: Date): Problem {
    const future = futureDateProblem(expiryDate, now, 'The expiry date of the right');
    if (future) {
        return future;
    }
    const limit = expiryLimitOf(kind, typed, now);
    return limit && expiryDate > limit.latest ? `The expiry date ${expiryDate} lies after ${limit.latest}, the latest this right can be in force: ${limit.rule}.` : undefined;
}

/** The most a pledge may secure on a valuation of `amount` under a cap of `maxLtvBps` (rounded down), minor units. */
export function maxSecured(amount: string, maxLtvBps: number): string {
    return ((BigInt(amount) * BigInt(maxLtvBps)) / 10_000n).toString();
}

/** A secured amount above the cap of an asset's valuation (same currency), or undefined. */
export function securedProblem(secured: string, valuation: { amount: string; currency: string }, maxLtvBps: number): Problem {
    const most = maxSecured(valuation.amount, maxLtvBps);
    return BigInt(secured) <= BigInt(most) ? undefined : `At most ${formatMoney(most, valuation.currency)} can be secured: ${formatBps(maxLtvBps)} of the valuation ${formatMoney(valuation.amount, valuation.currency)}, less what active pledges already secure.`;
}

/**
 * A discount quote the ledger would refuse (chaincode note/pricing.ts priceDiscount): a rate above
 * 100 % p.a., a note due today or earlier, or interest plus fee that leave nothing of the face to
 * pay. The interest is the ledger's (ACT/360, half-up) for the whole days from `today` (the
 * ledger's date) to maturity, so the check and the ledger agree. Amounts are minor units.
 */
export function quoteProblem(quote: { face: string; currency: string; maturityDate: string; rateBps: number; fee: string }, today: Date): Problem {
    if (quote.rateBps > MAX_RATE_BPS) {
        return `A rate can be at most ${formatBps(MAX_RATE_BPS)} per year.`;
    }
    const days = wholeDaysBetween(today, maturityInstant(quote));
    if (days < 1) {
        return `The note matures on ${quote.maturityDate}: it can no longer be discounted.`;
    }
    const face = BigInt(quote.face);
    const interest = discountInterest(face, quote.rateBps, days);
    const fee = BigInt(quote.fee);
    if (interest + fee >= face) {
        const money = (minor: bigint): string => formatMoney(minor, quote.currency);
        return `At ${formatBps(quote.rateBps)} for ${days} day${days === 1 ? '' : 's'} the interest (${money(interest)}) plus the fee (${money(fee)}) come to ${money(interest + fee)}, which leaves nothing of the note's ${money(face)} to pay. Lower the fee or the rate.`;
    }
    return undefined;
}
