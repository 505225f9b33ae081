import { z } from 'zod';
import { AppError, toAppError } from '../../errors';
import type { GatewayServices } from '../../services/gateway-services';
import type { RouteSpec } from '../route-spec';

const tag = 'Operations';

/**
 * Whether the caller of a probe may read its detail: with the metrics token (GATEWAY_METRICS_TOKEN), or
 * as the platform admin. Any other credential, a wrong one included, gets the public answer, never a 401:
 * a probe must keep working whatever its client sends.
 */
async function mayReadDetail(services: GatewayServices, authorization: string | string[] | undefined): Promise<boolean> {
    if (typeof authorization !== 'string' || authorization === '') {
        return false;
    }
    if (services.metricsAccess.allows(authorization)) {
        return true;
    }
    const principal = await services.auth.authenticate(authorization).catch(() => undefined);
    return principal?.role === 'platform-admin';
}

/**
 * The failure of a readiness check as anyone may read it: the same code (and so status), with a message
 * that names no organisation, peer or identity. The original is its cause, which the log keeps.
 */
function withoutDetail(error: unknown): AppError {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') {
        // Its detail is never rendered (an untrusted identity, say): the problem says only that something failed.
        return appError;
    }
    return new AppError(appError.code, appError.code === 'LEDGER_TIMEOUT' ? 'the ledger did not answer in time' : 'the ledger is unavailable', { cause: error });
}

export const healthRoutes: RouteSpec[] = [
    {
        method: 'get', path: '/health/live', tag, auth: 'public', summary: 'Liveness: the process serves requests',
        response: z.object({ status: z.literal('ok') }),
        handler: async () => ({ body: { status: 'ok' } }),
    },
    {
        method: 'get', path: '/health/ready', tag, auth: 'public', summary: 'Readiness: the ledger answers (503 otherwise)',
        description:
            'Needs no credentials. `ledgerTime` is the ledger\'s current time, which time-dependent rules (maturity, grace, expiry) are judged by: the embedded ledger\'s clock (it may run ahead of the real time in demos), on Fabric the gateway\'s real time. `ledger.height` is the committed block height where the backend knows it (the embedded ledger; on Fabric the channel height on the gateway\'s own peer, left out when it cannot be read). ' +
            'The detail is for operators only: `ledger.backend`, and the reason of a 503 (which organisation\'s peer is down), are given to a caller with `Authorization: Bearer <GATEWAY_METRICS_TOKEN>` or the platform admin\'s credentials; anyone else gets the same status and code with a generic `detail`. A wrong credential is not refused: it gets the public answer.',
        response: z.object({
            status: z.literal('ready'),
            ledger: z.object({
                backend: z.string().optional().describe('`embedded` or `fabric`; only to operators (metrics token or platform admin)'),
                height: z.int().optional(),
            }),
            ledgerTime: z.iso.datetime(),
        }),
        handler: async ({ services, headers }) => {
            const detailed = await mayReadDetail(services, headers.authorization);
            const ledger = await services.ledgerStatus().catch((error: unknown) => {
                throw detailed ? error : withoutDetail(error);
            });
            const { backend, ...open } = ledger;
            return { body: { status: 'ready', ledger: detailed ? { backend, ...open } : open, ledgerTime: services.ledgerTime().toISOString() } };
        },
    },
];
