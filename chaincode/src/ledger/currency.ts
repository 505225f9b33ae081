/**
 * ISO 4217 active currency codes with their minor-unit exponent. Amounts are integers of minor
 * units, so the exponent is what a client needs to display them; it never enters arithmetic here.
 */
const EXPONENTS: Readonly<Record<string, number>> = Object.freeze(
    Object.fromEntries(
        [
            // exponent 2 unless listed below
            ...'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP CRC CUP CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG'
                .split(' ')
                .map((code) => [code, 2] as const),
            ...'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF'.split(' ').map((code) => [code, 0] as const),
            ...'BHD IQD JOD KWD LYD OMR TND'.split(' ').map((code) => [code, 3] as const),
        ].sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
);

/** True for an active ISO 4217 code. */
export function isCurrency(code: string): boolean {
    return Object.prototype.hasOwnProperty.call(EXPONENTS, code);
}

/** Minor-unit exponent of a currency (2 for CNY: 1 yuan = 100 fen). */
export function currencyExponent(code: string): number {
    const exponent = EXPONENTS[code];
    if (exponent === undefined) {
        throw new Error(`unknown currency ${code}`);
    }
    return exponent;
}
