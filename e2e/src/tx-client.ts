import { status as GrpcStatus } from '@grpc/grpc-js';
import { Commit, CommitError, CommitStatusError, Contract, GatewayError, Status, StatusCode, Transaction } from '@hyperledger/fabric-gateway';
import { decodeError, isErrorCode } from '@xinlian/chaincode';

/**
 * A small typed façade over a Fabric contract for the network tier: JSON in and out, one error class
 * that names the failing stage, and a retry policy that retries only what may succeed
 * (read conflicts, ordering outages), never a contract's refusal.
 */

/** Where a transaction failed. */
export type FailureStage = 'evaluate' | 'endorse' | 'submit' | 'commit-status' | 'commit';

/** Validation code number → name (MVCC_READ_CONFLICT, …). */
const VALIDATION_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(StatusCode).map(([name, code]) => [code as number, name]));

const GRPC_NAMES: ReadonlyMap<number, string> = new Map(
    Object.entries(GrpcStatus)
        .filter(([, v]) => typeof v === 'number')
        .map(([name, code]) => [code as number, name]),
);

/**
 * A failed evaluate or submit. `code` is the chaincode's error code when the contract refused
 * (`[CODE] message` decoded by decodeError), the validation code name for a commit failure
 * (e.g. MVCC_READ_CONFLICT), else the gRPC status name (e.g. UNAVAILABLE).
 */
export class FabricTxError extends Error {
    readonly stage: FailureStage;
    readonly code: string;
    readonly transactionId: string | undefined;
    /** True when the code came from the chaincode (a business refusal). */
    readonly fromChaincode: boolean;
    /** Every try submitJson made before giving up (empty for evaluate). */
    attempts: readonly AttemptRecord[] = [];

    constructor(stage: FailureStage, code: string, message: string, options: { transactionId?: string; fromChaincode?: boolean; cause?: unknown } = {}) {
        super(`${stage} failed: ${code}: ${message}`, { cause: options.cause });
        this.name = 'FabricTxError';
        this.stage = stage;
        this.code = code;
        this.transactionId = options.transactionId;
        this.fromChaincode = options.fromChaincode ?? false;
    }
}

/** Turns a fabric-gateway failure at `stage` into a FabricTxError. */
export function toTxError(stage: FailureStage, error: unknown, transactionId?: string): FabricTxError {
    if (error instanceof FabricTxError) {
        return error;
    }
    if (error instanceof CommitError) {
        return new FabricTxError('commit', VALIDATION_NAMES.get(error.code) ?? `VALIDATION_${error.code}`, error.message, { transactionId: error.transactionId, cause: error });
    }
    if (error instanceof GatewayError) {
        const texts = [...error.details.map((d) => d.message), error.message];
        const coded = texts.map((t) => decodeError(t)).find((d) => d.code !== 'INTERNAL' && isErrorCode(d.code));
        const txId = (error as { transactionId?: string }).transactionId ?? transactionId;
        if (coded) {
            return new FabricTxError(stage, coded.code, coded.message, { transactionId: txId, fromChaincode: true, cause: error });
        }
        const stageOf = error instanceof CommitStatusError ? 'commit-status' : stage;
        return new FabricTxError(stageOf, GRPC_NAMES.get(error.code) ?? `GRPC_${error.code}`, texts.join(' | '), { transactionId: txId, cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new FabricTxError(stage, 'CLIENT', message, { transactionId, cause: error });
}

/** What a call sends: string arguments (objects are JSON-encoded), transient data, target orgs. */
export interface TxRequest {
    readonly args?: ReadonlyArray<string | object>;
    /** Transient map entries; objects are JSON-encoded. */
    readonly transient?: Readonly<Record<string, string | object>>;
    /** Orgs whose peers must endorse (submit) or evaluate (evaluate). */
    readonly endorsingOrganizations?: readonly string[];
}

/** When to try again. Contract refusals are never retried. */
export interface RetryPolicy {
    /** Endorse + submit rounds, each with a new transaction id (after a read conflict or an endorse outage). */
    readonly maxAttempts: number;
    /** Submissions of the SAME signed transaction (same id) while ordering is unavailable. */
    readonly maxSubmits: number;
    /** Base back-off between tries; doubled each time, capped at 2 s. */
    readonly backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, maxSubmits: 8, backoffMs: 200 };
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, maxSubmits: 1, backoffMs: 0 };

/** Validation codes after which a new proposal (re-read, re-endorse) may succeed. */
const RETRYABLE_COMMIT = new Set(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT']);
/** gRPC statuses of an endorse call that say "no peer could be asked": nothing was ordered, a new proposal is safe. */
const RETRYABLE_ENDORSE = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED']);
/** gRPC statuses of a submit or commit-status call after which resending the SAME transaction id is harmless. */
const RETRYABLE_TRANSPORT = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED', 'RESOURCE_EXHAUSTED']);

/** One try of a submit, as the retry loop saw it. */
export interface AttemptRecord {
    readonly transactionId: string;
    /** Empty when the attempt committed VALID. */
    readonly failure?: string;
}

export interface SubmitOutcome<T> {
    readonly result: T;
    readonly transactionId: string;
    readonly blockNumber: bigint;
    readonly attempts: readonly AttemptRecord[];
}

export interface SubmitHooks {
    /** Awaited after endorsement, before the (first) submission of each attempt: lets a test line up a race. */
    readonly beforeSubmit?: (attempt: number, transactionId: string) => Promise<void>;
}

function encode(value: string | object): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

function proposalOptions(request: TxRequest) {
    const transientData: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.transient ?? {})) {
        transientData[key] = encode(value);
    }
    return {
        arguments: (request.args ?? []).map(encode),
        ...(request.transient ? { transientData } : {}),
        ...(request.endorsingOrganizations ? { endorsingOrganizations: [...request.endorsingOrganizations] } : {}),
    };
}

function parseResult<T>(bytes: Uint8Array): T {
    const text = Buffer.from(bytes).toString('utf8');
    return (text ? JSON.parse(text) : undefined) as T;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function backoff(policy: RetryPolicy, tryNumber: number): Promise<void> {
    return sleep(Math.min(2_000, policy.backoffMs * 2 ** (tryNumber - 1)));
}

/** Evaluates a read-only transaction and parses its JSON result. Throws FabricTxError (stage 'evaluate'). */
export async function evaluateJson<T>(contract: Contract, name: string, request: TxRequest = {}): Promise<T> {
    try {
        return parseResult<T>(await contract.evaluate(name, proposalOptions(request)));
    } catch (error) {
        throw toTxError('evaluate', error);
    }
}

/** Submits the same signed transaction until ordering accepts it (resending one id cannot commit twice). */
async function submitSigned(transaction: Transaction, policy: RetryPolicy): Promise<Commit> {
    for (let submit = 1; ; submit++) {
        try {
            return await transaction.submit();
        } catch (error) {
            const failure = toTxError('submit', error, transaction.getTransactionId());
            if (submit >= policy.maxSubmits || !RETRYABLE_TRANSPORT.has(failure.code)) {
                throw failure;
            }
            await backoff(policy, submit);
        }
    }
}

/**
 * Waits for the commit status, asking again when the status call itself fails; returns the block number.
 * When the wait runs out, the orderer that accepted the envelope may have crashed before ordering it, so
 * the same signed transaction is sent again: one transaction id commits at most once, a resend can only
 * end as a duplicate.
 */
async function awaitCommit(transaction: Transaction, commit: Commit, policy: RetryPolicy): Promise<bigint> {
    let current = commit;
    for (let ask = 1; ; ask++) {
        let status: Status;
        try {
            status = await current.getStatus();
        } catch (error) {
            const failure = toTxError('commit-status', error, current.getTransactionId());
            if (ask >= policy.maxSubmits || !RETRYABLE_TRANSPORT.has(failure.code)) {
                throw failure;
            }
            await backoff(policy, ask);
            if (failure.code === 'DEADLINE_EXCEEDED') {
                current = await submitSigned(transaction, policy);
            }
            continue;
        }
        if (!status.successful) {
            const code = VALIDATION_NAMES.get(status.code) ?? `VALIDATION_${status.code}`;
            throw new FabricTxError('commit', code, `transaction ${status.transactionId} was invalidated in block ${status.blockNumber}`, { transactionId: status.transactionId });
        }
        return status.blockNumber;
    }
}

/**
 * Submits a transaction and waits for it to commit, then parses its JSON result.
 * Retries per `policy`: a read conflict (MVCC/phantom) or an endorsement outage starts a new proposal;
 * an ordering outage resends the same signed transaction. Throws FabricTxError: a contract refusal
 * (stage 'endorse', fromChaincode), an invalidation (stage 'commit', e.g. ENDORSEMENT_POLICY_FAILURE), or
 * the last transport failure.
 */
export async function submitJson<T>(contract: Contract, name: string, request: TxRequest = {}, policy: RetryPolicy = DEFAULT_RETRY, hooks: SubmitHooks = {}): Promise<SubmitOutcome<T>> {
    const attempts: AttemptRecord[] = [];
    for (let attempt = 1; ; attempt++) {
        const proposal = contract.newProposal(name, proposalOptions(request));
        const transactionId = proposal.getTransactionId();
        try {
            let transaction: Transaction;
            try {
                transaction = await proposal.endorse();
            } catch (error) {
                throw toTxError('endorse', error, transactionId);
            }
            await hooks.beforeSubmit?.(attempt, transactionId);
            const commit = await submitSigned(transaction, policy);
            const blockNumber = await awaitCommit(transaction, commit, policy);
            attempts.push({ transactionId });
            return { result: parseResult<T>(transaction.getResult()), transactionId, blockNumber, attempts };
        } catch (error) {
            const failure = toTxError('submit', error, transactionId);
            attempts.push({ transactionId, failure: `${failure.stage}:${failure.code}` });
            const retryable = (failure.stage === 'commit' && RETRYABLE_COMMIT.has(failure.code)) || (failure.stage === 'endorse' && !failure.fromChaincode && RETRYABLE_ENDORSE.has(failure.code));
            if (!retryable || attempt >= policy.maxAttempts) {
                failure.attempts = attempts;
                throw failure;
            }
            await backoff(policy, attempt);
        }
    }
}
