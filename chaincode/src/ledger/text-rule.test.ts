import { expect } from 'chai';
import { ChaincodeError } from '../errors';
import { parseRequest, parseText, stringItem, textProblem } from './input';

/** Values the ledger's one free-text rule refuses, with why. */
export const REFUSED_TEXT: ReadonlyArray<[string, string]> = [
    ['C\u0000', 'NUL (C0)'],
    ['A\u0007', 'BEL (C0)'],
    ['\u0000\u0000\u0000', 'only NULs'],
    ['line one\nline two', 'line feed: no field is multi-line'],
    ['col\tumn', 'tab'],
    ['carriage\rreturn', 'carriage return'],
    ['A\u007f', 'DEL'],
    ['A\u0085', 'NEL (C1)'],
    ['\u0080A', 'PAD (C1)'],
    ['A\u009f', 'APC (C1)'],
    ['\u200b', 'zero-width space only'],
    ['\u200b\u200c\u200d\ufeff ', 'zero-width characters and white space only'],
    ['\u202eC', 'right-to-left override'],
    ['A\u202a', 'left-to-right embedding'],
    ['A\u2066B', 'left-to-right isolate'],
    ['A\u2069', 'pop directional isolate'],
    ['\ud800', 'lone high surrogate'],
    ['A\udc00', 'lone low surrogate'],
    ['\udc00\ud800', 'surrogates in the wrong order'],
];

/** Values the rule accepts, however unusual. */
const ACCEPTED_TEXT = ['AA', 'A+', 'Suzhou Precision Castings Co., Ltd.', '苏州精密铸造有限公司', 'Straße', 'B\u00a0B', '💳 credit', '👩\u200d💻 team', 'x\u200by'];

function refusal(attempt: () => unknown): ChaincodeError {
    try {
        attempt();
    } catch (error) {
        expect(error).to.be.instanceOf(ChaincodeError);
        return error as ChaincodeError;
    }
    throw new Error('the value was accepted');
}

describe('the free-text rule (ledger/input.ts)', () => {
    it('refuses controls, lone surrogates, bidi embeddings/overrides/isolates and blank values', () => {
        for (const [value, why] of REFUSED_TEXT) {
            expect(textProblem(value), why).to.be.a('string');
            const error = refusal(() => parseText(value, 'request.grade'));
            expect(error.code, why).to.equal('INVALID_ARGUMENT');
            expect(error.message, why).to.contain('request.grade ');
        }
    });

    it('names the offending code point', () => {
        expect(textProblem('A\u0085')).to.contain('U+0085');
        expect(textProblem('\u202eC')).to.contain('U+202E');
        expect(textProblem('\ud800')).to.contain('U+D800');
        expect(textProblem('C\u0000')).to.contain('U+0000');
    });

    it('accepts ordinary text in any script, surrogate pairs, and zero-width characters inside real text', () => {
        for (const value of ACCEPTED_TEXT) {
            expect(textProblem(value), value).to.equal(undefined);
            expect(parseText(value, 'v')).to.equal(value);
        }
        expect(parseText('  padded  ', 'v')).to.equal('padded');
    });

    it('keeps the length limit and the required check', () => {
        expect(refusal(() => parseText('x'.repeat(11), 'v', { max: 10 })).message).to.contain('at most 10');
        for (const value of ['', '   ', undefined, null, 7]) {
            expect(refusal(() => parseText(value, 'v')).code).to.equal('INVALID_ARGUMENT');
        }
    });

    it('applies to every Input string field and stringItem, naming the field', () => {
        for (const [value, why] of REFUSED_TEXT) {
            const input = parseRequest(JSON.stringify({ name: value }));
            const error = refusal(() => input.string('name'));
            expect(error.code, why).to.equal('INVALID_ARGUMENT');
            expect(error.message, why).to.contain('request.name');
            const optional = parseRequest(JSON.stringify({ label: value }));
            expect(refusal(() => optional.optionalString('label')).message, why).to.contain('request.label');
            const list = parseRequest(JSON.stringify({ owners: ['fine', value] }));
            expect(refusal(() => list.array('owners', stringItem())).message, why).to.contain('request.owners[1]');
        }
        expect(parseRequest(JSON.stringify({ name: ' Acme 公司 ' })).string('name')).to.equal('Acme 公司');
    });
});
