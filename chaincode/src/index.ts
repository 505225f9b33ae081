/**
 * Public entry of the Xinlian chaincode. `contracts` is what fabric-chaincode-node loads;
 * the gateway imports types, error codes and (for its embedded ledger) the contracts from here.
 */
import { AuditContract } from './audit/audit-contract';
import { CreditLineContract } from './credit-line/credit-line-contract';
import { EnterpriseContract } from './enterprise/enterprise-contract';
import { IdentityContract } from './identity/identity-contract';
import { IpContract } from './ip/ip-contract';
import { NoteContract } from './note/note-contract';
import { ProfileContract } from './profile/profile-contract';
import { ReceivableContract } from './receivable/receivable-contract';
import { RecognitionContract } from './recognition/recognition-contract';

export const contracts = [EnterpriseContract, IdentityContract, CreditLineContract, ReceivableContract, NoteContract, IpContract, RecognitionContract, ProfileContract, AuditContract];

export { EnterpriseContract, IdentityContract, CreditLineContract, ReceivableContract, NoteContract, IpContract, RecognitionContract, ProfileContract, AuditContract };
export * from './errors';
export { canonicalStringify, canonicalBytes } from './ledger/canonical-json';
export { eventNames } from './ledger/event-parties';
export { ROLES, ROLE_ORGS, MSP, ATTR_ROLE, ATTR_EID } from './ledger/caller';
export type { Role, Caller } from './ledger/caller';
export type { Enterprise, EnterpriseKind } from './enterprise/enterprise';
export { KIND_ROLE, ENTERPRISE_KINDS } from './enterprise/enterprise';
export type { CreditLine } from './credit-line/credit-line';
export type { CreditLineView } from './credit-line/credit-line';
export type { Receivable } from './receivable/receivable';
export type { Note } from './note/note';
export type { NoteOffer } from './note/transfer';
export type { NoteParameters } from './note/note-parameters';
export { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS } from './note/grace';
export { HARD_MAX_TENOR_MONTHS } from './note/tenor';
export type { DiscountRequest, DiscountQuote, FinancingTerms } from './note/discount';
export type { ProvenanceHop, Provenance, Exposure } from './note/provenance';
export type { OverdueAnswer, OverdueMark, Redemption } from './note/redemption';
export type { IpAsset } from './ip/ip-asset';
export type { Valuation } from './ip/ip-asset';
export type { IpPledge, IpParameters } from './ip/pledge';
export type { CreditEvent, CreditProfile } from './profile/credit-profile';
export type { CreditProfileView, WarningEntry } from './profile/profile-contract';
export type { WarningLevel } from './profile/warning-rules';
export { WARNING_LEVELS, WARNING_RULE_CODES } from './profile/warning-rules';
export { REASON_CODES } from './profile/scoring-rules';
export type { AuditPack, AuditHistoryEntry } from './audit/audit-contract';
export type { UserEnrolment } from './identity/user-enrolment';
export type { TransactionCreator } from './identity/transaction-creator';
export { certificateFingerprint } from './identity/certificate-fingerprint';
export { isValidUscc, isValidLei, usccCheckCharacter, leiCheckDigits } from './enterprise/identifiers';
export { patentCheckCharacter } from './ip/registry-number';
export { characterCount, textProblem } from './ledger/input';
export * from './recognition/passport';
export type { BureauKey } from './recognition/bureau-key';
export type { Agreement } from './recognition/agreement';
export type { Attestation, AttestationVerdict } from './recognition/attestation';
export { expiryTime, passportOf } from './recognition/attestation';
export type { Recognition } from './recognition/recognition';
