import { h } from '../dom';
import { addDays, daysUntil, formatMoney, parseMajorUnits, sumMinor } from '../format';
import type { Note } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, button, card, field, formValue, idText, money, requiredValue, select, table } from './ui';
import { actionForm } from './view-kit';

/** Supplier: the notes it holds, with split, transfer (offer) and discount requests. */
export async function notesView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const notes = await ctx.api.listNotes(me);
    const panel = h('div', { class: 'panel-slot' });
    const total = new Map<string, bigint>();
    for (const note of notes) {
        total.set(note.currency, (total.get(note.currency) ?? 0n) + BigInt(note.amount));
    }
    const today = new Date();

    const open = (note: Note, which: 'split' | 'transfer' | 'discount'): void => {
        panel.textContent = '';
        panel.appendChild(which === 'split' ? splitPanel(ctx, note) : which === 'transfer' ? transferPanel(ctx, note) : discountPanel(ctx, note));
        panel.scrollIntoView({ block: 'nearest' });
    };

    const rows = notes.map((note) => {
        const days = daysUntil(note.maturityDate, today);
        const active = note.status === 'ACTIVE';
        return [
            h('a', { href: `#/provenance/${encodeURIComponent(note.id)}`, title: 'Show provenance' }, idText(note.id)),
            money(note.amount, note.currency),
            h('span', null, note.maturityDate, h('small', { class: 'muted' }, days >= 0 ? ` in ${days} d` : ` ${-days} d ago`)),
            h('span', null, `Issued by ${ctx.directory.name(note.issuerId)}`, h('br'), h('small', { class: 'muted' }, `tier ${note.tier} · ${note.origin.toLowerCase()}`)),
            h('span', null, badge(note.status), note.lock ? h('small', { class: 'muted' }, ` ${note.lock.kind.toLowerCase()}`) : null),
            h(
                'span',
                { class: 'actions' },
                button('Split', () => open(note, 'split'), active ? {} : { disabled: 'true' }),
                button('Transfer', () => open(note, 'transfer'), active ? {} : { disabled: 'true' }),
                button('Discount', () => open(note, 'discount'), active ? {} : { disabled: 'true' }),
            ),
        ];
    });

    return h(
        'div',
        null,
        h('h1', null, 'My credit notes'),
        h('p', { class: 'summary' }, notes.length === 0 ? 'You hold no notes.' : `Holding ${notes.length} note${notes.length === 1 ? '' : 's'}: `, [...total].map(([currency, amount]) => h('strong', null, formatMoney(amount, currency), ' '))),
        card('Holdings', table(['Note', 'Amount', 'Maturity', 'Origin', 'Status', ''], rows, 'You hold no notes yet.', { id: 'holdings' })),
        panel,
    );
}

function noteHeader(note: Note): HTMLElement {
    return h('p', { class: 'muted' }, 'Note ', idText(note.id), ' · ', money(note.amount, note.currency), ` · matures ${note.maturityDate}`);
}

function splitPanel(ctx: AppContext, note: Note): HTMLElement {
    const amounts = h('input', { name: 'amounts', placeholder: 'e.g. 600000, 400000', autocomplete: 'off' });
    const check = h('p', { class: 'hint', 'aria-live': 'polite' });
    const parse = (): string[] =>
        formValue(form, 'amounts')
            .split(/[;\n]|,(?=\s)|,$/)
            .map((part) => part.trim())
            .filter((part) => part !== '')
            .map((part) => parseMajorUnits(part, note.currency));
    const update = (): void => {
        try {
            const parts = parse();
            const sum = sumMinor(parts);
            check.textContent =
                sum === note.amount ? `✓ ${parts.length} parts add up to ${formatMoney(note.amount, note.currency)}` : `Parts add up to ${formatMoney(sum, note.currency)}; they must add up to ${formatMoney(note.amount, note.currency)}.`;
        } catch (error) {
            check.textContent = (error as Error).message;
        }
    };
    amounts.addEventListener('input', update);
    const form = actionForm(ctx, {
        attributes: { class: 'card panel', 'data-panel': 'split' },
        title: 'Split a note',
        content: [
            noteHeader(note),
            field(`Amounts in ${note.currency} (separate with "; " or ", ")`, amounts, 'Each part becomes a new note; together they must equal the note.'),
            check,
        ],
        submit: 'Split note',
        primary: false,
        run: async () => {
            const parts = parse();
            if (parts.length < 2) {
                throw new InputError('Enter at least two amounts.');
            }
            if (sumMinor(parts) !== note.amount) {
                throw new InputError(`The parts must add up to ${formatMoney(note.amount, note.currency)}.`);
            }
            return ctx.api.splitNote(note.id, parts);
        },
        options: { progress: 'Splitting the note on the ledger…', success: (r) => `Split into ${(r as { children: Note[] }).children.length} notes.` },
    });
    return form;
}

function transferPanel(ctx: AppContext, note: Note): HTMLElement {
    const suppliers = ctx.directory.ofKind('SUPPLIER').filter((e) => e.id !== note.holderId);
    const form = actionForm(ctx, {
        attributes: { class: 'card panel', 'data-panel': 'transfer' },
        title: 'Transfer to a supplier',
        content: [
            noteHeader(note),
            field('Recipient', select('toId', suppliers.map((e) => [e.id, `${e.name} (${e.id})`]))),
            field(`Amount in ${note.currency}`, h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off' }), 'Part or all of the note; the rest comes back to you as change.'),
            field('Offer valid for (days)', h('input', { name: 'days', type: 'number', min: '1', max: '30', value: '7' })),
        ],
        submit: 'Offer transfer',
        primary: false,
        run: async (f) => {
            const toId = requiredValue(f, 'toId', 'a recipient');
            const amount = parseMajorUnits(formValue(f, 'amount'), note.currency);
            if (BigInt(amount) > BigInt(note.amount)) {
                throw new InputError(`You can offer at most ${formatMoney(note.amount, note.currency)}.`);
            }
            const days = Number(formValue(f, 'days') || '7');
            if (!Number.isInteger(days) || days < 1) {
                throw new InputError('The offer must be valid for at least one day.');
            }
            const expiresAt = `${addDays(new Date(), days)}T23:59:59.000Z`;
            return ctx.api.offerTransfer({ noteId: note.id, toId, amount, expiresAt });
        },
        options: { progress: 'Sending the offer…', success: () => `Offer sent. The recipient must accept it.` },
    });
    return form;
}

function discountPanel(ctx: AppContext, note: Note): HTMLElement {
    const financiers = ctx.directory.ofKind('FINANCIER').filter((e) => e.status === 'ACTIVE');
    const form = actionForm(ctx, {
        attributes: { class: 'card panel', 'data-panel': 'discount' },
        title: 'Discount this note',
        content: [
            noteHeader(note),
            h('p', null, 'Choose the financiers to ask. Each may quote a rate; you compare the prices before accepting one.'),
            h(
                'fieldset',
                null,
                h('legend', null, 'Financiers'),
                financiers.map((e) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'financierIds', value: e.id }), ` ${e.name}`)),
            ),
        ],
        submit: 'Ask for quotes',
        primary: false,
        run: async (f) => {
            const chosen = Array.from(f.querySelectorAll<HTMLInputElement>('input[name=financierIds]:checked'), (box) => box.value);
            if (chosen.length === 0) {
                throw new InputError('Choose at least one financier.');
            }
            return ctx.api.requestDiscount(note.id, chosen);
        },
        options: { progress: 'Sending the discount request…', success: 'Discount request sent. Quotes appear under Discounting.' },
    });
    return form;
}
