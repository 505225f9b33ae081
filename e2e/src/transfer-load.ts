import { performance } from 'perf_hooks';
import type { Note } from '@xinlian/chaincode';
import { DEFAULT_RETRY, RetryPolicy } from './tx-client';
import { World, eidOf } from './world';

/**
 * A load of note transfers (offer by the holder + acceptance by the recipient), driven through any
 * `SubmitTransfer` implementation: straight through @hyperledger/fabric-gateway here, through the REST
 * gateway later, so the two can be compared on the same load.
 */

/** One transfer: `from` offers `amount` of `noteId` to `to`, who accepts. Users are identities.tsv names. */
export interface TransferRequest {
    readonly from: string;
    readonly to: string;
    readonly noteId: string;
    readonly amount: string;
    /** ISO-8601 expiry of the offer. */
    readonly expiresAt: string;
}

/** What an acknowledged (committed) transfer returns. */
export interface TransferReceipt {
    readonly offerId: string;
    readonly receivedNoteId: string;
    /** OfferTransfer's and AcceptOffer's committed transaction ids. */
    readonly transactionIds: readonly string[];
}

/** Resolves once the transfer has committed; rejects otherwise. */
export type SubmitTransfer = (request: TransferRequest) => Promise<TransferReceipt>;

/** A SubmitTransfer straight through @hyperledger/fabric-gateway, each user signing with its own key. */
export function fabricGatewayTransfer(world: World, policy: RetryPolicy = DEFAULT_RETRY): SubmitTransfer {
    return async (request) => {
        const offer = await world.submit<{ id: string }>(
            request.from,
            'note:OfferTransfer',
            { args: [{ noteId: request.noteId, toId: eidOf(world, request.to), amount: request.amount, expiresAt: request.expiresAt }] },
            policy,
        );
        const accepted = await world.submit<{ received: Note }>(request.to, 'note:AcceptOffer', { args: [offer.result.id] }, policy);
        return { offerId: offer.result.id, receivedNoteId: accepted.result.received.id, transactionIds: [offer.transactionId, accepted.transactionId] };
    };
}

export interface TransferOutcome {
    readonly request: TransferRequest;
    readonly receipt?: TransferReceipt;
    readonly error?: unknown;
    /** From the start of the offer to the commit of the acceptance. */
    readonly latencyMs: number;
}

export interface LatencySummary {
    readonly p50: number;
    readonly p99: number;
    readonly mean: number;
    readonly max: number;
}

export interface LoadResult {
    readonly outcomes: readonly TransferOutcome[];
    readonly committed: number;
    readonly failed: number;
    readonly elapsedMs: number;
    /** Committed transfers per second over the whole run. */
    readonly perSecond: number;
    /** Latency of the committed transfers. */
    readonly latency: LatencySummary;
}

export interface LoadOptions {
    /** Transfers in flight at once. */
    readonly concurrency: number;
    /** Called after each transfer ends (progress, or a fault injected mid-burst). */
    readonly onSettled?: (done: number, total: number) => void;
}

/** The p-th percentile (0..100) of ascending values, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) {
        return Number.NaN;
    }
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarise(latencies: readonly number[]): LatencySummary {
    const sorted = [...latencies].sort((a, b) => a - b);
    const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN;
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}

/** Runs every request through `submitTransfer` with at most `concurrency` in flight; never throws for a failed transfer. */
export async function runTransferLoad(requests: readonly TransferRequest[], submitTransfer: SubmitTransfer, options: LoadOptions): Promise<LoadResult> {
    const outcomes: TransferOutcome[] = new Array(requests.length);
    let next = 0;
    let done = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
        while (next < requests.length) {
            const index = next++;
            const request = requests[index];
            const t0 = performance.now();
            try {
                const receipt = await submitTransfer(request);
                outcomes[index] = { request, receipt, latencyMs: performance.now() - t0 };
            } catch (error) {
                outcomes[index] = { request, error, latencyMs: performance.now() - t0 };
            }
            done += 1;
            options.onSettled?.(done, requests.length);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, requests.length)) }, worker));
    const elapsedMs = performance.now() - started;
    const committedOutcomes = outcomes.filter((o) => o.receipt);
    return {
        outcomes,
        committed: committedOutcomes.length,
        failed: outcomes.length - committedOutcomes.length,
        elapsedMs,
        perSecond: committedOutcomes.length / (elapsedMs / 1000),
        latency: summarise(committedOutcomes.map((o) => o.latencyMs)),
    };
}

/** One transfer of each whole note from `from` to `to`, offers valid for a day. */
export function transfersOf(notes: readonly Note[], from: string, to: string): TransferRequest[] {
    const expiresAt = new Date(new Date().getTime() + 86_400_000).toISOString();
    return notes.map((note) => ({ from, to, noteId: note.id, amount: note.amount, expiresAt }));
}
