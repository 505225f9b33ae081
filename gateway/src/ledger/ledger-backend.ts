import type { Role } from '@xinlian/chaincode';

/**
 * The seam between the gateway and a ledger. Two implementations: the embedded ledger
 * (embedded-backend.ts) and a Fabric network (fabric-backend.ts). Nothing outside src/ledger/
 * knows which one runs. Every method throws AppError, already decoded (ledger-errors.ts).
 */

/** A user of the ledger: whose enrolled identity signs a request. */
export interface LedgerUser {
    readonly username: string;
    readonly mspId: string;
    readonly role: Role;
    readonly enterpriseId: string;
}

/** Options of LedgerBackend.enroll. */
export interface EnrollOptions {
    /** Replace whatever identity the wallet holds under the name (default false). */
    readonly replace?: boolean;
}

/** A committed transaction. */
export interface SubmitOutcome {
    readonly payload: Buffer;
    readonly txId: string;
    readonly blockNumber: number;
}

export interface InvokeOptions {
    /** Private data passed to the chaincode, never stored on the ledger (e.g. quote terms). */
    readonly transient?: Readonly<Record<string, string>>;
    /**
     * Submit only: called once the transaction is endorsed and before it is sent for ordering; it
     * is sent only after this resolves, and not at all when it rejects (submit then rejects with
     * that error). Lets the caller record the transaction durably before it can commit.
     */
    readonly onSubmitting?: (submission: Submission) => Promise<void>;
}

/** A transaction about to be sent for ordering, as onSubmitting reports it. */
export interface Submission {
    readonly txId: string;
    /**
     * The backend's session: a new one each time the backend is opened. On the embedded ledger a
     * transaction of an earlier session that did not commit never will, since it was lost with the
     * process that held it.
     */
    readonly session: string;
    /**
     * The signed transaction exactly as it is about to be sent (base64), when the backend can send it
     * again to settle an outcome that is still unknown (Fabric; see submissionOutcome).
     */
    readonly transaction?: string;
}

/** What became of a submitted transaction. */
export type SubmissionOutcome =
    /**
     * Committed into a block, valid (its writes applied) or invalid (nothing written). A valid
     * transaction carries the chaincode's response payload, as its block records it, when the
     * backend could read it.
     */
    | { readonly state: 'committed'; readonly valid: boolean; readonly result?: Buffer }
    /** Not committed, and it never will be. */
    | { readonly state: 'lost' }
    /** Not known to be committed; it may still commit. */
    | { readonly state: 'unknown' };

/** A position in the event stream: block number and the event's index inside the block. */
export interface EventPosition {
    readonly block: number;
    readonly index: number;
}

/** A chaincode event of a committed, valid transaction. */
export interface ChaincodeEventView {
    readonly name: string;
    /** The decoded JSON payload (undefined when the payload is not JSON). */
    readonly payload: unknown;
    readonly txId: string;
    readonly position: EventPosition;
}

/** An endless stream of events; close() ends it. */
export interface EventSubscription extends AsyncIterable<ChaincodeEventView> {
    close(): void;
}

export interface LedgerStatus {
    readonly backend: 'embedded' | 'fabric';
    /** Committed block height, where the backend knows it. */
    readonly height?: number;
}

export interface LedgerBackend {
    readonly kind: 'embedded' | 'fabric';
    /**
     * Enrolls `user` with the attributes xl.role / xl.eid and stores its identity, private key
     * encrypted, in the wallet. Re-enrolling a user of the same role and enterprise replaces its
     * identity; an identity the wallet holds under the name for another role or enterprise (or for none:
     * the backend's own) is never replaced (ALREADY_EXISTS), unless `replace` is set (the gateway's own
     * identities, at start-up). Throws AppError.
     */
    enroll(user: LedgerUser, options?: EnrollOptions): Promise<void>;
    /** True when the wallet holds an identity that acts as the user: the user's role for its enterprise. */
    hasIdentity(user: LedgerUser): Promise<boolean>;
    /**
     * The Fabric CA attributes (xl.role, xl.eid, ...) that the certificate of the wallet's identity named as
     * `user` in its organisation carries, as the chaincode reads them, whoever they name; undefined when the
     * wallet holds no identity of that name. Opens no private key. Throws AppError (INTERNAL) when the
     * identity's certificate cannot be read.
     */
    identityAttributes(user: LedgerUser): Promise<Readonly<Record<string, string>> | undefined>;
    /** Endorses, orders and commits a transaction signed by `user`. Throws AppError (txId set where known). */
    submit(user: LedgerUser, fn: string, args: readonly string[], options?: InvokeOptions): Promise<SubmitOutcome>;
    /**
     * What became of a transaction reported by onSubmitting; the lookup is signed by `reader`.
     * Never throws: a failed lookup answers 'unknown'.
     */
    submissionOutcome(reader: LedgerUser, submission: Submission): Promise<SubmissionOutcome>;
    /** Evaluates a read-only transaction as `user`. Throws AppError. */
    evaluate(user: LedgerUser, fn: string, args: readonly string[], options?: InvokeOptions): Promise<Buffer>;
    /** Chaincode events after `after` (exclusive), or from the start, then live; read with `user`'s identity. */
    events(user: LedgerUser, after?: EventPosition): EventSubscription;
    /** Checks the ledger answers. Throws AppError(LEDGER_UNAVAILABLE). */
    status(): Promise<LedgerStatus>;
    close(): Promise<void>;
}
