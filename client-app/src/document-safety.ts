/**
 * How the client shows a stored document (an invoice, an appraisal report): documents are uploaded
 * by other enterprises, so their bytes are untrusted. Rendered in this app's origin (a blob: URL
 * opened in a tab), HTML, SVG or XML would run their scripts with the user's session. Only content
 * that is recognisably an inert type — PDF, PNG, JPEG, GIF, WebP, by its own leading bytes, whatever
 * type the uploader declared — may be shown, as a blob typed from this allow-list; everything else
 * is downloaded as application/octet-stream under a safe file name.
 */

/** The types shown in the browser, each recognised by its leading bytes (magic number). */
const INLINE_TYPES: readonly { type: string; extension: string; magic: readonly number[]; at?: number; also?: { at: number; bytes: readonly number[] } }[] = [
    { type: 'application/pdf', extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
    { type: 'image/png', extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
    { type: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
    { type: 'image/gif', extension: 'gif', magic: [0x47, 0x49, 0x46, 0x38] }, // GIF8
    { type: 'image/webp', extension: 'webp', magic: [0x52, 0x49, 0x46, 0x46], also: { at: 8, bytes: [0x57, 0x45, 0x42, 0x50] } }, // RIFF....WEBP
];

/** What to do with a document: show it (as a blob of `type`) or download it; `fileName` either way. */
export interface DocumentHandling {
    readonly inline: boolean;
    /** The type the blob is given: an allow-listed inert type, else application/octet-stream. */
    readonly type: string;
    readonly fileName: string;
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
    return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

/** The inert type the content is, judged by its own bytes, or undefined (download it). */
export function inertTypeOf(bytes: Uint8Array): { type: string; extension: string } | undefined {
    const found = INLINE_TYPES.find((t) => startsWith(bytes, t.magic) && (t.also === undefined || startsWith(bytes, t.also.bytes, t.also.at)));
    return found ? { type: found.type, extension: found.extension } : undefined;
}

/** A file name with only letters, digits, dot, hyphen and underscore (at most 80 characters), never empty. */
export function safeFileName(stem: string, extension: string): string {
    const clean = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 72) || 'document';
    return `${clean}.${extension.replace(/[^A-Za-z0-9]/g, '') || 'bin'}`;
}

/** How to hand the user a document of these bytes: `stem` names the file (e.g. "invoice-INV-1"). */
export function documentHandling(bytes: Uint8Array, stem: string): DocumentHandling {
    const inert = inertTypeOf(bytes);
    return inert ? { inline: true, type: inert.type, fileName: safeFileName(stem, inert.extension) } : { inline: false, type: 'application/octet-stream', fileName: safeFileName(stem, 'bin') };
}
