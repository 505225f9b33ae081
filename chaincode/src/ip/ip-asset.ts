import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { Input, parseDateValue, requireOnOrAfterEarliestDate } from '../ledger/input';
import { compositeKey, putIndex, readRecord, scanIndex } from '../ledger/state';
import { sha256Hex } from '../ledger/tx';
import { REGISTRY_NUMBER_FORMATS, legacyRegistryKeys, normaliseRegistryNumber, parseRegistryNumber, patentCheckCharacter, readRegistryNumber, rightKeys } from './registry-number';
import { maximumExpiryDate, registryYear } from './right-term';

/**
 * IP assets (知识产权): patents, trademarks, copyrights and software copyrights that owners may
 * pledge as loan collateral. An asset's id is derived from its kind and normalised registry
 * number, so one right can be registered only once, whoever tries.
 */

export const IP_KINDS = ['PATENT', 'TRADEMARK', 'COPYRIGHT', 'SOFTWARE_COPYRIGHT'] as const;

export type IpKind = (typeof IP_KINDS)[number];

export { REGISTRY_NUMBER_FORMATS, legacyRegistryKeys, normaliseRegistryNumber, parseRegistryNumber, patentCheckCharacter, readRegistryNumber, rightKeys };

/** World-state object type of IP assets; also their docType. */
export const IP_ASSET_TYPE = 'ip-asset';

/** Index `ip-asset~owner ~ ownerId ~ assetId`. */
export const IP_ASSET_OWNER_INDEX = 'ip-asset~owner';

/** Most owners one asset may have. */
export const MAX_OWNERS = 10;

/** One appraisal of an asset. The last entry of an asset's history is the one that counts. */
export interface Valuation {
    /** Minor units, decimal string. */
    amount: string;
    currency: string;
    /**
     * The appraiser enterprise that stands behind the figure. Only appraisers record valuations;
     * on ledgers from before that rule a financier may be named here, and the pledge rules
     * disregard such a figure (checkPledgeRules).
     */
    appraiserId: string;
    /** YYYY-MM-DD. */
    valuationDate: string;
    /** Content id of the appraisal report in the document store. */
    reportCid: string;
    /** The enterprise whose signed transaction recorded the figure. */
    recordedBy: string;
    recordedAt: string;
    txId: string;
}

export interface IpAsset {
    docType: typeof IP_ASSET_TYPE;
    id: string;
    kind: IpKind;
    /**
     * The registry number's uniqueness key, from which the id derives (see parseRegistryNumber).
     * Records registered before keys took their present form (COPYRIGHT keys without separators,
     * verified patent check characters, software copyright serials in 7 digits) keep their key as it was.
     */
    registryNumber: string;
    /** The registrant's spelling (NFKC, trimmed), for display; absent on records registered before it was kept. */
    displayRegistryNumber?: string;
    title: string;
    /** Owners in id order; each is a supplier or core enterprise. */
    ownerIds: string[];
    /**
     * YYYY-MM-DD: the last day the right is in force, as the registrant declared it; since the
     * statutory maximum was enforced, no later than it (maximumExpiryDate in right-term.ts). A
     * record from before keeps a later date, which pledges and valuations read cut back to that
     * maximum (inForceUntil).
     */
    expiryDate: string;
    /** The latest valuation, if any; equal to the last entry of valuationHistory. */
    valuation?: Valuation;
    /** Every valuation, oldest first. */
    valuationHistory: Valuation[];
    registeredBy: string;
    registeredAt: string;
    updatedAt: string;
    /**
     * Set by the first enforcement of a pledge of the asset (EnforcePledge): the collateral has
     * been realised, and no new pledge of it may be requested or accepted. The pledgee that
     * enforced it.
     */
    enforcedBy?: string;
    /** When the asset was realised (the enforcing transaction's timestamp). */
    enforcedAt?: string;
    /** The pledge whose enforcement realised the asset. */
    enforcedPledgeId?: string;
    /** The enforcing transaction. */
    enforcedTxId?: string;
    /**
     * The record of the same right on which the pledge was enforced, when that is not this record:
     * a re-registration of a right after its realised record was voided carries the mark over
     * (enforcedBy, enforcedAt, enforcedPledgeId, enforcedTxId and this field), so voiding a record
     * never lifts it.
     */
    enforcedAssetId?: string;
    /**
     * Owners the registrant named who have not yet confirmed their ownership (ConfirmIpOwnership),
     * in id order. Absent (records from before the rule, and assets whose registrant is the sole
     * owner) or empty: every owner stands behind the record. While not empty the asset can be
     * neither valued nor pledged.
     */
    pendingOwnerIds?: string[];
    /** The named co-owners' confirmations, in enterprise id order; present when the registrant named co-owners. */
    ownerConfirmations?: OwnerConfirmation[];
    /**
     * Set when the record is voided: a named co-owner declined it (DeclineIpOwnership) or the
     * regulator voided a contested record (VoidIpAsset). A voided record stays readable and keeps
     * its pledges' history, but counts for nothing: it can be neither valued, pledged, confirmed
     * nor voided again, and the right may be registered again (under a new asset id).
     */
    voidedBy?: string;
    /** DECLINED (a named co-owner declined) or VOIDED (by the regulator). */
    voidKind?: VoidKind;
    /** When the record was voided (the voiding transaction's timestamp). */
    voidedAt?: string;
    /** Why: the decliner's or the regulator's reason. */
    voidReason?: string;
    /** The voiding transaction. */
    voidTxId?: string;
    /** The voided record of the same right that this registration replaced, if any. */
    previousAssetId?: string;
}

/** A named co-owner's confirmation that it owns the right with the registrant. */
export interface OwnerConfirmation {
    enterpriseId: string;
    confirmedAt: string;
    txId: string;
}

/** How a record was voided. */
export type VoidKind = 'DECLINED' | 'VOIDED';

/** Whether the record has been voided (declined by a named co-owner or voided by the regulator). */
export function isVoided(asset: IpAsset): boolean {
    return asset.voidedAt !== undefined;
}

/** The named co-owners who have not confirmed, in id order (empty for records from before the rule). */
export function unconfirmedOwners(asset: IpAsset): string[] {
    return [...(asset.pendingOwnerIds ?? [])].sort();
}

/**
 * Refuses a voided record or one whose named co-owners have not all confirmed, for transactions
 * that rely on the record (valuation, pledges). Throws INVALID_STATE naming who has not confirmed.
 */
export function requireStandingAsset(asset: IpAsset, doing: string): void {
    if (isVoided(asset)) {
        throw fail.state(
            `asset ${asset.id} was ${asset.voidKind === 'DECLINED' ? 'declined' : 'voided'} by ${asset.voidedBy ?? '?'} on ${asset.voidedAt ?? '?'} and cannot be ${doing}`,
        );
    }
    const pending = unconfirmedOwners(asset);
    if (pending.length > 0) {
        throw fail.state(`asset ${asset.id} cannot be ${doing} until its named co-owner(s) ${pending.join(', ')} confirm their ownership (ConfirmIpOwnership)`);
    }
}

/** The format of asset ids: `ip-` + 24 lower-case hex characters (ipAssetId). */
export const ASSET_ID_PATTERN = /^ip-[0-9a-f]{24}$/;

/** Validates an asset id argument's format. Throws INVALID_ARGUMENT. */
export function requireAssetId(value: unknown, what = 'assetId'): string {
    if (typeof value !== 'string' || !ASSET_ID_PATTERN.test(value)) {
        throw fail.invalid(`${what} is not an IP asset id (ip- and 24 hex characters)`);
    }
    return value;
}

/** Describes an asset's enforcement for refusals and notices, or undefined when it was never enforced. */
export function enforcementOf(asset: IpAsset): string | undefined {
    if (asset.enforcedPledgeId === undefined && asset.enforcedAt === undefined) {
        return undefined;
    }
    const where = asset.enforcedAssetId === undefined ? '' : ` (a pledge of ${asset.enforcedAssetId}, an earlier, voided record of the same right)`;
    return `asset ${asset.id} was realised by the enforcement of pledge ${asset.enforcedPledgeId ?? '?'}${where} by ${asset.enforcedBy ?? '?'} on ${asset.enforcedAt ?? '?'}`;
}

/** The world-state key of an IP asset. */
export function ipAssetKey(ctx: Context, assetId: string): string {
    return compositeKey(ctx, IP_ASSET_TYPE, [assetId]);
}

/**
 * The deterministic id of the asset of `kind` with a normalised registry number. `registration`
 * counts the earlier records of the same right that were voided: 0 (the first registration) keeps
 * the original derivation, and the n-th registration after n voided ones is `…|<key>|n`.
 */
export function ipAssetId(kind: IpKind, normalisedRegistryNumber: string, registration = 0): string {
    const content = registration === 0 ? `${kind}|${normalisedRegistryNumber}` : `${kind}|${normalisedRegistryNumber}|${registration}`;
    return `ip-${sha256Hex(content).slice(0, 24)}`;
}

/** Most voided records of one right before the next registration of it is refused. */
export const MAX_REGISTRATIONS = 100;

/**
 * Finds the record standing for a right: walks the registrations of `kind`/`key` past the voided
 * ones. Returns the standing record (not voided) if there is one, else the id the next
 * registration takes, the last voided record, if any, and the first voided record that a pledge
 * enforcement realised, if any (its mark passes to the next registration). Throws INVALID_STATE
 * past MAX_REGISTRATIONS.
 */
export async function registrationSlot(
    ctx: Context,
    kind: IpKind,
    key: string,
): Promise<{ standing?: IpAsset; nextId: string; lastVoided?: IpAsset; realised?: IpAsset }> {
    let lastVoided: IpAsset | undefined;
    let realised: IpAsset | undefined;
    for (let n = 0; n < MAX_REGISTRATIONS; n++) {
        const id = ipAssetId(kind, key, n);
        const asset = await readIpAsset(ctx, id);
        if (!asset) {
            return { nextId: id, ...(lastVoided ? { lastVoided } : {}), ...(realised ? { realised } : {}) };
        }
        if (!isVoided(asset)) {
            return { standing: asset, nextId: id };
        }
        lastVoided = asset;
        if (realised === undefined && enforcementOf(asset) !== undefined) {
            realised = asset;
        }
    }
    throw fail.state(`${kind} ${key} has been registered and voided ${MAX_REGISTRATIONS} times; ask the platform operator`);
}

/**
 * The other standing (not voided) records of the right `asset` records, in id order: the record
 * registrationSlot finds under each key of the right (rightKeys: today's key and those older ledgers
 * used), `asset` itself left out. Registration has refused a second record of a right since keys
 * named the right, so any found was written by an older ledger (under a wrong patent check
 * character, an unpadded software copyright serial, a copyright key with separators). Every key is
 * read, missing ones included, so a transaction relying on the answer conflicts with one that
 * registers a record under any of them.
 */
export async function otherStandingRecords(ctx: Context, asset: IpAsset): Promise<IpAsset[]> {
    const found = new Map<string, IpAsset>();
    for (const key of rightKeys(asset.kind, asset.registryNumber)) {
        const { standing } = await registrationSlot(ctx, asset.kind, key);
        if (standing && standing.id !== asset.id) {
            found.set(standing.id, standing);
        }
    }
    return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * The enforcement mark a new registration of a right takes over from a voided record of it that a
 * pledge enforcement realised: the same pledge, pledgee, time and transaction, and the record the
 * pledge was of. Voiding corrects who the ledger records as owning a right; it does not undo the
 * realisation of the right, so the mark stays with the right.
 */
export function carriedEnforcement(realised: IpAsset): Pick<IpAsset, 'enforcedBy' | 'enforcedAt' | 'enforcedPledgeId' | 'enforcedTxId' | 'enforcedAssetId'> {
    const mark: Pick<IpAsset, 'enforcedBy' | 'enforcedAt' | 'enforcedPledgeId' | 'enforcedTxId' | 'enforcedAssetId'> = {
        enforcedAssetId: realised.enforcedAssetId ?? realised.id,
    };
    for (const field of ['enforcedBy', 'enforcedAt', 'enforcedPledgeId', 'enforcedTxId'] as const) {
        if (realised[field] !== undefined) {
            mark[field] = realised[field];
        }
    }
    return mark;
}

/** Reads an IP asset, or undefined. */
export async function readIpAsset(ctx: Context, assetId: string): Promise<IpAsset | undefined> {
    return readRecord<IpAsset>(ctx, ipAssetKey(ctx, assetId));
}

/** Reads an IP asset that must exist. Throws NOT_FOUND. */
export async function mustReadIpAsset(ctx: Context, assetId: string): Promise<IpAsset> {
    const asset = await readIpAsset(ctx, assetId);
    if (!asset) {
        throw fail.notFound(`IP asset ${assetId} does not exist`);
    }
    return asset;
}

/**
 * Index object type `ip-asset~report ~ reportCid ~ assetId`: the assets whose valuation history
 * cites a report, so the gateway can tell who may download the report (ReadIpAssetByReport).
 * Never deleted: a superseded valuation stays in the history, and so does its report.
 */
export const VALUATION_REPORT_INDEX = 'ip-asset~report';

/** Records that `assetId`'s valuation history cites `reportCid`. */
export async function indexValuationReport(ctx: Context, reportCid: string, assetId: string): Promise<void> {
    await putIndex(ctx, VALUATION_REPORT_INDEX, [reportCid, assetId]);
}

/** The assets (in id order) whose valuations cite `reportCid`; valuations recorded before the index existed are not found. */
export async function assetsCitingReport(ctx: Context, reportCid: string): Promise<IpAsset[]> {
    const assets: IpAsset[] = [];
    for (const [, assetId] of await scanIndex(ctx, VALUATION_REPORT_INDEX, [reportCid])) {
        assets.push(await mustReadIpAsset(ctx, assetId));
    }
    return assets;
}

// ---------------------------------------------------------------------------------------------
// Request parsing

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads a required calendar date field as YYYY-MM-DD. Throws INVALID_ARGUMENT. */
export function dateField(input: Input, name: string): string {
    const value = input.string(name, { max: 10, pattern: ISO_DATE });
    parseDateValue(value, `request.${name}`);
    return value;
}

/** Content ids accepted for documents: CIDv0 (Qm…, base58btc) or CIDv1 in base32 (b…) or base58btc (z…). */
export const CID_PATTERN = /^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{40,200}|z[1-9A-HJ-NP-Za-km-z]{40,200})$/;

/** Validates an enterprise id argument in a request (shape only). */
export const ENTERPRISE_ID_PATTERN = /^[A-Z0-9]{18,20}$/;

/** The figures of a valuation as a request carries them. */
export interface ValuationInput {
    amount: bigint;
    currency: string;
    valuationDate: string;
    reportCid: string;
}

/**
 * Reads {amount, currency, valuationDate, reportCid}. The valuation date lies within
 * [EARLIEST_DATE (ledger/input.ts), today], `today` being the transaction's UTC date: an earlier
 * date is a typo, and an appraisal is recorded once made, never dated after the transaction that
 * records it. Throws INVALID_ARGUMENT.
 */
export function parseValuationFigures(input: Input, today: string): ValuationInput {
    const amount = input.amount('amount');
    const currency = input.currency('currency');
    const valuationDate = dateField(input, 'valuationDate');
    requireOnOrAfterEarliestDate(valuationDate, 'request.valuationDate');
    if (valuationDate > today) {
        throw fail.invalid(`request.valuationDate ${valuationDate} must not lie after the transaction date ${today}: a valuation is recorded once made`);
    }
    const reportCid = input.string('reportCid', { max: 256, pattern: CID_PATTERN });
    return { amount, currency, valuationDate, reportCid };
}

/**
 * A registration request, validated for shape; the contract checks the parties on the ledger.
 * It carries no valuation: a figure is recorded only by the enterprise that stands behind it
 * (ReviseValuation), never by the owner who benefits from a high one.
 */
export interface IpAssetRequest {
    kind: IpKind;
    /** The uniqueness key. */
    registryNumber: string;
    /** The registrant's spelling. */
    displayRegistryNumber: string;
    /** Other keys under which older ledgers may hold a record of the same right (legacyRegistryKeys). */
    legacyRegistryNumbers: string[];
    title: string;
    ownerIds: string[];
    expiryDate: string;
}

/** Validates RegisterIpAsset's request. Throws INVALID_ARGUMENT. */
export function parseIpAssetRequest(input: Input, today: string): IpAssetRequest {
    if (input.has('valuation')) {
        throw fail.invalid('request.valuation is not accepted: an asset is registered unvalued and the appraiser records its valuation itself (ReviseValuation)');
    }
    const kind = input.oneOf('kind', IP_KINDS);
    const raw = input.string('registryNumber', { max: 64 });
    const reading = readRegistryNumber(kind, raw);
    if ('problem' in reading) {
        // What is wrong, then the kind's whole format, so one refusal is enough to type it right.
        throw fail.invalid(`request.registryNumber ${JSON.stringify(raw)} is not a valid ${kind} registry number: ${reading.problem}. Expected: ${REGISTRY_NUMBER_FORMATS[kind]}`);
    }
    const parsed = reading.number;
    const year = registryYear(kind, parsed.key);
    if (year !== undefined && year > Number(today.slice(0, 4))) {
        throw fail.invalid(
            `request.registryNumber ${JSON.stringify(raw)} is not a valid ${kind} registry number: its year ${year} lies after the transaction date ${today}, and an office numbers a right in the year it receives it`,
        );
    }
    const legacyRegistryNumbers = legacyRegistryKeys(kind, raw);
    const title = input.string('title', { max: 300 });
    const ownerIds = input.array(
        'ownerIds',
        (value, path) => {
            if (typeof value !== 'string' || !ENTERPRISE_ID_PATTERN.test(value)) {
                throw fail.invalid(`${path} must be an enterprise id`);
            }
            return value;
        },
        { min: 1, max: MAX_OWNERS },
    );
    if (new Set(ownerIds).size !== ownerIds.length) {
        throw fail.invalid('request.ownerIds must not repeat an owner');
    }
    const expiryDate = dateField(input, 'expiryDate');
    if (expiryDate <= today) {
        throw fail.invalid(`request.expiryDate ${expiryDate} must lie after the transaction date ${today}`);
    }
    // The pledge rule "the term ends before the right expires" rests on this date: no later than the law allows.
    const limit = maximumExpiryDate(kind, parsed.key, today);
    if (limit && expiryDate > limit.latest) {
        throw fail.invalid(`request.expiryDate ${expiryDate} lies after ${limit.latest}, the latest this right can be in force: ${limit.rule}`);
    }
    input.optionalString('valuation'); // a null valuation means none, as before
    input.done();
    return {
        kind,
        registryNumber: parsed.key,
        displayRegistryNumber: parsed.display,
        legacyRegistryNumbers,
        title,
        ownerIds: [...ownerIds].sort(),
        expiryDate,
    };
}

/** Builds a valuation entry. */
export function newValuation(figures: ValuationInput, appraiserId: string, recordedBy: string, now: string, txId: string): Valuation {
    return {
        amount: figures.amount.toString(),
        currency: figures.currency,
        appraiserId,
        valuationDate: figures.valuationDate,
        reportCid: figures.reportCid,
        recordedBy,
        recordedAt: now,
        txId,
    };
}
