import { expect } from 'chai';
import type { Note } from '@xinlian/chaincode';
import { committedOutcome } from '../../gateway/src/ledger/fabric-commit-lookup';
import { FabricTxError, SubmitOutcome, submitJson } from '../src/tx-client';
import { World, confirmedReceivables, eidOf, ensureEnterprises, grantLine, isoDate, issueNote, openWorld } from '../src/world';

/** Lets `parties` callers proceed only once all of them have arrived (here: all have been endorsed). */
function newBarrier(parties: number): () => Promise<void> {
    let arrived = 0;
    let release: () => void = () => undefined;
    const open = new Promise<void>((resolve) => (release = resolve));
    return async () => {
        arrived += 1;
        if (arrived === parties) {
            release();
        }
        await open;
    };
}

/** Hooks that hold each caller's FIRST attempt after endorsement until every caller has endorsed. */
function raceOnFirstAttempt(barrier: () => Promise<void>) {
    return { beforeSubmit: (attempt: number) => (attempt === 1 ? barrier() : Promise.resolve()) };
}

describe('MVCC conflicts on a hot key on the Fabric network', () => {
    let world: World;
    let lineId: string;

    before(async () => {
        world = await openWorld();
        await ensureEnterprises(world);
        lineId = await grantLine(world, '100000000000');
    });

    after(() => world?.close());

    it('retries the issuance that lost the race on a shared credit line, and both notes are issued', async () => {
        const [first, second] = await Promise.all([confirmedReceivables(world, ['300000']), confirmedReceivables(world, ['700000'])]);
        const before = await world.evaluate<{ used: string }>('financier', 'credit-line:ReadCreditLine', { args: [lineId] });
        const core = (await world.session('core')).contract;
        const barrier = newBarrier(2);
        const issue = (amount: string, receivableIds: string[]) =>
            submitJson<Note>(core, 'note:IssueNote', { args: [{ holderId: eidOf(world, 'tier1'), amount, currency: 'CNY', maturityDate: isoDate(90), creditLineId: lineId, receivableIds }] }, undefined, raceOnFirstAttempt(barrier));

        const outcomes: Array<SubmitOutcome<Note>> = await Promise.all([issue('300000', first), issue('700000', second)]);

        const retried = outcomes.filter((o) => o.attempts.length > 1);
        expect(retried, 'exactly one issuance needed a retry').to.have.length(1);
        expect(retried[0].attempts[0].failure).to.equal('commit:MVCC_READ_CONFLICT');
        expect(retried[0].attempts.at(-1)?.failure).to.equal(undefined);
        const after = await world.evaluate<{ used: string }>('financier', 'credit-line:ReadCreditLine', { args: [lineId] });
        expect(BigInt(after.used) - BigInt(before.used)).to.equal(1_000_000n);

        // What the REST gateway asks about an interrupted idempotent write: the peer's ledger knows both attempts.
        const network = (await world.session('core')).network;
        expect(await committedOutcome(network, retried[0].attempts[0].transactionId)).to.deep.equal({ state: 'committed', valid: false });
        const valid = await committedOutcome(network, retried[0].transactionId);
        expect(valid.state === 'committed' && valid.valid, 'the retry committed valid').to.equal(true);
        // …with the chaincode's response in its block: what rebuilds a response the gateway lost.
        expect(valid.state === 'committed' && JSON.parse(valid.result?.toString('utf8') ?? 'null')).to.deep.equal(retried[0].result);
        expect(await committedOutcome(network, 'f'.repeat(64))).to.deep.equal({ state: 'unknown' });
    });

    it('commits one of two concurrent splits of a hot note; the retried loser is refused with INVALID_STATE', async () => {
        const note = await issueNote(world, lineId, '900000');
        const tier1 = (await world.session('tier1')).contract;
        const barrier = newBarrier(2);
        const split = (amounts: string[]) => submitJson<{ children: Note[] }>(tier1, 'note:SplitNote', { args: [note.id, { amounts }] }, undefined, raceOnFirstAttempt(barrier));

        const settled = await Promise.allSettled([split(['400000', '500000']), split(['100000', '200000', '600000'])]);

        const won = settled.filter((s): s is PromiseFulfilledResult<SubmitOutcome<{ children: Note[] }>> => s.status === 'fulfilled');
        const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
        expect(won, 'one split commits').to.have.length(1);
        expect(lost, 'one split is refused').to.have.length(1);
        const failure = lost[0].reason as FabricTxError;
        expect(failure).to.be.instanceOf(FabricTxError);
        expect(failure.attempts.map((a) => a.failure)).to.deep.equal(['commit:MVCC_READ_CONFLICT', 'endorse:INVALID_STATE']);
        expect(failure.code).to.equal('INVALID_STATE');

        const parent = await world.evaluate<Note>('regulator', 'note:ReadNote', { args: [note.id] });
        expect(parent.status).to.equal('SPENT');
        expect(parent.children).to.deep.equal(won[0].value.result.children.map((c) => c.id));
    });
});
