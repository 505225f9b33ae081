import type { Block } from './block';

/**
 * Chaincode events in commit order. Each event carries its checkpoint (block number, transaction
 * index); a consumer that stores the checkpoint of the last event it handled resumes with
 * `{ after: checkpoint }` and gets every later event exactly once, across restarts. Events are read
 * from the block log, so a slow or restarted consumer never misses one.
 */

/** A position in the ledger: block number and transaction index inside the block. */
export interface Checkpoint {
    readonly block: number;
    readonly txIndex: number;
}

/** The event of a valid, committed transaction. */
export interface LedgerEvent {
    readonly name: string;
    readonly payload: Buffer;
    readonly txId: string;
    readonly blockNumber: number;
    readonly txIndex: number;
    /** The transaction's timestamp (ISO-8601). */
    readonly timestamp: string;
    /** This event's own position; pass it as `after` to resume behind it. */
    readonly checkpoint: Checkpoint;
}

/** Where a stream starts: at `from` (inclusive), after `after` (exclusive), or at block 0. */
export interface EventStreamOptions {
    readonly from?: Checkpoint;
    readonly after?: Checkpoint;
}

/** What the hub needs from the ledger. */
export interface BlockSource {
    height(): number;
    readBlock(number: number): Promise<Block>;
}

/** An endless stream of events; `close()` ends it, also while it waits for the next block. */
export interface EventStream extends AsyncIterableIterator<LedgerEvent> {
    close(): void;
}

export class EventHub {
    private changed: Promise<void>;
    private signal!: () => void;
    private closed = false;

    constructor(private readonly source: BlockSource) {
        this.changed = this.nextChange();
    }

    /** Wakes every stream: a block was committed (or the ledger closed). */
    notify(): void {
        const signal = this.signal;
        this.changed = this.nextChange();
        signal();
    }

    close(): void {
        this.closed = true;
        this.notify();
    }

    /** Streams events from the given position, then live events as blocks commit. */
    stream(options: EventStreamOptions = {}): EventStream {
        const start: Checkpoint = options.after ? { block: options.after.block, txIndex: options.after.txIndex + 1 } : (options.from ?? { block: 0, txIndex: 0 });
        let position = { ...start };
        const buffer: LedgerEvent[] = [];
        let ended = false;
        const stream: EventStream = {
            next: async () => {
                for (;;) {
                    if (ended || this.closed) {
                        return { done: true, value: undefined };
                    }
                    if (buffer.length > 0) {
                        return { done: false, value: buffer.shift() as LedgerEvent };
                    }
                    if (position.block < this.source.height()) {
                        const block = await this.source.readBlock(position.block);
                        buffer.push(...eventsOf(block, position.txIndex));
                        position = { block: position.block + 1, txIndex: 0 };
                        continue;
                    }
                    const changed = this.changed;
                    const stop = new Promise<void>((resolve) => {
                        stopWaiting = resolve;
                    });
                    await Promise.race([changed, stop]);
                }
            },
            return: async () => {
                stream.close();
                return { done: true, value: undefined };
            },
            close: () => {
                ended = true;
                stopWaiting();
            },
            [Symbol.asyncIterator]() {
                return stream;
            },
        };
        let stopWaiting: () => void = () => undefined;
        return stream;
    }

    private nextChange(): Promise<void> {
        return new Promise<void>((resolve) => {
            this.signal = resolve;
        });
    }
}

/** The events of a block's valid transactions from `fromTxIndex` on. */
export function eventsOf(block: Block, fromTxIndex = 0): LedgerEvent[] {
    const events: LedgerEvent[] = [];
    const transactions = block.data.transactions;
    for (let index = fromTxIndex; index < transactions.length; index++) {
        const tx = transactions[index];
        if (tx.validationCode === 'VALID' && tx.event) {
            const checkpoint = { block: block.header.number, txIndex: index };
            events.push({
                name: tx.event.name,
                payload: Buffer.from(tx.event.payload, 'base64'),
                txId: tx.txId,
                blockNumber: block.header.number,
                txIndex: index,
                timestamp: tx.timestamp,
                checkpoint,
            });
        }
    }
    return events;
}
