import { Signature, TypedDataEncoder, getAddress, recoverAddress } from 'ethers';
import { identifierKind } from '../enterprise/identifiers';
import { characterCount, textProblem } from '../ledger/input';

/**
 * The credit passport: a credit-bureau attestation signed as EIP-712 typed data.
 *
 * This module is the ONE definition of the wire format. The chaincode, the gateway and the browser
 * verify page all import it, so it depends on nothing but ethers, the pure identifier checks and the
 * pure text rule of ledger/input.ts: no Fabric, no Node built-ins, no clock. Every function here is
 * pure and deterministic.
 * docs/credit-passport.md describes the same structure for verifiers that use another library.
 */

/**
 * The EIP-712 domain. `chainId` is a fixed constant that binds signatures to this scheme; it does not
 * name an EVM chain and nothing is ever sent to one. There is no `verifyingContract`: no contract
 * verifies passports, and inventing an address would suggest one does. The domain type is therefore
 * `EIP712Domain(string name,string version,uint256 chainId)`.
 */
export const PASSPORT_DOMAIN: Readonly<{ name: string; version: string; chainId: number }> = Object.freeze({
    name: 'Xinlian Credit Passport',
    version: '1',
    chainId: 1,
});

/** The primary type's name. */
export const PASSPORT_PRIMARY_TYPE = 'CreditAttestation';

/** One member of an EIP-712 struct type. */
export interface PassportTypeField {
    readonly name: string;
    readonly type: string;
}

/** The struct fields of `CreditAttestation`, in their signed order. Changing anything here changes every digest. */
export const PASSPORT_FIELDS: readonly PassportTypeField[] = Object.freeze([
    Object.freeze({ name: 'subject', type: 'string' }),
    Object.freeze({ name: 'score', type: 'uint16' }),
    Object.freeze({ name: 'grade', type: 'string' }),
    Object.freeze({ name: 'reasonCodes', type: 'string[]' }),
    Object.freeze({ name: 'evidenceHash', type: 'bytes32' }),
    Object.freeze({ name: 'issuedAt', type: 'uint64' }),
    Object.freeze({ name: 'expiresAt', type: 'uint64' }),
    Object.freeze({ name: 'nonce', type: 'bytes32' }),
]);

/** The domain's struct fields, as wallets' `eth_signTypedData_v4` wants them listed. */
export const PASSPORT_DOMAIN_FIELDS: readonly PassportTypeField[] = Object.freeze([
    Object.freeze({ name: 'name', type: 'string' }),
    Object.freeze({ name: 'version', type: 'string' }),
    Object.freeze({ name: 'chainId', type: 'uint256' }),
]);

/** The EIP-712 encodeType string of the primary type (its keccak256 is the type hash). */
export const PASSPORT_ENCODED_TYPE =
    'CreditAttestation(string subject,uint16 score,string grade,string[] reasonCodes,bytes32 evidenceHash,uint64 issuedAt,uint64 expiresAt,bytes32 nonce)';

/** Largest domestic credit score. Scores are integers 0..MAX_SCORE. */
export const MAX_SCORE = 1000;
/** At most this many reason codes per passport. */
export const MAX_REASON_CODES = 16;
/** Reason codes: upper-case words such as `ON_TIME_REDEMPTION`. */
export const REASON_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_.-]{0,63}$/;
/** Longest grade label, in characters: Unicode code points (an emoji outside the BMP counts once). */
export const MAX_GRADE_LENGTH = 32;
/** Timestamps are unix seconds that JSON carries exactly (up to 2^53 − 1). */
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const SIGNATURE_65 = /^0x[0-9a-fA-F]{130}$/;
/** secp256k1 group order; a canonical (EIP-2) signature has s <= N/2. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The signed content of a credit passport, exactly as it is hashed. */
export interface CreditAttestation {
    /** The subject enterprise: its USCC or LEI, upper case. */
    subject: string;
    /** Domestic credit score, 0..1000. */
    score: number;
    /** The bureau's own grade label for the score (e.g. `AA`). */
    grade: string;
    /** Why the score is what it is, in the bureau's order (signed as given). */
    reasonCodes: string[];
    /** 0x + 64 hex: hash of the evidence package kept off-ledger. */
    evidenceHash: string;
    /** Unix seconds. */
    issuedAt: number;
    /** Unix seconds; the passport is valid while now < expiresAt. */
    expiresAt: number;
    /** 0x + 64 hex chosen by the bureau, so two otherwise equal passports have different digests. */
    nonce: string;
}

/** EIP-712 typed data in the shape ethers' `signTypedData(domain, types, message)` takes. */
export interface PassportTypedData {
    domain: { name: string; version: string; chainId: number };
    types: { CreditAttestation: PassportTypeField[] };
    primaryType: 'CreditAttestation';
    message: CreditAttestation;
}

/** The `eth_signTypedData_v4` payload: types with `EIP712Domain`, integers as decimal strings. */
export interface PassportJsonRpcPayload {
    types: Record<string, PassportTypeField[]>;
    domain: Record<string, unknown>;
    primaryType: string;
    message: Record<string, unknown>;
}

/** Why a passport or its signature was refused. `path` names the offending member. */
export class PassportError extends Error {
    constructor(
        readonly kind: 'FORMAT' | 'SIGNATURE',
        readonly path: string,
        detail: string,
    ) {
        super(`${path} ${detail}`);
        this.name = 'PassportError';
    }
}

function copy(attestation: CreditAttestation): CreditAttestation {
    return {
        subject: attestation.subject,
        score: attestation.score,
        grade: attestation.grade,
        reasonCodes: [...attestation.reasonCodes],
        evidenceHash: attestation.evidenceHash,
        issuedAt: attestation.issuedAt,
        expiresAt: attestation.expiresAt,
        nonce: attestation.nonce,
    };
}

function types(): { CreditAttestation: PassportTypeField[] } {
    return { CreditAttestation: PASSPORT_FIELDS.map((field) => ({ ...field })) };
}

/** The typed data of a passport, for signing with ethers or any EIP-712 wallet (fresh objects each call). */
export function passportTypedData(attestation: CreditAttestation): PassportTypedData {
    return { domain: { ...PASSPORT_DOMAIN }, types: types(), primaryType: PASSPORT_PRIMARY_TYPE, message: copy(attestation) };
}

/**
 * The JSON-RPC payload of `eth_signTypedData_v4` (types include `EIP712Domain`), for browser wallets.
 * Throws PassportError(FORMAT) when a value does not fit its EIP-712 type.
 */
export function passportJsonRpcPayload(attestation: CreditAttestation): PassportJsonRpcPayload {
    return guardEncoding(() => TypedDataEncoder.getPayload({ ...PASSPORT_DOMAIN }, types(), copy(attestation)) as PassportJsonRpcPayload);
}

/** The EIP-712 digest (0x + 64 lower-case hex) that a bureau signs; the passport's ledger id. Throws PassportError(FORMAT). */
export function hashPassport(attestation: CreditAttestation): string {
    return guardEncoding(() => TypedDataEncoder.hash({ ...PASSPORT_DOMAIN }, types(), copy(attestation)));
}

/**
 * Parses a signature strictly: 65 bytes `r ‖ s ‖ v` as 0x-hex, v ∈ {27, 28} (or the parity 0, 1),
 * 0 < r < N and 0 < s <= N/2 (EIP-2 low s). Returns the canonical 0x-hex form with v ∈ {27, 28}.
 * Throws PassportError(SIGNATURE).
 */
export function normalizePassportSignature(signature: unknown): string {
    if (typeof signature !== 'string' || !SIGNATURE_65.test(signature)) {
        throw new PassportError('SIGNATURE', 'signature', 'must be 65 bytes (r ‖ s ‖ v) as 0x-prefixed hex');
    }
    const hex = signature.slice(2).toLowerCase();
    const r = BigInt(`0x${hex.slice(0, 64)}`);
    const s = BigInt(`0x${hex.slice(64, 128)}`);
    const v = parseInt(hex.slice(128, 130), 16);
    if (r === 0n || r >= SECP256K1_N || s === 0n || s > SECP256K1_N / 2n) {
        throw new PassportError('SIGNATURE', 'signature', 'has r or s out of range (s must be in the lower half of the curve order)');
    }
    if (![0, 1, 27, 28].includes(v)) {
        throw new PassportError('SIGNATURE', 'signature', 'has a recovery byte v other than 27 or 28');
    }
    return `0x${hex.slice(0, 128)}${v === 0 || v === 27 ? '1b' : '1c'}`;
}

/**
 * Recovers the checksummed address that signed the passport. A signature over different content
 * recovers a DIFFERENT address rather than failing: compare the result with the published keys.
 * Throws PassportError(SIGNATURE) for a malformed signature, PassportError(FORMAT) for content that
 * does not fit its EIP-712 types.
 */
export function recoverPassportSigner(attestation: CreditAttestation, signature: string): string {
    const canonical = normalizePassportSignature(signature);
    const digest = hashPassport(attestation);
    try {
        return getAddress(recoverAddress(digest, Signature.from(canonical)));
    } catch {
        throw new PassportError('SIGNATURE', 'signature', 'does not recover to any public key');
    }
}

function guardEncoding<T>(encode: () => T): T {
    try {
        return encode();
    } catch (error) {
        throw new PassportError('FORMAT', 'attestation', `does not fit the CreditAttestation types: ${(error as Error).message}`);
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function timestamp(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TIMESTAMP) {
        throw new PassportError('FORMAT', path, `must be a positive integer of unix seconds, at most ${MAX_TIMESTAMP}`);
    }
    return value;
}

function bytes32(value: unknown, path: string): string {
    if (typeof value !== 'string' || !BYTES32.test(value)) {
        throw new PassportError('FORMAT', path, 'must be 32 bytes as 0x-prefixed hex (64 hex digits)');
    }
    return value.toLowerCase();
}

/**
 * Validates an untrusted passport object and returns it normalised (bytes32 values in lower case,
 * which does not change the digest). Strings are taken exactly as given — they are signed bytes —
 * so surrounding white space is refused, never trimmed. Unknown members are refused.
 * Throws PassportError(FORMAT).
 */
export function parsePassport(value: unknown, path = 'attestation'): CreditAttestation {
    if (!isObject(value)) {
        throw new PassportError('FORMAT', path, 'must be a JSON object');
    }
    const known = new Set(PASSPORT_FIELDS.map((field) => field.name));
    for (const key of Object.keys(value).sort()) {
        if (!known.has(key)) {
            throw new PassportError('FORMAT', `${path}.${key}`, 'is not a known field');
        }
    }
    const { subject, score, grade, reasonCodes } = value;
    if (typeof subject !== 'string' || !identifierKind(subject)) {
        throw new PassportError('FORMAT', `${path}.subject`, 'must be a valid USCC or LEI in upper case');
    }
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > MAX_SCORE) {
        throw new PassportError('FORMAT', `${path}.score`, `must be an integer between 0 and ${MAX_SCORE}`);
    }
    if (typeof grade !== 'string' || grade.length === 0 || characterCount(grade) > MAX_GRADE_LENGTH || grade.trim() !== grade) {
        throw new PassportError('FORMAT', `${path}.grade`, `must be 1..${MAX_GRADE_LENGTH} characters without surrounding white space`);
    }
    // The ledger's one rule for free text: no control, bidi-override or lone-surrogate characters, not blank.
    const gradeProblem = textProblem(grade);
    if (gradeProblem) {
        throw new PassportError('FORMAT', `${path}.grade`, gradeProblem);
    }
    if (!Array.isArray(reasonCodes) || reasonCodes.length > MAX_REASON_CODES) {
        throw new PassportError('FORMAT', `${path}.reasonCodes`, `must be an array of at most ${MAX_REASON_CODES} codes`);
    }
    const codes: string[] = [];
    reasonCodes.forEach((code: unknown, i: number) => {
        if (typeof code !== 'string' || !REASON_CODE_PATTERN.test(code)) {
            throw new PassportError('FORMAT', `${path}.reasonCodes[${i}]`, 'must be an upper-case code of letters, digits, _ . - (at most 64)');
        }
        if (codes.includes(code)) {
            throw new PassportError('FORMAT', `${path}.reasonCodes[${i}]`, `repeats ${code}`);
        }
        codes.push(code);
    });
    const evidenceHash = bytes32(value.evidenceHash, `${path}.evidenceHash`);
    const issuedAt = timestamp(value.issuedAt, `${path}.issuedAt`);
    const expiresAt = timestamp(value.expiresAt, `${path}.expiresAt`);
    if (expiresAt <= issuedAt) {
        throw new PassportError('FORMAT', `${path}.expiresAt`, 'must be later than issuedAt');
    }
    const nonce = bytes32(value.nonce, `${path}.nonce`);
    return { subject, score, grade, reasonCodes: codes, evidenceHash, issuedAt, expiresAt, nonce };
}
