import { ApiError } from '../api-client';
import { Child, h } from '../dom';
import { describeErrorCode } from '../error-messages';
import { creditLineExpired } from '../../../chaincode/src/ledger/expiry';
import { AmountInputError, formatMoney, humanizeCode, shortId } from '../format';
import type { AppContext } from './context';

/** Shared widgets of the views. */

/** An amount with its currency, exact. */
export function money(amount: string | undefined, currency: string | undefined): HTMLElement {
    return h('span', { class: 'money' }, formatMoney(amount, currency));
}

/**
 * True when a credit line can back a new note: ACTIVE and not past its expiry (the chaincode refuses
 * an expired line with EXPIRED, though its stored status stays ACTIVE).
 */
export function lineUsable(line: { status: string; expiresAt: string }, now: Date): boolean {
    return line.status === 'ACTIVE' && !creditLineExpired(line, now);
}

/** A credit line's status badge: "Expired" for an ACTIVE line past its expiry. */
export function lineBadge(line: { status: string; expiresAt: string }, now: Date): HTMLElement {
    return badge(line.status === 'ACTIVE' && creditLineExpired(line, now) ? 'EXPIRED' : line.status);
}

/** A status as a coloured badge. */
export function badge(status: string | undefined): HTMLElement {
    const value = status ?? 'UNKNOWN';
    return h('span', { class: `badge badge-${value.toLowerCase().replace(/[^a-z]/g, '-')}` }, humanizeCode(value));
}

/** A shortened id with the full id in its title, monospace. */
export function idText(id: string | undefined): HTMLElement {
    return h('code', { class: 'id', title: id ?? '' }, id ? shortId(id) : '—');
}

/** A table with a header row; `empty` is shown when there are no rows. */
export function table(headers: string[], rows: Child[][], empty = 'Nothing here yet.', attributes: Record<string, string> = {}): HTMLElement {
    if (rows.length === 0) {
        return h('p', { class: 'empty' }, empty);
    }
    return h(
        'table',
        attributes,
        h('thead', null, h('tr', null, headers.map((text) => h('th', null, text)))),
        h(
            'tbody',
            null,
            rows.map((cells) => h('tr', null, cells.map((cell) => h('td', null, cell)))),
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

/** A select of options [value, text]. */
export function select(name: string, options: [string, string][], attributes: Record<string, string> = {}): HTMLSelectElement {
    return h(
        'select',
        { name, ...attributes },
        options.map(([value, text]) => h('option', { value }, text)),
    );
}

/** The words, detail and code of an error, as a user reads them. */
export function describeError(error: unknown): { headline: string; detail: string; code: string } {
    if (error instanceof ApiError) {
        return { headline: error.userMessage, detail: error.detail || error.title, code: error.code };
    }
    if (error instanceof AmountInputError) {
        return { headline: error.message, detail: '', code: 'INVALID_ARGUMENT' };
    }
    if (error instanceof InputError) {
        return { headline: error.message, detail: '', code: 'INVALID_ARGUMENT' };
    }
    return { headline: describeErrorCode('INTERNAL'), detail: error instanceof Error ? error.message : String(error), code: 'CLIENT_ERROR' };
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
    const { headline, detail, code } = describeError(error);
    return h(
        'div',
        { class: 'error', role: 'alert', 'data-code': code },
        h('strong', null, headline),
        detail ? h('p', { class: 'detail' }, detail) : null,
        h('p', { class: 'code' }, `Error code: ${code}`),
    );
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
            ctx.rerender();
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
