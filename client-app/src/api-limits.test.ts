import { expect } from 'chai';
import { readFileSync } from 'fs';
import * as path from 'path';
import { INPUT_MAX_LENGTH, REQUEST_LIMITS, checkRequestLimits, limitProblems, limitsOf } from './api-limits';
import { InputError } from './input-error';
import { MAX_SPLIT_PARTS } from './note-forms';

/** The parts of the API document (docs/api/openapi.json) these tests read. */
interface Schema {
    type?: string;
    maxLength?: number;
    maxItems?: number;
    properties?: Record<string, Schema>;
}
type Paths = Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;

const DOCUMENT = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json'), 'utf8')) as { paths: Paths };

/** Every JSON request body of the API document, by operation ("POST /notes"). */
function bodies(): Array<[string, Schema]> {
    const found: Array<[string, Schema]> = [];
    for (const [route, operations] of Object.entries(DOCUMENT.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
            const schema = operation.requestBody?.content?.['application/json']?.schema;
            if (schema) {
                found.push([`${method.toUpperCase()} ${route}`, schema]);
            }
        }
    }
    return found;
}

describe('the limits of the API document', () => {
    it('are the ones docs/api/openapi.json documents for each request body (print the table when they are not)', () => {
        const documented: Record<string, Record<string, { maxLength?: number; maxItems?: number }>> = {};
        for (const [operation, schema] of bodies()) {
            for (const [field, property] of Object.entries(schema.properties ?? {})) {
                const limit = { ...(property.maxLength !== undefined ? { maxLength: property.maxLength } : {}), ...(property.maxItems !== undefined ? { maxItems: property.maxItems } : {}) };
                if (Object.keys(limit).length > 0) {
                    (documented[operation] ??= {})[field] = limit;
                }
            }
        }
        expect(REQUEST_LIMITS, `api-limits.ts REQUEST_LIMITS should be ${JSON.stringify(documented, null, 1)}`).to.deep.equal(documented);
    });

    it('give a text control a maxlength only by a name every operation limits alike', () => {
        const lengths = new Map<string, Set<number | undefined>>();
        for (const [, schema] of bodies()) {
            for (const [field, property] of Object.entries(schema.properties ?? {})) {
                if (property.type === 'string') {
                    lengths.set(field, (lengths.get(field) ?? new Set()).add(property.maxLength));
                }
            }
        }
        const consistent = Object.fromEntries(
            [...lengths]
                .filter(([, values]) => values.size === 1 && [...values][0] !== undefined)
                .map(([field, values]) => [field, [...values][0] as number])
                .sort(([a], [b]) => String(a).localeCompare(String(b))),
        );
        expect(INPUT_MAX_LENGTH).to.deep.equal(consistent);
        // The login's user name (64) and a new user's (a pattern of at most 32) differ: no maxlength by name.
        expect(INPUT_MAX_LENGTH).to.not.have.property('username');
    });

    it('agree with the checks the note forms run as the user types (at most 50 parts of a split)', () => {
        expect(REQUEST_LIMITS['POST /notes/{id}/split'].amounts.maxItems).to.equal(MAX_SPLIT_PARTS);
    });

    it('finds an operation by its concrete path', () => {
        expect(limitsOf('POST', '/notes')).to.deep.equal({ receivableIds: { maxItems: 50 } });
        expect(limitsOf('post', '/notes/N%2F1/split')).to.deep.equal({ amounts: { maxItems: 50 } });
        expect(limitsOf('POST', '/enterprises/91320500MA1XYZ0001/freeze')).to.deep.equal({ reason: { maxLength: 500 } });
        expect(limitsOf('GET', '/notes')).to.equal(undefined);
        expect(limitsOf('POST', '/notes/N-1/redeem')).to.equal(undefined);
    });

    it('refuse before sending a list longer or a text longer than documented, naming the field', () => {
        const ids = Array.from({ length: 51 }, (_, i) => `R-${i}`);
        expect(limitProblems('POST', '/notes', { holderId: 'H', receivableIds: ids })).to.deep.equal([{ field: 'receivableIds', message: 'At most 50 are allowed here at once (51 given).' }]);
        expect(limitProblems('POST', '/notes', { receivableIds: ids.slice(0, 50) })).to.deep.equal([]);
        expect(limitProblems('POST', '/enterprises', { id: 'X', name: 'N'.repeat(201) })).to.deep.equal([{ field: 'name', message: 'At most 200 characters are allowed here (201 typed).' }]);
        expect(limitProblems('POST', '/enterprises', { name: 'N'.repeat(200) })).to.deep.equal([]);
        const refused = (() => {
            try {
                checkRequestLimits('POST', '/receivables/R-1/dispute', { reason: 'r'.repeat(501) });
            } catch (error) {
                return error;
            }
            return undefined;
        })();
        expect(refused).to.be.instanceOf(InputError);
        expect(refused).to.include({ field: 'reason', message: 'At most 500 characters are allowed here (501 typed).' });
        expect(() => checkRequestLimits('POST', '/offers', { amount: 'x'.repeat(5000) })).to.not.throw();
    });
});
