import { ApiError } from './api-client';
import { secondsText } from './error-messages';
import type { Role, User } from './resources';

/**
 * The rules of user accounts as the gateway applies them (gateway/README.md, Credentials), checked
 * here first so that a user reads what is wrong before anything is sent, and the words for the
 * gateway's refusals of a sign-in.
 */

/** The gateway's password rule: at least this many characters (MIN_PASSWORD_LENGTH), not white space only, and not the user name. */
export const MIN_PASSWORD_LENGTH = 10;

/** What is wrong with `password` as the password of `username` under the gateway's rule, or undefined. */
export function passwordProblem(username: string, password: string): string | undefined {
    if (password.length < MIN_PASSWORD_LENGTH) {
        return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
    }
    if (password.trim() === '') {
        return 'The password must not be spaces only.';
    }
    if (password === username) {
        return 'The password must not be the user name.';
    }
    return undefined;
}

/** The fields of the change-password form. */
export interface PasswordChange {
    currentPassword: string;
    newPassword: string;
    repeat: string;
}

/** What is wrong with a password change of `username` before it is sent, or undefined. */
export function passwordChangeProblem(username: string, change: PasswordChange): string | undefined {
    return passwordChangeCheck(username, change)?.message;
}

/** What is wrong with a password change of `username` before it is sent, and the field it is about; undefined when nothing is. */
export function passwordChangeCheck(username: string, change: PasswordChange): { message: string; field: keyof PasswordChange } | undefined {
    if (change.currentPassword === '') {
        return { message: 'Enter your current password.', field: 'currentPassword' };
    }
    if (change.newPassword === '') {
        return { message: 'Enter the new password.', field: 'newPassword' };
    }
    const rule = passwordProblem(username, change.newPassword);
    if (rule) {
        return { message: rule.replace(/^The password/, 'The new password'), field: 'newPassword' };
    }
    if (change.repeat !== change.newPassword) {
        return { message: 'The repeated password does not match the new password.', field: 'repeat' };
    }
    if (change.newPassword === change.currentPassword) {
        return { message: 'The new password is the same as the current one.', field: 'newPassword' };
    }
    return undefined;
}

/**
 * What the sign-in page says when the gateway refuses a sign-in, or undefined for failures shown
 * as any other error: a wrong name or password (401), a disabled user (403, after a correct
 * password), too many attempts (429, with the wait of its Retry-After).
 */
export function signInRefusal(error: unknown): { code: string; message: string } | undefined {
    if (!(error instanceof ApiError)) {
        return undefined;
    }
    if (error.status === 401 || error.code === 'UNAUTHENTICATED') {
        return { code: 'UNAUTHENTICATED', message: 'The user name or password is wrong.' };
    }
    if (error.status === 403 || error.code === 'FORBIDDEN') {
        return { code: 'FORBIDDEN', message: 'This user is disabled; ask the platform administrator.' };
    }
    if (error.status === 429 || error.code === 'RATE_LIMITED') {
        const wait = error.retryAfterSeconds;
        return { code: 'RATE_LIMITED', message: wait === undefined ? 'Too many sign-in attempts; try again in a moment.' : `Too many sign-in attempts; try again in ${secondsText(wait)}.` };
    }
    return undefined;
}

/** What the change-password form says when the gateway refuses the change, or undefined for other failures. */
export function passwordChangeRefusal(error: unknown): string | undefined {
    if (!(error instanceof ApiError)) {
        return undefined;
    }
    if (error.code === 'FORBIDDEN') {
        return 'The current password is wrong.';
    }
    if (error.code === 'RATE_LIMITED') {
        return error.retryAfterSeconds === undefined ? 'Too many attempts; try again in a moment.' : `Too many attempts; try again in ${secondsText(error.retryAfterSeconds)}.`;
    }
    return undefined;
}

/** Roles that may read any enterprise's enrolled users (GET /enterprises/{id}/users); others only their own enterprise's. */
const ENROLMENT_READERS: readonly Role[] = ['regulator', 'platform-admin'];

/** Whether `user` may read the enrolled users of enterprise `enterpriseId` (anyone else gets FORBIDDEN). */
export function mayReadEnterpriseUsers(user: Pick<User, 'role' | 'enterpriseId'> | undefined, enterpriseId: string): boolean {
    return user !== undefined && (ENROLMENT_READERS.includes(user.role) || user.enterpriseId === enterpriseId);
}
