import { checkRequestLimits } from './api-limits';
import { describeErrorCode } from './error-messages';
import type {
    Agreement,
    Attestation,
    AttestationVerdict,
    AuditPack,
    BureauKey,
    CreditLine,
    CreditProfile,
    DemoAccounts,
    DiscountQuote,
    DiscountRequest,
    Enterprise,
    EnterpriseKind,
    Exposure,
    FinancingTerms,
    IpAsset,
    IpParameters,
    IpPledge,
    LedgerEvent,
    LoginResult,
    NewUser,
    Note,
    NoteOffer,
    NoteParameters,
    OverdueAnswer,
    Page,
    Passport,
    PledgeNotice,
    Provenance,
    Receivable,
    Recognition,
    RedemptionResult,
    StoredDocument,
    User,
    WarningEntry,
    WarningLevel,
} from './resources';
import { SseParser } from './sse';
import type { UserEnrolment } from '@xinlian/chaincode';

/**
 * The one module that talks to the gateway (REST contract: docs/api, /api/v1). Every view goes
 * through an ApiClient; nothing else calls fetch. Errors arrive as application/problem+json and
 * leave here as ApiError carrying the gateway's code.
 */

/** A user as the platform administrator lists it: `disabled` users cannot sign in. */
export interface UserAccount extends User {
    disabled?: boolean;
}

/** The ledger's record of an identity the platform enrolled for a user (GET /enterprises/{id}/users). */
export type { UserEnrolment };

/** A refused or failed request. `code` is the gateway / chaincode error code, NETWORK when unreachable. */
export class ApiError extends Error {
    readonly status: number;
    readonly code: string;
    readonly title: string;
    readonly detail: string;
    readonly txId?: string;
    /** How long the gateway asks the caller to wait before trying again (Retry-After of a 429 or 503), in whole seconds. */
    readonly retryAfterSeconds?: number;
    /** True when the failed request was a write (POST, PUT, DELETE, PATCH): with no answer, it may have been recorded. */
    readonly write: boolean;
    /** A 401's `reason`: why the credential presented no longer works (expired, password-changed, disabled, removed, signed-out). */
    readonly reason?: string;

    constructor(init: { status: number; code: string; title?: string; detail?: string; txId?: string; retryAfterSeconds?: number; write?: boolean; reason?: string; cause?: unknown }) {
        super(init.detail || init.title || init.code, { cause: init.cause });
        this.name = 'ApiError';
        this.status = init.status;
        this.code = init.code;
        this.title = init.title ?? '';
        this.detail = init.detail ?? '';
        if (init.txId !== undefined) {
            this.txId = init.txId;
        }
        if (init.retryAfterSeconds !== undefined) {
            this.retryAfterSeconds = init.retryAfterSeconds;
        }
        this.write = init.write ?? false;
        if (init.reason !== undefined) {
            this.reason = init.reason;
        }
    }

    /** The sentence to show a user (with the wait the gateway asked for, when it gave one). */
    get userMessage(): string {
        return describeErrorCode(this.code, { retryAfterSeconds: this.retryAfterSeconds, write: this.write });
    }
}

/**
 * The seconds a Retry-After header asks for: a whole number of seconds, or an HTTP date (counted
 * from `now`, rounded up, at least 0); undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
    const text = value?.trim() ?? '';
    if (/^\d{1,9}$/.test(text)) {
        return Number(text);
    }
    // An HTTP date names its month ("Mon, 05 Jan 2026 00:00:30 GMT"); Date.parse alone would read "-3" as a year.
    const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
    return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** The fetch function the client uses (the browser's, or a fake in tests). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
    /** Base of the REST API, default `/api/v1` (same origin). */
    readonly baseUrl?: string;
    readonly fetch?: FetchFunction;
    /** A bearer token from an earlier login. */
    readonly token?: string;
    /**
     * Called when the gateway answers 401, so the app can end the session: with the refusal, whose
     * detail says why (expired, password changed, account disabled, signed out).
     */
    readonly onUnauthenticated?: (error: ApiError) => void;
    /** Source of Idempotency-Key values (default: crypto.randomUUID). */
    readonly newIdempotencyKey?: () => string;
    /**
     * Most pages a list call reads (default 100, i.e. 10,000 items at the gateway's page size of 100).
     * A list with more pages than that fails with LIST_TOO_LONG rather than showing part of it.
     */
    readonly maxPages?: number;
    /**
     * Further attempts after a request whose outcome is unknown (the network failed, or the gateway
     * answered 503 / 504, or for a write 409 IDEMPOTENCY_IN_PROGRESS); default 3. A write is repeated
     * with the same Idempotency-Key, so the gateway never runs it twice.
     */
    readonly retries?: number;
    /** Delay before the first repeat, doubled for each further one (default 500 ms). */
    readonly retryDelayMs?: number;
    /**
     * The longest wait a 503's Retry-After may ask for and still be waited here before one more
     * attempt (default 5 s): the gateway starting up asks for 2. A longer wait is left to the user,
     * whom the error tells when to try again.
     */
    readonly maxRetryAfterSeconds?: number;
    /** Waits between attempts (tests replace it). */
    readonly sleep?: (ms: number) => Promise<void>;
}

type Query = Record<string, string | number | undefined>;

interface RequestOptions {
    query?: Query;
    body?: unknown;
    /** Raw bytes instead of JSON. */
    raw?: { data: Blob | ArrayBuffer | Uint8Array; mediaType: string };
    /** Send without Authorization (public endpoints). */
    anonymous?: boolean;
    /**
     * Never repeat it, even when its outcome is unknown: a request that ends the credential it is
     * sent with (a password change) cannot be repeated with that credential.
     */
    once?: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
/** Most pages a list call reads by default (100 items each at the gateway's default page size). */
const DEFAULT_MAX_PAGES = 100;
/** How many of its own transaction ids a client remembers. */
const OWN_TRANSACTIONS_KEPT = 50;

function defaultIdempotencyKey(): string {
    const c = globalThis.crypto;
    if (typeof c?.randomUUID === 'function') {
        return c.randomUUID();
    }
    const bytes = new Uint8Array(16);
    c.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const seg = encodeURIComponent;

/**
 * Whether a failed request may or may not have taken effect, so that repeating it is the way to
 * find out: no answer at all, the gateway or the ledger unavailable or late, or (for a write with an
 * Idempotency-Key) the first attempt still running on the gateway.
 */
function outcomeUnknown(error: ApiError, idempotent: boolean): boolean {
    return platformUnreachable(error) || (idempotent && error.code === 'IDEMPOTENCY_IN_PROGRESS');
}

/** The platform cannot be reached: no answer at all, or the gateway or the ledger unavailable or late. */
export function platformUnreachable(error: unknown): boolean {
    return error instanceof ApiError && (error.code === 'NETWORK' || error.status === 503 || error.status === 504);
}

/** Typed access to the gateway's REST API. */
export class ApiClient {
    private readonly baseUrl: string;
    private readonly fetchFn: FetchFunction;
    private readonly onUnauthenticated?: (error: ApiError) => void;
    private readonly newIdempotencyKey: () => string;
    private readonly maxPages: number;
    private readonly retries: number;
    private readonly retryDelayMs: number;
    private readonly maxRetryAfterSeconds: number;
    private readonly sleep: (ms: number) => Promise<void>;
    private tokenValue: string | undefined;
    /** The transaction id of the last write (X-Transaction-Id). */
    lastTransactionId: string | undefined;
    /** Transaction ids of this client's recent writes, oldest first (bounded), to tell its own events from others'. */
    private readonly ownTransactions: string[] = [];
    /** The gateway's clock minus this browser's, in ms, from the Date header of the last answer (undefined before one). */
    private serverOffsetMs: number | undefined;

    constructor(options: ApiClientOptions = {}) {
        this.baseUrl = (options.baseUrl ?? '/api/v1').replace(/\/+$/, '');
        this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
        this.onUnauthenticated = options.onUnauthenticated;
        this.newIdempotencyKey = options.newIdempotencyKey ?? defaultIdempotencyKey;
        this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
        this.retries = options.retries ?? 3;
        this.retryDelayMs = options.retryDelayMs ?? 500;
        this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 5;
        this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
        this.tokenValue = options.token;
    }

    /** The bearer token in use, if signed in. */
    get token(): string | undefined {
        return this.tokenValue;
    }

    /** Forgets the token (sign out). */
    signOut(): void {
        this.tokenValue = undefined;
    }

    /**
     * Carries on with a new bearer token of the same user (signed in again before or after the old
     * one expired): every request from now on, and the event feed's next connection, send it.
     */
    useToken(token: string): void {
        this.tokenValue = token;
    }

    /**
     * The gateway's clock minus this browser's, in ms (to the second: the Date header of the last
     * answer), undefined before any answer had one. Token expiry is in the gateway's time, and the
     * browser's clock may differ.
     */
    get serverClockOffsetMs(): number | undefined {
        return this.serverOffsetMs;
    }

    private noteServerDate(header: string | null): void {
        const at = header ? Date.parse(header) : Number.NaN;
        if (!Number.isNaN(at)) {
            this.serverOffsetMs = at - new Date().getTime();
        }
    }

    /** A URL under the API base with a query string (for links such as document downloads). */
    url(path: string, query?: Query): string {
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(query ?? {})) {
            if (value !== undefined && value !== '') {
                params.set(key, String(value));
            }
        }
        const qs = params.toString();
        return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
    }

    /**
     * Sends a request and decodes the JSON answer, repeating it (a write with the same
     * Idempotency-Key) while its outcome is unknown, up to `retries` times. A 503 that says when to
     * come back (Retry-After: the gateway is starting or overloaded) is tried once more after that
     * wait when it is short (maxRetryAfterSeconds), else at once left to the user with the wait.
     * A body beyond the limits the API documents is not sent: InputError naming the field. Throws
     * ApiError or InputError.
     */
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
        const write = WRITE_METHODS.has(method);
        if (write && options.body !== undefined) {
            checkRequestLimits(method, path, options.body);
        }
        const idempotencyKey = write ? this.newIdempotencyKey() : undefined;
        // A write is never sent again without its Idempotency-Key: the gateway could run it twice.
        const retries = options.once || (write && idempotencyKey === undefined) ? 0 : this.retries;
        let waitedAsAsked = false;
        for (let attempt = 0; ; attempt++) {
            try {
                return await this.attempt<T>(method, path, options, idempotencyKey);
            } catch (error) {
                if (attempt >= retries || !(error instanceof ApiError)) {
                    throw error;
                }
                const asked = error.status === 503 ? error.retryAfterSeconds : undefined;
                if (asked !== undefined) {
                    // Once, and only for a wait the user would sit through anyway.
                    if (waitedAsAsked || asked > this.maxRetryAfterSeconds) {
                        throw error;
                    }
                    waitedAsAsked = true;
                    await this.sleep(asked * 1000);
                    continue;
                }
                if (!outcomeUnknown(error, idempotencyKey !== undefined)) {
                    throw error;
                }
                await this.sleep(this.retryDelayMs * 2 ** attempt);
            }
        }
    }

    private async attempt<T>(method: string, path: string, options: RequestOptions, idempotencyKey: string | undefined): Promise<T> {
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (this.tokenValue && !options.anonymous) {
            headers.Authorization = `Bearer ${this.tokenValue}`;
        }
        let body: BodyInit | undefined;
        if (options.raw) {
            headers['Content-Type'] = options.raw.mediaType;
            body = options.raw.data as BodyInit;
        } else if (options.body !== undefined) {
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(options.body);
        }
        if (idempotencyKey !== undefined) {
            headers['Idempotency-Key'] = idempotencyKey;
        }
        let response: Response;
        try {
            response = await this.fetchFn(this.url(path, options.query), { method, headers, body });
        } catch (cause) {
            throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error', detail: (cause as Error)?.message ?? String(cause), write: WRITE_METHODS.has(method), cause });
        }
        this.noteServerDate(response.headers.get('Date'));
        const txId = response.headers.get('X-Transaction-Id') ?? undefined;
        if (WRITE_METHODS.has(method) && txId) {
            this.lastTransactionId = txId;
            this.ownTransactions.push(txId);
            this.ownTransactions.splice(0, Math.max(0, this.ownTransactions.length - OWN_TRANSACTIONS_KEPT));
        }
        const text = await response.text();
        if (!response.ok) {
            throw this.problem(response.status, text, txId, parseRetryAfter(response.headers.get('Retry-After')));
        }
        if (text === '') {
            return undefined as T;
        }
        try {
            return JSON.parse(text) as T;
        } catch (cause) {
            throw new ApiError({ status: response.status, code: 'INTERNAL', title: 'Unreadable answer', detail: 'The platform sent an answer this page cannot read.', cause });
        }
    }

    private problem(status: number, text: string, txId: string | undefined, retryAfterSeconds: number | undefined): ApiError {
        let problem: { code?: unknown; title?: unknown; detail?: unknown; txId?: unknown; reason?: unknown } = {};
        try {
            const parsed: unknown = JSON.parse(text);
            if (parsed && typeof parsed === 'object') {
                problem = parsed as typeof problem;
            }
        } catch {
            // not JSON: keep the status-derived code
        }
        const code = typeof problem.code === 'string' && problem.code ? problem.code : codeForStatus(status);
        const error = new ApiError({
            status,
            code,
            title: typeof problem.title === 'string' ? problem.title : '',
            detail: typeof problem.detail === 'string' ? problem.detail : '',
            txId: typeof problem.txId === 'string' ? problem.txId : txId,
            ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
            ...(typeof problem.reason === 'string' ? { reason: problem.reason } : {}),
        });
        if (status === 401 && this.onUnauthenticated) {
            this.onUnauthenticated(error);
        }
        return error;
    }

    /**
     * Reads every page of a list endpoint ({items, nextCursor}) and returns all of its items. Never
     * returns part of a list: when the gateway still has a next page after `maxPages` pages, it
     * throws ApiError LIST_TOO_LONG (so no view shows, or totals, a list with items silently missing).
     */
    async list<T>(path: string, query: Query = {}, options: { anonymous?: boolean } = {}): Promise<T[]> {
        const items: T[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < this.maxPages; page++) {
            const answer = await this.request<Page<T> | T[]>('GET', path, { query: { ...query, cursor }, anonymous: options.anonymous });
            if (Array.isArray(answer)) {
                return answer;
            }
            items.push(...(answer?.items ?? []));
            if (!answer?.nextCursor) {
                return items;
            }
            cursor = answer.nextCursor;
        }
        throw new ApiError({
            status: 0,
            code: 'LIST_TOO_LONG',
            title: 'List too long',
            detail: `The platform has more than ${items.length.toLocaleString('en')} entries in ${path}: more than the ${this.maxPages} pages this client reads of one list.`,
        });
    }

    // ------------------------------------------------------------------ auth

    /** Signs in with a password; keeps the token. Throws ApiError (UNAUTHENTICATED for wrong credentials). */
    async login(username: string, password: string): Promise<LoginResult> {
        const result = await this.request<LoginResult>('POST', '/auth/login', { body: { username, password }, anonymous: true });
        this.tokenValue = result.token;
        return result;
    }

    /**
     * PUBLIC: the demo users this gateway offers while its demo seed is on, with their password when it is
     * the public demo one; undefined when the seed is off (404). Throws ApiError for anything else.
     */
    async demoAccounts(): Promise<DemoAccounts | undefined> {
        try {
            return await this.request<DemoAccounts>('GET', '/auth/demo', { anonymous: true });
        } catch (error) {
            if (error instanceof ApiError && error.status === 404) {
                return undefined;
            }
            throw error;
        }
    }

    /**
     * Signs out on the gateway: ends this client's bearer token there (POST /auth/logout), so it is
     * refused from now on, also by a copy of it kept elsewhere. Sent once. Throws ApiError.
     */
    async logout(): Promise<void> {
        await this.request('POST', '/auth/logout', { once: true });
    }

    me(): Promise<User> {
        return this.request('GET', '/me');
    }

    /**
     * Changes the signed-in user's password (204). Every bearer token issued before, this client's
     * included, stops working: sign in again with the new one. Sent once, never repeated (a repeat
     * would carry the token the change ended). Throws ApiError: FORBIDDEN (wrong current password),
     * INVALID_ARGUMENT (the new one breaks the rule), RATE_LIMITED (with retryAfterSeconds).
     */
    async changePassword(currentPassword: string, newPassword: string): Promise<void> {
        await this.request<void>('POST', '/auth/password', { body: { currentPassword, newPassword }, once: true });
    }

    /** Whether `txId` is the transaction of one of this client's recent writes. */
    isOwnTransaction(txId: string): boolean {
        return this.ownTransactions.includes(txId);
    }

    /** PUBLIC: the ledger's height (blocks committed) when the backend reports it, else undefined. Throws ApiError. */
    async ledgerHeight(): Promise<number | undefined> {
        return (await this.ledgerStatus()).height;
    }

    /**
     * PUBLIC: the ledger's height and its current time (GET /health/ready), each undefined when the
     * gateway does not report it. Throws ApiError.
     */
    async ledgerStatus(): Promise<{ height?: number; time?: Date }> {
        const answer = await this.request<{ ledger?: { height?: unknown }; ledgerTime?: unknown }>('GET', '/health/ready', { anonymous: true });
        const time = typeof answer?.ledgerTime === 'string' ? new Date(answer.ledgerTime) : undefined;
        return {
            ...(typeof answer?.ledger?.height === 'number' ? { height: answer.ledger.height } : {}),
            ...(time && !Number.isNaN(time.getTime()) ? { time } : {}),
        };
    }

    // ------------------------------------------------------------------ users (platform admin)

    listUsers(): Promise<UserAccount[]> {
        return this.list('/users');
    }
    /** Disables a user: it cannot sign in, and its tokens and API keys are refused. Throws ApiError (INVALID_ARGUMENT for the admin itself). */
    disableUser(username: string): Promise<UserAccount> {
        return this.request('POST', `/users/${seg(username)}/disable`);
    }
    /** Enables a disabled user again (its API keys work again; tokens issued before do not). Throws ApiError. */
    enableUser(username: string): Promise<UserAccount> {
        return this.request('POST', `/users/${seg(username)}/enable`);
    }
    createUser(user: NewUser): Promise<User> {
        return this.request('POST', '/users', { body: user });
    }

    // ------------------------------------------------------------------ enterprises

    registerEnterprise(request: { id: string; name: string; kind: EnterpriseKind; country?: string; mspId?: string }): Promise<Enterprise> {
        return this.request('POST', '/enterprises', { body: request });
    }

    listEnterprises(kind?: EnterpriseKind): Promise<Enterprise[]> {
        return this.list('/enterprises', { kind });
    }
    readEnterprise(id: string): Promise<Enterprise> {
        return this.request('GET', `/enterprises/${seg(id)}`);
    }
    /** The ledger's records of the identities enrolled for an enterprise's users (regulator, platform admin, its own users; else FORBIDDEN). Throws ApiError. */
    listEnterpriseUsers(id: string): Promise<UserEnrolment[]> {
        return this.list(`/enterprises/${seg(id)}/users`);
    }
    freezeEnterprise(id: string, reason: string): Promise<Enterprise> {
        return this.request('POST', `/enterprises/${seg(id)}/freeze`, { body: { reason } });
    }
    unfreezeEnterprise(id: string, reason: string): Promise<Enterprise> {
        return this.request('POST', `/enterprises/${seg(id)}/unfreeze`, { body: { reason } });
    }

    // ------------------------------------------------------------------ credit lines

    grantCreditLine(request: { coreEnterpriseId: string; currency: string; limit: string; expiresAt: string }): Promise<CreditLine> {
        return this.request('POST', '/credit-lines', { body: request });
    }
    listCreditLines(enterpriseId: string): Promise<CreditLine[]> {
        return this.list('/credit-lines', { enterpriseId });
    }
    readCreditLine(id: string): Promise<CreditLine> {
        return this.request('GET', `/credit-lines/${seg(id)}`);
    }
    changeCreditLimit(id: string, limit: string): Promise<CreditLine> {
        return this.request('POST', `/credit-lines/${seg(id)}/limit`, { body: { limit } });
    }
    revokeCreditLine(id: string, reason: string): Promise<CreditLine> {
        return this.request('POST', `/credit-lines/${seg(id)}/revoke`, { body: { reason } });
    }

    // ------------------------------------------------------------------ receivables and documents

    registerReceivable(request: { buyerId: string; invoiceNumber: string; amount: string; currency: string; issueDate: string; dueDate: string; documentCid: string }): Promise<Receivable> {
        return this.request('POST', '/receivables', { body: request });
    }
    listReceivables(enterpriseId: string, role: 'seller' | 'buyer'): Promise<Receivable[]> {
        return this.list('/receivables', { enterpriseId, role });
    }
    confirmReceivable(id: string): Promise<Receivable> {
        return this.request('POST', `/receivables/${seg(id)}/confirm`, { body: {} });
    }
    disputeReceivable(id: string, reason: string): Promise<Receivable> {
        return this.request('POST', `/receivables/${seg(id)}/dispute`, { body: { reason } });
    }
    cancelReceivable(id: string, reason: string): Promise<Receivable> {
        return this.request('POST', `/receivables/${seg(id)}/cancel`, { body: { reason } });
    }
    /** The seller acknowledges payment received outside any note, for what is still available (the buyer may not: 403). */
    settleReceivable(id: string): Promise<Receivable> {
        return this.request('POST', `/receivables/${seg(id)}/settle`, { body: {} });
    }
    uploadDocument(data: Blob | ArrayBuffer | Uint8Array, mediaType: string): Promise<StoredDocument> {
        return this.request('POST', '/documents', { raw: { data, mediaType: mediaType || 'application/octet-stream' } });
    }
    /**
     * Downloads a document (verified against its CID by the gateway). Its bytes are untrusted (any
     * enterprise may upload anything): the blob comes back typed application/octet-stream, never
     * with the type the uploader declared, so nothing renders it as HTML in this origin by accident;
     * `document-safety.ts` decides from the bytes whether it may be shown.
     */
    async downloadDocument(cid: string): Promise<Blob> {
        const headers: Record<string, string> = {};
        if (this.tokenValue) {
            headers.Authorization = `Bearer ${this.tokenValue}`;
        }
        let response: Response;
        try {
            response = await this.fetchFn(this.url(`/documents/${seg(cid)}`), { headers });
        } catch (cause) {
            throw new ApiError({ status: 0, code: 'NETWORK', detail: String(cause), cause });
        }
        if (!response.ok) {
            throw this.problem(response.status, await response.text(), undefined, parseRetryAfter(response.headers.get('Retry-After')));
        }
        return new Blob([await response.arrayBuffer()], { type: 'application/octet-stream' });
    }

    // ------------------------------------------------------------------ notes

    issueNote(request: { holderId: string; amount: string; currency: string; maturityDate: string; creditLineId: string; receivableIds: string[] }): Promise<Note> {
        return this.request('POST', '/notes', { body: request });
    }
    listNotes(holderId: string): Promise<Note[]> {
        return this.list('/notes', { holderId });
    }
    readNote(id: string): Promise<Note> {
        return this.request('GET', `/notes/${seg(id)}`);
    }
    splitNote(id: string, amounts: string[]): Promise<{ parent: Note; children: Note[] }> {
        return this.request('POST', `/notes/${seg(id)}/split`, { body: { amounts } });
    }
    provenance(id: string): Promise<Provenance> {
        return this.request('GET', `/notes/${seg(id)}/provenance`);
    }
    redeemNote(rootId: string): Promise<RedemptionResult> {
        return this.request('POST', `/notes/${seg(rootId)}/redeem`, { body: {} });
    }
    /** The root to a caller that may read it; anyone else gets only {id, overdue, overdueAt}. */
    markOverdue(rootId: string): Promise<OverdueAnswer> {
        return this.request('POST', `/notes/${seg(rootId)}/overdue`, { body: {} });
    }
    noteParameters(): Promise<NoteParameters> {
        return this.request('GET', '/parameters/notes');
    }
    setNoteParameters(parameters: { maxTenorMonths: number; graceDays: number }): Promise<NoteParameters> {
        return this.request('PUT', '/parameters/notes', { body: parameters });
    }
    ipParameters(): Promise<IpParameters> {
        return this.request('GET', '/parameters/ip');
    }
    setIpParameters(parameters: { maxLtvBps: number }): Promise<IpParameters> {
        return this.request('PUT', '/parameters/ip', { body: parameters });
    }
    exposure(coreEnterpriseId: string): Promise<Exposure> {
        return this.request('GET', `/exposure/${seg(coreEnterpriseId)}`);
    }

    offerTransfer(request: { noteId: string; toId: string; amount: string; expiresAt: string }): Promise<NoteOffer> {
        return this.request('POST', '/offers', { body: request });
    }
    listOffers(enterpriseId: string, direction: 'incoming' | 'outgoing'): Promise<NoteOffer[]> {
        return this.list('/offers', { enterpriseId, direction });
    }
    acceptOffer(id: string): Promise<unknown> {
        return this.request('POST', `/offers/${seg(id)}/accept`, { body: {} });
    }
    declineOffer(id: string): Promise<NoteOffer> {
        return this.request('POST', `/offers/${seg(id)}/decline`, { body: {} });
    }
    cancelOffer(id: string): Promise<NoteOffer> {
        return this.request('POST', `/offers/${seg(id)}/cancel`, { body: {} });
    }
    /** Closes a pending offer whose expiry has passed; the note returns to its sender. */
    expireOffer(id: string): Promise<NoteOffer> {
        return this.request('POST', `/offers/${seg(id)}/expire`, { body: {} });
    }

    requestDiscount(noteId: string, financierIds: string[]): Promise<DiscountRequest> {
        return this.request('POST', '/discount-requests', { body: { noteId, financierIds } });
    }
    listDiscountRequests(enterpriseId: string): Promise<DiscountRequest[]> {
        return this.list('/discount-requests', { enterpriseId });
    }
    withdrawDiscountRequest(id: string): Promise<DiscountRequest> {
        return this.request('POST', `/discount-requests/${seg(id)}/withdraw`, { body: {} });
    }
    listQuotes(requestId: string): Promise<DiscountQuote[]> {
        return this.list(`/discount-requests/${seg(requestId)}/quotes`);
    }
    /** Quotes on a request; the gateway carries rate and fee in the transient map, never in the ledger args. */
    submitQuote(requestId: string, rateBps: number, feeAmount?: string): Promise<DiscountQuote> {
        const body: { rateBps: number; feeAmount?: string } = { rateBps };
        if (feeAmount !== undefined && feeAmount !== '0') {
            body.feeAmount = feeAmount;
        }
        return this.request('POST', `/discount-requests/${seg(requestId)}/quotes`, { body });
    }
    readQuoteTerms(quoteId: string): Promise<FinancingTerms> {
        return this.request('GET', `/quotes/${seg(quoteId)}/terms`);
    }
    acceptQuote(quoteId: string): Promise<{ funded: Note }> {
        return this.request('POST', `/quotes/${seg(quoteId)}/accept`, { body: {} });
    }
    withdrawQuote(quoteId: string): Promise<DiscountQuote> {
        return this.request('POST', `/quotes/${seg(quoteId)}/withdraw`, { body: {} });
    }

    // ------------------------------------------------------------------ IP assets and pledges

    registerIpAsset(request: { kind: IpAsset['kind']; registryNumber: string; title: string; ownerIds: string[]; expiryDate: string }): Promise<IpAsset> {
        return this.request('POST', '/ip-assets', { body: request });
    }
    listIpAssets(ownerId: string): Promise<IpAsset[]> {
        return this.list('/ip-assets', { ownerId });
    }
    /** Records a valuation (the appraiser only; the ledger refuses anyone else). */
    reviseValuation(assetId: string, valuation: { amount: string; currency: string; valuationDate: string; reportCid: string }): Promise<IpAsset> {
        return this.request('POST', `/ip-assets/${seg(assetId)}/valuations`, { body: valuation });
    }
    /** A co-owner the registrant named confirms it owns the right (until all have, the asset can be neither valued nor pledged). */
    confirmIpOwnership(assetId: string): Promise<IpAsset> {
        return this.request('POST', `/ip-assets/${seg(assetId)}/confirm`, { body: {} });
    }
    /** A co-owner the registrant named declines: the registration is voided and the right may be registered again. */
    declineIpOwnership(assetId: string, reason: string): Promise<IpAsset> {
        return this.request('POST', `/ip-assets/${seg(assetId)}/decline`, { body: { reason } });
    }
    /** The regulator voids a contested record (refused while a pledge of it is requested or active). */
    voidIpAsset(assetId: string, reason: string): Promise<IpAsset> {
        return this.request('POST', `/ip-assets/${seg(assetId)}/void`, { body: { reason } });
    }
    /**
     * Requests a pledge of an owned asset. `priority` is the rank it declares (the ledger takes only
     * the number of the asset's active pledges plus one; default 1); `allowJunior` whether later
     * pledges may rank behind it (default false).
     */
    requestPledge(request: { assetId: string; pledgeeId: string; securedAmount: string; currency: string; termStart: string; termEnd: string; priority?: number; allowJunior?: boolean }): Promise<IpPledge> {
        return this.request('POST', '/pledges', { body: request });
    }
    listPledges(enterpriseId: string): Promise<IpPledge[]> {
        return this.list('/pledges', { enterpriseId });
    }
    /** consent | accept | cancel | release (no reason) or reject | enforce (reason required). */
    pledgeAction(id: string, action: 'consent' | 'accept' | 'reject' | 'cancel' | 'release' | 'enforce', reason?: string): Promise<IpPledge> {
        return this.request('POST', `/pledges/${seg(id)}/${action}`, { body: reason === undefined ? {} : { reason } });
    }
    /** A co-owner withdraws its consent to a pledge still requested. */
    withdrawPledgeConsent(id: string): Promise<IpPledge> {
        return this.request('POST', `/pledges/${seg(id)}/consent/withdraw`, { body: {} });
    }
    /** A co-owner declines a requested pledge (reason required): it becomes DECLINED. */
    declinePledge(id: string, reason: string): Promise<IpPledge> {
        return this.request('POST', `/pledges/${seg(id)}/decline`, { body: { reason } });
    }
    /** The public notice of an asset's pledges (any signed-in user): every pledge ever requested on it, without the valuation. */
    pledgeNotice(assetId: string): Promise<PledgeNotice> {
        return this.request('GET', `/ip-assets/${seg(assetId)}/pledge-notice`);
    }

    // ------------------------------------------------------------------ cross-border recognition

    listAgreements(partnerId: string): Promise<Agreement[]> {
        return this.list('/agreements', { partnerId });
    }
    /** Every agreement (the platform administrator, the regulator). */
    listAllAgreements(): Promise<Agreement[]> {
        return this.list('/agreements');
    }
    /** The platform proposes an agreement to a foreign partner (platform admin). Throws ApiError (FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND). */
    proposeAgreement(request: { partnerId: string; partnerMspId: string; gradeScale: { minScore: number; grade: string }[]; validFrom: string; validUntil: string }): Promise<Agreement> {
        return this.request('POST', '/agreements', { body: request });
    }
    /** Withdraws a PROPOSED agreement (platform admin); the reason is recorded. Throws ApiError (FORBIDDEN, INVALID_STATE). */
    withdrawAgreement(id: string, reason: string): Promise<Agreement> {
        return this.request('POST', `/agreements/${seg(id)}/withdraw`, { body: { reason } });
    }
    /** Published bureau keys, of one bureau or all. */
    listBureauKeys(bureauId?: string): Promise<BureauKey[]> {
        return this.list('/bureau-keys', { bureauId });
    }
    /** Creates a gateway-held signing key for a credit bureau and publishes it (platform admin). */
    generateBureauKey(bureauId: string, label?: string): Promise<BureauKey> {
        return this.request('POST', '/bureau-keys/generate', { body: label ? { bureauId, label } : { bureauId } });
    }
    /** Revokes a bureau key for good (platform admin); every passport it signed stops being valid. */
    revokeBureauKey(address: string, reason: string): Promise<BureauKey> {
        return this.request('POST', `/bureau-keys/${seg(address)}/revoke`, { body: { reason } });
    }
    acceptAgreement(id: string): Promise<Agreement> {
        return this.request('POST', `/agreements/${seg(id)}/accept`, { body: {} });
    }
    /** Terminates an ACTIVE agreement (its partner); the reason is recorded. Throws ApiError (FORBIDDEN, INVALID_STATE when not ACTIVE). */
    terminateAgreement(id: string, reason: string): Promise<Agreement> {
        return this.request('POST', `/agreements/${seg(id)}/terminate`, { body: { reason } });
    }
    listAttestations(subjectId: string): Promise<Attestation[]> {
        return this.list('/attestations', { subjectId });
    }
    readAttestation(id: string): Promise<Attestation> {
        return this.request('GET', `/attestations/${seg(id)}`);
    }
    verifyAttestation(id: string): Promise<AttestationVerdict> {
        return this.request('GET', `/attestations/${seg(id)}/verify`);
    }
    issueAttestation(request: { subjectId: string; grade?: string; validDays?: number }): Promise<{ passport: Passport }> {
        return this.request('POST', '/attestations', { body: request });
    }
    /** Revokes an attestation (the issuing bureau, the regulator); the reason is recorded. Throws ApiError (FORBIDDEN, INVALID_STATE when already revoked). */
    revokeAttestation(id: string, reason: string): Promise<Attestation> {
        return this.request('POST', `/attestations/${seg(id)}/revoke`, { body: { reason } });
    }
    /** PUBLIC: the ledger's verdict on a passport (no sign-in needed). */
    verifyPassport(passport: Passport): Promise<AttestationVerdict> {
        return this.request('POST', '/passports/verify', { body: passport, anonymous: true });
    }
    /**
     * PUBLIC: every published credit-bureau key, revoked ones included, read page by page to the
     * last (up to maxPages): the offline verifier must know every key that ever signed.
     */
    listIssuers(): Promise<BureauKey[]> {
        return this.list<BureauKey>('/passports/issuers', {}, { anonymous: true });
    }
    recognize(agreementId: string, attestationId: string): Promise<Recognition> {
        return this.request('POST', '/recognitions', { body: { agreementId, attestationId } });
    }
    listRecognitions(query: { subjectId?: string; agreementId?: string }): Promise<Recognition[]> {
        return this.list('/recognitions', query);
    }

    // ------------------------------------------------------------------ profiles, warnings, audit

    readProfile(enterpriseId: string): Promise<CreditProfile> {
        return this.request('GET', `/profiles/${seg(enterpriseId)}`);
    }
    refreshProfile(enterpriseId: string): Promise<CreditProfile> {
        return this.request('POST', `/profiles/${seg(enterpriseId)}/refresh`, { body: {} });
    }
    listWarnings(level: WarningLevel): Promise<WarningEntry[]> {
        return this.list('/warnings', { level });
    }
    auditPack(enterpriseId: string, bookmark = ''): Promise<AuditPack> {
        return this.request('GET', `/audit/${seg(enterpriseId)}`, { query: { bookmark } });
    }

    // ------------------------------------------------------------------ events

    /**
     * Follows the live event feed (SSE over fetch, so the bearer token can be sent), reconnecting
     * with Last-Event-ID after a drop, until `signal` aborts. `onState` reports the connection.
     */
    async followEvents(options: { onEvent: (event: LedgerEvent) => void; onState?: (state: 'open' | 'retrying' | 'closed') => void; signal: AbortSignal; retryMs?: number }): Promise<void> {
        let lastEventId: string | undefined;
        const retryMs = options.retryMs ?? 3000;
        while (!options.signal.aborted) {
            let askedWaitMs = 0;
            const parser = new SseParser((message) => {
                let data: unknown = message.data;
                try {
                    data = JSON.parse(message.data);
                } catch {
                    // keep the text
                }
                options.onEvent({ id: message.id ?? '', name: message.event, data });
            });
            try {
                const headers: Record<string, string> = { Accept: 'text/event-stream' };
                if (this.tokenValue) {
                    headers.Authorization = `Bearer ${this.tokenValue}`;
                }
                if (lastEventId) {
                    headers['Last-Event-ID'] = lastEventId;
                }
                const response = await this.fetchFn(this.url('/events'), { headers, signal: options.signal });
                if (!response.ok || !response.body) {
                    const error = this.problem(response.status, await response.text(), undefined, parseRetryAfter(response.headers.get('Retry-After')));
                    if (response.status === 401 || response.status === 403) {
                        throw error;
                    }
                    // Not before the gateway said it could take the feed again.
                    askedWaitMs = (error.retryAfterSeconds ?? 0) * 1000;
                } else {
                    options.onState?.('open');
                    const reader = response.body.getReader();
                    const decoder = new TextDecoder();
                    for (;;) {
                        const { done, value } = await reader.read();
                        if (done) {
                            break;
                        }
                        parser.push(decoder.decode(value, { stream: true }));
                        lastEventId = parser.lastEventId ?? lastEventId;
                    }
                }
            } catch (error) {
                if (options.signal.aborted) {
                    break;
                }
                if (error instanceof ApiError) {
                    options.onState?.('closed');
                    throw error;
                }
            }
            if (options.signal.aborted) {
                break;
            }
            options.onState?.('retrying');
            await delay(Math.max(retryMs, askedWaitMs), options.signal);
        }
        options.onState?.('closed');
    }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
        });
    });
}

/** The code for an error answer without a problem body. */
export function codeForStatus(status: number): string {
    switch (status) {
        case 400:
            return 'INVALID_ARGUMENT';
        case 401:
            return 'UNAUTHENTICATED';
        case 403:
            return 'FORBIDDEN';
        case 404:
            return 'NOT_FOUND';
        case 409:
            return 'CONFLICT';
        case 413:
            return 'PAYLOAD_TOO_LARGE';
        case 429:
            return 'RATE_LIMITED';
        case 503:
            return 'LEDGER_UNAVAILABLE';
        case 504:
            return 'LEDGER_TIMEOUT';
        default:
            return 'INTERNAL';
    }
}
