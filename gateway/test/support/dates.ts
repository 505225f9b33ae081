const DAY_MS = 86_400_000;

/** The calendar date (UTC, YYYY-MM-DD) `daysFromNow` days from now by this machine's clock. */
export function isoDate(daysFromNow: number): string {
    return new Date(new Date().getTime() + daysFromNow * DAY_MS).toISOString().slice(0, 10);
}
