import { expect } from 'chai';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Cast, EID, newCast, registerCast, testDocumentCid } from '../testing/fixtures';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import type { IpAsset } from './ip-asset';
import { IpContract } from './ip-contract';

const PATENT = { kind: 'PATENT', registryNumber: 'ZL202310123456.6', title: 'Method of investment casting of turbine blades', ownerIds: [EID.tier1], expiryDate: '2035-12-31' };

describe('IpContract ReadIpAssetByReport', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, IpContract]);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    /** Registers the patent and has the appraiser value it citing `reportCid`. */
    async function valued(reportCid: string): Promise<IpAsset> {
        const asset = await h.submit<IpAsset>(cast.tier1, 'ip:RegisterIpAsset', [PATENT]);
        return revalued(asset, reportCid, '2026-01-02');
    }

    function revalued(asset: IpAsset, reportCid: string, valuationDate: string): Promise<IpAsset> {
        return h.submit<IpAsset>(cast.appraiser, 'ip:ReviseValuation', [asset.id, { amount: '100000000', currency: 'CNY', valuationDate, reportCid }]);
    }

    it('answers the asset whose valuations cite a report to its owners, financiers, appraisers, the regulator and the admin', async () => {
        const report = testDocumentCid('valuation report');
        const asset = await valued(report);
        for (const who of [cast.tier1, cast.bank, cast.appraiser, cast.regulator, cast.admin]) {
            expect((await h.evaluate<IpAsset>(who, 'ip:ReadIpAssetByReport', [report])).id).to.equal(asset.id);
        }
    });

    it('still finds an asset by a report its latest valuation superseded', async () => {
        const first = testDocumentCid('first report');
        const asset = await revalued(await valued(first), testDocumentCid('second report'), '2026-01-03');
        expect(asset.valuationHistory).to.have.length(2);
        expect((await h.evaluate<IpAsset>(cast.tier1, 'ip:ReadIpAssetByReport', [first])).id).to.equal(asset.id);
    });

    it('answers NOT_FOUND to others and for a report no valuation cites, and INVALID_ARGUMENT for a malformed CID', async () => {
        const report = testDocumentCid('valuation report');
        await valued(report);
        for (const who of [cast.tier2, cast.core, cast.partner]) {
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(who, 'ip:ReadIpAssetByReport', [report]));
        }
        await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.regulator, 'ip:ReadIpAssetByReport', [testDocumentCid('no such report')]));
        await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'ip:ReadIpAssetByReport', ['../x']));
    });
});
