import { expect } from 'chai';
import { CommitStatusError, EndorseError as FabricEndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { decodeFabricError, validationCodeName } from './fabric-backend';
import { IdentityNotTrustedError, fromPeerFailure, fromTransportCode, isInfrastructureFailure } from './ledger-errors';

/*
 * The errors below are the shapes @hyperledger/fabric-gateway produced against the native test network
 * (Fabric v3.1.5), copied from a run: the chaincode server killed (kill -9), a certificate from another CA
 * presented as PlatformMSP (what a wallet kept across `network.sh clean` presents), and a chaincode refusal.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const serviceError = {} as any;
const PACKAGE = 'xinlian_1.0:f76ce3aa7223485bc6ca246b547bf1668afb4c9177401141cf04ef3958dca664';
const UNREACHABLE =
    `error in simulation: failed to execute transaction 016876c15b643472b326c6851e204bbf717f55354fcab46fb7dcb48e0c7050d1: could not launch chaincode ${PACKAGE}: ` +
    `connection to ${PACKAGE} failed: error cannot create connection for ${PACKAGE}: error creating grpc connection to 127.0.0.1:27080: failed to create new connection: ` +
    'connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:27080: connect: connection refused"';
const ACCESS_DENIED = 'error validating proposal: access denied: channel [xinlian] creator org unknown, creator is malformed';

describe('fabric error decoding (real fabric-gateway error shapes)', () => {
    it('decodes an endorsement the chaincode server could not serve as LEDGER_UNAVAILABLE and keeps the peers\' reasons for the log', () => {
        const error = new FabricEndorseError({
            code: 10,
            message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
            details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: UNREACHABLE }],
            cause: serviceError,
            transactionId: 'tx1',
        });
        const decoded = decodeFabricError(error);
        expect(decoded).to.include({ code: 'LEDGER_UNAVAILABLE', txId: 'tx1' });
        expect(decoded.status).to.equal(503);
        // The cause's message (what pino and the startup failure print) names the peer and the chaincode address.
        const cause = decoded.cause as Error;
        expect(cause.message).to.include('10 ABORTED').and.include('PlatformMSP@127.0.0.1:27051').and.include('127.0.0.1:27080: connect: connection refused');
        expect(cause.cause).to.equal(error);
    });

    it('decodes an evaluation the chaincode server could not serve (ABORTED from every peer) as LEDGER_UNAVAILABLE', () => {
        const error = new GatewayError({
            code: 10,
            details: ['27051', '27061', '27071'].map((port, i) => ({ address: `127.0.0.1:${port}`, mspId: ['PlatformMSP', 'BankMSP', 'PartnerMSP'][i], message: UNREACHABLE })),
            cause: serviceError,
        });
        expect(decodeFabricError(error).code).to.equal('LEDGER_UNAVAILABLE');
        expect((decodeFabricError(error).cause as Error).message).to.include('BankMSP@127.0.0.1:27061');
    });

    it('keeps the chaincode\'s [CODE] of an ABORTED endorsement, also when another peer could not reach the chaincode', () => {
        const refused = 'chaincode response 500, [ALREADY_EXISTS] enterprise 91350100M000100Y43 is already registered';
        const alone = new FabricEndorseError({ code: 10, details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: refused }], cause: serviceError, transactionId: 'tx2' });
        expect(decodeFabricError(alone)).to.include({ code: 'ALREADY_EXISTS', message: 'enterprise 91350100M000100Y43 is already registered', txId: 'tx2' });
        const mixed = new FabricEndorseError({
            code: 10,
            details: [
                { address: '127.0.0.1:27061', mspId: 'BankMSP', message: UNREACHABLE },
                { address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: refused },
            ],
            cause: serviceError,
            transactionId: 'tx3',
        });
        expect(decodeFabricError(mixed).code).to.equal('ALREADY_EXISTS');
        const evaluated = new GatewayError({
            code: 2,
            details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: 'chaincode response 500, [NOT_FOUND] enterprise 91350100M000100Y44 does not exist' }],
            cause: serviceError,
        });
        expect(decodeFabricError(evaluated)).to.include({ code: 'NOT_FOUND', status: 404 });
    });

    it('an uncoded chaincode failure stays INTERNAL, not an outage', () => {
        const error = new FabricEndorseError({
            code: 10,
            details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: 'chaincode response 500, TypeError: cannot read properties of undefined (reading \'id\')' }],
            cause: serviceError,
            transactionId: 'tx4',
        });
        expect(decodeFabricError(error).code).to.equal('INTERNAL');
        expect(isInfrastructureFailure('chaincode response 500, [NOT_FOUND] connection to x failed')).to.equal(false);
    });

    it('decodes an identity the channel does not trust (a wallet from a cleaned network) as IdentityNotTrustedError, never retryable', () => {
        const evaluated = new GatewayError({
            code: 9,
            details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: ACCESS_DENIED }],
            cause: serviceError,
        });
        const decoded = decodeFabricError(evaluated);
        expect(decoded).to.be.instanceOf(IdentityNotTrustedError);
        expect(decoded.code).to.not.equal('LEDGER_UNAVAILABLE');
        expect(decoded.retryable).to.equal(false);
        const endorsed = new FabricEndorseError({ code: 10, details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: ACCESS_DENIED }], cause: serviceError, transactionId: 'tx5' });
        expect(decodeFabricError(endorsed)).to.be.instanceOf(IdentityNotTrustedError);
    });

    it('decodes a refusal at the endorsement-collection stage (the first endorser endorsed) as a retryable CONFLICT', () => {
        const COLLECTING = '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info';
        for (const message of ['chaincode response 500, [NOT_FOUND] note N1 does not exist', 'chaincode response 500, [INVALID_STATE] note N1 is not active', 'ProposalResponsePayloads do not match']) {
            const error = new FabricEndorseError({ code: 10, message: COLLECTING, details: [{ address: '127.0.0.1:27061', mspId: 'BankMSP', message }], cause: serviceError, transactionId: 'tx6' });
            expect(decodeFabricError(error), message).to.include({ code: 'CONFLICT', retryable: true, retryAfter: 1, txId: 'tx6' });
        }
        // The same refusal by the first endorser (every peer of the own organisation) is the contract's answer.
        const refused = new FabricEndorseError({
            code: 10,
            message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
            details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: 'chaincode response 500, [NOT_FOUND] note N1 does not exist' }],
            cause: serviceError,
            transactionId: 'tx7',
        });
        expect(decodeFabricError(refused)).to.include({ code: 'NOT_FOUND', retryable: false });
        // At the collection stage, further endorsers that could not run the chaincode, or refused the identity, are not a disagreement.
        expect(fromPeerFailure(10, COLLECTING, [{ mspId: 'BankMSP', message: UNREACHABLE }], 'tx8', undefined)).to.include({ code: 'LEDGER_UNAVAILABLE', retryable: false });
        expect(fromPeerFailure(10, COLLECTING, [{ mspId: 'BankMSP', message: ACCESS_DENIED }], 'tx8', undefined)).to.be.instanceOf(IdentityNotTrustedError);
    });

    it('decodes a message over gRPC\'s size limit (RESOURCE_EXHAUSTED) as LEDGER_MESSAGE_TOO_LARGE, naming the sizes', () => {
        const received = new GatewayError({ code: 8, message: '8 RESOURCE_EXHAUSTED: Received message larger than max (5242909 vs 4194304)', details: [], cause: serviceError });
        const decoded = decodeFabricError(received);
        expect(decoded).to.include({ code: 'LEDGER_MESSAGE_TOO_LARGE', retryable: false });
        expect(decoded.status).to.equal(502);
        expect(decoded.message).to.include('5242909 bytes').and.include('4194304 bytes');
        const sent = new GatewayError({ code: 8, message: '8 RESOURCE_EXHAUSTED: Attempted to send message with a size larger than 104857600', details: [], cause: serviceError });
        expect(decodeFabricError(sent).message).to.match(/^the transaction is larger than the 104857600 bytes/);
        // A peer's own gRPC refusing a message (Go's wording) in an endorsement's details.
        const peerSide = new FabricEndorseError({
            code: 10,
            message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
            details: [{ address: '127.0.0.1:27051', mspId: 'PlatformMSP', message: 'rpc error: code = ResourceExhausted desc = grpc: received message larger than max (104857601 vs. 104857600)' }],
            cause: serviceError,
            transactionId: 'tx9',
        });
        expect(decodeFabricError(peerSide)).to.include({ code: 'LEDGER_MESSAGE_TOO_LARGE', txId: 'tx9' });
        expect(decodeFabricError(new CommitStatusError({ code: 8, details: [], cause: serviceError, transactionId: 'tx10' }))).to.include({ code: 'LEDGER_MESSAGE_TOO_LARGE', txId: 'tx10' });
        expect(fromTransportCode(8, undefined, undefined).code).to.equal('LEDGER_MESSAGE_TOO_LARGE');
    });

    it("names commit validation codes from fabric-protos' TxValidationCode", () => {
        expect(validationCodeName(10)).to.equal('ENDORSEMENT_POLICY_FAILURE');
        expect(validationCodeName(11)).to.equal('MVCC_READ_CONFLICT');
        expect(validationCodeName(255)).to.equal('INVALID_OTHER_REASON');
        expect(validationCodeName(99)).to.equal('CODE_99');
    });

    it('maps a bare ABORTED (no reasons) to LEDGER_UNAVAILABLE', () => {
        expect(fromTransportCode(10, undefined, undefined).code).to.equal('LEDGER_UNAVAILABLE');
        expect(decodeFabricError(new GatewayError({ code: 10, details: [], cause: serviceError })).code).to.equal('LEDGER_UNAVAILABLE');
    });
});
