import { h } from '../dom';
import { countOf, effectiveRateBps, formatBps, formatDateTime, formatMoney, langText } from '../format';
import { STATUS_ORDERS, moneyKey, orderedTable, statusRank } from '../list-order';
import { QuotePrice, bestPriced, isFinal, maturedProblem, priceQuoteAt, rankByPrice } from '../quote-pricing';
import type { DiscountQuote, DiscountRequest, FinancingTerms } from '../resources';
import type { AppContext } from './context';
import { badge, card, errorPanel, idText, money, provenanceHref, table } from './ui';
import { actionButton, confirmButton, frozenAttributes } from './view-kit';

/** Supplier: its discount requests and the quotes to compare (price and effective rate, as of the ledger's date) and accept, after confirming; not while frozen or after maturity. */
export async function discountsView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const requests = (await ctx.api.listDiscountRequests(me)).filter((r) => r.holderId === me).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const open = requests.filter((r) => r.status === 'OPEN');
    const closed = requests.filter((r) => r.status !== 'OPEN');
    const cards = await Promise.all(open.map((request) => requestCard(ctx, request)));
    return h(
        'div',
        null,
        h('h1', null, 'Discounting'),
        h('p', { class: 'muted' }, 'Ask financiers for quotes from My notes. Compare what you would receive before accepting; accepting one quote withdraws the others.'),
        cards.length > 0 ? cards : card('Open requests', h('p', { class: 'empty' }, 'No open discount requests.')),
        card(
            'Past requests',
            orderedTable(closed, {
                id: 'past-requests',
                columns: [
                    { header: 'Request', sortBy: (r) => r.id },
                    { header: 'Note', sortBy: (r) => r.noteId },
                    { header: 'Amount', sortBy: (r) => moneyKey(r.amount, r.currency) },
                    { header: 'Closed', sortBy: closedAt },
                    { header: 'Status', sortBy: (r) => statusRank(STATUS_ORDERS.discountRequest, r.status) },
                    { header: 'Financier', sortBy: (r) => (r.financierId ? ctx.directory.name(r.financierId) : undefined) },
                ],
                row: (r) => [idText(r.id), idText(r.noteId), money(r.amount, r.currency), formatDateTime(closedAt(r)), badge(r.status), r.financierId ? langText(ctx.directory.name(r.financierId)) : '—'],
                order: { column: 'Closed', direction: 'descending' },
                status: (r) => r.status,
                statusOrder: STATUS_ORDERS.discountRequest,
                empty: 'None yet.',
            }),
        ),
    );
}

/** When a discount request was closed: accepted, withdrawn or closed by the note's redemption. */
export function closedAt(request: Pick<DiscountRequest, 'resolvedAt' | 'updatedAt'>): string {
    return request.resolvedAt ?? request.updatedAt;
}

interface PricedQuote {
    quote: DiscountQuote;
    terms?: FinancingTerms;
    /** What accepting the quote pays on the ledger's date the page was drawn. */
    today?: QuotePrice;
    error?: unknown;
}

/**
 * One open request and its quotes, priced for the ledger's date (`ctx.now()`): a quote fixes its
 * rate and fee, and the ledger prices it again for the days left when it is accepted, so the page
 * shows what accepting today pays (src/quote-pricing.ts) and ranks "Best price" on that. Once the
 * note has matured no quote can be accepted. The confirmation prices again when it asks; the toast
 * says the final price the ledger recorded.
 */
async function requestCard(ctx: AppContext, request: DiscountRequest): Promise<HTMLElement> {
    const quotes = await ctx.api.listQuotes(request.id);
    const now = ctx.now();
    const priced: PricedQuote[] = await Promise.all(
        quotes.map(async (quote): Promise<PricedQuote> => {
            if (quote.status !== 'SUBMITTED') {
                return { quote };
            }
            try {
                const terms = await ctx.api.readQuoteTerms(quote.id);
                return { quote, terms, today: priceQuoteAt(terms, now) };
            } catch (error) {
                return { quote, error };
            }
        }),
    );
    // Best first: what accepting today pays, the most first (the gateway lists quotes by id).
    const live = rankByPrice(
        priced.filter((p) => p.quote.status === 'SUBMITTED'),
        (p) => p.today,
        (p) => p.quote,
    );
    const best = bestPriced(live, (p) => p.today);
    const today = now.toISOString().slice(0, 10);
    const matured = maturedProblem(request.maturityDate, now);
    const rows = live.map((p) => {
        const t = p.terms;
        const current = p.today?.acceptable ? p.today : undefined;
        const effective = t && current ? effectiveRateBps(t.face, current.price, current.days) : undefined;
        const financier = ctx.directory.name(p.quote.financierId);
        const quotedTitle = t ? { title: `Quoted on ${t.quotedAt.slice(0, 10)} for ${countOf(t.days, 'day')}: ${formatMoney(t.price, t.currency)}` } : {};
        return [
            langText(financier),
            t ? formatBps(t.rateBps) : '—',
            current ? `${current.days}` : '—',
            t && current ? money(current.discount, t.currency) : '—',
            t ? money(t.fee, t.currency) : '—',
            t && current ? h('strong', { class: 'price', 'data-as-of': current.asOf, ...quotedTitle }, formatMoney(current.price, t.currency)) : p.error ? errorPanel(p.error) : '—',
            effective !== undefined ? formatBps(effective) : '—',
            h(
                'span',
                { class: 'actions' },
                p === best ? h('span', { class: 'badge badge-best', title: `Pays the most if accepted today (${today})` }, 'Best price') : null,
                p.today && !p.today.acceptable
                    ? notAcceptable(p.today)
                    : // Selling the note cannot be undone: ask first, saying what the holder gives and gets today.
                      confirmButton(
                          ctx,
                          'Accept quote',
                          () => acceptQuestion(ctx, request, financier, t),
                          () => acceptAndReadFinal(ctx, p.quote.id),
                          { progress: 'Accepting the quote; the financier funds the note…', success: (result) => acceptedMessage(result as Accepted) },
                          { class: 'primary', 'data-quote-id': p.quote.id, ...frozenAttributes(ctx) },
                      ),
            ),
        ];
    });
    const quotesTable = table(['Financier', 'Rate p.a.', 'Days left', 'Interest', 'Fee', 'You receive', 'Effective rate', ''], rows, 'No quotes yet — financiers are notified of your request.', { class: 'quotes' });
    // The best quote's row stands out too, not only its badge.
    if (best) {
        quotesTable.querySelectorAll('tbody tr')[live.indexOf(best)]?.classList.add('best-quote');
    }
    return card(
        'Discount request',
        h('p', null, 'Request ', idText(request.id), ' · note ', idText(request.noteId, { href: provenanceHref(request.noteId) }), ' · ', money(request.amount, request.currency), langText(` · matures ${request.maturityDate} · asked ${request.financierIds.map((id) => ctx.directory.name(id)).join(', ')}`)),
        matured
            ? h('p', { class: 'warning-box', 'data-matured': 'true' }, `${matured} No quote can be accepted; the note's redemption closes this request, or withdraw it now.`)
            : live.length > 0
              ? h(
                    'p',
                    { class: 'muted quote-as-of' },
                    `Figures as of today, ${today} (the ledger's date): days left to maturity, interest and what you receive if you accept now, the best quote first. A quote fixes its rate and fee; the final price is set when you accept, for the days then left.`,
                )
              : null,
        quotesTable,
        h(
            'p',
            null,
            actionButton(ctx, 'Withdraw request', () => ctx.api.withdrawDiscountRequest(request.id), { progress: 'Withdrawing the request…', success: 'Request withdrawn; the note is unlocked.' }, frozenAttributes(ctx)),
        ),
    );
}

/** A disabled "Accept quote" with the reason as its tooltip and, briefly, beside it (a matured note is said once above the table). */
function notAcceptable(today: Extract<QuotePrice, { acceptable: false }>): HTMLElement {
    return h(
        'span',
        { class: 'not-yet' },
        h('button', { type: 'button', class: 'primary', disabled: true, title: today.problem }, 'Accept quote'),
        h('small', { class: 'muted not-yet-hint' }, today.reason === 'matured' ? ' Matured: only redemption now' : ` ${today.problem}`),
    );
}

/** The confirmation of an acceptance, priced by the ledger's time when it is asked (the page may have been open since an earlier day). */
function acceptQuestion(ctx: AppContext, request: DiscountRequest, financier: string, terms: FinancingTerms | undefined): string {
    const withdrawn = 'The other quotes are withdrawn; this cannot be undone.';
    if (!terms) {
        return `Sell note ${request.noteId} to ${financier} at this quote? The ledger prices it for the days left to maturity. ${withdrawn}`;
    }
    const now = priceQuoteAt(terms, ctx.now());
    if (!now.acceptable) {
        return `${now.problem} Accept anyway? The ledger will refuse it.`;
    }
    return `Sell note ${request.noteId} (${formatMoney(terms.face, terms.currency)}) to ${financier} for ${formatMoney(now.price, terms.currency)}: ${formatBps(terms.rateBps)} p.a. for the ${countOf(now.days, 'day')} left to maturity, fee ${formatMoney(terms.fee, terms.currency)}, if accepted today (${now.asOf}); the ledger fixes the price at acceptance. ${withdrawn}`;
}

interface Accepted {
    /** The final terms the ledger recorded at funding, when they could be read. */
    final?: FinancingTerms;
}

/**
 * Accepts a quote, then reads its terms: once accepted they are the final ones, priced by the
 * ledger at funding (the acceptance's own answer carries the funded note, not the private terms).
 */
async function acceptAndReadFinal(ctx: AppContext, quoteId: string): Promise<Accepted> {
    await ctx.api.acceptQuote(quoteId);
    try {
        const terms = await ctx.api.readQuoteTerms(quoteId);
        return isFinal(terms) ? { final: terms } : {};
    } catch {
        // The sale is done; only its figures could not be read now (Settled notes shows them).
        return {};
    }
}

/** The toast after an acceptance: the price the ledger paid, for how many days. */
function acceptedMessage(result: Accepted): string {
    const t = result.final;
    return t
        ? `Discounted: you receive ${formatMoney(t.price, t.currency)} (${formatBps(t.rateBps)} p.a. for ${countOf(t.days, 'day')}, fee ${formatMoney(t.fee, t.currency)}).`
        : 'Quote accepted: the note is sold. Settled notes shows the price received.';
}
