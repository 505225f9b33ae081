import { signInRefusal } from './account-rules';
import { ApiClient, ApiError } from './api-client';
import { h, replaceChildren } from './dom';
import { formatDateTime } from './format';
import { planRefresh, recordRenderedState } from './form-state';
import { eventConcerns, eventPayload, isNewEvent } from './live-events';
import type { Enterprise, LedgerEvent, User } from './resources';
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

const SESSION_EXPIRED = 'Your session has expired; sign in again.';

/** What the sign-in page says first: why the session ended (an alert), or news such as a password change. */
interface LoginNotice {
    text: string;
    kind: 'expired' | 'info';
}

interface Session {
    token: string;
    user: User;
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
            onUnauthenticated: () => {
                if (this.api === api) {
                    this.expire();
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
            try {
                const session = JSON.parse(saved) as Session;
                this.api = this.newClient(session.token);
                this.user = await this.api.me();
                await this.afterSignIn();
            } catch (error) {
                this.storage.removeItem(SESSION_KEY);
                this.user = undefined;
                this.api = this.newClient();
                // The page asked for stays in the address: signing in again returns to it.
                this.loginNotice = { text: error instanceof ApiError && error.code !== 'NETWORK' ? SESSION_EXPIRED : 'Your session could not be restored; sign in again.', kind: 'expired' };
            }
        }
        if (!this.user) {
            // Public pages (the verify page opened from a QR code) judge validity by the ledger's time too.
            await this.syncLedgerClock(this.api);
        }
        await this.render();
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

    /** The session expired or became invalid: back to sign-in, saying so, on the same page (signing in returns to it). */
    private expire(): void {
        this.loginNotice = { text: SESSION_EXPIRED, kind: 'expired' };
        this.signOut(undefined, true);
    }

    /** Ends the session; `notice` is what the sign-in page then says (kept as it is when the page is kept). */
    private signOut(message?: string, keepPage = false, notice?: LoginNotice): void {
        if (!keepPage) {
            this.loginNotice = notice;
        }
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
        const note = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message.replace(/\.\.(?=\s|$)/g, '.'));
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
            replaceChildren(this.root, this.progressBar, this.toasts, this.loginPage());
            return;
        }
        this.ensureShell();
        const main = this.main as HTMLElement;
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
            content = h('div', null, h('h1', null, route.title), errorPanel(error));
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
            recordRenderedState(main);
            plan.apply(main);
            if (window.scrollY !== scrollY) {
                window.scrollTo({ top: scrollY });
            }
        } else {
            replaceChildren(main, content);
            recordRenderedState(main);
        }
        main.setAttribute('data-view', route.path);
        // Events that arrived while the view was loading are not in the list it was built with.
        this.renderDashboardEvents();
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
        this.main = h('main', { id: 'main' });
        const user = this.user;
        const header = h(
            'header',
            { class: 'top' },
            h('a', { class: 'brand', href: '#/', onclick: (event: MouseEvent) => this.reloadIfCurrent(event, '#/') }, h('span', { class: 'logo' }, '信链'), ' Xinlian'),
            user
                ? h(
                      'div',
                      { class: 'who', id: 'who' },
                      h('strong', null, this.directory.name(user.enterpriseId)),
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
        const aside = user ? h('aside', { class: 'live', 'aria-label': 'Live events' }, h('h2', null, 'Live events ', this.feedState), this.feed) : null;
        replaceChildren(this.root, this.progressBar, this.toasts, header, this.banner, h('div', { class: 'layout' }, nav, this.main, aside));
        this.renderBanner();
        this.renderFeed();
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
            h('h1', null, h('span', { class: 'logo' }, '信链'), ' Xinlian'),
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
                    this.storage.setItem(SESSION_KEY, JSON.stringify({ token: result.token, user: result.user } satisfies Session));
                    await this.afterSignIn();
                    await this.render();
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

/** A typed user name as the gateway knows it: trimmed and lower case. */
export function normalizeUsername(typed: string): string {
    return typed.trim().toLowerCase();
}
