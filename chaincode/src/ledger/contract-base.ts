import { Context, Contract } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';

/** Base of every Xinlian contract: unknown transaction names fail with a coded error. */
export abstract class XinlianContract extends Contract {
    override async unknownTransaction(ctx: Context): Promise<void> {
        const { fcn } = ctx.stub.getFunctionAndParameters();
        throw new ChaincodeError('UNKNOWN_TRANSACTION', `contract ${this.getName()} has no transaction ${fcn.split(':').pop()}`);
    }
}
