import { Server } from 'http';
import { AddressInfo } from 'net';
import express, { Express } from 'express';
import { Config, isLoopbackHost } from './config';
import { openDocumentStore } from './documents/open-document-store';
import { AppError } from './errors';
import { newApiRouter } from './http/router';
import { buildOpenApi } from './http/openapi';
import { problemMiddleware } from './http/problem';
import { ALL_ROUTES } from './http/routes';
import { healthRoutes } from './http/routes/health-routes';
import { API_CONTENT_SECURITY_POLICY, newClientAppRouter, newDocsRouter, securityHeaders } from './http/static-routes';
import type { LedgerBackend } from './ledger/ledger-backend';
import { ledgerClock, openLedgerBackend } from './ledger/open-ledger-backend';
import { GatewayMetrics, newGatewayMetrics } from './operations/metrics';
import { Logger, newLogger } from './operations/logger';
import { bootstrapPlatform, whileLedgerUnavailable } from './services/bootstrap';
import { GatewayServices, openGatewayServices } from './services/gateway-services';

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
    app.use(newClientAppRouter(config.clientAppDir));
    app.use((req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
    app.use(
        problemMiddleware({
            onError: (error, req) => {
                metrics.countError(error.code);
                if (error.status >= 500) {
                    logger.error({ err: error, cause: error.cause, code: error.code, txId: error.txId, method: req.method, url: req.originalUrl.split('?')[0] }, error.message);
                } else {
                    logger.info({ code: error.code, txId: error.txId, method: req.method, url: req.originalUrl.split('?')[0] }, error.message);
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
    const metrics = newGatewayMetrics();
    const backend = options.backend ?? (await openLedgerBackend(config));
    const services = await openGatewayServices({ config, backend, documents: openDocumentStore(config), observeLedger: metrics.observeLedger, ledgerClock: ledgerClock(config), log: logger });
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
            (error, attempt) => logger.warn({ code: error.code, attempt }, `the ledger is not ready yet: ${error.message}`),
        );
    } catch (error) {
        await services.idempotency.close();
        await backend.close();
        throw error;
    }
    const app = newExpressApp(config, services, metrics, logger);
    let server: Server | undefined;
    const sockets = new Set<import('net').Socket>();
    return {
        app,
        services,
        metrics,
        logger,
        listen: () =>
            new Promise<number>((resolve, reject) => {
                // Express 5 calls this back with the error when the server cannot listen.
                server = app.listen(config.port, config.host, (error?: Error) => {
                    if (error) {
                        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
                        reject(new Error(`cannot listen on ${config.host}:${config.port}: ${inUse ? 'the port is in use (set GATEWAY_PORT to another one)' : error.message}`, { cause: error }));
                    } else {
                        server?.on('error', (later) => logger.error({ err: later }, 'the HTTP server reported an error'));
                        resolve((server?.address() as AddressInfo).port);
                    }
                });
                server.on('connection', (socket) => {
                    sockets.add(socket);
                    socket.on('close', () => sockets.delete(socket));
                });
            }),
        async close() {
            if (server) {
                const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
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
