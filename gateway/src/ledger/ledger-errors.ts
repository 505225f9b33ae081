import { decodeError } from '@xinlian/chaincode';
import { AppError } from '../errors';

/**
 * The one decoder of ledger failures, for both backends. Chaincode text `[CODE] message` is decoded
 * by the chaincode's own decodeError; transport and commit failures map to gateway codes.
 * Read conflicts (MVCC, phantom reads) and endorsing peers that disagreed (one a block behind) are marked
 * retryable; contract errors never are.
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

/**
 * RESOURCE_EXHAUSTED: a gRPC message over a size limit (the gateway's FABRIC_MAX_MESSAGE_BYTES, or a peer's
 * own when it talks to the other peers), typically a read whose answer is too large for one message.
 */
const GRPC_RESOURCE_EXHAUSTED = 8;

/** gRPC's own words for a message over the limit: grpc-js ("Received message larger than max (5242885 vs 4194304)") and Go ("grpc: received message larger than max (x vs. y)"). */
const RECEIVED_TOO_LARGE = /received message larger than max \((\d+) vs\.? (\d+)\)/i;
const SENT_TOO_LARGE = /(?:send message with a size larger than (\d+)|trying to send message larger than max \((\d+) vs\.? (\d+)\))/i;

/**
 * A message between the gateway and the ledger over a gRPC size limit → LEDGER_MESSAGE_TOO_LARGE, saying which
 * way and the sizes when gRPC's text (`texts`) names them. Not an outage and not retryable: the same request
 * gets the same answer.
 */
export function fromMessageSize(texts: readonly string[], txId: string | undefined, cause: unknown): AppError {
    for (const text of texts) {
        const received = RECEIVED_TOO_LARGE.exec(text);
        if (received) {
            return new AppError('LEDGER_MESSAGE_TOO_LARGE', `the ledger's answer (${received[1]} bytes) is larger than the ${received[2]} bytes one message between the gateway and the ledger may carry`, { txId, cause });
        }
        const sent = SENT_TOO_LARGE.exec(text);
        if (sent) {
            return new AppError('LEDGER_MESSAGE_TOO_LARGE', `the transaction is larger than the ${sent[1] ?? sent[3]} bytes one message between the gateway and the ledger may carry`, { txId, cause });
        }
    }
    return new AppError('LEDGER_MESSAGE_TOO_LARGE', 'a message between the gateway and the ledger is larger than one message may carry', { txId, cause });
}

/** Whether a text is gRPC's refusal of a message over the size limit. */
function isMessageSizeFailure(text: string): boolean {
    return RECEIVED_TOO_LARGE.test(text) || SENT_TOO_LARGE.test(text);
}

/** A transport failure (gRPC status) → AppError. */
export function fromTransportCode(grpcCode: number | undefined, txId: string | undefined, cause: unknown): AppError {
    if (grpcCode === GRPC_RESOURCE_EXHAUSTED) {
        return fromMessageSize([cause instanceof Error ? cause.message : ''], txId, cause);
    }
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
 * Fabric's gateway, when the first endorser (a peer of the gateway's own organisation) endorsed and the further
 * endorsers the policy needs then failed (internal/pkg/gateway/endorse.go). When every peer of the own
 * organisation refuses, it answers "failed to endorse transaction" instead.
 */
const ENDORSEMENT_COLLECTION = /failed to collect enough transaction endorsements/i;
/** Fabric's gateway: a further endorser's result (read set, writes, response) differs from the first endorser's. */
const PAYLOAD_MISMATCH = /ProposalResponsePayloads do not match/i;
/** An answer of the chaincode, the peer's "chaincode response <status>, <message>". */
const CHAINCODE_ANSWER = /chaincode response \d+/;

/**
 * Whether the endorsing peers disagreed: a peer's result differed from the first endorser's, or a further
 * endorser refused (the chaincode answered) what the first endorser had endorsed. The chaincode is
 * deterministic, so the peers held different states: Fabric's gateway picks endorsers by ledger height but
 * does not skip one a block behind, so a write that follows another may reach a peer that has not yet
 * committed the first. A later attempt finds it caught up.
 */
function endorsersDisagreed(message: string, details: readonly PeerFailureDetail[]): boolean {
    if (details.some((d) => PAYLOAD_MISMATCH.test(d.message))) {
        return true;
    }
    return ENDORSEMENT_COLLECTION.test(message) && details.some((d) => CODED.test(d.message) || CHAINCODE_ANSWER.test(d.message));
}

/**
 * A failed endorsement or evaluation with the peers' reasons: a message over gRPC's size limit is
 * LEDGER_MESSAGE_TOO_LARGE; peers that disagreed (a further endorser refused what the first one endorsed, or
 * answered differently: see endorsersDisagreed) are a retryable CONFLICT, as a read conflict is; a chaincode
 * `[CODE] message` wins (it is the contract's answer even when another peer failed); an identity the
 * channel does not trust is IdentityNotTrustedError; a chaincode the peers could not reach is
 * LEDGER_UNAVAILABLE; another chaincode answer (`chaincode response 500, ...`) or unknown reason is decoded
 * as the chaincode's; no reason at all by the gRPC status.
 * `message` is the gRPC error's own text, searched too (an evaluation's reason is also there).
 */
export function fromPeerFailure(grpcCode: number | undefined, message: string, details: readonly PeerFailureDetail[], txId: string | undefined, cause: unknown): AppError {
    const texts = [message, ...details.map((d) => d.message)];
    if (grpcCode === GRPC_RESOURCE_EXHAUSTED) {
        return fromMessageSize(texts, txId, cause);
    }
    if (endorsersDisagreed(message, details)) {
        return new AppError('CONFLICT', "the organisations' peers did not agree on the outcome (one had not yet committed the latest changes)", { txId, cause, retryable: true, retryAfter: 1 });
    }
    const coded = details.find((d) => CODED.test(d.message));
    if (coded) {
        return fromChaincodeMessage(coded.message, txId, cause);
    }
    if (texts.some((text) => ACCESS_DENIED.test(text))) {
        return new IdentityNotTrustedError('the ledger refused the identity that signed the request (access denied): it is not issued by a CA this channel trusts', txId, cause);
    }
    if (texts.some((text) => isMessageSizeFailure(text))) {
        return fromMessageSize(texts, txId, cause);
    }
    if (texts.some((text) => isInfrastructureFailure(text))) {
        return new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable: its peers could not run the chaincode', { txId, cause });
    }
    // Another answer of the chaincode, or a reason this decoder does not know: decoded as the chaincode's
    // (the dispatcher's own messages keep their codes, anything else is INTERNAL, logged with its cause).
    const answered = details.find((d) => CHAINCODE_ANSWER.test(d.message)) ?? details[0];
    if (answered) {
        return fromChaincodeMessage(answered.message, txId, cause);
    }
    return fromTransportCode(grpcCode, txId, cause);
}
