import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalBytes, canonicalStringify } from './canonical-json';

/** canonicalStringify as it was before its key sort was specialised, verbatim: the definition of the canonical bytes. */
function referenceStringify(value: unknown): string {
    return JSON.stringify(referenceSortDeep(value));
}

function referenceSortDeep(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => (item === undefined ? null : referenceSortDeep(item)));
    }
    if (value !== null && typeof value === 'object') {
        if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
            return referenceSortDeep((value as { toJSON: () => unknown }).toJSON());
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const member = (value as Record<string, unknown>)[key];
            if (member !== undefined) {
                out[key] = referenceSortDeep(member);
            }
        }
        return out;
    }
    if (typeof value === 'bigint') {
        return value.toString();
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new Error('canonical JSON cannot carry a non-finite number');
    }
    return value;
}

type Outcome = { text: string | undefined } | { error: string };

function outcome(write: (value: unknown) => string | undefined, value: unknown): Outcome {
    try {
        return { text: write(value) };
    } catch (error) {
        return { error: (error as Error).message };
    }
}

function expectSameAsReference(value: unknown): void {
    expect(outcome(canonicalStringify, value)).to.deep.equal(outcome(referenceStringify, value));
}

/** Strings of any UTF-16 code units: quotes, backslashes, control characters, lone surrogates. */
const anyText = fc.array(fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), { maxLength: 8 }).map((units) => units.join(''));
const keyText = fc.oneof(anyText, fc.constantFrom('__proto__', 'toJSON', '0', '1', '10', '9', '01', '4294967295', 'a', 'b', 'docType', 'id'));

const values = fc.anything({
    key: keyText,
    values: [
        anyText,
        fc.double(),
        fc.integer(),
        fc.bigInt(),
        fc.boolean(),
        fc.constantFrom(null, undefined, 0, -0, NaN, Infinity),
        fc.date({ noInvalidDate: false }),
    ],
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
});

/** Plain records whose keys are already sorted (the shape of a record read back from the ledger). */
function sortedCopy(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortedCopy);
    }
    if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            out[key] = sortedCopy((value as Record<string, unknown>)[key]);
        }
        return out;
    }
    return value;
}

const plainKey = fc.oneof(fc.constantFrom('amount', 'docType', 'holderId', 'id', 'status', 'tier', 'z'), fc.string({ maxLength: 6 }));
const jsonLeaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt());
const records = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonLeaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(plainKey, tie('value'), { maxKeys: 6 }),
})).value;

describe('canonicalStringify', () => {
    it('matches the reference form on random values of every kind', () => {
        fc.assert(fc.property(values, (value) => expectSameAsReference(value)), { numRuns: 100 });
    });

    it('matches the reference form on records whose keys are already sorted', () => {
        fc.assert(fc.property(records, (value) => expectSameAsReference(sortedCopy(value))), { numRuns: 100 });
    });

    it('matches the reference form on sorted records with a member added or changed', () => {
        fc.assert(
            fc.property(records, plainKey, jsonLeaf, (value, key, member) => {
                const sorted = sortedCopy(value);
                expectSameAsReference(sorted !== null && typeof sorted === 'object' && !Array.isArray(sorted) ? { ...sorted, [key]: member } : [sorted, member]);
            }),
            { numRuns: 100 },
        );
    });

    it('matches the reference form on objects with more keys than the insertion sort handles', () => {
        fc.assert(fc.property(fc.dictionary(keyText, jsonLeaf, { minKeys: 20, maxKeys: 60 }), (value) => expectSameAsReference(value)), { numRuns: 50 });
    });

    it('sorts keys, drops undefined members and writes bigints as strings', () => {
        expect(canonicalStringify({ b: 1, a: [undefined, 2n], c: undefined, d: { y: 'x"\n', x: null } })).to.equal('{"a":[null,"2"],"b":1,"d":{"x":null,"y":"x\\"\\n"}}');
    });

    it('writes a sorted record exactly as JSON.stringify does', () => {
        const record = { amount: '100', docType: 'note', id: 'note-1', lock: { kind: 'OFFER', since: '2026-01-05T00:00:00.000Z' }, tier: 1 };
        expect(canonicalStringify(record)).to.equal(JSON.stringify(record));
    });

    it('refuses non-finite numbers in either form', () => {
        expect(() => canonicalStringify({ a: 1, b: NaN })).to.throw('non-finite');
        expect(() => canonicalStringify({ b: Infinity, a: 1 })).to.throw('non-finite');
    });

    it('keeps the reference form for toJSON, integer-like keys, __proto__ and boxed values', () => {
        const proto = JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown;
        const withToJson = Object.assign([1, 2], { toJSON: () => 'ignored' });
        for (const value of [
            { when: new Date(Date.UTC(2026, 0, 5)) },
            { 10: 'a', 9: 'b', b: 'c', a: 'd' },
            proto,
            withToJson,
            { list: withToJson },
            [new Number(5), new String('ab'), Object(3n)],
            { toJSON: () => undefined },
            [{ toJSON: () => undefined }, () => 1, Symbol('s')],
            { f: () => 1, s: Symbol('s'), a: 1 },
            undefined,
        ]) {
            expectSameAsReference(value);
        }
    });

    it('encodes canonicalBytes as the UTF-8 of canonicalStringify', () => {
        const value = { b: '信链', a: '\ud83d\ude00' };
        expect(Buffer.from(canonicalBytes(value)).toString('utf8')).to.equal(canonicalStringify(value));
    });
});
