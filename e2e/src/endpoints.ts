import { promises as fs } from 'fs';
import * as path from 'path';

/** The peer organisations of the test network, as `network.sh` names them. */
export const PEER_ORGS = ['platform', 'bank', 'partner'] as const;
export type PeerOrg = (typeof PEER_ORGS)[number];

export interface PeerEndpoint {
    readonly name: string;
    readonly endpoint: string;
    readonly hostAlias: string;
    readonly tlsRootCert: string;
}

export interface OrgEndpoints {
    readonly mspId: string;
    readonly peer: PeerEndpoint;
    readonly usersDir: string;
}

export interface OrdererEndpoint {
    readonly name: string;
    readonly endpoint: string;
    readonly tlsRootCert: string;
}

/** What `network.sh up` writes to `<run dir>/gateway/endpoints.json` (the parts the e2e tier reads). */
export interface Endpoints {
    readonly channel: string;
    readonly chaincode: string;
    readonly orgs: Readonly<Record<PeerOrg, OrgEndpoints>>;
    readonly orderers: readonly OrdererEndpoint[];
}

/** The repository root (e2e/src/.. /..). */
export const REPO_DIR = path.resolve(__dirname, '..', '..');

/** The run folder of the network under test: XINLIAN_RUN_DIR, else test-network/.run. */
export function runDirectory(env: NodeJS.ProcessEnv = process.env): string {
    return env.XINLIAN_RUN_DIR ?? path.join(REPO_DIR, 'test-network', '.run');
}

/** endpoints.json of the network under test: XINLIAN_ENDPOINTS, else `<run dir>/gateway/endpoints.json`. */
export function endpointsFile(env: NodeJS.ProcessEnv = process.env): string {
    return env.XINLIAN_ENDPOINTS ?? path.join(runDirectory(env), 'gateway', 'endpoints.json');
}

/** Reads endpoints.json. Throws when the network was never brought up. */
export async function loadEndpoints(file: string = endpointsFile()): Promise<Endpoints> {
    let text: string;
    try {
        text = await fs.readFile(file, 'utf8');
    } catch (error) {
        throw new Error(`cannot read ${file}: run 'test-network/network.sh up' (and deploy) first`, { cause: error });
    }
    const parsed = JSON.parse(text) as Endpoints;
    for (const org of PEER_ORGS) {
        if (!parsed.orgs?.[org]?.peer?.endpoint) {
            throw new Error(`${file} has no peer for org ${org}`);
        }
    }
    return parsed;
}
