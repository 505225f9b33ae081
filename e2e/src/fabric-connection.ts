import { createPrivateKey } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { Contract, Gateway, Network, connect, hash, signers } from '@hyperledger/fabric-gateway';
import type { Endpoints, PeerOrg } from './endpoints';
import type { NetworkUser } from './identities';

/** One user's gateway connection through one org's peer. */
export interface FabricSession {
    readonly user: NetworkUser;
    /** The org whose peer this session's gateway runs on. */
    readonly via: PeerOrg;
    readonly gateway: Gateway;
    readonly network: Network;
    readonly contract: Contract;
    close(): void;
}

/** Deadlines of each gateway call; generous because the test machine's cores are shared. */
export interface SessionTimeouts {
    readonly evaluateMs: number;
    readonly endorseMs: number;
    readonly submitMs: number;
    readonly commitStatusMs: number;
}

/**
 * A commit normally shows within two batch timeouts; 30 s of silence means the transaction was most likely
 * lost with a crashed orderer, and the client resends it (see awaitCommit in tx-client.ts).
 */
export const DEFAULT_TIMEOUTS: SessionTimeouts = { evaluateMs: 30_000, endorseMs: 60_000, submitMs: 30_000, commitStatusMs: 30_000 };

function deadline(ms: number): () => grpc.CallOptions {
    return () => ({ deadline: new Date().getTime() + ms });
}

/** The user's MSP folder as `network.sh up` lays it out. */
export function mspDirectory(endpoints: Endpoints, user: NetworkUser): string {
    return path.join(endpoints.orgs[user.org].usersDir, user.name, 'msp');
}

/** A new gRPC client with TLS to the org's peer (the certificates carry IP:127.0.0.1, no override needed). */
export async function newPeerClient(endpoints: Endpoints, org: PeerOrg): Promise<grpc.Client> {
    const peer = endpoints.orgs[org].peer;
    const root = await fs.readFile(peer.tlsRootCert);
    return new grpc.Client(peer.endpoint, grpc.credentials.createSsl(root), { 'grpc.ssl_target_name_override': peer.hostAlias });
}

/**
 * Connects `user` (certificate and key from its MSP folder) to the gateway of `via`'s peer
 * (the user's own org by default). The caller closes the session.
 */
export async function connectAs(endpoints: Endpoints, user: NetworkUser, via: PeerOrg = user.org, timeouts: SessionTimeouts = DEFAULT_TIMEOUTS): Promise<FabricSession> {
    const msp = mspDirectory(endpoints, user);
    const certificate = await fs.readFile(path.join(msp, 'signcerts', 'cert.pem'));
    const keyFiles = (await fs.readdir(path.join(msp, 'keystore'))).sort();
    if (keyFiles.length === 0) {
        throw new Error(`no private key in ${msp}/keystore`);
    }
    const privateKey = createPrivateKey(await fs.readFile(path.join(msp, 'keystore', keyFiles[0])));
    const client = await newPeerClient(endpoints, via);
    const gateway = connect({
        client,
        identity: { mspId: endpoints.orgs[user.org].mspId, credentials: certificate },
        signer: signers.newPrivateKeySigner(privateKey),
        hash: hash.sha256,
        evaluateOptions: deadline(timeouts.evaluateMs),
        endorseOptions: deadline(timeouts.endorseMs),
        submitOptions: deadline(timeouts.submitMs),
        commitStatusOptions: deadline(timeouts.commitStatusMs),
    });
    const network = gateway.getNetwork(endpoints.channel);
    return {
        user,
        via,
        gateway,
        network,
        contract: network.getContract(endpoints.chaincode),
        close: () => {
            gateway.close();
            client.close();
        },
    };
}
