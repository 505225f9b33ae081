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

/** A temporary file of writeFileAtomic: `<file>.<pid>.<counter>.<random>.tmp`. */
const TEMPORARY_NAME = /^(.+)\.(\d+)\.[0-9a-z]+\.[0-9a-f]{8}\.tmp$/;

/** A temporary file not modified for this long is left by a write that ended long ago, whatever its pid says. */
const TEMPORARY_FILE_MAX_AGE_MS = 60 * 60 * 1000;

/** Whether process `pid` runs on this host (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
    if (!Number.isSafeInteger(pid) || pid <= 0) {
        return false;
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/** Options of removeStaleTemporaryFiles. */
export interface StaleTemporaryOptions {
    /** Which written files' temporary files to consider, by the written file's name (default: all). */
    readonly owns?: (written: string) => boolean;
    /** Told of a file it could not judge or delete (the others are still removed). */
    readonly onError?: (error: unknown) => void;
    /** The current time (default: the system clock). */
    readonly clock?: () => Date;
}

/**
 * Deletes the temporary files of writeFileAtomic in `directory` (not below it) that a killed process
 * left behind (a write cut off between open and rename), and resolves with their names. A store calls it
 * when it opens, before it writes anything. A temporary file is stale when the process named in it no
 * longer runs; when it is this process (the store has not written yet: it is an earlier process's that had
 * the same pid, as a gateway restarted in a container gets); or when it was not modified for an hour (the
 * pid was reused by an unrelated process). A write of another process that runs now is left alone. Never
 * rejects: a missing directory has none, and a file it cannot judge or delete is reported to `onError`.
 */
export async function removeStaleTemporaryFiles(directory: string, options: StaleTemporaryOptions = {}): Promise<string[]> {
    const owns = options.owns ?? ((): boolean => true);
    let names: string[];
    try {
        names = await fs.readdir(directory);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
            options.onError?.(error);
        }
        return [];
    }
    const now = (options.clock?.() ?? new Date()).getTime();
    const removed: string[] = [];
    for (const name of names) {
        const match = TEMPORARY_NAME.exec(name);
        if (!match || !owns(match[1])) {
            continue;
        }
        const file = path.join(directory, name);
        try {
            const pid = Number(match[2]);
            const stale = pid === process.pid || !processRuns(pid) || now - (await fs.stat(file)).mtimeMs >= TEMPORARY_FILE_MAX_AGE_MS;
            if (stale) {
                await fs.rm(file, { force: true });
                removed.push(name);
            }
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                options.onError?.(error);
            }
        }
    }
    return removed;
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
