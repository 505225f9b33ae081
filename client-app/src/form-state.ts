import { INPUT_MAX_LENGTH } from './api-limits';
import { ControlTraits, DraftField, mayKeep } from './session';

/**
 * What a user has typed or picked on a page, so that a page refreshed for live events keeps it.
 *
 * A control is known across renders by its form (the form's id, or its data-* attributes) and its
 * name. After a view is rendered its controls' states are recorded; a control whose state differs
 * is "dirty". A refresh may replace the page only when every dirty control (and the focused one)
 * has a twin in the new page, whose state is then set to the old one; otherwise — something typed
 * outside an identifiable form, a chosen file, an open panel, an error on screen — the page stays.
 *
 * The same identities keep what the user typed when the session ends (captureDrafts, applyDrafts):
 * the shell puts it back on the same page once the same user has signed in again.
 */

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Marks elements whose content is the user's work in progress (open panels, results, confirmations). */
export const TRANSIENT = 'data-transient';

const initial = new WeakMap<Element, string>();

function controlsOf(root: ParentNode): Control[] {
    return Array.from(root.querySelectorAll<Control>('input, select, textarea')).filter((c) => !(c instanceof HTMLInputElement && ['hidden', 'submit', 'button', 'reset', 'image'].includes(c.type)));
}

function stateOf(control: Control): string {
    if (control instanceof HTMLInputElement) {
        if (control.type === 'checkbox' || control.type === 'radio') {
            return control.checked ? 'on' : 'off';
        }
        if (control.type === 'file') {
            return `files:${control.files?.length ?? 0}`;
        }
    }
    if (control instanceof HTMLSelectElement) {
        return Array.from(control.options)
            .filter((o) => o.selected)
            .map((o) => o.value)
            .join('\u0000');
    }
    return control.value;
}

/** The state a control has before anyone touched it: recorded after render, else its empty state. */
function pristineState(control: Control): string | undefined {
    const recorded = initial.get(control);
    if (recorded !== undefined) {
        return recorded;
    }
    if (control instanceof HTMLSelectElement) {
        return undefined; // cannot tell: never counts as dirty
    }
    if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
        return control.defaultChecked ? 'on' : 'off';
    }
    if (control instanceof HTMLInputElement && control.type === 'file') {
        return 'files:0';
    }
    return control.defaultValue;
}

function isDirty(control: Control): boolean {
    const pristine = pristineState(control);
    return pristine !== undefined && stateOf(control) !== pristine;
}

/** Records the state of every control under `root` as it was rendered. */
export function recordRenderedState(root: ParentNode): void {
    for (const control of controlsOf(root)) {
        initial.set(control, stateOf(control));
    }
}

function formIdentity(form: HTMLFormElement): string | undefined {
    // The attribute: `form.id` is the form's control named "id" when it has one.
    const id = form.getAttribute('id');
    if (id) {
        return `#${id}`;
    }
    const data = Array.from(form.attributes)
        .filter((a) => a.name.startsWith('data-'))
        .map((a) => `${a.name}=${a.value}`)
        .sort()
        .join(',');
    return data ? `[${data}]` : undefined;
}

/** A control's identity across renders, or undefined when it has none (outside a known form, unnamed). */
function controlKey(control: Control): string | undefined {
    const form = control.closest('form');
    const formKey = form ? formIdentity(form) : undefined;
    if (!form || !formKey || !control.name) {
        return undefined;
    }
    if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
        return `${formKey}|${control.name}=${control.value}`;
    }
    const namesakes = controlsOf(form).filter((c) => c.name === control.name);
    return `${formKey}|${control.name}#${namesakes.indexOf(control)}`;
}

function controlsByKey(root: ParentNode): Map<string, Control> {
    const map = new Map<string, Control>();
    for (const control of controlsOf(root)) {
        const key = controlKey(control);
        if (key !== undefined && !map.has(key)) {
            map.set(key, control);
        }
    }
    return map;
}

/** A plan to carry the user's input from the page on screen into its refreshed version. */
export interface RefreshPlan {
    /** Why the page must stay as it is; undefined when it may be refreshed. */
    readonly blocker: string | undefined;
    /** Whether every control to carry over has its twin in `next` (not yet on screen). */
    fits(next: ParentNode): boolean;
    /** Sets the carried-over states (and focus) in `next`, once it is on screen. */
    apply(next: ParentNode): void;
}

/** Looks at what the user has going on under `root` and plans its refresh. */
export function planRefresh(root: ParentNode): RefreshPlan {
    const transient = Array.from(root.querySelectorAll(`[${TRANSIENT}], .outcome`)).some((el) => el.childNodes.length > 0);
    const dirty = controlsOf(root).filter(isDirty);
    const active = document.activeElement;
    const focused = active && (root as Node).contains(active) && controlsOf(root).includes(active as Control) ? (active as Control) : undefined;
    const carried = new Map<string, Control>();
    let blocker: string | undefined = transient ? 'work in progress on the page' : undefined;
    for (const control of focused && !dirty.includes(focused) ? [...dirty, focused] : dirty) {
        const key = controlKey(control);
        if (key === undefined || (control instanceof HTMLInputElement && control.type === 'file' && isDirty(control))) {
            blocker ??= 'input that cannot be carried over';
        } else {
            carried.set(key, control);
        }
    }
    const focusKey = focused ? controlKey(focused) : undefined;
    const selection = focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement ? safeSelection(focused) : undefined;
    return {
        blocker,
        fits(next) {
            const twins = controlsByKey(next);
            return [...carried.keys()].every((key) => twins.has(key));
        },
        apply(next) {
            const twins = controlsByKey(next);
            // In page order, so that a field a view derives from others (a total) is set after them.
            for (const [key, control] of [...twins].filter(([k]) => carried.has(k))) {
                const from = carried.get(key) as Control;
                if (isDirty(from)) {
                    setStateTo(control, stateOf(from));
                }
            }
            const target = focusKey ? twins.get(focusKey) : undefined;
            if (target) {
                target.focus({ preventScroll: true });
                if (selection && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
                    try {
                        target.setSelectionRange(selection[0], selection[1]);
                    } catch {
                        // number and date inputs have no selection
                    }
                }
            }
        },
    };
}

function safeSelection(control: HTMLInputElement | HTMLTextAreaElement): [number, number] | undefined {
    try {
        return control.selectionStart === null || control.selectionEnd === null ? undefined : [control.selectionStart, control.selectionEnd];
    } catch {
        return undefined;
    }
}

// ------------------------------------------------------------------ values kept when the session ends

/** Attributes that say nothing about which form a control belongs to. */
const NOT_IDENTITY = new Set(['data-transient', 'data-view']);

/**
 * A control's identity for keeping its value over a new sign-in: as across a live refresh (its form
 * and name), else — a reason box next to its button, in a table row — the nearest element around it
 * with an id or data-* attributes, and its name there. Undefined when it has neither.
 */
function draftKey(control: Control): string | undefined {
    const strict = controlKey(control);
    if (strict !== undefined) {
        return strict;
    }
    const name = control.name || control.getAttribute('aria-label') || '';
    if (!name) {
        return undefined;
    }
    for (let scope = control.parentElement; scope && scope.tagName !== 'MAIN' && scope !== document.body; scope = scope.parentElement) {
        const identity = [
            scope.id ? `#${scope.id}` : '',
            ...Array.from(scope.attributes)
                .filter((a) => a.name.startsWith('data-') && !NOT_IDENTITY.has(a.name))
                .map((a) => `${a.name}=${a.value}`)
                .sort(),
        ]
            .filter((part) => part !== '')
            .join(',');
        if (identity) {
            if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
                return `~[${identity}]|${name}=${control.value}`;
            }
            const namesakes = controlsOf(scope).filter((c) => (c.name || c.getAttribute('aria-label') || '') === name);
            return `~[${identity}]|${name}#${namesakes.indexOf(control)}`;
        }
    }
    return undefined;
}

/** The traits `mayKeep` judges a control by. */
function traitsOf(control: Control): ControlTraits {
    return {
        type: control instanceof HTMLInputElement ? control.type : control.tagName.toLowerCase(),
        name: control.name,
        autocomplete: control.getAttribute('autocomplete') ?? undefined,
        label: control.getAttribute('aria-label') ?? undefined,
    };
}

/**
 * What the user has typed or picked under `root`, to keep when the session ends: each changed
 * control that can be found again, except passwords, secrets and files (files chosen are counted,
 * to say that they must be chosen again). Nothing inside `[data-no-draft]` is kept.
 */
export function captureDrafts(root: ParentNode): { fields: DraftField[]; files: number } {
    const fields: DraftField[] = [];
    let files = 0;
    for (const control of controlsOf(root).filter(isDirty)) {
        if (control instanceof HTMLInputElement && control.type === 'file') {
            files += 1;
            continue;
        }
        if (control.closest('[data-no-draft]') || !mayKeep(traitsOf(control))) {
            continue;
        }
        const key = draftKey(control);
        if (key !== undefined && !fields.some((f) => f.key === key)) {
            fields.push({ key, value: stateOf(control) });
        }
    }
    return { fields, files };
}

/**
 * Puts kept values back into their controls under `root` (a page just rendered, a panel just
 * opened), never into a password or secret, in page order and with the events views derive hints
 * and totals from — so a value a view derives from another (an amount from the receivables ticked)
 * is set after it, to what the user had. Returns the fields whose control is not on the page (yet:
 * in a panel not open).
 */
export function applyDrafts(root: ParentNode, fields: readonly DraftField[]): DraftField[] {
    const wanted = new Map(fields.map((f) => [f.key, f]));
    const applied = new Set<string>();
    for (const control of controlsOf(root)) {
        if (wanted.size === applied.size) {
            break;
        }
        const key = draftKey(control);
        const field = key !== undefined ? wanted.get(key) : undefined;
        if (!field || applied.has(field.key) || !mayKeep(traitsOf(control)) || (control instanceof HTMLInputElement && control.type === 'file')) {
            continue;
        }
        applied.add(field.key);
        setStateTo(control, field.value);
    }
    return fields.filter((f) => !applied.has(f.key));
}

/**
 * Sets a control to a state as `stateOf` describes it (never a file input's), with the events a user's
 * change would fire: views derive hints, totals and checks from them.
 */
function setStateTo(control: Control, state: string): void {
    if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
        control.checked = state === 'on';
    } else if (control instanceof HTMLSelectElement) {
        const chosen = new Set(state.split('\u0000'));
        for (const option of Array.from(control.options)) {
            option.selected = chosen.has(option.value);
        }
    } else {
        control.value = state;
    }
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
}

// ------------------------------------------------------------------ limits the API documents

/** Input types whose value is free text (the ones maxlength applies to). */
const TEXT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password']);

/**
 * Gives each text control under `root` (and `root` itself) whose name the API limits alike in every
 * request (INPUT_MAX_LENGTH: a reason, a name, a title) that length as its maxlength, unless it has
 * one already: the browser then takes no more than the gateway would.
 */
export function limitInputs(root: ParentNode): void {
    const controls = Array.from(root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[name], textarea[name]'));
    if (root instanceof HTMLInputElement || root instanceof HTMLTextAreaElement) {
        controls.push(root);
    }
    for (const control of controls) {
        const most = INPUT_MAX_LENGTH[control.name];
        const text = control instanceof HTMLTextAreaElement || TEXT_TYPES.has(control.type);
        if (most !== undefined && text && !control.hasAttribute('maxlength')) {
            control.maxLength = most;
        }
    }
}
