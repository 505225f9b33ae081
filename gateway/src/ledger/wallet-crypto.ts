/** Encryption of private keys at rest (scrypt + AES-256-GCM), shared by the wallets and the bureau key store. */
export { sealKey, openKey, KeyVaultError } from './embedded';
export type { SealedKey, ScryptCost } from './embedded';
