/**
 * Canonical JSON: object keys sorted, no insignificant whitespace, `undefined` members dropped.
 * Every value written to the ledger goes through here so that every peer produces the same bytes.
 */
export function canonicalStringify(value: unknown): string {
    return JSON.stringify(canonical(value));
}

/** Canonical JSON as UTF-8 bytes. */
export function canonicalBytes(value: unknown): Uint8Array {
    return Buffer.from(canonicalStringify(value), 'utf8');
}

/**
 * A value whose JSON.stringify is its canonical JSON. Plain objects and arrays that are canonical
 * already (keys in order, no undefined members, nothing to convert) are returned as they are, not
 * copied: a record read back from the ledger and updated is mostly such objects, and copying every
 * level was most of the cost of writing it. Anything else goes through `sortedCopy`.
 */
function canonical(value: unknown): unknown {
    if (value === null || typeof value !== 'object') {
        return primitive(value);
    }
    const prototype = Object.getPrototypeOf(value);
    if (Array.isArray(value)) {
        return prototype === Array.prototype && (value as { toJSON?: unknown }).toJSON === undefined ? canonicalArray(value) : sortedCopy(value);
    }
    if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return sortedCopy(value);
    }
    const keys = Object.keys(value);
    for (let i = 1; i < keys.length; i++) {
        if (!(keys[i - 1] < keys[i])) {
            return sortedObject(value, keys);
        }
    }
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key === '__proto__') {
            return sortedCopy(value);
        }
        const member = (value as Record<string, unknown>)[key];
        const converted = member === undefined ? undefined : canonical(member);
        if (out === undefined && converted !== member) {
            out = {};
            for (let j = 0; j < i; j++) {
                out[keys[j]] = (value as Record<string, unknown>)[keys[j]];
            }
        }
        if (out !== undefined && converted !== undefined) {
            out[key] = converted;
        }
    }
    return out ?? value;
}

/** A plain array: itself when every item is canonical, otherwise a copy with converted items. */
function canonicalArray(value: readonly unknown[]): unknown {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
        const item = value[i];
        const converted = item === undefined ? null : canonical(item);
        if (out === undefined && converted !== item) {
            out = value.slice(0, i);
        }
        if (out !== undefined) {
            out[i] = converted;
        }
    }
    return out ?? value;
}

function primitive(value: unknown): unknown {
    if (typeof value === 'bigint') {
        return value.toString();
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new Error('canonical JSON cannot carry a non-finite number');
    }
    return value;
}

/** The general form: a copy with keys sorted, undefined members dropped, toJSON applied. */
function sortedCopy(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => (item === undefined ? null : canonical(item)));
    }
    if (value !== null && typeof value === 'object') {
        if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
            return canonical((value as { toJSON: () => unknown }).toJSON());
        }
        return sortedObject(value, Object.keys(value));
    }
    return primitive(value);
}

/** A copy of an object (without toJSON) with `keys`, its own keys, sorted in place; undefined members dropped. */
function sortedObject(value: object, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of sortKeys(keys)) {
        const member = (value as Record<string, unknown>)[key];
        if (member !== undefined) {
            out[key] = canonical(member);
        }
    }
    return out;
}

/** Above this many keys, Array.prototype.sort; at or below it, an insertion sort. */
const INSERTION_SORT_MAX = 32;

/**
 * Sorts an object's own enumerable keys in place, in the order `Array.prototype.sort` gives (UTF-16
 * code units). Records have a few dozen keys at most and often arrive nearly sorted (read back from the
 * ledger and updated), where an insertion sort with `>` is several times cheaper than the default
 * sort, which compares through its generic string conversion path. Keys are distinct, so both
 * sorts produce the same order.
 */
function sortKeys(keys: string[]): string[] {
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
