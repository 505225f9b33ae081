import { call } from '../../gateway/test/conformance/api-client';

/**
 * The REST gateways run-fabric.sh starts on the fabric backend (`node gateway/dist/main.js`,
 * LEDGER_BACKEND=fabric): the platform's at XINLIAN_GATEWAY_URL (every org's users, demo seed), the
 * foreign partner's at XINLIAN_PARTNER_GATEWAY_URL (only the PartnerMSP peer and CA). Both end in /api/v1.
 */

/** The demo users' password (GATEWAY_DEMO_PASSWORD of the gateway, default xinlian-demo). */
export const DEMO_PASSWORD = process.env.GATEWAY_DEMO_PASSWORD || 'xinlian-demo';

/** The base URL in `variable`, or undefined when that gateway was not started. */
export function gatewayUrl(variable: 'XINLIAN_GATEWAY_URL' | 'XINLIAN_PARTNER_GATEWAY_URL'): string | undefined {
    return process.env[variable] || undefined;
}

/** Logs `username` in; returns its bearer token. */
export async function loginToken(baseUrl: string, username: string, password: string = DEMO_PASSWORD): Promise<string> {
    const response = await call<{ token: string }>(baseUrl, 'POST', '/auth/login', { body: { username, password } });
    if (response.status !== 200) {
        throw new Error(`login of ${username} at ${baseUrl} failed: HTTP ${response.status} ${response.text}`);
    }
    return response.body.token;
}

/** Tokens per user, logged in once. */
export function tokenCache(baseUrl: () => string, password: string = DEMO_PASSWORD): (username: string) => Promise<string> {
    const tokens = new Map<string, Promise<string>>();
    return (username) => {
        let token = tokens.get(username);
        if (!token) {
            token = loginToken(baseUrl(), username, password);
            tokens.set(username, token);
            token.catch(() => tokens.delete(username));
        }
        return token;
    };
}
