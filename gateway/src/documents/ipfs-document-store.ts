import * as path from 'path';
import { AppError } from '../errors';
import { readJsonFile, removeStaleTemporaryFiles } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { IPFS_ADD_OPTIONS, computeCid, parseCid } from './cid';
import { DocumentMetadata, DocumentStore, damagedDocument, recordUpload, storedDocumentOf } from './document-store';

/** The part of kubo-rpc-client's API the store uses (so tests can fake it). */
export interface KuboApi {
    add(content: Uint8Array, options: Record<string, unknown>): Promise<{ cid: { toString(): string }; size: number }>;
    cat(cid: string, options?: Record<string, unknown>): AsyncIterable<Uint8Array>;
}

/** Connects kubo-rpc-client to a Kubo RPC endpoint (e.g. http://127.0.0.1:5001). */
export function newKuboApi(url: string): KuboApi {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { create } = require('kubo-rpc-client') as { create: (options: { url: string }) => { add: unknown; cat: unknown } };
    const client = create({ url }) as unknown as {
        add(content: Uint8Array, options: Record<string, unknown>): Promise<{ cid: { toString(): string }; size: number }>;
        cat(path: unknown, options?: Record<string, unknown>): AsyncIterable<Uint8Array>;
    };
    return {
        add: (content, options) => client.add(content, options),
        cat: (cid, options) => client.cat(cid, options),
    };
}

/**
 * Documents in IPFS (Kubo). Added with the options of `ipfs add --cid-version 1`, pinned; the CID
 * Kubo returns is checked against the one computed locally, and downloads are verified. Media types
 * and uploaders (which IPFS does not keep) live in small metadata files of the data directory; the
 * first upload of some bytes fixes their media type, each later one adds its enterprise. Every upload
 * adds the bytes to the node again, so it restores a document the node has lost. When it opens, it deletes
 * the temporary files of metadata writes a crash cut off (removeStaleTemporaryFiles).
 */
export function openIpfsDocumentStore(api: KuboApi, metadataDirectory: string, options: { readonly onCleanupError?: (error: unknown) => void } = {}): DocumentStore {
    // Uploads of the same bytes are serialised, so the first one alone decides the stored media type.
    const uploads = newKeyedLock();
    // Before the first upload writes: a temporary file of this process is then an earlier process's.
    const opened = removeStaleTemporaryFiles(metadataDirectory, { owns: (written) => written.endsWith('.json'), onError: options.onCleanupError });
    /** The bytes the node holds under `cid`, or undefined when it holds none. */
    const cat = async (cid: string): Promise<Buffer | undefined> => {
        const chunks: Buffer[] = [];
        try {
            for await (const chunk of api.cat(cid, { timeout: 30_000 })) {
                chunks.push(Buffer.from(chunk));
            }
        } catch (error) {
            if (/not found|no link named|merkledag/i.test((error as Error).message ?? '')) {
                return undefined;
            }
            throw new AppError('LEDGER_UNAVAILABLE', 'the IPFS node is unavailable', { cause: error });
        }
        return Buffer.concat(chunks);
    };
    const verified = async (cid: string, bytes: Buffer): Promise<Buffer> => {
        if ((await computeCid(bytes)) !== cid) {
            throw new AppError('DOCUMENT_CORRUPT', `the bytes IPFS returned for ${cid} do not match the CID`);
        }
        return bytes;
    };
    return {
        kind: 'ipfs',
        async put(bytes, mediaType, uploaderId) {
            const expected = await computeCid(bytes);
            let added: { cid: { toString(): string } };
            try {
                added = await api.add(bytes, { cidVersion: 1, rawLeaves: true, chunker: `size-${IPFS_ADD_OPTIONS.chunkSize}`, pin: true });
            } catch (error) {
                throw new AppError('LEDGER_UNAVAILABLE', 'the IPFS node is unavailable', { cause: error });
            }
            if (added.cid.toString() !== expected) {
                throw new AppError('DOCUMENT_CORRUPT', `IPFS named the document ${added.cid.toString()}, expected ${expected}`);
            }
            const metadata = path.join(metadataDirectory, `${expected}.json`);
            await opened;
            // The bytes are in IPFS already (added above); only the metadata is the store's own.
            return uploads.run(expected, () => recordUpload(metadata, { cid: expected, size: bytes.length, mediaType, uploaderIds: [uploaderId] }, async () => undefined));
        },
        async get(text) {
            const cid = parseCid(text);
            if (!cid) {
                return undefined;
            }
            const meta = await readJsonFile<DocumentMetadata>(path.join(metadataDirectory, `${cid}.json`));
            if (meta) {
                // Uploaded through this gateway: found by its metadata, its bytes fetched only when asked for.
                return {
                    document: storedDocumentOf(meta),
                    uploaderIds: meta.uploaderIds ?? [],
                    async bytes() {
                        const bytes = await cat(cid);
                        if (!bytes) {
                            throw damagedDocument(cid, 'missing');
                        }
                        return verified(cid, bytes);
                    },
                };
            }
            // Not uploaded here: only the IPFS node can tell whether it holds the bytes.
            const bytes = await cat(cid);
            if (!bytes) {
                return undefined;
            }
            return { document: { cid, size: bytes.length, mediaType: 'application/octet-stream' }, uploaderIds: [], bytes: async () => verified(cid, bytes) };
        },
    };
}
