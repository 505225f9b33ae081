import '../../test/support/quiet-chaincode-logging';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { MSP, contracts, usccCheckCharacter } from '@xinlian/chaincode';
import type { UserEnrolment } from '@xinlian/chaincode';
import { AppError } from '../errors';
import { openEmbeddedLedger } from './embedded';
import { openEmbeddedBackend } from './embedded-backend';
import type { LedgerBackend, LedgerUser } from './ledger-backend';

describe('embedded backend enrolment', function () {
    this.timeout(30_000);
    let directory: string;
    let backend: LedgerBackend;
    const wallet = (): string => path.join(directory, 'wallet');
    const supplier: LedgerUser = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: MSP.platform };

    const open = (): Promise<LedgerBackend> =>
        openEmbeddedBackend({ ledger: path.join(directory, 'ledger'), wallet: wallet(), walletPassphrase: 'test-passphrase', keyScrypt: { N: 1024, r: 8, p: 1 }, sync: false });

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'embedded-backend-'));
        backend = await open();
    });
    afterEach(async () => {
        await backend.close();
        rmSync(directory, { recursive: true, force: true });
    });

    it('enrolls a user whose identity the backend then holds', async () => {
        await backend.enroll(supplier);
        expect(await backend.hasIdentity(supplier)).to.equal(true);
    });

    it('never replaces an identity of another role or enterprise held under the name, unless told to', async () => {
        await backend.enroll(supplier);
        for (const other of [{ ...supplier, role: 'platform-admin' as const }, { ...supplier, enterpriseId: 'E2' }]) {
            const refused = await backend.enroll(other).catch((e) => e);
            expect(refused).to.be.instanceOf(AppError).and.include({ code: 'ALREADY_EXISTS', status: 409 });
            expect(await backend.hasIdentity(other)).to.equal(false);
        }
        // The first holder still signs with its own identity.
        expect(await backend.hasIdentity(supplier)).to.equal(true);
        await backend.evaluate(supplier, 'identity:ReadCallerIdentity', []);
        // The same user again (a retried creation) is enrolled anew; the gateway's own identities may be replaced.
        await backend.enroll(supplier);
        expect(await backend.hasIdentity(supplier)).to.equal(true);
        const replacing = { ...supplier, enterpriseId: 'E2' };
        await backend.enroll(replacing, { replace: true });
        expect(await backend.hasIdentity(replacing)).to.equal(true);
        expect(await backend.hasIdentity(supplier)).to.equal(false);
    });

    it("refuses to enroll a user over the local CA's set-up identity", async () => {
        const refused = await backend.enroll({ ...supplier, username: 'ca-init' }).catch((e) => e);
        expect(refused).to.be.instanceOf(AppError).and.include({ code: 'ALREADY_EXISTS' });
    });

    it('refuses a name the wallet cannot hold and an organisation the ledger does not know as INVALID_ARGUMENT', async () => {
        const badName = await backend.enroll({ ...supplier, username: 'no spaces' }).catch((e) => e);
        expect(badName).to.be.instanceOf(AppError).and.include({ code: 'INVALID_ARGUMENT' });
        const badMsp = await backend.enroll({ ...supplier, mspId: 'OtherMSP' }).catch((e) => e);
        expect(badMsp).to.be.instanceOf(AppError).and.include({ code: 'INVALID_ARGUMENT' });
    });

    it('reports a wallet that cannot be written as INTERNAL, keeping the I/O error as cause and out of the message', async () => {
        // A file where the wallet's users directory must be: every enrolment of the MSP fails to write.
        const users = path.join(wallet(), MSP.platform, 'users');
        rmSync(users, { recursive: true, force: true });
        writeFileSync(users, 'not a directory');
        const error = await backend.enroll(supplier).catch((e) => e);
        expect(error).to.be.instanceOf(AppError).and.include({ code: 'INTERNAL', status: 500 });
        expect((error as AppError).cause).to.have.property('code').that.is.a('string');
        expect((error as AppError).message).to.not.include(directory);
    });

    it("records as a block's creator the certificate fingerprint of its user's enrolment record", async () => {
        const platformId = `91110000MA0000001${usccCheckCharacter('91110000MA0000001')}`;
        const admin: LedgerUser = { username: 'admin', role: 'platform-admin', enterpriseId: platformId, mspId: MSP.platform };
        await backend.enroll(admin);
        await backend.submit(admin, 'enterprise:RegisterEnterprise', [JSON.stringify({ id: platformId, name: 'Xinlian Platform', kind: 'PLATFORM' })]);
        // As the user service records an enrolment: the fingerprint as the chaincode reads it from the caller.
        const caller = JSON.parse((await backend.evaluate(admin, 'identity:ReadCallerIdentity', [])).toString()) as { certificateFingerprint: string };
        const recorded = await backend.submit(admin, 'identity:RecordUserEnrolment', [
            JSON.stringify({ username: admin.username, role: admin.role, enterpriseId: platformId, certificateFingerprint: caller.certificateFingerprint }),
        ]);
        const enrolments = JSON.parse((await backend.evaluate(admin, 'identity:ListUserEnrolments', [platformId])).toString()) as UserEnrolment[];
        expect(enrolments.map((enrolment) => enrolment.username)).to.deep.equal(['admin']);
        await backend.close();

        const ledger = await openEmbeddedLedger({ directory: path.join(directory, 'ledger'), contracts });
        try {
            const block = await ledger.readBlock(recorded.blockNumber);
            const transaction = block.data.transactions.find((tx) => tx.txId === recorded.txId);
            expect(transaction?.creator).to.deep.equal({ mspId: MSP.platform, certificateHash: enrolments[0].certificateFingerprint });
            expect(await ledger.verifyChain()).to.include({ ok: true });
        } finally {
            await ledger.close();
            backend = await open();
        }
    });
});
