import { createHash } from 'crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { CID } from 'multiformats/cid';
import { STOPPED_PID, startRunningProcess, temporaryFileName } from '../../test/support/temporary-files';
import { AppError } from '../errors';
import { computeCid } from './cid';
import { openEmbeddedDocumentStore } from './embedded-document-store';
import { KuboApi, openIpfsDocumentStore } from './ipfs-document-store';

/**
 * A Kubo RPC API over a map: `add` names bytes by their real CID; `stored` may change what is kept
 * under it (a node returning other bytes than it was given), `onAdd` sees the add options.
 */
function memoryKubo(options: { onAdd?: (given: Record<string, unknown>) => void; stored?: (content: Buffer) => Buffer } = {}): KuboApi & { forget(cid: string): boolean } {
    const blocks = new Map<string, Buffer>();
    return {
        async add(content, given) {
            options.onAdd?.(given);
            const cid = await computeCid(content);
            blocks.set(cid, options.stored ? options.stored(Buffer.from(content)) : Buffer.from(content));
            return { cid: { toString: () => cid }, size: content.length };
        },
        async *cat(cid) {
            const block = blocks.get(cid);
            if (!block) {
                throw new Error(`block ${cid} not found`);
            }
            yield block;
        },
        forget: (cid: string) => blocks.delete(cid),
    } as KuboApi & { forget(cid: string): boolean };
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
        expect((await (await store.get(first.cid))?.bytes())?.toString()).to.equal('invoice');
        expect(await store.get('not-a-cid')).to.equal(undefined);
        writeFileSync(path.join(directory, `${first.cid}.bin`), 'tampered');
        const found = await store.get(first.cid);
        expect(found?.document).to.deep.equal(first);
        expect(await found?.bytes().catch((e: unknown) => e)).to.include({ code: 'DOCUMENT_CORRUPT' });
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

    it('deletes the temporary files of metadata a stopped gateway left when the IPFS store opens, keeping a running process\'s, and reports one it cannot delete', async () => {
        const running = await startRunningProcess();
        try {
            const cid = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
            const names = {
                stopped: temporaryFileName(`${cid}.json`, STOPPED_PID),
                earlier: temporaryFileName(`${cid}.json`, process.pid, 1),
                running: temporaryFileName(`${cid}.json`, running.pid, 2),
                undeletable: temporaryFileName(`${cid}.json`, STOPPED_PID, 3),
            };
            for (const name of [names.stopped, names.earlier, names.running]) {
                writeFileSync(path.join(directory, name), '{"cid":');
            }
            mkdirSync(path.join(directory, names.undeletable));
            const errors: unknown[] = [];
            const store = openIpfsDocumentStore(memoryKubo(), directory, { onCleanupError: (error) => errors.push(error) });
            const stored = await store.put(Buffer.from('report'), 'text/plain', 'E1');
            expect(readdirSync(directory).sort()).to.deep.equal([`${stored.cid}.json`, names.running, names.undeletable].sort());
            expect(errors).to.have.length(1);
            expect((errors[0] as Error).message).to.include(names.undeletable);
        } finally {
            await running.stop();
        }
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
        expect((await (await store.get(stored.cid))?.bytes())?.toString()).to.equal('report');
        lie = true;
        const tampered = await store.put(Buffer.from('second'), 'text/plain', 'E1');
        expect(await (await store.get(tampered.cid))?.bytes().catch((e: unknown) => e)).to.include({ code: 'DOCUMENT_CORRUPT' });
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

    it('finds a document by its metadata without reading its bytes, and reports missing or changed bytes when they are read', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const stored = await store.put(Buffer.from('invoice 7'), 'text/plain', 'SELLER');
        const bin = path.join(directory, `${stored.cid}.bin`);
        rmSync(bin);
        const found = await store.get(stored.cid);
        expect(found).to.deep.include({ document: stored, uploaderIds: ['SELLER'] });
        const missing = await found?.bytes().catch((e: unknown) => e);
        expect(missing).to.be.instanceOf(AppError);
        expect(missing).to.include({ code: 'DOCUMENT_CORRUPT', message: `the stored bytes of document ${stored.cid} are missing; uploading the same bytes again (POST /documents) restores them` });
        writeFileSync(bin, 'invoice 8');
        const changed = await (await store.get(stored.cid))?.bytes().catch((e: unknown) => e);
        expect(changed).to.include({ code: 'DOCUMENT_CORRUPT', message: `the stored bytes of document ${stored.cid} no longer match its CID; uploading the same bytes again (POST /documents) restores them` });
    });

    it('repairs missing or changed bytes when the same bytes are uploaded again, keeping the document and its uploaders', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const stored = await store.put(Buffer.from('invoice 9'), 'text/html', 'SELLER');
        const bin = path.join(directory, `${stored.cid}.bin`);
        rmSync(bin);
        expect(await store.put(Buffer.from('invoice 9'), 'text/plain', 'BUYER')).to.deep.equal(stored);
        expect(readFileSync(bin, 'utf8')).to.equal('invoice 9');
        writeFileSync(bin, 'overwritten');
        expect(await store.put(Buffer.from('invoice 9'), 'text/plain', 'SELLER')).to.deep.equal(stored);
        const found = await store.get(stored.cid);
        expect((await found?.bytes())?.toString()).to.equal('invoice 9');
        expect(found?.uploaderIds).to.deep.equal(['SELLER', 'BUYER']);
        // Intact bytes are not written again.
        const before = statSync(bin).mtimeMs;
        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.put(Buffer.from('invoice 9'), 'text/plain', 'SELLER');
        expect(statSync(bin).mtimeMs).to.equal(before);
    });

    it('reports bytes the IPFS node lost when they are read, and restores them when they are uploaded again', async () => {
        const kubo = memoryKubo();
        const store = openIpfsDocumentStore(kubo, directory);
        const stored = await store.put(Buffer.from('valuation report'), 'application/pdf', 'OWNER');
        kubo.forget(stored.cid);
        const found = await store.get(stored.cid);
        expect(found).to.deep.include({ document: stored, uploaderIds: ['OWNER'] });
        expect(await found?.bytes().catch((e: unknown) => e)).to.include({ code: 'DOCUMENT_CORRUPT' });
        await store.put(Buffer.from('valuation report'), 'application/pdf', 'OWNER');
        expect((await (await store.get(stored.cid))?.bytes())?.toString()).to.equal('valuation report');
        // Bytes the node never had and this gateway never stored: unknown.
        const other = await computeCid(Buffer.from('never added'));
        expect(await store.get(other)).to.equal(undefined);
    });

    it('deletes the temporary files of uploads a killed process cut off when it opens, and no others', async () => {
        const store = openEmbeddedDocumentStore(directory);
        const stored = await store.put(Buffer.from('kept'), 'text/plain', 'E1');
        // A pid that runs no process (pids stay below 2^22 on Linux), this process's own (an earlier one's, reused), and a running one's.
        const dead = `${stored.cid}.bin.4194305.0.0123abcd.tmp`;
        const reused = `${stored.cid}.bin.${process.pid}.5.89abcdef.tmp`;
        const running = `${stored.cid}.bin.${process.ppid}.1.deadbeef.tmp`;
        for (const name of [dead, reused, running, 'notes.txt']) {
            writeFileSync(path.join(directory, name), 'partial');
        }
        const reopened = openEmbeddedDocumentStore(directory);
        await reopened.put(Buffer.from('another'), 'text/plain', 'E1');
        const names = readdirSync(directory);
        expect(names).to.not.include(dead);
        expect(names).to.not.include(reused);
        expect(names).to.include.members([running, 'notes.txt', `${stored.cid}.bin`, `${stored.cid}.json`]);
    });
});
