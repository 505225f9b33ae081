import { ApiError } from '../api-client';
import { Child, h } from '../dom';
import { addDays, countOf, daysUntil, exponentOf, formatDateTime, formatMinorUnits, formatMoney, humanizeCode, langText, parseMajorUnits, relativeDays, sumMinor } from '../format';
import { orderItems, orderedTable } from '../list-order';
import { backedRootIds, payeesOf, redeemedLeavesOf } from '../note-history';
import { checkBacking, defaultIssueAmount, lastOnTimeDate, limitProblem, overdueAllowed } from '../note-forms';
import type { CreditLine, Exposure, Note, Receivable, RedemptionResult } from '../resources';
import { latestMaturityDate } from '../../../chaincode/src/note/tenor';
import { maturityProblem, monthsText } from '../form-checks';
import type { AppContext } from './context';
import { byInvoice } from './receivables-view';
import { creditLineColumns, creditLineList } from './financier-views';
import { InputError, badge, card, checkField, clearOutcome, deferredCard, field, fieldProblem, formValue, idText, lineBadge, lineStatus, lineUsable, money, provenanceHref, requiredValue, select, table } from './ui';
import { actionForm, confirmButton, frozenAttributes, grid, markOverdueButton } from './view-kit';

/** Core enterprise: issue notes within a credit line (remaining limit visible), backed by confirmed receivables. */
export async function issueView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [lines, receivables, parameters] = await Promise.all([ctx.api.listCreditLines(me), ctx.api.listReceivables(me, 'buyer'), ctx.api.noteParameters().catch(() => undefined)]);
    const myLines = lines.filter((l) => l.coreEnterpriseId === me);
    const confirmed = byInvoice(receivables.filter((r) => r.status === 'CONFIRMED'));
    const now = ctx.now();
    return h(
        'div',
        null,
        h('h1', null, 'Issue credit notes'),
        card(
            'Credit lines',
            orderedTable(myLines, {
                id: 'credit-lines',
                columns: creditLineColumns('Financier', (l) => ctx.directory.name(l.financierId), now),
                row: (l) => [idText(l.id), langText(ctx.directory.name(l.financierId)), money(l.limit, l.currency), money(l.used, l.currency), h('strong', { class: 'remaining' }, formatMoney(l.remaining, l.currency)), l.expiresAt.slice(0, 10), lineBadge(l, now)],
                ...creditLineList(now),
                empty: 'No credit line has been granted to you yet.',
            }),
        ),
        issueForm(ctx, myLines.filter((l) => lineUsable(l, now)), confirmed, parameters?.maxTenorMonths, noUsableLine(myLines, now)),
    );
}

/**
 * Why no credit line can back a note, in words, or undefined when one can: none granted, every
 * line revoked, past its expiry (the ledger's time `now`) or with no limit left.
 */
export function noUsableLine(lines: readonly CreditLine[], now: Date): string | undefined {
    if (lines.some((l) => lineUsable(l, now) && BigInt(l.remaining) > 0n)) {
        return undefined;
    }
    if (lines.length === 0) {
        return 'No credit line has been granted to you yet: a financier must grant one before you can issue a note.';
    }
    const reasons: string[] = [];
    const count = (n: number, what: string): void => {
        if (n > 0) {
            reasons.push(`${n} ${what}`);
        }
    };
    count(lines.filter((l) => lineStatus(l, now) === 'EXPIRED').length, 'expired');
    count(lines.filter((l) => lineUsable(l, now) && BigInt(l.remaining) <= 0n).length, 'used up (no limit left)');
    count(lines.filter((l) => l.status === 'REVOKED').length, 'revoked');
    return `No credit line can back a new note: of your ${lines.length} line${lines.length === 1 ? '' : 's'}, ${reasons.join(', ')}. Ask a financier for a new line or a higher limit.`;
}

/** What a confirmed receivable may still back: its available amount (older records: the whole amount). */
function available(receivable: Receivable): string {
    return receivable.availableAmount ?? receivable.amount;
}

/**
 * The form that issues a note. Only receivables in the chosen line's currency are offered (the
 * ledger refuses to mix currencies); the amount defaults to what they have available, capped at
 * what the line has left; a note for less draws only its amount and leaves the rest of the last one
 * available (note-forms checkBacking). A note above the line's remaining limit is refused before sending.
 */
function issueForm(ctx: AppContext, lines: CreditLine[], confirmed: Receivable[], maxTenorMonths: number | undefined, noLine: string | undefined): HTMLElement {
    const today = ctx.now();
    // The ledger's rule (chaincode note/tenor.ts): today plus the cap in calendar months, clamped to a shorter month's end.
    const latest = maxTenorMonths !== undefined ? latestMaturityDate(today, maxTenorMonths) : undefined;
    const suggested = addDays(today, 90);
    const amount = h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off' });
    const lineSelect = select('creditLineId', lines.map((l) => [l.id, `${ctx.directory.name(l.financierId)} — ${l.currency} — remaining ${formatMoney(l.remaining, l.currency)}`]));
    const checks = confirmed.map((r) =>
        h(
            'label',
            { class: 'check', 'data-currency': r.currency },
            h('input', { type: 'checkbox', name: 'receivableIds', value: r.id, 'data-seller': r.sellerId, 'data-amount': available(r), 'data-currency': r.currency }),
            langText(` ${r.invoiceNumber} — ${ctx.directory.name(r.sellerId)} — ${available(r) === r.amount ? formatMoney(r.amount, r.currency) : `${formatMoney(available(r), r.currency)} available of ${formatMoney(r.amount, r.currency)}`}`),
        ),
    );
    const noneInCurrency = h('p', { class: 'empty' });
    const otherCurrencies = h('p', { class: 'hint', id: 'other-currency-receivables' });
    const backing = h('p', { class: 'hint', id: 'issue-backing', 'aria-live': 'polite' });
    const remainder = h('p', { class: 'hint', id: 'issue-remainder', 'aria-live': 'polite', hidden: true });
    const limitHint = h('p', { class: 'hint', id: 'issue-limit', 'aria-live': 'polite', hidden: true });
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'issue-note' },
        title: 'New note',
        content: [
            h('p', { class: 'muted' }, 'Back the note with confirmed receivables of one supplier; it is issued to that supplier and draws on the credit line, in the line’s currency.'),
            noLine ? h('p', { class: 'empty', id: 'no-usable-line' }, noLine) : grid(field('Credit line', lineSelect)),
            h(
                'fieldset',
                null,
                h('legend', null, 'Confirmed receivables'),
                checks.length > 0 ? [checks, noneInCurrency, otherCurrencies] : h('p', { class: 'empty' }, 'No confirmed receivables to back a note.'),
            ),
            grid(
                field('Amount', amount, 'Defaults to what the selected receivables have available, up to what the credit line has left; it may be neither more than the one nor than the other.'),
                field(
                    'Maturity date',
                    h('input', { name: 'maturityDate', type: 'date', value: latest !== undefined && latest < suggested ? latest : suggested, min: addDays(today, 1), ...(latest !== undefined ? { max: latest } : {}) }),
                    maxTenorMonths !== undefined && latest !== undefined ? `After today and at most ${monthsText(maxTenorMonths)} away: ${latest} at the latest.` : 'After today.',
                ),
            ),
            backing,
            limitHint,
            remainder,
        ],
        submit: 'Issue note',
        submitAttributes: noLine ? { disabled: 'true', title: noLine } : frozenAttributes(ctx),
        run: async (f) => {
            if (noLine) {
                throw new InputError(noLine);
            }
            const line = lines.find((l) => l.id === requiredValue(f, 'creditLineId', 'a credit line'));
            if (!line) {
                throw new InputError('Choose a credit line.', { field: 'creditLineId' });
            }
            const boxes = selected();
            if (boxes.length === 0) {
                throw new InputError(`Select at least one confirmed receivable in ${line.currency}.`, { field: 'receivableIds' });
            }
            const sellers = new Set(boxes.map((b) => b.dataset.seller));
            if (sellers.size > 1) {
                throw new InputError('The selected receivables must all be from the same supplier.', { field: 'receivableIds' });
            }
            const minor = checkField('amount', () => parseMajorUnits(formValue(f, 'amount'), line.currency));
            const verdict = checkBacking(minor, boxes.map((b) => b.dataset.amount ?? '0'), line.currency);
            // More than the receivables have is the amount's problem; a receivable not needed is the selection's.
            fieldProblem(BigInt(minor) > BigInt(verdict.total) ? 'amount' : 'receivableIds', verdict.error);
            fieldProblem('amount', limitProblem(minor, line.remaining, line.currency, ctx.directory.name(line.financierId)));
            const maturityDate = requiredValue(f, 'maturityDate', 'the maturity date');
            fieldProblem('maturityDate', maturityProblem(maturityDate, ctx.now(), maxTenorMonths));
            return ctx.api.issueNote({
                holderId: boxes[0].dataset.seller ?? '',
                amount: minor,
                currency: line.currency,
                maturityDate,
                creditLineId: line.id,
                receivableIds: boxes.map((b) => b.value),
            });
        },
        options: { progress: 'Issuing the note on the ledger…', success: 'Note issued.' },
    });
    const currentLine = (): CreditLine | undefined => lines.find((l) => l.id === lineSelect.value);
    const selected = (): HTMLInputElement[] => Array.from(form.querySelectorAll<HTMLInputElement>('input[name=receivableIds]:checked'));

    /** Offers only the receivables in the chosen line's currency. */
    const filterByCurrency = (): void => {
        const currency = currentLine()?.currency;
        const hidden = new Map<string, number>();
        for (const label of checks) {
            const fits = currency === undefined || label.dataset.currency === currency;
            label.hidden = !fits;
            const box = label.querySelector('input') as HTMLInputElement;
            box.disabled = !fits;
            if (!fits) {
                box.checked = false;
                hidden.set(label.dataset.currency ?? '', (hidden.get(label.dataset.currency ?? '') ?? 0) + 1);
            }
        }
        const shown = checks.length - [...hidden.values()].reduce((a, b) => a + b, 0);
        noneInCurrency.textContent = currency && shown === 0 ? `No confirmed receivables in ${currency}.` : '';
        noneInCurrency.hidden = noneInCurrency.textContent === '';
        otherCurrencies.textContent =
            hidden.size > 0
                ? `Not shown: ${[...hidden].map(([c, n]) => `${n} in ${c}`).join(', ')}. A note is in its credit line’s currency and may only be backed by receivables in that currency; choose a line in another currency to use them.`
                : '';
    };

    /** Says what backs the note and warns when the note leaves part of its backing unused. */
    const showBacking = (): void => {
        const line = currentLine();
        const boxes = selected();
        remainder.hidden = true;
        backing.textContent = '';
        if (!line || boxes.length === 0) {
            return;
        }
        const amounts = boxes.map((b) => b.dataset.amount ?? '0');
        backing.textContent = `Backing: ${boxes.length} receivable${boxes.length === 1 ? '' : 's'}, ${formatMoney(sumMinor(amounts), line.currency)}.`;
        let minor: string;
        try {
            minor = parseMajorUnits(amount.value, line.currency);
        } catch {
            return;
        }
        const verdict = checkBacking(minor, amounts, line.currency);
        const overLimit = limitProblem(minor, line.remaining, line.currency, ctx.directory.name(line.financierId));
        if (verdict.error) {
            backing.textContent += ` ${verdict.error}`;
        } else if (overLimit) {
            backing.textContent += ` ${overLimit}`;
        } else if (verdict.note) {
            remainder.textContent = verdict.note;
            remainder.hidden = false;
        }
    };

    lineSelect.addEventListener('change', () => {
        filterByCurrency();
        autofill();
        showBacking();
    });
    /** Sets the amount to what the selected receivables have available, capped at what the line has left, and says when the line capped it. */
    const autofill = (): void => {
        const line = currentLine();
        const boxes = selected();
        limitHint.hidden = true;
        limitHint.textContent = '';
        if (!line || boxes.length === 0) {
            amount.value = '';
            return;
        }
        const amounts = boxes.map((b) => b.dataset.amount ?? '0');
        const proposal = defaultIssueAmount(amounts, line.remaining);
        amount.value = formatMinorUnits(proposal.amount, exponentOf(line.currency));
        if (proposal.capped) {
            limitHint.textContent = `The selected receivables have ${formatMoney(sumMinor(amounts), line.currency)} available, but the credit line has only ${formatMoney(proposal.amount, line.currency)} left: the amount is set to that.`;
            limitHint.hidden = false;
        }
    };
    form.addEventListener('change', (event) => {
        if ((event.target as HTMLInputElement).name === 'receivableIds') {
            autofill();
            showBacking();
        }
    });
    amount.addEventListener('input', () => {
        // What the form set no longer stands once the user types an amount of their own.
        limitHint.hidden = true;
        showBacking();
    });
    // An error about what the user has since changed no longer applies: it goes as the input changes.
    form.addEventListener('input', () => clearOutcome(form));
    form.addEventListener('change', () => clearOutcome(form));
    filterByCurrency();
    return form;
}

/** Core enterprise: everything outstanding down the chain, by root, holder and tier; redemption at maturity; redeemed notes. */
export async function exposureView(ctx: AppContext): Promise<Node> {
    const me = ctx.params.enterpriseId ?? ctx.user?.enterpriseId ?? '';
    let exposure: Exposure;
    try {
        exposure = await ctx.api.exposure(me);
    } catch (error) {
        const refusal = exposureRefusal(ctx, me, error);
        if (refusal) {
            return refusal;
        }
        throw error;
    }
    const today = ctx.now();
    const isIssuer = ctx.user?.role === 'core-enterprise' && ctx.user.enterpriseId === me;
    // The regulator oversees; marking a root overdue is for those it is owed to (and its issuer).
    const mayMarkOverdue = ctx.user?.role !== 'regulator';
    const issuerName = ctx.directory.name(me);
    // The soonest maturity first: the next to redeem (the ledger lists roots by id).
    const roots = orderItems(exposure.roots, (root) => [root.maturityDate, root.rootId], 'ascending').map((root) => {
        const days = daysUntil(root.maturityDate, today);
        const tiers = new Map<number, bigint>();
        for (const p of root.positions) {
            tiers.set(p.tier, (tiers.get(p.tier) ?? 0n) + BigInt(p.amount));
        }
        // Each root's own grace (fixed at issuance) and deadline, which the exposure carries to every reader of it.
        const graceDays = root.graceDays;
        const deadline = new Date(root.graceDeadline);
        return h(
            'section',
            { class: 'card root', 'data-root-id': root.rootId },
            h('h2', null, 'Note ', idText(root.rootId), ' ', root.overdue ? badge('OVERDUE') : null),
            h(
                'p',
                null,
                'Face ',
                money(root.faceAmount, root.currency),
                ' · outstanding ',
                money(root.outstandingAmount, root.currency),
                ` · matures ${root.maturityDate} (${relativeDays(days)})`,
            ),
            h(
                'div',
                { class: 'tiers' },
                [...tiers].sort(([a], [b]) => a - b).map(([tier, amount]) => tierBar(tier, amount, BigInt(root.faceAmount), root.currency)),
            ),
            // Down the chain tier by tier, the largest holding of a tier first.
            table(
                ['Holder', 'Tier', 'Amount', 'Notes'],
                orderItems(root.positions, (p) => [p.tier, -BigInt(p.amount), ctx.directory.name(p.holderId)], 'ascending').map((p) => [
                    langText(ctx.directory.name(p.holderId)),
                    `${p.tier}`,
                    money(p.amount, root.currency),
                    p.noteIds.map((id) => [idText(id, { href: provenanceHref(id) }), ' ']),
                ]),
            ),
            h(
                'p',
                { class: 'actions' },
                h('a', { href: provenanceHref(root.rootId) }, 'Provenance tree'),
                isIssuer ? redeemButton(ctx, root.rootId, root.maturityDate, root.currency, root.positions, today) : null,
                // Anyone may mark it overdue from its grace deadline, unredeemed (chaincode redemption.ts markOverdue).
                !root.overdue && deadline && mayMarkOverdue ? markOverdueButton(ctx, root.rootId, issuerName, deadline, today) : null,
            ),
            !root.overdue && deadline
                ? h(
                      'p',
                      { class: 'hint overdue-rule' },
                      overdueAllowed(root.maturityDate, graceDays, today)
                          ? `Its grace ended ${formatDateTime(deadline.toISOString())} with the note unredeemed: anyone may mark it overdue.`
                          : `On time if redeemed by the end of ${lastOnTimeDate(deadline)} UTC (its maturity date${graceDays === 0 ? ', no grace days' : ` plus ${graceDays} grace day${graceDays === 1 ? '' : 's'}`}). Still unredeemed at ${formatDateTime(deadline.toISOString())}, anyone may mark it overdue; the ledger refuses before.`,
                  )
                : null,
        );
    });
    const mayListRedeemed = isIssuer || ctx.user?.role === 'regulator';
    return h(
        'div',
        null,
        h('h1', null, 'Exposure of ', langText(issuerName)),
        // A financier's map holds only the roots drawn on its own lines (chaincode provenance.ts authorizeExposureRead).
        ctx.user?.role === 'financier' ? h('p', { class: 'hint', id: 'exposure-scope' }, langText(`Notes of ${issuerName} drawn on your credit lines only; those drawn on other financiers' lines are not shown.`)) : null,
        h(
            'p',
            { class: 'summary', id: 'exposure-totals' },
            exposure.totals.length === 0
                ? `Nothing outstanding.${mayListRedeemed ? ' Redeemed notes are listed below.' : ''}`
                : // One group per currency, each with its own count: "Outstanding: CNY 375,000.50 on 2 notes; USD 10,000.00 on 1 note."
                  [
                      'Outstanding: ',
                      exposure.totals.map((t, i) => [i > 0 ? '; ' : null, h('span', { class: 'total', 'data-currency': t.currency }, h('strong', null, formatMoney(t.outstandingAmount, t.currency)), ` on ${countOf(t.roots, 'note')}`)]),
                      '.',
                  ],
        ),
        roots,
        mayListRedeemed ? deferredCard('Redeemed notes', { id: 'redeemed-roots' }, () => redeemedRoots(ctx, me, isIssuer ? 'No note of yours has been redeemed yet.' : `No note of ${issuerName} has been redeemed yet.`)) : null,
    );
}

/** An enterprise by name, its id after it, smaller (the id alone when the directory does not know it). */
function partyName(ctx: AppContext, id: string): Child[] {
    const known = ctx.directory.get(id);
    return known ? [langText(known.name), ' ', h('small', { class: 'muted party-id' }, '(', h('code', null, id), ')')] : [h('code', null, id)];
}

/**
 * The page for an exposure the ledger refused to show (chaincode provenance.ts
 * authorizeExposureRead), naming the enterprises rather than their ids: the reader may not see it
 * (FORBIDDEN), or the enterprise is not a core enterprise (INVALID_ARGUMENT). Undefined for any other error.
 */
function exposureRefusal(ctx: AppContext, coreId: string, error: unknown): HTMLElement | undefined {
    if (!(error instanceof ApiError)) {
        return undefined;
    }
    const target = ctx.directory.get(coreId);
    const reader = ctx.user?.enterpriseId ?? '';
    let headline: Child[];
    let detail: string;
    if (error.code === 'FORBIDDEN') {
        headline = [...partyName(ctx, reader), ' may not see the exposure of ', ...partyName(ctx, coreId), '.'];
        detail = 'A core enterprise’s exposure map is open to the enterprise itself, to the regulator, and to a financier that granted it a credit line, for the notes drawn on that financier’s own lines.';
    } else if (error.code === 'INVALID_ARGUMENT' && target && target.kind !== 'CORE_ENTERPRISE') {
        headline = [...partyName(ctx, coreId), ` is a ${humanizeCode(target.kind).toLowerCase()}, not a core enterprise.`];
        detail = 'Only a core enterprise issues notes, so only a core enterprise has an exposure map.';
    } else {
        return undefined;
    }
    return h(
        'div',
        null,
        h('h1', null, 'Exposure of ', target ? langText(target.name) : coreId),
        h('div', { class: 'error', role: 'alert', id: 'exposure-refused', 'data-code': error.code }, h('strong', null, headline), h('p', { class: 'detail' }, detail), h('p', { class: 'code' }, h('small', null, `Code ${error.code}`))),
    );
}

/**
 * The issuer's redeemed roots (found through the receivables that back them), each with when it
 * was paid, on time or late, and who was paid how much (its redeemed leaves, per holder).
 */
async function redeemedRoots(ctx: AppContext, issuerId: string, empty: string): Promise<Node> {
    const receivables = await ctx.api.listReceivables(issuerId, 'buyer');
    const roots = (await Promise.all(backedRootIds(receivables).map((id) => ctx.api.readNote(id).catch(() => undefined)))).filter(
        (n): n is Note => n !== undefined && n.rootStatus === 'REDEEMED',
    );
    roots.sort((a, b) => ((a.redeemedAt ?? '') < (b.redeemedAt ?? '') ? 1 : -1));
    const leaves = await Promise.all(roots.map((root) => redeemedLeavesOf(ctx.api, root.id)));
    return table(
        ['Note', 'Face', 'Matured', 'Redeemed', 'Paid to'],
        roots.map((root, i) => [
            idText(root.id, { href: provenanceHref(root.id) }),
            money(root.faceAmount ?? root.amount, root.currency),
            root.maturityDate,
            h('span', null, formatDateTime(root.redeemedAt), ' ', badge(root.onTime === false ? 'LATE' : 'ON_TIME'), root.overdue ? h('small', { class: 'muted' }, ` marked overdue ${formatDateTime(root.overdueAt)}`) : null),
            h(
                'ul',
                { class: 'payees' },
                payeesOf(leaves[i].notes).map((p) => h('li', null, langText(ctx.directory.name(p.holderId)), ' ', money(p.amount, root.currency))),
                payeesOf(leaves[i].escrowed).map((p) =>
                    h('li', { class: 'escrowed' }, langText(ctx.directory.name(p.holderId)), ' ', money(p.amount, root.currency), ' ', badge('ESCROWED'), h('small', { class: 'muted' }, ' held while the holder is frozen')),
                ),
                leaves[i].escrowed.length > 0 && issuerId === ctx.user?.enterpriseId ? h('li', null, payOutEscrowButton(ctx, root, leaves[i].escrowed)) : null,
            ),
        ]),
        empty,
        { id: 'redeemed-roots-table' },
    );
}

/** An amount owed to a holder: an exposure position, or an escrowed leaf. */
export interface HolderAmount {
    holderId: string;
    amount: string;
}

/** Amounts by holder, summed (a holder may hold several leaves or positions), in the order first met. */
function byHolder(lines: ReadonlyArray<HolderAmount>): HolderAmount[] {
    const sums = new Map<string, bigint>();
    for (const line of lines) {
        sums.set(line.holderId, (sums.get(line.holderId) ?? 0n) + BigInt(line.amount));
    }
    return [...sums].map(([holderId, amount]) => ({ holderId, amount: amount.toString() }));
}

/** Holders by name, each with its amount when there are several: "A" or "A (CNY 1.00), B (CNY 2.00)". */
function holdersText(lines: ReadonlyArray<HolderAmount>, currency: string, name: (id: string) => string): string {
    return lines.length === 1 ? name(lines[0].holderId) : lines.map((l) => `${name(l.holderId)} (${formatMoney(l.amount, currency)})`).join(', ');
}

/**
 * The question before redeeming a root: what its holders are paid and, when some are frozen
 * (`frozen`, from the directory), what goes into escrow for whom instead (chaincode redemption.ts:
 * a frozen enterprise receives nothing; the issuer pays its part into escrow, paid out once the
 * freeze is lifted). `positions` are the root's outstanding leaves by holder (GET /exposure).
 */
export function redemptionQuestion(rootId: string, currency: string, positions: ReadonlyArray<HolderAmount>, frozen: (id: string) => boolean, name: (id: string) => string): string {
    const holders = byHolder(positions);
    const paid = holders.filter((p) => !frozen(p.holderId));
    const escrowed = holders.filter((p) => frozen(p.holderId));
    const paidTotal = formatMoney(sumMinor(paid.map((p) => p.amount)), currency);
    if (escrowed.length === 0) {
        return `Redeem note ${rootId} now, paying its holders ${paidTotal} in all? This cannot be undone.`;
    }
    const into = `${formatMoney(sumMinor(escrowed.map((p) => p.amount)), currency)} into escrow for ${holdersText(escrowed, currency, name)}, frozen by the regulator (paid out to ${escrowed.length === 1 ? 'it' : 'them'} once the freeze is lifted)`;
    return `Redeem note ${rootId} now, ${paid.length > 0 ? `paying ${paid.length === 1 ? 'its holder' : 'its holders'} ${paidTotal} and ` : 'paying no holder now and '}${into}? This cannot be undone.`;
}

/**
 * What "Pay out escrow" would pay: the escrowed leaves (`escrowed`) of holders no longer frozen are
 * paid out; those of holders still frozen stay in escrow (the ledger refuses while every one is).
 */
export function escrowPayOut(escrowed: ReadonlyArray<HolderAmount>, frozen: (id: string) => boolean): { payable: HolderAmount[]; kept: HolderAmount[] } {
    const holders = byHolder(escrowed);
    return { payable: holders.filter((p) => !frozen(p.holderId)), kept: holders.filter((p) => frozen(p.holderId)) };
}

/**
 * "Pay out escrow" for the issuer of a redeemed root with leaves in escrow: redeeming it again pays
 * the escrowed leaves of holders no longer frozen (chaincode redemption.ts). While every such holder
 * is still frozen (the directory says who is) there is nothing to pay out and the ledger would
 * refuse: the button is disabled, naming them, with the reason as its tooltip.
 */
function payOutEscrowButton(ctx: AppContext, root: Note, escrowed: readonly Note[]): HTMLElement {
    const name = (id: string): string => ctx.directory.name(id);
    const { payable, kept } = escrowPayOut(escrowed, (id) => ctx.directory.get(id)?.status === 'FROZEN');
    const keptText = kept.length > 0 ? `${holdersText(kept, root.currency, name)} ${kept.length === 1 ? 'is' : 'are'} still frozen by the regulator` : '';
    if (payable.length === 0) {
        const why = `Nothing to pay out yet: ${keptText}. The escrow can be paid out once the freeze is lifted.`;
        return h('button', { type: 'button', disabled: true, 'data-action': 'pay-out-escrow', title: why, 'aria-disabled': 'true' }, 'Pay out escrow');
    }
    return confirmButton(
        ctx,
        'Pay out escrow',
        `Pay out ${formatMoney(sumMinor(payable.map((p) => p.amount)), root.currency)} held in escrow for note ${root.id} to ${holdersText(payable, root.currency, name)}?${kept.length > 0 ? ` ${formatMoney(sumMinor(kept.map((p) => p.amount)), root.currency)} stays in escrow: ${keptText}.` : ''} This cannot be undone.`,
        () => ctx.api.redeemNote(root.id),
        {
            // Paying holders what they are owed takes nothing from anyone: the primary style, not the red one.
            tone: 'primary',
            progress: 'Paying out escrow…',
            success: (r) => {
                const result = r as RedemptionResult;
                const still = result.escrows.length > 0 ? `; still held for ${result.escrows.length} frozen holder${result.escrows.length === 1 ? '' : 's'}` : '';
                return `Paid out ${formatMoney(sumMinor(result.payees.map((p) => p.amount)), root.currency)} from escrow${still}.`;
            },
        },
        // Open to a frozen issuer too: it only pays holders what they are owed (chaincode redemption.ts).
        { 'data-action': 'pay-out-escrow' },
    );
}

/**
 * "Redeem" for the issuer: live from the root's maturity (00:00 UTC of its maturity date, by the
 * ledger's time `now`), disabled before with the date it becomes possible; it asks for confirmation
 * before paying. A frozen issuer may redeem too, the one thing a freeze leaves it: redemption only
 * pays the holders what they are owed (chaincode redemption.ts), so it is not disabled by the freeze.
 */
function redeemButton(ctx: AppContext, rootId: string, maturityDate: string, currency: string, positions: ReadonlyArray<HolderAmount>, now: Date): HTMLElement {
    const from = Date.parse(`${maturityDate}T00:00:00.000Z`);
    if (now.getTime() < from) {
        return h(
            'span',
            { class: 'not-yet' },
            h('button', { type: 'button', disabled: true, 'data-action': 'redeem', title: `Redeemable from ${maturityDate}` }, 'Redeem'),
            h('small', { class: 'muted not-yet-hint' }, ` Redeemable from ${maturityDate}`),
        );
    }
    // Redemption pays every holder down the chain and cannot be undone: ask first.
    return confirmButton(
        ctx,
        'Redeem',
        // Asked when clicked, with who is frozen then: their parts go into escrow, not to them.
        () => redemptionQuestion(rootId, currency, positions, (id) => ctx.directory.get(id)?.status === 'FROZEN', (id) => ctx.directory.name(id)),
        () => ctx.api.redeemNote(rootId),
        {
            progress: 'Paying every holder and redeeming the note…',
            success: (r) => {
                const result = r as RedemptionResult;
                const escrowed = result.escrows.length > 0 ? `; ${formatMoney(sumMinor(result.escrows.map((p) => p.amount)), currency)} held in escrow for ${result.escrows.length} frozen holder${result.escrows.length === 1 ? '' : 's'}` : '';
                return `Redeemed: paid ${result.payees.length} holder${result.payees.length === 1 ? '' : 's'} ${formatMoney(sumMinor(result.payees.map((p) => p.amount)), currency)}${escrowed}${result.onTime ? ', on time' : ', late'}.`;
            },
        },
        { class: 'primary', 'data-action': 'redeem' },
    );
}

function tierBar(tier: number, amount: bigint, face: bigint, currency: string): HTMLElement {
    // Width in whole percent from integers; display only.
    const percent = face > 0n ? Number((amount * 100n) / face) : 0;
    return h(
        'div',
        { class: 'tier-bar' },
        h('span', { class: 'tier-label' }, `Tier ${tier}`),
        h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${Math.max(percent, 1)}%` })),
        h('span', { class: 'tier-amount' }, formatMoney(amount, currency)),
    );
}
