import { Version, sameVersion } from './keys';
import type { KeyRead, RangeQueryRead, ReadWriteSet } from './read-write-set';
import type { WorldState } from './world-state';

/** Fabric's validation codes for the outcomes the embedded ledger can produce. */
export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT' | 'DUPLICATE_TXID';

/** A transaction as the validator sees it. */
export interface Validatable {
    readonly txId: string;
    readonly readWriteSet: ReadWriteSet;
}

function compareKeys(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function inRange(key: string, query: RangeQueryRead): boolean {
    return compareKeys(key, query.start) >= 0 && (query.end === '' || compareKeys(key, query.end) < 0);
}

/**
 * Validates the transactions of one block in order, like a committing peer: each transaction is
 * checked against committed state plus the writes of the valid transactions before it in the same
 * block. A read whose version changed is an MVCC read conflict; a range query whose result set
 * would now differ (a key inserted, deleted or updated inside the range) is a phantom read.
 */
export class BlockValidator {
    /** Keys written by earlier valid transactions of this block: new version, or null when deleted. */
    private readonly overlay = new Map<string, Version | null>();
    private readonly hashedOverlay = new Map<string, Version | null>();
    private readonly seenTxIds = new Set<string>();

    constructor(
        private readonly state: WorldState,
        private readonly blockNumber: number,
        private readonly isCommittedTxId: (txId: string) => Promise<boolean>,
    ) {}

    /** Validates the transaction at `txIndex`; when valid, its writes become visible to later ones. */
    async validate(tx: Validatable, txIndex: number): Promise<ValidationCode> {
        if (this.seenTxIds.has(tx.txId) || (await this.isCommittedTxId(tx.txId))) {
            return 'DUPLICATE_TXID';
        }
        this.seenTxIds.add(tx.txId);
        const rwset = tx.readWriteSet;
        for (const read of rwset.reads) {
            // Most reads are answered by this block's overlay or the state cache, without a promise.
            let current = this.overlay.has(read.key) ? (this.overlay.get(read.key) ?? null) : this.state.cachedVersion(read.key);
            if (current === undefined) {
                current = await this.currentVersion(read.key);
            }
            if (!sameVersion(current ?? undefined, read.version ?? undefined)) {
                return 'MVCC_READ_CONFLICT';
            }
        }
        for (const read of rwset.hashedReads) {
            const id = `${read.collection}\u0000${read.keyHash.toString('hex')}`;
            const current = this.hashedOverlay.has(id) ? this.hashedOverlay.get(id) : (await this.state.getHashed(read.collection, read.keyHash))?.version;
            if (!sameVersion(current ?? undefined, read.version ?? undefined)) {
                return 'MVCC_READ_CONFLICT';
            }
        }
        for (const query of rwset.rangeQueries) {
            if (!(await this.rangeUnchanged(query))) {
                return 'PHANTOM_READ_CONFLICT';
            }
        }
        const version = { block: this.blockNumber, tx: txIndex };
        for (const write of rwset.writes) {
            this.overlay.set(write.key, write.value === null ? null : version);
        }
        for (const write of rwset.privateWrites) {
            this.hashedOverlay.set(`${write.collection}\u0000${write.keyHash.toString('hex')}`, write.value === null ? null : version);
        }
        return 'VALID';
    }

    private async currentVersion(key: string): Promise<Version | null> {
        if (this.overlay.has(key)) {
            return this.overlay.get(key) ?? null;
        }
        return (await this.state.version(key)) ?? null;
    }

    /** Re-runs a range query over committed state plus this block's earlier writes and compares. */
    private async rangeUnchanged(query: RangeQueryRead): Promise<boolean> {
        const last = query.reads.length > 0 ? query.reads[query.reads.length - 1].key : undefined;
        // A query the chaincode stopped early only covers keys up to the last one it read.
        const end = query.exhausted ? query.end : last;
        if (end === undefined) {
            return true;
        }
        const current = new Map<string, Version>();
        const reader = this.state.range(query.start, end);
        try {
            for (let entry = await reader.next(); entry; entry = await reader.next()) {
                current.set(entry.key, entry.version);
            }
        } finally {
            await reader.close();
        }
        if (!query.exhausted && last !== undefined) {
            // The range above is exclusive of its end; the last key read belongs to the query.
            const version = (await this.state.version(last)) ?? undefined;
            if (version) {
                current.set(last, version);
            }
        }
        const bounded: RangeQueryRead = { ...query, end: query.exhausted ? query.end : '' };
        for (const [key, version] of this.overlay) {
            if (!inRange(key, bounded) || (!query.exhausted && last !== undefined && compareKeys(key, last) > 0)) {
                continue;
            }
            if (version === null) {
                current.delete(key);
            } else {
                current.set(key, version);
            }
        }
        if (current.size !== query.reads.length) {
            return false;
        }
        return query.reads.every((read: KeyRead) => sameVersion(current.get(read.key), read.version ?? undefined));
    }
}
