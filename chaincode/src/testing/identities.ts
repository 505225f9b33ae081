import { webcrypto } from 'crypto';
import * as x509 from '@peculiar/x509';

/**
 * Test identities: real X.509 certificates signed by a per-organisation test CA, carrying the
 * attribute extension Fabric CA writes (OID 1.2.3.4.5.6.7.8.1, JSON `{"attrs":{...}}`), so the
 * chaincode's client-identity checks run exactly as on a peer.
 */

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const FABRIC_ATTR_OID = '1.2.3.4.5.6.7.8.1';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A signing identity as Fabric sees it: MSP id plus PEM certificate. */
export interface TestIdentity {
    mspId: string;
    name: string;
    certificate: string;
    attrs: Record<string, string>;
}

interface TestCa {
    cert: x509.X509Certificate;
    keys: CryptoKeyPair;
}

const cas = new Map<string, Promise<TestCa>>();
let serial = 1;

async function caFor(mspId: string): Promise<TestCa> {
    let ca = cas.get(mspId);
    if (!ca) {
        ca = (async () => {
            const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
            const cert = await x509.X509CertificateGenerator.createSelfSigned({
                serialNumber: '01',
                name: `CN=ca.${mspId.toLowerCase()},O=${mspId}`,
                notBefore: new Date('2020-01-01T00:00:00Z'),
                notAfter: new Date('2040-01-01T00:00:00Z'),
                keys,
                signingAlgorithm: ALGORITHM,
                extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
            });
            return { cert, keys };
        })();
        cas.set(mspId, ca);
    }
    return ca;
}

/**
 * Issues a client certificate for `name` in `mspId` with the given Fabric CA attributes.
 * Pass no attributes to model an identity enrolled without them.
 */
export async function newTestIdentity(mspId: string, name: string, attrs: Record<string, string> = {}): Promise<TestIdentity> {
    const ca = await caFor(mspId);
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
    const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
    if (Object.keys(attrs).length > 0) {
        const value = Buffer.from(JSON.stringify({ attrs: { 'hf.EnrollmentID': name, ...attrs } }));
        extensions.push(new x509.Extension(FABRIC_ATTR_OID, false, value));
    }
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(4, '0'),
        subject: `CN=${name},OU=client,O=${mspId}`,
        issuer: ca.cert.subject,
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2040-01-01T00:00:00Z'),
        signingAlgorithm: ALGORITHM,
        publicKey: keys.publicKey,
        signingKey: ca.keys.privateKey,
        extensions,
    });
    return { mspId, name, certificate: cert.toString('pem'), attrs };
}

/** An identity acting in `role` for enterprise `eid`. */
export function newUser(mspId: string, name: string, role: string, eid: string): Promise<TestIdentity> {
    return newTestIdentity(mspId, name, { 'xl.role': role, 'xl.eid': eid });
}
