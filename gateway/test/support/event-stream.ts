/** Reading the gateway's event stream (GET /events) in integration tests. */

export interface OpenStream {
    /** Resolves once the first bytes arrived (the stream is open). */
    readonly opened: Promise<void>;
    /** Resolves 'ended' when the gateway ends the stream, 'still open' when `limitMs` passed first. */
    readonly ended: Promise<'ended' | 'still open'>;
    readonly events: () => number;
    /** Closes the stream from the client's side (`ended` then resolves 'still open'). */
    readonly close: () => void;
}

/** Opens GET /events with `headers` (or a query token) and reads it until the gateway ends it. */
export function openStream(baseUrl: string, options: { headers?: Record<string, string>; query?: string; limitMs?: number }): OpenStream {
    const controller = new AbortController();
    let events = 0;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const ended = (async (): Promise<'ended' | 'still open'> => {
        const limit = setTimeout(() => controller.abort(), options.limitMs ?? 15_000);
        try {
            const response = await fetch(`${baseUrl}/events${options.query ?? ''}`, { headers: { Accept: 'text/event-stream', ...options.headers }, signal: controller.signal });
            if (response.status !== 200 || !response.body) {
                throw new Error(`events: HTTP ${response.status} ${await response.text()}`);
            }
            for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
                open();
                events += (Buffer.from(chunk).toString('utf8').match(/^event: /gm) ?? []).length;
            }
            return 'ended';
        } catch (error) {
            if ((error as Error).name === 'AbortError') {
                return 'still open';
            }
            throw error;
        } finally {
            clearTimeout(limit);
        }
    })();
    ended.then(open, open);
    return { opened, ended, events: () => events, close: () => controller.abort() };
}
