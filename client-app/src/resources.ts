/**
 * The shapes of what the gateway returns, as the chaincode records them (chaincode/src/<aggregate>/).
 * Declared here rather than imported so the browser bundle and its type check never pull in
 * fabric-contract-api. Amounts are decimal strings of minor units; times ISO-8601 UTC.
 */

export type Role = 'platform-admin' | 'core-enterprise' | 'supplier' | 'financier' | 'credit-bureau' | 'appraiser' | 'foreign-partner' | 'regulator';

export interface User {
    username: string;
    role: Role;
    enterpriseId: string;
    mspId: string;
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

export type EnterpriseKind = 'PLATFORM' | 'CORE_ENTERPRISE' | 'SUPPLIER' | 'FINANCIER' | 'APPRAISER' | 'CREDIT_BUREAU' | 'FOREIGN_PARTNER' | 'REGULATOR';

export interface Enterprise {
    id: string;
    idKind: string;
    name: string;
    kind: EnterpriseKind;
    mspId: string;
    country: string;
    status: 'ACTIVE' | 'FROZEN';
    statusReason?: string;
    registeredAt: string;
    updatedAt: string;
}

export interface CreditLine {
    id: string;
    financierId: string;
    coreEnterpriseId: string;
    currency: string;
    limit: string;
    used: string;
    remaining: string;
    status: 'ACTIVE' | 'REVOKED';
    grantedAt: string;
    expiresAt: string;
    revokedAt?: string;
    revocationReason?: string;
}

export type ReceivableStatus = 'REGISTERED' | 'CONFIRMED' | 'DISPUTED' | 'CANCELLED' | 'NOTED' | 'SETTLED';

export interface Receivable {
    id: string;
    sellerId: string;
    buyerId: string;
    invoiceNumber: string;
    amount: string;
    currency: string;
    issueDate: string;
    dueDate: string;
    documentCid: string;
    status: ReceivableStatus;
    noteId?: string;
    registeredAt: string;
    disputeReason?: string;
    updatedAt: string;
}

export type NoteStatus = 'ACTIVE' | 'LOCKED' | 'SPENT' | 'REDEEMED';

export interface Note {
    id: string;
    rootId: string;
    parentId?: string;
    issuerId: string;
    holderId: string;
    amount: string;
    currency: string;
    maturityDate: string;
    tier: number;
    status: NoteStatus;
    origin: 'ISSUE' | 'SPLIT' | 'TRANSFER' | 'CHANGE' | 'DISCOUNT';
    lock?: { kind: 'OFFER' | 'DISCOUNT'; id: string };
    children?: string[];
    spentBy?: 'SPLIT' | 'TRANSFER' | 'DISCOUNT';
    discountedBy?: string;
    createdAt: string;
    faceAmount?: string;
    creditLineId?: string;
    receivableIds?: string[];
    rootStatus?: 'OUTSTANDING' | 'REDEEMED';
    overdue?: boolean;
    onTime?: boolean;
    redeemedAt?: string;
}

export interface NoteOffer {
    id: string;
    noteId: string;
    rootId: string;
    fromId: string;
    toId: string;
    amount: string;
    currency: string;
    expiresAt: string;
    status: 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'CANCELLED' | 'CLOSED';
    receivedNoteId?: string;
    changeNoteId?: string;
    createdAt: string;
}

export interface DiscountRequest {
    id: string;
    noteId: string;
    rootId: string;
    issuerId: string;
    holderId: string;
    amount: string;
    currency: string;
    maturityDate: string;
    tier: number;
    financierIds: string[];
    status: 'OPEN' | 'ACCEPTED' | 'WITHDRAWN' | 'CLOSED';
    acceptedQuoteId?: string;
    financierId?: string;
    fundedNoteId?: string;
    createdAt: string;
}

export interface DiscountQuote {
    id: string;
    requestId: string;
    noteId: string;
    holderId: string;
    financierId: string;
    status: 'SUBMITTED' | 'ACCEPTED' | 'WITHDRAWN';
    termsHash: string;
    createdAt: string;
}

export interface FinancingTerms {
    quoteId: string;
    requestId: string;
    noteId: string;
    financierId: string;
    currency: string;
    maturityDate: string;
    quotedAt: string;
    face: string;
    rateBps: number;
    days: number;
    discount: string;
    fee: string;
    price: string;
}

export interface ProvenanceHop {
    id: string;
    parentId?: string;
    holderId: string;
    amount: string;
    tier: number;
    status: NoteStatus;
    origin: Note['origin'];
}

export interface Provenance {
    noteId: string;
    rootId: string;
    chain: ProvenanceHop[];
    proof: {
        rootId: string;
        issuerId: string;
        currency: string;
        maturityDate: string;
        faceAmount: string;
        outstandingAmount: string;
        redeemedAmount: string;
        balanced: boolean;
    };
}

export interface Exposure {
    coreEnterpriseId: string;
    roots: {
        rootId: string;
        currency: string;
        faceAmount: string;
        maturityDate: string;
        overdue: boolean;
        outstandingAmount: string;
        positions: { holderId: string; tier: number; amount: string; noteIds: string[] }[];
    }[];
    totals: { currency: string; outstandingAmount: string; roots: number }[];
}

export interface RedemptionResult {
    root: Note;
    redeemedNoteIds: string[];
    payees: { holderId: string; amount: string }[];
    onTime: boolean;
}

export interface Valuation {
    amount: string;
    currency: string;
    appraiserId: string;
    valuationDate: string;
    reportCid: string;
}

export interface IpAsset {
    id: string;
    kind: 'PATENT' | 'TRADEMARK' | 'COPYRIGHT' | 'SOFTWARE_COPYRIGHT';
    registryNumber: string;
    title: string;
    ownerIds: string[];
    expiryDate: string;
    valuation?: Valuation;
}

export interface IpPledge {
    id: string;
    assetId: string;
    pledgorId: string;
    coOwnerIds: string[];
    pledgeeId: string;
    securedAmount: string;
    currency: string;
    termStart: string;
    termEnd: string;
    priority: number;
    status: 'REQUESTED' | 'ACTIVE' | 'RELEASED' | 'ENFORCED' | 'REJECTED' | 'CANCELLED';
    consents: { enterpriseId: string }[];
    closeReason?: string;
}

export interface Agreement {
    id: string;
    partnerId: string;
    partnerMspId: string;
    gradeScale: { minScore: number; grade: string }[];
    validFrom: string;
    validUntil: string;
    status: 'PROPOSED' | 'ACTIVE' | 'TERMINATED' | 'WITHDRAWN';
}

/** The signed content of a credit passport (chaincode/src/recognition/passport.ts). */
export interface PassportAttestation {
    subject: string;
    score: number;
    grade: string;
    reasonCodes: string[];
    evidenceHash: string;
    issuedAt: number;
    expiresAt: number;
    nonce: string;
}

/** A passport as it travels: the attestation and the bureau's EIP-712 signature. */
export interface Passport {
    attestation: PassportAttestation;
    signature: string;
}

export interface Attestation extends PassportAttestation {
    id: string;
    signer: string;
    bureauId: string;
    signature: string;
    status: 'VALID' | 'REVOKED';
    submittedAt: string;
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

export interface Recognition {
    id: string;
    agreementId: string;
    attestationId: string;
    subject: string;
    partnerId: string;
    domesticScore: number;
    domesticGrade: string;
    mappedGrade: string;
    recognizedAt: string;
}

export type WarningLevel = 'RED' | 'YELLOW' | 'BLUE' | 'NONE';

export interface CreditProfile {
    enterpriseId: string;
    score: number;
    reasons: { code: string; points: number }[];
    warning: WarningLevel;
    warningRules: string[];
    updatedAt: string;
    recorded?: boolean;
    changes?: { txId: string; time: string; scoreBefore: number; scoreAfter: number; warningAfter: WarningLevel; reasons: string[] }[];
}

export interface WarningEntry {
    enterpriseId: string;
    warning: WarningLevel;
    warningRules: string[];
    score: number;
    updatedAt: string;
}

export interface AuditPack {
    enterpriseId: string;
    totalRecords: number;
    nextBookmark: string;
    records: { type: string; id: string; current: unknown; history: unknown[] }[];
    digest: string;
    generatedAt: string;
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
