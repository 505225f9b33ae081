import * as path from 'path';
import { Wallet } from 'ethers';
import type { ScryptParameters } from '../config';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';
import { SealedKey, openKey, sealKey } from '../ledger/wallet-crypto';

/**
 * The credit bureaus' passport signing keys (secp256k1, EIP-712), held by the gateway and encrypted
 * at rest under the wallet passphrase: <directory>/<bureauId>.json {bureauId, address, key}.
 */
export interface BureauKeyStore {
    /** Generates (or returns the existing) signing key of a bureau; returns its address. */
    ensureKey(bureauId: string): Promise<string>;
    /** The bureau's signing wallet, or undefined when it has no key here. */
    signer(bureauId: string): Promise<Wallet | undefined>;
}

interface StoredBureauKey {
    readonly bureauId: string;
    readonly address: string;
    readonly key: SealedKey;
}

const ID = /^[A-Z0-9]{18,20}$/;

export function openBureauKeyStore(directory: string, passphrase: string, cost: ScryptParameters): BureauKeyStore {
    const wallets = new Map<string, Promise<Wallet | undefined>>();
    const fileOf = (bureauId: string): string => {
        if (!ID.test(bureauId)) {
            throw new Error(`invalid bureau id ${bureauId}`);
        }
        return path.join(directory, `${bureauId}.json`);
    };
    const load = (bureauId: string): Promise<Wallet | undefined> => {
        let loading = wallets.get(bureauId);
        if (!loading) {
            loading = (async () => {
                const stored = await readJsonFile<StoredBureauKey>(fileOf(bureauId));
                return stored ? new Wallet(await openKey(stored.key, passphrase)) : undefined;
            })();
            wallets.set(bureauId, loading);
            loading.catch(() => wallets.delete(bureauId));
        }
        return loading;
    };
    return {
        async ensureKey(bureauId) {
            const existing = await load(bureauId);
            if (existing) {
                return existing.address;
            }
            const wallet = Wallet.createRandom();
            const stored: StoredBureauKey = { bureauId, address: wallet.address, key: await sealKey(wallet.privateKey, passphrase, cost) };
            await writeFileAtomic(fileOf(bureauId), JSON.stringify(stored, null, 2));
            wallets.set(bureauId, Promise.resolve(new Wallet(wallet.privateKey)));
            return wallet.address;
        },
        signer: (bureauId) => (ID.test(bureauId) ? load(bureauId) : Promise.resolve(undefined)),
    };
}
