import { ApiClient, ApiError } from './api-client';
import { h, replaceChildren } from './dom';
import type { Enterprise, LedgerEvent, User } from './resources';
import type { AppContext, Directory, Progress, Route } from './views/context';
import { eventList, roleName } from './views/profile-views';
import { ROUTES, matchRoute, parseHash } from './views/routes';
import { errorPanel, loading } from './views/ui';

/**
 * The application shell: sign-in, the session, navigation by role, the router, the live event
 * feed, progress and notifications. Views render into the main area.
 */

const SESSION_KEY = 'xinlian.session';
const MAX_EVENTS = 100;

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

    constructor(root: HTMLElement, private readonly storage: Storage) {
        this.root = root;
        this.api = this.newClient();
        this.progressBar = h('div', { class: 'progress', id: 'progress', role: 'status', 'aria-live': 'polite', hidden: true });
        this.toasts = h('div', { class: 'toasts', id: 'toasts', 'aria-live': 'polite' });
    }

    private newClient(token?: string): ApiClient {
        return new ApiClient({ token, onUnauthenticated: () => this.expire() });
    }

    /** Restores a session if there is one, then renders the current route. */
    async start(): Promise<void> {
        window.addEventListener('hashchange', () => void this.render());
        const saved = this.storage.getItem(SESSION_KEY);
        if (saved) {
            try {
                const session = JSON.parse(saved) as Session;
                this.api = this.newClient(session.token);
                this.user = await this.api.me();
                await this.afterSignIn();
            } catch {
                this.storage.removeItem(SESSION_KEY);
                this.user = undefined;
                this.api = this.newClient();
            }
        }
        await this.render();
    }

    private async afterSignIn(): Promise<void> {
        try {
            this.directory = newDirectory(await this.api.listEnterprises());
        } catch {
            this.directory = newDirectory([]);
        }
        this.startFeed();
    }

    private expire(): void {
        this.signOut('Your session has ended. Please sign in again.');
    }

    private signOut(message?: string): void {
        this.feedAbort?.abort();
        this.feedAbort = undefined;
        this.storage.removeItem(SESSION_KEY);
        this.user = undefined;
        this.events = [];
        this.api = this.newClient();
        if (message) {
            this.toast(message, 'error');
        }
        if (window.location.hash !== '#/') {
            window.location.hash = '#/';
        } else {
            void this.render();
        }
    }

    private startFeed(): void {
        this.feedAbort?.abort();
        const abort = new AbortController();
        this.feedAbort = abort;
        void this.api
            .followEvents({
                signal: abort.signal,
                onEvent: (event) => {
                    this.events = [event, ...this.events].slice(0, MAX_EVENTS);
                    this.renderFeed();
                },
                onState: (state) => {
                    if (this.feedState) {
                        this.feedState.textContent = state === 'open' ? '● live' : state === 'retrying' ? '○ reconnecting…' : '○ offline';
                        this.feedState.className = `feed-state feed-${state}`;
                    }
                },
            })
            .catch(() => {
                if (this.feedState) {
                    this.feedState.textContent = '○ unavailable';
                }
            });
    }

    private renderFeed(): void {
        if (this.feed) {
            replaceChildren(this.feed, eventList(this.events.slice(0, 25), this.directory));
        }
        this.renderDashboardEvents();
    }

    /** Fills the dashboard's recent events, when the dashboard is on screen, from the events received so far. */
    private renderDashboardEvents(): void {
        const dashboard = document.getElementById('dashboard-events');
        if (dashboard) {
            replaceChildren(dashboard, eventList(this.events.slice(0, 10), this.directory));
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
        const note = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
        this.toasts.append(note);
        setTimeout(() => note.remove(), 6000);
    }

    private visibleRoutes(): Route[] {
        const role = this.user?.role;
        return ROUTES.filter((r) => r.nav !== false && (r.roles === undefined || (role !== undefined && r.roles.includes(role))));
    }

    /** Renders the shell and the view of the current hash. */
    async render(): Promise<void> {
        const seq = ++this.renderSeq;
        const { path, query } = parseHash(window.location.hash);
        const match = matchRoute(path);
        if (!this.user && !match?.route.public) {
            replaceChildren(this.root, this.progressBar, this.toasts, this.loginPage());
            return;
        }
        this.ensureShell();
        const main = this.main as HTMLElement;
        for (const link of Array.from(this.root.querySelectorAll<HTMLAnchorElement>('nav a'))) {
            link.classList.toggle('active', link.getAttribute('href') === `#${path}` || (path !== '/' && (link.getAttribute('href') ?? '').length > 2 && `#${path}`.startsWith(link.getAttribute('href') ?? '\u0000')));
        }
        if (!match) {
            replaceChildren(main, h('h1', null, 'Page not found'), h('p', null, h('a', { href: '#/' }, 'Back to the dashboard')));
            main.setAttribute('data-view', 'not-found');
            return;
        }
        const { route, params } = match;
        if (route.roles && !route.public && (!this.user || !route.roles.includes(this.user.role))) {
            replaceChildren(
                main,
                h('h1', null, route.title),
                h('div', { class: 'error', role: 'alert', 'data-code': 'FORBIDDEN' }, h('strong', null, `This page is for ${route.roles.map((r) => roleName(r).toLowerCase()).join(', ')} users.`), h('p', null, `You are signed in as ${roleName(this.user?.role).toLowerCase()}.`)),
            );
            main.setAttribute('data-view', route.path);
            return;
        }
        document.title = `${route.title} · Xinlian`;
        main.removeAttribute('data-view');
        replaceChildren(main, loading());
        const ctx: AppContext = {
            api: this.api,
            user: this.user,
            directory: this.directory,
            params: { ...query, ...params },
            progress: this.progress,
            events: this.events,
            navigate: (to) => {
                window.location.hash = `#${to}`;
            },
            rerender: () => void this.render(),
            toast: (message, kind) => this.toast(message, kind),
        };
        let content: Node;
        try {
            content = await route.view(ctx);
        } catch (error) {
            content = h('div', null, h('h1', null, route.title), errorPanel(error));
        }
        if (seq === this.renderSeq) {
            replaceChildren(main, content);
            main.setAttribute('data-view', route.path);
            // Events that arrived while the view was loading are not in the list it was built with.
            this.renderDashboardEvents();
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
            h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo' }, '信链'), ' Xinlian'),
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
                .map((r) => h('a', { href: `#${r.path}` }, r.title)),
        );
        this.feedState = h('span', { class: 'feed-state' }, '○ connecting…');
        this.feed = h('div', { class: 'feed', id: 'event-feed' });
        const aside = user ? h('aside', { class: 'live', 'aria-label': 'Live events' }, h('h2', null, 'Live events ', this.feedState), this.feed) : null;
        replaceChildren(this.root, this.progressBar, this.toasts, header, h('div', { class: 'layout' }, nav, this.main, aside));
        this.renderFeed();
    }

    private loginPage(): HTMLElement {
        this.main = undefined;
        this.root.dataset.shell = '';
        const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
        const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
        const form = h(
            'form',
            { class: 'card login', id: 'login-form' },
            h('h1', null, h('span', { class: 'logo' }, '信链'), ' Xinlian'),
            h('p', { class: 'muted' }, 'Supply-chain finance and credit'),
            outcome,
            h('label', { class: 'field' }, h('span', { class: 'label' }, 'User name'), h('input', { name: 'username', autocomplete: 'username', required: true })),
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
            api.login(String(data.get('username') ?? '').trim(), String(data.get('password') ?? ''))
                .then(async (result) => {
                    this.api = this.newClient(result.token);
                    this.user = result.user;
                    this.storage.setItem(SESSION_KEY, JSON.stringify({ token: result.token, user: result.user } satisfies Session));
                    await this.afterSignIn();
                    await this.render();
                })
                .catch((error: unknown) => {
                    const refused = error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.status === 401);
                    outcome.append(refused ? h('div', { class: 'error', role: 'alert', 'data-code': 'UNAUTHENTICATED' }, h('strong', null, 'The user name or password is wrong.')) : errorPanel(error));
                })
                .finally(() => {
                    submit.disabled = false;
                    done();
                });
        });
        return h('div', { class: 'login-page' }, form);
    }
}
