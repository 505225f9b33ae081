import { signInRefusal } from './account-rules';
import { ApiClient, ApiError, platformUnreachable } from './api-client';
import { h, replaceChildren } from './dom';
import { formatDateTime, langText } from './format';
import { applyDrafts, captureDrafts, limitInputs, planRefresh, recordRenderedState } from './form-state';
import { eventConcerns, eventPayload, isNewEvent } from './live-events';
import type { DemoAccounts, Enterprise, LedgerEvent, LoginResult, User } from './resources';
import {
    DraftField,
    PageDrafts,
    SessionEndReason,
    discardDrafts,
    draftsOwner,
    localExpiry,
    mergeDrafts,
    saveDrafts,
    sessionEndReason,
    sessionEndWords,
    takeDrafts,
    timeLeftText,
    warningLeadMs,
} from './session';
import type { AppContext, Directory, Progress, Route } from './views/context';
import { PASSWORD_CHANGED_EVENT } from './views/account-view';
import { eventList, roleName } from './views/profile-views';
import { ROUTES, matchRoute, parseHash } from './views/routes';
import { errorPanel, loading } from './views/ui';

/**
 * The application shell: sign-in, the session, navigation by role, the router, the live event
 * feed, progress and notifications. Views render into the main area. A new event that concerns
 * the user refreshes the page on screen (debounced), keeping what the user is typing.
 */

const SESSION_KEY = 'xinlian.session';
const MAX_EVENTS = 100;
/** Quiet time after the last of a burst of events before the page is refreshed. */
const LIVE_REFRESH_DEBOUNCE_MS = 400;
/** Without the ledger's height, the replay of past events is taken as over after this lull. */
const REPLAY_LULL_MS = 1500;
/** Redeemed notes tried, after the root, to learn the currency of a redemption event. */
const CURRENCY_PROBES = 10;
/** Events that change an enterprise's status. */
const STATUS_EVENTS = new Set(['FreezeEnterprise', 'UnfreezeEnterprise']);

const SESSION_EXPIRED = sessionEndWords('expired', '').notice;
/** The longest delay a browser timer takes (about 24.8 days); a later end is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How often the warning before the session ends says again how long is left. */
const WARNING_TICK_MS = 15_000;

/** What the sign-in page says first: why the session ended (an alert), or news such as a password change. */
interface LoginNotice {
    text: string;
    kind: 'expired' | 'info';
}

interface Session {
    token: string;
    user: User;
    /** When the token expires, by the gateway's clock (absent in sessions kept by older versions). */
    expiresAt?: string;
}

function newDirectory(enterprises: readonly Enterprise[]): Directory {
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    return {
        name: (id) => (id ? (byId.get(id)?.name ?? id) : '—'),
        get: (id) => byId.get(id),
        ofKind: (kind) => enterprises.filter((e) => e.kind === kind),
        all: () => [...enterprises],
    };
}

export class App {
    private readonly root: HTMLElement;
    private api: ApiClient;
    private user: User | undefined;
    private directory: Directory = newDirectory([]);
    private events: LedgerEvent[] = [];
    private feedAbort: AbortController | undefined;
    private renderSeq = 0;
    private busy = 0;
    private readonly progressBar: HTMLElement;
    private readonly toasts: HTMLElement;
    private main: HTMLElement | undefined;
    private feed: HTMLElement | undefined;
    private feedState: HTMLElement | undefined;
    private banner: HTMLElement | undefined;
    /** The user's own enterprise as last read (its status says whether it is frozen). */
    private ownEnterprise: Enterprise | undefined;
    /** The ledger's height when the feed connected: events in lower blocks are history. */
    private ledgerHeight: number | undefined;
    /** Fallback when the height is unknown: the feed is still replaying history. */
    private replaying = true;
    private replayTimer: ReturnType<typeof setTimeout> | undefined;
    private refreshTimer: ReturnType<typeof setTimeout> | undefined;
    /** Transaction ids of the events waiting for the debounced refresh (undefined: an event without one). */
    private readonly pendingTransactions = new Set<string | undefined>();
    /** The ledger's time minus the browser's, in ms (the ledger's clock may run ahead in demos). */
    private clockOffsetMs = 0;
    private rendering = 0;
    /** Currency of root notes, for redemption events whose payload names none (recorded before it did). */
    private readonly rootCurrencies = new Map<string, string>();
    private readonly resolvingCurrencies = new Set<string>();
    private readonly currencyOfRoot = (rootId: string): string | undefined => this.rootCurrencies.get(rootId);
    /** What the sign-in page says first (the session expired, the password changed), until the user signs in. */
    private loginNotice: LoginNotice | undefined;
    /** Follows the navigation's height for the live events below it (followNavHeight). */
    private navResize: ResizeObserver | undefined;
    /** The gateway's demo users (asked once, on the first sign-in page). */
    private demoAccounts: Promise<DemoAccounts | undefined> | undefined;
    /** Timers of the session's end and of the warning before it. */
    private sessionTimers: Array<ReturnType<typeof setTimeout>> = [];
    /** The session's token has ended; the page stays under the sign-in dialog until the same user signs in again. */
    private sessionEnded = false;
    /** The sign-in dialog over the page (the session ends soon, or has ended). */
    private sessionDialog: HTMLDialogElement | undefined;
    /** The warning that the session ends soon (in the shell, above the page). */
    private sessionWarning: HTMLElement | undefined;
    /** Puts kept values into the panels that hold them as they are opened again. */
    private draftObserver: MutationObserver | undefined;
    /** Kept values not yet put back (their panel is not open), of the page on screen. */
    private pendingDrafts: DraftField[] = [];
    /** What the user typed on the pages of this session and did not send, while other pages are visited. */
    private readonly pageDrafts = new PageDrafts();
    /** The address of the page on screen, once rendered (its values are kept when it is left). */
    private shownPage: string | undefined;
    /** Gives the text controls of panels opened later the maxlength the API documents. */
    private limitObserver: MutationObserver | undefined;
    /** Why the session ended (the gateway's 401 said it), while the page waits under the dialog. */
    private endReason: SessionEndReason = 'expired';

    constructor(root: HTMLElement, private readonly storage: Storage) {
        this.root = root;
        this.api = this.newClient();
        this.progressBar = h('div', { class: 'progress', id: 'progress', role: 'status', 'aria-live': 'polite', hidden: true });
        this.toasts = h('div', { class: 'toasts', id: 'toasts', 'aria-live': 'polite' });
    }

    private newClient(token?: string): ApiClient {
        // Only the client in use ends the session: a late 401 of a client already replaced (the
        // session signed out after a password change, say) must not overwrite what the page says.
        const api: ApiClient = new ApiClient({
            token,
            onUnauthenticated: (error) => {
                if (this.api === api) {
                    this.expire(sessionEndReason(error.reason));
                }
            },
        });
        return api;
    }

    /** Restores a session if there is one, then renders the current route. */
    async start(): Promise<void> {
        window.addEventListener('hashchange', () => void this.render());
        // The account page changed the password: every token of the user, this one too, has ended.
        window.addEventListener(PASSWORD_CHANGED_EVENT, (event) => {
            const notice = (event as CustomEvent<{ notice?: unknown }>).detail?.notice;
            this.signOut(undefined, false, typeof notice === 'string' ? { text: notice, kind: 'info' } : undefined);
        });
        const saved = this.storage.getItem(SESSION_KEY);
        if (saved) {
            let username = '';
            try {
                const session = JSON.parse(saved) as Session;
                username = session.user?.username ?? '';
                // Not this.api until the session is known good: a refusal here is handled below,
                // not by expire(), which would render the sign-in page a first time meanwhile.
                const api = this.newClient(session.token);
                this.user = await api.me();
                this.api = api;
                this.armSessionTimers(session.expiresAt, api.serverClockOffsetMs);
                await this.afterSignIn();
            } catch (error) {
                this.storage.removeItem(SESSION_KEY);
                this.user = undefined;
                this.api = this.newClient();
                // The page asked for stays in the address: signing in again returns to it.
                const reason = error instanceof ApiError && error.status === 401 ? sessionEndReason(error.reason) : 'expired';
                this.loginNotice = {
                    text: error instanceof ApiError && error.code !== 'NETWORK' ? (reason === 'expired' ? SESSION_EXPIRED : this.endedNotice(reason, username)) : 'Your session could not be restored; sign in again.',
                    kind: 'expired',
                };
            }
        }
        if (!this.user && this.loginNotice?.kind !== 'expired' && draftsOwner(this.storage)) {
            // The session ended with typed values kept, and the tab was reloaded since.
            this.loginNotice = { text: SESSION_EXPIRED, kind: 'expired' };
        }
        if (this.loginNotice?.text === SESSION_EXPIRED) {
            this.loginNotice = { text: this.expiredNotice(), kind: 'expired' };
        }
        if (!this.user) {
            // Public pages (the verify page opened from a QR code) judge validity by the ledger's time too.
            await this.syncLedgerClock(this.api);
        }
        await this.render();
        this.restoreDrafts();
    }

    private async afterSignIn(): Promise<void> {
        await this.syncLedgerClock(this.api);
        await this.loadDirectory();
        this.startFeed();
    }

    /** Learns the ledger's time (GET /health/ready) and keeps its offset from the browser's clock; returns the ledger's height. */
    private async syncLedgerClock(api: ApiClient): Promise<number | undefined> {
        const status = await api.ledgerStatus().catch(() => ({}) as { height?: number; time?: Date });
        if (status.time) {
            this.clockOffsetMs = status.time.getTime() - new Date().getTime();
        }
        return status.height;
    }

    /** Loads the enterprises, and the user's own one (GET /enterprises/{id}: status, statusReason). */
    private async loadDirectory(): Promise<void> {
        try {
            this.directory = newDirectory(await this.api.listEnterprises());
        } catch {
            this.directory = newDirectory([]);
        }
        const id = this.user?.enterpriseId;
        this.ownEnterprise = id ? await this.api.readEnterprise(id).catch(() => this.directory.get(id)) : undefined;
        this.renderBanner();
    }

    /**
     * The session expired or became invalid. With a page on screen, the page stays as it is — what
     * the user typed, open panels, chosen files — under a dialog to sign in again as the same user;
     * its typed values are also kept in the tab (captureDrafts) in case it is reloaded meanwhile.
     * Nothing refused for the ended session is sent again by itself. Without a page: back to
     * sign-in, saying so, on the same address (signing in returns to it).
     */
    private expire(reason: SessionEndReason = 'expired'): void {
        const user = this.user;
        const main = this.main;
        if (!user || !main) {
            this.loginNotice = { text: this.endedNotice(reason, user?.username ?? ''), kind: 'expired' };
            this.signOut(undefined, true);
            return;
        }
        if (this.sessionEnded) {
            // The session's end by the clock may come before a 401 that says more (the password changed).
            if (reason !== 'expired' && reason !== this.endReason) {
                this.endReason = reason;
                this.openSessionDialog('ended');
            }
            return;
        }
        this.endReason = reason;
        this.sessionEnded = true;
        this.clearSessionTimers();
        this.hideSessionWarning();
        this.feedAbort?.abort();
        this.feedAbort = undefined;
        clearTimeout(this.refreshTimer);
        this.pendingTransactions.clear();
        saveDrafts(this.storage, { username: user.username, page: window.location.hash || '#/', ...captureDrafts(main) });
        this.openSessionDialog('ended');
    }

    /** Ends the session; `notice` is what the sign-in page then says (kept as it is when the page is kept). */
    private signOut(message?: string, keepPage = false, notice?: LoginNotice): void {
        // A session still in force is ended on the gateway too, not only forgotten here; a refusal
        // (already ended) changes nothing, and comes from a client no longer in use, so it is ignored.
        const live = this.user && !this.sessionEnded && !keepPage ? this.api : undefined;
        void live?.logout().catch(() => undefined);
        if (!keepPage) {
            this.loginNotice = notice;
            // Signed out on purpose (or the password changed): nothing typed is kept for a next sign-in.
            discardDrafts(this.storage);
        }
        // Nothing typed on one page is kept in memory past the session either.
        this.pageDrafts.clear();
        this.pendingDrafts = [];
        this.shownPage = undefined;
        this.endReason = 'expired';
        this.sessionEnded = false;
        this.clearSessionTimers();
        this.closeSessionDialog();
        this.stopRestoringDrafts();
        this.hideSessionWarning();
        this.feedAbort?.abort();
        this.feedAbort = undefined;
        this.storage.removeItem(SESSION_KEY);
        this.user = undefined;
        this.ownEnterprise = undefined;
        this.events = [];
        clearTimeout(this.refreshTimer);
        clearTimeout(this.replayTimer);
        this.pendingTransactions.clear();
        this.rootCurrencies.clear();
        this.api = this.newClient();
        if (message) {
            this.toast(message, 'error');
        }
        if (keepPage) {
            void this.render();
        } else if (window.location.hash !== '#/') {
            window.location.hash = '#/';
        } else {
            void this.render();
        }
    }

    private startFeed(): void {
        this.feedAbort?.abort();
        const abort = new AbortController();
        this.feedAbort = abort;
        this.ledgerHeight = undefined;
        this.replaying = true;
        const api = this.api;
        void (async () => {
            // Read before connecting: every event in a block at or above it is news.
            this.ledgerHeight = await this.syncLedgerClock(api);
            if (abort.signal.aborted) {
                return;
            }
            await api.followEvents({
                signal: abort.signal,
                onEvent: (event) => this.onEvent(event),
                onState: (state) => {
                    if (state === 'open' && this.replaying) {
                        this.waitForReplayLull();
                    }
                    if (this.feedState) {
                        this.feedState.textContent = state === 'open' ? '● live' : state === 'retrying' ? '○ reconnecting…' : '○ offline';
                        this.feedState.className = `feed-state feed-${state}`;
                    }
                },
            });
        })().catch(() => {
            if (this.feedState) {
                this.feedState.textContent = '○ unavailable';
            }
        });
    }

    private waitForReplayLull(): void {
        clearTimeout(this.replayTimer);
        this.replayTimer = setTimeout(() => {
            this.replaying = false;
        }, REPLAY_LULL_MS);
    }

    private onEvent(event: LedgerEvent): void {
        this.events = [event, ...this.events].slice(0, MAX_EVENTS);
        this.learnCurrency(event);
        this.renderFeed();
        const fresh = this.ledgerHeight !== undefined ? isNewEvent(event, this.ledgerHeight) : !this.replaying;
        if (this.replaying && this.ledgerHeight === undefined) {
            this.waitForReplayLull();
        }
        const user = this.user;
        if (!fresh || !user || !eventConcerns(event, user)) {
            return;
        }
        if (STATUS_EVENTS.has(event.name)) {
            void this.loadDirectory();
        }
        const txId = (event.data as { txId?: unknown } | undefined)?.txId;
        this.pendingTransactions.add(typeof txId === 'string' ? txId : undefined);
        this.scheduleRefresh();
    }

    /**
     * Learns the currency of a redeemed root, for redemption events recorded before their payload
     * carried it: from a note the user may read, the root, else one of its redeemed leaves.
     */
    private learnCurrency(event: LedgerEvent): void {
        const payload = eventPayload(event) as { rootId?: unknown; currency?: unknown; redeemedNoteIds?: unknown; payees?: unknown } | undefined;
        const rootId = payload?.rootId;
        if (event.name !== 'RedeemNote' || typeof rootId !== 'string' || typeof payload?.currency === 'string' || this.rootCurrencies.has(rootId) || this.resolvingCurrencies.has(rootId)) {
            return;
        }
        const leaves = Array.isArray(payload?.redeemedNoteIds) ? payload.redeemedNoteIds.filter((id): id is string => typeof id === 'string' && id !== rootId) : [];
        const api = this.api;
        this.resolvingCurrencies.add(rootId);
        void (async () => {
            for (const id of [rootId, ...leaves.slice(0, CURRENCY_PROBES)]) {
                const note = await api.readNote(id).catch(() => undefined);
                if (note) {
                    this.rootCurrencies.set(rootId, note.currency);
                    this.renderFeed();
                    return;
                }
            }
        })().finally(() => this.resolvingCurrencies.delete(rootId));
    }

    /** Refreshes the page on screen once events stop arriving for a moment. */
    private scheduleRefresh(): void {
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => {
            if (!this.user || !this.main) {
                return;
            }
            // Not while an action runs (it re-renders when done) or a page is being built.
            if (this.busy > 0 || this.rendering > 0) {
                this.scheduleRefresh();
                return;
            }
            // The page's own actions re-render it when they finish: their events are no news.
            const foreign = [...this.pendingTransactions].some((txId) => txId === undefined || !this.api.isOwnTransaction(txId));
            this.pendingTransactions.clear();
            if (!foreign) {
                return;
            }
            void this.render({ quiet: true });
        }, LIVE_REFRESH_DEBOUNCE_MS);
    }

    /** Says that the page is out of date when it could not be refreshed without losing the user's work. */
    private showStaleNotice(): void {
        const main = this.main;
        if (!main || main.querySelector('#live-notice')) {
            return;
        }
        main.prepend(
            h(
                'div',
                { class: 'live-notice', id: 'live-notice', role: 'status' },
                'New activity concerns this page. ',
                h('button', { type: 'button', class: 'link', onclick: () => void this.render() }, 'Refresh now'),
                ' to see it. The page was left as it is so that what you typed or opened here is not lost.',
            ),
        );
    }

    /** The banner that tells a frozen enterprise's users what the freeze means. */
    private renderBanner(): void {
        const banner = this.banner;
        if (!banner) {
            return;
        }
        const enterprise = this.ownEnterprise;
        if (!this.user || enterprise?.status !== 'FROZEN') {
            banner.hidden = true;
            banner.textContent = '';
            return;
        }
        replaceChildren(
            banner,
            h('strong', null, `${enterprise.name} is frozen by the regulator`),
            ` (since ${formatDateTime(enterprise.updatedAt)})${enterprise.statusReason ? `: “${enterprise.statusReason}”` : ''}. `,
            'While it is frozen it can neither move nor receive anything: the ledger refuses issuing, transferring, accepting, discounting, pledging and the like. ',
            // The one exception (chaincode redemption.ts): redeeming only pays the holders what the issuer owes them.
            this.user.role === 'core-enterprise' ? 'It can still redeem its matured notes, which only pays their holders what they are owed. ' : null,
            'You can still see your records. Only the regulator can lift the freeze.',
        );
        banner.hidden = false;
    }

    private renderFeed(): void {
        if (this.feed) {
            replaceChildren(this.feed, eventList(this.events.slice(0, 25), this.directory, this.currencyOfRoot));
        }
        this.renderDashboardEvents();
    }

    /** Fills the dashboard's recent events, when the dashboard is on screen, from the events received so far. */
    private renderDashboardEvents(): void {
        const dashboard = document.getElementById('dashboard-events');
        if (dashboard) {
            replaceChildren(dashboard, eventList(this.events.slice(0, 10), this.directory, this.currencyOfRoot));
        }
    }

    private readonly progress: Progress = {
        start: (label: string) => {
            this.busy += 1;
            this.progressBar.hidden = false;
            this.progressBar.textContent = '';
            this.progressBar.append(h('span', { class: 'bar' }), h('span', { class: 'label' }, label));
            let ended = false;
            return () => {
                if (ended) {
                    return;
                }
                ended = true;
                this.busy -= 1;
                if (this.busy === 0) {
                    this.progressBar.hidden = true;
                }
            };
        },
    };

    private toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
        // A sentence ending on a name that ends with a full stop ("Co., Ltd.") keeps one stop.
        const note = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, langText(message.replace(/\.\.(?=\s|$)/g, '.')));
        this.toasts.append(note);
        setTimeout(() => note.remove(), 6000);
    }

    private visibleRoutes(): Route[] {
        const role = this.user?.role;
        return ROUTES.filter((r) => r.nav !== false && (r.roles === undefined || (role !== undefined && r.roles.includes(role))));
    }

    /**
     * Renders the shell and the view of the current hash. `quiet` (a live refresh): no loading
     * placeholder, and the page is replaced only if what the user typed can be carried over.
     */
    async render(options: { quiet?: boolean } = {}): Promise<void> {
        this.rendering += 1;
        try {
            await this.renderRoute(options.quiet === true);
        } finally {
            this.rendering -= 1;
        }
    }

    private async renderRoute(quiet: boolean): Promise<void> {
        const seq = ++this.renderSeq;
        const { path, query } = parseHash(window.location.hash);
        const match = matchRoute(path);
        if (!this.user && !match?.route.public) {
            document.title = 'Sign in · Xinlian';
            const page = this.loginPage();
            const typingIn = carryOverSignIn(this.root.querySelector<HTMLFormElement>('#login-form'), page);
            replaceChildren(this.root, this.progressBar, this.toasts, page);
            if (typingIn) {
                typingIn.focus();
                return;
            }
            // The keyboard starts where the work starts: the user name (unless the user is already in the form).
            if (!page.contains(document.activeElement)) {
                page.querySelector<HTMLInputElement>('input[name=username]')?.focus();
            }
            return;
        }
        if (!quiet && this.main) {
            this.leavePage(this.main);
        }
        this.ensureShell();
        const main = this.main as HTMLElement;
        const page = window.location.hash || '#/';
        for (const link of Array.from(this.root.querySelectorAll<HTMLAnchorElement>('nav a'))) {
            link.classList.toggle('active', link.getAttribute('href') === `#${path}` || (path !== '/' && (link.getAttribute('href') ?? '').length > 2 && `#${path}`.startsWith(link.getAttribute('href') ?? '\u0000')));
        }
        if (!match) {
            document.title = 'Page not found · Xinlian';
            replaceChildren(main, h('h1', null, 'Page not found'), h('p', null, h('a', { href: '#/' }, 'Back to the dashboard')));
            main.setAttribute('data-view', 'not-found');
            return;
        }
        const { route, params } = match;
        document.title = `${route.title} · Xinlian`;
        if (route.roles && !route.public && (!this.user || !route.roles.includes(this.user.role))) {
            replaceChildren(
                main,
                h('h1', null, route.title),
                h('div', { class: 'error', role: 'alert', 'data-code': 'FORBIDDEN' }, h('strong', null, `This page is for ${route.roles.map((r) => roleName(r).toLowerCase()).join(', ')} users.`), h('p', null, `You are signed in as ${roleName(this.user?.role).toLowerCase()}.`)),
            );
            main.setAttribute('data-view', route.path);
            return;
        }
        if (quiet) {
            if (main.getAttribute('data-view') !== route.path || planRefresh(main).blocker !== undefined) {
                this.showStaleNotice();
                return;
            }
        } else {
            if (main.getAttribute('data-view') !== route.path) {
                // Kept values belong to the page they were typed on.
                this.stopRestoringDrafts();
            }
            main.removeAttribute('data-view');
            replaceChildren(main, loading());
        }
        const ctx: AppContext = {
            api: this.api,
            user: this.user,
            directory: this.directory,
            params: { ...query, ...params },
            progress: this.progress,
            events: this.events,
            now: () => new Date(new Date().getTime() + this.clockOffsetMs),
            frozenReason: this.ownEnterprise?.status === 'FROZEN' ? `${this.ownEnterprise.name} is frozen by the regulator${this.ownEnterprise.statusReason ? ` (“${this.ownEnterprise.statusReason}”)` : ''}: it can neither move nor receive anything.` : undefined,
            navigate: (to) => {
                window.location.hash = `#${to}`;
            },
            rerender: () => this.render(),
            toast: (message, kind) => this.toast(message, kind),
        };
        let content: Node;
        try {
            content = await route.view(ctx);
        } catch (error) {
            content = h(
                'div',
                null,
                h('h1', null, route.title),
                errorPanel(error),
                // The platform was busy or out of reach: reading again is harmless, and the error said when.
                platformUnreachable(error) ? h('p', null, h('button', { type: 'button', id: 'view-retry', onclick: () => void this.render() }, 'Try again')) : null,
            );
        }
        if (seq !== this.renderSeq) {
            return;
        }
        if (quiet) {
            // Planned again now: the user may have typed while the view was loading.
            const plan = planRefresh(main);
            if (plan.blocker !== undefined || !(content instanceof Element) || !plan.fits(content)) {
                this.showStaleNotice();
                return;
            }
            const scrollY = window.scrollY;
            replaceChildren(main, content);
            limitInputs(main);
            recordRenderedState(main);
            plan.apply(main);
            if (window.scrollY !== scrollY) {
                window.scrollTo({ top: scrollY });
            }
        } else {
            replaceChildren(main, content);
            limitInputs(main);
            recordRenderedState(main);
            this.arriveOnPage(main, page);
        }
        main.setAttribute('data-view', route.path);
        // Events that arrived while the view was loading are not in the list it was built with.
        this.renderDashboardEvents();
    }

    /**
     * The page on screen is about to be replaced (another page, or the same one rendered anew): what
     * the user typed on it and did not send is kept for the session, with the values kept for a panel
     * of it not opened again. A form just sent successfully is left out (runAction marks it).
     */
    private leavePage(main: HTMLElement): void {
        const page = this.shownPage;
        if (page !== undefined) {
            this.pageDrafts.keep(page, mergeDrafts(captureDrafts(main).fields, this.pendingDrafts));
        }
        this.shownPage = undefined;
        this.stopRestoringDrafts();
    }

    /** A page was rendered: what the user had typed on it earlier in the session goes back into it (a closed panel's values when it opens). */
    private arriveOnPage(main: HTMLElement, page: string): void {
        this.shownPage = page;
        const kept = this.pageDrafts.get(page);
        if (kept.length > 0) {
            this.restoreLater(main, applyDrafts(main, kept));
        }
    }

    /** Clicking the link of the page on screen reloads it (the same hash fires no hashchange). */
    private reloadIfCurrent(event: MouseEvent, href: string): void {
        const current = window.location.hash || '#/';
        if (current === href && !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey) {
            event.preventDefault();
            void this.render();
        }
    }

    private ensureShell(): void {
        const signature = this.user ? `${this.user.username}` : 'public';
        if (this.main && this.root.dataset.shell === signature) {
            return;
        }
        this.root.dataset.shell = signature;
        const main = h('main', { id: 'main' });
        this.main = main;
        // Panels opened later get the maxlength the API documents too.
        this.limitObserver?.disconnect();
        this.limitObserver = new MutationObserver((records) => {
            for (const record of records) {
                for (const node of Array.from(record.addedNodes)) {
                    if (node instanceof Element) {
                        limitInputs(node);
                    }
                }
            }
        });
        this.limitObserver.observe(main, { childList: true, subtree: true });
        // The first thing the keyboard reaches: past the header and the navigation, to the page.
        const skip = h('a', { class: 'skip-link', id: 'skip-link', href: '#main' }, 'Skip to main content');
        skip.addEventListener('click', (event) => {
            // Not a route: the hash is the router's.
            event.preventDefault();
            focusMain(main);
        });
        const user = this.user;
        const header = h(
            'header',
            { class: 'top' },
            h('a', { class: 'brand', href: '#/', onclick: (event: MouseEvent) => this.reloadIfCurrent(event, '#/') }, h('span', { class: 'logo', lang: 'zh-Hans' }, '信链'), ' Xinlian'),
            user
                ? h(
                      'div',
                      { class: 'who', id: 'who' },
                      h('strong', null, langText(this.directory.name(user.enterpriseId))),
                      h('span', { class: 'role' }, roleName(user.role)),
                      h('span', { class: 'muted' }, user.username),
                      h('button', { type: 'button', class: 'link', onclick: () => this.signOut() }, 'Sign out'),
                  )
                : h('a', { href: '#/', class: 'who' }, 'Sign in'),
        );
        const nav = h(
            'nav',
            { 'aria-label': 'Main' },
            this.visibleRoutes()
                .filter((r) => user || r.public)
                .map((r) => h('a', { href: `#${r.path}`, onclick: (event: MouseEvent) => this.reloadIfCurrent(event, `#${r.path}`) }, r.title)),
        );
        this.feedState = h('span', { class: 'feed-state' }, '○ connecting…');
        this.feed = h('div', { class: 'feed', id: 'event-feed' });
        this.banner = h('div', { class: 'banner banner-frozen', id: 'frozen-banner', role: 'alert', hidden: true });
        this.sessionWarning = h('div', { class: 'banner live-notice', id: 'session-warning', role: 'status', hidden: true });
        const aside = user ? h('aside', { class: 'live', 'aria-label': 'Live events' }, h('h2', null, 'Live events ', this.feedState), this.feed) : null;
        const layout = h('div', { class: 'layout' }, nav, this.main, aside);
        replaceChildren(this.root, skip, this.progressBar, this.toasts, header, this.banner, this.sessionWarning, layout);
        this.followNavHeight(layout, nav);
        this.renderBanner();
        this.renderFeed();
    }

    /**
     * Keeps `--nav-height` on the layout at the navigation's height: below 1600 px the live events stick
     * just below the navigation in the same column (app.css), so they never cover it.
     */
    private followNavHeight(layout: HTMLElement, nav: HTMLElement): void {
        this.navResize?.disconnect();
        const follow = (): void => layout.style.setProperty('--nav-height', `${nav.offsetHeight}px`);
        follow();
        if (typeof ResizeObserver !== 'undefined') {
            this.navResize = new ResizeObserver(follow);
            this.navResize.observe(nav);
        }
    }

    // ------------------------------------------------------------------ the session's end

    /** What the sign-in page says when the session expired: and, when what the user typed is kept, for whom. */
    private expiredNotice(): string {
        return this.endedNotice('expired', '');
    }

    /** What the sign-in page says when `username`'s session ended for `reason`: and, when what the user typed is kept, for whom. */
    private endedNotice(reason: SessionEndReason, username: string): string {
        const notice = sessionEndWords(reason, username).notice;
        const owner = draftsOwner(this.storage);
        return owner ? `${notice} What you typed on this page comes back when ${owner} signs in again.` : notice;
    }

    /** Keeps a new session for a reload of the tab, and arms the warning before its end and the end itself. */
    private keepSession(result: LoginResult, serverOffsetMs: number | undefined): void {
        this.storage.setItem(SESSION_KEY, JSON.stringify({ token: result.token, user: result.user, expiresAt: result.expiresAt } satisfies Session));
        this.armSessionTimers(result.expiresAt, serverOffsetMs);
    }

    /**
     * Arms the warning shortly before the token ends (two minutes, less for a short-lived token) and
     * the end itself, by this browser's clock (the token's expiry is in the gateway's: `serverOffsetMs`
     * is the gateway's clock minus the browser's). Nothing is armed when either is unknown: the
     * gateway's 401 then ends the session.
     */
    private armSessionTimers(expiresAt: string | undefined, serverOffsetMs: number | undefined): void {
        this.clearSessionTimers();
        const end = localExpiry(expiresAt, serverOffsetMs);
        if (end === undefined) {
            return;
        }
        const left = end - new Date().getTime();
        this.at(end - warningLeadMs(left), () => this.warnSessionEnding(end));
        this.at(end, () => this.expire());
    }

    /** Runs `action` at `when` (ms, this browser's clock), in steps when it is further off than a timer can wait. */
    private at(when: number, action: () => void): void {
        const wait = when - new Date().getTime();
        this.sessionTimers.push(setTimeout(wait > MAX_TIMER_MS ? () => this.at(when, action) : action, Math.max(0, Math.min(wait, MAX_TIMER_MS))));
    }

    private clearSessionTimers(): void {
        for (const timer of this.sessionTimers) {
            clearTimeout(timer);
        }
        this.sessionTimers = [];
    }

    /** Says above the page that the session ends soon, and how long is left, with a way to stay signed in. */
    private warnSessionEnding(end: number): void {
        const warning = this.sessionWarning;
        if (!this.user || this.sessionEnded || !warning) {
            return;
        }
        const left = h('span', { 'aria-live': 'off' });
        const update = (): void => {
            left.textContent = timeLeftText(end - new Date().getTime());
            if (end - new Date().getTime() > 0 && !warning.hidden) {
                this.at(Math.min(end, new Date().getTime() + WARNING_TICK_MS), update);
            }
        };
        warning.hidden = false;
        replaceChildren(
            warning,
            h('strong', null, 'Your session ends in ', left, '.'),
            ' The platform then asks you to sign in again; this page and what you have typed on it stay as they are. ',
            h('button', { type: 'button', class: 'link', id: 'stay-signed-in', onclick: () => this.openSessionDialog('renew') }, 'Stay signed in'),
        );
        update();
    }

    private hideSessionWarning(): void {
        if (this.sessionWarning) {
            this.sessionWarning.hidden = true;
            this.sessionWarning.textContent = '';
        }
    }

    /**
     * The dialog to sign in again as the same user, over the page: before the end (`renew`: the
     * user chose to stay signed in; Escape or "Not now" closes it) or after it (`ended`: it stays
     * until the user signs in again, or chooses to sign in as someone else). The gateway cannot
     * extend a token, so staying signed in means a new sign-in; the page is not touched by it.
     */
    private openSessionDialog(mode: 'renew' | 'ended'): void {
        const user = this.user;
        if (!user) {
            return;
        }
        const open = this.sessionDialog;
        if (open?.isConnected) {
            if (mode === 'ended') {
                open.dispatchEvent(new CustomEvent('session-ended'));
            }
            return;
        }
        const title = h('h2', { id: 'session-dialog-title' });
        const explanation = h('p', { class: 'muted', id: 'session-dialog-text' });
        const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
        const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
        const passwordLabel = h('span', { class: 'label' }, `Password of ${user.username}`);
        const submit = h('button', { type: 'submit', class: 'primary' });
        const other = h('button', { type: 'button', class: 'link', id: 'session-dialog-other' });
        const form = h(
            'form',
            { id: 'reauth-form', 'data-no-draft': '' },
            title,
            explanation,
            outcome,
            // For password managers: whose password this is.
            h('input', { name: 'username', autocomplete: 'username', value: user.username, readonly: true, hidden: true }),
            h('label', { class: 'field' }, passwordLabel, password),
            submit,
            h('p', null, other),
        );
        // Centred as a modal dialog is (a card's own margin would pin it to the corner).
        const dialog = h('dialog', { class: 'card login session-dialog', id: 'session-dialog', style: 'margin: auto', 'aria-labelledby': 'session-dialog-title', 'aria-describedby': 'session-dialog-text' }, form);
        let ended = false;
        const show = (which: 'renew' | 'ended'): void => {
            ended = which === 'ended';
            dialog.dataset.mode = which;
            // Why it ended, as the gateway said: the time ran out, the password was changed, the account disabled…
            const words = sessionEndWords(this.endReason, user.username);
            dialog.dataset.reason = ended ? this.endReason : '';
            title.textContent = ended ? words.title : 'Stay signed in';
            explanation.textContent = ended
                ? words.explanation
                : `A session lasts a limited time and cannot be extended: sign in again as ${user.username} now and carry on where you are, with a new session. This page stays as it is.`;
            passwordLabel.textContent = ended && this.endReason === 'password-changed' ? `New password of ${user.username}` : `Password of ${user.username}`;
            submit.textContent = ended ? 'Sign in again' : 'Stay signed in';
            other.textContent = ended ? 'Sign in as someone else' : 'Not now';
        };
        show(mode);
        dialog.addEventListener('session-ended', () => show('ended'));
        other.addEventListener('click', () => {
            if (ended) {
                // Someone else: nothing of this user's stays on screen or in the tab.
                this.signOut();
            } else {
                this.closeSessionDialog();
            }
        });
        // Escape closes the offer to stay signed in; once the session has ended, only signing in (or out) does.
        dialog.addEventListener('cancel', (event) => {
            event.preventDefault();
            if (!ended) {
                this.closeSessionDialog();
            }
        });
        // The browser may close a dialog whose Escape was refused before (repeated without a click):
        // an ended session then asks again, or the page would stay on screen with nothing working.
        dialog.addEventListener('close', () => {
            if (this.sessionDialog !== dialog) {
                return; // closed by the shell
            }
            this.sessionDialog = undefined;
            dialog.remove();
            if (this.sessionEnded) {
                setTimeout(() => this.openSessionDialog('ended'), 0);
            }
        });
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            submit.disabled = true;
            outcome.textContent = '';
            const done = this.progress.start('Signing in…');
            // No 401 hook: a wrong password is not an ended session.
            const api = new ApiClient();
            api.login(user.username, password.value)
                .then((result) => {
                    if (result.user.username !== user.username) {
                        throw new Error('signed in as another user');
                    }
                    this.renewed(result, api.serverClockOffsetMs);
                })
                .catch((error: unknown) => {
                    const refusal = signInRefusal(error);
                    outcome.append(refusal ? h('div', { class: 'error', role: 'alert', id: 'reauth-refused', 'data-code': refusal.code }, h('strong', null, refusal.message)) : errorPanel(error));
                    password.select();
                })
                .finally(() => {
                    submit.disabled = false;
                    done();
                });
        });
        this.sessionDialog = dialog;
        this.root.append(dialog);
        dialog.showModal();
        password.focus();
    }

    private closeSessionDialog(): void {
        const dialog = this.sessionDialog;
        this.sessionDialog = undefined;
        if (dialog) {
            if (dialog.open) {
                dialog.close();
            }
            dialog.remove();
        }
    }

    /**
     * The same user signed in again from the dialog: the new token serves this page's client (the
     * views hold it), the session is kept with its new end, and a session that had ended resumes —
     * the feed reconnects, and the page is brought up to date when nothing the user has going on
     * stands in the way. Nothing refused meanwhile is sent again.
     */
    private renewed(result: LoginResult, serverOffsetMs: number | undefined): void {
        const wasEnded = this.sessionEnded;
        this.api.useToken(result.token);
        this.user = result.user;
        this.sessionEnded = false;
        this.endReason = 'expired';
        this.keepSession(result, serverOffsetMs);
        // The page still shows what was typed: the copy kept in the tab is not needed any more.
        discardDrafts(this.storage);
        this.closeSessionDialog();
        this.hideSessionWarning();
        if (!wasEnded) {
            this.toast('You are signed in with a new session.');
            return;
        }
        this.toast('Signed in again: carry on where you were.');
        // The feed starts again from the ledger's history, which it replays: the list starts afresh too.
        this.events = [];
        this.renderFeed();
        this.startFeed();
        const main = this.main;
        if (!main) {
            return;
        }
        // Requests the ended session had refused were not carried out: say so where their errors are.
        for (const error of Array.from(main.querySelectorAll('.outcome .error[data-code=UNAUTHENTICATED]'))) {
            error.replaceWith(
                h(
                    'div',
                    { class: 'live-notice not-sent', role: 'status', 'data-code': 'NOT_SENT' },
                    h('strong', null, 'Not sent: '),
                    'your session had ended, so the platform refused this and recorded nothing. You are signed in again: check the form and send it again.',
                ),
            );
        }
        // What the page read may be out of date, or could not be read at all for the ended session.
        if (planRefresh(main).blocker === undefined) {
            void this.render({ quiet: true });
        }
    }

    /**
     * After a sign-in, puts back what the same user had typed on this page when the session ended
     * (kept in the tab: the page was reloaded since), and says so; values of a panel not open now go
     * back into it when it is opened again. Values of anyone else were discarded at sign-in.
     */
    private restoreDrafts(): void {
        const user = this.user;
        const main = this.main;
        if (!user || !main) {
            return;
        }
        const drafts = takeDrafts(this.storage, user.username, window.location.hash || '#/');
        if (!drafts) {
            return;
        }
        const pending = applyDrafts(main, drafts.fields);
        if (drafts.fields.length === 0 && drafts.files === 0) {
            return;
        }
        const files = drafts.files > 0 ? ` A document you had chosen must be chosen again: a page cannot keep files.` : '';
        const later = pending.length > 0 ? ' Some of it was in a panel that is closed now; it comes back when you open that panel again.' : '';
        main.prepend(
            h(
                'div',
                { class: 'live-notice', id: 'drafts-restored', role: 'status' },
                h('strong', null, 'What you typed before your session ended is back. '),
                `Nothing was sent: check it and send it again.${later}${files}`,
            ),
        );
        this.restoreLater(main, pending);
    }

    /** Fills kept values into the controls of panels as they are opened, until none is left or the user leaves the page. */
    private restoreLater(main: HTMLElement, fields: DraftField[]): void {
        const pending = mergeDrafts(this.pendingDrafts, fields);
        this.stopRestoringDrafts();
        this.pendingDrafts = pending;
        if (pending.length === 0) {
            return;
        }
        const observer = new MutationObserver((records) => {
            for (const record of records) {
                for (const node of Array.from(record.addedNodes)) {
                    if (node instanceof Element && this.pendingDrafts.length > 0) {
                        this.pendingDrafts = applyDrafts(node, this.pendingDrafts);
                    }
                }
            }
            if (this.pendingDrafts.length === 0) {
                this.stopRestoringDrafts();
            }
        });
        observer.observe(main, { childList: true, subtree: true });
        this.draftObserver = observer;
    }

    private stopRestoringDrafts(): void {
        this.draftObserver?.disconnect();
        this.draftObserver = undefined;
        this.pendingDrafts = [];
    }

    /**
     * While the gateway's demo seed is on, the demo users to sign in as (each fills in the form) and their
     * password when it is the public one; nothing when the seed is off or the gateway cannot say.
     */
    private demoAccountsHint(form: HTMLFormElement): HTMLElement {
        const hint = h('div', { class: 'demo-accounts', id: 'demo-accounts' });
        this.demoAccounts ??= new ApiClient().demoAccounts().catch(() => undefined);
        void this.demoAccounts.then((demo) => {
            if (!demo || demo.users.length === 0) {
                return;
            }
            const username = form.elements.namedItem('username') as HTMLInputElement;
            const password = form.elements.namedItem('password') as HTMLInputElement;
            const choose = (name: string): void => {
                username.value = name;
                if (demo.password !== undefined) {
                    password.value = demo.password;
                    (form.querySelector('button[type="submit"]') as HTMLButtonElement).focus();
                } else {
                    password.focus();
                }
            };
            hint.append(
                h('h2', null, 'Demo users'),
                h(
                    'p',
                    { class: 'muted' },
                    demo.password !== undefined
                        ? ['This platform runs with demo data. Pick a user to fill in the form; the password of every demo user is ', h('code', null, demo.password), '.']
                        : 'This platform runs with demo data. Pick a user to fill in the name; the password is the one your operator gave you.',
                ),
                h(
                    'ul',
                    { class: 'demo-users' },
                    demo.users.map((user) => {
                        const pick = h('button', { type: 'button', 'data-username': user.username }, h('strong', null, user.username), ' ', h('span', { class: 'muted' }, roleName(user.role)));
                        pick.addEventListener('click', () => choose(user.username));
                        return h('li', null, pick);
                    }),
                ),
            );
        });
        return hint;
    }

    private loginPage(): HTMLElement {
        this.main = undefined;
        this.banner = undefined;
        this.root.dataset.shell = '';
        const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
        const notice = this.loginNotice;
        const outcome = h(
            'div',
            { class: 'outcome', 'aria-live': 'polite' },
            notice?.kind === 'expired' ? h('div', { class: 'error', role: 'alert', id: 'session-expired', 'data-code': 'UNAUTHENTICATED' }, h('strong', null, notice.text)) : null,
            notice?.kind === 'info' ? h('div', { class: 'live-notice', role: 'status', id: 'login-notice' }, h('strong', null, notice.text)) : null,
        );
        const form = h(
            'form',
            { class: 'card login', id: 'login-form' },
            h('h1', null, h('span', { class: 'logo', lang: 'zh-Hans' }, '信链'), ' Xinlian'),
            h('p', { class: 'muted' }, 'Supply-chain finance and credit'),
            outcome,
            h(
                'label',
                { class: 'field' },
                h('span', { class: 'label' }, 'User name'),
                h('input', { name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true }),
            ),
            h('label', { class: 'field' }, h('span', { class: 'label' }, 'Password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
            submit,
            h('p', { class: 'muted' }, h('a', { href: '#/verify' }, 'Verify a credit passport without signing in →')),
        );
        form.append(this.demoAccountsHint(form));
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            const data = new FormData(form);
            submit.disabled = true;
            outcome.textContent = '';
            const done = this.progress.start('Signing in…');
            // No 401 hook here: a wrong password is not an expired session.
            const api = new ApiClient();
            // User names are lower case (the gateway's pattern ^[a-z][a-z0-9._-]{1,31}$): "Suzhou" is suzhou.
            api.login(normalizeUsername(String(data.get('username') ?? '')), String(data.get('password') ?? ''))
                .then(async (result) => {
                    this.api = this.newClient(result.token);
                    this.user = result.user;
                    this.loginNotice = undefined;
                    this.keepSession(result, api.serverClockOffsetMs);
                    await this.afterSignIn();
                    await this.render();
                    // Back on the page the session ended on: what was typed there comes back (the same user only).
                    this.restoreDrafts();
                })
                .catch((error: unknown) => {
                    // A wrong name or password, a disabled user, too many attempts: said in sign-in words.
                    const refusal = signInRefusal(error);
                    outcome.append(refusal ? h('div', { class: 'error', role: 'alert', id: 'sign-in-refused', 'data-code': refusal.code }, h('strong', null, refusal.message)) : errorPanel(error));
                })
                .finally(() => {
                    submit.disabled = false;
                    done();
                });
        });
        return h('div', { class: 'login-page' }, form);
    }
}

/**
 * A sign-in page rendered again (a later render while signed out) keeps what was typed in the one on
 * screen. Returns the new page's field matching the one the keyboard was in, to focus once shown.
 */
function carryOverSignIn(previous: HTMLFormElement | null, page: HTMLElement): HTMLInputElement | undefined {
    let typingIn: HTMLInputElement | undefined;
    for (const name of previous ? ['username', 'password'] : []) {
        const before = previous?.elements.namedItem(name);
        const after = page.querySelector<HTMLInputElement>(`#login-form input[name=${name}]`);
        if (before instanceof HTMLInputElement && after) {
            after.value = before.value;
            if (document.activeElement === before) {
                typingIn = after;
            }
        }
    }
    return typingIn;
}

/** A typed user name as the gateway knows it: trimmed and lower case. */
export function normalizeUsername(typed: string): string {
    return typed.trim().toLowerCase();
}

/** Moves the keyboard to the page's main area (the skip link), focusable only while it has the focus. */
function focusMain(main: HTMLElement): void {
    main.setAttribute('tabindex', '-1');
    main.addEventListener('blur', () => main.removeAttribute('tabindex'), { once: true });
    main.focus();
    main.scrollIntoView({ block: 'start' });
}
