import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'crypto';

/**
 * Private keys at rest: AES-256-GCM under a key derived with scrypt from the caller's passphrase.
 * The sealed form records its KDF parameters, so a stronger cost can be chosen later without
 * breaking old files.
 */

/** scrypt cost. The default (N = 2^15) takes tens of milliseconds; tests may lower it. */
export interface ScryptCost {
    readonly N: number;
    readonly r: number;
    readonly p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

/** An encrypted private key as stored on disk. */
export interface SealedKey {
    readonly kdf: 'scrypt';
    readonly N: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
    readonly cipher: 'aes-256-gcm';
    readonly iv: string;
    readonly tag: string;
    readonly ciphertext: string;
}

/** The passphrase is wrong or the sealed key was altered. */
export class KeyVaultError extends Error {
    override readonly name = 'KeyVaultError';
}

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
    if (passphrase.length === 0) {
        return Promise.reject(new KeyVaultError('the key passphrase must not be empty'));
    }
    return new Promise((resolve, reject) => {
        scrypt(passphrase, salt, 32, { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r }, (error, key) => (error ? reject(error) : resolve(key)));
    });
}

/** Encrypts `plaintext` (a PKCS#8 PEM private key) under `passphrase`. */
export async function sealKey(plaintext: string, passphrase: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<SealedKey> {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = await deriveKey(passphrase, salt, cost);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
        kdf: 'scrypt',
        N: cost.N,
        r: cost.r,
        p: cost.p,
        salt: salt.toString('base64'),
        cipher: 'aes-256-gcm',
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
    };
}

/** Decrypts a sealed key. Throws KeyVaultError for a wrong passphrase or tampered data. */
export async function openKey(sealed: SealedKey, passphrase: string): Promise<string> {
    if (sealed.kdf !== 'scrypt' || sealed.cipher !== 'aes-256-gcm') {
        throw new KeyVaultError(`unsupported sealed key format ${sealed.kdf}/${sealed.cipher}`);
    }
    const key = await deriveKey(passphrase, Buffer.from(sealed.salt, 'base64'), sealed);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
        throw new KeyVaultError('the key passphrase is wrong or the sealed key was altered');
    }
}
