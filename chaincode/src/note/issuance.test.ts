import { expect } from 'chai';
import { EID, uscc } from '../testing/fixtures';
import { expectRefused } from '../testing/harness';
import { newUser } from '../testing/identities';
import type { Receivable } from '../receivable/receivable';
import type { Note } from './note';
import type { NoteParameters } from './note-parameters';
import { MATURITY, NoteWorld, confirmedReceivables, grantLine, issue, newNoteWorld } from './testing';

describe('NoteContract issuance', () => {
    let w: NoteWorld;

    beforeEach(async () => {
        w = await newNoteWorld();
    });
    afterEach(() => w.h.close());

    function readReceivable(id: string): Promise<Receivable> {
        return w.h.evaluate<Receivable>(w.cast.regulator, 'receivable:ReadReceivable', [id]);
    }

    /** A valid IssueNote request backed by fresh confirmed receivables of tier1 on core. */
    async function request(overrides: Record<string, unknown> = {}, backing: string[] = ['100000000']): Promise<Record<string, unknown>> {
        const receivableIds = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core, backing);
        return { holderId: EID.tier1, amount: '100000000', currency: 'CNY', maturityDate: MATURITY, creditLineId: w.lineId, receivableIds, ...overrides };
    }

    describe('IssueNote', () => {
        it('issues a tier-1 root to an active supplier, draws its face from the receivables in the order given and draws the credit line', async () => {
            const req = await request({}, ['60000000', '50000000']);
            const root = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [req]);
            expect(root).to.include({
                docType: 'note',
                rootId: root.id,
                issuerId: EID.core,
                holderId: EID.tier1,
                amount: '100000000',
                faceAmount: '100000000',
                currency: 'CNY',
                maturityDate: MATURITY,
                tier: 1,
                status: 'ACTIVE',
                origin: 'ISSUE',
                creditLineId: w.lineId,
                graceDays: 3,
                rootStatus: 'OUTSTANDING',
                overdue: false,
            });
            expect(root.parentId).to.equal(undefined);
            expect(root.id).to.match(/^N-[0-9a-f]{24}$/);
            const [first, second] = req.receivableIds as string[];
            expect(root.receivableIds).to.deep.equal([first, second]);
            expect(root.backing).to.deep.equal([
                { receivableId: first, amount: '60000000' },
                { receivableId: second, amount: '40000000' },
            ]);

            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('IssueNote');
            expect(event?.payload).to.include({ noteId: root.id, rootId: root.id, issuerId: EID.core, holderId: EID.tier1, financierId: EID.bank, amount: '100000000', creditLineId: w.lineId });

            expect(await readReceivable(first)).to.include({ status: 'NOTED', noteId: root.id, notedAmount: '60000000', availableAmount: '0' });
            // The first receivable covers 60, so the second gives only 40 of its 50: 10 stay available.
            expect(await readReceivable(second)).to.include({ status: 'CONFIRMED', noteId: root.id, notedAmount: '40000000', availableAmount: '10000000' });
            const line = await w.h.evaluate<{ used: string }>(w.cast.bank, 'credit-line:ReadCreditLine', [w.lineId]);
            expect(line.used).to.equal('100000000');
            expect(await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).to.deep.equal([root]);
            expect(await w.h.evaluate<Note>(w.cast.tier1, 'note:ReadNote', [root.id])).to.deep.equal(root);
        });

        it('accepts a maturity exactly 6 calendar months after the issue date by default and refuses one day later with TENOR_EXCEEDED', async () => {
            // The harness clock is 2026-01-05: six months later is 2026-07-05 (181 days).
            const ok = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [await request({ maturityDate: '2026-07-05' })]);
            expect(ok.maturityDate).to.equal('2026-07-05');
            const tooLong = await request({ maturityDate: '2026-07-06' });
            const refused = await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
            expect(refused.detail).to.equal('maturity 2026-07-06 exceeds the tenor cap of 6 months: a note issued on 2026-01-05 may mature on 2026-07-05 at the latest');
        });

        it('counts months, not days: 6 months from 1 March run 184 days', async () => {
            w.h.setTime('2027-03-01T09:00:00.000Z');
            const ok = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [await request({ maturityDate: '2027-09-01' })]);
            expect(ok.maturityDate).to.equal('2027-09-01');
            const tooLong = await request({ maturityDate: '2027-09-02' });
            await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
        });

        it('clamps to the end of a shorter month: 6 months from 31 August end on 28 February', async () => {
            w.h.setTime('2026-08-31T09:00:00.000Z');
            const ok = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [await request({ maturityDate: '2027-02-28' })]);
            expect(ok.maturityDate).to.equal('2027-02-28');
            const tooLong = await request({ maturityDate: '2027-03-01' });
            const refused = await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
            expect(refused.detail).to.contain('a note issued on 2026-08-31 may mature on 2027-02-28 at the latest');
        });

        it('takes the issue date in UTC, whatever the hour', async () => {
            // 23:00 UTC on 31 August is already 1 September in Beijing; the ledger date is still 31 August.
            w.h.setTime('2026-08-31T22:59:00.000Z');
            const tooLong = await request({ maturityDate: '2027-03-01' });
            await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
        });

        it('follows a raised tenor cap up to the 12-month hard maximum', async () => {
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 12, graceDays: 3 }]);
            const ok = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [await request({ maturityDate: '2027-01-05' })]);
            expect(ok.status).to.equal('ACTIVE');
            const tooLong = await request({ maturityDate: '2027-01-06' });
            const refused = await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
            expect(refused.detail).to.contain('the tenor cap of 12 months').and.to.contain('2027-01-05 at the latest');
        });

        it('follows a lowered tenor cap', async () => {
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 1, graceDays: 3 }]);
            const req = await request({ maturityDate: '2026-02-05' }); // 1 month
            const tooLong = await request({ maturityDate: '2026-02-06' });
            const refused = await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
            expect(refused.detail).to.contain('the tenor cap of 1 month:');
            expect((await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [req])).maturityDate).to.equal('2026-02-05');
        });

        it('refuses a maturity on or before the issue date with INVALID_ARGUMENT', async () => {
            for (const maturityDate of ['2026-01-05', '2026-01-04']) {
                const req = await request({ maturityDate });
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
            }
        });

        it('refuses callers that are not an active core enterprise of PlatformMSP', async () => {
            const req = await request();
            for (const who of [w.cast.tier1, w.cast.bank, w.cast.regulator, w.cast.admin, w.cast.wrongOrgSupplier]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:IssueNote', [req]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:IssueNote', [req]));
            const moleCore = await newUser('BankMSP', 'mole-core', 'core-enterprise', EID.core);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(moleCore, 'note:IssueNote', [req]));
            const ghostCore = await newUser('PlatformMSP', 'ghost-core', 'core-enterprise', uscc('91110000MA9990099'));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(ghostCore, 'note:IssueNote', [req]));
        });

        it('refuses a frozen issuer and a frozen payee with ENTERPRISE_FROZEN', async () => {
            const req = await request();
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'closed']);
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
        });

        it('refuses a payee that is not a supplier or does not exist', async () => {
            const req = await request();
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, holderId: EID.bank }]));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, holderId: EID.core2 }]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, holderId: uscc('91110000MA9990099') }]));
        });

        it('refuses malformed requests', async () => {
            const req = await request();
            const attempts: unknown[] = [
                'not json',
                [req],
                { ...req, extra: true },
                { ...req, amount: '0' },
                { ...req, amount: '1.50' },
                { ...req, amount: 100 },
                { ...req, amount: '-5' },
                { ...req, currency: 'XXX' },
                { ...req, maturityDate: '2026-02-30' },
                { ...req, maturityDate: '2026-04-15T00:00:00Z' },
                { ...req, maturityDate: '2026-01-05' },
                { ...req, maturityDate: '2025-12-31' },
                { ...req, receivableIds: [] },
                { ...req, receivableIds: [(req.receivableIds as string[])[0], (req.receivableIds as string[])[0]] },
                { ...req, holderId: undefined },
                { ...req, creditLineId: 'bad id!' },
            ];
            for (const attempt of attempts) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [attempt as object]));
            }
        });

        it('refuses a face amount above the total of the backing receivables', async () => {
            const req = await request({ amount: '100000001' });
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
        });

        it('draws only the face of a small note from a large receivable, leaving the rest to back further notes, never more than all of it', async () => {
            // A confirmed ¥1,000,000.00 receivable backs a note of 1 fen.
            const [receivableId] = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core, ['100000000']);
            const base = { holderId: EID.tier1, currency: 'CNY', maturityDate: MATURITY, creditLineId: w.lineId, receivableIds: [receivableId] };
            const tiny = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [{ ...base, amount: '1' }]);
            expect(tiny.backing).to.deep.equal([{ receivableId, amount: '1' }]);
            const afterTiny = await readReceivable(receivableId);
            expect(afterTiny).to.include({ status: 'CONFIRMED', notedAmount: '1', availableAmount: '99999999' });
            expect(afterTiny.allocations).to.deep.equal([{ noteId: tiny.id, amount: '1', allocatedAt: tiny.createdAt }]);

            // The supplier finances the rest, and nothing beyond it.
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, amount: '100000000' }]));
            const rest = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [{ ...base, amount: '99999999' }]);
            const full = await readReceivable(receivableId);
            expect(full).to.include({ status: 'NOTED', notedAmount: '100000000', availableAmount: '0' });
            expect(full.allocations.map((a) => [a.noteId, a.amount])).to.deep.equal([
                [tiny.id, '1'],
                [rest.id, '99999999'],
            ]);
            await expectRefused(w.h, 'DOUBLE_FINANCING', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, amount: '1' }]));
        });

        it('refuses a receivable listed after those that already cover the face', async () => {
            const req = await request({ amount: '60000000' }, ['60000000', '50000000']);
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
            const [first, second] = req.receivableIds as string[];
            // Listed the other way round, both are needed: 50 + 10.
            const root = await w.h.submit<Note>(w.cast.core, 'note:IssueNote', [{ ...req, receivableIds: [second, first] }]);
            expect(root.backing).to.deep.equal([
                { receivableId: second, amount: '50000000' },
                { receivableId: first, amount: '10000000' },
            ]);
        });

        it('refuses receivables that are unconfirmed, owed by another buyer, sold by another supplier, in another currency or unknown', async () => {
            const unconfirmed = await w.h.submit<{ id: string }>(w.cast.tier1, 'receivable:RegisterReceivable', [
                { buyerId: EID.core, invoiceNumber: 'UNCONF-1', amount: '100000000', currency: 'CNY', issueDate: '2026-01-02', dueDate: '2026-06-30', documentCid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi' },
            ]);
            const base = await request();
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, receivableIds: [unconfirmed.id] }]));
            const otherBuyer = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core2, ['100000000']);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, receivableIds: otherBuyer }]));
            const otherSeller = await confirmedReceivables(w.h, w.cast.tier2, w.cast.core, ['100000000']);
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, receivableIds: otherSeller }]));
            const usd = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core, ['100000000'], 'USD');
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, receivableIds: usd }]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...base, receivableIds: ['RCV-000000000000000000000000'] }]));
        });

        it('refuses receivables that already back a note with DOUBLE_FINANCING', async () => {
            const req = await request();
            await w.h.submit(w.cast.core, 'note:IssueNote', [req]);
            await expectRefused(w.h, 'DOUBLE_FINANCING', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
        });

        it('refuses issuance the credit line cannot carry: too small, another enterprise\'s, expired, unknown, other currency', async () => {
            const small = await grantLine(w.h, w.cast.bank, EID.core, '99999999');
            const req = await request({ creditLineId: small });
            await expectRefused(w.h, 'INSUFFICIENT_LIMIT', () => w.h.submit(w.cast.core, 'note:IssueNote', [req]));
            const core2Line = await grantLine(w.h, w.cast.bank, EID.core2, '1000000000');
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, creditLineId: core2Line }]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, creditLineId: 'CL-000000000000000000000000' }]));
            const usdLine = await grantLine(w.h, w.cast.bank, EID.core, '1000000000', 'USD');
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, creditLineId: usdLine }]));
            const shortLine = await grantLine(w.h, w.cast.bank, EID.core, '1000000000', 'CNY', '2026-01-20T00:00:00Z');
            w.h.setTime('2026-01-21T00:00:00Z');
            await expectRefused(w.h, 'EXPIRED', () => w.h.submit(w.cast.core, 'note:IssueNote', [{ ...req, creditLineId: shortLine }]));
        });

        it('draws the line cumulatively and refuses the note that would exceed it', async () => {
            const line = await grantLine(w.h, w.cast.bank, EID.core, '150000000');
            await issue(w, { amount: '100000000', lineId: line });
            const second = await request({ amount: '60000000', creditLineId: line }, ['60000000']);
            await expectRefused(w.h, 'INSUFFICIENT_LIMIT', () => w.h.submit(w.cast.core, 'note:IssueNote', [second]));
            await issue(w, { amount: '50000000', lineId: line });
            const read = await w.h.evaluate<{ used: string; remaining: string }>(w.cast.bank, 'credit-line:ReadCreditLine', [line]);
            expect(read).to.include({ used: '150000000', remaining: '0' });
        });
    });

    describe('SetNoteParameters / GetNoteParameters', () => {
        it('reports the defaults until the platform admin sets parameters', async () => {
            expect(await w.h.evaluate<NoteParameters>(w.cast.tier1, 'note:GetNoteParameters')).to.deep.equal({ docType: 'noteParameters', maxTenorMonths: 6, graceDays: 3 });
        });

        it('lets the platform admin set the tenor cap and grace, with an event', async () => {
            const set = await w.h.submit<NoteParameters>(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 10, graceDays: 10 }]);
            expect(set).to.include({ maxTenorMonths: 10, graceDays: 10, updatedBy: EID.platform });
            expect(set).to.not.have.property('maxTenorDays');
            expect(await w.h.evaluate<NoteParameters>(w.cast.core, 'note:GetNoteParameters')).to.deep.equal(set);
            expect(w.h.events().at(-1)).to.deep.include({ name: 'SetNoteParameters' });
            expect(w.h.events().at(-1)?.payload).to.include({ maxTenorMonths: 10, graceDays: 10 });
        });

        it('copies the grace period onto each root at issuance, so a later change is not retroactive', async () => {
            const before = await issue(w);
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 10 }]);
            const after = await issue(w);
            expect(before.graceDays).to.equal(3);
            expect(after.graceDays).to.equal(10);
            expect((await w.h.evaluate<Note>(w.cast.regulator, 'note:ReadNote', [before.id])).graceDays).to.equal(3);
        });

        it('refuses a cap beyond the 12-month hard maximum and other bad values', async () => {
            for (const bad of [
                { maxTenorMonths: 13, graceDays: 3 },
                { maxTenorMonths: 0, graceDays: 3 },
                { maxTenorMonths: 6.5, graceDays: 3 },
                { maxTenorMonths: '6', graceDays: 3 },
                { maxTenorMonths: 6, graceDays: -1 },
                { maxTenorMonths: 6, graceDays: 91 },
                { maxTenorMonths: 6 },
                { graceDays: 3 },
                { maxTenorMonths: 6, graceDays: 3, x: 1 },
            ]) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.admin, 'note:SetNoteParameters', [bad]));
            }
            const tooLong = await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 13, graceDays: 3 }]));
            expect(tooLong.detail).to.equal('request.maxTenorMonths must be an integer between 1 and 12');
        });

        it('refuses a cap in days, naming the field in months that replaced it', async () => {
            for (const old of [{ maxTenorDays: 183, graceDays: 3 }, { maxTenorDays: 200, maxTenorMonths: 7, graceDays: 3 }]) {
                const refused = await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.admin, 'note:SetNoteParameters', [old]));
                expect(refused.detail).to.equal('request.maxTenorDays is no longer accepted: the tenor cap is set in calendar months as request.maxTenorMonths (1 to 12)');
            }
        });

        it('answers the values already in force with the parameters in force, writing and emitting nothing', async () => {
            /** Sets `values`, expecting neither the world state nor the events to change; returns the answer. */
            const setUnchanged = async (values: object): Promise<NoteParameters> => {
                const [digest, events] = [await w.h.stateDigest(), w.h.events().length];
                const answer = await w.h.submit<NoteParameters>(w.cast.admin, 'note:SetNoteParameters', [values]);
                expect([await w.h.stateDigest(), w.h.events().length]).to.deep.equal([digest, events]);
                return answer;
            };
            expect(await setUnchanged({ maxTenorMonths: 6, graceDays: 3 })).to.deep.equal({ docType: 'noteParameters', maxTenorMonths: 6, graceDays: 3 });
            const set = await w.h.submit<NoteParameters>(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 9, graceDays: 3 }]);
            w.h.setTime('2026-02-01T00:00:00.000Z');
            expect(await setUnchanged({ maxTenorMonths: 9, graceDays: 3 })).to.deep.equal(set);
            expect(await w.h.evaluate<NoteParameters>(w.cast.core, 'note:GetNoteParameters')).to.deep.equal(set);
        });

        it('refuses every role but the platform admin', async () => {
            for (const who of [w.cast.core, w.cast.tier1, w.cast.bank, w.cast.regulator]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:SetNoteParameters', [{ maxTenorMonths: 7, graceDays: 3 }]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:SetNoteParameters', [{ maxTenorMonths: 7, graceDays: 3 }]));
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.evaluate(w.cast.anonymous, 'note:GetNoteParameters'));
        });
    });
});
