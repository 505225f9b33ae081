/**
 * Documents (invoices, valuation reports) are stored off-ledger and referenced on-ledger by CID.
 * Two implementations: an embedded content-addressed store (the default) and IPFS through Kubo's
 * RPC API. Both name bytes by the CID `ipfs add --cid-version 1` gives them, and both verify bytes
 * against their CID before handing them out. A document is found by its metadata, without reading
 * its bytes, so a caller may be refused before the bytes are read (and before their damage is
 * reported). Bytes found missing or changed are reported as DOCUMENT_CORRUPT, and an upload of the
 * same bytes stores them again: the upload repairs the document.
 */

import { AppError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';

export interface StoredDocument {
    readonly cid: string;
    readonly size: number;
    readonly mediaType: string;
}

/**
 * What the store keeps beside the bytes: the document and the enterprises that uploaded them (each
 * enterprise once, in upload order). Metadata written before uploaders were recorded has none.
 */
export interface DocumentMetadata extends StoredDocument {
    readonly uploaderIds?: readonly string[];
}

/** A document the store holds, found by its metadata: its bytes are read only when asked for. */
export interface FoundDocument {
    readonly document: StoredDocument;
    readonly uploaderIds: readonly string[];
    /**
     * The bytes, verified against the CID. Throws AppError(DOCUMENT_CORRUPT) when they are missing or no
     * longer match it (an upload of the same bytes repairs that), LEDGER_UNAVAILABLE when IPFS cannot answer.
     */
    bytes(): Promise<Buffer>;
}

export interface DocumentStore {
    readonly kind: 'embedded' | 'ipfs';
    /**
     * Stores bytes uploaded by a user of enterprise `uploaderId`. Storing bytes already stored adds
     * `uploaderId` to their uploaders, stores the bytes again when the stored ones are missing or
     * damaged, and returns their stored document (the first upload's media type).
     */
    put(bytes: Uint8Array, mediaType: string, uploaderId: string): Promise<StoredDocument>;
    /** The document of a CID with its uploaders, or undefined when unknown; its bytes are read by `bytes()`. */
    get(cid: string): Promise<FoundDocument | undefined>;
}

/** What a download of damaged bytes answers, the remedy included. */
export function damagedDocument(cid: string, what: 'missing' | 'changed'): AppError {
    const fault = what === 'missing' ? 'are missing' : 'no longer match its CID';
    return new AppError('DOCUMENT_CORRUPT', `the stored bytes of document ${cid} ${fault}; uploading the same bytes again (POST /documents) restores them`);
}

/** The public part of stored metadata. */
export function storedDocumentOf(metadata: DocumentMetadata): StoredDocument {
    return { cid: metadata.cid, size: metadata.size, mediaType: metadata.mediaType };
}

/** The metadata to store after `uploaderId` uploaded bytes whose metadata is `stored`, or undefined when unchanged. */
export function withUploader(stored: DocumentMetadata, uploaderId: string): DocumentMetadata | undefined {
    const uploaderIds = stored.uploaderIds ?? [];
    return uploaderIds.includes(uploaderId) ? undefined : { ...stored, uploaderIds: [...uploaderIds, uploaderId] };
}

/**
 * Records an upload in the metadata file `metadataFile`, both stores' way: `storeBytes` first makes
 * sure the bytes are stored (new ones, and known ones found missing or damaged, are written), then
 * bytes already known keep their document (the first upload's media type) and gain the uploader, and
 * new ones get their metadata. So metadata on disk always has its bytes, and an upload repairs them.
 * Run it one upload of the same bytes at a time.
 */
export async function recordUpload(metadataFile: string, fresh: DocumentMetadata & { uploaderIds: readonly [string] }, storeBytes: () => Promise<void>): Promise<StoredDocument> {
    await storeBytes();
    const stored = await readJsonFile<DocumentMetadata>(metadataFile);
    if (stored) {
        const updated = withUploader(stored, fresh.uploaderIds[0]);
        if (updated) {
            await writeFileAtomic(metadataFile, JSON.stringify(updated), 0o644);
        }
        return storedDocumentOf(stored);
    }
    await writeFileAtomic(metadataFile, JSON.stringify(fresh), 0o644);
    return storedDocumentOf(fresh);
}
