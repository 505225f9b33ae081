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
 */

/** Characters a registry number may contain after NFKC (checked before upper-casing, so 'ı' or 'ß' cannot become Latin). */
const ALLOWED = /^[A-Za-z0-9\p{Unified_Ideograph}\-/.() ]*$/u;
/** Separators: dropped from the key, so `ABC-2023`, `ABC/2023`, `ABC 2023` and `ABC2023` are one number. */
const SEPARATORS = /[-/.() ]/g;

/** CN patent application / patent number: [ZL|CN] + 12 digits (since 2003) or 8 digits, then the check character. */
const PATENT = /^(?:ZL|CN)?(\d{12}|\d{8})([0-9X])$/;
/** Patent types: 1 invention, 2 utility model, 3 design, 8 / 9 PCT invention / utility model. */
const PATENT_TYPES = '12389';
/** Trademark registration number: digits, optionally written 第…号. */
const TRADEMARK = /^(?:第)?(\d{1,10})(?:号)?$/;
/** Software copyright registration number: year + SR + 6–7 digits, e.g. 2023SR0123456. */
const SOFTWARE_COPYRIGHT = /^((?:19|20)\d{2})SR(\d{6,7})$/;
/** Works copyright registration number: 3–64 Latin letters, Han ideographs and digits, one digit at least. */
const COPYRIGHT = /^[A-Z0-9\p{Unified_Ideograph}]{3,64}$/u;

/** A registry number as read: the uniqueness key, and the registrant's spelling for display. */
export interface RegistryNumber {
    /** What the asset id derives from: equal for every spelling of one number. */
    key: string;
    /** The registrant's spelling after NFKC, trimmed, runs of spaces collapsed; case kept. */
    display: string;
}

/** The key of a kind from its key characters (upper case, no separators), or undefined. */
function keyOf(kind: IpKind, chars: string): string | undefined {
    switch (kind) {
        case 'PATENT': {
            const match = PATENT.exec(chars);
            if (!match) {
                return undefined;
            }
            const digits = match[1];
            const typeDigit = digits.length === 12 ? digits[4] : digits[2];
            if (!PATENT_TYPES.includes(typeDigit)) {
                return undefined;
            }
            if (digits.length === 12) {
                const year = Number(digits.slice(0, 4));
                if (year < 1985 || year > 2099) {
                    return undefined;
                }
            }
            return `${digits}.${match[2]}`;
        }
        case 'TRADEMARK': {
            const match = TRADEMARK.exec(chars);
            if (!match || /^0+$/.test(match[1])) {
                return undefined;
            }
            return match[1].replace(/^0+/, '');
        }
        case 'SOFTWARE_COPYRIGHT': {
            return SOFTWARE_COPYRIGHT.test(chars) ? chars : undefined;
        }
        case 'COPYRIGHT': {
            return COPYRIGHT.test(chars) && /[0-9]/.test(chars) ? chars : undefined;
        }
        default:
            return undefined;
    }
}

/**
 * Reads a registry number of `kind`: its key and display spelling, or undefined when it is not
 * acceptable (see the module comment for the character rules).
 * - PATENT: optional `ZL`/`CN` prefix, 12 digits (year 1985–2099, type digit 1/2/3/8/9) or the
 *   pre-2003 8 digits (type digit 1/2/3/8/9), check character 0–9 or X; key `<digits>.<check>`
 *   (so ZL202310123456.7 ≡ 202310123456.7 ≡ 2023101234567 ≡ 2023 1012 3456 7). The check
 *   character's arithmetic is not verified.
 * - TRADEMARK: 1–10 digits, optionally written 第…号; key without leading zeros.
 * - SOFTWARE_COPYRIGHT: `YYYYSR` + 6–7 digits (the 登记号, e.g. 2023SR0123456).
 * - COPYRIGHT: 3–64 letters, Han ideographs and digits (separators not counted) with at least
 *   one digit, e.g. 国作登字-2023-F-00123456, key 国作登字2023F00123456.
 */
export function parseRegistryNumber(kind: IpKind, raw: string): RegistryNumber | undefined {
    if (typeof raw !== 'string') {
        return undefined;
    }
    const text = raw.normalize('NFKC');
    if (!ALLOWED.test(text)) {
        return undefined;
    }
    const key = keyOf(kind, text.toUpperCase().replace(SEPARATORS, ''));
    if (key === undefined) {
        return undefined;
    }
    return { key, display: text.trim().replace(/ {2,}/g, ' ') };
}

/** The uniqueness key of a registry number of `kind`, or undefined when it is not acceptable (parseRegistryNumber). */
export function normaliseRegistryNumber(kind: IpKind, raw: string): string | undefined {
    return parseRegistryNumber(kind, raw)?.key;
}

/**
 * The key a COPYRIGHT number had before keys dropped separators (NFKC, upper case, whitespace
 * removed), when it differs from today's key: ledgers written before keep their records under
 * it, so registration also refuses a number spelt exactly as such a record was. Undefined for
 * the other kinds, whose keys did not change, and for unacceptable numbers.
 */
export function legacyRegistryKey(kind: IpKind, raw: string): string | undefined {
    const key = normaliseRegistryNumber(kind, raw);
    if (kind !== 'COPYRIGHT' || key === undefined) {
        return undefined;
    }
    const legacy = raw.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
    return legacy === key ? undefined : legacy;
}
