import { expect } from 'chai';
import { AuditBench, newAuditBench } from '../testing/audit-bench';
import { Cast, EID } from '../testing/fixtures';
import { Harness, expectRefused } from '../testing/harness';
import { NoteContract } from './note-contract';
import type { NoteParameters } from './note-parameters';

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
        await h.submit<NoteParameters>(cast.admin, 'note:SetNoteParameters', [{ maxTenorDays: 300, graceDays: 10 }]);
        const firstTx = h.events().slice(-1)[0].txId;
        h.setTime('2026-02-01T00:00:00.000Z');
        await h.submit<NoteParameters>(cast.admin, 'note:SetNoteParameters', [{ maxTenorDays: 90, graceDays: 5 }]);
        const secondTx = h.events().slice(-1)[0].txId;

        const record = (await pack(EID.platform)).records.find((r) => r.type === 'noteParameters');
        expect(record, 'the parameters record is in the platform pack').to.not.equal(undefined);
        expect(record?.id).to.equal('current');
        expect(record?.current).to.include({ maxTenorDays: 90, graceDays: 5, updatedBy: EID.platform, updatedAt: '2026-02-01T00:00:00.000Z' });
        expect(record?.history.map((e) => [e.txId, (e.value as NoteParameters).maxTenorDays, (e.value as NoteParameters).graceDays, (e.value as NoteParameters).updatedBy])).to.deep.equal([
            [firstTx, 300, 10, EID.platform],
            [secondTx, 90, 5, EID.platform],
        ]);
    });

    it('links nothing when a change is refused', async () => {
        await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.admin, 'note:SetNoteParameters', [{ maxTenorDays: 183, graceDays: 3 }]));
        await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'note:SetNoteParameters', [{ maxTenorDays: 400, graceDays: 3 }]));
        expect((await pack(EID.platform)).records.map((r) => r.type)).to.not.include('noteParameters');
    });
});
