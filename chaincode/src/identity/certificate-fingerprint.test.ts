import { X509Certificate } from 'crypto';
import { expect } from 'chai';
import { newTestIdentity } from '../testing/identities';
import { certificateFingerprint } from './certificate-fingerprint';

describe('certificateFingerprint', () => {
    it("is the SHA-256 of the certificate's DER, as openssl prints it without colons", async () => {
        const { certificate } = await newTestIdentity('PlatformMSP', 'fingerprinted');
        const openssl = new X509Certificate(certificate).fingerprint256.replace(/:/g, '').toLowerCase();
        expect(certificateFingerprint(certificate)).to.equal(openssl);
    });

    it('is the same for PEM text, PEM bytes with CRLF line ends and a trailing newline, and the DER bytes', async () => {
        const { certificate } = await newTestIdentity('PlatformMSP', 'fingerprinted');
        const expected = certificateFingerprint(certificate);
        expect(certificateFingerprint(Buffer.from(`${certificate.replace(/\n/g, '\r\n')}\r\n`, 'utf8'))).to.equal(expected);
        expect(certificateFingerprint(new Uint8Array(new X509Certificate(certificate).raw))).to.equal(expected);
    });

    it('differs between two certificates of the same name', async () => {
        const a = await newTestIdentity('PlatformMSP', 'twin');
        const b = await newTestIdentity('PlatformMSP', 'twin');
        expect(certificateFingerprint(a.certificate)).to.not.equal(certificateFingerprint(b.certificate));
    });
});
