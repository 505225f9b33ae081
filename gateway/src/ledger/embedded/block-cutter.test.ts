import { expect } from 'chai';
import { BlockCutter } from './block-cutter';

describe('BlockCutter', () => {
    it('cuts a block at maxTransactions and commits blocks one at a time in order', async () => {
        const blocks: number[][] = [];
        let active = 0;
        const cutter = new BlockCutter<number>({ maxTransactions: 3, maxBytes: 1e9, timeoutMs: 1000 }, async (items) => {
            active++;
            expect(active).to.equal(1);
            await new Promise((resolve) => setTimeout(resolve, 2));
            blocks.push(items);
            active--;
        });
        for (let i = 0; i < 7; i++) {
            cutter.add(i, 1);
        }
        await cutter.drain();
        expect(blocks.flat()).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
        expect(blocks.every((b) => b.length <= 3)).to.equal(true);
        cutter.stop();
    });

    it('cuts a partial block when its timeout expires', async () => {
        const blocks: number[][] = [];
        const cutter = new BlockCutter<number>({ maxTransactions: 100, maxBytes: 1e9, timeoutMs: 5 }, async (items) => {
            blocks.push(items);
        });
        cutter.add(1, 1);
        cutter.add(2, 1);
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(blocks).to.deep.equal([[1, 2]]);
    });

    it('cuts at maxBytes', async () => {
        const blocks: number[][] = [];
        const cutter = new BlockCutter<number>({ maxTransactions: 100, maxBytes: 10, timeoutMs: 1000 }, async (items) => {
            blocks.push(items);
        });
        for (let i = 0; i < 4; i++) {
            cutter.add(i, 5);
        }
        await cutter.drain();
        expect(blocks).to.deep.equal([[0, 1], [2, 3]]);
        cutter.stop();
    });
});
