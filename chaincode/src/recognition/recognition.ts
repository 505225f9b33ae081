import type { Context } from 'fabric-contract-api';
import { ChaincodeError, ErrorCode, fail } from '../errors';
import { compositeKey } from '../ledger/state';
import { sha256Hex } from '../ledger/tx';
import type { VerdictReason } from './attestation';

/**
 * Recognitions: a foreign partner's record that, under an agreement in force, it recognises one
 * anchored attestation, with the domestic score mapped onto its own grade scale. One recognition per
 * (agreement, attestation): its id is derived from that pair, so recognising twice is refused.
 */

export interface Recognition {
    docType: 'recognition';
    id: string;
    agreementId: string;
    attestationId: string;
    subject: string;
    /** The bureau that issued the attestation. */
    bureauId: string;
    partnerId: string;
    domesticScore: number;
    domesticGrade: string;
    /** The partner grade the agreement's scale gives the domestic score. */
    mappedGrade: string;
    /** Unix seconds: the recognised attestation's own expiry. */
    attestationExpiresAt: number;
    recognizedAt: string;
    recognizedBy: string;
    txId: string;
}

export const RECOGNITION = 'recognition';
/** Index `recognition-by-subject ~ subject ~ recognitionId`. */
export const RECOGNITION_BY_SUBJECT = 'recognition-by-subject';
/** Index `recognition-by-agreement ~ agreementId ~ recognitionId`. */
export const RECOGNITION_BY_AGREEMENT = 'recognition-by-agreement';

/** The id of the recognition of `attestationId` under `agreementId`. */
export function recognitionId(agreementId: string, attestationId: string): string {
    return `rec-${sha256Hex(`${agreementId}\n${attestationId}`).slice(0, 24)}`;
}

/** The world-state key of a recognition. */
export function recognitionKey(ctx: Context, id: string): string {
    return compositeKey(ctx, RECOGNITION, [id]);
}

/** The error code a recognition is refused with for the first failing verdict reason. */
const REFUSAL: Readonly<Record<VerdictReason, ErrorCode>> = {
    REVOKED: 'REVOKED',
    EXPIRED: 'EXPIRED',
    SIGNER_REVOKED: 'SIGNER_NOT_REGISTERED',
    SIGNER_NOT_REGISTERED: 'SIGNER_NOT_REGISTERED',
    DIGEST_MISMATCH: 'INVALID_SIGNATURE',
    SIGNATURE_MISMATCH: 'INVALID_SIGNATURE',
};

/** The refusal for an invalid verdict: REVOKED, EXPIRED, SIGNER_NOT_REGISTERED or INVALID_SIGNATURE. */
export function refusalFor(attestationId: string, reasons: readonly VerdictReason[]): ChaincodeError {
    if (reasons.length === 0) {
        return fail.state('the attestation is valid');
    }
    return new ChaincodeError(REFUSAL[reasons[0]], `attestation ${attestationId} cannot be recognised: ${reasons.join(', ')}`);
}
