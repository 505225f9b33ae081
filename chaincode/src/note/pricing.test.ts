import { expect } from 'chai';
import fc from 'fast-check';
import { ChaincodeError } from '../errors';
import { DAY_COUNT_DENOMINATOR, discountInterest, divideHalfUp, priceDiscount, wholeDaysBetween } from './pricing';

describe('pricing', () => {
    describe('wholeDaysBetween', () => {
        it('counts calendar days in UTC, ignoring the time of day', () => {
            expect(wholeDaysBetween(new Date('2026-01-05T00:00:00Z'), new Date('2026-04-15T00:00:00Z'))).to.equal(100);
            expect(wholeDaysBetween(new Date('2026-01-05T23:59:59Z'), new Date('2026-04-15T00:00:00Z'))).to.equal(100);
            expect(wholeDaysBetween(new Date('2026-01-05T12:00:00Z'), new Date('2026-01-05T13:00:00Z'))).to.equal(0);
        });

        it('counts leap days and goes negative backwards', () => {
            expect(wholeDaysBetween(new Date('2028-02-28T00:00:00Z'), new Date('2028-03-01T00:00:00Z'))).to.equal(2);
            expect(wholeDaysBetween(new Date('2026-01-05T00:00:00Z'), new Date('2027-01-05T00:00:00Z'))).to.equal(365);
            expect(wholeDaysBetween(new Date('2026-01-06T00:00:00Z'), new Date('2026-01-05T00:00:00Z'))).to.equal(-1);
        });
    });

    describe('divideHalfUp', () => {
        it('rounds a remainder of exactly one half up and anything below down', () => {
            expect(divideHalfUp(5n, 2n)).to.equal(3n);
            expect(divideHalfUp(7n, 2n)).to.equal(4n);
            expect(divideHalfUp(49n, 100n)).to.equal(0n);
            expect(divideHalfUp(50n, 100n)).to.equal(1n);
            expect(divideHalfUp(0n, 7n)).to.equal(0n);
        });

        it('rejects negative numerators and non-positive denominators', () => {
            expect(() => divideHalfUp(-1n, 2n)).to.throw(RangeError);
            expect(() => divideHalfUp(1n, 0n)).to.throw(RangeError);
        });

        it('agrees with floor((2n + d) / 2d) for any operands', () => {
            fc.assert(
                fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
                    expect(divideHalfUp(n, d)).to.equal((2n * n + d) / (2n * d));
                }),
                { numRuns: 200 },
            );
        });
    });

    describe('discountInterest / priceDiscount (ACT/360, half-up)', () => {
        it('prices 1,000,000.00 CNY at 3.65 % for 90 days exactly', () => {
            // 100000000 × 365 × 90 / 3600000 = 3285000000000 / 3600000 = 912500 fen (9,125.00 CNY), no rounding.
            const priced = priceDiscount(100000000n, 365, 90);
            expect(priced).to.deep.equal({ face: 100000000n, rateBps: 365, days: 90, discount: 912500n, fee: 0n, price: 99087500n });
        });

        it('rounds a discount of exactly half a fen up', () => {
            // 100000050 × 360 × 100 / 3600000 = 3600001800000 / 3600000 = 1000000.5 fen → 1000001 (truncation gives 1000000).
            expect(discountInterest(100000050n, 360, 100)).to.equal(1000001n);
            expect(priceDiscount(100000050n, 360, 100).price).to.equal(99000049n);
        });

        it('rounds a discount below half a fen down', () => {
            // 100000049 × 360 × 100 / 3600000 = 3600001764000 / 3600000 = 1000000.49 fen → 1000000.
            expect(discountInterest(100000049n, 360, 100)).to.equal(1000000n);
        });

        it('subtracts the fee after rounding the interest', () => {
            // 100000000 × 365 × 100 / 3600000 = 1013888.88… → 1013889; price = 100000000 − 1013889 − 50000 = 98936111.
            const priced = priceDiscount(100000000n, 365, 100, 50000n);
            expect(priced.discount).to.equal(1013889n);
            expect(priced.price).to.equal(98936111n);
        });

        it('charges nothing at a zero rate and no fee', () => {
            expect(priceDiscount(12345n, 0, 30).price).to.equal(12345n);
        });

        it('refuses out-of-range rates, a due note, and terms that leave nothing to pay', () => {
            const codeOf = (f: () => unknown): string => {
                try {
                    f();
                } catch (error) {
                    return (error as ChaincodeError).code;
                }
                return 'none';
            };
            expect(codeOf(() => priceDiscount(100n, -1, 10))).to.equal('INVALID_ARGUMENT');
            expect(codeOf(() => priceDiscount(100n, 10001, 10))).to.equal('INVALID_ARGUMENT');
            expect(codeOf(() => priceDiscount(100n, 1.5, 10))).to.equal('INVALID_ARGUMENT');
            expect(codeOf(() => priceDiscount(100n, 100, 0))).to.equal('INVALID_ARGUMENT');
            expect(codeOf(() => priceDiscount(100n, 0, 10, 100n))).to.equal('INVALID_ARGUMENT');
            expect(codeOf(() => priceDiscount(100n, 10000, 366))).to.equal('INVALID_ARGUMENT');
        });

        it('keeps face = price + discount + fee, and a discount within half a minor unit of the exact value', () => {
            fc.assert(
                fc.property(
                    fc.bigInt({ min: 1n, max: 10n ** 15n }),
                    fc.integer({ min: 0, max: 2000 }),
                    fc.integer({ min: 1, max: 366 }),
                    fc.bigInt({ min: 0n, max: 1000n }),
                    (face, rateBps, days, fee) => {
                        const exact = face * BigInt(rateBps) * BigInt(days); // discount × DAY_COUNT_DENOMINATOR
                        let priced;
                        try {
                            priced = priceDiscount(face, rateBps, days, fee);
                        } catch (error) {
                            // Only refused when nothing would be left to pay.
                            expect((error as ChaincodeError).code).to.equal('INVALID_ARGUMENT');
                            expect(face - discountInterest(face, rateBps, days) - fee <= 0n).to.equal(true);
                            return;
                        }
                        expect(priced.price + priced.discount + priced.fee).to.equal(face);
                        const error = priced.discount * DAY_COUNT_DENOMINATOR - exact; // in units of 1/3600000 fen
                        expect(2n * error <= DAY_COUNT_DENOMINATOR && -2n * error < DAY_COUNT_DENOMINATOR).to.equal(true);
                    },
                ),
                { numRuns: 300 },
            );
        });

        it('never lowers the discount when the rate or the days grow', () => {
            fc.assert(
                fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 365 }), (face, rate, days) => {
                    expect(discountInterest(face, rate + 1, days) >= discountInterest(face, rate, days)).to.equal(true);
                    expect(discountInterest(face, rate, days + 1) >= discountInterest(face, rate, days)).to.equal(true);
                }),
                { numRuns: 200 },
            );
        });
    });
});
