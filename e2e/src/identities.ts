import { promises as fs } from 'fs';
import * as path from 'path';
import { REPO_DIR } from './endpoints';
import type { PeerOrg } from './endpoints';

/** A client identity enrolled by `network.sh up` from network-config/ca/identities.tsv. */
export interface NetworkUser {
    readonly org: PeerOrg;
    readonly name: string;
    /** xl.role, when the certificate carries one. */
    readonly role?: string;
    /** xl.eid, when the certificate carries one. */
    readonly eid?: string;
}

export const IDENTITIES_FILE = path.join(REPO_DIR, 'network-config', 'ca', 'identities.tsv');

const PEER_ORG_NAMES: ReadonlySet<string> = new Set(['platform', 'bank', 'partner']);

/** Parses identities.tsv: the `client` identities of the peer orgs, with their xl.* attributes. */
export function parseIdentities(text: string): NetworkUser[] {
    const users: NetworkUser[] = [];
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) {
            continue;
        }
        const [org, name, type, attrs = '-'] = line.split(/\s+/);
        if (type !== 'client' || !PEER_ORG_NAMES.has(org)) {
            continue;
        }
        const values = new Map<string, string>();
        if (attrs !== '-') {
            for (const pair of attrs.split(',')) {
                const at = pair.indexOf('=');
                values.set(pair.slice(0, at), pair.slice(at + 1));
            }
        }
        users.push({ org: org as PeerOrg, name, role: values.get('xl.role'), eid: values.get('xl.eid') });
    }
    return users;
}

/** The users of identities.tsv keyed by name. */
export async function loadUsers(file: string = IDENTITIES_FILE): Promise<ReadonlyMap<string, NetworkUser>> {
    const users = parseIdentities(await fs.readFile(file, 'utf8'));
    return new Map(users.map((u) => [u.name, u]));
}
