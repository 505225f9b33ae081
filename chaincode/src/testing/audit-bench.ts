import { AuditContract, AuditPack } from '../audit/audit-contract';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Cast, EID, newCast, registerCast } from './fixtures';
import { ContractClass, Harness, newHarness } from './harness';

/** A ledger for audit-trail tests: the cast and the platform operator registered, and the regulator's view of audit packs. */
export interface AuditBench {
    readonly h: Harness;
    readonly cast: Cast;
    /** The first page of an enterprise's audit pack, exported by the regulator. */
    pack(enterpriseId: string): Promise<AuditPack>;
}

/** Opens an AuditBench running `contracts` beside the enterprise and audit contracts. */
export async function newAuditBench(contracts: readonly ContractClass[]): Promise<AuditBench> {
    const h = await newHarness([EnterpriseContract, ...contracts, AuditContract]);
    const cast = await newCast();
    await registerCast(h, cast);
    await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.platform, name: 'Xinlian Platform Operations Co., Ltd.', kind: 'PLATFORM' }]);
    return { h, cast, pack: (enterpriseId) => h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [enterpriseId, '']) };
}
