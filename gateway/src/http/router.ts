import express, { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/auth-service';
import { AppError, appError } from '../errors';
import { requestFingerprint, StoredResponse } from '../services/idempotency-store';
import { recordSubmissions } from '../services/ledger-client';
import type { GatewayServices } from '../services/gateway-services';
import { bearerChallenge } from './problem';
import type { PageKey, RouteContext, RouteResult, RouteSpec } from './route-spec';
import { PageQuery } from './schemas';
import { plainIssueMessage } from './validation-messages';

/**
 * Mounts route specs on an express router: authentication (before any body is read, so a caller
 * without credentials cannot make the gateway read and hold megabytes), validation with the spec's
 * zod schemas, idempotency for writes, pagination for lists, the response, and 405 for a known path
 * asked with a method it does not answer. No try/catch (but one that names a refused credential's
 * challenge and rethrows): express 5 forwards rejections to the problem middleware.
 */

export interface RouterOptions {
    readonly maxDocumentBytes: number;
    readonly maxJsonBytes?: number;
}

const DEFAULT_PAGE = 100;

/** Whether an Authorization value presents a credential of a scheme the API takes (Bearer or ApiKey). */
function presentsCredential(authorization: string | undefined): boolean {
    return authorization !== undefined && /^(bearer|apikey) +\S/i.test(authorization.trim());
}

/** `<where>.<path>: <message>` for each issue (the first ten), `; ` between them. */
function describeIssues(where: string, error: z.ZodError): string {
    return error.issues
        .slice(0, 10)
        .map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
        .join('; ');
}

/**
 * Validates `value` with `schema`. Throws INVALID_ARGUMENT naming each failing field, with the message
 * its schema sets or else plainIssueMessage's.
 */
export function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
    if (!schema) {
        return value as T;
    }
    const parsed = schema.safeParse(value, { error: plainIssueMessage });
    if (!parsed.success) {
        throw appError.invalid(describeIssues(where, parsed.error));
    }
    return parsed.data;
}

/**
 * The query parameters a route takes: those of its query schema (an object schema) and, for a list,
 * limit and cursor — the ones its OpenAPI operation lists. Throws at mount for a query schema that is
 * not an object (its parameters could not be named).
 */
export function queryParameterNames(spec: Pick<RouteSpec, 'method' | 'path' | 'query' | 'list'>): ReadonlySet<string> {
    if (spec.query !== undefined && !(spec.query instanceof z.ZodObject)) {
        throw new Error(`${spec.method} ${spec.path}: a query schema must be an object schema`);
    }
    const own = spec.query instanceof z.ZodObject ? Object.keys(spec.query.shape as Record<string, unknown>) : [];
    return new Set([...own, ...(spec.list ? Object.keys(PageQuery.shape) : [])]);
}

/**
 * Refuses a query parameter the route does not take (a misspelt `enterpriseid`, `limit[]`), as bodies
 * refuse unknown keys: ignoring it would answer as if it had not been sent (an unfiltered or empty list).
 * Throws INVALID_ARGUMENT naming the parameters and those the route takes.
 */
function refuseUnknownQuery(query: Record<string, unknown>, taken: ReadonlySet<string>): void {
    const unknown = Object.keys(query).filter((name) => !taken.has(name));
    if (unknown.length === 0) {
        return;
    }
    const named = unknown
        .slice(0, 10)
        .map((name) => `query.${name.length > 60 ? `${name.slice(0, 60)}…` : name}`)
        .join(', ');
    const takes = taken.size === 0 ? 'this route takes no query parameters' : `this route takes ${[...taken].join(', ')}`;
    throw appError.invalid(`${named}: ${unknown.length === 1 ? 'is not a query parameter' : 'are not query parameters'} of this route (${takes})`);
}

/** Longest page key a cursor may carry, in UTF-8 bytes (record ids have at most 128 characters). */
const MAX_PAGE_KEY_BYTES = 256;
const CURSOR_PREFIX = 'k:';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The default page key: the item's `id`. */
const byId: PageKey = (item) => item.id;

function encodeCursor(key: string): string {
    return Buffer.from(`${CURSOR_PREFIX}${key}`, 'utf8').toString('base64url');
}

/** The page key a cursor carries, or undefined for the first page. Throws INVALID_ARGUMENT. */
function decodeCursor(cursor: string | undefined): string | undefined {
    if (cursor === undefined) {
        return undefined;
    }
    const bytes = Buffer.from(cursor, 'base64url');
    let text: string | undefined;
    try {
        // Only the exact text encodeCursor gives is a cursor: Buffer's decoder skips stray characters.
        text = bytes.toString('base64url') === cursor ? strictUtf8.decode(bytes) : undefined;
    } catch {
        text = undefined;
    }
    const key = text?.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : undefined;
    if (key === undefined || key.length === 0 || Buffer.byteLength(key) > MAX_PAGE_KEY_BYTES) {
        throw appError.invalid('query.cursor: is not a cursor this API returned (pass nextCursor of the previous page unchanged)');
    }
    return key;
}

function keyOf(item: unknown, pageKey: PageKey): string {
    const key = item !== null && typeof item === 'object' && !Array.isArray(item) ? pageKey(item as Record<string, unknown>) : undefined;
    if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key) > MAX_PAGE_KEY_BYTES) {
        throw new AppError('INTERNAL', 'a list route returned an item without a page key');
    }
    return key;
}

/**
 * One page of a full list (keyset pagination): the items in the order of their page keys, starting
 * strictly after the key in the cursor. A record added or removed between two requests therefore
 * neither repeats nor shifts an item already served. Throws INVALID_ARGUMENT (limit, cursor),
 * INTERNAL (not a list, an item without a key, two items with the same key).
 */
export function paginate(items: unknown, query: unknown, pageKey: PageKey = byId): { items: unknown[]; nextCursor: string | null } {
    if (!Array.isArray(items)) {
        throw new AppError('INTERNAL', 'a list route returned something other than a list');
    }
    const page = validate(PageQuery, query, 'query');
    const after = decodeCursor(page.cursor);
    const limit = page.limit ?? DEFAULT_PAGE;
    const keyed = items.map((item: unknown) => ({ item, key: keyOf(item, pageKey) }));
    // Code-unit order: deterministic, and the order of the ids the chaincode's index scans give.
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let i = 1; i < keyed.length; i++) {
        if (keyed[i].key === keyed[i - 1].key) {
            // A cursor could not tell the two apart: one of them would be skipped.
            throw new AppError('INTERNAL', 'a list route returned two items with the same page key');
        }
    }
    const start = after === undefined ? 0 : keyed.findIndex((entry) => entry.key > after);
    const rest = start < 0 ? [] : keyed.slice(start);
    const slice = rest.slice(0, limit);
    return { items: slice.map((entry) => entry.item), nextCursor: rest.length > limit ? encodeCursor(slice[slice.length - 1].key) : null };
}

/** The route's path in express syntax → the path of an OpenAPI / metrics label. */
export function routeLabel(spec: Pick<RouteSpec, 'path'>): string {
    return spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
}

/** The schemas of body and response fields that hold a secret (see secretField). */
const SECRET_FIELDS = new WeakSet<z.ZodType>();

/**
 * Marks a field of a route's body or response object schema as a secret (a password in a request, a
 * secret shown once in a response): the idempotency store never keeps it. A request's fingerprint
 * leaves it out (a fast hash of a password would be as good as the password to whoever reads the data
 * directory), so a repeat that differs only in a secret is the same request; a stored response leaves
 * it out, so a repeat gets the response without it.
 */
export function secretField<T extends z.ZodType>(schema: T): T {
    SECRET_FIELDS.add(schema);
    return schema;
}

/** The names of the secret fields of an object schema (optional or not). */
function secretFieldsOf(schema: z.ZodType | undefined): string[] {
    const object = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
    if (!(object instanceof z.ZodObject)) {
        return [];
    }
    return Object.entries(object.shape as Record<string, z.ZodType>)
        .filter(([, field]) => SECRET_FIELDS.has(field))
        .map(([name]) => name);
}

/** `value` without the fields named in `secrets` (itself when it has none). */
export function withoutSecrets(value: unknown, secrets: readonly string[]): unknown {
    if (secrets.length === 0 || value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
        return value;
    }
    return Object.fromEntries(Object.entries(value).filter(([name]) => !secrets.includes(name)));
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

/** Refuses a JSON body that parsed to something other than an object ("text", null, [ ]). */
const requireJsonObject: RequestHandler = (req, _res, next) => {
    const body: unknown = req.body;
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
        next(appError.invalid('body: must be a JSON object'));
        return;
    }
    next();
};

/** The methods a path answers, as an Allow header lists them (a GET route answers HEAD too). */
function allowedMethods(routes: readonly RouteSpec[]): Map<string, Set<string>> {
    const byPath = new Map<string, Set<string>>();
    for (const spec of routes) {
        const methods = byPath.get(spec.path) ?? new Set<string>();
        methods.add(spec.method.toUpperCase());
        if (spec.method === 'get') {
            methods.add('HEAD');
        }
        byPath.set(spec.path, methods);
    }
    return byPath;
}

/**
 * After every route: a request whose path some route matches, but not its method, gets 405 with
 * Allow (OPTIONS is left to express, which answers it with the same list). Paths that no route
 * matches go on to the 404 handler. More than one pattern may match a path (/attestations/anchor
 * and /attestations/:id), so each one adds its methods before the last handler answers.
 */
function mountMethodNotAllowed(router: Router, routes: readonly RouteSpec[]): void {
    for (const [path, methods] of allowedMethods(routes)) {
        router.all(path, (_req, res, next) => {
            res.locals.route ??= routeLabel({ path });
            const seen = (res.locals.allowedMethods as Set<string> | undefined) ?? new Set<string>();
            methods.forEach((method) => seen.add(method));
            res.locals.allowedMethods = seen;
            next();
        });
    }
    router.use((req, res, next) => {
        const seen = res.locals.allowedMethods as Set<string> | undefined;
        if (seen === undefined || req.method === 'OPTIONS') {
            next();
            return;
        }
        const allow = [...seen].sort().join(', ');
        res.set('Allow', allow);
        next(new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.baseUrl}${req.path}; it allows ${allow}`));
    });
}

export function newApiRouter(routes: readonly RouteSpec[], services: GatewayServices, options: RouterOptions): Router {
    const router = express.Router();
    // strict: false lets requireJsonObject name the problem with valid JSON that is not an object.
    const json = express.json({ limit: options.maxJsonBytes ?? 1024 * 1024, strict: false });
    const raw = express.raw({ type: () => true, limit: options.maxDocumentBytes });

    for (const spec of routes) {
        const label: RequestHandler = (_req, res, next) => {
            res.locals.route = routeLabel(spec);
            next();
        };
        // Before any parser: a request without valid credentials is refused unread.
        const authenticate: RequestHandler = async (req, res, next) => {
            const token = spec.queryToken && typeof req.query.access_token === 'string' ? `Bearer ${req.query.access_token}` : undefined;
            const credential = req.headers.authorization ?? token;
            let principal: Principal;
            try {
                principal = await services.auth.authenticate(credential);
            } catch (error) {
                // A Bearer token or API key that was presented and refused: RFC 6750's invalid_token.
                if (error instanceof AppError && error.code === 'UNAUTHENTICATED' && presentsCredential(credential)) {
                    res.set('WWW-Authenticate', bearerChallenge('invalid_token'));
                }
                throw error;
            }
            res.locals.principal = principal;
            res.locals.username = principal.username;
            next();
        };
        const parsers: RequestHandler[] = [];
        if (spec.rawBody) {
            parsers.push(raw);
        } else if (spec.method !== 'get') {
            parsers.push((req, _res, next) => {
                // Only what the parser reads: application/merge-patch+json and the like would pass unread.
                if (spec.body && hasBody(req) && !req.is('application/json')) {
                    const given = req.get('content-type')?.split(';')[0].trim().slice(0, 100) || 'a body without Content-Type';
                    next(new AppError('UNSUPPORTED_MEDIA_TYPE', `the request body must be application/json, not ${given}`));
                    return;
                }
                next();
            }, json, requireJsonObject);
        }
        const queryNames = queryParameterNames(spec);
        const idempotent = spec.idempotent ?? (spec.method !== 'get' && spec.auth !== 'public');
        const bodySecrets = secretFieldsOf(spec.body);
        const responseSecrets = secretFieldsOf(spec.response);
        const before = spec.auth === 'public' ? [label, ...parsers] : [label, authenticate, ...parsers];

        router[spec.method](spec.path, ...before, async (req: Request, res: Response) => {
            const principal: Principal = spec.auth === 'public' ? publicPrincipal() : (res.locals.principal as Principal);
            const params = validate(spec.params, req.params, 'path');
            refuseUnknownQuery(req.query, queryNames);
            const query = validate(spec.query, req.query, 'query');
            const body = spec.rawBody ? req.body : validate(spec.body, req.body, 'body');
            const abort = new AbortController();
            res.on('close', () => abort.abort());
            const context: RouteContext = { principal, params, query, body, services, headers: req.headers, signal: abort.signal, client: clientOf(req) };

            const execute = async (): Promise<StoredResponse & { result: RouteResult }> => {
                const result = await spec.handler(context);
                const payload = spec.list ? paginate(result.body, req.query, spec.pageKey) : result.body;
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
                    requestFingerprint(spec.method, req.path, withoutSecrets(body, bodySecrets), req.get('content-type')),
                    (record) =>
                        recordSubmissions(record, async () => {
                            const done = await execute();
                            return { status: done.status, body: done.body, ...(done.txId ? { txId: done.txId } : {}) };
                        }),
                    bodyFromResult ? ({ txId, result }) => ({ status: spec.status ?? 200, body: bodyFromResult(result), txId }) : undefined,
                    responseSecrets.length > 0 ? (stored) => ({ ...stored, body: withoutSecrets(stored.body, responseSecrets) }) : undefined,
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
    mountMethodNotAllowed(router, routes);
    return router;
}
