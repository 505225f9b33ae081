import { expect } from 'chai';
import { z } from 'zod';
import { Amount, CalendarDate, Currency, DateOrTimestamp, EnterpriseId, PageQuery, RecordId } from './schemas';
import { validate } from './router';

/** The INVALID_ARGUMENT detail `validate` gives for `value` in field `field` of a body. */
function detailFor(schema: z.ZodType, field: string, value: unknown): string {
    try {
        validate(z.strictObject({ [field]: schema }), { [field]: value }, 'body');
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error(`${JSON.stringify(value)} was accepted`);
}

describe('shared request schemas', () => {
    it('say what a malformed field must be, not which pattern it failed', () => {
        const cases: Array<[z.ZodType, string, unknown, string]> = [
            [Amount, 'amount', '100.5', 'body.amount: must be whole minor units (fen, cents)'],
            [Amount, 'amount', '-5', 'body.amount: must be whole minor units'],
            [Amount, 'amount', '01', 'body.amount: must be whole minor units'],
            [Amount, 'amount', '1'.repeat(20), 'at most 19 digits'],
            [EnterpriseId, 'holderId', 'ACME', 'body.holderId: must be an enterprise id: a USCC'],
            [RecordId, 'noteId', 'N 1', 'body.noteId: must be a record id'],
            [Currency, 'currency', 'cny', 'body.currency: must be an ISO 4217 currency code'],
            [CalendarDate, 'maturityDate', '2027/02/24', 'body.maturityDate: must be a date YYYY-MM-DD'],
            [DateOrTimestamp, 'expiresAt', '2027-02-24 10:00', 'body.expiresAt: must be a date YYYY-MM-DD or a UTC timestamp'],
        ];
        for (const [schema, field, value, expected] of cases) {
            const detail = detailFor(schema, field, value);
            expect(detail, String(value)).to.include(expected);
            expect(detail, String(value)).not.to.include('pattern');
        }
    });

    it('say what a page size must be', () => {
        for (const limit of ['abc', '0', '501', '2.5']) {
            expect(() => validate(PageQuery, { limit }, 'query'), limit).to.throw('query.limit: must be a whole number from 1 to 500');
        }
        expect(validate(PageQuery, { limit: '20' }, 'query')).to.deep.equal({ limit: 20 });
    });

    it('accept well-formed values', () => {
        expect(validate(z.strictObject({ amount: Amount }), { amount: '1050' }, 'body')).to.deep.equal({ amount: '1050' });
        expect(validate(z.strictObject({ amount: Amount }), { amount: '0' }, 'body')).to.deep.equal({ amount: '0' });
        expect(validate(z.strictObject({ id: EnterpriseId }), { id: '91320500MA1MX00059' }, 'body')).to.deep.equal({ id: '91320500MA1MX00059' });
        expect(validate(z.strictObject({ at: DateOrTimestamp }), { at: '2027-02-24T10:00:00Z' }, 'body')).to.deep.equal({ at: '2027-02-24T10:00:00Z' });
    });
});
