import '../../test/support/quiet-chaincode-logging';
import { webcrypto } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as x509 from '@peculiar/x509';
import { common, gateway, google, msp, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
import { writeFabricWalletEntry } from '../../test/support/fabric-wallet';
import { VERIFIER_USERNAME } from '../auth/reserved-names';
import type { FabricConfig } from '../config';
import { AppError } from '../errors';
import { newLedgerClient } from '../services/ledger-client';
import { chainHeightOf, connectFabricBackend } from './fabric-backend';
import type { LedgerBackend, LedgerUser } from './ledger-backend';
import { P256_ECDSA, exportPkcs8Pem, subtle } from './p256-webcrypto';

/*
 * The Fabric backend against a stub of a peer's gateway service (gateway.Gateway) over gRPC with TLS: the real
 * @hyperledger/fabric-gateway client and grpc-js, and the wire messages of Fabric v3.1.5 (fabric-protos), with
 * the answers and failures a peer gives: a large evaluation result, an endorsement that failed at the
 * endorsement-collection stage (internal/pkg/gateway/endorse.go), a commit status, qscc GetChainInfo.
 */

const CHANNEL = 'xinlian';
const PASSPHRASE = 'test-passphrase';
const MiB = 1024 * 1024;
const HOST_ALIAS = 'peer0.platform.xinlian.test';

/** What the stub was asked: the chaincode, its arguments (function first) and the signer's MSP. */
interface Invocation {
    readonly chaincode: string;
    readonly args: readonly string[];
    readonly mspId: string;
    readonly certificate: string;
}

/** A gRPC failure as Fabric's gateway sends it: status code, message and each peer's ErrorDetail in grpc-status-details-bin. */
interface Failure {
    readonly failure: { code: grpc.status; message: string; details: readonly { address: string; mspId: string; message: string }[] };
}

type Answer = Uint8Array | Failure;

interface StubBehaviour {
    evaluate: (call: Invocation) => Answer;
    endorse: (call: Invocation, attempt: number) => Answer;
    commitCode: number;
    blockNumber: number;
}

function invocationOf(signed: peer.SignedProposal | undefined): Invocation {
    const proposal = peer.Proposal.deserializeBinary(signed!.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const chaincode = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8()).getChaincodeId()?.getName() ?? '';
    const creator = msp.SerializedIdentity.deserializeBinary(common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8());
    const input = peer.ChaincodeInvocationSpec.deserializeBinary(peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()).getInput_asU8());
    const args = (input.getChaincodeSpec()?.getInput()?.getArgsList_asU8() ?? []).map((arg) => Buffer.from(arg).toString('utf8'));
    return { chaincode, args, mspId: creator.getMspid(), certificate: Buffer.from(creator.getIdBytes_asU8()).toString('utf8') };
}

function grpcError(failure: Failure['failure']): Partial<grpc.StatusObject> {
    const status = new google.rpc.Status();
    status.setCode(failure.code);
    status.setMessage(failure.message);
    for (const detail of failure.details) {
        const error = new gateway.ErrorDetail();
        error.setAddress(detail.address);
        error.setMspId(detail.mspId);
        error.setMessage(detail.message);
        const any = status.addDetails();
        any.setTypeUrl('type.googleapis.com/gateway.ErrorDetail');
        any.setValue(error.serializeBinary());
    }
    const metadata = new grpc.Metadata();
    metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
    return { code: failure.code, details: failure.message, metadata };
}

/** The endorsed transaction the gateway service prepares: envelope → payload → transaction → action → the chaincode's response. */
function preparedTransaction(txId: string, result: Uint8Array): common.Envelope {
    const response = new peer.Response();
    response.setStatus(200);
    response.setPayload(result);
    const chaincodeAction = new peer.ChaincodeAction();
    chaincodeAction.setResponse(response);
    const responsePayload = new peer.ProposalResponsePayload();
    responsePayload.setExtension$(chaincodeAction.serializeBinary());
    const endorsed = new peer.ChaincodeEndorsedAction();
    endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
    const actionPayload = new peer.ChaincodeActionPayload();
    actionPayload.setAction(endorsed);
    const action = new peer.TransactionAction();
    action.setPayload(actionPayload.serializeBinary());
    const transaction = new peer.Transaction();
    transaction.setActionsList([action]);
    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setChannelId(CHANNEL);
    channelHeader.setTxId(txId);
    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(transaction.serializeBinary());
    const envelope = new common.Envelope();
    envelope.setPayload(payload.serializeBinary());
    return envelope;
}

function blockchainInfo(height: number): Uint8Array {
    const info = new common.BlockchainInfo();
    info.setHeight(height);
    info.setCurrentblockhash(Buffer.alloc(32, 1));
    info.setPreviousblockhash(Buffer.alloc(32, 2));
    return info.serializeBinary();
}

/** A peer's gateway service answering from `behaviour`, counting its calls. */
class StubPeer {
    behaviour: StubBehaviour = StubPeer.defaults();
    readonly calls: { evaluate: Invocation[]; endorse: Invocation[]; submit: number; commitStatus: number } = { evaluate: [], endorse: [], submit: 0, commitStatus: 0 };

    static defaults(): StubBehaviour {
        return {
            evaluate: (call) => (call.chaincode === 'qscc' ? blockchainInfo(7) : Buffer.from('{}')),
            endorse: () => Buffer.from('{"ok":true}'),
            commitCode: peer.TxValidationCode.VALID,
            blockNumber: 5,
        };
    }

    reset(): void {
        this.behaviour = StubPeer.defaults();
        this.calls.evaluate = [];
        this.calls.endorse = [];
        this.calls.submit = 0;
        this.calls.commitStatus = 0;
    }

    service(): grpc.UntypedServiceImplementation {
        return {
            evaluate: (call: grpc.ServerUnaryCall<gateway.EvaluateRequest, gateway.EvaluateResponse>, callback: grpc.sendUnaryData<gateway.EvaluateResponse>) => {
                const invocation = invocationOf(call.request.getProposedTransaction());
                this.calls.evaluate.push(invocation);
                const answer = this.behaviour.evaluate(invocation);
                if ('failure' in answer) {
                    callback(grpcError(answer.failure));
                    return;
                }
                const response = new peer.Response();
                response.setStatus(200);
                response.setPayload(answer);
                const evaluated = new gateway.EvaluateResponse();
                evaluated.setResult(response);
                callback(null, evaluated);
            },
            endorse: (call: grpc.ServerUnaryCall<gateway.EndorseRequest, gateway.EndorseResponse>, callback: grpc.sendUnaryData<gateway.EndorseResponse>) => {
                const invocation = invocationOf(call.request.getProposedTransaction());
                this.calls.endorse.push(invocation);
                const answer = this.behaviour.endorse(invocation, this.calls.endorse.length);
                if ('failure' in answer) {
                    callback(grpcError(answer.failure));
                    return;
                }
                const endorsed = new gateway.EndorseResponse();
                endorsed.setPreparedTransaction(preparedTransaction(call.request.getTransactionId(), answer));
                callback(null, endorsed);
            },
            submit: (_call: unknown, callback: grpc.sendUnaryData<gateway.SubmitResponse>) => {
                this.calls.submit++;
                callback(null, new gateway.SubmitResponse());
            },
            commitStatus: (_call: unknown, callback: grpc.sendUnaryData<gateway.CommitStatusResponse>) => {
                this.calls.commitStatus++;
                const status = new gateway.CommitStatusResponse();
                status.setResult(this.behaviour.commitCode as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
                status.setBlockNumber(this.behaviour.blockNumber);
                callback(null, status);
            },
            chaincodeEvents: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
        };
    }
}

/** A self-signed TLS certificate for the stub peer, named HOST_ALIAS (reached through the backend's host alias setting). */
async function tlsIdentity(): Promise<{ certificate: string; privateKey: string }> {
    const keys = (await subtle().generateKey(P256_ECDSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const now = new Date();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: `CN=${HOST_ALIAS}`,
        notBefore: new Date(now.getTime() - 3600_000),
        notAfter: new Date(now.getTime() + 86400_000),
        keys,
        signingAlgorithm: P256_ECDSA,
        extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: HOST_ALIAS }])],
    });
    return { certificate: certificate.toString('pem'), privateKey: await exportPkcs8Pem(keys.privateKey) };
}

describe('Fabric backend over gRPC (a stub of the peer gateway service, Fabric v3.1.5 wire format)', function () {
    this.timeout(30_000);
    const stub = new StubPeer();
    let server: grpc.Server;
    let directory: string;
    let endpoint: string;
    /** Added to the real time of the backend's clock (its gRPC deadlines come from it too). */
    let shift: number;
    const backends: LedgerBackend[] = [];
    const alice: LedgerUser = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };

    /** The certificates of the wallet's entries, by user name. */
    const certificates = new Map<string, string>();

    /** A wallet entry with a real enrolment certificate carrying `attrs`, as the Fabric CA issues them. */
    async function writeWalletEntry(username: string, attrs: Record<string, string>): Promise<void> {
        certificates.set(username, await writeFabricWalletEntry(path.join(directory, 'wallet'), path.join(directory, 'ca'), PASSPHRASE, { mspId: 'PlatformMSP', username, attrs }));
    }

    async function open(fabric: Partial<FabricConfig> = {}): Promise<LedgerBackend> {
        const backend = await connectFabricBackend({
            fabric: {
                channel: CHANNEL,
                chaincode: 'xinlian',
                caIdentityPrefix: 'gw-',
                gatewayMspId: 'PlatformMSP',
                orgs: [{ mspId: 'PlatformMSP', peerEndpoint: endpoint, peerHostAlias: HOST_ALIAS, tlsCaPath: path.join(directory, 'tls-ca.pem') }],
                evaluateTimeoutMs: 10_000,
                endorseTimeoutMs: 10_000,
                submitTimeoutMs: 10_000,
                commitStatusTimeoutMs: 10_000,
                ...fabric,
            },
            walletDirectory: path.join(directory, 'wallet'),
            walletPassphrase: PASSPHRASE,
            keyScrypt: { N: 1024, r: 8, p: 1 },
            clock: () => new Date().getTime() + shift,
        });
        backends.push(backend);
        return backend;
    }

    before(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'fabric-grpc-'));
        const tls = await tlsIdentity();
        writeFileSync(path.join(directory, 'tls-ca.pem'), tls.certificate);
        mkdirSync(path.join(directory, 'wallet', 'PlatformMSP'), { recursive: true });
        await writeWalletEntry('alice', { [ATTR_ROLE]: 'supplier', [ATTR_EID]: 'E1' });
        await writeWalletEntry(VERIFIER_USERNAME, { [ATTR_ROLE]: 'platform-admin', [ATTR_EID]: 'P' });
        server = new grpc.Server();
        server.addService(gateway.GatewayService, stub.service());
        const credentials = grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.privateKey), cert_chain: Buffer.from(tls.certificate) }], false);
        const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
        endpoint = `127.0.0.1:${port}`;
    });

    beforeEach(() => {
        stub.reset();
        shift = 0;
    });

    afterEach(async () => {
        await Promise.all(backends.splice(0).map((backend) => backend.close()));
    });

    after(() => {
        server.forceShutdown();
        rmSync(directory, { recursive: true, force: true });
    });

    describe('message size', () => {
        it('receives an evaluation result over gRPC\'s 4 MiB default (as the peers, up to 100 MiB)', async () => {
            const page = Buffer.from(JSON.stringify({ records: ['x'.repeat(5 * MiB)] }));
            stub.behaviour.evaluate = () => page;
            const backend = await open();
            const result = await backend.evaluate(alice, 'audit:ExportAuditPack', ['E1', '']);
            expect(result.length).to.equal(page.length);
            expect(stub.calls.evaluate[0]).to.deep.include({ chaincode: 'xinlian', args: ['audit:ExportAuditPack', 'E1', ''], mspId: 'PlatformMSP' });
        });

        it('answers a result over the configured limit as LEDGER_MESSAGE_TOO_LARGE (502) naming the sizes, not INTERNAL', async () => {
            stub.behaviour.evaluate = () => Buffer.alloc(3 * MiB, 'x');
            const backend = await open({ maxMessageBytes: 2 * MiB });
            const error = await backend.evaluate(alice, 'audit:ExportAuditPack', ['E1', '']).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError).and.include({ code: 'LEDGER_MESSAGE_TOO_LARGE', retryable: false });
            expect((error as AppError).status).to.equal(502);
            expect((error as AppError).message).to.match(/answer \(\d+ bytes\) is larger than the 2097152 bytes/);
        });
    });

    describe('an endorser a block behind', () => {
        const stale = (message: string): Failure => ({
            failure: {
                code: grpc.status.ABORTED,
                message: 'failed to collect enough transaction endorsements, see attached details for more info',
                details: [{ address: 'peer0.bank:7051', mspId: 'BankMSP', message }],
            },
        });

        it('is a retryable CONFLICT when a further endorser refused what the first endorsed, and the ledger client\'s retry then commits', async () => {
            stub.behaviour.endorse = (_call, attempt) => (attempt === 1 ? stale('chaincode response 500, [NOT_FOUND] note N1 does not exist') : Buffer.from('{"noteId":"N1"}'));
            const backend = await open();
            const first = await backend.submit(alice, 'note:TransferNote', ['N1']).catch((e: unknown) => e);
            expect(first).to.be.instanceOf(AppError).and.include({ code: 'CONFLICT', retryable: true, retryAfter: 1 });
            expect((first as AppError).txId).to.be.a('string');

            stub.reset();
            stub.behaviour.endorse = (_call, attempt) => (attempt === 1 ? stale('chaincode response 500, [INVALID_STATE] note N1 is not active') : Buffer.from('{"noteId":"N1"}'));
            const ledger = newLedgerClient(backend, { retry: { retries: 3, backoffMs: 1 }, sleep: async () => undefined });
            const written = await ledger.submit<{ noteId: string }>(alice, 'note:TransferNote', ['N1']);
            expect(written.result).to.deep.equal({ noteId: 'N1' });
            expect(stub.calls.endorse).to.have.length(2);
            expect(stub.calls.commitStatus).to.equal(1);
        });

        it('is a retryable CONFLICT when the endorsements differ (ProposalResponsePayloads do not match)', async () => {
            stub.behaviour.endorse = () => stale('ProposalResponsePayloads do not match');
            const backend = await open();
            const error = await backend.submit(alice, 'note:TransferNote', ['N1']).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError).and.include({ code: 'CONFLICT', retryable: true });
        });

        it('keeps the code of a refusal by the first endorser (the business answer) and is not retried', async () => {
            stub.behaviour.endorse = () => ({
                failure: {
                    code: grpc.status.ABORTED,
                    message: 'failed to endorse transaction, see attached details for more info',
                    details: [{ address: 'peer0.platform:7051', mspId: 'PlatformMSP', message: 'chaincode response 500, [NOT_FOUND] note N1 does not exist' }],
                },
            });
            const backend = await open();
            const ledger = newLedgerClient(backend, { retry: { retries: 3, backoffMs: 1 }, sleep: async () => undefined });
            const error = await ledger.submit(alice, 'note:TransferNote', ['N1']).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError).and.include({ code: 'NOT_FOUND', retryable: false, message: 'note N1 does not exist' });
            expect(stub.calls.endorse).to.have.length(1);
        });

        it('keeps LEDGER_UNAVAILABLE when the further endorsers could not run the chaincode at all', async () => {
            stub.behaviour.endorse = () => stale('error in simulation: could not launch chaincode xinlian_1.0:abc: connection refused');
            const backend = await open();
            const error = await backend.submit(alice, 'note:TransferNote', ['N1']).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError).and.include({ code: 'LEDGER_UNAVAILABLE', retryable: false });
        });
    });

    describe('commit failures', () => {
        it('names the validation code from fabric-protos (ENDORSEMENT_POLICY_FAILURE, not CODE_10) and keeps INTERNAL', async () => {
            stub.behaviour.commitCode = peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
            const backend = await open();
            const error = await backend.submit(alice, 'note:TransferNote', ['N1']).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError).and.include({ code: 'INTERNAL', retryable: false });
            expect((error as AppError).message).to.include('ENDORSEMENT_POLICY_FAILURE').and.not.include('CODE_10');
            expect((error as AppError).txId).to.be.a('string');
        });

        it('still decodes an MVCC read conflict at commit as a retryable CONFLICT', async () => {
            stub.behaviour.commitCode = peer.TxValidationCode.MVCC_READ_CONFLICT;
            const backend = await open();
            const error = await backend.submit(alice, 'note:TransferNote', ['N1']).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError).and.include({ code: 'CONFLICT', retryable: true });
        });
    });

    describe('status: the channel height', () => {
        it("reports the own peer's height from qscc GetChainInfo, read with the gateway's read identity", async () => {
            stub.behaviour.evaluate = (call) => (call.chaincode === 'qscc' ? blockchainInfo(42) : Buffer.from('{}'));
            const backend = await open();
            expect(await backend.status()).to.deep.equal({ backend: 'fabric', height: 42 });
            const asked = stub.calls.evaluate.filter((call) => call.chaincode === 'qscc');
            expect(asked).to.have.length(1);
            expect(asked[0]).to.deep.equal({ chaincode: 'qscc', args: ['GetChainInfo', CHANNEL], mspId: 'PlatformMSP', certificate: certificates.get(VERIFIER_USERNAME) });
        });

        it('keeps a height for a second, and never reports one below a block it has seen committed', async () => {
            let height = 42;
            stub.behaviour.evaluate = (call) => (call.chaincode === 'qscc' ? blockchainInfo(height) : Buffer.from('{}'));
            const backend = await open();
            expect((await backend.status()).height).to.equal(42);
            height = 43;
            shift += 500;
            expect((await backend.status()).height).to.equal(42);
            // A commit in block 60 (the stub's commit status): a checkpoint of it is on this ledger at once.
            stub.behaviour.blockNumber = 60;
            await backend.submit(alice, 'note:TransferNote', ['N1']);
            expect((await backend.status()).height).to.equal(61);
            shift += 1_000;
            expect((await backend.status()).height).to.equal(61);
            height = 70;
            shift += 1_000;
            expect((await backend.status()).height).to.equal(70);
            expect(stub.calls.evaluate.filter((call) => call.chaincode === 'qscc')).to.have.length(3);
        });

        it('leaves the height out when it cannot be read, and is still ready', async () => {
            stub.behaviour.evaluate = (call) =>
                call.chaincode === 'qscc' ? { failure: { code: grpc.status.UNKNOWN, message: 'evaluate call to endorser returned error: access denied', details: [] } } : Buffer.from('{}');
            const backend = await open();
            expect(await backend.status()).to.deep.equal({ backend: 'fabric' });
        });
    });

    it('decodes a real encoded common.BlockchainInfo, and refuses bytes that are not one', () => {
        expect(chainHeightOf(blockchainInfo(1_234_567))).to.equal(1_234_567);
        expect(chainHeightOf(new common.BlockchainInfo().serializeBinary())).to.equal(0);
        expect(() => chainHeightOf(Buffer.from([0xff, 0xff, 0xff]))).to.throw();
    });
});
