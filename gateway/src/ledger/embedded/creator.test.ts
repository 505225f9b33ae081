import { expect } from 'chai';
import { X509Certificate } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { TEST_SCRYPT } from '../../../test/ledger-fixture';
import { CreatorCache, canonicalPem, certificateFingerprint } from './creator';
import { openLocalCa } from './local-ca';

describe('creator', () => {
    let directory: string;
    let pem: string;

    before(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-creator-'));
        const ca = openLocalCa({ directory, passphrase: 'test-passphrase', scryptCost: TEST_SCRYPT });
        pem = (await ca.enroll('PlatformMSP', 'alice', { 'xl.role': 'supplier', 'xl.eid': 'E-ALICE' })).certificate;
    });
    after(() => rmSync(directory, { recursive: true, force: true }));

    it("fingerprints a certificate as SHA-256 of its DER in lower-case hex, as OpenSSL prints it without colons", () => {
        const certificate = new X509Certificate(pem);
        expect(certificateFingerprint(certificate)).to.equal(certificate.fingerprint256.replace(/:/g, '').toLowerCase()).and.match(/^[0-9a-f]{64}$/);
    });

    it('writes one canonical PEM for every text of a certificate: the strict RFC 7468 form OpenSSL writes', () => {
        const variants = [pem, pem.replace(/\n/g, '\r\n'), `\n${pem}\n\n`];
        const canonical = variants.map((text) => canonicalPem(new X509Certificate(text)));
        expect(new Set(canonical).size).to.equal(1);
        expect(canonical[0]).to.equal(new X509Certificate(pem).toString());
        expect(new X509Certificate(canonical[0]).raw.equals(new X509Certificate(pem).raw)).to.equal(true);
    });

    it('gives every PEM text of a certificate the same creator hash and canonical PEM', () => {
        const cache = new CreatorCache(undefined);
        const at = new Date();
        const a = cache.resolve('PlatformMSP', pem, at);
        const b = cache.resolve('PlatformMSP', `${pem.replace(/\n/g, '\r\n')}\r\n`, at);
        expect(b).to.not.equal(a);
        expect(b).to.include({ certificateHash: a.certificateHash, pem: a.pem });
        expect(cache.resolve('PlatformMSP', pem, at)).to.equal(a);
    });
});
