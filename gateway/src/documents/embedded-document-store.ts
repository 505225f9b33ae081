import { promises as fs } from 'fs';
import * as path from 'path';
import { readJsonFile, removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { computeCid, parseCid } from './cid';
import { DocumentMetadata, DocumentStore, damagedDocument, recordUpload, storedDocumentOf } from './document-store';

/** Options of the embedded store. */
export interface EmbeddedDocumentStoreOptions {
    /** Told of a crash's temporary file it could not delete when it opened. */
    readonly onCleanupError?: (error: unknown) => void;
}

/** The stored bytes at `file`, or undefined when there are none. */
async function readBytes(file: string): Promise<Buffer | undefined> {
    try {
        return await fs.readFile(file);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw error;
    }
}

/**
 * A content-addressed store on the local disk: <directory>/<cid>.bin and <cid>.json (metadata).
 * The first upload of some bytes fixes their media type; each later upload by another enterprise
 * adds it to the uploaders. The bytes are written before the metadata, so metadata on disk always
 * has its bytes; an upload of bytes whose stored copy is missing or no longer the same (a damaged
 * data directory) writes them again. When it opens, it deletes the temporary files of uploads a
 * crash cut off (removeStaleTemporaryFiles): up to a whole document each.
 */
export function openEmbeddedDocumentStore(directory: string, options: EmbeddedDocumentStoreOptions = {}): DocumentStore {
    // Uploads of the same bytes are serialised, so the first one alone decides the stored media type.
    const uploads = newKeyedLock();
    // Before the first upload writes: a temporary file of this process is then an earlier process's.
    const opened = removeStaleTemporaryFiles(directory, { onError: options.onCleanupError });
    /** Writes `bytes` to `file` unless it holds them already. */
    const storeBytes = async (file: string, bytes: Uint8Array): Promise<void> => {
        const held = await readBytes(file);
        if (!held?.equals(bytes)) {
            await writeFileAtomic(file, bytes, 0o644);
        }
    };
    return {
        kind: 'embedded',
        async put(bytes, mediaType, uploaderId) {
            const cid = await computeCid(bytes);
            await opened;
            const metadata = path.join(directory, `${cid}.json`);
            return uploads.run(cid, () => recordUpload(metadata, { cid, size: bytes.length, mediaType, uploaderIds: [uploaderId] }, () => storeBytes(path.join(directory, `${cid}.bin`), bytes)));
        },
        async get(text) {
            const cid = parseCid(text);
            if (!cid) {
                return undefined;
            }
            const metadata = await readJsonFile<DocumentMetadata>(path.join(directory, `${cid}.json`));
            if (!metadata) {
                return undefined;
            }
            return {
                document: storedDocumentOf(metadata),
                uploaderIds: metadata.uploaderIds ?? [],
                async bytes() {
                    const bytes = await readBytes(path.join(directory, `${cid}.bin`));
                    if (!bytes) {
                        throw damagedDocument(cid, 'missing');
                    }
                    if ((await computeCid(bytes)) !== cid) {
                        throw damagedDocument(cid, 'changed');
                    }
                    return bytes;
                },
            };
        },
    };
}
