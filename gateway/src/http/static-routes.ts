import { existsSync } from 'fs';
import * as path from 'path';
import express, { RequestHandler, Router } from 'express';

/**
 * Security headers. Every answer: no MIME sniffing, no framing (X-Frame-Options for browsers before
 * CSP's frame-ancestors), no Referer leaving the gateway. Each kind of content has its own
 * Content-Security-Policy: the API's JSON needs nothing, the API docs and the client app load only the
 * gateway's own scripts. A document download sets its own (a sandbox, documents/media-type.ts).
 */

/** The API: JSON and event streams, nothing to run or load. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The client app: its own script and style sheet only (so a document it opens as a blob: URL, which
 * inherits this policy, cannot run script either). It sets a few style attributes (bar widths, an
 * off-screen copy buffer): style-src-attr allows those, not <style> elements or style sheets from
 * elsewhere. data: images are its favicon and CSS images.
 */
export const CLIENT_APP_CONTENT_SECURITY_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
].join('; ');

/** Swagger UI: its own scripts; it styles with inline styles and data: images. */
export const DOCS_CONTENT_SECURITY_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
].join('; ');

/** Sets the security headers with `contentSecurityPolicy` (a later handler may set its own policy). */
export function securityHeaders(contentSecurityPolicy: string): RequestHandler {
    return (_req, res, next) => {
        res.set({
            'Content-Security-Policy': contentSecurityPolicy,
            'X-Content-Type-Options': 'nosniff',
            'X-Frame-Options': 'DENY',
            'Referrer-Policy': 'no-referrer',
        });
        next();
    };
}

/** The browsable API documentation: swagger-ui-dist served locally, reading ../openapi.json. */
export function newDocsRouter(): Router {
    const router = express.Router();
    router.use(securityHeaders(DOCS_CONTENT_SECURITY_POLICY));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const uiDirectory = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
    router.get('/', (req, res, next) => {
        if (!req.originalUrl.split('?')[0].endsWith('/')) {
            res.redirect(301, `${req.baseUrl}/`);
            return;
        }
        next();
    });
    router.get('/', (_req, res) => {
        res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Xinlian API</title>
<link rel="stylesheet" href="swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script><script src="xinlian-initializer.js"></script></body></html>`);
    });
    router.get('/xinlian-initializer.js', (_req, res) => {
        res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n");
    });
    router.use(express.static(uiDirectory, { index: false }));
    return router;
}

const API_PREFIXES = ['/api/', '/health/', '/metrics'];

/**
 * Serves the client app's static build at /, with index.html for client-side routes. Without a build, a
 * page saying so: naming GATEWAY_CLIENT_APP_DIR when it was set (`setting`; not its path, which only the
 * start-up log shows), else how to build the app.
 */
export function newClientAppRouter(directory: string, setting?: string): Router {
    const router = express.Router();
    const index = path.join(directory, 'index.html');
    router.use(securityHeaders(CLIENT_APP_CONTENT_SECURITY_POLICY));
    router.use(express.static(directory, { index: 'index.html' }));
    router.get(/.*/, (req, res, next) => {
        if (API_PREFIXES.some((prefix) => req.path.startsWith(prefix)) || !req.accepts('html')) {
            next();
            return;
        }
        if (existsSync(index)) {
            res.sendFile(index);
            return;
        }
        const missing =
            setting === undefined
                ? 'The client app is not built (npm run build).'
                : 'The client app is not where GATEWAY_CLIENT_APP_DIR points: that folder has no index.html (the start-up log names it).';
        res.type('html').send(`<!doctype html><title>Xinlian</title><p>${missing} The API is at <a href="/api/v1/docs/">/api/v1/docs/</a>.</p>`);
    });
    return router;
}
