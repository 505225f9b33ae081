import { fail } from '../errors';
import { isCurrency } from './currency';

/**
 * Validation of transaction arguments. Every request object is parsed through an `Input`, which
 * rejects unknown fields and malformed values with INVALID_ARGUMENT naming the field.
 */

/** Largest amount accepted, in minor units: 10^18 minor units is far beyond any real note. */
const MAX_AMOUNT = 10n ** 18n;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/*
 * The one rule for free text stored on the ledger (names, titles, labels, grades, reasons …). No
 * ledger field is multi-line, so a value is refused when it contains
 * - a C0 control (U+0000–U+001F, including tab and line feed), DEL (U+007F) or a C1 control
 *   (U+0080–U+009F);
 * - a lone UTF-16 surrogate (half of a pair: not a character, and not valid UTF-8 once stored);
 * - a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), which make
 *   text display in an order other than the stored one;
 * or when it is blank: nothing but white space and zero-width characters (U+200B–U+200D, U+FEFF).
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const BLANK = /^[\s\u200b-\u200d\ufeff]*$/;

function codePoint(match: string): string {
    return `U+${(match.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why a string is not acceptable free text (see the rule above), as a phrase to follow the field's
 * name ("must not contain …"), or undefined when it is acceptable. Pure: the passport parser, the
 * gateway and the browser may use it too.
 */
export function textProblem(value: string): string | undefined {
    if (BLANK.test(value)) {
        return 'must not be blank (white space and zero-width characters only)';
    }
    const control = CONTROL_CHARACTER.exec(value);
    if (control) {
        return `must not contain control characters (found ${codePoint(control[0])})`;
    }
    const surrogate = LONE_SURROGATE.exec(value);
    if (surrogate) {
        return `must be well-formed Unicode (found a lone surrogate ${codePoint(surrogate[0])})`;
    }
    const bidi = BIDI_CONTROL.exec(value);
    if (bidi) {
        return `must not contain bidirectional embedding, override or isolate characters (found ${codePoint(bidi[0])})`;
    }
    return undefined;
}

const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;

/**
 * The length of a string in characters as the ledger counts them for every "at most N characters"
 * limit: Unicode code points, so a character outside the BMP (most emoji, rare CJK) counts once,
 * not as its two UTF-16 units. Pure.
 */
export function characterCount(value: string): number {
    // Each surrogate pair is one code point; a lone surrogate counts as one, like any other unit.
    return value.length - (value.match(SURROGATE_PAIR)?.length ?? 0);
}

/**
 * Reads free text: a string that passes `textProblem`, trimmed of surrounding white space, 1..max
 * characters (code points, `characterCount`). Throws INVALID_ARGUMENT naming `path`.
 */
export function parseText(value: unknown, path: string, { max = 256 }: { max?: number } = {}): string {
    if (typeof value !== 'string' || value.trim().length === 0) {
        throw fail.invalid(`${path} is required and must be a non-empty string`);
    }
    const problem = textProblem(value);
    if (problem) {
        throw fail.invalid(`${path} ${problem}`);
    }
    const trimmed = value.trim();
    if (characterCount(trimmed) > max) {
        throw fail.invalid(`${path} must be at most ${max} characters`);
    }
    return trimmed;
}

/** Longest reason a transaction records (freeze, dispute, cancellation, revocation, rejection …). */
export const MAX_REASON = 500;

/** A transaction's `reason` argument: required free text under the ledger's text rule, at most MAX_REASON characters, trimmed. Throws INVALID_ARGUMENT. */
export function parseReason(reason: unknown): string {
    return parseText(reason, 'reason', { max: MAX_REASON });
}

/** Parses a JSON transaction argument into an object Input. Throws INVALID_ARGUMENT. */
export function parseRequest(json: string, what = 'request'): Input {
    let value: unknown;
    try {
        value = JSON.parse(json);
    } catch {
        throw fail.invalid(`${what} is not valid JSON`);
    }
    return Input.of(value, what);
}

/**
 * Reads an ISO date (YYYY-MM-DD) or UTC timestamp; returns the Date. Throws INVALID_ARGUMENT.
 *
 * JavaScript's Date rolls impossible fields over ('2027-02-30' is 2 March, '…T24:00:00Z' is the
 * next day), so a value counts only if it reads back the same: the calendar date of a timestamp
 * must exist and its time of day must be 00:00:00–23:59:59.
 */
export function parseDateValue(value: unknown, path: string): Date {
    if (typeof value !== 'string' || !(ISO_DATE.test(value) || ISO_TIMESTAMP.test(value))) {
        throw fail.invalid(`${path} must be an ISO-8601 date (YYYY-MM-DD) or UTC timestamp`);
    }
    const calendarDate = value.slice(0, 10);
    const midnight = new Date(`${calendarDate}T00:00:00Z`);
    if (Number.isNaN(midnight.getTime()) || midnight.toISOString().slice(0, 10) !== calendarDate) {
        throw fail.invalid(`${path} is not a real calendar date`);
    }
    if (ISO_DATE.test(value)) {
        return midnight;
    }
    const date = new Date(value);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== value.slice(0, 19)) {
        throw fail.invalid(`${path} is not a real time of day (hours 00 to 23, minutes and seconds 00 to 59)`);
    }
    return date;
}

/**
 * The earliest calendar date a request may give for something that has already happened: an
 * invoice's issue date, an appraisal's valuation date. Electronic invoices, appraisal reports on
 * file and this platform are far younger, so an earlier date is a typo ('0000-01-01',
 * '1999-01-01' for 2099) rather than a record — and a claim that old is long time-barred. One
 * rule for every module (requireOnOrAfterEarliestDate).
 */
export const EARLIEST_DATE = '2000-01-01';

/**
 * Refuses a calendar date (YYYY-MM-DD, already read by parseDateValue) before EARLIEST_DATE.
 * Throws INVALID_ARGUMENT naming `path`.
 */
export function requireOnOrAfterEarliestDate(date: string, path: string): void {
    if (date < EARLIEST_DATE) {
        throw fail.invalid(`${path} ${date} must be on or after ${EARLIEST_DATE}: an earlier date is taken for a typo`);
    }
}

/** Parses a positive integer amount of minor units from a decimal string. */
export function parseAmountValue(value: unknown, path: string, { allowZero = false } = {}): bigint {
    if (typeof value !== 'string' || !/^(0|[1-9]\d{0,18})$/.test(value)) {
        throw fail.invalid(`${path} must be a whole number of minor units written as a decimal string`);
    }
    const amount = BigInt(value);
    if (amount > MAX_AMOUNT) {
        throw fail.invalid(`${path} exceeds the maximum amount`);
    }
    if (!allowZero && amount === 0n) {
        throw fail.invalid(`${path} must be greater than zero`);
    }
    return amount;
}

/** A validated view over one JSON object. */
export class Input {
    private readonly seen = new Set<string>();

    private constructor(
        private readonly value: Record<string, unknown>,
        private readonly path: string,
    ) {}

    /** Wraps a parsed value that must be a JSON object. */
    static of(value: unknown, path: string): Input {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            throw fail.invalid(`${path} must be a JSON object`);
        }
        return new Input(value as Record<string, unknown>, path);
    }

    private field(name: string): unknown {
        this.seen.add(name);
        return this.value[name];
    }

    private at(name: string): string {
        return `${this.path}.${name}`;
    }

    has(name: string): boolean {
        return this.value[name] !== undefined && this.value[name] !== null;
    }

    /** A required string of free text (see `parseText`), trimmed, 1..max characters, optionally matching a pattern. */
    string(name: string, { max = 256, pattern }: { max?: number; pattern?: RegExp } = {}): string {
        const trimmed = parseText(this.field(name), this.at(name), { max });
        if (pattern && !pattern.test(trimmed)) {
            throw fail.invalid(`${this.at(name)} has an invalid format`);
        }
        return trimmed;
    }

    optionalString(name: string, options: { max?: number; pattern?: RegExp } = {}): string | undefined {
        return this.has(name) ? this.string(name, options) : (this.field(name), undefined);
    }

    /** One of a fixed set of strings. */
    oneOf<T extends string>(name: string, allowed: readonly T[]): T {
        const value = this.field(name);
        if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
            throw fail.invalid(`${this.at(name)} must be one of ${allowed.join(', ')}`);
        }
        return value as T;
    }

    /** A positive amount in minor units, carried as a decimal string. */
    amount(name: string, options: { allowZero?: boolean } = {}): bigint {
        return parseAmountValue(this.field(name), this.at(name), options);
    }

    /** An ISO 4217 currency code. */
    currency(name: string): string {
        const value = this.field(name);
        if (typeof value !== 'string' || !isCurrency(value)) {
            throw fail.invalid(`${this.at(name)} must be an ISO 4217 currency code`);
        }
        return value;
    }

    /** An ISO-8601 date or UTC timestamp, returned as a Date. */
    date(name: string): Date {
        return parseDateValue(this.field(name), this.at(name));
    }

    optionalDate(name: string): Date | undefined {
        return this.has(name) ? this.date(name) : (this.field(name), undefined);
    }

    /** An integer within [min, max]. */
    integer(name: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
        const value = this.field(name);
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
            throw fail.invalid(`${this.at(name)} must be an integer between ${min} and ${max}`);
        }
        return value;
    }

    optionalInteger(name: string, options: { min?: number; max?: number } = {}): number | undefined {
        return this.has(name) ? this.integer(name, options) : (this.field(name), undefined);
    }

    boolean(name: string): boolean {
        const value = this.field(name);
        if (typeof value !== 'boolean') {
            throw fail.invalid(`${this.at(name)} must be true or false`);
        }
        return value;
    }

    /** A non-empty array of at most `max` items, each read by `item`. */
    array<T>(name: string, item: (value: unknown, path: string) => T, { min = 1, max = 100 }: { min?: number; max?: number } = {}): T[] {
        const value = this.field(name);
        if (!Array.isArray(value) || value.length < min || value.length > max) {
            throw fail.invalid(`${this.at(name)} must be an array of ${min} to ${max} items`);
        }
        return value.map((entry, i) => item(entry, `${this.at(name)}[${i}]`));
    }

    /** A nested object. */
    object(name: string): Input {
        return Input.of(this.field(name), this.at(name));
    }

    /** Rejects fields the transaction does not know; call after reading every field. */
    done(): void {
        for (const key of Object.keys(this.value)) {
            if (!this.seen.has(key)) {
                throw fail.invalid(`${this.at(key)} is not a known field`);
            }
        }
    }
}

/** Item reader for arrays of non-empty strings of free text (see `parseText`). */
export function stringItem(max = 256) {
    return (value: unknown, path: string): string => {
        if (typeof value !== 'string' || value.trim().length === 0 || characterCount(value) > max) {
            throw fail.invalid(`${path} must be a non-empty string of at most ${max} characters`);
        }
        return parseText(value, path, { max });
    };
}

/** Validates a bare id argument. */
export function requireId(value: string, what: string): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value)) {
        throw fail.invalid(`${what} is not a valid id`);
    }
    return value;
}
