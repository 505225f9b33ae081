import { h } from '../dom';
import { addDays, formatMoney, langText, parseMajorUnits } from '../format';
import { STATUS_ORDERS, moneyKey, orderedTable, statusRank } from '../list-order';
import type { Enterprise, Receivable } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, card, checkField, field, fieldProblem, formValue, idText, money, requiredValue, select } from './ui';
import { documentLink } from './document-link';
import { actionButton, actionForm, confirmButton, frozenAttributes, grid, requiredReason, submitOnEnter } from './view-kit';
import { dueDateProblem } from '../form-checks';

const CURRENCIES: [string, string][] = [
    ['CNY', 'CNY — Chinese yuan'],
    ['USD', 'USD — US dollar'],
    ['EUR', 'EUR — euro'],
    ['SGD', 'SGD — Singapore dollar'],
    ['HKD', 'HKD — Hong Kong dollar'],
    ['JPY', 'JPY — Japanese yen'],
];

export { CURRENCIES };

/**
 * Supplier: registers invoice-backed receivables, follows their status, cancels one not yet
 * confirmed and acknowledges payment received outside any note. A supplier may also be the buyer
 * another supplier names: those invoices, to confirm or dispute, follow under their own heading.
 */
export async function supplierReceivablesView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [sold, owed] = await Promise.all([ctx.api.listReceivables(me, 'seller'), ctx.api.listReceivables(me, 'buyer')]);
    const receivables = byInvoice(sold);
    return h(
        'div',
        null,
        h('h1', null, 'Receivables'),
        registerForm(ctx, me),
        card(
            'My receivables',
            orderedTable(receivables, {
                id: 'receivables',
                columns: [
                    { header: 'Invoice', sortBy: (r) => r.invoiceNumber },
                    { header: 'Buyer', sortBy: (r) => ctx.directory.name(r.buyerId) },
                    { header: 'Amount', sortBy: (r) => moneyKey(r.amount, r.currency) },
                    { header: 'Due', sortBy: (r) => r.dueDate },
                    { header: 'Status', sortBy: (r) => statusRank(STATUS_ORDERS.receivable, r.status) },
                    { header: 'Document' },
                    { header: '' },
                ],
                row: (r) => [r.invoiceNumber, langText(ctx.directory.name(r.buyerId)), money(r.amount, r.currency), r.dueDate, statusCell(r), documentLink(ctx, r.documentCid, `invoice-${r.invoiceNumber}`), sellerCell(ctx, r)],
                ...RECEIVABLE_LIST,
                empty: 'No receivables registered yet.',
            }),
        ),
        owed.length > 0
            ? card(
                  'Invoices you owe',
                  h('p', { class: 'hint' }, 'Other suppliers name your enterprise as the buyer of these invoices. Confirming one acknowledges the debt; disputing says you do not.'),
                  owedTable(ctx, byInvoice(owed), 'owed-receivables'),
              )
            : null,
    );
}

/** What the seller may do with a receivable: cancel it (not yet confirmed, or disputed) or acknowledge payment (something still available). */
function sellerCell(ctx: AppContext, r: Receivable): HTMLElement | string {
    if (CANCELLABLE.includes(r.status)) {
        return cancelCell(ctx, r);
    }
    return settleable(r) ? settleCell(ctx, r) : '';
}

/** Receivables newest invoice first, then by invoice number (the gateway lists them by id, a hash): the order the issue form offers them in, and of equal due dates in the lists. */
export function byInvoice(receivables: Receivable[]): Receivable[] {
    return [...receivables].sort((a, b) => (a.issueDate !== b.issueDate ? (a.issueDate < b.issueDate ? 1 : -1) : a.invoiceNumber.localeCompare(b.invoiceNumber, undefined, { numeric: true })));
}

/** The states in which the seller may cancel a receivable (chaincode CancelReceivable): not yet confirmed, or disputed by the buyer. */
const CANCELLABLE: readonly Receivable['status'][] = ['REGISTERED', 'DISPUTED'];

/**
 * The reason shown beside a receivable's status: the seller's while CANCELLED, the buyer's while
 * DISPUTED. A dispute the buyer has since withdrawn by confirming stays on the record but no longer
 * describes the receivable, so it is not shown.
 */
export function statusNote(r: Pick<Receivable, 'status' | 'cancelReason' | 'disputeReason'>): string | undefined {
    switch (r.status) {
        case 'CANCELLED':
            return r.cancelReason;
        case 'DISPUTED':
            return r.disputeReason;
        default:
            return undefined;
    }
}

function statusCell(r: Receivable): HTMLElement {
    const note = statusNote(r);
    return h('span', null, badge(r.status), note ? h('small', { class: 'muted' }, ` ${note}`) : null);
}

/**
 * Whether the seller may acknowledge payment of a receivable (chaincode SettleReceivable): it is
 * CONFIRMED and something is still available (not drawn by notes, not acknowledged before).
 */
export function settleable(r: Pick<Receivable, 'status' | 'availableAmount'>): boolean {
    return r.status === 'CONFIRMED' && BigInt(r.availableAmount ?? '0') > 0n;
}

/** The seller acknowledges payment received outside any note for what is still available, after a question saying what that means. */
function settleCell(ctx: AppContext, r: Receivable): HTMLElement {
    const buyer = ctx.directory.name(r.buyerId);
    const available = formatMoney(r.availableAmount, r.currency);
    const noted = BigInt(r.notedAmount ?? '0');
    return h(
        'span',
        { class: 'actions panel', 'data-receivable-id': r.id },
        confirmButton(
            ctx,
            'Acknowledge payment',
            `Acknowledge that ${buyer} paid you ${available} of invoice ${r.invoiceNumber} outside any note? That part can then back no note${
                noted > 0n ? `; the ${formatMoney(noted, r.currency)} backing notes is settled when those notes are redeemed` : ''
            }. This cannot be undone.`,
            () => ctx.api.settleReceivable(r.id),
            {
                progress: 'Acknowledging the payment…',
                success: (result) =>
                    (result as Receivable).status === 'SETTLED'
                        ? `Payment of ${available} acknowledged: invoice ${r.invoiceNumber} is settled.`
                        : `Payment of ${available} acknowledged: invoice ${r.invoiceNumber} is settled once the notes drawing on it are redeemed.`,
            },
            { class: 'primary', 'data-action': 'settle', ...frozenAttributes(ctx) },
        ),
    );
}

/** The seller cancels a receivable the buyer has not confirmed or has disputed; the invoice stays registered (it cannot be registered again). */
function cancelCell(ctx: AppContext, r: Receivable): HTMLElement {
    const reason = h('input', { name: 'reason', placeholder: 'Reason to cancel', 'aria-label': `Reason to cancel ${r.invoiceNumber}`, autocomplete: 'off' });
    const why = (): string => requiredReason(reason, 'Say why you cancel this receivable.');
    // Enter asks the confirmation question (the same as clicking the button); Enter again answers yes.
    submitOnEnter(reason, () => cell.querySelector<HTMLButtonElement>('.confirm button.danger') ?? cell.querySelector<HTMLButtonElement>('.confirmable > button:not([hidden])'));
    const cell = h(
        'span',
        { class: 'actions panel', 'data-receivable-id': r.id },
        reason,
        confirmButton(
            ctx,
            'Cancel receivable',
            `Cancel invoice ${r.invoiceNumber} (${ctx.directory.name(r.buyerId)}, ${formatMoney(r.amount, r.currency)})? It can then never back a note, and the same invoice cannot be registered again.`,
            async () => ctx.api.cancelReceivable(r.id, why()),
            { progress: 'Cancelling the receivable…', success: 'Receivable cancelled.', check: () => void why() },
        ),
    );
    return cell;
}

/**
 * The buyers a seller may name (chaincode RegisterReceivable): core enterprises, and other
 * suppliers (one supplier may sell to another), each supplier marked as one.
 */
export function buyerOptions(enterprises: readonly Pick<Enterprise, 'id' | 'kind' | 'name'>[], me: string): [string, string][] {
    const of = (kind: Enterprise['kind']) => enterprises.filter((e) => e.kind === kind && e.id !== me);
    return [...of('CORE_ENTERPRISE').map((e): [string, string] => [e.id, e.name]), ...of('SUPPLIER').map((e): [string, string] => [e.id, `${e.name} (supplier)`])];
}

function registerForm(ctx: AppContext, me: string): HTMLElement {
    // Default dates by the ledger's calendar, not the browser's.
    const today = ctx.now();
    const file = h('input', { type: 'file', name: 'document', accept: 'application/pdf,image/*,.xml,.ofd' });
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'register-receivable' },
        title: 'Register an invoice',
        content: [
            grid(
                // Nothing is chosen until the supplier picks the buyer: a default would send the invoice,
                // and read access to its document, to whichever company happened to come first.
                field('Buyer', select('buyerId', buyerOptions(ctx.directory.all(), me), {}, undefined, 'Choose the buyer…')),
                field('Invoice number', h('input', { name: 'invoiceNumber', autocomplete: 'off' })),
                field('Currency', select('currency', CURRENCIES)),
                field('Amount', h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off' })),
                field('Issue date', h('input', { name: 'issueDate', type: 'date', value: addDays(today, 0) })),
                field('Due date', h('input', { name: 'dueDate', type: 'date', value: addDays(today, 60) })),
                field('Invoice document', file, 'Stored off-ledger; the ledger keeps its content id (CID).'),
            ),
        ],
        submit: 'Register receivable',
        submitAttributes: frozenAttributes(ctx),
        run: async (f) => {
            const buyerId = formValue(f, 'buyerId');
            if (buyerId === '') {
                throw new InputError('Choose the buyer of the invoice.', { field: 'buyerId' });
            }
            const currency = requiredValue(f, 'currency', 'a currency');
            // Everything is checked before the document is uploaded: a refused form leaves no orphan upload.
            const request = {
                buyerId,
                invoiceNumber: requiredValue(f, 'invoiceNumber', 'the invoice number'),
                amount: checkField('amount', () => invoiceAmount(formValue(f, 'amount'), currency)),
                currency,
                issueDate: requiredValue(f, 'issueDate', 'the issue date'),
                dueDate: requiredValue(f, 'dueDate', 'the due date'),
            };
            fieldProblem('dueDate', dueDateProblem(request.issueDate, request.dueDate));
            const chosen = file.files?.[0];
            if (!chosen) {
                throw new InputError('Attach the invoice document.', { control: file });
            }
            const stored = await ctx.api.uploadDocument(chosen, chosen.type || 'application/octet-stream');
            return ctx.api.registerReceivable({ ...request, documentCid: stored.cid });
        },
        options: { progress: 'Uploading the invoice and registering the receivable…', success: 'Receivable registered. The buyer must confirm it.' },
    });
    return form;
}

/** The most a receivable may be for, in minor units (the ledger's cap on amounts). */
const MAX_AMOUNT_MINOR = 10n ** 18n;

/** A typed invoice amount in minor units, from 1 to 10^18; throws InputError in words otherwise. */
export function invoiceAmount(typed: string, currency: string): string {
    let amount: string;
    try {
        amount = parseMajorUnits(typed, currency);
    } catch (error) {
        throw new InputError((error as Error).message);
    }
    if (BigInt(amount) < 1n) {
        throw new InputError('The amount must be more than zero.');
    }
    if (BigInt(amount) > MAX_AMOUNT_MINOR) {
        throw new InputError(`The amount is too large: the platform records at most ${formatMoney(MAX_AMOUNT_MINOR, currency)}.`);
    }
    return amount;
}

/** Core enterprise: receivables it owes, to confirm (确权) or dispute. */
export async function buyerReceivablesView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const receivables = byInvoice(await ctx.api.listReceivables(me, 'buyer'));
    return h('div', null, h('h1', null, 'Receivables to confirm'), card('Invoices from suppliers', owedTable(ctx, receivables, 'receivables')));
}

/** What the named buyer may do with a receivable (chaincode ConfirmReceivable, DisputeReceivable): confirm one registered or disputed, dispute one registered. */
export function buyerChoices(r: Pick<Receivable, 'status'>): { confirm: boolean; dispute: boolean } {
    return { confirm: r.status === 'REGISTERED' || r.status === 'DISPUTED', dispute: r.status === 'REGISTERED' };
}

/** How receivable lists start and filter: the soonest due first (what the table shows), by status. */
const RECEIVABLE_LIST = {
    order: { column: 'Due', direction: 'ascending' },
    status: (r: Receivable) => r.status,
    statusOrder: STATUS_ORDERS.receivable,
} as const;

/** The receivables an enterprise owes, with what it may decide on each. */
function owedTable(ctx: AppContext, receivables: Receivable[], id: string): HTMLElement {
    return orderedTable(receivables, {
        id,
        columns: [
            { header: 'Id', sortBy: (r) => r.id },
            { header: 'Supplier', sortBy: (r) => ctx.directory.name(r.sellerId) },
            { header: 'Invoice', sortBy: (r) => r.invoiceNumber },
            { header: 'Amount', sortBy: (r) => moneyKey(r.amount, r.currency) },
            { header: 'Due', sortBy: (r) => r.dueDate },
            { header: 'Status', sortBy: (r) => statusRank(STATUS_ORDERS.receivable, r.status) },
            { header: 'Document' },
            { header: '' },
        ],
        row: (r) => {
            const choices = buyerChoices(r);
            return [
                idText(r.id),
                langText(ctx.directory.name(r.sellerId)),
                r.invoiceNumber,
                money(r.amount, r.currency),
                r.dueDate,
                statusCell(r),
                documentLink(ctx, r.documentCid, `invoice-${r.invoiceNumber}`),
                choices.dispute ? decisionCell(ctx, r) : choices.confirm ? disputedCell(ctx, r) : '',
            ];
        },
        ...RECEIVABLE_LIST,
        empty: 'No receivables name you as buyer.',
    });
}

/** A disputed receivable the buyer may still confirm (withdrawing its dispute), after a question naming the dispute. */
function disputedCell(ctx: AppContext, r: Receivable): HTMLElement {
    const seller = ctx.directory.name(r.sellerId);
    return h(
        'span',
        { class: 'actions panel', 'data-receivable-id': r.id },
        confirmButton(
            ctx,
            'Confirm',
            `Confirm invoice ${r.invoiceNumber} from ${seller} (${formatMoney(r.amount, r.currency)}, due ${r.dueDate}) after all? You disputed it${r.disputedAt ? ` on ${r.disputedAt.slice(0, 10)}` : ''}${
                r.disputeReason ? ` (“${r.disputeReason}”)` : ''
            }; confirming acknowledges the debt, and it can then back credit notes. It cannot be disputed again.`,
            () => ctx.api.confirmReceivable(r.id),
            { progress: 'Confirming the receivable…', success: `Invoice ${r.invoiceNumber} confirmed: the dispute is withdrawn.` },
            { class: 'primary', 'data-action': 'confirm', ...frozenAttributes(ctx) },
        ),
    );
}

function decisionCell(ctx: AppContext, r: Receivable): HTMLElement {
    const reason = h('input', { name: 'reason', placeholder: 'Reason to dispute', 'aria-label': `Reason to dispute invoice ${r.invoiceNumber}`, autocomplete: 'off' });
    // A frozen buyer can neither confirm nor dispute (the ledger refuses with ENTERPRISE_FROZEN): say so instead.
    const frozen = frozenAttributes(ctx);
    const dispute = actionButton(ctx, 'Dispute', async () => ctx.api.disputeReceivable(r.id, requiredReason(reason, 'Say why you dispute this receivable.')), { progress: 'Disputing the receivable…', success: 'Receivable disputed.' }, frozen);
    submitOnEnter(reason, () => dispute);
    return h(
        'span',
        { class: 'actions panel' },
        actionButton(ctx, 'Confirm', () => ctx.api.confirmReceivable(r.id), { progress: 'Confirming the receivable…', success: 'Receivable confirmed.' }, { class: 'primary', ...frozen }),
        reason,
        dispute,
    );
}
