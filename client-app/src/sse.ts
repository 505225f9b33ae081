/**
 * A Server-Sent Events parser for streams read with fetch. EventSource cannot send an
 * Authorization header, so the client reads /events with fetch and feeds the bytes here.
 */

/** One dispatched event. */
export interface SseMessage {
    id?: string;
    event: string;
    data: string;
}

/** An incremental parser: push text chunks, receive complete events (the WHATWG event-stream rules). */
export class SseParser {
    private buffer = '';
    private data: string[] = [];
    private event = '';
    private id: string | undefined;
    /** The last event id seen, for resuming with Last-Event-ID. */
    lastEventId: string | undefined;

    constructor(private readonly onMessage: (message: SseMessage) => void) {}

    /** Feeds a chunk of the stream (any split, including in the middle of a line). */
    push(chunk: string): void {
        this.buffer += chunk;
        for (;;) {
            const match = /\r\n|\r|\n/.exec(this.buffer);
            if (!match) {
                return;
            }
            // A lone CR at the end of a chunk may be the first half of CRLF: wait for more.
            if (match[0] === '\r' && match.index === this.buffer.length - 1) {
                return;
            }
            const line = this.buffer.slice(0, match.index);
            this.buffer = this.buffer.slice(match.index + match[0].length);
            this.line(line);
        }
    }

    private line(line: string): void {
        if (line === '') {
            this.dispatch();
            return;
        }
        if (line.startsWith(':')) {
            return; // comment / keep-alive
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
            value = value.slice(1);
        }
        if (field === 'data') {
            this.data.push(value);
        } else if (field === 'event') {
            this.event = value;
        } else if (field === 'id' && !value.includes('\0')) {
            this.id = value;
        }
    }

    private dispatch(): void {
        if (this.id !== undefined) {
            this.lastEventId = this.id;
        }
        if (this.data.length > 0) {
            this.onMessage({ id: this.id ?? this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
        }
        this.data = [];
        this.event = '';
        this.id = undefined;
    }
}
