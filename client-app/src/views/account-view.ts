import { MIN_PASSWORD_LENGTH, passwordChangeCheck, passwordChangeRefusal } from '../account-rules';
import { ApiError } from '../api-client';
import { h } from '../dom';
import { langText } from '../format';
import type { AppContext } from './context';
import { InputError, card, field } from './ui';
import { actionForm, grid } from './view-kit';
import { roleName } from './profile-views';

/**
 * Every signed-in user: their account — who they are, and changing their password. A change ends
 * every bearer token of the user (this session's too), so the shell signs the user out.
 */

/**
 * The window event this page raises when the password was changed: the shell (app.ts) signs the
 * user out, saying `detail.notice` on the sign-in page.
 */
export const PASSWORD_CHANGED_EVENT = 'xinlian:password-changed';

/** What the sign-in page says after a password change. */
export const PASSWORD_CHANGED_NOTICE = 'Password changed; sign in with the new password.';

/** The account page: the signed-in user, and the change-password form. */
export function accountView(ctx: AppContext): Node {
    const user = ctx.user;
    if (!user) {
        return h('p', null, 'Sign in first.');
    }
    const password = (name: string, autocomplete: string, label: string): HTMLInputElement => h('input', { name, type: 'password', autocomplete, 'aria-label': label, maxlength: 1024 });
    const change = actionForm(ctx, {
        attributes: { class: 'card', id: 'change-password' },
        title: 'Change password',
        content: [
            h('p', { class: 'muted' }, 'After the change you are signed out here and everywhere else you are signed in; sign in again with the new password. API keys keep working.'),
            grid(
                field('Current password', password('currentPassword', 'current-password', 'Current password')),
                field('New password', password('newPassword', 'new-password', 'New password'), `at least ${MIN_PASSWORD_LENGTH} characters, not your user name`),
                field('Repeat the new password', password('repeatPassword', 'new-password', 'Repeat the new password')),
            ),
        ],
        submit: 'Change password',
        run: async (f) => {
            // Passwords are taken as typed: spaces count.
            const value = (name: string): string => (f.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
            const currentPassword = value('currentPassword');
            const newPassword = value('newPassword');
            const problem = passwordChangeCheck(user.username, { currentPassword, newPassword, repeat: value('repeatPassword') });
            if (problem) {
                throw new InputError(problem.message, { field: problem.field === 'repeat' ? 'repeatPassword' : problem.field });
            }
            await ctx.api.changePassword(currentPassword, newPassword).catch((error: unknown) => {
                const refusal = passwordChangeRefusal(error);
                // A wrong current password is that field's problem; too many attempts is no field's.
                throw refusal ? new InputError(refusal, { field: error instanceof ApiError && error.code === 'FORBIDDEN' ? 'currentPassword' : undefined }) : error;
            });
            // This session's token no longer works: forget it before anything else can use it.
            ctx.api.signOut();
            window.dispatchEvent(new CustomEvent(PASSWORD_CHANGED_EVENT, { detail: { notice: PASSWORD_CHANGED_NOTICE } }));
        },
        options: { progress: 'Changing the password…', rerender: false },
    });
    return h(
        'div',
        null,
        h('h1', null, 'Account'),
        card('Signed in as', h('p', { id: 'account-user' }, h('strong', null, user.username), ` · ${roleName(user.role)} · `, langText(ctx.directory.name(user.enterpriseId)))),
        change,
    );
}
