import type { Network } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import type { SubmissionOutcome } from './ledger-backend';

/**
 * Whether transaction `txId` committed on `network`'s channel, and validly, from the peer's ledger
 * (qscc GetTransactionByID); 'unknown' when the peer does not have it (it may still commit) or
 * cannot answer.
 */
export async function committedOutcome(network: Network, txId: string): Promise<SubmissionOutcome> {
    let bytes: Uint8Array;
    try {
        bytes = await network.getContract('qscc').evaluateTransaction('GetTransactionByID', network.getName(), txId);
    } catch {
        return { state: 'unknown' };
    }
    const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
    return { state: 'committed', valid: processed.getValidationcode() === peer.TxValidationCode.VALID };
}
