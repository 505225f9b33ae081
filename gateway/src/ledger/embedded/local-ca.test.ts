import { expect } from 'chai';
import { readFileSync, readdirSync } from 'fs';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { X509Certificate } from 'crypto';
import { FABRIC_ATTR_OID, KeyVaultError, openLocalCa, sealKey, openKey } from './index';
import { TEST_SCRYPT } from '../../../test/ledger-fixture';

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
