import { promises as fs } from 'fs';
import * as path from 'path';
import { AppError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { computeCid, parseCid } from './cid';
import { DocumentMetadata, DocumentStore, recordUpload, storedDocumentOf } from './document-store';

/**
 * A content-addressed store on the local disk: <directory>/<cid>.bin and <cid>.json (metadata).
 * The first upload of some bytes fixes their media type; each later upload by another enterprise
 * adds it to the uploaders. The bytes are written before the metadata, so metadata on disk always
 * has its bytes.
 */
export function openEmbeddedDocumentStore(directory: string): DocumentStore {
    // Uploads of the same bytes are serialised, so the first one alone decides the stored media type.
    const uploads = newKeyedLock();
    return {
        kind: 'embedded',
        async put(bytes, mediaType, uploaderId) {
            const cid = await computeCid(bytes);
            const metadata = path.join(directory, `${cid}.json`);
            return uploads.run(cid, () =>
                recordUpload(metadata, { cid, size: bytes.length, mediaType, uploaderIds: [uploaderId] }, () => writeFileAtomic(path.join(directory, `${cid}.bin`), bytes, 0o644)),
            );
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
            const bytes = await fs.readFile(path.join(directory, `${cid}.bin`));
            if ((await computeCid(bytes)) !== cid) {
                throw new AppError('DOCUMENT_CORRUPT', `the stored bytes of ${cid} do not match their CID`);
            }
            return { document: storedDocumentOf(metadata), uploaderIds: metadata.uploaderIds ?? [], bytes };
        },
    };
}
