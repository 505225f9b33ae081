import type { AddressInfo } from 'net';
import express from 'express';
import { AppError } from '../../src/errors';
import { ProblemHooks, problemMiddleware } from '../../src/http/problem';
import type { RouteSpec } from '../../src/http/route-spec';
import { newApiRouter } from '../../src/http/router';
import type { GatewayServices } from '../../src/services/gateway-services';

/** An API served for a test over real HTTP on a free loopback port: its base URL and how to stop it. */
export interface ApiServer {
    readonly base: string;
    close(): void;
}

/**
 * Serves `routes` over `services` as the gateway mounts them: the API router, 404 NOT_FOUND for any
 * other path, and problem answers for every error (`onError` sees each, as the gateway's log does).
 */
export async function serveRoutes(routes: readonly RouteSpec[], services: GatewayServices, onError: ProblemHooks['onError'] = () => undefined): Promise<ApiServer> {
    const app = express();
    app.use(newApiRouter(routes, services, { maxDocumentBytes: 1024 }));
    app.use((req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
    app.use(problemMiddleware({ onError }));
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
