import { expect } from 'chai';
import { AmountInputError, parseMajorUnits } from '../format';
import { InputError, checkField, fieldProblem } from './ui';

describe('checks about one field', () => {
    function thrown(run: () => unknown): unknown {
        try {
            run();
        } catch (error) {
            return error;
        }
        return undefined;
    }

    it('ties a typed amount the parser refuses to the field it was read from, its words unchanged', () => {
        const error = thrown(() => checkField('amount', () => parseMajorUnits('1.234', 'CNY')));
        expect(error).to.be.instanceOf(InputError);
        expect((error as InputError).field).to.equal('amount');
        const parsed = thrown(() => parseMajorUnits('1.234', 'CNY'));
        expect(parsed).to.be.instanceOf(AmountInputError);
        expect((error as InputError).message).to.equal((parsed as Error).message);
        expect(checkField('amount', () => parseMajorUnits('1.23', 'CNY'))).to.equal('123');
    });

    it('leaves a problem that names its own field, and any other error, as they are', () => {
        const own = new InputError('Choose a credit line.', { field: 'creditLineId' });
        const throwOwn = (): never => {
            throw own;
        };
        expect(thrown(() => checkField('amount', throwOwn))).to.equal(own);
        const other = new Error('network');
        const throwOther = (): never => {
            throw other;
        };
        expect(thrown(() => checkField('amount', throwOther))).to.equal(other);
    });

    it('throws a verdict as a problem of the named field, and nothing when there is none', () => {
        expect(thrown(() => fieldProblem('dueDate', undefined))).to.equal(undefined);
        const error = thrown(() => fieldProblem('dueDate', 'The due date (2026-01-01) must be after the issue date (2026-02-01).')) as InputError;
        expect(error).to.be.instanceOf(InputError);
        expect([error.field, error.message]).to.deep.equal(['dueDate', 'The due date (2026-01-01) must be after the issue date (2026-02-01).']);
    });
});
