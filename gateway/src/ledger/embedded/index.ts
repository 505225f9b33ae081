/**
 * Public entry of the embedded ledger: a single-process, Fabric-like ledger that runs the real
 * contract classes through fabric-contract-api's dispatcher on a durable LevelDB store.
 */
export { openEmbeddedLedger } from './engine';
export type { EmbeddedLedger, EmbeddedLedgerOptions, InvokeOptions, SubmitResult, TransactionStatus } from './engine';
export type { Identity, Signer } from './creator';
export type { ContractClass } from './dispatcher';
export { CommitError, EndorseError, LedgerError } from './errors';
export type { ValidationCode } from './validator';
export type { Checkpoint, EventStream, EventStreamOptions, LedgerEvent } from './event-hub';
export { openFileCheckpointer } from './file-checkpointer';
export type { FileCheckpointer } from './file-checkpointer';
export type { Block, BlockHeader, CreatorRecord, TransactionRecord } from './block';
export type { ChainVerification } from './verify-chain';
export { verifyLedgerDirectory } from './verify-ledger-directory';
export { CryptoWorker } from './crypto-worker';
export { openLocalCa, ENROLLMENT_NAME, FABRIC_ATTR_OID } from './local-ca';
export type { EnrolledIdentity, LocalCa, LocalCaOptions } from './local-ca';
export { KeyVaultError, sealKey, openKey } from './key-vault';
export type { SealedKey, ScryptCost } from './key-vault';
