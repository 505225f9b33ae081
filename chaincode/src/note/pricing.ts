import { fail } from '../errors';

/**
 * Discount pricing (贴现定价), pure bigint arithmetic, documented in docs/notes-pricing.md.
 *
 *   days     = whole calendar days (UTC) from the funding date to the maturity date: the date of the
 *              AcceptQuote transaction for the final price, of the quote's own transaction for the
 *              indicative price a quote shows
 *   discount = face × rateBps × days / (360 × 10 000)      ACT/360, rate in basis points per year
 *              rounded HALF-UP to the minor unit: exact quotient q, remainder r of the division by
 *              3 600 000; discount = q + 1 when 2r ≥ 3 600 000, else q. Every operand is a
 *              non-negative integer, so half-up is unambiguous and no floating point is involved.
 *   price    = face − discount − fee                       what the financier pays the holder
 *
 * Half-up (rather than truncation or banker's rounding) is what Chinese bank discount statements
 * use, and it never makes the holder's price depend on the evaluation order of the operands.
 */

/** ACT/360 with rates in basis points: 360 days × 10 000 bps. */
export const DAY_COUNT_DENOMINATOR = 360n * 10_000n;

/** Highest annual rate a quote may carry: 100 % p.a. */
export const MAX_RATE_BPS = 10_000;

const MS_PER_DAY = 86_400_000;

/** The whole calendar days (UTC) from `from`'s date to `to`'s date; negative when `to` is earlier. */
export function wholeDaysBetween(from: Date, to: Date): number {
    const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
    return Math.round((end - start) / MS_PER_DAY);
}

/** `numerator / denominator` rounded half-up, for numerator ≥ 0 and denominator > 0. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
    if (numerator < 0n || denominator <= 0n) {
        throw new RangeError('divideHalfUp takes a non-negative numerator and a positive denominator');
    }
    const quotient = numerator / denominator;
    const remainder = numerator % denominator;
    return 2n * remainder >= denominator ? quotient + 1n : quotient;
}

/** The interest withheld on `face` at `rateBps` for `days` (ACT/360), rounded half-up to the minor unit. */
export function discountInterest(face: bigint, rateBps: number, days: number): bigint {
    if (face < 0n || !Number.isInteger(rateBps) || rateBps < 0 || !Number.isInteger(days) || days < 0) {
        throw new RangeError('discountInterest takes a non-negative face, an integer rate and an integer day count');
    }
    return divideHalfUp(face * BigInt(rateBps) * BigInt(days), DAY_COUNT_DENOMINATOR);
}

/** The result of pricing a discount; all amounts in minor units. */
export interface DiscountPrice {
    face: bigint;
    rateBps: number;
    days: number;
    discount: bigint;
    fee: bigint;
    price: bigint;
}

/**
 * Prices a discount: price = face − discount − fee.
 * Throws INVALID_ARGUMENT when the rate is out of range, the note is due (days < 1) or the
 * discount and fee would leave nothing to pay.
 */
export function priceDiscount(face: bigint, rateBps: number, days: number, fee = 0n): DiscountPrice {
    if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > MAX_RATE_BPS) {
        throw fail.invalid(`rateBps must be an integer between 0 and ${MAX_RATE_BPS}`);
    }
    if (!Number.isInteger(days) || days < 1) {
        throw fail.invalid('a note can only be discounted at least one day before maturity');
    }
    if (face <= 0n || fee < 0n) {
        throw fail.invalid('face must be positive and the fee not negative');
    }
    const discount = discountInterest(face, rateBps, days);
    const price = face - discount - fee;
    if (price <= 0n) {
        throw fail.invalid(`discount ${discount} plus fee ${fee} leave nothing of the face ${face} to pay`);
    }
    return { face, rateBps, days, discount, fee, price };
}
