import type { Attestation } from './attestation';
import type { BureauKey } from './bureau-key';

/**
 * Whether an anchored passport still stands, from its record, the key that signed it and the time
 * alone, and which of two passports is the later. Pure, with type imports only: the chaincode's
 * verdicts (attestation.ts) and the client app's passport pages apply the same rules.
 */

/** The reasons a passport does not stand that its record, key and time give, in the verdict's order. */
export type StandingReason = 'REVOKED' | 'EXPIRED' | 'SIGNER_REVOKED' | 'SIGNER_NOT_REGISTERED';

/**
 * Why an anchored passport does not stand at `nowSeconds` (empty: it stands): revoked, expired
 * (from `expiresAt` on), its key revoked, or no key of its bureau signed it (`key` is the published
 * key at its signer's address, undefined when none is).
 */
export function standingReasons(
    attestation: Pick<Attestation, 'status' | 'expiresAt' | 'bureauId'>,
    key: Pick<BureauKey, 'bureauId' | 'status'> | undefined,
    nowSeconds: number,
): StandingReason[] {
    const reasons: StandingReason[] = [];
    if (attestation.status !== 'VALID') {
        reasons.push('REVOKED');
    }
    if (nowSeconds >= attestation.expiresAt) {
        reasons.push('EXPIRED');
    }
    if (!key || key.bureauId !== attestation.bureauId) {
        reasons.push('SIGNER_NOT_REGISTERED');
    } else if (key.status !== 'ACTIVE') {
        reasons.push('SIGNER_REVOKED');
    }
    return reasons;
}

/** Whether `a` is later than `b`: higher issuedAt, then later submittedAt, then lower id (so every peer picks the same). */
export function isLaterAttestation(a: Pick<Attestation, 'issuedAt' | 'submittedAt' | 'id'>, b: Pick<Attestation, 'issuedAt' | 'submittedAt' | 'id'>): boolean {
    if (a.issuedAt !== b.issuedAt) {
        return a.issuedAt > b.issuedAt;
    }
    if (a.submittedAt !== b.submittedAt) {
        return a.submittedAt > b.submittedAt;
    }
    return a.id < b.id;
}
