import type { ChaincodeEventView, EventPosition, EventSubscription, LedgerBackend, LedgerUser } from '../ledger/ledger-backend';
import { eventNames } from '@xinlian/chaincode';
import { appError } from '../errors';

/**
 * Chaincode events for one caller. The regulator and the platform operator see every event; any
 * other user sees the events whose payload names its enterprise (as a party, holder, payee …).
 *
 * Some events list several holders' positions in one root — who holds the issuer's paper and how
 * much, which only the issuer, its line's financier and the regulator may read (GET /exposure). A
 * holder named in such an event sees it with only its own line: see POSITION_LISTS.
 */

/** Formats an event position as the SSE id `<block>:<index>`. */
export function formatEventId(position: EventPosition): string {
    return `${position.block}:${position.index}`;
}

/** Parses an SSE id `<block>:<index>`. Throws INVALID_ARGUMENT. */
export function parseEventId(text: string): EventPosition {
    const match = /^(\d{1,15}):(\d{1,9})$/.exec(text.trim());
    if (!match) {
        throw appError.invalid('Last-Event-ID must look like <block>:<index>');
    }
    return { block: Number(match[1]), index: Number(match[2]) };
}

type Payload = Record<string, unknown>;

function isPayload(value: unknown): value is Payload {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The root's issuer, or the financier of the credit line it draws on: they may read the issuer's exposure. */
function seesExposure(payload: Payload, enterpriseId: string): boolean {
    return payload.issuerId === enterpriseId || payload.financierId === enterpriseId;
}

/**
 * Events that list several holders of one root, each with how to cut the payload down to what one
 * holder may see of it (given it is not the issuer or the line's financier).
 */
const POSITION_LISTS: Readonly<Record<string, (payload: Payload, enterpriseId: string) => Payload>> = {
    /**
     * Redemption pays every holder, or into escrow for a frozen one: a holder sees its own payee and
     * escrow lines and the ids of its own redeemed and escrowed notes.
     */
    RedeemNote(payload, enterpriseId) {
        const own: Payload = { ...payload };
        ownLines(own, payload, enterpriseId, 'payees', 'redeemedNoteIds');
        ownLines(own, payload, enterpriseId, 'escrows', 'escrowedNoteIds');
        return own;
    },
    /** An overdue root names every holder of what is unpaid: a holder sees only itself among them. */
    MarkOverdue(payload, enterpriseId) {
        const holderIds = Array.isArray(payload.holderIds) ? payload.holderIds.filter((id) => id === enterpriseId) : [];
        return { ...payload, holderIds };
    },
};

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
    if (user.role === 'regulator' || user.role === 'platform-admin') {
        return event;
    }
    if (!eventNames(event.payload, user.enterpriseId)) {
        return undefined;
    }
    const cut = POSITION_LISTS[event.name];
    if (!cut || !isPayload(event.payload) || seesExposure(event.payload, user.enterpriseId)) {
        return event;
    }
    return { ...event, payload: cut(event.payload, user.enterpriseId) };
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
