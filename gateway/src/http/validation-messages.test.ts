import { expect } from 'chai';
import { z } from 'zod';
import { AppError } from '../errors';
import { validate } from './router';
import { Amount, EnterpriseId, PageQuery, Role } from './schemas';
import { notesRoutes } from './routes/notes-routes';
import { recognitionsRoutes } from './routes/attestations-routes';
import { ALL_ROUTES } from './routes';

/** The INVALID_ARGUMENT message `validate` gives for `value` checked by `schema` in `where`. */
function refusal(schema: z.ZodType, value: unknown, where = 'body'): string {
    try {
        validate(schema, value, where);
    } catch (error) {
        expect(error).to.be.instanceOf(AppError);
        expect((error as AppError).code).to.equal('INVALID_ARGUMENT');
        return (error as AppError).message;
    }
    throw new Error(`${JSON.stringify(value)} was accepted`);
}

/** The message for field `field` holding `value`, checked by `schema` inside a strict body. */
const fieldRefusal = (field: string, schema: z.ZodType, value: unknown): string => refusal(z.strictObject({ [field]: schema }), { [field]: value });

/** A route's body schema, by method and path. */
function bodyOf(routes: readonly { method: string; path: string; body?: z.ZodType; query?: z.ZodType }[], method: string, path: string, part: 'body' | 'query' = 'body'): z.ZodType {
    const schema = routes.find((route) => route.method === method && route.path === path)?.[part];
    if (!schema) {
        throw new Error(`no ${part} schema for ${method} ${path}`);
    }
    return schema;
}

describe('validation messages', () => {
    it('too_big: at most so many characters or items, a number or date at most its bound', () => {
        expect(fieldRefusal('name', z.string().max(200), 'x'.repeat(201))).to.equal('body.name: at most 200 characters');
        expect(fieldRefusal('receivableIds', z.array(z.string()).max(50), Array.from({ length: 51 }, (_, i) => `R${i}`))).to.equal('body.receivableIds: at most 50 items');
        expect(fieldRefusal('tags', z.array(z.string()).max(1), ['a', 'b'])).to.equal('body.tags: at most 1 item');
        expect(fieldRefusal('code', z.string().length(3), 'abcd')).to.equal('body.code: exactly 3 characters');
        expect(fieldRefusal('rateBps', z.int().min(0).max(10_000), 10_001)).to.equal('body.rateBps: at most 10000');
        expect(fieldRefusal('ratio', z.number().lt(1), 1)).to.equal('body.ratio: less than 1');
        expect(fieldRefusal('units', z.bigint().max(5n), 6n)).to.equal('body.units: at most 5');
        expect(fieldRefusal('at', z.date().max(new Date('2026-03-01T00:00:00Z')), new Date('2026-03-02T00:00:00Z'))).to.equal('body.at: on or before 2026-03-01T00:00:00.000Z');
        expect(fieldRefusal('ids', z.set(z.string()).max(1), new Set(['a', 'b']))).to.equal('body.ids: at most 1 item');
    });

    it('too_small: at least so many characters or items, a number or date at least its bound', () => {
        expect(fieldRefusal('username', z.string().min(1), '')).to.equal('body.username: at least 1 character');
        expect(fieldRefusal('password', z.string().min(10), 'short')).to.equal('body.password: at least 10 characters');
        expect(fieldRefusal('receivableIds', z.array(z.string()).min(1), [])).to.equal('body.receivableIds: at least 1 item');
        expect(fieldRefusal('code', z.string().length(3), 'ab')).to.equal('body.code: exactly 3 characters');
        expect(fieldRefusal('priority', z.int().min(1), 0)).to.equal('body.priority: at least 1');
        expect(fieldRefusal('rate', z.number().positive(), 0)).to.equal('body.rate: greater than 0');
        expect(fieldRefusal('units', z.bigint().min(1n), 0n)).to.equal('body.units: at least 1');
        expect(fieldRefusal('at', z.date().min(new Date('2026-03-01T00:00:00Z')), new Date('2026-02-01T00:00:00Z'))).to.equal('body.at: on or after 2026-03-01T00:00:00.000Z');
    });

    it('invalid_type: what the field must be and what was received, or that it is required', () => {
        expect(fieldRefusal('amount', z.string(), 1050)).to.equal('body.amount: must be a string (received 1050)');
        expect(fieldRefusal('priority', z.int(), 2.5)).to.equal('body.priority: must be a whole number (received 2.5)');
        expect(fieldRefusal('priority', z.int(), '2')).to.equal('body.priority: must be a whole number (received "2")');
        expect(fieldRefusal('ratio', z.number(), 'x'.repeat(41))).to.equal('body.ratio: must be a number (received a string)');
        expect(fieldRefusal('ids', z.array(z.string()), 'R1')).to.equal('body.ids: must be an array (received "R1")');
        expect(fieldRefusal('ids', z.array(z.string()), [1])).to.equal('body.ids.0: must be a string (received 1)');
        expect(fieldRefusal('flag', z.boolean(), 'yes')).to.equal('body.flag: must be true or false (received "yes")');
        expect(fieldRefusal('terms', z.object({}), null)).to.equal('body.terms: must be an object (received null)');
        expect(fieldRefusal('terms', z.object({}), [])).to.equal('body.terms: must be an object (received an array)');
        expect(refusal(z.strictObject({ amount: z.string(), currency: z.string() }), { currency: 'CNY' })).to.equal('body.amount: is required');
        expect(refusal(z.strictObject({ amount: z.string() }), undefined)).to.equal('body: is required');
        expect(fieldRefusal('gone', z.never(), 1)).to.equal('body.gone: must be left out');
    });

    it('invalid_format: what form the text must have', () => {
        expect(fieldRefusal('code', z.string().regex(/^\d+$/), 'x1')).to.equal('body.code: is not in the expected format (the pattern /^\\d+$/)');
        expect(fieldRefusal('email', z.email(), 'nobody')).to.equal('body.email: must be an email address');
        expect(fieldRefusal('id', z.uuid(), 'x')).to.equal('body.id: must be a UUID');
        expect(fieldRefusal('link', z.url(), 'x')).to.equal('body.link: must be a URL');
        expect(fieldRefusal('at', z.iso.datetime(), '2026-03-01')).to.equal('body.at: must be an ISO 8601 date and time such as 2026-03-01T08:00:00Z');
        expect(fieldRefusal('on', z.iso.date(), '2026/03/01')).to.equal('body.on: must be a date YYYY-MM-DD');
        expect(fieldRefusal('address', z.string().startsWith('0x'), 'ab')).to.equal('body.address: must start with "0x"');
        expect(fieldRefusal('file', z.string().endsWith('.pdf'), 'a.doc')).to.equal('body.file: must end with ".pdf"');
        expect(fieldRefusal('memo', z.string().includes('INV'), 'x')).to.equal('body.memo: must contain "INV"');
        expect(fieldRefusal('name', z.string().lowercase(), 'ABC')).to.equal('body.name: must be in lower case');
        expect(fieldRefusal('ip', z.ipv4(), 'x')).to.equal('body.ip: must be an IPv4 address');
    });

    it('invalid_value: the values the field takes', () => {
        expect(fieldRefusal('status', z.enum(['ACTIVE', 'SPENT', 'LOCKED']), 'GONE')).to.equal('body.status: must be one of ACTIVE, SPENT, LOCKED');
        expect(refusal(z.object({ status: z.enum(['ACTIVE', 'SPENT']) }), { status: 'x' }, 'query')).to.equal('query.status: must be one of ACTIVE, SPENT');
        expect(fieldRefusal('role', Role, 'admin')).to.equal('body.role: must be one of platform-admin, core-enterprise, supplier, financier, appraiser, credit-bureau, foreign-partner, regulator');
        expect(fieldRefusal('status', z.literal('ok'), 'fine')).to.equal('body.status: must be "ok"');
        expect(fieldRefusal('version', z.literal(2), 1)).to.equal('body.version: must be 2');
        expect(fieldRefusal('kind', z.enum(['two words', 'x']), 'y')).to.equal('body.kind: must be one of "two words", x');
        const many = Array.from({ length: 15 }, (_, i) => `V${i}`) as [string, ...string[]];
        expect(fieldRefusal('code', z.enum(many), 'x')).to.equal('body.code: must be one of V0, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, …');
    });

    it('unrecognized_keys: which fields the request has that it does not take', () => {
        const body = z.strictObject({ amount: z.string() });
        expect(refusal(body, { amount: '1', foo: 1 })).to.equal('body: "foo" is not a field of this request');
        expect(refusal(body, { amount: '1', foo: 1, bar: 2 })).to.equal('body: "foo", "bar" are not fields of this request');
        expect(refusal(z.strictObject({ terms: z.strictObject({ rate: z.int() }) }), { terms: { rate: 1, fee: 2 } })).to.equal('body.terms: "fee" is not a field of this object');
        // A long or strange key is quoted and cut short.
        const long = `k${'x'.repeat(100)}`;
        expect(refusal(body, { amount: '1', [long]: 1 })).to.equal(`body: "k${'x'.repeat(59)}…" is not a field of this request`);
        expect(refusal(body, { amount: '1', 'a"b': 1 })).to.equal('body: "a\\"b" is not a field of this request');
    });

    it('not_multiple_of, invalid_union, invalid_key, invalid_element and custom: in words too', () => {
        expect(fieldRefusal('lot', z.int().multipleOf(100), 150)).to.equal('body.lot: must be a multiple of 100');
        expect(fieldRefusal('ref', z.union([z.string(), z.int()]), true)).to.equal('body.ref: must be a string or a number (received true)');
        expect(fieldRefusal('ref', z.union([z.string(), z.int()]), undefined)).to.equal('body.ref: is required');
        const shapes = z.union([z.strictObject({ cid: z.string() }), z.strictObject({ url: z.url() })]);
        expect(fieldRefusal('source', shapes, {})).to.equal('body.source: matches none of the accepted forms (the closest: cid: is required)');
        const kinds = z.discriminatedUnion('kind', [z.object({ kind: z.literal('A') }), z.object({ kind: z.literal('B') })]);
        expect(fieldRefusal('item', kinds, { kind: 'C' })).to.equal('body.item.kind: must be one of A, B');
        expect(fieldRefusal('labels', z.record(z.string().regex(/^[a-z]+$/), z.string()), { Bad: 'x' })).to.equal('body.labels.Bad: is not an accepted key: is not in the expected format (the pattern /^[a-z]+$/)');
        expect(fieldRefusal('index', z.map(z.object({}), z.int()), new Map([[{}, 'x']]))).to.equal('body.index: holds an item that is not valid: must be a whole number (received "x")');
        expect(fieldRefusal('note', z.string().refine(() => false), 'x')).to.equal('body.note: is not valid');
    });

    it('keeps the messages our schemas set themselves', () => {
        expect(fieldRefusal('amount', Amount, 1050)).to.equal('body.amount: must be a string (received 1050)');
        expect(fieldRefusal('amount', Amount, '10.50')).to.match(/^body\.amount: must be whole minor units \(fen, cents\) from 1 to 10\^18/);
        expect(fieldRefusal('holderId', EnterpriseId, 'ACME')).to.equal('body.holderId: must be an enterprise id: a USCC (18 letters and digits) or an LEI (20)');
        expect(refusal(PageQuery, { limit: '0' }, 'query')).to.equal('query.limit: must be a whole number from 1 to 500');
        const noteParameters = bodyOf(notesRoutes, 'put', '/parameters/notes');
        expect(refusal(noteParameters, { maxTenorMonths: 6, graceDays: 3, maxTenorDays: 180 })).to.match(/^body: maxTenorDays is no longer accepted: the tenor cap is set in calendar months as maxTenorMonths/);
        // The same schema's map says nothing of other keys: those get the plain words.
        expect(refusal(noteParameters, { maxTenorMonths: 6, graceDays: 3, other: 1 })).to.equal('body: "other" is not a field of this request');
        expect(refusal(noteParameters, { maxTenorMonths: 6, graceDays: 91 })).to.equal('body.graceDays: must be a whole number of days from 0 to 90');
        expect(refusal(bodyOf(recognitionsRoutes, 'get', '/recognitions', 'query'), {}, 'query')).to.equal('query: give exactly one of subjectId and agreementId');
    });

    it('names each failing field, the first ten, in the <where>.<path>: message shape', () => {
        const issue = bodyOf(notesRoutes, 'post', '/notes');
        const message = refusal(issue, { holderId: 5, amount: '1', currency: 'CNY', maturityDate: '2027-01-01', creditLineId: 'L1', receivableIds: [], extra: true });
        expect(message).to.equal('body.holderId: must be a string (received 5); body.receivableIds: at least 1 item; body: "extra" is not a field of this request');
        const wide = z.strictObject(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, z.string()])));
        expect(refusal(wide, {}).split('; ')).to.have.length(10);
    });

    it('every pattern a route checks says in words what it takes, not the pattern', () => {
        // A value no pattern of ours accepts, given to every top-level field of every route's body, path and query.
        const bad = '\u0001 not valid \u0001';
        const checked: string[] = [];
        for (const route of ALL_ROUTES) {
            for (const part of ['body', 'params', 'query'] as const) {
                const schema = route[part];
                if (!(schema instanceof z.ZodObject)) {
                    continue;
                }
                for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
                    const parsed = z.strictObject({ [field]: fieldSchema }).safeParse({ [field]: bad });
                    if (parsed.success || !parsed.error.issues.some((issue) => issue.code === 'invalid_format')) {
                        continue;
                    }
                    const where = `${route.method.toUpperCase()} ${route.path} ${part}.${field}`;
                    checked.push(where);
                    expect(`${where}: ${fieldRefusal(field, fieldSchema, bad)}`).not.to.include('expected format');
                }
            }
        }
        expect(checked.length).to.be.greaterThan(20);
    });
});
