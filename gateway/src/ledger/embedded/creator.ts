import { KeyObject, X509Certificate, createHash, verify } from 'crypto';
import { LruCache } from './lru-cache';

/**
 * The creator of a proposal: MSP id and X.509 certificate, checked once per certificate (parse,
 * issuer, validity) and cached, so identity handling costs a map lookup per transaction.
 */

/** Signs proposal bytes with the identity's private key (ECDSA P-256, SHA-256). */
export type Signer = (message: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/** An identity that submits or evaluates transactions. */
export interface Identity {
    readonly mspId: string;
    /** PEM. */
    readonly certificate: string;
    /** Without a signer the proposal is unsigned (allowed unless the ledger requires signatures). */
    readonly signer?: Signer;
}

export interface CreatorInfo {
    /** The certificate's fingerprint (see certificateFingerprint): what blocks record as the creator. */
    readonly certificateHash: string;
    /**
     * The certificate in canonical PEM (see canonicalPem): the text the transaction id derives from,
     * the chaincode sees as the creator, and the certificate store keeps under the fingerprint.
     */
    readonly pem: string;
    readonly certificate: X509Certificate;
    /** The certificate's public key, extracted once. */
    readonly publicKey: KeyObject;
}

/** Why a creator was refused. */
export class CreatorRejected extends Error {}

/**
 * The fingerprint that names a certificate across the platform: SHA-256 of its DER encoding in
 * lower-case hex, as the chaincode computes it for user enrolments (`certificateFingerprint` in
 * chaincode/src/identity/certificate-fingerprint.ts) and `openssl x509 -noout -fingerprint -sha256`
 * prints it without the colons. A block's `creator.certificateHash` is this fingerprint, so an
 * auditor finds the enrolment of a block's creator by it.
 */
export function certificateFingerprint(certificate: X509Certificate): string {
    return createHash('sha256').update(certificate.raw).digest('hex');
}

/**
 * What blocks written before the creator hash became the fingerprint record instead: SHA-256 of the
 * PEM text as the client presented it, in lower-case hex. Those blocks are immutable and their
 * signatures cover this hash, so they keep it; the certificate store holds their certificates (as
 * that exact text) under it, and verifyChain accepts either hash. Nothing new is recorded this way.
 */
export function pemTextHash(pem: string): string {
    return createHash('sha256').update(pem, 'utf8').digest('hex');
}

/**
 * The certificate's one PEM text, from its DER: 64-character base64 lines, each line (the last
 * included) ended by a line feed (RFC 7468's strict form). Two PEM texts of the same certificate that
 * differ in line wrapping or whitespace have the same canonical PEM, so they share one fingerprint,
 * one stored certificate and one derivation of transaction ids.
 */
export function canonicalPem(certificate: X509Certificate): string {
    const lines = certificate.raw.toString('base64').match(/.{1,64}/g) ?? [];
    return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Derives a transaction id from its nonce and creator, as Fabric does. The engine passes the
 * creator's canonical PEM (blocks written before canonical PEM derive from the text the client
 * presented, which the certificate store holds for them).
 */
export function deriveTxId(nonce: Buffer, mspId: string, certificate: string): string {
    return createHash('sha256').update(nonce).update(mspId, 'utf8').update(certificate, 'utf8').digest('hex');
}

export function verifySignature(certificate: X509Certificate, message: Uint8Array, signature: Uint8Array): boolean {
    return verify('sha256', message, certificate.publicKey, signature);
}

export class CreatorCache {
    /**
     * By PEM, then MSP id. Keyed by the caller's own PEM string rather than a concatenation with the
     * MSP id, so a lookup reuses the string's cached hash instead of building, hashing and comparing
     * a fresh ~1 KB key per transaction.
     */
    private readonly cache = new LruCache<string, Map<string, CreatorInfo>>(10_000);
    private readonly roots = new Map<string, X509Certificate[]>();

    /** `trustedRoots`: CA certificates per MSP; when given, creators must be issued by their MSP's CA. */
    constructor(private readonly trustedRoots: Readonly<Record<string, readonly string[]>> | undefined) {
        for (const [mspId, pems] of Object.entries(trustedRoots ?? {})) {
            this.roots.set(
                mspId,
                pems.map((pem) => new X509Certificate(pem)),
            );
        }
    }

    /** Parses and checks a creator. Throws CreatorRejected. */
    resolve(mspId: string, pem: string, at: Date): CreatorInfo {
        let byMsp = this.cache.get(pem);
        let info = byMsp?.get(mspId);
        if (!info) {
            let certificate: X509Certificate;
            try {
                certificate = new X509Certificate(pem);
            } catch (error) {
                throw new CreatorRejected(`the creator certificate cannot be parsed: ${(error as Error).message}`);
            }
            if (this.trustedRoots) {
                const roots = this.roots.get(mspId) ?? [];
                if (!roots.some((root) => certificate.checkIssued(root) && certificate.verify(root.publicKey))) {
                    throw new CreatorRejected(`the creator certificate is not issued by a CA of ${mspId}`);
                }
            }
            // Once per certificate: a transaction of a known creator costs the lookups above only.
            info = { certificateHash: certificateFingerprint(certificate), pem: canonicalPem(certificate), certificate, publicKey: certificate.publicKey };
            if (!byMsp) {
                byMsp = new Map();
                this.cache.set(pem, byMsp);
            }
            byMsp.set(mspId, info);
        }
        if (this.trustedRoots && (at < new Date(info.certificate.validFrom) || at > new Date(info.certificate.validTo))) {
            throw new CreatorRejected('the creator certificate is not valid at the transaction time');
        }
        return info;
    }
}
