import { expect } from 'chai';
import { newHashingGate } from './hashing-gate';

describe('hashing gate', () => {
    /** Work that finishes when the test says so. */
    function pending() {
        let finish!: () => void;
        const done = new Promise<void>((resolve) => (finish = resolve));
        return { work: () => done, finish };
    }

    it('runs at most `concurrency` works at once and refuses tryRun beyond the queue, at once', async () => {
        const gate = newHashingGate(2, 1);
        const works = [pending(), pending(), pending(), pending()];
        const running = works.map((w) => gate.tryRun(w.work));
        expect(running.map((r) => r !== undefined)).to.deep.equal([true, true, true, false]);
        expect(gate.load()).to.deep.equal({ running: 2, waiting: 1 });
        works[0].finish();
        await running[0];
        expect(gate.load(), 'the freed slot passes to the waiter').to.deep.equal({ running: 2, waiting: 0 });
        expect(gate.tryRun(works[3].work), 'a place in the queue again').to.not.equal(undefined);
        works.forEach((w) => w.finish());
        await Promise.all(running);
        await new Promise((resolve) => setImmediate(resolve));
        expect(gate.load()).to.deep.equal({ running: 0, waiting: 0 });
    });

    it('queues run() beyond the queue limit, and frees the slot of a work that fails', async () => {
        const gate = newHashingGate(1, 0);
        const first = pending();
        const order: string[] = [];
        const a = gate.run(async () => {
            await first.work();
            order.push('a');
        });
        const b = gate.run(async () => {
            order.push('b');
            throw new Error('b failed');
        });
        const c = gate.run(async () => void order.push('c'));
        expect(gate.tryRun(async () => undefined)).to.equal(undefined);
        expect(gate.load()).to.deep.equal({ running: 1, waiting: 2 });
        first.finish();
        await a;
        expect((await b.catch((e) => e)).message).to.equal('b failed');
        await c;
        expect(order).to.deep.equal(['a', 'b', 'c']);
        expect(gate.load()).to.deep.equal({ running: 0, waiting: 0 });
    });
});
