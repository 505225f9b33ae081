import { memoiseParameterValidators, tuneShim } from './shim-tuning';

/**
 * fabric-contract-api's own dispatcher (the ChaincodeFromContract a peer's chaincode process runs):
 * the same function routing, argument parsing, metadata, serialisation and error path.
 */

/** A contract class as fabric-chaincode-node loads it. */
export type ContractClass = new () => object;

/** The shim response of one invocation. */
export interface ChaincodeResponse {
    status: number;
    message?: string;
    payload?: Uint8Array;
}

export interface ChaincodeDispatcher {
    Invoke(stub: unknown): Promise<ChaincodeResponse>;
}

/** Builds the dispatcher over `contracts` for chaincode `name`. */
export function newChaincodeDispatcher(contracts: readonly ContractClass[], name: string, version: string): ChaincodeDispatcher {
    // The shim logs every failed transaction at error level; refused transactions are normal here.
    // Its loggers read the level when the module loads, hence the lazy require.
    process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
    tuneShim();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { JSONSerializer } = require('fabric-contract-api');
    const dispatcher = new ChaincodeFromContract([...contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, name, version) as ChaincodeDispatcher;
    memoiseParameterValidators(dispatcher);
    return dispatcher;
}
