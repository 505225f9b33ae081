import { promises as fs } from 'fs';
import type { Checkpoint, LedgerEvent } from './event-hub';

/**
 * Persists an event consumer's position in a small JSON file, written atomically (temp file +
 * rename), so a consumer resumes after a restart without gaps or repeats.
 */
export interface FileCheckpointer {
    /** The last checkpoint stored, or undefined for a new consumer. */
    readonly checkpoint: Checkpoint | undefined;
    /** Records that `event` was handled. */
    checkpointEvent(event: LedgerEvent): Promise<void>;
}

/** Opens (or creates) the checkpoint file at `path`. Throws when the file exists but is not a checkpoint. */
export async function openFileCheckpointer(path: string): Promise<FileCheckpointer> {
    let current: Checkpoint | undefined;
    try {
        const stored = JSON.parse(await fs.readFile(path, 'utf8')) as Checkpoint;
        if (!Number.isInteger(stored.block) || !Number.isInteger(stored.txIndex)) {
            throw new Error(`${path} holds no checkpoint`);
        }
        current = { block: stored.block, txIndex: stored.txIndex };
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw error;
        }
    }
    return {
        get checkpoint() {
            return current;
        },
        async checkpointEvent(event: LedgerEvent): Promise<void> {
            const next = { block: event.checkpoint.block, txIndex: event.checkpoint.txIndex };
            const temporary = `${path}.tmp`;
            await fs.writeFile(temporary, JSON.stringify(next));
            await fs.rename(temporary, path);
            current = next;
        },
    };
}
