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
        description:
            "Any signed-in user, of any role, with a bearer token or an API key. The upload is recorded as the caller's enterprise's: its users may then download the document (GET /documents/{cid}). The same bytes uploaded again answer the same CID and media type (the first upload's), add the caller's enterprise to the uploaders, and store the bytes again when the stored copy is missing or damaged. An empty body is 400 INVALID_ARGUMENT; a body larger than GATEWAY_MAX_DOCUMENT_BYTES (20 MiB by default) is 413 PAYLOAD_TOO_LARGE. The document is stored off the ledger; a record that cites its CID (a receivable, a valuation) goes to the ledger.",
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
        description:
            'A caller who may not read the document gets 404 NOT_FOUND, as for a CID not stored here, whatever the state of its bytes. A caller who may read it gets 502 DOCUMENT_CORRUPT when the stored bytes are missing or no longer match the CID (a damaged document store): uploading the same bytes again (POST /documents) restores them.',
        params: z.strictObject({ cid: z.string().min(10).max(200) }),
        handler: async ({ params, principal, services }) => {
            const found = await services.documents.get(params.cid);
            // One answer for "not stored" and "not yours": a CID can be computed from guessed bytes.
            if (!found || !(await mayDownloadDocument(services.ledger, principal, found.document.cid, found.uploaderIds))) {
                throw new AppError('NOT_FOUND', `document ${params.cid} is not stored here or not yours to read`);
            }
            // Read only for a caller who may have them: their damage (DOCUMENT_CORRUPT) is news for readers alone.
            const bytes = await found.bytes();
            const served = servedAs(found.document.mediaType, found.document.cid);
            return {
                send: (res) => {
                    res.status(200)
                        .set('Content-Type', served.contentType)
                        .set('Content-Disposition', served.disposition)
                        .set('Content-Length', String(bytes.length))
                        .set('ETag', `"${found.document.cid}"`)
                        .set('Cache-Control', 'private, max-age=31536000, immutable')
                        .set('X-Content-Type-Options', 'nosniff')
                        .set('Content-Security-Policy', DOCUMENT_CONTENT_SECURITY_POLICY)
                        .end(bytes);
                },
            };
        },
    },
];
