import { expect } from 'chai';
import { NOTE_READERS, describeErrorCode, fieldName, readableDetail, secondsText, validationProblems } from './error-messages';

describe('error messages', () => {
    it('has words for known codes and a generic sentence for others', () => {
        expect(describeErrorCode('LTV_EXCEEDED')).to.contain('loan-to-value');
        expect(describeErrorCode('SOMETHING_NEW')).to.equal('The platform refused the request.');
    });

    it('says how long to wait when the platform asked for a wait', () => {
        expect(describeErrorCode('RATE_LIMITED', { retryAfterSeconds: 30 })).to.equal('Too many attempts. Please try again in 30 seconds.');
        expect(describeErrorCode('RATE_LIMITED', { retryAfterSeconds: 1 })).to.equal('Too many attempts. Please try again in 1 second.');
        expect(describeErrorCode('RATE_LIMITED', { retryAfterSeconds: 0 })).to.contain('1 second');
        expect(describeErrorCode('RATE_LIMITED')).to.equal('Too many attempts. Please wait a moment and try again.');
    });

    it('says the platform is busy, and when to try again, when a 503 asked for a wait (Retry-After)', () => {
        expect(describeErrorCode('LEDGER_UNAVAILABLE', { retryAfterSeconds: 2 })).to.equal(
            'The platform is busy right now (starting up or under heavy load) and asked to wait. Please try again in 2 seconds.',
        );
        expect(describeErrorCode('LEDGER_UNAVAILABLE', { retryAfterSeconds: 300 })).to.contain('try again in 5 minutes.');
        // Without a wait asked for, the sentence it always had.
        expect(describeErrorCode('LEDGER_UNAVAILABLE')).to.equal('The ledger is unavailable right now. Please try again in a moment.');
        expect([secondsText(0), secondsText(1), secondsText(59.2), secondsText(119), secondsText(121)]).to.deep.equal(['1 second', '1 second', '60 seconds', '119 seconds', '3 minutes']);
    });

    describe('the gateway\'s validation problems', () => {
        it('reads each problem\'s part and field from the shape of the detail, never from the wording', () => {
            for (const [said, name] of [
                ['Too big: expected array to have <=50 items', 'zod\'s own text'],
                ['at most 50 items', 'the plain text'],
            ]) {
                expect(validationProblems(`body.holderId: must be an enterprise id; body.receivableIds: ${said}`), name).to.deep.equal([
                    { where: 'body', field: 'holderId', path: 'holderId', message: 'must be an enterprise id' },
                    { where: 'body', field: 'receivableIds', path: 'receivableIds', message: said },
                ]);
            }
            expect(validationProblems('path.id: must be a record id: 1 to 128 letters; query.status: must be one of ACTIVE, SPENT')).to.deep.equal([
                { where: 'path', field: 'id', path: 'id', message: 'must be a record id: 1 to 128 letters' },
                { where: 'query', field: 'status', path: 'status', message: 'must be one of ACTIVE, SPENT' },
            ]);
            expect(validationProblems('body.gradeScale.0.grade: at most 32 characters')).to.deep.equal([{ where: 'body', field: 'gradeScale', path: 'gradeScale.0.grade', message: 'at most 32 characters' }]);
            expect(validationProblems('body: "foo" is not a field of this request')).to.deep.equal([{ where: 'body', field: undefined, path: '', message: '"foo" is not a field of this request' }]);
            // A ledger's refusal is not in that shape.
            expect(validationProblems('request.dueDate must be after request.issueDate')).to.equal(undefined);
            expect(validationProblems('credit line L1 has 120000 JPY minor units left; 500000 requested')).to.equal(undefined);
        });

        it('names each field by the label the form shows, else in words, never as "Path.id:" or "body.receivableIds:"', () => {
            const labels: Record<string, string> = { receivableIds: 'Confirmed receivables', name: 'Name' };
            const context = { fieldLabel: (_where: string, field: string) => labels[field] };
            const words = readableDetail('body.receivableIds: at most 50 items; body.name: at most 200 characters', context);
            expect(words).to.equal('Confirmed receivables: at most 50 items; Name: at most 200 characters');
            const bare = readableDetail('path.id: must be a record id; body.receivableIds: at most 50 items; body.maxLtvBps: at most 9000');
            expect(bare).to.equal('ID: must be a record id; Receivable IDs: at most 50 items; Max LTV (bps): at most 9000');
            expect(bare).to.not.match(/path\.|body\.|Path\./);
            expect(fieldName({ where: 'body', field: undefined, path: '' })).to.equal('The form');
            expect(fieldName({ where: 'body', field: 'gradeScale', path: 'gradeScale.3.grade' })).to.equal('Grade');
        });
    });

    describe('readableDetail', () => {
        it('turns field paths of the request into words', () => {
            expect(readableDetail('request.dueDate must be after request.issueDate')).to.equal('Due date must be after issue date');
            expect(readableDetail('body.maxLtvBps: at most 9000')).to.equal('Max LTV (bps): at most 9000');
        });

        it('shows minor-unit amounts it can parse exactly as money in major units', () => {
            expect(readableDetail('secured total 30000000 exceeds 5000 bps of the valuation 50000000 CNY')).to.equal('Secured total CNY 300,000.00 exceeds 50.00% of the valuation CNY 500,000.00');
            expect(readableDetail('credit line L1 has 120000 JPY minor units left; 500000 requested')).to.equal('Credit line L1 has JPY 120,000 left; JPY 500,000 requested');
        });

        it('says a duplicate user name is taken, not that it exists on the ledger', () => {
            expect(readableDetail('user clerk.one already exists')).to.equal('The user name clerk.one is taken; choose another.');
            expect(describeErrorCode('ALREADY_EXISTS')).to.not.contain('ledger');
        });

        it('says who may see a note when the ledger refuses a read, naming the caller\'s enterprise rather than its id', () => {
            const refusal = '5493001KJTIIGC8Y1R12 is not a party to note N-1a6dbdb8be21a55a62a8e14e';
            const named = readableDetail(refusal, { enterpriseName: (id) => (id === '5493001KJTIIGC8Y1R12' ? 'Singapore Trade Credit Agency' : undefined) });
            expect(named).to.equal(`Singapore Trade Credit Agency is not a party to note N-1a6dbdb8be21a55a62a8e14e. ${NOTE_READERS}`);
            expect(named).to.not.contain('5493001KJTIIGC8Y1R12');
            expect(NOTE_READERS).to.contain('issued it').and.contain('regulator').and.contain('financier');
            // Without a name the id still does not show: the one refused is always the caller's own enterprise.
            const unnamed = readableDetail('91320500MA1MX00059 is not a party to note N-abc');
            expect(unnamed).to.match(/^Your enterprise is not a party to note N-abc\. A note and its provenance can be seen only by/);
            expect(unnamed).to.not.contain('91320500MA1MX00059');
            // Applying it twice changes nothing.
            expect(readableDetail(named)).to.equal(named);
        });

        it('says which organisation an enterprise of a kind must belong to, in words', () => {
            expect(readableDetail('request.mspId must be PlatformMSP for a SUPPLIER: the organisation whose users may act as supplier')).to.equal(
                'A supplier must be registered with PlatformMSP (the platform): only that organisation may issue the identities of users who act as supplier.',
            );
            expect(readableDetail('request.mspId must be BankMSP or PlatformMSP for a APPRAISER: the organisation whose users may act as appraiser')).to.equal(
                'An appraiser must be registered with BankMSP (banks) or PlatformMSP (the platform): only those organisations may issue the identities of users who act as appraiser.',
            );
            expect(readableDetail('request.mspId must be PlatformMSP for a CORE_ENTERPRISE: the organisation whose users may act as core-enterprise')).to.contain('A core enterprise must be registered with PlatformMSP').and.contain('act as core enterprise.');
        });

        it('leaves a text it cannot parse exactly as it is', () => {
            expect(readableDetail('maturity 2027-03-01 exceeds the tenor cap of 6 months: a note issued on 2026-08-31 may mature on 2027-02-28 at the latest')).to.equal(
                'Maturity 2027-03-01 exceeds the tenor cap of 6 months: a note issued on 2026-08-31 may mature on 2027-02-28 at the latest',
            );
            expect(readableDetail('secured total 30000000 exceeds 5000 bps of the valuation 50000000 XXX')).to.equal('Secured total 30000000 exceeds 5000 bps of the valuation 50000000 XXX');
        });
    });
});
