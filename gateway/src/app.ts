import { existsSync } from 'fs';
import { IncomingMessage, RequestListener, Server, ServerResponse, createServer } from 'http';
import { AddressInfo, Socket } from 'net';
import * as path from 'path';
import express, { Express } from 'express';
import { Config, isLoopbackHost } from './config';
import { openDocumentStore } from './documents/open-document-store';
import { AppError } from './errors';
import { newApiRouter } from './http/router';
import { buildOpenApi } from './http/openapi';
import { problemMiddleware, problemOf } from './http/problem';
import { ALL_ROUTES } from './http/routes';
import { healthRoutes } from './http/routes/health-routes';
import { API_CONTENT_SECURITY_POLICY, newClientAppRouter, newDocsRouter, securityHeaders } from './http/static-routes';
import type { LedgerBackend } from './ledger/ledger-backend';
import { ledgerClock, openLedgerBackend } from './ledger/open-ledger-backend';
import { GatewayMetrics, newGatewayMetrics } from './operations/metrics';
import { Logger, newLogger } from './operations/logger';
import { bootstrapPlatform, whileLedgerUnavailable } from './services/bootstrap';
import { GatewayServices, TEMPORARY_FILE_NOT_DELETED, openGatewayServices } from './services/gateway-services';

/** The API version in the OpenAPI document. */
export const API_VERSION = '1.0.0';

/** A running gateway: the express app, its services, and how to stop it. */
export interface Gateway {
    readonly app: Express;
    readonly services: GatewayServices;
    readonly metrics: GatewayMetrics;
    readonly logger: Logger;
    /** Listens on config.host:config.port (0 = any free port); resolves with the bound port. */
    listen(): Promise<number>;
    /** Stops accepting connections, ends open streams, closes the ledger. */
    close(): Promise<void>;
}

export interface GatewayOptions {
    readonly logger?: Logger;
    /** A backend to use instead of the configured one (tests). */
    readonly backend?: LedgerBackend;
    /** A server already bound to the gateway's address (bindServer): listen() serves the app on it. */
    readonly server?: BoundServer;
}

/** The gateway cannot listen on its address (a known start-up failure: the message says what to do). */
export class ListenError extends Error {
    override readonly name = 'ListenError';
}

/**
 * The gateway's HTTP server, bound to its address before the ledger opens (so a port in use stops the
 * start before anything is written to the data directory). Until the app is attached it answers every
 * request 503 LEDGER_UNAVAILABLE with Retry-After, but liveness (`/health/live`), which it answers 200.
 */
export interface BoundServer {
    readonly server: Server;
    /** The bound port (the one chosen when the configured port is 0). */
    readonly port: number;
    /** The open connections, from the first. */
    readonly sockets: ReadonlySet<Socket>;
    /** Serves `handler` from now on. */
    attach(handler: RequestListener): void;
    /** Stops listening (a start that failed after binding). */
    close(): Promise<void>;
}

/** Where liveness is asked: answered 200 while the gateway starts, as once it has started. */
const LIVENESS_PATHS: ReadonlySet<string> = new Set(['/health/live', '/api/v1/health/live']);

/** Binds host:port. Throws ListenError when it cannot (e.g. the port is in use). */
export function bindServer(host: string, port: number): Promise<BoundServer> {
    let handler: RequestListener | undefined;
    const starting = (req: IncomingMessage, res: ServerResponse): void => {
        if ((req.method === 'GET' || req.method === 'HEAD') && LIVENESS_PATHS.has(req.url ?? '')) {
            // The process serves requests: a liveness probe must not restart a gateway that is still opening its ledger.
            res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(req.method === 'GET' ? '{"status":"ok"}' : undefined);
            return;
        }
        const { problem } = problemOf(new AppError('LEDGER_UNAVAILABLE', 'the gateway is starting; try again shortly'));
        res.writeHead(problem.status, { 'Content-Type': 'application/problem+json', 'Retry-After': '2' }).end(JSON.stringify(problem));
    };
    const server = createServer((req, res) => (handler ?? starting)(req, res));
    const sockets = new Set<Socket>();
    server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    return new Promise<BoundServer>((resolve, reject) => {
        const refused = (error: NodeJS.ErrnoException): void => {
            const inUse = error.code === 'EADDRINUSE';
            reject(new ListenError(`cannot listen on ${host}:${port}: ${inUse ? 'the port is in use (set GATEWAY_PORT to another one)' : error.message}`, { cause: error }));
        };
        server.once('error', refused);
        server.listen(port, host, () => {
            server.off('error', refused);
            resolve({
                server,
                port: (server.address() as AddressInfo).port,
                sockets,
                attach: (next) => {
                    handler = next;
                },
                close: () => new Promise<void>((done) => server.close(() => done())),
            });
        });
    });
}

/**
 * The messages of what caused `error`, outermost first: its cause, that one's cause, and so on. An
 * AggregateError (e.g. every address of a host refused the connection) gives its errors' messages.
 */
export function failureCauses(error: unknown): string[] {
    const causes: string[] = [];
    for (let cause = (error as Error | undefined)?.cause; cause instanceof Error; cause = cause.cause) {
        causes.push(messageOf(cause));
    }
    return causes;
}

function messageOf(error: Error): string {
    if (error instanceof AggregateError && error.message === '') {
        return [...new Set(error.errors.map((inner) => (inner instanceof Error ? messageOf(inner) : String(inner))))].join('; ');
    }
    return error.message || ((error as NodeJS.ErrnoException).code ?? error.name);
}

/** The warning of one more try while the ledger is not ready: the failure, then what caused it. */
export function ledgerNotReadyMessage(error: Error): string {
    return `the ledger is not ready yet: ${[error.message, ...failureCauses(error)].join(': ')}`;
}

/** The OpenAPI document of this gateway. */
export function openApiDocument(): Record<string, unknown> {
    return buildOpenApi(ALL_ROUTES, API_VERSION);
}

/** Builds the express app over `services` (no I/O). */
export function newExpressApp(config: Config, services: GatewayServices, metrics: GatewayMetrics, logger: Logger): Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy);
    // On every answer, the problem documents too; the docs, the client app and documents set their own policy.
    app.use(securityHeaders(API_CONTENT_SECURITY_POLICY));
    app.use((req, res, next) => {
        const started = performance.now();
        res.on('finish', () => {
            const seconds = (performance.now() - started) / 1000;
            const route = (res.locals.route as string | undefined) ?? 'unmatched';
            metrics.observeHttp(req.method, route, res.statusCode, seconds);
            logger.debug({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), user: res.locals.username }, 'request');
        });
        next();
    });
    const document = openApiDocument();
    const metricsHandler: express.RequestHandler = async (req, res) => {
        if (services.metricsAccess.protected && !services.metricsAccess.allows(req.headers.authorization)) {
            // RFC 6750: the scheme and realm to use, and whether the credential sent was wrong.
            res.set('WWW-Authenticate', `Bearer realm="xinlian-metrics"${req.headers.authorization ? ', error="invalid_token"' : ''}`);
            throw new AppError('UNAUTHENTICATED', 'the metrics need "Authorization: Bearer <token>" with the token of GATEWAY_METRICS_TOKEN');
        }
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    };
    const api = express.Router();
    api.get('/metrics', metricsHandler);
    api.get('/openapi.json', (_req, res) => {
        res.json(document);
    });
    api.use('/docs', newDocsRouter());
    api.use(newApiRouter(ALL_ROUTES, services, { maxDocumentBytes: config.maxDocumentBytes }));
    api.use((req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.baseUrl}${req.path}`)));
    app.use('/api/v1', api);
    // Operators expect health and metrics at the root too.
    app.use(newApiRouter(healthRoutes, services, { maxDocumentBytes: 0 }));
    app.get('/metrics', metricsHandler);
    app.use(newClientAppRouter(config.clientAppDir, config.clientAppDirSetting));
    app.use((req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
    app.use(
        problemMiddleware({
            onError: (error, req) => {
                metrics.countError(error.code);
                // Who asked (once authenticated) and from where, so a refusal can be traced to an account.
                const who = { user: req.res?.locals.username as string | undefined, client: req.ip };
                if (error.status >= 500) {
                    logger.error({ err: error, cause: error.cause, code: error.code, txId: error.txId, method: req.method, url: req.originalUrl.split('?')[0], ...who }, error.message);
                } else if (error.status === 403) {
                    // A refused authorisation is a security event: logged at warn, like refused logins.
                    logger.warn({ code: error.code, txId: error.txId, method: req.method, url: req.originalUrl.split('?')[0], ...who }, error.message);
                } else {
                    logger.info({ code: error.code, txId: error.txId, method: req.method, url: req.originalUrl.split('?')[0], ...who }, error.message);
                }
            },
        }),
    );
    return app;
}

/** Opens the ledger and every service, bootstraps (and seeds) on first start, and builds the app. */
export async function openGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
    const logger = options.logger ?? newLogger(config.logLevel);
    if (config.walletPassphraseIsDefault) {
        logger.warn('GATEWAY_WALLET_PASSPHRASE is not set: private keys are encrypted with the PUBLIC development passphrase. Set it for anything but a local demo.');
    }
    if (config.seedDemo) {
        logger.warn('GATEWAY_SEED_DEMO is on: the demo users have the PUBLIC demo password (GATEWAY_DEMO_PASSWORD, default xinlian-demo), and so has the platform admin unless GATEWAY_ADMIN_PASSWORD was set when it was created. For demos only: set GATEWAY_SEED_DEMO=false and GATEWAY_ADMIN_PASSWORD for anything else.');
    }
    if (config.ledgerClockOffsetDays !== 0) {
        logger.warn(`GATEWAY_LEDGER_CLOCK_OFFSET_DAYS=${config.ledgerClockOffsetDays}: the embedded ledger stamps transactions ${config.ledgerClockOffsetDays} days ahead of the real time (demos and tests only).`);
    }
    if (config.metricsToken === undefined && !isLoopbackHost(config.host)) {
        logger.warn(`GATEWAY_METRICS_TOKEN is not set and the gateway listens on ${config.host}, not only on loopback: /metrics is served to anyone who can reach it. Set GATEWAY_METRICS_TOKEN, or keep /metrics away from untrusted networks.`);
    }
    if (!existsSync(path.join(config.clientAppDir, 'index.html'))) {
        logger.warn(
            config.clientAppDirSetting === undefined
                ? `the client app is not built (no index.html in ${config.clientAppDir}; npm run build): / serves only a pointer to the API docs`
                : `GATEWAY_CLIENT_APP_DIR=${config.clientAppDirSetting}: no index.html in ${config.clientAppDir}, so / serves only a pointer to the API docs; set it to the client app's build folder (client-app/dist)`,
        );
    }
    const metrics = newGatewayMetrics();
    // A temporary file a stopped gateway left mid-write, that a store could not delete when it opened.
    const onCleanupError = (error: unknown): void => logger.warn({ err: error }, TEMPORARY_FILE_NOT_DELETED);
    const backend = options.backend ?? (await openLedgerBackend(config, { onCleanupError }));
    const services = await openGatewayServices({ config, backend, documents: openDocumentStore(config, { onCleanupError }), observeLedger: metrics.observeLedger, ledgerClock: ledgerClock(config), log: logger });
    try {
        // A network that has just deployed the chaincode may not endorse for a few seconds; bootstrap
        // is idempotent, so it is simply tried again while the ledger is unavailable.
        await whileLedgerUnavailable(
            () =>
                bootstrapPlatform(services, backend, {
                    dataDir: config.dataDir,
                    mspId: config.gatewayMspId,
                    adminPassword: config.adminPassword,
                    seedDemo: config.seedDemo,
                    demoPassword: config.demoPassword,
                    clock: ledgerClock(config),
                    log: (message) => logger.info(message),
                    warn: (message) => logger.warn(message),
                }),
            (error, attempt) => logger.warn({ code: error.code, attempt }, ledgerNotReadyMessage(error)),
        );
    } catch (error) {
        await services.idempotency.close();
        await backend.close();
        throw error;
    }
    const app = newExpressApp(config, services, metrics, logger);
    let bound: BoundServer | undefined;
    return {
        app,
        services,
        metrics,
        logger,
        async listen() {
            bound = options.server ?? (await bindServer(config.host, config.port));
            bound.server.on('error', (later) => logger.error({ err: later }, 'the HTTP server reported an error'));
            bound.attach(app);
            return bound.port;
        },
        async close() {
            if (bound) {
                const { server, sockets } = bound;
                const closing = new Promise<void>((resolve) => server.close(() => resolve()));
                server.closeIdleConnections();
                // Long-lived event streams would hold the server open: give them a moment, then end them.
                const grace = setTimeout(() => sockets.forEach((socket) => socket.destroy()), 2_000);
                await closing;
                clearTimeout(grace);
            }
            await services.idempotency.close();
            await backend.close();
        },
    };
}
