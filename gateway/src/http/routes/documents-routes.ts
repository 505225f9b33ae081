import { z } from 'zod';
import { AppError } from '../../errors';
import type { RouteSpec } from '../route-spec';

const tag = 'Documents';
const Stored = z.object({ cid: z.string(), size: z.int(), mediaType: z.string() });

export const documentsRoutes: RouteSpec[] = [
    {
        method: 'post', path: '/documents', tag, status: 201, rawBody: true,
        summary: 'Upload a document (raw body, any media type); returns the CIDv1 `ipfs add --cid-version 1` gives it',
        response: Stored,
        handler: async ({ body, headers, services }) => {
            const bytes = body as Buffer;
            if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
                throw new AppError('INVALID_ARGUMENT', 'the request body must carry the document bytes');
            }
            const mediaType = String(headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim().toLowerCase() || 'application/octet-stream';
            return { body: await services.documents.put(bytes, mediaType) };
        },
    },
    {
        method: 'get', path: '/documents/:cid', tag, responseMediaType: 'application/octet-stream',
        summary: 'Download a document, verified against its CID',
        params: z.strictObject({ cid: z.string().min(10).max(200) }),
        handler: async ({ params, services }) => {
            const found = await services.documents.get(params.cid);
            if (!found) {
                throw new AppError('NOT_FOUND', `document ${params.cid} is not stored here`);
            }
            return {
                send: (res) => {
                    res.status(200)
                        .set('Content-Type', found.document.mediaType)
                        .set('Content-Length', String(found.bytes.length))
                        .set('ETag', `"${found.document.cid}"`)
                        .set('Cache-Control', 'private, max-age=31536000, immutable')
                        .set('X-Content-Type-Options', 'nosniff')
                        .end(found.bytes);
                },
            };
        },
    },
];
