import { currencyExponent, isCurrency } from '../../chaincode/src/ledger/currency';
import { expiryTime } from '../../chaincode/src/ledger/expiry';
import { h } from './dom';

/**
 * Display formatting. Amounts travel as decimal strings of integer minor units; they are turned
 * into text with string and BigInt arithmetic only, never through a float.
 */

const DIGITS = /^-?\d+$/;

/** The largest amount the ledger accepts, in minor units (chaincode ledger/input.ts MAX_AMOUNT). */
export const MAX_AMOUNT_MINOR = 10n ** 18n;

/** The highest rate the ledger accepts in a quote, in basis points: 100 % (chaincode note/pricing.ts MAX_RATE_BPS). */
export const MAX_RATE_BPS = 10_000;

/** The minor-unit exponent of a currency, 2 when the code is unknown (the ledger only stores known codes). */
export function exponentOf(currency: string): number {
    return isCurrency(currency) ? currencyExponent(currency) : 2;
}

/** Groups the digits of a non-negative integer string in threes: "1234567" → "1,234,567". */
export function groupDigits(digits: string): string {
    let out = '';
    for (let i = 0; i < digits.length; i++) {
        if (i > 0 && (digits.length - i) % 3 === 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

/**
 * Minor units as a major-unit decimal: ("123456", 2) → "1,234.56"; ("5", 3) → "0.005".
 * Throws RangeError when `minor` is not an integer string.
 */
export function formatMinorUnits(minor: string | bigint, exponent: number): string {
    const text = typeof minor === 'bigint' ? minor.toString() : minor.trim();
    if (!DIGITS.test(text)) {
        throw new RangeError(`not an amount in minor units: ${text}`);
    }
    const negative = text.startsWith('-');
    const digits = BigInt(negative ? text.slice(1) : text).toString();
    const padded = digits.padStart(exponent + 1, '0');
    const whole = padded.slice(0, padded.length - exponent);
    const fraction = exponent > 0 ? `.${padded.slice(padded.length - exponent)}` : '';
    return `${negative && BigInt(digits) !== 0n ? '-' : ''}${groupDigits(whole)}${fraction}`;
}

/** An amount with its currency code: formatMoney("123456", "CNY") → "CNY 1,234.56". */
export function formatMoney(minor: string | bigint | undefined, currency: string | undefined): string {
    if (minor === undefined || minor === null || currency === undefined) {
        return '—';
    }
    try {
        return `${currency} ${formatMinorUnits(minor, exponentOf(currency))}`;
    } catch {
        return `${currency} ${String(minor)}`;
    }
}

/** Why an amount typed by a user was refused. */
export class AmountInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'AmountInputError';
    }
}

/**
 * Parses an amount typed in major units ("1,234.5", "1 234.50") into minor units ("123450").
 * Refuses more decimals than the currency has, negatives, zero (unless allowZero), more than the
 * ledger's largest amount (MAX_AMOUNT_MINOR) and junk.
 * Throws AmountInputError with a message a user understands.
 */
export function parseMajorUnits(input: string, currency: string, options: { allowZero?: boolean } = {}): string {
    const exponent = exponentOf(currency);
    const text = input.trim().replace(/[,\s]/g, '');
    if (text === '') {
        throw new AmountInputError('Enter an amount.');
    }
    const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
    if (!match) {
        throw new AmountInputError(`"${input.trim()}" is not an amount; use digits and at most one decimal point.`);
    }
    const fraction = match[2] ?? '';
    if (fraction.length > exponent) {
        throw new AmountInputError(
            exponent === 0 ? `${currency} amounts have no decimals.` : `${currency} amounts have at most ${exponent} decimal place${exponent === 1 ? '' : 's'}.`,
        );
    }
    const minor = BigInt(match[1] + fraction.padEnd(exponent, '0'));
    if (minor === 0n && !options.allowZero) {
        throw new AmountInputError('The amount must be more than zero.');
    }
    if (minor > MAX_AMOUNT_MINOR) {
        throw new AmountInputError(`The amount is too large: the platform records at most ${formatMoney(MAX_AMOUNT_MINOR, currency)}.`);
    }
    return minor.toString();
}

/** Sums decimal minor-unit strings exactly. */
export function sumMinor(amounts: readonly string[]): string {
    return amounts.reduce((total, amount) => total + BigInt(amount), 0n).toString();
}

/** Basis points as a percentage with two decimals: 350 → "3.50 %". */
export function formatBps(bps: number | bigint): string {
    const value = BigInt(bps);
    const negative = value < 0n;
    const abs = negative ? -value : value;
    const whole = abs / 100n;
    const fraction = (abs % 100n).toString().padStart(2, '0');
    return `${negative ? '-' : ''}${whole}.${fraction} %`;
}

/** A percentage typed by a user ("3.5") as basis points (350), at most 100 % (MAX_RATE_BPS). Throws AmountInputError. */
export function parsePercentToBps(input: string): number {
    const text = input.trim().replace(/\s*%$/, '');
    if (text === '') {
        throw new AmountInputError('Enter a rate.');
    }
    const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text);
    if (!match) {
        throw new AmountInputError(`"${input.trim()}" is not a rate; enter a percentage such as 3.5 (at most two decimals).`);
    }
    const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
    if (bps > MAX_RATE_BPS) {
        throw new AmountInputError(`A rate can be at most ${formatBps(MAX_RATE_BPS)} per year.`);
    }
    return bps;
}

/** `numerator / denominator` rounded half-up, for non-negative numerator and positive denominator. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
    const quotient = numerator / denominator;
    return 2n * (numerator % denominator) >= denominator ? quotient + 1n : quotient;
}

/**
 * The effective annual rate (ACT/360, basis points, half-up) a holder pays when it receives `price`
 * now for `face` due in `days`: (face − price) / price × 360 / days. Undefined when not computable.
 */
export function effectiveRateBps(face: string, price: string, days: number): bigint | undefined {
    const f = BigInt(face);
    const p = BigInt(price);
    if (p <= 0n || days <= 0 || f < p) {
        return undefined;
    }
    return divideHalfUp((f - p) * 360n * 10_000n, p * BigInt(days));
}

/**
 * An ISO instant as "2026-01-05 14:03 UTC", also with an expanded year ("+275760-09-13 00:00 UTC");
 * a plain date is returned as it is.
 */
export function formatDateTime(iso: string | undefined): string {
    if (!iso) {
        return '—';
    }
    const match = /^((?:[+-]\d{6}|\d{4})-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/**
 * Unix seconds as an ISO-8601 time, the way the ledger presents a passport's dates: a passport's
 * `issuedAt` and `expiresAt`, and a recognition's `attestationExpiresAt`, may be any integer up to
 * 2^53 − 1, far beyond the year 275760 that a Date can reach, so such a time is held at that last
 * instant, "+275760-09-13T00:00:00.000Z" (the chaincode's expiryTime). Compare such times as
 * numbers, never through this text. Undefined for what is not a number.
 */
export function unixSecondsToIso(seconds: number): string | undefined {
    return typeof seconds === 'number' && !Number.isNaN(seconds) ? expiryTime(seconds) : undefined;
}

/** Unix seconds as "2026-01-05 14:03 UTC"; past the year 275760 "+275760-09-13 00:00 UTC" (see unixSecondsToIso); "—" for what is not a number. Never throws. */
export function formatUnixSeconds(seconds: number): string {
    return formatDateTime(unixSecondsToIso(seconds));
}

/** Unix seconds as their calendar date (UTC), "2026-01-05"; past the year 275760 "+275760-09-13" (see unixSecondsToIso); "—" for what is not a number. Never throws. */
export function formatUnixDate(seconds: number): string {
    return unixSecondsToIso(seconds)?.split('T')[0] ?? '—';
}

/** Whole days from `from` to the calendar date `date` (YYYY-MM-DD), UTC; negative when past. */
export function daysUntil(date: string, from: Date): number {
    const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    return Math.round((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000);
}

/** A count with its noun, singular for exactly one: (1, 'day') → "1 day", (3, 'day') → "3 days", (2, 'entry', 'entries'). */
export function countOf(count: number | bigint, singular: string, plural = `${singular}s`): string {
    return `${count} ${count === 1 || count === 1n || count === -1 || count === -1n ? singular : plural}`;
}

/** A whole number of days from today, in words: "in 1 day", "today", "3 days ago" (negative: past). */
export function relativeDays(days: number): string {
    if (days === 0) {
        return 'today';
    }
    return days > 0 ? `in ${countOf(days, 'day')}` : `${countOf(-days, 'day')} ago`;
}

/** The calendar date `days` after `from`, as YYYY-MM-DD (UTC). */
export function addDays(from: Date, days: number): string {
    return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days)).toISOString().slice(0, 10);
}

/** A long id shortened for tables: "N-3f9a…c2" keeps the start and the end. */
export function shortId(id: string, keep = 10): string {
    return id.length <= keep + 4 ? id : `${id.slice(0, keep)}…${id.slice(-3)}`;
}

/** Ends a sentence with a full stop, unless it ends in one already ("… Co., Ltd."). */
export function endSentence(text: string): string {
    return /[.!?。]$/.test(text) ? text : `${text}.`;
}

/** Han ideographs (CJK unified, extension A and beyond, compatibility), CJK symbols and punctuation, full-width forms. */
const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u{20000}-\\u{3134f}';
/** Han ideographs only: a run without one (a lone full-width comma) is not Chinese text. */
const HAN = new RegExp('[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}]', 'u');
/** A stretch of Chinese text: from a CJK character to a CJK character, with spaces, digits and plain punctuation between ("华东重工 (集团) 有限公司"). */
const CJK_RUN = new RegExp(`[${CJK}](?:[${CJK}\\s\\d()&.,·-]*[${CJK}])?`, 'gu');

/** Simplified Chinese, the language tag of the platform's Chinese names (GB 2312 / GB 18030 names of enterprises registered in China). */
export const CHINESE = 'zh-Hans';

/** Whether `text` has a Han character (and so Chinese in it). */
export function containsHan(text: string): boolean {
    return HAN.test(text);
}

/**
 * `text` cut into its Chinese stretches (with `lang: 'zh-Hans'`) and the rest (the page's own
 * language), in order, so that each can be marked with its language: "Issued by 华东重工有限公司"
 * → ["Issued by ", "华东重工有限公司" (zh-Hans)]. Text with no Han character is one plain part.
 */
export function langRuns(text: string): Array<{ text: string; lang?: typeof CHINESE }> {
    if (!containsHan(text)) {
        return [{ text }];
    }
    const parts: Array<{ text: string; lang?: typeof CHINESE }> = [];
    let at = 0;
    for (const match of text.matchAll(CJK_RUN)) {
        const start = match.index ?? 0;
        if (!HAN.test(match[0])) {
            continue;
        }
        if (start > at) {
            parts.push({ text: text.slice(at, start) });
        }
        parts.push({ text: match[0], lang: CHINESE });
        at = start + match[0].length;
    }
    if (at < text.length) {
        parts.push({ text: text.slice(at) });
    }
    return parts;
}

/**
 * Text for the page with its Chinese stretches in `<span lang="zh-Hans">` (WCAG 3.1.2, language of
 * parts: a screen reader then reads them in Chinese, and the browser picks Chinese glyphs), the
 * rest as text; the text itself unchanged when it has no Han character. For enterprise names and
 * the lines that name them.
 */
export function langText(text: string): string | HTMLElement | DocumentFragment {
    const runs = langRuns(text);
    if (runs.length === 1) {
        return runs[0].lang ? h('span', { lang: runs[0].lang }, runs[0].text) : text;
    }
    const fragment = document.createDocumentFragment();
    fragment.append(...runs.map((run) => (run.lang ? h('span', { lang: run.lang }, run.text) : run.text)));
    return fragment;
}

/** SCREAMING_SNAKE as words: "ON_TIME_REDEMPTIONS" → "On time redemptions". */
export function humanizeCode(code: string): string {
    const words = code.toLowerCase().replace(/[_-]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Event payload fields that name an enterprise, and the word that introduces it. */
const EVENT_PARTIES: Readonly<Record<string, string>> = {
    fromId: 'from',
    toId: 'to',
    holderId: 'holder',
    sellerId: 'seller',
    buyerId: 'buyer',
    issuerId: 'issuer',
    financierId: 'financier',
    coreEnterpriseId: 'core enterprise',
    enterpriseId: 'enterprise',
    partnerId: 'partner',
    bureauId: 'bureau',
    pledgorId: 'pledgor',
    pledgeeId: 'pledgee',
    appraiserId: 'appraiser',
    subject: 'subject',
    registeredBy: 'registered by',
};
/** Event payload fields that list enterprises, and the words that introduce them. */
const EVENT_PARTY_LISTS: Readonly<Record<string, string>> = {
    ownerIds: 'owners',
    pendingOwnerIds: 'awaiting confirmation by',
};
/** Event payload fields that hold an amount in minor units of the payload's `currency`, and their label. */
const EVENT_AMOUNTS: ReadonlyArray<readonly [string, string]> = [
    ['amount', ''],
    ['limit', 'limit '],
    ['previousLimit', 'was '],
];
const EVENT_SUMMARY_PARTS = 4;

/** Payees a redemption line names before it says "and N more". */
const REDEMPTION_PAYEES_SHOWN = 3;

/** The lines of a redemption payload's list (`payees` or `escrows`: [{holderId, amount}]) that can be read; none when absent. */
function redemptionLines(value: unknown): Array<{ holderId: string; amount: string }> {
    if (!Array.isArray(value)) {
        return [];
    }
    return value.filter(
        (p): p is { holderId: string; amount: string } => !!p && typeof p === 'object' && typeof (p as { holderId?: unknown }).holderId === 'string' && typeof (p as { amount?: unknown }).amount === 'string' && DIGITS.test((p as { amount: string }).amount),
    );
}

/**
 * The line for a redemption payload ({rootId, issuerId, payees: [{holderId, amount}], escrows:
 * [{holderId, amount}], onTime, escrowRelease}): the total paid and to how many holders, who was paid
 * how much, what was paid into escrow for frozen holders and for whom, on time or late, by whom. A
 * viewer sees the lines the gateway shows it (a frozen holder: only what is held for itself, so the
 * line says that instead of "paid … to 0 holders"). When escrow is paid out (`escrowRelease`), the
 * payees are paid out of escrow and the escrows are what is still held. The currency is the
 * payload's (events since it was added) or else comes from `currencyOfRoot`; until that is known,
 * amounts are minor units. Undefined for any other payload.
 */
function redemptionSummary(payload: Record<string, unknown>, enterpriseName: (id: string) => string, currencyOfRoot: (rootId: string) => string | undefined): string | undefined {
    if (!Array.isArray(payload.payees) || typeof payload.rootId !== 'string') {
        return undefined;
    }
    const payees = redemptionLines(payload.payees);
    const escrows = redemptionLines(payload.escrows);
    const release = payload.escrowRelease === true;
    const currency = typeof payload.currency === 'string' && isCurrency(payload.currency) ? payload.currency : currencyOfRoot(payload.rootId);
    const amount = (minor: string | bigint): string => (currency ? formatMoney(minor, currency) : `${groupDigits(minor.toString())} minor units`);
    const total = (lines: ReadonlyArray<{ amount: string }>): bigint => lines.reduce((sum, p) => sum + BigInt(p.amount), 0n);
    const named = (lines: ReadonlyArray<{ holderId: string; amount: string }>): string => {
        const shown = lines.slice(0, REDEMPTION_PAYEES_SHOWN).map((p) => `${enterpriseName(p.holderId)} ${amount(p.amount)}`);
        return `${shown.join(', ')}${lines.length > shown.length ? ` and ${lines.length - shown.length} more` : ''}`;
    };
    const parts: string[] = [];
    const closedOffers = Array.isArray(payload.closedOfferIds) ? payload.closedOfferIds.length : 0;
    const closedRequests = Array.isArray(payload.closedRequestIds) ? payload.closedRequestIds.length : 0;
    if (payees.length === 0 && escrows.length === 0 && closedOffers + closedRequests > 0) {
        // A party named only for what the redemption closed (an offer's recipient, an invited financier): that is its news.
        const closed = [closedOffers > 0 ? countOf(closedOffers, 'transfer offer') : '', closedRequests > 0 ? countOf(closedRequests, 'discount request') : ''].filter(Boolean);
        parts.push(`the note was redeemed, which closed ${closed.join(' and ')} of yours`);
    } else if (payees.length > 0 || escrows.length === 0) {
        parts.push(`paid ${amount(total(payees))}${release ? ' out of escrow' : ''} to ${countOf(payees.length, 'holder')}`);
        if (payees.length > 0) {
            parts.push(named(payees));
        }
    }
    if (escrows.length > 0) {
        // One holder is named with its amount in the same phrase; several are listed after their total.
        const held = release ? 'still held in escrow' : 'held in escrow';
        parts.push(
            escrows.length === 1
                ? `${amount(escrows[0].amount)} ${held} for ${enterpriseName(escrows[0].holderId)} (frozen)`
                : `${amount(total(escrows))} ${held} for ${escrows.length} frozen holders: ${named(escrows)}`,
        );
    }
    if (typeof payload.onTime === 'boolean') {
        parts.push(payload.onTime ? 'on time' : 'late');
    }
    if (typeof payload.issuerId === 'string') {
        parts.push(`by ${enterpriseName(payload.issuerId)}`);
    }
    return parts.join(' · ');
}

/**
 * The title of each chaincode event in the feed, in the app's own words (every transaction that
 * changes state emits one event named after it; format.test.ts checks that each has a title here).
 */
export const EVENT_TITLES: Readonly<Record<string, string>> = {
    RegisterEnterprise: 'Enterprise registered',
    FreezeEnterprise: 'Enterprise frozen',
    UnfreezeEnterprise: 'Enterprise unfrozen',
    RecordUserEnrolment: 'User enrolled',
    GrantCreditLine: 'Credit line granted',
    ChangeCreditLimit: 'Credit limit changed',
    RevokeCreditLine: 'Credit line revoked',
    RegisterReceivable: 'Receivable registered',
    ConfirmReceivable: 'Receivable confirmed',
    DisputeReceivable: 'Receivable disputed',
    CancelReceivable: 'Receivable cancelled',
    SettleReceivable: 'Receivable settled',
    IssueNote: 'Note issued',
    SetNoteParameters: 'Note parameters changed',
    SplitNote: 'Note split',
    OfferTransfer: 'Transfer offered',
    AcceptOffer: 'Transfer offer accepted',
    DeclineOffer: 'Transfer offer declined',
    CancelOffer: 'Transfer offer cancelled',
    ExpireOffer: 'Transfer offer marked expired',
    RequestDiscount: 'Discount quotes asked for',
    SubmitQuote: 'Discount quote submitted',
    WithdrawQuote: 'Discount quote withdrawn',
    AcceptQuote: 'Discount quote accepted',
    WithdrawDiscountRequest: 'Discount request withdrawn',
    RedeemNote: 'Note redeemed',
    MarkOverdue: 'Note marked overdue',
    SetIpParameters: 'IP parameters changed',
    RegisterIpAsset: 'IP asset registered',
    ConfirmIpOwnership: 'IP co-ownership confirmed',
    DeclineIpOwnership: 'IP co-ownership declined',
    VoidIpAsset: 'IP record voided',
    ReviseValuation: 'IP valuation recorded',
    RequestPledge: 'Pledge requested',
    ConsentPledge: 'Consent to pledge given',
    WithdrawPledgeConsent: 'Consent to pledge withdrawn',
    DeclinePledge: 'Pledge declined by a co-owner',
    AcceptPledge: 'Pledge accepted',
    RejectPledge: 'Pledge rejected',
    CancelPledge: 'Pledge cancelled',
    ReleasePledge: 'Pledge released',
    EnforcePledge: 'Pledge enforced',
    RegisterBureauKey: 'Credit-bureau key registered',
    RevokeBureauKey: 'Credit-bureau key revoked',
    ProposeAgreement: 'Recognition agreement proposed',
    AcceptAgreement: 'Recognition agreement accepted',
    TerminateAgreement: 'Recognition agreement terminated',
    WithdrawAgreement: 'Recognition agreement withdrawn',
    SubmitAttestation: 'Passport issued',
    RevokeAttestation: 'Passport revoked',
    RecognizeAttestation: 'Passport recognised',
    RefreshCreditProfile: 'Credit profile updated',
};

/**
 * The title of a ledger event in the feed: its entry in EVENT_TITLES ("Passport recognised"); a
 * redemption that only paid out escrow says so; a name this client does not know yet is spelled out
 * from its CamelCase ("SomethingNew" → "Something new").
 */
export function eventTitle(name: string, data?: unknown): string {
    if (name === 'RedeemNote' && data && typeof data === 'object') {
        const record = data as Record<string, unknown>;
        const payload = (record.payload && typeof record.payload === 'object' ? record.payload : record) as Record<string, unknown>;
        if (payload.escrowRelease === true) {
            return 'Escrow paid out';
        }
    }
    return Object.prototype.hasOwnProperty.call(EVENT_TITLES, name) ? EVENT_TITLES[name] : humanizeCode(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/**
 * One line about a ledger event for people: amounts with their currency ("CNY 102,000.00"), the
 * enterprises it names by name ("to Hangzhou Fastener Works"), its status, then other plain fields
 * with long ids shortened. `enterpriseName` returns the id itself for an enterprise it does not know.
 * A redemption says what was paid to whom (see redemptionSummary); `currencyOfRoot` gives the
 * currency of a root note, which its event does not carry.
 */
export function eventSummary(data: unknown, enterpriseName: (id: string) => string, currencyOfRoot: (rootId: string) => string | undefined = () => undefined): string {
    if (!data || typeof data !== 'object') {
        return '';
    }
    const record = data as Record<string, unknown>;
    const payload = (record.payload && typeof record.payload === 'object' ? record.payload : record) as Record<string, unknown>;
    const redemption = redemptionSummary(payload, enterpriseName, currencyOfRoot);
    if (redemption !== undefined) {
        return redemption;
    }
    const parts: string[] = [];
    const shown = new Set<string>(['currency']);
    // An IP right: its kind and the registry number as the ledger shows it ("Patent ZL2024…"), not the raw keys.
    const registryNumber = typeof payload.displayRegistryNumber === 'string' ? payload.displayRegistryNumber : typeof payload.registryNumber === 'string' ? payload.registryNumber : undefined;
    if (registryNumber !== undefined) {
        parts.push(typeof payload.kind === 'string' ? `${humanizeCode(payload.kind)} ${registryNumber}` : `registry number ${registryNumber}`);
        ['displayRegistryNumber', 'registryNumber', 'kind'].forEach((key) => shown.add(key));
    }
    const currency = typeof payload.currency === 'string' ? payload.currency : undefined;
    for (const [key, label] of EVENT_AMOUNTS) {
        const value = payload[key];
        if (currency && typeof value === 'string' && DIGITS.test(value)) {
            parts.push(`${label}${formatMoney(value, currency)}`);
            shown.add(key);
        }
    }
    for (const [key, label] of Object.entries(EVENT_PARTIES)) {
        const value = payload[key];
        if (typeof value === 'string' && value !== '') {
            parts.push(`${label} ${enterpriseName(value)}`);
            shown.add(key);
        }
    }
    for (const [key, label] of Object.entries(EVENT_PARTY_LISTS)) {
        const value = payload[key];
        if (Array.isArray(value)) {
            const ids = value.filter((id): id is string => typeof id === 'string' && id !== '');
            if (ids.length > 0) {
                parts.push(`${label} ${ids.map((id) => enterpriseName(id)).join(', ')}`);
            }
            shown.add(key);
        }
    }
    if (typeof payload.status === 'string') {
        parts.push(humanizeCode(payload.status).toLowerCase());
        shown.add('status');
    }
    for (const [key, value] of Object.entries(payload)) {
        if (!shown.has(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
            const text = String(value);
            parts.push(`${key}: ${text.length > 16 ? `${text.slice(0, 14)}…` : text}`);
        }
    }
    return parts.slice(0, EVENT_SUMMARY_PARTS).join(' · ');
}
