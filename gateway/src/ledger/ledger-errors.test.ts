import { expect } from 'chai';
import { CommitError as FabricCommitError, EndorseError as FabricEndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { AppError } from '../errors';
import { CommitError, EndorseError, LedgerError } from './embedded';
import { decodeEmbeddedError } from './embedded-backend';
import { decodeFabricError } from './fabric-backend';
import { fromChaincodeMessage, fromCommitCode, fromTransportCode } from './ledger-errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const serviceError = {} as any;

describe('ledger error decoding', () => {
    it('decodes a chaincode [CODE] message into its code, message and transaction id', () => {
        const error = fromChaincodeMessage('chaincode response 500, [DOUBLE_FINANCING] invoice X is already registered', 'tx1', undefined);
        expect(error).to.include({ code: 'DOUBLE_FINANCING', message: 'invoice X is already registered', txId: 'tx1', retryable: false });
    });

    it("decodes the dispatcher's own messages and hides uncoded text as INTERNAL", () => {
        expect(fromChaincodeMessage('Expected 2 parameters, but 1 have been supplied', undefined, undefined).code).to.equal('INVALID_ARGUMENT');
        const internal = fromChaincodeMessage('TypeError: cannot read x of undefined at /srv/chaincode.js:10', undefined, undefined);
        expect(internal.code).to.equal('INTERNAL');
        expect(internal.message).to.not.include('/srv');
    });

    it('marks read conflicts retryable and nothing else', () => {
        expect(fromCommitCode('MVCC_READ_CONFLICT', 'tx', undefined)).to.include({ code: 'CONFLICT', retryable: true });
        expect(fromCommitCode('PHANTOM_READ_CONFLICT', 'tx', undefined)).to.include({ code: 'CONFLICT', retryable: true });
        expect(fromCommitCode('DUPLICATE_TXID', 'tx', undefined)).to.include({ code: 'CONFLICT', retryable: false });
        // A client is told it may send a read conflict again (Retry-After), and not a used transaction id.
        expect(fromCommitCode('MVCC_READ_CONFLICT', 'tx', undefined).retryAfter).to.equal(1);
        expect(fromCommitCode('PHANTOM_READ_CONFLICT', 'tx', undefined).retryAfter).to.equal(1);
        expect(fromCommitCode('DUPLICATE_TXID', 'tx', undefined).retryAfter).to.equal(undefined);
        expect(fromCommitCode('ENDORSEMENT_POLICY_FAILURE', 'tx', undefined)).to.include({ code: 'INTERNAL', retryable: false });
    });

    it('maps gRPC deadline and unavailability to LEDGER_TIMEOUT and LEDGER_UNAVAILABLE', () => {
        expect(fromTransportCode(4, undefined, undefined).code).to.equal('LEDGER_TIMEOUT');
        expect(fromTransportCode(14, undefined, undefined).code).to.equal('LEDGER_UNAVAILABLE');
        // Fabric's gateway: no set of reachable peers can endorse (yet).
        expect(fromTransportCode(9, undefined, undefined).code).to.equal('LEDGER_UNAVAILABLE');
        expect(fromTransportCode(13, undefined, undefined).code).to.equal('INTERNAL');
    });

    it('decodes the embedded engine errors per stage', () => {
        expect(decodeEmbeddedError(new EndorseError('tx2', '[NOT_FOUND] note N1 does not exist', 500, 'PlatformMSP'))).to.include({ code: 'NOT_FOUND', txId: 'tx2' });
        expect(decodeEmbeddedError(new CommitError('tx3', 'MVCC_READ_CONFLICT', 7))).to.include({ code: 'CONFLICT', retryable: true, txId: 'tx3' });
        expect(decodeEmbeddedError(new LedgerError('closed')).code).to.equal('LEDGER_UNAVAILABLE');
        expect(decodeEmbeddedError(new Error('boom')).code).to.equal('INTERNAL');
    });

    it('decodes fabric-gateway errors from their details, commit codes and gRPC status', () => {
        const endorse = new FabricEndorseError({
            code: 10,
            details: [{ address: 'peer0:7051', mspId: 'PlatformMSP', message: 'chaincode response 500, [INSUFFICIENT_LIMIT] line L1 has 5 left' }],
            cause: serviceError,
            transactionId: 'tx4',
        });
        expect(decodeFabricError(endorse)).to.include({ code: 'INSUFFICIENT_LIMIT', txId: 'tx4' });
        expect(decodeFabricError(new FabricCommitError({ code: 11, transactionId: 'tx5' }))).to.include({ code: 'CONFLICT', retryable: true, txId: 'tx5' });
        expect(decodeFabricError(new GatewayError({ code: 14, details: [], cause: serviceError })).code).to.equal('LEDGER_UNAVAILABLE');
        expect(decodeFabricError(new GatewayError({ code: 4, details: [], cause: serviceError })).code).to.equal('LEDGER_TIMEOUT');
        const app = new AppError('FORBIDDEN', 'x');
        expect(decodeFabricError(app)).to.equal(app);
    });
});
