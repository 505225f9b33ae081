/**
 * Public entry of the Xinlian chaincode. `contracts` is what fabric-chaincode-node loads;
 * the gateway imports types, error codes and (for its embedded ledger) the contracts from here.
 */
import { CreditLineContract } from './credit-line/credit-line-contract';
import { EnterpriseContract } from './enterprise/enterprise-contract';
import { ReceivableContract } from './receivable/receivable-contract';

export const contracts = [EnterpriseContract, CreditLineContract, ReceivableContract];

export { EnterpriseContract, CreditLineContract, ReceivableContract };
export * from './errors';
export { canonicalStringify, canonicalBytes } from './ledger/canonical-json';
export { ROLES, ROLE_ORGS, MSP, ATTR_ROLE, ATTR_EID } from './ledger/caller';
export type { Role, Caller } from './ledger/caller';
export type { Enterprise, EnterpriseKind } from './enterprise/enterprise';
export type { CreditLine } from './credit-line/credit-line';
export type { Receivable } from './receivable/receivable';
export { isValidUscc, isValidLei, usccCheckCharacter, leiCheckDigits } from './enterprise/identifiers';
