/**
 * A value a user must correct before anything is sent: what to say, and — when the problem is about
 * one control of the form — that control's name (`field`), so the form can say it next to the control.
 */
export class InputError extends Error {
    /** The name of the control (or of the request's field) the problem is about, when it is about one. */
    readonly field: string | undefined;
    /** The control itself, when the check knows it (one of several of the same name: a reason box in a table row). */
    readonly control: Element | undefined;
    /**
     * Whether the message reads right only next to its control ("At most 200 characters are allowed
     * here", "Give the reason."): the form's summary then puts the control's label before it. Without
     * it the message is a sentence that says what it is about, and the summary shows it as it is.
     */
    readonly needsLabel: boolean;

    constructor(message: string, options: { field?: string; control?: Element; needsLabel?: boolean } = {}) {
        super(message);
        this.name = 'InputError';
        this.field = options.field;
        this.control = options.control;
        this.needsLabel = options.needsLabel ?? false;
    }
}
