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
            // Retryable: the gateway has retried already (GATEWAY_MVCC_RETRIES); a client may send it again at once.
            return new AppError('CONFLICT', `a concurrent transaction changed what this one read (${validationCode})`, { txId, cause, retryable: true, retryAfter: 1 });
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
 * Fabric's gateway answers ABORTED when the endorsement or evaluation failed on the peers, with each peer's
 * reason in the error details. The details are decoded first (a chaincode refusal keeps its code); ABORTED
 * with nothing decodable means the peers could not run the transaction at all.
 */
const GRPC_ABORTED = 10;
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
    if (grpcCode === GRPC_UNAVAILABLE || grpcCode === GRPC_CANCELLED || grpcCode === GRPC_FAILED_PRECONDITION || grpcCode === GRPC_ABORTED) {
        return new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable', { txId, cause });
    }
    return new AppError('INTERNAL', 'the ledger failed unexpectedly', { txId, cause });
}

/** One peer's reason for a failed endorsement or evaluation (fabric-gateway's ErrorDetail). */
export interface PeerFailureDetail {
    readonly address?: string;
    readonly mspId?: string;
    readonly message: string;
}

/**
 * The ledger refused the identity itself (`access denied: channel [..] creator org unknown`): the
 * certificate was issued by a CA the channel does not know, typically a wallet kept from a network that
 * was cleaned and created again. Not an outage: retrying cannot help.
 */
export class IdentityNotTrustedError extends AppError {
    constructor(message: string, txId: string | undefined, cause: unknown) {
        super('INTERNAL', message, { txId, cause });
    }
}

/** A chaincode refusal: `[CODE] message`. */
const CODED = /\[[A-Z_]+\]/;
/** The peer refused the creator: its certificate is not from a CA of the channel's MSPs. */
const ACCESS_DENIED = /access denied|creator org unknown/i;
/**
 * The peer could not reach or run the chaincode (chaincode-as-a-service down, not yet defined): the ledger
 * cannot serve now, the request itself is fine.
 */
const INFRASTRUCTURE = [
    /could not launch chaincode/i,
    /connection to \S+ failed/i,
    /error creating grpc connection/i,
    /failed to create new connection/i,
    /connection refused/i,
    /chaincode stream terminated/i,
    /timeout expired while (?:starting|executing)/i,
    /chaincode definition for \S+ not found/i,
    /make sure the chaincode \S+ has been successfully defined/i,
];

/** Whether a peer's reason says the chaincode could not be reached or run (no chaincode answer). */
export function isInfrastructureFailure(message: string): boolean {
    return !CODED.test(message) && INFRASTRUCTURE.some((pattern) => pattern.test(message));
}

/** The peers' reasons in one line, for the log: `PlatformMSP@127.0.0.1:27051: <reason> | ...`. */
export function describePeerDetails(details: readonly PeerFailureDetail[]): string {
    return details.map((d) => `${d.mspId ?? '?'}@${d.address ?? '?'}: ${d.message}`).join(' | ');
}

/**
 * A failed endorsement or evaluation with the peers' reasons: a chaincode `[CODE] message` wins (it is the
 * contract's answer even when another peer failed); an identity the channel does not trust is
 * IdentityNotTrustedError; a chaincode the peers could not reach is LEDGER_UNAVAILABLE; another chaincode
 * answer (`chaincode response 500, ...`) or unknown reason is decoded as the chaincode's; no reason at all by the gRPC status.
 * `message` is the gRPC error's own text, searched too (an evaluation's reason is also there).
 */
export function fromPeerFailure(grpcCode: number | undefined, message: string, details: readonly PeerFailureDetail[], txId: string | undefined, cause: unknown): AppError {
    const coded = details.find((d) => CODED.test(d.message));
    if (coded) {
        return fromChaincodeMessage(coded.message, txId, cause);
    }
    const texts = [message, ...details.map((d) => d.message)];
    if (texts.some((text) => ACCESS_DENIED.test(text))) {
        return new IdentityNotTrustedError('the ledger refused the identity that signed the request (access denied): it is not issued by a CA this channel trusts', txId, cause);
    }
    if (texts.some((text) => isInfrastructureFailure(text))) {
        return new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable: its peers could not run the chaincode', { txId, cause });
    }
    // Another answer of the chaincode, or a reason this decoder does not know: decoded as the chaincode's
    // (the dispatcher's own messages keep their codes, anything else is INTERNAL, logged with its cause).
    const answered = details.find((d) => /chaincode response \d+/.test(d.message)) ?? details[0];
    if (answered) {
        return fromChaincodeMessage(answered.message, txId, cause);
    }
    return fromTransportCode(grpcCode, txId, cause);
}
