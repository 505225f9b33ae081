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

    it('with a zero timeout commits as a group: same-turn arrivals share a block, arrivals during a commit form the next', async () => {
        const blocks: number[][] = [];
        let release: () => void = () => undefined;
        const cutter = new BlockCutter<number>({ maxTransactions: 100, maxBytes: 1e9, timeoutMs: 0 }, async (items) => {
            blocks.push(items);
            if (blocks.length === 1) {
                await new Promise<void>((resolve) => {
                    release = resolve;
                });
            }
        });
        cutter.add(1, 1);
        cutter.add(2, 1);
        await new Promise((resolve) => setImmediate(resolve));
        expect(blocks).to.deep.equal([[1, 2]]);
        for (let i = 3; i <= 6; i++) {
            cutter.add(i, 1);
            await new Promise((resolve) => setTimeout(resolve, 1));
        }
        expect(blocks).to.have.length(1);
        release();
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(blocks).to.deep.equal([
            [1, 2],
            [3, 4, 5, 6],
        ]);
        cutter.stop();
    });
});
