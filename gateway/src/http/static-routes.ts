import { existsSync } from 'fs';
import * as path from 'path';
import express, { Router } from 'express';

/** The browsable API documentation: swagger-ui-dist served locally, reading ../openapi.json. */
export function newDocsRouter(): Router {
    const router = express.Router();
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
        res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n");
    });
    router.use(express.static(uiDirectory, { index: false }));
    return router;
}

const API_PREFIXES = ['/api/', '/health/', '/metrics'];

/** Serves the client app's static build at /, with index.html for client-side routes. */
export function newClientAppRouter(directory: string): Router {
    const router = express.Router();
    const index = path.join(directory, 'index.html');
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
        res.type('html').send('<!doctype html><title>Xinlian</title><p>The client app is not built (npm run build). The API is at <a href="/api/v1/docs/">/api/v1/docs/</a>.</p>');
    });
    return router;
}
