import * as path from 'path';
import { Wallet } from 'ethers';
import type { ScryptParameters } from '../config';
import { readJsonFile, removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';
import { newKeyedLock } from '../storage/keyed-lock';
import { SealedKey, openKey, sealKey } from '../ledger/wallet-crypto';

/**
 * The credit bureaus' passport signing keys (secp256k1, EIP-712), held by the gateway and encrypted
 * at rest under the wallet passphrase: <directory>/<bureauId>.json {bureauId, keys: [{address, key,
 * createdAt}]}, oldest first. A rotated (revoked) key stays listed: its record is the gateway's
 * history of what it signed with. Whether a key is usable is the ledger's to say, not this store's.
 */
export interface BureauKeyStore {
    /** The addresses of the bureau's gateway-held keys, oldest first (empty when it has none). Throws on I/O or a bad bureau id. */
    addresses(bureauId: string): Promise<string[]>;
    /** Creates a new signing key for the bureau, kept after its earlier ones; returns its address. Throws on I/O or a bad bureau id. */
    createKey(bureauId: string): Promise<string>;
    /** The wallet of one of the bureau's keys, or undefined when the gateway holds no such key. Throws KeyVaultError on a wrong passphrase. */
    signer(bureauId: string, address: string): Promise<Wallet | undefined>;
}

interface StoredKey {
    readonly address: string;
    readonly key: SealedKey;
    /** Absent in files written before rotation existed. */
    readonly createdAt?: string;
}

interface StoredBureauKeys {
    readonly bureauId: string;
    readonly keys: readonly StoredKey[];
}

/** The file of a gateway that held one key per bureau: {bureauId, address, key}. */
interface LegacyStoredBureauKey {
    readonly bureauId: string;
    readonly address: string;
    readonly key: SealedKey;
}

const ID = /^[A-Z0-9]{18,20}$/;
/** A bureau's file: `<bureauId>.json`. */
const BUREAU_FILE = /^[A-Z0-9]{18,20}\.json$/;

/** Options of openBureauKeyStore. */
export interface BureauKeyStoreOptions {
    /** The time a key is created at (default: the system clock). */
    readonly clock?: () => Date;
    /** Told of a temporary file of a bureau's file, left by a stopped gateway, that could not be judged or deleted. */
    readonly onCleanupError?: (error: unknown) => void;
}

function keysOf(stored: StoredBureauKeys | LegacyStoredBureauKey | undefined): readonly StoredKey[] {
    if (!stored) {
        return [];
    }
    if ('keys' in stored) {
        return stored.keys;
    }
    return [{ address: stored.address, key: stored.key }];
}

/**
 * Opens the store in `directory`, deleting the temporary files of bureaus' files that a stopped gateway left
 * behind mid-write (removeStaleTemporaryFiles); every call waits for that first.
 */
export function openBureauKeyStore(directory: string, passphrase: string, cost: ScryptParameters, options: BureauKeyStoreOptions = {}): BureauKeyStore {
    const clock = options.clock ?? ((): Date => new Date());
    // Done before the first write: a temporary file named with this process's pid is then an earlier process's.
    const opened = removeStaleTemporaryFiles(directory, { owns: (written) => BUREAU_FILE.test(written), onError: options.onCleanupError });
    // Decrypted wallets by address (scrypt is slow); a failed opening is forgotten so it can be retried.
    const wallets = new Map<string, Promise<Wallet>>();
    // Reading a bureau's file, adding a key and writing it back is one step per bureau.
    const writes = newKeyedLock();
    const fileOf = (bureauId: string): string => {
        if (!ID.test(bureauId)) {
            throw new Error(`invalid bureau id ${bureauId}`);
        }
        return path.join(directory, `${bureauId}.json`);
    };
    const read = async (bureauId: string): Promise<readonly StoredKey[]> => {
        const file = fileOf(bureauId);
        await opened;
        return keysOf(await readJsonFile<StoredBureauKeys | LegacyStoredBureauKey>(file));
    };
    const open = (stored: StoredKey): Promise<Wallet> => {
        let opening = wallets.get(stored.address);
        if (!opening) {
            opening = openKey(stored.key, passphrase).then((privateKey) => new Wallet(privateKey));
            wallets.set(stored.address, opening);
            opening.catch(() => wallets.delete(stored.address));
        }
        return opening;
    };
    return {
        addresses: async (bureauId) => (await read(bureauId)).map((k) => k.address),
        createKey: (bureauId) =>
            writes.run(bureauId, async () => {
                const earlier = await read(bureauId);
                const wallet = Wallet.createRandom();
                const created: StoredKey = { address: wallet.address, key: await sealKey(wallet.privateKey, passphrase, cost), createdAt: clock().toISOString() };
                const stored: StoredBureauKeys = { bureauId, keys: [...earlier, created] };
                await writeFileAtomic(fileOf(bureauId), JSON.stringify(stored, null, 2));
                wallets.set(wallet.address, Promise.resolve(new Wallet(wallet.privateKey)));
                return wallet.address;
            }),
        async signer(bureauId, address) {
            if (!ID.test(bureauId)) {
                return undefined;
            }
            const stored = (await read(bureauId)).find((k) => k.address.toLowerCase() === address.toLowerCase());
            return stored ? open(stored) : undefined;
        },
    };
}
