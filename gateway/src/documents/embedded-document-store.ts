import { promises as fs } from 'fs';
import * as path from 'path';
import { AppError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';
import { computeCid, parseCid } from './cid';
import type { DocumentStore, StoredDocument } from './document-store';

/** A content-addressed store on the local disk: <directory>/<cid>.bin and <cid>.json (metadata). */
export function openEmbeddedDocumentStore(directory: string): DocumentStore {
    return {
        kind: 'embedded',
        async put(bytes, mediaType) {
            const cid = await computeCid(bytes);
            const document: StoredDocument = { cid, size: bytes.length, mediaType };
            const file = path.join(directory, `${cid}.bin`);
            if (!(await readJsonFile<StoredDocument>(path.join(directory, `${cid}.json`)))) {
                await writeFileAtomic(file, bytes, 0o644);
                await writeFileAtomic(path.join(directory, `${cid}.json`), JSON.stringify(document), 0o644);
            }
            return document;
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
