import { offerExpired } from '../../../chaincode/src/ledger/expiry';
import { Child, h } from '../dom';
import { formatDateTime, formatMoney, langText } from '../format';
import { ListSpec, STATUS_ORDERS, moneyKey, orderedTable, statusRank } from '../list-order';
import type { Note, NoteOffer } from '../resources';
import type { AppContext } from './context';
import { badge, card, idText, money, provenanceHref } from './ui';
import { actionButton, confirmButton, frozenAttributes } from './view-kit';

/**
 * Supplier: incoming offers to accept or decline, outgoing offers to cancel. A pending offer whose
 * expiry has passed by the ledger's time can no longer be accepted; it still locks the sender's
 * note until someone marks it expired, so it is shown as lapsed with that action instead. Declining
 * cannot be undone and asks first. A frozen enterprise's accept, decline and cancel are disabled
 * with the freeze as the reason.
 */
export async function offersView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [incoming, outgoing] = await Promise.all([ctx.api.listOffers(me, 'incoming'), ctx.api.listOffers(me, 'outgoing')]);
    // The ledger judges expiry by its own clock, which may run ahead of the browser's.
    const now = ctx.now();
    const frozen = frozenAttributes(ctx);
    const lapsed = (offer: NoteOffer): boolean => offer.status === 'PENDING' && offerExpired(offer, now);
    // The recipient of a pending offer may read the offered note: who owes it and when it matures.
    const offeredNotes = new Map<string, Note>();
    for (const note of await Promise.all(incoming.filter((offer) => offer.status === 'PENDING' && !lapsed(offer)).map((offer) => ctx.api.readNote(offer.noteId).catch(() => undefined)))) {
        if (note) {
            offeredNotes.set(note.id, note);
        }
    }
    const statusOf = (offer: NoteOffer): string => (lapsed(offer) ? 'LAPSED' : offer.status);
    const status = (offer: NoteOffer): HTMLElement => badge(statusOf(offer));
    const expire = (offer: NoteOffer, success: string): HTMLButtonElement =>
        actionButton(ctx, 'Mark expired', () => ctx.api.expireOffer(offer.id), { progress: 'Marking the offer expired…', success });

    const incomingRow = (offer: NoteOffer): Child[] => [
        langText(ctx.directory.name(offer.fromId)),
        money(offer.amount, offer.currency),
        offeredNote(ctx, offer, offeredNotes.get(offer.noteId), offer.status === 'PENDING' && !lapsed(offer)),
        formatDateTime(offer.createdAt),
        formatDateTime(offer.expiresAt),
        status(offer),
        lapsed(offer)
            ? expire(offer, `Offer marked expired; the note is back with ${ctx.directory.name(offer.fromId)}.`)
            : offer.status === 'PENDING'
              ? h(
                    'span',
                    { class: 'actions' },
                    actionButton(ctx, 'Accept', () => ctx.api.acceptOffer(offer.id), { progress: 'Accepting the offer…', success: 'Offer accepted: the note is now yours.' }, { class: 'primary', ...frozen }),
                    // A declined offer is over for good (the sender must offer again): ask first.
                    confirmButton(
                        ctx,
                        'Decline',
                        `Decline the offer of ${formatMoney(offer.amount, offer.currency)} from ${ctx.directory.name(offer.fromId)}? The note goes back to them and this offer can no longer be accepted. This cannot be undone.`,
                        () => ctx.api.declineOffer(offer.id),
                        { tone: 'danger', progress: 'Declining the offer…', success: 'Offer declined.' },
                        frozen,
                    ),
                )
              : '',
    ];
    const outgoingRow = (offer: NoteOffer): Child[] => [
        langText(ctx.directory.name(offer.toId)),
        money(offer.amount, offer.currency),
        idText(offer.noteId),
        formatDateTime(offer.createdAt),
        formatDateTime(offer.expiresAt),
        status(offer),
        lapsed(offer)
            ? expire(offer, 'Offer marked expired; the note is yours again.')
            : offer.status === 'PENDING'
              ? actionButton(ctx, 'Cancel', () => ctx.api.cancelOffer(offer.id), { progress: 'Cancelling the offer…', success: 'Offer cancelled; the note is yours again.' }, frozen)
              : '',
    ];
    /** Both lists: the newest offer first, by status. */
    const list = (id: string, party: string, partyOf: (offer: NoteOffer) => string, row: (offer: NoteOffer) => Child[], empty: string): ListSpec<NoteOffer> => ({
        id,
        columns: [
            { header: party, sortBy: (o) => ctx.directory.name(partyOf(o)) },
            { header: 'Amount', sortBy: (o) => moneyKey(o.amount, o.currency) },
            { header: 'Note', sortBy: (o) => o.noteId },
            { header: 'Offered', sortBy: (o) => o.createdAt },
            { header: 'Expires', sortBy: (o) => o.expiresAt },
            { header: 'Status', sortBy: (o) => statusRank(STATUS_ORDERS.offer, statusOf(o)) },
            { header: '' },
        ],
        row,
        order: { column: 'Offered', direction: 'descending' },
        status: statusOf,
        statusOrder: STATUS_ORDERS.offer,
        empty,
    });
    return h(
        'div',
        null,
        h('h1', null, 'Transfer offers'),
        card('Incoming', orderedTable(incoming, list('incoming-offers', 'From', (o) => o.fromId, incomingRow, 'No offers to you.'))),
        card('Outgoing', orderedTable(outgoing, list('outgoing-offers', 'To', (o) => o.toId, outgoingRow, 'You have not offered any notes.'))),
    );
}

/**
 * The note of an incoming offer as its recipient may open it. While the offer is pending: the
 * offered note (the recipient may read it and its provenance until the offer closes), who owes it
 * and when it matures. Once accepted: the note the recipient received (the offered one is spent and
 * the sender's). Declined, cancelled, expired or lapsed (`open` false): the offered note's id
 * without a link, since the note is the sender's again and the recipient may no longer read it.
 */
function offeredNote(ctx: AppContext, offer: NoteOffer, note: Note | undefined, open: boolean): HTMLElement {
    if (offer.status === 'ACCEPTED' && offer.receivedNoteId) {
        return h('span', { class: 'offered-note' }, idText(offer.receivedNoteId, { href: provenanceHref(offer.receivedNoteId) }), h('br'), h('small', { class: 'muted' }, 'the note you received'));
    }
    const facts = note ? [`issued by ${ctx.directory.name(note.issuerId)}`, `matures ${note.maturityDate}`] : [];
    const link = open ? { href: provenanceHref(offer.noteId) } : {};
    return h('span', { class: 'offered-note' }, idText(offer.noteId, link), facts.length > 0 ? [h('br'), h('small', { class: 'muted' }, langText(facts.join(' · ')))] : null);
}
