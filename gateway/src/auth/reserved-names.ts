/**
 * The names of the gateway's own ledger identities. They live in the same wallet as the users'
 * identities, one entry per organisation and name, so a user given one of these names would take the
 * wallet entry of the gateway's identity (or the gateway's identity the user's). No user may be
 * created with them; the backends also refuse to replace an identity of another role or enterprise.
 */

/** The gateway's read identity (gateway-services.ts verifierOf): public passport verification, idempotency look-ups. */
export const VERIFIER_USERNAME = 'gateway-verifier';

/** The embedded ledger's placeholder enrolment that makes each organisation's local CA exist. */
export const CA_INIT_USERNAME = 'ca-init';

/** The Fabric wallet keeps each organisation's CA registrar as `registrar-<FABRIC_*_CA_REGISTRAR>`. */
export const REGISTRAR_WALLET_PREFIX = 'registrar-';

/**
 * Why `username` may not be a user's name, or undefined when it may: it is (or, for the registrars,
 * may be) the name of one of the gateway's own identities.
 */
export function reservedNameReason(username: string): string | undefined {
    if (username === VERIFIER_USERNAME) {
        return "it is the name of the gateway's read identity";
    }
    if (username === CA_INIT_USERNAME) {
        return "it is the name of the embedded ledger's certificate authority set-up identity";
    }
    if (username.startsWith(REGISTRAR_WALLET_PREFIX)) {
        return `names starting with "${REGISTRAR_WALLET_PREFIX}" are the wallet names of the Fabric CA registrars`;
    }
    return undefined;
}
