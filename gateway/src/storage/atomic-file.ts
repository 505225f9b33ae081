import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as path from 'path';

/** Numbers the writes of this process, so no two of them share a temporary file. */
let writes = 0;

/** A temporary file name next to `file` that no other write uses, in this process or another. */
function temporaryName(file: string): string {
    // pid + counter is unique within a host; the random part covers pids reused across hosts or containers sharing a directory.
    return `${file}.${process.pid}.${(writes++).toString(36)}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Writes a file atomically and durably: a temporary file of its own, fsync, rename. Private (0600)
 * by default. Concurrent writes of one path all succeed and the last rename wins, so the file always
 * holds one written content whole. On failure the temporary file is removed. Throws the I/O error.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o600): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = temporaryName(file);
    let handle: FileHandle | undefined;
    try {
        // 'wx': never open (and clobber) a file that already exists under this name.
        handle = await fs.open(temporary, 'wx', mode);
        await handle.writeFile(content);
        await handle.sync();
        const closing = handle;
        handle = undefined;
        await closing.close();
        await fs.rename(temporary, file);
    } catch (error) {
        await handle?.close().catch(() => undefined);
        await fs.rm(temporary, { force: true }).catch(() => undefined);
        throw error;
    }
}

/** Reads a JSON file; undefined when it does not exist. */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
    try {
        return JSON.parse(await fs.readFile(file, 'utf8')) as T;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw error;
    }
}
