import { parseArgs } from 'util';
import { DEMO_IDS } from '../../gateway/src/services/demo-seed';
import { call } from '../../gateway/test/conformance/api-client';
import { gatewayUrl, tokenCache } from '../src/rest-gateway';
import { LoadResult, SubmitTransfer, TransferRequest, fabricGatewayTransfer, runTransferLoad, transfersOf } from '../src/transfer-load';
import { World, eidOf, ensureEnterprises, grantLine, notesOfTier1, openWorld } from '../src/world';

/**
 * Transfer benchmark on the real network: N whole-note transfers tier1 → tier2 (OfferTransfer by the
 * holder, AcceptOffer by the recipient, each committed), C in flight. One mode per way of sending the
 * same load: `fabric-gateway` (straight through @hyperledger/fabric-gateway) and, when run-fabric.sh
 * started the REST gateway on the fabric backend (XINLIAN_GATEWAY_URL), `rest-gateway` (the same
 * transfers as HTTP requests, signed by the gateway with the same users' CA-enrolled identities).
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

/**
 * The gateway's demo users that act for identities.tsv's users (same enterprise ids): tier1 → suzhou,
 * tier2 → hangzhou. The gateway enrolled them with the same Fabric CA, xl.role / xl.eid included.
 */
const REST_USER_OF: Readonly<Record<string, { username: string; eid: string }>> = {
    tier1: { username: 'suzhou', eid: DEMO_IDS.suzhou },
    tier2: { username: 'hangzhou', eid: DEMO_IDS.hangzhou },
};

/** A SubmitTransfer through the REST gateway: POST /offers as the holder, POST /offers/:id/accept as the recipient. */
export function restGatewayTransfer(world: World, baseUrl: string): SubmitTransfer {
    for (const [name, user] of Object.entries(REST_USER_OF)) {
        if (eidOf(world, name) !== user.eid) {
            throw new Error(`identities.tsv's ${name} (${eidOf(world, name)}) is not the gateway's ${user.username} (${user.eid})`);
        }
    }
    const token = tokenCache(() => baseUrl);
    const restUser = (name: string): { username: string; eid: string } => {
        const user = REST_USER_OF[name];
        if (!user) {
            throw new Error(`no gateway user acts for ${name}`);
        }
        return user;
    };
    return async (request) => {
        const offer = await call<{ id: string }>(baseUrl, 'POST', '/offers', {
            token: await token(restUser(request.from).username),
            body: { noteId: request.noteId, toId: restUser(request.to).eid, amount: request.amount, expiresAt: request.expiresAt },
        });
        if (offer.status !== 201) {
            throw new Error(`POST /offers: HTTP ${offer.status} ${offer.text}`);
        }
        const accepted = await call<{ offer: { receivedNoteId: string } }>(baseUrl, 'POST', `/offers/${offer.body.id}/accept`, { token: await token(restUser(request.to).username) });
        if (accepted.status !== 200) {
            throw new Error(`POST /offers/${offer.body.id}/accept: HTTP ${accepted.status} ${accepted.text}`);
        }
        return {
            offerId: offer.body.id,
            receivedNoteId: accepted.body.offer.receivedNoteId,
            transactionIds: [offer.headers.get('x-transaction-id') ?? '', accepted.headers.get('x-transaction-id') ?? ''],
        };
    };
}

function printReport(report: BenchReport): void {
    console.log(
        `bench ${report.mode}: ${report.committed}/${report.transfers} transfers committed (concurrency ${report.concurrency}) in ${report.seconds} s = ` +
            `${report.transfersPerSecond} transfers/s; latency p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, mean ${report.meanMs} ms, max ${report.maxMs} ms`,
    );
    console.log(JSON.stringify(report));
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
    const restUrl = gatewayUrl('XINLIAN_GATEWAY_URL');
    try {
        // Both loads are prepared before either is measured: the same number of fresh notes each.
        const direct = await prepareTransfers(world, opts);
        const viaRest = restUrl ? await prepareTransfers(world, opts) : undefined;
        const reports: BenchReport[] = [await benchTransfers('fabric-gateway', fabricGatewayTransfer(world), direct, opts)];
        printReport(reports[0]);
        if (restUrl && viaRest) {
            reports.push(await benchTransfers('rest-gateway', restGatewayTransfer(world, restUrl), viaRest, opts));
            printReport(reports[1]);
            const [d, r] = reports;
            const throughputRatio = r.transfersPerSecond / d.transfersPerSecond;
            const overhead = {
                throughputRatio: Number(throughputRatio.toFixed(3)),
                restCostPercent: Number(((1 - throughputRatio) * 100).toFixed(1)),
                p50Ratio: Number((r.p50Ms / d.p50Ms).toFixed(3)),
                p99Ratio: Number((r.p99Ms / d.p99Ms).toFixed(3)),
            };
            console.log(
                `bench overhead: rest-gateway / fabric-gateway throughput = ${overhead.throughputRatio} (the REST layer costs ${overhead.restCostPercent}% of direct throughput; target < 10%); ` +
                    `p50 ×${overhead.p50Ratio}, p99 ×${overhead.p99Ratio}`,
            );
            console.log(JSON.stringify({ overhead }));
        } else {
            console.log('bench rest-gateway: skipped (XINLIAN_GATEWAY_URL is not set: no REST gateway on the fabric backend was started)');
        }
        if (reports.some((report) => report.failed > 0)) {
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
