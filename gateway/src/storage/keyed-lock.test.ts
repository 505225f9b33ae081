import { expect } from 'chai';
import { newKeyedLock } from './keyed-lock';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('keyed lock', () => {
    it('runs the work of one key one at a time, in order, also after a failure', async () => {
        const lock = newKeyedLock();
        const log: string[] = [];
        const step = (name: string, fail = false) => async () => {
            log.push(`${name}:start`);
            await tick();
            log.push(`${name}:end`);
            if (fail) {
                throw new Error(name);
            }
            return name;
        };
        const outcomes = await Promise.allSettled([lock.run('k', step('a')), lock.run('k', step('b', true)), lock.run('k', step('c'))]);
        expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).to.deep.equal(['a', 'b', 'c']);
        expect(log).to.deep.equal(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    });

    it('runs the work of different keys concurrently', async () => {
        const lock = newKeyedLock();
        const log: string[] = [];
        const step = (name: string) => async () => {
            log.push(`${name}:start`);
            await tick();
            log.push(`${name}:end`);
        };
        await Promise.all([lock.run('x', step('x')), lock.run('y', step('y'))]);
        expect(log.slice(0, 2)).to.deep.equal(['x:start', 'y:start']);
    });
});
