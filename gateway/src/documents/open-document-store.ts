import * as path from 'path';
import type { Config } from '../config';
import type { DocumentStore } from './document-store';
import { openEmbeddedDocumentStore } from './embedded-document-store';
import { newKuboApi, openIpfsDocumentStore } from './ipfs-document-store';

/**
 * The configured document store: embedded CAS (default) or IPFS through Kubo's RPC API. `onCleanupError` is
 * told of a temporary file, left by a stopped gateway, that the store could not delete when it opened.
 */
export function openDocumentStore(config: Pick<Config, 'dataDir' | 'documentStore' | 'ipfsApiUrl'>, options: { readonly onCleanupError?: (error: unknown) => void } = {}): DocumentStore {
    const directory = path.join(config.dataDir, 'documents');
    return config.documentStore === 'ipfs' ? openIpfsDocumentStore(newKuboApi(config.ipfsApiUrl), directory, options) : openEmbeddedDocumentStore(directory, options);
}
