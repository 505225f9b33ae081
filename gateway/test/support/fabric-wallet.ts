import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { FabricBackendOptions } from '../../src/ledger/fabric-backend';
import { openLocalCa } from '../../src/ledger/embedded';
import { sealKey } from '../../src/ledger/wallet-crypto';

/** A Fabric wallet entry to write: whose, the attributes the entry names, and those its certificate carries (default: the same). */
export interface FabricWalletEntrySpec {
    readonly mspId: string;
    readonly username: string;
    readonly attrs: Readonly<Record<string, string>>;
    readonly certified?: Readonly<Record<string, string>>;
}

const COST = { N: 1024, r: 8, p: 1 };

/**
 * Writes a wallet entry of the Fabric backend (`<walletDirectory>/<mspId>/<username>.json`) holding a real
 * enrolment certificate: X.509, ECDSA P-256, issued by a CA of the MSP kept in `caDirectory`, with the
 * attribute extension Fabric CA writes (OID 1.2.3.4.5.6.7.8.1) carrying `certified`. Its private key is sealed
 * under `passphrase`. Returns the certificate (PEM).
 */
export async function writeFabricWalletEntry(walletDirectory: string, caDirectory: string, passphrase: string, spec: FabricWalletEntrySpec): Promise<string> {
    const ca = openLocalCa({ directory: caDirectory, passphrase, scryptCost: COST });
    const enrolled = await ca.enroll(spec.mspId, spec.username, spec.certified ?? spec.attrs);
    const key = await sealKey(enrolled.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), passphrase, COST);
    const entry = { mspId: spec.mspId, username: spec.username, attrs: spec.attrs, certificate: enrolled.certificate, key };
    mkdirSync(path.join(walletDirectory, spec.mspId), { recursive: true });
    writeFileSync(path.join(walletDirectory, spec.mspId, `${spec.username}.json`), JSON.stringify(entry));
    return enrolled.certificate;
}

/** A Fabric configuration of one organisation whose peer and CA are never reached (closed ports). */
export function unreachableFabric(directory: string): FabricBackendOptions['fabric'] {
    writeFileSync(path.join(directory, 'tls.pem'), 'unused');
    return {
        channel: 'xinlian',
        chaincode: 'xinlian',
        caIdentityPrefix: 'gw-',
        orgs: [{ mspId: 'PlatformMSP', peerEndpoint: '127.0.0.1:1', tlsCaPath: path.join(directory, 'tls.pem'), caUrl: 'http://127.0.0.1:1', caRegistrar: 'admin', caRegistrarSecret: 'adminpw' }],
        evaluateTimeoutMs: 1000,
        endorseTimeoutMs: 1000,
        submitTimeoutMs: 1000,
        commitStatusTimeoutMs: 1000,
    };
}
