import * as path from 'path';
import type { Role } from '@xinlian/chaincode';
import { appError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';

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
    /** Moves on when the password changes or the user is disabled: tokens of an earlier generation are refused. Absent: 0. */
    readonly tokenGeneration?: number;
    readonly passwordChangedAt?: string;
    /** Set while the user is disabled: it cannot log in, and its tokens and API keys are refused. */
    readonly disabledAt?: string;
    /** Tokens of the current generation ended by signing out, until their expiry (at most MAX_ENDED_TOKENS of auth-service.ts). */
    readonly endedTokens?: readonly EndedToken[];
}

/** A bearer token ended by signing out, remembered until it would have expired anyway. */
export interface EndedToken {
    /** The token's id: the first 32 hex digits of its SHA-256 (the token itself is never stored). */
    readonly id: string;
    /** The token's own expiry (ISO 8601): after it, the entry is dropped. */
    readonly expiresAt: string;
}

/**
 * Users kept in one JSON file of the data directory, rewritten atomically on each change. A change
 * takes effect only once the file holds it: what `get` and `list` return is always what is on disk.
 */
export interface UserStore {
    get(username: string): StoredUser | undefined;
    list(): StoredUser[];
    /**
     * Changes one user. `change` gets the user as stored now (undefined: there is none) and returns
     * it changed, or `current` itself to leave everything as it is (nothing is written then).
     * Changes run one at a time, each on what the one before left, so concurrent changes of one
     * user lose nothing. Throws what `change` throws, or INTERNAL when users.json cannot be written:
     * then nothing changed, and the next change writes the whole file again.
     */
    update(username: string, change: (current: StoredUser | undefined) => StoredUser): Promise<StoredUser>;
    /**
     * Writes users.json again as it is, in turn with the changes: proves the file can be written now,
     * before a change that needs something done elsewhere first (a user's enrolment, recorded on the
     * ledger for good). Throws INTERNAL when it cannot be written.
     */
    probe(): Promise<void>;
    /** The user owning an API key id. */
    byApiKeyId(id: string): StoredUser | undefined;
}

function sorted(users: ReadonlyMap<string, StoredUser>): StoredUser[] {
    return [...users.values()].sort((a, b) => a.username.localeCompare(b.username));
}

export async function openUserStore(directory: string): Promise<UserStore> {
    const file = path.join(directory, 'users.json');
    // The users as users.json holds them; replaced as a whole once a change is written.
    let users: ReadonlyMap<string, StoredUser> = new Map(((await readJsonFile<StoredUser[]>(file)) ?? []).map((user) => [user.username, user]));
    // The tail of the changes waiting to run; a failed change does not hold up the next.
    let queue: Promise<unknown> = Promise.resolve();
    return {
        get: (username) => users.get(username),
        list: () => sorted(users),
        probe() {
            const run = queue.then(async () => {
                try {
                    await writeFileAtomic(file, JSON.stringify(sorted(users), null, 2));
                } catch (error) {
                    throw appError.internal(`${file} could not be written (${(error as Error).message})`, error);
                }
            });
            queue = run.catch(() => undefined);
            return run;
        },
        update(username, change) {
            const run = queue.then(async () => {
                const current = users.get(username);
                const next = change(current);
                if (next === current) {
                    return next;
                }
                if (next.username !== username) {
                    throw appError.internal(`a change of user ${username} returned user ${next.username}`);
                }
                const changed = new Map(users).set(username, next);
                try {
                    await writeFileAtomic(file, JSON.stringify(sorted(changed), null, 2));
                } catch (error) {
                    throw appError.internal(`the change of user ${username} was not made: ${file} could not be written (${(error as Error).message})`, error);
                }
                users = changed;
                return next;
            });
            queue = run.catch(() => undefined);
            return run;
        },
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
