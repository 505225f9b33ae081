import { ApiError } from '../api-client';
import { Child, h, svg } from '../dom';
import { DetailContext, describeErrorCode, fieldName, readableDetail, validationProblems } from '../error-messages';
import { creditLineExpired } from '../../../chaincode/src/ledger/expiry';
import { AmountInputError, formatMoney, humanizeCode, langText, shortId } from '../format';
import { TRANSIENT, recordRenderedState } from '../form-state';
import { InputError } from '../input-error';
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

/**
 * A title as a heading's content: text, with its Chinese runs marked lang="zh-Hans" (langText), or
 * content already built (a name marked inside a sentence: ['Request from ', langText(name)]).
 */
export function titleContent(title: Child): Child {
    return typeof title === 'string' ? langText(title) : title;
}

/** A titled card; the title is text (Chinese in it is marked) or built content. */
export function card(title: Child, ...children: Child[]): HTMLElement {
    return h('section', { class: 'card' }, h('h2', null, titleContent(title)), ...children);
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
 * `context` names fields by the labels of the form the error is shown in.
 */
export function describeError(error: unknown, context: DetailContext = {}): { headline: string; detail: string; code: string; ledger: boolean } {
    if (error instanceof ApiError) {
        return { headline: error.userMessage, detail: readableDetail(error.detail || error.title, context), code: error.code, ledger: true };
    }
    if (error instanceof AmountInputError || error instanceof InputError) {
        return { headline: error.message, detail: '', code: 'INVALID_ARGUMENT', ledger: false };
    }
    return { headline: describeErrorCode('INTERNAL'), detail: error instanceof Error ? error.message : String(error), code: 'CLIENT_ERROR', ledger: false };
}

/** A form value a user must correct before anything is sent (with the control it is about, when it is about one). */
export { InputError };

/** An alert box for an error. */
export function errorPanel(error: unknown): HTMLElement {
    return summaryPanel(error, []);
}

/**
 * The alert box of an error shown in a form: its headline, and each problem in words — a problem
 * with a field of the form as a link to that field (its label and what is wrong, said next to the
 * field too); the code of a platform refusal.
 */
function summaryPanel(error: unknown, problems: readonly ShownProblem[], context: DetailContext = {}): HTMLElement {
    const described = describeError(error, context);
    const { detail, code, ledger } = described;
    // A check of this page about one field says which field ("Name: at most 200 characters …"), unless its words do.
    const own = error instanceof InputError && problems.length === 1;
    const headline = own ? problems[0].summary : described.headline;
    const listed = problems.length > 0 && !own;
    return h(
        'div',
        { class: 'error', role: 'alert', 'data-code': code },
        h('strong', null, langText(headline)),
        listed
            ? h(
                  'ul',
                  { class: 'problems' },
                  problems.map((problem) => h('li', null, problem.control ? fieldLink(problem.control, problem.summary) : langText(problem.summary))),
              )
            : detail && detail !== headline
              ? h('p', { class: 'detail' }, langText(detail))
              : null,
        // The code helps support with a platform refusal; a check of this page needs no code.
        ledger ? h('p', { class: 'code' }, h('small', null, `Code ${code}`)) : null,
    );
}

/** A link in an error summary that takes the keyboard to the field in error. */
function fieldLink(control: HTMLElement, text: string): HTMLElement {
    const id = control.id || (control.id = `field-${++fieldIds}`);
    return h(
        'a',
        {
            href: `#${id}`,
            onclick: (event: MouseEvent) => {
                // Not a route: the hash is the router's.
                event.preventDefault();
                control.focus();
            },
        },
        langText(text),
    );
}

let fieldIds = 0;

/**
 * Shows an error in words in the outcome slot of `container` (replacing what was there), and next to
 * the fields it is about (of several of one name, the one nearest `near`: the button that asked).
 */
export function showError(container: Element, error: unknown, near?: Element): void {
    const slot = outcomeSlot(container);
    slot.textContent = '';
    showFormError(container, slot, error, near);
}

/** Empties the outcome slot of `container`, and takes the errors off its fields. */
export function clearOutcome(container: Element): void {
    const slot = container.querySelector(':scope > .outcome');
    if (slot) {
        slot.textContent = '';
    }
    clearFieldErrors(container);
}

// ------------------------------------------------------------------ errors next to their fields

/** A problem of an error as the form shows it. */
interface ShownProblem {
    /** The control it is about (the first of a group), when the form has it. */
    control: HTMLElement | undefined;
    /** What is said next to the control. */
    text: string;
    /** What the summary says: the field's label and the problem. */
    summary: string;
}

/** The attribute that marks what this module added for a field in error. */
const FIELD_ERROR = 'data-field-error';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The controls of `container` named `name` (a group of checkboxes has several), hidden ones left out. */
function controlsNamed(container: Element, name: string): Control[] {
    return Array.from(container.querySelectorAll<Control>('input, select, textarea')).filter(
        (c) => c.name === name && !(c instanceof HTMLInputElement && c.type === 'hidden') && !c.closest('[hidden]'),
    );
}

/** The visible label of a control: its field's label, its aria-label, its group's legend. */
export function labelOf(control: Element): string | undefined {
    const group = control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio') ? control.closest('fieldset') : null;
    const text =
        (group ? group.querySelector(':scope > legend')?.textContent : undefined) ??
        control.closest('label.field')?.querySelector('.label')?.textContent ??
        control.getAttribute('aria-label') ??
        (control as Control).labels?.[0]?.textContent ??
        undefined;
    const trimmed = text?.trim();
    return trimmed ? trimmed : undefined;
}

/** "Name: at most 200 characters", or the message alone when it names the field already ("Enter the name."). */
function withLabel(label: string, text: string): string {
    if (text.toLowerCase().includes(label.toLowerCase())) {
        return text;
    }
    return `${label}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

function capitalised(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The problems of `error` as `container` shows them: an InputError about a field, or each problem of
 * the gateway's validation detail (body.x, path.id, query.y), tied to the control of that name when
 * the form has one. Nothing for an error about no field.
 */
function problemsIn(container: Element, error: unknown, near: Element | undefined): ShownProblem[] {
    if (error instanceof InputError) {
        const known = error.control instanceof HTMLElement && container.contains(error.control) ? (error.control as Control) : undefined;
        const control = known ?? (error.field ? nearest(controlsNamed(container, error.field), near) : undefined);
        const label = control ? labelOf(control) : undefined;
        return error.field || control ? [{ control, text: error.message, summary: label && error.needsLabel ? withLabel(label, error.message) : error.message }] : [];
    }
    if (!(error instanceof ApiError) || error.status !== 400) {
        return [];
    }
    const problems = validationProblems(error.detail);
    if (!problems) {
        return [];
    }
    const context = fieldContext(container, near);
    return problems.map((problem) => {
        const control = problem.field ? nearest(controlsNamed(container, problem.field), near) : undefined;
        const text = capitalised(readableDetail(problem.message));
        return { control, text, summary: withLabel(fieldName(problem, context), text) };
    });
}

/** Names fields by the labels of `container`'s controls (those nearest `near`). */
function fieldContext(container: Element, near?: Element): DetailContext {
    return {
        fieldLabel: (_where, field) => {
            const control = nearest(controlsNamed(container, field), near);
            return control ? labelOf(control) : undefined;
        },
    };
}

/**
 * Of several controls of one name (a reason box in each row of a table), the one nearest `near`
 * (the button that ran the action): the one sharing the deepest ancestor with it; else the first.
 */
function nearest<E extends Element>(controls: readonly E[], near: Element | undefined): E | undefined {
    if (!near || controls.length < 2) {
        return controls[0];
    }
    const depth = (control: E): number => {
        let n = 0;
        for (let e: Element | null = control; e; e = e.parentElement) {
            if (e.contains(near)) {
                for (let up: Element | null = e; up; up = up.parentElement) {
                    n += 1;
                }
                return n;
            }
        }
        return 0;
    };
    return controls.reduce((best, c) => (depth(c) > depth(best) ? c : best), controls[0]);
}

/**
 * Shows `error` in `container`: each problem about a field next to that field — marked
 * aria-invalid, described by the message (aria-describedby) — and, in `slot`, a summary with a link
 * to each such field and whatever is about no field. The keyboard goes to the first field in error.
 */
function showFormError(container: Element, slot: HTMLElement, error: unknown, near?: Element): void {
    clearFieldErrors(container);
    const problems = problemsIn(container, error, near);
    slot.appendChild(summaryPanel(error, problems, fieldContext(container)));
    slot.scrollIntoView({ block: 'nearest' });
    const marked = problems.filter((p) => p.control !== undefined);
    for (const problem of marked) {
        markField(problem.control as Control, problem.text);
    }
    const first = marked
        .map((p) => p.control as HTMLElement)
        .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
    first?.focus();
}

/** Says `text` next to `control` (and every control of its group), which is marked invalid and described by it. */
function markField(control: Control, text: string): void {
    // A group of checkboxes (radios) of one name is one field; any other control is one on its own.
    const choice = control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio');
    const fieldset = choice ? control.closest('fieldset') : null;
    const scope = fieldset ?? control.form;
    const group = choice && control.name && scope ? controlsNamed(scope, control.name) : [control];
    const id = `field-error-${++fieldIds}`;
    // Hidden from the label's own text (it wraps the control), read as the control's description.
    const message = h('span', { class: 'field-error', id, [FIELD_ERROR]: '', 'aria-hidden': 'true' }, langText(text));
    const legend = fieldset?.querySelector(':scope > legend');
    if (legend) {
        legend.after(message);
    } else if (group.length > 1) {
        (group[group.length - 1].closest('label') ?? group[group.length - 1]).after(message);
    } else {
        control.after(message);
    }
    for (const member of group) {
        member.setAttribute('aria-invalid', 'true');
        member.setAttribute('aria-describedby', [id, ...(member.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)].join(' '));
        member.setAttribute(FIELD_ERROR, id);
    }
}

/** Takes the errors shown next to fields in `container` off again. */
export function clearFieldErrors(container: Element): void {
    for (const message of Array.from(container.querySelectorAll(`span.field-error[${FIELD_ERROR}]`))) {
        message.remove();
    }
    for (const control of Array.from(container.querySelectorAll(`[${FIELD_ERROR}]`))) {
        const id = control.getAttribute(FIELD_ERROR);
        const rest = (control.getAttribute('aria-describedby') ?? '')
            .split(/\s+/)
            .filter((part) => part !== '' && part !== id);
        if (rest.length > 0) {
            control.setAttribute('aria-describedby', rest.join(' '));
        } else {
            control.removeAttribute('aria-describedby');
        }
        control.removeAttribute('aria-invalid');
        control.removeAttribute(FIELD_ERROR);
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
    clearFieldErrors(container);
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
        // Sent: what was typed in the action's own form or card is not kept as a draft of the page.
        const own = container !== document.body && container.tagName !== 'MAIN';
        if (options.rerender !== false) {
            const heading = container.closest('section, form')?.querySelector('h2')?.textContent ?? undefined;
            if (own) {
                container.setAttribute(SENT, '');
            }
            await ctx.rerender();
            focusAfterAction(heading);
        } else if (own) {
            // Still on screen: what it holds now is where the form stands (what is typed next is a draft again).
            recordRenderedState(container);
        }
        return result;
    } catch (error) {
        showFormError(container, slot, error, button ?? undefined);
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

/** A required form value. Throws InputError naming the field (shown next to it). */
export function requiredValue(form: HTMLFormElement, name: string, label: string): string {
    const value = formValue(form, name);
    if (value === '') {
        throw new InputError(`Enter ${label}.`, { field: name, needsLabel: true });
    }
    return value;
}

/**
 * Reads or checks the value of the control named `name`: a problem `read` throws about no field
 * (an InputError without one, an AmountInputError of a typed amount) is about that control, so it
 * is said next to it. Problems about another field are left as they are.
 */
export function checkField<T>(name: string, read: () => T): T {
    try {
        return read();
    } catch (error) {
        if ((error instanceof InputError && error.field === undefined && error.control === undefined) || error instanceof AmountInputError) {
            throw new InputError(error.message, { field: name });
        }
        throw error;
    }
}

/** Throws `problem` (a check's verdict: undefined when the value may be sent) as an InputError about the control named `name`. */
export function fieldProblem(name: string, problem: string | undefined): void {
    if (problem) {
        throw new InputError(problem, { field: name });
    }
}

/** A loading placeholder. */
export function loading(text = 'Loading…'): HTMLElement {
    return h('p', { class: 'loading', 'aria-busy': 'true' }, text);
}

/**
 * A titled card whose body loads after the page is shown (it says "Loading…" meanwhile, then
 * `data-loaded` is set); a failure shows in words inside it.
 */
export function deferredCard(title: Child, attributes: Record<string, string>, load: () => Promise<Child>): HTMLElement {
    const body = h('div', null, loading());
    const section = h('section', { class: 'card', ...attributes, 'aria-busy': 'true' }, h('h2', null, titleContent(title)), body);
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

/**
 * Marks what an action sent successfully (its form or card): its values are not kept as a draft of
 * the page (the shell's captureDrafts leaves out everything under `[data-no-draft]`).
 */
const SENT = 'data-no-draft';

/** Marks an element as holding the user's work in progress, which a live refresh must not wipe. */
export function transient<E extends Element>(element: E): E {
    element.setAttribute(TRANSIENT, '');
    return element;
}
