/**
 * A fixed-window counter per key (client address + user name, or client address alone, for logins).
 * In memory: limits are per gateway process, which is what protects its password hashing from being
 * used as a DoS.
 */
export interface RateLimiter {
    /** Counts one attempt; returns the seconds to wait when the limit is exceeded, else 0. */
    hit(key: string, now: Date): number;
    /** Forgets a key (after a successful login). */
    reset(key: string): void;
    /** Takes back one attempt of the key's current window (one that turned out not to count). */
    refund(key: string): void;
}

export function newRateLimiter(limit: number, windowSeconds: number): RateLimiter {
    const windows = new Map<string, { start: number; count: number }>();
    const windowMs = windowSeconds * 1000;
    return {
        hit(key, now) {
            const t = now.getTime();
            if (windows.size > 10_000) {
                for (const [k, w] of windows) {
                    if (t - w.start >= windowMs) {
                        windows.delete(k);
                    }
                }
            }
            let window = windows.get(key);
            if (!window || t - window.start >= windowMs) {
                window = { start: t, count: 0 };
                windows.set(key, window);
            }
            window.count++;
            return window.count > limit ? Math.max(1, Math.ceil((window.start + windowMs - t) / 1000)) : 0;
        },
        reset(key) {
            windows.delete(key);
        },
        refund(key) {
            const window = windows.get(key);
            if (window && window.count > 0) {
                window.count--;
            }
        },
    };
}
