import { h } from '../dom';
import { effectiveRateBps, formatBps, formatMoney } from '../format';
import type { DiscountQuote, DiscountRequest, FinancingTerms } from '../resources';
import type { AppContext } from './context';
import { badge, card, errorPanel, idText, money, provenanceHref, table } from './ui';
import { actionButton, confirmButton, frozenAttributes } from './view-kit';

/** Supplier: its discount requests and the quotes to compare (price and effective rate) and accept, after confirming; not while frozen. */
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
            table(
                ['Request', 'Note', 'Amount', 'Status', 'Financier'],
                closed.map((r) => [idText(r.id), idText(r.noteId), money(r.amount, r.currency), badge(r.status), r.financierId ? ctx.directory.name(r.financierId) : '—']),
                'None yet.',
            ),
        ),
    );
}

interface PricedQuote {
    quote: DiscountQuote;
    terms?: FinancingTerms;
    error?: unknown;
}

async function requestCard(ctx: AppContext, request: DiscountRequest): Promise<HTMLElement> {
    const quotes = await ctx.api.listQuotes(request.id);
    const priced: PricedQuote[] = await Promise.all(
        quotes.map(async (quote): Promise<PricedQuote> => {
            if (quote.status !== 'SUBMITTED') {
                return { quote };
            }
            try {
                return { quote, terms: await ctx.api.readQuoteTerms(quote.id) };
            } catch (error) {
                return { quote, error };
            }
        }),
    );
    const live = priced.filter((p) => p.quote.status === 'SUBMITTED');
    const best = live.reduce<PricedQuote | undefined>((top, p) => (p.terms && (!top?.terms || BigInt(p.terms.price) > BigInt(top.terms.price)) ? p : top), undefined);
    const rows = live.map((p) => {
        const t = p.terms;
        const effective = t ? effectiveRateBps(t.face, t.price, t.days) : undefined;
        return [
            ctx.directory.name(p.quote.financierId),
            t ? formatBps(t.rateBps) : '—',
            t ? `${t.days}` : '—',
            t ? money(t.discount, t.currency) : '—',
            t ? money(t.fee, t.currency) : '—',
            t ? h('strong', { class: 'price' }, formatMoney(t.price, t.currency)) : p.error ? errorPanel(p.error) : '—',
            effective !== undefined ? formatBps(effective) : '—',
            h(
                'span',
                { class: 'actions' },
                p === best ? h('span', { class: 'badge badge-best' }, 'Best price') : null,
                // Selling the note cannot be undone: ask first, saying what the holder gives and gets.
                confirmButton(
                    ctx,
                    'Accept quote',
                    t
                        ? `Sell note ${request.noteId} (${formatMoney(t.face, t.currency)}) to ${ctx.directory.name(p.quote.financierId)} for ${formatMoney(t.price, t.currency)}? The other quotes are withdrawn; this cannot be undone.`
                        : `Sell note ${request.noteId} to ${ctx.directory.name(p.quote.financierId)} at this quote? The other quotes are withdrawn; this cannot be undone.`,
                    () => ctx.api.acceptQuote(p.quote.id),
                    { progress: 'Accepting the quote; the financier funds the note…', success: t ? `Discounted: you receive ${formatMoney(t.price, t.currency)}.` : 'Quote accepted.' },
                    { class: 'primary', 'data-quote-id': p.quote.id, ...frozenAttributes(ctx) },
                ),
            ),
        ];
    });
    return card(
        'Discount request',
        h('p', null, 'Request ', idText(request.id), ' · note ', idText(request.noteId, { href: provenanceHref(request.noteId) }), ' · ', money(request.amount, request.currency), ` · matures ${request.maturityDate} · asked ${request.financierIds.map((id) => ctx.directory.name(id)).join(', ')}`),
        table(['Financier', 'Rate p.a.', 'Days', 'Interest', 'Fee', 'You receive', 'Effective rate', ''], rows, 'No quotes yet — financiers are notified of your request.', { class: 'quotes' }),
        h(
            'p',
            null,
            actionButton(ctx, 'Withdraw request', () => ctx.api.withdrawDiscountRequest(request.id), { progress: 'Withdrawing the request…', success: 'Request withdrawn; the note is unlocked.' }, frozenAttributes(ctx)),
        ),
    );
}
