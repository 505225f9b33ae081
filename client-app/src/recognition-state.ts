import { type StandingReason, isLaterAttestation, standingReasons } from '../../chaincode/src/recognition/standing';
import type { Agreement, Attestation, AttestationVerdict, BureauKey, Recognition } from './resources';

/**
 * Whether passports and recognitions still stand, as pure functions of the records, the published
 * issuer keys and the LEDGER's time (the views pass `ctx.now()`). A passport's standing is the
 * chaincode's own rule (chaincode/src/recognition/standing.ts): it is valid while it is not revoked,
 * not expired (now < expiresAt), and its signing key is registered to its bureau and not revoked —
 * a revoked key is treated as compromised, so every passport it signed is invalid from then on.
 */

/** The state of an anchored passport now: VALID, or the first reason it is not (in the ledger's order). */
export type PassportState = 'VALID' | StandingReason;

/** The published key that signed `attestation` for its bureau, if any. */
export function signingKeyOf(attestation: Pick<Attestation, 'signer' | 'bureauId'>, keys: readonly BureauKey[]): BureauKey | undefined {
    return keys.find((k) => k.address.toLowerCase() === attestation.signer.toLowerCase() && k.bureauId === attestation.bureauId);
}

/** Judges an anchored passport at `now` (ledger time) against the published keys, by the ledger's own rule. */
export function passportState(attestation: Pick<Attestation, 'status' | 'expiresAt' | 'signer' | 'bureauId'>, keys: readonly BureauKey[], now: Date): PassportState {
    return standingReasons(attestation, signingKeyOf(attestation, keys), Math.floor(now.getTime() / 1000))[0] ?? 'VALID';
}

/** The subject's current passport: the valid one issued last (ties: the later submission), or undefined. */
export function currentPassport<T extends Attestation>(attestations: readonly T[], keys: readonly BureauKey[], now: Date): T | undefined {
    return [...attestations]
        .filter((a) => passportState(a, keys, now) === 'VALID')
        .sort((a, b) => (isLaterAttestation(a, b) ? -1 : isLaterAttestation(b, a) ? 1 : 0))[0];
}

/** The partner grade of a domestic score under a scale (the ledger stores it highest band first; either order is read). */
export function mappedGrade(scale: Agreement['gradeScale'], score: number): string | undefined {
    return [...scale].sort((a, b) => b.minScore - a.minScore).find((band) => band.minScore <= score)?.grade;
}

/** A grade scale in words, highest band first: "A1 850–1000 · A2 700–849 · … · C 0–399". */
export function gradeScaleText(scale: Agreement['gradeScale']): string {
    const bands = [...scale].sort((a, b) => b.minScore - a.minScore);
    return bands.map((band, i) => `${band.grade} ${band.minScore}–${i === 0 ? 1000 : bands[i - 1].minScore - 1}`).join(' · ');
}

/**
 * Why a recognition no longer stands, in order of weight (empty: it stands): its passport revoked
 * (REVOKED), its signing key revoked (SIGNER_REVOKED or SIGNER_NOT_REGISTERED), the passport expired
 * (EXPIRED), the agreement ended (AGREEMENT_TERMINATED, AGREEMENT_WITHDRAWN) or out of force
 * (AGREEMENT_LAPSED, AGREEMENT_NOT_IN_FORCE). `verdict` is the ledger's verdict on the passport
 * (undefined when it could not be read: then only what the recognition itself says is judged).
 */
export function recognitionProblems(
    recognition: Pick<Recognition, 'attestationExpiresAt'>,
    agreement: Pick<Agreement, 'status' | 'validFrom' | 'validUntil'> | undefined,
    verdict: Pick<AttestationVerdict, 'reasons'> | undefined,
    now: Date,
): string[] {
    const problems: string[] = [];
    const reasons = verdict?.reasons ?? [];
    if (reasons.includes('REVOKED')) {
        problems.push('REVOKED');
    }
    if (reasons.includes('SIGNER_REVOKED')) {
        problems.push('SIGNER_REVOKED');
    } else if (reasons.includes('SIGNER_NOT_REGISTERED')) {
        problems.push('SIGNER_NOT_REGISTERED');
    }
    if (reasons.includes('EXPIRED') || Math.floor(now.getTime() / 1000) >= recognition.attestationExpiresAt) {
        problems.push('EXPIRED');
    }
    for (const reason of reasons) {
        if (!problems.includes(reason) && reason !== 'SIGNER_NOT_REGISTERED') {
            problems.push(reason);
        }
    }
    if (agreement) {
        if (agreement.status === 'TERMINATED' || agreement.status === 'WITHDRAWN') {
            problems.push(`AGREEMENT_${agreement.status}`);
        } else if (agreement.status !== 'ACTIVE') {
            problems.push('AGREEMENT_NOT_IN_FORCE');
        } else if (now.getTime() >= Date.parse(agreement.validUntil)) {
            problems.push('AGREEMENT_LAPSED');
        } else if (now.getTime() < Date.parse(agreement.validFrom)) {
            problems.push('AGREEMENT_NOT_IN_FORCE');
        }
    }
    return problems;
}

/** The agreements a passport (`attestationId`) can still be recognised under: those without a recognition of it (the ledger keeps one per agreement). */
export function agreementsStillToRecognise<A extends Pick<Agreement, 'id'>>(agreements: readonly A[], recognitions: readonly Pick<Recognition, 'agreementId' | 'attestationId'>[], attestationId: string): A[] {
    const done = new Set(recognitions.filter((r) => r.attestationId === attestationId).map((r) => r.agreementId));
    return agreements.filter((a) => !done.has(a.id));
}
