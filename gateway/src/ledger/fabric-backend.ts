import { KeyObject, createPrivateKey, randomUUID } from 'crypto';
import { promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import {
    ChaincodeEvent,
    CommitError as FabricCommitError,
    CommitStatusError,
    Gateway,
    GatewayError,
    connect,
    hash,
    signers,
} from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
import { DEFAULT_FABRIC_MAX_MESSAGE_BYTES, FabricConfig, FabricOrgConfig, ScryptParameters } from '../config';
import { REGISTRAR_WALLET_PREFIX, VERIFIER_USERNAME } from '../auth/reserved-names';
import { AppError } from '../errors';
import { readJsonFile, removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';
import { enroll as caEnroll, register as caRegister } from './fabric-ca-client';
import { actsAs, certificateAttributes, describeIdentityAttributes } from './fabric-certificate';
import { committedOutcome } from './fabric-commit-lookup';
import type { ChaincodeEventView, EnrollOptions, EventPosition, EventSubscription, InvokeOptions, LedgerBackend, LedgerStatus, LedgerUser, Submission, SubmissionOutcome, SubmitOutcome } from './ledger-backend';
import { IdentityNotTrustedError, describePeerDetails, fromCommitCode, fromPeerFailure, fromTransportCode } from './ledger-errors';
import { KeyVaultError, SealedKey, openKey as openSealedKey, sealKey } from './wallet-crypto';

/**
 * The Fabric backend: @hyperledger/fabric-gateway over gRPC with TLS to each organisation's peer.
 * Every request is endorsed and signed with the calling user's own identity, loaded from an
 * encrypted wallet (one file per user: certificate + sealed private key). Users are registered and
 * enrolled with their org's Fabric CA with the ecert attributes xl.role / xl.eid.
 */

export interface FabricBackendOptions {
    readonly fabric: FabricConfig;
    readonly walletDirectory: string;
    readonly walletPassphrase: string;
    readonly keyScrypt: ScryptParameters;
    readonly clock?: () => number;
    /** Told of a temporary file of the wallet, left by a stopped gateway, that could not be judged or deleted (default: nobody). */
    readonly onCleanupError?: (error: unknown) => void;
}

interface WalletEntry {
    readonly mspId: string;
    readonly username: string;
    readonly attrs: Record<string, string>;
    readonly certificate: string;
    readonly key: SealedKey;
}

interface LoadedIdentity {
    readonly entry: WalletEntry;
    /** The Fabric CA attributes of the entry's certificate: what the chaincode reads, whatever the entry's `attrs` say. */
    readonly certified: Readonly<Record<string, string>>;
    readonly privateKey: KeyObject;
    readonly gateway: Gateway;
    /** Signs a digest with the identity's key, as the gateway's own signer does. */
    readonly sign: (digest: Uint8Array) => Promise<Uint8Array>;
}

/** The names of fabric-protos' TxValidationCode by number (MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ...). */
const VALIDATION_CODE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]));

/** A transaction validation code's name in fabric-protos' TxValidationCode; `CODE_<n>` for a number it does not know. */
export function validationCodeName(code: number): string {
    return VALIDATION_CODE_NAMES.get(code) ?? `CODE_${code}`;
}

/** The block height in qscc GetChainInfo's answer (a common.BlockchainInfo). Throws on bytes that are not one. */
export function chainHeightOf(bytes: Uint8Array): number {
    const height = common.BlockchainInfo.deserializeBinary(bytes).getHeight();
    if (!Number.isSafeInteger(height) || height < 0) {
        throw new Error(`GetChainInfo answered a height of ${String(height)}`);
    }
    return height;
}

/** How long a channel height read from the peer serves status() before it is read again. */
const HEIGHT_TTL_MS = 1_000;

/**
 * A fabric-gateway error with the peers' reasons in its message, as the cause of the decoded AppError:
 * the log then shows why the peers failed (pino prints the causes' messages), not only
 * "10 ABORTED: failed to endorse transaction, see attached details for more info".
 */
export class FabricFailure extends Error {
    override readonly name = 'FabricFailure';
    constructor(error: GatewayError) {
        super(error.details.length > 0 ? `${error.message}; peers: ${describePeerDetails(error.details)}` : error.message, { cause: error });
    }
}

/** Decodes a fabric-gateway failure into an AppError (the chaincode's `[CODE] message` via decodeError). */
export function decodeFabricError(error: unknown): AppError {
    if (error instanceof AppError) {
        return error;
    }
    if (error instanceof FabricCommitError) {
        return fromCommitCode(validationCodeName(error.code), error.transactionId, error);
    }
    if (error instanceof CommitStatusError) {
        return fromTransportCode(error.code, error.transactionId, new FabricFailure(error));
    }
    if (error instanceof GatewayError) {
        // EndorseError, SubmitError and an evaluation's GatewayError: the peers' reasons decide.
        const txId = (error as { transactionId?: string }).transactionId;
        return fromPeerFailure(error.code, error.message, error.details, txId, new FabricFailure(error));
    }
    return new AppError('INTERNAL', 'the ledger failed unexpectedly', { cause: error });
}

/**
 * Opens a sealed key of the wallet; a wrong passphrase says which settings disagree (typically a data folder
 * kept from another network, or another GATEWAY_WALLET_PASSPHRASE).
 */
async function openKey(key: SealedKey, passphrase: string): Promise<string> {
    try {
        return await openSealedKey(key, passphrase);
    } catch (error) {
        if (error instanceof KeyVaultError) {
            throw new AppError(
                'INTERNAL',
                'the Fabric wallet in GATEWAY_DATA_DIR cannot be opened with GATEWAY_WALLET_PASSPHRASE (another passphrase, or the data folder of another network?); start with an empty GATEWAY_DATA_DIR or the passphrase it was created with',
                { cause: error },
            );
        }
        throw error;
    }
}

/**
 * The gRPC connection to an org's peer. Its message limits are the peer's own (100 MiB by default) rather than
 * gRPC's 4 MiB receive default, so a large answer (an audit pack page, a long list) arrives whole; a message over
 * them fails as LEDGER_MESSAGE_TOO_LARGE.
 */
function newGrpcClient(org: FabricOrgConfig, maxMessageBytes: number = DEFAULT_FABRIC_MAX_MESSAGE_BYTES): grpc.Client {
    const credentials = grpc.credentials.createSsl(readFileSync(org.tlsCaPath));
    return new grpc.Client(org.peerEndpoint, credentials, {
        'grpc.max_receive_message_length': maxMessageBytes,
        'grpc.max_send_message_length': maxMessageBytes,
        ...(org.peerHostAlias ? { 'grpc.ssl_target_name_override': org.peerHostAlias } : {}),
    });
}

function parsePayload(payload: Uint8Array): unknown {
    try {
        return JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch {
        return undefined;
    }
}

class FabricBackend implements LedgerBackend {
    readonly kind = 'fabric' as const;
    private readonly clients = new Map<string, grpc.Client>();
    private readonly identities = new Map<string, Promise<LoadedIdentity>>();
    private readonly registrars = new Map<string, Promise<{ certificate: string; privateKey: KeyObject }>>();
    private readonly clock: () => number;
    private readonly session = randomUUID();
    /** The channel height last read from the own peer, and when (see height()). */
    private chainInfo: { height: number; at: number } | undefined;
    /** One past the highest block this backend has seen committed (its commits, the events it delivered). */
    private seenHeight = 0;

    constructor(private readonly options: FabricBackendOptions) {
        this.clock = options.clock ?? (() => new Date().getTime());
        for (const org of options.fabric.orgs) {
            this.clients.set(org.mspId, newGrpcClient(org, options.fabric.maxMessageBytes));
        }
    }

    private org(mspId: string): FabricOrgConfig {
        const org = this.options.fabric.orgs.find((o) => o.mspId === mspId);
        if (!org) {
            throw new AppError('INVALID_ARGUMENT', `no Fabric connection is configured for ${mspId}`);
        }
        return org;
    }

    private walletFile(mspId: string, username: string): string {
        return path.join(this.options.walletDirectory, mspId, `${username}.json`);
    }

    private deadline(ms: number): () => grpc.CallOptions {
        return () => ({ deadline: this.clock() + ms });
    }

    /** The wallet's identity `username` of `mspId`, loaded once and connected through the org's peer. */
    private loadIdentity(mspId: string, username: string): Promise<LoadedIdentity> {
        const key = `${mspId}/${username}`;
        let loading = this.identities.get(key);
        if (!loading) {
            loading = (async () => {
                const entry = await readJsonFile<WalletEntry>(this.walletFile(mspId, username));
                if (!entry) {
                    throw new AppError('UNAUTHENTICATED', `no enrolled identity for ${username}`);
                }
                const certified = this.certified(entry, this.walletFile(mspId, username));
                const privateKey = createPrivateKey(await openKey(entry.key, this.options.walletPassphrase));
                const client = this.clients.get(mspId);
                if (!client) {
                    throw new AppError('INVALID_ARGUMENT', `no Fabric connection is configured for ${mspId}`);
                }
                const fabric = this.options.fabric;
                const sign = signers.newPrivateKeySigner(privateKey);
                const gateway = connect({
                    client,
                    identity: { mspId: entry.mspId, credentials: Buffer.from(entry.certificate) },
                    signer: sign,
                    hash: hash.sha256,
                    evaluateOptions: this.deadline(fabric.evaluateTimeoutMs),
                    endorseOptions: this.deadline(fabric.endorseTimeoutMs),
                    submitOptions: this.deadline(fabric.submitTimeoutMs),
                    commitStatusOptions: this.deadline(fabric.commitStatusTimeoutMs),
                });
                return { entry, certified, privateKey, gateway, sign };
            })();
            this.identities.set(key, loading);
            loading.catch(() => this.identities.delete(key));
        }
        return loading;
    }

    /** The Fabric CA attributes of a wallet entry's certificate. Throws INTERNAL when it cannot be read. */
    private certified(entry: WalletEntry, file: string): Readonly<Record<string, string>> {
        try {
            return certificateAttributes(entry.certificate);
        } catch (error) {
            throw new AppError('INTERNAL', `the certificate in the wallet entry ${file} cannot be read`, { cause: error });
        }
    }

    /**
     * The wallet's identity of `user`, when it acts as the user: both the entry and its certificate (which the
     * chaincode reads) say the user's role and enterprise. Throws UNAUTHENTICATED, naming what it carries, when not.
     */
    private identity(user: LedgerUser): Promise<LoadedIdentity> {
        return this.loadIdentity(user.mspId, user.username).then((loaded) => {
            if (!actsAs(loaded.entry.attrs, user) || !actsAs(loaded.certified, user)) {
                const carried = actsAs(loaded.certified, user) ? `its wallet entry says ${describeIdentityAttributes(loaded.entry.attrs)}` : `the identity's certificate carries ${describeIdentityAttributes(loaded.certified)}`;
                throw new AppError('UNAUTHENTICATED', `the enrolled identity of ${user.username} does not match the user: it is ${user.role} of ${user.enterpriseId}, but ${carried}`);
            }
            return loaded;
        });
    }

    private contract(loaded: LoadedIdentity) {
        return loaded.gateway.getNetwork(this.options.fabric.channel).getContract(this.options.fabric.chaincode);
    }

    private caConnection(org: FabricOrgConfig): { url: string; tlsCaPath?: string; caName?: string } {
        if (!org.caUrl) {
            throw new AppError('INVALID_ARGUMENT', `no Fabric CA is configured for ${org.mspId}`);
        }
        return { url: org.caUrl, tlsCaPath: org.caTlsPath, caName: org.caName };
    }

    /** The org's CA registrar, enrolled once and kept in the wallet (one enrollment even when users enroll in parallel). */
    private registrar(org: FabricOrgConfig): Promise<{ certificate: string; privateKey: KeyObject }> {
        let loading = this.registrars.get(org.mspId);
        if (!loading) {
            loading = this.loadRegistrar(org);
            this.registrars.set(org.mspId, loading);
            loading.catch(() => this.registrars.delete(org.mspId));
        }
        return loading;
    }

    private async loadRegistrar(org: FabricOrgConfig): Promise<{ certificate: string; privateKey: KeyObject }> {
        if (!org.caUrl || !org.caRegistrar || !org.caRegistrarSecret) {
            throw new AppError('INVALID_ARGUMENT', `no Fabric CA registrar is configured for ${org.mspId}`);
        }
        const file = this.walletFile(org.mspId, `${REGISTRAR_WALLET_PREFIX}${org.caRegistrar}`);
        let entry = await readJsonFile<WalletEntry>(file);
        if (!entry) {
            const enrolled = await caEnroll(this.caConnection(org), org.caRegistrar, org.caRegistrarSecret);
            entry = { mspId: org.mspId, username: org.caRegistrar, attrs: {}, certificate: enrolled.certificate, key: await sealKey(enrolled.privateKeyPem, this.options.walletPassphrase, this.options.keyScrypt) };
            await writeFileAtomic(file, JSON.stringify(entry, null, 2));
        }
        return { certificate: entry.certificate, privateKey: createPrivateKey(await openKey(entry.key, this.options.walletPassphrase)) };
    }

    /**
     * Registers (or updates) `<prefix><username>` with the org's CA, enrolls it and stores the identity. An
     * identity the wallet holds under the name for another role or enterprise (a user's, or a registrar's
     * entry) is kept unless `options.replace` (LedgerBackend.enroll), and the CA is not asked.
     * Throws INVALID_ARGUMENT, ALREADY_EXISTS, LEDGER_UNAVAILABLE.
     */
    async enroll(user: LedgerUser, options: EnrollOptions = {}): Promise<void> {
        const org = this.org(user.mspId);
        const attrs = { [ATTR_ROLE]: user.role, [ATTR_EID]: user.enterpriseId };
        const existing = options.replace
            ? undefined
            : await readJsonFile<WalletEntry>(this.walletFile(user.mspId, user.username)).catch((error: unknown) => {
                  throw new AppError('INTERNAL', `reading the wallet entry of ${user.username} failed`, { cause: error });
              });
        const registrarEntry = user.username === `${REGISTRAR_WALLET_PREFIX}${org.caRegistrar ?? ''}`;
        if (registrarEntry || (existing && !actsAs(existing.attrs, user))) {
            // Another identity of that name: replacing it (and updating its CA registration) would take it from its holder.
            throw new AppError('ALREADY_EXISTS', `the wallet of ${user.mspId} already holds an identity named ${user.username} for another role or enterprise; it is not replaced`);
        }
        try {
            const connection = this.caConnection(org);
            // The CA knows the user as <prefix><username>: never one of the CA's own identities.
            const enrollmentId = `${this.options.fabric.caIdentityPrefix}${user.username}`;
            const secret = await caRegister(connection, await this.registrar(org), enrollmentId, attrs);
            const enrolled = await caEnroll(connection, enrollmentId, secret, [ATTR_ROLE, ATTR_EID]);
            const entry: WalletEntry = {
                mspId: user.mspId,
                username: user.username,
                attrs,
                certificate: enrolled.certificate,
                key: await sealKey(enrolled.privateKeyPem, this.options.walletPassphrase, this.options.keyScrypt),
            };
            await writeFileAtomic(this.walletFile(user.mspId, user.username), JSON.stringify(entry, null, 2));
        } catch (error) {
            throw error instanceof AppError ? error : new AppError('LEDGER_UNAVAILABLE', `enrolling ${user.username} with the Fabric CA failed`, { cause: error });
        }
        this.identities.delete(`${user.mspId}/${user.username}`);
    }

    /** Whether the wallet holds an identity that acts as `user`: its entry and its certificate carry the user's role and enterprise. */
    async hasIdentity(user: LedgerUser): Promise<boolean> {
        try {
            const entry = await readJsonFile<WalletEntry>(this.walletFile(user.mspId, user.username));
            return entry !== undefined && actsAs(entry.attrs, user) && actsAs(certificateAttributes(entry.certificate), user);
        } catch {
            return false;
        }
    }

    async identityAttributes(user: LedgerUser): Promise<Readonly<Record<string, string>> | undefined> {
        const file = this.walletFile(user.mspId, user.username);
        const entry = await readJsonFile<WalletEntry>(file).catch((error: unknown) => {
            throw new AppError('INTERNAL', `reading the wallet entry of ${user.username} failed`, { cause: error });
        });
        return entry && this.certified(entry, file);
    }

    async submit(user: LedgerUser, fn: string, args: readonly string[], options: InvokeOptions = {}): Promise<SubmitOutcome> {
        const loaded = await this.identity(user);
        let txId: string | undefined;
        try {
            const proposalOptions = {
                arguments: [...args],
                ...(options.transient ? { transientData: Object.fromEntries(Object.entries(options.transient).map(([k, v]) => [k, Buffer.from(v)])) } : {}),
            };
            const endorsed = await this.contract(loaded).newProposal(fn, proposalOptions).endorse();
            txId = endorsed.getTransactionId();
            // Signed before it is recorded, so the record holds the very transaction that is sent and a
            // repeat can send it again if this process stops before it reaches the orderer.
            const transaction = loaded.gateway.newSignedTransaction(endorsed.getBytes(), await loaded.sign(endorsed.getDigest()));
            await options.onSubmitting?.({ txId, session: this.session, transaction: Buffer.from(transaction.getBytes()).toString('base64') });
            const submitted = await transaction.submit();
            const status = await submitted.getStatus();
            this.sawBlock(Number(status.blockNumber));
            if (!status.successful) {
                throw new FabricCommitError({ code: status.code, transactionId: status.transactionId });
            }
            return { payload: Buffer.from(submitted.getResult()), txId, blockNumber: Number(status.blockNumber) };
        } catch (error) {
            const decoded = decodeFabricError(error);
            if (decoded.txId || !txId) {
                throw decoded;
            }
            throw decoded instanceof IdentityNotTrustedError
                ? new IdentityNotTrustedError(decoded.message, txId, decoded.cause)
                : new AppError(decoded.code, decoded.message, { txId, cause: decoded.cause, retryable: decoded.retryable, retryAfter: decoded.retryAfter });
        }
    }

    /**
     * Asks the peer's ledger (qscc GetTransactionByID) whether the transaction committed. When it has
     * not and the submission holds the signed transaction, that transaction is sent again and its
     * commit awaited, then the ledger is asked once more: the transaction may never have reached the
     * orderer (the gateway stopped, or timed out, in between), and a transaction id commits at most
     * once, so sending it again either commits it, or gets it invalidated (a read conflict, or a
     * duplicate of the first copy, which the ledger then reports), or fails and changes nothing.
     * Anything not settled that way is 'unknown': it may still commit later.
     */
    async submissionOutcome(reader: LedgerUser, submission: Submission): Promise<SubmissionOutcome> {
        try {
            const loaded = await this.identity(reader);
            const network = loaded.gateway.getNetwork(this.options.fabric.channel);
            const known = await committedOutcome(network, submission.txId);
            if (known.state !== 'unknown' || !submission.transaction) {
                return known;
            }
            // Sent as its creator signed it: the reader's identity only asks for the commit status.
            const transaction = loaded.gateway.newTransaction(Buffer.from(submission.transaction, 'base64'));
            if (transaction.getTransactionId() !== submission.txId) {
                return { state: 'unknown' };
            }
            await (await transaction.submit()).getStatus();
            return await committedOutcome(network, submission.txId);
        } catch {
            return { state: 'unknown' };
        }
    }

    async evaluate(user: LedgerUser, fn: string, args: readonly string[], options: InvokeOptions = {}): Promise<Buffer> {
        const loaded = await this.identity(user);
        try {
            const result = await this.contract(loaded).evaluate(fn, {
                arguments: [...args],
                ...(options.transient ? { transientData: Object.fromEntries(Object.entries(options.transient).map(([k, v]) => [k, Buffer.from(v)])) } : {}),
            });
            return Buffer.from(result);
        } catch (error) {
            throw decodeFabricError(error);
        }
    }

    /**
     * Chaincode events from the block of `after`, skipping the events at or before its index.
     * Positions are (block, ordinal of the event within the block), stable for a given ledger.
     * Events are read with the subscribing user's own identity.
     */
    events(user: LedgerUser, after?: EventPosition): EventSubscription {
        let closed = false;
        let source: { close(): void } | undefined;
        const identity = (): Promise<LoadedIdentity> => this.identity(user);
        const sawBlock = (block: number): void => this.sawBlock(block);
        const fabric = this.options.fabric;
        return {
            close() {
                closed = true;
                source?.close();
            },
            async *[Symbol.asyncIterator](): AsyncIterator<ChaincodeEventView> {
                const loaded = await identity();
                const network = loaded.gateway.getNetwork(fabric.channel);
                const events = await network.getChaincodeEvents(fabric.chaincode, { startBlock: BigInt(after?.block ?? 0) });
                source = events;
                if (closed) {
                    events.close();
                    return;
                }
                let block = -1;
                let ordinal = 0;
                try {
                    for await (const event of events as AsyncIterable<ChaincodeEvent>) {
                        const number = Number(event.blockNumber);
                        sawBlock(number);
                        ordinal = number === block ? ordinal + 1 : 0;
                        block = number;
                        if (after && (number < after.block || (number === after.block && ordinal <= after.index))) {
                            continue;
                        }
                        yield { name: event.eventName, payload: parsePayload(event.payload), txId: event.transactionId, position: { block: number, index: ordinal } };
                    }
                } catch (error) {
                    if (!closed) {
                        throw decodeFabricError(error);
                    }
                } finally {
                    events.close();
                }
            },
        };
    }

    /**
     * Ready when the gateway's own org's peer (GATEWAY_MSP_ID, else the first configured) accepts a
     * connection and the chaincode answers a read through it. Requests are endorsed through each user's own
     * org's peer and the endorsement policy does not need every org, so another org's peer being down leaves
     * the gateway degraded for that org's users (their requests answer 503), not unready; peers that are up
     * with the chaincode server down serve nothing, so that is unready. The height is the own peer's (see
     * height()), left out when it cannot be read.
     */
    async status(): Promise<LedgerStatus> {
        const own = this.options.fabric.orgs.find((o) => o.mspId === this.options.fabric.gatewayMspId) ?? this.options.fabric.orgs[0];
        const client = own && this.clients.get(own.mspId);
        if (!client) {
            return { backend: 'fabric' };
        }
        await new Promise<void>((resolve, reject) =>
            client.waitForReady(this.clock() + 3_000, (error) => (error ? reject(new AppError('LEDGER_UNAVAILABLE', `the peer of ${own.mspId} is unavailable`, { cause: error })) : resolve())),
        );
        await this.chaincodeAnswers(own.mspId);
        const height = await this.height(own.mspId);
        return height === undefined ? { backend: 'fabric' } : { backend: 'fabric', height };
    }

    private sawBlock(block: number): void {
        if (Number.isSafeInteger(block) && block >= this.seenHeight) {
            this.seenHeight = block + 1;
        }
    }

    /**
     * The channel's block height on the own org's peer (qscc GetChainInfo), read with the gateway's read identity
     * and kept for HEIGHT_TTL_MS; never below a block this backend has seen committed, so a checkpoint of an event
     * it just delivered is never taken for one the ledger has not reached. Undefined when it cannot be read (no
     * read identity enrolled yet, the peer refusing).
     */
    private async height(mspId: string): Promise<number | undefined> {
        const now = this.clock();
        if (!this.chainInfo || now - this.chainInfo.at >= HEIGHT_TTL_MS || now < this.chainInfo.at) {
            try {
                const loaded = await this.loadIdentity(mspId, VERIFIER_USERNAME);
                const bytes = await loaded.gateway.getNetwork(this.options.fabric.channel).getContract('qscc').evaluateTransaction('GetChainInfo', this.options.fabric.channel);
                this.chainInfo = { height: chainHeightOf(bytes), at: now };
            } catch {
                // No height rather than an old one: it may be below a block whose event a client has since received
                // (through another gateway), and the event stream would then start that client over.
                return undefined;
            }
        }
        return Math.max(this.chainInfo.height, this.seenHeight);
    }

    /**
     * One read through the own org's peer with an identity already in use (none before the first request:
     * then only the peer is checked). Any answer of the chaincode, a refusal included, means it runs.
     */
    private async chaincodeAnswers(mspId: string): Promise<void> {
        for (const loading of this.identities.values()) {
            const loaded = await loading.catch(() => undefined);
            if (!loaded || loaded.entry.mspId !== mspId) {
                continue;
            }
            const outcome = await this.contract(loaded)
                .evaluate('enterprise:ReadEnterprise', { arguments: [loaded.entry.attrs[ATTR_EID] ?? ''] })
                .then(
                    () => undefined,
                    (error: unknown) => decodeFabricError(error),
                );
            if (outcome && (outcome.code === 'LEDGER_UNAVAILABLE' || outcome.code === 'LEDGER_TIMEOUT' || outcome instanceof IdentityNotTrustedError)) {
                throw outcome;
            }
            return;
        }
    }

    async close(): Promise<void> {
        for (const loading of this.identities.values()) {
            await loading.then((loaded) => loaded.gateway.close()).catch(() => undefined);
        }
        for (const client of this.clients.values()) {
            client.close();
        }
    }
}

/**
 * Connects to the Fabric network described by `options.fabric` (no network I/O until first use), first
 * deleting the temporary files that a stopped gateway left mid-write in the wallet of each organisation.
 */
export async function connectFabricBackend(options: FabricBackendOptions): Promise<LedgerBackend> {
    await fs.mkdir(options.walletDirectory, { recursive: true, mode: 0o700 });
    // Before the first write: a temporary file named with this process's pid is then an earlier process's.
    for (const org of options.fabric.orgs) {
        await removeStaleTemporaryFiles(path.join(options.walletDirectory, org.mspId), { owns: (written) => written.endsWith('.json'), onError: options.onCleanupError });
    }
    return new FabricBackend(options);
}
