import { expect } from 'chai';
import type { Note } from '@xinlian/chaincode';
import { killOrderer, raftLeader, startOrderer, waitForLeader } from '../src/orderer-control';
import { TransferOutcome, fabricGatewayTransfer, runTransferLoad, transfersOf } from '../src/transfer-load';
import { RetryPolicy } from '../src/tx-client';
import { World, eidOf, ensureEnterprises, grantLine, notesOfTier1, openWorld } from '../src/world';

/** Long enough to ride out a Raft election (about 10 s here): resubmit the same transaction for ~40 s. */
const FAULT_RETRY: RetryPolicy = { maxAttempts: 4, maxSubmits: 25, backoffMs: 250 };

const TRANSFERS = Number(process.env.XINLIAN_E2E_FAULT_TRANSFERS ?? 40);
const CONCURRENCY = 8;

describe('an orderer crash during a burst of transfers on the Fabric network', function () {
    this.timeout(300_000);
    let world: World;
    let notes: Note[];
    let killed: number | undefined;

    before(async function () {
        world = await openWorld();
        if (world.endpoints.orderers.length < 3) {
            console.warn(`    SKIPPED: the fault case needs 3 Raft orderers; this network has ${world.endpoints.orderers.length} (network.sh clean; up --orderers 3)`);
            this.skip();
        }
        await ensureEnterprises(world);
        const lineId = await grantLine(world, '100000000000');
        notes = await notesOfTier1(world, lineId, TRANSFERS, 10_000n);
    });

    after(async () => {
        if (killed !== undefined) {
            await startOrderer(killed);
            await waitForLeader(world.endpoints);
        }
        world?.close();
    });

    it('keeps every acknowledged transfer on the ledger exactly once when the Raft leader is killed mid-burst', async () => {
        const leader = await waitForLeader(world.endpoints);
        let crash: Promise<number> | undefined;
        const load = await runTransferLoad(transfersOf(notes, 'tier1', 'tier2'), fabricGatewayTransfer(world, FAULT_RETRY), {
            concurrency: CONCURRENCY,
            onSettled: (done) => {
                if (done === CONCURRENCY && !crash) {
                    crash = killOrderer(leader).then((pid) => {
                        killed = leader;
                        return pid;
                    });
                }
            },
        });
        const pid = await crash;
        expect(pid, 'the leader was killed during the burst').to.be.a('number');
        const newLeader = await raftLeader(world.endpoints);
        console.log(
            `      leader orderer${leader} (pid ${pid}) killed after ${CONCURRENCY} of ${TRANSFERS} transfers; new leader orderer${newLeader}; ` +
                `${load.committed} acknowledged, ${load.failed} failed, ${(load.elapsedMs / 1000).toFixed(1)} s, p50 ${load.latency.p50.toFixed(0)} ms, p99 ${load.latency.p99.toFixed(0)} ms`,
        );

        const acknowledged = load.outcomes.filter((o): o is TransferOutcome & { receipt: NonNullable<TransferOutcome['receipt']> } => o.receipt !== undefined);
        expect(acknowledged.length, 'most transfers ride out the election').to.be.greaterThan(TRANSFERS / 2);
        const tier2 = eidOf(world, 'tier2');

        // Every acknowledged transfer is on the ledger: the offer ACCEPTED, the note spent into exactly one child held by tier2.
        for (const { request, receipt } of acknowledged) {
            const offer = await world.evaluate<{ status: string; receivedNoteId: string }>('regulator', 'note:ReadOffer', { args: [receipt.offerId] });
            expect(offer).to.include({ status: 'ACCEPTED', receivedNoteId: receipt.receivedNoteId });
            const source = await world.evaluate<Note>('regulator', 'note:ReadNote', { args: [request.noteId] });
            expect(source.status).to.equal('SPENT');
            expect(source.children).to.deep.equal([receipt.receivedNoteId]);
        }

        // None is duplicated: tier2 holds exactly one note per spent source note of this burst, and only for those.
        const held = await world.evaluate<Note[]>('regulator', 'note:ListNotesOfHolder', { args: [tier2] });
        const sources = new Set(notes.map((n) => n.id));
        const received = held.filter((n) => n.parentId !== undefined && sources.has(n.parentId));
        const perSource = new Map<string, number>();
        for (const n of received) {
            perSource.set(n.parentId as string, (perSource.get(n.parentId as string) ?? 0) + 1);
        }
        expect([...perSource.values()].every((count) => count === 1), 'one received note per source note').to.equal(true);
        for (const { receipt } of acknowledged) {
            expect(received.map((n) => n.id)).to.include(receipt.receivedNoteId);
        }
        const total = received.reduce((sum, n) => sum + BigInt(n.amount), 0n);
        expect(total).to.equal(10_000n * BigInt(received.length));
        const transactionIds = acknowledged.flatMap((o) => o.receipt.transactionIds);
        expect(new Set(transactionIds).size).to.equal(transactionIds.length);
    });
});
