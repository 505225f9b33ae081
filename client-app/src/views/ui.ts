import { ApiError } from '../api-client';
import { Child, h, svg } from '../dom';
import { describeErrorCode, readableDetail } from '../error-messages';
import { creditLineExpired } from '../../../chaincode/src/ledger/expiry';
import { AmountInputError, formatMoney, humanizeCode, shortId } from '../format';
import { TRANSIENT } from '../form-state';
import type { CreditLine } from '../resources';
import type { AppContext } from './context';

/** Shared widgets of the views. */

/** An amount with its currency, exact. */
export function money(amount: string | undefined, currency: string | undefined): HTMLElement {
    return h('span', { class: 'money' }, formatMoney(amount, currency));
}

/**
 * A credit line's status at the ledger's time `now`: as the ledger read it (EXPIRED past its expiry
 * unless REVOKED), and EXPIRED too for a line read as ACTIVE whose expiry has come since.
 */
export function lineStatus(line: Pick<CreditLine, 'status' | 'expiresAt'>, now: Date): CreditLine['status'] {
    return line.status === 'ACTIVE' && creditLineExpired(line, now) ? 'EXPIRED' : line.status;
}

/** True when a credit line can back a new note: ACTIVE at the ledger's time `now` (the chaincode refuses an expired line with EXPIRED). */
export function lineUsable(line: Pick<CreditLine, 'status' | 'expiresAt'>, now: Date): boolean {
    return lineStatus(line, now) === 'ACTIVE';
}

/** A credit line's status badge at the ledger's time `now` (lineStatus). */
export function lineBadge(line: Pick<CreditLine, 'status' | 'expiresAt'>, now: Date): HTMLElement {
    return badge(lineStatus(line, now));
}

/** A status as a coloured badge. */
export function badge(status: string | undefined): HTMLElement {
    const value = status ?? 'UNKNOWN';
    return h('span', { class: `badge badge-${value.toLowerCase().replace(/[^a-z]/g, '-')}` }, humanizeCode(value));
}

/**
 * A shortened id, monospace, with the full id on hover (title), a button that copies the full id,
 * and copying the shortened text itself also copies the full id. `href` makes the short form a
 * link (to the record's provenance, say).
 */
export function idText(id: string | undefined, options: { href?: string } = {}): HTMLElement {
    if (!id) {
        return h('code', { class: 'id', title: '' }, '—');
    }
    const code = h('code', { class: 'id', title: id, 'data-id': id }, shortId(id));
    code.addEventListener('copy', (event) => {
        const selection = document.getSelection();
        if (selection && code.contains(selection.anchorNode) && code.contains(selection.focusNode)) {
            event.clipboardData?.setData('text/plain', id);
            event.preventDefault();
        }
    });
    return h('span', { class: 'id-wrap' }, options.href ? h('a', { href: options.href }, code) : code, copyButton(id));
}

/** The link to a note's provenance page, for `idText`'s href. */
export function provenanceHref(noteId: string): string {
    return `#/provenance/${encodeURIComponent(noteId)}`;
}

/** Two overlapping sheets: the usual "copy" picture (drawn, so it needs no font that has the glyph). */
function copyIcon(): SVGSVGElement {
    const line = { fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6 };
    return svg('svg', { width: 12, height: 12, viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' }, svg('rect', { x: 5.5, y: 5.5, width: 9, height: 9, rx: 1.5, ...line }), svg('path', { d: 'M2.5 10.5v-7a1 1 0 0 1 1-1h7', ...line }));
}

function copyButton(text: string): HTMLButtonElement {
    const copy = h('button', { type: 'button', class: 'copy-id', title: `Copy ${text}`, 'aria-label': `Copy id ${text}` }, copyIcon());
    copy.addEventListener('click', () => {
        void copyText(text).then((done) => {
            copy.replaceChildren(done ? '✓' : copyIcon());
            copy.title = done ? `Copied ${text}` : `Could not copy; select the id and copy it: ${text}`;
            setTimeout(() => {
                copy.replaceChildren(copyIcon());
                copy.title = `Copy ${text}`;
            }, 1500);
        });
    });
    return copy;
}

/**
 * A button that copies `text` (copyText: the Clipboard API, or the older copy command where it is
 * missing) and says that it did — "✓ Copied" beside it for a moment, announced to screen readers —
 * or, when the browser copied nothing, `fallback`: how to copy it by hand (`onFailure` may show it).
 */
export function copyTextButton(label: string, text: string, fallback: string, onFailure?: () => void, attributes: Record<string, string> = {}): HTMLElement {
    const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const copy = button(
        label,
        () => {
            void copyText(text).then((done) => {
                clearTimeout(timer);
                status.textContent = done ? '✓ Copied' : fallback;
                status.classList.toggle('bad', !done);
                if (done) {
                    timer = setTimeout(() => {
                        status.textContent = '';
                    }, 2000);
                } else {
                    onFailure?.();
                }
            });
        },
        attributes,
    );
    return h('span', { class: 'copy-text' }, copy, ' ', status);
}

/** Puts text on the clipboard: the Clipboard API, or the older copy command where it is missing (plain http). */
export async function copyText(text: string): Promise<boolean> {
    try {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return true;
        }
    } catch {
        // fall back below
    }
    const area = h('textarea', { readonly: true, style: 'position:fixed;top:-100px;opacity:0', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
        return document.execCommand('copy');
    } catch {
        return false;
    } finally {
        area.remove();
    }
}

/**
 * A table with a header row; `empty` is shown when there are no rows. Each cell carries its column's
 * header as `data-label`: where the page's column is narrow (a phone) the table is drawn as stacked
 * rows, each cell labelled with it (app.css), so no column is ever out of reach. The ARIA roles keep
 * the table a table for assistive technology whatever its CSS display.
 */
export function table(headers: string[], rows: Child[][], empty = 'Nothing here yet.', attributes: Record<string, string> = {}): HTMLElement {
    if (rows.length === 0) {
        return h('p', { class: 'empty' }, empty);
    }
    // A wide table scrolls sideways inside its card (with a shadow at the edge that hides columns), never the page.
    return h(
        'div',
        { class: 'table-scroll' },
        h(
            'table',
            { role: 'table', ...attributes },
            h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, headers.map((text) => h('th', { role: 'columnheader', scope: 'col' }, text)))),
            h(
                'tbody',
                { role: 'rowgroup' },
                rows.map((cells) => h('tr', { role: 'row' }, cells.map((cell, index) => h('td', { role: 'cell', 'data-label': headers[index] ?? '' }, cell)))),
            ),
        ),
    );
}

/** A titled card. */
export function card(title: string, ...children: Child[]): HTMLElement {
    return h('section', { class: 'card' }, h('h2', null, title), ...children);
}

/** A labelled form field. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
    return h('label', { class: 'field' }, h('span', { class: 'label' }, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

/**
 * A select of options [value, text]. `selected` is the value chosen at first; a `placeholder`
 * ("Choose …") comes first with the empty value, chosen when nothing else is, and cannot be picked back.
 */
export function select(name: string, options: [string, string][], attributes: Record<string, string> = {}, selected?: string, placeholder?: string): HTMLSelectElement {
    const chosen = selected !== undefined && options.some(([value]) => value === selected) ? selected : undefined;
    return h(
        'select',
        { name, ...attributes },
        placeholder !== undefined ? h('option', { value: '', disabled: true, selected: chosen === undefined }, placeholder) : null,
        options.map(([value, text]) => h('option', { value, selected: value === chosen }, text)),
    );
}

/**
 * The words, detail and code of an error, as a user reads them. `ledger` is true for a refusal or
 * failure reported by the platform (its code is worth showing); false for this client's own checks.
 */
export function describeError(error: unknown): { headline: string; detail: string; code: string; ledger: boolean } {
    if (error instanceof ApiError) {
        return { headline: error.userMessage, detail: readableDetail(error.detail || error.title), code: error.code, ledger: true };
    }
    if (error instanceof AmountInputError || error instanceof InputError) {
        return { headline: error.message, detail: '', code: 'INVALID_ARGUMENT', ledger: false };
    }
    return { headline: describeErrorCode('INTERNAL'), detail: error instanceof Error ? error.message : String(error), code: 'CLIENT_ERROR', ledger: false };
}

/** A form value a user must correct before anything is sent. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'InputError';
    }
}

/** An alert box for an error. */
export function errorPanel(error: unknown): HTMLElement {
    const { headline, detail, code, ledger } = describeError(error);
    return h(
        'div',
        { class: 'error', role: 'alert', 'data-code': code },
        h('strong', null, headline),
        detail && detail !== headline ? h('p', { class: 'detail' }, detail) : null,
        // The code helps support with a platform refusal; a check of this page needs no code.
        ledger ? h('p', { class: 'code' }, h('small', null, `Code ${code}`)) : null,
    );
}

/** Shows an error in words in the outcome slot of `container` (replacing what was there). */
export function showError(container: Element, error: unknown): void {
    const slot = outcomeSlot(container);
    slot.textContent = '';
    slot.appendChild(errorPanel(error));
    slot.scrollIntoView({ block: 'nearest' });
}

/** Empties the outcome slot of `container`. */
export function clearOutcome(container: Element): void {
    const slot = container.querySelector(':scope > .outcome');
    if (slot) {
        slot.textContent = '';
    }
}

/** Where an action's outcome is shown: a slot at the top of `container`. */
function outcomeSlot(container: Element): HTMLElement {
    let slot = container.querySelector(':scope > .outcome') as HTMLElement | null;
    if (!slot) {
        slot = h('div', { class: 'outcome', 'aria-live': 'polite' });
        container.prepend(slot);
    }
    return slot;
}

export interface ActionOptions {
    /** What the progress bar says while the request runs. */
    progress: string;
    /** What to say when it worked; omitted: the view is re-rendered silently. */
    success?: string | ((result: unknown) => string);
    /** Where to show an error (default: the button's closest form or card). */
    container?: Element;
    /** Re-render the view after success (default true). */
    rerender?: boolean;
}

/**
 * Runs a user action: disables the button, shows progress, and on failure shows the error in words
 * next to the action; on success notifies and re-renders. Never throws.
 */
export async function runAction<T>(ctx: AppContext, button: HTMLButtonElement | null, work: () => Promise<T>, options: ActionOptions): Promise<T | undefined> {
    const container = options.container ?? button?.closest('form, .card, .panel') ?? document.body;
    const slot = outcomeSlot(container);
    slot.textContent = '';
    const label = button?.textContent ?? '';
    if (button) {
        button.disabled = true;
        button.setAttribute('aria-busy', 'true');
        button.textContent = 'Working…';
    }
    const done = ctx.progress.start(options.progress);
    try {
        const result = await work();
        const message = typeof options.success === 'function' ? options.success(result) : options.success;
        if (message) {
            ctx.toast(message, 'ok');
        }
        if (options.rerender !== false) {
            const heading = container.closest('section, form')?.querySelector('h2')?.textContent ?? undefined;
            await ctx.rerender();
            focusAfterAction(heading);
        }
        return result;
    } catch (error) {
        slot.appendChild(errorPanel(error));
        slot.scrollIntoView({ block: 'nearest' });
        return undefined;
    } finally {
        done();
        if (button) {
            button.disabled = false;
            button.removeAttribute('aria-busy');
            button.textContent = label;
        }
    }
}

/**
 * After an action re-rendered the page, the button that ran it is gone and the focus would fall to
 * the body: it goes to the heading of the section the action was in (by its text), else the page's
 * heading. The outcome itself is announced by the toast (aria-live). Focus the user moved meanwhile is kept.
 */
export function focusAfterAction(sectionHeading: string | undefined): void {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) {
        return;
    }
    const main = document.querySelector('main');
    const headings = Array.from(main?.querySelectorAll<HTMLElement>('h2') ?? []);
    const target = headings.find((h2) => sectionHeading !== undefined && h2.textContent === sectionHeading) ?? main?.querySelector<HTMLElement>('h1');
    if (target) {
        target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
    }
}

/** A button. */
export function button(text: string, onClick: (event: MouseEvent & { currentTarget: HTMLButtonElement }) => void, attributes: Record<string, string> = {}): HTMLButtonElement {
    return h('button', { type: 'button', ...attributes, onclick: onClick as unknown as EventListener }, text);
}

/** The value of a named control in a form, trimmed. */
export function formValue(form: HTMLFormElement, name: string): string {
    const control = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
    return (control?.value ?? '').trim();
}

/** A required form value. Throws InputError naming the field. */
export function requiredValue(form: HTMLFormElement, name: string, label: string): string {
    const value = formValue(form, name);
    if (value === '') {
        throw new InputError(`Enter ${label}.`);
    }
    return value;
}

/** A loading placeholder. */
export function loading(text = 'Loading…'): HTMLElement {
    return h('p', { class: 'loading', 'aria-busy': 'true' }, text);
}

/**
 * A titled card whose body loads after the page is shown (it says "Loading…" meanwhile, then
 * `data-loaded` is set); a failure shows in words inside it.
 */
export function deferredCard(title: string, attributes: Record<string, string>, load: () => Promise<Child>): HTMLElement {
    const body = h('div', null, loading());
    const section = h('section', { class: 'card', ...attributes, 'aria-busy': 'true' }, h('h2', null, title), body);
    void load()
        .then(
            (content) => replaceBody(body, content),
            (error: unknown) => replaceBody(body, errorPanel(error)),
        )
        .finally(() => {
            section.removeAttribute('aria-busy');
            section.setAttribute('data-loaded', 'true');
        });
    return section;
}

function replaceBody(body: HTMLElement, content: Child): void {
    body.textContent = '';
    body.append(h('div', null, content));
}

/** Marks an element as holding the user's work in progress, which a live refresh must not wipe. */
export function transient<E extends Element>(element: E): E {
    element.setAttribute(TRANSIENT, '');
    return element;
}
