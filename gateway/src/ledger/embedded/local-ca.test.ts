import { expect } from 'chai';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { X509Certificate } from 'crypto';
import { FABRIC_ATTR_OID, KeyVaultError, openLocalCa, sealKey, openKey } from './index';
import { TEST_SCRYPT } from '../../../test/ledger-fixture';
import { STOPPED_PID, startRunningProcess, temporaryFileName } from '../../../test/support/temporary-files';
import { certificateAttributes } from '../fabric-certificate';

describe('local CA and key vault', () => {
    let directory: string;

    beforeEach(() => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-ca-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('issues a certificate signed by the MSP CA with the Fabric CA attribute extension', async () => {
        const ca = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT });
        const user = await ca.enroll('PlatformMSP', 'core1', { 'xl.role': 'core-enterprise', 'xl.eid': 'E1' });
        const roots = await ca.trustedRoots();
        const cert = new X509Certificate(user.certificate);
        const root = new X509Certificate(roots.PlatformMSP[0]);
        expect(cert.checkIssued(root)).to.equal(true);
        expect(cert.verify(root.publicKey)).to.equal(true);
        expect(cert.subject).to.contain('CN=core1');
        const x509 = await import('@peculiar/x509');
        const ext = new x509.X509Certificate(user.certificate).getExtension(FABRIC_ATTR_OID);
        expect(JSON.parse(Buffer.from(ext?.value as ArrayBuffer).toString()).attrs).to.include({ 'xl.role': 'core-enterprise', 'xl.eid': 'E1', 'hf.EnrollmentID': 'core1' });
    });

    it('stores private keys only encrypted and loads them back with the passphrase', async () => {
        const ca = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT });
        const user = await ca.enroll('BankMSP', 'bank1', { 'xl.role': 'financier', 'xl.eid': 'B1' });
        for (const file of [path.join(directory, 'BankMSP', 'ca.json'), path.join(directory, 'BankMSP', 'users', 'bank1.json')]) {
            expect(readFileSync(file, 'utf8')).to.not.contain('PRIVATE KEY');
        }
        const again = await openLocalCa({ directory, passphrase: 'pw' }).loadIdentity('BankMSP', 'bank1');
        expect(again?.certificate).to.equal(user.certificate);
        const message = Buffer.from('proposal');
        expect(new X509Certificate(user.certificate).publicKey.asymmetricKeyType).to.equal('ec');
        const { verify } = await import('crypto');
        expect(verify('sha256', message, new X509Certificate(user.certificate).publicKey, Buffer.from(await again!.signer!(message)))).to.equal(true);
        expect(readdirSync(path.join(directory, 'BankMSP', 'users'))).to.deep.equal(['bank1.json']);
    });

    it('refuses a wrong passphrase and a tampered sealed key with KeyVaultError', async () => {
        const ca = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT });
        await ca.enroll('PlatformMSP', 'u', { 'xl.role': 'supplier', 'xl.eid': 'S' });
        try {
            await openLocalCa({ directory, passphrase: 'wrong' }).loadIdentity('PlatformMSP', 'u');
            expect.fail('opened with a wrong passphrase');
        } catch (error) {
            expect(error).to.be.instanceOf(KeyVaultError);
        }
        const sealed = await sealKey('secret', 'pw', TEST_SCRYPT);
        const tampered = { ...sealed, ciphertext: Buffer.from('xxxxxx').toString('base64') };
        try {
            await openKey(tampered, 'pw');
            expect.fail('opened a tampered key');
        } catch (error) {
            expect(error).to.be.instanceOf(KeyVaultError);
        }
        expect(await openKey(sealed, 'pw')).to.equal('secret');
    });

    it("deletes the temporary files a stopped gateway left beside an MSP's ca.json and user files before it writes there, keeping a running process's", async () => {
        const first = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT });
        await first.enroll('PlatformMSP', 'u', { 'xl.role': 'supplier', 'xl.eid': 'S' });
        await first.enroll('BankMSP', 'b', { 'xl.role': 'financier', 'xl.eid': 'B' });
        const running = await startRunningProcess();
        try {
            const planted = {
                PlatformMSP: [temporaryFileName('ca.json', STOPPED_PID), temporaryFileName('ca.json', running.pid, 1)],
                'PlatformMSP/users': [temporaryFileName('u.json', STOPPED_PID, 2), temporaryFileName('v.json', process.pid, 3), temporaryFileName('u.json', running.pid, 4)],
                BankMSP: [temporaryFileName('ca.json', STOPPED_PID, 5)],
                'BankMSP/users': [temporaryFileName('b.json', STOPPED_PID, 6)],
            };
            for (const [folder, names] of Object.entries(planted)) {
                names.forEach((name) => writeFileSync(path.join(directory, folder, name), '{"certificate":'));
            }
            const undeletable = temporaryFileName('w.json', STOPPED_PID, 7);
            mkdirSync(path.join(directory, 'PlatformMSP', 'users', undeletable));
            const errors: unknown[] = [];
            const ca = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT, onCleanupError: (error) => errors.push(error) });
            // Listing the MSPs (as the embedded ledger does when it opens) clears each of them.
            expect(Object.keys(await ca.trustedRoots()).sort()).to.deep.equal(['BankMSP', 'PlatformMSP']);
            expect(readdirSync(path.join(directory, 'PlatformMSP')).sort()).to.deep.equal(['ca.json', planted.PlatformMSP[1], 'users'].sort());
            expect(readdirSync(path.join(directory, 'PlatformMSP', 'users')).sort()).to.deep.equal([planted['PlatformMSP/users'][2], undeletable, 'u.json'].sort());
            expect(readdirSync(path.join(directory, 'BankMSP')).sort()).to.deep.equal(['ca.json', 'users']);
            expect(readdirSync(path.join(directory, 'BankMSP', 'users'))).to.deep.equal(['b.json']);
            expect(errors).to.have.length(1);
            expect((errors[0] as Error).message).to.include(undeletable);
            // A CA opened afresh clears an MSP before its first enrolment there.
            writeFileSync(path.join(directory, 'BankMSP', 'users', temporaryFileName('c.json', STOPPED_PID, 8)), '{');
            await openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT }).enroll('BankMSP', 'c', { 'xl.role': 'financier', 'xl.eid': 'B' });
            expect(readdirSync(path.join(directory, 'BankMSP', 'users')).sort()).to.deep.equal(['b.json', 'c.json']);
        } finally {
            await running.stop();
        }
    });

    it('reads an enrolled certificate without opening its key, and its Fabric CA attributes', async () => {
        const ca = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT });
        const user = await ca.enroll('PlatformMSP', 'core1', { 'xl.role': 'core-enterprise', 'xl.eid': 'E1' });
        const certificate = await openLocalCa({ directory, passphrase: 'not the passphrase' }).loadCertificate('PlatformMSP', 'core1');
        expect(certificate).to.equal(user.certificate);
        expect(certificateAttributes(certificate!)).to.deep.equal({ 'hf.EnrollmentID': 'core1', 'hf.Type': 'client', 'xl.role': 'core-enterprise', 'xl.eid': 'E1' });
        expect(await ca.loadCertificate('PlatformMSP', 'nobody')).to.equal(undefined);
        const bare = await ca.enroll('PlatformMSP', 'bare');
        expect(certificateAttributes(bare.certificate), 'a certificate without the attribute extension').to.deep.equal({});
    });

    it('rejects user names that are not plain names', async () => {
        const ca = openLocalCa({ directory, passphrase: 'pw', scryptCost: TEST_SCRYPT });
        for (const name of ['../x', '', 'a/b']) {
            try {
                await ca.enroll('PlatformMSP', name);
                expect.fail(`enrolled ${name}`);
            } catch (error) {
                expect((error as Error).message).to.contain('not a valid name');
            }
        }
    });
});
