import { Context, Contract } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { recordTransactionCreator } from '../identity/transaction-creator';
import { eventEmitted } from './tx';

/**
 * Base of every Xinlian contract: unknown transaction names fail with a coded error, and every
 * transaction that changes state records its signer.
 */
export abstract class XinlianContract extends Contract {
    override async unknownTransaction(ctx: Context): Promise<void> {
        const { fcn } = ctx.stub.getFunctionAndParameters();
        throw new ChaincodeError('UNKNOWN_TRANSACTION', `contract ${this.getName()} has no transaction ${fcn.split(':').pop()}`);
    }

    /**
     * A transaction that changed state has emitted its one event (every state change does): its signer
     * is recorded under `txCreator ~ txId` in the same write set, so an audit pack names who made each
     * change. Reads and refused transactions record nothing (a refused one commits nothing anyway).
     */
    override async afterTransaction(ctx: Context, result: unknown): Promise<void> {
        await super.afterTransaction(ctx, result);
        if (eventEmitted(ctx)) {
            await recordTransactionCreator(ctx);
        }
    }
}
