/**
 * Documents (invoices, valuation reports) are stored off-ledger and referenced on-ledger by CID.
 * Two implementations: an embedded content-addressed store (the default) and IPFS through Kubo's
 * RPC API. Both name bytes by the CID `ipfs add --cid-version 1` gives them, and both verify bytes
 * against their CID before handing them out.
 */

export interface StoredDocument {
    readonly cid: string;
    readonly size: number;
    readonly mediaType: string;
}

export interface DocumentStore {
    readonly kind: 'embedded' | 'ipfs';
    /** Stores bytes; storing bytes already stored changes nothing and returns their stored metadata (the first upload's media type). */
    put(bytes: Uint8Array, mediaType: string): Promise<StoredDocument>;
    /** The verified bytes of a CID, or undefined when unknown. Throws AppError(DOCUMENT_CORRUPT) when bytes do not match. */
    get(cid: string): Promise<{ document: StoredDocument; bytes: Buffer } | undefined>;
}
