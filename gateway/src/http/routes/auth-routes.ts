import { z } from 'zod';
import { EnterpriseId, Role, UserView } from '../schemas';
import type { RouteSpec } from '../route-spec';

const tag = 'Auth and users';

export const authRoutes: RouteSpec[] = [
    {
        method: 'post', path: '/auth/login', tag, auth: 'public', idempotent: false,
        summary: 'Log in with a password; returns a short-lived bearer token (rate limited)',
        body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
        response: z.object({ token: z.string(), expiresAt: z.string(), user: UserView }),
        handler: async ({ body, services, client }) => ({ body: await services.auth.login(body.username, body.password, client) }),
    },
    {
        method: 'post', path: '/auth/api-keys', tag, status: 201,
        summary: 'Create an API key for the calling user (the key is shown once)',
        body: z.strictObject({ label: z.string().trim().min(1).max(100) }),
        response: z.object({ id: z.string(), apiKey: z.string(), label: z.string() }),
        handler: async ({ principal, body, services }) => ({ body: await services.auth.createApiKey(principal, body.label) }),
    },
    {
        method: 'get', path: '/auth/api-keys', tag, list: true,
        summary: "The calling user's API keys (never their secrets)", description: 'In id order.',
        response: z.object({ id: z.string(), label: z.string(), createdAt: z.string().describe('ISO 8601 date-time') }),
        handler: async ({ principal, services }) => ({ body: services.auth.listApiKeys(principal) }),
    },
    {
        method: 'delete', path: '/auth/api-keys/:id', tag, status: 204,
        summary: "Delete one of the calling user's API keys",
        params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/) }),
        handler: async ({ principal, params, services }) => {
            await services.auth.deleteApiKey(principal, params.id);
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
        body: z.strictObject({
            username: z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/),
            password: z.string().min(8).max(1024),
            role: Role,
            enterpriseId: EnterpriseId,
        }),
        response: UserView,
        handler: async ({ principal, body, services }) => ({ body: await services.users.createUser(principal, body) }),
    },
    {
        method: 'get', path: '/users', tag, list: true, pageKey: (user) => user.username, summary: 'Every user (platform admin)', description: 'In username order.', response: UserView,
        handler: async ({ principal, services }) => ({ body: services.users.listUsers(principal) }),
    },
];
