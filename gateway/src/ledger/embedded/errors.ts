import type { ValidationCode } from './validator';

/**
 * One error class per failing stage, like @hyperledger/fabric-gateway: endorsement (the chaincode
 * refused: its `[CODE] message` text is the message, as a peer returns it), commit (the ordered
 * transaction was invalidated, e.g. by an MVCC read conflict), and the ledger itself.
 */

/** The chaincode rejected the proposal. `message` is the chaincode's text, e.g. `[NOT_FOUND] …`. */
export class EndorseError extends Error {
    override readonly name = 'EndorseError';
    /** What a peer reports for the endorsement, for parity with fabric-gateway's details. */
    readonly details: ReadonlyArray<{ address: string; mspId: string; message: string }>;

    constructor(
        readonly txId: string,
        message: string,
        readonly status: number,
        peerMspId: string,
    ) {
        super(message);
        this.details = [{ address: 'embedded', mspId: peerMspId, message: `chaincode response ${status}, ${message}` }];
    }
}

/** The transaction was ordered into a block but failed validation; none of its writes apply. */
export class CommitError extends Error {
    override readonly name = 'CommitError';

    constructor(
        readonly txId: string,
        readonly code: Exclude<ValidationCode, 'VALID'>,
        readonly blockNumber: number,
    ) {
        super(`transaction ${txId} failed to commit with status code ${code} in block ${blockNumber}`);
    }
}

/** The ledger could not take or finish the request (closed, storage failure). */
export class LedgerError extends Error {
    override readonly name = 'LedgerError';

    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}
