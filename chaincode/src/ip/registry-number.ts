import type { IpKind } from './ip-asset';

/**
 * Registry numbers of IP assets in their office's format, and the key the ledger records them
 * under. A module of its own without runtime imports, so the client app checks what a user types
 * by the same rules.
 *
 * One right, one record: every spelling of one number must give one key, and a character that
 * merely looks like a Latin letter or an ASCII digit must not give another right. So every kind
 * is read the same way:
 * 1. Unicode NFKC (full-width letters, digits and punctuation become ASCII, the ideographic
 *    space a space);
 * 2. every character must then be a Latin letter A–Z / a–z, an ASCII digit 0–9, a Han
 *    ideograph (Unicode Unified_Ideograph) or a separator `-` `/` `.` `(` `)` or space; anything
 *    else (Cyrillic or Greek look-alikes, other scripts' digits, other dashes, invisible or
 *    combining characters, tabs) makes the number unacceptable;
 * 3. upper case, separators dropped: the key characters;
 * 4. the key characters must match the kind's pattern, which gives the key.
 *
 * A key names the right, not the way it was typed: a patent number's check character must be the
 * one its digits give (so one application number has one acceptable spelling of its check
 * character), a trademark's leading zeros and a software copyright serial's padding do not count.
 */

/** Characters a registry number may contain after NFKC (checked before upper-casing, so 'ı' or 'ß' cannot become Latin). */
const ALLOWED = /^[A-Za-z0-9\p{Unified_Ideograph}\-/.() ]*$/u;
/** Separators: dropped from the key, so `ABC-2023`, `ABC/2023`, `ABC 2023` and `ABC2023` are one number. */
const SEPARATORS = /[-/.() ]/g;

/** Patent types: 1 invention, 2 utility model, 3 design, 8 / 9 PCT invention / utility model. */
const PATENT_TYPES = '12389';
/**
 * Weights of the digits of a patent application number for its check character (CNIPA, since the
 * 12-digit numbers of 1 October 2003; the 8-digit numbers before them use the first eight).
 */
const PATENT_CHECK_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;
/** How the check character is computed, in words, for a refusal. */
const PATENT_CHECK_RULE = 'each digit times 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 in turn, the products summed, the sum modulo 11, 10 written X';
/** Years of the 8-digit patent numbers: 1985 (85) to 2003 (03), when 12-digit numbers replaced them. */
const OLD_PATENT_YEARS = /^(?:8[5-9]|9[0-9]|0[0-3])$/;
/** Digits a software copyright serial is padded to in its key (the registry writes 7 since 2012, 6 before). */
const SOFTWARE_SERIAL_DIGITS = 7;
/** Software copyright registration number: year + SR + 6–7 digits, e.g. 2023SR0123456. */
const SOFTWARE_COPYRIGHT = /^([0-9]*)SR([0-9]*)$/;
/** Works copyright registration number: key characters (after step 3 of the module comment only Latin letters, Han ideographs and digits remain). */
const COPYRIGHT_CHARS = /^[A-Z0-9\p{Unified_Ideograph}]*$/u;

/**
 * The format each kind's registry number must have, in words: what a refusal states, and what the
 * client app shows beside the field. Separators (- / . ( ) and space) may appear anywhere in any
 * kind and are not counted.
 */
export const REGISTRY_NUMBER_FORMATS: Readonly<Record<IpKind, string>> = Object.freeze({
    PATENT:
        'an optional ZL or CN, then 12 digits (a year 1985–2099, the type digit 1, 2, 3, 8 or 9, then 7 digits) and the check character those digits give (0–9 or X), ' +
        'the check character usually after a dot, e.g. ZL202310123456.6; a number from before October 2003 has 8 digits (a year 85–03, the type digit third) before its check character, e.g. ZL03112345.7',
    TRADEMARK: '1–10 digits, not all zeros, optionally written 第…号, e.g. 12345678 or 第12345678号',
    SOFTWARE_COPYRIGHT: 'the registration number (登记号): a year 1900–2099, SR and 6–7 digits, e.g. 2023SR0123456 (not the certificate number 软著登字第…号)',
    COPYRIGHT: '3–64 Latin letters, Han ideographs and digits (separators not counted), at least one of them a digit, e.g. 国作登字-2023-F-00123456',
});

/** A registry number as read: the uniqueness key, and the registrant's spelling for display. */
export interface RegistryNumber {
    /** What the asset id derives from: equal for every spelling of one number. */
    key: string;
    /** The registrant's spelling after NFKC, trimmed, runs of spaces collapsed; case kept. */
    display: string;
}

/**
 * What reading a registry number gave: the number, or why it is not acceptable — `problem`, a
 * clause such as "it has 2 digits after SR where 6 or 7 belong" that names what is wrong; the kind's
 * expected format is REGISTRY_NUMBER_FORMATS.
 */
export type RegistryNumberReading = { number: RegistryNumber } | { problem: string };

type KeyReading = { key: string } | { problem: string };

/** `n` of a thing, with its plural. */
function count(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

/** A character for a message: itself when it is visible ASCII, else its code point too (or only, when it is invisible). */
function describeCharacter(char: string): string {
    if (/^[!-~]$/.test(char)) {
        return `"${char}"`;
    }
    const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char) ? `"${char}" (${code})` : code;
}

/**
 * The check character of a patent application number's digits (12, or 8 for a number from before
 * October 2003): the digits times PATENT_CHECK_WEIGHTS, summed, modulo 11; 10 is written X.
 * Undefined when `digits` is not 12 or 8 ASCII digits.
 */
export function patentCheckCharacter(digits: string): string | undefined {
    if (!/^(?:[0-9]{12}|[0-9]{8})$/.test(digits)) {
        return undefined;
    }
    const sum = [...digits].reduce((total, digit, i) => total + Number(digit) * PATENT_CHECK_WEIGHTS[i], 0);
    const check = sum % 11;
    return check === 10 ? 'X' : String(check);
}

/**
 * A PATENT number's key from its key characters: `<digits>.<check>`, the check character being
 * the one the digits give (a number with another is refused), so the key depends on the digits alone.
 */
function patentKey(chars: string): KeyReading {
    const body = /^(?:ZL|CN)/.test(chars) ? chars.slice(2) : chars;
    if (body === '') {
        return { problem: 'it has no digits' };
    }
    const stray = /[^0-9X]/u.exec(body);
    if (stray) {
        return { problem: `it has ${describeCharacter(stray[0])}, where a patent number has only digits after an optional ZL or CN, and an X as check character` };
    }
    if (body.slice(0, -1).includes('X')) {
        return { problem: 'it has an X before its end, where only the check character (the last) may be X' };
    }
    if (body.length !== 13 && body.length !== 9) {
        return {
            problem: `its number part (without ZL or CN and separators) has ${count(body.length, 'character')} where a patent number has 13 (12 digits and the check character) or, from before 2003, 9 (8 digits and the check character)`,
        };
    }
    const digits = body.slice(0, -1);
    const check = body.slice(-1);
    const modern = digits.length === 12;
    const typeDigit = modern ? digits[4] : digits[2];
    if (!PATENT_TYPES.includes(typeDigit)) {
        return { problem: `its type digit (the ${modern ? 'fifth' : 'third'}) is ${typeDigit}, where a patent number has 1, 2, 3, 8 or 9` };
    }
    if (modern) {
        const year = Number(digits.slice(0, 4));
        if (year < 1985 || year > 2099) {
            return { problem: `its year (the first 4 digits) is ${year}, outside 1985–2099` };
        }
    } else if (!OLD_PATENT_YEARS.test(digits.slice(0, 2))) {
        return { problem: `its year (the first 2 digits) is ${digits.slice(0, 2)}, outside 85–03, the years (1985–2003) of 8-digit numbers` };
    }
    const expected = patentCheckCharacter(digits);
    if (check !== expected) {
        return {
            problem:
                `its check character is ${check}, but its ${digits.length} digits give ${expected ?? '?'} ` +
                `(${modern ? PATENT_CHECK_RULE : PATENT_CHECK_RULE.replace(', 2, 3, 4, 5 in turn', ' in turn')}): a digit or the check character is mistyped`,
        };
    }
    return { key: `${digits}.${check}` };
}

/** A TRADEMARK number's key from its key characters: the digits without leading zeros. */
function trademarkKey(chars: string): KeyReading {
    const digits = chars.replace(/^第/, '').replace(/号$/, '');
    if (digits === '') {
        return { problem: 'it has no digits' };
    }
    const stray = /[^0-9]/u.exec(digits);
    if (stray) {
        return { problem: `it has ${describeCharacter(stray[0])}, where a trademark number has only digits (and 第 before them, 号 after them)` };
    }
    if (digits.length > 10) {
        return { problem: `it has ${digits.length} digits where a trademark number has at most 10` };
    }
    if (/^0+$/.test(digits)) {
        return { problem: 'it is all zeros' };
    }
    return { key: digits.replace(/^0+/, '') };
}

/**
 * A SOFTWARE_COPYRIGHT number's key from its key characters: the year, SR and the serial padded
 * with zeros to SOFTWARE_SERIAL_DIGITS, so 2023SR123456 and 2023SR0123456 are one right.
 */
function softwareCopyrightKey(chars: string): KeyReading {
    const match = SOFTWARE_COPYRIGHT.exec(chars);
    if (!match) {
        return {
            problem: chars.includes('SR')
                ? 'it has characters other than digits before and after SR'
                : /\p{Unified_Ideograph}/u.test(chars)
                  ? 'it is not a registration number (a certificate number 软著登字第…号 is not accepted)'
                  : 'it has no SR between the year and the serial number',
        };
    }
    const [, year, serial] = match;
    if (!/^(?:19|20)[0-9]{2}$/.test(year)) {
        return { problem: year === '' ? 'it has no year before SR' : `it has ${JSON.stringify(year)} before SR where a year 1900–2099 belongs` };
    }
    if (serial.length < 6 || serial.length > 7) {
        return { problem: `it has ${count(serial.length, 'digit')} after SR where 6 or 7 belong` };
    }
    if (/^0+$/.test(serial)) {
        return { problem: 'its serial number (the digits after SR) is all zeros' };
    }
    return { key: `${year}SR${serial.padStart(SOFTWARE_SERIAL_DIGITS, '0')}` };
}

/** A COPYRIGHT number's key from its key characters: the characters themselves. */
function copyrightKey(chars: string): KeyReading {
    const length = [...chars].length;
    if (!COPYRIGHT_CHARS.test(chars)) {
        return { problem: 'it has characters other than Latin letters, Han ideographs and digits' };
    }
    if (length < 3 || length > 64) {
        return { problem: `it has ${count(length, 'letter or digit', 'letters and digits')} (separators not counted) where 3–64 belong` };
    }
    if (!/[0-9]/.test(chars)) {
        return { problem: 'it has no digit' };
    }
    return { key: chars };
}

/** The key of a kind from its key characters (upper case, no separators), or what is wrong with them. */
function keyOf(kind: IpKind, chars: string): KeyReading {
    switch (kind) {
        case 'PATENT':
            return patentKey(chars);
        case 'TRADEMARK':
            return trademarkKey(chars);
        case 'SOFTWARE_COPYRIGHT':
            return softwareCopyrightKey(chars);
        case 'COPYRIGHT':
            return copyrightKey(chars);
        default:
            return { problem: `${String(kind)} is not a kind of IP asset` };
    }
}

/**
 * Reads a registry number of `kind`: its key and display spelling, or what is wrong with it (see
 * the module comment for the character rules, REGISTRY_NUMBER_FORMATS for each kind's format).
 * - PATENT: optional `ZL`/`CN` prefix, 12 digits (year 1985–2099, type digit 1/2/3/8/9) or the
 *   pre-October-2003 8 digits (year 85–03, type digit 1/2/3/8/9), and the check character the
 *   digits give (patentCheckCharacter); key `<digits>.<check>` (so ZL202310123456.6 ≡
 *   202310123456.6 ≡ 2023101234566 ≡ 2023 1012 3456 6, and ZL202310123456.7 is refused).
 * - TRADEMARK: 1–10 digits, not all zeros, optionally written 第…号; key without leading zeros.
 * - SOFTWARE_COPYRIGHT: `YYYYSR` + 6–7 digits, not all zeros (the 登记号, e.g. 2023SR0123456),
 *   year 1900–2099; key with the serial padded to 7 digits (2023SR123456 ≡ 2023SR0123456).
 * - COPYRIGHT: 3–64 letters, Han ideographs and digits (separators not counted) with at least
 *   one digit, e.g. 国作登字-2023-F-00123456, key 国作登字2023F00123456.
 */
export function readRegistryNumber(kind: IpKind, raw: string): RegistryNumberReading {
    if (typeof raw !== 'string') {
        return { problem: 'it is not text' };
    }
    const text = raw.normalize('NFKC');
    const refused = [...text].find((char) => !ALLOWED.test(char));
    if (refused !== undefined) {
        return {
            problem: `it contains ${describeCharacter(refused)}${text === raw ? '' : ' (after Unicode NFKC)'}, which is none of the characters a registry number may have: Latin letters A–Z, Han ideographs, digits 0–9 and the separators - / . ( ) and space`,
        };
    }
    const chars = text.toUpperCase().replace(SEPARATORS, '');
    if (chars === '') {
        return { problem: 'it has no letters or digits' };
    }
    const reading = keyOf(kind, chars);
    if ('problem' in reading) {
        return reading;
    }
    return { number: { key: reading.key, display: text.trim().replace(/ {2,}/g, ' ') } };
}

/** Reads a registry number of `kind`: its key and display spelling, or undefined when it is not acceptable (readRegistryNumber says why). */
export function parseRegistryNumber(kind: IpKind, raw: string): RegistryNumber | undefined {
    const reading = readRegistryNumber(kind, raw);
    return 'number' in reading ? reading.number : undefined;
}

/** The uniqueness key of a registry number of `kind`, or undefined when it is not acceptable (parseRegistryNumber). */
export function normaliseRegistryNumber(kind: IpKind, raw: string): string | undefined {
    return parseRegistryNumber(kind, raw)?.key;
}

/**
 * Other keys under which ledgers written before today's keys may hold a record of the same right,
 * in a fixed order, none equal to today's key; empty for unacceptable numbers. Registration looks
 * at each, so a right recorded under an old key is not registered a second time:
 * - PATENT: `<digits>.<c>` for every check character c other than the one the digits give — the
 *   check character was not verified before, so a right may stand under a wrong one;
 * - SOFTWARE_COPYRIGHT: the serial in 6 digits, when it fits (keys kept the serial as typed);
 * - COPYRIGHT: the key before keys dropped separators (NFKC, upper case, whitespace removed), when
 *   it differs; other spellings of such a record are not found;
 * - TRADEMARK: none (its key has always dropped leading zeros).
 */
export function legacyRegistryKeys(kind: IpKind, raw: string): string[] {
    const key = normaliseRegistryNumber(kind, raw);
    if (key === undefined) {
        return [];
    }
    switch (kind) {
        case 'PATENT': {
            const [digits, check] = key.split('.');
            return [...'0123456789X'].filter((c) => c !== check).map((c) => `${digits}.${c}`);
        }
        case 'SOFTWARE_COPYRIGHT': {
            const [year, serial] = key.split('SR');
            return serial.startsWith('0') ? [`${year}SR${serial.slice(1)}`] : [];
        }
        case 'COPYRIGHT': {
            const legacy = raw.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
            return legacy === key ? [] : [legacy];
        }
        default:
            return [];
    }
}

/**
 * Every key under which this ledger may hold a record of the right that a record keyed `recordedKey`
 * (an IpAsset's `registryNumber`, today's key or one an older ledger wrote) records: today's key
 * first, then the keys older ledgers used for it (legacyRegistryKeys), the recorded key among them;
 * no key twice. The pledge rules look at each, so that two standing records of one right are found
 * from either of them:
 * - PATENT `<digits>.<c>`: the 11 keys `<digits>.0` … `<digits>.X`, today's key the one with the
 *   check character the digits give — found alike from a record under any of them;
 * - SOFTWARE_COPYRIGHT: the serial padded to 7 digits and, when it starts with a zero, in 6;
 * - COPYRIGHT: today's key (separators dropped) and the recorded key; from a record under today's
 *   key the spellings an older ledger kept separators in are not found (as at registration);
 * - TRADEMARK: the key alone.
 * A recorded key no rule reads (a copyright with characters now refused) gives itself alone.
 */
export function rightKeys(kind: IpKind, recordedKey: string): string[] {
    let key = normaliseRegistryNumber(kind, recordedKey);
    if (key === undefined && kind === 'PATENT') {
        // Recorded before check characters were verified: the right's key is the one its digits give.
        const match = /^([0-9]{12}|[0-9]{8})\.[0-9X]$/.exec(recordedKey);
        const check = match ? patentCheckCharacter(match[1]) : undefined;
        key = match && check !== undefined ? `${match[1]}.${check}` : undefined;
    }
    if (key === undefined) {
        return [recordedKey];
    }
    return [...new Set([key, ...legacyRegistryKeys(kind, key), ...legacyRegistryKeys(kind, recordedKey), recordedKey])];
}
