/**
 * The shapes of what the gateway returns. Ledger records are the chaincode's own types, imported
 * type-only from `@xinlian/chaincode` (erased by esbuild, so the bundle pulls in no chaincode code);
 * the rest are gateway or client views. Amounts are decimal strings of minor units; times ISO-8601 UTC.
 */

import type {
    CreditAttestation,
    CreditLineView,
    CreditProfileView,
    IpAsset,
    IpPledge,
    Note,
    Receivable,
    Redemption,
    Role,
} from '@xinlian/chaincode';

export type {
    Agreement,
    Attestation,
    AuditPack,
    DiscountQuote,
    DiscountRequest,
    Enterprise,
    EnterpriseKind,
    Exposure,
    FinancingTerms,
    IpAsset,
    IpParameters,
    IpPledge,
    Note,
    NoteOffer,
    NoteParameters,
    OverdueAnswer,
    OverdueMark,
    Provenance,
    ProvenanceHop,
    Receivable,
    Recognition,
    Role,
    Valuation,
    WarningEntry,
    WarningLevel,
} from '@xinlian/chaincode';

/**
 * The public notice (公示) of an asset's pledges (GET /ip-assets/{id}/pledge-notice, chaincode
 * ip-contract.ts PledgeNotice): open to every signed-in user; the asset without its valuations,
 * and every pledge ever requested on it, oldest first.
 */
export interface PledgeNotice {
    asset: Pick<IpAsset, 'id' | 'kind' | 'registryNumber' | 'displayRegistryNumber' | 'title' | 'ownerIds' | 'expiryDate' | 'enforcedBy' | 'enforcedAt' | 'pendingOwnerIds' | 'voidKind' | 'voidedAt'>;
    pledges: Array<Pick<IpPledge, 'id' | 'status' | 'pledgorId' | 'coOwnerIds' | 'pledgeeId' | 'securedAmount' | 'currency' | 'priority' | 'allowJunior' | 'termStart' | 'termEnd' | 'requestedAt' | 'acceptedAt' | 'closedAt'>>;
}

/** A credit line with its remaining limit, as the gateway lists it. */
export type CreditLine = CreditLineView;
export type ReceivableStatus = Receivable['status'];
export type NoteStatus = Note['status'];
export type RedemptionResult = Redemption;
/** A credit profile as reads return it (`recorded` false for the base profile). */
export type CreditProfile = CreditProfileView;
/** The signed content of a credit passport (chaincode/src/recognition/passport.ts). */
export type PassportAttestation = CreditAttestation;

export interface User {
    username: string;
    role: Role;
    enterpriseId: string;
    mspId: string;
}

/** The demo users a sign-in page may offer (GET /auth/demo). */
export interface DemoAccounts {
    users: { username: string; role: Role; enterpriseId: string }[];
    /** The public demo password; absent when the operator chose another. */
    password?: string;
}

/** A user as the platform administrator creates it. */
export interface NewUser {
    username: string;
    password: string;
    role: Role;
    enterpriseId: string;
}

export interface LoginResult {
    token: string;
    expiresAt: string;
    user: User;
}

export interface Page<T> {
    items: T[];
    nextCursor: string | null;
}

/** A passport as it travels: the attestation and the bureau's EIP-712 signature. */
export interface Passport {
    attestation: PassportAttestation;
    signature: string;
}

export interface AttestationVerdict {
    valid: boolean;
    /** e.g. MALFORMED, BAD_SIGNATURE, SIGNER_NOT_REGISTERED, SIGNER_REVOKED, NOT_ANCHORED, REVOKED, EXPIRED. */
    reasons: string[];
    /** VALID | REVOKED | NOT_ANCHORED | UNKNOWN. */
    status?: string;
    attestationId?: string | null;
    signer?: string | null;
    issuer?: { bureauId: string; address: string; label?: string; status: string } | null;
    subject?: string | null;
    expiresAt?: string | number | null;
    checkedAt?: string;
}

export interface BureauKey {
    address: string;
    bureauId: string;
    label?: string;
    status: 'ACTIVE' | 'REVOKED';
    registeredAt?: string;
    revokedAt?: string;
}

export interface StoredDocument {
    cid: string;
    size: number;
    mediaType: string;
}

/** One event of the live feed. */
export interface LedgerEvent {
    id: string;
    name: string;
    data: unknown;
}
