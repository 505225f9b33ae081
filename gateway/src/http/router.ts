import express, { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Principal } from '../auth/auth-service';
import { AppError, appError } from '../errors';
import { requestFingerprint, StoredResponse } from '../services/idempotency-store';
import { recordSubmissions } from '../services/ledger-client';
import type { GatewayServices } from '../services/gateway-services';
import type { RouteContext, RouteResult, RouteSpec } from './route-spec';
import { PageQuery } from './schemas';

/**
 * Mounts route specs on an express router: authentication, validation with the spec's zod
 * schemas, idempotency for writes, pagination for lists, and the response. No try/catch: express 5
 * forwards rejections to the problem middleware.
 */

export interface RouterOptions {
    readonly maxDocumentBytes: number;
    readonly maxJsonBytes?: number;
}

const DEFAULT_PAGE = 100;

function describeIssues(where: string, error: z.ZodError): string {
    return error.issues
        .slice(0, 10)
        .map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
        .join('; ');
}

/** Validates `value` with `schema`. Throws INVALID_ARGUMENT naming each failing field. */
export function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
    if (!schema) {
        return value as T;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
        throw appError.invalid(describeIssues(where, parsed.error));
    }
    return parsed.data;
}

function encodeCursor(offset: number): string {
    return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
    if (cursor === undefined) {
        return 0;
    }
    const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!match) {
        throw appError.invalid('cursor is not a cursor this API returned');
    }
    return Number(match[1]);
}

/** Slices a full list into one page. */
export function paginate(items: unknown, query: unknown): { items: unknown[]; nextCursor: string | null } {
    if (!Array.isArray(items)) {
        throw new AppError('INTERNAL', 'a list route returned something other than a list');
    }
    const page = validate(PageQuery, query, 'query');
    const offset = decodeCursor(page.cursor);
    const limit = page.limit ?? DEFAULT_PAGE;
    const slice = items.slice(offset, offset + limit);
    return { items: slice, nextCursor: offset + limit < items.length ? encodeCursor(offset + limit) : null };
}

/** The route's path in express syntax → the path of an OpenAPI / metrics label. */
export function routeLabel(spec: RouteSpec): string {
    return spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function publicPrincipal(): Principal {
    return new Proxy({} as Principal, {
        get() {
            throw appError.unauthenticated('this route takes no credentials and has no caller');
        },
    });
}

function clientOf(req: Request): string {
    return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function hasBody(req: Request): boolean {
    const length = req.headers['content-length'];
    return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function newApiRouter(routes: readonly RouteSpec[], services: GatewayServices, options: RouterOptions): Router {
    const router = express.Router();
    const json = express.json({ limit: options.maxJsonBytes ?? 1024 * 1024 });
    const raw = express.raw({ type: () => true, limit: options.maxDocumentBytes });

    for (const spec of routes) {
        const parsers: RequestHandler[] = [];
        if (spec.rawBody) {
            parsers.push(raw);
        } else if (spec.method !== 'get') {
            parsers.push((req, _res, next) => {
                if (spec.body && hasBody(req) && !req.is('application/json') && !req.is('application/*+json')) {
                    next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json'));
                    return;
                }
                next();
            }, json);
        }
        const idempotent = spec.idempotent ?? (spec.method !== 'get' && spec.auth !== 'public');

        router[spec.method](spec.path, ...parsers, async (req: Request, res: Response) => {
            res.locals.route = routeLabel(spec);
            let principal: Principal;
            if (spec.auth === 'public') {
                principal = publicPrincipal();
            } else {
                const token = spec.queryToken && typeof req.query.access_token === 'string' ? `Bearer ${req.query.access_token}` : undefined;
                principal = await services.auth.authenticate(req.headers.authorization ?? token);
                res.locals.username = principal.username;
            }
            const params = validate(spec.params, req.params, 'path');
            const query = validate(spec.query, req.query, 'query');
            const body = spec.rawBody ? req.body : validate(spec.body, req.body, 'body');
            const abort = new AbortController();
            res.on('close', () => abort.abort());
            const context: RouteContext = { principal, params, query, body, services, headers: req.headers, signal: abort.signal, client: clientOf(req) };

            const execute = async (): Promise<StoredResponse & { result: RouteResult }> => {
                const result = await spec.handler(context);
                const payload = spec.list ? paginate(result.body, req.query) : result.body;
                return { status: result.status ?? spec.status ?? 200, body: payload, ...(result.txId ? { txId: result.txId } : {}), result };
            };

            const key = req.get('Idempotency-Key');
            let response: StoredResponse;
            let send: RouteResult['send'];
            if (idempotent && key !== undefined) {
                const bodyFromResult = spec.bodyFromResult;
                const ran = await services.idempotency.run(
                    principal.username,
                    key,
                    requestFingerprint(spec.method, req.path, body),
                    (record) =>
                        recordSubmissions(record, async () => {
                            const done = await execute();
                            return { status: done.status, body: done.body, ...(done.txId ? { txId: done.txId } : {}) };
                        }),
                    bodyFromResult ? ({ txId, result }) => ({ status: spec.status ?? 200, body: bodyFromResult(result), txId }) : undefined,
                );
                response = ran.response;
                res.set('Idempotent-Replayed', String(ran.replayed));
            } else {
                const done = await execute();
                response = done;
                send = done.result.send;
            }
            if (send) {
                await send(res);
                return;
            }
            if (response.txId) {
                res.set('X-Transaction-Id', response.txId);
            }
            if (response.status === 204) {
                res.status(204).end();
                return;
            }
            res.status(response.status).json(response.body);
        });
    }
    return router;
}
