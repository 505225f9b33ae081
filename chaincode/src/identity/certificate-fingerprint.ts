import type { Context } from 'fabric-contract-api';
import { sha256Hex } from '../ledger/tx';

/**
 * The fingerprint that names a certificate on the ledger: SHA-256 of its DER encoding, in lower-case
 * hex — what `openssl x509 -noout -fingerprint -sha256` prints, without the colons. Computed over
 * DER, not PEM text, so line breaks or a trailing newline in a wallet do not change it.
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/** The fingerprint of a certificate given as PEM (text or bytes) or as DER bytes. */
export function certificateFingerprint(certificate: string | Uint8Array): string {
    const bytes = typeof certificate === 'string' ? Buffer.from(certificate, 'utf8') : Buffer.from(certificate.buffer, certificate.byteOffset, certificate.byteLength);
    // latin1 maps bytes one to one: DER bytes never match the PEM armour by accident.
    const pem = PEM_CERTIFICATE.exec(bytes.toString('latin1'));
    return sha256Hex(pem ? Buffer.from(pem[1].replace(/\s+/g, ''), 'base64') : bytes);
}

/** The fingerprint of the certificate that signed the transaction (its creator). */
export function creatorFingerprint(ctx: Context): string {
    return certificateFingerprint(ctx.stub.getCreator().idBytes);
}
