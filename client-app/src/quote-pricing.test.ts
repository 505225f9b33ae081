import { expect } from 'chai';
import { bestPriced, isFinal, maturedProblem, priceQuoteAt, QuotePrice, rankByPrice } from './quote-pricing';

describe('quote pricing by the ledger’s date', () => {
    // The demo note: CNY 255,000.00 maturing 90 days after 2026-03-10, quoted at 3.90 % p.a. with a CNY 50.00 fee.
    const quoted = { face: '25500000', currency: 'CNY', maturityDate: '2026-06-08', rateBps: 390, fee: '5000' };
    const quotedOn = new Date('2026-03-10T08:00:00Z');
    const thirtyDaysLater = new Date('2026-04-09T15:30:00Z');

    it('prices a quote for the days left on the given day, as the ledger does at acceptance', () => {
        expect(priceQuoteAt(quoted, quotedOn)).to.deep.equal({ acceptable: true, asOf: '2026-03-10', days: 90, discount: '248625', fee: '5000', price: '25246375' });
        // 30 days on, 60 days are left: the ledger's final terms of that acceptance say days 60, price 25,329,250.
        expect(priceQuoteAt(quoted, thirtyDaysLater)).to.deep.equal({ acceptable: true, asOf: '2026-04-09', days: 60, discount: '165750', fee: '5000', price: '25329250' });
    });

    it('agrees with the worked example of docs/notes-pricing.md (quoted 2026-01-05, accepted 2026-01-23)', () => {
        const terms = { face: '100000050', currency: 'CNY', maturityDate: '2026-04-15', rateBps: 300, fee: '0' };
        expect(priceQuoteAt(terms, new Date('2026-01-05T09:00:00Z'))).to.include({ days: 100, discount: '833334', price: '99166716' });
        expect(priceQuoteAt(terms, new Date('2026-01-23T23:59:59Z'))).to.include({ days: 82, discount: '683334', price: '99316716' });
    });

    it('counts whole UTC days: the last day before maturity is one day, maturity itself none', () => {
        expect(priceQuoteAt(quoted, new Date('2026-06-07T23:59:59.999Z'))).to.include({ acceptable: true, days: 1 });
        const atMaturity = priceQuoteAt(quoted, new Date('2026-06-08T00:00:00.000Z'));
        expect(atMaturity).to.deep.equal({ acceptable: false, asOf: '2026-06-08', reason: 'matured', problem: 'The note matured on 2026-06-08: it can no longer be discounted, only redeemed.' });
        expect(priceQuoteAt(quoted, new Date('2026-12-25T10:00:00Z'))).to.include({ acceptable: false, reason: 'matured' });
        expect(maturedProblem('2026-06-08', new Date('2026-06-07T23:59:59.999Z'))).to.equal(undefined);
        expect(maturedProblem('2026-06-08', new Date('2026-06-08T00:00:00.000Z'))).to.contain('matured on 2026-06-08');
    });

    it('says in words, without the ledger’s code, when the ledger could not price a quote', () => {
        const priced = priceQuoteAt({ ...quoted, fee: '25500000' }, quotedOn);
        expect(priced).to.include({ acceptable: false, reason: 'unpriceable' });
        const problem = (priced as Extract<QuotePrice, { acceptable: false }>).problem;
        expect(problem).to.contain('leave nothing of the face 25500000 to pay');
        expect(problem).to.not.contain('[INVALID_ARGUMENT]');
    });

    describe('bestPriced', () => {
        // 4 % without a fee against 3.9 % with a CNY 50.00 fee: the ranking turns as maturity nears.
        const quotes = [
            { name: '3.9 % + fee', terms: quoted },
            { name: '4 %', terms: { ...quoted, rateBps: 400, fee: '0' } },
        ];
        const bestOn = (now: Date): string | undefined => bestPriced(quotes, (q) => priceQuoteAt(q.terms, now))?.name;

        it('ranks on the price of the day, not the price when quoted', () => {
            // 90 days: 25,246,375 against 25,245,000.
            expect(bestOn(quotedOn)).to.equal('3.9 % + fee');
            // 60 days: 25,329,250 against 25,330,000.
            expect(bestOn(thirtyDaysLater)).to.equal('4 %');
        });

        it('names no best price once nothing can be accepted, and skips what cannot be priced', () => {
            expect(bestOn(new Date('2026-06-08T00:00:00Z'))).to.equal(undefined);
            expect(bestPriced(quotes, () => undefined)).to.equal(undefined);
            const unpriceable = [{ name: 'no price', terms: { ...quoted, fee: '99999999' } }, ...quotes];
            expect(bestPriced(unpriceable, (q) => priceQuoteAt(q.terms, quotedOn))?.name).to.equal('3.9 % + fee');
        });

        it('keeps the first of equal prices', () => {
            const twins = [
                { name: 'first', terms: quoted },
                { name: 'second', terms: quoted },
            ];
            expect(bestPriced(twins, (q) => priceQuoteAt(q.terms, quotedOn))?.name).to.equal('first');
        });
    });

    describe('rankByPrice', () => {
        // As the gateway lists them (by quote id): the worse deal first.
        const listed = [
            { id: 'Q-1', createdAt: '2026-03-10T09:00:00Z', name: '4.5 %', terms: { ...quoted, rateBps: 450, fee: '0' } },
            { id: 'Q-2', createdAt: '2026-03-10T10:00:00Z', name: 'matured', terms: { ...quoted, maturityDate: '2026-03-10' } },
            { id: 'Q-3', createdAt: '2026-03-10T11:00:00Z', name: '3.9 % + fee', terms: quoted },
            { id: 'Q-4', createdAt: '2026-03-10T12:00:00Z', name: 'no terms', terms: undefined },
            { id: 'Q-5', createdAt: '2026-03-10T08:00:00Z', name: '4 %', terms: { ...quoted, rateBps: 400, fee: '0' } },
        ];
        const rankOn = (now: Date, items = listed): string[] =>
            rankByPrice(
                items,
                (q) => (q.terms ? priceQuoteAt(q.terms, now) : undefined),
                (q) => q,
            ).map((q) => q.name);

        it('puts the quote that pays the most today first, the rest by what they pay, those that pay nothing today last', () => {
            // 90 days: 3.9 % + fee pays 25,246,375, 4 % 25,245,000, 4.5 % 25,213,125.
            expect(rankOn(quotedOn)).to.deep.equal(['3.9 % + fee', '4 %', '4.5 %', 'matured', 'no terms']);
            // 60 days: 4 % without a fee now pays more than 3.9 % with it.
            expect(rankOn(thirtyDaysLater).slice(0, 3)).to.deep.equal(['4 %', '3.9 % + fee', '4.5 %']);
        });

        it('puts the earlier of equal quotes first, then the lower id', () => {
            const twins = [
                { id: 'Q-9', createdAt: '2026-03-10T11:00:00Z', name: 'later', terms: quoted },
                { id: 'Q-8', createdAt: '2026-03-10T09:00:00Z', name: 'earlier', terms: quoted },
                { id: 'Q-7', createdAt: '2026-03-10T11:00:00Z', name: 'later, lower id', terms: quoted },
            ];
            expect(rankOn(quotedOn, twins)).to.deep.equal(['earlier', 'later, lower id', 'later']);
        });

        it('agrees with bestPriced on the best, and leaves the list it was given as it was', () => {
            const ranked = rankByPrice(
                listed,
                (q) => (q.terms ? priceQuoteAt(q.terms, thirtyDaysLater) : undefined),
                (q) => q,
            );
            expect(bestPriced(ranked, (q) => (q.terms ? priceQuoteAt(q.terms, thirtyDaysLater) : undefined))).to.equal(ranked[0]);
            expect(listed.map((q) => q.id)).to.deep.equal(['Q-1', 'Q-2', 'Q-3', 'Q-4', 'Q-5']);
        });
    });

    it('tells the final terms of an accepted quote from the quoted ones', () => {
        expect(isFinal({ fundedAt: '2026-04-09T15:30:00.000Z' })).to.equal(true);
        expect(isFinal({})).to.equal(false);
        expect(isFinal(undefined)).to.equal(false);
    });
});
