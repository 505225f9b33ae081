import type { Network } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import type { SubmissionOutcome } from './ledger-backend';

/**
 * The chaincode response payload recorded in a committed endorser transaction: envelope → payload →
 * transaction → its first action → the endorsed proposal response → the chaincode action's response.
 * Undefined when the envelope does not have that shape (e.g. a configuration transaction).
 */
export function chaincodeResultOf(envelope: common.Envelope | undefined): Buffer | undefined {
    try {
        if (!envelope) {
            return undefined;
        }
        const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
        const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
        const endorsed = action ? peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction() : undefined;
        if (!endorsed) {
            return undefined;
        }
        const proposalResponse = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
        const response = peer.ChaincodeAction.deserializeBinary(proposalResponse.getExtension_asU8()).getResponse();
        return response ? Buffer.from(response.getPayload_asU8()) : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Whether transaction `txId` committed on `network`'s channel, and validly, from the peer's ledger
 * (qscc GetTransactionByID), with the chaincode's response payload of a valid one; 'unknown' when
 * the peer does not have it (it may still commit) or cannot answer.
 */
export async function committedOutcome(network: Network, txId: string): Promise<SubmissionOutcome> {
    let bytes: Uint8Array;
    try {
        bytes = await network.getContract('qscc').evaluateTransaction('GetTransactionByID', network.getName(), txId);
    } catch {
        return { state: 'unknown' };
    }
    const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
    if (processed.getValidationcode() !== peer.TxValidationCode.VALID) {
        return { state: 'committed', valid: false };
    }
    const result = chaincodeResultOf(processed.getTransactionenvelope());
    return result ? { state: 'committed', valid: true, result } : { state: 'committed', valid: true };
}
