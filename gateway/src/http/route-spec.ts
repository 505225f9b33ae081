import type { Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../auth/auth-service';
import type { GatewayServices } from '../services/gateway-services';
import { AppError } from '../errors';
import { requireCitableDocument } from '../services/document-access';
import { parseLedgerJson } from '../services/ledger-client';

/**
 * One endpoint, declared once: its schemas validate the request and document it in OpenAPI, its
 * handler calls the service layer. Handlers never catch errors; the error middleware renders them.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface RouteContext<P = unknown, Q = unknown, B = unknown> {
    readonly principal: Principal;
    readonly params: P;
    readonly query: Q;
    readonly body: B;
    readonly services: GatewayServices;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    /** Aborted when the client goes away. */
    readonly signal: AbortSignal;
    /** The client's address (for rate limits). */
    readonly client: string;
}

export interface RouteResult {
    readonly status?: number;
    readonly body?: unknown;
    readonly txId?: string;
    /** Writes the response itself (bytes, event streams). */
    readonly send?: (res: Response) => void | Promise<void>;
}

/**
 * The sort key of one item of a list: the gateway serves a list in the (code-unit) order of its
 * items' keys, and a page's cursor carries the key of its last item.
 */
export type PageKey = (item: Readonly<Record<string, unknown>>) => unknown;

export interface RouteSpec {
    readonly method: HttpMethod;
    /** Express-style path below /api/v1, e.g. /notes/:id/split. */
    readonly path: string;
    readonly tag: string;
    readonly summary: string;
    readonly description?: string;
    /**
     * 'public' routes need no credentials; 'token' routes take the bearer token of a password login only
     * (the service answers an API key with 403); 'user' routes (the default) take a token or an API key.
     */
    readonly auth?: 'user' | 'token' | 'public';
    readonly params?: z.ZodType;
    readonly query?: z.ZodType;
    readonly body?: z.ZodType;
    /** The body is raw bytes of any media type (documents). */
    readonly rawBody?: boolean;
    readonly response?: z.ZodType;
    /** Documented media type of a non-JSON response. */
    readonly responseMediaType?: string;
    /** Success status (default 200). */
    readonly status?: number;
    /** The handler returns an array that the gateway paginates as {items, nextCursor}. */
    readonly list?: boolean;
    /** The sort key of a list's items, unique within the list (default: the item's `id`); see PageKey. */
    readonly pageKey?: PageKey;
    /** Writes accept Idempotency-Key (default: every non-GET route with auth 'user'). */
    readonly idempotent?: boolean;
    /** Also accept the bearer token as ?access_token= (for EventSource, which cannot send headers). */
    readonly queryToken?: boolean;
    /** The chaincode transaction behind the route, for documentation. */
    readonly transaction?: string;
    /**
     * The response body of a write whose one transaction committed, from that transaction's
     * chaincode response payload: lets a repeat of an idempotent request cut off by a gateway crash
     * get its response instead of IDEMPOTENCY_RESPONSE_LOST. Only for routes that send a single
     * transaction and whose response follows from its result alone (submitRoute sets it to the
     * result itself).
     */
    readonly bodyFromResult?: (payload: Buffer) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly handler: (context: RouteContext<any, any, any>) => Promise<RouteResult>;
}

/** What a transaction-backed route builds its arguments from: the validated request and its caller. */
export interface LedgerRouteInput<P, Q, B> {
    readonly params: P;
    readonly query: Q;
    readonly body: B;
    readonly principal: Principal;
}

/** The transaction-backed routes: a write submits, a read evaluates, as the calling user. */
export interface LedgerRouteOptions<P, Q, B> extends Omit<RouteSpec, 'handler' | 'transaction' | 'params' | 'query' | 'body'> {
    readonly params?: z.ZodType<P>;
    readonly query?: z.ZodType<Q>;
    readonly body?: z.ZodType<B>;
    readonly transaction: string;
    /** The transaction's arguments (strings, or values sent as JSON). */
    readonly args: (input: LedgerRouteInput<P, Q, B>) => readonly unknown[];
    /** Transient data (private to the chaincode, never stored). */
    readonly transient?: (input: LedgerRouteInput<P, Q, B>) => Record<string, string>;
    /**
     * The document CIDs the transaction cites (a write only): each must be a document the caller may
     * read right now, else the route answers 404 NOT_FOUND before submitting (requireCitableDocument),
     * unless a simulation of the transaction says the caller may not do this at all: then 403 FORBIDDEN.
     */
    readonly citedDocuments?: (input: LedgerRouteInput<P, Q, B>) => readonly string[];
}

/** A route that submits a transaction and returns its result, with X-Transaction-Id. */
export function submitRoute<P = unknown, Q = unknown, B = unknown>(options: LedgerRouteOptions<P, Q, B>): RouteSpec {
    const { args, transient, citedDocuments, ...spec } = options;
    return {
        ...spec,
        bodyFromResult: (payload) => parseLedgerJson(payload),
        handler: async ({ principal, params, query, body, services }) => {
            const input = { params: params as P, query: query as Q, body: body as B, principal };
            const invoke = transient ? { transient: transient(input) } : undefined;
            for (const cid of citedDocuments?.(input) ?? []) {
                await requireCitableDocument(services.documents, services.ledger, principal, cid).catch(async (refusal: unknown) => {
                    // A caller the ledger refuses whatever it cites (a role that may not do this at all) is
                    // told so, 403, not "no such document": the transaction is simulated, never submitted.
                    // Only FORBIDDEN wins: any other refusal of the simulation could tell something of the
                    // document (DOUBLE_FINANCING: another receivable already cites it), so the 404 stands.
                    if (refusal instanceof AppError && refusal.code === 'NOT_FOUND') {
                        const forbidden = await services.ledger.evaluate(principal, options.transaction, args(input), invoke).then(
                            () => undefined,
                            (simulated: unknown) => (simulated instanceof AppError && simulated.code === 'FORBIDDEN' ? simulated : undefined),
                        );
                        if (forbidden) {
                            throw new AppError('FORBIDDEN', forbidden.message);
                        }
                    }
                    throw refusal;
                });
            }
            const written = await services.ledger.submit(principal, options.transaction, args(input), invoke);
            return { body: written.result, txId: written.txId };
        },
    };
}

/** A route that evaluates a read-only transaction as the calling user. */
export function evaluateRoute<P = unknown, Q = unknown, B = unknown>(options: Omit<LedgerRouteOptions<P, Q, B>, 'citedDocuments'>): RouteSpec {
    const { args, transient, ...spec } = options;
    return {
        ...spec,
        handler: async ({ principal, params, query, body, services }) => {
            const input = { params: params as P, query: query as Q, body: body as B, principal };
            return { body: await services.ledger.evaluate(principal, options.transaction, args(input), transient ? { transient: transient(input) } : undefined) };
        },
    };
}
