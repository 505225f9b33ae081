import { z } from 'zod';
import type { RouteSpec } from './route-spec';
import { routeLabel } from './router';
import { PageQuery, Problem, TransactionResult } from './schemas';
import RESULT_SCHEMAS from './transaction-result-schemas.json';

/**
 * The OpenAPI 3.1 document, generated from the same route specs and zod schemas that validate
 * requests. Deterministic: the same specs always give the same document (it is committed as
 * docs/api/openapi.json and a test fails when the two differ).
 */

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
    delete json.$schema;
    return json;
}

function objectProperties(schema: z.ZodType | undefined): Array<{ name: string; schema: JsonSchema; required: boolean; description?: string }> {
    if (!schema) {
        return [];
    }
    const json = toSchema(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    return Object.entries(properties).map(([name, property]) => ({
        name,
        schema: property,
        required: required.has(name),
        ...(typeof property.description === 'string' ? { description: property.description } : {}),
    }));
}

function operationId(spec: RouteSpec): string {
    const words = spec.path
        .split('/')
        .filter(Boolean)
        .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
        .join('-')
        .split(/[-_]/)
        .filter(Boolean);
    return spec.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** The schemas of the chaincode transactions' results (generated; see scripts/transaction-result-schemas.ts). */
export interface ResultSchemas {
    readonly transactions: Readonly<Record<string, JsonSchema>>;
    readonly components: Readonly<Record<string, JsonSchema>>;
}

/** The documented response schema of a route: its zod schema, or its transaction's generated result schema. */
function responseSchema(spec: RouteSpec, results: ResultSchemas): JsonSchema | undefined {
    if (!spec.response) {
        return undefined;
    }
    if (spec.response !== TransactionResult) {
        return toSchema(spec.response, 'output');
    }
    const result = spec.transaction ? results.transactions[spec.transaction] : undefined;
    if (!result) {
        throw new Error(`${spec.method} ${spec.path}: no result schema for transaction ${spec.transaction} (add it to chaincode/src/transaction-results.ts)`);
    }
    if (!spec.list) {
        return result;
    }
    if (result.type !== 'array' || !result.items) {
        throw new Error(`${spec.method} ${spec.path}: a list route needs a transaction that returns an array`);
    }
    return result.items as JsonSchema;
}

const NEXT_CURSOR = {
    type: ['string', 'null'],
    description: 'Opaque: pass it as `cursor` for the page after this one, which starts after its last item; null on the last page',
};

const PROBLEM_RESPONSE = { description: 'An error (application/problem+json)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** Builds the OpenAPI 3.1 document of `routes`. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string, results: ResultSchemas = RESULT_SCHEMAS): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const spec of routes) {
        const parameters: unknown[] = [];
        for (const p of objectProperties(spec.params)) {
            parameters.push({ name: p.name, in: 'path', required: true, schema: p.schema });
        }
        const query = [...objectProperties(spec.query), ...(spec.list ? objectProperties(PageQuery) : [])];
        for (const q of query) {
            parameters.push({ name: q.name, in: 'query', required: q.required, ...(q.description ? { description: q.description } : {}), schema: q.schema });
        }
        const idempotent = spec.idempotent ?? (spec.method !== 'get' && spec.auth !== 'public');
        if (idempotent) {
            parameters.push({
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                description: "A repeat with the same key returns the first response and never submits twice (also across restarts), for as long as the gateway keeps the key: a completed request's for GATEWAY_IDEMPOTENCY_TTL_HOURS (default 24) after it answered, after which a request with it runs as a new one; an interrupted request's until a repeat settles it",
                schema: { type: 'string', maxLength: 255 },
            });
        }
        const status = String(spec.status ?? 200);
        let content: Record<string, unknown> | undefined;
        if (spec.responseMediaType) {
            content = { [spec.responseMediaType]: { schema: { type: 'string', ...(spec.responseMediaType === 'text/event-stream' ? {} : { format: 'binary' }) } } };
        } else if (spec.response) {
            const item = responseSchema(spec, results) as JsonSchema;
            const schema = spec.list
                ? { type: 'object', properties: { items: { type: 'array', items: item }, nextCursor: NEXT_CURSOR }, required: ['items', 'nextCursor'] }
                : item;
            content = { 'application/json': { schema } };
        }
        const writes = spec.transaction !== undefined && spec.method !== 'get';
        const operation: Record<string, unknown> = {
            operationId: operationId(spec),
            tags: [spec.tag],
            summary: spec.summary,
            ...(spec.description || spec.transaction
                ? { description: [spec.description, spec.transaction ? `Chaincode transaction \`${spec.transaction}\`.` : undefined].filter(Boolean).join('\n\n') }
                : {}),
            security: spec.auth === 'public' ? [] : spec.auth === 'token' ? [{ bearerAuth: [] }] : [{ bearerAuth: [] }, { apiKeyAuth: [] }],
            ...(parameters.length > 0 ? { parameters } : {}),
            ...(spec.rawBody
                ? { requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } } }
                : spec.body
                  ? { requestBody: { required: !spec.body.safeParse(undefined).success, content: { 'application/json': { schema: toSchema(spec.body, 'input') } } } }
                  : {}),
            responses: {
                [status]: {
                    description: status === '201' ? 'Created' : status === '204' ? 'No content' : 'OK',
                    ...(writes ? { headers: { 'X-Transaction-Id': { description: 'The ledger transaction id', schema: { type: 'string' } } } } : {}),
                    ...(content && status !== '204' ? { content } : {}),
                },
                default: PROBLEM_RESPONSE,
            },
        };
        const path = routeLabel(spec);
        paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation };
    }
    return {
        openapi: '3.1.0',
        info: {
            title: 'Xinlian (信链) gateway API',
            version,
            description:
                'Supply-chain finance and credit on Hyperledger Fabric. Amounts are decimal strings of minor units; dates are ISO-8601. ' +
                'Errors are application/problem+json with a `code` (see docs/errors.md). Every write is signed with the calling user\'s own enrolled identity.',
        },
        servers: [{ url: '/api/v1' }],
        paths,
        components: {
            schemas: { ...results.components, Problem: toSchema(Problem, 'output') },
            securitySchemes: {
                bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token from POST /auth/login' },
                apiKeyAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'The value `ApiKey <key>` with a key from POST /auth/api-keys' },
            },
        },
    };
}
