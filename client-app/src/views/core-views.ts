import { h } from '../dom';
import { addDays, daysUntil, formatMoney, parseMajorUnits, sumMinor } from '../format';
import type { CreditLine, Receivable, RedemptionResult } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, card, field, formValue, idText, lineBadge, lineUsable, money, requiredValue, select, table } from './ui';
import { actionButton, actionForm, grid } from './view-kit';

/** Core enterprise: issue notes within a credit line (remaining limit visible), backed by confirmed receivables. */
export async function issueView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [lines, receivables] = await Promise.all([ctx.api.listCreditLines(me), ctx.api.listReceivables(me, 'buyer')]);
    const myLines = lines.filter((l) => l.coreEnterpriseId === me);
    const confirmed = receivables.filter((r) => r.status === 'CONFIRMED');
    const now = new Date();
    return h(
        'div',
        null,
        h('h1', null, 'Issue credit notes'),
        card(
            'Credit lines',
            table(
                ['Line', 'Financier', 'Limit', 'Used', 'Remaining', 'Expires', 'Status'],
                myLines.map((l) => [idText(l.id), ctx.directory.name(l.financierId), money(l.limit, l.currency), money(l.used, l.currency), h('strong', { class: 'remaining' }, formatMoney(l.remaining, l.currency)), l.expiresAt.slice(0, 10), lineBadge(l, now)]),
                'No credit line has been granted to you yet.',
                { id: 'credit-lines' },
            ),
        ),
        issueForm(ctx, myLines.filter((l) => lineUsable(l, now)), confirmed),
    );
}

function issueForm(ctx: AppContext, lines: CreditLine[], confirmed: Receivable[]): HTMLElement {
    const amount = h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off' });
    const checks = confirmed.map((r) =>
        h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'receivableIds', value: r.id, 'data-seller': r.sellerId, 'data-amount': r.amount, 'data-currency': r.currency }),
            ` ${r.invoiceNumber} — ${ctx.directory.name(r.sellerId)} — ${formatMoney(r.amount, r.currency)}`,
        ),
    );
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'issue-note' },
        title: 'New note',
        content: [
            h('p', { class: 'muted' }, 'Back the note with confirmed receivables of one supplier; it is issued to that supplier and draws on the credit line.'),
            h('fieldset', null, h('legend', null, 'Confirmed receivables'), checks.length > 0 ? checks : h('p', { class: 'empty' }, 'No confirmed receivables to back a note.')),
            grid(
                field('Credit line', select('creditLineId', lines.map((l) => [l.id, `${ctx.directory.name(l.financierId)} — remaining ${formatMoney(l.remaining, l.currency)}`]))),
                field('Amount', amount, 'Defaults to the sum of the selected receivables.'),
                field('Maturity date', h('input', { name: 'maturityDate', type: 'date', value: addDays(new Date(), 90) })),
            ),
        ],
        submit: 'Issue note',
        run: async (f) => {
            const boxes = selected();
            if (boxes.length === 0) {
                throw new InputError('Select at least one confirmed receivable.');
            }
            const sellers = new Set(boxes.map((b) => b.dataset.seller));
            if (sellers.size > 1) {
                throw new InputError('The selected receivables must all be from the same supplier.');
            }
            const line = lines.find((l) => l.id === requiredValue(f, 'creditLineId', 'a credit line'));
            if (!line) {
                throw new InputError('Choose a credit line.');
            }
            return ctx.api.issueNote({
                holderId: boxes[0].dataset.seller ?? '',
                amount: parseMajorUnits(formValue(f, 'amount'), line.currency),
                currency: line.currency,
                maturityDate: requiredValue(f, 'maturityDate', 'the maturity date'),
                creditLineId: line.id,
                receivableIds: boxes.map((b) => b.value),
            });
        },
        options: { progress: 'Issuing the note on the ledger…', success: 'Note issued.' },
    });
    const selected = (): HTMLInputElement[] => Array.from(form.querySelectorAll<HTMLInputElement>('input[name=receivableIds]:checked'));
    form.addEventListener('change', (event) => {
        if ((event.target as HTMLInputElement).name === 'receivableIds') {
            const boxes = selected();
            const currency = boxes[0]?.dataset.currency ?? 'CNY';
            const sum = sumMinor(boxes.map((b) => b.dataset.amount ?? '0'));
            amount.value = boxes.length > 0 ? formatMoney(sum, currency).replace(/^[A-Z]{3} /, '') : '';
        }
    });
    return form;
}

/** Core enterprise: everything outstanding down the chain, by root, holder and tier; redemption at maturity. */
export async function exposureView(ctx: AppContext): Promise<Node> {
    const me = ctx.params.enterpriseId ?? ctx.user?.enterpriseId ?? '';
    const exposure = await ctx.api.exposure(me);
    const today = new Date();
    const canRedeem = ctx.user?.role === 'core-enterprise' && ctx.user.enterpriseId === me;
    const roots = exposure.roots.map((root) => {
        const days = daysUntil(root.maturityDate, today);
        const tiers = new Map<number, bigint>();
        for (const p of root.positions) {
            tiers.set(p.tier, (tiers.get(p.tier) ?? 0n) + BigInt(p.amount));
        }
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
                ` · matures ${root.maturityDate} (${days > 0 ? `in ${days} days` : days === 0 ? 'today' : `${-days} days ago`})`,
            ),
            h(
                'div',
                { class: 'tiers' },
                [...tiers].sort(([a], [b]) => a - b).map(([tier, amount]) => tierBar(tier, amount, BigInt(root.faceAmount), root.currency)),
            ),
            table(
                ['Holder', 'Tier', 'Amount', 'Notes'],
                root.positions.map((p) => [ctx.directory.name(p.holderId), `${p.tier}`, money(p.amount, root.currency), p.noteIds.map((id) => h('a', { href: `#/provenance/${encodeURIComponent(id)}` }, idText(id), ' '))]),
            ),
            h(
                'p',
                { class: 'actions' },
                h('a', { href: `#/provenance/${encodeURIComponent(root.rootId)}` }, 'Provenance tree'),
                canRedeem
                    ? actionButton(
                          ctx,
                          'Redeem',
                          () => ctx.api.redeemNote(root.rootId),
                          {
                              progress: 'Paying every holder and redeeming the note…',
                              success: (r) => {
                                  const result = r as RedemptionResult;
                                  return `Redeemed: paid ${result.payees.length} holder${result.payees.length === 1 ? '' : 's'} ${formatMoney(sumMinor(result.payees.map((p) => p.amount)), root.currency)}${result.onTime ? ' on time' : ' late'}.`;
                              },
                          },
                          { class: days <= 0 ? 'primary' : '', title: days > 0 ? 'Notes can be redeemed at or after maturity' : '' },
                      )
                    : null,
            ),
        );
    });
    return h(
        'div',
        null,
        h('h1', null, `Exposure of ${ctx.directory.name(me)}`),
        h(
            'p',
            { class: 'summary', id: 'exposure-totals' },
            exposure.totals.length === 0 ? 'Nothing outstanding.' : exposure.totals.map((t) => h('span', null, `${t.roots} note${t.roots === 1 ? '' : 's'} · outstanding `, h('strong', null, formatMoney(t.outstandingAmount, t.currency)), ' ')),
        ),
        roots,
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
