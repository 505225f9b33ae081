/**
 * Coded chaincode errors.
 *
 * Fabric carries only a string from chaincode to client, so every error travels as
 * `[CODE] message`. This module is the single place that encodes and decodes that form;
 * the gateway maps each code to an HTTP status with one exhaustive table.
 */

/** Every error code the chaincode can raise. On-ledger and wire names: public API. */
export const ERROR_CODES = [
    'INVALID_ARGUMENT',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'NOT_FOUND',
    'ALREADY_EXISTS',
    'CONFLICT',
    'INVALID_STATE',
    'DOUBLE_FINANCING',
    'INSUFFICIENT_LIMIT',
    'ENTERPRISE_FROZEN',
    'EXPIRED',
    'TENOR_EXCEEDED',
    'ALREADY_PLEDGED',
    'PRIORITY_VIOLATION',
    'TERM_EXCEEDS_RIGHT',
    'CONSENT_MISSING',
    'LTV_EXCEEDED',
    'SIGNER_NOT_REGISTERED',
    'INVALID_SIGNATURE',
    'REVOKED',
    'AGREEMENT_INACTIVE',
    'UNKNOWN_TRANSACTION',
    'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

/** Narrows an arbitrary string to a known error code. */
export function isErrorCode(value: string): value is ErrorCode {
    return CODE_SET.has(value);
}

/** An error raised by a contract; its `message` is already in wire form `[CODE] text`. */
export class ChaincodeError extends Error {
    readonly code: ErrorCode;
    readonly detail: string;

    constructor(code: ErrorCode, detail: string) {
        super(encodeError(code, detail));
        this.name = 'ChaincodeError';
        this.code = code;
        this.detail = detail;
    }
}

/** Renders the wire form of an error. */
export function encodeError(code: ErrorCode, detail: string): string {
    return `[${code}] ${detail}`;
}

/** A decoded chaincode error. */
export interface DecodedError {
    code: ErrorCode;
    message: string;
}

const CODED = /\[([A-Z][A-Z_]+)\] ([\s\S]*)$/;

/**
 * Messages the fabric-contract-api dispatcher itself produces before our code runs.
 * This decoder is the one place allowed to recognise message text.
 */
const DISPATCHER_MESSAGES: ReadonlyArray<[RegExp, ErrorCode]> = [
    [/Expected \d+ parameters, but \d+ have been supplied/, 'INVALID_ARGUMENT'],
    [/Contract name is not known/, 'UNKNOWN_TRANSACTION'],
    [/You've asked to invoke a function that does not exist/, 'UNKNOWN_TRANSACTION'],
    [/Unable to parse|Unexpected token|is not valid JSON|JSON at position/, 'INVALID_ARGUMENT'],
];

/**
 * Decodes an error text from any backend (a peer's endorsement error, the embedded engine,
 * a contract's own throw) into a code and message. Text that carries no code is INTERNAL.
 */
export function decodeError(text: string): DecodedError {
    const match = CODED.exec(text);
    if (match && isErrorCode(match[1])) {
        return { code: match[1], message: match[2].trim() };
    }
    for (const [pattern, code] of DISPATCHER_MESSAGES) {
        if (pattern.test(text)) {
            return { code, message: text.trim() };
        }
    }
    return { code: 'INTERNAL', message: text.trim() };
}

/** Shorthand constructors, so call sites read as the rule they enforce. */
export const fail = {
    invalid: (detail: string): ChaincodeError => new ChaincodeError('INVALID_ARGUMENT', detail),
    forbidden: (detail: string): ChaincodeError => new ChaincodeError('FORBIDDEN', detail),
    notFound: (detail: string): ChaincodeError => new ChaincodeError('NOT_FOUND', detail),
    exists: (detail: string): ChaincodeError => new ChaincodeError('ALREADY_EXISTS', detail),
    state: (detail: string): ChaincodeError => new ChaincodeError('INVALID_STATE', detail),
    of: (code: ErrorCode, detail: string): ChaincodeError => new ChaincodeError(code, detail),
};
