import { z } from 'zod';
import { DOCUMENT_CONTENT_SECURITY_POLICY, parseUploadMediaType, servedAs } from '../../documents/media-type';
import { AppError } from '../../errors';
import { mayDownloadDocument } from '../../services/document-access';
import type { RouteSpec } from '../route-spec';

const tag = 'Documents';
const Stored = z.object({ cid: z.string(), size: z.int(), mediaType: z.string() });

export const documentsRoutes: RouteSpec[] = [
    {
        method: 'post', path: '/documents', tag, status: 201, rawBody: true,
        summary: 'Upload a document (raw body; Content-Type a type/subtype, default application/octet-stream, else 415); returns the CIDv1 `ipfs add --cid-version 1` gives it',
        response: Stored,
        handler: async ({ body, headers, principal, services }) => {
            const mediaType = parseUploadMediaType(headers['content-type']);
            const bytes = body as Buffer;
            if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
                throw new AppError('INVALID_ARGUMENT', 'the request body must carry the document bytes');
            }
            return { body: await services.documents.put(bytes, mediaType, principal.enterpriseId) };
        },
    },
    {
        method: 'get', path: '/documents/:cid', tag, responseMediaType: 'application/octet-stream',
        summary: 'Download a document, verified against its CID (its uploaders, the regulator, the platform admin, and whoever may read a receivable or IP asset citing it; 404 for others)',
        params: z.strictObject({ cid: z.string().min(10).max(200) }),
        handler: async ({ params, principal, services }) => {
            const found = await services.documents.get(params.cid);
            // One answer for "not stored" and "not yours": a CID can be computed from guessed bytes.
            if (!found || !(await mayDownloadDocument(services.ledger, principal, found.document.cid, found.uploaderIds))) {
                throw new AppError('NOT_FOUND', `document ${params.cid} is not stored here or not yours to read`);
            }
            const served = servedAs(found.document.mediaType, found.document.cid);
            return {
                send: (res) => {
                    res.status(200)
                        .set('Content-Type', served.contentType)
                        .set('Content-Disposition', served.disposition)
                        .set('Content-Length', String(found.bytes.length))
                        .set('ETag', `"${found.document.cid}"`)
                        .set('Cache-Control', 'private, max-age=31536000, immutable')
                        .set('X-Content-Type-Options', 'nosniff')
                        .set('Content-Security-Policy', DOCUMENT_CONTENT_SECURITY_POLICY)
                        .end(found.bytes);
                },
            };
        },
    },
];
