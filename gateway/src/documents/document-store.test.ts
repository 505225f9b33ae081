import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { CID } from 'multiformats/cid';
import { computeCid } from './cid';
import { openEmbeddedDocumentStore } from './embedded-document-store';
import { KuboApi, openIpfsDocumentStore } from './ipfs-document-store';

/**
 * A Kubo RPC API over a map: `add` names bytes by their real CID; `stored` may change what is kept
 * under it (a node returning other bytes than it was given), `onAdd` sees the add options.
 */
function memoryKubo(options: { onAdd?: (given: Record<string, unknown>) => void; stored?: (content: Buffer) => Buffer } = {}): KuboApi {
    const blocks = new Map<string, Buffer>();
    return {
        async add(content, given) {
            options.onAdd?.(given);
            const cid = await computeCid(content);
            blocks.set(cid, options.stored ? options.stored(Buffer.from(content)) : Buffer.from(content));
            return { cid: { toString: () => cid }, size: content.length };
        },
        async *cat(cid) {
            yield blocks.get(cid) as Buffer;
        },
    };
}

describe('document stores', () => {
    let directory: string;
    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'docs-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('names a single chunk by its raw-leaf CIDv1 (sha-256 of the bytes), as ipfs add --cid-version 1 does', async () => {
        const bytes = Buffer.from('hello world\n');
        const cid = CID.parse(await computeCid(bytes));
        expect(cid.version).to.equal(1);
        expect(cid.code).to.equal(0x55);
        expect(Buffer.from(cid.multihash.digest).toString('hex')).to.equal(createHash('sha256').update(bytes).digest('hex'));
        expect(cid.toString()).to.equal('bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4');
    });

    it('builds a dag-pb root for documents larger than one 256 KiB chunk', async () => {
        const cid = CID.parse(await computeCid(Buffer.alloc(256 * 1024 + 1, 1)));
        expect(cid.code).to.equal(0x70);
    });

    it('stores, dedupes and verifies documents in the embedded store', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const first = await store.put(Buffer.from('invoice'), 'text/plain', 'E1');
        expect(await store.put(Buffer.from('invoice'), 'text/plain', 'E1')).to.deep.equal(first);
        expect((await store.get(first.cid))?.bytes.toString()).to.equal('invoice');
        expect(await store.get('not-a-cid')).to.equal(undefined);
        writeFileSync(path.join(directory, `${first.cid}.bin`), 'tampered');
        expect((await store.get(first.cid).catch((e) => e)).code).to.equal('DOCUMENT_CORRUPT');
    });

    it('keeps the media type of the first upload when the same bytes are uploaded again in the embedded store', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const first = await store.put(Buffer.from('<p>invoice</p>'), 'text/html', 'E1');
        const again = await store.put(Buffer.from('<p>invoice</p>'), 'image/svg+xml', 'E1');
        expect(again).to.deep.equal({ cid: first.cid, size: 14, mediaType: 'text/html' });
        expect((await store.get(first.cid))?.document).to.deep.equal(again);
    });

    it('answers concurrent uploads of the same bytes with the one stored metadata in the embedded store', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const types = ['text/html', 'image/svg+xml', 'text/plain', 'application/pdf', 'image/png', 'text/csv'];
        const answers = await Promise.all(types.map((type) => store.put(Buffer.from('same bytes'), type, 'E1')));
        const stored = (await store.get(answers[0].cid))?.document;
        expect(stored?.mediaType).to.be.oneOf(types);
        expect(answers).to.deep.equal(answers.map(() => stored));
    });

    it('keeps the media type of the first upload of the same bytes in the IPFS store, also for concurrent uploads', async () => {
        const kubo = memoryKubo();
        const store = openIpfsDocumentStore(kubo, directory);
        const first = await store.put(Buffer.from('<p>report</p>'), 'text/html', 'E1');
        expect(await store.put(Buffer.from('<p>report</p>'), 'image/svg+xml', 'E1')).to.deep.equal(first);
        expect((await store.get(first.cid))?.document.mediaType).to.equal('text/html');
        const answers = await Promise.all(['text/plain', 'image/png', 'application/pdf'].map((type) => store.put(Buffer.from('other'), type, 'E1')));
        const stored = (await store.get(answers[0].cid))?.document;
        expect(answers).to.deep.equal(answers.map(() => stored));
    });

    it('adds to IPFS with the ipfs add options, checks the returned CID and verifies downloads', async () => {
        let options: Record<string, unknown> = {};
        let lie = false;
        const kubo = memoryKubo({
            onAdd: (given) => {
                options = given;
            },
            stored: (content) => (lie ? Buffer.from('other bytes') : content),
        });
        const store = openIpfsDocumentStore(kubo, directory);
        const stored = await store.put(Buffer.from('report'), 'application/pdf', 'E1');
        expect(options).to.include({ cidVersion: 1, rawLeaves: true, chunker: 'size-262144', pin: true });
        expect(await store.get(stored.cid)).to.deep.include({ document: { cid: stored.cid, size: 6, mediaType: 'application/pdf' } });
        lie = true;
        const tampered = await store.put(Buffer.from('second'), 'text/plain', 'E1');
        expect((await store.get(tampered.cid).catch((e) => e)).code).to.equal('DOCUMENT_CORRUPT');
    });

    for (const kind of ['embedded', 'ipfs'] as const) {
        it(`records each enterprise that uploads the same bytes once, in upload order, in the ${kind} store`, async () => {
            const store = kind === 'embedded' ? openEmbeddedDocumentStore(directory) : openIpfsDocumentStore(memoryKubo(), directory);
            const first = await store.put(Buffer.from('invoice'), 'text/plain', 'SELLER');
            expect(first).to.deep.equal({ cid: first.cid, size: 7, mediaType: 'text/plain' });
            expect(await store.put(Buffer.from('invoice'), 'application/pdf', 'BUYER')).to.deep.equal(first);
            await store.put(Buffer.from('invoice'), 'text/plain', 'SELLER');
            expect((await store.get(first.cid))?.uploaderIds).to.deep.equal(['SELLER', 'BUYER']);
            expect((await store.get(first.cid))?.document).to.deep.equal(first);
        });
    }

    it('answers no uploaders for metadata stored before uploaders were recorded', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const stored = await store.put(Buffer.from('old invoice'), 'text/plain', 'SELLER');
        writeFileSync(path.join(directory, `${stored.cid}.json`), JSON.stringify({ cid: stored.cid, size: 11, mediaType: 'text/plain' }));
        expect((await store.get(stored.cid))?.uploaderIds).to.deep.equal([]);
        await store.put(Buffer.from('old invoice'), 'text/plain', 'BUYER');
        expect((await store.get(stored.cid))?.uploaderIds).to.deep.equal(['BUYER']);
    });
});
