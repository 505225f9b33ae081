import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChaincodeEvent, Checkpointer, checkpointers } from '@hyperledger/fabric-gateway';
import { FabricSession, connectAs } from '../src/fabric-connection';
import { World, ensureEnterprises, freshUscc, openWorld } from '../src/world';

interface Seen {
    readonly transactionId: string;
    readonly blockNumber: bigint;
    readonly eventName: string;
    readonly enterpriseId: string;
}

interface Registered {
    readonly id: string;
    readonly transactionId: string;
    readonly blockNumber: bigint;
}

/**
 * Reads chaincode events (resuming from `checkpointer`, else from `startBlock`), checkpointing each one
 * after it is handled, until `stop` says so; the iterator is closed on return, as a crashing client's would be.
 */
async function readEvents(session: FabricSession, chaincode: string, checkpointer: Checkpointer, startBlock: bigint, stop: (seen: Seen[]) => boolean, timeoutMs = 60_000): Promise<Seen[]> {
    const events = await session.network.getChaincodeEvents(chaincode, { checkpoint: checkpointer, startBlock });
    const timer = setTimeout(() => events.close(), timeoutMs);
    const seen: Seen[] = [];
    try {
        for await (const event of events as AsyncIterable<ChaincodeEvent>) {
            const payload = JSON.parse(Buffer.from(event.payload).toString('utf8')) as { enterpriseId?: string };
            seen.push({ transactionId: event.transactionId, blockNumber: event.blockNumber, eventName: event.eventName, enterpriseId: payload.enterpriseId ?? '' });
            await checkpointer.checkpointChaincodeEvent(event);
            if (stop(seen)) {
                break;
            }
        }
    } finally {
        clearTimeout(timer);
        events.close();
    }
    return seen;
}

describe('chaincode events from a checkpoint on the Fabric network', () => {
    let world: World;
    let directory: string;

    before(async () => {
        world = await openWorld();
        await ensureEnterprises(world);
        directory = await fs.mkdtemp(path.join(os.tmpdir(), 'xinlian-e2e-events-'));
    });

    after(async () => {
        world?.close();
        if (directory) {
            await fs.rm(directory, { recursive: true, force: true });
        }
    });

    it('resumes after a reconnect from a file checkpoint with no gap and no repeat', async () => {
        const register = async (): Promise<Registered> => {
            const id = freshUscc(world);
            const out = await world.submit('platform-admin', 'enterprise:RegisterEnterprise', { args: [{ id, name: `E2E Events Co. ${id}`, kind: 'SUPPLIER' }] });
            return { id, transactionId: out.transactionId, blockNumber: out.blockNumber };
        };
        const online: Registered[] = [];
        for (let i = 0; i < 4; i++) {
            online.push(await register());
        }
        const startBlock = online[0].blockNumber;
        const file = path.join(directory, 'checkpoint.json');

        // First listener (the regulator, through the Bank peer) handles two of our events, then goes away.
        const first = await connectAs(world.endpoints, world.user('regulator'), 'bank');
        const before = await readEvents(first, world.endpoints.chaincode, await checkpointers.file(file), startBlock, (seen) => seen.filter((e) => e.transactionId === online[1].transactionId).length === 1);
        first.close();

        // While nobody listens, more transactions commit.
        const offline: Registered[] = [];
        for (let i = 0; i < 3; i++) {
            offline.push(await register());
        }

        // A new connection (through another org's peer) resumes from the checkpoint file as persisted.
        const second = await connectAs(world.endpoints, world.user('regulator'), 'partner');
        const last = offline[offline.length - 1].transactionId;
        const afterwards = await readEvents(second, world.endpoints.chaincode, await checkpointers.file(file), startBlock, (seen) => seen.some((e) => e.transactionId === last));
        second.close();

        const all = [...before, ...afterwards];
        const ids = all.map((e) => e.transactionId);
        expect(new Set(ids).size, 'no event is delivered twice').to.equal(ids.length);
        const ours = new Set([...online, ...offline].map((r) => r.transactionId));
        expect(
            all.filter((e) => ours.has(e.transactionId)).map((e) => e.transactionId),
            'every event of ours, in commit order, with no gap',
        ).to.deep.equal([...online, ...offline].map((r) => r.transactionId));
        expect(before.map((e) => e.transactionId)).to.deep.equal(online.slice(0, 2).map((r) => r.transactionId));
        expect(all.filter((e) => ours.has(e.transactionId)).every((e) => e.eventName === 'RegisterEnterprise')).to.equal(true);
        expect(all.filter((e) => ours.has(e.transactionId)).map((e) => e.enterpriseId)).to.deep.equal([...online, ...offline].map((r) => r.id));
        for (let i = 1; i < all.length; i++) {
            expect(all[i].blockNumber >= all[i - 1].blockNumber, 'events arrive in block order').to.equal(true);
        }
    });
});
