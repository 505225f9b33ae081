import { creditLineExpired } from '../../../chaincode/src/ledger/expiry';
import { Child, h } from '../dom';
import { addDays, countOf, exponentOf, formatBps, formatDateTime, formatMinorUnits, formatMoney, langText, parseMajorUnits, parsePercentToBps } from '../format';
import { ListColumn, ListSpec, STATUS_ORDERS, moneyKey, orderItems, orderedTable, statusRank } from '../list-order';
import { closedAt } from './discounts-view';
import { distinctIds, redeemedNotesOf } from '../note-history';
import type { CreditLine, DiscountRequest, IpAsset, IpPledge, PledgeNotice } from '../resources';
import type { AppContext } from './context';
import { CURRENCIES } from './receivables-view';
import { InputError, badge, button, card, checkField, deferredCard, errorPanel, field, fieldProblem, formValue, idText, lineBadge, lineStatus, money, provenanceHref, requiredValue, select, table, transient } from './ui';
import { actionButton, actionForm, confirmButton, focusFirstField, frozenAttributes, grid, requiredReason, submitOnEnter } from './view-kit';
import { futureDateProblem, quoteProblem } from '../form-checks';
import { priceQuoteAt } from '../quote-pricing';
import { closePanelButton } from './panel-close';
import { ipKindLabel, registryText } from './ip-view';

/**
 * What the financier may do with a line it granted at the ledger's time `now`, as the row's button
 * says it, as the chaincode allows it: an ACTIVE line's limit may change and the line be revoked; an
 * EXPIRED one may only be revoked (ChangeCreditLimit answers EXPIRED, RevokeCreditLine still
 * revokes it); a REVOKED one offers nothing.
 */
export function lineAction(line: Pick<CreditLine, 'status' | 'expiresAt'>, now: Date): 'Change or revoke' | 'Revoke' | undefined {
    switch (lineStatus(line, now)) {
        case 'ACTIVE':
            return 'Change or revoke';
        case 'EXPIRED':
            return 'Revoke';
        default:
            return undefined;
    }
}

/**
 * What to say once the ledger has answered a change of limit: the ledger answers the limit already
 * in force with the line as it is, writing nothing, so an answer whose limit is the one the panel
 * showed (`shown`) changed nothing.
 */
export function limitChangeMessage(shown: Pick<CreditLine, 'limit' | 'currency'>, answer: Pick<CreditLine, 'limit'>): string {
    return answer.limit === shown.limit
        ? `The limit is already ${formatMoney(shown.limit, shown.currency)}; nothing changed.`
        : `Limit changed to ${formatMoney(answer.limit, shown.currency)}.`;
}

/**
 * Financier: credit lines it granted (change the limit, revoke), and a form to grant one. Expiry is
 * judged by the ledger's time (`ctx.now()`): a line past it shows as expired; its limit can no
 * longer change, but it can still be revoked (lineAction).
 */
export async function creditLinesView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const lines = (await ctx.api.listCreditLines(me)).filter((l) => l.financierId === me);
    const now = ctx.now();
    const panel = transient(h('div', { class: 'panel-slot' }));
    const manage = (line: CreditLine): void => {
        panel.textContent = '';
        panel.append(manageLinePanel(ctx, line, now, closePanelButton(ctx, panel)));
        panel.scrollIntoView({ block: 'nearest' });
        focusFirstField(panel);
    };
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'grant-line' },
        title: 'Grant a credit line',
        content: [
            grid(
                field('Core enterprise', select('coreEnterpriseId', ctx.directory.ofKind('CORE_ENTERPRISE').map((e) => [e.id, e.name]))),
                field('Currency', select('currency', CURRENCIES)),
                field('Limit', h('input', { name: 'limit', inputmode: 'decimal', autocomplete: 'off' })),
                field('Expires on', h('input', { name: 'expiresAt', type: 'date', value: addDays(now, 365), min: addDays(now, 1) })),
            ),
        ],
        submit: 'Grant credit line',
        submitAttributes: frozenAttributes(ctx),
        run: async (f) => {
            const currency = requiredValue(f, 'currency', 'a currency');
            const expiresOn = requiredValue(f, 'expiresAt', 'the expiry date');
            const limit = checkField('limit', () => parseMajorUnits(formValue(f, 'limit'), currency));
            fieldProblem('expiresAt', futureDateProblem(expiresOn, ctx.now(), 'The expiry date'));
            return ctx.api.grantCreditLine({
                coreEnterpriseId: requiredValue(f, 'coreEnterpriseId', 'the core enterprise'),
                currency,
                limit,
                expiresAt: `${expiresOn}T00:00:00.000Z`,
            });
        },
        options: { progress: 'Granting the credit line…', success: 'Credit line granted.' },
    });
    return h(
        'div',
        null,
        h('h1', null, 'Credit lines granted'),
        card(
            'Lines',
            orderedTable(lines, {
                id: 'credit-lines',
                columns: [...creditLineColumns('Core enterprise', (l) => ctx.directory.name(l.coreEnterpriseId), now), { header: '' }],
                row: (l) => {
                    // An expired line's limit can no longer change (the ledger answers EXPIRED), but it can still be revoked.
                    const action = lineAction(l, now);
                    return [
                        idText(l.id),
                        langText(ctx.directory.name(l.coreEnterpriseId)),
                        money(l.limit, l.currency),
                        money(l.used, l.currency),
                        money(l.remaining, l.currency),
                        l.expiresAt.slice(0, 10),
                        h('span', null, lineBadge(l, now), l.revocationReason ? h('small', { class: 'muted' }, ` ${l.revocationReason}`) : null),
                        action ? button(action, () => manage(l), { 'data-line-id': l.id }) : '',
                    ];
                },
                ...creditLineList(now),
                empty: 'You have not granted any credit line.',
            }),
            lines.length > 0 ? h('p', null, [...new Set(lines.map((l) => l.coreEnterpriseId))].map((id) => h('a', { href: `#/exposure/${encodeURIComponent(id)}` }, 'Exposure of ', langText(ctx.directory.name(id)), ' '))) : null,
        ),
        panel,
        form,
    );
}

/**
 * How lists of credit lines start and filter, by their status at the ledger's time `now`: the
 * soonest expiry first (the next to renew), expired and revoked ones kept apart by the filter.
 */
/** The columns of a credit line table, the other party's named by `counterparty` (its header) and `counterpartyName`. */
export function creditLineColumns(counterparty: string, counterpartyName: (line: CreditLine) => string, now: Date): Array<ListColumn<CreditLine>> {
    return [
        { header: 'Line', sortBy: (l) => l.id },
        { header: counterparty, sortBy: counterpartyName },
        { header: 'Limit', sortBy: (l) => moneyKey(l.limit, l.currency) },
        { header: 'Used', sortBy: (l) => moneyKey(l.used, l.currency) },
        { header: 'Remaining', sortBy: (l) => moneyKey(l.remaining, l.currency) },
        { header: 'Expires', sortBy: (l) => l.expiresAt },
        { header: 'Status', sortBy: (l) => statusRank(STATUS_ORDERS.creditLine, lineStatus(l, now)) },
    ];
}

export function creditLineList(now: Date): Pick<ListSpec<CreditLine>, 'order' | 'status' | 'statusOrder'> {
    return { order: { column: 'Expires', direction: 'ascending' }, status: (l) => lineStatus(l, now), statusOrder: STATUS_ORDERS.creditLine };
}

/**
 * Change the limit of a line (not below what is used, not once expired by the ledger's time `now`,
 * not while frozen; the limit already in force changes nothing) or revoke it (a reason, confirmed;
 * an expired line and a frozen financier's may still be revoked).
 */
function manageLinePanel(ctx: AppContext, line: CreditLine, now: Date, close: HTMLButtonElement): HTMLElement {
    const core = ctx.directory.name(line.coreEnterpriseId);
    const expired = creditLineExpired(line, now);
    const limitForm = expired
        ? h('p', { class: 'muted' }, `The line expired on ${line.expiresAt.slice(0, 10)}; its limit can no longer change.`)
        : actionForm(ctx, {
              attributes: { class: 'inline-form', id: 'change-limit', 'data-line-id': line.id },
              title: 'Change the limit',
              content: [
                  field(
                      `New limit in ${line.currency}`,
                      h('input', { name: 'limit', inputmode: 'decimal', autocomplete: 'off', value: formatMinorUnits(line.limit, exponentOf(line.currency)) }),
                      `At least the ${formatMoney(line.used, line.currency)} already used by notes outstanding.`,
                  ),
              ],
              submit: 'Change limit',
              submitAttributes: frozenAttributes(ctx),
              run: async (f) => {
                  const limit = checkField('limit', () => parseMajorUnits(formValue(f, 'limit'), line.currency));
                  // The limit already in force goes to the ledger too: it answers with the line as it is, writing nothing.
                  if (BigInt(limit) < BigInt(line.used)) {
                      throw new InputError(`The limit cannot go below the ${formatMoney(line.used, line.currency)} already used.`, { field: 'limit' });
                  }
                  return ctx.api.changeCreditLimit(line.id, limit);
              },
              options: { progress: 'Changing the limit…', success: (r) => limitChangeMessage(line, r as CreditLine) },
          });
    const reason = h('input', { name: 'reason', placeholder: 'Reason (recorded on the ledger)', 'aria-label': 'Reason to revoke', autocomplete: 'off' });
    const revoke = h(
        'div',
        { class: 'panel revoke-line' },
        h('h3', null, 'Revoke the line'),
        h('p', { class: 'muted' }, langText(`${core} can issue no new note on a revoked line. Notes already issued stay valid and still give their amount back to the line when redeemed.`)),
        reason,
        ' ',
        confirmButton(
            ctx,
            'Revoke line',
            `Revoke ${core}'s ${line.currency} line (limit ${formatMoney(line.limit, line.currency)}, used ${formatMoney(line.used, line.currency)}) for good? This cannot be undone.`,
            async () => ctx.api.revokeCreditLine(line.id, requiredReason(reason, 'Give the reason to revoke the line.')),
            { progress: 'Revoking the credit line…', success: 'Credit line revoked.', check: () => void requiredReason(reason, 'Give the reason to revoke the line.') },
            { class: 'danger' },
        ),
    );
    return h(
        'section',
        { class: 'card panel', 'data-panel': 'manage-line', 'data-line-id': line.id },
        h('h2', null, 'Credit line of ', langText(core)),
        h('p', { class: 'muted' }, 'Line ', idText(line.id), ` · limit ${formatMoney(line.limit, line.currency)} · used ${formatMoney(line.used, line.currency)} · expires ${line.expiresAt.slice(0, 10)}`),
        limitForm,
        revoke,
        h('p', { class: 'actions' }, close),
    );
}

/** Financier: discount requests it is invited to, with its quote (rate and fee stay private). */
export async function quoteRequestsView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const requests = (await ctx.api.listDiscountRequests(me)).filter((r) => r.financierIds.includes(me)).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const open = requests.filter((r) => r.status === 'OPEN');
    const cards = await Promise.all(open.map((r) => quoteCard(ctx, r)));
    return h(
        'div',
        null,
        h('h1', null, 'Discount requests'),
        cards.length > 0 ? cards : card('Open requests', h('p', { class: 'empty' }, 'No open requests invite you.')),
        card(
            'Closed requests',
            orderedTable(
                requests.filter((r) => r.status !== 'OPEN'),
                {
                    id: 'closed-requests',
                    columns: [
                        { header: 'Request', sortBy: (r) => r.id },
                        { header: 'Holder', sortBy: (r) => ctx.directory.name(r.holderId) },
                        { header: 'Amount', sortBy: (r) => moneyKey(r.amount, r.currency) },
                        { header: 'Closed', sortBy: closedAt },
                        { header: 'Status', sortBy: (r) => statusRank(STATUS_ORDERS.discountRequest, r.status) },
                        { header: 'Funded by', sortBy: (r) => (r.financierId ? ctx.directory.name(r.financierId) : undefined) },
                    ],
                    row: (r) => [idText(r.id), langText(ctx.directory.name(r.holderId)), money(r.amount, r.currency), formatDateTime(closedAt(r)), badge(r.status), r.financierId ? langText(ctx.directory.name(r.financierId)) : '—'],
                    order: { column: 'Closed', direction: 'descending' },
                    status: (r) => r.status,
                    statusOrder: STATUS_ORDERS.discountRequest,
                    empty: 'None.',
                },
            ),
        ),
    );
}

async function quoteCard(ctx: AppContext, request: DiscountRequest): Promise<HTMLElement> {
    const me = ctx.user?.enterpriseId ?? '';
    const mine = (await ctx.api.listQuotes(request.id)).filter((q) => q.financierId === me && q.status === 'SUBMITTED');
    const body: Node[] = [];
    for (const quote of mine) {
        try {
            const t = await ctx.api.readQuoteTerms(quote.id);
            // The quote fixes rate and fee; the ledger prices it again for the days left when the holder accepts (src/quote-pricing.ts).
            const today = priceQuoteAt(t, ctx.now());
            body.push(
                h(
                    'p',
                    { class: 'own-quote', 'data-quote-id': quote.id },
                    `Your quote: ${formatBps(t.rateBps)} p.a., fee ${formatMoney(t.fee, t.currency)}`,
                    today.acceptable
                        ? [` → accepted today (${today.asOf}, ${countOf(today.days, 'day')} before maturity) you pay `, h('strong', { class: 'price', title: `Quoted on ${t.quotedAt.slice(0, 10)} for ${countOf(t.days, 'day')}: ${formatMoney(t.price, t.currency)}` }, formatMoney(today.price, t.currency)), '; the price is set for the days left when the holder accepts. ']
                        : [`. ${today.problem} `],
                    actionButton(ctx, 'Withdraw quote', () => ctx.api.withdrawQuote(quote.id), { progress: 'Withdrawing the quote…', success: 'Quote withdrawn.' }, frozenAttributes(ctx)),
                ),
            );
        } catch (error) {
            body.push(errorPanel(error));
        }
    }
    const form = actionForm(ctx, {
        attributes: { class: 'quote-form', 'data-request-id': request.id },
        content: [grid(field('Rate, % per year (ACT/360)', h('input', { name: 'rate', inputmode: 'decimal', placeholder: '3.5' })), field(`Fee in ${request.currency}`, h('input', { name: 'fee', inputmode: 'decimal', placeholder: '0' })))],
        submit: 'Submit quote',
        submitAttributes: frozenAttributes(ctx),
        run: async (f) => {
            const rateBps = checkField('rate', () => parsePercentToBps(formValue(f, 'rate')));
            const feeText = formValue(f, 'fee');
            const fee = feeText === '' ? undefined : checkField('fee', () => parseMajorUnits(feeText, request.currency, { allowZero: true }));
            // What the ledger would refuse (interest plus fee leaving nothing to pay), said in major units.
            const problem = quoteProblem({ face: request.amount, currency: request.currency, maturityDate: request.maturityDate, rateBps, fee: fee ?? '0' }, ctx.now());
            if (problem) {
                throw new InputError(problem);
            }
            // A 0 % rate is allowed but is most likely a slip: say what it means, and send it on a second submit.
            if (rateBps === 0 && f.dataset.zeroRateConfirmed !== 'true') {
                f.dataset.zeroRateConfirmed = 'true';
                throw new InputError(`A rate of 0 % means you pay the full ${formatMoney(request.amount, request.currency)}${fee && fee !== '0' ? ' less the fee' : ''} and earn no interest. Submit again to quote 0 %.`, { field: 'rate' });
            }
            return ctx.api.submitQuote(request.id, rateBps, fee);
        },
        options: { progress: 'Submitting your quote (terms stay private)…', success: 'Quote submitted.' },
    });
    return card(
        ['Request from ', langText(ctx.directory.name(request.holderId))],
        h('p', null, 'Note ', idText(request.noteId, { href: provenanceHref(request.noteId) }), ' · ', money(request.amount, request.currency), langText(` · issued by ${ctx.directory.name(request.issuerId)} · matures ${request.maturityDate} · tier ${request.tier}`)),
        body,
        mine.length === 0 ? form : null,
    );
}

/** The loan-to-value of a pledge against its asset's latest valuation, or why it cannot be measured. */
export type PledgeLtv =
    | { measured: false; reason: string }
    | {
          measured: true;
          /** The secured amount over the valuation, in basis points, rounded up (so a figure over the cap never shows as at it). */
          bps: bigint;
          /** With what the asset's other active pledges secure, rounded up; equal to `bps` when they secure nothing. */
          totalBps: bigint;
          /** What the asset's other active pledges secure. */
          securedByOthers: bigint;
          /** The secured amounts the ledger adds up at acceptance: this pledge's and the other active pledges'. */
          securedTotal: bigint;
          /** Whether the total is within the cap (the ledger's exact comparison), or undefined when the cap is unknown. */
          withinCap: boolean | undefined;
      };

function ceilBps(amount: bigint, valuation: bigint): bigint {
    return (amount * 10_000n + valuation - 1n) / valuation;
}

/**
 * A pledge's loan-to-value as the ledger judges it at acceptance (chaincode ip/pledge.ts
 * checkPledgeRules): the secured amount plus `securedByOthers` (the asset's other active pledges)
 * against the latest valuation, in one currency, within `maxLtvBps` when
 * total × 10000 ≤ valuation × maxLtvBps.
 */
export function pledgeLtv(
    pledge: Pick<IpPledge, 'securedAmount' | 'currency'>,
    valuation: { amount: string; currency: string } | undefined,
    maxLtvBps: number | undefined,
    securedByOthers = 0n,
): PledgeLtv {
    if (!valuation) {
        return { measured: false, reason: 'The asset has no valuation yet: the ledger refuses to accept a pledge of it until an appraiser values it.' };
    }
    if (valuation.currency !== pledge.currency) {
        return { measured: false, reason: `The pledge is in ${pledge.currency} but the asset is valued in ${valuation.currency}: the ledger cannot compare them and refuses to accept it.` };
    }
    const value = BigInt(valuation.amount);
    if (value <= 0n) {
        return { measured: false, reason: 'The asset is valued at nothing.' };
    }
    const secured = BigInt(pledge.securedAmount);
    const securedTotal = secured + securedByOthers;
    return {
        measured: true,
        bps: ceilBps(secured, value),
        totalBps: ceilBps(securedTotal, value),
        securedByOthers,
        securedTotal,
        withinCap: maxLtvBps === undefined ? undefined : securedTotal * 10_000n <= value * BigInt(maxLtvBps),
    };
}

/** What the asset's other active pledges secure, from its public notice (other pledgees' pledges included), in `currency`. */
function securedByOtherActive(notice: PledgeNotice | undefined, pledge: IpPledge): bigint {
    return (notice?.pledges ?? []).filter((p) => p.id !== pledge.id && p.status === 'ACTIVE' && p.currency === pledge.currency).reduce((sum, p) => sum + BigInt(p.securedAmount), 0n);
}

/** A pledge's loan-to-value in a sentence. */
export function ltvSentence(ltv: PledgeLtv, maxLtvBps: number | undefined, currency: string): string {
    if (!ltv.measured) {
        return ltv.reason;
    }
    const total = ltv.securedByOthers > 0n ? ` With the asset’s other active pledges, ${formatMoney(ltv.securedTotal, currency)} is secured: ${formatBps(ltv.totalBps)}.` : '';
    const cap =
        maxLtvBps === undefined
            ? ''
            : ltv.withinCap
              ? ` Within the ${formatBps(maxLtvBps)} cap.`
              : ` Above the ${formatBps(maxLtvBps)} cap: the ledger refuses to accept it.`;
    return `Loan-to-value ${formatBps(ltv.bps)} of the latest valuation.${total}${cap}`;
}

/** Whether a pledgee's decision can work now, or why the ledger would refuse it, in words. */
export type Availability = { available: true } | { available: false; reason: string };

/**
 * Whether the ledger would take the pledgee's time- and state-dependent decisions on `p` on its
 * date `today` (YYYY-MM-DD): accepting a REQUESTED pledge is refused once its term has ended
 * (EXPIRED), on an asset realised by an enforcement, under another active pledge that allows no
 * junior one (ALREADY_PLEDGED), or when the rank it declared is no longer the one right behind the
 * asset's active pledges (PRIORITY_VIOLATION; read from the public notice's `noticePledges` when
 * known); enforcing an ACTIVE pledge is refused before its term starts. Releasing and rejecting
 * depend on neither. `name` gives an enterprise's name.
 */
export function pledgeeChoices(
    p: Pick<IpPledge, 'id' | 'status' | 'priority' | 'termStart' | 'termEnd'>,
    asset: Pick<IpAsset, 'enforcedAt' | 'enforcedPledgeId'> | undefined,
    noticePledges: readonly Pick<IpPledge, 'id' | 'status' | 'priority' | 'allowJunior' | 'pledgeeId'>[] | undefined,
    today: string,
    name: (id: string) => string = (id) => id,
): { accept: Availability; enforce: Availability } {
    const yes: Availability = { available: true };
    const enforce: Availability =
        p.status === 'ACTIVE' && today < p.termStart ? { available: false, reason: `Enforceable from ${p.termStart}, when the pledge's term starts.` } : yes;
    if (p.status !== 'REQUESTED') {
        return { accept: yes, enforce };
    }
    if (p.termEnd < today) {
        return { accept: { available: false, reason: `The term ended on ${p.termEnd}: the ledger no longer accepts this pledge. Reject it; the pledgor may request a new one.` }, enforce };
    }
    if (asset?.enforcedAt) {
        return {
            accept: { available: false, reason: `The asset was realised by the enforcement of a pledge on ${asset.enforcedAt.slice(0, 10)}: it cannot be pledged again.` },
            enforce,
        };
    }
    if (noticePledges) {
        const active = noticePledges.filter((o) => o.id !== p.id && o.status === 'ACTIVE');
        const blocking = active.find((o) => !o.allowJunior);
        if (blocking) {
            return { accept: { available: false, reason: `The asset is pledged to ${name(blocking.pledgeeId)}, which allows no junior pledge, until that pledge is released.` }, enforce };
        }
        if (p.priority !== active.length + 1) {
            return {
                accept: {
                    available: false,
                    reason: `The pledge declares rank ${p.priority}, but the asset has ${active.length} active pledge${active.length === 1 ? '' : 's'} now, so the next must rank ${active.length + 1}: the pledgor must request again.`,
                },
                enforce,
            };
        }
    }
    return { accept: yes, enforce };
}

/** A disabled button that says, beside it and as its tooltip, why the ledger would refuse it now. */
function notYetButton(text: string, action: string, reason: string, attributes: Record<string, string> = {}): HTMLElement {
    return h(
        'span',
        { class: 'not-yet' },
        h('button', { type: 'button', ...attributes, disabled: true, 'data-action': action, title: reason }, text),
        h('small', { class: 'muted not-yet-hint' }, ` ${reason}`),
    );
}

/** What the financier sees of a pledged asset: title, kind, registry number, or its id when the asset could not be read. */
interface PledgedAsset {
    asset: IpAsset | undefined;
    notice: PledgeNotice | undefined;
}

/**
 * Financier: pledges to accept or reject, active pledges to release or enforce — each with the
 * asset pledged (a financier may read any IP asset: title, kind, registry number, latest valuation)
 * and the loan-to-value the ledger checks at acceptance (other pledgees' active pledges included,
 * from the asset's public notice). Every decision asks first.
 */
export async function financierPledgesView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [all, parameters] = await Promise.all([ctx.api.listPledges(me), ctx.api.ipParameters().catch(() => undefined)]);
    const pledges = all.filter((p) => p.pledgeeId === me);
    const maxLtvBps = parameters?.maxLtvBps;
    // Accepting and enforcing depend on the ledger's date, not the browser's.
    const today = addDays(ctx.now(), 0);
    // The pledgor owns the asset: its asset list (open to financiers) holds it.
    const pledgors = [...new Set(pledges.map((p) => p.pledgorId))];
    const owned = await Promise.all(pledgors.map((id) => ctx.api.listIpAssets(id).catch(() => [] as IpAsset[])));
    const assets = new Map(owned.flat().map((a) => [a.id, a]));
    const decided = [...new Set(pledges.filter((p) => p.status === 'REQUESTED').map((p) => p.assetId))];
    const notices = new Map(await Promise.all(decided.map(async (id) => [id, await ctx.api.pledgeNotice(id).catch(() => undefined)] as const)));
    // The newest request first among pledges of one status.
    const entries = orderItems(pledges, (p) => p.requestedAt, 'descending').map((p) => {
        const pledged: PledgedAsset = { asset: assets.get(p.assetId), notice: notices.get(p.assetId) };
        const valuation = pledged.asset?.valuation;
        const ltv = pledgeLtv(p, valuation, maxLtvBps, p.status === 'REQUESTED' ? securedByOtherActive(pledged.notice, p) : 0n);
        return { p, pledged, valuation, ltv };
    });
    const row = ({ p, pledged, valuation, ltv }: (typeof entries)[number]): Child[] => [
        idText(p.id),
        langText(ctx.directory.name(p.pledgorId)),
        assetCell(pledged.asset, p.assetId),
        valuation
            ? h('span', null, money(valuation.amount, valuation.currency), h('br'), h('small', { class: 'muted' }, langText(`${valuation.valuationDate} by ${ctx.directory.name(valuation.appraiserId)}`)))
            : h('span', { class: 'muted' }, pledged.asset ? 'not valued' : 'unknown'),
        money(p.securedAmount, p.currency),
        ltvCell(ltv, maxLtvBps, p.currency),
        `${p.termStart} → ${p.termEnd}`,
        `${p.priority}`,
        badge(p.status),
        pledgeActions(ctx, p, pledged.asset, ltvSentence(ltv, maxLtvBps, p.currency), pledgeeChoices(p, pledged.asset, pledged.notice?.pledges, today, (id) => ctx.directory.name(id))),
    ];
    return h(
        'div',
        null,
        h('h1', null, 'IP pledges'),
        card(
            'Pledges to you',
            maxLtvBps !== undefined ? h('p', { class: 'hint' }, `The platform’s loan-to-value cap: ${formatBps(maxLtvBps)} of an asset’s latest valuation, for all its active pledges together.`) : null,
            // Those awaiting a decision first, then the active ones, then those closed.
            orderedTable(entries, {
                id: 'pledges',
                columns: [
                    { header: 'Pledge', sortBy: (e) => e.p.id },
                    { header: 'Pledgor', sortBy: (e) => ctx.directory.name(e.p.pledgorId) },
                    { header: 'Asset', sortBy: (e) => e.pledged.asset?.title },
                    { header: 'Valuation', sortBy: (e) => moneyKey(e.valuation?.amount, e.valuation?.currency) },
                    { header: 'Secured', sortBy: (e) => moneyKey(e.p.securedAmount, e.p.currency) },
                    { header: 'Loan-to-value', sortBy: (e) => (e.ltv.measured ? e.ltv.bps : undefined) },
                    { header: 'Term', sortBy: (e) => [e.p.termStart, e.p.termEnd] },
                    { header: 'Rank', sortBy: (e) => e.p.priority },
                    { header: 'Status', sortBy: (e) => statusRank(STATUS_ORDERS.pledge, e.p.status) },
                    { header: '' },
                ],
                row,
                order: { column: 'Status', direction: 'ascending' },
                status: (e) => e.p.status,
                statusOrder: STATUS_ORDERS.pledge,
                empty: 'No pledges name you as pledgee.',
            }),
        ),
    );
}

function assetCell(asset: IpAsset | undefined, assetId: string): HTMLElement {
    if (!asset) {
        return h('span', { class: 'pledged-asset' }, idText(assetId), h('br'), h('small', { class: 'muted' }, 'The asset could not be read.'));
    }
    return h(
        'span',
        { class: 'pledged-asset' },
        h('strong', null, asset.title),
        h('br'),
        h('small', null, `${ipKindLabel(asset.kind)} ${registryText(asset)} · expires ${asset.expiryDate}`),
        asset.enforcedAt ? [h('br'), h('small', { class: 'muted' }, `realised by enforcement on ${asset.enforcedAt.slice(0, 10)}`)] : null,
        h('br'),
        idText(asset.id),
    );
}

function ltvCell(ltv: PledgeLtv, maxLtvBps: number | undefined, currency: string): HTMLElement {
    if (!ltv.measured) {
        return h('span', { class: 'ltv muted', title: ltv.reason }, '—');
    }
    const over = ltv.withinCap === false;
    return h(
        'span',
        { class: `ltv${over ? ' bad' : ''}`, title: ltvSentence(ltv, maxLtvBps, currency), 'data-ltv-bps': String(ltv.bps) },
        formatBps(ltv.bps),
        ltv.securedByOthers > 0n ? h('small', { class: 'muted' }, ` (${formatBps(ltv.totalBps)} with other active pledges)`) : null,
        maxLtvBps !== undefined ? h('br') : null,
        maxLtvBps !== undefined ? h('small', { class: over ? 'bad' : 'muted' }, over ? `above the ${formatBps(maxLtvBps)} cap` : `cap ${formatBps(maxLtvBps)}`) : null,
    );
}

/**
 * A pledge's decisions, each asked first with what it concerns: accept (the asset, its valuation
 * and the loan-to-value) or reject (with a reason) a requested one; release or enforce (with a
 * reason; enforcement cannot be undone) an active one. Disabled while frozen; accept and enforce
 * also while the ledger would refuse them (`choices`), saying why and, for enforcement, from when.
 */
function pledgeActions(ctx: AppContext, p: IpPledge, asset: IpAsset | undefined, ltv: string, choices: { accept: Availability; enforce: Availability }): HTMLElement | string {
    const frozen = frozenAttributes(ctx);
    const pledgor = ctx.directory.name(p.pledgorId);
    const secured = formatMoney(p.securedAmount, p.currency);
    const what = asset ? `“${asset.title}” (${ipKindLabel(asset.kind)} ${registryText(asset)})` : `asset ${p.assetId}`;
    const valued = asset?.valuation ? ` It is valued at ${formatMoney(asset.valuation.amount, asset.valuation.currency)} (${asset.valuation.valuationDate}).` : asset ? '' : ' The asset could not be read.';
    const reason = h('input', { placeholder: 'Reason', 'aria-label': `Reason to ${p.status === 'REQUESTED' ? 'reject' : 'enforce'} pledge ${p.id}`, autocomplete: 'off' });
    // Enter in the reason box does what the reason's button does: asks first, and once asked, confirms.
    submitOnEnter(reason, () => {
        const ask = cell.querySelector<HTMLButtonElement>('button[data-reason-action]');
        return ask?.parentElement?.querySelector<HTMLButtonElement>('.confirm button.danger') ?? ask;
    });
    const reject = (): HTMLElement =>
        confirmButton(
            ctx,
            'Reject',
            () => `Reject the pledge of ${what} requested by ${pledgor}, securing ${secured}? The request is closed for good; ${pledgor} would have to request a new pledge. Reason recorded: “${reason.value.trim()}”.`,
            async () => ctx.api.pledgeAction(p.id, 'reject', requiredReason(reason, 'Give a reason to reject.')),
            { progress: 'Rejecting the pledge…', success: 'Pledge rejected.', container: cell, check: () => void requiredReason(reason, 'Give a reason to reject.') },
            { 'data-reason-action': 'reject', ...frozen },
        );
    const enforce = (): HTMLElement =>
        confirmButton(
            ctx,
            'Enforce',
            () => `Enforce pledge ${p.id} of ${what} against ${pledgor}, securing ${secured}? Enforcement is recorded for good, realises the asset and counts against the pledgor's credit profile; it cannot be undone.`,
            async () => ctx.api.pledgeAction(p.id, 'enforce', requiredReason(reason, 'Give a reason to enforce.')),
            { progress: 'Enforcing the pledge…', success: 'Pledge enforced.', container: cell, check: () => void requiredReason(reason, 'Give a reason to enforce.') },
            { 'data-reason-action': 'enforce', class: 'danger', ...frozen },
        );
    const accept = (): HTMLElement =>
        confirmButton(
            ctx,
            'Accept',
            `Accept the pledge of ${what} from ${pledgor}, securing ${secured} at rank ${p.priority} from ${p.termStart} to ${p.termEnd}?${valued} ${ltv} Once accepted the pledge is active until you release or enforce it.`,
            () => ctx.api.pledgeAction(p.id, 'accept'),
            { progress: 'Accepting the pledge (checks priority, consents and LTV)…', success: 'Pledge accepted.', container: cell },
            { class: 'primary', 'data-action': 'accept', ...frozen },
        );
    const release = (): HTMLElement =>
        confirmButton(
            ctx,
            'Release',
            `Release pledge ${p.id} of ${what} back to ${pledgor}, securing ${secured}? The asset is free of this pledge for good (pledges ranked behind it move up); this cannot be undone.`,
            () => ctx.api.pledgeAction(p.id, 'release'),
            { progress: 'Releasing the pledge…', success: 'Pledge released.', container: cell },
            { class: 'primary', 'data-action': 'release', ...frozen },
        );
    const cell: HTMLElement = h('span', { class: 'actions panel' });
    if (p.status === 'REQUESTED') {
        cell.append(choices.accept.available ? accept() : notYetButton('Accept', 'accept', choices.accept.reason, { class: 'primary' }), reason, reject());
    } else if (p.status === 'ACTIVE') {
        // The reason box serves enforcement only: while it cannot work, there is nothing to type.
        cell.append(release(), ...(choices.enforce.available ? [reason, enforce()] : [notYetButton('Enforce', 'enforce', choices.enforce.reason, { class: 'danger' })]));
    } else {
        return p.closeReason ?? '';
    }
    return cell;
}

/** Financier: its portfolio — notes it holds (discounted), notes redeemed to it, lines and pledges. */
export async function portfolioView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [notes, lines, pledges] = await Promise.all([ctx.api.listNotes(me), ctx.api.listCreditLines(me), ctx.api.listPledges(me)]);
    const totals = new Map<string, bigint>();
    for (const n of notes) {
        totals.set(n.currency, (totals.get(n.currency) ?? 0n) + BigInt(n.amount));
    }
    return h(
        'div',
        null,
        h('h1', null, 'Portfolio'),
        h(
            'p',
            { class: 'summary' },
            notes.length === 0 ? 'No discounted notes held now. Notes redeemed to you are under Redeemed notes.' : [...totals].map(([c, a]) => h('span', null, 'Notes held: ', h('strong', null, formatMoney(a, c)), ' ')),
        ),
        card(
            'Discounted notes',
            // Soonest maturity first: the next to be redeemed.
            orderedTable(notes, {
                id: 'portfolio-notes',
                columns: [
                    { header: 'Note', sortBy: (n) => n.id },
                    { header: 'Amount', sortBy: (n) => moneyKey(n.amount, n.currency) },
                    { header: 'Issuer', sortBy: (n) => ctx.directory.name(n.issuerId) },
                    { header: 'Maturity', sortBy: (n) => n.maturityDate },
                    { header: 'Tier', sortBy: (n) => n.tier },
                    { header: 'Status', sortBy: (n) => statusRank(STATUS_ORDERS.note, n.status) },
                ],
                row: (n) => [idText(n.id, { href: provenanceHref(n.id) }), money(n.amount, n.currency), langText(ctx.directory.name(n.issuerId)), n.maturityDate, `${n.tier}`, badge(n.status)],
                order: { column: 'Maturity', direction: 'ascending' },
                status: (n) => n.status,
                statusOrder: STATUS_ORDERS.note,
                empty: 'None held now.',
            }),
        ),
        deferredCard('Redeemed notes', { id: 'settled-notes' }, () => redeemedToFinancier(ctx)),
        card(
            'Credit lines',
            table(
                ['Core enterprise', 'Limit', 'Used', 'Status'],
                orderItems(
                    lines.filter((l) => l.financierId === me),
                    (l) => ctx.directory.name(l.coreEnterpriseId),
                    'ascending',
                ).map((l) => [langText(ctx.directory.name(l.coreEnterpriseId)), money(l.limit, l.currency), money(l.used, l.currency), lineBadge(l, ctx.now())]),
                'None.',
            ),
        ),
        card(
            'Active pledges',
            table(
                ['Pledgor', 'Secured', 'Term end'],
                // The soonest end of term first.
                orderItems(
                    pledges.filter((p) => p.pledgeeId === me && p.status === 'ACTIVE'),
                    (p) => p.termEnd,
                    'ascending',
                ).map((p) => [langText(ctx.directory.name(p.pledgorId)), money(p.securedAmount, p.currency), p.termEnd]),
                'None.',
            ),
        ),
    );
}


/**
 * Notes the financier bought by discounting and was paid for at redemption: what it paid (its
 * quote's price) and what it received, when.
 */
async function redeemedToFinancier(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const funded = (await ctx.api.listDiscountRequests(me)).filter((r) => r.status === 'ACCEPTED' && r.financierId === me && r.fundedNoteId);
    const redeemed = await redeemedNotesOf(ctx.api, me, distinctIds(funded.map((r) => r.fundedNoteId)));
    const bought = new Map(funded.map((r) => [r.fundedNoteId as string, r]));
    const prices = await Promise.all(
        redeemed.notes.map((n) => {
            const quoteId = bought.get(n.id)?.acceptedQuoteId;
            return quoteId ? ctx.api.readQuoteTerms(quoteId).then((t) => t.price).catch(() => undefined) : Promise.resolve(undefined);
        }),
    );
    const rows = redeemed.notes.map((n, i) => ({ n, paid: prices[i], boughtAt: bought.get(n.id)?.resolvedAt }));
    // The latest redemption first.
    return orderedTable(rows, {
        id: 'settled-notes-table',
        columns: [
            { header: 'Note', sortBy: (r) => r.n.id },
            { header: 'Issuer', sortBy: (r) => ctx.directory.name(r.n.issuerId) },
            { header: 'Bought', sortBy: (r) => r.boughtAt },
            { header: 'You paid', sortBy: (r) => moneyKey(r.paid, r.n.currency) },
            { header: 'You received', sortBy: (r) => moneyKey(r.n.amount, r.n.currency) },
            { header: 'Redeemed', sortBy: (r) => r.n.redeemedAt },
        ],
        row: ({ n, paid, boughtAt }) => [
            idText(n.id, { href: provenanceHref(n.id) }),
            langText(ctx.directory.name(n.issuerId)),
            formatDateTime(boughtAt),
            paid ? money(paid, n.currency) : '—',
            h('strong', { class: 'received' }, formatMoney(n.amount, n.currency)),
            formatDateTime(n.redeemedAt),
        ],
        order: { column: 'Redeemed', direction: 'descending' },
        empty: 'No note you discounted has been redeemed yet.',
    });
}
