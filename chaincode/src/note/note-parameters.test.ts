import { expect } from 'chai';
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { XinlianContract } from '../ledger/contract-base';
import { writeRecord } from '../ledger/state';
import { AuditBench, newAuditBench } from '../testing/audit-bench';
import { Cast, EID, newCast, registerCast } from '../testing/fixtures';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import type { Note } from './note';
import { NoteContract } from './note-contract';
import { noteParametersKey } from './note-parameters';
import type { NoteParameters } from './note-parameters';
import { NOTE_CONTRACTS, NoteWorld, confirmedReceivables, grantLine } from './testing';

/** Test-only transactions that write and read the parameters record as it lies on the ledger. */
class NoteParametersProbeContract extends XinlianContract {
    constructor() {
        super('note-parameters-probe');
    }

    /** Stores a record as ledgers written before caps were months hold it: `maxTenorDays`. */
    @Transaction()
    @Returns('string')
    async PutDaysRecord(ctx: Context, maxTenorDays: string, graceDays: string): Promise<string> {
        await writeRecord(ctx, noteParametersKey(ctx), { docType: 'noteParameters', maxTenorDays: Number(maxTenorDays), graceDays: Number(graceDays), updatedAt: '2025-11-03T08:00:00.000Z', updatedBy: EID.platform });
        return '""';
    }

    /** The stored record, field for field. */
    @Transaction(false)
    @Returns('string')
    async StoredRecord(ctx: Context): Promise<string> {
        return Buffer.from(await ctx.stub.getState(noteParametersKey(ctx))).toString('utf8') || 'null';
    }
}

/** The note parameters reach the platform operator's audit pack with their key history. */
describe('NoteContract parameters audit trail', () => {
    let h: Harness;
    let cast: Cast;
    let pack: AuditBench['pack'];

    beforeEach(async () => {
        ({ h, cast, pack } = await newAuditBench([NoteContract]));
    });
    afterEach(() => h.close());

    it("links the parameters to the platform operator's enterprise, so its pack shows every change with its transaction", async () => {
        expect((await pack(EID.platform)).records.map((r) => r.type)).to.not.include('noteParameters');
        await h.submit<NoteParameters>(cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 10, graceDays: 10 }]);
        const firstTx = h.events().slice(-1)[0].txId;
        h.setTime('2026-02-01T00:00:00.000Z');
        await h.submit<NoteParameters>(cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 3, graceDays: 5 }]);
        const secondTx = h.events().slice(-1)[0].txId;

        const record = (await pack(EID.platform)).records.find((r) => r.type === 'noteParameters');
        expect(record, 'the parameters record is in the platform pack').to.not.equal(undefined);
        expect(record?.id).to.equal('current');
        expect(record?.current).to.include({ maxTenorMonths: 3, graceDays: 5, updatedBy: EID.platform, updatedAt: '2026-02-01T00:00:00.000Z' });
        expect(record?.history.map((e) => [e.txId, (e.value as NoteParameters).maxTenorMonths, (e.value as NoteParameters).graceDays, (e.value as NoteParameters).updatedBy])).to.deep.equal([
            [firstTx, 10, 10, EID.platform],
            [secondTx, 3, 5, EID.platform],
        ]);
    });

    it('links nothing when a change is refused or changes nothing', async () => {
        await h.submit(cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 3 }]);
        await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 13, graceDays: 3 }]));
        await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'note:SetNoteParameters', [{ maxTenorDays: 183, graceDays: 3 }]));
        expect((await pack(EID.platform)).records.map((r) => r.type)).to.not.include('noteParameters');
    });

    it('adds no history entry for a repeat of the values in force', async () => {
        const set = await h.submit<NoteParameters>(cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 10, graceDays: 10 }]);
        const firstTx = h.events().slice(-1)[0].txId;
        h.setTime('2026-02-01T00:00:00.000Z');
        expect(await h.submit<NoteParameters>(cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 10, graceDays: 10 }])).to.deep.equal(set);
        const record = (await pack(EID.platform)).records.find((r) => r.type === 'noteParameters');
        expect(record?.history.map((e) => e.txId)).to.deep.equal([firstTx]);
        expect(record?.current).to.deep.equal(set);
    });
});

/** Ledgers written before tenor caps were calendar months hold the cap in days: they keep working. */
describe('NoteContract parameters kept in days', () => {
    let w: NoteWorld;

    beforeEach(async () => {
        const h = await newHarness([...NOTE_CONTRACTS, NoteParametersProbeContract]);
        const cast = await newCast();
        await registerCast(h, cast);
        w = { h, cast, lineId: await grantLine(h, cast.bank, EID.core, '1000000000000') };
    });
    afterEach(() => w.h.close());

    function storedRecord(): Promise<Record<string, unknown>> {
        return w.h.evaluate<Record<string, unknown>>(w.cast.admin, 'note-parameters-probe:StoredRecord');
    }

    /** An IssueNote request backed by a fresh confirmed receivable. */
    async function issueRequest(maturityDate: string): Promise<Record<string, unknown>> {
        const receivableIds = await confirmedReceivables(w.h, w.cast.tier1, w.cast.core, ['100000000']);
        return { holderId: EID.tier1, amount: '100000000', currency: 'CNY', maturityDate, creditLineId: w.lineId, receivableIds };
    }

    async function issueMaturing(maturityDate: string): Promise<Note> {
        return w.h.submit<Note>(w.cast.core, 'note:IssueNote', [await issueRequest(maturityDate)]);
    }

    it('reads a record kept in days as the nearest whole month, keeping who changed it and when', async () => {
        await w.h.submit(w.cast.admin, 'note-parameters-probe:PutDaysRecord', ['183', '5']);
        expect(await w.h.evaluate<NoteParameters>(w.cast.tier1, 'note:GetNoteParameters')).to.deep.equal({
            docType: 'noteParameters',
            maxTenorMonths: 6,
            graceDays: 5,
            updatedAt: '2025-11-03T08:00:00.000Z',
            updatedBy: EID.platform,
        });
        for (const [days, months] of [[366, 12], [90, 3], [200, 7], [1, 1]]) {
            await w.h.submit(w.cast.admin, 'note-parameters-probe:PutDaysRecord', [String(days), '5']);
            expect((await w.h.evaluate<NoteParameters>(w.cast.tier1, 'note:GetNoteParameters')).maxTenorMonths, `${days} days`).to.equal(months);
        }
    });

    it('issues under a record kept in days by its cap in months', async () => {
        // 183 days from 2026-01-05 would reach 2026-07-07; read as 6 months the cap ends on 2026-07-05.
        await w.h.submit(w.cast.admin, 'note-parameters-probe:PutDaysRecord', ['183', '3']);
        expect((await issueMaturing('2026-07-05')).maturityDate).to.equal('2026-07-05');
        const tooLong = await issueRequest('2026-07-06');
        const refused = await expectRefused(w.h, 'TENOR_EXCEEDED', () => w.h.submit(w.cast.core, 'note:IssueNote', [tooLong]));
        expect(refused.detail).to.contain('the tenor cap of 6 months');
    });

    it('rewrites a record kept in days in months at the next SetNoteParameters, even with the same values', async () => {
        await w.h.submit(w.cast.admin, 'note-parameters-probe:PutDaysRecord', ['183', '3']);
        expect(await storedRecord()).to.include({ maxTenorDays: 183 });
        const set = await w.h.submit<NoteParameters>(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 3 }]);
        expect(set).to.include({ maxTenorMonths: 6, graceDays: 3, updatedBy: EID.platform });
        const stored = await storedRecord();
        expect(stored).to.include({ docType: 'noteParameters', maxTenorMonths: 6, graceDays: 3 });
        expect(stored).to.not.have.property('maxTenorDays');
        // Once in months, the same values again change nothing.
        const digest = await w.h.stateDigest();
        expect(await w.h.submit<NoteParameters>(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 3 }])).to.deep.equal(set);
        expect(await w.h.stateDigest()).to.equal(digest);
    });

    it('replaces a record kept in days with new values', async () => {
        await w.h.submit(w.cast.admin, 'note-parameters-probe:PutDaysRecord', ['90', '3']);
        await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 12, graceDays: 7 }]);
        expect(await storedRecord()).to.deep.include({ maxTenorMonths: 12, graceDays: 7 }).and.not.have.property('maxTenorDays');
        expect((await issueMaturing('2027-01-05')).maturityDate).to.equal('2027-01-05');
    });
});
