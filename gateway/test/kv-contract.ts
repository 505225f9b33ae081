import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';

/**
 * A small key-value contract for the engine's own tests: point reads and writes, read-modify-write,
 * range scans, private data, history, events and coded failures. `latches` lets a test hold a
 * transaction between its reads and its writes, to make conflicts deterministic.
 */

export const latches = new Map<string, Promise<void>>();

interface Iter {
    next(): Promise<{ value?: { key: string; value: Uint8Array }; done?: boolean }>;
    close(): Promise<void>;
}

async function drain(iterator: Iter): Promise<string[]> {
    const keys: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        keys.push(r.value?.key as string);
    }
    await iterator.close();
    return keys;
}

@Info({ title: 'KvContract', description: 'test contract' })
export class KvContract extends Contract {
    constructor() {
        super('kv');
    }

    override async unknownTransaction(ctx: Context): Promise<void> {
        throw new Error(`[UNKNOWN_TRANSACTION] kv has no transaction ${ctx.stub.getFunctionAndParameters().fcn}`);
    }

    @Transaction()
    async Put(ctx: Context, key: string, value: string): Promise<void> {
        await ctx.stub.putState(key, Buffer.from(value));
        ctx.stub.setEvent('Put', Buffer.from(JSON.stringify({ key, value })));
    }

    /** Writes two keys in one transaction: after a crash both or neither must exist. */
    @Transaction()
    async PutPair(ctx: Context, first: string, second: string, value: string): Promise<void> {
        await ctx.stub.putState(first, Buffer.from(value));
        await ctx.stub.putState(second, Buffer.from(value));
        ctx.stub.setEvent('PutPair', Buffer.from(JSON.stringify({ first, second })));
    }

    @Transaction()
    async Delete(ctx: Context, key: string): Promise<void> {
        await ctx.stub.deleteState(key);
    }

    @Transaction(false)
    @Returns('string')
    async Get(ctx: Context, key: string): Promise<string> {
        return Buffer.from(await ctx.stub.getState(key)).toString('utf8');
    }

    /** Reads a counter, optionally waits on a latch, writes counter + 1. */
    @Transaction()
    @Returns('string')
    async Increment(ctx: Context, key: string, latch: string): Promise<string> {
        const current = Number(Buffer.from(await ctx.stub.getState(key)).toString('utf8') || '0');
        await (latches.get(latch) ?? Promise.resolve());
        await ctx.stub.putState(key, Buffer.from(String(current + 1)));
        return String(current + 1);
    }

    /** Counts keys in [start, end), optionally waits on a latch, writes the count under `target`. */
    @Transaction()
    @Returns('string')
    async CountRange(ctx: Context, start: string, end: string, target: string, latch: string): Promise<string> {
        const keys = await drain((await ctx.stub.getStateByRange(start, end)) as unknown as Iter);
        await (latches.get(latch) ?? Promise.resolve());
        await ctx.stub.putState(target, Buffer.from(String(keys.length)));
        return String(keys.length);
    }

    @Transaction(false)
    @Returns('string')
    async Scan(ctx: Context, start: string, end: string): Promise<string> {
        return JSON.stringify(await drain((await ctx.stub.getStateByRange(start, end)) as unknown as Iter));
    }

    @Transaction()
    async PutComposite(ctx: Context, type: string, a: string, b: string, value: string): Promise<void> {
        await ctx.stub.putState(ctx.stub.createCompositeKey(type, [a, b]), Buffer.from(value));
    }

    @Transaction(false)
    @Returns('string')
    async ScanComposite(ctx: Context, type: string, a: string): Promise<string> {
        const keys = await drain((await ctx.stub.getStateByPartialCompositeKey(type, a ? [a] : [])) as unknown as Iter);
        return JSON.stringify(keys.map((k) => ctx.stub.splitCompositeKey(k).attributes));
    }

    @Transaction(false)
    @Returns('string')
    async History(ctx: Context, key: string): Promise<string> {
        type Modification = { txId: string; timestamp: { seconds: number; nanos: number }; isDelete: boolean; value: Uint8Array };
        const iterator = (await ctx.stub.getHistoryForKey(key)) as unknown as {
            next(): Promise<{ value?: Modification; done?: boolean }>;
            close(): Promise<void>;
        };
        const out: Array<{ txId: string; timestampMs: number; isDelete: boolean; value: string }> = [];
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            const m = r.value as Modification;
            out.push({ txId: m.txId, timestampMs: m.timestamp.seconds * 1000 + m.timestamp.nanos / 1e6, isDelete: m.isDelete, value: Buffer.from(m.value).toString('utf8') });
        }
        await iterator.close();
        return JSON.stringify(out);
    }

    /** Stores the transient 'value' privately. */
    @Transaction()
    async PutPrivate(ctx: Context, collection: string, key: string): Promise<void> {
        const value = ctx.stub.getTransient().get('value');
        if (!value) {
            throw new Error('[INVALID_ARGUMENT] transient value is required');
        }
        await ctx.stub.putPrivateData(collection, key, value);
    }

    @Transaction(false)
    @Returns('string')
    async GetPrivate(ctx: Context, collection: string, key: string): Promise<string> {
        return Buffer.from(await ctx.stub.getPrivateData(collection, key)).toString('utf8');
    }

    /** Reads a private value, optionally waits on a latch, copies it under a public key. */
    @Transaction()
    async CopyPrivate(ctx: Context, collection: string, key: string, target: string, latch: string): Promise<void> {
        const value = await ctx.stub.getPrivateData(collection, key);
        await (latches.get(latch) ?? Promise.resolve());
        await ctx.stub.putState(target, Buffer.from(value.length > 0 ? value : Buffer.from('-')));
    }

    @Transaction(false)
    @Returns('string')
    async GetPrivateHash(ctx: Context, collection: string, key: string): Promise<string> {
        return Buffer.from(await ctx.stub.getPrivateDataHash(collection, key)).toString('hex');
    }

    @Transaction(false)
    @Returns('string')
    async WhoAmI(ctx: Context): Promise<string> {
        const id = ctx.clientIdentity;
        return JSON.stringify({ mspId: id.getMSPID(), role: id.getAttributeValue('xl.role'), eid: id.getAttributeValue('xl.eid'), time: ctx.stub.getDateTimestamp().toISOString() });
    }

    /** Writes, then fails with a coded error: nothing may be committed. */
    @Transaction()
    async WriteThenFail(ctx: Context, key: string): Promise<void> {
        await ctx.stub.putState(key, Buffer.from('partial'));
        throw new Error('[INVALID_STATE] refused after writing');
    }
}
