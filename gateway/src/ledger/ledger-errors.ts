import { decodeError } from '@xinlian/chaincode';
import { AppError } from '../errors';

/**
 * The one decoder of ledger failures, for both backends. Chaincode text `[CODE] message` is decoded
 * by the chaincode's own decodeError; transport and commit failures map to gateway codes.
 * Read conflicts (MVCC, phantom reads) are marked retryable; contract errors never are.
 */

/** A chaincode refusal (the endorsement's message text) → AppError. */
export function fromChaincodeMessage(text: string, txId: string | undefined, cause: unknown): AppError {
    const decoded = decodeError(text);
    const message = decoded.code === 'INTERNAL' ? 'the chaincode failed unexpectedly' : decoded.message;
    return new AppError(decoded.code, message, { txId, cause });
}

/** A transaction that was ordered but invalidated at commit. */
export function fromCommitCode(validationCode: string, txId: string, cause: unknown): AppError {
    switch (validationCode) {
        case 'MVCC_READ_CONFLICT':
        case 'PHANTOM_READ_CONFLICT':
            return new AppError('CONFLICT', `a concurrent transaction changed what this one read (${validationCode})`, { txId, cause, retryable: true });
        case 'DUPLICATE_TXID':
            return new AppError('CONFLICT', 'the transaction id was already used', { txId, cause });
        default:
            return new AppError('INTERNAL', `the transaction was invalidated at commit (${validationCode})`, { txId, cause });
    }
}

/** gRPC status codes that mean the ledger could not be reached or did not answer in time. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const GRPC_CANCELLED = 1;
/**
 * Fabric's gateway answers FAILED_PRECONDITION when no set of reachable peers can satisfy the endorsement
 * policy (for example while discovery still learns of a just-deployed chaincode): the ledger cannot serve.
 */
const GRPC_FAILED_PRECONDITION = 9;

/** A transport failure (gRPC status) → AppError. */
export function fromTransportCode(grpcCode: number | undefined, txId: string | undefined, cause: unknown): AppError {
    if (grpcCode === GRPC_DEADLINE_EXCEEDED) {
        return new AppError('LEDGER_TIMEOUT', 'the ledger did not answer in time', { txId, cause });
    }
    if (grpcCode === GRPC_UNAVAILABLE || grpcCode === GRPC_CANCELLED || grpcCode === GRPC_FAILED_PRECONDITION) {
        return new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable', { txId, cause });
    }
    return new AppError('INTERNAL', 'the ledger failed unexpectedly', { txId, cause });
}
