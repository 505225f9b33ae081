import type { IpKind } from './ip-asset';

/**
 * Registry numbers of IP assets in their office's format, and the normal form the ledger records.
 * A module of its own without runtime imports, so the client app checks what a user types by the
 * same rules.
 */

/** CN patent application / patent number: [ZL|CN] + 12 digits (since 2003) or 8 digits, '.', check. */
const PATENT = /^(?:ZL|CN)?(\d{12}|\d{8})\.?([0-9X])$/;
/** Patent types: 1 invention, 2 utility model, 3 design, 8 / 9 PCT invention / utility model. */
const PATENT_TYPES = '12389';
/** Trademark registration number: digits, optionally written 第…号. */
const TRADEMARK = /^(?:第)?(\d{1,10})(?:号)?$/;
/** Software copyright registration number: year + SR + 6–7 digits, e.g. 2023SR0123456. */
const SOFTWARE_COPYRIGHT = /^((?:19|20)\d{2})SR(\d{6,7})$/;
/** Works copyright registration number: letters (any script), digits and - / . ( ); one digit at least. */
const COPYRIGHT = /^[\p{L}\p{N}][\p{L}\p{N}\-/.()]{2,63}$/u;

/**
 * Normalises a registry number of `kind`, or returns undefined when it is not acceptable.
 * Every kind: Unicode NFKC (full-width characters to ASCII), upper case, whitespace removed.
 * - PATENT: optional `ZL`/`CN` prefix, 12 digits (year 1985–2099, type digit 1/2/3/8/9) or the
 *   pre-2003 8 digits (type digit 1/2/3/8/9), optional '.', check character 0–9 or X;
 *   normalised to `<digits>.<check>` (so ZL202310123456.7 ≡ 202310123456.7 ≡ 2023101234567).
 *   The check character's arithmetic is not verified.
 * - TRADEMARK: 1–10 digits, optionally written 第…号; leading zeros dropped.
 * - SOFTWARE_COPYRIGHT: `YYYYSR` + 6–7 digits (the 登记号, e.g. 2023SR0123456).
 * - COPYRIGHT: 3–64 characters of letters, digits and - / . ( ) with at least one digit,
 *   e.g. 国作登字-2023-F-00123456.
 */
export function normaliseRegistryNumber(kind: IpKind, raw: string): string | undefined {
    const text = raw.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
    switch (kind) {
        case 'PATENT': {
            const match = PATENT.exec(text);
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
            const match = TRADEMARK.exec(text);
            if (!match || /^0+$/.test(match[1])) {
                return undefined;
            }
            return match[1].replace(/^0+/, '');
        }
        case 'SOFTWARE_COPYRIGHT': {
            return SOFTWARE_COPYRIGHT.test(text) ? text : undefined;
        }
        case 'COPYRIGHT': {
            return COPYRIGHT.test(text) && /\p{N}/u.test(text) ? text : undefined;
        }
    }
}
