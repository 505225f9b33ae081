import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Database, openDatabase } from './database';
import { TransactionEntry, sealBlock } from './block';
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
    it('reads the three history entry encodings side by side: a copied value, a pointer with id and time, a pointer to the transaction', async () => {
        const directory = mkdtempSync(path.join(tmpdir(), 'xinlian-history-'));
        const db = await openDatabase(directory);
        try {
            // Block 1, tx 0 wrote k = "old" with the first encoding: u16 txId length, txId, f64 time, u8 delete, value.
            const id = Buffer.from('tx-old');
            const copied = Buffer.alloc(2 + id.length + 9 + 3);
            copied.writeUInt16BE(id.length, 0);
            id.copy(copied, 2);
            copied.writeDoubleBE(1_000, 2 + id.length);
            copied[10 + id.length] = 0;
            Buffer.from('old').copy(copied, 11 + id.length);
            const put = (txId: string, timestamp: string, value: string): TransactionEntry => ({
                txId,
                nonce: '00',
                creator: { mspId: 'PlatformMSP', certificateHash: '00' },
                timestamp,
                function: 'kv:Put',
                args: ['k', value],
                signature: undefined,
                validationCode: 'VALID',
                readWriteSet: { reads: [], rangeQueries: [], writes: [{ key: 'k', value: Buffer.from(value) }], hashedReads: [], hashedWrites: [] },
                event: undefined,
                result: Buffer.alloc(0),
            });
            // Block 2, tx 0 wrote k = "mid" with the second encoding: 0xff, u64 block, u32 start, u32 end, f64 time, u8 delete, txId.
            const block2 = sealBlock(2, undefined, [put('tx-mid', '2026-11-26T00:00:02.000Z', 'mid')]);
            const [midStart, midEnd] = block2.valueSpans[0][0];
            const midId = Buffer.from('tx-mid');
            const pointer = Buffer.alloc(26 + midId.length);
            pointer[0] = 0xff;
            pointer.writeBigUInt64BE(2n, 1);
            pointer.writeUInt32BE(midStart, 9);
            pointer.writeUInt32BE(midEnd, 13);
            pointer.writeDoubleBE(2_000, 17);
            pointer[25] = 0;
            midId.copy(pointer, 26);
            // Block 3: tx 0 wrote another key, tx 1 wrote k = "new" (the current encoding, id and time read from the block).
            const block3 = sealBlock(3, undefined, [put('tx-other', '2026-11-26T00:00:03.000Z', 'other'), put('tx-new', '2026-11-26T00:00:03.500Z', 'new')]);
            const [newStart, newEnd] = block3.valueSpans[1][0];
            const current = encodeHistory({ block: 3, txOffset: block3.txOffsets[1], valueStart: newStart, valueEnd: newEnd, isDelete: false });
            expect(current.length).to.equal(22);
            await db.batch([
                { type: 'put', key: historyKey('k', at(1, 0)), value: copied },
                { type: 'put', key: blockKey(2), value: block2.bytes },
                { type: 'put', key: historyKey('k', at(2, 0)), value: pointer },
                { type: 'put', key: blockKey(3), value: block3.bytes },
                { type: 'put', key: historyKey('k', at(3, 1)), value: current },
            ]);
            const history = await new WorldState(db, 10).history('k');
            expect(history.map((entry) => [entry.txId, entry.timestampMs, entry.isDelete, entry.value.toString()])).to.deep.equal([
                ['tx-new', Date.parse('2026-11-26T00:00:03.500Z'), false, 'new'],
                ['tx-mid', 2_000, false, 'mid'],
                ['tx-old', 1_000, false, 'old'],
            ]);
        } finally {
            await db.close();
            rmSync(directory, { recursive: true, force: true });
        }
    });
});

describe('world state range reads', () => {
    let directory: string;
    let db: Database;

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-world-state-range-'));
        db = await openDatabase(directory);
    });

    afterEach(async () => {
        await db.close();
        rmSync(directory, { recursive: true, force: true });
    });

    it('returns every key of a range whose values fill many of LevelDB’s byte-bounded pages', async () => {
        // 300 values of 1 KiB: each nextv page is cut at LevelDB's byte budget long before 128 entries.
        const keys = Array.from({ length: 300 }, (_, n) => `enterprise~${String(n).padStart(4, '0')}`);
        await db.batch(keys.map((key, n) => ({ type: 'put' as const, key: stateKey(key), value: encodeVersioned(at(1, n), Buffer.alloc(1024, n % 251)) })));
        await db.put(stateKey('other'), encodeVersioned(at(1, 300), Buffer.from('outside')));
        const reader = new WorldState(db, 100).range('enterprise~', 'enterprise~\uffff');
        const seen: string[] = [];
        for (let entry = await reader.next(); entry; entry = await reader.next()) {
            expect(entry.value.length).to.equal(1024);
            seen.push(entry.key);
        }
        await reader.close();
        expect(seen).to.deep.equal(keys);
    });
});
