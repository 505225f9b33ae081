/**
 * Documents (invoices, valuation reports) are stored off-ledger and referenced on-ledger by CID.
 * Two implementations: an embedded content-addressed store (the default) and IPFS through Kubo's
 * RPC API. Both name bytes by the CID `ipfs add --cid-version 1` gives them, and both verify bytes
 * against their CID before handing them out.
 */

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

export interface DocumentStore {
    readonly kind: 'embedded' | 'ipfs';
    /**
     * Stores bytes uploaded by a user of enterprise `uploaderId`. Storing bytes already stored changes
     * nothing but adds `uploaderId` to their uploaders, and returns their stored document (the first
     * upload's media type).
     */
    put(bytes: Uint8Array, mediaType: string, uploaderId: string): Promise<StoredDocument>;
    /**
     * The verified bytes of a CID with their document and uploaders, or undefined when unknown.
     * Throws AppError(DOCUMENT_CORRUPT) when bytes do not match.
     */
    get(cid: string): Promise<{ document: StoredDocument; uploaderIds: readonly string[]; bytes: Buffer } | undefined>;
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
 * Records an upload in the metadata file `metadataFile`, both stores' way: bytes already stored keep
 * their document (the first upload's media type) and gain the uploader; new bytes are stored by
 * `storeBytes` first, then their metadata. Run it one upload of the same bytes at a time.
 */
export async function recordUpload(metadataFile: string, fresh: DocumentMetadata & { uploaderIds: readonly [string] }, storeBytes: () => Promise<void>): Promise<StoredDocument> {
    const stored = await readJsonFile<DocumentMetadata>(metadataFile);
    if (stored) {
        const updated = withUploader(stored, fresh.uploaderIds[0]);
        if (updated) {
            await writeFileAtomic(metadataFile, JSON.stringify(updated), 0o644);
        }
        return storedDocumentOf(stored);
    }
    await storeBytes();
    await writeFileAtomic(metadataFile, JSON.stringify(fresh), 0o644);
    return storedDocumentOf(fresh);
}
