import { expect } from 'chai';
import { AppError } from '../errors';
import { problemOf } from './problem';

/** An error as http-errors builds it (body-parser, raw-body): a status and whether its message may be shown. */
function httpError(message: string, fields: Record<string, unknown>): Error {
    return Object.assign(new Error(message), fields);
}

describe('problem documents', () => {
    it('keeps a client error that express or body-parser marks 4xx and exposed a client error', () => {
        const cases: Array<[error: Error, code: string, status: number]> = [
            [httpError('incorrect header check', { status: 400, statusCode: 400, expose: true, code: 'Z_DATA_ERROR', errno: -3 }), 'INVALID_ARGUMENT', 400],
            [httpError('Decompression failed', { status: 400, expose: true, code: 'ERR__ERROR_FORMAT_PADDING_2', errno: -15 }), 'INVALID_ARGUMENT', 400],
            [httpError('request size did not match content length', { status: 400, expose: true, type: 'request.size.invalid' }), 'INVALID_ARGUMENT', 400],
            [httpError('too many parameters', { status: 413, expose: true, type: 'parameters.too.many' }), 'PAYLOAD_TOO_LARGE', 413],
            [httpError('Length Required', { status: 411, expose: true }), 'INVALID_ARGUMENT', 400],
            [httpError('Not Found', { status: 404, expose: true }), 'NOT_FOUND', 404],
            [httpError('unsupported content encoding "compress"', { status: 415, expose: true, type: 'encoding.unsupported' }), 'UNSUPPORTED_MEDIA_TYPE', 415],
        ];
        for (const [error, code, status] of cases) {
            const { error: translated, problem } = problemOf(error);
            expect(problem, error.message).to.include({ code, status });
            expect(translated.cause, error.message).to.equal(error);
        }
    });

    it("says in `reason` why a refused credential no longer works, and only then", () => {
        expect(problemOf(new AppError('UNAUTHENTICATED', 'user alice is disabled', { reason: 'disabled' })).problem).to.deep.include({ status: 401, reason: 'disabled' });
        expect(problemOf(new AppError('UNAUTHENTICATED', 'an Authorization header (Bearer token or ApiKey) is required')).problem).to.not.have.property('reason');
    });

    it('names a body that is not in its Content-Encoding', () => {
        const { problem } = problemOf(httpError('incorrect header check', { status: 400, expose: true, code: 'Z_DATA_ERROR', errno: -3 }));
        expect(problem.detail).to.equal('the request body is not encoded as its Content-Encoding says (incorrect header check)');
    });

    it('answers a path parameter express cannot decode with 400 naming it', () => {
        const error = Object.assign(new URIError("Failed to decode param '%ZZ'"), { status: 400, statusCode: 400 });
        const { problem } = problemOf(error);
        expect(problem).to.include({ status: 400, code: 'INVALID_ARGUMENT' });
        expect(problem.detail).to.include('percent-encoding').and.include('%ZZ');
    });

    it('keeps what is not marked as a client error a 500 without internals', () => {
        const cases = [
            new Error('disk on fire'),
            httpError('stream is not readable', { status: 500, expose: false, type: 'stream.not.readable' }),
            httpError('secret 4xx without expose', { status: 400 }),
            httpError('a status out of range', { status: 600, expose: true }),
            'a thrown string',
        ];
        for (const error of cases) {
            const { problem } = problemOf(error);
            expect(problem, String(error)).to.include({ status: 500, code: 'INTERNAL', detail: 'an unexpected error occurred; it has been logged' });
        }
    });

    it('renders an AppError with its own code, status and transaction id', () => {
        const { problem } = problemOf(new AppError('METHOD_NOT_ALLOWED', 'DELETE is not allowed', { txId: 'tx1' }));
        expect(problem).to.deep.equal({ type: 'urn:xinlian:error:METHOD_NOT_ALLOWED', title: 'Method not allowed', status: 405, detail: 'DELETE is not allowed', code: 'METHOD_NOT_ALLOWED', txId: 'tx1' });
    });
});
