import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { LedgerFixture, newLedgerFixture } from '../../../test/ledger-fixture';
import { verifyLedgerDirectory } from './index';
import { TransactionRecord, decodeBlock, entryOf, hashHeader, sealBlock, withHeader } from './block';
import { blockKey } from './keys';

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
