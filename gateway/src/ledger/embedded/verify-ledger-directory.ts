import { existsSync } from 'fs';
import { openDatabase } from './database';
import { LedgerError } from './errors';
import { ChainVerification, verifyChain } from './verify-chain';

/** Verifies the block chain of the (closed) ledger in `directory`. Throws LedgerError when it cannot be opened. */
export async function verifyLedgerDirectory(directory: string): Promise<ChainVerification> {
    if (!existsSync(directory)) {
        throw new LedgerError(`no ledger in ${directory}`);
    }
    let db;
    try {
        db = await openDatabase(directory);
    } catch (error) {
        throw new LedgerError(`cannot open the ledger in ${directory} (is it in use?)`, { cause: error });
    }
    try {
        return await verifyChain(db);
    } finally {
        await db.close();
    }
}
