import { expect } from 'chai';
import { AuditBench, newAuditBench } from '../testing/audit-bench';
import { Cast, EID } from '../testing/fixtures';
import { Harness } from '../testing/harness';
import { IpContract } from './ip-contract';
import type { IpAsset } from './ip-asset';
import type { IpParameters } from './pledge';

/** The IP module's records reach the regulator's audit pack with their key history. */
describe('IpContract audit trail', () => {
    let h: Harness;
    let cast: Cast;
    let pack: AuditBench['pack'];

    beforeEach(async () => {
        ({ h, cast, pack } = await newAuditBench([IpContract]));
    });
    afterEach(() => h.close());

    it("links the LTV parameters to the platform operator's enterprise, so its pack shows every change with its transaction", async () => {
        expect((await pack(EID.platform)).records.map((r) => r.type)).to.not.include('ip-parameters');
        await h.submit<IpParameters>(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 6000 }]);
        const firstTx = h.events().slice(-1)[0].txId;
        h.setTime('2026-02-01T00:00:00.000Z');
        await h.submit<IpParameters>(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 4000 }]);
        const secondTx = h.events().slice(-1)[0].txId;

        const record = (await pack(EID.platform)).records.find((r) => r.type === 'ip-parameters');
        expect(record, 'the parameters record is in the platform pack').to.not.equal(undefined);
        expect(record?.id).to.equal('current');
        expect(record?.current).to.include({ maxLtvBps: 4000, updatedBy: EID.platform });
        expect(record?.history.map((e) => [e.txId, (e.value as IpParameters).maxLtvBps, (e.value as IpParameters).updatedBy])).to.deep.equal([
            [firstTx, 6000, EID.platform],
            [secondTx, 4000, EID.platform],
        ]);
        // The event names the operator, so its users see the change.
        expect(h.events().slice(-1)[0].payload).to.include({ maxLtvBps: 4000, updatedBy: EID.platform });
    });

    it("links a voided record to the regulator's pack, with who voided it, when and why in its key history", async () => {
        const asset = await h.submit<IpAsset>(cast.tier1, 'ip:RegisterIpAsset', [
            { kind: 'PATENT', registryNumber: 'ZL202310123456.6', title: 'Squatted patent', ownerIds: [EID.tier1], expiryDate: '2035-12-31' },
        ]);
        expect((await pack(EID.regulator)).records.map((r) => r.id)).to.not.include(asset.id);
        await h.submit(cast.regulator, 'ip:VoidIpAsset', [asset.id, 'contested by the patentee of record']);
        const voidTx = h.events().slice(-1)[0].txId;
        for (const eid of [EID.regulator, EID.tier1]) {
            const record = (await pack(eid)).records.find((r) => r.type === 'ip-asset' && r.id === asset.id);
            expect(record, `the voided asset is in the pack of ${eid}`).to.not.equal(undefined);
            expect(record?.current).to.include({ voidedBy: EID.regulator, voidKind: 'VOIDED', voidReason: 'contested by the patentee of record', voidTxId: voidTx });
            expect(record?.history.map((e) => e.txId)).to.include(voidTx);
        }
    });
});
