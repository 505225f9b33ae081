/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI documents are plain JSON */
import { readFileSync } from 'fs';
import * as path from 'path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';

/**
 * Checks API responses against the committed OpenAPI document (docs/api/openapi.json): a 2xx JSON
 * response of a documented operation must match the schema documented for its status. Response
 * schemas of records come from the chaincode's types and allow no undeclared properties, so a field
 * the documentation does not know about fails the test that received it.
 */

const DOCUMENT_PATH = path.resolve(__dirname, '..', '..', '..', 'docs', 'api', 'openapi.json');

interface Operation {
    readonly pattern: RegExp;
    readonly method: string;
    readonly template: string;
    readonly responses: Record<string, any>;
}

let loaded: { operations: Operation[]; ajv: Ajv2020; compiled: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof loaded> {
    if (!loaded) {
        const document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8'));
        const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
        ajv.addSchema({ $id: 'openapi', components: document.components });
        const operations: Operation[] = [];
        for (const [template, methods] of Object.entries<Record<string, any>>(document.paths)) {
            const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z]+\}/g, '[^/]+')}$`);
            for (const [method, operation] of Object.entries<any>(methods)) {
                operations.push({ pattern, method: method.toUpperCase(), template, responses: operation.responses });
            }
        }
        // Literal segments first: /bureau-keys/generate before /bureau-keys/{address}.
        operations.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
        loaded = { operations, ajv, compiled: new Map() };
    }
    return loaded;
}

/** Points local component references at the document registered as `openapi`. */
function anchored(schema: unknown): unknown {
    if (Array.isArray(schema)) {
        return schema.map(anchored);
    }
    if (schema && typeof schema === 'object') {
        return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? `openapi${value}` : anchored(value)]));
    }
    return schema;
}

/**
 * Throws when `body`, the 2xx JSON answer to `method path`, does not match its documented schema.
 * Answers of undocumented paths, non-2xx statuses and non-JSON bodies are not checked here.
 */
export function checkDocumentedResponse(method: string, pathAndQuery: string, status: number, body: unknown): void {
    if (status < 200 || status > 299) {
        return;
    }
    const { operations, ajv, compiled } = load();
    const requestPath = pathAndQuery.split('?')[0];
    const operation = operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(requestPath));
    const schema = operation?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!operation || !schema) {
        return;
    }
    const key = `${operation.method} ${operation.template} ${status}`;
    let validate = compiled.get(key);
    if (!validate) {
        validate = ajv.compile(anchored(schema) as object);
        compiled.set(key, validate);
    }
    if (!validate(body)) {
        const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`);
        throw new Error(`${method} ${requestPath} answered ${status} with a body that does not match ${key} in docs/api/openapi.json: ${errors.join('; ')}`);
    }
}

/** The operations (method, path template, status) whose answers have been checked so far in this process. */
export function checkedOperations(): string[] {
    return [...(loaded?.compiled.keys() ?? [])].sort();
}

/** Every documented operation (method, path template, status) with a JSON success schema. */
export function documentedJsonOperations(): string[] {
    const keys: string[] = [];
    for (const operation of load().operations) {
        for (const [status, response] of Object.entries<any>(operation.responses)) {
            if (/^2\d\d$/.test(status) && response?.content?.['application/json']?.schema) {
                keys.push(`${operation.method} ${operation.template} ${status}`);
            }
        }
    }
    return keys.sort();
}
