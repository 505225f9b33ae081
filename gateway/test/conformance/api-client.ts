/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
/**
 * A tiny HTTP client for the integration and conformance tests (real HTTP, fetch). Every 2xx JSON
 * answer is checked against the committed OpenAPI document (response-validator.ts).
 */
import { checkDocumentedResponse } from './response-validator';

export interface ApiResponse<T = any> {
    readonly status: number;
    readonly body: T;
    readonly headers: Headers;
    readonly text: string;
}

export interface CallOptions {
    readonly token?: string;
    readonly body?: unknown;
    readonly headers?: Record<string, string>;
    /** Sent as-is (no JSON encoding). */
    readonly raw?: Uint8Array | string;
}

export async function call<T = any>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) {
        headers.Authorization ??= `Bearer ${options.token}`;
    }
    let body: BodyInit | undefined;
    if (options.raw !== undefined) {
        body = options.raw as BodyInit;
    } else if (options.body !== undefined) {
        headers['Content-Type'] ??= 'application/json';
        body = JSON.stringify(options.body);
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '')) {
        parsed = JSON.parse(text);
    }
    if (typeof parsed !== 'string') {
        checkDocumentedResponse(method, path, response.status, parsed);
    }
    return { status: response.status, body: parsed as T, headers: response.headers, text };
}

/** Reads Server-Sent Events from `path` until `count` events arrived or `timeoutMs` passed. */
export async function readEvents(
    baseUrl: string,
    path: string,
    options: { token?: string; lastEventId?: string; count: number; timeoutMs?: number },
): Promise<Array<{ id: string; event: string; data: any }>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 3000);
    const events: Array<{ id: string; event: string; data: any }> = [];
    try {
        const response = await fetch(`${baseUrl}${path}`, {
            headers: { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), Accept: 'text/event-stream', ...(options.lastEventId ? { 'Last-Event-ID': options.lastEventId } : {}) },
            signal: controller.signal,
        });
        if (response.status !== 200 || !response.body) {
            throw new Error(`events: HTTP ${response.status} ${await response.text()}`);
        }
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            buffer += decoder.decode(chunk, { stream: true });
            let split: number;
            while ((split = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, split);
                buffer = buffer.slice(split + 2);
                const fields: Record<string, string> = {};
                for (const line of block.split('\n')) {
                    const colon = line.indexOf(':');
                    if (colon > 0) {
                        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
                    }
                }
                if (fields.event) {
                    events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
                    if (events.length >= options.count) {
                        controller.abort();
                        return events;
                    }
                }
            }
        }
    } catch (error) {
        if ((error as Error).name !== 'AbortError') {
            throw error;
        }
    } finally {
        clearTimeout(timer);
    }
    return events;
}
