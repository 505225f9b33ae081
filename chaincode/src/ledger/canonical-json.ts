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
        for (const key of sortedKeys(value)) {
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

/** Above this many keys, Array.prototype.sort; at or below it, an insertion sort. */
const INSERTION_SORT_MAX = 32;

/**
 * The object's own enumerable keys in the order `Object.keys(value).sort()` gives (UTF-16 code
 * units). Records have a few dozen keys at most and often arrive nearly sorted (read back from the
 * ledger and updated), where an insertion sort with `>` is several times cheaper than the default
 * sort, which compares through its generic string conversion path. Keys are distinct, so both
 * sorts produce the same order.
 */
function sortedKeys(value: object): string[] {
    const keys = Object.keys(value);
    if (keys.length > INSERTION_SORT_MAX) {
        return keys.sort();
    }
    for (let i = 1; i < keys.length; i++) {
        const key = keys[i];
        let j = i - 1;
        while (j >= 0 && keys[j] > key) {
            keys[j + 1] = keys[j];
            j--;
        }
        keys[j + 1] = key;
    }
    return keys;
}
