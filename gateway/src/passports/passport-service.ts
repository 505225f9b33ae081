import { createHash, randomBytes } from 'crypto';
import {
    Attestation,
    BureauKey,
    CreditAttestation,
    CreditProfile,
    Enterprise,
    PASSPORT_DOMAIN,
    canonicalStringify,
    expiryTime,
    hashPassport,
    parsePassport,
    passportOf,
    passportTypedData,
    recoverPassportSigner,
} from '@xinlian/chaincode';
import { AppError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import type { LedgerClient, WriteResult } from '../services/ledger-client';
import { newKeyedLock } from '../storage/keyed-lock';
import type { BureauKeyStore } from './bureau-key-store';

/**
 * Credit passports: issuance (the gateway builds the EIP-712 passport, signs it with the bureau's
 * key it holds, and anchors it on the ledger as the bureau user) and public verification
 * (signature, issuer key, anchoring status and expiry, from the ledger).
 */

export interface IssuePassportRequest {
    readonly subjectId: string;
    readonly score?: number;
    readonly grade?: string;
    readonly reasonCodes?: readonly string[];
    readonly evidenceHash?: string;
    readonly validDays?: number;
}

export interface SignedPassport {
    readonly attestation: CreditAttestation;
    readonly signature: string;
}

/** What POST /attestations answers: the anchored attestation and the signed passport it anchors. */
export interface IssuedPassport {
    readonly attestation: Attestation;
    readonly passport: SignedPassport;
}

/**
 * The issue response, from the anchored attestation alone: the record carries every signed field and
 * the signature in its canonical form, so a response lost in a gateway crash is rebuilt from the
 * committed transaction exactly as it was first sent.
 */
export function issuedPassport(anchored: Attestation): IssuedPassport {
    return { attestation: anchored, passport: { attestation: passportOf(anchored), signature: anchored.signature } };
}

/** Why a passport is not valid. */
export type PassportVerdictReason = 'MALFORMED' | 'BAD_SIGNATURE' | 'SIGNER_NOT_REGISTERED' | 'SIGNER_REVOKED' | 'NOT_ANCHORED' | 'REVOKED' | 'EXPIRED';

export interface PassportVerdict {
    readonly valid: boolean;
    readonly reasons: PassportVerdictReason[];
    readonly attestationId: string | null;
    readonly signer: string | null;
    readonly issuer: { bureauId: string; address: string; label?: string; status: string } | null;
    readonly status: 'VALID' | 'REVOKED' | 'NOT_ANCHORED' | 'UNKNOWN';
    readonly subject: string | null;
    readonly expiresAt: string | null;
    readonly checkedAt: string;
    /** Why the passport is MALFORMED or has a BAD_SIGNATURE: the parser's message naming the field; absent otherwise. */
    readonly detail?: string;
}

export interface PassportService {
    /**
     * Issues and anchors a passport as the credit-bureau `user`, signed with the bureau's newest
     * gateway-held key that the ledger lists as ACTIVE. Throws FORBIDDEN, SIGNER_NOT_REGISTERED (no
     * such key), INVALID_ARGUMENT, and what the ledger throws.
     */
    issue(user: LedgerUser, request: IssuePassportRequest): Promise<WriteResult<IssuedPassport>>;
    /** The verdict on a passport, judged now. Never throws for a bad passport; throws AppError when the ledger fails. */
    verify(passport: { attestation: unknown; signature: unknown }): Promise<PassportVerdict>;
    /** The published issuer keys. */
    issuers(): Promise<BureauKey[]>;
    /**
     * Creates a gateway-held key for a bureau and registers it (platform admin). Rotation: when the
     * bureau's newest gateway-held key is revoked, a new key is created beside it (the revoked one is
     * kept). A newest key the ledger does not list (a crash before its registration) is registered.
     * Checks first that the ledger lists `bureauId` as an active credit bureau, so a refusal creates no key.
     * Throws FORBIDDEN, NOT_FOUND (no such enterprise), INVALID_ARGUMENT (not a credit bureau),
     * ENTERPRISE_FROZEN, ALREADY_EXISTS (the newest key is still ACTIVE: revoke it first to rotate), and
     * what the ledger throws.
     */
    registerGatewayKey(admin: LedgerUser, bureauId: string, label?: string): Promise<WriteResult<BureauKey>>;
}

export interface PassportServiceOptions {
    readonly ledger: LedgerClient;
    readonly keys: BureauKeyStore;
    /**
     * The identity public verification reads the ledger with (read-only use: verifierOf). It reads only
     * what anyone on the channel may (recognition:ReadBureauKey, ListBureauKeys, AttestationStatus),
     * so any identity of the gateway's organisation serves, even one acting for an enterprise the
     * ledger does not know (a member organisation's gateway without the demo seed), and a passport's
     * holder gets a verdict without signing in.
     */
    readonly verifier: LedgerUser;
    /**
     * The ledger's clock (the embedded ledger may run ahead, GATEWAY_LEDGER_CLOCK_OFFSET_DAYS): passports
     * are stamped by it, so the chaincode accepts them, and judged by it, as the ledger's own verdict is.
     */
    readonly clock?: () => Date;
}

/** The bureau's grade scale for a domestic score. */
export function gradeOf(score: number): string {
    const bands: Array<[number, string]> = [
        [900, 'AAA'],
        [800, 'AA'],
        [700, 'A'],
        [600, 'BBB'],
        [500, 'BB'],
        [400, 'B'],
    ];
    return bands.find(([min]) => score >= min)?.[1] ?? 'C';
}

/** The message of a parser's error (PassportError names the field: "attestation.score must be …"). */
function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

function isCode(error: unknown, code: string): boolean {
    return error instanceof AppError && error.code === code;
}

/** The ledger's record of a key, or undefined when the key is not registered. Throws what the ledger throws. */
async function readKey(ledger: LedgerClient, reader: LedgerUser, address: string): Promise<BureauKey | undefined> {
    try {
        return await ledger.evaluate<BureauKey>(reader, 'recognition:ReadBureauKey', [address]);
    } catch (error) {
        if (isCode(error, 'NOT_FOUND')) {
            return undefined;
        }
        throw error;
    }
}

export function newPassportService(options: PassportServiceOptions): PassportService {
    const { ledger, keys, verifier } = options;
    const clock = options.clock ?? (() => new Date());
    // Generations for one bureau run one at a time, so two concurrent ones cannot both rotate.
    const generations = newKeyedLock();

    /** The wallet of the bureau's newest gateway-held key that is ACTIVE on the ledger. Throws SIGNER_NOT_REGISTERED. */
    const currentSigner = async (reader: LedgerUser, bureauId: string) => {
        const addresses = await keys.addresses(bureauId);
        let revoked: string | undefined;
        for (const address of [...addresses].reverse()) {
            const published = await readKey(ledger, reader, address);
            if (published?.status === 'ACTIVE' && published.bureauId === bureauId) {
                const wallet = await keys.signer(bureauId, address);
                if (wallet) {
                    return wallet;
                }
            }
            if (published?.status === 'REVOKED') {
                revoked ??= address;
            }
        }
        if (revoked) {
            throw new AppError('SIGNER_NOT_REGISTERED', `the gateway-held signing key ${revoked} of bureau ${bureauId} was revoked; an admin rotates it with POST /bureau-keys/generate`);
        }
        throw new AppError('SIGNER_NOT_REGISTERED', `the gateway holds no registered signing key for bureau ${bureauId}; an admin registers one with POST /bureau-keys/generate`);
    };

    return {
        async issue(user, request) {
            if (user.role !== 'credit-bureau') {
                throw new AppError('FORBIDDEN', 'only a credit bureau issues credit passports');
            }
            const wallet = await currentSigner(user, user.enterpriseId);
            let score = request.score;
            let reasonCodes = request.reasonCodes ? [...request.reasonCodes] : undefined;
            let evidenceHash = request.evidenceHash;
            if (score === undefined || reasonCodes === undefined || evidenceHash === undefined) {
                // The bureau reads the subject's profile as itself (credit bureaus may read any); the ledger shows
                // the passport, and so this score, to the profile's readers and the platform admin only
                // (docs/credit-passport.md §6).
                const profile = await ledger.evaluate<CreditProfile>(user, 'profile:ReadCreditProfile', [request.subjectId]);
                score ??= profile.score;
                reasonCodes ??= [...new Set(profile.reasons.map((r) => r.code))].slice(0, 16);
                evidenceHash ??= `0x${createHash('sha256').update(canonicalStringify(profile)).digest('hex')}`;
            }
            const issuedAt = Math.floor(clock().getTime() / 1000) - 5;
            const candidate = {
                subject: request.subjectId,
                score,
                grade: request.grade ?? gradeOf(score),
                reasonCodes,
                evidenceHash,
                issuedAt,
                expiresAt: issuedAt + (request.validDays ?? 180) * 86_400,
                nonce: `0x${randomBytes(32).toString('hex')}`,
            };
            let attestation: CreditAttestation;
            try {
                attestation = parsePassport(candidate);
            } catch (error) {
                throw new AppError('INVALID_ARGUMENT', (error as Error).message, { cause: error });
            }
            const typed = passportTypedData(attestation);
            const signature = await wallet.signTypedData(typed.domain, typed.types, typed.message);
            const anchored = await ledger.submit<Attestation>(user, 'recognition:SubmitAttestation', [{ attestation, signature }]);
            return { result: issuedPassport(anchored.result), txId: anchored.txId };
        },

        async verify(passport) {
            const checkedAt = clock();
            // `detail` is set only when there is one to give.
            const verdict: { -readonly [K in keyof PassportVerdict]: PassportVerdict[K] } = {
                valid: false,
                reasons: [],
                attestationId: null,
                signer: null,
                issuer: null,
                status: 'UNKNOWN',
                subject: null,
                expiresAt: null,
                checkedAt: checkedAt.toISOString(),
            };
            let attestation: CreditAttestation;
            try {
                attestation = parsePassport(passport.attestation);
            } catch (error) {
                verdict.reasons.push('MALFORMED');
                verdict.detail = messageOf(error);
                return verdict;
            }
            verdict.attestationId = hashPassport(attestation);
            verdict.subject = attestation.subject;
            verdict.expiresAt = expiryTime(attestation.expiresAt);
            try {
                verdict.signer = recoverPassportSigner(attestation, String(passport.signature));
            } catch (error) {
                verdict.reasons.push('BAD_SIGNATURE');
                verdict.detail = messageOf(error);
            }
            if (verdict.signer) {
                try {
                    const key = await ledger.evaluate<BureauKey>(verifier, 'recognition:ReadBureauKey', [verdict.signer]);
                    verdict.issuer = { bureauId: key.bureauId, address: key.address, ...(key.label ? { label: key.label } : {}), status: key.status };
                    if (key.status !== 'ACTIVE') {
                        verdict.reasons.push('SIGNER_REVOKED');
                    }
                } catch (error) {
                    if (!isCode(error, 'NOT_FOUND')) {
                        throw error;
                    }
                    verdict.reasons.push('SIGNER_NOT_REGISTERED');
                }
            }
            try {
                // The anchor's status only: the score reads are for the subject's passport readers.
                const anchored = await ledger.evaluate<Pick<Attestation, 'id' | 'status'>>(verifier, 'recognition:AttestationStatus', [verdict.attestationId]);
                verdict.status = anchored.status;
                if (anchored.status !== 'VALID') {
                    verdict.reasons.push('REVOKED');
                }
            } catch (error) {
                if (!isCode(error, 'NOT_FOUND')) {
                    throw error;
                }
                verdict.status = 'NOT_ANCHORED';
                verdict.reasons.push('NOT_ANCHORED');
            }
            if (checkedAt.getTime() >= attestation.expiresAt * 1000) {
                verdict.reasons.push('EXPIRED');
            }
            verdict.valid = verdict.reasons.length === 0;
            return verdict;
        },

        issuers: () => ledger.evaluate<BureauKey[]>(verifier, 'recognition:ListBureauKeys', ['']),

        async registerGatewayKey(admin, bureauId, label) {
            if (admin.role !== 'platform-admin') {
                throw new AppError('FORBIDDEN', 'only a platform admin registers bureau keys');
            }
            return generations.run(bureauId, async () => {
                // The ledger would refuse to register a key of anything but an active credit bureau: refuse
                // before a key is created, so a refused request leaves no sealed key behind.
                const bureau = await ledger.evaluate<Enterprise>(admin, 'enterprise:ReadEnterprise', [bureauId]);
                if (bureau.kind !== 'CREDIT_BUREAU') {
                    throw new AppError('INVALID_ARGUMENT', `enterprise ${bureauId} is a ${bureau.kind}; expected CREDIT_BUREAU`);
                }
                if (bureau.status === 'FROZEN') {
                    throw new AppError('ENTERPRISE_FROZEN', `enterprise ${bureauId} is frozen`);
                }
                const newest = (await keys.addresses(bureauId)).at(-1);
                const published = newest ? await readKey(ledger, admin, newest) : undefined;
                if (newest && published?.status === 'ACTIVE') {
                    throw new AppError('ALREADY_EXISTS', `bureau ${bureauId} already has an active gateway-held key ${newest}; to rotate it, revoke it first (POST /bureau-keys/${newest}/revoke), then generate again`);
                }
                // Not yet registered (a crash, or a bureau not registered then): register that key rather than pile up another.
                const address = newest && !published ? newest : await keys.createKey(bureauId);
                return ledger.submit<BureauKey>(admin, 'recognition:RegisterBureauKey', [{ bureauId, address, ...(label ? { label } : {}) }]);
            });
        },
    };
}

export { PASSPORT_DOMAIN };
