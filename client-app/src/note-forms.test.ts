import { expect } from 'chai';
import { MAX_OFFER_DAYS, checkBacking, checkOfferDays, checkSplit, defaultIssueAmount, lastOnTimeDate, limitProblem, offersMarkOverdue, overdueAllowed, overdueDeadline, splitAmountList } from './note-forms';

describe('note forms', () => {
    describe('splitAmountList', () => {
        it('reads a space as a separator unless it groups thousands in threes', () => {
            expect(splitAmountList('100000 50000')).to.deep.equal(['100000', '50000']);
            expect(splitAmountList('1 234 567.89')).to.deep.equal(['1 234 567.89']);
            expect(splitAmountList('1 2345')).to.deep.equal(['1', '2345']);
            expect(checkSplit('100000 50000', '15000000', 'CNY').parts).to.deep.equal(['10000000', '5000000']);
        });

        it('separates on ";", a line break, or a comma followed by a space', () => {
            expect(splitAmountList('600000; 400000')).to.deep.equal(['600000', '400000']);
            expect(splitAmountList('600000\n400000')).to.deep.equal(['600000', '400000']);
            expect(splitAmountList('600, 634.56')).to.deep.equal(['600', '634.56']);
            expect(splitAmountList('1,000,')).to.deep.equal(['1,000']);
        });

        it('keeps a comma between digits inside its amount (thousands)', () => {
            expect(splitAmountList('600,634.56')).to.deep.equal(['600,634.56']);
            expect(splitAmountList('1,234,567.89; 10')).to.deep.equal(['1,234,567.89', '10']);
        });
    });

    describe('checkSplit', () => {
        it('accepts two or more parts that add up to the note', () => {
            const verdict = checkSplit('600,000.00; 400,000.00', '100000000', 'CNY');
            expect(verdict.ok).to.equal(true);
            expect(verdict.parts).to.deep.equal(['60000000', '40000000']);
            expect(verdict.message).to.equal('✓ 2 parts add up to CNY 1,000,000.00: CNY 600,000.00 + CNY 400,000.00.');
        });

        it('refuses a single amount, even one that equals the note, and says a split needs two', () => {
            const verdict = checkSplit('1,000,000.00', '100000000', 'CNY');
            expect(verdict.ok).to.equal(false);
            expect(verdict.parts).to.deep.equal(['100000000']);
            expect(verdict.message).to.match(/^Only one amount read \(CNY 1,000,000\.00\): a split needs at least two\./);
            expect(verdict.message).to.contain('"600,634.56" and "600 634.56" are one amount');
        });

        it('reads "600,634.56" as one amount and "600, 634.56" as two', () => {
            expect(checkSplit('600,634.56', '60063456', 'CNY').parts).to.deep.equal(['60063456']);
            expect(checkSplit('600, 634.56', '123456', 'CNY').parts).to.deep.equal(['60000', '63456']);
        });

        it('refuses a comma that does not group thousands instead of joining two amounts', () => {
            const verdict = checkSplit('600000,400000', '100000000', 'CNY');
            expect(verdict.ok).to.equal(false);
            expect(verdict.parts).to.deep.equal([]);
            expect(verdict.message).to.contain('"600000,400000" is not one amount');
        });

        it('says by how much the parts miss the note', () => {
            expect(checkSplit('600; 300', '100000', 'CNY').message).to.equal('2 parts read (CNY 600.00 + CNY 300.00) add up to CNY 900.00; they must add up to CNY 1,000.00 (CNY 100.00 short).');
            expect(checkSplit('600; 500', '100000', 'CNY').message).to.contain('(CNY 100.00 too much)');
        });

        it('asks for amounts when there are none, and refuses more than 50 parts or bad decimals', () => {
            expect(checkSplit('  ', '100', 'CNY')).to.deep.equal({ parts: [], ok: false, message: 'Enter at least two amounts that add up to CNY 1.00.' });
            expect(checkSplit(Array(51).fill('1').join('; '), '5100', 'CNY').message).to.equal('51 parts read: a note splits into at most 50.');
            expect(checkSplit('1.234; 2', '100', 'CNY').message).to.equal('CNY amounts have at most 2 decimal places.');
        });
    });

    describe('checkOfferDays', () => {
        const today = new Date('2026-01-05T10:00:00Z');

        it('accepts 1 to 30 whole days and ends the offer at the end of its last day', () => {
            expect(checkOfferDays('7', '2026-04-05', today)).to.deep.equal({ ok: true, days: 7, expiresAt: '2026-01-12T23:59:59.000Z' });
            expect(checkOfferDays(String(MAX_OFFER_DAYS), '2026-04-05', today).ok).to.equal(true);
        });

        it('refuses more than 30 days, zero, fractions and text in words', () => {
            for (const text of ['31', '0', '1.5', 'seven', '']) {
                const verdict = checkOfferDays(text, '2026-04-05', today);
                expect(verdict.ok, text).to.equal(false);
                expect(verdict.ok ? '' : verdict.message, text).to.equal('An offer can be valid for 1 to 30 whole days.');
                expect(verdict.ok ? undefined : verdict.ofDays, text).to.equal(true);
            }
        });

        it('refuses an offer that would outlast the note', () => {
            const verdict = checkOfferDays('7', '2026-01-10', today);
            expect(verdict.ok ? '' : verdict.message).to.equal('The offer must end before the note matures on 2026-01-10: at most 4 days.');
            expect(verdict.ok ? undefined : verdict.ofDays).to.equal(true);
            expect(checkOfferDays('4', '2026-01-10', today).ok).to.equal(true);
            const tooLate = checkOfferDays('1', '2026-01-06', today);
            expect(tooLate.ok ? '' : tooLate.message).to.equal('The note matures on 2026-01-06: too soon for a transfer offer to run a whole day.');
            // No number of days would do: the problem is the note's, not the field's.
            expect(tooLate.ok ? undefined : tooLate.ofDays).to.equal(false);
        });
    });

    describe('checkBacking', () => {
        it('passes a note for exactly its backing', () => {
            expect(checkBacking('55000', ['50000', '5000'], 'CNY')).to.deep.equal({ total: '55000', remainder: '0' });
        });

        it('refuses a note larger than its backing', () => {
            expect(checkBacking('60000', ['50000'], 'CNY').error).to.equal('The note cannot be larger than what the selected receivables have available (CNY 500.00).');
        });

        it('says what a smaller note leaves available on its last receivable', () => {
            const verdict = checkBacking('52000', ['50000', '5000'], 'CNY');
            expect(verdict.remainder).to.equal('3000');
            expect(verdict.error).to.equal(undefined);
            expect(verdict.note).to.equal('The note draws CNY 520.00; the remaining CNY 30.00 of the last receivable selected stays available to back another note.');
        });

        it('refuses a receivable listed after those that already cover the note', () => {
            expect(checkBacking('30000', ['50000', '5000'], 'CNY').error).to.equal('The note of CNY 300.00 is covered before the last receivable selected; select only those it needs.');
            expect(checkBacking('50000', ['50000', '5000'], 'CNY').error).to.contain('covered before the last receivable');
            expect(checkBacking('1', ['2'], 'JPY')).to.deep.equal({ total: '2', remainder: '1', note: 'The note draws JPY 1; the remaining JPY 1 of the last receivable selected stays available to back another note.' });
        });
    });

    describe('the credit line of a new note', () => {
        it('offers what the receivables have available, but no more than the line has left', () => {
            // Line CNY 45,000.00 left, receivable CNY 200,000.00 available: CNY 45,000.00, not 200,000.00.
            expect(defaultIssueAmount(['20000000'], '4500000')).to.deep.equal({ amount: '4500000', capped: true });
            expect(defaultIssueAmount(['50000', '25000'], '4500000')).to.deep.equal({ amount: '75000', capped: false });
            expect(defaultIssueAmount(['4500000'], '4500000')).to.deep.equal({ amount: '4500000', capped: false });
            expect(defaultIssueAmount(['100'], '0')).to.deep.equal({ amount: '0', capped: true });
        });

        it('says before sending that a note above the remaining limit would be refused', () => {
            expect(limitProblem('4500000', '4500000', 'CNY', 'Bank of Jiangnan')).to.equal(undefined);
            expect(limitProblem('20000000', '4500000', 'CNY', 'Bank of Jiangnan')).to.equal(
                'The credit line has CNY 45,000.00 left: the note can be at most that. Issue a smaller note, or ask Bank of Jiangnan to raise the limit.',
            );
            expect(limitProblem('1', '0', 'JPY', 'B')).to.contain('has JPY 0 left');
        });
    });

    describe('overdue', () => {
        it('allows marking overdue only from 00:00 UTC of the day after the maturity date plus the grace days', () => {
            expect(overdueDeadline('2026-03-01', 3).toISOString()).to.equal('2026-03-05T00:00:00.000Z');
            expect(lastOnTimeDate(overdueDeadline('2026-03-01', 3))).to.equal('2026-03-04');
            expect(overdueAllowed('2026-03-01', 3, new Date('2026-03-04T00:00:00.000Z'))).to.equal(false);
            expect(overdueAllowed('2026-03-01', 3, new Date('2026-03-04T23:59:59.999Z'))).to.equal(false);
            expect(overdueAllowed('2026-03-01', 3, new Date('2026-03-05T00:00:00.000Z'))).to.equal(true);
        });

        it('never counts the maturity date itself against the grace: with none, marking waits for the next day', () => {
            expect(overdueDeadline('2026-12-08', 0).toISOString()).to.equal('2026-12-09T00:00:00.000Z');
            expect(lastOnTimeDate(overdueDeadline('2026-12-08', 0))).to.equal('2026-12-08');
            expect(overdueAllowed('2026-12-08', 0, new Date('2026-12-08T16:53:00Z'))).to.equal(false);
            expect(overdueAllowed('2026-12-08', 0, new Date('2026-12-08T23:59:59.999Z'))).to.equal(false);
            expect(overdueAllowed('2026-12-08', 0, new Date('2026-12-09T00:00:00.000Z'))).to.equal(true);
            // Across a month's end.
            expect(overdueDeadline('2026-02-28', 1).toISOString()).to.equal('2026-03-02T00:00:00.000Z');
        });

        it('offers "Mark overdue" on a matured note of a root neither marked overdue nor redeemed, never on a note in escrow', () => {
            expect(offersMarkOverdue({ status: 'ACTIVE' }, { rootStatus: 'OUTSTANDING' }, true, false)).to.equal(true);
            expect(offersMarkOverdue({ status: 'LOCKED' }, undefined, true, false)).to.equal(true);
            expect(offersMarkOverdue({ status: 'ACTIVE' }, undefined, false, false)).to.equal(false);
            expect(offersMarkOverdue({ status: 'ACTIVE' }, undefined, true, true)).to.equal(false);
            // Escrowed: its root is redeemed, whether or not the holder may read the root.
            expect(offersMarkOverdue({ status: 'ESCROWED' }, undefined, true, false)).to.equal(false);
            expect(offersMarkOverdue({ status: 'ESCROWED' }, { rootStatus: 'REDEEMED' }, true, false)).to.equal(false);
            expect(offersMarkOverdue({ status: 'ACTIVE' }, { rootStatus: 'REDEEMED' }, true, false)).to.equal(false);
        });
    });
});
