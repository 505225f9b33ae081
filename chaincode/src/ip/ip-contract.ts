import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { recordCreditEvents } from '../profile/credit-profile';
import { ChaincodeError, fail } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { Caller, getCaller, requireRole } from '../ledger/caller';
import { XinlianContract } from '../ledger/contract-base';
import { parseReason, parseRequest, requireId } from '../ledger/input';
import { putIndex, readHistory, scanIndex, writeRecord } from '../ledger/state';
import { deriveId, emitEvent, txId, txTime } from '../ledger/tx';
import { Actor, Enterprise, mustReadEnterprise, readEnterprise, requireActiveEnterprise, requireActor } from '../enterprise/enterprise';
import {
    CID_PATTERN,
    IP_ASSET_OWNER_INDEX,
    IP_ASSET_TYPE,
    IpAsset,
    OwnerConfirmation,
    VoidKind,
    assetsCitingReport,
    carriedEnforcement,
    indexValuationReport,
    ipAssetKey,
    isVoided,
    mustReadIpAsset,
    newValuation,
    otherStandingRecords,
    parseIpAssetRequest,
    parseValuationFigures,
    registrationSlot,
    requireAssetId,
    requireStandingAsset,
    unconfirmedOwners,
} from './ip-asset';
import {
    HARD_MAX_LTV_BPS,
    IpParameters,
    IpPledge,
    PLEDGE_INDEX,
    PLEDGE_TYPE,
    PledgeStatus,
    checkPledgeRules,
    ipParametersKey,
    mustReadPledge,
    parsePledgeRequest,
    pledgeKey,
    pledgesOfAsset,
    promotions,
    readIpParameters,
    requirePledgeId,
} from './pledge';
import { inForceUntil } from './right-term';

/** Roles that may read any asset's details (valuations included) and any enterprise's list. */
const SUPERVISORS = new Set(['regulator', 'platform-admin']);
const ASSET_READERS = new Set(['regulator', 'platform-admin', 'financier', 'appraiser']);

/** One committed write of a pledge, as the public notice shows it. */
export interface PledgeTransition {
    txId: string;
    timestamp: string;
    status: PledgeStatus;
    priority: number;
    consents: number;
}

/** One pledge in an asset's public notice. */
export interface PledgeNoticeEntry {
    id: string;
    status: PledgeStatus;
    pledgorId: string;
    coOwnerIds: string[];
    pledgeeId: string;
    securedAmount: string;
    currency: string;
    priority: number;
    allowJunior: boolean;
    termStart: string;
    termEnd: string;
    requestedAt: string;
    acceptedAt?: string;
    closedAt?: string;
    transitions: PledgeTransition[];
}

/** The public notice (公示) of an asset's pledges. */
export interface PledgeNotice {
    /**
     * The asset without its valuations; the enforcement fields appear once a pledge of it was
     * enforced, `pendingOwnerIds` while a named co-owner has not confirmed, the void fields once voided.
     */
    asset: Pick<
        IpAsset,
        | 'id'
        | 'kind'
        | 'registryNumber'
        | 'displayRegistryNumber'
        | 'title'
        | 'ownerIds'
        | 'expiryDate'
        | 'enforcedBy'
        | 'enforcedAt'
        | 'enforcedPledgeId'
        | 'enforcedTxId'
        | 'enforcedAssetId'
        | 'pendingOwnerIds'
        | 'voidedBy'
        | 'voidKind'
        | 'voidedAt'
        | 'voidReason'
        | 'voidTxId'
        | 'previousAssetId'
    >;
    pledges: PledgeNoticeEntry[];
}

/** The asset fields of a pledge notice (valuations are not public). */
function noticeAsset(asset: IpAsset): PledgeNotice['asset'] {
    const shown: PledgeNotice['asset'] = { id: asset.id, kind: asset.kind, registryNumber: asset.registryNumber, title: asset.title, ownerIds: asset.ownerIds, expiryDate: asset.expiryDate };
    for (const field of ['displayRegistryNumber', 'enforcedBy', 'enforcedAt', 'enforcedPledgeId', 'enforcedTxId', 'enforcedAssetId', 'voidedBy', 'voidKind', 'voidedAt', 'voidReason', 'voidTxId', 'previousAssetId'] as const) {
        if (asset[field] !== undefined) {
            (shown as Record<string, unknown>)[field] = asset[field];
        }
    }
    if (unconfirmedOwners(asset).length > 0) {
        shown.pendingOwnerIds = unconfirmedOwners(asset);
    }
    return shown;
}

/** The audit reference of the IP parameters record (its key is compositeKey('ip-parameters', ['current'])). */
const IP_PARAMETERS_REF = { type: 'ip-parameters', id: 'current' } as const;

function today(ctx: Context): string {
    return txTime(ctx).slice(0, 10);
}


function requireStatus(pledge: IpPledge, status: PledgeStatus): void {
    if (pledge.status !== status) {
        throw fail.state(`pledge ${pledge.id} is ${pledge.status}, not ${status}`);
    }
}

function requirePledgee(actor: Actor, pledge: IpPledge): void {
    if (actor.eid !== pledge.pledgeeId) {
        throw fail.forbidden(`only the pledgee ${pledge.pledgeeId} may do this`);
    }
}

/** Refuses anyone but a co-owner whose consent the pledge needs (the pledgor is not one). Throws FORBIDDEN. */
function requireCoOwner(actor: Actor, pledge: IpPledge): void {
    if (!pledge.coOwnerIds.includes(actor.eid)) {
        throw fail.forbidden(`enterprise ${actor.eid} is not a co-owner whose consent pledge ${pledge.id} needs`);
    }
}

/**
 * Writes a requested pledge with a co-owner's consents changed and emits the event that names the
 * asset's owners, the co-owner, the pledgor and the pledgee (so each of them sees it).
 */
async function writeConsents(
    ctx: Context,
    event: 'ConsentPledge' | 'WithdrawPledgeConsent',
    actor: Actor,
    pledge: IpPledge,
    consents: IpPledge['consents'],
): Promise<string> {
    const updated: IpPledge = { ...pledge, consents, updatedAt: txTime(ctx) };
    await writeRecord(ctx, pledgeKey(ctx, pledge.id), updated);
    const asset = await mustReadIpAsset(ctx, pledge.assetId);
    emitEvent(ctx, event, {
        pledgeId: pledge.id,
        assetId: asset.id,
        ownerIds: asset.ownerIds,
        enterpriseId: actor.eid,
        pledgorId: pledge.pledgorId,
        pledgeeId: pledge.pledgeeId,
    });
    return canonicalStringify(updated);
}

function isPartyTo(caller: Caller, pledge: IpPledge): boolean {
    return caller.eid === pledge.pledgorId || caller.eid === pledge.pledgeeId || pledge.coOwnerIds.includes(caller.eid);
}

/** IP assets and their pledges (知识产权质押). */
@Info({ title: 'IpContract', description: 'IP assets, valuations and pledges with the IP office refusal rules and a public notice' })
export class IpContract extends XinlianContract {
    constructor() {
        super('ip');
    }

    // -----------------------------------------------------------------------------------------
    // Parameters

    /**
     * Sets the loan-to-value cap (platform admin), 1..9000 bps. Setting the cap in force is idempotent:
     * it writes, links and emits nothing and returns the parameters in force, with who set them and
     * when (as SetNoteParameters). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT.
     */
    @Transaction()
    @Returns('string')
    async SetIpParameters(ctx: Context, request: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const input = parseRequest(request);
        const maxLtvBps = input.integer('maxLtvBps', { min: 1, max: HARD_MAX_LTV_BPS });
        input.done();
        const current = await readIpParameters(ctx);
        if (current.maxLtvBps === maxLtvBps) {
            return canonicalStringify(current);
        }
        const parameters: IpParameters = { docType: 'ip-parameters', maxLtvBps, updatedAt: txTime(ctx), updatedBy: caller.eid };
        await writeRecord(ctx, ipParametersKey(ctx), parameters);
        // The platform operator's audit pack carries the record and so its key history: every change with its tx id.
        await linkRecord(ctx, [caller.eid], IP_PARAMETERS_REF);
        emitEvent(ctx, 'SetIpParameters', { maxLtvBps, updatedBy: caller.eid });
        return canonicalStringify(parameters);
    }

    /** Reads the parameters in force (any authenticated identity). */
    @Transaction(false)
    @Returns('string')
    async ReadIpParameters(ctx: Context): Promise<string> {
        getCaller(ctx);
        return canonicalStringify(await readIpParameters(ctx));
    }

    // -----------------------------------------------------------------------------------------
    // Assets

    /**
     * Registers an IP asset, unvalued; the caller's enterprise must be one of its owners. An
     * appraiser values it afterwards with ReviseValuation (an owner cannot supply its own figure).
     * The registry number must be valid (a patent's check character verified) and the expiry date
     * within the right's statutory term. A right whose voided record was realised by an
     * enforcement is registered with that enforcement mark.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, ALREADY_EXISTS, NOT_FOUND, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async RegisterIpAsset(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const req = parseIpAssetRequest(parseRequest(request), today(ctx));
        if (!req.ownerIds.includes(actor.eid)) {
            throw fail.forbidden(`the caller's enterprise ${actor.eid} must be among the owners`);
        }
        // One standing record per right: voided records (declined by a named co-owner, or voided
        // by the regulator) no longer hold the registry key, and the next registration takes a new id.
        const slot = await registrationSlot(ctx, req.kind, req.registryNumber);
        if (slot.standing) {
            throw fail.exists(`${req.kind} ${req.registryNumber} is already registered as ${slot.standing.id}`);
        }
        const id = slot.nextId;
        const key = ipAssetKey(ctx, id);
        let previous = slot.lastVoided;
        let realised = slot.realised;
        for (const legacyKey of req.legacyRegistryNumbers) {
            // Older ledgers may hold the right under another key (a wrong patent check character, an
            // unpadded software copyright serial, a copyright key with separators): refuse it there too.
            const legacy = await registrationSlot(ctx, req.kind, legacyKey);
            if (legacy.standing) {
                throw fail.exists(`${req.kind} ${req.registryNumber} is already registered as ${legacy.standing.id} (under ${legacyKey})`);
            }
            previous ??= legacy.lastVoided;
            realised ??= legacy.realised;
        }
        for (const ownerId of req.ownerIds) {
            await requireActiveEnterprise(ctx, ownerId, ['SUPPLIER', 'CORE_ENTERPRISE']);
        }
        const now = txTime(ctx);
        const asset: IpAsset = {
            docType: IP_ASSET_TYPE,
            id,
            kind: req.kind,
            registryNumber: req.registryNumber,
            displayRegistryNumber: req.displayRegistryNumber,
            title: req.title,
            ownerIds: req.ownerIds,
            expiryDate: req.expiryDate,
            valuationHistory: [],
            registeredBy: actor.eid,
            registeredAt: now,
            updatedAt: now,
        };
        // The owners the registrant names besides itself must confirm before the asset counts.
        const named = req.ownerIds.filter((ownerId) => ownerId !== actor.eid);
        if (named.length > 0) {
            asset.pendingOwnerIds = named;
            asset.ownerConfirmations = [];
        }
        if (previous) {
            asset.previousAssetId = previous.id;
        }
        if (realised) {
            // Voiding a realised record does not lift the enforcement: the mark passes to the right's new record.
            Object.assign(asset, carriedEnforcement(realised));
        }
        await writeRecord(ctx, key, asset);
        for (const ownerId of asset.ownerIds) {
            await putIndex(ctx, IP_ASSET_OWNER_INDEX, [ownerId, id]);
        }
        await linkRecord(ctx, asset.ownerIds, { type: IP_ASSET_TYPE, id });
        emitEvent(ctx, 'RegisterIpAsset', {
            assetId: id,
            kind: asset.kind,
            registryNumber: asset.registryNumber,
            displayRegistryNumber: asset.displayRegistryNumber,
            ownerIds: asset.ownerIds,
            registeredBy: actor.eid,
            pendingOwnerIds: unconfirmedOwners(asset),
        });
        return canonicalStringify(asset);
    }

    /**
     * A co-owner the registrant named confirms that it owns the right with the registrant. Once
     * every named co-owner has confirmed, the asset can be valued and pledged.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async ConfirmIpOwnership(ctx: Context, assetId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const asset = await this.awaitingAnswerOf(ctx, actor, requireAssetId(assetId));
        const now = txTime(ctx);
        const confirmation: OwnerConfirmation = { enterpriseId: actor.eid, confirmedAt: now, txId: txId(ctx) };
        const updated: IpAsset = {
            ...asset,
            pendingOwnerIds: unconfirmedOwners(asset).filter((id) => id !== actor.eid),
            ownerConfirmations: [...(asset.ownerConfirmations ?? []), confirmation].sort((a, b) => (a.enterpriseId < b.enterpriseId ? -1 : 1)),
            updatedAt: now,
        };
        await writeRecord(ctx, ipAssetKey(ctx, asset.id), updated);
        emitEvent(ctx, 'ConfirmIpOwnership', {
            assetId: asset.id,
            ownerIds: asset.ownerIds,
            enterpriseId: actor.eid,
            registeredBy: asset.registeredBy,
            pendingOwnerIds: updated.pendingOwnerIds,
        });
        return canonicalStringify(updated);
    }

    /**
     * A co-owner the registrant named declines: the registration is void, and the right may be
     * registered again (by its real owners). The voided record stays readable.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async DeclineIpOwnership(ctx: Context, assetId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        requireAssetId(assetId);
        const why = parseReason(reason);
        const asset = await this.awaitingAnswerOf(ctx, actor, assetId);
        return this.voidAsset(ctx, asset, actor.eid, 'DECLINED', why, 'DeclineIpOwnership');
    }

    /**
     * The regulator voids a contested record: refused while a pledge of it is REQUESTED or ACTIVE.
     * The voided record stays readable (who, when, why) and the right may be registered again.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async VoidIpAsset(ctx: Context, assetId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'regulator');
        requireAssetId(assetId);
        const why = parseReason(reason);
        const asset = await mustReadIpAsset(ctx, assetId);
        if (isVoided(asset)) {
            throw fail.state(`asset ${asset.id} was already ${asset.voidKind === 'DECLINED' ? 'declined' : 'voided'} by ${asset.voidedBy ?? '?'} on ${asset.voidedAt ?? '?'}`);
        }
        const open = (await pledgesOfAsset(ctx, asset.id)).filter((p) => p.status === 'REQUESTED' || p.status === 'ACTIVE').sort((a, b) => (a.id < b.id ? -1 : 1));
        if (open.length > 0) {
            throw fail.state(
                `asset ${asset.id} has open pledge(s) ${open.map((p) => `${p.id} (${p.status})`).join(', ')}; their pledgees must release or reject them before the record can be voided`,
            );
        }
        return this.voidAsset(ctx, asset, actor.eid, 'VOIDED', why, 'VoidIpAsset');
    }

    /**
     * Records a new valuation (an appraiser, role `appraiser`, alone: a financier's figure would
     * govern every other pledgee's loan-to-value); the caller's own enterprise stands behind the
     * figure and the latest valuation counts. The only way a valuation reaches the ledger. Refused
     * (INVALID_STATE) for a right past its expiry date (the declared one, or the statutory term's
     * end when that is earlier: a record from before the bound), and in a currency other than that of a
     * pledge of the asset that is requested or active.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async ReviseValuation(ctx: Context, assetId: string, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'appraiser');
        requireAssetId(assetId);
        const input = parseRequest(request);
        const figures = parseValuationFigures(input, today(ctx));
        input.done();
        const asset = await mustReadIpAsset(ctx, assetId);
        requireStandingAsset(asset, 'valued');
        // The declared expiry, cut back to the statutory term for a record from before that bound.
        const inForce = inForceUntil(asset.kind, asset.registryNumber, asset.expiryDate, today(ctx));
        if (inForce.date < today(ctx)) {
            throw fail.state(
                `asset ${asset.id} expired on ${inForce.date}${inForce.limit ? ` (its record declares ${asset.expiryDate}, but ${inForce.limit.rule})` : ''}: a right no longer in force is worth nothing as collateral and cannot be valued`,
            );
        }
        const open = (await pledgesOfAsset(ctx, asset.id)).filter((p) => p.status === 'REQUESTED' || p.status === 'ACTIVE').sort((a, b) => (a.id < b.id ? -1 : 1));
        // The loan-to-value of requested and active pledges is measured in their currency (no FX on the ledger).
        const unmeasurable = open.filter((p) => p.currency !== figures.currency);
        if (unmeasurable.length > 0) {
            throw fail.state(
                `asset ${asset.id} has pledge(s) ${unmeasurable.map((p) => `${p.id} (${p.status}, ${p.currency})`).join(', ')}; a valuation in ${figures.currency} could not measure them: ` +
                    `value it in ${unmeasurable[0].currency} while they are requested or active`,
            );
        }
        // The pledgees of requested and active pledges: the valuation governs their loan-to-value.
        const pledgeeIds = [...new Set(open.map((p) => p.pledgeeId))].sort();
        if (asset.valuation && figures.valuationDate < asset.valuation.valuationDate) {
            throw fail.invalid(`valuationDate ${figures.valuationDate} precedes the current valuation's ${asset.valuation.valuationDate}`);
        }
        const valuation = newValuation(figures, actor.eid, actor.eid, txTime(ctx), txId(ctx));
        await indexValuationReport(ctx, valuation.reportCid, asset.id);
        const updated: IpAsset = { ...asset, valuation, valuationHistory: [...asset.valuationHistory, valuation], updatedAt: txTime(ctx) };
        await writeRecord(ctx, ipAssetKey(ctx, asset.id), updated);
        await linkRecord(ctx, [actor.eid], { type: IP_ASSET_TYPE, id: asset.id });
        emitEvent(ctx, 'ReviseValuation', { assetId: asset.id, ownerIds: asset.ownerIds, pledgeeIds, amount: valuation.amount, currency: valuation.currency, appraiserId: actor.eid });
        return canonicalStringify(updated);
    }

    /** Reads an asset with its valuations (owners, financiers, appraisers, regulator, admin). Throws FORBIDDEN, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadIpAsset(ctx: Context, assetId: string): Promise<string> {
        const caller = getCaller(ctx);
        const asset = await mustReadIpAsset(ctx, requireAssetId(assetId));
        if (!ASSET_READERS.has(caller.role) && !asset.ownerIds.includes(caller.eid)) {
            throw fail.forbidden(`enterprise ${caller.eid} may not read ${asset.id}`);
        }
        return canonicalStringify(asset);
    }

    /**
     * Reads the first asset (in id order) whose valuations cite a report and that the caller may
     * read as ReadIpAsset allows; the gateway asks it as the caller to decide who may download the
     * report. Throws UNAUTHENTICATED, INVALID_ARGUMENT, NOT_FOUND (none, or none the caller may read).
     */
    @Transaction(false)
    @Returns('string')
    async ReadIpAssetByReport(ctx: Context, reportCid: string): Promise<string> {
        const caller = getCaller(ctx);
        if (typeof reportCid !== 'string' || !CID_PATTERN.test(reportCid)) {
            throw fail.invalid('reportCid must be a CID');
        }
        const asset = (await assetsCitingReport(ctx, reportCid)).find((candidate) => ASSET_READERS.has(caller.role) || candidate.ownerIds.includes(caller.eid));
        if (!asset) {
            throw fail.notFound(`no IP asset you may read cites report ${reportCid}`);
        }
        return canonicalStringify(asset);
    }

    /** Lists an enterprise's assets in id order (the enterprise itself, financiers, appraisers, regulator, admin). Throws FORBIDDEN. */
    @Transaction(false)
    @Returns('string')
    async ListIpAssetsOfOwner(ctx: Context, enterpriseId: string): Promise<string> {
        const caller = getCaller(ctx);
        requireId(enterpriseId, 'enterpriseId');
        if (!ASSET_READERS.has(caller.role) && caller.eid !== enterpriseId) {
            throw fail.forbidden(`enterprise ${caller.eid} may not list the assets of ${enterpriseId}`);
        }
        const assets: IpAsset[] = [];
        for (const [, assetId] of await scanIndex(ctx, IP_ASSET_OWNER_INDEX, [enterpriseId])) {
            assets.push(await mustReadIpAsset(ctx, assetId));
        }
        return canonicalStringify(assets);
    }

    // -----------------------------------------------------------------------------------------
    // Pledges

    /**
     * Requests a pledge of an asset the caller's enterprise owns. Every rule but co-owner consent
     * is checked now and again at acceptance; among them, no record of a right an older ledger
     * recorded more than once is pledged while another record of it stands (INVALID_STATE), and
     * the term ends by the right's expiry, cut back to its statutory term (TERM_EXCEEDS_RIGHT).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, ENTERPRISE_FROZEN,
     * TERM_EXCEEDS_RIGHT, ALREADY_PLEDGED, PRIORITY_VIOLATION, INVALID_STATE, LTV_EXCEEDED.
     */
    @Transaction()
    @Returns('string')
    async RequestPledge(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const req = parsePledgeRequest(parseRequest(request), today(ctx));
        const asset = await mustReadIpAsset(ctx, req.assetId);
        if (!asset.ownerIds.includes(actor.eid)) {
            throw fail.forbidden(`enterprise ${actor.eid} does not own ${asset.id}`);
        }
        const pledgee = await mustReadEnterprise(ctx, req.pledgeeId);
        if (pledgee.kind !== 'FINANCIER') {
            throw fail.invalid(`pledgee ${pledgee.id} is a ${pledgee.kind}, not a FINANCIER`);
        }
        const now = txTime(ctx);
        const pledge: IpPledge = {
            docType: PLEDGE_TYPE,
            id: deriveId(ctx, 'pledge'),
            assetId: asset.id,
            pledgorId: actor.eid,
            coOwnerIds: asset.ownerIds.filter((id) => id !== actor.eid),
            pledgeeId: pledgee.id,
            securedAmount: req.securedAmount.toString(),
            currency: req.currency,
            termStart: req.termStart,
            termEnd: req.termEnd,
            priority: req.priority,
            allowJunior: req.allowJunior,
            status: 'REQUESTED',
            consents: [],
            requestedAt: now,
            updatedAt: now,
        };
        checkPledgeRules({
            asset,
            parties: [...(await this.owners(ctx, asset)), pledgee],
            valuer: await this.valuer(ctx, asset),
            pledge,
            others: await pledgesOfAsset(ctx, asset.id),
            otherRecords: await otherStandingRecords(ctx, asset),
            today: today(ctx),
            maxLtvBps: (await readIpParameters(ctx)).maxLtvBps,
            requireConsents: false,
        });
        await writeRecord(ctx, pledgeKey(ctx, pledge.id), pledge);
        await putIndex(ctx, PLEDGE_INDEX.asset, [asset.id, pledge.id]);
        await putIndex(ctx, PLEDGE_INDEX.pledgee, [pledge.pledgeeId, pledge.id]);
        await putIndex(ctx, PLEDGE_INDEX.pledgor, [pledge.pledgorId, pledge.id]);
        await linkRecord(ctx, [...asset.ownerIds, pledge.pledgeeId], { type: PLEDGE_TYPE, id: pledge.id });
        await linkRecord(ctx, [pledge.pledgeeId], { type: IP_ASSET_TYPE, id: asset.id });
        emitEvent(ctx, 'RequestPledge', {
            pledgeId: pledge.id,
            assetId: asset.id,
            ownerIds: asset.ownerIds,
            pledgorId: pledge.pledgorId,
            pledgeeId: pledge.pledgeeId,
            coOwnerIds: pledge.coOwnerIds,
        });
        return canonicalStringify(pledge);
    }

    /** Records a co-owner's consent to a requested pledge. Throws UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN. */
    @Transaction()
    @Returns('string')
    async ConsentPledge(ctx: Context, pledgeId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requireCoOwner(actor, pledge);
        requireStatus(pledge, 'REQUESTED');
        if (pledge.consents.some((c) => c.enterpriseId === actor.eid)) {
            throw fail.state(`enterprise ${actor.eid} has already consented to pledge ${pledge.id}`);
        }
        const consents = [...pledge.consents, { enterpriseId: actor.eid, consentedAt: txTime(ctx), txId: txId(ctx) }].sort((a, b) =>
            a.enterpriseId < b.enterpriseId ? -1 : 1,
        );
        return writeConsents(ctx, 'ConsentPledge', actor, pledge, consents);
    }

    /**
     * A co-owner withdraws its consent to a pledge still REQUESTED; acceptance then fails with
     * CONSENT_MISSING until it consents again. Once accepted, a consent stands.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, CONSENT_MISSING (no consent to withdraw), ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async WithdrawPledgeConsent(ctx: Context, pledgeId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requireCoOwner(actor, pledge);
        requireStatus(pledge, 'REQUESTED');
        if (!pledge.consents.some((c) => c.enterpriseId === actor.eid)) {
            throw new ChaincodeError('CONSENT_MISSING', `enterprise ${actor.eid} has not consented to pledge ${pledge.id}; there is no consent to withdraw`);
        }
        return writeConsents(ctx, 'WithdrawPledgeConsent', actor, pledge, pledge.consents.filter((c) => c.enterpriseId !== actor.eid));
    }

    /**
     * A co-owner refuses a requested pledge with a reason: REQUESTED → DECLINED, recording who
     * declined. A co-owner that consented may still decline while the pledge is REQUESTED.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async DeclinePledge(ctx: Context, pledgeId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const why = parseReason(reason);
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requireCoOwner(actor, pledge);
        requireStatus(pledge, 'REQUESTED');
        return this.close(ctx, pledge, 'DECLINED', why, 'DeclinePledge', actor.eid);
    }

    /**
     * Accepts a requested pledge (the pledgee): REQUESTED → ACTIVE when every rule holds now.
     * Throws UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_STATE, EXPIRED, ENTERPRISE_FROZEN,
     * TERM_EXCEEDS_RIGHT, ALREADY_PLEDGED, PRIORITY_VIOLATION, CONSENT_MISSING, LTV_EXCEEDED.
     */
    @Transaction()
    @Returns('string')
    async AcceptPledge(ctx: Context, pledgeId: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requirePledgee(actor, pledge);
        requireStatus(pledge, 'REQUESTED');
        if (pledge.termEnd < today(ctx)) {
            throw new ChaincodeError('EXPIRED', `the term of pledge ${pledge.id} ended on ${pledge.termEnd}`);
        }
        const asset = await mustReadIpAsset(ctx, pledge.assetId);
        const ltvAtAcceptance = checkPledgeRules({
            asset,
            parties: [...(await this.owners(ctx, asset)), actor.enterprise],
            valuer: await this.valuer(ctx, asset),
            pledge,
            others: await pledgesOfAsset(ctx, asset.id),
            otherRecords: await otherStandingRecords(ctx, asset),
            today: today(ctx),
            maxLtvBps: (await readIpParameters(ctx)).maxLtvBps,
            requireConsents: true,
        });
        const now = txTime(ctx);
        const updated: IpPledge = { ...pledge, status: 'ACTIVE', acceptedAt: now, ltvAtAcceptance, updatedAt: now };
        await writeRecord(ctx, pledgeKey(ctx, pledge.id), updated);
        emitEvent(ctx, 'AcceptPledge', {
            pledgeId: pledge.id,
            assetId: asset.id,
            ownerIds: asset.ownerIds,
            pledgorId: pledge.pledgorId,
            pledgeeId: pledge.pledgeeId,
            priority: pledge.priority,
        });
        return canonicalStringify(updated);
    }

    /** Rejects a requested pledge (the pledgee) with a reason. Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async RejectPledge(ctx: Context, pledgeId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const why = parseReason(reason);
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requirePledgee(actor, pledge);
        requireStatus(pledge, 'REQUESTED');
        return this.close(ctx, pledge, 'REJECTED', why, 'RejectPledge');
    }

    /** Withdraws a requested pledge (the pledgor). Throws UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async CancelPledge(ctx: Context, pledgeId: string): Promise<string> {
        const actor = await requireActor(ctx, 'supplier', 'core-enterprise');
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        if (actor.eid !== pledge.pledgorId) {
            throw fail.forbidden(`only the pledgor ${pledge.pledgorId} may cancel pledge ${pledge.id}`);
        }
        requireStatus(pledge, 'REQUESTED');
        return this.close(ctx, pledge, 'CANCELLED', undefined, 'CancelPledge');
    }

    /**
     * Releases an active pledge (the pledgee): ACTIVE → RELEASED; junior pledges move up one rank.
     * Throws UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async ReleasePledge(ctx: Context, pledgeId: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requirePledgee(actor, pledge);
        requireStatus(pledge, 'ACTIVE');
        return this.close(ctx, pledge, 'RELEASED', undefined, 'ReleasePledge');
    }

    /**
     * Enforces an active pledge after the pledgor's default (the pledgee): ACTIVE → ENFORCED;
     * junior pledges move up one rank. Not before the term starts.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async EnforcePledge(ctx: Context, pledgeId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const why = parseReason(reason);
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        requirePledgee(actor, pledge);
        requireStatus(pledge, 'ACTIVE');
        if (today(ctx) < pledge.termStart) {
            throw fail.state(`pledge ${pledge.id} cannot be in default before its term starts on ${pledge.termStart}`);
        }
        return this.close(ctx, pledge, 'ENFORCED', why, 'EnforcePledge');
    }

    /** Reads a pledge (its parties, regulator, admin). Throws FORBIDDEN, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadPledge(ctx: Context, pledgeId: string): Promise<string> {
        const caller = getCaller(ctx);
        const pledge = await mustReadPledge(ctx, requirePledgeId(pledgeId));
        if (!SUPERVISORS.has(caller.role) && !isPartyTo(caller, pledge)) {
            throw fail.forbidden(`enterprise ${caller.eid} is not a party to pledge ${pledge.id}`);
        }
        return canonicalStringify(pledge);
    }

    /**
     * Lists, in id order, the pledges an enterprise is party to: as pledgee, as pledgor, or as an
     * owner of the pledged asset (the enterprise itself, regulator, admin). Throws FORBIDDEN.
     */
    @Transaction(false)
    @Returns('string')
    async ListPledgesOfEnterprise(ctx: Context, enterpriseId: string): Promise<string> {
        const caller = getCaller(ctx);
        requireId(enterpriseId, 'enterpriseId');
        if (!SUPERVISORS.has(caller.role) && caller.eid !== enterpriseId) {
            throw fail.forbidden(`enterprise ${caller.eid} may not list the pledges of ${enterpriseId}`);
        }
        const ids = new Set<string>();
        for (const index of [PLEDGE_INDEX.pledgee, PLEDGE_INDEX.pledgor]) {
            for (const [, pledgeId] of await scanIndex(ctx, index, [enterpriseId])) {
                ids.add(pledgeId);
            }
        }
        for (const [, assetId] of await scanIndex(ctx, IP_ASSET_OWNER_INDEX, [enterpriseId])) {
            for (const [, pledgeId] of await scanIndex(ctx, PLEDGE_INDEX.asset, [assetId])) {
                ids.add(pledgeId);
            }
        }
        const pledges: IpPledge[] = [];
        for (const id of [...ids].sort()) {
            pledges.push(await mustReadPledge(ctx, id));
        }
        return canonicalStringify(pledges);
    }

    /**
     * The public notice of an asset's pledges (any authenticated identity on the channel): every
     * pledge with its parties, amount, priority, term and the transaction ids of its transitions.
     * Valuations are not part of the notice. Throws UNAUTHENTICATED, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async GetPledgeNotice(ctx: Context, assetId: string): Promise<string> {
        getCaller(ctx);
        const asset = await mustReadIpAsset(ctx, requireAssetId(assetId));
        const pledges = (await pledgesOfAsset(ctx, asset.id)).sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : a.id < b.id ? -1 : 1));
        const entries: PledgeNoticeEntry[] = [];
        for (const p of pledges) {
            const history = await readHistory<IpPledge>(ctx, pledgeKey(ctx, p.id));
            entries.push({
                id: p.id,
                status: p.status,
                pledgorId: p.pledgorId,
                coOwnerIds: p.coOwnerIds,
                pledgeeId: p.pledgeeId,
                securedAmount: p.securedAmount,
                currency: p.currency,
                priority: p.priority,
                allowJunior: p.allowJunior,
                termStart: p.termStart,
                termEnd: p.termEnd,
                requestedAt: p.requestedAt,
                acceptedAt: p.acceptedAt,
                closedAt: p.closedAt,
                transitions: history
                    .filter((h) => h.value !== undefined)
                    .map((h) => ({
                        txId: h.txId,
                        timestamp: h.timestamp,
                        status: (h.value as IpPledge).status,
                        priority: (h.value as IpPledge).priority,
                        consents: (h.value as IpPledge).consents.length,
                    })),
            });
        }
        const notice: PledgeNotice = { asset: noticeAsset(asset), pledges: entries };
        return canonicalStringify(notice);
    }

    // -----------------------------------------------------------------------------------------

    /** Reads an asset awaiting the caller's confirmation. Throws NOT_FOUND, FORBIDDEN, INVALID_STATE. */
    private async awaitingAnswerOf(ctx: Context, actor: Actor, assetId: string): Promise<IpAsset> {
        const asset = await mustReadIpAsset(ctx, assetId);
        if (!asset.ownerIds.includes(actor.eid) || asset.registeredBy === actor.eid) {
            throw fail.forbidden(`enterprise ${actor.eid} is not a co-owner named by the registrant of ${asset.id}`);
        }
        if (isVoided(asset)) {
            throw fail.state(`asset ${asset.id} was ${asset.voidKind === 'DECLINED' ? 'declined' : 'voided'} by ${asset.voidedBy ?? '?'} on ${asset.voidedAt ?? '?'}`);
        }
        if (!unconfirmedOwners(asset).includes(actor.eid)) {
            throw fail.state(`enterprise ${actor.eid} has already confirmed its ownership of ${asset.id} (or the record predates confirmations); the regulator voids contested records`);
        }
        return asset;
    }

    /**
     * Voids a record: it stays readable with who voided it, when and why, and no longer holds the
     * right's registry key. Linked to the voiding enterprise's audit pack; the event names every
     * owner, the voiding enterprise and the pledgees of the asset's past pledges.
     */
    private async voidAsset(ctx: Context, asset: IpAsset, by: string, kind: VoidKind, reason: string, event: string): Promise<string> {
        const now = txTime(ctx);
        const voided: IpAsset = { ...asset, voidedBy: by, voidKind: kind, voidedAt: now, voidReason: reason, voidTxId: txId(ctx), updatedAt: now };
        await writeRecord(ctx, ipAssetKey(ctx, asset.id), voided);
        await linkRecord(ctx, [...asset.ownerIds, by], { type: IP_ASSET_TYPE, id: asset.id });
        const pledgeeIds = [...new Set((await pledgesOfAsset(ctx, asset.id)).map((p) => p.pledgeeId))].sort();
        emitEvent(ctx, event, { assetId: asset.id, ownerIds: asset.ownerIds, registeredBy: asset.registeredBy, voidedBy: by, voidKind: kind, reason, pledgeeIds });
        return canonicalStringify(voided);
    }

    /** The enterprise the asset's latest valuation names as its appraiser, if any and registered. */
    private async valuer(ctx: Context, asset: IpAsset): Promise<Enterprise | undefined> {
        return asset.valuation ? readEnterprise(ctx, asset.valuation.appraiserId) : undefined;
    }

    private async owners(ctx: Context, asset: IpAsset): Promise<Enterprise[]> {
        const owners: Enterprise[] = [];
        for (const ownerId of asset.ownerIds) {
            owners.push(await mustReadEnterprise(ctx, ownerId));
        }
        return owners;
    }

    /**
     * Moves a pledge to a final status. Leaving the active set (release, enforcement) needs every
     * owner and the pledgee unfrozen and moves junior pledges up one rank. The first enforcement
     * of a pledge of an asset marks the asset realised (enforcedBy, enforcedAt, …). A co-owner's
     * decline records the co-owner (`declinedBy`) and its event names it with the reason.
     */
    private async close(ctx: Context, pledge: IpPledge, status: PledgeStatus, reason: string | undefined, event: string, declinedBy?: string): Promise<string> {
        const now = txTime(ctx);
        const asset = await mustReadIpAsset(ctx, pledge.assetId);
        let promoted: IpPledge[] = [];
        if (pledge.status === 'ACTIVE') {
            const parties = [...(await this.owners(ctx, asset)), await mustReadEnterprise(ctx, pledge.pledgeeId)];
            const frozen = parties.find((e) => e.status === 'FROZEN');
            if (frozen) {
                throw new ChaincodeError('ENTERPRISE_FROZEN', `enterprise ${frozen.id}, a party to pledge ${pledge.id}, is frozen`);
            }
            promoted = promotions(pledge, await pledgesOfAsset(ctx, pledge.assetId)).map((p) => ({ ...p, updatedAt: now }));
        }
        const updated: IpPledge = { ...pledge, status, closedAt: now, closeReason: reason, ...(declinedBy === undefined ? {} : { declinedBy }), updatedAt: now };
        await writeRecord(ctx, pledgeKey(ctx, pledge.id), updated);
        for (const p of promoted) {
            await writeRecord(ctx, pledgeKey(ctx, p.id), p);
        }
        if (status === 'ENFORCED' && asset.enforcedPledgeId === undefined) {
            const realised: IpAsset = { ...asset, enforcedBy: pledge.pledgeeId, enforcedAt: now, enforcedPledgeId: pledge.id, enforcedTxId: txId(ctx), updatedAt: now };
            await writeRecord(ctx, ipAssetKey(ctx, asset.id), realised);
        }
        if (status === 'ENFORCED') {
            await recordCreditEvents(ctx, [
                { type: 'PLEDGE_ENFORCED', enterpriseId: pledge.pledgorId, ref: pledge.id, amount: BigInt(pledge.securedAmount), currency: pledge.currency },
            ]);
        }
        emitEvent(ctx, event, {
            pledgeId: pledge.id,
            assetId: pledge.assetId,
            ownerIds: asset.ownerIds,
            pledgorId: pledge.pledgorId,
            pledgeeId: pledge.pledgeeId,
            status,
            promotedPledgeIds: promoted.map((p) => p.id),
            ...(declinedBy === undefined ? {} : { declinedBy, reason }),
        });
        return canonicalStringify(updated);
    }
}
