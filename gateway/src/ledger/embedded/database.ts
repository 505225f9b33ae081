import { ClassicLevel } from 'classic-level';

/** The one LevelDB database of an embedded ledger: binary keys and values. */
export type Database = ClassicLevel<Buffer, Buffer>;

/** A write of the atomic batch that commits one block. */
export type BatchOperation = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

/** Opens (creating if needed) the database in `directory`. Throws when another process holds it. */
export async function openDatabase(directory: string): Promise<Database> {
    const db = new ClassicLevel<Buffer, Buffer>(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    return db;
}
