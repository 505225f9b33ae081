import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { X509Certificate, createHash, randomBytes, sign } from 'crypto';
import { LedgerFixture, newLedgerFixture } from '../../../test/ledger-fixture';
import { EnrolledIdentity, verifyLedgerDirectory } from './index';
import { TransactionRecord, decodeBlock, entryOf, hashHeader, sealBlock, withHeader } from './block';
import { deriveTxId } from './creator';
import { openDatabase, writeBatch } from './database';
import { TIP_KEY, blockKey, certificateKey, encodeVersioned, historyKey, stateKey, txIndexKey } from './keys';
import { proposalBytes } from './proposal';
import { encodeTip, readTip } from './tip';
import { encodeHistory } from './world-state';

/** A decoded block the tampering tests may edit freely. */
type EditableBlock = { header: { number: number; previousHash: string; dataHash: string }; hash: string; data: { config?: { channelId: string; chaincode: string }; transactions: Array<Record<string, unknown>> } };

/**
 * Tampers with a stored block: decodes it, lets `change` edit it, and stores the edited data under
 * the block's header as it stands after `change` (when `rehash`, with the data hash and block hash
 * recomputed for the edited data, as a forger covering their tracks would).
 */
async function rewrite(directory: string, number: number, change: (block: EditableBlock) => void, rehash = false): Promise<void> {
    const db = new ClassicLevel<Buffer, Buffer>(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const block = JSON.parse(JSON.stringify(decodeBlock((await db.get(blockKey(number))) as Buffer))) as EditableBlock;
    change(block);
    const resealed = sealBlock(block.header.number, block.header.previousHash, (block.data.transactions as unknown as TransactionRecord[]).map(entryOf), block.data.config);
    if (rehash) {
        block.header.dataHash = resealed.header.dataHash;
        block.hash = hashHeader(block.header);
    }
    await db.put(blockKey(number), withHeader(resealed.bytes, block.header, block.hash));
    await db.close();
}

describe('verifyChain', () => {
    let f: LedgerFixture;

    beforeEach(async () => {
        f = await newLedgerFixture();
        for (let i = 0; i < 4; i++) {
            await f.ledger.submit(f.alice, 'kv:Put', ['k', String(i)]);
        }
        await f.ledger.close();
    });
    afterEach(() => f.dispose());

    it('verifies an intact chain and reports its height', async () => {
        expect(await verifyLedgerDirectory(f.ledgerDirectory)).to.deep.include({ ok: true, height: 5 });
    });

    it('reports the first block whose transactions were altered', async () => {
        await rewrite(f.ledgerDirectory, 2, (b) => {
            b.data.transactions[0].args = ['k', 'forged'];
        });
        expect(await verifyLedgerDirectory(f.ledgerDirectory)).to.deep.include({ ok: false, brokenBlock: 2 });
    });

    it('reports a block re-hashed after tampering, by its broken link to the next block', async () => {
        await rewrite(
            f.ledgerDirectory,
            3,
            (b) => {
                b.data.transactions[0].validationCode = 'MVCC_READ_CONFLICT';
            },
            true,
        );
        expect(await verifyLedgerDirectory(f.ledgerDirectory)).to.deep.include({ ok: false, brokenBlock: 4 });
    });

    it('reports a forged transaction signature', async () => {
        await rewrite(f.ledgerDirectory, 1, (b) => {
            b.data.transactions[0].signature = Buffer.from('x'.repeat(70)).toString('base64');
        });
        const result = await verifyLedgerDirectory(f.ledgerDirectory);
        expect(result).to.deep.include({ ok: false, brokenBlock: 1 });
    });
});

/**
 * Appends to the (closed) ledger in `directory` one block of one kv:Put by `identity`, written as
 * ledgers were before blocks recorded the creator's fingerprint: the creator hash is SHA-256 of the
 * PEM text, the certificate is stored as that text under that hash, the transaction id derives from
 * that text and the signature covers that hash. State, history, tx index and tip as the engine writes them.
 */
async function appendPemHashedBlock(directory: string, identity: EnrolledIdentity, key: string, value: string): Promise<string> {
    const db = await openDatabase(directory);
    try {
        const tip = await readTip(db);
        if (!tip) {
            throw new Error('no ledger');
        }
        const pemHash = createHash('sha256').update(identity.certificate, 'utf8').digest('hex');
        const nonce = randomBytes(24);
        const txId = deriveTxId(nonce, identity.mspId, identity.certificate);
        const timestamp = new Date().toISOString();
        const args = [key, value];
        const message = proposalBytes({ channelId: 'xinlian', txId, nonce: nonce.toString('hex'), mspId: identity.mspId, certificateHash: pemHash, timestamp, function: 'kv:Put', args });
        const version = { block: tip.height, tx: 0 };
        const block = sealBlock(tip.height, tip.hash, [
            {
                txId,
                nonce: nonce.toString('hex'),
                creator: { mspId: identity.mspId, certificateHash: pemHash },
                timestamp,
                function: 'kv:Put',
                args,
                signature: sign('sha256', message, identity.privateKey),
                validationCode: 'VALID',
                readWriteSet: { reads: [], rangeQueries: [], writes: [{ key, value: Buffer.from(value) }], hashedReads: [], hashedWrites: [] },
                event: { name: 'Put', payload: Buffer.from(JSON.stringify({ key, value })) },
                result: Buffer.alloc(0),
            },
        ]);
        const [valueStart, valueEnd] = block.valueSpans[0][0];
        await writeBatch(
            db,
            [
                { type: 'put', key: blockKey(tip.height), value: block.bytes },
                { type: 'put', key: txIndexKey(txId), value: Buffer.from(JSON.stringify({ blockNumber: tip.height, txIndex: 0, validationCode: 'VALID' })) },
                { type: 'put', key: certificateKey(pemHash), value: Buffer.from(identity.certificate, 'utf8') },
                { type: 'put', key: stateKey(key), value: encodeVersioned(version, Buffer.from(value)) },
                { type: 'put', key: historyKey(key, version), value: encodeHistory({ block: tip.height, txOffset: block.txOffsets[0], valueStart, valueEnd, isDelete: false }) },
                { type: 'put', key: TIP_KEY, value: encodeTip({ height: tip.height + 1, hash: block.hash }) },
            ],
            false,
        );
        return txId;
    } finally {
        await db.close();
    }
}

/** The SHA-256 fingerprint of a certificate's DER as OpenSSL prints it, without the colons. */
const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

describe('verifyChain and the creator hashes blocks record', () => {
    let f: LedgerFixture;
    const oldTxIds: string[] = [];

    // Blocks 1 and 2 written the old way (alice's kv:Put, bob's); the engine appends from block 3.
    beforeEach(async () => {
        f = await newLedgerFixture();
        await f.ledger.close();
        oldTxIds.length = 0;
        oldTxIds.push(await appendPemHashedBlock(f.ledgerDirectory, f.alice, 'k', 'old alice'));
        oldTxIds.push(await appendPemHashedBlock(f.ledgerDirectory, f.bob, 'k', 'old bob'));
    });
    afterEach(() => f.dispose());

    it('verifies a ledger whose blocks record the SHA-256 of the creator PEM text, as blocks written before the fingerprint do', async () => {
        expect(await verifyLedgerDirectory(f.ledgerDirectory)).to.deep.include({ ok: true, height: 3 });
    });

    it('opens it, appends blocks that record fingerprints, and the mixed chain verifies with every creator found by the hash its block records', async () => {
        await f.reopen();
        expect((await f.ledger.evaluate(f.alice, 'kv:Get', ['k'])).toString()).to.equal('old bob');
        const added = await f.ledger.submit(f.alice, 'kv:Put', ['k', 'new alice']);
        await f.ledger.submit(f.bob, 'kv:Put', ['k', 'new bob']);
        const history = JSON.parse((await f.ledger.evaluate(f.alice, 'kv:History', ['k'])).toString()) as Array<{ txId: string; value: string }>;
        // Newest first, as Fabric answers it.
        expect(history.map((entry) => entry.value)).to.deep.equal(['new bob', 'new alice', 'old bob', 'old alice']);
        expect(history.slice(2).map((entry) => entry.txId)).to.deep.equal([...oldTxIds].reverse());
        expect(await f.ledger.verifyChain()).to.deep.include({ ok: true, height: 5 });

        const creators: Array<{ mspId: string; certificateHash: string }> = [];
        for (let number = 1; number < f.ledger.height(); number++) {
            creators.push((await f.ledger.readBlock(number)).data.transactions[0].creator);
        }
        const pemHash = (pem: string): string => createHash('sha256').update(pem, 'utf8').digest('hex');
        expect(creators.map((creator) => creator.certificateHash)).to.deep.equal([
            pemHash(f.alice.certificate),
            pemHash(f.bob.certificate),
            fingerprintOf(f.alice.certificate),
            fingerprintOf(f.bob.certificate),
        ]);
        expect((await f.ledger.readBlock(added.blockNumber)).data.transactions[added.txIndex].creator.certificateHash).to.equal(fingerprintOf(f.alice.certificate));
        await f.ledger.close();

        const db = await openDatabase(f.ledgerDirectory);
        try {
            const stored = await Promise.all(creators.map(async (creator) => (await db.get(certificateKey(creator.certificateHash)))?.toString('utf8')));
            expect(stored.map((pem) => pem && fingerprintOf(pem))).to.deep.equal([f.alice, f.bob, f.alice, f.bob].map((identity) => fingerprintOf(identity.certificate)));
        } finally {
            await db.close();
        }
        expect(await verifyLedgerDirectory(f.ledgerDirectory)).to.deep.include({ ok: true, height: 5 });
    });

    it('reports an unsigned transaction re-attributed to another certificate whose fingerprint it names', async () => {
        await f.reopen();
        const unsigned = await f.ledger.submit({ mspId: f.bob.mspId, certificate: f.bob.certificate }, 'kv:Put', ['k', 'unsigned bob']);
        await f.ledger.close();
        // A forger names alice's fingerprint as the creator of bob's last transaction, re-seals the block and
        // the tip, and stores bob's certificate under alice's fingerprint: id and (absent) signature still hold.
        const alice = fingerprintOf(f.alice.certificate);
        await rewrite(
            f.ledgerDirectory,
            unsigned.blockNumber,
            (b) => {
                b.data.transactions[0].creator = { mspId: f.bob.mspId, certificateHash: alice };
            },
            true,
        );
        const db = await openDatabase(f.ledgerDirectory);
        try {
            const forged = decodeBlock((await db.get(blockKey(unsigned.blockNumber))) as Buffer);
            const bobPem = (await db.get(certificateKey(fingerprintOf(f.bob.certificate)))) as Buffer;
            await db.batch([
                { type: 'put', key: TIP_KEY, value: encodeTip({ height: unsigned.blockNumber + 1, hash: forged.hash }) },
                { type: 'put', key: certificateKey(alice), value: bobPem },
            ]);
        } finally {
            await db.close();
        }
        expect(await verifyLedgerDirectory(f.ledgerDirectory)).to.deep.include({ ok: false, brokenBlock: unsigned.blockNumber });
    });
});
