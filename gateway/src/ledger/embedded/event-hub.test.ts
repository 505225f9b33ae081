import { expect } from 'chai';
import { LedgerFixture, newLedgerFixture } from '../../../test/ledger-fixture';
import type { EventStream, LedgerEvent } from './index';

async function take(stream: EventStream, count: number): Promise<LedgerEvent[]> {
    const out: LedgerEvent[] = [];
    while (out.length < count) {
        const next = await stream.next();
        if (next.done) {
            break;
        }
        out.push(next.value);
    }
    return out;
}

describe('chaincode events', () => {
    let f: LedgerFixture;

    beforeEach(async () => {
        f = await newLedgerFixture();
    });
    afterEach(() => f.dispose());

    it('delivers the events of committed transactions in commit order with their checkpoints', async () => {
        for (let i = 0; i < 5; i++) {
            await f.ledger.submit(f.alice, 'kv:Put', [`k${i}`, String(i)]);
        }
        await f.ledger.submit(f.alice, 'kv:Delete', ['k0']); // no event
        const stream = f.ledger.events();
        const events = await take(stream, 5);
        stream.close();
        expect(events.map((e) => JSON.parse(e.payload.toString()).key)).to.deep.equal(['k0', 'k1', 'k2', 'k3', 'k4']);
        expect(events.map((e) => e.checkpoint.block)).to.deep.equal([1, 2, 3, 4, 5]);
        expect(events.every((e) => e.name === 'Put')).to.equal(true);
    });

    it('delivers live events to a waiting subscriber and ends when closed', async () => {
        const stream = f.ledger.events();
        const pending = take(stream, 2);
        await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
        await f.ledger.submit(f.alice, 'kv:Put', ['b', '2']);
        expect((await pending).map((e) => JSON.parse(e.payload.toString()).key)).to.deep.equal(['a', 'b']);
        const waiting = stream.next();
        stream.close();
        expect((await waiting).done).to.equal(true);
    });

    it('omits the events of transactions invalidated at commit', async () => {
        await f.ledger.submit(f.alice, 'kv:Put', ['counter', '0']);
        await Promise.allSettled(Array.from({ length: 6 }, () => f.ledger.submit(f.alice, 'kv:Increment', ['counter', ''])));
        const stream = f.ledger.events({ from: { block: 0, txIndex: 0 } });
        const events = await take(stream, 1);
        stream.close();
        expect(events).to.have.length(1);
    });

    it('resumes after a checkpoint across a restart without gaps or repeats, inside a block too', async () => {
        await f.reopen({ blockMaxTransactions: 10, blockTimeoutMs: 30 });
        await Promise.all(Array.from({ length: 6 }, (_, i) => f.ledger.submit(f.alice, 'kv:Put', [`k${i}`, String(i)])));
        const first = f.ledger.events();
        const seen = await take(first, 3);
        first.close();
        const checkpoint = seen[2].checkpoint;
        expect(seen[2].checkpoint.txIndex).to.equal(2);
        await f.reopen();
        await f.ledger.submit(f.alice, 'kv:Put', ['later', 'x']);
        const resumed = f.ledger.events({ after: checkpoint });
        const rest = await take(resumed, 4);
        resumed.close();
        const keys = [...seen, ...rest].map((e) => JSON.parse(e.payload.toString()).key);
        expect(new Set(keys).size).to.equal(7);
        expect(keys[6]).to.equal('later');
        expect(rest.map((e) => e.checkpoint)).to.deep.equal([
            { block: 1, txIndex: 3 },
            { block: 1, txIndex: 4 },
            { block: 1, txIndex: 5 },
            { block: 2, txIndex: 0 },
        ]);
    });
});
