import { expect } from 'chai';
import { readFileSync } from 'fs';
import * as path from 'path';
import { ERROR_CODES } from '@xinlian/chaincode';
import { APP_ERROR_CODES, AppError, GATEWAY_ERROR_CODES, STATUS_OF, toAppError } from './errors';

describe('error catalogue and status table', () => {
    it('gives every chaincode and gateway code exactly one HTTP status', () => {
        expect(Object.keys(STATUS_OF).sort()).to.deep.equal([...ERROR_CODES, ...GATEWAY_ERROR_CODES].sort());
        expect(APP_ERROR_CODES).to.have.length(ERROR_CODES.length + GATEWAY_ERROR_CODES.length);
        for (const code of APP_ERROR_CODES) {
            expect(STATUS_OF[code], code).to.be.within(400, 599);
        }
    });

    it('documents every code with its status in docs/errors.md', () => {
        const doc = readFileSync(path.join(__dirname, '../../docs/errors.md'), 'utf8');
        for (const code of APP_ERROR_CODES) {
            const row = new RegExp(`^\\| \`${code}\` \\|.*\\| ${STATUS_OF[code]} \\|$`, 'm');
            const inText = new RegExp(`\`${code}\` \\(${STATUS_OF[code]}\\b`);
            expect(row.test(doc) || inText.test(doc), `${code} (${STATUS_OF[code]}) in docs/errors.md`).to.equal(true);
        }
    });

    it('maps the codes as the design says', () => {
        expect(STATUS_OF).to.include({
            INVALID_ARGUMENT: 400,
            UNAUTHENTICATED: 401,
            FORBIDDEN: 403,
            NOT_FOUND: 404,
            ALREADY_EXISTS: 409,
            CONFLICT: 409,
            INVALID_STATE: 409,
            DOUBLE_FINANCING: 409,
            INSUFFICIENT_LIMIT: 409,
            LEDGER_UNAVAILABLE: 503,
            LEDGER_TIMEOUT: 504,
            INTERNAL: 500,
            RATE_LIMITED: 429,
        });
    });

    it('keeps the cause and the transaction id, and wraps unknown errors as INTERNAL', () => {
        const cause = new Error('disk on fire');
        const error = new AppError('CONFLICT', 'lost a race', { txId: 'tx1', cause, retryable: true });
        expect(error).to.include({ code: 'CONFLICT', txId: 'tx1', retryable: true, status: 409 });
        expect(error.cause).to.equal(cause);
        const wrapped = toAppError(cause);
        expect(wrapped.code).to.equal('INTERNAL');
        expect(wrapped.cause).to.equal(cause);
        expect(toAppError(error)).to.equal(error);
    });
});
