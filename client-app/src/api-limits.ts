import { InputError } from './input-error';

/**
 * The limits the API documents for the fields of its request bodies (docs/api/openapi.json:
 * maxLength of a text, maxItems of a list), so that a form says before sending, next to the field,
 * what the gateway would refuse. api-limits.test.ts derives both tables from the API document and
 * fails when they differ from it: after a change of the gateway's schemas, copy what it prints.
 */

/** A field's documented limits. */
export interface FieldLimits {
    readonly maxLength?: number;
    readonly maxItems?: number;
}

/** By operation ("POST /notes"), the limits of the top-level fields of its JSON body. */
export const REQUEST_LIMITS: Readonly<Record<string, Readonly<Record<string, FieldLimits>>>> = {
    'POST /auth/login': { username: { maxLength: 64 }, password: { maxLength: 1024 } },
    'POST /auth/password': { currentPassword: { maxLength: 1024 }, newPassword: { maxLength: 1024 } },
    'POST /auth/api-keys': { label: { maxLength: 100 } },
    'POST /users': { password: { maxLength: 1024 } },
    'POST /enterprises': { name: { maxLength: 200 } },
    'POST /enterprises/{id}/freeze': { reason: { maxLength: 500 } },
    'POST /enterprises/{id}/unfreeze': { reason: { maxLength: 500 } },
    'POST /credit-lines/{id}/revoke': { reason: { maxLength: 500 } },
    'POST /receivables': { invoiceNumber: { maxLength: 64 } },
    'POST /receivables/{id}/dispute': { reason: { maxLength: 500 } },
    'POST /receivables/{id}/cancel': { reason: { maxLength: 500 } },
    'POST /notes': { receivableIds: { maxItems: 50 } },
    'POST /notes/{id}/split': { amounts: { maxItems: 50 } },
    'POST /discount-requests': { financierIds: { maxItems: 10 } },
    'POST /ip-assets': { registryNumber: { maxLength: 64 }, title: { maxLength: 300 }, ownerIds: { maxItems: 10 } },
    'POST /ip-assets/{id}/decline': { reason: { maxLength: 500 } },
    'POST /ip-assets/{id}/void': { reason: { maxLength: 500 } },
    'POST /pledges/{id}/reject': { reason: { maxLength: 500 } },
    'POST /pledges/{id}/decline': { reason: { maxLength: 500 } },
    'POST /pledges/{id}/enforce': { reason: { maxLength: 500 } },
    'POST /bureau-keys': { label: { maxLength: 100 } },
    'POST /bureau-keys/generate': { label: { maxLength: 100 } },
    'POST /bureau-keys/{address}/revoke': { reason: { maxLength: 500 } },
    'POST /agreements': { gradeScale: { maxItems: 50 } },
    'POST /agreements/{id}/terminate': { reason: { maxLength: 500 } },
    'POST /agreements/{id}/withdraw': { reason: { maxLength: 500 } },
    'POST /attestations': { grade: { maxLength: 32 }, reasonCodes: { maxItems: 16 } },
    'POST /attestations/anchor': { signature: { maxLength: 200 } },
    'POST /attestations/{id}/revoke': { reason: { maxLength: 500 } },
    'POST /passports/verify': { signature: { maxLength: 200 } },
};

/**
 * The maxlength of a text control by its name: a name every request body that has a text field of
 * that name limits to the same length. A name some operation limits differently (or not at all, as
 * `username`) is not here: its control's form may send it to any of them.
 */
export const INPUT_MAX_LENGTH: Readonly<Record<string, number>> = {
    currentPassword: 1024,
    grade: 32,
    invoiceNumber: 64,
    label: 100,
    name: 200,
    newPassword: 1024,
    password: 1024,
    reason: 500,
    registryNumber: 64,
    signature: 200,
    title: 300,
};

/** Each operation's path template as a pattern of its concrete paths ("/notes/{id}/split" matches "/notes/N-1/split"). */
const OPERATIONS: ReadonlyArray<{ method: string; pattern: RegExp; limits: Readonly<Record<string, FieldLimits>> }> = Object.entries(REQUEST_LIMITS).map(([operation, limits]) => {
    const [method, template] = operation.split(' ');
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}$`);
    return { method, pattern, limits };
});

/** The documented limits of the body of `method` `path` (a concrete path under the API base), or undefined. */
export function limitsOf(method: string, path: string): Readonly<Record<string, FieldLimits>> | undefined {
    const bare = path.split('?')[0];
    return OPERATIONS.find((op) => op.method === method.toUpperCase() && op.pattern.test(bare))?.limits;
}

/** A field of a body beyond its documented limit: the field, and what to say next to it. */
export interface LimitProblem {
    field: string;
    message: string;
}

/**
 * The fields of `body` for `method` `path` that break the limits the API documents, in the body's
 * order (none when the operation documents none). Lengths count as the gateway counts them (UTF-16
 * code units, as a browser's maxlength does).
 */
export function limitProblems(method: string, path: string, body: unknown): LimitProblem[] {
    const limits = limitsOf(method, path);
    if (!limits || body === null || typeof body !== 'object' || Array.isArray(body)) {
        return [];
    }
    const problems: LimitProblem[] = [];
    for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
        const limit = limits[field];
        if (limit?.maxLength !== undefined && typeof value === 'string' && value.length > limit.maxLength) {
            problems.push({ field, message: `At most ${limit.maxLength.toLocaleString('en')} characters are allowed here (${value.length.toLocaleString('en')} typed).` });
        }
        if (limit?.maxItems !== undefined && Array.isArray(value) && value.length > limit.maxItems) {
            problems.push({ field, message: `At most ${limit.maxItems} are allowed here at once (${value.length} given).` });
        }
    }
    return problems;
}

/** Throws InputError, naming the field, for the first field of `body` beyond its documented limit. */
export function checkRequestLimits(method: string, path: string, body: unknown): void {
    const [first] = limitProblems(method, path, body);
    if (first) {
        throw new InputError(first.message, { field: first.field, needsLabel: true });
    }
}
