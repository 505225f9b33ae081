import { ERROR_CODES, ErrorCode } from '@xinlian/chaincode';

/**
 * The gateway's one error catalogue: every chaincode code plus the few failures only the gateway
 * can produce. Each code has exactly one HTTP status in STATUS_OF; adding a code without a status
 * does not compile.
 */

/** Failures that never reach (or never come back from) the chaincode. */
export const GATEWAY_ERROR_CODES = [
    'RATE_LIMITED',
    'METHOD_NOT_ALLOWED',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'IDEMPOTENCY_KEY_REUSED',
    'IDEMPOTENCY_IN_PROGRESS',
    'IDEMPOTENCY_RESPONSE_LOST',
    'DOCUMENT_CORRUPT',
    'LEDGER_UNAVAILABLE',
    'LEDGER_TIMEOUT',
    'LEDGER_MESSAGE_TOO_LARGE',
] as const;

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/** Every code the API can answer with. */
export type AppErrorCode = ErrorCode | GatewayErrorCode;

export const APP_ERROR_CODES: readonly AppErrorCode[] = [...ERROR_CODES, ...GATEWAY_ERROR_CODES];

/** The one exhaustive code → HTTP status table. */
export const STATUS_OF: Readonly<Record<AppErrorCode, number>> = {
    INVALID_ARGUMENT: 400,
    INVALID_SIGNATURE: 400,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    UNKNOWN_TRANSACTION: 404,
    ALREADY_EXISTS: 409,
    CONFLICT: 409,
    INVALID_STATE: 409,
    DOUBLE_FINANCING: 409,
    INSUFFICIENT_LIMIT: 409,
    ENTERPRISE_FROZEN: 409,
    EXPIRED: 409,
    TENOR_EXCEEDED: 409,
    ALREADY_PLEDGED: 409,
    PRIORITY_VIOLATION: 409,
    TERM_EXCEEDS_RIGHT: 409,
    CONSENT_MISSING: 409,
    LTV_EXCEEDED: 409,
    SIGNER_NOT_REGISTERED: 409,
    REVOKED: 409,
    AGREEMENT_INACTIVE: 409,
    IDEMPOTENCY_IN_PROGRESS: 409,
    IDEMPOTENCY_RESPONSE_LOST: 409,
    METHOD_NOT_ALLOWED: 405,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    IDEMPOTENCY_KEY_REUSED: 422,
    RATE_LIMITED: 429,
    INTERNAL: 500,
    DOCUMENT_CORRUPT: 502,
    LEDGER_UNAVAILABLE: 503,
    LEDGER_TIMEOUT: 504,
    LEDGER_MESSAGE_TOO_LARGE: 502,
};

/** Short human titles for problem documents. */
export function titleOf(code: AppErrorCode): string {
    return code
        .toLowerCase()
        .split('_')
        .map((word, i) => (i === 0 ? word[0].toUpperCase() + word.slice(1) : word))
        .join(' ');
}

/** Options of an AppError. */
export interface AppErrorOptions {
    /** The ledger transaction the failure belongs to, when there is one. */
    readonly txId?: string;
    /** A read conflict that a later attempt may win. */
    readonly retryable?: boolean;
    readonly cause?: unknown;
    /** Seconds after which a client may retry (RATE_LIMITED). */
    readonly retryAfter?: number;
    /** UNAUTHENTICATED: why a credential no longer works, for a client to tell its user (the problem's `reason`). */
    readonly reason?: CredentialEnd;
}

/**
 * Why a presented credential no longer works: it expired (or is not one the gateway issued), the user's
 * password changed, the user was disabled or no longer exists, or the token was signed out.
 */
export const CREDENTIAL_ENDS = ['expired', 'password-changed', 'disabled', 'removed', 'signed-out'] as const;
export type CredentialEnd = (typeof CREDENTIAL_ENDS)[number];

/** A coded failure, translated once at the boundary where it arose. */
export class AppError extends Error {
    override readonly name = 'AppError';
    readonly txId: string | undefined;
    readonly retryable: boolean;
    readonly retryAfter: number | undefined;
    readonly reason: CredentialEnd | undefined;

    constructor(
        readonly code: AppErrorCode,
        message: string,
        options: AppErrorOptions = {},
    ) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.txId = options.txId;
        this.retryable = options.retryable ?? false;
        this.retryAfter = options.retryAfter;
        this.reason = options.reason;
    }

    /** The HTTP status of this error's code. */
    get status(): number {
        return STATUS_OF[this.code];
    }
}

/** Shorthand constructors for the common gateway-side failures. */
export const appError = {
    invalid: (message: string): AppError => new AppError('INVALID_ARGUMENT', message),
    unauthenticated: (message: string, reason?: CredentialEnd): AppError => new AppError('UNAUTHENTICATED', message, reason ? { reason } : {}),
    forbidden: (message: string): AppError => new AppError('FORBIDDEN', message),
    notFound: (message: string): AppError => new AppError('NOT_FOUND', message),
    internal: (message: string, cause?: unknown): AppError => new AppError('INTERNAL', message, { cause }),
};

/** Normalises anything thrown into an AppError (unknown errors become INTERNAL, keeping the cause). */
export function toAppError(error: unknown): AppError {
    if (error instanceof AppError) {
        return error;
    }
    return new AppError('INTERNAL', 'an unexpected error occurred', { cause: error });
}
