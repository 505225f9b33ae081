import { z } from 'zod';
import { BoundedText, EmptyBody, EnterpriseId, Role, UserView } from '../schemas';
import type { RouteSpec } from '../route-spec';
import { secretField } from '../router';
import { MIN_PASSWORD_LENGTH } from '../../config';
import { MAX_ENDED_TOKENS } from '../../auth/auth-service';
import { AppError } from '../../errors';

const tag = 'Auth and users';

const Username = z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, 'must be a user name: 2 to 32 lower-case letters, digits, dots, underscores or hyphens, starting with a letter');
/** A password to set: at least 10 characters, not the user name (the service checks that). */
const NewPassword = () =>
    secretField(
        z
            .string()
            .min(MIN_PASSWORD_LENGTH)
            .max(1024)
            .refine((value) => value.trim() !== '', 'must not be white space only')
            .describe(`at least ${MIN_PASSWORD_LENGTH} characters, not white space only, not the user name`),
    );
const UserAccount = UserView.extend({ disabled: z.boolean().describe('a disabled user cannot log in; its tokens and API keys are refused') });

export const authRoutes: RouteSpec[] = [
    {
        method: 'post', path: '/auth/login', tag, auth: 'public', idempotent: false,
        summary: 'Log in with a password; returns a short-lived bearer token (rate limited)',
        description:
            'Limited per client address and user name (GATEWAY_LOGIN_ATTEMPTS) and per client address (GATEWAY_LOGIN_CLIENT_ATTEMPTS failed attempts), and by the password checks the gateway runs at once: beyond any of them 429 RATE_LIMITED with Retry-After. A disabled user gets 403 FORBIDDEN. Never stored by Idempotency-Key (the header is ignored).',
        body: z.strictObject({ username: z.string().min(1).max(64), password: secretField(z.string().min(1).max(1024)) }),
        response: z.object({ token: z.string(), expiresAt: z.string(), user: UserView }),
        handler: async ({ body, services, client }) => ({ body: await services.auth.login(body.username, body.password, client) }),
    },
    {
        method: 'post', path: '/auth/logout', tag, status: 204, idempotent: false, auth: 'token',
        summary: 'Sign out: end the bearer token this request is sent with, for the rest of its lifetime',
        description:
            `Takes no body. Ends only the presenting token (other tokens of the user keep working; a password change ends them all), also across gateway restarts, and ends the event streams opened with it; it then gets 401 UNAUTHENTICATED. An API key is not signed out (403 FORBIDDEN): delete it with DELETE /auth/api-keys/{id}. When the user already has ${MAX_ENDED_TOKENS} signed-out tokens that have not expired, signing out ends every token of the user, as a password change does. Never stored by Idempotency-Key (the header is ignored): a repeat with the ended token gets 401.`,
        body: EmptyBody,
        handler: async ({ principal, services, client }) => {
            await services.auth.logout(principal, client);
            return {};
        },
    },
    {
        method: 'get', path: '/auth/demo', tag, auth: 'public',
        summary: 'The demo users a sign-in page may offer, while the demo seed is on (404 otherwise)',
        description:
            'Needs no credentials. With GATEWAY_SEED_DEMO on, the demo users of this gateway that exist and are not disabled (the platform admin only while its password is the demo password: not when it was created with GATEWAY_ADMIN_PASSWORD), and `password` when it is the public demo password of the README; a GATEWAY_DEMO_PASSWORD chosen by the operator is never shown. A user who has changed its password since signs in with its own. With the demo seed off: 404 NOT_FOUND.',
        response: z.object({
            users: z.array(z.object({ username: z.string(), role: Role, enterpriseId: EnterpriseId })),
            password: z.string().optional().describe('the public demo password; absent when the operator chose another'),
        }),
        handler: async ({ services }) => {
            const demo = await services.demoAccounts();
            if (!demo) {
                throw new AppError('NOT_FOUND', 'there are no demo users: the demo seed is off (GATEWAY_SEED_DEMO=false)');
            }
            return { body: demo };
        },
    },
    {
        method: 'post', path: '/auth/password', tag, status: 204,
        summary: "Change the calling user's password; every bearer token issued before stops working (log in again)",
        description:
            'Needs the current password (403 FORBIDDEN when wrong; rate limited as logins are). The new one has at least 10 characters and is not the user name (400). API keys keep working. Neither password is kept by the Idempotency-Key store; a repeat must come with a credential that still works (a new token or an API key), since the change ended the token it was sent with.',
        body: z.strictObject({ currentPassword: secretField(z.string().min(1).max(1024)), newPassword: NewPassword() }),
        handler: async ({ principal, body, services, client }) => {
            await services.auth.changePassword(principal, body.currentPassword, body.newPassword, client);
            return {};
        },
    },
    {
        method: 'post', path: '/auth/api-keys', tag, status: 201, auth: 'token',
        summary: 'Create an API key for the calling user (the key is shown once)',
        description:
            'Only with the bearer token of a password login: an API key cannot create keys (403 FORBIDDEN). `expiresInDays` makes the key stop working after that many days; without it, the key works until deleted. With Idempotency-Key, a repeat answers with the same id, label and expiry but without `apiKey`: the secret is shown once and never stored (delete the key and create another if it was lost).',
        body: z.strictObject({ label: BoundedText(100).describe('What the key is for, 1..100 characters (code points), no control characters'), expiresInDays: z.int().min(1).max(3650).optional() }),
        response: z.object({
            id: z.string(),
            apiKey: secretField(z.string().optional().describe('the secret, sent as "Authorization: ApiKey <key>"; absent in an Idempotent-Replayed answer')),
            label: z.string(),
            expiresAt: z.string().optional().describe('ISO 8601 date-time'),
        }),
        handler: async ({ principal, body, services, client }) => ({ body: await services.auth.createApiKey(principal, body.label, { expiresInDays: body.expiresInDays, client }) }),
    },
    {
        method: 'get', path: '/auth/api-keys', tag, list: true,
        summary: "The calling user's API keys (never their secrets)", description: 'In id order.',
        response: z.object({ id: z.string(), label: z.string(), createdAt: z.string().describe('ISO 8601 date-time'), expiresAt: z.string().optional().describe('ISO 8601 date-time') }),
        handler: async ({ principal, services }) => ({ body: services.auth.listApiKeys(principal) }),
    },
    {
        method: 'delete', path: '/auth/api-keys/:id', tag, status: 204,
        summary: "Delete one of the calling user's API keys",
        params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, 'must be an API key id: 16 lower-case hexadecimal digits') }),
        body: EmptyBody,
        handler: async ({ principal, params, services, client }) => {
            await services.auth.deleteApiKey(principal, params.id, client);
            return {};
        },
    },
    {
        method: 'get', path: '/me', tag, summary: 'The calling user', response: UserView,
        handler: async ({ principal }) => ({ body: { username: principal.username, role: principal.role, enterpriseId: principal.enterpriseId, mspId: principal.mspId } }),
    },
    {
        method: 'post', path: '/users', tag, status: 201,
        summary: 'Create a user and enroll its ledger identity with xl.role / xl.eid (platform admin)',
        description: 'The password has at least 10 characters and is not the user name. With Idempotency-Key the password is left out of the stored request fingerprint.',
        body: z.strictObject({
            username: Username,
            password: NewPassword(),
            role: Role,
            enterpriseId: EnterpriseId,
        }),
        response: UserView,
        handler: async ({ principal, body, services, client }) => ({ body: await services.users.createUser(principal, body, client) }),
    },
    {
        method: 'get', path: '/users', tag, list: true, pageKey: (user) => user.username, summary: 'Every user (platform admin)', description: 'In username order.', response: UserAccount,
        handler: async ({ principal, services }) => ({ body: services.users.listUsers(principal) }),
    },
    {
        method: 'post', path: '/users/:username/disable', tag, response: UserAccount,
        summary: 'Disable a user (platform admin): it cannot log in, and its tokens, API keys and event streams stop working at once',
        description: 'An admin cannot disable itself (400). Disabling a disabled user changes nothing.',
        params: z.strictObject({ username: Username }),
        body: EmptyBody,
        handler: async ({ principal, params, services, client }) => ({ body: await services.auth.setDisabled(principal, params.username, true, client) }),
    },
    {
        method: 'post', path: '/users/:username/enable', tag, response: UserAccount,
        summary: 'Enable a disabled user again (platform admin): it may log in, and its API keys work again (tokens issued before it was disabled do not)',
        params: z.strictObject({ username: Username }),
        body: EmptyBody,
        handler: async ({ principal, params, services, client }) => ({ body: await services.auth.setDisabled(principal, params.username, false, client) }),
    },
];
