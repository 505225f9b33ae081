import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';

/**
 * The caller, as proven by the signed identity: MSP id from the proposal, role and enterprise
 * id from the Fabric CA attributes `xl.role` and `xl.eid` in the client certificate.
 * Nothing here ever trusts a name passed as a transaction argument.
 */

export const ROLES = [
    'platform-admin',
    'core-enterprise',
    'supplier',
    'financier',
    'appraiser',
    'credit-bureau',
    'foreign-partner',
    'regulator',
] as const;

export type Role = (typeof ROLES)[number];

export const MSP = {
    platform: 'PlatformMSP',
    bank: 'BankMSP',
    partner: 'PartnerMSP',
} as const;

/** Which organisation may issue identities of each role. A role from any other org is refused. */
export const ROLE_ORGS: Readonly<Record<Role, readonly string[]>> = {
    'platform-admin': [MSP.platform],
    'core-enterprise': [MSP.platform],
    supplier: [MSP.platform],
    financier: [MSP.bank],
    appraiser: [MSP.bank, MSP.platform],
    'credit-bureau': [MSP.platform],
    'foreign-partner': [MSP.partner],
    regulator: [MSP.platform],
};

export const ATTR_ROLE = 'xl.role';
export const ATTR_EID = 'xl.eid';

/** The authenticated caller of a transaction. */
export interface Caller {
    mspId: string;
    role: Role;
    eid: string;
    /** Fabric's x509 identity string (subject and issuer DNs). */
    id: string;
}

function isRole(value: string): value is Role {
    return (ROLES as readonly string[]).includes(value);
}

/**
 * Reads the caller from the client identity.
 * Throws UNAUTHENTICATED when the certificate lacks the attributes, FORBIDDEN when the role
 * is unknown or not allowed for the caller's organisation.
 */
export function getCaller(ctx: Context): Caller {
    const identity = ctx.clientIdentity;
    const role = identity.getAttributeValue(ATTR_ROLE);
    const eid = identity.getAttributeValue(ATTR_EID);
    if (!role || !eid) {
        throw new ChaincodeError('UNAUTHENTICATED', `the client certificate carries no ${ATTR_ROLE}/${ATTR_EID} attributes`);
    }
    if (!isRole(role)) {
        throw fail.forbidden(`unknown role ${role}`);
    }
    const mspId = identity.getMSPID();
    if (!ROLE_ORGS[role].includes(mspId)) {
        throw fail.forbidden(`role ${role} may not be held by an identity of ${mspId}`);
    }
    return { mspId, role, eid, id: identity.getID() };
}

/** Requires the caller to hold one of `roles`. Throws UNAUTHENTICATED or FORBIDDEN. */
export function requireRole(ctx: Context, ...roles: Role[]): Caller {
    const caller = getCaller(ctx);
    if (!roles.includes(caller.role)) {
        throw fail.forbidden(`role ${caller.role} may not do this; requires ${roles.join(' or ')}`);
    }
    return caller;
}
