import { expect } from 'chai';
import { characterCount } from '@xinlian/chaincode';
import { z } from 'zod';
import { Amount, AmountOrZero, BoundedText, CalendarDate, Currency, DateOrTimestamp, DocumentCid, EnterpriseId, EnterpriseIdOrCaller, PageQuery, Reason, RecordId, ReportCid } from './schemas';
import { DEMO_IDS } from '../services/demo-seed';
import { validate } from './router';
import { agreementsRoutes } from './routes/recognition-routes';
import { attestationsRoutes } from './routes/attestations-routes';
import type { RouteSpec } from './route-spec';

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
            [Amount, 'amount', '1'.repeat(20), 'from 1 to 10^18'],
            [Amount, 'amount', '0', 'body.amount: must be whole minor units (fen, cents) from 1 to 10^18'],
            [Amount, 'amount', '1000000000000000001', 'from 1 to 10^18'],
            [Amount, 'amount', '9999999999999999999', 'from 1 to 10^18'],
            [AmountOrZero, 'feeAmount', '1000000000000000001', 'body.feeAmount: must be whole minor units (fen, cents) from 0 to 10^18'],
            [DocumentCid, 'documentCid', 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG', 'body.documentCid: must be a CIDv1 in multibase base32'],
            [DocumentCid, 'documentCid', 'zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA', 'must be a CIDv1 in multibase base32'],
            [DocumentCid, 'documentCid', `b${'a'.repeat(128)}`, 'must be a CIDv1 in multibase base32'],
            [DocumentCid, 'documentCid', 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4'.toUpperCase(), 'must be a CIDv1 in multibase base32'],
            [EnterpriseId, 'holderId', 'ACME', 'body.holderId: must be an enterprise id: a USCC'],
            [EnterpriseId, 'holderId', '1234567890123456789', 'body.holderId: must be an enterprise id: a USCC'],
            [EnterpriseId, 'holderId', '91320500MA1MX00058', 'body.holderId: must be a valid enterprise id: a USCC ending in its GB 32100-2015 check character'],
            [EnterpriseId, 'holderId', '91320500ma1mx00058', 'body.holderId: must be a valid enterprise id'],
            [EnterpriseId, 'holderId', '5493001KJTIIGC8Y1R13', 'or an LEI ending in its ISO 17442 (MOD 97-10) check digits'],
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
        for (const limit of ['abc', '0', '501', '2.5', '1e2', '0x10', ' 20', '', '-0', 'Infinity']) {
            expect(() => validate(PageQuery, { limit }, 'query'), limit).to.throw('query.limit: must be a whole number from 1 to 500');
        }
        expect(validate(PageQuery, { limit: '20' }, 'query')).to.deep.equal({ limit: 20 });
    });

    it('read enterprise ids in capitals wherever they appear: path, query and body', () => {
        expect(validate(z.strictObject({ id: EnterpriseId }), { id: '91320500ma1mx00059' }, 'path')).to.deep.equal({ id: '91320500MA1MX00059' });
        expect(validate(z.object({ enterpriseId: EnterpriseIdOrCaller }), { enterpriseId: '5493001kjtiigc8y1r12' }, 'query')).to.deep.equal({ enterpriseId: '5493001KJTIIGC8Y1R12' });
        expect(validate(z.object({ enterpriseId: EnterpriseIdOrCaller }), {}, 'query')).to.deep.equal({});
        expect(validate(z.strictObject({ ids: z.array(EnterpriseId) }), { ids: ['91320500ma1mx00059'] }, 'body')).to.deep.equal({ ids: ['91320500MA1MX00059'] });
        expect(() => validate(z.strictObject({ id: EnterpriseId }), { id: '91320500ma1mx0005!' }, 'path')).to.throw('path.id: must be an enterprise id');
        expect(() => validate(z.strictObject({ id: EnterpriseId }), { id: '91330100ma2h000068' }, 'path')).to.throw('path.id: must be a valid enterprise id');
        expect(() => validate(z.object({ enterpriseId: EnterpriseIdOrCaller }), { enterpriseId: '5493001kjtiigc8y1r13' }, 'query')).to.throw('query.enterpriseId: must be a valid enterprise id');
    });

    it('accept every demo enterprise id, whose check characters are right', () => {
        for (const id of Object.values(DEMO_IDS)) {
            expect(validate(z.strictObject({ id: EnterpriseId }), { id }, 'body'), id).to.deep.equal({ id });
        }
    });

    it('accept well-formed values', () => {
        expect(validate(z.strictObject({ amount: Amount }), { amount: '1050' }, 'body')).to.deep.equal({ amount: '1050' });
        expect(validate(z.strictObject({ amount: Amount }), { amount: '1000000000000000000' }, 'body')).to.deep.equal({ amount: '1000000000000000000' });
        expect(validate(z.strictObject({ fee: AmountOrZero }), { fee: '0' }, 'body')).to.deep.equal({ fee: '0' });
        expect(validate(z.strictObject({ id: EnterpriseId }), { id: '91320500MA1MX00059' }, 'body')).to.deep.equal({ id: '91320500MA1MX00059' });
        const cid = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4';
        expect(validate(z.strictObject({ cid: DocumentCid }), { cid }, 'body')).to.deep.equal({ cid });
        expect(validate(z.strictObject({ cid: ReportCid }), { cid: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG' }, 'body')).to.have.property('cid');
        expect(validate(z.strictObject({ at: DateOrTimestamp }), { at: '2027-02-24T10:00:00Z' }, 'body')).to.deep.equal({ at: '2027-02-24T10:00:00Z' });
    });

    it('count the characters of a "1..N characters" text as the ledger does: code points, not UTF-16 units', () => {
        const emoji = '\u{1F600}'; // one character, two UTF-16 units
        expect(characterCount(emoji.repeat(3))).to.equal(3);
        expect(characterCount('AA\u4FE1')).to.equal(3);
        const grade = z.strictObject({ grade: BoundedText(32) });
        expect(validate(grade, { grade: emoji.repeat(32) }, 'body')).to.deep.equal({ grade: emoji.repeat(32) });
        expect(validate(grade, { grade: `  ${'A'.repeat(32)} ` }, 'body')).to.deep.equal({ grade: 'A'.repeat(32) });
        expect(() => validate(grade, { grade: emoji.repeat(33) }, 'body')).to.throw('body.grade: must be 1 to 32 characters');
        expect(() => validate(grade, { grade: '   ' }, 'body')).to.throw('body.grade: must be 1 to 32 characters');
        const untrimmed = z.strictObject({ grade: BoundedText(32, { trim: false }) });
        expect(validate(untrimmed, { grade: emoji.repeat(32) }, 'body')).to.deep.equal({ grade: emoji.repeat(32) });
        expect(() => validate(untrimmed, { grade: `${'A'.repeat(32)} ` }, 'body')).to.throw('body.grade: must be 1 to 32 characters');
        expect(validate(z.strictObject({ reason: Reason }), { reason: emoji.repeat(500) }, 'body')).to.deep.equal({ reason: emoji.repeat(500) });
        expect(() => validate(z.strictObject({ reason: Reason }), { reason: emoji.repeat(501) }, 'body')).to.throw('body.reason: must be 1 to 500 characters');
        // The ledger's rule for free text holds at the gateway too, for text the gateway itself keeps (API key labels).
        expect(() => validate(grade, { grade: 'a\u0000b' }, 'body')).to.throw('body.grade: must not contain control characters (found U+0000)');
        expect(() => validate(grade, { grade: 'a\u202Eb' }, 'body')).to.throw('body.grade: must not contain bidirectional');
        // The OpenAPI document says the same: JSON Schema's minLength and maxLength count code points too.
        expect(z.toJSONSchema(BoundedText(32), { io: 'input' })).to.include({ type: 'string', minLength: 1, maxLength: 32 });
    });

    it('count grade labels in code points on the agreement and passport routes', () => {
        const bodyOf = (routes: RouteSpec[], method: string, path: string): z.ZodType => {
            const route = routes.find((r) => r.method === method && r.path === path);
            if (!route?.body) {
                throw new Error(`no body schema for ${method} ${path}`);
            }
            return route.body;
        };
        const grade = '\u{1F947}'.repeat(32); // 32 characters, 64 UTF-16 units
        const proposal = { partnerId: DEMO_IDS.singapore, partnerMspId: 'PartnerMSP', gradeScale: [{ minScore: 0, grade }], validFrom: '2026-01-01', validUntil: '2027-01-01' };
        const agreements = bodyOf(agreementsRoutes, 'post', '/agreements');
        expect(validate(agreements, proposal, 'body')).to.deep.include({ gradeScale: [{ minScore: 0, grade }] });
        expect(() => validate(agreements, { ...proposal, gradeScale: [{ minScore: 0, grade: `${grade}A` }] }, 'body')).to.throw('body.gradeScale.0.grade: must be 1 to 32 characters');
        const issue = bodyOf(attestationsRoutes, 'post', '/attestations');
        expect(validate(issue, { subjectId: DEMO_IDS.suzhou, grade }, 'body')).to.deep.include({ grade });
        expect(() => validate(issue, { subjectId: DEMO_IDS.suzhou, grade: `${grade}A` }, 'body')).to.throw('body.grade: must be 1 to 32 characters');
    });
});
