import './support/quiet-chaincode-logging';
import { randomBytes } from 'crypto';
import { expect } from 'chai';
import { patentCheckCharacter } from '@xinlian/chaincode';
import { DEMO_IDS } from '../src/services/demo-seed';
import { ApiResponse, call, readEvents } from './conformance/api-client';
import { TestGateway, loginToken, startTestGateway } from './support/test-gateway';
import { isoDate } from './support/dates';

/** A patent number of `prefix` (year and type digit) and 7 random digits, with the check character they give (a wrong one is refused). */
function validPatentNumber(prefix: string): string {
    const digits = `${prefix}${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    return `ZL${digits}.${patentCheckCharacter(digits) ?? ''}`;
}

/**
 * A co-owner's say over a pledge of a right it co-owns, over real HTTP against the embedded
 * backend: it withdraws its consent while the pledge is requested (acceptance then lacks it again)
 * and declines a pledge outright; the pledgor, the co-owners and the pledgee see both events.
 */
describe('pledge consent withdrawal and co-owner decline (embedded backend)', function () {
    this.timeout(90_000);
    let gateway: TestGateway;
    const tokens: Record<string, string> = {};
    const USERS = ['suzhou', 'hangzhou', 'huadong', 'appraiser', 'jiangnan', 'pudong', 'regulator'] as const;
    type User = (typeof USERS)[number];

    const api = (method: string, route: string, user: User, body?: unknown): Promise<ApiResponse> => call(gateway.baseUrl, method, route, { token: tokens[user], body });

    function expectProblem(response: ApiResponse, status: number, code: string): void {
        expect(response.status, response.text).to.equal(status);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(response.body.code, response.text).to.equal(code);
    }

    function expectOk(response: ApiResponse): ApiResponse {
        expect(response.status, response.text).to.be.oneOf([200, 201]);
        return response;
    }

    /** A patent owned by Suzhou, Hangzhou and Huadong, confirmed by both named co-owners and valued, so it can be pledged. */
    async function sharedPatent(): Promise<string> {
        const registryNumber = validPatentNumber('20231');
        const ownerIds = [DEMO_IDS.suzhou, DEMO_IDS.hangzhou, DEMO_IDS.huadong];
        const asset = expectOk(await api('POST', '/ip-assets', 'suzhou', { kind: 'PATENT', registryNumber, title: 'Shared turbine blade casting', ownerIds, expiryDate: isoDate(3650) }));
        for (const user of ['hangzhou', 'huadong'] as const) {
            expectOk(await api('POST', `/ip-assets/${asset.body.id}/confirm`, user, {}));
        }
        const uploaded = await call(gateway.baseUrl, 'POST', '/documents', { token: tokens.appraiser, raw: `valuation ${randomBytes(8).toString('hex')}`, headers: { 'Content-Type': 'text/plain' } });
        expect(uploaded.status, uploaded.text).to.equal(201);
        expectOk(await api('POST', `/ip-assets/${asset.body.id}/valuations`, 'appraiser', { amount: '10000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: uploaded.body.cid }));
        return asset.body.id;
    }

    async function requestPledge(assetId: string, pledgee: 'jiangnan' | 'pudong'): Promise<string> {
        const pledge = expectOk(await api('POST', '/pledges', 'suzhou', { assetId, pledgeeId: DEMO_IDS[pledgee], securedAmount: '1000000', currency: 'CNY', termStart: isoDate(0), termEnd: isoDate(300) }));
        expect(pledge.body.coOwnerIds).to.deep.equal([DEMO_IDS.hangzhou, DEMO_IDS.huadong].sort());
        return pledge.body.id;
    }

    /** The payload of the event `name` about `pledgeId` as `user` sees it on GET /events, or undefined. */
    async function eventSeenBy(user: User, name: string, pledgeId: string): Promise<Record<string, unknown> | undefined> {
        const events = await readEvents(gateway.baseUrl, '/events', { token: tokens[user], count: 10_000, timeoutMs: 1500 });
        return events.find((e) => e.event === name && e.data.payload.pledgeId === pledgeId)?.data.payload;
    }

    before(async () => {
        gateway = await startTestGateway();
        for (const user of USERS) {
            tokens[user] = await loginToken(gateway.baseUrl, user);
        }
    });

    after(async () => {
        await gateway?.dispose();
    });

    it('lets a co-owner withdraw its consent while the pledge is requested, so acceptance needs it again', async () => {
        const pledgeId = await requestPledge(await sharedPatent(), 'jiangnan');
        const withdraw = `/pledges/${pledgeId}/consent/withdraw`;
        expectProblem(await api('POST', withdraw, 'hangzhou', {}), 409, 'CONSENT_MISSING');
        expectOk(await api('POST', `/pledges/${pledgeId}/consent`, 'hangzhou', {}));
        expectOk(await api('POST', `/pledges/${pledgeId}/consent`, 'huadong', {}));

        const withdrawn = await api('POST', withdraw, 'hangzhou', {});
        expect(withdrawn.status, withdrawn.text).to.equal(200);
        expect(withdrawn.body.status).to.equal('REQUESTED');
        expect(withdrawn.body.consents.map((c: { enterpriseId: string }) => c.enterpriseId)).to.deep.equal([DEMO_IDS.huadong]);
        const read = await api('GET', `/pledges/${pledgeId}`, 'suzhou');
        expect(read.body.consents.map((c: { enterpriseId: string }) => c.enterpriseId)).to.deep.equal([DEMO_IDS.huadong]);

        const missing = await api('POST', `/pledges/${pledgeId}/accept`, 'jiangnan', {});
        expectProblem(missing, 409, 'CONSENT_MISSING');
        expect(missing.body.detail).to.include(DEMO_IDS.hangzhou);
        expectProblem(await api('POST', withdraw, 'hangzhou', {}), 409, 'CONSENT_MISSING');
        // The pledgor, the pledgee and strangers get what ConsentPledge gives them.
        for (const user of ['suzhou', 'jiangnan', 'pudong', 'appraiser', 'regulator'] as const) {
            expectProblem(await api('POST', withdraw, user, {}), 403, 'FORBIDDEN');
        }
        expectProblem(await api('POST', withdraw, 'hangzhou', { unexpected: true }), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', '/pledges/xyz/consent/withdraw', 'hangzhou', {}), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', `/pledges/pledge-${'0'.repeat(24)}/consent/withdraw`, 'hangzhou', {}), 404, 'NOT_FOUND');

        expectOk(await api('POST', `/pledges/${pledgeId}/consent`, 'hangzhou', {}));
        expect((await api('POST', `/pledges/${pledgeId}/accept`, 'jiangnan', {})).body.status).to.equal('ACTIVE');
        // Once accepted, a consent stands.
        expectProblem(await api('POST', withdraw, 'huadong', {}), 409, 'INVALID_STATE');

        // The pledgor, every co-owner and the pledgee see the withdrawal; an unrelated financier does not.
        for (const user of ['suzhou', 'hangzhou', 'huadong', 'jiangnan', 'regulator'] as const) {
            const seen = await eventSeenBy(user, 'WithdrawPledgeConsent', pledgeId);
            expect(seen, `${user} sees the withdrawal`).to.include({ enterpriseId: DEMO_IDS.hangzhou, pledgorId: DEMO_IDS.suzhou, pledgeeId: DEMO_IDS.jiangnan });
        }
        expect(await eventSeenBy('pudong', 'WithdrawPledgeConsent', pledgeId), 'pudong is no party').to.equal(undefined);
    });

    it('lets a co-owner decline a requested pledge with a reason: DECLINED, with who and why, seen by every party', async () => {
        const pledgeId = await requestPledge(await sharedPatent(), 'pudong');
        const decline = `/pledges/${pledgeId}/decline`;
        expectOk(await api('POST', `/pledges/${pledgeId}/consent`, 'huadong', {}));

        expectProblem(await api('POST', decline, 'hangzhou', {}), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', decline, 'hangzhou', { reason: '   ' }), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', decline, 'hangzhou', { reason: 'x'.repeat(501) }), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('POST', decline, 'hangzhou', { reason: 'no', unexpected: true }), 400, 'INVALID_ARGUMENT');
        for (const user of ['suzhou', 'pudong', 'jiangnan', 'appraiser', 'regulator'] as const) {
            expectProblem(await api('POST', decline, user, { reason: 'no' }), 403, 'FORBIDDEN');
        }
        expectProblem(await api('POST', `/pledges/pledge-${'0'.repeat(24)}/decline`, 'hangzhou', { reason: 'no' }), 404, 'NOT_FOUND');
        expect((await api('GET', `/pledges/${pledgeId}`, 'suzhou')).body.status, 'refusals change nothing').to.equal('REQUESTED');

        const declined = await api('POST', decline, 'hangzhou', { reason: '  We will not encumber the patent this year  ' });
        expect(declined.status, declined.text).to.equal(200);
        expect(declined.body).to.include({ status: 'DECLINED', declinedBy: DEMO_IDS.hangzhou, closeReason: 'We will not encumber the patent this year' });
        expect(declined.body.closedAt).to.be.a('string');
        expectProblem(await api('POST', `/pledges/${pledgeId}/accept`, 'pudong', {}), 409, 'INVALID_STATE');
        expectProblem(await api('POST', decline, 'huadong', { reason: 'again' }), 409, 'INVALID_STATE');
        expectProblem(await api('POST', `/pledges/${pledgeId}/consent/withdraw`, 'huadong', {}), 409, 'INVALID_STATE');
        expectProblem(await api('POST', `/pledges/${pledgeId}/cancel`, 'suzhou', {}), 409, 'INVALID_STATE');

        for (const user of ['suzhou', 'hangzhou', 'huadong', 'pudong', 'regulator'] as const) {
            const seen = await eventSeenBy(user, 'DeclinePledge', pledgeId);
            expect(seen, `${user} sees the decline`).to.include({ status: 'DECLINED', declinedBy: DEMO_IDS.hangzhou, reason: 'We will not encumber the patent this year', pledgorId: DEMO_IDS.suzhou, pledgeeId: DEMO_IDS.pudong });
        }
        expect(await eventSeenBy('jiangnan', 'DeclinePledge', pledgeId), 'jiangnan is no party').to.equal(undefined);
        const notice = await api('GET', `/ip-assets/${declined.body.assetId}/pledge-notice`, 'jiangnan');
        expect(notice.body.pledges.find((p: { id: string }) => p.id === pledgeId).transitions.map((t: { status: string }) => t.status)).to.deep.equal(['REQUESTED', 'REQUESTED', 'DECLINED']);
    });
});
