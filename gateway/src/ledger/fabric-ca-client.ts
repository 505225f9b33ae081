import { KeyObject, randomBytes, sign, webcrypto } from 'crypto';
import { readFileSync } from 'fs';
import * as https from 'https';
import * as http from 'http';
import * as x509 from '@peculiar/x509';
import { P256_ECDSA, exportPkcs8Pem, subtle } from './p256-webcrypto';

/**
 * A minimal Fabric CA REST client: enroll (CSR → certificate) and register (a user with
 * attributes, authorised by the registrar's token). Enough for the gateway to give every user
 * its own identity with xl.role / xl.eid, without the deprecated fabric-ca-client SDK.
 */

export interface CaConnection {
    readonly url: string;
    /** The CA's name on a server hosting several (sent as `caname`; the default CA when absent). */
    readonly caName?: string;
    /** PEM of the CA's TLS certificate (https URLs). */
    readonly tlsCaPath?: string;
}

export interface Enrollment {
    readonly certificate: string;
    /** PKCS#8 PEM. */
    readonly privateKeyPem: string;
}

/** The P-256 group order, for low-S signatures (Fabric rejects high S). */
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

function request(connection: CaConnection, method: string, path: string, headers: Record<string, string>, body: string): Promise<unknown> {
    const url = new URL(path, connection.url);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
        const req = transport.request(
            url,
            {
                method,
                headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers },
                ...(url.protocol === 'https:' && connection.tlsCaPath ? { ca: readFileSync(connection.tlsCaPath) } : {}),
                timeout: 15_000,
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (chunk: Buffer) => chunks.push(chunk));
                res.on('end', () => {
                    try {
                        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { success?: boolean; errors?: Array<{ code: number; message: string }> };
                        if (!parsed.success) {
                            reject(new FabricCaError(`Fabric CA ${method} ${path} failed: ${JSON.stringify(parsed.errors ?? parsed)}`, (parsed.errors ?? []).map((e) => e.code)));
                            return;
                        }
                        resolve(parsed);
                    } catch (error) {
                        reject(error);
                    }
                });
            },
        );
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('Fabric CA request timed out')));
        req.end(body);
    });
}

/** A refusal of the Fabric CA, with its error codes (e.g. 74: the identity is already registered). */
export class FabricCaError extends Error {
    override readonly name = 'FabricCaError';
    constructor(
        message: string,
        readonly codes: readonly number[],
    ) {
        super(message);
    }
}

/** DER ECDSA signature with S in the lower half of the order. */
function lowS(der: Buffer): Buffer {
    let offset = 2;
    const rLength = der[offset + 1];
    const r = der.subarray(offset + 2, offset + 2 + rLength);
    offset += 2 + rLength;
    const sLength = der[offset + 1];
    let s = BigInt(`0x${der.subarray(offset + 2, offset + 2 + sLength).toString('hex')}`);
    if (s <= P256_N / 2n) {
        return der;
    }
    s = P256_N - s;
    let sHex = s.toString(16);
    if (sHex.length % 2) {
        sHex = `0${sHex}`;
    }
    let sBytes = Buffer.from(sHex, 'hex');
    if (sBytes[0] & 0x80) {
        sBytes = Buffer.concat([Buffer.from([0]), sBytes]);
    }
    const body = Buffer.concat([Buffer.from([0x02, r.length]), r, Buffer.from([0x02, sBytes.length]), sBytes]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** The Fabric CA authorisation token of a request signed by `identity`. */
export function caToken(identity: { certificate: string; privateKey: KeyObject }, method: string, path: string, body: string): string {
    const cert = Buffer.from(identity.certificate).toString('base64');
    const payload = `${method}.${Buffer.from(path).toString('base64')}.${Buffer.from(body).toString('base64')}.${cert}`;
    const signature = lowS(sign('sha256', Buffer.from(payload), identity.privateKey));
    return `${cert}.${signature.toString('base64')}`;
}

/** Enrolls `name` with its secret: generates a P-256 key and a CSR, returns the issued certificate. */
export async function enroll(connection: CaConnection, name: string, secret: string, attributeNames: readonly string[] = []): Promise<Enrollment> {
    const keys = (await subtle().generateKey(P256_ECDSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${name}`, keys, signingAlgorithm: P256_ECDSA });
    const body = JSON.stringify({
        certificate_request: csr.toString('pem'),
        attr_reqs: attributeNames.map((n) => ({ name: n, optional: false })),
        ...(connection.caName ? { caname: connection.caName } : {}),
    });
    const response = (await request(connection, 'POST', '/api/v1/enroll', { Authorization: `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}` }, body)) as {
        result: { Cert: string };
    };
    const privateKeyPem = await exportPkcs8Pem(keys.privateKey);
    return { certificate: Buffer.from(response.result.Cert, 'base64').toString('utf8'), privateKeyPem };
}

/** Fabric CA's error code for "identity is already registered". */
const ALREADY_REGISTERED = 74;

/**
 * Registers a client identity with ecert attributes; returns its enrollment secret. An identity
 * already registered (a gateway that lost its wallet, or a re-enrollment) is updated instead: new
 * secret, the given attributes, unlimited enrollments.
 */
export async function register(connection: CaConnection, registrar: { certificate: string; privateKey: KeyObject }, name: string, attrs: Readonly<Record<string, string>>): Promise<string> {
    const secret = randomBytes(18).toString('base64url');
    const fields = {
        type: 'client',
        secret,
        affiliation: '',
        max_enrollments: -1,
        attrs: Object.entries(attrs).map(([attrName, value]) => ({ name: attrName, value, ecert: true })),
        ...(connection.caName ? { caname: connection.caName } : {}),
    };
    const body = JSON.stringify({ id: name, ...fields });
    const path = '/api/v1/register';
    try {
        await request(connection, 'POST', path, { Authorization: caToken(registrar, 'POST', path, body) }, body);
    } catch (error) {
        if (!(error instanceof FabricCaError && error.codes.includes(ALREADY_REGISTERED))) {
            throw error;
        }
        const modifyPath = `/api/v1/identities/${encodeURIComponent(name)}`;
        const modifyBody = JSON.stringify(fields);
        await request(connection, 'PUT', modifyPath, { Authorization: caToken(registrar, 'PUT', modifyPath, modifyBody) }, modifyBody);
    }
    return secret;
}
