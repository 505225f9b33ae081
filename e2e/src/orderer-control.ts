import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as https from 'https';
import * as path from 'path';
import { promisify } from 'util';
import { Endpoints, REPO_DIR, runDirectory } from './endpoints';

/**
 * Fault injection on the Raft orderers of the network under test: find the leader, kill one orderer by
 * the pid its run folder recorded (only when the process carries that run folder's marker, as
 * test-network's own scripts check), and start it again with test-network/scripts/orderer.sh.
 */

const run = promisify(execFile);

const ORDERER_SCRIPT = path.join(REPO_DIR, 'test-network', 'scripts', 'orderer.sh');

function ordererTlsDir(runDir: string): string {
    return path.join(runDir, 'crypto', 'ordererOrganizations', 'orderer.xinlian.test');
}

/** The operations port of orderer n (1-based): XINLIAN_PORT_ORDOPS_<n>, else its gRPC port + 20 (the port scheme). */
export function operationsPort(endpoints: Endpoints, n: number, env: NodeJS.ProcessEnv = process.env): number {
    const override = env[`XINLIAN_PORT_ORDOPS_${n}`];
    if (override) {
        return Number(override);
    }
    const grpcPort = Number(endpoints.orderers[n - 1].endpoint.split(':')[1]);
    return grpcPort + 20;
}

async function metricsOf(endpoints: Endpoints, n: number): Promise<string> {
    const dir = ordererTlsDir(runDirectory());
    const [ca, cert, key] = await Promise.all([
        fs.readFile(endpoints.orderers[n - 1].tlsRootCert),
        fs.readFile(path.join(dir, 'users', 'ordereradmin', 'tls', 'server.crt')),
        fs.readFile(path.join(dir, 'users', 'ordereradmin', 'tls', 'server.key')),
    ]);
    return new Promise((resolve, reject) => {
        const request = https.get({ host: '127.0.0.1', port: operationsPort(endpoints, n), path: '/metrics', ca, cert, key, timeout: 3_000 }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => (response.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`orderer${n} /metrics: HTTP ${response.statusCode}`))));
        });
        request.on('timeout', () => request.destroy(new Error(`orderer${n} /metrics timed out`)));
        request.on('error', reject);
    });
}

/** The orderer (1-based) that reports itself Raft leader of the channel, if any answers so. */
export async function raftLeader(endpoints: Endpoints): Promise<number | undefined> {
    const gauge = `consensus_etcdraft_is_leader{channel="${endpoints.channel}"} 1`;
    for (let n = 1; n <= endpoints.orderers.length; n++) {
        try {
            if ((await metricsOf(endpoints, n)).split('\n').includes(gauge)) {
                return n;
            }
        } catch {
            // a stopped orderer answers nothing; ask the next one
        }
    }
    return undefined;
}

/** Polls until some orderer is leader; throws after `timeoutMs`. */
export async function waitForLeader(endpoints: Endpoints, timeoutMs = 60_000): Promise<number> {
    const until = new Date().getTime() + timeoutMs;
    for (;;) {
        const leader = await raftLeader(endpoints);
        if (leader !== undefined) {
            return leader;
        }
        if (new Date().getTime() > until) {
            throw new Error(`no Raft leader for ${endpoints.channel} after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/** The pid of orderer n, only if the live process carries this run folder's XINLIAN_PROCESS marker. */
export async function ordererPid(n: number): Promise<number | undefined> {
    const runDir = runDirectory();
    let pid: number;
    try {
        pid = Number((await fs.readFile(path.join(runDir, 'pids', `orderer${n}.pid`), 'utf8')).trim());
    } catch {
        return undefined;
    }
    try {
        const environ = (await fs.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
        return environ.includes(`XINLIAN_PROCESS=orderer${n}@${runDir}`) ? pid : undefined;
    } catch {
        return undefined;
    }
}

/** Kills orderer n with SIGKILL (a crash, not a clean stop). Returns the pid killed. Throws when it is not ours or not running. */
export async function killOrderer(n: number): Promise<number> {
    const pid = await ordererPid(n);
    if (pid === undefined) {
        throw new Error(`orderer${n} is not running from ${runDirectory()}`);
    }
    process.kill(pid, 'SIGKILL');
    return pid;
}

/** Starts orderer n again (test-network/scripts/orderer.sh start n; waits for /healthz) when it is not running. */
export async function startOrderer(n: number): Promise<void> {
    if ((await ordererPid(n)) !== undefined) {
        return;
    }
    await run(ORDERER_SCRIPT, ['start', String(n)], { env: process.env, timeout: 120_000 });
}
