import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { ROLES, ROLE_ORGS, Role } from '@xinlian/chaincode';
import type { ScryptParameters } from '../config';
import { AppError, appError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import { writeFileAtomic } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { hashPassword, verifyPassword } from './password';
import { RateLimiter, newRateLimiter } from './rate-limiter';
import { issueToken, verifyToken } from './tokens';
import { StoredUser, UserStore, openUserStore } from './user-store';

/** The authenticated caller of a request. It is always read from the user store, never from input. */
export type Principal = LedgerUser;

/** What the API shows of a user. */
export interface UserView {
    readonly username: string;
    readonly role: Role;
    readonly enterpriseId: string;
    readonly mspId: string;
}

/** What the API shows of an API key: never its secret nor the secret's hash. */
export interface ApiKeyView {
    readonly id: string;
    readonly label: string;
    readonly createdAt: string;
}

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
    readonly loginAttempts: number;
    readonly loginWindowSeconds: number;
    /** Enrolls the user's ledger identity (wallet); called before the user is stored. */
    readonly enroll: (user: LedgerUser) => Promise<void>;
    readonly clock?: () => Date;
}

export interface AuthService {
    /** Checks a password and issues a token. Throws UNAUTHENTICATED, RATE_LIMITED. */
    login(username: string, password: string, client: string): Promise<{ token: string; expiresAt: string; user: UserView }>;
    /** Resolves an Authorization header value. Throws UNAUTHENTICATED. */
    authenticate(authorization: string | undefined): Promise<Principal>;
    /** Creates an API key for the principal; the secret is returned once. */
    createApiKey(principal: Principal, label: string): Promise<{ id: string; apiKey: string; label: string }>;
    /** The principal's own API keys, without their secrets. Throws UNAUTHENTICATED when the user no longer exists. */
    listApiKeys(principal: Principal): ApiKeyView[];
    /** Deletes one of the principal's own API keys. Throws NOT_FOUND. */
    deleteApiKey(principal: Principal, id: string): Promise<void>;
    /**
     * Creates a user and enrolls its identity; creations of one user name run one at a time, so only
     * the first succeeds. Throws INVALID_ARGUMENT, ALREADY_EXISTS, or what enrolment throws.
     */
    createUser(user: NewUser): Promise<UserView>;
    getUser(username: string): UserView | undefined;
    listUsers(): UserView[];
}

const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;
const API_KEY = /^xl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function viewOf(user: StoredUser): UserView {
    return { username: user.username, role: user.role, enterpriseId: user.enterpriseId, mspId: user.mspId };
}

function sha256(text: string): string {
    return createHash('sha256').update(text).digest('hex');
}

function sameHex(a: string, b: string): boolean {
    const x = Buffer.from(a, 'hex');
    const y = Buffer.from(b, 'hex');
    return x.length === y.length && timingSafeEqual(x, y);
}

async function loadSecret(file: string): Promise<Buffer> {
    try {
        return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw error;
        }
        const secret = randomBytes(32);
        await writeFileAtomic(file, secret.toString('base64'));
        return secret;
    }
}

/** Opens the user store and token secret in `options.directory`. */
export async function openAuthService(options: AuthServiceOptions): Promise<AuthService> {
    const store: UserStore = await openUserStore(options.directory);
    const secret = await loadSecret(path.join(options.directory, 'token-secret'));
    const limiter: RateLimiter = newRateLimiter(options.loginAttempts, options.loginWindowSeconds);
    const clock = options.clock ?? (() => new Date());
    // A hash to compare against for unknown users, so timing does not reveal which names exist.
    const decoy = await hashPassword(randomBytes(16).toString('hex'), options.passwordScrypt);
    const principalOf = (user: StoredUser): Principal => ({ username: user.username, role: user.role, enterpriseId: user.enterpriseId, mspId: user.mspId });
    // Checking that a name is free, enrolling it and storing it is one step per name: a concurrent
    // creation of the same name waits for it, then finds the name taken (or free, if it failed).
    const creations = newKeyedLock();

    return {
        async login(username, password, client) {
            const key = `${client}|${username}`;
            const wait = limiter.hit(key, clock());
            if (wait > 0) {
                throw new AppError('RATE_LIMITED', 'too many login attempts; try again later', { retryAfter: wait });
            }
            const user = store.get(username);
            const ok = await verifyPassword(password, user?.passwordHash ?? decoy);
            if (!user || !ok) {
                throw appError.unauthenticated('unknown user name or wrong password');
            }
            limiter.reset(key);
            const { token, expiresAt } = issueToken(secret, user.username, clock(), options.tokenTtlSeconds);
            return { token, expiresAt: expiresAt.toISOString(), user: viewOf(user) };
        },

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
                if (!user) {
                    throw appError.unauthenticated(API_KEY.test(credential) ? 'this is an API key: send it as "Authorization: ApiKey <key>"' : 'the token is invalid or expired');
                }
                return principalOf(user);
            }
            if (scheme === 'apikey') {
                const match = API_KEY.exec(credential);
                const user = match ? store.byApiKeyId(match[1]) : undefined;
                const stored = user?.apiKeys.find((k) => k.id === match?.[1]);
                if (!user || !stored || !match || !sameHex(stored.secretHash, sha256(match[2]))) {
                    throw appError.unauthenticated('the API key is invalid');
                }
                return principalOf(user);
            }
            throw appError.unauthenticated('the Authorization scheme must be Bearer or ApiKey');
        },

        async createApiKey(principal, label) {
            const user = store.get(principal.username);
            if (!user) {
                throw appError.unauthenticated('the user no longer exists');
            }
            const id = randomBytes(8).toString('hex');
            const secretPart = randomBytes(32).toString('base64url');
            const key = { id, label, secretHash: sha256(secretPart), createdAt: clock().toISOString() };
            await store.put({ ...user, apiKeys: [...user.apiKeys, key] });
            return { id, apiKey: `xl_${id}_${secretPart}`, label };
        },

        listApiKeys(principal) {
            const user = store.get(principal.username);
            if (!user) {
                throw appError.unauthenticated('the user no longer exists');
            }
            return user.apiKeys.map((key) => ({ id: key.id, label: key.label, createdAt: key.createdAt }));
        },

        async deleteApiKey(principal, id) {
            const user = store.get(principal.username);
            if (!user || !user.apiKeys.some((k) => k.id === id)) {
                throw appError.notFound(`API key ${id} does not exist`);
            }
            await store.put({ ...user, apiKeys: user.apiKeys.filter((k) => k.id !== id) });
        },

        async createUser(spec) {
            if (!USERNAME.test(spec.username)) {
                throw appError.invalid('username must be 2..32 lower-case letters, digits, . _ - starting with a letter');
            }
            if (!(ROLES as readonly string[]).includes(spec.role)) {
                throw appError.invalid(`role must be one of ${ROLES.join(', ')}`);
            }
            if (!ROLE_ORGS[spec.role].includes(spec.mspId)) {
                throw appError.invalid(`role ${spec.role} may not be held by an identity of ${spec.mspId}`);
            }
            if (spec.password.length < 8) {
                throw appError.invalid('password must have at least 8 characters');
            }
            const taken = (): AppError => new AppError('ALREADY_EXISTS', `user ${spec.username} already exists`);
            if (store.get(spec.username)) {
                throw taken();
            }
            return creations.run(spec.username, async () => {
                if (store.get(spec.username)) {
                    throw taken();
                }
                const user: StoredUser = {
                    username: spec.username,
                    role: spec.role,
                    enterpriseId: spec.enterpriseId,
                    mspId: spec.mspId,
                    passwordHash: await hashPassword(spec.password, options.passwordScrypt),
                    apiKeys: [],
                    createdAt: clock().toISOString(),
                };
                await options.enroll(principalOf(user));
                await store.put(user);
                return viewOf(user);
            });
        },

        getUser(username) {
            const user = store.get(username);
            return user ? viewOf(user) : undefined;
        },

        listUsers: () => store.list().map(viewOf),
    };
}
