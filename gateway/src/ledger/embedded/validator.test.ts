import { expect } from 'chai';
import { createHash } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Database, openDatabase } from './database';
import { Version, encodeVersioned, hashedKey, stateKey } from './keys';
import type { ReadWriteSet } from './read-write-set';
import { BlockValidator, PendingWrites } from './validator';
import { WorldState } from './world-state';

function rwset(parts: Partial<ReadWriteSet>): ReadWriteSet {
    return { reads: [], rangeQueries: [], writes: [], hashedReads: [], privateWrites: [], ...parts };
}

const at = (block: number, tx: number): Version => ({ block, tx });

describe('block validator', () => {
    let directory: string;
    let db: Database;
    let state: WorldState;
    const keyHash = createHash('sha256').update('secret').digest();

    before(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-validator-'));
        db = await openDatabase(directory);
        // Committed at block 1: a (1,0), item-1 (1,1), and the hash of a private key (1,2).
        await db.batch([
            { type: 'put', key: stateKey('a'), value: encodeVersioned(at(1, 0), Buffer.from('1')) },
            { type: 'put', key: stateKey('item-1'), value: encodeVersioned(at(1, 1), Buffer.from('x')) },
            { type: 'put', key: hashedKey('terms', keyHash), value: encodeVersioned(at(1, 2), Buffer.alloc(32)) },
        ]);
        state = new WorldState(db, 100);
    });

    after(async () => {
        await db.close();
        rmSync(directory, { recursive: true, force: true });
    });

    const never = async (): Promise<boolean> => false;

    /** Block 2 wrote `a`, inserted `item-2`, deleted `item-1` and rewrote the private key; it is still being written. */
    function pendingBlock2(): PendingWrites {
        return {
            txIds: new Set(['t2']),
            keys: new Map<string, Version | null>([
                ['a', at(2, 0)],
                ['item-2', at(2, 0)],
                ['item-1', null],
            ]),
            hashedKeys: new Map([[`terms\u0000${keyHash.toString('hex')}`, at(2, 0)]]),
        };
    }

    it('validates against committed state when no block is pending', async () => {
        const validator = new BlockValidator(state, 3, never);
        expect(await validator.validate({ txId: 'x', readWriteSet: rwset({ reads: [{ key: 'a', version: at(1, 0) }] }) }, 0)).to.equal('VALID');
    });

    it('sees the writes of the block still being written: a read of their old versions is an MVCC conflict', async () => {
        const validator = new BlockValidator(state, 3, never, pendingBlock2());
        expect(await validator.validate({ txId: 'x1', readWriteSet: rwset({ reads: [{ key: 'a', version: at(1, 0) }] }) }, 0)).to.equal('MVCC_READ_CONFLICT');
        expect(await validator.validate({ txId: 'x2', readWriteSet: rwset({ reads: [{ key: 'item-1', version: at(1, 1) }] }) }, 1)).to.equal('MVCC_READ_CONFLICT');
        expect(await validator.validate({ txId: 'x3', readWriteSet: rwset({ reads: [{ key: 'item-2', version: null }] }) }, 2)).to.equal('MVCC_READ_CONFLICT');
        expect(await validator.validate({ txId: 'x4', readWriteSet: rwset({ reads: [{ key: 'a', version: at(2, 0) }, { key: 'item-1', version: null }] }) }, 3)).to.equal('VALID');
    });

    it('sees hashed private writes, range changes and transaction ids of the pending block', async () => {
        const validator = new BlockValidator(state, 3, never, pendingBlock2());
        const hashedRead = { collection: 'terms', keyHash, version: at(1, 2) };
        expect(await validator.validate({ txId: 'y1', readWriteSet: rwset({ hashedReads: [hashedRead] }) }, 0)).to.equal('MVCC_READ_CONFLICT');
        const range = { start: 'item-', end: 'item-~', exhausted: true, reads: [{ key: 'item-1', version: at(1, 1) }] };
        expect(await validator.validate({ txId: 'y2', readWriteSet: rwset({ rangeQueries: [range] }) }, 1)).to.equal('PHANTOM_READ_CONFLICT');
        const rangeAfter = { ...range, reads: [{ key: 'item-2', version: at(2, 0) }] };
        expect(await validator.validate({ txId: 'y3', readWriteSet: rwset({ rangeQueries: [rangeAfter] }) }, 2)).to.equal('VALID');
        expect(await validator.validate({ txId: 't2', readWriteSet: rwset({}) }, 3)).to.equal('DUPLICATE_TXID');
    });

    it('hands on only its own block’s writes, so pending writes do not pile up from block to block', async () => {
        const validator = new BlockValidator(state, 3, never, pendingBlock2());
        await validator.validate({ txId: 'z1', readWriteSet: rwset({ writes: [{ key: 'b', value: Buffer.from('2') }] }) }, 0);
        const written = validator.written();
        expect([...written.keys]).to.deep.equal([['b', at(3, 0)]]);
        expect([...written.txIds]).to.deep.equal(['z1']);
        const next = new BlockValidator(state, 4, never, written);
        expect(await next.validate({ txId: 'z2', readWriteSet: rwset({ reads: [{ key: 'b', version: null }] }) }, 0)).to.equal('MVCC_READ_CONFLICT');
        expect(await next.validate({ txId: 'z3', readWriteSet: rwset({ reads: [{ key: 'a', version: at(1, 0) }] }) }, 1)).to.equal('VALID');
    });
});
