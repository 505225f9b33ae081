import { Context, Returns, Transaction } from 'fabric-contract-api';
import { Wallet, id as keccakText } from 'ethers';
import { linkedRecords } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { mustRead, writeRecord } from '../ledger/state';
import { XinlianContract } from '../ledger/contract-base';
import type { Harness } from '../testing/harness';
import { Cast, EID, lei, registerCast, uscc } from '../testing/fixtures';
import { TestIdentity, newUser } from '../testing/identities';
import { Agreement, GradeBand, agreementKey } from './agreement';
import type { Attestation } from './attestation';
import { CreditAttestation, passportTypedData } from './passport';
import { recognitionAnchorKey } from './recognition-anchor';

/**
 * Test-only fixtures of the recognition suites: fixed signing keys (so signatures are reproducible:
 * ethers signs deterministically, RFC 6979), a second bureau and a second partner, and helpers that
 * build, sign and anchor passports. These keys are public test keys; never use them for anything real.
 */

/** Fixed secp256k1 test keys (the well-known Hardhat development accounts #0..#2). */
export const KEYS = {
    bureau: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    bureau2: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
    rogue: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
} as const;

export const WALLETS = {
    bureau: new Wallet(KEYS.bureau),
    bureau2: new Wallet(KEYS.bureau2),
    /** Never registered. */
    rogue: new Wallet(KEYS.rogue),
};

/** Enterprises beyond the standard cast. */
export const EXTRA = {
    bureau2: uscc('91110000MA0300013'),
    partner2: lei('5493002TESTPARTNR2'),
} as const;

export interface RecognitionCast extends Cast {
    /** A user of a second, registered credit bureau. */
    bureau2: TestIdentity;
    /** A user of a second, registered foreign partner in PartnerMSP. */
    partner2: TestIdentity;
    /** A foreign-partner certificate naming the partner, issued by the platform's CA: wrong org. */
    partnerInPlatformOrg: TestIdentity;
    /** A credit-bureau certificate naming the partner enterprise: right org and role, wrong kind. */
    bureauActingForPartner: TestIdentity;
}

let extrasPromise: Promise<Omit<RecognitionCast, keyof Cast>> | undefined;

/** The standard cast plus the recognition misfits (certificates created once per process). */
export async function newRecognitionCast(cast: Cast): Promise<RecognitionCast> {
    extrasPromise ??= (async () => ({
        bureau2: await newUser('PlatformMSP', 'bureau2', 'credit-bureau', EXTRA.bureau2),
        partner2: await newUser('PartnerMSP', 'partner2', 'foreign-partner', EXTRA.partner2),
        partnerInPlatformOrg: await newUser('PlatformMSP', 'partner-mole', 'foreign-partner', EID.partner),
        bureauActingForPartner: await newUser('PlatformMSP', 'bureau-mole', 'credit-bureau', EID.tier1),
    }))();
    return { ...cast, ...(await extrasPromise) };
}

/** Registers the standard cast, the second bureau and partner, and one key per bureau. */
export async function registerRecognitionCast(h: Harness, cast: RecognitionCast): Promise<void> {
    await registerCast(h, cast);
    await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EXTRA.bureau2, name: 'Second Credit Bureau Co., Ltd.', kind: 'CREDIT_BUREAU' }]);
    await h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EXTRA.partner2, name: 'Frankfurt Credit Agency GmbH', kind: 'FOREIGN_PARTNER', country: 'DE' }]);
    await h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EID.bureau, address: WALLETS.bureau.address, label: 'primary 2026' }]);
    await h.submit(cast.admin, 'recognition:RegisterBureauKey', [{ bureauId: EXTRA.bureau2, address: WALLETS.bureau2.address }]);
}

/** Unix seconds of an ISO-8601 instant. */
export function unix(iso: string): number {
    return Math.floor(new Date(iso).getTime() / 1000);
}

/** A valid passport about tier-1, issued the day before the harness clock starts, valid for six months. */
export function newPassport(overrides: Partial<CreditAttestation> = {}): CreditAttestation {
    return {
        subject: EID.tier1,
        score: 780,
        grade: 'AA',
        reasonCodes: ['ON_TIME_REDEMPTION', 'LOW_UTILISATION'],
        evidenceHash: keccakText('evidence package 2026-01'),
        issuedAt: unix('2026-01-04T00:00:00Z'),
        expiresAt: unix('2026-07-01T00:00:00Z'),
        nonce: keccakText('nonce 1'),
        ...overrides,
    };
}

/** Signs a passport's EIP-712 typed data. */
export function sign(wallet: Wallet, passport: CreditAttestation): Promise<string> {
    const { domain, types, message } = passportTypedData(passport);
    return wallet.signTypedData(domain, types, message);
}

/** Signs and anchors a passport as the standard bureau user. */
export async function anchor(h: Harness, who: TestIdentity, passport: CreditAttestation = newPassport(), wallet: Wallet = WALLETS.bureau): Promise<Attestation> {
    return h.submit<Attestation>(who, 'recognition:SubmitAttestation', [{ attestation: passport, signature: await sign(wallet, passport) }]);
}

/** A partner scale: A ≥ 800, B ≥ 600, C ≥ 400, D below. */
export const SCALE: GradeBand[] = [
    { minScore: 800, grade: 'A' },
    { minScore: 600, grade: 'B' },
    { minScore: 400, grade: 'C' },
    { minScore: 0, grade: 'D' },
];

/** A ProposeAgreement request with the standard partner, valid through 2026. */
export function agreementRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        partnerId: EID.partner,
        partnerMspId: 'PartnerMSP',
        gradeScale: SCALE,
        validFrom: '2026-01-01',
        validUntil: '2027-01-01',
        ...overrides,
    };
}

/** Proposes and accepts the standard agreement. */
export async function activeAgreement(h: Harness, cast: RecognitionCast, overrides: Record<string, unknown> = {}): Promise<Agreement> {
    const proposed = await h.submit<Agreement>(cast.admin, 'recognition:ProposeAgreement', [agreementRequest(overrides)]);
    return h.submit<Agreement>(cast.partner, 'recognition:AcceptAgreement', [proposed.id]);
}

/** One changed value per signed field, each still well-formed, so only the signature can tell. */
export const TAMPERS: ReadonlyArray<[string, (p: CreditAttestation) => CreditAttestation]> = [
    ['subject', (p) => ({ ...p, subject: EID.tier2 })],
    ['score', (p) => ({ ...p, score: p.score + 1 })],
    ['grade', (p) => ({ ...p, grade: 'AAA' })],
    ['reasonCodes (order)', (p) => ({ ...p, reasonCodes: [...p.reasonCodes].reverse() })],
    ['reasonCodes', (p) => ({ ...p, reasonCodes: p.reasonCodes.slice(1) })],
    ['evidenceHash', (p) => ({ ...p, evidenceHash: keccakText('other evidence') })],
    ['issuedAt', (p) => ({ ...p, issuedAt: p.issuedAt + 1 })],
    ['expiresAt', (p) => ({ ...p, expiresAt: p.expiresAt + 1 })],
    ['nonce', (p) => ({ ...p, nonce: keccakText('nonce 2') })],
];

/** A test-only contract that reads the audit links of an enterprise, to assert linkRecord calls. */
export class AuditProbeContract extends XinlianContract {
    constructor() {
        super('audit-probe');
    }

    @Transaction(false)
    @Returns('string')
    async Linked(ctx: Context, enterpriseId: string): Promise<string> {
        return canonicalStringify(await linkedRecords(ctx, enterpriseId));
    }
}

/** A test-only contract that turns an accepted agreement back into one accepted before recognition anchors existed. */
export class LegacyAgreementProbe extends XinlianContract {
    constructor() {
        super('legacy-probe');
    }

    @Transaction()
    @Returns('string')
    async ForgetAnchor(ctx: Context, agreementId: string): Promise<string> {
        const agreement = await mustRead<Agreement>(ctx, agreementKey(ctx, agreementId), `agreement ${agreementId}`);
        delete agreement.anchoredAt;
        await writeRecord(ctx, agreementKey(ctx, agreementId), agreement);
        await ctx.stub.deleteState(recognitionAnchorKey(ctx, agreementId));
        return canonicalStringify(agreement);
    }
}
