import { randomBytes, scrypt, timingSafeEqual } from 'crypto';
import type { ScryptParameters } from '../config';

/**
 * Password hashing with scrypt (memory-hard). The stored form records its parameters:
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`, so the cost can be raised without breaking old hashes.
 */

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptParameters): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r }, (error, key) =>
            error ? reject(error) : resolve(key),
        );
    });
}

/** Hashes a password for storage. */
export async function hashPassword(password: string, cost: ScryptParameters): Promise<string> {
    const salt = randomBytes(16);
    const hash = await derive(password, salt, cost);
    return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') {
        return false;
    }
    const [N, r, p] = parts.slice(1, 4).map(Number);
    const expected = Buffer.from(parts[5], 'base64');
    const actual = await derive(password, Buffer.from(parts[4], 'base64'), { N, r, p });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
}
