import './support/quiet-chaincode-logging';
import { randomBytes } from 'crypto';
import { expect } from 'chai';
import { patentCheckCharacter } from '@xinlian/chaincode';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

/** A patent number of `prefix` (year and type digit) and 7 random digits, with the check character they give (a wrong one is refused). */
function validPatentNumber(prefix: string): string {
    const digits = `${prefix}${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    return `ZL${digits}.${patentCheckCharacter(digits) ?? ''}`;
}

/**
 * Who owns a registered right (QA: a registrant could name other firms as co-owners without asking
 * them and lock the real owner out). Over real HTTP against the embedded backend: named co-owners
 * confirm or decline, the regulator voids a contested record, and a voided record frees the right.
 */
describe('IP asset ownership: confirm, decline, void (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    const tokens: Record<string, string> = {};

    const api = (method: string, route: string, user: string, body?: unknown): Promise<ApiResponse> => call(gateway.baseUrl, method, route, { token: tokens[user], body });

    function expectProblem(response: ApiResponse, status: number, code: string): void {
        expect(response.status, response.text).to.equal(status);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(response.body.code, response.text).to.equal(code);
    }

    const patentNumber = (): string => validPatentNumber('20231');
    const patent = (registryNumber: string, ownerIds: string[]) => ({ kind: 'PATENT', registryNumber, title: 'Investment casting of turbine blades', ownerIds, expiryDate: isoDate(3650) });

    async function report(): Promise<string> {
        const uploaded = await call(gateway.baseUrl, 'POST', '/documents', { token: tokens.appraiser, raw: `valuation ${randomBytes(8).toString('hex')}`, headers: { 'Content-Type': 'text/plain' } });
        expect(uploaded.status, uploaded.text).to.equal(201);
        return uploaded.body.cid;
    }

    before(async () => {
        gateway = await startTestGateway();
        for (const user of ['suzhou', 'hangzhou', 'huadong', 'appraiser', 'jiangnan', 'regulator']) {
            tokens[user] = await loginToken(gateway.baseUrl, user);
        }
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('holds a registration naming another firm pending until that firm confirms; a decline frees the right for its owner', async () => {
        const registryNumber = patentNumber();
        // The QA repro: suzhou names hangzhou as co-owner without asking it.
        const squatted = await api('POST', '/ip-assets', 'suzhou', patent(registryNumber, [DEMO_IDS.suzhou, DEMO_IDS.hangzhou]));
        expect(squatted.status, squatted.text).to.equal(201);
        expect(squatted.body.pendingOwnerIds).to.deep.equal([DEMO_IDS.hangzhou]);
        const id = squatted.body.id;
        // Hangzhou sees it awaiting its answer.
        const listed = await api('GET', `/ip-assets?ownerId=${DEMO_IDS.hangzhou}&limit=500`, 'hangzhou');
        expect(listed.body.items.find((a: { id: string }) => a.id === id)?.pendingOwnerIds).to.deep.equal([DEMO_IDS.hangzhou]);
        // Not valued, not pledged, until it confirms.
        const cid = await report();
        const unvaluable = await api('POST', `/ip-assets/${id}/valuations`, 'appraiser', { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: cid });
        expectProblem(unvaluable, 409, 'INVALID_STATE');
        expect(unvaluable.body.detail).to.include(DEMO_IDS.hangzhou);
        // Only the named co-owner answers.
        expectProblem(await api('POST', `/ip-assets/${id}/confirm`, 'suzhou', {}), 403, 'FORBIDDEN');
        expectProblem(await api('POST', `/ip-assets/${id}/decline`, 'huadong', { reason: 'not ours' }), 403, 'FORBIDDEN');
        expectProblem(await api('POST', `/ip-assets/${id}/decline`, 'hangzhou', {}), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', '/ip-assets/ip-nothex/confirm', 'hangzhou', {}), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', `/ip-assets/ip-${'0'.repeat(24)}/confirm`, 'hangzhou', {}), 404, 'NOT_FOUND');
        // The real owner is locked out while the record stands…
        expectProblem(await api('POST', '/ip-assets', 'hangzhou', patent(registryNumber, [DEMO_IDS.hangzhou])), 409, 'ALREADY_EXISTS');
        // …and declines it.
        const declined = await api('POST', `/ip-assets/${id}/decline`, 'hangzhou', { reason: 'Hangzhou Fastener Works is the sole patentee' });
        expect(declined.status, declined.text).to.equal(200);
        expect(declined.body).to.include({ voidKind: 'DECLINED', voidedBy: DEMO_IDS.hangzhou, voidReason: 'Hangzhou Fastener Works is the sole patentee' });
        expectProblem(await api('POST', `/ip-assets/${id}/confirm`, 'hangzhou', {}), 409, 'INVALID_STATE');
        expect((await api('GET', `/ip-assets/${id}`, 'suzhou')).body.voidKind).to.equal('DECLINED');
        // The right is free: hangzhou registers it, linked to the voided record.
        const own = await api('POST', '/ip-assets', 'hangzhou', patent(registryNumber, [DEMO_IDS.hangzhou]));
        expect(own.status, own.text).to.equal(201);
        expect(own.body).to.include({ previousAssetId: id, registeredBy: DEMO_IDS.hangzhou });
        expect(own.body.id).to.not.equal(id);
        expect(own.body).to.not.have.property('pendingOwnerIds');
    });

    it('counts a co-owned asset once its co-owner confirms', async () => {
        const asset = await api('POST', '/ip-assets', 'suzhou', patent(patentNumber(), [DEMO_IDS.suzhou, DEMO_IDS.hangzhou]));
        expect(asset.status, asset.text).to.equal(201);
        const confirmed = await api('POST', `/ip-assets/${asset.body.id}/confirm`, 'hangzhou', {});
        expect(confirmed.status, confirmed.text).to.equal(200);
        expect(confirmed.body.pendingOwnerIds).to.deep.equal([]);
        expect(confirmed.body.ownerConfirmations.map((c: { enterpriseId: string }) => c.enterpriseId)).to.deep.equal([DEMO_IDS.hangzhou]);
        expectProblem(await api('POST', `/ip-assets/${asset.body.id}/confirm`, 'hangzhou', {}), 409, 'INVALID_STATE');
        const valued = await api('POST', `/ip-assets/${asset.body.id}/valuations`, 'appraiser', { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: await report() });
        expect(valued.status, valued.text).to.equal(201);
    });

    it('lets the regulator void a squatted record once its pledges are closed, keeping who, when and why', async () => {
        const registryNumber = patentNumber();
        const squatted = await api('POST', '/ip-assets', 'suzhou', patent(registryNumber, [DEMO_IDS.suzhou]));
        expect(squatted.status, squatted.text).to.equal(201);
        const id = squatted.body.id;
        const valued = await api('POST', `/ip-assets/${id}/valuations`, 'appraiser', { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: await report() });
        expect(valued.status, valued.text).to.equal(201);
        const pledge = await api('POST', '/pledges', 'suzhou', { assetId: id, pledgeeId: DEMO_IDS.jiangnan, securedAmount: '1000000', currency: 'CNY', termStart: isoDate(0), termEnd: isoDate(300) });
        expect(pledge.status, pledge.text).to.equal(201);

        const open = await api('POST', `/ip-assets/${id}/void`, 'regulator', { reason: 'contested by hangzhou' });
        expectProblem(open, 409, 'INVALID_STATE');
        expect(open.body.detail).to.include(pledge.body.id);
        expectProblem(await api('POST', `/ip-assets/${id}/void`, 'hangzhou', { reason: 'ours' }), 403, 'FORBIDDEN');
        expectProblem(await api('POST', `/ip-assets/${id}/void`, 'regulator', { reason: '' }), 400, 'INVALID_ARGUMENT');
        expect((await api('POST', `/pledges/${pledge.body.id}/reject`, 'jiangnan', { reason: 'title contested' })).body.status).to.equal('REJECTED');

        const voided = await api('POST', `/ip-assets/${id}/void`, 'regulator', { reason: 'CNIPA register names Hangzhou Fastener Works as patentee' });
        expect(voided.status, voided.text).to.equal(200);
        expect(voided.body).to.include({ voidKind: 'VOIDED', voidedBy: DEMO_IDS.regulator, voidReason: 'CNIPA register names Hangzhou Fastener Works as patentee' });
        expect(voided.body.voidTxId).to.be.a('string');
        expectProblem(await api('POST', `/ip-assets/${id}/void`, 'regulator', { reason: 'again' }), 409, 'INVALID_STATE');
        expectProblem(
            await api('POST', '/pledges', 'suzhou', { assetId: id, pledgeeId: DEMO_IDS.jiangnan, securedAmount: '1000000', currency: 'CNY', termStart: isoDate(0), termEnd: isoDate(300) }),
            409,
            'INVALID_STATE',
        );
        const notice = await api('GET', `/ip-assets/${id}/pledge-notice`, 'jiangnan');
        expect(notice.body.asset).to.include({ voidKind: 'VOIDED', voidedBy: DEMO_IDS.regulator });
        // The audit pack of the regulator links the voided record.
        const linked: string[] = [];
        for (let bookmark = '', pages = 0; pages < 50; pages++) {
            const page = await api('GET', `/audit/${DEMO_IDS.regulator}?bookmark=${encodeURIComponent(bookmark)}`, 'regulator');
            expect(page.status, page.text).to.equal(200);
            linked.push(...page.body.records.filter((r: { type: string }) => r.type === 'ip-asset').map((r: { id: string; current: { voidReason?: string } }) => `${r.id} ${r.current.voidReason ?? ''}`));
            bookmark = page.body.nextBookmark;
            if (!bookmark) {
                break;
            }
        }
        expect(linked).to.include(`${id} CNIPA register names Hangzhou Fastener Works as patentee`);
        const own = await api('POST', '/ip-assets', 'hangzhou', patent(registryNumber, [DEMO_IDS.hangzhou]));
        expect(own.status, own.text).to.equal(201);
        expect(own.body.previousAssetId).to.equal(id);
    });
});
