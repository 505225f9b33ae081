import { z } from 'zod';

/**
 * Validation messages in short plain English ("at most 50 items", "must be a string (received 12)"),
 * for every kind of issue zod 4 reports. The router passes `plainIssueMessage` to each parse as its error
 * map, so zod uses it only where a schema set no message of its own.
 */

/** How many enum values, unknown keys or union forms a message names at most. */
const MAX_NAMED = 12;

/** Text of the request, quoted and cut short: a message names what was sent without echoing pages of it. */
function quoted(text: string, max = 40): string {
    return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** A list of at most MAX_NAMED values, "…" for the rest. */
function listed(values: readonly string[], separator = ', '): string {
    return values.length > MAX_NAMED ? `${values.slice(0, MAX_NAMED).join(separator)}${separator}…` : values.join(separator);
}

/** `count` and the unit, plural unless it is one ("1 item", "50 items"). */
function counted(count: number | bigint, unit: string): string {
    return `${count} ${unit}${String(count) === '1' ? '' : 's'}`;
}

/** An allowed value as a message lists it: plain words bare (ACTIVE, platform-admin), anything else as JSON. */
function valueText(value: unknown): string {
    if (typeof value === 'string') {
        return /^[\w.:@/+-]+$/.test(value) ? value : quoted(value);
    }
    return typeof value === 'bigint' ? String(value) : value === undefined ? 'nothing' : String(JSON.stringify(value) ?? value);
}

/** What a type check expected, in words. */
const EXPECTED: Readonly<Record<string, string>> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    bigint: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    record: 'an object',
    array: 'an array',
    tuple: 'an array',
    date: 'a date',
    null: 'null',
    map: 'a map',
    set: 'a set',
    file: 'a file',
    nan: 'NaN',
    symbol: 'a symbol',
    function: 'a function',
};

/** What the request sent, as "received …" says it: a number or a short string itself, else its kind. */
function receivedText(input: unknown): string {
    if (input === null) {
        return 'null';
    }
    if (Array.isArray(input)) {
        return 'an array';
    }
    switch (typeof input) {
        case 'string':
            return input.length <= 40 ? quoted(input) : 'a string';
        case 'number':
        case 'boolean':
        case 'bigint':
            return String(input);
        case 'object':
            return input instanceof Date ? 'a date' : 'an object';
        default:
            return `a ${typeof input}`;
    }
}

/** What a string format check asked for, in words (zod's format names). */
const FORMATS: Readonly<Record<string, string>> = {
    email: 'must be an email address',
    url: 'must be a URL',
    uuid: 'must be a UUID',
    guid: 'must be a GUID',
    datetime: 'must be an ISO 8601 date and time such as 2026-03-01T08:00:00Z',
    date: 'must be a date YYYY-MM-DD',
    time: 'must be a time hh:mm:ss',
    duration: 'must be an ISO 8601 duration such as P3D',
    ipv4: 'must be an IPv4 address',
    ipv6: 'must be an IPv6 address',
    cidrv4: 'must be an IPv4 address range (CIDR)',
    cidrv6: 'must be an IPv6 address range (CIDR)',
    mac: 'must be a MAC address',
    base64: 'must be base64',
    base64url: 'must be base64url',
    hex: 'must be hexadecimal digits',
    jwt: 'must be a JSON Web Token',
    e164: 'must be a phone number in E.164 form, such as +8613800000000',
    emoji: 'must be an emoji',
    lowercase: 'must be in lower case',
    uppercase: 'must be in upper case',
    json_string: 'must be JSON text',
};

/** A size or value bound: "at most 50 items", "fewer than 3 characters", "at least 1", "on or after 2026-03-01T00:00:00.000Z". */
function boundText(issue: { code: 'too_big' | 'too_small'; origin: string; exact?: boolean; inclusive?: boolean }, bound: number | bigint): string {
    const big = issue.code === 'too_big';
    // Zod leaves `inclusive` out for inclusive bounds of some checks.
    const inclusive = issue.inclusive !== false;
    const unit = { string: 'character', array: 'item', set: 'item', map: 'item', file: 'byte' }[issue.origin];
    if (unit !== undefined) {
        if (issue.exact) {
            return `exactly ${counted(bound, unit)}`;
        }
        return `${big ? (inclusive ? 'at most' : 'fewer than') : inclusive ? 'at least' : 'more than'} ${counted(bound, unit)}`;
    }
    if (issue.origin === 'date') {
        const when = new Date(Number(bound)).toISOString();
        return `${big ? (inclusive ? 'on or before' : 'before') : inclusive ? 'on or after' : 'after'} ${when}`;
    }
    return `${big ? (inclusive ? 'at most' : 'less than') : inclusive ? 'at least' : 'greater than'} ${bound}`;
}

/**
 * The message of a validation issue in short plain English, without the field it is about (the caller
 * names that): "at most 50 items", "must be a string (received 12)", `"foo" is not a field of this
 * request`, "must be one of ACTIVE, SPENT". The per-parse error map of `validate`: zod asks it only for
 * issues whose schema set no message of its own, so the messages our schemas set are kept as they are.
 */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string {
    switch (issue.code) {
        case 'invalid_type': {
            if (issue.input === undefined && !['undefined', 'void', 'never'].includes(issue.expected)) {
                return 'is required';
            }
            if (issue.expected === 'never' || issue.expected === 'undefined' || issue.expected === 'void') {
                return 'must be left out';
            }
            // z.int() reports a value that is no number at all as expected "number": it still wants a whole one.
            const format = (issue.inst as { _zod?: { def?: { format?: unknown } } } | undefined)?._zod?.def?.format;
            const expected = issue.expected === 'number' && typeof format === 'string' && format.includes('int') ? EXPECTED.int : (EXPECTED[issue.expected] ?? `of type ${issue.expected}`);
            return `must be ${expected} (received ${receivedText(issue.input)})`;
        }
        case 'too_big':
            return boundText(issue, issue.maximum);
        case 'too_small':
            return boundText(issue, issue.minimum);
        case 'invalid_format': {
            const format = issue as typeof issue & { prefix?: string; suffix?: string; includes?: string };
            switch (issue.format) {
                case 'regex':
                    return `is not in the expected format (the pattern ${issue.pattern ?? '?'})`;
                case 'starts_with':
                    return `must start with ${quoted(format.prefix ?? '')}`;
                case 'ends_with':
                    return `must end with ${quoted(format.suffix ?? '')}`;
                case 'includes':
                    return `must contain ${quoted(format.includes ?? '')}`;
                default:
                    return FORMATS[issue.format] ?? `must be a valid ${issue.format.replace(/_/g, ' ')}`;
            }
        }
        case 'not_multiple_of':
            return `must be a multiple of ${issue.divisor}`;
        case 'unrecognized_keys': {
            const keys = issue.keys.map((key) => quoted(key, 60));
            const whose = (issue.path?.length ?? 0) === 0 ? 'of this request' : 'of this object';
            return keys.length === 1 ? `${keys[0]} is not a field ${whose}` : `${listed(keys)} are not fields ${whose}`;
        }
        case 'invalid_value':
            // One value quoted (must be "ok"); a list bare, as the API documents its values (must be one of ACTIVE, SPENT).
            return issue.values.length === 1 ? `must be ${typeof issue.values[0] === 'string' ? quoted(issue.values[0]) : valueText(issue.values[0])}` : `must be one of ${listed(issue.values.map(valueText))}`;
        case 'invalid_union': {
            if ('options' in issue && Array.isArray(issue.options) && issue.options.length > 0) {
                // A discriminated union whose discriminator matched no form: the values it takes.
                return `must be one of ${listed(issue.options.map(valueText))}`;
            }
            if (issue.inclusive === false) {
                return 'matches more than one of the accepted forms';
            }
            const branches = issue.errors as z.core.$ZodIssue[][];
            const types = branches.map((branch) => (branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0 ? branch[0].expected : undefined));
            if (branches.length > 0 && types.every((type) => type !== undefined)) {
                if (issue.input === undefined) {
                    return 'is required';
                }
                return `must be ${listed([...new Set(types.map((type) => EXPECTED[type] ?? type))], ' or ')} (received ${receivedText(issue.input)})`;
            }
            // The form that came closest: its first issue says what to change.
            const closest = [...branches].sort((a, b) => a.length - b.length)[0]?.[0];
            const hint = closest ? ` (the closest: ${closest.path.length > 0 ? `${closest.path.map(String).join('.')}: ` : ''}${closest.message})` : '';
            return `matches none of the accepted forms${hint}`;
        }
        case 'invalid_key':
            return `is not an accepted key${issue.issues.length > 0 ? `: ${issue.issues.map((inner) => inner.message).join('; ')}` : ''}`;
        case 'invalid_element':
            return `holds an item that is not valid${issue.issues.length > 0 ? `: ${issue.issues.map((inner) => inner.message).join('; ')}` : ''}`;
        case 'custom':
            // A refinement without a message of its own (every refinement of ours has one).
            return 'is not valid';
        default:
            return 'is not valid';
    }
}
