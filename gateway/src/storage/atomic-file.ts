import { randomBytes } from 'crypto';
import { promises as fs, readFileSync } from 'fs';
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

/** What a corrupt file's message tells the operator to do, unless its reader knows better. */
export const RESTORE_FROM_BACKUP = 'restore it from a backup of the data directory';

/**
 * A file the gateway wrote that no longer reads as what it wrote (not JSON, or not a JSON object or
 * array): its message names the file, what is wrong and what to do. It reports a damaged data directory,
 * not a defect, so the start-up message shows it without a stack trace.
 */
export class CorruptFileError extends Error {
    override readonly name = 'CorruptFileError';

    constructor(
        readonly file: string,
        reason: string,
        remedy: string,
    ) {
        super(`the file ${file} is corrupt (${reason}): ${remedy}`);
    }
}

/** Options of readJsonFile. */
export interface ReadJsonOptions {
    /** What to do when the file is corrupt, for the error's message (default RESTORE_FROM_BACKUP). */
    readonly ifCorrupt?: string;
}

/** The JSON object or array in `text`, read from `file`. Throws CorruptFileError. */
function parseJson<T>(file: string, text: string, options: ReadJsonOptions): T {
    const remedy = options.ifCorrupt ?? RESTORE_FROM_BACKUP;
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        // V8's message may quote the text around the fault: the error names the file, and never quotes what it holds.
        const fault = (error as Error).message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '').replace(/\s+/g, ' ');
        throw new CorruptFileError(file, text.trim() === '' ? 'it is empty' : `not valid JSON: ${fault}`, remedy);
    }
    // Every JSON file of the data directory holds an object or an array.
    if (typeof value !== 'object' || value === null) {
        throw new CorruptFileError(file, `it holds ${value === null ? 'null' : `a ${typeof value}`}, not a JSON object or array`, remedy);
    }
    return value as T;
}

/**
 * Reads a JSON file (an object or an array); undefined when it does not exist. Throws CorruptFileError
 * naming the file when it is not one, and the I/O error when it cannot be read.
 */
export async function readJsonFile<T>(file: string, options: ReadJsonOptions = {}): Promise<T | undefined> {
    let text: string;
    try {
        text = await fs.readFile(file, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw error;
    }
    return parseJson<T>(file, text, options);
}

/** readJsonFile for the checks made before the gateway starts (configuration). */
export function readJsonFileSync<T>(file: string, options: ReadJsonOptions = {}): T | undefined {
    let text: string;
    try {
        text = readFileSync(file, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw error;
    }
    return parseJson<T>(file, text, options);
}
