import type { Version } from './keys';

/**
 * What a simulated transaction read and wrote, Fabric's read-write set: the versions of the keys it
 * read (validated for MVCC conflicts at commit), the range queries it ran with the keys and versions
 * it saw (validated for phantoms), its writes, and the hashed reads and writes of private data.
 */

export interface KeyRead {
    readonly key: string;
    /** null: the key was absent. */
    readonly version: Version | null;
}

export interface RangeQueryRead {
    readonly start: string;
    /** Exclusive; '' for no upper bound. */
    readonly end: string;
    /** True when the chaincode iterated to the end; otherwise only keys up to the last one read count. */
    exhausted: boolean;
    readonly reads: KeyRead[];
}

export interface KeyWrite {
    readonly key: string;
    /** null: delete. */
    readonly value: Buffer | null;
}

export interface HashedRead {
    readonly collection: string;
    readonly keyHash: Buffer;
    readonly version: Version | null;
}

export interface PrivateWrite {
    readonly collection: string;
    readonly key: string;
    readonly keyHash: Buffer;
    readonly value: Buffer | null;
    /** SHA-256 of the value; null for a delete. */
    readonly valueHash: Buffer | null;
}

/** A key-level endorsement policy set on a public key (state-based endorsement). */
export interface ValidationParameterWrite {
    readonly key: string;
    /** A serialised SignaturePolicyEnvelope. */
    readonly policy: Buffer;
}

export interface ReadWriteSet {
    readonly reads: readonly KeyRead[];
    readonly rangeQueries: readonly RangeQueryRead[];
    readonly writes: readonly KeyWrite[];
    readonly hashedReads: readonly HashedRead[];
    readonly privateWrites: readonly PrivateWrite[];
    /**
     * Key-level endorsement policies the transaction sets. The embedded ledger is one peer standing
     * for every organisation, so it keeps them (the chaincode reads them back) but has no other
     * peers' endorsements to require; a Fabric network enforces them.
     */
    readonly validationParameterWrites?: readonly ValidationParameterWrite[];
}
