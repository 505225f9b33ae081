import { platformUnreachable } from './api-client';
import type { BureauKey } from './resources';

/**
 * The credit-bureau keys a passport is checked against. Online they are read afresh for every check
 * (a key generated or revoked while a page is open must count at once); each read is remembered in
 * the browser with the time it was made, so that with no network a passport can still be checked —
 * against the keys as last published, saying how old they are (DESIGN 5.6: no network needed).
 */

/** Where the last published keys are kept (localStorage in the browser). */
export interface KeyStore {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
}

export const ISSUER_KEYS_STORAGE_KEY = 'xinlian.issuer-keys';

/** The keys a check uses: read just now (`fresh`), or remembered from `fetchedAt` because the platform could not be reached. */
export interface IssuerKeys {
    readonly keys: readonly BureauKey[];
    /** ISO-8601: when these keys were read from the platform. */
    readonly fetchedAt: string;
    readonly fresh: boolean;
}

/** The keys last read and remembered, or undefined. */
export function rememberedKeys(store: KeyStore): { keys: BureauKey[]; fetchedAt: string } | undefined {
    try {
        const saved = JSON.parse(store.getItem(ISSUER_KEYS_STORAGE_KEY) ?? 'null') as { keys?: unknown; fetchedAt?: unknown } | null;
        if (saved && Array.isArray(saved.keys) && typeof saved.fetchedAt === 'string') {
            return { keys: saved.keys as BureauKey[], fetchedAt: saved.fetchedAt };
        }
    } catch {
        // unreadable: as if nothing were remembered
    }
    return undefined;
}

/** Thrown when the platform cannot be reached and no keys were ever remembered. */
export class NoIssuerKeysError extends Error {
    constructor() {
        super('The platform cannot be reached, and this browser has not read the published issuer keys before: open this page once with a network connection, then passports can be checked offline.');
        this.name = 'NoIssuerKeysError';
    }
}

/**
 * The issuer keys for a check at `now`: read with `load` unless `online` is false, and remembered;
 * when the platform cannot be reached, the remembered ones. Throws what `load` throws for any other
 * failure, and NoIssuerKeysError when offline with nothing remembered.
 */
export async function issuerKeysNow(load: () => Promise<readonly BureauKey[]>, store: KeyStore, now: Date, online = true): Promise<IssuerKeys> {
    if (online) {
        try {
            const keys = await load();
            const fetchedAt = now.toISOString();
            try {
                store.setItem(ISSUER_KEYS_STORAGE_KEY, JSON.stringify({ keys, fetchedAt }));
            } catch {
                // storage full or refused: the check itself is unaffected
            }
            return { keys, fetchedAt, fresh: true };
        } catch (error) {
            if (!platformUnreachable(error)) {
                throw error;
            }
        }
    }
    const saved = rememberedKeys(store);
    if (!saved) {
        throw new NoIssuerKeysError();
    }
    return { keys: saved.keys, fetchedAt: saved.fetchedAt, fresh: false };
}

/** How long ago `fetchedAt` was, in words ("5 minutes", "3 hours", "2 days"). */
export function ageText(fetchedAt: string, now: Date): string {
    const minutes = Math.max(0, Math.floor((now.getTime() - new Date(fetchedAt).getTime()) / 60_000));
    if (minutes < 1) {
        return 'less than a minute';
    }
    if (minutes < 120) {
        return `${minutes} minute${minutes === 1 ? '' : 's'}`;
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 48) {
        return `${hours} hours`;
    }
    return `${Math.floor(hours / 24)} days`;
}
