import type { ChaincodeEventView, EventPosition, EventSubscription, LedgerBackend, LedgerUser } from '../ledger/ledger-backend';
import { eventNames } from '@xinlian/chaincode';
import type { Role } from '@xinlian/chaincode';
import { appError } from '../errors';

/**
 * Chaincode events for one caller, each cut down to what the caller may read through the API.
 *
 * - The regulator sees every event whole.
 * - The platform admin sees the events of the records it may read (ADMIN_EVENTS): enterprises and
 *   their users' enrolments, parameters, receivables, credit lines, IP assets and pledges, bureau
 *   keys, agreements, attestations and recognitions. It reads no credit profile (separation of
 *   duties, docs/credit-scoring.md §4), no note, offer, discount request, quote or exposure, so it
 *   sees none of their events; an event this table does not name is not shown to it either.
 * - Any other user sees the events whose payload names its enterprise (as a party, holder, payee …),
 *   cut where the event lists what that party may not read (CUTS).
 */

/** Formats an event position as the SSE id `<block>:<index>`. */
export function formatEventId(position: EventPosition): string {
    return `${position.block}:${position.index}`;
}

/**
 * Parses an SSE id `<block>:<index>` that the caller passed as `source` (the Last-Event-ID header or
 * the `after` query parameter), which the error names ("<source> must look like …"). Throws INVALID_ARGUMENT.
 */
export function parseEventId(text: string, source = 'Last-Event-ID'): EventPosition {
    const match = /^(\d{1,15}):(\d{1,9})$/.exec(text.trim());
    if (!match) {
        throw appError.invalid(`${source} must look like <block>:<index>`);
    }
    return { block: Number(match[1]), index: Number(match[2]) };
}

type Payload = Record<string, unknown>;

function isPayload(value: unknown): value is Payload {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What the platform admin sees of each event: 'whole', or 'none' where the event is about records it
 * may not read through the API (see the top of this file). Every transaction that changes state
 * emits one event named after it; events not listed here are not shown to the admin.
 */
export const ADMIN_EVENTS: Readonly<Record<string, 'whole' | 'none'>> = {
    // Enterprises and who enrols their users: ReadEnterprise (with a freeze's statusReason), ListUserEnrolments.
    RegisterEnterprise: 'whole',
    FreezeEnterprise: 'whole',
    UnfreezeEnterprise: 'whole',
    RecordUserEnrolment: 'whole',
    // Parameters: any user reads them; the admin sets them.
    SetNoteParameters: 'whole',
    SetIpParameters: 'whole',
    // Credit lines: any user reads them.
    GrantCreditLine: 'whole',
    ChangeCreditLimit: 'whole',
    RevokeCreditLine: 'whole',
    // Receivables: ReadReceivable and ListReceivables admit the admin.
    RegisterReceivable: 'whole',
    ConfirmReceivable: 'whole',
    DisputeReceivable: 'whole',
    CancelReceivable: 'whole',
    SettleReceivable: 'whole',
    // IP assets with their valuations, and pledges: ReadIpAsset and ReadPledge admit the admin.
    RegisterIpAsset: 'whole',
    ConfirmIpOwnership: 'whole',
    DeclineIpOwnership: 'whole',
    VoidIpAsset: 'whole',
    ReviseValuation: 'whole',
    RequestPledge: 'whole',
    ConsentPledge: 'whole',
    WithdrawPledgeConsent: 'whole',
    AcceptPledge: 'whole',
    DeclinePledge: 'whole',
    RejectPledge: 'whole',
    CancelPledge: 'whole',
    ReleasePledge: 'whole',
    EnforcePledge: 'whole',
    // Bureau keys are public, agreements any user reads; attestations and recognitions the admin reads
    // (it anchors passports and manages agreements: docs/credit-passport.md §6).
    RegisterBureauKey: 'whole',
    RevokeBureauKey: 'whole',
    ProposeAgreement: 'whole',
    AcceptAgreement: 'whole',
    TerminateAgreement: 'whole',
    WithdrawAgreement: 'whole',
    SubmitAttestation: 'whole',
    RevokeAttestation: 'whole',
    RecognizeAttestation: 'whole',
    // Credit profiles: the admin reads none (a score and a warning level).
    RefreshCreditProfile: 'none',
    // Notes, offers, discounting, redemption: ReadNote, ReadOffer, ReadDiscountRequest, ListQuotes,
    // ReadQuoteTerms and GetExposure refuse the admin (holders, amounts, payees, quotes).
    IssueNote: 'none',
    SplitNote: 'none',
    OfferTransfer: 'none',
    AcceptOffer: 'none',
    DeclineOffer: 'none',
    CancelOffer: 'none',
    ExpireOffer: 'none',
    RequestDiscount: 'none',
    SubmitQuote: 'none',
    WithdrawQuote: 'none',
    AcceptQuote: 'none',
    WithdrawDiscountRequest: 'none',
    RedeemNote: 'none',
    MarkOverdue: 'none',
};

/** The root's issuer, or the financier of the credit line it draws on: they may read the issuer's exposure. */
function seesExposure(payload: Payload, enterpriseId: string): boolean {
    return payload.issuerId === enterpriseId || payload.financierId === enterpriseId;
}

/** The payload without `key`. */
function without(payload: Payload, key: string): Payload {
    const rest: Payload = { ...payload };
    delete rest[key];
    return rest;
}

/** The ids of the withdrawn quotes only to the requesting holder, which alone may read other financiers' quotes. */
function withoutOthersQuotes(payload: Payload, enterpriseId: string): Payload {
    return payload.holderId === enterpriseId ? payload : without(payload, 'withdrawnQuoteIds');
}

/**
 * Roles whose users may read the credit passports and recognitions of any subject
 * (PASSPORT_READER_ROLES in chaincode/src/profile/credit-readers.ts, less the regulator and the
 * platform admin, which never reach CUTS). A core enterprise's or supplier's users read only their
 * own enterprise's (requirePassportSubject).
 */
const ANY_PASSPORT_READERS: ReadonlySet<Role> = new Set<Role>(['financier', 'credit-bureau', 'foreign-partner']);

/** The `{subject, partnerIds}` entries of RevokeBureauKey's `bySubject`. */
function subjectEntries(payload: Payload): Payload[] {
    return Array.isArray(payload.bySubject) ? (payload.bySubject as unknown[]).filter(isPayload) : [];
}

/**
 * Events that list more than some party they name may read, each with how to cut the payload
 * down to what the enterprise `enterpriseId`, acting in `role` (named in it, neither regulator nor
 * admin), may read.
 */
const CUTS: Readonly<Record<string, (payload: Payload, enterpriseId: string, role: Role) => Payload>> = {
    /**
     * Revoking a bureau key names the subjects of every passport it signed and the partners that
     * recognised any of them (`subjects`, `partnerIds`), and which partners recognised which
     * subject's passports (`bySubject`). The bureau and the partners may read anyone's passports and
     * recognitions and see it whole; a subject, which may read only its own (GET /attestations and
     * /recognitions?subjectId=), sees itself alone among the subjects and only the partners that
     * recognised its own passports. An event without `bySubject` cannot tell which partner
     * recognised whom: a subject sees no partner of it.
     */
    RevokeBureauKey(payload, enterpriseId, role) {
        if (ANY_PASSPORT_READERS.has(role)) {
            return payload;
        }
        const own = subjectEntries(payload).filter((entry) => entry.subject === enterpriseId);
        const partnerIds = own.flatMap((entry) => (Array.isArray(entry.partnerIds) ? (entry.partnerIds as unknown[]) : []));
        const subjects = Array.isArray(payload.subjects) ? payload.subjects.filter((id) => id === enterpriseId) : [];
        return { ...payload, subjects, partnerIds: [...new Set(partnerIds)], ...('bySubject' in payload ? { bySubject: own } : {}) };
    },
    /**
     * Redemption pays every holder, or into escrow for a frozen one: who holds the issuer's paper and
     * how much, which only the issuer, its line's financier and the regulator may read (GET
     * /exposure). Any other holder sees its own payee and escrow lines and the ids of its own
     * redeemed and escrowed notes.
     *
     * It also closes the discount requests open on the leaves, naming every financier each invited
     * (`closedRequests`). Each party sees only the requests it may read (GET /discount-requests/{id}):
     * the requesting holder its own whole, with every financier and withdrawn quote (it may list them
     * all); an invited financier its own with only itself and its own withdrawn quotes; nobody else
     * any (the issuer included, which ReadDiscountRequest refuses). A party that sees no exposure sees
     * only those requests' ids in `closedRequestIds`. A financier named only as invited, holding
     * nothing of the root, sees neither the line's financier nor the offers closed.
     *
     * And it closes the transfer offers pending on the leaves, naming their senders and recipients
     * (`closedOffers`), so a recipient holding nothing of the root learns its offer is gone. An offer
     * is its two parties' to read (ReadOffer): each sees only its own, with their ids in
     * `closedOfferIds`; the issuer and the line's financier keep the ids only.
     */
    RedeemNote(payload, enterpriseId) {
        const exposure = seesExposure(payload, enterpriseId);
        const own: Payload = { ...payload };
        if (!exposure) {
            ownLines(own, payload, enterpriseId, 'payees', 'redeemedNoteIds');
            ownLines(own, payload, enterpriseId, 'escrows', 'escrowedNoteIds');
        }
        if (Array.isArray(payload.closedOffers)) {
            // An offer is read by its two parties only (ReadOffer): the issuer and the line's financier
            // keep the ids, as before, and everyone else sees its own offers and their ids.
            const offers = (payload.closedOffers as unknown[]).filter((offer): offer is Payload => isPayload(offer) && (offer.fromId === enterpriseId || offer.toId === enterpriseId));
            if (exposure) {
                delete own.closedOffers;
            } else {
                own.closedOffers = offers;
                own.closedOfferIds = offers.map((offer) => offer.offerId);
            }
        }
        if (!Array.isArray(payload.closedRequests)) {
            return own;
        }
        const requests = ownClosedRequests(payload.closedRequests as unknown[], enterpriseId);
        own.closedRequests = requests;
        if (!exposure) {
            own.closedRequestIds = requests.map((request) => request.requestId);
            const holds = [own.payees, own.escrows].some((lines) => Array.isArray(lines) && lines.length > 0);
            if (!holds) {
                delete own.financierId;
                // Named only for a closed request: nothing of the offers either (a recipient keeps its own).
                if (!Array.isArray(own.closedOffers) || own.closedOffers.length === 0) {
                    delete own.closedOfferIds;
                    delete own.closedOffers;
                }
            }
        }
        return own;
    },
    /** An overdue root names every holder of what is unpaid: a holder sees only itself among them. */
    MarkOverdue(payload, enterpriseId) {
        if (seesExposure(payload, enterpriseId)) {
            return payload;
        }
        const holderIds = Array.isArray(payload.holderIds) ? payload.holderIds.filter((id) => id === enterpriseId) : [];
        return { ...payload, holderIds };
    },
    /**
     * A new root names the receivables behind it, which its holder (their seller) and issuer (their
     * buyer) may read, but the financier of the line it draws on only once it is asked to fund a
     * piece of the root or holds one (ReadReceivable): that financier sees the note without them.
     */
    IssueNote(payload, enterpriseId) {
        return payload.issuerId === enterpriseId || payload.holderId === enterpriseId ? payload : without(payload, 'receivableIds');
    },
    /**
     * Accepting a quote withdraws the request's other quotes: every invited financier is named, but
     * only the requesting holder may read the request's quotes of other financiers (ListQuotes), so
     * the financiers see the event without the ids of the withdrawn quotes.
     */
    AcceptQuote: withoutOthersQuotes,
    /** Withdrawing a request withdraws its quotes: as for AcceptQuote. */
    WithdrawDiscountRequest: withoutOthersQuotes,
};

/**
 * The closed discount requests (RedeemNote's `closedRequests`: {requestId, holderId, financierIds,
 * withdrawnQuotes: [{quoteId, financierId}]}) as `enterpriseId` may read them: its own requests
 * whole, the requests that invited it with only itself and its own quotes, no others.
 */
function ownClosedRequests(requests: readonly unknown[], enterpriseId: string): Payload[] {
    const own: Payload[] = [];
    for (const request of requests) {
        if (!isPayload(request)) {
            continue;
        }
        if (request.holderId === enterpriseId) {
            own.push(request);
        } else if (Array.isArray(request.financierIds) && request.financierIds.includes(enterpriseId)) {
            const quotes = Array.isArray(request.withdrawnQuotes) ? request.withdrawnQuotes : [];
            own.push({ ...request, financierIds: [enterpriseId], withdrawnQuotes: quotes.filter((quote) => isPayload(quote) && quote.financierId === enterpriseId) });
        }
    }
    return own;
}

/**
 * Keeps in `own` only the holder's lines of `payload[lines]` ({holderId, amount, noteIds?}) and, of
 * `payload[noteIds]`, the ids those lines name. A line that does not name its notes leaves no id
 * that can be told to be the holder's own, so none is shown.
 */
function ownLines(own: Payload, payload: Payload, enterpriseId: string, lines: string, noteIds: string): void {
    delete own[noteIds];
    if (!(lines in payload)) {
        return;
    }
    const mine = (Array.isArray(payload[lines]) ? (payload[lines] as unknown[]) : []).filter((line): line is Payload => isPayload(line) && line.holderId === enterpriseId);
    own[lines] = mine;
    if (mine.length > 0 && mine.every((line) => Array.isArray(line.noteIds))) {
        own[noteIds] = mine.flatMap((line) => line.noteIds as unknown[]);
    }
}

/** The event as `user` may see it, or undefined when it may not see it at all. */
export function eventFor(user: LedgerUser, event: ChaincodeEventView): ChaincodeEventView | undefined {
    if (user.role === 'regulator') {
        return event;
    }
    if (user.role === 'platform-admin') {
        return ADMIN_EVENTS[event.name] === 'whole' ? event : undefined;
    }
    if (!eventNames(event.payload, user.enterpriseId)) {
        return undefined;
    }
    const cut = Object.prototype.hasOwnProperty.call(CUTS, event.name) ? CUTS[event.name] : undefined;
    if (!cut || !isPayload(event.payload)) {
        return event;
    }
    return { ...event, payload: cut(event.payload, user.enterpriseId, user.role) };
}

/** Whether `user` may see `event` (in full or cut down, see eventFor). */
export function maySee(user: LedgerUser, event: ChaincodeEventView): boolean {
    return eventFor(user, event) !== undefined;
}

export interface EventsService {
    /** The events `user` may see after `after` (exclusive), then live, each as `user` may see it. */
    subscribe(user: LedgerUser, after?: EventPosition): EventSubscription;
}

export function newEventsService(backend: LedgerBackend): EventsService {
    return {
        subscribe(user, after) {
            const source = backend.events(user, after);
            return {
                close: () => source.close(),
                async *[Symbol.asyncIterator]() {
                    for await (const event of source) {
                        const visible = eventFor(user, event);
                        if (visible) {
                            yield visible;
                        }
                    }
                },
            };
        },
    };
}
