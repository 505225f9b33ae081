import { eventNames } from '../../chaincode/src/ledger/event-parties';
import type { LedgerEvent, User } from './resources';

/**
 * Which events of the live feed should refresh the page a user is looking at. The feed first
 * replays the events committed before the user connected (the gateway streams from the start of
 * the ledger), then follows new ones; only new events that concern the user refresh a page.
 */

/** The payload of an event as the feed delivers it ({name, txId, block, index, payload}), or the data itself. */
export function eventPayload(event: LedgerEvent): unknown {
    const data = event.data;
    if (data && typeof data === 'object' && 'payload' in data) {
        return (data as { payload: unknown }).payload;
    }
    return data;
}

/**
 * Whether an event concerns the user: the regulator and the platform administrator oversee every
 * event; anyone else is concerned when the event names its enterprise (as party, holder, payee …).
 */
export function eventConcerns(event: LedgerEvent, user: Pick<User, 'role' | 'enterpriseId'>): boolean {
    if (user.role === 'regulator' || user.role === 'platform-admin') {
        return true;
    }
    return eventNames(eventPayload(event), user.enterpriseId);
}

/** The block an event was committed in, from its feed envelope or its id "<block>:<index>"; undefined when unknown. */
export function eventBlock(event: LedgerEvent): number | undefined {
    const data = event.data as { block?: unknown } | undefined;
    if (data && typeof data === 'object' && typeof data.block === 'number') {
        return data.block;
    }
    const match = /^(\d+):\d+$/.exec(event.id);
    return match ? Number(match[1]) : undefined;
}

/**
 * Whether an event is new rather than replayed history: committed in a block at or above
 * `height`, the ledger's height when the feed connected. False when either is unknown (the shell
 * then tells history from news by the lull that ends the replay).
 */
export function isNewEvent(event: LedgerEvent, height: number | undefined): boolean {
    const block = eventBlock(event);
    return height !== undefined && block !== undefined && block >= height;
}

/**
 * The roots the feed says were marked overdue (MarkOverdue events, which name the holders of what
 * was unpaid): they mark a root overdue on the holder's page as soon as they arrive, before the
 * page asks the ledger again (a holder below tier 1 learns it from its note's provenance).
 */
export function overdueRootIds(events: readonly LedgerEvent[]): Set<string> {
    const roots = new Set<string>();
    for (const event of events) {
        const name = event.name || (event.data as { name?: unknown } | undefined)?.name;
        const rootId = (eventPayload(event) as { rootId?: unknown } | undefined)?.rootId;
        if (name === 'MarkOverdue' && typeof rootId === 'string') {
            roots.add(rootId);
        }
    }
    return roots;
}
