import { parseArgs } from 'util';
import { LoadResult, SubmitTransfer, TransferRequest, fabricGatewayTransfer, runTransferLoad, transfersOf } from '../src/transfer-load';
import { World, ensureEnterprises, grantLine, notesOfTier1, openWorld } from '../src/world';

/**
 * Transfer benchmark on the real network: N whole-note transfers tier1 → tier2 (OfferTransfer by the
 * holder, AcceptOffer by the recipient, each committed), C in flight. One mode per way of sending the
 * same load: `fabric-gateway` (straight through @hyperledger/fabric-gateway) now; a REST-gateway mode
 * only has to supply another SubmitTransfer (see e2e/README.md).
 */

export interface BenchOptions {
    readonly transfers: number;
    readonly concurrency: number;
    /** Transfers sent first and left out of the figures (connections, chaincode warm-up). */
    readonly warmup: number;
}

export interface BenchReport {
    readonly mode: string;
    readonly transfers: number;
    readonly concurrency: number;
    readonly committed: number;
    readonly failed: number;
    readonly seconds: number;
    /** Committed transfers per second. */
    readonly transfersPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly meanMs: number;
    readonly maxMs: number;
    readonly firstError?: string;
}

/** The notes and requests of one bench run: warm-up requests, then measured ones. Setup is not measured. */
export async function prepareTransfers(world: World, options: BenchOptions): Promise<{ warmup: TransferRequest[]; measured: TransferRequest[] }> {
    await ensureEnterprises(world);
    const lineId = await grantLine(world, '1000000000000');
    const notes = await notesOfTier1(world, lineId, options.warmup + options.transfers, 10_000n);
    const requests = transfersOf(notes, 'tier1', 'tier2');
    return { warmup: requests.slice(0, options.warmup), measured: requests.slice(options.warmup) };
}

/** Sends the load through `submitTransfer` and summarises it. This is the seam a second mode plugs into. */
export async function benchTransfers(mode: string, submitTransfer: SubmitTransfer, prepared: { warmup: TransferRequest[]; measured: TransferRequest[] }, options: BenchOptions): Promise<BenchReport> {
    if (prepared.warmup.length) {
        await runTransferLoad(prepared.warmup, submitTransfer, { concurrency: options.concurrency });
    }
    const result: LoadResult = await runTransferLoad(prepared.measured, submitTransfer, { concurrency: options.concurrency });
    const firstError = result.outcomes.find((o) => o.error)?.error;
    return {
        mode,
        transfers: prepared.measured.length,
        concurrency: options.concurrency,
        committed: result.committed,
        failed: result.failed,
        seconds: Number((result.elapsedMs / 1000).toFixed(2)),
        transfersPerSecond: Number(result.perSecond.toFixed(2)),
        p50Ms: Math.round(result.latency.p50),
        p99Ms: Math.round(result.latency.p99),
        meanMs: Math.round(result.latency.mean),
        maxMs: Math.round(result.latency.max),
        ...(firstError ? { firstError: firstError instanceof Error ? firstError.message : String(firstError) } : {}),
    };
}

function options(): BenchOptions {
    const { values } = parseArgs({
        options: {
            transfers: { type: 'string', default: process.env.XINLIAN_BENCH_TRANSFERS ?? '100' },
            concurrency: { type: 'string', default: process.env.XINLIAN_BENCH_CONCURRENCY ?? '10' },
            warmup: { type: 'string', default: '5' },
        },
    });
    const parsed = { transfers: Number(values.transfers), concurrency: Number(values.concurrency), warmup: Number(values.warmup) };
    if (!Number.isInteger(parsed.transfers) || parsed.transfers < 1 || parsed.transfers + parsed.warmup > 2500 || !(parsed.concurrency >= 1) || !(parsed.warmup >= 0)) {
        throw new Error(`bad options ${JSON.stringify(parsed)}: --transfers 1..2500 (with --warmup), --concurrency ≥ 1`);
    }
    return parsed;
}

async function main(): Promise<void> {
    const opts = options();
    const world = await openWorld();
    try {
        const prepared = await prepareTransfers(world, opts);
        const report = await benchTransfers('fabric-gateway', fabricGatewayTransfer(world), prepared, opts);
        console.log(
            `bench ${report.mode}: ${report.committed}/${report.transfers} transfers committed (concurrency ${report.concurrency}) in ${report.seconds} s = ` +
                `${report.transfersPerSecond} transfers/s; latency p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, mean ${report.meanMs} ms, max ${report.maxMs} ms`,
        );
        console.log(JSON.stringify(report));
        if (report.failed > 0) {
            process.exitCode = 1;
        }
    } finally {
        world.close();
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
    });
}
