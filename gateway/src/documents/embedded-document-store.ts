import { promises as fs } from 'fs';
import * as path from 'path';
import { AppError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { computeCid, parseCid } from './cid';
import type { DocumentStore, StoredDocument } from './document-store';

/**
 * A content-addressed store on the local disk: <directory>/<cid>.bin and <cid>.json (metadata).
 * The first upload of some bytes fixes their metadata; the bytes are written before the metadata,
 * so metadata on disk always has its bytes.
 */
export function openEmbeddedDocumentStore(directory: string): DocumentStore {
    // Uploads of the same bytes are serialised, so the first one alone decides the stored media type.
    const uploads = newKeyedLock();
    return {
        kind: 'embedded',
        async put(bytes, mediaType) {
            const cid = await computeCid(bytes);
            const metadata = path.join(directory, `${cid}.json`);
            return uploads.run(cid, async () => {
                const stored = await readJsonFile<StoredDocument>(metadata);
                if (stored) {
                    return stored;
                }
                const document: StoredDocument = { cid, size: bytes.length, mediaType };
                await writeFileAtomic(path.join(directory, `${cid}.bin`), bytes, 0o644);
                await writeFileAtomic(metadata, JSON.stringify(document), 0o644);
                return document;
            });
        },
        async get(text) {
            const cid = parseCid(text);
            if (!cid) {
                return undefined;
            }
            const document = await readJsonFile<StoredDocument>(path.join(directory, `${cid}.json`));
            if (!document) {
                return undefined;
            }
            const bytes = await fs.readFile(path.join(directory, `${cid}.bin`));
            if ((await computeCid(bytes)) !== cid) {
                throw new AppError('DOCUMENT_CORRUPT', `the stored bytes of ${cid} do not match their CID`);
            }
            return { document, bytes };
        },
    };
}
