/**
 * Validation of enterprise identifiers: the Chinese Unified Social Credit Code (GB 32100-2015)
 * and the Legal Entity Identifier (ISO 17442). Both carry check characters that are verified here.
 */

/** GB 32100-2015 alphabet: digits and capitals without I, O, Z, S, V. Index = character value. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters of a USCC, or undefined if they are malformed. */
export function usccCheckCharacter(first17: string): string | undefined {
    if (first17.length !== 17) {
        return undefined;
    }
    let sum = 0;
    for (let i = 0; i < 17; i++) {
        const value = USCC_ALPHABET.indexOf(first17[i]);
        if (value < 0) {
            return undefined;
        }
        sum += value * USCC_WEIGHTS[i];
    }
    const check = (31 - (sum % 31)) % 31;
    return USCC_ALPHABET[check];
}

/** True for a well-formed USCC whose 18th character is the correct check character. */
export function isValidUscc(code: string): boolean {
    if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) {
        return false;
    }
    return usccCheckCharacter(code.slice(0, 17)) === code[17];
}

/** ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters A=10 … Z=35). */
function mod97(text: string): number {
    let remainder = 0;
    for (const ch of text) {
        const digits = /[0-9]/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
        for (const d of digits) {
            remainder = (remainder * 10 + Number(d)) % 97;
        }
    }
    return remainder;
}

/** The two check digits for the first 18 characters of an LEI. */
export function leiCheckDigits(first18: string): string {
    const check = 98 - mod97(`${first18}00`);
    return String(check).padStart(2, '0');
}

/** True for a well-formed LEI (20 characters) whose last two digits satisfy MOD 97-10. */
export function isValidLei(code: string): boolean {
    return /^[0-9A-Z]{18}[0-9]{2}$/.test(code) && mod97(code) === 1;
}

export type IdentifierKind = 'USCC' | 'LEI';

/** Classifies a valid identifier, or returns undefined for a malformed one. */
export function identifierKind(code: string): IdentifierKind | undefined {
    if (code.length === 18 && isValidUscc(code)) {
        return 'USCC';
    }
    if (code.length === 20 && isValidLei(code)) {
        return 'LEI';
    }
    return undefined;
}
