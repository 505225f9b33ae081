import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { Input } from '../ledger/input';
import { compositeKey, readRecord, scanIndex } from '../ledger/state';
import { Enterprise } from '../enterprise/enterprise';
import { ASSET_ID_PATTERN, ENTERPRISE_ID_PATTERN, IpAsset, dateField, enforcementOf, requireStandingAsset } from './ip-asset';
import { rightKeys } from './registry-number';
import { inForceUntil } from './right-term';

/**
 * Pledges of IP assets (知识产权质押) and the rules that mirror the national IP office's refusals.
 * A pledge is REQUESTED by an owner, consented to by every co-owner and accepted by the pledgee
 * financier; acceptance makes it ACTIVE only when every rule holds at that moment.
 */

/**
 * REQUESTED → ACTIVE → RELEASED | ENFORCED; REQUESTED → REJECTED (by the pledgee) | DECLINED (by a
 * co-owner) | CANCELLED (by the pledgor).
 */
export const PLEDGE_STATUSES = ['REQUESTED', 'ACTIVE', 'RELEASED', 'ENFORCED', 'REJECTED', 'DECLINED', 'CANCELLED'] as const;

export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

/** World-state object type of pledges; also their docType. */
export const PLEDGE_TYPE = 'ip-pledge';

/** Indexes `ip-pledge~asset ~ assetId ~ pledgeId`, `~pledgee ~ pledgeeId ~ pledgeId`, `~pledgor ~ pledgorId ~ pledgeId`. */
export const PLEDGE_INDEX = {
    asset: 'ip-pledge~asset',
    pledgee: 'ip-pledge~pledgee',
    pledgor: 'ip-pledge~pledgor',
} as const;

/** The format of pledge ids: `pledge-` + 24 lower-case hex characters (deriveId). */
export const PLEDGE_ID_PATTERN = /^pledge-[0-9a-f]{24}$/;

/** Validates a pledge id argument's format. Throws INVALID_ARGUMENT. */
export function requirePledgeId(value: unknown, what = 'pledgeId'): string {
    if (typeof value !== 'string' || !PLEDGE_ID_PATTERN.test(value)) {
        throw fail.invalid(`${what} is not a pledge id (pledge- and 24 hex characters)`);
    }
    return value;
}

/** Highest priority rank a request may declare. */
export const MAX_PRIORITY = 99;

/** One co-owner's recorded consent. */
export interface PledgeConsent {
    enterpriseId: string;
    consentedAt: string;
    txId: string;
}

/** What the LTV check measured when the pledge was accepted. */
export interface LtvBasis {
    /** The valuation the check used (minor units). */
    valuationAmount: string;
    valuationCurrency: string;
    valuationTxId: string;
    maxLtvBps: number;
    /** Secured amounts of the pledges already active, plus this one. */
    securedTotal: string;
}

export interface IpPledge {
    docType: typeof PLEDGE_TYPE;
    id: string;
    assetId: string;
    /** The owner who asked for the pledge. */
    pledgorId: string;
    /** The other owners of the asset at request time; each must consent. Sorted. */
    coOwnerIds: string[];
    pledgeeId: string;
    securedAmount: string;
    currency: string;
    /** YYYY-MM-DD. */
    termStart: string;
    /** YYYY-MM-DD, on or before the right's expiry date. */
    termEnd: string;
    /** 1 = first ranking. Juniors move up when a senior pledge leaves the active set. */
    priority: number;
    /** Whether this pledgee permits junior pledges behind it. */
    allowJunior: boolean;
    status: PledgeStatus;
    /** Co-owner consents in enterprise id order; a co-owner may withdraw its own while REQUESTED. */
    consents: PledgeConsent[];
    requestedAt: string;
    acceptedAt?: string;
    ltvAtAcceptance?: LtvBasis;
    closedAt?: string;
    /** Reason of a rejection, a co-owner's decline or an enforcement. */
    closeReason?: string;
    /** The co-owner that declined the pledge (status DECLINED). */
    declinedBy?: string;
    updatedAt: string;
}

/** The world-state key of a pledge. */
export function pledgeKey(ctx: Context, pledgeId: string): string {
    return compositeKey(ctx, PLEDGE_TYPE, [pledgeId]);
}

/** Reads a pledge, or undefined. */
export async function readPledge(ctx: Context, pledgeId: string): Promise<IpPledge | undefined> {
    return readRecord<IpPledge>(ctx, pledgeKey(ctx, pledgeId));
}

/** Reads a pledge that must exist. Throws NOT_FOUND. */
export async function mustReadPledge(ctx: Context, pledgeId: string): Promise<IpPledge> {
    const pledge = await readPledge(ctx, pledgeId);
    if (!pledge) {
        throw fail.notFound(`pledge ${pledgeId} does not exist`);
    }
    return pledge;
}

/** Every pledge of an asset, in id order. */
export async function pledgesOfAsset(ctx: Context, assetId: string): Promise<IpPledge[]> {
    const rows = await scanIndex(ctx, PLEDGE_INDEX.asset, [assetId]);
    const out: IpPledge[] = [];
    for (const [, pledgeId] of rows) {
        out.push(await mustReadPledge(ctx, pledgeId));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** Platform parameters of the IP module. */
export interface IpParameters {
    docType: 'ip-parameters';
    /** Loan-to-value cap in basis points of the current valuation. */
    maxLtvBps: number;
    updatedAt?: string;
    updatedBy?: string;
}

export const DEFAULT_MAX_LTV_BPS = 5000;
export const HARD_MAX_LTV_BPS = 9000;

/** The world-state key of the IP parameters. */
export function ipParametersKey(ctx: Context): string {
    return compositeKey(ctx, 'ip-parameters', ['current']);
}

/** The parameters in force (defaults when never set). */
export async function readIpParameters(ctx: Context): Promise<IpParameters> {
    return (await readRecord<IpParameters>(ctx, ipParametersKey(ctx))) ?? { docType: 'ip-parameters', maxLtvBps: DEFAULT_MAX_LTV_BPS };
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface PledgeRequest {
    assetId: string;
    pledgeeId: string;
    securedAmount: bigint;
    currency: string;
    termStart: string;
    termEnd: string;
    priority: number;
    allowJunior: boolean;
}

/**
 * How many days before the request's transaction date a pledge's term may start: one, for a
 * request prepared on one UTC day and endorsed on the next. A term starting earlier would put a
 * pledge on the public notice (GetPledgeNotice) as in force before anyone had asked for it.
 */
export const TERM_START_TOLERANCE_DAYS = 1;

/** The earliest term start a request on `today` (YYYY-MM-DD) may give: TERM_START_TOLERANCE_DAYS before it. */
export function earliestTermStart(today: string): string {
    const start = new Date(`${today}T00:00:00.000Z`);
    start.setUTCDate(start.getUTCDate() - TERM_START_TOLERANCE_DAYS);
    return start.toISOString().slice(0, 10);
}

/**
 * Validates RequestPledge's request; `today` is the transaction's UTC date. The term starts no
 * earlier than earliestTermStart(today) and ends on or after its start and not before today.
 * Throws INVALID_ARGUMENT.
 */
export function parsePledgeRequest(input: Input, today: string): PledgeRequest {
    const assetId = input.string('assetId', { max: 64, pattern: ASSET_ID_PATTERN });
    const pledgeeId = input.string('pledgeeId', { max: 20, pattern: ENTERPRISE_ID_PATTERN });
    const securedAmount = input.amount('securedAmount');
    const currency = input.currency('currency');
    const termStart = dateField(input, 'termStart');
    const termEnd = dateField(input, 'termEnd');
    const earliestStart = earliestTermStart(today);
    if (termStart < earliestStart) {
        throw fail.invalid(
            `request.termStart ${termStart} lies before ${earliestStart}: a pledge's term may start at most ${TERM_START_TOLERANCE_DAYS} day before the transaction date ${today}, not back-dated`,
        );
    }
    if (termEnd < termStart) {
        throw fail.invalid(`request.termEnd ${termEnd} lies before request.termStart ${termStart}`);
    }
    if (termEnd < today) {
        throw fail.invalid(`request.termEnd ${termEnd} has already passed`);
    }
    const priority = input.optionalInteger('priority', { min: 1, max: MAX_PRIORITY }) ?? 1;
    const allowJunior = input.has('allowJunior') ? input.boolean('allowJunior') : (input.optionalString('allowJunior'), false);
    input.done();
    return { assetId, pledgeeId, securedAmount, currency, termStart, termEnd, priority, allowJunior };
}

// ---------------------------------------------------------------------------------------------
// Rules

/** Everything the rules look at, read by the contract before it decides. */
export interface PledgeRuleInput {
    asset: IpAsset;
    /** The owners and the pledgee, as on the ledger now. */
    parties: readonly Enterprise[];
    /** The enterprise the latest valuation names as its appraiser, as on the ledger now (undefined if none or unregistered). */
    valuer: Enterprise | undefined;
    /** The pledge under test (requested or about to be accepted). */
    pledge: Pick<IpPledge, 'id' | 'pledgorId' | 'coOwnerIds' | 'pledgeeId' | 'securedAmount' | 'currency' | 'termEnd' | 'priority' | 'consents'>;
    /** Every other pledge of the asset. */
    others: readonly IpPledge[];
    /**
     * The other standing records of the same right (otherStandingRecords in ip-asset.ts): only an
     * older ledger can hold any. While one does, no record of the right can be pledged.
     */
    otherRecords: readonly IpAsset[];
    /** The transaction's date (YYYY-MM-DD, UTC): the statutory term of the right is judged on it. */
    today: string;
    maxLtvBps: number;
    /** Whether co-owner consents are required now (acceptance) or may still follow (request). */
    requireConsents: boolean;
}

/** The active pledges of an asset, senior first. */
export function activePledges(pledges: readonly IpPledge[]): IpPledge[] {
    return pledges.filter((p) => p.status === 'ACTIVE').sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
}

/** A standing record of a right for a refusal: its id, key, owners and registration. */
function describeRecord(record: IpAsset): string {
    return `${record.id} (${record.kind} ${record.registryNumber}, owned by ${record.ownerIds.join(', ')}, registered by ${record.registeredBy} on ${record.registeredAt.slice(0, 10)})`;
}

/**
 * Applies the pledge rules in a fixed order and returns the LTV basis when they all hold.
 * Throws INVALID_STATE (an asset realised by enforcement, or a right an older ledger recorded
 * more than once and whose other records stand), ENTERPRISE_FROZEN,
 * TERM_EXCEEDS_RIGHT, ALREADY_PLEDGED, PRIORITY_VIOLATION, CONSENT_MISSING, INVALID_STATE (no
 * valuation, a valuation not recorded by the enterprise it names or not by an appraiser, or
 * currencies that cannot be compared), LTV_EXCEEDED.
 */
export function checkPledgeRules(rule: PledgeRuleInput): LtvBasis {
    const { asset, pledge } = rule;
    // A voided record, or one some named co-owner has not confirmed, is no collateral.
    requireStandingAsset(asset, 'pledged');
    const enforcement = enforcementOf(asset);
    if (enforcement) {
        throw fail.state(`${enforcement}; an enforced asset cannot be pledged again`);
    }
    if (rule.otherRecords.length > 0) {
        // Each record would be measured against its own valuation and rank its own pledges: one
        // right pledged first-rank, up to the cap, once per record. So none is pledged until one stands.
        throw fail.state(
            `the right recorded as ${describeRecord(asset)} is also recorded as ${rule.otherRecords.map(describeRecord).join(' and as ')}: ` +
                `an older ledger registered it more than once (its key today is ${rightKeys(asset.kind, asset.registryNumber)[0]}), and no record of it can be pledged while more than one stands; ` +
                `the regulator must void the wrong record(s) (VoidIpAsset, once their requested and active pledges are rejected, cancelled or released)`,
        );
    }
    for (const party of [...rule.parties].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        if (party.status === 'FROZEN') {
            throw new ChaincodeError('ENTERPRISE_FROZEN', `enterprise ${party.id}, a party to the pledge, is frozen`);
        }
    }
    // The declared expiry, cut back to the statutory term for a record from before that bound (9999-12-31, say).
    const inForce = inForceUntil(asset.kind, asset.registryNumber, asset.expiryDate, rule.today);
    if (pledge.termEnd > inForce.date) {
        throw new ChaincodeError(
            'TERM_EXCEEDS_RIGHT',
            inForce.limit
                ? `the pledge term ends ${pledge.termEnd}, after ${inForce.date}, the latest the right can be in force (its record declares ${asset.expiryDate}): ${inForce.limit.rule}`
                : `the pledge term ends ${pledge.termEnd}, after the right expires on ${asset.expiryDate}`,
        );
    }
    const active = activePledges(rule.others.filter((p) => p.id !== pledge.id));
    if (active.length > 0) {
        const blocking = active.find((p) => !p.allowJunior);
        if (blocking) {
            throw new ChaincodeError('ALREADY_PLEDGED', `asset ${asset.id} is already pledged under ${blocking.id}, which allows no junior pledge`);
        }
    }
    const nextPriority = active.length + 1;
    if (pledge.priority !== nextPriority) {
        throw new ChaincodeError(
            'PRIORITY_VIOLATION',
            `asset ${asset.id} has ${active.length} active pledge(s); the next pledge must rank ${nextPriority}, not ${pledge.priority}`,
        );
    }
    if (rule.requireConsents) {
        const consented = new Set(pledge.consents.map((c) => c.enterpriseId));
        const missing = [...asset.ownerIds].filter((id) => id !== pledge.pledgorId && !consented.has(id)).sort();
        if (missing.length > 0) {
            throw new ChaincodeError('CONSENT_MISSING', `co-owner(s) ${missing.join(', ')} have not consented`);
        }
    }
    const valuation = asset.valuation;
    if (!valuation) {
        throw fail.state(`asset ${asset.id} has no valuation; an appraiser must value it first`);
    }
    if (valuation.recordedBy !== valuation.appraiserId) {
        // Only an asset registered before owners lost the right to bring a valuation can get here.
        throw fail.state(
            `the current valuation of asset ${asset.id} was recorded by ${valuation.recordedBy}, not by the appraiser ${valuation.appraiserId} it names; an appraiser must value it first`,
        );
    }
    if (!rule.valuer || rule.valuer.id !== valuation.appraiserId || rule.valuer.kind !== 'APPRAISER') {
        // Only a valuation a financier recorded before valuations became the appraiser's alone can get here.
        throw fail.state(
            `the current valuation of asset ${asset.id} was recorded by ${valuation.appraiserId}, which is ${rule.valuer ? `a ${rule.valuer.kind}` : 'not a registered enterprise'}, not an appraiser; an appraiser must value it first`,
        );
    }
    if (valuation.currency !== pledge.currency) {
        throw fail.state(`the pledge is secured in ${pledge.currency} but the asset is valued in ${valuation.currency}`);
    }
    const foreign = active.find((p) => p.currency !== valuation.currency);
    if (foreign) {
        throw fail.state(`active pledge ${foreign.id} is in ${foreign.currency}; the combined exposure cannot be measured against a ${valuation.currency} valuation`);
    }
    const securedTotal = active.reduce((sum, p) => sum + BigInt(p.securedAmount), BigInt(pledge.securedAmount));
    const cap = BigInt(valuation.amount) * BigInt(rule.maxLtvBps);
    if (securedTotal * 10000n > cap) {
        throw new ChaincodeError(
            'LTV_EXCEEDED',
            `secured total ${securedTotal} exceeds ${rule.maxLtvBps} bps of the valuation ${valuation.amount} ${valuation.currency}`,
        );
    }
    return {
        valuationAmount: valuation.amount,
        valuationCurrency: valuation.currency,
        valuationTxId: valuation.txId,
        maxLtvBps: rule.maxLtvBps,
        securedTotal: securedTotal.toString(),
    };
}

/**
 * The active pledges that move up one rank when `leaving` (an active pledge) is released or
 * enforced, with their new priority. Keeps active priorities consecutive from 1.
 */
export function promotions(leaving: IpPledge, others: readonly IpPledge[]): IpPledge[] {
    return activePledges(others.filter((p) => p.id !== leaving.id && p.priority > leaving.priority)).map((p) => ({ ...p, priority: p.priority - 1 }));
}
