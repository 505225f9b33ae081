import { KeyObject, X509Certificate, createPrivateKey, sign, webcrypto } from 'crypto';
import { promises as fs, readdirSync } from 'fs';
import * as path from 'path';
import * as x509 from '@peculiar/x509';
import { CorruptFileError, RESTORE_FROM_BACKUP, readJsonFile, readJsonFileSync, removeStaleTemporaryFiles, writeFileAtomic } from '../../storage/atomic-file';
import { FABRIC_ATTR_OID } from '../fabric-certificate';
import { P256_ECDSA, exportPkcs8Pem, subtle } from '../p256-webcrypto';
import type { Identity } from './creator';
import { DEFAULT_SCRYPT_COST, ScryptCost, SealedKey, openKey, sealKey } from './key-vault';

/**
 * A local certificate authority per MSP for the embedded ledger. It issues per-user X.509
 * certificates (ECDSA P-256) that carry the attribute extension Fabric CA writes
 * (OID 1.2.3.4.5.6.7.8.1, JSON `{"attrs":{…}}`), so the chaincode's client-identity checks
 * (`xl.role`, `xl.eid`) run unchanged. CA and user private keys are stored encrypted (key-vault).
 *
 * Layout: <directory>/<mspId>/ca.json (certificate and sealed key), users/<name>.json. The temporary
 * files of these writes that a stopped gateway left behind are deleted per MSP before the CA first writes
 * there (and when trustedRoots lists the MSPs, which the embedded backend does when it opens).
 */

/**
 * How long a user certificate of this CA lasts, from its issue: 5 × 365 days. The embedded ledger refuses
 * a transaction stamped after its creator's certificate expires (creator.ts).
 */
export const CERTIFICATE_LIFETIME_DAYS = 5 * 365;

export { FABRIC_ATTR_OID };

/** The names the local CA enrolls (users) and issues for (MSP ids). */
export const ENROLLMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** An enrolled user: certificate, decrypted private key and a proposal signer. */
export interface EnrolledIdentity extends Identity {
    readonly name: string;
    readonly attrs: Readonly<Record<string, string>>;
    readonly privateKey: KeyObject;
}

interface StoredUser {
    readonly mspId: string;
    readonly name: string;
    readonly attrs: Record<string, string>;
    readonly certificate: string;
    readonly key: SealedKey;
}

export interface LocalCaOptions {
    readonly directory: string;
    /** Encrypts every private key this CA stores. */
    readonly passphrase: string;
    readonly scryptCost?: ScryptCost;
    /** Certificate validity start (default: now). */
    readonly clock?: () => Date;
    /** Told of a temporary file, left by a stopped gateway, that could not be judged or deleted (default: nobody). */
    readonly onCleanupError?: (error: unknown) => void;
}

export interface LocalCa {
    /** Issues (or re-issues) a certificate for `name` in `mspId` with Fabric CA attributes. Throws on a bad name. */
    enroll(mspId: string, name: string, attrs?: Readonly<Record<string, string>>): Promise<EnrolledIdentity>;
    /** Loads an enrolled user, decrypting its key; undefined when not enrolled. Throws KeyVaultError. */
    loadIdentity(mspId: string, name: string): Promise<EnrolledIdentity | undefined>;
    /** The certificate (PEM) of an enrolled user, its key left sealed; undefined when not enrolled. Throws on a bad name, CorruptFileError. */
    loadCertificate(mspId: string, name: string): Promise<string | undefined>;
    /** CA certificates of the MSPs created so far (for the ledger's trustedRoots). */
    trustedRoots(): Promise<Record<string, string[]>>;
}

function identityOf(user: StoredUser, pkcs8: string): EnrolledIdentity {
    const privateKey = createPrivateKey(pkcs8);
    return {
        mspId: user.mspId,
        name: user.name,
        attrs: user.attrs,
        certificate: user.certificate,
        privateKey,
        signer: (message: Uint8Array) => sign('sha256', message, privateKey),
    };
}

/** Opens the local CA in `options.directory`. No I/O until the first call. */
export function openLocalCa(options: LocalCaOptions): LocalCa {
    const cost = options.scryptCost ?? DEFAULT_SCRYPT_COST;
    const clock = options.clock ?? (() => new Date());
    const cas = new Map<string, Promise<{ cert: x509.X509Certificate; key: webcrypto.CryptoKey }>>();
    const cleanups = new Map<string, Promise<void>>();
    /**
     * Deletes, once per MSP, the temporary files a stopped gateway left beside its ca.json and user files. Run
     * before the CA first writes there: a temporary file named with this process's pid is then an earlier process's.
     */
    const cleanUp = (mspId: string): Promise<void> => {
        let cleaning = cleanups.get(mspId);
        if (!cleaning) {
            const dir = path.join(options.directory, mspId);
            const onError = options.onCleanupError;
            cleaning = Promise.all([
                removeStaleTemporaryFiles(dir, { owns: (written) => written === 'ca.json', onError }),
                removeStaleTemporaryFiles(path.join(dir, 'users'), { owns: (written) => written.endsWith('.json'), onError }),
            ]).then(() => undefined);
            cleanups.set(mspId, cleaning);
        }
        return cleaning;
    };

    const checkName = (what: string, value: string): void => {
        if (!ENROLLMENT_NAME.test(value)) {
            throw new Error(`${what} ${JSON.stringify(value)} is not a valid name`);
        }
    };

    const caFor = (mspId: string): Promise<{ cert: x509.X509Certificate; key: webcrypto.CryptoKey }> => {
        let ca = cas.get(mspId);
        if (!ca) {
            ca = (async () => {
                await cleanUp(mspId);
                const dir = path.join(options.directory, mspId);
                const stored = await readJsonFile<{ certificate: string; key: SealedKey }>(path.join(dir, 'ca.json'));
                if (stored) {
                    const pkcs8 = await openKey(stored.key, options.passphrase);
                    const der = createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'der' });
                    const key = await subtle().importKey('pkcs8', der, P256_ECDSA, false, ['sign']);
                    return { cert: new x509.X509Certificate(stored.certificate), key };
                }
                const keys = (await subtle().generateKey(P256_ECDSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
                const now = clock();
                const cert = await x509.X509CertificateGenerator.createSelfSigned({
                    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
                    name: `CN=ca.${mspId.toLowerCase()},O=${mspId}`,
                    notBefore: new Date(now.getTime() - 3600_000),
                    notAfter: new Date(now.getTime() + 20 * 365 * 86400_000),
                    keys,
                    signingAlgorithm: P256_ECDSA,
                    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
                });
                const sealed = await sealKey(await exportPkcs8Pem(keys.privateKey), options.passphrase, cost);
                await writeFileAtomic(path.join(dir, 'ca.json'), JSON.stringify({ certificate: cert.toString('pem'), key: sealed }, null, 2));
                return { cert, key: keys.privateKey };
            })();
            cas.set(mspId, ca);
            ca.catch(() => cas.delete(mspId));
        }
        return ca;
    };

    const userFile = (mspId: string, name: string): string => path.join(options.directory, mspId, 'users', `${name}.json`);

    return {
        async enroll(mspId, name, attrs = {}) {
            checkName('MSP id', mspId);
            checkName('user name', name);
            const ca = await caFor(mspId);
            const keys = (await subtle().generateKey(P256_ECDSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
            const extensions: x509.Extension[] = [
                new x509.BasicConstraintsExtension(false, undefined, true),
                new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            ];
            if (Object.keys(attrs).length > 0) {
                const value = Buffer.from(JSON.stringify({ attrs: { 'hf.EnrollmentID': name, 'hf.Type': 'client', ...attrs } }));
                extensions.push(new x509.Extension(FABRIC_ATTR_OID, false, value));
            }
            const now = clock();
            const cert = await x509.X509CertificateGenerator.create({
                serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex'),
                subject: `CN=${name},OU=client,O=${mspId}`,
                issuer: ca.cert.subject,
                notBefore: new Date(now.getTime() - 3600_000),
                notAfter: new Date(now.getTime() + CERTIFICATE_LIFETIME_DAYS * 86400_000),
                signingAlgorithm: P256_ECDSA,
                publicKey: keys.publicKey,
                signingKey: ca.key,
                extensions,
            });
            const pkcs8 = await exportPkcs8Pem(keys.privateKey);
            const user: StoredUser = { mspId, name, attrs: { ...attrs }, certificate: cert.toString('pem'), key: await sealKey(pkcs8, options.passphrase, cost) };
            await writeFileAtomic(userFile(mspId, name), JSON.stringify(user, null, 2));
            return identityOf(user, pkcs8);
        },

        async loadIdentity(mspId, name) {
            checkName('MSP id', mspId);
            checkName('user name', name);
            const user = await readJsonFile<StoredUser>(userFile(mspId, name));
            return user ? identityOf(user, await openKey(user.key, options.passphrase)) : undefined;
        },

        async loadCertificate(mspId, name) {
            checkName('MSP id', mspId);
            checkName('user name', name);
            return (await readJsonFile<StoredUser>(userFile(mspId, name)))?.certificate;
        },

        async trustedRoots() {
            const roots: Record<string, string[]> = {};
            let entries: string[] = [];
            try {
                entries = await fs.readdir(options.directory);
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                    throw error;
                }
            }
            for (const mspId of entries.sort()) {
                if (ENROLLMENT_NAME.test(mspId)) {
                    await cleanUp(mspId);
                }
                const stored = await readJsonFile<{ certificate: string }>(path.join(options.directory, mspId, 'ca.json'));
                if (stored) {
                    roots[mspId] = [stored.certificate];
                }
            }
            return roots;
        },
    };
}

/** A user certificate this CA has issued: whose, and when it expires. */
export interface IssuedCertificate {
    readonly mspId: string;
    readonly name: string;
    readonly validTo: Date;
}

/** The user certificates the CA in `directory` has issued, read synchronously (a start-up check). Throws CorruptFileError. */
export function issuedCertificates(directory: string): IssuedCertificate[] {
    const names = (directory: string): string[] => {
        try {
            return readdirSync(directory).sort();
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
                return [];
            }
            throw error;
        }
    };
    const certificates: IssuedCertificate[] = [];
    for (const mspId of names(directory)) {
        for (const entry of names(path.join(directory, mspId, 'users')).filter((n) => n.endsWith('.json'))) {
            const file = path.join(directory, mspId, 'users', entry);
            const stored = readJsonFileSync<{ certificate?: unknown }>(file);
            let validTo: Date;
            try {
                validTo = new Date(new X509Certificate(String(stored?.certificate)).validTo);
            } catch {
                throw new CorruptFileError(file, 'its certificate cannot be read', RESTORE_FROM_BACKUP);
            }
            certificates.push({ mspId, name: entry.slice(0, -'.json'.length), validTo });
        }
    }
    return certificates;
}
