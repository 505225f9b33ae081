import { expect } from 'chai';
import { LruCache } from './lru-cache';

describe('LruCache', () => {
    it('never holds more than its capacity', () => {
        const cache = new LruCache<number, number>(10);
        for (let i = 0; i < 100; i++) {
            cache.set(i, i);
        }
        const held = Array.from({ length: 100 }, (_, i) => i).filter((i) => cache.has(i));
        expect(held.length).to.be.at.most(10);
        expect(held).to.include(99);
    });

    it('keeps an entry that is read while others are inserted', () => {
        const cache = new LruCache<string, number>(10);
        cache.set('hot', 1);
        for (let i = 0; i < 100; i++) {
            cache.set(`cold${i}`, i);
            expect(cache.get('hot')).to.equal(1);
        }
        expect(cache.has('cold0')).to.equal(false);
    });

    it('returns the latest value of a key that is also in the old generation', () => {
        const cache = new LruCache<string, string>(4);
        cache.set('k', 'v1');
        cache.set('a', 'a');
        cache.set('b', 'b'); // 'k' and 'a' move to the old generation
        cache.set('k', 'v2');
        expect(cache.get('k')).to.equal('v2');
        cache.set('c', 'c');
        cache.set('d', 'd');
        expect(cache.get('k')).to.equal('v2');
    });

    it('stores null values and forgets everything on clear', () => {
        const cache = new LruCache<string, string | null>(4);
        cache.set('absent', null);
        expect(cache.get('absent')).to.equal(null);
        expect(cache.get('unknown')).to.equal(undefined);
        cache.clear();
        expect(cache.has('absent')).to.equal(false);
    });
});
