import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Database, openDatabase } from './database';
import { sealBlock } from './block';
import { Version, Versioned, blockKey, encodeVersioned, historyKey, stateKey } from './keys';
import { WorldState, encodeHistory } from './world-state';

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

    /** The updates of a commit that writes `key`, as the engine hands them to beginCommit and endCommit. */
    function updatesOf(key: string, version: Version, value: string): Map<string, Versioned> {
        return new Map([[key, { version, value: Buffer.from(value) }]]);
    }

    /** Writes the updates straight to the database, as a commit's batch does, without telling the cache. */
    async function writeThrough(updates: Map<string, Versioned>): Promise<void> {
        for (const [key, entry] of updates) {
            await db.put(stateKey(key), encodeVersioned(entry.version, entry.value));
        }
    }

    it('caches a read while a commit of other keys runs, and not one of a key being committed', async () => {
        const updates = updatesOf('a', at(2, 0), 'a2');
        state.beginCommit(updates);
        expect((await state.get('b'))?.value.toString()).to.equal('b1');
        expect((await state.get('a'))?.value.toString()).to.equal('a1');
        expect(state.cachedVersion('b')).to.deep.equal(at(1, 1));
        expect(state.cachedVersion('a')).to.equal(undefined);
        await writeThrough(updates);
        state.endCommit(updates, true);
        expect(state.cachedVersion('a')).to.deep.equal(at(2, 0));
        expect((await state.get('a'))?.value.toString()).to.equal('a2');
    });

    it('does not cache a read during which a commit finished', async () => {
        const updates = updatesOf('b', at(2, 0), 'b2');
        state.beginCommit(updates);
        await writeThrough(updates);
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
        const failing = updatesOf('a', at(2, 0), 'a2');
        const second = updatesOf('a', at(3, 0), 'a3');
        state.beginCommit(failing);
        state.beginCommit(second);
        state.endCommit(failing, false);
        expect(state.cachedVersion('b')).to.equal(undefined);
        await state.get('a');
        expect(state.cachedVersion('a'), 'still written by the second commit').to.equal(undefined);
        await writeThrough(second);
        state.endCommit(second, true);
        expect(state.cachedVersion('a')).to.deep.equal(at(3, 0));
    });
});

describe('world state key history', () => {
    it('reads values kept in history entries written before values moved into blocks, beside entries that point into blocks', async () => {
        const directory = mkdtempSync(path.join(tmpdir(), 'xinlian-history-'));
        const db = await openDatabase(directory);
        try {
            // Block 1, tx 0 wrote k = "old" with the earlier encoding: u16 txId length, txId, f64 time, u8 delete, value.
            const id = Buffer.from('tx-old');
            const legacy = Buffer.alloc(2 + id.length + 9 + 3);
            legacy.writeUInt16BE(id.length, 0);
            id.copy(legacy, 2);
            legacy.writeDoubleBE(1_000, 2 + id.length);
            legacy[10 + id.length] = 0;
            Buffer.from('old').copy(legacy, 11 + id.length);
            // Block 2, tx 0 wrote k = "new", its history entry pointing at the value inside block 2.
            const block = sealBlock(2, undefined, [
                {
                    txId: 'tx-new',
                    nonce: '00',
                    creator: { mspId: 'PlatformMSP', certificateHash: '00' },
                    timestamp: '2026-11-26T00:00:00.000Z',
                    function: 'kv:Put',
                    args: ['k', 'new'],
                    signature: undefined,
                    validationCode: 'VALID',
                    readWriteSet: { reads: [], rangeQueries: [], writes: [{ key: 'k', value: Buffer.from('new') }], hashedReads: [], hashedWrites: [] },
                    event: undefined,
                    result: Buffer.alloc(0),
                },
            ]);
            const [start, end] = block.valueSpans[0][0];
            await db.batch([
                { type: 'put', key: historyKey('k', at(1, 0)), value: legacy },
                { type: 'put', key: blockKey(2), value: block.bytes },
                { type: 'put', key: historyKey('k', at(2, 0)), value: encodeHistory({ txId: 'tx-new', timestampMs: 2_000, isDelete: false, block: 2, valueStart: start, valueEnd: end }) },
            ]);
            const history = await new WorldState(db, 10).history('k');
            expect(history.map((entry) => [entry.txId, entry.timestampMs, entry.isDelete, entry.value.toString()])).to.deep.equal([
                ['tx-new', 2_000, false, 'new'],
                ['tx-old', 1_000, false, 'old'],
            ]);
        } finally {
            await db.close();
            rmSync(directory, { recursive: true, force: true });
        }
    });
});
