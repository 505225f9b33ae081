import { inForceUntil } from '../../../chaincode/src/ip/right-term';
import { Child, h } from '../dom';
import { addDays, formatBps, formatMoney, langText, parseMajorUnits } from '../format';
import { STATUS_ORDERS, moneyKey, orderItems, orderedTable, statusRank } from '../list-order';
import { REGISTRY_FORMATS, checkRegistryNumber, expiryLimitOf, maxSecured, rightExpiryProblem, securedProblem } from '../form-checks';
import type { Enterprise, IpAsset, IpPledge, PledgeNotice } from '../resources';
import type { AppContext } from './context';
import { documentLink } from './document-link';
import { CURRENCIES } from './receivables-view';
import { InputError, badge, card, checkField, field, fieldProblem, formValue, idText, money, requiredValue, select, table } from './ui';
import { actionButton, actionForm, confirmButton, frozenAttributes, grid, requiredReason, submitOnEnter } from './view-kit';

/** An asset's registry number as its registrant wrote it (records from before display spellings show their key). */
export function registryText(asset: Pick<IpAsset, 'registryNumber' | 'displayRegistryNumber'>): string {
    return asset.displayRegistryNumber ?? asset.registryNumber;
}

/** Where an asset stands: whether its owners all stand behind the record, and whether it still counts. */
export type AssetStanding =
    | { state: 'VOIDED' | 'DECLINED'; by: string; at: string; reason: string }
    | { state: 'PENDING'; awaiting: string[] }
    | { state: 'CONFIRMED' };

/**
 * An asset's standing as the ledger judges it: voided (by the regulator) or declined (by a named
 * co-owner) records count for nothing; a record some named co-owner has not confirmed can be
 * neither valued nor pledged; records without `pendingOwnerIds` (sole owner, or older) are confirmed.
 */
export function assetStanding(asset: Pick<IpAsset, 'pendingOwnerIds' | 'voidedAt' | 'voidKind' | 'voidedBy' | 'voidReason'>): AssetStanding {
    if (asset.voidedAt !== undefined) {
        return { state: asset.voidKind === 'DECLINED' ? 'DECLINED' : 'VOIDED', by: asset.voidedBy ?? '', at: asset.voidedAt, reason: asset.voidReason ?? '' };
    }
    const awaiting = [...(asset.pendingOwnerIds ?? [])].sort();
    return awaiting.length > 0 ? { state: 'PENDING', awaiting } : { state: 'CONFIRMED' };
}

/** An asset's standings in the order lists offer them: awaiting co-owners first, then in force, then ended. */
const STANDINGS: readonly AssetStanding['state'][] = ['PENDING', 'CONFIRMED', 'DECLINED', 'VOIDED'];

/** Whether `me` is a co-owner the registrant named who has yet to confirm or decline. */
export function awaitsAnswerFrom(asset: IpAsset, me: string): boolean {
    const standing = assetStanding(asset);
    return standing.state === 'PENDING' && standing.awaiting.includes(me);
}

/** An asset's standing as a table cell: a badge, and who is awaited or who ended the record and why. */
export function standingCell(ctx: AppContext, asset: IpAsset): HTMLElement {
    const standing = assetStanding(asset);
    switch (standing.state) {
        case 'CONFIRMED':
            return badge('CONFIRMED');
        case 'PENDING':
            return h('span', { class: 'standing' }, badge('PENDING'), ' ', h('span', { class: 'muted' }, langText(`awaiting ${standing.awaiting.map((id) => ctx.directory.name(id)).join(', ')}`)));
        default:
            return h(
                'span',
                { class: 'standing', title: standing.reason },
                badge(standing.state),
                ' ',
                h('span', { class: 'muted' }, langText(`by ${ctx.directory.name(standing.by)} on ${standing.at.slice(0, 10)}: ${standing.reason}`)),
            );
    }
}

/** The kinds of IP right (chaincode IP_KINDS) as a user reads them. */
const KIND_LABELS: Readonly<Record<IpAsset['kind'], string>> = {
    PATENT: 'Patent',
    TRADEMARK: 'Trademark',
    COPYRIGHT: 'Copyright',
    SOFTWARE_COPYRIGHT: 'Software copyright',
};

/** An IP right's kind as a user reads it ("Patent", "Software copyright"); an unknown kind as the ledger wrote it. */
export function ipKindLabel(kind: string): string {
    return (KIND_LABELS as Readonly<Record<string, string>>)[kind] ?? kind;
}

const KINDS = Object.entries(KIND_LABELS) as [IpAsset['kind'], string][];

/** Supplier (or core enterprise): IP assets it owns, pledges it requested, and forms for both. */
export async function ipView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [assets, pledges, parameters] = await Promise.all([ctx.api.listIpAssets(me), ctx.api.listPledges(me), ctx.api.ipParameters().catch(() => undefined)]);
    const awaiting = assets.filter((a) => awaitsAnswerFrom(a, me));
    return h(
        'div',
        null,
        h('h1', null, 'IP assets and pledges'),
        awaiting.length > 0
            ? card(
                  'Awaiting your confirmation',
                  h('p', { class: 'hint' }, 'These registrations name your enterprise as a co-owner. Until you confirm, the asset can be neither valued nor pledged; declining voids the registration.'),
                  table(
                      ['Asset', 'Registered by', 'Registry no.', 'Title', ''],
                      awaiting.map((a) => [idText(a.id), langText(ctx.directory.name(a.registeredBy)), registryText(a), langText(a.title), ownershipActions(ctx, a)]),
                      '',
                      { id: 'ip-confirmations' },
                  ),
              )
            : null,
        card(
            'My IP assets',
            // The soonest expiry of the right first.
            orderedTable(assets, {
                id: 'ip-assets',
                columns: [
                    { header: 'Asset', sortBy: (a) => a.id },
                    { header: 'Kind', sortBy: (a) => ipKindLabel(a.kind) },
                    { header: 'Registry no.', sortBy: (a) => registryText(a) },
                    { header: 'Title', sortBy: (a) => a.title },
                    { header: 'Expires', sortBy: (a) => a.expiryDate },
                    { header: 'Valuation', sortBy: (a) => moneyKey(a.valuation?.amount, a.valuation?.currency) },
                    { header: 'Standing', sortBy: (a) => statusRank(STANDINGS, assetStanding(a).state) },
                ],
                row: (a) => [
                    idText(a.id),
                    ipKindLabel(a.kind),
                    registryText(a),
                    a.enforcedAt
                        ? h('span', null, langText(a.title), ' ', h('span', { class: 'muted', title: `pledge ${a.enforcedPledgeId ?? ''} enforced by ${a.enforcedBy ?? ''}` }, `(realised by enforcement on ${a.enforcedAt.slice(0, 10)})`))
                        : langText(a.title),
                    a.expiryDate,
                    a.valuation ? money(a.valuation.amount, a.valuation.currency) : h('span', { class: 'muted' }, 'not valued yet'),
                    standingCell(ctx, a),
                ],
                order: { column: 'Expires', direction: 'ascending' },
                status: (a) => assetStanding(a).state,
                statusOrder: STANDINGS,
                empty: 'No IP assets registered.',
            }),
        ),
        card(
            'My pledges',
            // Those awaiting someone first (the newest request first), then those in force, then those closed.
            orderedTable(
                orderItems(
                    pledges.filter((p) => p.pledgorId === me || p.coOwnerIds.includes(me)),
                    (p) => p.requestedAt,
                    'descending',
                ),
                {
                    id: 'my-pledges',
                    columns: [
                        { header: 'Pledge', sortBy: (p) => p.id },
                        { header: 'Asset', sortBy: (p) => p.assetId },
                        { header: 'Pledgee', sortBy: (p) => ctx.directory.name(p.pledgeeId) },
                        { header: 'Secured', sortBy: (p) => moneyKey(p.securedAmount, p.currency) },
                        { header: 'Term', sortBy: (p) => [p.termStart, p.termEnd] },
                        { header: 'Status', sortBy: (p) => statusRank(STATUS_ORDERS.pledge, p.status) },
                        { header: '' },
                    ],
                    row: (p) => [idText(p.id), idText(p.assetId), langText(ctx.directory.name(p.pledgeeId)), money(p.securedAmount, p.currency), `${p.termStart} → ${p.termEnd}`, pledgeStatusCell(ctx, p), pledgeActions(ctx, p, me)],
                    order: { column: 'Status', direction: 'ascending' },
                    status: (p) => p.status,
                    statusOrder: STATUS_ORDERS.pledge,
                    empty: 'No pledges yet.',
                },
            ),
        ),
        registerAssetForm(ctx, me),
        assets.length > 0 ? pledgeForm(ctx, assets, pledges, parameters?.maxLtvBps) : null,
    );
}

function ownershipActions(ctx: AppContext, asset: IpAsset): HTMLElement {
    const reason = h('input', { placeholder: 'Reason', 'aria-label': `Reason to decline ${asset.title}`, autocomplete: 'off' });
    const cell: HTMLElement = h('span', { class: 'actions panel' });
    const decline = actionButton(ctx, 'Decline', async () => ctx.api.declineIpOwnership(asset.id, requiredReason(reason, 'Give a reason to decline.')), {
        progress: 'Declining the registration…',
        success: 'Registration declined: it is void, and the right may be registered again.',
        container: cell,
    });
    submitOnEnter(reason, () => decline);
    cell.append(
        actionButton(ctx, 'Confirm', () => ctx.api.confirmIpOwnership(asset.id), { progress: 'Confirming your ownership…', success: 'Ownership confirmed.', container: cell }, { class: 'primary' }),
        reason,
        decline,
    );
    return cell;
}

/** What `me` may do with a pledge it is pledgor or co-owner of; each matches what the ledger accepts. */
export interface PledgeChoices {
    /** A co-owner (not the pledgor) that has not consented to a REQUESTED pledge. */
    consent: boolean;
    /** A co-owner that has consented to a REQUESTED pledge: it may take its consent back until acceptance. */
    withdrawConsent: boolean;
    /** A co-owner, consented or not, of a REQUESTED pledge: it may refuse the pledge outright. */
    decline: boolean;
    /** The pledgor of a REQUESTED pledge. */
    cancel: boolean;
}

/** The actions the ledger would take from `me` on pledge `p` (ConsentPledge, WithdrawPledgeConsent, DeclinePledge, CancelPledge). */
export function pledgeChoices(p: Pick<IpPledge, 'status' | 'pledgorId' | 'coOwnerIds' | 'consents'>, me: string): PledgeChoices {
    const requested = p.status === 'REQUESTED';
    const coOwner = requested && p.coOwnerIds.includes(me);
    const consented = p.consents.some((c) => c.enterpriseId === me);
    return { consent: coOwner && !consented, withdrawConsent: coOwner && consented, decline: coOwner, cancel: requested && p.pledgorId === me };
}

/** A pledge's status; a declined or rejected one also says by whom and why. */
function pledgeStatusCell(ctx: AppContext, p: IpPledge): HTMLElement {
    if ((p.status === 'DECLINED' || p.status === 'REJECTED') && p.closeReason !== undefined) {
        const by = p.status === 'DECLINED' ? (p.declinedBy ?? '') : p.pledgeeId;
        return h('span', { class: 'standing', title: p.closeReason }, badge(p.status), ' ', h('span', { class: 'muted' }, langText(`by ${ctx.directory.name(by)}: ${p.closeReason}`)));
    }
    return badge(p.status);
}

function pledgeActions(ctx: AppContext, p: IpPledge, me: string): HTMLElement | string {
    const choices = pledgeChoices(p, me);
    if (!choices.consent && !choices.withdrawConsent && !choices.decline && !choices.cancel) {
        return '';
    }
    const cell: HTMLElement = h('span', { class: 'actions panel' });
    if (choices.consent) {
        cell.append(actionButton(ctx, 'Consent', () => ctx.api.pledgeAction(p.id, 'consent'), { progress: 'Recording your consent…', success: 'Consent recorded.' }));
    }
    if (choices.withdrawConsent) {
        cell.append(
            actionButton(
                ctx,
                'Withdraw consent',
                () => ctx.api.withdrawPledgeConsent(p.id),
                { progress: 'Withdrawing your consent…', success: 'Consent withdrawn: the financier cannot accept the pledge unless you consent again.', container: cell },
                frozenAttributes(ctx),
            ),
        );
    }
    if (choices.decline) {
        const reason = h('input', { placeholder: 'Reason', 'aria-label': `Reason to decline pledge ${p.id}`, autocomplete: 'off' });
        const why = (): string => requiredReason(reason, 'Give a reason to decline.');
        const decline = confirmButton(
            ctx,
            'Decline',
            () =>
                `Decline the pledge of this asset to ${ctx.directory.name(p.pledgeeId)}, securing ${formatMoney(p.securedAmount, p.currency)}? The request is closed for good; ${ctx.directory.name(p.pledgorId)} would have to request a new pledge. Reason recorded: “${reason.value.trim()}”.`,
            async () => ctx.api.declinePledge(p.id, why()),
            { progress: 'Declining the pledge…', success: 'Pledge declined.', container: cell, check: () => void why() },
            { class: 'danger', ...frozenAttributes(ctx) },
        );
        submitOnEnter(reason, () => decline.querySelector('button'));
        cell.append(reason, decline);
    }
    if (choices.cancel) {
        cell.append(actionButton(ctx, 'Cancel', () => ctx.api.pledgeAction(p.id, 'cancel'), { progress: 'Cancelling the pledge request…', success: 'Pledge request cancelled.' }));
    }
    return cell;
}

/** The most owners the ledger records for one asset (chaincode RegisterIpAsset: 1–10 distinct owners). */
export const MAX_IP_OWNERS = 10;

/**
 * The enterprises a registrant may name as co-owners: registered suppliers and core enterprises
 * (the kinds that can act to consent to pledges) other than itself and not frozen (the ledger
 * refuses a frozen owner), by name.
 */
export function coOwnerCandidates<E extends Pick<Enterprise, 'id' | 'kind' | 'status' | 'name'>>(enterprises: readonly E[], me: string): E[] {
    return enterprises.filter((e) => (e.kind === 'SUPPLIER' || e.kind === 'CORE_ENTERPRISE') && e.id !== me && e.status !== 'FROZEN').sort((a, b) => a.name.localeCompare(b.name));
}

/** The owners of a registration: the registrant and the co-owners it names, distinct; at most MAX_IP_OWNERS (InputError otherwise). */
export function registrationOwners(me: string, coOwners: readonly string[]): string[] {
    const owners = [...new Set([me, ...coOwners])];
    if (owners.length > MAX_IP_OWNERS) {
        throw new InputError(`Name at most ${MAX_IP_OWNERS - 1} co-owners: the ledger records at most ${MAX_IP_OWNERS} owners of an asset, your enterprise included.`);
    }
    return owners;
}

/** What the expiry field says while no valid number gives the law's limit. */
const EXPIRY_FROM_NUMBER = 'The latest date the law allows follows from the registry number.';

/**
 * The registration form. The registry number is read as the ledger reads it while it is typed (its
 * format, and a year not after the ledger's); the expiry date follows the latest the law allows
 * the number (chaincode ip/right-term.ts, by the ledger's date) until the registrant sets it, and a
 * date after that limit is refused before anything is sent.
 */
function registerAssetForm(ctx: AppContext, me: string): HTMLElement {
    const kind = select('kind', KINDS);
    const number = h('input', { name: 'registryNumber', autocomplete: 'off', placeholder: 'e.g. ZL202310123456.6' });
    const candidates = coOwnerCandidates(ctx.directory.all(), me);
    const numberHint = h('span', { class: 'hint registry-hint', 'aria-live': 'polite' }, REGISTRY_FORMATS.PATENT);
    const expiry = h('input', { name: 'expiryDate', type: 'date', min: addDays(ctx.now(), 1) });
    const expiryHint = h('span', { class: 'hint expiry-hint', 'aria-live': 'polite' }, EXPIRY_FROM_NUMBER);
    // Once the registrant picks a date, the number no longer moves it.
    let expiryChosen = false;
    /** Says the format of the chosen kind, or what the ledger will record for the number typed, and the latest expiry it allows. */
    const explain = (): void => {
        const k = kind.value as IpAsset['kind'];
        const now = ctx.now();
        const verdict = number.value.trim() === '' ? undefined : checkRegistryNumber(k, number.value, now);
        numberHint.textContent = verdict === undefined ? REGISTRY_FORMATS[k] : 'problem' in verdict ? verdict.problem : (verdict.note ?? `✓ Recorded as ${verdict.normalised}.`);
        const limit = verdict !== undefined && !('problem' in verdict) ? expiryLimitOf(k, number.value, now) : undefined;
        if (limit) {
            expiry.max = limit.latest;
        } else {
            expiry.removeAttribute('max');
        }
        if (!expiryChosen) {
            expiry.value = limit?.latest ?? '';
        }
        const problem = expiry.value !== '' && limit ? rightExpiryProblem(k, number.value, expiry.value, now) : undefined;
        expiryHint.textContent =
            problem ??
            (limit
                ? `At most ${limit.latest}: ${limit.rule}.`
                : verdict !== undefined && !('problem' in verdict)
                  ? 'Enter the date the right ends: the ledger computes no statutory limit for this kind of number.'
                  : EXPIRY_FROM_NUMBER);
    };
    kind.addEventListener('change', explain);
    number.addEventListener('input', explain);
    expiry.addEventListener('input', () => {
        expiryChosen = true;
        explain();
    });
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'register-ip' },
        title: 'Register an IP asset',
        content: [
            grid(
                field('Kind', kind),
                h('label', { class: 'field' }, h('span', { class: 'label' }, 'Registry number'), number, numberHint),
                field('Title', h('input', { name: 'title', autocomplete: 'off' })),
                h('label', { class: 'field' }, h('span', { class: 'label' }, 'Right expires on'), expiry, expiryHint),
            ),
            candidates.length > 0
                ? h(
                      'fieldset',
                      { id: 'ip-co-owners' },
                      h('legend', null, 'Co-owners (only if the right is held jointly)'),
                      h('p', { class: 'hint' }, 'Each co-owner you name must confirm on its own IP page before the asset can be valued or pledged, and must consent to each pledge; declining voids the registration.'),
                      candidates.map((e) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'coOwnerIds', value: e.id }), ' ', langText(e.name))),
                  )
                : null,
        ],
        submit: 'Register asset',
        submitAttributes: frozenAttributes(ctx),
        run: async (f) => {
            const assetKind = requiredValue(f, 'kind', 'the kind') as IpAsset['kind'];
            const registryNumber = formValue(f, 'registryNumber');
            const now = ctx.now();
            const verdict = checkRegistryNumber(assetKind, registryNumber, now);
            if ('problem' in verdict) {
                throw new InputError(verdict.problem, { field: 'registryNumber' });
            }
            const title = requiredValue(f, 'title', 'the title');
            const expiryDate = requiredValue(f, 'expiryDate', 'the expiry date of the right');
            fieldProblem('expiryDate', rightExpiryProblem(assetKind, registryNumber, expiryDate, now));
            const coOwners = Array.from(f.querySelectorAll<HTMLInputElement>('input[name=coOwnerIds]:checked'), (box) => box.value);
            const ownerIds = checkField('coOwnerIds', () => registrationOwners(me, coOwners));
            return ctx.api.registerIpAsset({ kind: assetKind, registryNumber, title, ownerIds, expiryDate });
        },
        options: {
            progress: 'Registering the asset…',
            success: (r) => {
                const asset = r as IpAsset;
                const typed = number.value.trim();
                const recorded = registryText(asset);
                const as = recorded !== typed ? ` as ${recorded}` : '';
                const awaiting = asset.pendingOwnerIds ?? [];
                return awaiting.length > 0
                    ? `IP asset registered${as}, owned jointly. It awaits the confirmation of ${awaiting.map((id) => ctx.directory.name(id)).join(', ')}; then an appraiser can value it.`
                    : `IP asset registered${as}. An appraiser can now value it.`;
            },
        },
    });
    return form;
}

/**
 * The last day the ledger holds `asset`'s right in force, judged on its date `today` (YYYY-MM-DD):
 * the declared expiry date or, for a record declaring more than the law allows (one registered
 * before the bound), the statutory maximum and the `rule` that gives it (chaincode ip/right-term.ts
 * inForceUntil, which ReviseValuation and the pledge rules apply).
 */
export function rightInForceUntil(asset: Pick<IpAsset, 'kind' | 'registryNumber' | 'expiryDate'>, today: string): { date: string; rule?: string } {
    const inForce = inForceUntil(asset.kind, asset.registryNumber, asset.expiryDate, today);
    return inForce.limit ? { date: inForce.date, rule: inForce.limit.rule } : { date: inForce.date };
}

/** That a right ended on `inForce.date`, and why when its record declares a later date. */
function expiredText(asset: Pick<IpAsset, 'expiryDate'>, inForce: { date: string; rule?: string }): string {
    return `the right expired on ${inForce.date}${inForce.rule !== undefined ? ` (its record declares ${asset.expiryDate}, but ${inForce.rule})` : ''}`;
}

/**
 * Whether an asset can be pledged now and, if so, what its active pledges already secure, the rank
 * a new pledge must declare and the active pledges it would rank behind; else why not, in words.
 */
export type Pledgeability =
    | { pledgeable: true; securedByActive: bigint; priority: number; seniors: IpPledge[] }
    | { pledgeable: false; reason: string };

/** The active pledges among `pledges` of asset `assetId`, senior first, as the ledger ranks them (chaincode ip/pledge.ts activePledges). */
export function activePledgesOf<P extends Pick<IpPledge, 'id' | 'assetId' | 'status' | 'priority'>>(assetId: string, pledges: readonly P[]): P[] {
    return pledges.filter((p) => p.assetId === assetId && p.status === 'ACTIVE').sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
}

/**
 * Whether the ledger would take a pledge of `asset`, given the pledges the user can see (those of
 * its enterprise, which as an owner include every pledge of the asset): a voided, declined or
 * unconfirmed record, one realised by enforcement, a right already expired on the ledger's date
 * `today` (YYYY-MM-DD; a term must end by the right's expiry, cut back to the statutory term for a
 * record declaring more (rightInForceUntil), and not before today), one without a
 * valuation, or one under an active pledge whose pledgee allows no junior pledge cannot be pledged.
 * A pledge that can be made must rank right behind the active ones: their number plus one
 * (PRIORITY_VIOLATION otherwise). `name` gives an enterprise's name.
 */
export function pledgeability(asset: IpAsset, pledges: readonly IpPledge[], name: (id: string) => string = (id) => id, today?: string): Pledgeability {
    const standing = assetStanding(asset);
    if (standing.state === 'VOIDED' || standing.state === 'DECLINED') {
        return { pledgeable: false, reason: `${standing.state === 'VOIDED' ? 'voided' : 'declined'} on ${standing.at.slice(0, 10)}` };
    }
    if (standing.state === 'PENDING') {
        return { pledgeable: false, reason: `awaiting the confirmation of ${standing.awaiting.map(name).join(', ')}` };
    }
    if (asset.enforcedAt) {
        return { pledgeable: false, reason: `realised by the enforcement of a pledge on ${asset.enforcedAt.slice(0, 10)}: an enforced asset cannot be pledged again` };
    }
    const inForce = today !== undefined ? rightInForceUntil(asset, today) : undefined;
    if (today !== undefined && inForce !== undefined && inForce.date < today) {
        return { pledgeable: false, reason: `${expiredText(asset, inForce)}: a pledge's term must end by the right's expiry` };
    }
    if (!asset.valuation) {
        return { pledgeable: false, reason: 'not valued yet: an appraiser must value it first' };
    }
    const active = activePledgesOf(asset.id, pledges);
    const blocking = active.find((p) => !p.allowJunior);
    if (blocking) {
        return { pledgeable: false, reason: `pledged to ${name(blocking.pledgeeId)}, which allows no junior pledge, until that pledge is released` };
    }
    const securedByActive = active.filter((p) => p.currency === asset.valuation?.currency).reduce((sum, p) => sum + BigInt(p.securedAmount), 0n);
    return { pledgeable: true, securedByActive, priority: active.length + 1, seniors: active };
}

/** Where a new pledge would rank, in a sentence: first, or behind which active pledges (each of which allows juniors). */
export function rankSentence(priority: number, seniors: readonly Pick<IpPledge, 'pledgeeId' | 'securedAmount' | 'currency' | 'priority'>[], name: (id: string) => string = (id) => id): string {
    if (seniors.length === 0) {
        return 'This pledge would rank first.';
    }
    const behind = seniors.map((p) => `${name(p.pledgeeId)} (rank ${p.priority}, ${formatMoney(p.securedAmount, p.currency)})`).join(', ');
    return `This pledge would rank ${priority}, behind ${behind}, which ${seniors.length === 1 ? 'allows' : 'allow'} junior pledges.`;
}

/** The most a new pledge may secure: the loan-to-value cap of the valuation less what active pledges already secure (never below 0). */
export function pledgeHeadroom(valuationAmount: string, maxLtvBps: number, securedByActive: bigint): bigint {
    const left = BigInt(maxSecured(valuationAmount, maxLtvBps)) - securedByActive;
    return left > 0n ? left : 0n;
}

/**
 * The pledge request: only assets the ledger would take are offered (valued, confirmed, not
 * realised, right not expired by the ledger's date, not under a pledge that allows no junior one),
 * the currency is the valuation's, and the valuation and the loan-to-value cap are shown with the
 * most the asset can still secure. The request declares the rank the ledger expects (behind the
 * asset's active pledges) and whether this pledgee lets later pledges rank behind it.
 */
function pledgeForm(ctx: AppContext, assets: IpAsset[], pledges: readonly IpPledge[], maxLtvBps: number | undefined): HTMLElement {
    const today = ctx.now();
    const name = (id: string): string => ctx.directory.name(id);
    const verdicts = assets.map((a) => ({ asset: a, verdict: pledgeability(a, pledges, name, addDays(today, 0)) }));
    const valued = verdicts.flatMap(({ asset, verdict }) =>
        verdict.pledgeable && asset.valuation ? [{ ...asset, valuation: asset.valuation, securedByActive: verdict.securedByActive, priority: verdict.priority, seniors: verdict.seniors }] : [],
    );
    const refused = verdicts.flatMap(({ asset, verdict }) => (verdict.pledgeable ? [] : [{ asset, reason: verdict.reason }]));
    const unvalued = refused.length;
    if (valued.length === 0) {
        return card(
            'Pledge an asset for a loan',
            h(
                'div',
                { id: 'request-pledge-none' },
                h('p', { class: 'empty' }, 'None of your IP assets can be pledged now:'),
                h('ul', { id: 'request-pledge-reasons' }, refused.map(({ asset, reason }) => h('li', null, h('strong', null, asset.title), ` (${registryText(asset)}): ${reason}.`))),
            ),
        );
    }
    const assetSelect = select('assetId', valued.map((a) => [a.id, `${a.title} (${registryText(a)})`]));
    const currency = h('output', { name: 'currencyShown', class: 'currency', id: 'pledge-currency' });
    const terms = h('p', { class: 'hint', id: 'pledge-valuation', 'aria-live': 'polite' });
    const rank = h('p', { class: 'hint', id: 'pledge-rank', 'aria-live': 'polite' });
    const allowJunior = h('input', { type: 'checkbox', name: 'allowJunior', value: 'true' });
    const chosen = (): (typeof valued)[number] | undefined => valued.find((a) => a.id === assetSelect.value);
    const describe = (): void => {
        const asset = chosen();
        if (!asset) {
            return;
        }
        currency.textContent = asset.valuation.currency;
        rank.textContent = rankSentence(asset.priority, asset.seniors, name);
        terms.textContent =
            `Valued at ${formatMoney(asset.valuation.amount, asset.valuation.currency)} on ${asset.valuation.valuationDate}. ` +
            (maxLtvBps !== undefined
                ? `Loan-to-value cap ${formatBps(maxLtvBps)}: at most ${formatMoney(maxSecured(asset.valuation.amount, maxLtvBps), asset.valuation.currency)} can be secured` +
                  (asset.securedByActive > 0n
                      ? `, of which active pledges already secure ${formatMoney(asset.securedByActive, asset.valuation.currency)}: at most ${formatMoney(pledgeHeadroom(asset.valuation.amount, maxLtvBps, asset.securedByActive), asset.valuation.currency)} is left.`
                      : '.')
                : '');
    };
    assetSelect.addEventListener('change', describe);
    describe();
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'request-pledge' },
        title: 'Pledge an asset for a loan',
        content: [
            grid(
                field('Asset', assetSelect, unvalued > 0 ? `Not offered: ${refused.map(({ asset, reason }) => `${asset.title} (${reason})`).join('; ')}.` : undefined),
                // A frozen financier can accept nothing (the ledger refuses every party that is frozen).
                field('Financier', select('pledgeeId', ctx.directory.ofKind('FINANCIER').filter((e) => e.status !== 'FROZEN').map((e) => [e.id, e.name]))),
                field('Currency', currency, 'The currency of the asset’s valuation.'),
                field('Secured amount', h('input', { name: 'securedAmount', inputmode: 'decimal', autocomplete: 'off' })),
                field('Term starts', h('input', { name: 'termStart', type: 'date', value: addDays(today, 0), min: addDays(today, 0) })),
                field('Term ends', h('input', { name: 'termEnd', type: 'date', value: addDays(today, 365) })),
                h(
                    'div',
                    { class: 'field' },
                    h('span', { class: 'label' }, 'Junior pledges'),
                    h('label', { class: 'check' }, allowJunior, ' Let later pledges rank behind this one'),
                    h('span', { class: 'hint' }, 'The financier accepts the pledge on these terms. Unticked, the asset can take no other pledge while this one is active.'),
                ),
            ),
            terms,
            rank,
        ],
        submit: 'Request pledge',
        submitAttributes: frozenAttributes(ctx),
        run: async (f) => {
            const asset = chosen();
            if (!asset) {
                throw new InputError('Choose an asset.', { field: 'assetId' });
            }
            const valuation = asset.valuation;
            const securedAmount = checkField('securedAmount', () => parseMajorUnits(formValue(f, 'securedAmount'), valuation.currency));
            fieldProblem('securedAmount', maxLtvBps !== undefined ? securedProblem(securedAmount, valuation, maxLtvBps) : undefined);
            if (maxLtvBps !== undefined && asset.securedByActive > 0n) {
                const left = pledgeHeadroom(valuation.amount, maxLtvBps, asset.securedByActive);
                if (BigInt(securedAmount) > left) {
                    throw new InputError(`At most ${formatMoney(left, valuation.currency)} can be secured: active pledges on this asset already secure ${formatMoney(asset.securedByActive, valuation.currency)} of the ${formatMoney(maxSecured(valuation.amount, maxLtvBps), valuation.currency)} the cap allows.`, { field: 'securedAmount' });
                }
            }
            const termStart = requiredValue(f, 'termStart', 'the term start');
            const ledgerToday = addDays(ctx.now(), 0);
            if (termStart < ledgerToday) {
                throw new InputError(`The term cannot start in the past: start it on ${ledgerToday} or later.`, { field: 'termStart' });
            }
            const termEnd = requiredValue(f, 'termEnd', 'the term end');
            if (termEnd <= termStart) {
                throw new InputError(`The term must end after it starts (${termStart}).`, { field: 'termEnd' });
            }
            const inForce = rightInForceUntil(asset, ledgerToday);
            if (termEnd > inForce.date) {
                throw new InputError(`The term must end by ${inForce.date}, when the right expires${inForce.rule !== undefined ? ` (its record declares ${asset.expiryDate}, but ${inForce.rule})` : ''}.`, { field: 'termEnd' });
            }
            return ctx.api.requestPledge({
                assetId: asset.id,
                pledgeeId: requiredValue(f, 'pledgeeId', 'a financier'),
                securedAmount,
                currency: valuation.currency,
                termStart,
                termEnd,
                // The ledger takes only the rank right behind the asset's active pledges (PRIORITY_VIOLATION otherwise).
                priority: asset.priority,
                allowJunior: allowJunior.checked,
            });
        },
        options: {
            progress: 'Requesting the pledge…',
            success: (r) => {
                const pledge = r as IpPledge;
                return `Pledge requested at rank ${pledge.priority}${pledge.allowJunior ? ', letting later pledges rank behind it' : ''}. The financier decides.`;
            },
        },
    });
    return form;
}

/** The pledges of an asset still open (REQUESTED or ACTIVE), from its public notice: active ones first, by rank. */
export function openPledges<P extends Pick<IpPledge, 'status' | 'priority'>>(pledges: readonly P[]): P[] {
    const order = (p: P): number => (p.status === 'ACTIVE' ? 0 : 1);
    return pledges.filter((p) => p.status === 'ACTIVE' || p.status === 'REQUESTED').sort((a, b) => order(a) - order(b) || a.priority - b.priority);
}

/**
 * Whether the ledger would take a valuation of a confirmed asset now (chaincode ip/ip-contract.ts
 * ReviseValuation) and in which currencies; else why not, in words.
 */
export type Valuability = { valuable: true; currencies: string[]; pledgeCurrency?: string } | { valuable: false; reason: string };

/**
 * Whether an appraiser may value `asset` on the ledger's date `today` (YYYY-MM-DD), and in which of
 * `currencies`, as the ledger judges: not a right past its expiry date (its last day still counts;
 * a record declaring more than the law allows ends when the law says: rightInForceUntil);
 * while pledges of it are requested or active (its public notice lists them), only in their
 * currency, whose loan-to-value the valuation measures (`pledgeCurrency`), and in none when they are
 * in several. Without the notice, every currency: the ledger stays the judge.
 */
export function valuability(asset: Pick<IpAsset, 'kind' | 'registryNumber' | 'expiryDate'>, notice: Pick<PledgeNotice, 'pledges'> | undefined, today: string, currencies: readonly string[]): Valuability {
    const inForce = rightInForceUntil(asset, today);
    if (inForce.date < today) {
        return { valuable: false, reason: `${expiredText(asset, inForce)}: a right no longer in force is worth nothing as collateral and cannot be valued` };
    }
    const open = openPledges(notice?.pledges ?? []);
    const inUse = [...new Set(open.map((p) => p.currency))].sort();
    if (inUse.length > 1) {
        return { valuable: false, reason: `its requested or active pledges are in ${inUse.join(' and ')}: a valuation in one currency cannot measure them all` };
    }
    return inUse.length === 1 ? { valuable: true, currencies: inUse, pledgeCurrency: inUse[0] } : { valuable: true, currencies: [...currencies] };
}

/** Why the ledger would refuse a valuation in `currency` given `verdict` (valuability), in a sentence; undefined when it would take it. */
export function valuationProblem(title: string, verdict: Valuability, currency: string): string | undefined {
    if (!verdict.valuable) {
        return `${title} cannot be valued: ${verdict.reason}.`;
    }
    if (verdict.pledgeCurrency !== undefined && currency !== verdict.pledgeCurrency) {
        return `${title} has requested or active pledges in ${verdict.pledgeCurrency}: a valuation in ${currency} could not measure them. Value it in ${verdict.pledgeCurrency} while they are requested or active.`;
    }
    return verdict.currencies.includes(currency) ? undefined : `Choose one of ${verdict.currencies.join(', ')}.`;
}

/**
 * Appraiser: values the IP assets of an owner, with the appraisal report stored as a document. For
 * each asset it sees what it may read: kind, registry number, the latest valuation (date, the
 * appraiser behind it, its report) and, from the public notice, the pledges its figure governs.
 */
export async function valuationsView(ctx: AppContext): Promise<Node> {
    const owners = ctx.directory.all().filter((e) => e.kind === 'SUPPLIER' || e.kind === 'CORE_ENTERPRISE');
    const ownerId = ctx.params.ownerId ?? owners[0]?.id ?? '';
    const chooser = select('ownerId', owners.map((e) => [e.id, e.name]));
    chooser.value = ownerId;
    chooser.addEventListener('change', () => ctx.navigate(`/valuations?ownerId=${encodeURIComponent(chooser.value)}`));
    const assets = ownerId ? await ctx.api.listIpAssets(ownerId) : [];
    const notices = await Promise.all(assets.map((a) => ctx.api.pledgeNotice(a.id).catch(() => undefined)));
    const today = addDays(ctx.now(), 0);
    const noticeOf = new Map(assets.map((asset, i) => [asset.id, notices[i]]));
    const row = (asset: IpAsset): Child[] => {
        const v = asset.valuation;
        const standing = assetStanding(asset);
        const notice = noticeOf.get(asset.id);
        return [
            h('span', null, langText(asset.title), h('br'), idText(asset.id)),
            ipKindLabel(asset.kind),
            registryText(asset),
            v ? money(v.amount, v.currency) : h('span', { class: 'muted' }, 'not valued yet'),
            v ? v.valuationDate : '—',
            v ? langText(ctx.directory.name(v.appraiserId)) : '—',
            v ? documentLink(ctx, v.reportCid, `appraisal-${asset.id}`, 'Open report') : '—',
            pledgeCell(ctx, asset, notice),
            // The ledger values only a confirmed record that still counts (INVALID_STATE otherwise).
            standing.state === 'CONFIRMED' ? valuationCell(ctx, asset, notice, today) : standingCell(ctx, asset),
        ];
    };
    return h(
        'div',
        null,
        h('h1', null, 'IP valuations'),
        card(
            'Assets',
            field('Owner', chooser),
            // Never valued first, then the oldest valuation: what most needs an appraiser.
            orderedTable(assets, {
                id: 'valuation-assets',
                columns: [
                    { header: 'Asset', sortBy: (a) => a.title },
                    { header: 'Kind', sortBy: (a) => ipKindLabel(a.kind) },
                    { header: 'Registry no.', sortBy: (a) => registryText(a) },
                    { header: 'Valuation', sortBy: (a) => moneyKey(a.valuation?.amount, a.valuation?.currency) },
                    { header: 'Valued on', sortBy: (a) => [a.valuation ? 1 : 0, a.valuation?.valuationDate] },
                    { header: 'Appraiser', sortBy: (a) => (a.valuation ? ctx.directory.name(a.valuation.appraiserId) : undefined) },
                    { header: 'Report' },
                    { header: 'Pledges' },
                    { header: 'New valuation' },
                ],
                row,
                order: { column: 'Valued on', direction: 'ascending' },
                empty: 'This owner has no IP assets.',
            }),
        ),
    );
}

/** The open pledges an asset's valuation governs (from its public notice), or that it is realised or unpledged. */
function pledgeCell(ctx: AppContext, asset: IpAsset, notice: PledgeNotice | undefined): Node | string {
    if (!notice) {
        return h('span', { class: 'muted' }, 'notice unavailable');
    }
    const open = openPledges(notice.pledges);
    const realised = asset.enforcedAt ? h('span', { class: 'muted' }, `realised by enforcement on ${asset.enforcedAt.slice(0, 10)}`) : null;
    if (open.length === 0) {
        return realised ?? h('span', { class: 'muted pledge-status' }, 'Not pledged');
    }
    return h(
        'div',
        { class: 'pledge-status' },
        open.map((p) => h('div', { 'data-pledge-id': p.id }, badge(p.status), langText(` ${ctx.directory.name(p.pledgeeId)} · ${formatMoney(p.securedAmount, p.currency)} · rank ${p.priority}`))),
        realised ? h('div', null, realised) : null,
    );
}

/** The currencies a valuation may be in, as codes. */
const CURRENCY_CODES = CURRENCIES.map(([code]) => code);

/** A confirmed asset's valuation cell: the form, in the currencies the ledger would take, or why it cannot be valued (valuability, by the ledger's date `today`). */
function valuationCell(ctx: AppContext, asset: IpAsset, notice: PledgeNotice | undefined, today: string): HTMLElement {
    const verdict = valuability(asset, notice, today, CURRENCY_CODES);
    if (!verdict.valuable) {
        return h('span', { class: 'muted valuation-refused' }, `Cannot be valued: ${verdict.reason}.`);
    }
    return valuationForm(ctx, asset, notice, verdict);
}

/**
 * A valuation with its appraisal report. Before the report is stored, the ledger's rules are run
 * again on a fresh notice and the ledger's date (a pledge may have been requested, or the right
 * expired, since the page loaded), so a valuation the ledger would refuse leaves no document.
 */
function valuationForm(ctx: AppContext, asset: IpAsset, loaded: PledgeNotice | undefined, verdict: Extract<Valuability, { valuable: true }>): HTMLElement {
    const report = h('input', { type: 'file', name: 'report', 'aria-label': 'Appraisal report' });
    const options = verdict.currencies.map((code): [string, string] => CURRENCIES.find(([c]) => c === code) ?? [code, code]);
    const form = actionForm(ctx, {
        attributes: { class: 'actions panel', 'data-asset-id': asset.id },
        content: [
            select('currency', options, { 'aria-label': `Valuation currency of ${asset.title}` }),
            h('input', { name: 'amount', inputmode: 'decimal', placeholder: 'Amount', 'aria-label': `Valuation amount of ${asset.title}` }),
            report,
            verdict.pledgeCurrency !== undefined ? h('span', { class: 'hint valuation-currency' }, `In ${verdict.pledgeCurrency}, the currency of its requested or active pledges, whose loan-to-value it measures.`) : null,
        ],
        submit: 'Record valuation',
        run: async (f) => {
            const currency = requiredValue(f, 'currency', 'a currency');
            const amount = checkField('amount', () => parseMajorUnits(formValue(f, 'amount'), currency));
            const file = report.files?.[0];
            if (!file) {
                throw new InputError('Attach the appraisal report.', { control: report });
            }
            const today = addDays(ctx.now(), 0);
            const notice = await ctx.api.pledgeNotice(asset.id).catch(() => loaded);
            const now = valuability(asset, notice, today, CURRENCY_CODES);
            const problem = valuationProblem(asset.title, now, currency);
            if (problem) {
                // An asset that can no longer be valued is no field's problem; a currency it cannot be valued in is the currency's.
                throw new InputError(problem, { field: now.valuable ? 'currency' : undefined });
            }
            const stored = await ctx.api.uploadDocument(file, file.type || 'application/octet-stream');
            return ctx.api.reviseValuation(asset.id, { amount, currency, valuationDate: today, reportCid: stored.cid });
        },
        options: { progress: 'Storing the report and recording the valuation…', success: 'Valuation recorded.' },
    });
    return form;
}
