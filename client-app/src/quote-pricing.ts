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

/** What ranks a quote among equals: when it was made and its id (DiscountQuote's createdAt and id). */
export type QuoteIdentity = { readonly createdAt: string; readonly id: string };

/**
 * Items best first for the holder: those acceptable today by what they pay today, the highest
 * first (the lowest cost of discounting: every quote of a request is for the same note, so the
 * most received is the least given away); after them those that cannot be accepted today, cannot
 * be priced or whose terms could not be read. Equal prices go to the earlier quote, then by id: a
 * quote has no expiry of its own (every quote of a request ends with the note's maturity).
 * `priceOf` gives an item's price of today, or undefined; `quoteOf` its quote.
 */
export function rankByPrice<T>(items: readonly T[], priceOf: (item: T) => QuotePrice | undefined, quoteOf: (item: T) => QuoteIdentity): T[] {
    const proceeds = (item: T): bigint | undefined => {
        const priced = priceOf(item);
        return priced?.acceptable ? BigInt(priced.price) : undefined;
    };
    return items
        .map((item) => ({ item, price: proceeds(item), quote: quoteOf(item) }))
        .sort((a, b) => {
            if (a.price !== b.price) {
                if (a.price === undefined || b.price === undefined) {
                    return a.price === undefined ? 1 : -1;
                }
                return a.price > b.price ? -1 : 1;
            }
            if (a.quote.createdAt !== b.quote.createdAt) {
                return a.quote.createdAt < b.quote.createdAt ? -1 : 1;
            }
            return a.quote.id < b.quote.id ? -1 : a.quote.id > b.quote.id ? 1 : 0;
        })
        .map((entry) => entry.item);
}

/**
 * Whether terms read after an acceptance are the final ones the ledger priced at funding (they
 * carry `fundedAt`), rather than the quote's own.
 */
export function isFinal(terms: Pick<FinancingTerms, 'fundedAt'> | undefined): terms is FinancingTerms & { fundedAt: string } {
    return typeof terms?.fundedAt === 'string' && terms.fundedAt !== '';
}
