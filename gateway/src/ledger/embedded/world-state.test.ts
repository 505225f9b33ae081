import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Database, openDatabase } from './database';
import { Version, Versioned, encodeVersioned, stateKey } from './keys';
import { WorldState } from './world-state';

const at = (block: number, tx: number): Version => ({ block, tx });

describe('world state read cache', () => {
    let directory: string;
    let db: Database;
    let state: WorldState;

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-world-state-'));
        db = await openDatabase(directory);
        await db.batch([
            { type: 'put', key: stateKey('a'), value: encodeVersioned(at(1, 0), Buffer.from('a1')) },
            { type: 'put', key: stateKey('b'), value: encodeVersioned(at(1, 1), Buffer.from('b1')) },
        ]);
        state = new WorldState(db, 100);
    });

    afterEach(async () => {
        await db.close();
        rmSync(directory, { recursive: true, force: true });
    });

    /** Writes `key` straight to the database, as a commit's batch does, without telling the cache. */
    async function writeThrough(key: string, version: Version, value: string): Promise<Map<string, Versioned>> {
        const entry = { version, value: Buffer.from(value) };
        await db.put(stateKey(key), encodeVersioned(version, entry.value));
        return new Map([[key, entry]]);
    }

    it('caches a read while a commit of other keys runs, and not one of a key being committed', async () => {
        state.beginCommit(['a']);
        expect((await state.get('b'))?.value.toString()).to.equal('b1');
        expect((await state.get('a'))?.value.toString()).to.equal('a1');
        expect(state.cachedVersion('b')).to.deep.equal(at(1, 1));
        expect(state.cachedVersion('a')).to.equal(undefined);
        const updates = await writeThrough('a', at(2, 0), 'a2');
        state.endCommit(updates, true);
        expect(state.cachedVersion('a')).to.deep.equal(at(2, 0));
        expect((await state.get('a'))?.value.toString()).to.equal('a2');
    });

    it('does not cache a read during which a commit finished', async () => {
        state.beginCommit(['b']);
        const updates = await writeThrough('b', at(2, 0), 'b2');
        const reading = state.get('a');
        state.endCommit(updates, true);
        expect((await reading)?.value.toString()).to.equal('a1');
        expect(state.cachedVersion('a')).to.equal(undefined);
        await state.get('a');
        expect(state.cachedVersion('a')).to.deep.equal(at(1, 0));
    });

    it('drops the cache when a commit fails, and counts keys written by two commits at once', async () => {
        await state.get('a');
        await state.get('b');
        state.beginCommit(['a']);
        state.beginCommit(['a']);
        state.endCommit(new Map([['a', { version: at(2, 0), value: Buffer.from('a2') }]]), false);
        expect(state.cachedVersion('b')).to.equal(undefined);
        await state.get('a');
        expect(state.cachedVersion('a'), 'still written by the second commit').to.equal(undefined);
        const updates = await writeThrough('a', at(3, 0), 'a3');
        state.endCommit(updates, true);
        expect(state.cachedVersion('a')).to.deep.equal(at(3, 0));
    });
});
