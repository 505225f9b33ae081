import * as path from 'path';
import type { Role } from '@xinlian/chaincode';
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
}

/** Users kept in one JSON file of the data directory, rewritten atomically on each change. */
export interface UserStore {
    get(username: string): StoredUser | undefined;
    list(): StoredUser[];
    /** Inserts or replaces a user. */
    put(user: StoredUser): Promise<void>;
    /** The user owning an API key id. */
    byApiKeyId(id: string): StoredUser | undefined;
}

export async function openUserStore(directory: string): Promise<UserStore> {
    const file = path.join(directory, 'users.json');
    const users = new Map<string, StoredUser>();
    for (const user of (await readJsonFile<StoredUser[]>(file)) ?? []) {
        users.set(user.username, user);
    }
    let writing: Promise<void> = Promise.resolve();
    const persist = (): Promise<void> => {
        const snapshot = JSON.stringify([...users.values()].sort((a, b) => a.username.localeCompare(b.username)), null, 2);
        writing = writing.then(() => writeFileAtomic(file, snapshot));
        return writing;
    };
    return {
        get: (username) => users.get(username),
        list: () => [...users.values()].sort((a, b) => a.username.localeCompare(b.username)),
        async put(user) {
            users.set(user.username, user);
            await persist();
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
