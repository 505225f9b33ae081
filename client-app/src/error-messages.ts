import { isCurrency } from '../../chaincode/src/ledger/currency';
import { formatBps, formatMoney } from './format';

/**
 * What each gateway / chaincode error code means to a user. The one place that turns codes into
 * words; views never look at message text.
 */

const MESSAGES: Readonly<Record<string, string>> = {
    INVALID_ARGUMENT: 'Some of the information entered is not valid.',
    UNAUTHENTICATED: 'You are not signed in, or your session has ended. Please sign in again.',
    FORBIDDEN: 'You are not allowed to do this with your role and enterprise.',
    NOT_FOUND: 'We could not find that record.',
    ALREADY_EXISTS: 'This already exists.',
    CONFLICT: 'Someone changed this record at the same moment. Please try again.',
    INVALID_STATE: 'This cannot be done while the record is in its current state.',
    DOUBLE_FINANCING: 'This invoice is already registered on the platform; it cannot be financed twice.',
    INSUFFICIENT_LIMIT: 'The credit line does not have enough remaining limit for this amount.',
    ENTERPRISE_FROZEN: 'An enterprise involved is frozen by the regulator; it can neither move nor receive anything.',
    EXPIRED: 'This has expired.',
    TENOR_EXCEEDED: 'The maturity date is further away than the platform’s tenor cap (in calendar months from the issue date) allows.',
    ALREADY_PLEDGED: 'This IP asset is already pledged.',
    PRIORITY_VIOLATION: 'The pledge priority does not fit the pledges already in force.',
    TERM_EXCEEDS_RIGHT: 'The pledge term ends after the IP right expires.',
    CONSENT_MISSING: 'Not all co-owners have consented to this pledge yet.',
    LTV_EXCEEDED: 'The secured amount is above the loan-to-value cap of the asset’s valuation.',
    SIGNER_NOT_REGISTERED: 'The passport was not signed by a registered credit-bureau key.',
    INVALID_SIGNATURE: 'The passport’s signature does not match its content.',
    REVOKED: 'This passport has been revoked by its issuer.',
    AGREEMENT_INACTIVE: 'The recognition agreement is not in force.',
    UNKNOWN_TRANSACTION: 'The platform does not support this operation.',
    INTERNAL: 'Something went wrong on the platform. Please try again later.',
    LEDGER_UNAVAILABLE: 'The ledger is unavailable right now. Please try again in a moment.',
    LEDGER_TIMEOUT: 'The ledger did not answer in time. The operation may still complete; check again before retrying.',
    IDEMPOTENCY_IN_PROGRESS: 'This request is still being processed. Check again in a moment before retrying.',
    IDEMPOTENCY_RESPONSE_LOST: 'This request was already recorded on the ledger, but its answer was lost. Refresh to see the result; do not submit it again.',
    RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
    TOO_MANY_REQUESTS: 'Too many attempts. Please wait a moment and try again.',
    PAYLOAD_TOO_LARGE: 'The file is too large for the platform.',
    NETWORK: 'The platform cannot be reached. Check your connection and try again.',
    LIST_TOO_LONG: 'This list is longer than this page can show in full, so it is not shown at all rather than with entries missing.',
};

/**
 * A write that got no answer at all: the request may have reached the ledger. Sending it again from
 * the form would carry a new Idempotency-Key and could record it twice, so the user checks first.
 */
const NETWORK_WRITE = 'The platform could not be reached, so it is not known whether this change was recorded. Reload the record or list to check before trying again.';

/**
 * The sentence a user reads for an error code; a generic one for codes this client does not know.
 * `retryAfterSeconds` (the gateway's Retry-After) says how long to wait when the platform asked for a wait;
 * `write` is true for a failed write (with no answer, its outcome is unknown).
 */
export function describeErrorCode(code: string, context: { retryAfterSeconds?: number; write?: boolean } = {}): string {
    if (code === 'NETWORK' && context.write) {
        return NETWORK_WRITE;
    }
    const wait = context.retryAfterSeconds;
    if (wait !== undefined && (code === 'RATE_LIMITED' || code === 'TOO_MANY_REQUESTS')) {
        return `Too many attempts. Please try again in ${secondsText(wait)}.`;
    }
    // A 503 (codeForStatus gives one without a problem body the same code): starting, overloaded, or no ledger.
    if (wait !== undefined && code === 'LEDGER_UNAVAILABLE') {
        return `The platform is busy right now (starting up or under heavy load) and asked to wait. Please try again in ${secondsText(wait)}.`;
    }
    return MESSAGES[code] ?? 'The platform refused the request.';
}

/**
 * A wait in words: "1 second", "30 seconds", "2 minutes" (from two minutes on, rounded up), at least
 * one second ("0 seconds" would invite an instant retry).
 */
export function secondsText(seconds: number): string {
    const n = Math.max(1, Math.ceil(seconds));
    if (n >= 120) {
        const minutes = Math.ceil(n / 60);
        return `${minutes} minutes`;
    }
    return `${n} second${n === 1 ? '' : 's'}`;
}

/** True when this client has words for the code. */
export function isKnownErrorCode(code: string): boolean {
    return Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

/** Field names as a user reads them: "dueDate" → "due date", "maxLtvBps" → "max LTV (bps)", "id" → "ID". */
export function fieldWords(name: string): string {
    if (name === 'id') {
        return 'ID';
    }
    return name
        .replace(/Ids$/, ' IDs')
        .replace(/Ltv/g, ' LTV')
        .replace(/Bps$/, ' (bps)')
        .replace(/Id$/, ' ID')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/\b([A-Z])([a-z]+)/g, (_, first: string, rest: string) => first.toLowerCase() + rest)
        .trim();
}

/** A decimal string of minor units as money, or undefined when `currency` is not one this client knows. */
function moneyOrUndefined(minor: string, currency: string): string | undefined {
    return isCurrency(currency) ? formatMoney(minor, currency) : undefined;
}

/**
 * Rewrites of ledger refusal texts this client can parse exactly: amounts in minor units with their
 * currency become money in major units, basis points become percentages. A text no rule matches
 * exactly is left as it is.
 */
const AMOUNT_REWRITES: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string | undefined]> = [
    [
        /secured total (\d+) exceeds (\d+) bps of the valuation (\d+) ([A-Z]{3})\b/g,
        (total, bps, valuation, currency) => {
            const secured = moneyOrUndefined(total, currency);
            const valued = moneyOrUndefined(valuation, currency);
            return secured && valued ? `secured total ${secured} exceeds ${formatBps(BigInt(bps)).replace(' %', '%')} of the valuation ${valued}` : undefined;
        },
    ],
    [
        /has (\d+) ([A-Z]{3}) minor units left; (\d+) requested/g,
        (left, currency, requested) => {
            const a = moneyOrUndefined(left, currency);
            const b = moneyOrUndefined(requested, currency);
            return a && b ? `has ${a} left; ${b} requested` : undefined;
        },
    ],
    [/\b(\d+) ([A-Z]{3}) minor units\b/g, (amount, currency) => moneyOrUndefined(amount, currency)],
];

/** Who may read a note and its provenance: the ledger's rule (chaincode note/provenance.ts authorizeNoteRead), in words. */
export const NOTE_READERS =
    'A note and its provenance can be seen only by the core enterprise that issued it, the enterprise holding it and those that held the notes it was split or transferred from, ' +
    'a financier holding part of the same issue, the supplier it is offered to or a financier invited to discount it (while that offer or request is open), and the regulator.';

/** An enterprise id as the ledger writes it in a refusal: a USCC (18 characters) or an LEI (20). */
const ENTERPRISE_ID = '[0-9A-Z]{18}|[0-9A-Z]{20}';

/** Enterprise kinds as a refusal names them (SUPPLIER, CORE_ENTERPRISE) in words: "supplier", "core enterprise". */
function kindWords(kind: string): string {
    return kind.toLowerCase().replace(/_/g, ' ');
}

/** "PlatformMSP or BankMSP" as a user reads it: the organisations' names with what they are. */
function organisationWords(list: string): string {
    return list
        .split(' or ')
        .map((msp) => ORGANISATION_NAMES[msp] ?? msp)
        .join(' or ');
}

/** The organisations of the network, by MSP id, with what they are. */
export const ORGANISATION_NAMES: Readonly<Record<string, string>> = {
    PlatformMSP: 'PlatformMSP (the platform)',
    BankMSP: 'BankMSP (banks)',
    PartnerMSP: 'PartnerMSP (foreign partners)',
};

/** How a refusal names enterprises and fields: by name where the app knows it (the caller's own, say). */
export interface DetailContext {
    /** The name of an enterprise by id, or undefined when unknown. */
    enterpriseName?: (id: string) => string | undefined;
    /**
     * The visible label of the form's control for a field of the request (`where` is body, path or
     * query; `field` its top-level name), or undefined when the form has none: then the field is named in words.
     */
    fieldLabel?: (where: string, field: string) => string | undefined;
}

/** Where in a request the gateway found a problem: its body, its path or its query string. */
export type RequestPart = 'body' | 'path' | 'query';

/** One problem of a request the gateway refused as invalid (400): where, which field, and what it said. */
export interface ValidationProblem {
    where: RequestPart;
    /** The top-level field ("receivableIds" for body.receivableIds.3), or undefined for the part as a whole. */
    field: string | undefined;
    /** The field's whole path below the part ("gradeScale.0.grade"), "" for the part as a whole. */
    path: string;
    /** What the gateway said about it, as it said it. */
    message: string;
}

/** The start of one problem in a gateway's validation detail: "body.name: ", "path.id: ", "query: ". */
const PROBLEM_START = /^(body|path|query|params|request)((?:\.[^\s.:;]+)*): ?/;

/**
 * The problems of a gateway's validation detail ("body.name: at most 200 characters; path.id: must
 * be a record id"), each with the field it names; undefined when the detail is not in that shape
 * (a ledger's refusal, say). Only the shape is read, never the wording of a message.
 */
export function validationProblems(detail: string): ValidationProblem[] | undefined {
    const parts = detail.split(/;\s+(?=(?:body|path|query|params|request)(?:\.[^\s.:;]+)*:)/);
    const problems: ValidationProblem[] = [];
    for (const part of parts) {
        const start = PROBLEM_START.exec(part);
        if (!start) {
            return undefined;
        }
        const where: RequestPart = start[1] === 'body' || start[1] === 'request' ? 'body' : start[1] === 'query' ? 'query' : 'path';
        const path = start[2].replace(/^\./, '');
        problems.push({ where, field: path === '' ? undefined : path.split('.')[0], path, message: part.slice(start[0].length).trim() });
    }
    return problems.length > 0 ? problems : undefined;
}

/** A field of a request as a user reads it: its visible label on the form, else its name in words. */
export function fieldName(problem: Pick<ValidationProblem, 'where' | 'field' | 'path'>, context: DetailContext = {}): string {
    if (problem.field === undefined) {
        return problem.where === 'body' ? 'The form' : problem.where === 'query' ? 'The search' : 'The address';
    }
    const label = context.fieldLabel?.(problem.where, problem.field);
    if (label) {
        return label;
    }
    const words = fieldWords(problem.path.split('.').filter((segment) => !/^\d+$/.test(segment)).pop() ?? problem.field);
    return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Refusals said in the user's terms: the gateway's "user <name> already exists" (user accounts
 * live in the gateway, not on the ledger); a note read by an enterprise that is not a party to it
 * (says who may read one, and names the enterprise rather than its id: the one refused is always
 * the caller's own); an enterprise registered with an organisation whose users may not act in
 * its kind's role (chaincode enterprise.ts newEnterprise).
 */
const WORDING_REWRITES: ReadonlyArray<readonly [RegExp, (context: DetailContext, ...groups: string[]) => string]> = [
    [/^user (\S+) already exists$/, (_, name) => `The user name ${name} is taken; choose another.`],
    [
        new RegExp(`^(${ENTERPRISE_ID}) is not a party to note (\\S+)$`),
        (context, id, noteId) => `${context.enterpriseName?.(id) ?? 'Your enterprise'} is not a party to note ${noteId}. ${NOTE_READERS}`,
    ],
    [
        /^msp ID must be (\w+(?: or \w+)*) for an? ([A-Z_]+): the organisation whose users may act as ([a-z-]+)$/,
        (_, list, kind, role) =>
            `${/^[aeiou]/.test(kindWords(kind)) ? 'An' : 'A'} ${kindWords(kind)} must be registered with ${organisationWords(list)}: only ${list.includes(' or ') ? 'those organisations' : 'that organisation'} may issue the identities of users who act as ${kindWords(role.replace(/-/g, '_'))}.`,
    ],
];

/**
 * The detail of a refusal as a user reads it: field paths of the request ("request.dueDate",
 * "body.maxLtvBps") become words ("due date"), and amounts the text states in minor units with a
 * currency are shown in major units ("CNY 300,000.00"). Only patterns parsed exactly are rewritten;
 * anything else is kept as it is. `context` names enterprises the app knows by name.
 */
export function readableDetail(detail: string, context: DetailContext = {}): string {
    const problems = validationProblems(detail);
    if (problems) {
        // The gateway's validation detail: each problem led by the field's label (or its name in words).
        return problems.map((p) => `${fieldName(p, context)}: ${rewriteAmounts(p.message)}`).join('; ');
    }
    let text = detail.replace(/\b(?:request|body|query|params|path)\.((?:\w+\.)*[A-Za-z]\w*)/g, (_, path: string) => fieldWords(path.split('.').filter((segment) => !/^\d+$/.test(segment)).pop() ?? path));
    for (const [pattern, rewrite] of WORDING_REWRITES) {
        text = text.replace(pattern, (_match: string, ...groups: unknown[]) => rewrite(context, ...groups.filter((g): g is string => typeof g === 'string')));
    }
    text = rewriteAmounts(text);
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Amounts a text states in minor units with a currency, in major units (AMOUNT_REWRITES). */
function rewriteAmounts(detail: string): string {
    let text = detail;
    for (const [pattern, rewrite] of AMOUNT_REWRITES) {
        text = text.replace(pattern, (match: string, ...groups: unknown[]) => rewrite(...groups.filter((g): g is string => typeof g === 'string')) ?? match);
    }
    return text;
}
