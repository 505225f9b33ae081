import { expect } from 'chai';
import { FabricTxError } from '../src/tx-client';

/** Awaits `action`, asserts it failed with a FabricTxError of `code` (and `stage`, when given), returns it. */
export async function expectTxFailure(action: () => Promise<unknown>, code: string, stage?: FabricTxError['stage']): Promise<FabricTxError> {
    let caught: unknown;
    try {
        await action();
    } catch (error) {
        caught = error;
    }
    expect(caught, `expected a failure with ${code}`).to.be.instanceOf(FabricTxError);
    const failure = caught as FabricTxError;
    expect(failure.code, failure.message).to.equal(code);
    if (stage) {
        expect(failure.stage, failure.message).to.equal(stage);
    }
    return failure;
}

/** Polls `read` until it resolves (e.g. until a peer has committed the block), up to `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
    const until = new Date().getTime() + timeoutMs;
    for (;;) {
        try {
            return await read();
        } catch (error) {
            if (new Date().getTime() > until) {
                throw error;
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    }
}
