/**
 * Groups endorsed transactions into blocks like an orderer: a block is cut when it reaches
 * `maxTransactions` or `maxBytes`, or `timeoutMs` after its first transaction arrived. Blocks are
 * committed one at a time, in order; transactions arriving during a commit wait for the next block,
 * so a busy ledger pays one atomic write (and one disk sync) per block, not per transaction.
 *
 * With `timeoutMs` 0 this is group commit: a transaction arriving at an idle ledger is cut (with
 * whatever else arrived in the same turn of the event loop) at once, and under load a block holds
 * what arrived while the previous one was being committed, so blocks grow with the load instead
 * of every transaction waiting out a timer.
 */

export interface BlockCutterOptions {
    readonly maxTransactions: number;
    readonly maxBytes: number;
    readonly timeoutMs: number;
}

interface Pending<T> {
    readonly item: T;
    readonly bytes: number;
}

export class BlockCutter<T> {
    private pending: Array<Pending<T>> = [];
    private pendingBytes = 0;
    private timer: NodeJS.Timeout | undefined;
    private timedOut = false;
    private committing: Promise<void> | undefined;

    constructor(
        private readonly options: BlockCutterOptions,
        /** Commits one block; must not reject (failures are reported to each transaction's waiter). */
        private readonly commit: (items: T[]) => Promise<void>,
    ) {}

    /** Queues an item of `bytes` size for the next block. */
    add(item: T, bytes: number): void {
        this.pending.push({ item, bytes });
        this.pendingBytes += bytes;
        if (this.full()) {
            this.cut();
        } else if (!this.timer && !this.timedOut) {
            this.startTimer();
        }
    }

    /** Number of transactions waiting for a block. */
    get size(): number {
        return this.pending.length;
    }

    /** Cuts whatever is pending and waits until every block so far is committed. */
    async drain(): Promise<void> {
        while (this.pending.length > 0 || this.committing) {
            if (!this.committing) {
                this.timedOut = true;
                this.cut();
            }
            await this.committing;
        }
    }

    private startTimer(): void {
        const fire = (): void => {
            this.timer = undefined;
            this.timedOut = true;
            this.cut();
        };
        // A zero timeout still lets the transactions of the same turn of the event loop share a block.
        this.timer = this.options.timeoutMs > 0 ? setTimeout(fire, this.options.timeoutMs) : (setImmediate(fire) as unknown as NodeJS.Timeout);
    }

    private full(): boolean {
        return this.pending.length >= this.options.maxTransactions || this.pendingBytes >= this.options.maxBytes;
    }

    private cut(): void {
        if (this.committing || this.pending.length === 0) {
            return;
        }
        this.clearTimer();
        const batch: T[] = [];
        let bytes = 0;
        while (this.pending.length > 0 && batch.length < this.options.maxTransactions && (batch.length === 0 || bytes + this.pending[0].bytes <= this.options.maxBytes)) {
            const next = this.pending.shift() as Pending<T>;
            batch.push(next.item);
            bytes += next.bytes;
        }
        this.pendingBytes -= bytes;
        this.timedOut = false;
        this.committing = this.commit(batch).finally(() => {
            this.committing = undefined;
            this.afterCommit();
        });
    }

    private afterCommit(): void {
        if (this.pending.length === 0) {
            return;
        }
        if (this.full() || this.timedOut) {
            this.cut();
        } else if (!this.timer) {
            this.startTimer();
        }
    }

    /** Stops the timer; pending items stay queued (call drain first to commit them). */
    stop(): void {
        this.clearTimer();
    }

    private clearTimer(): void {
        if (this.timer) {
            if (this.options.timeoutMs > 0) {
                clearTimeout(this.timer);
            } else {
                clearImmediate(this.timer as unknown as NodeJS.Immediate);
            }
            this.timer = undefined;
        }
    }
}
