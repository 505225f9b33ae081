import { z } from 'zod';
import { formatEventId, parseEventId } from '../../services/events-service';
import type { RouteSpec } from '../route-spec';

const HEARTBEAT_MS = 15_000;

export const eventsRoutes: RouteSpec[] = [
    {
        method: 'get', path: '/events', tag: 'Events', queryToken: true, responseMediaType: 'text/event-stream',
        summary: 'Server-Sent Events of chaincode events the caller may see; resumes after Last-Event-ID (`<block>:<index>`)',
        description:
            'Browsers whose EventSource cannot send headers may pass the bearer token as ?access_token=. `?after=` is an alternative to Last-Event-ID. A position in a block the ledger has not committed (a checkpoint from another ledger) starts the stream over from the first event. The stream ends when the credential it was opened with stops working: the bearer token expires or is ended by a password change or by signing out (POST /auth/logout), the API key expires or is deleted, or the user is disabled; reconnecting then needs a new credential.',
        query: z.object({ after: z.string().max(40).optional(), access_token: z.string().max(4096).optional() }),
        handler: async ({ principal, query, headers, services, signal }) => {
            // The header wins over ?after=; a malformed position names the one it came from.
            const header = headers['last-event-id'] as string | undefined;
            let after = header ? parseEventId(header, 'Last-Event-ID') : query.after ? parseEventId(query.after, 'the query parameter after') : undefined;
            // Asked before any header is sent: a ledger that cannot be reached (the gateway's own peer down)
            // answers 503 LEDGER_UNAVAILABLE instead of a 200 stream that closes at once.
            const { height } = await services.ledgerStatus();
            if (after !== undefined) {
                // A position in a block this ledger has not committed comes from another ledger (one
                // reset or replaced since): resuming after it would skip every event up to it, so the
                // stream starts over from the first event instead.
                if (height !== undefined && after.block >= height) {
                    after = undefined;
                }
            }
            const subscription = services.events.subscribe(principal, after);
            return {
                send: async (res) => {
                    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
                    res.flushHeaders();
                    res.write('retry: 2000\n\n');
                    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
                    const stop = (): void => subscription.close();
                    signal.addEventListener('abort', stop);
                    // A stream must not outlive the right to open it: the token's expiry, a disabled user, a deleted key.
                    const unwatch = services.auth.watch(principal, () => {
                        res.write(': the credential of this stream stopped working\n\n');
                        stop();
                    });
                    try {
                        for await (const event of subscription) {
                            const data = JSON.stringify({ name: event.name, txId: event.txId, block: event.position.block, index: event.position.index, payload: event.payload });
                            res.write(`id: ${formatEventId(event.position)}\nevent: ${event.name}\ndata: ${data}\n\n`);
                        }
                    } finally {
                        unwatch();
                        clearInterval(heartbeat);
                        signal.removeEventListener('abort', stop);
                        res.end();
                    }
                },
            };
        },
    },
];
