import { spawn } from 'child_process';
import { once } from 'events';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** A pid no process runs with (Linux's largest pid is 2^22). */
export const STOPPED_PID = 4_194_305;

/** The name writeFileAtomic gives the `n`th temporary file of `file` (a name) written by process `pid`. */
export function temporaryFileName(file: string, pid: number, n = 0): string {
    return `${file}.${pid}.${n.toString(36)}.0badf00d.tmp`;
}

/** A process of its own that runs until stopped: the pid of a write still under way in another process. */
export interface RunningProcess {
    readonly pid: number;
    stop(): Promise<void>;
}

/** Starts an idle Node.js child process. */
export async function startRunningProcess(): Promise<RunningProcess> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const pid = child.pid;
    if (pid === undefined) {
        throw new Error('the child process has no pid');
    }
    return {
        pid,
        async stop() {
            if (child.exitCode === null && child.signalCode === null) {
                const exited = once(child, 'exit');
                child.kill();
                await exited;
            }
        },
    };
}

/**
 * For a describe block: a function that makes a temporary directory named after `name`, each removed
 * after the block's tests (mocha's `after`).
 */
export function suiteDirectories(): (name: string) => string {
    const directories: string[] = [];
    after(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));
    return (name) => {
        const directory = mkdtempSync(path.join(tmpdir(), `xinlian-${name}-`));
        directories.push(directory);
        return directory;
    };
}
