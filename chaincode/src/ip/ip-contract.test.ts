import { expect } from 'chai';
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { XinlianContract } from '../ledger/contract-base';
import { putIndex, writeRecord } from '../ledger/state';
import { Cast, EID, newCast, registerCast, uscc } from '../testing/fixtures';
import { Harness, HarnessEvent, expectRefused, newHarness } from '../testing/harness';
import { TestIdentity, newUser } from '../testing/identities';
import { IP_ASSET_OWNER_INDEX, IpAsset, IpKind, REGISTRY_NUMBER_FORMATS, ipAssetId, ipAssetKey } from './ip-asset';
import { IpContract, PledgeNotice } from './ip-contract';
import type { IpParameters, IpPledge } from './pledge';

const CID = 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG';
const CID2 = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';

/** 1,000,000.00 CNY; the default 50 % cap allows 500,000.00 secured. Recorded by the appraiser. */
const VALUATION = { amount: '100000000', currency: 'CNY', valuationDate: '2026-01-02', reportCid: CID };

const PATENT = {
    kind: 'PATENT',
    registryNumber: 'ZL202310123456.6',
    title: 'Method of investment casting of turbine blades',
    ownerIds: [EID.tier1],
    expiryDate: '2035-12-31',
};

/** Test-only contract writing an asset as RegisterIpAsset did when owners could bring a valuation. */
class LegacyIpProbeContract extends XinlianContract {
    constructor() {
        super('ip-probe');
    }

    @Transaction()
    @Returns('string')
    async PutAsset(ctx: Context, asset: string): Promise<string> {
        const record = JSON.parse(asset) as IpAsset;
        await writeRecord(ctx, ipAssetKey(ctx, record.id), record);
        for (const ownerId of record.ownerIds) {
            await putIndex(ctx, IP_ASSET_OWNER_INDEX, [ownerId, record.id]);
        }
        return '';
    }
}

describe('IpContract', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, IpContract, LegacyIpProbeContract]);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    function lastEvent(): HarnessEvent {
        const events = h.events();
        return events[events.length - 1];
    }

    /** Registers an asset as an owner: it starts unvalued. */
    function registerUnvalued(overrides: Record<string, unknown> = {}, who = cast.tier1): Promise<IpAsset> {
        return h.submit<IpAsset>(who, 'ip:RegisterIpAsset', [{ ...PATENT, ...overrides }]);
    }

    /** The owner identity acting for an enterprise of the cast. */
    function ownerUser(eid: string): TestIdentity {
        const user = [cast.tier1, cast.tier2, cast.tier3, cast.core, cast.core2].find((u) => u.attrs['xl.eid'] === eid);
        if (!user) {
            throw new Error(`no owner identity for ${eid}`);
        }
        return user;
    }

    /** Registers an asset, has every co-owner the registrant named confirm, and has the appraiser value it at VALUATION, so it can be pledged. */
    async function register(overrides: Record<string, unknown> = {}, who = cast.tier1): Promise<IpAsset> {
        const asset = await registerUnvalued(overrides, who);
        for (const eid of asset.pendingOwnerIds ?? []) {
            await h.submit<IpAsset>(ownerUser(eid), 'ip:ConfirmIpOwnership', [asset.id]);
        }
        return h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, VALUATION]);
    }

    function pledgeRequest(asset: IpAsset, overrides: Record<string, unknown> = {}): Record<string, unknown> {
        return { assetId: asset.id, pledgeeId: EID.bank, securedAmount: '30000000', currency: 'CNY', termStart: '2026-02-01', termEnd: '2027-01-31', ...overrides };
    }

    function requestPledge(asset: IpAsset, overrides: Record<string, unknown> = {}, who = cast.tier1): Promise<IpPledge> {
        return h.submit<IpPledge>(who, 'ip:RequestPledge', [pledgeRequest(asset, overrides)]);
    }

    /** Requests and accepts a pledge of a single-owner asset. */
    async function activePledge(asset: IpAsset, overrides: Record<string, unknown> = {}, pledgee = cast.bank): Promise<IpPledge> {
        const requested = await requestPledge(asset, { pledgeeId: pledgee.attrs['xl.eid'], ...overrides });
        return h.submit<IpPledge>(pledgee, 'ip:AcceptPledge', [requested.id]);
    }

    function readPledge(id: string): Promise<IpPledge> {
        return h.evaluate<IpPledge>(cast.regulator, 'ip:ReadPledge', [id]);
    }

    function freeze(eid: string): Promise<unknown> {
        return h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [eid, 'court order']);
    }

    describe('RegisterIpAsset', () => {
        it('registers an unvalued patent keyed by kind and normalised number, with its owner index and event', async () => {
            const asset = await registerUnvalued();
            expect(asset).to.include({ docType: 'ip-asset', id: ipAssetId('PATENT', '202310123456.6'), kind: 'PATENT', registryNumber: '202310123456.6', registeredBy: EID.tier1 });
            expect(asset.ownerIds).to.deep.equal([EID.tier1]);
            expect(asset.valuation).to.equal(undefined);
            expect(asset.valuationHistory).to.deep.equal([]);
            expect(lastEvent().name).to.equal('RegisterIpAsset');
            expect(lastEvent().payload).to.include({ assetId: asset.id, kind: 'PATENT', registryNumber: '202310123456.6' });
            const listed = await h.evaluate<IpAsset[]>(cast.tier1, 'ip:ListIpAssetsOfOwner', [EID.tier1]);
            expect(listed).to.deep.equal([asset]);
        });

        it('refuses a valuation supplied by the owner, whoever it names as appraiser, so the LTV cap rests only on appraised figures', async () => {
            for (const valuation of [
                { ...VALUATION, appraiserId: EID.appraiser },
                { ...VALUATION, amount: '1000000000000000000', appraiserId: EID.appraiser },
                { ...VALUATION, appraiserId: EID.tier1 },
                {},
            ]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ valuation }));
            }
            await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ valuation: { ...VALUATION, appraiserId: EID.appraiser } }, cast.core));
            // Registered unvalued, the asset cannot be pledged until the appraiser values it.
            const asset = await registerUnvalued();
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(asset));
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, VALUATION]);
            expect(valued.valuation).to.include({ amount: '100000000', appraiserId: EID.appraiser, recordedBy: EID.appraiser });
            expect(await requestPledge(valued)).to.include({ status: 'REQUESTED' });
        });

        it('registers a co-owned trademark by a core enterprise, owners in id order', async () => {
            const asset = await registerUnvalued({ kind: 'TRADEMARK', registryNumber: '第0012345678号', ownerIds: [EID.tier1, EID.core] }, cast.core);
            expect(asset.registryNumber).to.equal('12345678');
            expect(asset.ownerIds).to.deep.equal([EID.tier1, EID.core].sort());
            expect(asset.valuation).to.equal(undefined);
            expect(asset.valuationHistory).to.deep.equal([]);
            expect(await h.evaluate<IpAsset[]>(cast.tier1, 'ip:ListIpAssetsOfOwner', [EID.tier1])).to.have.length(1);
            expect(await h.evaluate<IpAsset[]>(cast.core, 'ip:ListIpAssetsOfOwner', [EID.core])).to.have.length(1);
        });

        it('rejects the same right registered again in another spelling, by anyone', async () => {
            await registerUnvalued();
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ registryNumber: '2023 1012 3456 6', ownerIds: [EID.tier2] }, cast.tier2));
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ registryNumber: 'CN202310123456.6' }));
        });

        it('registers one patent once whatever check character is typed: a wrong one is refused, saying how it is computed', async () => {
            const asset = await registerUnvalued();
            // ZL202310123456.7, .8 and 2023101234569 were three rights before, each valued and pledged on its own.
            for (const registryNumber of ['ZL202310123456.7', 'ZL202310123456.8', '2023101234569', 'CN202310123456X']) {
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ registryNumber, ownerIds: [EID.tier2] }, cast.tier2));
                expect(failure.detail).to.contain(`its check character is ${registryNumber.slice(-1)}, but its 12 digits give 6`);
                expect(failure.detail).to.contain('each digit times 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 in turn').and.contain('modulo 11');
                expect(failure.detail).to.contain(`Expected: ${REGISTRY_NUMBER_FORMATS.PATENT}`);
            }
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ registryNumber: '2023101234566', ownerIds: [EID.tier2] }, cast.tier2));
            const listed = await h.evaluate<IpAsset[]>(cast.tier2, 'ip:ListIpAssetsOfOwner', [EID.tier2]);
            expect(listed).to.deep.equal([]);
            expect(asset.id).to.equal(ipAssetId('PATENT', '202310123456.6'));
            // The pre-2003 form is checked by its 8 digits.
            await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ registryNumber: 'ZL03112345.X' }));
            expect(await registerUnvalued({ registryNumber: 'ZL03112345.7' })).to.include({ registryNumber: '03112345.7' });
        });

        it('registers one software copyright once whatever the padding of its serial', async () => {
            const asset = await registerUnvalued({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR123456' });
            expect(asset).to.include({ registryNumber: '2023SR0123456', displayRegistryNumber: '2023SR123456', id: ipAssetId('SOFTWARE_COPYRIGHT', '2023SR0123456') });
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR0123456', ownerIds: [EID.tier2] }, cast.tier2));
            await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR0000000' }));
        });

        it('finds a right an older ledger recorded under a wrong check character or an unpadded serial, and links its re-registration once voided', async () => {
            const legacyRecord = (kind: IpKind, registryNumber: string): IpAsset => ({
                docType: 'ip-asset', id: ipAssetId(kind, registryNumber), kind, registryNumber, title: 'Registered before numbers were checked', ownerIds: [EID.tier1], expiryDate: '2035-12-31',
                valuationHistory: [], registeredBy: EID.tier1, registeredAt: '2026-01-04T00:00:00.000Z', updatedAt: '2026-01-04T00:00:00.000Z',
            });
            const patent = legacyRecord('PATENT', '202310123456.7');
            const software = legacyRecord('SOFTWARE_COPYRIGHT', '2023SR654321');
            for (const legacy of [patent, software]) {
                await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(legacy)]);
            }
            const taken = await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ registryNumber: 'ZL202310123456.6', ownerIds: [EID.tier2] }, cast.tier2));
            expect(taken.message).to.contain(patent.id).and.contain('202310123456.7');
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR0654321', ownerIds: [EID.tier2] }, cast.tier2));
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR654321', ownerIds: [EID.tier2] }, cast.tier2));

            await h.submit(cast.regulator, 'ip:VoidIpAsset', [patent.id, 'its number has a wrong check character']);
            const own = await registerUnvalued({ registryNumber: 'ZL202310123456.6', ownerIds: [EID.tier2] }, cast.tier2);
            expect(own).to.include({ id: ipAssetId('PATENT', '202310123456.6'), registryNumber: '202310123456.6', previousAssetId: patent.id });
        });

        it('bounds the declared expiry date by the statutory term of the right, naming the latest date', async () => {
            // An invention filed in 2023: 20 years, so 2043-12-31 (no delay compensation yet, a drug extension would end by 2040).
            const refusal = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ expiryDate: '9999-12-31' }));
            expect(refusal.detail).to.contain('request.expiryDate 9999-12-31 lies after 2043-12-31, the latest this right can be in force').and.contain('Patent Law art. 42');
            await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ expiryDate: '2044-01-01' }));
            expect(await registerUnvalued({ expiryDate: '2043-12-31' })).to.include({ expiryDate: '2043-12-31' });

            const cases: [Record<string, unknown>, string][] = [
                [{ registryNumber: 'ZL202320123456.1' }, '2033-12-31'], // utility model: 10 years
                [{ registryNumber: 'ZL202030123456.3' }, '2030-12-31'], // design filed before 2021: 10 years
                [{ registryNumber: 'ZL202330123456.7' }, '2038-12-31'], // design: 15 years
                [{ kind: 'TRADEMARK', registryNumber: '7654321' }, '2037-01-05'], // 10 years, renewed at most a year ahead
                [{ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR0123456' }, '2073-12-31'], // registration year + 50
            ];
            for (const [overrides, latest] of cases) {
                const next = new Date(Date.parse(`${latest}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ ...overrides, expiryDate: next }));
                expect(failure.detail, JSON.stringify(overrides)).to.contain(`lies after ${latest}`);
                expect(await registerUnvalued({ ...overrides, expiryDate: latest })).to.include({ expiryDate: latest });
            }
            // A works registration number carries no date: no computed bound.
            expect(await registerUnvalued({ kind: 'COPYRIGHT', registryNumber: '国作登字-2023-F-00000077', expiryDate: '2199-12-31' })).to.include({ expiryDate: '2199-12-31' });
            // A number the office could not have given yet.
            const future = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ registryNumber: 'ZL202710123456.4' }));
            expect(future.detail).to.contain('its year 2027 lies after the transaction date 2026-01-05');
            await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2027SR0000001' }));
        });

        it('registers one copyright once, whatever its separators, refuses look-alike letters, and keeps the registrant\'s spelling for display', async () => {
            const copyright = { kind: 'COPYRIGHT', title: 'Turbine blade drawings' };
            const asset = await registerUnvalued({ ...copyright, registryNumber: 'ABC-2023-F-777' });
            expect(asset).to.include({ id: ipAssetId('COPYRIGHT', 'ABC2023F777'), registryNumber: 'ABC2023F777', displayRegistryNumber: 'ABC-2023-F-777' });
            expect(lastEvent().payload).to.include({ registryNumber: 'ABC2023F777', displayRegistryNumber: 'ABC-2023-F-777' });
            for (const registryNumber of ['ABC2023F777', 'ABC/2023/F/777', 'abc.2023.f.777', 'ＡＢＣ－２０２３－Ｆ－７７７']) {
                await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ ...copyright, registryNumber, ownerIds: [EID.tier2] }, cast.tier2));
            }
            // Cyrillic А, В, С look like Latin A, B, C: refused, not registered as another right.
            const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ ...copyright, registryNumber: 'АВС-2023-F-777', ownerIds: [EID.tier2] }, cast.tier2));
            expect(failure.message).to.contain('registryNumber');
            const chinese = await registerUnvalued({ ...copyright, registryNumber: '国作登字-2023-F-00012345' });
            expect(chinese).to.include({ registryNumber: '国作登字2023F00012345', displayRegistryNumber: '国作登字-2023-F-00012345' });
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ ...copyright, registryNumber: '国作登字2023F00012345' }));
        });

        it('does not re-key a copyright recorded before keys dropped separators, and refuses registering it again in its recorded spelling', async () => {
            const oldKey = '国作登字-2022-F-00000001';
            const legacy: IpAsset = {
                docType: 'ip-asset',
                id: ipAssetId('COPYRIGHT', oldKey),
                kind: 'COPYRIGHT',
                registryNumber: oldKey,
                title: 'Legacy work',
                ownerIds: [EID.tier1],
                expiryDate: '2035-12-31',
                valuationHistory: [],
                registeredBy: EID.tier1,
                registeredAt: '2026-01-04T00:00:00.000Z',
                updatedAt: '2026-01-04T00:00:00.000Z',
            };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(legacy)]);
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ kind: 'COPYRIGHT', registryNumber: oldKey, ownerIds: [EID.tier2] }, cast.tier2));
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ kind: 'COPYRIGHT', registryNumber: '国作登字－２０２２－ｆ－００００００01', ownerIds: [EID.tier2] }, cast.tier2));
            expect(await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAsset', [legacy.id])).to.deep.equal(legacy);
        });

        it('frees a legacy-keyed copyright once the regulator voids it, linking the new record to it', async () => {
            const oldKey = '国作登字-2022-F-00000002';
            const legacy = {
                docType: 'ip-asset', id: ipAssetId('COPYRIGHT', oldKey), kind: 'COPYRIGHT', registryNumber: oldKey, title: 'Legacy work', ownerIds: [EID.tier1], expiryDate: '2035-12-31',
                valuationHistory: [], registeredBy: EID.tier1, registeredAt: '2026-01-04T00:00:00.000Z', updatedAt: '2026-01-04T00:00:00.000Z',
            };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(legacy)]);
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ kind: 'COPYRIGHT', registryNumber: oldKey, ownerIds: [EID.tier2] }, cast.tier2));
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [legacy.id, 'registered by someone else']);
            const own = await registerUnvalued({ kind: 'COPYRIGHT', registryNumber: oldKey, ownerIds: [EID.tier2] }, cast.tier2);
            expect(own).to.include({ registryNumber: '国作登字2022F00000002', previousAssetId: legacy.id, registeredBy: EID.tier2 });
        });

        it('rejects malformed requests', async () => {
            const attempts: Record<string, unknown>[] = [
                { registryNumber: '2023101234.7' },
                { kind: 'TRADEMARK', registryNumber: 'TM-12' },
                { kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023-0123456' },
                { kind: 'COPYRIGHT', registryNumber: '国作登字' },
                { kind: 'DESIGN' },
                { title: '' },
                { ownerIds: [] },
                { ownerIds: [EID.tier1, EID.tier1] },
                { ownerIds: [EID.tier1, 'not-an-id'] },
                { ownerIds: Array.from({ length: 11 }, (_, i) => uscc(`91320500MA1MX${String(i).padStart(4, '0')}`)) },
                { expiryDate: '2026-01-05' },
                { expiryDate: '2035-02-30' },
                { expiryDate: '2035-12-31T00:00:00Z' },
                { valuation: VALUATION },
                { extra: 1 },
            ];
            for (const overrides of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued(overrides));
            }
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier1, 'ip:RegisterIpAsset', ['not json']));
        });

        it('says what is wrong with a registry number of the right characters but the wrong format, and states the format of its kind', async () => {
            const cases: [Record<string, unknown>, RegExp][] = [
                [{ registryNumber: 'ZL20231012345' }, /has 11 characters where a patent number has 13/],
                [{ registryNumber: 'ZL2023101234567.7' }, /has 14 characters where a patent number has 13/],
                [{ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2023SR12' }, /has 2 digits after SR where 6 or 7 belong/],
            ];
            for (const [overrides, problem] of cases) {
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued(overrides));
                const kind = (overrides.kind ?? 'PATENT') as IpKind;
                expect(failure.detail, failure.detail).to.match(problem);
                expect(failure.detail).to.contain(`Expected: ${REGISTRY_NUMBER_FORMATS[kind]}`);
                // The characters were all allowed: the refusal does not blame them.
                expect(failure.detail).to.not.match(/characters a registry number may have|only\)/);
            }
            // A character that is not allowed is named.
            const lookAlike = await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ registryNumber: 'ZL2023101234б6.7' }));
            expect(lookAlike.detail).to.contain('"б" (U+0431)');
        });

        it('rejects owners that are unknown, of the wrong kind or frozen', async () => {
            await expectRefused(h, 'NOT_FOUND', () => registerUnvalued({ ownerIds: [EID.tier1, uscc('91110000MA9990012')] }));
            await expectRefused(h, 'INVALID_ARGUMENT', () => registerUnvalued({ ownerIds: [EID.tier1, EID.bank] }));
            await freeze(EID.tier2);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => registerUnvalued({ ownerIds: [EID.tier1, EID.tier2] }));
        });

        it('refuses a caller outside the owners, other roles, foreign orgs, unregistered or frozen callers and certificates without attributes', async () => {
            await expectRefused(h, 'FORBIDDEN', () => registerUnvalued({}, cast.tier2));
            for (const who of [cast.bank, cast.appraiser, cast.regulator, cast.admin, cast.partner, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => registerUnvalued({}, who));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => registerUnvalued({}, cast.anonymous));
            await freeze(EID.tier1);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => registerUnvalued());
        });
    });

    describe('ReviseValuation', () => {
        let asset: IpAsset;
        beforeEach(async () => {
            asset = await register();
        });

        const revision = { amount: '80000000', currency: 'CNY', valuationDate: '2026-01-05', reportCid: CID2 };

        it('lets an appraiser value an unvalued asset, standing behind the figure itself, linked to the asset for audit', async () => {
            const unvalued = await registerUnvalued({ kind: 'TRADEMARK', registryNumber: '7654321' });
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [unvalued.id, VALUATION]);
            expect(valued.valuation).to.deep.equal(valued.valuationHistory[0]);
            expect(valued.valuationHistory).to.have.length(1);
            expect(valued.valuation).to.include({ amount: '100000000', currency: 'CNY', appraiserId: EID.appraiser, recordedBy: EID.appraiser, valuationDate: '2026-01-02' });
            expect(valued.valuation?.txId).to.equal(lastEvent().txId);
            expect(lastEvent()).to.deep.include({ name: 'ReviseValuation' });
        });

        it('lets an appraiser record a new valuation that becomes the current one, keeping the history', async () => {
            const updated = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, revision]);
            expect(updated.valuation).to.include({ amount: '80000000', appraiserId: EID.appraiser, recordedBy: EID.appraiser, reportCid: CID2 });
            expect(updated.valuationHistory.map((v) => v.amount)).to.deep.equal(['100000000', '80000000']);
            expect(lastEvent()).to.deep.include({ name: 'ReviseValuation' });
            expect(lastEvent().payload).to.deep.include({ assetId: asset.id, ownerIds: asset.ownerIds, pledgeeIds: [], amount: '80000000', appraiserId: EID.appraiser });
            expect(await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAsset', [asset.id])).to.deep.equal(updated);
        });

        it('refuses every financier, even the pledgee of a requested or active pledge: valuations are the appraiser\'s alone', async () => {
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank, 'ip:ReviseValuation', [asset.id, revision]));
            const requested = await requestPledge(asset);
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank, 'ip:ReviseValuation', [asset.id, revision]));
            await h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]);
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank, 'ip:ReviseValuation', [asset.id, revision]));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank2, 'ip:ReviseValuation', [asset.id, revision]));
            // The appraiser still may; the pledgees are named: a new valuation changes what their pledges may secure.
            await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, revision]);
            expect(lastEvent().payload).to.deep.include({ ownerIds: asset.ownerIds, pledgeeIds: [EID.bank] });
        });

        it('does not let a bank with a pledge that can never be accepted inflate the valuation every other bank is measured against', async () => {
            const senior = await activePledge(asset, { allowJunior: true, securedAmount: '40000000' });
            // bank2 asks for a junior rank; bank then releases nothing, so bank2 can only wait — yet it tried to value the asset.
            const junior = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            await expectRefused(h, 'FORBIDDEN', () =>
                h.submit(cast.bank2, 'ip:ReviseValuation', [asset.id, { amount: '1000000000000', currency: 'CNY', valuationDate: '2026-01-05', reportCid: CID2 }]),
            );
            await expectRefused(h, 'LTV_EXCEEDED', () => requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000001', priority: 2 }));
            expect((await readPledge(senior.id)).status).to.equal('ACTIVE');
            expect((await readPledge(junior.id)).status).to.equal('REQUESTED');
        });

        it('refuses owners, financiers, other roles and certificates without attributes', async () => {
            for (const who of [cast.tier1, cast.core, cast.bank, cast.bank2, cast.regulator, cast.admin, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:ReviseValuation', [asset.id, revision]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:ReviseValuation', [asset.id, revision]));
        });

        it('rejects a valuation dated before the current one or in the future, a bad report CID and an unknown asset', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, valuationDate: '2026-01-01' }]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, valuationDate: '2026-03-01' }]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, reportCid: 'x' }]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, appraiserId: EID.appraiser }]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [ipAssetId('PATENT', '202310000000.1'), revision]));
        });

        it('refuses a first valuation dated before 2000-01-01 as a typo, writing nothing, so it never becomes the figure the LTV rule uses', async () => {
            const unvalued = await registerUnvalued({ kind: 'TRADEMARK', registryNumber: '7654321' });
            for (const valuationDate of ['0000-01-01', '0001-01-01', '1999-01-01', '1999-12-31']) {
                const before = await h.stateDigest();
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [unvalued.id, { ...VALUATION, valuationDate }]));
                expect(failure.detail).to.contain(`request.valuationDate ${valuationDate} must be on or after 2000-01-01`);
                expect(await h.stateDigest(), valuationDate).to.equal(before);
            }
            expect((await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAsset', [unvalued.id])).valuation).to.equal(undefined);
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [unvalued.id, { ...VALUATION, valuationDate: '2000-01-01' }]);
            expect(valued.valuation).to.include({ valuationDate: '2000-01-01' });
        });

        it('refuses a valuation in another currency while a pledge is requested or active, naming the currencies, and accepts it once none is', async () => {
            const usd = { ...revision, amount: '20000000', currency: 'USD' };
            const requested = await requestPledge(asset);
            const whileRequested = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, usd]));
            expect(whileRequested.message).to.contain(`${requested.id} (REQUESTED, CNY)`).and.contain('a valuation in USD').and.contain('value it in CNY');
            await h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]);
            const whileActive = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, usd]));
            expect(whileActive.message).to.contain(`${requested.id} (ACTIVE, CNY)`);
            expect((await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAsset', [asset.id])).valuation?.currency).to.equal('CNY');
            // In the pledges' currency it is recorded as before.
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, revision]);
            await h.submit(cast.bank, 'ip:ReleasePledge', [requested.id]);
            expect(await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, usd])).to.have.nested.property('valuation.currency', 'USD');
        });

        it('refuses to value a right after its expiry date, and values it on its last day', async () => {
            const mark = await register({ kind: 'TRADEMARK', registryNumber: '7654321', expiryDate: '2026-03-01' });
            h.setTime('2026-03-01T23:00:00.000Z');
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [mark.id, { ...revision, valuationDate: '2026-03-01' }]);
            h.setTime('2026-03-02T00:00:00.000Z');
            const failure = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [mark.id, { ...revision, valuationDate: '2026-03-02' }]));
            expect(failure.message).to.contain('expired on 2026-03-01');
        });

        it('refuses a valuation dated after the transaction date, judged by the transaction time: it is recorded once made', async () => {
            expect(h.now().toISOString().slice(0, 10)).to.equal('2026-01-05');
            const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, valuationDate: '2026-01-06' }]));
            expect(failure.detail).to.contain('request.valuationDate 2026-01-06 must not lie after the transaction date 2026-01-05');
            expect(await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, valuationDate: '2026-01-05' }])).to.have.nested.property('valuation.valuationDate', '2026-01-05');
            h.setTime('2026-01-06T00:00:00.000Z');
            expect(await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...revision, valuationDate: '2026-01-06' }])).to.have.nested.property('valuation.valuationDate', '2026-01-06');
        });
    });

    describe('ReadIpAsset / ListIpAssetsOfOwner', () => {
        it('shows an asset to its owners, financiers, appraisers, the regulator and the admin only', async () => {
            const asset = await register();
            for (const who of [cast.tier1, cast.bank, cast.appraiser, cast.regulator, cast.admin]) {
                expect(await h.evaluate<IpAsset>(who, 'ip:ReadIpAsset', [asset.id])).to.deep.equal(asset);
            }
            for (const who of [cast.tier2, cast.core, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'ip:ReadIpAsset', [asset.id]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'ip:ReadIpAsset', [asset.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.tier1, 'ip:ReadIpAsset', [ipAssetId('TRADEMARK', '1')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'ip:ReadIpAsset', ['bad id!']));
        });

        it("lists an enterprise's assets to itself and to financiers, not to other suppliers", async () => {
            const a = await register();
            const b = await register({ kind: 'SOFTWARE_COPYRIGHT', registryNumber: '2024SR0123456', ownerIds: [EID.tier1, EID.tier2] });
            const expected = [a, b].sort((x, y) => (x.id < y.id ? -1 : 1));
            expect(await h.evaluate(cast.tier1, 'ip:ListIpAssetsOfOwner', [EID.tier1])).to.deep.equal(expected);
            expect(await h.evaluate(cast.bank, 'ip:ListIpAssetsOfOwner', [EID.tier1])).to.deep.equal(expected);
            expect(await h.evaluate(cast.tier2, 'ip:ListIpAssetsOfOwner', [EID.tier2])).to.deep.equal([b]);
            await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.tier3, 'ip:ListIpAssetsOfOwner', [EID.tier1]));
        });
    });

    describe('SetIpParameters', () => {
        it('defaults to a 5000 bps cap and lets the platform admin change it up to 9000', async () => {
            expect(await h.evaluate<IpParameters>(cast.partner, 'ip:ReadIpParameters')).to.include({ maxLtvBps: 5000 });
            const set = await h.submit<IpParameters>(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 9000 }]);
            expect(set).to.include({ maxLtvBps: 9000, updatedBy: EID.platform });
            expect(lastEvent().name).to.equal('SetIpParameters');
            expect(await h.evaluate<IpParameters>(cast.tier1, 'ip:ReadIpParameters')).to.include({ maxLtvBps: 9000 });
        });

        it('answers a cap already in force with the parameters in force, writing and emitting nothing', async () => {
            // The default: no record is written for it.
            let before = await h.stateDigest();
            let events = h.events().length;
            expect(await h.submit<IpParameters>(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 5000 }])).to.deep.equal({ docType: 'ip-parameters', maxLtvBps: 5000 });
            expect([await h.stateDigest(), h.events().length]).to.deep.equal([before, events]);
            const set = await h.submit<IpParameters>(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 6000 }]);
            h.setTime('2026-02-01T00:00:00.000Z');
            before = await h.stateDigest();
            events = h.events().length;
            // Who set it and when stay as they were: nothing changed.
            expect(await h.submit<IpParameters>(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 6000 }])).to.deep.equal(set);
            expect([await h.stateDigest(), h.events().length]).to.deep.equal([before, events]);
            expect(await h.evaluate<IpParameters>(cast.tier1, 'ip:ReadIpParameters')).to.deep.equal(set);
        });

        it('rejects a cap above the hard maximum, zero, a non-integer or unknown fields', async () => {
            for (const request of [{ maxLtvBps: 9001 }, { maxLtvBps: 0 }, { maxLtvBps: 50.5 }, { maxLtvBps: '5000' }, { maxLtvBps: 5000, extra: 1 }]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'ip:SetIpParameters', [request]));
            }
        });

        it('refuses every role but the platform admin', async () => {
            for (const who of [cast.regulator, cast.bank, cast.tier1, cast.appraiser]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:SetIpParameters', [{ maxLtvBps: 6000 }]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:SetIpParameters', [{ maxLtvBps: 6000 }]));
        });
    });

    describe('RequestPledge', () => {
        let asset: IpAsset;
        beforeEach(async () => {
            asset = await register();
        });

        it('records a REQUESTED first-ranking pledge, indexed for pledgor, pledgee and asset, with one event', async () => {
            const pledge = await requestPledge(asset);
            expect(pledge).to.include({
                docType: 'ip-pledge',
                status: 'REQUESTED',
                assetId: asset.id,
                pledgorId: EID.tier1,
                pledgeeId: EID.bank,
                securedAmount: '30000000',
                priority: 1,
                allowJunior: false,
            });
            expect(pledge.coOwnerIds).to.deep.equal([]);
            expect(pledge.id).to.match(/^pledge-[0-9a-f]{24}$/);
            expect(lastEvent().name).to.equal('RequestPledge');
            expect(lastEvent().payload).to.include({ pledgeId: pledge.id, assetId: asset.id, pledgorId: EID.tier1, pledgeeId: EID.bank });
            expect(await h.evaluate(cast.bank, 'ip:ListPledgesOfEnterprise', [EID.bank])).to.deep.equal([pledge]);
            expect(await h.evaluate(cast.tier1, 'ip:ListPledgesOfEnterprise', [EID.tier1])).to.deep.equal([pledge]);
            expect(await h.evaluate(cast.bank2, 'ip:ListPledgesOfEnterprise', [EID.bank2])).to.deep.equal([]);
        });

        it('rejects malformed requests and a pledgee that is not a financier', async () => {
            const attempts: Record<string, unknown>[] = [
                { termEnd: '2026-01-31' },
                { termStart: '2025-01-01', termEnd: '2025-12-31' },
                { securedAmount: '-1' },
                { securedAmount: 30000000 },
                { currency: 'RMB' },
                { priority: 0 },
                { priority: 1.5 },
                { allowJunior: 'yes' },
                { assetId: 'asset-1' },
                { extra: true },
                { pledgeeId: EID.appraiser },
            ];
            for (const overrides of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => requestPledge(asset, overrides));
            }
        });

        it('refuses a back-dated term start — before 2000, or more than a day before the transaction date — writing nothing and putting nothing on the notice', async () => {
            expect(h.now().toISOString().slice(0, 10)).to.equal('2026-01-05');
            for (const termStart of ['0000-01-01', '0001-01-01', '1999-01-01', '2025-12-31', '2026-01-03']) {
                const before = await h.stateDigest();
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', () => requestPledge(asset, { termStart }));
                expect(failure.detail).to.contain(`request.termStart ${termStart} lies before 2026-01-04`);
                expect(await h.stateDigest(), termStart).to.equal(before);
            }
            expect((await h.evaluate<PledgeNotice>(cast.partner, 'ip:GetPledgeNotice', [asset.id])).pledges).to.deep.equal([]);
            // A day's tolerance, for a request prepared before midnight UTC and endorsed after it.
            const pledge = await requestPledge(asset, { termStart: '2026-01-04' });
            expect(pledge).to.include({ status: 'REQUESTED', termStart: '2026-01-04' });
            await h.submit(cast.tier1, 'ip:CancelPledge', [pledge.id]);
            expect(await requestPledge(asset, { termStart: '2026-01-05', termEnd: '2026-01-05' })).to.include({ status: 'REQUESTED', termStart: '2026-01-05' });
        });

        it('judges the earliest term start by the transaction time, not the clock', async () => {
            h.setTime('2026-03-01T12:00:00.000Z');
            await expectRefused(h, 'INVALID_ARGUMENT', () => requestPledge(asset, { termStart: '2026-02-27' }));
            expect(await requestPledge(asset, { termStart: '2026-02-28' })).to.include({ termStart: '2026-02-28' });
        });

        it('answers NOT_FOUND for an unknown asset or pledgee', async () => {
            await expectRefused(h, 'NOT_FOUND', () => requestPledge({ ...asset, id: ipAssetId('PATENT', '202310000000.1') }));
            await expectRefused(h, 'NOT_FOUND', () => requestPledge(asset, { pledgeeId: uscc('91110000MA9990012') }));
        });

        it('refuses a term ending after the right expires with TERM_EXCEEDS_RIGHT, but accepts one ending on the expiry date', async () => {
            await expectRefused(h, 'TERM_EXCEEDS_RIGHT', () => requestPledge(asset, { termEnd: '2036-01-01' }));
            expect(await requestPledge(asset, { termEnd: '2035-12-31' })).to.include({ status: 'REQUESTED' });
        });

        it('refuses a secured amount above the LTV cap of the current valuation', async () => {
            await expectRefused(h, 'LTV_EXCEEDED', () => requestPledge(asset, { securedAmount: '50000001' }));
            expect(await requestPledge(asset, { securedAmount: '50000000' })).to.include({ status: 'REQUESTED' });
        });

        it('refuses a pledge of an unvalued asset, or in another currency than the valuation, with INVALID_STATE', async () => {
            const unvalued = await registerUnvalued({ kind: 'TRADEMARK', registryNumber: '7654321' });
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(unvalued));
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(asset, { currency: 'USD' }));
        });

        it('refuses a pledge on a valuation its owner recorded in the name of an appraiser (registered before the fix) until an appraiser values it', async () => {
            const id = ipAssetId('TRADEMARK', '9990001');
            const forged = { ...VALUATION, amount: '1000000000000000000', appraiserId: EID.appraiser, recordedBy: EID.tier1, recordedAt: '2026-01-04T00:00:00.000Z', txId: 'legacy-tx' };
            const legacy: IpAsset = {
                docType: 'ip-asset',
                id,
                kind: 'TRADEMARK',
                registryNumber: '9990001',
                title: 'Legacy mark',
                ownerIds: [EID.tier1],
                expiryDate: '2035-12-31',
                valuation: forged,
                valuationHistory: [forged],
                registeredBy: EID.tier1,
                registeredAt: '2026-01-04T00:00:00.000Z',
                updatedAt: '2026-01-04T00:00:00.000Z',
            };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(legacy)]);
            const half = { securedAmount: '500000000000000000' };
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(legacy, half));
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [id, { ...VALUATION, valuationDate: '2026-01-05' }]);
            await expectRefused(h, 'LTV_EXCEEDED', () => requestPledge(legacy, half));
            expect(await requestPledge(legacy)).to.include({ status: 'REQUESTED' });
        });

        it('refuses a pledge on a valuation a financier recorded before valuations became the appraiser\'s alone, until an appraiser values it', async () => {
            const id = ipAssetId('TRADEMARK', '9990002');
            const bankFigure = { ...VALUATION, amount: '1000000000000', appraiserId: EID.bank2, recordedBy: EID.bank2, recordedAt: '2026-01-04T00:00:00.000Z', txId: 'legacy-bank-tx' };
            const legacy: IpAsset = {
                docType: 'ip-asset',
                id,
                kind: 'TRADEMARK',
                registryNumber: '9990002',
                title: 'Legacy mark valued by a bank',
                ownerIds: [EID.tier1],
                expiryDate: '2035-12-31',
                valuation: bankFigure,
                valuationHistory: [bankFigure],
                registeredBy: EID.tier1,
                registeredAt: '2026-01-04T00:00:00.000Z',
                updatedAt: '2026-01-04T00:00:00.000Z',
            };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(legacy)]);
            const failure = await expectRefused(h, 'INVALID_STATE', () => requestPledge(legacy, { securedAmount: '100000000000' }));
            expect(failure.message).to.contain('appraiser');
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [id, { ...VALUATION, valuationDate: '2026-01-05' }]);
            await expectRefused(h, 'LTV_EXCEEDED', () => requestPledge(legacy, { securedAmount: '100000000000' }));
            expect(await requestPledge(legacy)).to.include({ status: 'REQUESTED' });
        });

        it('refuses a priority that skips a rank on an unpledged asset', async () => {
            await expectRefused(h, 'PRIORITY_VIOLATION', () => requestPledge(asset, { priority: 2 }));
        });

        it('refuses when the pledgee or a co-owner is frozen', async () => {
            const shared = await register({ kind: 'TRADEMARK', registryNumber: '555', ownerIds: [EID.tier1, EID.tier2] });
            await freeze(EID.tier2);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => requestPledge(shared));
            await freeze(EID.bank);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => requestPledge(asset));
        });

        it('refuses non-owners, other roles and certificates without attributes', async () => {
            await expectRefused(h, 'FORBIDDEN', () => requestPledge(asset, {}, cast.tier2));
            for (const who of [cast.bank, cast.appraiser, cast.regulator, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => requestPledge(asset, {}, who));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => requestPledge(asset, {}, cast.anonymous));
        });
    });

    describe('ConsentPledge', () => {
        let shared: IpAsset;
        let pledge: IpPledge;
        beforeEach(async () => {
            shared = await register({ ownerIds: [EID.tier1, EID.tier2, EID.core] });
            pledge = await requestPledge(shared);
        });

        it('records each co-owner consent once, in enterprise order', async () => {
            expect(pledge.coOwnerIds).to.deep.equal([EID.tier2, EID.core].sort());
            const first = await h.submit<IpPledge>(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            expect(first.consents.map((c) => c.enterpriseId)).to.deep.equal([EID.tier2]);
            expect(lastEvent().name).to.equal('ConsentPledge');
            expect(lastEvent().payload).to.include({ pledgeId: pledge.id, enterpriseId: EID.tier2, pledgorId: pledge.pledgorId, pledgeeId: pledge.pledgeeId });
            const second = await h.submit<IpPledge>(cast.core, 'ip:ConsentPledge', [pledge.id]);
            expect(second.consents.map((c) => c.enterpriseId)).to.deep.equal([EID.tier2, EID.core].sort());
            expect(second.status).to.equal('REQUESTED');
        });

        it('refuses a second consent by the same co-owner and consent to a pledge no longer requested', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]));
            await h.submit(cast.tier1, 'ip:CancelPledge', [pledge.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]));
        });

        it('refuses the pledgor, non-owners, other roles, frozen co-owners and unknown pledges', async () => {
            for (const who of [cast.tier1, cast.tier3, cast.bank, cast.regulator]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:ConsentPledge', [pledge.id]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:ConsentPledge', [pledge.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.tier2, 'ip:ConsentPledge', ['pledge-000000000000000000000000']));
            await freeze(EID.tier2);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]));
        });
    });

    describe('WithdrawPledgeConsent', () => {
        let shared: IpAsset;
        let pledge: IpPledge;
        beforeEach(async () => {
            shared = await register({ ownerIds: [EID.tier1, EID.tier2, EID.core] });
            pledge = await requestPledge(shared);
        });

        it('removes the co-owner its consent, so acceptance fails with CONSENT_MISSING until it consents again', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            await h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]);
            const withdrawn = await h.submit<IpPledge>(cast.tier2, 'ip:WithdrawPledgeConsent', [pledge.id]);
            expect(withdrawn.status).to.equal('REQUESTED');
            expect(withdrawn.consents.map((c) => c.enterpriseId)).to.deep.equal([EID.core]);
            expect((await readPledge(pledge.id)).consents.map((c) => c.enterpriseId)).to.deep.equal([EID.core]);
            expect(lastEvent().name).to.equal('WithdrawPledgeConsent');
            expect(lastEvent().payload).to.deep.include({
                pledgeId: pledge.id,
                assetId: shared.id,
                ownerIds: shared.ownerIds,
                enterpriseId: EID.tier2,
                pledgorId: EID.tier1,
                pledgeeId: EID.bank,
            });
            const missing = await expectRefused(h, 'CONSENT_MISSING', () => h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]));
            expect(missing.detail).to.include(EID.tier2).and.not.include(EID.core);
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            expect(await h.submit<IpPledge>(cast.bank, 'ip:AcceptPledge', [pledge.id])).to.include({ status: 'ACTIVE' });
        });

        it('shows the withdrawal in the public notice as a transition with one consent fewer', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            await h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', [pledge.id]);
            const notice = await h.evaluate<PledgeNotice>(cast.bank2, 'ip:GetPledgeNotice', [shared.id]);
            expect(notice.pledges[0].transitions.map((t) => [t.status, t.consents])).to.deep.equal([
                ['REQUESTED', 0],
                ['REQUESTED', 1],
                ['REQUESTED', 0],
            ]);
        });

        it('refuses to withdraw a consent never given, or already withdrawn, with CONSENT_MISSING', async () => {
            await expectRefused(h, 'CONSENT_MISSING', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', [pledge.id]));
            await h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]);
            // Another co-owner's consent is not the caller's to withdraw.
            await expectRefused(h, 'CONSENT_MISSING', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', [pledge.id]));
            await h.submit(cast.core, 'ip:WithdrawPledgeConsent', [pledge.id]);
            await expectRefused(h, 'CONSENT_MISSING', () => h.submit(cast.core, 'ip:WithdrawPledgeConsent', [pledge.id]));
        });

        it('refuses a withdrawal once the pledge is accepted or otherwise no longer requested', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            await h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]);
            const other = await requestPledge(shared, { pledgeeId: EID.bank2, securedAmount: '1000000' });
            await h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', [pledge.id]));
            expect((await readPledge(pledge.id)).consents).to.have.length(2);
            await h.submit(cast.tier2, 'ip:ConsentPledge', [other.id]);
            await h.submit(cast.tier1, 'ip:CancelPledge', [other.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', [other.id]));
        });

        it('refuses the pledgor, non-owners and other roles as ConsentPledge does, frozen co-owners, and unknown or malformed ids', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            for (const who of [cast.tier1, cast.tier3, cast.bank, cast.regulator, cast.appraiser]) {
                const consent = await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:ConsentPledge', [pledge.id]));
                const withdraw = await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:WithdrawPledgeConsent', [pledge.id]));
                expect(withdraw.detail).to.equal(consent.detail);
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:WithdrawPledgeConsent', [pledge.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', ['pledge-000000000000000000000000']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', ['xyz']));
            await freeze(EID.tier2);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier2, 'ip:WithdrawPledgeConsent', [pledge.id]));
        });
    });

    describe('DeclinePledge', () => {
        let shared: IpAsset;
        let pledge: IpPledge;
        beforeEach(async () => {
            shared = await register({ ownerIds: [EID.tier1, EID.tier2, EID.core] });
            pledge = await requestPledge(shared);
        });

        it('closes a requested pledge as DECLINED with the co-owner and its trimmed reason, naming every party in the event', async () => {
            const declined = await h.submit<IpPledge>(cast.tier2, 'ip:DeclinePledge', [pledge.id, '  we do not agree to encumber the patent  ']);
            expect(declined).to.include({ status: 'DECLINED', declinedBy: EID.tier2, closeReason: 'we do not agree to encumber the patent' });
            expect(declined.closedAt).to.be.a('string').and.equal(declined.updatedAt);
            expect(await readPledge(pledge.id)).to.deep.equal(declined);
            expect(lastEvent().name).to.equal('DeclinePledge');
            expect(lastEvent().payload).to.deep.include({
                pledgeId: pledge.id,
                assetId: shared.id,
                ownerIds: shared.ownerIds,
                pledgorId: EID.tier1,
                pledgeeId: EID.bank,
                status: 'DECLINED',
                promotedPledgeIds: [],
                declinedBy: EID.tier2,
                reason: 'we do not agree to encumber the patent',
            });
            // A closed pledge: nothing further happens to it.
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:RejectPledge', [pledge.id, 'too late']));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'ip:CancelPledge', [pledge.id]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'ip:DeclinePledge', [pledge.id, 'again']));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:DeclinePledge', [pledge.id, 'again']));
        });

        it('lets a co-owner that consented decline while the pledge is requested', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            await h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]);
            const declined = await h.submit<IpPledge>(cast.core, 'ip:DeclinePledge', [pledge.id, 'changed our mind before acceptance']);
            expect(declined).to.include({ status: 'DECLINED', declinedBy: EID.core });
            expect(declined.consents).to.have.length(2);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]));
        });

        it('refuses a decline once the pledge is accepted', async () => {
            await h.submit(cast.tier2, 'ip:ConsentPledge', [pledge.id]);
            await h.submit(cast.core, 'ip:ConsentPledge', [pledge.id]);
            await h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:DeclinePledge', [pledge.id, 'too late']));
            expect((await readPledge(pledge.id)).status).to.equal('ACTIVE');
        });

        it('refuses an empty, blank or over-long reason', async () => {
            for (const reason of ['', '   ', 'x'.repeat(501)]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier2, 'ip:DeclinePledge', [pledge.id, reason]));
            }
            expect(await h.submit<IpPledge>(cast.tier2, 'ip:DeclinePledge', [pledge.id, 'x'.repeat(500)])).to.include({ status: 'DECLINED' });
        });

        it('refuses the pledgor, the pledgee, non-owners and other roles as ConsentPledge does, frozen co-owners, and unknown or malformed ids', async () => {
            for (const who of [cast.tier1, cast.tier3, cast.bank, cast.bank2, cast.regulator]) {
                const consent = await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:ConsentPledge', [pledge.id]));
                const decline = await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:DeclinePledge', [pledge.id, 'no']));
                if (who !== cast.bank && who !== cast.bank2 && who !== cast.regulator) {
                    expect(decline.detail).to.equal(consent.detail);
                }
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:DeclinePledge', [pledge.id, 'no']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.tier2, 'ip:DeclinePledge', ['pledge-000000000000000000000000', 'no']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier2, 'ip:DeclinePledge', ['xyz', 'no']));
            await freeze(EID.tier2);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier2, 'ip:DeclinePledge', [pledge.id, 'no']));
        });

        it('leaves active ranks as they are, no longer blocks voiding the record, and shows DECLINED in the public notice', async () => {
            const senior = await requestPledge(shared, { allowJunior: true, securedAmount: '10000000' });
            for (const who of [cast.tier2, cast.core]) {
                await h.submit(who, 'ip:ConsentPledge', [senior.id]);
            }
            await h.submit(cast.bank, 'ip:AcceptPledge', [senior.id]);
            const junior = await requestPledge(shared, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            await h.submit(cast.tier2, 'ip:DeclinePledge', [junior.id, 'no second encumbrance']);
            expect(lastEvent().payload.promotedPledgeIds).to.deep.equal([]);
            expect(await readPledge(senior.id)).to.include({ status: 'ACTIVE', priority: 1 });
            // The same rank may be requested again.
            expect(await requestPledge(shared, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 })).to.include({ status: 'REQUESTED' });
            const notice = await h.evaluate<PledgeNotice>(cast.bank2, 'ip:GetPledgeNotice', [shared.id]);
            expect(notice.pledges.find((p) => p.id === junior.id)?.transitions.map((t) => t.status)).to.deep.equal(['REQUESTED', 'DECLINED']);

            // A record whose only pledge was declined can be voided (DECLINED is closed).
            const sole = await register({ kind: 'TRADEMARK', registryNumber: '88009', ownerIds: [EID.tier1, EID.tier2] });
            const only = await requestPledge(sole);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [sole.id, 'contested']));
            await h.submit(cast.tier2, 'ip:DeclinePledge', [only.id, 'title contested']);
            expect(await h.submit<IpAsset>(cast.regulator, 'ip:VoidIpAsset', [sole.id, 'contested'])).to.include({ voidKind: 'VOIDED' });
        });
    });

    describe('AcceptPledge', () => {
        let asset: IpAsset;
        beforeEach(async () => {
            asset = await register();
        });

        it('activates a requested pledge and records the LTV basis it was accepted on', async () => {
            const requested = await requestPledge(asset);
            const active = await h.submit<IpPledge>(cast.bank, 'ip:AcceptPledge', [requested.id]);
            expect(active).to.include({ status: 'ACTIVE', priority: 1 });
            expect(active.ltvAtAcceptance).to.deep.equal({
                valuationAmount: '100000000',
                valuationCurrency: 'CNY',
                valuationTxId: asset.valuation?.txId,
                maxLtvBps: 5000,
                securedTotal: '30000000',
            });
            expect(lastEvent().name).to.equal('AcceptPledge');
            expect(lastEvent().payload).to.include({ pledgeId: requested.id, assetId: asset.id, pledgorId: requested.pledgorId, pledgeeId: requested.pledgeeId, priority: 1 });
        });

        it('refuses acceptance until every co-owner has consented', async () => {
            const shared = await register({ kind: 'TRADEMARK', registryNumber: '88001', ownerIds: [EID.tier1, EID.tier2, EID.tier3] });
            const requested = await requestPledge(shared);
            await expectRefused(h, 'CONSENT_MISSING', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
            await h.submit(cast.tier3, 'ip:ConsentPledge', [requested.id]);
            await expectRefused(h, 'CONSENT_MISSING', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
            await h.submit(cast.tier2, 'ip:ConsentPledge', [requested.id]);
            expect(await h.submit<IpPledge>(cast.bank, 'ip:AcceptPledge', [requested.id])).to.include({ status: 'ACTIVE' });
        });

        it('refuses a second pledge of an asset whose active pledge allows no junior', async () => {
            const first = await requestPledge(asset);
            const second = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000' });
            await h.submit(cast.bank, 'ip:AcceptPledge', [first.id]);
            await expectRefused(h, 'ALREADY_PLEDGED', () => h.submit(cast.bank2, 'ip:AcceptPledge', [second.id]));
            await expectRefused(h, 'ALREADY_PLEDGED', () => requestPledge(asset, { pledgeeId: EID.bank2, priority: 2, securedAmount: '1000' }));
        });

        it('accepts a junior pledge in declared priority order and refuses a wrong order', async () => {
            await activePledge(asset, { allowJunior: true, securedAmount: '20000000' });
            await expectRefused(h, 'PRIORITY_VIOLATION', () => requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000' }));
            await expectRefused(h, 'PRIORITY_VIOLATION', () => requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 3 }));
            const junior = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            const accepted = await h.submit<IpPledge>(cast.bank2, 'ip:AcceptPledge', [junior.id]);
            expect(accepted).to.include({ status: 'ACTIVE', priority: 2 });
            expect(accepted.ltvAtAcceptance?.securedTotal).to.equal('30000000');
        });

        it('refuses a junior pledge whose declared rank was overtaken before acceptance', async () => {
            await activePledge(asset, { allowJunior: true, securedAmount: '10000000' });
            const a = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2, allowJunior: true });
            const b = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            await h.submit(cast.bank2, 'ip:AcceptPledge', [a.id]);
            await expectRefused(h, 'PRIORITY_VIOLATION', () => h.submit(cast.bank2, 'ip:AcceptPledge', [b.id]));
        });

        it('measures the LTV cap against the secured total of all active pledges', async () => {
            await activePledge(asset, { allowJunior: true, securedAmount: '40000000' });
            const junior = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            await expectRefused(h, 'LTV_EXCEEDED', () => requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000001', priority: 2 }));
            await h.submit(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 4000 }]);
            await expectRefused(h, 'LTV_EXCEEDED', () => h.submit(cast.bank2, 'ip:AcceptPledge', [junior.id]));
            await h.submit(cast.admin, 'ip:SetIpParameters', [{ maxLtvBps: 5000 }]);
            expect(await h.submit<IpPledge>(cast.bank2, 'ip:AcceptPledge', [junior.id])).to.include({ status: 'ACTIVE' });
        });

        it('decides the LTV on the latest valuation: a lower revaluation refuses, a higher one admits', async () => {
            const requested = await requestPledge(asset, { securedAmount: '45000000' });
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { amount: '80000000', currency: 'CNY', valuationDate: '2026-01-05', reportCid: CID2 }]);
            await expectRefused(h, 'LTV_EXCEEDED', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { amount: '90000000', currency: 'CNY', valuationDate: '2026-01-05', reportCid: CID }]);
            const active = await h.submit<IpPledge>(cast.bank, 'ip:AcceptPledge', [requested.id]);
            expect(active.ltvAtAcceptance).to.include({ valuationAmount: '90000000', securedTotal: '45000000' });
        });

        it('refuses when the latest valuation is in another currency (one written before revaluations kept the currency of open pledges)', async () => {
            const requested = await requestPledge(asset);
            // Today a valuation in another currency is refused while the pledge is requested (ReviseValuation tests)…
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { amount: '20000000', currency: 'USD', valuationDate: '2026-01-05', reportCid: CID2 }]));
            // …but an older ledger may hold one: acceptance still refuses to compare currencies.
            const current = await h.evaluate<IpAsset>(cast.regulator, 'ip:ReadIpAsset', [asset.id]);
            const usd = { ...current.valuation!, amount: '20000000', currency: 'USD', valuationDate: '2026-01-05', reportCid: CID2 };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify({ ...current, valuation: usd, valuationHistory: [...current.valuationHistory, usd] })]);
            const failure = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
            expect(failure.message).to.contain('valued in USD');
        });

        it('refuses when an owner became frozen after the request', async () => {
            const shared = await register({ kind: 'TRADEMARK', registryNumber: '88002', ownerIds: [EID.tier1, EID.tier2] });
            const requested = await requestPledge(shared);
            await h.submit(cast.tier2, 'ip:ConsentPledge', [requested.id]);
            await freeze(EID.tier1);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
        });

        it('refuses when the pledgee itself is frozen', async () => {
            const requested = await requestPledge(asset);
            await freeze(EID.bank);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
        });

        it('refuses a pledge whose term has already ended with EXPIRED', async () => {
            const requested = await requestPledge(asset, { termEnd: '2026-03-01' });
            h.setTime('2026-03-02T00:00:00.000Z');
            await expectRefused(h, 'EXPIRED', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
        });

        it('refuses other financiers, other roles, a second acceptance and unknown pledges', async () => {
            const requested = await requestPledge(asset);
            for (const who of [cast.bank2, cast.tier1, cast.appraiser, cast.regulator]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:AcceptPledge', [requested.id]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:AcceptPledge', [requested.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.bank, 'ip:AcceptPledge', ['pledge-000000000000000000000000']));
            await h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
        });
    });

    describe('RejectPledge / CancelPledge', () => {
        let asset: IpAsset;
        let pledge: IpPledge;
        beforeEach(async () => {
            asset = await register();
            pledge = await requestPledge(asset);
        });

        it('lets the pledgee reject a requested pledge with a reason', async () => {
            const rejected = await h.submit<IpPledge>(cast.bank, 'ip:RejectPledge', [pledge.id, 'insufficient collateral quality']);
            expect(rejected).to.include({ status: 'REJECTED', closeReason: 'insufficient collateral quality' });
            expect(lastEvent().name).to.equal('RejectPledge');
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:RejectPledge', [pledge.id, 'again']));
        });

        it('refuses a rejection without a reason, by anyone but the pledgee, or of an active pledge', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'ip:RejectPledge', [pledge.id, '  ']));
            for (const who of [cast.bank2, cast.tier1, cast.regulator]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:RejectPledge', [pledge.id, 'no']));
            }
            await h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:RejectPledge', [pledge.id, 'too late']));
        });

        it('lets the pledgor cancel a requested pledge, and no one else', async () => {
            const shared = await register({ kind: 'TRADEMARK', registryNumber: '88003', ownerIds: [EID.tier1, EID.tier2] });
            const other = await requestPledge(shared);
            for (const who of [cast.tier2, cast.bank, cast.regulator]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:CancelPledge', [other.id]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:CancelPledge', [other.id]));
            const cancelled = await h.submit<IpPledge>(cast.tier1, 'ip:CancelPledge', [other.id]);
            expect(cancelled.status).to.equal('CANCELLED');
            expect(lastEvent().name).to.equal('CancelPledge');
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'ip:CancelPledge', [other.id]));
        });

        it('refuses to cancel an active pledge', async () => {
            await h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'ip:CancelPledge', [pledge.id]));
        });
    });

    describe('ReleasePledge / EnforcePledge', () => {
        let asset: IpAsset;
        beforeEach(async () => {
            asset = await register();
        });

        it('lets the pledgee release an active pledge, after which the asset can be pledged again', async () => {
            const active = await activePledge(asset);
            const released = await h.submit<IpPledge>(cast.bank, 'ip:ReleasePledge', [active.id]);
            expect(released).to.include({ status: 'RELEASED' });
            expect(lastEvent().name).to.equal('ReleasePledge');
            expect(lastEvent().payload).to.deep.include({ pledgeId: active.id, pledgorId: active.pledgorId, pledgeeId: active.pledgeeId, status: 'RELEASED', promotedPledgeIds: [] });
            expect(await activePledge(asset, { pledgeeId: EID.bank2 }, cast.bank2)).to.include({ status: 'ACTIVE', priority: 1 });
        });

        it('moves junior pledges up one rank when a senior pledge is released', async () => {
            const senior = await activePledge(asset, { allowJunior: true, securedAmount: '10000000' });
            const middle = await activePledge(asset, { allowJunior: true, securedAmount: '10000000', priority: 2, pledgeeId: EID.bank2 }, cast.bank2);
            const junior = await activePledge(asset, { allowJunior: true, securedAmount: '10000000', priority: 3, pledgeeId: EID.bank2 }, cast.bank2);
            await h.submit(cast.bank, 'ip:ReleasePledge', [senior.id]);
            expect(lastEvent().payload.promotedPledgeIds).to.deep.equal([middle.id, junior.id]);
            expect((await readPledge(middle.id)).priority).to.equal(1);
            expect((await readPledge(junior.id)).priority).to.equal(2);
            expect(await activePledge(asset, { securedAmount: '10000000', priority: 3 })).to.include({ status: 'ACTIVE', priority: 3 });
        });

        it('lets the pledgee enforce an active pledge with a reason once its term has started', async () => {
            const active = await activePledge(asset);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:EnforcePledge', [active.id, 'payment default']));
            h.setTime('2026-06-01T00:00:00.000Z');
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'ip:EnforcePledge', [active.id, '']));
            const enforced = await h.submit<IpPledge>(cast.bank, 'ip:EnforcePledge', [active.id, 'payment default on loan L-1']);
            expect(enforced).to.include({ status: 'ENFORCED', closeReason: 'payment default on loan L-1' });
            expect(lastEvent().name).to.equal('EnforcePledge');
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:ReleasePledge', [active.id]));
        });

        it('marks an enforced asset as realised and refuses new pledges of it with INVALID_STATE naming the enforcement', async () => {
            const senior = await activePledge(asset, { allowJunior: true, securedAmount: '20000000' });
            const pending = await requestPledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            h.setTime('2026-06-01T00:00:00.000Z');
            await h.submit(cast.bank, 'ip:EnforcePledge', [senior.id, 'payment default on loan L-1']);
            const enforceTx = lastEvent().txId;
            const realised = await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAsset', [asset.id]);
            expect(realised).to.include({ enforcedBy: EID.bank, enforcedAt: '2026-06-01T00:00:00.000Z', enforcedPledgeId: senior.id, enforcedTxId: enforceTx });
            expect(realised.valuation).to.deep.equal(asset.valuation);

            // A new request, at full LTV or at any amount, by any owner, to any bank: refused.
            for (const overrides of [{}, { securedAmount: '50000000' }, { pledgeeId: EID.bank2, securedAmount: '1000' }]) {
                const failure = await expectRefused(h, 'INVALID_STATE', () => requestPledge(asset, { termStart: '2026-06-01', ...overrides }));
                expect(failure.message).to.contain(senior.id).and.to.contain('enforced');
            }
            // A request made before the enforcement cannot be accepted afterwards either.
            const late = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank2, 'ip:AcceptPledge', [pending.id]));
            expect(late.message).to.contain(senior.id);
            // A new valuation does not revive it.
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, { ...VALUATION, valuationDate: '2026-06-01' }]);
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(asset, { termStart: '2026-06-01' }));

            const notice = await h.evaluate<PledgeNotice>(cast.partner, 'ip:GetPledgeNotice', [asset.id]);
            expect(notice.asset).to.include({ enforcedBy: EID.bank, enforcedAt: '2026-06-01T00:00:00.000Z', enforcedPledgeId: senior.id, enforcedTxId: enforceTx });
        });

        it('keeps the first enforcement on the asset when a junior pledge is enforced afterwards, and a release marks nothing', async () => {
            const senior = await activePledge(asset, { allowJunior: true, securedAmount: '20000000' });
            const junior = await activePledge(asset, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 }, cast.bank2);
            h.setTime('2026-06-01T00:00:00.000Z');
            await h.submit(cast.bank, 'ip:EnforcePledge', [senior.id, 'default']);
            expect((await readPledge(junior.id)).priority).to.equal(1);
            h.setTime('2026-06-02T00:00:00.000Z');
            await h.submit(cast.bank2, 'ip:EnforcePledge', [junior.id, 'default']);
            expect(await h.evaluate<IpAsset>(cast.regulator, 'ip:ReadIpAsset', [asset.id])).to.include({ enforcedBy: EID.bank, enforcedPledgeId: senior.id, enforcedAt: '2026-06-01T00:00:00.000Z' });

            const other = await register({ kind: 'TRADEMARK', registryNumber: '424242' });
            // A term starting on the ledger's date: it may not be back-dated.
            const released = await activePledge(other, { termStart: '2026-06-02' });
            await h.submit(cast.bank, 'ip:ReleasePledge', [released.id]);
            const free = await h.evaluate<IpAsset>(cast.regulator, 'ip:ReadIpAsset', [other.id]);
            expect(free).to.not.have.property('enforcedBy');
            expect(await requestPledge(other, { termStart: '2026-06-02' })).to.include({ status: 'REQUESTED' });
        });

        it('refuses release and enforcement while an owner is frozen', async () => {
            const active = await activePledge(asset);
            h.setTime('2026-06-01T00:00:00.000Z');
            await freeze(EID.tier1);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.bank, 'ip:ReleasePledge', [active.id]));
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.bank, 'ip:EnforcePledge', [active.id, 'default']));
        });

        it('refuses anyone but the pledgee, and a pledge that is not active', async () => {
            const requested = await requestPledge(asset);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:ReleasePledge', [requested.id]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:EnforcePledge', [requested.id, 'default']));
            await h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]);
            for (const who of [cast.bank2, cast.tier1, cast.regulator, cast.admin]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:ReleasePledge', [requested.id]));
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:EnforcePledge', [requested.id, 'default']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:ReleasePledge', [requested.id]));
        });
    });

    describe('Co-owner confirmation (ConfirmIpOwnership / DeclineIpOwnership)', () => {
        it('holds a registration naming other enterprises pending, unvaluable and unpledgeable, until every named co-owner confirms', async () => {
            // The QA repro: suzhou (tier1) names hangzhou (tier2) and core as co-owners without asking them.
            const asset = await registerUnvalued({ ownerIds: [EID.tier1, EID.tier2, EID.core] });
            expect(asset.pendingOwnerIds).to.deep.equal([EID.tier2, EID.core].sort());
            expect(asset.ownerConfirmations).to.deep.equal([]);
            expect(lastEvent().name).to.equal('RegisterIpAsset');
            expect(lastEvent().payload).to.deep.include({ ownerIds: asset.ownerIds, registeredBy: EID.tier1, pendingOwnerIds: asset.pendingOwnerIds });
            // Each named co-owner sees the asset awaiting its answer.
            expect((await h.evaluate<IpAsset[]>(cast.tier2, 'ip:ListIpAssetsOfOwner', [EID.tier2])).map((a) => a.id)).to.deep.equal([asset.id]);
            expect(await h.evaluate<IpAsset>(cast.core, 'ip:ReadIpAsset', [asset.id])).to.deep.equal(asset);

            const unvaluable = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, VALUATION]));
            expect(unvaluable.message).to.include(EID.tier2).and.include(EID.core);

            const confirmed = await h.submit<IpAsset>(cast.tier2, 'ip:ConfirmIpOwnership', [asset.id]);
            const confirmTx = lastEvent().txId;
            expect(confirmed.pendingOwnerIds).to.deep.equal([EID.core]);
            expect(confirmed.ownerConfirmations).to.deep.equal([{ enterpriseId: EID.tier2, confirmedAt: confirmed.updatedAt, txId: confirmTx }]);
            expect(lastEvent().name).to.equal('ConfirmIpOwnership');
            expect(lastEvent().payload).to.deep.include({ assetId: asset.id, ownerIds: asset.ownerIds, enterpriseId: EID.tier2, registeredBy: EID.tier1, pendingOwnerIds: [EID.core] });
            const stillPending = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [asset.id, VALUATION]));
            expect(stillPending.message).to.include(EID.core).and.not.include(EID.tier2);

            await h.submit<IpAsset>(cast.core, 'ip:ConfirmIpOwnership', [asset.id]);
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, VALUATION]);
            expect(valued.pendingOwnerIds).to.deep.equal([]);
            expect(valued.ownerConfirmations?.map((c) => c.enterpriseId)).to.deep.equal([EID.tier2, EID.core].sort());
            expect(await requestPledge(valued)).to.include({ status: 'REQUESTED' });
        });

        it('refuses a pledge of a valued asset while a named co-owner has not confirmed, naming it', async () => {
            // A pending asset cannot be valued through the contract, so write a valued pending one directly
            // and check that the pledge rules themselves refuse it.
            const id = ipAssetId('TRADEMARK', '4242');
            const pending: IpAsset = {
                docType: 'ip-asset', id, kind: 'TRADEMARK', registryNumber: '4242', title: 'Pending mark', ownerIds: [EID.tier1, EID.tier2].sort(), expiryDate: '2035-12-31',
                valuationHistory: [], registeredBy: EID.tier1, registeredAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
                pendingOwnerIds: [EID.tier2], ownerConfirmations: [],
                valuation: { amount: '100000000', currency: 'CNY', appraiserId: EID.appraiser, valuationDate: '2026-01-01', reportCid: CID, recordedBy: EID.appraiser, recordedAt: '2026-01-01T00:00:00.000Z', txId: 'tx' },
            };
            pending.valuationHistory = [pending.valuation!];
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(pending)]);
            const refused = await expectRefused(h, 'INVALID_STATE', () => requestPledge(pending));
            expect(refused.message).to.include(EID.tier2).and.include('confirm');
        });

        it('lets the registrant alone own an asset as before, and counts records from before the rule as confirmed', async () => {
            const sole = await registerUnvalued();
            expect(sole).to.not.have.property('pendingOwnerIds');
            expect(sole).to.not.have.property('ownerConfirmations');
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.tier1, 'ip:ConfirmIpOwnership', [sole.id]));
            // A co-owned record written before confirmations existed works as it did.
            const id = ipAssetId('TRADEMARK', '777');
            const legacy = {
                docType: 'ip-asset', id, kind: 'TRADEMARK', registryNumber: '777', title: 'Old mark', ownerIds: [EID.tier1, EID.tier2].sort(), expiryDate: '2035-12-31',
                valuationHistory: [], registeredBy: EID.tier1, registeredAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
            };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(legacy)]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:ConfirmIpOwnership', [id]));
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [id, VALUATION]);
            expect(await requestPledge(valued)).to.include({ status: 'REQUESTED' });
        });

        it('lets a named co-owner decline: the record is voided, stays readable, and the right can be registered by its owner', async () => {
            const squatted = await registerUnvalued({ ownerIds: [EID.tier1, EID.tier2] });
            // The real owner is locked out while the record stands.
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ ownerIds: [EID.tier2] }, cast.tier2));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier2, 'ip:DeclineIpOwnership', [squatted.id, '']));
            const declined = await h.submit<IpAsset>(cast.tier2, 'ip:DeclineIpOwnership', [squatted.id, 'we own this patent alone']);
            const declineTx = lastEvent().txId;
            expect(declined).to.include({ voidedBy: EID.tier2, voidKind: 'DECLINED', voidReason: 'we own this patent alone', voidTxId: declineTx, voidedAt: declined.updatedAt });
            expect(lastEvent().name).to.equal('DeclineIpOwnership');
            expect(lastEvent().payload).to.deep.include({ assetId: squatted.id, ownerIds: squatted.ownerIds, voidedBy: EID.tier2, registeredBy: EID.tier1 });
            for (const who of [cast.tier1, cast.tier2, cast.regulator]) {
                expect(await h.evaluate<IpAsset>(who, 'ip:ReadIpAsset', [squatted.id])).to.deep.equal(declined);
            }
            // A voided record counts for nothing.
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [squatted.id, VALUATION]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:ConfirmIpOwnership', [squatted.id]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:DeclineIpOwnership', [squatted.id, 'again']));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [squatted.id, 'again']));

            // The registry key is free: the real owner registers the right, under a new id linked to the voided record.
            const own = await registerUnvalued({ ownerIds: [EID.tier2] }, cast.tier2);
            expect(own.id).to.not.equal(squatted.id);
            expect(own).to.include({ previousAssetId: squatted.id, registryNumber: squatted.registryNumber, registeredBy: EID.tier2 });
            expect(own).to.not.have.property('pendingOwnerIds');
            // One standing record per right again.
            await expectRefused(h, 'ALREADY_EXISTS', () => registerUnvalued({ registryNumber: '2023 1012 3456 6', ownerIds: [EID.tier1] }));
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [own.id, VALUATION]);
            expect(await requestPledge(valued, {}, cast.tier2)).to.include({ status: 'REQUESTED', pledgorId: EID.tier2 });
            expect((await h.evaluate<IpAsset[]>(cast.tier2, 'ip:ListIpAssetsOfOwner', [EID.tier2])).map((a) => a.id).sort()).to.deep.equal([own.id, squatted.id].sort());
        });

        it('refuses the registrant, non-owners, other roles, a second answer, unknown or malformed ids and attribute-less certificates', async () => {
            const asset = await registerUnvalued({ ownerIds: [EID.tier1, EID.tier2] });
            for (const tx of ['ip:ConfirmIpOwnership', 'ip:DeclineIpOwnership']) {
                const args = (id: string): string[] => (tx === 'ip:ConfirmIpOwnership' ? [id] : [id, 'not ours']);
                for (const who of [cast.tier1, cast.tier3, cast.core, cast.bank, cast.regulator, cast.appraiser, cast.wrongOrgSupplier]) {
                    await expectRefused(h, 'FORBIDDEN', () => h.submit(who, tx, args(asset.id)));
                }
                await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, tx, args(asset.id)));
                await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.tier2, tx, args(ipAssetId('TRADEMARK', '1'))));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier2, tx, args('bad id!')));
            }
            await h.submit(cast.tier2, 'ip:ConfirmIpOwnership', [asset.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:ConfirmIpOwnership', [asset.id]));
            // Once confirmed, only the regulator can void a contested record.
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:DeclineIpOwnership', [asset.id, 'changed our mind']));
        });

        it('refuses a frozen co-owner its answer', async () => {
            const asset = await registerUnvalued({ ownerIds: [EID.tier1, EID.tier2] });
            await freeze(EID.tier2);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier2, 'ip:ConfirmIpOwnership', [asset.id]));
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier2, 'ip:DeclineIpOwnership', [asset.id, 'not ours']));
        });
    });

    describe('VoidIpAsset', () => {
        it('lets the regulator void a squatted record once no pledge of it is requested or active, freeing the right for its owner', async () => {
            // A squatter lists only itself, has the patent valued and pledges it.
            const squatted = await register();
            const requested = await requestPledge(squatted);
            const open = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [squatted.id, 'contested by hangzhou']));
            expect(open.message).to.include(requested.id).and.include('REQUESTED');
            await h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]);
            const active = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [squatted.id, 'contested by hangzhou']));
            expect(active.message).to.include(requested.id).and.include('ACTIVE');
            await h.submit(cast.bank, 'ip:ReleasePledge', [requested.id]);

            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [squatted.id, '']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'ip:VoidIpAsset', ['bad id!', 'contested']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [ipAssetId('TRADEMARK', '1'), 'contested']));
            for (const who of [cast.tier1, cast.tier2, cast.admin, cast.bank, cast.appraiser, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'ip:VoidIpAsset', [squatted.id, 'contested']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'ip:VoidIpAsset', [squatted.id, 'contested']));

            const voided = await h.submit<IpAsset>(cast.regulator, 'ip:VoidIpAsset', [squatted.id, 'CNIPA register names Hangzhou Fastener Works as patentee']);
            const voidTx = lastEvent().txId;
            expect(voided).to.include({ voidedBy: EID.regulator, voidKind: 'VOIDED', voidReason: 'CNIPA register names Hangzhou Fastener Works as patentee', voidTxId: voidTx });
            expect(lastEvent().name).to.equal('VoidIpAsset');
            expect(lastEvent().payload).to.deep.include({ assetId: squatted.id, ownerIds: [EID.tier1], voidedBy: EID.regulator, pledgeeIds: [EID.bank] });
            expect(await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAsset', [squatted.id])).to.deep.equal(voided);
            const notice = await h.evaluate<PledgeNotice>(cast.partner, 'ip:GetPledgeNotice', [squatted.id]);
            expect(notice.asset).to.include({ voidedBy: EID.regulator, voidKind: 'VOIDED', voidTxId: voidTx });
            expect(notice.pledges.map((p) => [p.id, p.status])).to.deep.equal([[requested.id, 'RELEASED']]);

            await expectRefused(h, 'INVALID_STATE', () => requestPledge(voided));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [squatted.id, { ...VALUATION, valuationDate: '2026-01-05' }]));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'ip:VoidIpAsset', [squatted.id, 'again']));

            const own = await registerUnvalued({ ownerIds: [EID.tier2] }, cast.tier2);
            expect(own).to.include({ previousAssetId: squatted.id, registeredBy: EID.tier2 });
            expect(own.id).to.not.equal(squatted.id);
            // Voided again (say, contested too), the right is free once more and the chain goes on.
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [own.id, 'contested again']);
            const third = await registerUnvalued({ ownerIds: [EID.tier2] }, cast.tier2);
            expect(third.previousAssetId).to.equal(own.id);
            expect(new Set([squatted.id, own.id, third.id]).size).to.equal(3);
        });

        it('carries the enforcement mark over to the re-registration of a realised record the regulator voided, so the right is not pledged again', async () => {
            const realised = await register();
            const enforced = await activePledge(realised);
            h.setTime('2026-03-01T00:00:00.000Z');
            await h.submit(cast.bank, 'ip:EnforcePledge', [enforced.id, 'payment default']);
            const enforceTx = lastEvent().txId;
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [realised.id, 'registered by a party that does not own the right']);

            const again = await registerUnvalued();
            const mark = { enforcedBy: EID.bank, enforcedAt: '2026-03-01T00:00:00.000Z', enforcedPledgeId: enforced.id, enforcedTxId: enforceTx, enforcedAssetId: realised.id };
            expect(again).to.include({ previousAssetId: realised.id, ...mark });
            // It may be valued (as a realised record may), but not pledged, to any bank, at any amount.
            const valued = await h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [again.id, { ...VALUATION, valuationDate: '2026-03-01' }]);
            for (const overrides of [{}, { pledgeeId: EID.bank2, securedAmount: '1000' }]) {
                const failure = await expectRefused(h, 'INVALID_STATE', () => requestPledge(valued, { termStart: '2026-03-01', ...overrides }));
                expect(failure.message).to.contain(enforced.id).and.contain(realised.id);
            }
            const notice = await h.evaluate<PledgeNotice>(cast.partner, 'ip:GetPledgeNotice', [again.id]);
            expect(notice.asset).to.include(mark);

            // Voided and registered once more, the mark still names the first enforcement.
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [again.id, 'contested again']);
            expect(await registerUnvalued({ ownerIds: [EID.tier2] }, cast.tier2)).to.include({ previousAssetId: again.id, ...mark });
        });

        it('carries the mark from any voided record of the right, also past a re-registration an older ledger made without it', async () => {
            const base = {
                docType: 'ip-asset', kind: 'TRADEMARK', registryNumber: '31337', title: 'Realised mark', ownerIds: [EID.tier1], expiryDate: '2035-12-31', valuationHistory: [],
                registeredBy: EID.tier1, registeredAt: '2026-01-04T00:00:00.000Z', updatedAt: '2026-01-04T00:00:00.000Z',
                voidedBy: EID.regulator, voidKind: 'VOIDED', voidedAt: '2026-01-04T12:00:00.000Z', voidReason: 'contested', voidTxId: 'tx-void',
            };
            const first = { ...base, id: ipAssetId('TRADEMARK', '31337'), enforcedBy: EID.bank, enforcedAt: '2026-01-04T06:00:00.000Z', enforcedPledgeId: 'pledge-000000000000000000000001', enforcedTxId: 'tx-enforce' };
            const unmarked = { ...base, id: ipAssetId('TRADEMARK', '31337', 1), previousAssetId: first.id };
            for (const record of [first, unmarked]) {
                await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(record)]);
            }
            const own = await registerUnvalued({ kind: 'TRADEMARK', registryNumber: '31337' });
            expect(own).to.include({ id: ipAssetId('TRADEMARK', '31337', 2), previousAssetId: unmarked.id, enforcedPledgeId: first.enforcedPledgeId, enforcedBy: EID.bank, enforcedAssetId: first.id });
        });

        it('voids a pending registration too', async () => {
            const pending = await registerUnvalued({ ownerIds: [EID.tier1, EID.tier2] });
            const voided = await h.submit<IpAsset>(cast.regulator, 'ip:VoidIpAsset', [pending.id, 'contested']);
            expect(voided).to.include({ voidKind: 'VOIDED', voidedBy: EID.regulator });
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier2, 'ip:ConfirmIpOwnership', [pending.id]));
        });
    });

    describe('records an older ledger holds (before registry numbers and expiry dates were checked)', () => {
        /**
         * Writes a record as a ledger from before the check-character, serial-padding and expiry rules
         * may hold it (RegisterIpAsset no longer writes such a record), owned and registered by `owner`,
         * and has the appraiser value it at VALUATION unless `valued` is false.
         */
        async function putLegacy(kind: IpKind, registryNumber: string, overrides: Partial<IpAsset> = {}, valued = true): Promise<IpAsset> {
            const owner = overrides.ownerIds?.[0] ?? EID.tier2;
            const record: IpAsset = {
                docType: 'ip-asset', id: ipAssetId(kind, registryNumber), kind, registryNumber, title: 'Registered before numbers were checked', ownerIds: [owner], expiryDate: '2035-12-31',
                valuationHistory: [], registeredBy: owner, registeredAt: '2025-06-30T00:00:00.000Z', updatedAt: '2025-06-30T00:00:00.000Z', ...overrides,
            };
            await h.submit(cast.admin, 'ip-probe:PutAsset', [JSON.stringify(record)]);
            return valued ? h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [record.id, VALUATION]) : record;
        }

        it('refuses to pledge any of several standing records of one patent (wrong check characters), naming the others, until the regulator voids them', async () => {
            const own = await register();
            const requested = await requestPledge(own, { securedAmount: '50000000' });
            const seven = await putLegacy('PATENT', '202310123456.7');
            const eight = await putLegacy('PATENT', '202310123456.8', { ownerIds: [EID.tier3] });
            // Before, each record could be pledged first-rank up to the whole cap: 150 % of the right's value.
            const onSeven = await expectRefused(h, 'INVALID_STATE', () => requestPledge(seven, { securedAmount: '50000000' }, cast.tier2));
            expect(onSeven.message).to.contain(own.id).and.contain(eight.id).and.contain('VoidIpAsset');
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(eight, { securedAmount: '50000000' }, cast.tier3));
            const onOwn = await expectRefused(h, 'INVALID_STATE', () => requestPledge(own, { securedAmount: '1', pledgeeId: EID.bank2 }));
            expect(onOwn.message).to.contain(seven.id).and.contain(eight.id).and.contain('202310123456.7').and.contain('its key today is 202310123456.6');
            // A pledge requested before the other records were found is not accepted either.
            const accept = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
            expect(accept.message).to.contain(seven.id);

            // A voided record no longer stands: once only one record of the right does, it is pledged as usual.
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [seven.id, 'CNIPA number is ZL202310123456.6']);
            const still = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'ip:AcceptPledge', [requested.id]));
            expect(still.message).to.contain(eight.id).and.not.contain(seven.id);
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [eight.id, 'CNIPA number is ZL202310123456.6']);
            expect(await h.submit<IpPledge>(cast.bank, 'ip:AcceptPledge', [requested.id])).to.include({ status: 'ACTIVE' });
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(seven, {}, cast.tier2));
        });

        it('refuses a second pledge of a software copyright recorded under its padded and its unpadded serial while both stand, whichever already holds one', async () => {
            // The older ledger recorded 2023SR123456 first and pledged it; then 2023SR0123456 as another right.
            const unpadded = await putLegacy('SOFTWARE_COPYRIGHT', '2023SR123456', { ownerIds: [EID.tier1] });
            const first = await activePledge(unpadded, { securedAmount: '50000000' });
            const padded = await putLegacy('SOFTWARE_COPYRIGHT', '2023SR0123456', { ownerIds: [EID.tier1] });
            const refusal = await expectRefused(h, 'INVALID_STATE', () => requestPledge(padded, { securedAmount: '50000000', pledgeeId: EID.bank2 }));
            expect(refusal.message).to.contain(unpadded.id).and.contain('2023SR123456');
            // A junior behind the unpadded record's pledge would count on the same right as well.
            await expectRefused(h, 'INVALID_STATE', () => requestPledge(unpadded, { securedAmount: '1', priority: 2, pledgeeId: EID.bank2 }));
            // The regulator voids the padded record (no pledge of it is open); the unpadded one carries on.
            await h.submit(cast.regulator, 'ip:VoidIpAsset', [padded.id, 'recorded twice']);
            await h.submit(cast.bank, 'ip:ReleasePledge', [first.id]);
            expect(await requestPledge(unpadded, { securedAmount: '50000000' })).to.include({ status: 'REQUESTED' });
        });

        it('refuses a pledge of a copyright recorded under its old key while the right stands under today\'s key too', async () => {
            const own = await register({ kind: 'COPYRIGHT', registryNumber: '国作登字2022F00000003' });
            const dashed = await putLegacy('COPYRIGHT', '国作登字-2022-F-00000003');
            const refusal = await expectRefused(h, 'INVALID_STATE', () => requestPledge(dashed, {}, cast.tier2));
            expect(refusal.message).to.contain(own.id);
        });

        it('ends a pledge of a record declaring an expiry past the statutory term (recorded before the bound) by that term', async () => {
            // A utility model filed in 2023 is in force until 2033-12-31 at the latest, whatever the record says.
            const utility = await putLegacy('PATENT', '202320123456.1', { ownerIds: [EID.tier1], expiryDate: '9999-12-31' });
            const failure = await expectRefused(h, 'TERM_EXCEEDS_RIGHT', () => requestPledge(utility, { termEnd: '2034-01-01' }));
            expect(failure.detail).to.contain('2033-12-31').and.contain('9999-12-31').and.contain('utility model');
            await expectRefused(h, 'TERM_EXCEEDS_RIGHT', () => requestPledge(utility, { termEnd: '9999-12-31' }));
            expect(await requestPledge(utility, { termEnd: '2033-12-31' })).to.include({ status: 'REQUESTED', termEnd: '2033-12-31' });

            // A trademark: 11 years from the transaction's date (2026-01-05) at most.
            const mark = await putLegacy('TRADEMARK', '7654321', { ownerIds: [EID.tier1], expiryDate: '9999-12-31' });
            await expectRefused(h, 'TERM_EXCEEDS_RIGHT', () => requestPledge(mark, { termEnd: '2037-01-06' }));
            expect(await requestPledge(mark, { termEnd: '2037-01-05' })).to.include({ status: 'REQUESTED' });
            // A declared expiry before the statutory one still governs.
            const short = await putLegacy('PATENT', '202310654321.2', { ownerIds: [EID.tier1], expiryDate: '2030-06-30' });
            await expectRefused(h, 'TERM_EXCEEDS_RIGHT', () => requestPledge(short, { termEnd: '2030-07-01' }));

            // A utility model filed in 2010 has been out of force since 2020-12-31: neither valued nor pledged.
            const lapsed = await putLegacy('PATENT', '201020123456.4', { ownerIds: [EID.tier1], expiryDate: '9999-12-31' }, false);
            const valuation = await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [lapsed.id, VALUATION]));
            expect(valuation.message).to.contain('2020-12-31');
            await expectRefused(h, 'TERM_EXCEEDS_RIGHT', () => requestPledge(lapsed));
        });
    });

    describe('GetPledgeNotice', () => {
        it("shows any authenticated identity the asset's full pledge history with the tx id of every transition", async () => {
            const asset = await register({ ownerIds: [EID.tier1, EID.tier2] });
            const first = await requestPledge(asset);
            const requestTx = lastEvent().txId;
            await h.submit(cast.tier2, 'ip:ConsentPledge', [first.id]);
            const consentTx = lastEvent().txId;
            await h.submit(cast.bank, 'ip:AcceptPledge', [first.id]);
            const acceptTx = lastEvent().txId;
            await h.submit(cast.bank, 'ip:ReleasePledge', [first.id]);
            const releaseTx = lastEvent().txId;
            const second = await requestPledge(asset, { pledgeeId: EID.bank2 }, cast.tier2);
            await h.submit(cast.bank2, 'ip:RejectPledge', [second.id, 'declined']);

            for (const who of [cast.partner, cast.regulator, cast.tier3, cast.bank2, cast.bureau]) {
                const notice = await h.evaluate<PledgeNotice>(who, 'ip:GetPledgeNotice', [asset.id]);
                expect(notice.asset).to.deep.equal({
                    id: asset.id,
                    kind: 'PATENT',
                    registryNumber: '202310123456.6',
                    displayRegistryNumber: 'ZL202310123456.6',
                    title: PATENT.title,
                    ownerIds: asset.ownerIds,
                    expiryDate: '2035-12-31',
                });
                expect(notice.asset).to.not.have.property('valuation');
                expect(notice.pledges.map((p) => [p.id, p.status, p.pledgorId, p.pledgeeId])).to.deep.equal([
                    [first.id, 'RELEASED', EID.tier1, EID.bank],
                    [second.id, 'REJECTED', EID.tier2, EID.bank2],
                ]);
                expect(notice.pledges[0]).to.include({ securedAmount: '30000000', currency: 'CNY', priority: 1, termStart: '2026-02-01', termEnd: '2027-01-31' });
                expect(notice.pledges[0].transitions.map((t) => [t.txId, t.status, t.consents])).to.deep.equal([
                    [requestTx, 'REQUESTED', 0],
                    [consentTx, 'REQUESTED', 1],
                    [acceptTx, 'ACTIVE', 1],
                    [releaseTx, 'RELEASED', 1],
                ]);
                expect(notice.pledges[1].transitions.map((t) => t.status)).to.deep.equal(['REQUESTED', 'REJECTED']);
            }
        });

        it('refuses certificates without attributes and answers NOT_FOUND for an unknown asset', async () => {
            const asset = await register();
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'ip:GetPledgeNotice', [asset.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'ip:GetPledgeNotice', [ipAssetId('TRADEMARK', '1')]));
            expect((await h.evaluate<PledgeNotice>(cast.partner, 'ip:GetPledgeNotice', [asset.id])).pledges).to.deep.equal([]);
        });
    });

    describe('ReadPledge / ListPledgesOfEnterprise', () => {
        it('shows a pledge to its parties, co-owners included, the regulator and the admin only', async () => {
            const asset = await register({ ownerIds: [EID.tier1, EID.tier2] });
            const pledge = await requestPledge(asset);
            for (const who of [cast.tier1, cast.tier2, cast.bank, cast.regulator, cast.admin]) {
                expect(await h.evaluate(who, 'ip:ReadPledge', [pledge.id])).to.deep.equal(pledge);
            }
            expect(await h.evaluate(cast.tier2, 'ip:ListPledgesOfEnterprise', [EID.tier2])).to.deep.equal([pledge]);
            for (const who of [cast.bank2, cast.tier3, cast.partner, cast.appraiser]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'ip:ReadPledge', [pledge.id]));
            }
            await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.bank2, 'ip:ListPledgesOfEnterprise', [EID.bank]));
            expect(await h.evaluate(cast.regulator, 'ip:ListPledgesOfEnterprise', [EID.bank])).to.deep.equal([pledge]);
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.regulator, 'ip:ReadPledge', ['pledge-000000000000000000000000']));
        });

        it('emits no event for reads', async () => {
            const asset = await register();
            const count = h.events().length;
            await h.evaluate(cast.tier1, 'ip:ReadIpAsset', [asset.id]);
            await h.evaluate(cast.partner, 'ip:GetPledgeNotice', [asset.id]);
            await h.evaluate(cast.tier1, 'ip:ListPledgesOfEnterprise', [EID.tier1]);
            expect(h.events()).to.have.length(count);
        });
    });

    describe('events name the asset owners', () => {
        it('carries ownerIds in every pledge event, so co-owners whose consent was needed see each step', async () => {
            const shared = await register({ ownerIds: [EID.tier1, EID.tier2, EID.core] });
            const owners = shared.ownerIds;
            const seen: Record<string, unknown> = {};
            const record = (): void => {
                const event = lastEvent();
                expect(event.payload.ownerIds, event.name).to.deep.equal(owners);
                seen[event.name] = true;
            };

            const first = await requestPledge(shared, { allowJunior: true, securedAmount: '10000000' });
            record();
            await h.submit(cast.tier2, 'ip:ConsentPledge', [first.id]);
            record();
            await h.submit(cast.core, 'ip:ConsentPledge', [first.id]);
            await h.submit(cast.bank, 'ip:AcceptPledge', [first.id]);
            record();
            const second = await requestPledge(shared, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            await h.submit(cast.bank2, 'ip:RejectPledge', [second.id, 'declined']);
            record();
            const third = await requestPledge(shared, { pledgeeId: EID.bank2, securedAmount: '10000000', priority: 2 });
            await h.submit(cast.tier1, 'ip:CancelPledge', [third.id]);
            record();
            await h.submit(cast.bank, 'ip:ReleasePledge', [first.id]);
            record();
            const fourth = await requestPledge(shared);
            await h.submit(cast.tier2, 'ip:ConsentPledge', [fourth.id]);
            await h.submit(cast.core, 'ip:ConsentPledge', [fourth.id]);
            await h.submit(cast.bank, 'ip:AcceptPledge', [fourth.id]);
            h.setTime('2026-06-01T00:00:00.000Z');
            await h.submit(cast.bank, 'ip:EnforcePledge', [fourth.id, 'default']);
            record();
            await h.submit(cast.appraiser, 'ip:ReviseValuation', [shared.id, { ...VALUATION, valuationDate: '2026-06-01' }]);
            record();
            expect(Object.keys(seen).sort()).to.deep.equal(
                ['AcceptPledge', 'CancelPledge', 'ConsentPledge', 'EnforcePledge', 'RejectPledge', 'ReleasePledge', 'RequestPledge', 'ReviseValuation'].sort(),
            );
        });
    });

    describe('malformed ids', () => {
        it('answers INVALID_ARGUMENT, not NOT_FOUND, for a pledge id of the wrong format in every pledge transaction', async () => {
            const asset = await register();
            const pledge = await requestPledge(asset);
            for (const bad of ['xyz', 'pledge-0', 'pledge-XYZ', `${pledge.id}0`, pledge.id.toUpperCase(), 'ip-000000000000000000000000']) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier2, 'ip:ConsentPledge', [bad]));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'ip:AcceptPledge', [bad]));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'ip:RejectPledge', [bad, 'no']));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier1, 'ip:CancelPledge', [bad]));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'ip:ReleasePledge', [bad]));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'ip:EnforcePledge', [bad, 'default']));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'ip:ReadPledge', [bad]));
            }
            // A well-formed id that names no pledge is still NOT_FOUND.
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.bank, 'ip:AcceptPledge', ['pledge-000000000000000000000000']));
        });

        it('answers INVALID_ARGUMENT for an asset id of the wrong format in every asset transaction', async () => {
            for (const bad of ['xyz', 'ip-0', 'pledge-000000000000000000000000', 'IP-000000000000000000000000']) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'ip:ReadIpAsset', [bad]));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'ip:GetPledgeNotice', [bad]));
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.appraiser, 'ip:ReviseValuation', [bad, VALUATION]));
            }
        });
    });

    it('rejects an unknown transaction name with UNKNOWN_TRANSACTION', async () => {
        await expectRefused(h, 'UNKNOWN_TRANSACTION', () => h.submit(cast.tier1, 'ip:TransferIpAsset', []));
    });

    it('lets a second identity of the same owner act for it', async () => {
        const other = await newUser('PlatformMSP', 'tier1-clerk', 'supplier', EID.tier1);
        const asset = await register({}, other);
        expect(asset.registeredBy).to.equal(EID.tier1);
    });
});
