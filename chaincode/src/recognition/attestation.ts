import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import type { AttestationStanding } from '../profile/credit-profile';
import { expiryTime } from '../ledger/expiry';
import { compositeKey, readRecord, scanIndex } from '../ledger/state';
import { txDate, txTime } from '../ledger/tx';
import { BureauKey, parseAddress, readBureauKey } from './bureau-key';
import { isLaterAttestation, standingReasons } from './standing';
import { CreditAttestation, PassportError, hashPassport, normalizePassportSignature, parsePassport, recoverPassportSigner } from './passport';

export { expiryTime };

/**
 * Credit attestations ("credit passports") anchored on the ledger. The id of an attestation is its
 * EIP-712 digest, so the same signed content can be anchored once only. The ledger keeps the signed
 * content, the canonical signature, the recovered signer and a status; validity is always judged at
 * the time of the reading transaction by `attestationVerdict`.
 */

export type AttestationStatus = 'VALID' | 'REVOKED';

/** An anchored passport: the signed content plus what the ledger knows about it. */
export interface Attestation extends CreditAttestation {
    docType: 'attestation';
    /** The EIP-712 digest, 0x + 64 lower-case hex. */
    id: string;
    /** Checksummed address recovered from the signature. */
    signer: string;
    /** The CREDIT_BUREAU enterprise the signer key is registered to. */
    bureauId: string;
    /** Canonical 65-byte signature (v = 27 or 28). */
    signature: string;
    status: AttestationStatus;
    submittedAt: string;
    submittedBy: string;
    txId: string;
    revokedAt?: string;
    revokedBy?: string;
    revocationReason?: string;
}

export const ATTESTATION = 'attestation';
/** Index `attestation-by-subject ~ subject ~ attestationId`. */
export const ATTESTATION_BY_SUBJECT = 'attestation-by-subject';
/** Index `attestation-by-bureau ~ bureauId ~ attestationId`. */
export const ATTESTATION_BY_BUREAU = 'attestation-by-bureau';

/** How far in the future `issuedAt` may lie, for clock skew between the bureau and the peers. */
export const ISSUED_AT_SKEW_SECONDS = 300;

/** The world-state key of an attestation. */
export function attestationKey(ctx: Context, id: string): string {
    return compositeKey(ctx, ATTESTATION, [id]);
}

/** Validates an attestation id (an EIP-712 digest) and returns it in lower case. Throws INVALID_ARGUMENT. */
export function parseAttestationId(value: unknown, path = 'attestationId'): string {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
        throw fail.invalid(`${path} must be an attestation digest (0x + 64 hex digits)`);
    }
    return value.toLowerCase();
}

/** Reads an attestation that must exist. Throws NOT_FOUND. */
export async function mustReadAttestation(ctx: Context, id: string): Promise<Attestation> {
    const attestation = await readRecord<Attestation>(ctx, attestationKey(ctx, id));
    if (!attestation) {
        throw fail.notFound(`attestation ${id} does not exist`);
    }
    return attestation;
}

/** The transaction time in unix seconds, the unit passports use. */
export function txSeconds(ctx: Context): number {
    return Math.floor(txDate(ctx).getTime() / 1000);
}

/** The signed content of an anchored attestation. */
export function passportOf(attestation: Attestation): CreditAttestation {
    const { subject, score, grade, reasonCodes, evidenceHash, issuedAt, expiresAt, nonce } = attestation;
    return { subject, score, grade, reasonCodes, evidenceHash, issuedAt, expiresAt, nonce };
}

/** A parsed SubmitAttestation request. `signature` is checked later, as INVALID_SIGNATURE. */
export interface Submission {
    attestation: CreditAttestation;
    signature: unknown;
    /** The address the submitter expects to have signed, if it says so. */
    signer?: string;
}

const SUBMISSION_FIELDS = ['attestation', 'signature', 'signer'];

/** Parses `{attestation, signature, signer?}`. Throws INVALID_ARGUMENT. */
export function parseSubmission(json: string): Submission {
    let value: unknown;
    try {
        value = JSON.parse(json);
    } catch {
        throw fail.invalid('request is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw fail.invalid('request must be a JSON object');
    }
    const raw = value as Record<string, unknown>;
    for (const key of Object.keys(raw).sort()) {
        if (!SUBMISSION_FIELDS.includes(key)) {
            throw fail.invalid(`request.${key} is not a known field`);
        }
    }
    let attestation: CreditAttestation;
    try {
        attestation = parsePassport(raw.attestation, 'request.attestation');
    } catch (error) {
        throw error instanceof PassportError ? fail.invalid(error.message) : error;
    }
    if (raw.signature === undefined || raw.signature === null || raw.signature === '') {
        throw fail.invalid('request.signature is required');
    }
    const submission: Submission = { attestation, signature: raw.signature };
    if (raw.signer !== undefined && raw.signer !== null) {
        submission.signer = parseAddress(raw.signer, 'request.signer');
    }
    return submission;
}

/**
 * Recovers the signer of a submission. Throws INVALID_SIGNATURE for a malformed signature, or when
 * the submitter named a signer and the signature recovers another address (the content was altered
 * after signing, or signed by another key).
 */
export function recoverSubmissionSigner(submission: Submission): { signer: string; signature: string; digest: string } {
    try {
        const signature = normalizePassportSignature(submission.signature);
        const signer = recoverPassportSigner(submission.attestation, signature);
        if (submission.signer !== undefined && submission.signer !== signer) {
            throw new ChaincodeError('INVALID_SIGNATURE', `the signature recovers ${signer}, not the named signer ${submission.signer}: the content differs from what was signed`);
        }
        return { signer, signature, digest: hashPassport(submission.attestation) };
    } catch (error) {
        if (error instanceof PassportError) {
            throw error.kind === 'SIGNATURE' ? new ChaincodeError('INVALID_SIGNATURE', error.message) : fail.invalid(error.message);
        }
        throw error;
    }
}

/** Builds a VALID attestation record. */
export function newAttestation(
    passport: CreditAttestation,
    anchor: { id: string; signer: string; bureauId: string; signature: string },
    submittedBy: string,
    now: string,
    txId: string,
): Attestation {
    return {
        docType: 'attestation',
        ...passport,
        reasonCodes: [...passport.reasonCodes],
        ...anchor,
        status: 'VALID',
        submittedAt: now,
        submittedBy,
        txId,
    };
}

/** Codes a verdict may carry, in the order they are reported. */
export const VERDICT_REASONS = ['REVOKED', 'EXPIRED', 'SIGNER_REVOKED', 'SIGNER_NOT_REGISTERED', 'DIGEST_MISMATCH', 'SIGNATURE_MISMATCH'] as const;

export type VerdictReason = (typeof VERDICT_REASONS)[number];

/** Whether an anchored passport may be relied on now, and if not, why. */
export interface AttestationVerdict {
    attestationId: string;
    valid: boolean;
    /** Empty when valid; otherwise the failing checks in VERDICT_REASONS order. */
    reasons: VerdictReason[];
    status: AttestationStatus;
    subject: string;
    bureauId: string;
    signer: string;
    score: number;
    grade: string;
    issuedAt: number;
    expiresAt: number;
    /** The reading transaction's time, which the verdict was judged at. */
    checkedAt: string;
}

/**
 * Judges an anchored attestation at `nowSeconds`: not revoked, not expired (now < expiresAt), its
 * signer key registered and not revoked, and — re-checked from the stored content — its digest equal
 * to its id and its signature recovering its signer.
 */
export function attestationVerdict(attestation: Attestation, key: BureauKey | undefined, nowSeconds: number, checkedAt: string): AttestationVerdict {
    const failed = new Set<VerdictReason>(standingReasons(attestation, key, nowSeconds));
    const passport = passportOf(attestation);
    try {
        if (hashPassport(passport) !== attestation.id) {
            failed.add('DIGEST_MISMATCH');
        }
    } catch {
        failed.add('DIGEST_MISMATCH');
    }
    try {
        if (recoverPassportSigner(passport, attestation.signature) !== attestation.signer) {
            failed.add('SIGNATURE_MISMATCH');
        }
    } catch {
        failed.add('SIGNATURE_MISMATCH');
    }
    const reasons = VERDICT_REASONS.filter((reason) => failed.has(reason));
    return {
        attestationId: attestation.id,
        valid: reasons.length === 0,
        reasons,
        status: attestation.status,
        subject: attestation.subject,
        bureauId: attestation.bureauId,
        signer: attestation.signer,
        score: attestation.score,
        grade: attestation.grade,
        issuedAt: attestation.issuedAt,
        expiresAt: attestation.expiresAt,
        checkedAt,
    };
}

/** The verdict on an attestation at the transaction's time, reading its signer key. */
export async function verifyAnchored(ctx: Context, attestation: Attestation): Promise<AttestationVerdict> {
    return attestationVerdict(attestation, await readBureauKey(ctx, attestation.signer), txSeconds(ctx), txTime(ctx));
}

/** Every attestation of a subject, in id order. */
export async function attestationsOf(ctx: Context, subjectId: string): Promise<Attestation[]> {
    const rows = await scanIndex(ctx, ATTESTATION_BY_SUBJECT, [subjectId]);
    const out: Attestation[] = [];
    for (const [, id] of rows) {
        out.push(await mustReadAttestation(ctx, id));
    }
    return out;
}

/**
 * Writes of the running transaction that reads cannot see yet (Fabric reads return committed state
 * only): attestations and bureau keys as this transaction leaves them.
 */
export interface PendingWrites {
    /** Attestations written by this transaction; they replace (by id) or join the committed ones. */
    attestations?: readonly Attestation[];
    /** Bureau keys written by this transaction; they replace the committed ones (by address). */
    keys?: readonly BureauKey[];
}

/**
 * Every attestation of a subject whose verdict is valid at the transaction's time, latest first
 * (see `isLater`), taking this transaction's own `pending` writes into account.
 */
export async function validAttestationsOf(ctx: Context, subjectId: string, pending: PendingWrites = {}): Promise<Attestation[]> {
    const keys = new Map<string, BureauKey | undefined>((pending.keys ?? []).map((key) => [key.address, key]));
    const byId = new Map<string, Attestation>();
    for (const attestation of await attestationsOf(ctx, subjectId)) {
        byId.set(attestation.id, attestation);
    }
    for (const attestation of pending.attestations ?? []) {
        if (attestation.subject === subjectId) {
            byId.set(attestation.id, attestation);
        }
    }
    const now = txSeconds(ctx);
    const checkedAt = txTime(ctx);
    const valid: Attestation[] = [];
    for (const id of [...byId.keys()].sort()) {
        const attestation = byId.get(id) as Attestation;
        if (!keys.has(attestation.signer)) {
            keys.set(attestation.signer, await readBureauKey(ctx, attestation.signer));
        }
        if (attestationVerdict(attestation, keys.get(attestation.signer), now, checkedAt).valid) {
            valid.push(attestation);
        }
    }
    return valid.sort((a, b) => (isLaterAttestation(a, b) ? -1 : isLaterAttestation(b, a) ? 1 : 0));
}

/**
 * The latest attestation of a subject that is valid at the transaction's time (its verdict has no
 * reasons), or undefined. Latest = highest issuedAt, then latest submittedAt, then lowest id, so
 * every peer picks the same one. `pending` adds what the running transaction wrote. For the
 * credit-profile module (through `attestationStanding`) and `LatestAttestation`.
 */
export async function latestValidAttestation(ctx: Context, subjectId: string, pending: PendingWrites = {}): Promise<Attestation | undefined> {
    return (await validAttestationsOf(ctx, subjectId, pending))[0];
}

/**
 * Where a subject stands with its attestations at the transaction's time, in the form the credit
 * profile consumes (`AttestationStanding` in profile/credit-profile.ts): the latest valid
 * attestation as a fact, and the ids of all valid ones.
 */
export async function attestationStanding(ctx: Context, subjectId: string, pending: PendingWrites = {}): Promise<AttestationStanding> {
    const valid = await validAttestationsOf(ctx, subjectId, pending);
    const latest = valid[0];
    return {
        ...(latest ? { latest: { id: latest.id, score: latest.score, expiresAt: expiryTime(latest.expiresAt) } } : {}),
        validIds: valid.map((attestation) => attestation.id),
    };
}
