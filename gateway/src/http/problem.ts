import type { NextFunction, Request, Response } from 'express';
import { AppError, STATUS_OF, titleOf, toAppError } from '../errors';

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
}

/** Failures raised by express's body parsers, recognised by their `type`. */
function fromBodyParser(error: unknown): AppError | undefined {
    const type = (error as { type?: unknown } | null)?.type;
    switch (type) {
        case 'entity.parse.failed':
            return new AppError('INVALID_ARGUMENT', 'the request body is not valid JSON', { cause: error });
        case 'entity.too.large': {
            const limit = (error as { limit?: unknown }).limit;
            return new AppError('PAYLOAD_TOO_LARGE', typeof limit === 'number' ? `the request body is larger than the ${limit} bytes this endpoint accepts` : 'the request body is too large', { cause: error });
        }
        case 'encoding.unsupported':
        case 'charset.unsupported':
            return new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body encoding is not supported', { cause: error });
        case 'request.aborted':
            return new AppError('INVALID_ARGUMENT', 'the request was aborted', { cause: error });
        default:
            return undefined;
    }
}

/** The AppError and problem document for anything thrown. */
export function problemOf(error: unknown): { error: AppError; problem: ProblemDocument } {
    const appError = fromBodyParser(error) ?? toAppError(error);
    const status = STATUS_OF[appError.code];
    const detail = appError.code === 'INTERNAL' ? 'an unexpected error occurred; it has been logged' : appError.message;
    const problem: ProblemDocument = {
        type: `urn:xinlian:error:${appError.code}`,
        title: titleOf(appError.code),
        status,
        detail,
        code: appError.code,
        ...(appError.txId ? { txId: appError.txId } : {}),
    };
    return { error: appError, problem };
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
        res.status(rendered.problem.status).type('application/problem+json').send(JSON.stringify(rendered.problem));
    };
}
