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
 * The writes of a validated block whose commit has not finished yet: the next block is validated
 * against them (as if committed) while they are being written to disk.
 */
export interface PendingWrites {
    readonly txIds: ReadonlySet<string>;
    /** Public key → its new version, or null when deleted. */
    readonly keys: ReadonlyMap<string, Version | null>;
    /** `collection\0keyHashHex` → new version, or null when deleted. */
    readonly hashedKeys: ReadonlyMap<string, Version | null>;
}

/**
 * Validates the transactions of one block in order, like a committing peer: each transaction is
 * checked against committed state, then the writes of the previous block when that block is still
 * being written (`pending`), then the writes of the valid transactions before it in this block. A
 * read whose version changed is an MVCC read conflict; a range query whose result set would now
 * differ (a key inserted, deleted or updated inside the range) is a phantom read.
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
        private readonly pending?: PendingWrites,
    ) {}

    /** What this block's valid transactions wrote, for validating the next block during its commit. */
    written(): PendingWrites {
        return { txIds: this.seenTxIds, keys: this.overlay, hashedKeys: this.hashedOverlay };
    }

    /** Validates the transaction at `txIndex`; when valid, its writes become visible to later ones. */
    async validate(tx: Validatable, txIndex: number): Promise<ValidationCode> {
        if (this.seenTxIds.has(tx.txId) || this.pending?.txIds.has(tx.txId) || (await this.isCommittedTxId(tx.txId))) {
            return 'DUPLICATE_TXID';
        }
        this.seenTxIds.add(tx.txId);
        const rwset = tx.readWriteSet;
        for (const read of rwset.reads) {
            // Most reads are answered by an overlay or the state cache, without a promise.
            let current = this.overlaid(read.key);
            if (current === undefined) {
                current = this.state.cachedVersion(read.key);
            }
            if (current === undefined) {
                current = (await this.state.version(read.key)) ?? null;
            }
            if (!sameVersion(current ?? undefined, read.version ?? undefined)) {
                return 'MVCC_READ_CONFLICT';
            }
        }
        for (const read of rwset.hashedReads) {
            const id = `${read.collection}\u0000${read.keyHash.toString('hex')}`;
            let current = this.hashedOverlay.has(id) ? this.hashedOverlay.get(id) : this.pending?.hashedKeys.get(id);
            if (current === undefined) {
                current = (await this.state.getHashed(read.collection, read.keyHash))?.version;
            }
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

    /** The version of `key` after this block's earlier writes and the pending block's; undefined when neither wrote it. */
    private overlaid(key: string): Version | null | undefined {
        if (this.overlay.has(key)) {
            return this.overlay.get(key) ?? null;
        }
        return this.pending?.keys.get(key);
    }

    /** Re-runs a range query over committed state plus the pending block's and this block's earlier writes, and compares. */
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
        for (const overlay of [this.pending?.keys, this.overlay]) {
            for (const [key, version] of overlay ?? []) {
                if (!inRange(key, bounded) || (!query.exhausted && last !== undefined && compareKeys(key, last) > 0)) {
                    continue;
                }
                if (version === null) {
                    current.delete(key);
                } else {
                    current.set(key, version);
                }
            }
        }
        if (current.size !== query.reads.length) {
            return false;
        }
        return query.reads.every((read: KeyRead) => sameVersion(current.get(read.key), read.version ?? undefined));
    }
}
