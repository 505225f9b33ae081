import { PassportError, hashPassport, parsePassport, recoverPassportSigner } from '../../chaincode/src/recognition/passport';
import { formatUnixDate } from './format';
import type { BureauKey, Passport } from './resources';

/**
 * Offline verification of a credit passport, entirely in the browser: the same passport module the
 * chaincode uses (EIP-712 via ethers) recovers the signer, which must be a published, unrevoked
 * credit-bureau key. No network is needed once the issuer keys are known.
 */

export interface CheckStep {
    label: string;
    ok: boolean;
    detail: string;
}

export interface OfflineVerdict {
    valid: boolean;
    steps: CheckStep[];
    /** The passport's ledger id (its EIP-712 digest), when its content parses. */
    attestationId?: string;
    signer?: string;
    issuer?: BureauKey;
    passport?: Passport;
}

/** Seconds a passport's issuedAt may lie in the future (clock skew), as the chaincode allows. */
const ISSUED_AT_SKEW_SECONDS = 300;

/** Verifies a passport object {attestation, signature} against the published keys at `now`. Never throws. */
export function verifyPassportOffline(value: unknown, issuers: readonly BureauKey[], now: Date): OfflineVerdict {
    const steps: CheckStep[] = [];
    const verdict = (): OfflineVerdict => ({ valid: steps.length === 4 && steps.every((s) => s.ok), steps });
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        steps.push({ label: 'Format', ok: false, detail: 'A passport is a JSON object with "attestation" and "signature".' });
        return verdict();
    }
    const raw = value as { attestation?: unknown; signature?: unknown };
    let attestation;
    try {
        attestation = parsePassport(raw.attestation);
    } catch (error) {
        steps.push({ label: 'Format', ok: false, detail: error instanceof PassportError ? `The passport content is malformed: ${error.message}.` : String(error) });
        return verdict();
    }
    const attestationId = hashPassport(attestation);
    steps.push({ label: 'Format', ok: true, detail: `Well-formed credit attestation for ${attestation.subject} (score ${attestation.score}, grade ${attestation.grade}).` });

    let signer: string;
    try {
        signer = recoverPassportSigner(attestation, String(raw.signature ?? ''));
    } catch (error) {
        steps.push({ label: 'Signature', ok: false, detail: `The signature is unusable: ${(error as Error).message}.` });
        return { ...verdict(), attestationId };
    }
    steps.push({ label: 'Signature', ok: true, detail: `EIP-712 signature recovers to ${signer}.` });

    const passport: Passport = { attestation, signature: String(raw.signature) };
    const issuer = issuers.find((key) => key.address.toLowerCase() === signer.toLowerCase());
    if (!issuer) {
        steps.push({ label: 'Issuer key', ok: false, detail: 'The signer is not a published credit-bureau key: the content was altered or signed by someone else.' });
    } else if (issuer.status !== 'ACTIVE') {
        steps.push({ label: 'Issuer key', ok: false, detail: `The signing key of ${issuer.label ?? issuer.bureauId} has been revoked.` });
    } else {
        steps.push({ label: 'Issuer key', ok: true, detail: `Signed by ${issuer.label ?? issuer.bureauId} (credit bureau ${issuer.bureauId}).` });
    }

    const seconds = Math.floor(now.getTime() / 1000);
    if (attestation.issuedAt > seconds + ISSUED_AT_SKEW_SECONDS) {
        steps.push({ label: 'Validity', ok: false, detail: 'The passport claims to be issued in the future.' });
    } else if (seconds >= attestation.expiresAt) {
        steps.push({ label: 'Validity', ok: false, detail: `The passport expired on ${formatUnixDate(attestation.expiresAt)}.` });
    } else {
        steps.push({ label: 'Validity', ok: true, detail: `Valid until ${formatUnixDate(attestation.expiresAt)}.` });
    }
    return { ...verdict(), attestationId, signer, issuer, passport };
}

/**
 * Verifies a passport against the issuer keys as published NOW: `loadIssuers` is called for every
 * check, never cached, so a key generated since is known (its genuine passports are not called
 * forged) and a key revoked since is seen revoked (its passports are not called authentic).
 * `now` is the ledger's time. Throws what `loadIssuers` throws.
 */
export async function verifyPassportNow(value: unknown, loadIssuers: () => Promise<readonly BureauKey[]>, now: Date): Promise<OfflineVerdict> {
    return verifyPassportOffline(value, await loadIssuers(), now);
}

function toBase64Url(text: string): string {
    const bytes = new TextEncoder().encode(text);
    let binary = '';
    for (const byte of bytes) {
        binary += String.fromCharCode(byte);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The compact text a QR code carries: base64url of the passport's JSON. */
export function encodePassport(passport: Passport): string {
    return toBase64Url(JSON.stringify(passport));
}

/**
 * Reads a passport from what a user pastes or scans: its JSON, its base64url form, or a verify
 * link carrying `p=<base64url>`. Throws Error with a readable message.
 */
export function decodePassport(input: string): unknown {
    const text = input.trim();
    if (text === '') {
        throw new Error('Paste a passport, or open a passport link.');
    }
    if (text.startsWith('{')) {
        try {
            return JSON.parse(text);
        } catch {
            throw new Error('The pasted text is not valid JSON.');
        }
    }
    const fromLink = /[?&#]p=([A-Za-z0-9_-]+)/.exec(text);
    const encoded = fromLink ? fromLink[1] : text;
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) {
        throw new Error('This is neither a passport nor a passport link.');
    }
    try {
        return JSON.parse(fromBase64Url(encoded));
    } catch {
        throw new Error('The passport code is damaged or incomplete.');
    }
}

/** The link a partner's phone opens when it scans the QR code. */
export function passportLink(origin: string, passport: Passport): string {
    return `${origin}/#/verify?p=${encodePassport(passport)}`;
}
