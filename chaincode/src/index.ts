/**
 * Public entry of the Xinlian chaincode. `contracts` is what fabric-chaincode-node loads;
 * the gateway imports types, error codes and (for its embedded ledger) the contracts from here.
 */
import { EnterpriseContract } from './enterprise/enterprise-contract';

export const contracts = [EnterpriseContract];

export { EnterpriseContract };
export * from './errors';
export { canonicalStringify, canonicalBytes } from './ledger/canonical-json';
export { ROLES, ROLE_ORGS, MSP, ATTR_ROLE, ATTR_EID } from './ledger/caller';
export type { Role, Caller } from './ledger/caller';
export type { Enterprise, EnterpriseKind } from './enterprise/enterprise';
export { isValidUscc, isValidLei, usccCheckCharacter, leiCheckDigits } from './enterprise/identifiers';
