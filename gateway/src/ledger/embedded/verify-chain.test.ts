import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { LedgerFixture, newLedgerFixture } from '../../../test/ledger-fixture';
import { verifyLedgerDirectory } from './index';
import { blockKey } from './keys';

// Tampering edits the stored JSON directly, whatever its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rewrite(directory: string, number: number, change: (block: any) => void): Promise<void> {
    const db = new ClassicLevel<Buffer, Buffer>(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const block = JSON.parse(((await db.get(blockKey(number))) as Buffer).toString());
    change(block);
    await db.put(blockKey(number), Buffer.from(JSON.stringify(block)));
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
        const { hashData, hashHeader } = await import('./block');
        await rewrite(f.ledgerDirectory, 3, (b) => {
            b.data.transactions[0].validationCode = 'MVCC_READ_CONFLICT';
            b.header.dataHash = hashData(b.data);
            b.hash = hashHeader(b.header);
        });
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
