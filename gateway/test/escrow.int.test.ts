/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../src/services/demo-seed';
import { TestGateway, startTestGateway } from './support/test-gateway';
import { demoSession, issueDemoNote } from './support/demo-session';
import { isoDate } from './support/dates';

const MATURITY_DAYS = 30;

/**
 * Redemption with a frozen holder, and of a note drawing part of a receivable, over real HTTP: the
 * notes are made today, then the gateway is restarted on the same ledger with its clock past
 * maturity (GATEWAY_LEDGER_CLOCK_OFFSET_DAYS, embedded backend only, as in maturity.int.test.ts).
 * A frozen holder is paid nothing: its note becomes ESCROWED and stays in its holdings until the
 * issuer redeems the root again once the regulator has unfrozen it.
 */
describe('redemption into escrow for a frozen holder, and of partly backed notes (embedded backend, shifted ledger clock)', function () {
    this.timeout(60_000);
    let dataDir: string;
    let gateway: TestGateway | undefined;

    before(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-escrow-'));
    });
    after(async () => {
        await gateway?.stop();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('escrows the frozen holder\'s note, pays it out once the holder is active, and settles only what each note drew', async () => {
        gateway = await startTestGateway({}, dataDir);
        const session = demoSession(() => gateway!, ['huadong', 'suzhou', 'hangzhou', 'regulator', 'jiangnan'] as const);
        const { api, login } = session;
        await login();
        const issue = (invoiceNumber: string, receivableAmount: string, amount: string): Promise<{ note: any; receivableId: string }> =>
            issueDemoNote(() => gateway!, session, { invoiceNumber, receivableAmount, amount, maturityDate: isoDate(MATURITY_DAYS), issueDate: isoDate(-2) });
        // A 5000 receivable backs a 3000 note, whose 1000 moves to Hangzhou, which is then frozen.
        const { note: root, receivableId } = await issue('ESC-1', '500000', '300000');
        const moved = await api('POST', '/offers', 'suzhou', { noteId: root.id, toId: DEMO_IDS.hangzhou, amount: '100000', expiresAt: isoDate(3) });
        const accepted = await api('POST', `/offers/${moved.body.id}/accept`, 'hangzhou');
        expect(accepted.status, accepted.text).to.equal(200);
        const held = accepted.body.received;
        const change = accepted.body.change;
        expect((await api('POST', `/enterprises/${DEMO_IDS.hangzhou}/freeze`, 'regulator', { reason: 'inquiry' })).status).to.equal(200);
        await gateway.stop();

        gateway = await startTestGateway({ ledgerClockOffsetDays: MATURITY_DAYS + 1 }, dataDir);
        await login();
        const redemption = await api('POST', `/notes/${root.id}/redeem`, 'huadong');
        expect(redemption.status, redemption.text).to.equal(200);
        expect(redemption.body.payees).to.deep.equal([{ holderId: DEMO_IDS.suzhou, amount: '200000', noteIds: [change.id], holderFrozen: false }]);
        expect(redemption.body.escrows).to.deep.equal([{ holderId: DEMO_IDS.hangzhou, amount: '100000', noteIds: [held.id], holderFrozen: true }]);
        expect(redemption.body).to.include({ escrowRelease: false, onTime: true });
        expect(redemption.body.root).to.include({ rootStatus: 'REDEEMED' });

        // The frozen holder still sees its claim, in escrow; the issuer and the regulator see it too.
        const holdings = await api('GET', '/notes', 'hangzhou');
        expect(holdings.status, holdings.text).to.equal(200);
        expect(holdings.body.items.map((n: any) => [n.id, n.status])).to.deep.equal([[held.id, 'ESCROWED']]);
        for (const user of ['huadong', 'regulator'] as const) {
            expect((await api('GET', `/notes/${held.id}`, user)).body.status).to.equal('ESCROWED');
        }
        // The issuer is discharged: the receivable's 3000 is settled (its other 2000 stays available).
        expect((await api('GET', `/receivables/${receivableId}`, 'suzhou')).body).to.include({ status: 'CONFIRMED', settledAmount: '300000', availableAmount: '200000' });

        const stillFrozen = await api('POST', `/notes/${root.id}/redeem`, 'huadong');
        expect([stillFrozen.status, stillFrozen.body.code]).to.deep.equal([409, 'INVALID_STATE']);
        expect((await api('POST', `/enterprises/${DEMO_IDS.hangzhou}/unfreeze`, 'regulator', { reason: 'closed' })).status).to.equal(200);
        const moveEscrowed = await api('POST', '/offers', 'hangzhou', { noteId: held.id, toId: DEMO_IDS.suzhou, amount: '1', expiresAt: isoDate(MATURITY_DAYS + 3) });
        expect([moveEscrowed.status, moveEscrowed.body.code]).to.deep.equal([409, 'INVALID_STATE']);

        const release = await api('POST', `/notes/${root.id}/redeem`, 'huadong');
        expect(release.status, release.text).to.equal(200);
        expect(release.body.payees).to.deep.equal([{ holderId: DEMO_IDS.hangzhou, amount: '100000', noteIds: [held.id], holderFrozen: false }]);
        expect(release.body).to.deep.include({ escrows: [], escrowRelease: true, redeemedNoteIds: [held.id] });
        expect((await api('GET', `/notes/${held.id}`, 'hangzhou')).body.status).to.equal('REDEEMED');
        expect((await api('GET', '/notes', 'hangzhou')).body.items).to.deep.equal([]);
        const nothingLeft = await api('POST', `/notes/${root.id}/redeem`, 'huadong');
        expect([nothingLeft.status, nothingLeft.body.code]).to.deep.equal([409, 'INVALID_STATE']);
    });
});
