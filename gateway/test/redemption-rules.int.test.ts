/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { TestGateway, startTestGateway } from './support/test-gateway';
import { confirmedDemoReceivable, demoSession, issueDemoNote } from './support/demo-session';
import { isoDate } from './support/dates';

const MATURITY_DAYS = 30;

/**
 * Redemption on the maturity date, over real HTTP: notes issued today with no grace days, then the
 * gateway restarted on the same ledger with its clock on their maturity date
 * (GATEWAY_LEDGER_CLOCK_OFFSET_DAYS, embedded backend only). The maturity date itself is never part
 * of the grace, so nobody may mark them overdue that day and the issuer pays on time, also while it
 * is frozen: redemption is the one thing a frozen enterprise may still do.
 */
describe('redemption on the maturity date, with no grace and by a frozen issuer (embedded backend, shifted ledger clock)', function () {
    this.timeout(60_000);
    let dataDir: string;
    let gateway: TestGateway | undefined;

    before(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-redemption-rules-'));
    });
    after(async () => {
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses to mark a grace-0 note overdue on its maturity date, redeems it on time, and lets a frozen issuer redeem', async () => {
        gateway = await startTestGateway({}, dataDir);
        const session = demoSession(() => gateway!, ['admin', 'huadong', 'suzhou', 'hangzhou', 'regulator'] as const);
        const { api, login } = session;
        await login();
        const maturityDate = isoDate(MATURITY_DAYS);
        const parameters = (await api('GET', '/parameters/notes', 'admin')).body;
        const strict = await api('PUT', '/parameters/notes', 'admin', { maxTenorMonths: parameters.maxTenorMonths, graceDays: 0 });
        expect(strict.status, strict.text).to.equal(200);
        const issue = async (invoiceNumber: string, amount: string): Promise<any> => {
            const { note } = await issueDemoNote(() => gateway!, session, { invoiceNumber, amount, maturityDate, issueDate: isoDate(-2) });
            expect(note.graceDays).to.equal(0);
            return note;
        };
        const onTime = await issue('GRACE-0-1', '400000');
        const byFrozen = await issue('GRACE-0-2', '250000');
        const spare = await confirmedDemoReceivable(() => gateway!, session, { invoiceNumber: 'GRACE-0-3', amount: '1000', issueDate: isoDate(-2), dueDate: maturityDate });
        // Part of the second root moves to Hangzhou, frozen later: its part goes into escrow.
        const moved = await api('POST', '/offers', 'suzhou', { noteId: byFrozen.id, toId: DEMO_IDS.hangzhou, amount: '50000', expiresAt: isoDate(3) });
        const accepted = await api('POST', `/offers/${moved.body.id}/accept`, 'hangzhou');
        expect(accepted.status, accepted.text).to.equal(200);
        // The deadline every holder reads: 00:00 UTC of the day after the maturity date (grace 0).
        const provenance = await api('GET', `/notes/${accepted.body.received.id}/provenance`, 'hangzhou');
        expect(provenance.body).to.include({ graceDays: 0, graceDeadline: `${isoDate(MATURITY_DAYS + 1)}T00:00:00.000Z` });
        await gateway.stop();

        gateway = await startTestGateway({ ledgerClockOffsetDays: MATURITY_DAYS }, dataDir);
        await login();
        const ready = await call(gateway.baseUrl, 'GET', '/health/ready');
        expect(String(ready.body.ledgerTime).slice(0, 10), 'the ledger is on the maturity date').to.equal(maturityDate);

        // On the maturity date nothing is overdue yet, whoever asks.
        for (const user of ['suzhou', 'hangzhou'] as const) {
            const early = await api('POST', `/notes/${onTime.id}/overdue`, user);
            expect([early.status, early.body.code], user).to.deep.equal([409, 'INVALID_STATE']);
        }
        const early = await api('POST', `/notes/${onTime.id}/overdue`, 'suzhou');
        expect(early.body.detail).to.equal(`note ${onTime.id} is not overdue before ${isoDate(MATURITY_DAYS + 1)}T00:00:00.000Z`);
        const redeemed = await api('POST', `/notes/${onTime.id}/redeem`, 'huadong');
        expect(redeemed.status, redeemed.text).to.equal(200);
        expect(redeemed.body).to.include({ onTime: true, escrowRelease: false });
        expect(redeemed.body.root).to.include({ rootStatus: 'REDEEMED', onTime: true });
        const profile = await api('GET', `/profiles/${DEMO_IDS.huadong}`, 'regulator');
        expect(profile.status, profile.text).to.equal(200);
        const reasons = profile.body.reasons.map((r: any) => r.code);
        expect(reasons).to.include('ON_TIME_REDEMPTIONS');
        expect(reasons).not.to.include('LATE_REDEMPTIONS');
        expect(reasons).not.to.include('NOTES_OVERDUE');

        // The issuer and a holder are frozen: the issuer still pays, the frozen holder's part into escrow.
        for (const id of [DEMO_IDS.huadong, DEMO_IDS.hangzhou]) {
            expect((await api('POST', `/enterprises/${id}/freeze`, 'regulator', { reason: 'inquiry' })).status).to.equal(200);
        }
        const frozenIssue = await api('POST', '/notes', 'huadong', { holderId: DEMO_IDS.suzhou, amount: '1000', currency: 'CNY', maturityDate: isoDate(MATURITY_DAYS + 30), creditLineId: onTime.creditLineId, receivableIds: [spare] });
        expect([frozenIssue.status, frozenIssue.body.code]).to.deep.equal([409, 'ENTERPRISE_FROZEN']);
        const paid = await api('POST', `/notes/${byFrozen.id}/redeem`, 'huadong');
        expect(paid.status, paid.text).to.equal(200);
        expect(paid.body).to.deep.include({
            onTime: true,
            payees: [{ holderId: DEMO_IDS.suzhou, amount: '200000', noteIds: [accepted.body.change.id], holderFrozen: false }],
            escrows: [{ holderId: DEMO_IDS.hangzhou, amount: '50000', noteIds: [accepted.body.received.id], holderFrozen: true }],
        });
        expect((await api('GET', `/notes/${accepted.body.change.id}`, 'suzhou')).body.status).to.equal('REDEEMED');

        // Its holder active again, the still frozen issuer pays the escrow out.
        expect((await api('POST', `/enterprises/${DEMO_IDS.hangzhou}/unfreeze`, 'regulator', { reason: 'closed' })).status).to.equal(200);
        const release = await api('POST', `/notes/${byFrozen.id}/redeem`, 'huadong');
        expect(release.status, release.text).to.equal(200);
        expect(release.body).to.deep.include({ escrowRelease: true, escrows: [], redeemedNoteIds: [accepted.body.received.id] });
        expect((await api('GET', `/enterprises/${DEMO_IDS.huadong}`, 'regulator')).body.status).to.equal('FROZEN');
    });
});
