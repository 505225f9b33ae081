import { countOf } from './format';

/**
 * The session's lifetime as this browser sees it, and what the user typed when it ended.
 *
 * A bearer token lives GATEWAY_TOKEN_TTL (15 minutes by default) and the gateway has no way to
 * extend one: staying signed in means signing in again. The shell warns shortly before the token
 * ends and offers to sign in again on the spot; when it has ended, the page stays as it is under a
 * sign-in dialog for the same user. The values typed into its forms are also kept in this tab's
 * sessionStorage (never passwords, secrets or chosen files), so that signing in again after a
 * reload brings them back on the same page — for the same user only: anyone else signing in
 * discards them.
 */

/** The longest a warning comes before the session ends. */
export const SESSION_WARNING_MS = 2 * 60_000;

/** The sessionStorage key of the values kept when a session ended. */
export const DRAFTS_KEY = 'xinlian.drafts';

/**
 * When, by this browser's clock (ms since the epoch), a token that expires at `expiresAt` by the
 * gateway's clock ends: `serverOffsetMs` is the gateway's clock minus the browser's (from a Date
 * header). Undefined when either is unknown — the gateway's 401 then says it.
 */
export function localExpiry(expiresAt: string | undefined, serverOffsetMs: number | undefined): number | undefined {
    const at = expiresAt ? Date.parse(expiresAt) : Number.NaN;
    return Number.isNaN(at) || serverOffsetMs === undefined ? undefined : at - serverOffsetMs;
}

/** How long before the end of a session with `remainingMs` left to warn: two minutes, or a quarter of a shorter remainder. */
export function warningLeadMs(remainingMs: number): number {
    return Math.max(0, Math.min(SESSION_WARNING_MS, Math.floor(remainingMs / 4)));
}

/** Time left, in words, rounded up to the minute: "2 minutes", "1 minute", "less than a minute". */
export function timeLeftText(ms: number): string {
    if (ms < 60_000) {
        return 'less than a minute';
    }
    return countOf(Math.ceil(ms / 60_000), 'minute');
}

/** One control's typed value, known by its form (or nearest identified element) and its name. */
export interface DraftField {
    key: string;
    value: string;
}

/** What the user had typed on a page when the session ended. */
export interface Drafts {
    username: string;
    /** The page's address (its hash, "#/credit-lines"). */
    page: string;
    fields: DraftField[];
    /** Chosen files that could not be kept (a browser does not let a page set a file input). */
    files: number;
}

/** What describes a control for deciding whether its value may be kept. */
export interface ControlTraits {
    type?: string;
    name?: string;
    autocomplete?: string;
    label?: string;
}

const SECRET_NAME = /pass(word|phrase)|secret|token|api[-_ ]?key|private[-_ ]?key|mnemonic|otp/i;

/** Whether a control's value may be kept in the tab's storage: never a password, a secret, a one-time code or a file. */
export function mayKeep(control: ControlTraits): boolean {
    const type = (control.type ?? 'text').toLowerCase();
    if (type === 'password' || type === 'file' || type === 'hidden') {
        return false;
    }
    if (/password|one-time-code|cc-/i.test(control.autocomplete ?? '')) {
        return false;
    }
    return !SECRET_NAME.test(control.name ?? '') && !SECRET_NAME.test(control.label ?? '');
}

/** Keeps `drafts` in `storage` (replacing any kept before); nothing typed: nothing kept. */
export function saveDrafts(storage: Storage, drafts: Drafts): void {
    if (drafts.fields.length === 0 && drafts.files === 0) {
        storage.removeItem(DRAFTS_KEY);
        return;
    }
    storage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
}

/** The user name the kept values belong to, if any are kept (to say on the sign-in page whose they are). */
export function draftsOwner(storage: Storage): string | undefined {
    return readDrafts(storage)?.username;
}

/**
 * Takes the kept values out of `storage` for `username` on `page`: returned only to the user who
 * typed them, on the page they were typed on; kept values of anyone else are discarded.
 */
export function takeDrafts(storage: Storage, username: string, page: string): Drafts | undefined {
    const drafts = readDrafts(storage);
    if (!drafts) {
        return undefined;
    }
    if (drafts.username !== username) {
        storage.removeItem(DRAFTS_KEY);
        return undefined;
    }
    storage.removeItem(DRAFTS_KEY);
    // Signing in again returns to the page it ended on; on another page the values have no form to go to.
    return drafts.page === page ? drafts : undefined;
}

/** Forgets the kept values (signed out, or back on the page that still shows them). */
export function discardDrafts(storage: Storage): void {
    storage.removeItem(DRAFTS_KEY);
}

function readDrafts(storage: Storage): Drafts | undefined {
    const text = storage.getItem(DRAFTS_KEY);
    if (!text) {
        return undefined;
    }
    try {
        const value = JSON.parse(text) as Partial<Drafts>;
        if (typeof value.username === 'string' && typeof value.page === 'string' && Array.isArray(value.fields)) {
            const fields = value.fields.filter((f): f is DraftField => !!f && typeof (f as DraftField).key === 'string' && typeof (f as DraftField).value === 'string');
            return { username: value.username, page: value.page, fields, files: typeof value.files === 'number' ? value.files : 0 };
        }
    } catch {
        // unreadable: nothing kept
    }
    storage.removeItem(DRAFTS_KEY);
    return undefined;
}
