import { z } from 'zod';
import type { RouteSpec } from '../route-spec';

const tag = 'Operations';

export const healthRoutes: RouteSpec[] = [
    {
        method: 'get', path: '/health/live', tag, auth: 'public', summary: 'Liveness: the process serves requests',
        response: z.object({ status: z.literal('ok') }),
        handler: async () => ({ body: { status: 'ok' } }),
    },
    {
        method: 'get', path: '/health/ready', tag, auth: 'public', summary: 'Readiness: the ledger answers (503 otherwise)',
        description: '`ledgerTime` is the ledger\'s current time, which time-dependent rules (maturity, grace, expiry) are judged by: the embedded ledger\'s clock (it may run ahead of the real time in demos), on Fabric the gateway\'s real time.',
        response: z.object({
            status: z.literal('ready'),
            ledger: z.object({ backend: z.string(), height: z.int().optional() }),
            ledgerTime: z.iso.datetime(),
        }),
        handler: async ({ services }) => ({ body: { status: 'ready', ledger: await services.ledgerStatus(), ledgerTime: services.ledgerTime().toISOString() } }),
    },
];
