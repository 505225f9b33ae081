import type { Role } from '../ledger/caller';

/**
 * Kinds of enterprise and the role their users act in. A module of its own, without imports of
 * runtime code, so the client app can use the same table.
 */

export const ENTERPRISE_KINDS = [
    'PLATFORM',
    'CORE_ENTERPRISE',
    'SUPPLIER',
    'FINANCIER',
    'APPRAISER',
    'CREDIT_BUREAU',
    'FOREIGN_PARTNER',
    'REGULATOR',
] as const;

export type EnterpriseKind = (typeof ENTERPRISE_KINDS)[number];

/** The role a user of each kind of enterprise acts in. */
export const KIND_ROLE: Readonly<Record<EnterpriseKind, Role>> = {
    PLATFORM: 'platform-admin',
    CORE_ENTERPRISE: 'core-enterprise',
    SUPPLIER: 'supplier',
    FINANCIER: 'financier',
    APPRAISER: 'appraiser',
    CREDIT_BUREAU: 'credit-bureau',
    FOREIGN_PARTNER: 'foreign-partner',
    REGULATOR: 'regulator',
};
