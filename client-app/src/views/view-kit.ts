import { Attributes, Child, h } from '../dom';
import { formatDateTime, langText } from '../format';
import type { AppContext } from './context';
import { ActionOptions, InputError, button, clearOutcome, runAction, showError, titleContent, transient } from './ui';

/** Small builders for the forms and action buttons the views repeat. */

export interface ActionFormSpec<T> {
    /** Attributes of the form (class, id, data-*). */
    attributes: Attributes;
    /** A heading (h2) at the top of the form: text (Chinese in it is marked) or built content. */
    title?: Child;
    /** What goes between the heading and the submit button. */
    content: Child[];
    /** The submit button's text. */
    submit: string;
    /** Whether the submit button is the primary one (default true). */
    primary?: boolean;
    /** Further attributes of the submit button (disabled with a reason, say). */
    submitAttributes?: Record<string, string>;
    /** The work a submit runs; errors show inside the form. */
    run: (form: HTMLFormElement) => Promise<T>;
    options: ActionOptions;
    /** Called with the result (undefined on failure) after the action settled. */
    then?: (result: T | undefined, form: HTMLFormElement) => void;
}

/**
 * A form whose submit runs `spec.run` through runAction, with its submit button busy meanwhile.
 * The browser's own validation is off (novalidate): `run` checks the values and says in the form,
 * in words, what is wrong — a native tooltip would block the submit and leave an earlier error standing.
 */
export function actionForm<T>(ctx: AppContext, spec: ActionFormSpec<T>): HTMLFormElement {
    const submit = h('button', { ...(spec.primary === false ? { type: 'submit' } : { type: 'submit', class: 'primary' }), ...spec.submitAttributes }, spec.submit);
    const form = h('form', { ...spec.attributes, novalidate: true }, spec.title === undefined ? null : h('h2', null, titleContent(spec.title)), spec.content, submit);
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        void runAction(ctx, submit, () => spec.run(form), { container: form, ...spec.options }).then((result) => spec.then?.(result, form));
    });
    return form;
}

/** A button that runs `work` through runAction (busy while it runs, error in words, re-render on success). */
export function actionButton<T>(ctx: AppContext, text: string, work: () => Promise<T>, options: ActionOptions, attributes: Record<string, string> = {}): HTMLButtonElement {
    return button(text, (event) => void runAction(ctx, event.currentTarget, work, options), attributes);
}

export interface ConfirmOptions extends ActionOptions {
    /** Checks the inputs before asking (throws InputError, shown in words). */
    check?: () => void;
    /**
     * The style of "Yes": `danger` (red) for what destroys or takes away — revoke, freeze, cancel,
     * terminate, decline — and `primary` for what the user asks for and gets — accept, redeem, pay
     * out. Default: `primary` when the button that asks is a primary one, else `danger`.
     */
    tone?: 'danger' | 'primary';
}

/** The tone of a confirmation: the one asked for, else primary for a primary button, else danger. */
export function confirmTone(options: Pick<ConfirmOptions, 'tone'>, attributes: Record<string, string>): 'danger' | 'primary' {
    return options.tone ?? ((attributes.class ?? '').split(/\s+/).includes('primary') ? 'primary' : 'danger');
}

/**
 * A button for an action that cannot be undone. Its click first asks in place — `question`, then
 * "Yes, <text>" and "No" — and only "Yes" runs `work` through runAction. "No" and Escape put the
 * question away and the keyboard focus back on the button that asked; so does a failed "Yes".
 */
export function confirmButton<T>(ctx: AppContext, text: string, question: string | (() => string), work: () => Promise<T>, options: ConfirmOptions, attributes: Record<string, string> = {}): HTMLElement {
    const wrap = h('span', { class: 'confirmable' });
    const tone = confirmTone(options, attributes);
    const containerOf = (): Element => options.container ?? wrap.closest('form, .card, .panel') ?? document.body;
    /** Puts the question away; the focus, if it was in the question (or lost), goes back to the button that asked, when that is still on the page. */
    const close = (): void => {
        const hadFocus = wrap.contains(document.activeElement) || document.activeElement === document.body || document.activeElement === null;
        wrap.querySelector('.confirm')?.remove();
        ask.hidden = false;
        if (hadFocus && ask.isConnected) {
            ask.focus();
        }
    };
    const ask = button(
        text,
        () => {
            const container = containerOf();
            try {
                options.check?.();
            } catch (error) {
                showError(container, error, ask);
                return;
            }
            clearOutcome(container);
            const yes = button(
                `Yes, ${text.charAt(0).toLowerCase()}${text.slice(1)}`,
                // After a success the page is rendered anew (runAction moves the focus to its section);
                // after a failure the error shows next to the button, which asks again.
                (event) => void runAction(ctx, event.currentTarget, work, { ...options, container }).then(() => close()),
                { class: tone },
            );
            const box = transient(
                h(
                    'span',
                    { class: `confirm confirm-${tone}`, role: 'group', 'aria-label': `Confirm: ${text}` },
                    // The names it asks about (an enterprise's, say) are marked as Chinese where they are.
                    h('span', { class: 'question' }, langText(typeof question === 'function' ? question() : question)),
                    yes,
                    button('No', () => close()),
                ),
            );
            box.addEventListener('keydown', (event) => {
                if (event.key === 'Escape' && !event.isComposing) {
                    // Escape answers No, and only that: an open panel around it stays open.
                    event.preventDefault();
                    event.stopPropagation();
                    close();
                }
            });
            ask.hidden = true;
            wrap.append(box);
            yes.focus();
        },
        attributes,
    );
    wrap.append(ask);
    return wrap;
}

/**
 * "Mark overdue" for a root its issuer has not redeemed (anyone may, from its grace deadline: 00:00
 * UTC of the day after the maturity date plus the grace days). Before that deadline (judged by the
 * ledger's time `now`) the button is disabled and says from when it can work.
 */
export function markOverdueButton(ctx: AppContext, rootId: string, issuerName: string, deadline: Date, now: Date = ctx.now()): HTMLElement {
    if (now.getTime() < deadline.getTime()) {
        const when = formatDateTime(deadline.toISOString());
        return h(
            'span',
            { class: 'not-yet' },
            h('button', { type: 'button', class: 'danger', disabled: true, 'data-action': 'mark-overdue', title: `Can be marked overdue from ${when}` }, 'Mark overdue'),
            h('small', { class: 'muted not-yet-hint' }, ` Can be marked overdue from ${when}`),
        );
    }
    return confirmButton(
        ctx,
        'Mark overdue',
        `Record on the ledger that ${issuerName} has not redeemed note ${rootId} before ${formatDateTime(deadline.toISOString())} (its maturity date plus grace)? It counts against ${issuerName}'s credit profile and cannot be undone.`,
        () => ctx.api.markOverdue(rootId),
        { progress: 'Marking the note overdue…', success: 'The note is marked overdue.' },
        { class: 'danger', 'data-action': 'mark-overdue' },
    );
}

/** The attributes that disable an action of a frozen enterprise, with the reason as its tooltip; none otherwise. */
export function frozenAttributes(ctx: AppContext): Record<string, string> {
    return ctx.frozenReason ? { disabled: 'true', title: ctx.frozenReason, 'aria-disabled': 'true', 'data-frozen': 'true' } : {};
}

/** Submits `form` when Enter is pressed in `input` (an inline reason box next to its action button). */
export function submitOnEnter(input: HTMLInputElement, action: () => HTMLButtonElement | null | undefined): HTMLInputElement {
    input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.isComposing) {
            event.preventDefault();
            const target = action();
            if (target && !target.disabled) {
                target.click();
            }
        }
    });
    return input;
}

/** Moves the keyboard focus to the first field of a panel just opened (its first input, select or textarea). */
export function focusFirstField(panel: Element): void {
    const first = panel.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])');
    first?.focus();
}

/** Fields laid out in a grid. */
export function grid(...fields: Child[]): HTMLElement {
    return h('div', { class: 'grid' }, ...fields);
}

/** The trimmed text of a required reason input; throws InputError with `message`, about that input, when it is empty. */
export function requiredReason(input: HTMLInputElement, message: string): string {
    const reason = input.value.trim();
    if (reason === '') {
        throw new InputError(message, { field: input.name || undefined, control: input, needsLabel: true });
    }
    return reason;
}
