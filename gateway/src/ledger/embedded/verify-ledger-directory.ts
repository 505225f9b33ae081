import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { ClassicLevel } from 'classic-level';
import type { Database } from './database';
import { LedgerError } from './errors';
import { ChainVerification, verifyChain } from './verify-chain';

/** A chain verification, with the ledger directory it verified. */
export type LedgerDirectoryVerification = ChainVerification & { readonly directory: string };

/** Whether `directory` holds a LevelDB database (LevelDB's CURRENT file names its manifest). */
function holdsDatabase(directory: string): boolean {
    try {
        return statSync(path.join(directory, 'CURRENT')).isFile();
    } catch {
        return false;
    }
}

/**
 * The ledger directory `directory` names: itself when it holds the ledger's database, or the ledger of
 * the gateway data directory it is (`<data dir>/embedded/ledger`). Throws LedgerError when it is neither.
 */
export function ledgerDirectoryOf(directory: string): string {
    if (!existsSync(directory)) {
        throw new LedgerError(`no ledger in ${directory}`);
    }
    if (holdsDatabase(directory)) {
        return directory;
    }
    const ofDataDirectory = path.join(directory, 'embedded', 'ledger');
    if (holdsDatabase(ofDataDirectory)) {
        return ofDataDirectory;
    }
    throw new LedgerError(`no ledger in ${directory}: it is neither a ledger directory (one holding a LevelDB CURRENT file) nor a gateway data directory with one in embedded/ledger`);
}

/**
 * Verifies the block chain of the (closed) ledger in `directory`, a ledger directory or a gateway data
 * directory. Never creates a database. Throws LedgerError when there is none or it cannot be opened.
 */
export async function verifyLedgerDirectory(directory: string): Promise<LedgerDirectoryVerification> {
    const ledgerDirectory = ledgerDirectoryOf(directory);
    let db: Database;
    try {
        db = new ClassicLevel<Buffer, Buffer>(ledgerDirectory, { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false });
        await db.open();
    } catch (error) {
        throw new LedgerError(`cannot open the ledger in ${ledgerDirectory} (is it in use?)`, { cause: error });
    }
    try {
        return { ...(await verifyChain(db)), directory: ledgerDirectory };
    } finally {
        await db.close();
    }
}
