import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { ROLES, ROLE_ORGS, Role } from '@xinlian/chaincode';
import { ConfigError, MIN_PASSWORD_LENGTH, ScryptParameters } from '../config';
import { AppError, appError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import { removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { HashingGate, HashingLoad, newHashingGate } from './hashing-gate';
import { hashPassword, verifyPassword } from './password';
import { RateLimiter, newRateLimiter } from './rate-limiter';
import { reservedNameReason } from './reserved-names';
import { issueToken, tokenIdOf, verifyToken } from './tokens';
import { EndedToken, PendingUser, StoredApiKey, StoredUser, UserStore, openUserStore } from './user-store';

/** The authenticated caller of a request. It is always read from the user store, never from input. */
export type Principal = LedgerUser;

/** What the API shows of a user. */
export interface UserView {
    readonly username: string;
    readonly role: Role;
    readonly enterpriseId: string;
    readonly mspId: string;
}

/** What the API shows an admin of a user account. */
export interface UserAccount extends UserView {
    /** A disabled user cannot log in, and its tokens and API keys are refused. */
    readonly disabled: boolean;
}

/**
 * A user whose creation was cut off after its identity may have been enrolled (see PendingUser in
 * user-store.ts): no user, but its name is kept for that identity until the same creation is made again.
 */
export interface UnfinishedUser extends UserView {
    /** When the creation began (ISO 8601). */
    readonly since: string;
}

/** What the API shows of an API key: never its secret nor the secret's hash. */
export interface ApiKeyView {
    readonly id: string;
    readonly label: string;
    readonly createdAt: string;
    /** When the key stops working; absent: when it is deleted. */
    readonly expiresAt?: string;
}

/** A new API key: its secret is shown here once, and never again. */
export interface NewApiKey {
    readonly id: string;
    readonly apiKey: string;
    readonly label: string;
    readonly expiresAt?: string;
}

/** How a principal authenticated: a password login's bearer token, or an API key. */
export type Credential =
    | { readonly kind: 'token'; readonly expiresAt: Date; readonly generation: number; readonly tokenId: string }
    | { readonly kind: 'apiKey'; readonly apiKeyId: string; readonly expiresAt?: Date };

export interface NewUser {
    readonly username: string;
    readonly password: string;
    readonly role: Role;
    readonly enterpriseId: string;
    readonly mspId: string;
}

export interface AuthServiceOptions {
    readonly directory: string;
    readonly tokenTtlSeconds: number;
    readonly passwordScrypt: ScryptParameters;
    /** Login attempts per client address and user name in each window (a success clears them). */
    readonly loginAttempts: number;
    /** Failed login attempts per client address, whatever the user name, in each window (default 30). */
    readonly loginClientAttempts?: number;
    readonly loginWindowSeconds: number;
    /** Password hashes running at once, and waiting (default 2 and 16); a login beyond them gets RATE_LIMITED. */
    readonly passwordHashing?: { readonly concurrency: number; readonly queue: number };
    /** Enrolls the user's ledger identity (wallet); called before the user is stored. */
    readonly enroll: (user: LedgerUser) => Promise<void>;
    readonly clock?: () => Date;
    /** Where account security actions are logged, one line each (default: nowhere). See AccountLog. */
    readonly log?: AccountLog;
    /**
     * Told of a temporary file of users.json or token-secret, left by a stopped gateway, that could not be
     * judged or deleted when the service opened (default: nobody).
     */
    readonly onCleanupError?: (error: unknown) => void;
}

/** The account security actions the audit log names. */
export type AccountAction = 'login' | 'logout' | 'change-password' | 'create-api-key' | 'delete-api-key' | 'disable-user' | 'enable-user' | 'create-user';

/**
 * The audit log of account security actions: one line per login, sign-out, password change, API key
 * created or deleted, user disabled or enabled (and, from the user service, user created), whatever the
 * outcome. Each line has `audit: 'account'`, `action`, `actor` (who acted: the user name a login
 * claims), `target` (the user acted on), `outcome` ('succeeded'; 'refused' with `code` and `reason` for
 * a 4xx answer; 'failed' for any other error) and `client` (the client address, when the caller is a
 * request). Successes are info, refusals and failures warn. Never a password, token or API key secret:
 * a token by its id (tokenIdOf), a key by its id.
 */
export interface AccountLog {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
}

/** What one audit line says of an action, besides its outcome. */
export interface AccountAuditEntry {
    readonly action: AccountAction;
    readonly actor: string;
    readonly target: string;
    readonly client?: string;
    readonly [field: string]: unknown;
}

/**
 * Runs `work` and logs its outcome to `log` as one audit line (AccountLog), adding `details` of the result
 * to a success's line. Returns what `work` returns, throws what it throws.
 */
export async function audited<T>(log: AccountLog | undefined, entry: AccountAuditEntry, work: () => Promise<T>, details?: (result: T) => Record<string, unknown>): Promise<T> {
    let result: T;
    try {
        result = await work();
    } catch (error) {
        const known = error instanceof AppError;
        const refused = known && error.status < 500;
        log?.warn(
            { audit: 'account', ...entry, outcome: refused ? 'refused' : 'failed', code: known ? error.code : 'INTERNAL', reason: (error as Error)?.message },
            `account security action ${entry.action} ${refused ? 'refused' : 'failed'}`,
        );
        throw error;
    }
    log?.info({ audit: 'account', ...entry, outcome: 'succeeded', ...details?.(result) }, `account security action ${entry.action} succeeded`);
    return result;
}

export interface AuthService {
    /**
     * Checks a password and issues a token. Throws UNAUTHENTICATED, FORBIDDEN (the user is disabled),
     * RATE_LIMITED (too many attempts of the client, or too many password checks waiting).
     */
    login(username: string, password: string, client: string): Promise<{ token: string; expiresAt: string; user: UserView }>;
    /** Resolves an Authorization header value. Throws UNAUTHENTICATED. */
    authenticate(authorization: string | undefined): Promise<Principal>;
    /** How a principal that authenticate returned authenticated; undefined for any other object. */
    credentialOf(principal: Principal): Credential | undefined;
    /**
     * Calls `onEnd` once, when the credential the principal authenticated with stops working: the token
     * expires or its generation ends, the API key expires or is deleted, the user is disabled or removed
     * (at once if it already has). Returns a function that stops watching.
     */
    watch(principal: Principal, onEnd: () => void): () => void;
    /**
     * Creates an API key for the principal; the secret is returned once. Only with a password login's
     * bearer token: an API key cannot make more keys. Throws FORBIDDEN, UNAUTHENTICATED, INVALID_ARGUMENT.
     */
    createApiKey(principal: Principal, label: string, options?: { readonly expiresInDays?: number; readonly client?: string }): Promise<NewApiKey>;
    /** The principal's own API keys, without their secrets. Throws UNAUTHENTICATED when the user no longer exists. */
    listApiKeys(principal: Principal): ApiKeyView[];
    /** Deletes one of the principal's own API keys. Throws NOT_FOUND. */
    deleteApiKey(principal: Principal, id: string, client?: string): Promise<void>;
    /**
     * Signs out: ends the bearer token the principal authenticated with, and no other, until it
     * expires (also across restarts), and its watches. When the user already has MAX_ENDED_TOKENS
     * ended tokens that have not expired, every token of the user ends instead (its token generation
     * moves on, as a password change does), which keeps the list bounded. Throws FORBIDDEN for an API
     * key (deleteApiKey ends those).
     */
    logout(principal: Principal, client?: string): Promise<void>;
    /**
     * Changes the principal's password after checking the current one; every token issued before stops
     * working (API keys stay). Rate limited as logins are. Throws FORBIDDEN (wrong current password),
     * INVALID_ARGUMENT (the new one breaks the password rule), RATE_LIMITED, UNAUTHENTICATED.
     */
    changePassword(principal: Principal, currentPassword: string, newPassword: string, client: string): Promise<void>;
    /**
     * Disables (its tokens and API keys stop working at once, it cannot log in) or enables a user
     * (platform admin; not itself). Enabling brings back its API keys, not its earlier tokens.
     * Throws FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT. `client`, the request's client address, is for the audit log.
     */
    setDisabled(admin: Principal, username: string, disabled: boolean, client?: string): Promise<UserAccount>;
    /** Whether `password` is the user's password (false for an unknown user); waits for a hashing slot. */
    passwordMatches(username: string, password: string): Promise<boolean>;
    /** The password hashes running and waiting now. */
    hashingLoad(): HashingLoad;
    /**
     * Creates a user and enrolls its identity; creations of one user name run one at a time, so only
     * the first succeeds. `beforeStore` runs once the identity is enrolled and before the user is
     * stored; when it rejects, the user is not stored. The name is recorded in users.json as an unfinished
     * user before anything is enrolled: a creation cut off after enrolment (beforeStore rejects, users.json
     * cannot take the user, the gateway stops) leaves it, and the same creation again (role, enterprise and
     * organisation) finishes it with a new enrolment, while any other creation of the name is ALREADY_EXISTS
     * naming the identity left behind. Throws INVALID_ARGUMENT, ALREADY_EXISTS, INTERNAL (users.json cannot
     * be written), or what enrolment or beforeStore throws. A name of the gateway's own identities
     * (reserved-names.ts) is INVALID_ARGUMENT, refused before anything is enrolled.
     */
    createUser(user: NewUser, options?: { readonly beforeStore?: (user: Principal) => Promise<void> }): Promise<UserView>;
    getUser(username: string): UserView | undefined;
    listUsers(): UserAccount[];
    /** The users whose creation did not finish (see createUser), by name. */
    unfinishedUsers(): UnfinishedUser[];
}

const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;

/**
 * The user name rule: 2..32 lower-case letters, digits, . _ - starting with a letter, and not a name of
 * the gateway's own identities (reserved-names.ts). Throws INVALID_ARGUMENT.
 */
export function checkUsername(username: string): void {
    if (!USERNAME.test(username)) {
        throw appError.invalid('username must be 2..32 lower-case letters, digits, . _ - starting with a letter');
    }
    const reserved = reservedNameReason(username);
    if (reserved) {
        throw appError.invalid(`username ${username} is reserved: ${reserved}; choose another`);
    }
}
/** The most ended tokens kept per user; one more sign-out ends every token of the user instead. */
export const MAX_ENDED_TOKENS = 100;
/** The fewest bytes a token secret may have. */
const MIN_SECRET_BYTES = 32;
const API_KEY = /^xl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** setTimeout's longest delay (about 24.8 days): a later expiry is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function viewOf(user: StoredUser): UserView {
    return { username: user.username, role: user.role, enterpriseId: user.enterpriseId, mspId: user.mspId };
}

function accountOf(user: StoredUser): UserAccount {
    return { ...viewOf(user), disabled: user.disabledAt !== undefined };
}

function keyViewOf(key: StoredApiKey): ApiKeyView {
    return { id: key.id, label: key.label, createdAt: key.createdAt, ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}) };
}

/** The password rule: at least MIN_PASSWORD_LENGTH characters, and not the user name. Throws INVALID_ARGUMENT. */
export function checkPasswordRule(username: string, password: string, field = 'password'): void {
    if (password.length < MIN_PASSWORD_LENGTH) {
        throw appError.invalid(`${field} must have at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    if (password === username) {
        throw appError.invalid(`${field} must not be the user name`);
    }
}

function sha256(text: string): string {
    return createHash('sha256').update(text).digest('hex');
}

function sameHex(a: string, b: string): boolean {
    const x = Buffer.from(a, 'hex');
    const y = Buffer.from(b, 'hex');
    return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The token secret in `file`: base64 (padded or not, or base64url) of at least 32 bytes. Made (32 random bytes) when the file does
 * not exist. Throws ConfigError, naming the file, when it holds anything else: a short or unreadable
 * secret would let anyone sign tokens (an empty one is an HMAC key anyone knows).
 */
async function loadSecret(file: string): Promise<Buffer> {
    let text: string;
    try {
        // White space anywhere is left out: openssl's base64 breaks lines after 64 characters.
        text = (await fs.readFile(file, 'utf8')).replace(/\s+/g, '');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw error;
        }
        const secret = randomBytes(MIN_SECRET_BYTES);
        await writeFileAtomic(file, secret.toString('base64'));
        return secret;
    }
    const secret = Buffer.from(text, 'base64');
    // Base64 with or without its = padding, or base64url, as earlier versions read it.
    const unpadded = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    const problem =
        text === '' ? 'it is empty'
        : !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || secret.toString('base64').replace(/=+$/, '') !== unpadded ? 'it is not base64'
        : secret.length < MIN_SECRET_BYTES ? `it decodes to ${secret.length} bytes`
        : undefined;
    if (problem) {
        throw new ConfigError(
            `${file} must hold the token secret as base64 of at least ${MIN_SECRET_BYTES} bytes, but ${problem}; write one (e.g. openssl rand -base64 32 > token-secret) or delete the file to have the gateway make one (tokens signed with an earlier secret stop working)`,
        );
    }
    return secret;
}

/** The ended tokens of `user` that have not expired by `now`. */
function liveEnded(user: StoredUser, now: Date): EndedToken[] {
    return (user.endedTokens ?? []).filter((ended) => Date.parse(ended.expiresAt) > now.getTime());
}

/** The refusal of a token of an earlier generation than `user`'s: what moved the generation on. */
function endedGeneration(user: StoredUser): AppError {
    switch (user.tokensEndedBy) {
        case 'disabled':
            return appError.unauthenticated(`the token was ended when user ${user.username} was disabled; log in again`, 'disabled');
        case 'sign-out':
            return appError.unauthenticated(
                `the token was signed out: a sign-out of user ${user.username} found ${MAX_ENDED_TOKENS} signed-out tokens kept, and ended every token of the user instead; log in again`,
                'signed-out',
            );
        default:
            return appError.unauthenticated('the token was issued before the password changed; log in again', 'password-changed');
    }
}

const TOKEN_SECRET_FILE = 'token-secret';

/**
 * Opens the user store and token secret in `options.directory`, first deleting the temporary files of
 * their writes that a stopped gateway left behind.
 */
export async function openAuthService(options: AuthServiceOptions): Promise<AuthService> {
    const store: UserStore = await openUserStore(options.directory, { onCleanupError: options.onCleanupError });
    // Before the secret is written: a temporary file named with this process's pid is then an earlier process's.
    await removeStaleTemporaryFiles(options.directory, { owns: (written) => written === TOKEN_SECRET_FILE, onError: options.onCleanupError });
    const secret = await loadSecret(path.join(options.directory, TOKEN_SECRET_FILE));
    const limiter: RateLimiter = newRateLimiter(options.loginAttempts, options.loginWindowSeconds);
    const clientLimiter: RateLimiter = newRateLimiter(options.loginClientAttempts ?? 30, options.loginWindowSeconds);
    const gate: HashingGate = newHashingGate(options.passwordHashing?.concurrency ?? 2, options.passwordHashing?.queue ?? 16);
    const clock = options.clock ?? (() => new Date());
    // A hash to compare against for unknown users, so timing does not reveal which names exist.
    const decoy = await hashPassword(randomBytes(16).toString('hex'), options.passwordScrypt);
    // How each principal authenticate returned authenticated (the route context carries the principal only).
    const credentials = new WeakMap<Principal, Credential>();
    /** How `principal` authenticated, for an audit line: the kind, and the token's or API key's id (never a secret). */
    const presented = (principal: Principal): Record<string, string> => {
        const credential = credentials.get(principal);
        return credential?.kind === 'token' ? { credential: 'token', tokenId: credential.tokenId } : credential?.kind === 'apiKey' ? { credential: 'api-key', credentialKeyId: credential.apiKeyId } : {};
    };
    const principalOf = (user: StoredUser, credential?: Credential): Principal => {
        const principal: Principal = { username: user.username, role: user.role, enterpriseId: user.enterpriseId, mspId: user.mspId };
        if (credential) {
            credentials.set(principal, credential);
        }
        return principal;
    };
    // Checking that a name is free, enrolling it and storing it is one step per name: a concurrent
    // creation of the same name waits for it, then finds the name taken (or free, if it failed).
    const creations = newKeyedLock();

    const keyExpired = (key: StoredApiKey, now: Date): boolean => key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now.getTime();

    /** Whether a credential still works for `username` now. */
    const stillValid = (username: string, credential: Credential): boolean => {
        const user = store.get(username);
        if (!user || user.disabledAt !== undefined) {
            return false;
        }
        const now = clock();
        if (credential.kind === 'token') {
            return (
                (user.tokenGeneration ?? 0) === credential.generation &&
                credential.expiresAt.getTime() > now.getTime() &&
                !(user.endedTokens ?? []).some((ended) => ended.id === credential.tokenId)
            );
        }
        const key = user.apiKeys.find((k) => k.id === credential.apiKeyId);
        return key !== undefined && !keyExpired(key, now);
    };

    interface Watcher {
        readonly username: string;
        readonly credential: Credential;
        readonly onEnd: () => void;
        timer?: NodeJS.Timeout;
    }
    const watchers = new Set<Watcher>();
    const endWatch = (watcher: Watcher): void => {
        if (watchers.delete(watcher)) {
            clearTimeout(watcher.timer);
            watcher.onEnd();
        }
    };
    const recheck = (watcher: Watcher): void => {
        if (!stillValid(watcher.username, watcher.credential)) {
            endWatch(watcher);
            return;
        }
        clearTimeout(watcher.timer);
        const expiresAt = watcher.credential.expiresAt;
        if (expiresAt) {
            const delay = Math.min(MAX_TIMER_MS, Math.max(1, expiresAt.getTime() - clock().getTime()));
            watcher.timer = setTimeout(() => recheck(watcher), delay);
            watcher.timer.unref();
        }
    };
    /**
     * Changes a user (see UserStore.update), dropping the ended tokens that have expired from a user it
     * changes, then ends the watches whose credential the change ended. Nothing changes, and no watch
     * ends, when the change throws or cannot be written.
     */
    const save = async (username: string, change: (current: StoredUser | undefined) => StoredUser): Promise<StoredUser> => {
        const saved = await store.update(username, (current) => {
            const next = change(current);
            if (next === current || next.endedTokens === undefined) {
                return next;
            }
            const live = liveEnded(next, clock());
            // JSON leaves out a field that is undefined.
            return { ...next, endedTokens: live.length > 0 ? live : undefined };
        });
        for (const watcher of [...watchers]) {
            if (watcher.username === username && !stillValid(watcher.username, watcher.credential)) {
                endWatch(watcher);
            }
        }
        return saved;
    };
    const userGone = (): AppError => appError.unauthenticated('the user no longer exists', 'removed');

    /** Counts a password attempt of `client` on `username`. Throws RATE_LIMITED. */
    const countAttempt = (client: string, username: string): void => {
        const now = clock();
        const waits = [limiter.hit(`${client}|${username}`, now), clientLimiter.hit(client, now)];
        const wait = Math.max(...waits);
        if (wait > 0) {
            throw new AppError('RATE_LIMITED', 'too many login attempts; try again later', { retryAfter: wait });
        }
    };
    /** Checks a password in a hashing slot, refusing at once when too many checks wait. Throws RATE_LIMITED. */
    const checkPassword = async (password: string, hash: string, client: string, username: string): Promise<boolean> => {
        const checking = gate.tryRun(() => verifyPassword(password, hash));
        if (!checking) {
            // No password was checked: the attempt does not count against the client.
            limiter.refund(`${client}|${username}`);
            clientLimiter.refund(client);
            throw new AppError('RATE_LIMITED', 'the gateway is checking too many passwords at once; try again in a moment', { retryAfter: 1 });
        }
        return checking;
    };

    const login = async (username: string, password: string, client: string): Promise<{ token: string; expiresAt: string; user: UserView }> => {
        countAttempt(client, username);
        const user = store.get(username);
        const ok = await checkPassword(password, user?.passwordHash ?? decoy, client, username);
        if (!user || !ok) {
            throw appError.unauthenticated('unknown user name or wrong password');
        }
        limiter.reset(`${client}|${username}`);
        // Only failed attempts count against a client address: many users may share one (a NAT).
        clientLimiter.refund(client);
        // Read again: the user may have been disabled, or its password changed, while the hash ran.
        const current = store.get(username);
        if (!current || current.passwordHash !== user.passwordHash) {
            throw appError.unauthenticated('unknown user name or wrong password');
        }
        if (current.disabledAt !== undefined) {
            throw appError.forbidden(`user ${username} is disabled`);
        }
        const { token, expiresAt } = issueToken(secret, current.username, clock(), options.tokenTtlSeconds, current.tokenGeneration ?? 0);
        return { token, expiresAt: expiresAt.toISOString(), user: viewOf(current) };
    };

    return {
        login: (username, password, client) =>
            audited(options.log, { action: 'login', actor: username, target: username, client }, () => login(username, password, client), (result) => ({ tokenId: tokenIdOf(result.token), expiresAt: result.expiresAt })),

        async authenticate(authorization) {
            if (!authorization) {
                throw appError.unauthenticated('an Authorization header (Bearer token or ApiKey) is required');
            }
            const space = authorization.indexOf(' ');
            const scheme = space > 0 ? authorization.slice(0, space).toLowerCase() : '';
            const credential = space > 0 ? authorization.slice(space + 1).trim() : '';
            if (scheme === 'bearer') {
                const claims = verifyToken(secret, credential, clock());
                const user = claims ? store.get(claims.sub) : undefined;
                if (!claims || !user) {
                    throw API_KEY.test(credential) ? appError.unauthenticated('this is an API key: send it as "Authorization: ApiKey <key>"') : appError.unauthenticated('the token is invalid or expired', 'expired');
                }
                if (user.disabledAt !== undefined) {
                    throw appError.unauthenticated(`user ${user.username} is disabled`, 'disabled');
                }
                if ((claims.gen ?? 0) !== (user.tokenGeneration ?? 0)) {
                    throw endedGeneration(user);
                }
                const tokenId = tokenIdOf(credential);
                if ((user.endedTokens ?? []).some((ended) => ended.id === tokenId)) {
                    throw appError.unauthenticated('the token was signed out; log in again', 'signed-out');
                }
                return principalOf(user, { kind: 'token', expiresAt: new Date(claims.exp * 1000), generation: claims.gen ?? 0, tokenId });
            }
            if (scheme === 'apikey') {
                const match = API_KEY.exec(credential);
                const user = match ? store.byApiKeyId(match[1]) : undefined;
                const stored = user?.apiKeys.find((k) => k.id === match?.[1]);
                if (!user || !stored || !match || !sameHex(stored.secretHash, sha256(match[2]))) {
                    throw appError.unauthenticated('the API key is invalid', 'expired');
                }
                if (keyExpired(stored, clock())) {
                    throw appError.unauthenticated(`the API key expired at ${stored.expiresAt}`, 'expired');
                }
                if (user.disabledAt !== undefined) {
                    throw appError.unauthenticated(`user ${user.username} is disabled`, 'disabled');
                }
                return principalOf(user, { kind: 'apiKey', apiKeyId: stored.id, ...(stored.expiresAt ? { expiresAt: new Date(stored.expiresAt) } : {}) });
            }
            throw appError.unauthenticated('the Authorization scheme must be Bearer or ApiKey');
        },

        credentialOf: (principal) => credentials.get(principal),

        watch(principal, onEnd) {
            const credential = credentials.get(principal);
            const watcher: Watcher = { username: principal.username, credential: credential ?? { kind: 'apiKey', apiKeyId: '' }, onEnd };
            watchers.add(watcher);
            if (!credential) {
                // Not a principal authenticate returned: nothing to keep it alive.
                queueMicrotask(() => endWatch(watcher));
            } else {
                recheck(watcher);
            }
            return () => {
                watchers.delete(watcher);
                clearTimeout(watcher.timer);
            };
        },

        createApiKey(principal, label, keyOptions = {}) {
            return audited(options.log, { action: 'create-api-key', actor: principal.username, target: principal.username, client: keyOptions.client, ...presented(principal), label }, async () => {
                const credential = credentials.get(principal);
                if (credential?.kind !== 'token') {
                    throw appError.forbidden('API keys are created with the bearer token of a password login, not with an API key');
                }
                if (!store.get(principal.username)) {
                    throw userGone();
                }
                const days = keyOptions.expiresInDays;
                if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
                    throw appError.invalid('expiresInDays must be a whole number of days from 1 to 3650');
                }
                const now = clock();
                const id = randomBytes(8).toString('hex');
                const secretPart = randomBytes(32).toString('base64url');
                const expiresAt = days === undefined ? undefined : new Date(now.getTime() + days * 86_400_000).toISOString();
                const key: StoredApiKey = { id, label, secretHash: sha256(secretPart), createdAt: now.toISOString(), ...(expiresAt ? { expiresAt } : {}) };
                await save(principal.username, (current) => {
                    if (!current) {
                        throw userGone();
                    }
                    return { ...current, apiKeys: [...current.apiKeys, key] };
                });
                return { id, apiKey: `xl_${id}_${secretPart}`, label, ...(expiresAt ? { expiresAt } : {}) };
            }, (key) => ({ apiKeyId: key.id, ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}) }));
        },

        listApiKeys(principal) {
            const user = store.get(principal.username);
            if (!user) {
                throw userGone();
            }
            return user.apiKeys.map(keyViewOf);
        },

        deleteApiKey(principal, id, client) {
            return audited(options.log, { action: 'delete-api-key', actor: principal.username, target: principal.username, client, ...presented(principal), apiKeyId: id }, async () => {
                await save(principal.username, (user) => {
                    if (!user || !user.apiKeys.some((k) => k.id === id)) {
                        throw appError.notFound(`API key ${id} does not exist`);
                    }
                    return { ...user, apiKeys: user.apiKeys.filter((k) => k.id !== id) };
                });
            });
        },

        logout(principal, client) {
            return audited(options.log, { action: 'logout', actor: principal.username, target: principal.username, client, ...presented(principal) }, async () => {
                const credential = credentials.get(principal);
                if (credential?.kind !== 'token') {
                    throw appError.forbidden('signing out ends a bearer token; an API key stops working when it is deleted (DELETE /auth/api-keys/{id})');
                }
                await save(principal.username, (user) => {
                    if (!user) {
                        throw userGone();
                    }
                    const now = clock();
                    const ended = liveEnded(user, now);
                    const generation = user.tokenGeneration ?? 0;
                    if (generation !== credential.generation || credential.expiresAt.getTime() <= now.getTime() || ended.some((e) => e.id === credential.tokenId)) {
                        // The token has already stopped working.
                        return user;
                    }
                    if (ended.length >= MAX_ENDED_TOKENS) {
                        return { ...user, tokenGeneration: generation + 1, tokensEndedBy: 'sign-out', endedTokens: undefined };
                    }
                    return { ...user, endedTokens: [...ended, { id: credential.tokenId, expiresAt: credential.expiresAt.toISOString() }] };
                });
            });
        },

        changePassword(principal, currentPassword, newPassword, client) {
            return audited(options.log, { action: 'change-password', actor: principal.username, target: principal.username, client, ...presented(principal) }, async () => {
                checkPasswordRule(principal.username, newPassword, 'newPassword');
                if (newPassword === currentPassword) {
                    throw appError.invalid('newPassword must differ from currentPassword');
                }
                countAttempt(client, principal.username);
                const user = store.get(principal.username);
                if (!user) {
                    throw userGone();
                }
                if (!(await checkPassword(currentPassword, user.passwordHash, client, principal.username))) {
                    throw appError.forbidden('currentPassword is not the password of this user');
                }
                limiter.reset(`${client}|${principal.username}`);
                clientLimiter.refund(client);
                const passwordHash = await gate.run(() => hashPassword(newPassword, options.passwordScrypt));
                // Changes of one user run one at a time; this one looks at the user as the changes before it left it
                // (a key, another password change, made while the hashes ran), so neither undoes the other.
                await save(principal.username, (latest) => {
                    if (!latest) {
                        throw userGone();
                    }
                    if (latest.passwordHash !== user.passwordHash) {
                        throw new AppError('CONFLICT', 'the password was changed by another request meanwhile');
                    }
                    // A new generation ends every token, so the ended ones need not be kept.
                    return { ...latest, passwordHash, passwordChangedAt: clock().toISOString(), tokenGeneration: (latest.tokenGeneration ?? 0) + 1, tokensEndedBy: 'password-change', endedTokens: undefined };
                });
            });
        },

        setDisabled(admin, username, disabled, client) {
            return audited(options.log, { action: disabled ? 'disable-user' : 'enable-user', actor: admin.username, target: username, client, ...presented(admin) }, async () => {
                if (admin.role !== 'platform-admin') {
                    throw appError.forbidden('only a platform admin disables or enables users');
                }
                if (disabled && username === admin.username) {
                    throw appError.invalid('a platform admin cannot disable itself');
                }
                let changed = false;
                const saved = await save(username, (user) => {
                    if (!user) {
                        throw appError.notFound(`user ${username} does not exist`);
                    }
                    if ((user.disabledAt !== undefined) === disabled) {
                        return user;
                    }
                    changed = true;
                    // Disabling moves the token generation on (ending every token, the ended ones too), so enabling
                    // again does not bring back earlier tokens.
                    return disabled ? { ...user, disabledAt: clock().toISOString(), tokenGeneration: (user.tokenGeneration ?? 0) + 1, tokensEndedBy: 'disabled', endedTokens: undefined } : { ...user, disabledAt: undefined };
                });
                return { account: accountOf(saved), changed };
            }, ({ changed }) => ({ changed })).then(({ account }) => account);
        },

        async passwordMatches(username, password) {
            const user = store.get(username);
            return user !== undefined && (await gate.run(() => verifyPassword(password, user.passwordHash)));
        },

        hashingLoad: () => gate.load(),

        async createUser(spec, creation = {}) {
            checkUsername(spec.username);
            if (!(ROLES as readonly string[]).includes(spec.role)) {
                throw appError.invalid(`role must be one of ${ROLES.join(', ')}`);
            }
            if (!ROLE_ORGS[spec.role].includes(spec.mspId)) {
                throw appError.invalid(`role ${spec.role} may not be held by an identity of ${spec.mspId}`);
            }
            checkPasswordRule(spec.username, spec.password);
            const taken = (): AppError => new AppError('ALREADY_EXISTS', `user ${spec.username} already exists`);
            if (store.get(spec.username)) {
                throw taken();
            }
            return creations.run(spec.username, async () => {
                if (store.get(spec.username)) {
                    throw taken();
                }
                const earlier = store.pending(spec.username);
                if (earlier && (earlier.role !== spec.role || earlier.enterpriseId !== spec.enterpriseId || earlier.mspId !== spec.mspId)) {
                    throw new AppError(
                        'ALREADY_EXISTS',
                        `user ${spec.username} does not exist, but its name is held by the identity ${spec.username} of ${earlier.mspId} enrolled for it as ${earlier.role} of ${earlier.enterpriseId} by a creation begun at ${earlier.since} that did not finish: create ${spec.username} as ${earlier.role} of ${earlier.enterpriseId} to finish it, or choose another user name`,
                    );
                }
                const user: StoredUser = {
                    username: spec.username,
                    role: spec.role,
                    enterpriseId: spec.enterpriseId,
                    mspId: spec.mspId,
                    passwordHash: await gate.run(() => hashPassword(spec.password, options.passwordScrypt)),
                    apiKeys: [],
                    createdAt: clock().toISOString(),
                };
                // Enrolment and beforeStore (the enrolment record) reach the CA and the ledger for good: only once
                // users.json holds the name as unfinished, so a folder that refuses writes leaves no record of a user
                // that was never made, and a creation cut off after enrolment leaves users.json naming its identity.
                const pending: PendingUser = { username: user.username, role: user.role, enterpriseId: user.enterpriseId, mspId: user.mspId, since: earlier?.since ?? user.createdAt };
                await store.beginPending(pending).catch((error: unknown) => {
                    throw appError.internal(`user ${spec.username} was not created: ${(error as Error).message}`, error);
                });
                try {
                    await options.enroll(principalOf(user));
                } catch (error) {
                    // Nothing enrolled by this creation: the name is free again, unless an earlier one left an identity.
                    if (!earlier) {
                        await store.dropPending(spec.username).catch(() => undefined);
                    }
                    throw error;
                }
                await creation.beforeStore?.(principalOf(user));
                await store.update(spec.username, (current) => {
                    if (current) {
                        throw taken();
                    }
                    return user;
                });
                return viewOf(user);
            });
        },

        getUser(username) {
            const user = store.get(username);
            return user ? viewOf(user) : undefined;
        },

        listUsers: () => store.list().map(accountOf),

        unfinishedUsers: () => store.listPending().map((pending) => ({ ...pending })),
    };
}
