import { ChaincodeError } from '../../chaincode/src/errors';
import { maturityInstant } from '../../chaincode/src/ledger/expiry';
import { priceDiscount, wholeDaysBetween } from '../../chaincode/src/note/pricing';
import type { FinancingTerms } from './resources';

/**
 * What a discount quote pays on a given day. A quote fixes its rate and its fee; the price it
 * showed when it was made is indicative: accepting it, the ledger prices the discount again, at
 * the quoted rate and fee, for the whole days from the acceptance's date to maturity (chaincode
 * note/discount.ts acceptQuote, docs/notes-pricing.md). These figures are that pricing, by the
 * chaincode's own `priceDiscount`, for the ledger's date the app knows (`ctx.now()`), so the page
 * shows what accepting today pays. Pure functions; amounts are minor units.
 */

/** The terms a price depends on: what a quote fixed and the note's maturity. */
export type QuotedTerms = Pick<FinancingTerms, 'face' | 'rateBps' | 'fee' | 'maturityDate' | 'currency'>;

/** A quote priced on one day: acceptable, with its figures, or not, with why. */
export type QuotePrice =
    | { acceptable: true; asOf: string; days: number; discount: string; fee: string; price: string }
    | { acceptable: false; asOf: string; reason: 'matured' | 'unpriceable'; problem: string };

/**
 * Why a note maturing on `maturityDate` can no longer be discounted at `now` (the ledger's time):
 * from 00:00 UTC of that date on it can only be redeemed (chaincode note.ts requireNotDue); else undefined.
 */
export function maturedProblem(maturityDate: string, now: Date): string | undefined {
    return now.getTime() >= maturityInstant({ maturityDate }).getTime() ? `The note matured on ${maturityDate}: it can no longer be discounted, only redeemed.` : undefined;
}

/**
 * The quote's figures if it were accepted on `now`'s date (the ledger's time): the days left to
 * maturity, the interest, the fee and the price. A note at or past maturity is not discounted any
 * more (the ledger answers "matured… can only be redeemed"); terms the ledger could not price say so.
 */
export function priceQuoteAt(terms: QuotedTerms, now: Date): QuotePrice {
    const asOf = now.toISOString().slice(0, 10);
    const matured = maturedProblem(terms.maturityDate, now);
    if (matured) {
        return { acceptable: false, asOf, reason: 'matured', problem: matured };
    }
    const days = wholeDaysBetween(now, maturityInstant(terms));
    try {
        const priced = priceDiscount(BigInt(terms.face), terms.rateBps, days, BigInt(terms.fee));
        return { acceptable: true, asOf, days: priced.days, discount: priced.discount.toString(), fee: priced.fee.toString(), price: priced.price.toString() };
    } catch (error) {
        return { acceptable: false, asOf, reason: 'unpriceable', problem: `The ledger would not price this quote today: ${error instanceof ChaincodeError ? error.detail : String(error)}.` };
    }
}

/**
 * The item whose quote pays the most today, among those acceptable today (the first of equals);
 * undefined when none is. `priceOf` gives an item's price of today, or undefined.
 */
export function bestPriced<T>(items: readonly T[], priceOf: (item: T) => QuotePrice | undefined): T | undefined {
    let best: { item: T; price: bigint } | undefined;
    for (const item of items) {
        const priced = priceOf(item);
        if (priced?.acceptable && (best === undefined || BigInt(priced.price) > best.price)) {
            best = { item, price: BigInt(priced.price) };
        }
    }
    return best?.item;
}

/**
 * Whether terms read after an acceptance are the final ones the ledger priced at funding (they
 * carry `fundedAt`), rather than the quote's own.
 */
export function isFinal(terms: Pick<FinancingTerms, 'fundedAt'> | undefined): terms is FinancingTerms & { fundedAt: string } {
    return typeof terms?.fundedAt === 'string' && terms.fundedAt !== '';
}
