import { offerExpired } from '../../../chaincode/src/ledger/expiry';
import { Child, h } from '../dom';
import { daysUntil, endSentence, formatDateTime, formatMoney, langText, parseMajorUnits } from '../format';
import { STATUS_ORDERS, moneyKey, orderedTable, statusRank } from '../list-order';
import { overdueRootIds } from '../live-events';
import { backedRootIds, distinctIds, overdueProbeIds, readableRootIds, redeemedNotesOf, rootGraceDeadlines } from '../note-history';
import { MAX_OFFER_DAYS, SPLIT_SEPARATOR_HINT, checkOfferDays, checkSplit, offersMarkOverdue } from '../note-forms';
import type { DiscountRequest, Note, NoteOffer } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, button, card, checkField, deferredCard, field, formValue, idText, money, provenanceHref, select, transient } from './ui';
import { actionButton, actionForm, focusFirstField, frozenAttributes, markOverdueButton } from './view-kit';
import { closePanelButton } from './panel-close';

/** Supplier: the notes it holds, with split, transfer (offer) and discount requests, and the notes settled before. */
export async function notesView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [notes, outgoing, requests] = await Promise.all([ctx.api.listNotes(me), ctx.api.listOffers(me, 'outgoing'), ctx.api.listDiscountRequests(me)]);
    const panel = transient(h('div', { class: 'panel-slot' }));
    const total = new Map<string, bigint>();
    for (const note of notes) {
        total.set(note.currency, (total.get(note.currency) ?? 0n) + BigInt(note.amount));
    }
    const today = ctx.now();
    // Whether a root is marked overdue, and when its grace ends (maturity plus the grace days fixed on
    // it at issuance), are recorded on the root. A holder may read the roots it held (those of its
    // tier-1 notes); below tier 1 reading the root is refused, and the provenance of its own note says
    // instead. MarkOverdue events on the feed mark it at once, before a reload.
    const [readRoots, probed] = await Promise.all([
        Promise.all(readableRootIds(notes).map((id) => ctx.api.readNote(id).catch(() => undefined))),
        Promise.all(overdueProbeIds(notes, today).map((id) => ctx.api.provenance(id).catch(() => undefined))),
    ]);
    const roots = new Map<string, Note>([...notes.filter((n) => n.rootId === n.id).map((n): [string, Note] => [n.id, n]), ...readRoots.filter((n): n is Note => n !== undefined).map((n): [string, Note] => [n.id, n])]);
    const deadlines = rootGraceDeadlines(roots.values(), probed);
    const markedOverdue = overdueRootIds(ctx.events);
    for (const provenance of probed) {
        if (provenance?.overdue) {
            markedOverdue.add(provenance.rootId);
        }
    }
    const frozen = frozenAttributes(ctx);

    const open = (note: Note, which: 'split' | 'transfer' | 'discount'): void => {
        panel.textContent = '';
        const form = which === 'split' ? splitPanel(ctx, note) : which === 'transfer' ? transferPanel(ctx, note) : discountPanel(ctx, note);
        form.append(' ', closePanelButton(ctx, panel));
        panel.appendChild(form);
        panel.scrollIntoView({ block: 'nearest' });
        focusFirstField(panel);
    };

    const row = (note: Note): Child[] => {
        const days = daysUntil(note.maturityDate, today);
        const matured = days <= 0;
        const usable = note.status === 'ACTIVE' && !matured;
        const why =
            note.status === 'ESCROWED'
                ? 'Escrowed: the issuer paid it into escrow while you were frozen; it is paid out when the freeze is lifted and the issuer redeems again'
                : note.status === 'LOCKED'
                  ? 'Locked: see why under Status'
                  : matured
                    ? 'Matured: the note can only be redeemed by its issuer now'
                    : '';
        const disabled: Record<string, string> = !usable ? { disabled: 'true', title: why } : frozen;
        const overdue = roots.get(note.rootId)?.overdue === true || markedOverdue.has(note.rootId);
        const deadline = deadlines.get(note.rootId);
        return [
            idText(note.id, { href: provenanceHref(note.id) }),
            money(note.amount, note.currency),
            h('span', null, note.maturityDate, h('small', { class: 'muted' }, days > 0 ? ` in ${days} d` : days === 0 ? ' today' : ` ${-days} d ago`)),
            h('span', null, 'Issued by ', langText(ctx.directory.name(note.issuerId)), h('br'), h('small', { class: 'muted' }, `tier ${note.tier} · ${note.origin.toLowerCase()}`)),
            h('span', null, badge(note.status), overdue ? [' ', badge('OVERDUE')] : null, note.lock ? lockExplanation(ctx, note, outgoing, requests, today) : null),
            h(
                'span',
                { class: 'actions' },
                button('Split', () => open(note, 'split'), disabled),
                button('Transfer', () => open(note, 'transfer'), disabled),
                button('Discount', () => open(note, 'discount'), disabled),
                // Offered once the note has matured (before, nothing is late), never for a redeemed root (a note in
                // escrow is one); disabled before the root's own grace deadline. Not offered when that
                // deadline could not be read: the platform's grace in force now is not the root's.
                deadline !== undefined && offersMarkOverdue(note, roots.get(note.rootId), matured, overdue) ? markOverdueButton(ctx, note.rootId, ctx.directory.name(note.issuerId), deadline, today) : null,
            ),
        ];
    };

    return h(
        'div',
        null,
        h('h1', null, 'My credit notes'),
        h(
            'p',
            { class: 'summary' },
            notes.length === 0 ? 'You hold no notes now. Notes you were paid for or sold are under Settled notes.' : `Holding ${notes.length} note${notes.length === 1 ? '' : 's'}: `,
            [...total].map(([currency, amount]) => h('strong', null, formatMoney(amount, currency), ' ')),
        ),
        card(
            'Holdings',
            // Soonest maturity first: what is due, and what can still be discounted, comes first.
            orderedTable(notes, {
                id: 'holdings',
                columns: [
                    { header: 'Note', sortBy: (n) => n.id },
                    { header: 'Amount', sortBy: (n) => moneyKey(n.amount, n.currency) },
                    { header: 'Maturity', sortBy: (n) => n.maturityDate },
                    { header: 'Origin', sortBy: (n) => [ctx.directory.name(n.issuerId), n.tier] },
                    { header: 'Status', sortBy: (n) => statusRank(STATUS_ORDERS.note, n.status) },
                    { header: '' },
                ],
                row,
                order: { column: 'Maturity', direction: 'ascending' },
                status: (n) => n.status,
                statusOrder: STATUS_ORDERS.note,
                empty: 'You hold no notes at the moment.',
            }),
        ),
        panel,
        deferredCard('Settled notes', { id: 'settled-notes' }, () => settledNotes(ctx, requests)),
    );
}

/** Says why a note is locked and how to unlock it, with the action that does. */
function lockExplanation(ctx: AppContext, note: Note, outgoing: NoteOffer[], requests: DiscountRequest[], now: Date): HTMLElement {
    const lock = note.lock as NonNullable<Note['lock']>;
    if (lock.kind === 'OFFER') {
        const offer = outgoing.find((o) => o.id === lock.id);
        const lapsed = offer !== undefined && offerExpired(offer, now);
        const frozen = frozenAttributes(ctx);
        return h(
            'span',
            { class: 'lock-reason', 'data-lock': 'OFFER' },
            offer
                ? langText(`Transfer offer of ${formatMoney(offer.amount, offer.currency)} to ${ctx.directory.name(offer.toId)} ${lapsed ? `lapsed on ${formatDateTime(offer.expiresAt)}` : `pending until ${formatDateTime(offer.expiresAt)}`}. `)
                : 'A transfer offer is pending. ',
            lapsed
                ? 'Mark it expired to free the note. '
                : 'The note stays locked until the recipient accepts or declines, the offer lapses, or you cancel it. ',
            offer
                ? lapsed
                    ? actionButton(ctx, 'Mark expired', () => ctx.api.expireOffer(offer.id), { progress: 'Marking the offer expired…', success: 'Offer marked expired; the note is yours again.' })
                    : actionButton(ctx, 'Cancel offer', () => ctx.api.cancelOffer(offer.id), { progress: 'Cancelling the offer…', success: 'Offer cancelled; the note is unlocked.' }, frozen)
                : null,
            ' ',
            h('a', { href: '#/offers' }, 'Offers →'),
        );
    }
    const request = requests.find((r) => r.id === lock.id);
    return h(
        'span',
        { class: 'lock-reason', 'data-lock': 'DISCOUNT' },
        // A name may end in a full stop of its own ("… Co., Ltd."): no second one after it.
        request ? langText(`${endSentence(`Discount quotes asked from ${request.financierIds.map((id) => ctx.directory.name(id)).join(', ')}`)} `) : 'A discount request is open. ',
        'The note stays locked until you accept a quote or withdraw the request. ',
        request ? actionButton(ctx, 'Withdraw request', () => ctx.api.withdrawDiscountRequest(request.id), { progress: 'Withdrawing the request…', success: 'Request withdrawn; the note is unlocked.' }, frozenAttributes(ctx)) : null,
        ' ',
        h('a', { href: '#/discounts' }, 'Compare quotes →'),
    );
}

/** One settled note: paid by its issuer at redemption, or sold to a financier. */
interface Settled {
    noteId: string;
    face: string;
    currency: string;
    how: 'REDEEMED' | 'DISCOUNTED';
    received?: string;
    at?: string;
    payerId: string;
}

/**
 * What the supplier was paid for notes it no longer holds: redeemed notes (found by walking from
 * the roots issued to it and the notes transferred to it) and notes it sold by discounting.
 */
async function settledNotes(ctx: AppContext, requests: DiscountRequest[]): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [receivables, incoming] = await Promise.all([ctx.api.listReceivables(me, 'seller'), ctx.api.listOffers(me, 'incoming')]);
    const seeds = distinctIds([...backedRootIds(receivables), ...incoming.filter((o) => o.status === 'ACCEPTED').map((o) => o.receivedNoteId)]);
    const discounted = requests.filter((r) => r.holderId === me && r.status === 'ACCEPTED');
    const [redeemed, prices] = await Promise.all([
        redeemedNotesOf(ctx.api, me, seeds),
        Promise.all(discounted.map((r) => (r.acceptedQuoteId ? ctx.api.readQuoteTerms(r.acceptedQuoteId).then((t) => t.price).catch(() => undefined) : Promise.resolve(undefined)))),
    ]);
    const settled: Settled[] = [
        ...redeemed.notes.map((n): Settled => ({ noteId: n.id, face: n.amount, currency: n.currency, how: 'REDEEMED', received: n.amount, at: n.redeemedAt, payerId: n.issuerId })),
        ...discounted.map((r, i): Settled => ({ noteId: r.noteId, face: r.amount, currency: r.currency, how: 'DISCOUNTED', received: prices[i], at: r.resolvedAt ?? r.updatedAt, payerId: r.financierId ?? '' })),
    ];
    return h(
        'div',
        null,
        // The latest settlement first.
        orderedTable(settled, {
            id: 'settled-notes-table',
            columns: [
                { header: 'Note', sortBy: (s) => s.noteId },
                { header: 'Face', sortBy: (s) => moneyKey(s.face, s.currency) },
                { header: 'Settled by', sortBy: (s) => s.how },
                { header: 'You received', sortBy: (s) => moneyKey(s.received, s.currency) },
                { header: 'When', sortBy: (s) => s.at },
                { header: 'Paid by', sortBy: (s) => ctx.directory.name(s.payerId) },
            ],
            row: (s) => [
                idText(s.noteId, { href: provenanceHref(s.noteId) }),
                money(s.face, s.currency),
                badge(s.how),
                s.received ? h('strong', { class: 'received' }, formatMoney(s.received, s.currency)) : h('span', { class: 'muted' }, 'terms not readable'),
                formatDateTime(s.at),
                langText(ctx.directory.name(s.payerId)),
            ],
            order: { column: 'When', direction: 'descending' },
            status: (s) => s.how,
            empty: 'No note of yours has been redeemed or discounted yet.',
        }),
        redeemed.truncated ? h('p', { class: 'muted' }, 'Long history: only the most recent part was read.') : null,
    );
}

function noteHeader(note: Note): HTMLElement {
    return h('p', { class: 'muted' }, 'Note ', idText(note.id), ' · ', money(note.amount, note.currency), ` · matures ${note.maturityDate}`);
}

function splitPanel(ctx: AppContext, note: Note): HTMLElement {
    const amounts = h('input', { name: 'amounts', placeholder: 'e.g. 600,000.00; 400,000.00', autocomplete: 'off' });
    const initial = checkSplit('', note.amount, note.currency);
    const check = h('p', { class: 'hint split-check', 'aria-live': 'polite' }, initial.message);
    amounts.addEventListener('input', () => {
        const verdict = checkSplit(amounts.value, note.amount, note.currency);
        check.textContent = verdict.message;
        check.classList.toggle('ok', verdict.ok);
    });
    return actionForm(ctx, {
        attributes: { class: 'card panel', 'data-panel': 'split' },
        title: 'Split a note',
        content: [noteHeader(note), field(`Amounts in ${note.currency} (at least two)`, amounts, `Each part becomes a new note; together they must equal the note. ${SPLIT_SEPARATOR_HINT}`), check],
        submit: 'Split note',
        primary: false,
        run: async (f) => {
            const verdict = checkSplit(formValue(f, 'amounts'), note.amount, note.currency);
            if (!verdict.ok) {
                throw new InputError(verdict.message, { field: 'amounts' });
            }
            return ctx.api.splitNote(note.id, verdict.parts);
        },
        options: { progress: 'Splitting the note on the ledger…', success: (r) => `Split into ${(r as { children: Note[] }).children.length} notes.` },
    });
}

function transferPanel(ctx: AppContext, note: Note): HTMLElement {
    // A frozen enterprise can receive nothing (the ledger refuses the offer): it is not offered.
    const others = ctx.directory.ofKind('SUPPLIER').filter((e) => e.id !== note.holderId);
    const suppliers = others.filter((e) => e.status === 'ACTIVE');
    const nobody = noRecipient(others.map((e) => ({ name: e.name, status: e.status })));
    return actionForm(ctx, {
        attributes: { class: 'card panel', 'data-panel': 'transfer' },
        title: 'Transfer to a supplier',
        content: [
            noteHeader(note),
            nobody
                ? h('p', { class: 'empty', id: 'no-recipient' }, nobody)
                : // Nothing is chosen until the holder picks the recipient (an offer sent to the wrong supplier locks the note).
                  field('Recipient', select('toId', suppliers.map((e) => [e.id, `${e.name} (${e.id})`]), {}, undefined, 'Choose the recipient…')),
            field(`Amount in ${note.currency}`, h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off' }), 'Part or all of the note; the rest comes back to you as change.'),
            field(
                'Offer valid for (days)',
                h('input', { name: 'days', type: 'number', min: '1', max: String(MAX_OFFER_DAYS), step: '1', value: '7' }),
                `1 to ${MAX_OFFER_DAYS} days, ending before the note matures on ${note.maturityDate}. Until then the note is locked.`,
            ),
        ],
        submit: 'Offer transfer',
        primary: false,
        submitAttributes: nobody ? { disabled: 'true', title: nobody } : {},
        run: async (f) => {
            if (nobody) {
                throw new InputError(nobody);
            }
            const toId = formValue(f, 'toId');
            if (toId === '') {
                throw new InputError('Choose the supplier to offer the note to.', { field: 'toId' });
            }
            const amount = checkField('amount', () => parseMajorUnits(formValue(f, 'amount'), note.currency));
            if (BigInt(amount) > BigInt(note.amount)) {
                throw new InputError(`You can offer at most ${formatMoney(note.amount, note.currency)}.`, { field: 'amount' });
            }
            const validity = checkOfferDays(formValue(f, 'days'), note.maturityDate, ctx.now());
            if (!validity.ok) {
                throw new InputError(validity.message, { field: validity.ofDays ? 'days' : undefined });
            }
            return ctx.api.offerTransfer({ noteId: note.id, toId, amount, expiresAt: validity.expiresAt });
        },
        options: { progress: 'Sending the offer…', success: () => `Offer sent. The recipient must accept it.` },
    });
}

/**
 * Why no supplier can receive a transfer, in words, or undefined when one can: `others` are the
 * other suppliers on the platform (a frozen one can receive nothing, so it is not offered).
 */
export function noRecipient(others: ReadonlyArray<{ name: string; status: string }>): string | undefined {
    if (others.some((e) => e.status === 'ACTIVE')) {
        return undefined;
    }
    if (others.length === 0) {
        return 'No other supplier is registered on the platform yet: there is nobody to transfer this note to.';
    }
    const names = others.map((e) => e.name);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return `No supplier can receive a transfer now: ${list} ${names.length === 1 ? 'is' : 'are'} frozen by the regulator, and a frozen enterprise can receive nothing. Try again once the freeze is lifted.`;
}

function discountPanel(ctx: AppContext, note: Note): HTMLElement {
    const financiers = ctx.directory.ofKind('FINANCIER').filter((e) => e.status === 'ACTIVE');
    return actionForm(ctx, {
        attributes: { class: 'card panel', 'data-panel': 'discount' },
        title: 'Discount this note',
        content: [
            noteHeader(note),
            h('p', null, 'Choose the financiers to ask. Each may quote a rate; you compare the prices before accepting one. The note is locked while the request is open; withdraw it to unlock the note.'),
            h(
                'fieldset',
                null,
                h('legend', null, 'Financiers'),
                financiers.map((e) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'financierIds', value: e.id }), ' ', langText(e.name))),
            ),
        ],
        submit: 'Ask for quotes',
        primary: false,
        run: async (f) => {
            const chosen = Array.from(f.querySelectorAll<HTMLInputElement>('input[name=financierIds]:checked'), (box) => box.value);
            if (chosen.length === 0) {
                throw new InputError('Choose at least one financier.', { field: 'financierIds' });
            }
            return ctx.api.requestDiscount(note.id, chosen);
        },
        options: { progress: 'Sending the discount request…', success: 'Discount request sent. Quotes appear under Discounting.' },
    });
}
