import { Attributes, Child, h } from '../dom';
import type { AppContext } from './context';
import { ActionOptions, InputError, button, runAction } from './ui';

/** Small builders for the forms and action buttons the views repeat. */

export interface ActionFormSpec<T> {
    /** Attributes of the form (class, id, data-*). */
    attributes: Attributes;
    /** A heading (h2) at the top of the form. */
    title?: string;
    /** What goes between the heading and the submit button. */
    content: Child[];
    /** The submit button's text. */
    submit: string;
    /** Whether the submit button is the primary one (default true). */
    primary?: boolean;
    /** The work a submit runs; errors show inside the form. */
    run: (form: HTMLFormElement) => Promise<T>;
    options: ActionOptions;
    /** Called with the result (undefined on failure) after the action settled. */
    then?: (result: T | undefined, form: HTMLFormElement) => void;
}

/** A form whose submit runs `spec.run` through runAction, with its submit button busy meanwhile. */
export function actionForm<T>(ctx: AppContext, spec: ActionFormSpec<T>): HTMLFormElement {
    const submit = h('button', spec.primary === false ? { type: 'submit' } : { type: 'submit', class: 'primary' }, spec.submit);
    const form = h('form', spec.attributes, spec.title === undefined ? null : h('h2', null, spec.title), spec.content, submit);
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

/** Fields laid out in a grid. */
export function grid(...fields: Child[]): HTMLElement {
    return h('div', { class: 'grid' }, ...fields);
}

/** The trimmed text of a required reason input; throws InputError with `message` when it is empty. */
export function requiredReason(input: HTMLInputElement, message: string): string {
    const reason = input.value.trim();
    if (reason === '') {
        throw new InputError(message);
    }
    return reason;
}
