import type { ApiClient } from '../api-client';
import type { Enterprise, LedgerEvent, Role, User } from '../resources';

/** Names of enterprises by id, loaded once per session. */
export interface Directory {
    name(id: string | undefined): string;
    get(id: string): Enterprise | undefined;
    ofKind(kind: Enterprise['kind']): Enterprise[];
    all(): Enterprise[];
}

/** The global progress indicator; `start` returns the function that ends this piece of work. */
export interface Progress {
    start(label: string): () => void;
}

/** What every view receives. */
export interface AppContext {
    readonly api: ApiClient;
    /** The signed-in user; undefined on public pages. */
    readonly user: User | undefined;
    readonly directory: Directory;
    /** Route parameters and query values. */
    readonly params: Readonly<Record<string, string>>;
    readonly progress: Progress;
    /** Events received since sign-in, newest first. */
    readonly events: readonly LedgerEvent[];
    /** The ledger's current time, estimated from the browser's clock and the offset the gateway reported. */
    now(): Date;
    /** Why the user's own enterprise cannot act (frozen by the regulator), or undefined when it can. */
    readonly frozenReason: string | undefined;
    navigate(path: string): void;
    /** Renders the current view again (after a change); settles when the page is on screen. */
    rerender(): Promise<void> | void;
    toast(message: string, kind?: 'ok' | 'error'): void;
}

/** A view renders into its own element; it may render asynchronously. */
export type View = (ctx: AppContext) => Promise<Node> | Node;

/** A routed page: path pattern (`/notes/:id`), nav label, who may see it. */
export interface Route {
    readonly path: string;
    readonly title: string;
    readonly view: View;
    /** Roles that may open it; undefined: every signed-in user. `public`: no sign-in needed. */
    readonly roles?: readonly Role[];
    readonly public?: boolean;
    /** Shown in the navigation (default true). */
    readonly nav?: boolean;
}
