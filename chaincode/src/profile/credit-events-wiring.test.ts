import { expect } from 'chai';
import { CreditLineContract } from '../credit-line/credit-line-contract';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { IpContract } from '../ip/ip-contract';
import { NOTE_CONTRACTS, MATURITY, grantLine, issue } from '../note/testing';
import { ReceivableContract } from '../receivable/receivable-contract';
import { RecognitionContract } from '../recognition/recognition-contract';
import { anchor, newRecognitionCast, registerRecognitionCast } from '../recognition/test-fixtures';
import { Cast, EID, newCast, registerCast, testDocumentCid } from '../testing/fixtures';
import { Harness, newHarness } from '../testing/harness';
import type { CreditProfile } from './credit-profile';
import { ProfileContract } from './profile-contract';

/** The business transactions that bear on credit feed the issuer's or buyer's profile. */
describe('credit events from business transactions', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, CreditLineContract, ReceivableContract, RecognitionContract, IpContract, ProfileContract]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast as Awaited<ReturnType<typeof newRecognitionCast>>);
    });
    afterEach(() => h.close());

    const profileOf = (eid: string) => h.evaluate<CreditProfile>(cast.regulator, 'profile:ReadCreditProfile', [eid]);

    it('leaves the score and warning of a buyer that disputes invoices it never confirmed as they were', async () => {
        // A supplier that never traded with the core enterprise registers two 1-fen invoices against it.
        const fakes: string[] = [];
        for (const invoiceNumber of ['FAKE-0001', 'FAKE-0002']) {
            const receivable = await h.submit<{ id: string }>(cast.tier1, 'receivable:RegisterReceivable', [
                { buyerId: EID.core, invoiceNumber, amount: '1', currency: 'CNY', issueDate: '2026-01-02', dueDate: '2026-04-02', documentCid: testDocumentCid(invoiceNumber) },
            ]);
            fakes.push(receivable.id);
        }
        for (const id of fakes) {
            await h.submit(cast.core, 'receivable:DisputeReceivable', [id, 'no such delivery: we never traded with this supplier']);
        }
        const profile = await profileOf(EID.core);
        expect(profile).to.include({ recorded: false, score: 600, warning: 'NONE' });
        expect(profile.warningRules).to.deep.equal([]);
        expect(await h.evaluate(cast.regulator, 'profile:ListWarnings', ['BLUE'])).to.deep.equal([]);
        expect((await profileOf(EID.tier1)).score).to.equal(600);
    });

    it('records line utilisation when a financier changes a limit', async () => {
        const line = await h.submit<{ id: string }>(cast.bank, 'credit-line:GrantCreditLine', [
            { coreEnterpriseId: EID.core, currency: 'CNY', limit: '100000000', expiresAt: '2027-01-01' },
        ]);
        await h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '200000000']);
        const profile = await profileOf(EID.core);
        expect(profile.changes.at(-1)?.events[0]).to.include({ type: 'CREDIT_LINE_UTILISATION', ref: line.id });
    });

    it('blends a submitted attestation into the subject score and drops it on revocation', async () => {
        const attestation = await anchor(h, cast.bureau);
        // behaviour 600, attestation 780: round((7 × 600 + 3 × 780) / 10) = 654
        expect((await profileOf(EID.tier1)).score).to.equal(654);
        await h.submit(cast.regulator, 'recognition:RevokeAttestation', [attestation.id, 'evidence withdrawn']);
        expect((await profileOf(EID.tier1)).score).to.equal(600);
    });

    it('lowers the pledgor score when a pledge is enforced', async () => {
        const asset = await h.submit<{ id: string }>(cast.tier1, 'ip:RegisterIpAsset', [
            { kind: 'PATENT', registryNumber: '202310123456.6', title: 'Method of investment casting of turbine blades', ownerIds: [EID.tier1], expiryDate: '2035-12-31' },
        ]);
        await h.submit(cast.appraiser, 'ip:ReviseValuation', [
            asset.id,
            { amount: '100000000', currency: 'CNY', valuationDate: '2026-01-02', reportCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' },
        ]);
        const pledge = await h.submit<{ id: string }>(cast.tier1, 'ip:RequestPledge', [
            { assetId: asset.id, pledgeeId: EID.bank, securedAmount: '30000000', currency: 'CNY', termStart: '2026-01-10', termEnd: '2027-01-09' },
        ]);
        await h.submit(cast.bank, 'ip:AcceptPledge', [pledge.id]);
        h.setTime('2026-06-01T00:00:00Z');
        await h.submit(cast.bank, 'ip:EnforcePledge', [pledge.id, 'loan in default']);
        const profile = await profileOf(EID.tier1);
        expect(profile.reasons.map((r) => r.code)).to.include('PLEDGES_ENFORCED');
        expect(profile.score).to.equal(480);
        expect(profile.warning).to.equal('RED');
    });
});

describe('credit events from credit notes', () => {
    let h: Harness;
    let cast: Cast;
    let lineId: string;

    beforeEach(async () => {
        h = await newHarness([...NOTE_CONTRACTS, ProfileContract]);
        cast = await newCast();
        await registerCast(h, cast);
        lineId = await grantLine(h, cast.bank, EID.core, '1000000000');
    });
    afterEach(() => h.close());

    const profileOf = (eid: string) => h.evaluate<CreditProfile>(cast.regulator, 'profile:ReadCreditProfile', [eid]);

    it('records line utilisation on issuance and an on-time redemption at maturity', async () => {
        const root = await issue({ h, cast, lineId }, { amount: '900000000' });
        // 900,000,000 of a 1,000,000,000 line = 9000 bps: at least 80% costs 40 points.
        let profile = await profileOf(EID.core);
        expect(profile.score).to.equal(560);
        expect(profile.reasons.map((r) => r.code)).to.include('LINE_UTILISATION_HIGH');
        h.setTime(`${MATURITY}T08:00:00Z`);
        await h.submit(cast.core, 'note:RedeemNote', [root.id]);
        profile = await profileOf(EID.core);
        // Line restored to 0 bps; one on-time redemption: 600 + 8.
        expect(profile.score).to.equal(608);
        expect(profile.reasons.map((r) => r.code)).to.deep.equal(['ON_TIME_REDEMPTIONS']);
    });

    it('counts a revoked line with draws outstanding as fully used until they are repaid', async () => {
        const root = await issue({ h, cast, lineId }, { amount: '900000000' });
        expect((await profileOf(EID.core)).score).to.equal(560);
        const revoked = await h.submit<{ remaining: string; used: string }>(cast.bank, 'credit-line:RevokeCreditLine', [lineId, 'risk review']);
        // Nothing can be drawn any more, and revoking the line does not improve the issuer's score.
        expect(revoked).to.include({ used: '900000000', remaining: '0' });
        let profile = await profileOf(EID.core);
        expect(profile.changes.at(-1)?.events[0]).to.include({ type: 'CREDIT_LINE_UTILISATION', ref: lineId, usedBps: 10000 });
        expect(profile.score).to.be.at.most(560);
        h.setTime(`${MATURITY}T08:00:00Z`);
        await h.submit(cast.core, 'note:RedeemNote', [root.id]);
        profile = await profileOf(EID.core);
        expect(profile.changes.at(-1)?.events.find((e) => e.type === 'CREDIT_LINE_UTILISATION')).to.include({ ref: lineId, usedBps: 0 });
        expect(profile.score).to.equal(608);
    });

    it('marks the issuer RED when a note is marked overdue', async () => {
        const root = await issue({ h, cast, lineId }, { amount: '100000000' });
        h.setTime('2026-05-01T00:00:00Z');
        await h.submit(cast.tier1, 'note:MarkOverdue', [root.id]);
        const profile = await profileOf(EID.core);
        expect(profile.reasons.map((r) => r.code)).to.include('NOTES_OVERDUE');
        expect(profile.score).to.equal(450);
        expect(profile.warning).to.equal('RED');
    });
});
