import type { ChaincodeEventView, EventPosition, EventSubscription, LedgerBackend, LedgerUser } from '../ledger/ledger-backend';
import { eventNames } from '@xinlian/chaincode';
import { appError } from '../errors';

/**
 * Chaincode events for one caller. The regulator and the platform operator see every event; any
 * other user sees the events whose payload names its enterprise (as a party, holder, payee …).
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

/** Whether `user` may see `event`. */
export function maySee(user: LedgerUser, event: ChaincodeEventView): boolean {
    if (user.role === 'regulator' || user.role === 'platform-admin') {
        return true;
    }
    return eventNames(event.payload, user.enterpriseId);
}

export interface EventsService {
    /** The events `user` may see after `after` (exclusive), then live. */
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
                        if (maySee(user, event)) {
                            yield event;
                        }
                    }
                },
            };
        },
    };
}
