import { randomUUID } from 'crypto';
import { ATTR_EID, ATTR_ROLE, MSP, contracts } from '@xinlian/chaincode';
import { CA_INIT_USERNAME } from '../auth/reserved-names';
import { AppError } from '../errors';
import { ConfigError } from '../config';
import { CommitError, CryptoWorker, EmbeddedLedger, EndorseError, EnrolledIdentity, ENROLLMENT_NAME, KeyVaultError, LedgerError, LocalCa, ScryptCost, openEmbeddedLedger, openLocalCa } from './embedded';
import { actsAs, certificateAttributes } from './fabric-certificate';
import type { ChaincodeEventView, EnrollOptions, EventPosition, EventSubscription, InvokeOptions, LedgerBackend, LedgerStatus, LedgerUser, Submission, SubmissionOutcome, SubmitOutcome } from './ledger-backend';
import { fromChaincodeMessage, fromCommitCode } from './ledger-errors';

/** Options of openEmbeddedBackend. */
export interface EmbeddedBackendOptions {
    /** The block store and world state. */
    readonly ledger: string;
    /** The local CA and its users' identities. */
    readonly wallet: string;
    /** Encrypts every private key in the wallet. */
    readonly walletPassphrase: string;
    readonly keyScrypt?: ScryptCost;
    /** Sync each block to disk (default true; tests may turn it off). */
    readonly sync?: boolean;
    /** The time the ledger stamps transactions with (default: the real time). */
    readonly clock?: () => Date;
    /** Told of a temporary file of the wallet, left by a stopped gateway, that could not be judged or deleted (default: nobody). */
    readonly onCleanupError?: (error: unknown) => void;
}

const MSPS: readonly string[] = [MSP.platform, MSP.bank, MSP.partner];
/** A placeholder enrollment that makes the local CA of an MSP exist before the ledger trusts it (a reserved user name). */
const CA_INIT_USER = CA_INIT_USERNAME;

function parsePayload(payload: Buffer): unknown {
    try {
        return JSON.parse(payload.toString('utf8'));
    } catch {
        return undefined;
    }
}

/** Decodes an embedded-ledger failure into an AppError. */
export function decodeEmbeddedError(error: unknown): AppError {
    if (error instanceof AppError) {
        return error;
    }
    if (error instanceof EndorseError) {
        return fromChaincodeMessage(error.message, error.txId, error);
    }
    if (error instanceof CommitError) {
        return fromCommitCode(error.code, error.txId, error);
    }
    if (error instanceof LedgerError) {
        return new AppError('LEDGER_UNAVAILABLE', 'the ledger is unavailable', { cause: error });
    }
    return new AppError('INTERNAL', 'the ledger failed unexpectedly', { cause: error });
}

class EmbeddedBackend implements LedgerBackend {
    readonly kind = 'embedded' as const;
    private readonly identities = new Map<string, Promise<EnrolledIdentity | undefined>>();
    private readonly signing = new CryptoWorker();
    /** This opening of the ledger: transactions ordered in another session and not committed are lost. */
    private readonly session = randomUUID();

    constructor(
        private readonly ledger: EmbeddedLedger,
        private readonly ca: LocalCa,
    ) {}

    private identityKey(user: LedgerUser): string {
        return `${user.mspId}/${user.username}`;
    }

    private async identity(user: LedgerUser): Promise<EnrolledIdentity> {
        const key = this.identityKey(user);
        let loading = this.identities.get(key);
        if (!loading) {
            // Each request is signed with the user's own key, on the signing thread rather than the event loop.
            loading = this.ca.loadIdentity(user.mspId, user.username).then((loaded) => loaded && { ...loaded, signer: (message: Uint8Array) => this.signing.sign(loaded.privateKey, message) });
            this.identities.set(key, loading);
            loading.catch(() => this.identities.delete(key));
        }
        const identity = await loading;
        if (!identity) {
            this.identities.delete(key);
            throw new AppError('UNAUTHENTICATED', `no enrolled identity for ${user.username}`);
        }
        // The wallet entry must still be the user's: role and enterprise travel in the certificate.
        if (!actsAs(identity.attrs, user)) {
            throw new AppError('UNAUTHENTICATED', `the enrolled identity of ${user.username} does not match the user`);
        }
        return identity;
    }

    /**
     * Issues the user's certificate and stores it with its sealed key. An identity the wallet holds under
     * the name for another role or enterprise is kept unless `options.replace` (LedgerBackend.enroll).
     * Throws INVALID_ARGUMENT (unknown MSP, bad name), ALREADY_EXISTS (another identity has the name),
     * INTERNAL (the wallet failed).
     */
    async enroll(user: LedgerUser, options: EnrollOptions = {}): Promise<void> {
        // Only these are the caller's errors (the local CA's own name rule, checked first). Anything else is the wallet failing (I/O, crypto): a 500 whose message names no file.
        if (!MSPS.includes(user.mspId)) {
            throw new AppError('INVALID_ARGUMENT', `cannot enroll ${user.username}: the embedded ledger has no organisation ${user.mspId}`);
        }
        if (!ENROLLMENT_NAME.test(user.username)) {
            throw new AppError('INVALID_ARGUMENT', `cannot enroll ${JSON.stringify(user.username)}: not a valid identity name`);
        }
        let existing: EnrolledIdentity | undefined;
        try {
            existing = options.replace ? undefined : await this.ca.loadIdentity(user.mspId, user.username);
        } catch (error) {
            throw new AppError('INTERNAL', `reading the identity of ${user.username} in the embedded wallet failed`, { cause: error });
        }
        if (existing && !actsAs(existing.attrs, user)) {
            // Another identity of that name (a user of another role or enterprise, or the gateway's own): replacing it would take it from its holder.
            throw new AppError('ALREADY_EXISTS', `the wallet of ${user.mspId} already holds an identity named ${user.username} for another role or enterprise; it is not replaced`);
        }
        try {
            await this.ca.enroll(user.mspId, user.username, { [ATTR_ROLE]: user.role, [ATTR_EID]: user.enterpriseId });
        } catch (error) {
            throw new AppError('INTERNAL', `enrolling ${user.username} in the embedded wallet failed`, { cause: error });
        }
        this.identities.delete(this.identityKey(user));
    }

    async hasIdentity(user: LedgerUser): Promise<boolean> {
        try {
            await this.identity(user);
            return true;
        } catch {
            return false;
        }
    }

    async identityAttributes(user: LedgerUser): Promise<Readonly<Record<string, string>> | undefined> {
        try {
            const certificate = await this.ca.loadCertificate(user.mspId, user.username);
            return certificate === undefined ? undefined : certificateAttributes(certificate);
        } catch (error) {
            throw new AppError('INTERNAL', `reading the certificate of ${user.username} in the embedded wallet failed`, { cause: error });
        }
    }

    async submit(user: LedgerUser, fn: string, args: readonly string[], options: InvokeOptions = {}): Promise<SubmitOutcome> {
        const identity = await this.identity(user);
        try {
            const onSubmitting = options.onSubmitting;
            const result = await this.ledger.submit(identity, fn, args, {
                transient: options.transient,
                ...(onSubmitting ? { beforeOrdering: (txId: string) => onSubmitting({ txId, session: this.session }) } : {}),
            });
            return { payload: result.result, txId: result.txId, blockNumber: result.blockNumber };
        } catch (error) {
            throw decodeEmbeddedError(error);
        }
    }

    async submissionOutcome(_reader: LedgerUser, submission: Submission): Promise<SubmissionOutcome> {
        try {
            const status = await this.ledger.getTransactionStatus(submission.txId);
            if (status?.validationCode === 'VALID') {
                const block = await this.ledger.readBlock(status.blockNumber);
                const transaction = block.data.transactions[status.txIndex];
                return transaction?.txId === submission.txId ? { state: 'committed', valid: true, result: Buffer.from(transaction.result, 'base64') } : { state: 'committed', valid: true };
            }
            if (status) {
                return { state: 'committed', valid: false };
            }
            // Ordered transactions live only in this process until they commit.
            return submission.session === this.session ? { state: 'unknown' } : { state: 'lost' };
        } catch {
            return { state: 'unknown' };
        }
    }

    async evaluate(user: LedgerUser, fn: string, args: readonly string[], options: InvokeOptions = {}): Promise<Buffer> {
        const identity = await this.identity(user);
        try {
            return await this.ledger.evaluate(identity, fn, args, { transient: options.transient });
        } catch (error) {
            throw decodeEmbeddedError(error);
        }
    }

    events(_user: LedgerUser, after?: EventPosition): EventSubscription {
        const stream = this.ledger.events(after ? { after: { block: after.block, txIndex: after.index } } : {});
        return {
            close: () => stream.close(),
            async *[Symbol.asyncIterator](): AsyncIterator<ChaincodeEventView> {
                for await (const event of stream) {
                    yield {
                        name: event.name,
                        payload: parsePayload(event.payload),
                        txId: event.txId,
                        position: { block: event.checkpoint.block, index: event.checkpoint.txIndex },
                    };
                }
            },
        };
    }

    async status(): Promise<LedgerStatus> {
        try {
            const height = this.ledger.height();
            await this.ledger.readBlock(height - 1);
            return { backend: 'embedded', height };
        } catch (error) {
            throw decodeEmbeddedError(error);
        }
    }

    async close(): Promise<void> {
        await this.ledger.close();
        await this.signing.close();
    }
}

/**
 * Checks that the wallet's keys open with this start's passphrase, by opening the key of each existing
 * organisation's first identity (the CA's own user), before anything is written. Throws ConfigError
 * naming GATEWAY_WALLET_PASSPHRASE when they do not: the keys were sealed under another one (it was set,
 * changed or unset after the data directory was made).
 */
async function checkWalletPassphrase(ca: LocalCa, mspIds: readonly string[], wallet: string): Promise<void> {
    for (const mspId of mspIds) {
        try {
            await ca.loadIdentity(mspId, CA_INIT_USER);
        } catch (error) {
            if (error instanceof KeyVaultError) {
                throw new ConfigError(
                    `GATEWAY_WALLET_PASSPHRASE does not open the keys in ${wallet}: they were sealed under another passphrase when this data directory was made ` +
                        '(unset means the public development passphrase). Start with the passphrase the directory was made with, or with a new GATEWAY_DATA_DIR',
                );
            }
            throw error;
        }
    }
}

/** Opens the embedded ledger over the real contracts, with a local CA per MSP as the wallet. */
export async function openEmbeddedBackend(options: EmbeddedBackendOptions): Promise<LedgerBackend> {
    const ca = openLocalCa({ directory: options.wallet, passphrase: options.walletPassphrase, scryptCost: options.keyScrypt, onCleanupError: options.onCleanupError });
    let roots = await ca.trustedRoots();
    await checkWalletPassphrase(ca, MSPS.filter((mspId) => roots[mspId]), options.wallet);
    await Promise.all(MSPS.filter((mspId) => !roots[mspId]).map((mspId) => ca.enroll(mspId, CA_INIT_USER)));
    roots = await ca.trustedRoots();
    const ledger = await openEmbeddedLedger({
        directory: options.ledger,
        contracts,
        channelId: 'xinlian',
        chaincodeName: 'xinlian',
        trustedRoots: roots,
        requireSignatures: true,
        sync: options.sync ?? true,
        ...(options.clock ? { clock: options.clock } : {}),
    });
    return new EmbeddedBackend(ledger, ca);
}
