import * as path from 'path';
import type { Role } from '@xinlian/chaincode';
import { appError } from '../errors';
import { readJsonFile, removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';

/** An API key as stored: only the SHA-256 of its secret. */
export interface StoredApiKey {
    readonly id: string;
    readonly label: string;
    readonly secretHash: string;
    readonly createdAt: string;
    /** When the key stops working (ISO 8601); absent: when it is deleted. */
    readonly expiresAt?: string;
}

/** A gateway user: one role for one enterprise, with an enrolled ledger identity of the same name. */
export interface StoredUser {
    readonly username: string;
    readonly role: Role;
    readonly enterpriseId: string;
    readonly mspId: string;
    readonly passwordHash: string;
    readonly apiKeys: readonly StoredApiKey[];
    readonly createdAt: string;
    /**
     * Moves on when the password changes, the user is disabled, or a sign-out finds MAX_ENDED_TOKENS (auth-service.ts)
     * kept: tokens of an earlier generation are refused. Absent: 0.
     */
    readonly tokenGeneration?: number;
    /** What last moved the token generation on, so a refused token is told why. Absent: a password change (older files). */
    readonly tokensEndedBy?: TokensEndedBy;
    readonly passwordChangedAt?: string;
    /** Set while the user is disabled: it cannot log in, and its tokens and API keys are refused. */
    readonly disabledAt?: string;
    /** Tokens of the current generation ended by signing out, until their expiry (at most MAX_ENDED_TOKENS of auth-service.ts). */
    readonly endedTokens?: readonly EndedToken[];
}

/** What ended every token of a user: a password change, disabling the user, or a sign-out when too many were kept. */
export type TokensEndedBy = 'password-change' | 'disabled' | 'sign-out';

/** A bearer token ended by signing out, remembered until it would have expired anyway. */
export interface EndedToken {
    /** The token's id: the first 32 hex digits of its SHA-256 (the token itself is never stored). */
    readonly id: string;
    /** The token's own expiry (ISO 8601): after it, the entry is dropped. */
    readonly expiresAt: string;
}

/**
 * A user name whose creation began and has not finished: its ledger identity may be enrolled (for this
 * role, enterprise and organisation) while users.json holds no user of the name. It is no user: it
 * cannot log in and is not listed. Left behind by a creation cut off after enrolment (users.json could
 * not take the user, the ledger did not record the enrolment, the gateway stopped), it keeps the name for
 * that identity: only the same creation again may finish it.
 */
export interface PendingUser {
    readonly username: string;
    readonly role: Role;
    readonly enterpriseId: string;
    readonly mspId: string;
    /** When the first creation of it began (ISO 8601). */
    readonly since: string;
}

/**
 * A pending user as users.json holds it: an entry an older gateway reads as a disabled user without a
 * password (nobody logs in as it), which this one tells apart by `pendingSince`.
 */
interface StoredPendingUser extends StoredUser {
    readonly pendingSince: string;
}

/**
 * Users kept in one JSON file of the data directory, rewritten atomically on each change. A change
 * takes effect only once the file holds it: what `get` and `list` return is always what is on disk.
 */
export interface UserStore {
    /** A user (never a pending one). */
    get(username: string): StoredUser | undefined;
    /** The users (never the pending ones), by name. */
    list(): StoredUser[];
    /**
     * Changes one user. `change` gets the user as stored now (undefined: there is none; a pending user is
     * none) and returns it changed, or `current` itself to leave everything as it is (nothing is written
     * then). A user written in place of a pending one of its name ends the pending one. Changes run one at
     * a time, each on what the one before left, so concurrent changes of one user lose nothing. Throws what
     * `change` throws, or INTERNAL when users.json cannot be written: then nothing changed, and the next
     * change writes the whole file again.
     */
    update(username: string, change: (current: StoredUser | undefined) => StoredUser): Promise<StoredUser>;
    /** The pending user of a name, if any. */
    pending(username: string): PendingUser | undefined;
    /** The pending users, by name. */
    listPending(): PendingUser[];
    /**
     * Records a pending user (replacing a pending one of its name), in turn with the changes: written
     * before its identity is enrolled, so a creation cut off after enrolment leaves the record of that
     * identity, and proving users.json can be written now. Throws INTERNAL when it cannot be written, or
     * when a user of the name exists.
     */
    beginPending(user: PendingUser): Promise<void>;
    /** Drops the pending user of a name (a creation that enrolled nothing), if any. Throws INTERNAL when users.json cannot be written. */
    dropPending(username: string): Promise<void>;
    /** The user owning an API key id. */
    byApiKeyId(id: string): StoredUser | undefined;
}

/** Options of openUserStore. */
export interface UserStoreOptions {
    /** Told of a temporary file of users.json, left by a stopped gateway, that could not be judged or deleted when the store opened. */
    readonly onCleanupError?: (error: unknown) => void;
}

const USERS_FILE = 'users.json';

function byName<T extends { readonly username: string }>(entries: Iterable<T>): T[] {
    return [...entries].sort((a, b) => a.username.localeCompare(b.username));
}

function storedPending(user: PendingUser): StoredPendingUser {
    return { ...user, passwordHash: '', apiKeys: [], createdAt: user.since, disabledAt: user.since, pendingSince: user.since };
}

function pendingOf(stored: StoredPendingUser): PendingUser {
    return { username: stored.username, role: stored.role, enterpriseId: stored.enterpriseId, mspId: stored.mspId, since: stored.pendingSince };
}

/** Opens users.json in `directory`, first deleting the temporary files of its writes that a stopped gateway left behind. */
export async function openUserStore(directory: string, options: UserStoreOptions = {}): Promise<UserStore> {
    const file = path.join(directory, USERS_FILE);
    // Before the first write: a temporary file named with this process's pid is then an earlier process's.
    await removeStaleTemporaryFiles(directory, { owns: (written) => written === USERS_FILE, onError: options.onCleanupError });
    const entries = (await readJsonFile<(StoredUser | StoredPendingUser)[]>(file)) ?? [];
    // The users and pending users as users.json holds them; each replaced as a whole once a change is written.
    let users: ReadonlyMap<string, StoredUser> = new Map(entries.filter((entry) => !('pendingSince' in entry)).map((user) => [user.username, user]));
    let pendings: ReadonlyMap<string, PendingUser> = new Map(entries.filter((entry): entry is StoredPendingUser => 'pendingSince' in entry).map((stored) => [stored.username, pendingOf(stored)]));
    // The tail of the changes waiting to run; a failed change does not hold up the next.
    let queue: Promise<unknown> = Promise.resolve();
    /** Runs `work` after the changes queued before it. */
    const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
        const run = queue.then(work);
        queue = run.catch(() => undefined);
        return run;
    };
    /** Writes users.json as `nextUsers` and `nextPendings`, then makes them the store's. Throws INTERNAL naming `what`. */
    const write = async (nextUsers: ReadonlyMap<string, StoredUser>, nextPendings: ReadonlyMap<string, PendingUser>, what: string): Promise<void> => {
        try {
            await writeFileAtomic(file, JSON.stringify(byName<StoredUser>([...nextUsers.values(), ...[...nextPendings.values()].map(storedPending)]), null, 2));
        } catch (error) {
            throw appError.internal(`${what}: ${file} could not be written (${(error as Error).message})`, error);
        }
        users = nextUsers;
        pendings = nextPendings;
    };
    return {
        get: (username) => users.get(username),
        list: () => byName(users.values()),
        pending: (username) => pendings.get(username),
        listPending: () => byName(pendings.values()),
        beginPending: (user) =>
            inTurn(async () => {
                if (users.has(user.username)) {
                    throw appError.internal(`user ${user.username} exists already: its creation cannot begin`);
                }
                await write(users, new Map(pendings).set(user.username, user), `the creation of user ${user.username} did not begin`);
            }),
        dropPending: (username) =>
            inTurn(async () => {
                if (!pendings.has(username)) {
                    return;
                }
                const remaining = new Map(pendings);
                remaining.delete(username);
                await write(users, remaining, `the unfinished creation of user ${username} was not dropped`);
            }),
        update: (username, change) =>
            inTurn(async () => {
                const current = users.get(username);
                const next = change(current);
                if (next === current) {
                    return next;
                }
                if (next.username !== username) {
                    throw appError.internal(`a change of user ${username} returned user ${next.username}`);
                }
                const remaining = new Map(pendings);
                remaining.delete(username);
                await write(new Map(users).set(username, next), remaining, `the change of user ${username} was not made`);
                return next;
            }),
        byApiKeyId(id) {
            for (const user of users.values()) {
                if (user.apiKeys.some((key) => key.id === id)) {
                    return user;
                }
            }
            return undefined;
        },
    };
}
