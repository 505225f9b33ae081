import './support/quiet-chaincode-logging';
import { readFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { ENTERPRISE_KINDS, EnterpriseContract, KIND_ROLE, ROLE_ORGS, Role } from '@xinlian/chaincode';
import { newHarness } from '../../chaincode/src/testing/harness';
import { newUser } from '../../chaincode/src/testing/identities';
import { DEMO_ENTERPRISES, DEMO_USERS } from '../src/services/demo-seed';

/**
 * The test network's CA-enrolled users (network-config/ca/identities.tsv) act for the demo seed's
 * enterprises (the e2e tier registers the same ids). The chaincode lets a user act for an enterprise
 * only from the organisation hosting it (requireMember), so each user must be enrolled by the CA of
 * that organisation: a user enrolled elsewhere is refused every transaction of its role.
 */

const NETWORK_CONFIG = path.resolve(__dirname, '..', '..', 'network-config');

interface NetworkIdentity {
    org: string;
    name: string;
    type: string;
    attrs: ReadonlyMap<string, string>;
}

/** The identities of identities.tsv: `org name type attrs` lines, '#' comments. */
function readIdentities(): NetworkIdentity[] {
    const identities: NetworkIdentity[] = [];
    for (const raw of readFileSync(path.join(NETWORK_CONFIG, 'ca', 'identities.tsv'), 'utf8').split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) {
            continue;
        }
        const [org, name, type, attrs] = line.split(/\s+/);
        expect(attrs, `identities.tsv line "${line}" has four columns`).to.be.a('string');
        const values = new Map<string, string>();
        for (const pair of attrs === '-' ? [] : attrs.split(',')) {
            const at = pair.indexOf('=');
            values.set(pair.slice(0, at), pair.slice(at + 1));
        }
        identities.push({ org, name, type, attrs: values });
    }
    return identities;
}

/** The MSP ID of each peer org, as configtx.yaml defines it: `ID: XMSP` with `MSPDir: …/peerOrganizations/<org>.<domain>/msp`. */
function readPeerOrgMsps(): Map<string, string> {
    const configtx = readFileSync(path.join(NETWORK_CONFIG, 'configtx.yaml'), 'utf8');
    const msps = new Map<string, string>();
    for (const match of configtx.matchAll(/\bID:\s*(\S+)\s*\n\s*MSPDir:\s*\S*\/peerOrganizations\/([a-z]+)\./g)) {
        msps.set(match[2], match[1]);
    }
    return msps;
}

describe('network identities (network-config/ca/identities.tsv)', () => {
    const identities = readIdentities();
    const msps = readPeerOrgMsps();
    const users = identities.filter((identity) => identity.type === 'client' && identity.attrs.has('xl.eid'));

    it('reads the peer orgs and the users acting for an enterprise', () => {
        expect(Object.fromEntries(msps)).to.deep.equal({ platform: 'PlatformMSP', bank: 'BankMSP', partner: 'PartnerMSP' });
        expect(users.map((u) => u.name)).to.include.members(['platform-admin', 'regulator', 'core', 'tier1', 'financier', 'appraiser', 'foreign-partner']);
    });

    it("enrolls each user with the CA of the organisation hosting its enterprise in the demo seed, in a role that organisation may issue", () => {
        for (const user of users) {
            const eid = user.attrs.get('xl.eid') as string;
            const role = user.attrs.get('xl.role') as Role;
            const mspId = msps.get(user.org);
            const enterprise = DEMO_ENTERPRISES.find((e) => e.id === eid);
            expect(enterprise, `${user.name}'s enterprise ${eid} is in the demo seed`).to.not.equal(undefined);
            expect(mspId, `${user.name} (${user.org}) is enrolled by the CA of ${enterprise?.mspId}, which hosts ${eid}`).to.equal(enterprise?.mspId);
            const demoUser = DEMO_USERS.find((u) => u.enterpriseId === eid);
            expect(demoUser && { role: demoUser.role, mspId: demoUser.mspId }, `${user.name} acts as the demo user of ${eid} does`).to.deep.equal({ role, mspId });
            expect(ROLE_ORGS[role], `${user.name}: ${mspId} may issue role ${role}`).to.include(mspId);
        }
    });

    it('enrolls each user in the organisation the chaincode hosts its enterprise in when registered as the e2e tier does (no mspId)', async () => {
        const h = await newHarness([EnterpriseContract]);
        try {
            const platformAdmin = users.find((u) => u.attrs.get('xl.role') === 'platform-admin') as NetworkIdentity;
            const admin = await newUser(msps.get(platformAdmin.org) as string, platformAdmin.name, 'platform-admin', platformAdmin.attrs.get('xl.eid') as string);
            for (const user of users.filter((u) => u !== platformAdmin)) {
                const eid = user.attrs.get('xl.eid') as string;
                const kind = ENTERPRISE_KINDS.find((k) => KIND_ROLE[k] === user.attrs.get('xl.role'));
                const registered = await h.submit<{ mspId: string }>(admin, 'enterprise:RegisterEnterprise', [{ id: eid, name: `Network ${user.name}`, kind: kind as string, ...(kind === 'FOREIGN_PARTNER' ? { country: 'SG' } : {}) }]);
                expect(registered.mspId, `${user.name} (${user.org}) acts for ${eid}, hosted by ${registered.mspId}`).to.equal(msps.get(user.org));
            }
        } finally {
            await h.close();
        }
    });
});
