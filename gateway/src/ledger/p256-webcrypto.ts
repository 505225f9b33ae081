import { createPrivateKey, webcrypto } from 'crypto';
import * as x509 from '@peculiar/x509';

/**
 * The one P-256 key setup of the embedded ledger's local CA and the Fabric CA client: both make
 * keys, CSRs and certificates with @peculiar/x509 over Node's WebCrypto.
 */

/** ECDSA on P-256 with SHA-256: what Fabric's MSPs and Fabric CA use by default. */
export const P256_ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

let providerSet = false;

/** Node's SubtleCrypto, installed (once) as @peculiar/x509's crypto provider. */
export function subtle(): webcrypto.SubtleCrypto {
    if (!providerSet) {
        x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
        providerSet = true;
    }
    return webcrypto.subtle;
}

/** A private key as PKCS#8 PEM. The key must be extractable. */
export async function exportPkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
    const der = Buffer.from(await subtle().exportKey('pkcs8', key));
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}
