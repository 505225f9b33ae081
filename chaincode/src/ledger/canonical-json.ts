/**
 * Canonical JSON: object keys sorted, no insignificant whitespace, `undefined` members dropped.
 * Every value written to the ledger goes through here so that every peer produces the same bytes.
 */
export function canonicalStringify(value: unknown): string {
    return JSON.stringify(sortDeep(value));
}

/** Canonical JSON as UTF-8 bytes. */
export function canonicalBytes(value: unknown): Uint8Array {
    return Buffer.from(canonicalStringify(value), 'utf8');
}

function sortDeep(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => (item === undefined ? null : sortDeep(item)));
    }
    if (value !== null && typeof value === 'object') {
        if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
            return sortDeep((value as { toJSON: () => unknown }).toJSON());
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const member = (value as Record<string, unknown>)[key];
            if (member !== undefined) {
                out[key] = sortDeep(member);
            }
        }
        return out;
    }
    if (typeof value === 'bigint') {
        return value.toString();
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new Error('canonical JSON cannot carry a non-finite number');
    }
    return value;
}
