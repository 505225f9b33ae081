import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

/**
 * Short-lived access tokens: `base64url(JSON {sub, iat, exp, gen}).base64url(HMAC-SHA256)`, signed with a
 * secret kept in the gateway's data directory. A token names its user only; role and enterprise are
 * read from the user store on every request, so a token can never carry another user's rights. `gen`
 * is the user's token generation when it was issued: changing the password or disabling the user
 * moves the generation on, which ends every token issued before. `jti` is random, so no two logins get the
 * same token (not even in one second), and signing out ends one token by its id (tokenIdOf) alone.
 */

export interface TokenClaims {
    readonly sub: string;
    /** Unix seconds. */
    readonly iat: number;
    readonly exp: number;
    /** The user's token generation at issue (absent in tokens of older gateways: generation 0). */
    readonly gen?: number;
    /** Random, 16 bytes in base64url (absent in tokens of older gateways). */
    readonly jti?: string;
}

function sign(secret: Buffer, body: string): string {
    return createHmac('sha256', secret).update(body).digest('base64url');
}

/** Issues a token for `username` valid for `ttlSeconds` from `now`, of the user's token generation `generation`. */
export function issueToken(secret: Buffer, username: string, now: Date, ttlSeconds: number, generation = 0): { token: string; expiresAt: Date } {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: TokenClaims = { sub: username, iat, exp: iat + ttlSeconds, gen: generation, jti: randomBytes(16).toString('base64url') };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${sign(secret, body)}`, expiresAt: new Date(claims.exp * 1000) };
}

/** Verifies signature and expiry; undefined when the token is malformed, forged or expired. */
export function verifyToken(secret: Buffer, token: string, now: Date): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 2) {
        return undefined;
    }
    const expected = Buffer.from(sign(secret, parts[0]));
    const actual = Buffer.from(parts[1]);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        return undefined;
    }
    let claims: TokenClaims;
    try {
        claims = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
        return undefined;
    }
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) {
        return undefined;
    }
    if (claims.gen !== undefined && !Number.isSafeInteger(claims.gen)) {
        return undefined;
    }
    return claims;
}

/** The id of a token, as a list of ended tokens keeps it: the first 32 hex digits of its SHA-256, not the token. */
export function tokenIdOf(token: string): string {
    return createHash('sha256').update(token).digest('hex').slice(0, 32);
}
