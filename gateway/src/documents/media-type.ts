import { AppError } from '../errors';

/**
 * Media types of uploaded documents, and how documents are served. A document is someone else's
 * bytes served from the API's own origin, so whatever type it claims it must never run there:
 * only types a browser shows without running anything are served inline, everything else as an
 * attachment, always with nosniff and a sandboxing Content-Security-Policy.
 */

/** The type of an upload without a Content-Type. */
export const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

/** RFC 9110 token characters. */
const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);

/** The IANA top-level media types (RFC 6838 §4.2 and later registrations). */
const TOP_LEVEL_TYPES: ReadonlySet<string> = new Set(['application', 'audio', 'font', 'haptics', 'image', 'message', 'model', 'multipart', 'text', 'video']);

/** Types shown inline: PDF, raster images (never SVG, which can carry script) and plain text. */
const INLINE_TYPES: ReadonlySet<string> = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'text/plain']);

/** The Content-Security-Policy of every document response: no scripts, no plugins, no origin. */
export const DOCUMENT_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

/** Is `value` (lower-case, without parameters) a `type/subtype` of a registered top-level type? */
export function isMediaType(value: string): boolean {
    return value.length <= 127 && MEDIA_TYPE.test(value) && TOP_LEVEL_TYPES.has(value.slice(0, value.indexOf('/')));
}

/**
 * The media type to store for an upload's Content-Type header: its `type/subtype`, lower-cased and
 * without parameters; DEFAULT_MEDIA_TYPE when absent or empty. Throws AppError(UNSUPPORTED_MEDIA_TYPE)
 * for anything that is not a `type/subtype` of a registered top-level type.
 */
export function parseUploadMediaType(header: string | string[] | undefined): string {
    const text = Array.isArray(header) ? header.join(',') : (header ?? '');
    if (text.trim() === '') {
        return DEFAULT_MEDIA_TYPE;
    }
    const value = text.split(';')[0].trim().toLowerCase();
    if (!isMediaType(value)) {
        throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Content-Type ${JSON.stringify(text.slice(0, 100))} is not a media type: send type/subtype (e.g. application/pdf, image/png, text/plain), or application/octet-stream for other bytes`,
        );
    }
    return value;
}

/** How a stored document is served: its Content-Type and Content-Disposition. */
export function servedAs(storedMediaType: string, cid: string): { contentType: string; disposition: string } {
    // Metadata stored before types were checked may hold anything: serve it as opaque bytes.
    const contentType = isMediaType(storedMediaType) ? storedMediaType : DEFAULT_MEDIA_TYPE;
    const disposition = INLINE_TYPES.has(contentType) ? 'inline' : 'attachment';
    return { contentType, disposition: `${disposition}; filename="${cid}"` };
}
