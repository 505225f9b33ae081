import '../../test/support/quiet-chaincode-logging';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { MSP } from '@xinlian/chaincode';
import { AppError } from '../errors';
import { openEmbeddedBackend } from './embedded-backend';
import type { LedgerBackend, LedgerUser } from './ledger-backend';

describe('embedded backend enrolment', function () {
    this.timeout(30_000);
    let directory: string;
    let backend: LedgerBackend;
    const wallet = (): string => path.join(directory, 'wallet');
    const supplier: LedgerUser = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: MSP.platform };

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'embedded-backend-'));
        backend = await openEmbeddedBackend({ ledger: path.join(directory, 'ledger'), wallet: wallet(), walletPassphrase: 'test-passphrase', keyScrypt: { N: 1024, r: 8, p: 1 }, sync: false });
    });
    afterEach(async () => {
        await backend.close();
        rmSync(directory, { recursive: true, force: true });
    });

    it('enrolls a user whose identity the backend then holds', async () => {
        await backend.enroll(supplier);
        expect(await backend.hasIdentity(supplier)).to.equal(true);
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
});
