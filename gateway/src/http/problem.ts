import type { NextFunction, Request, Response } from 'express';
import { AppError, AppErrorCode, STATUS_OF, titleOf, toAppError } from '../errors';

/**
 * Renders every failure as application/problem+json (RFC 9457) with the error code and the
 * transaction id where there is one. This is the one place HTTP meets AppError; 5xx bodies carry
 * no internals (unexpected errors say only that something failed), the cause goes to the log.
 */

export interface ProblemDocument {
    readonly type: string;
    readonly title: string;
    readonly status: number;
    readonly detail: string;
    readonly code: string;
    readonly txId?: string;
    /** 401 to a credential that no longer works: why (CREDENTIAL_ENDS). */
    readonly reason?: string;
}

/** The code a client error of express or body-parser gets, by the status it was marked with. */
const CODE_OF_CLIENT_STATUS: Readonly<Partial<Record<number, AppErrorCode>>> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
};

/** Longest part of a client's own input (a path parameter) repeated in a detail. */
const MAX_ECHO = 200;

interface HttpErrorLike {
    readonly status?: unknown;
    readonly expose?: unknown;
    readonly type?: unknown;
    readonly code?: unknown;
    readonly limit?: unknown;
    readonly message?: unknown;
}

/** A failure of zlib (gzip, deflate) or brotli: the body is not in the Content-Encoding it names. */
function isDecompressionFailure(error: HttpErrorLike): boolean {
    return typeof error.code === 'string' && (/^Z_[A-Z_]+$/.test(error.code) || error.code.startsWith('ERR__ERROR_'));
}

function clientStatus(error: HttpErrorLike): number | undefined {
    return typeof error.status === 'number' && Number.isInteger(error.status) && error.status >= 400 && error.status < 500 ? error.status : undefined;
}

/**
 * Failures raised by express and its body parsers before a route runs: recognised by their `type`,
 * and otherwise by the 4xx `status` they were marked with. A client error stays a client error:
 * only what these libraries mark as a server failure (or do not mark) becomes INTERNAL.
 */
function fromExpress(thrown: unknown): AppError | undefined {
    if (thrown === null || typeof thrown !== 'object' || thrown instanceof AppError) {
        return undefined;
    }
    const error = thrown as HttpErrorLike;
    const options = { cause: thrown };
    switch (error.type) {
        case 'entity.parse.failed':
            return new AppError('INVALID_ARGUMENT', 'the request body is not valid JSON', options);
        case 'entity.too.large':
            return new AppError('PAYLOAD_TOO_LARGE', typeof error.limit === 'number' ? `the request body is larger than the ${error.limit} bytes this endpoint accepts` : 'the request body is too large', options);
        case 'encoding.unsupported':
            return new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body is in a Content-Encoding the gateway does not accept (use identity, gzip, deflate or br)', options);
        case 'charset.unsupported':
            return new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body is in a charset the gateway does not accept (use utf-8)', options);
        case 'request.aborted':
            return new AppError('INVALID_ARGUMENT', 'the request was aborted', options);
        case 'request.size.invalid':
            return new AppError('INVALID_ARGUMENT', 'the request body is not as long as its Content-Length says', options);
        default:
            break;
    }
    const status = clientStatus(error);
    if (status === undefined) {
        return undefined;
    }
    // express's router marks a path parameter that is not valid percent-encoding with 400 (not exposed).
    if (thrown instanceof URIError) {
        return new AppError('INVALID_ARGUMENT', `the request path is not valid percent-encoding (a % must start two hexadecimal digits of UTF-8): ${String(error.message).slice(0, MAX_ECHO)}`, options);
    }
    if (error.expose !== true) {
        return undefined;
    }
    if (isDecompressionFailure(error)) {
        return new AppError('INVALID_ARGUMENT', `the request body is not encoded as its Content-Encoding says (${String(error.message)})`, options);
    }
    const code = CODE_OF_CLIENT_STATUS[status] ?? 'INVALID_ARGUMENT';
    return new AppError(code, `the request could not be read: ${String(error.message).slice(0, MAX_ECHO)}`, options);
}

/** The AppError and problem document for anything thrown. */
export function problemOf(error: unknown): { error: AppError; problem: ProblemDocument } {
    const appError = fromExpress(error) ?? toAppError(error);
    const status = STATUS_OF[appError.code];
    const detail = appError.code === 'INTERNAL' ? 'an unexpected error occurred; it has been logged' : appError.message;
    const problem: ProblemDocument = {
        type: `urn:xinlian:error:${appError.code}`,
        title: titleOf(appError.code),
        status,
        detail,
        code: appError.code,
        ...(appError.txId ? { txId: appError.txId } : {}),
        ...(appError.reason ? { reason: appError.reason } : {}),
    };
    return { error: appError, problem };
}

/**
 * The challenge of a 401 answer (RFC 9110 §11.6.1, RFC 6750 §3): the Bearer scheme and the API's
 * realm, with `error="invalid_token"` when the request presented a credential that did not work
 * (a request without one gets no error code, as RFC 6750 asks).
 */
export function bearerChallenge(error?: 'invalid_token'): string {
    return `Bearer realm="xinlian"${error ? `, error="${error}"` : ''}`;
}

export interface ProblemHooks {
    /** Called once per failed request (logging and metrics). */
    readonly onError: (error: AppError, req: Request) => void;
}

/** The error middleware: the last one of the app. */
export function problemMiddleware(hooks: ProblemHooks) {
    return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
        if (res.headersSent) {
            next(error);
            return;
        }
        const rendered = problemOf(error);
        hooks.onError(rendered.error, req);
        if (rendered.error.retryAfter !== undefined) {
            res.set('Retry-After', String(rendered.error.retryAfter));
        }
        if (rendered.error.txId) {
            res.set('X-Transaction-Id', rendered.error.txId);
        }
        // Every 401 names how to authenticate; a handler that set its own challenge (/metrics, a refused credential) keeps it.
        if (rendered.problem.status === 401 && res.get('WWW-Authenticate') === undefined) {
            res.set('WWW-Authenticate', bearerChallenge());
        }
        res.status(rendered.problem.status).type('application/problem+json').send(JSON.stringify(rendered.problem));
    };
}
