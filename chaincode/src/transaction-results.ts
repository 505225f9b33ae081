import type { AuditPack } from './audit/audit-contract';
import type { CreditLineView } from './credit-line/credit-line';
import type { Enterprise } from './enterprise/enterprise';
import type { IpAsset } from './ip/ip-asset';
import type { PledgeNotice } from './ip/ip-contract';
import type { IpParameters, IpPledge } from './ip/pledge';
import type { AcceptQuoteResult, DiscountQuote, DiscountRequest, FinancingTerms } from './note/discount';
import type { Note } from './note/note';
import type { NoteParameters } from './note/note-parameters';
import type { Exposure, Provenance } from './note/provenance';
import type { OverdueAnswer, Redemption } from './note/redemption';
import type { AcceptResult, NoteOffer, SplitResult } from './note/transfer';
import type { CreditProfileView, WarningEntry } from './profile/profile-contract';
import type { Receivable } from './receivable/receivable';
import type { Agreement } from './recognition/agreement';
import type { Attestation, AttestationVerdict } from './recognition/attestation';
import type { BureauKey } from './recognition/bureau-key';
import type { Recognition } from './recognition/recognition';
import type { RecognitionAnchorView } from './recognition/recognition-anchor';
import type { AttestationStatusView } from './recognition/recognition-contract';

/**
 * What each transaction returns, as JSON, by its fully qualified name: the API's documented
 * response shapes are generated from this table (gateway/scripts/generate-openapi.ts), and the
 * gateway's integration tests check every response they receive against them.
 */
export interface TransactionResults {
    'enterprise:RegisterEnterprise': Enterprise;
    'enterprise:ReadEnterprise': Enterprise;
    'enterprise:ListEnterprises': Enterprise[];
    'enterprise:FreezeEnterprise': Enterprise;
    'enterprise:UnfreezeEnterprise': Enterprise;

    'credit-line:GrantCreditLine': CreditLineView;
    'credit-line:ChangeCreditLimit': CreditLineView;
    'credit-line:RevokeCreditLine': CreditLineView;
    'credit-line:ReadCreditLine': CreditLineView;
    'credit-line:ListCreditLines': CreditLineView[];

    'receivable:RegisterReceivable': Receivable;
    'receivable:ReadReceivable': Receivable;
    'receivable:ReadReceivableByDocument': Receivable;
    'receivable:ListReceivables': Receivable[];
    'receivable:ConfirmReceivable': Receivable;
    'receivable:DisputeReceivable': Receivable;
    'receivable:CancelReceivable': Receivable;
    'receivable:SettleReceivable': Receivable;

    'note:IssueNote': Note;
    'note:ReadNote': Note;
    'note:ListNotesOfHolder': Note[];
    'note:SplitNote': SplitResult;
    'note:GetProvenance': Provenance;
    'note:RedeemNote': Redemption;
    'note:MarkOverdue': OverdueAnswer;
    'note:GetExposure': Exposure;
    'note:GetNoteParameters': NoteParameters;
    'note:SetNoteParameters': NoteParameters;
    'note:OfferTransfer': NoteOffer;
    'note:ReadOffer': NoteOffer;
    'note:ListOffers': NoteOffer[];
    'note:AcceptOffer': AcceptResult;
    'note:DeclineOffer': NoteOffer;
    'note:CancelOffer': NoteOffer;
    'note:ExpireOffer': NoteOffer;
    'note:RequestDiscount': DiscountRequest;
    'note:ReadDiscountRequest': DiscountRequest;
    'note:ListDiscountRequests': DiscountRequest[];
    'note:WithdrawDiscountRequest': DiscountRequest;
    'note:SubmitQuote': DiscountQuote;
    'note:ListQuotes': DiscountQuote[];
    'note:ReadQuoteTerms': FinancingTerms;
    'note:AcceptQuote': AcceptQuoteResult;
    'note:WithdrawQuote': DiscountQuote;

    'ip:RegisterIpAsset': IpAsset;
    'ip:ReadIpAsset': IpAsset;
    'ip:ReadIpAssetByReport': IpAsset;
    'ip:ListIpAssetsOfOwner': IpAsset[];
    'ip:ReviseValuation': IpAsset;
    'ip:ConfirmIpOwnership': IpAsset;
    'ip:DeclineIpOwnership': IpAsset;
    'ip:VoidIpAsset': IpAsset;
    'ip:GetPledgeNotice': PledgeNotice;
    'ip:ReadIpParameters': IpParameters;
    'ip:SetIpParameters': IpParameters;
    'ip:RequestPledge': IpPledge;
    'ip:ReadPledge': IpPledge;
    'ip:ListPledgesOfEnterprise': IpPledge[];
    'ip:ConsentPledge': IpPledge;
    'ip:WithdrawPledgeConsent': IpPledge;
    'ip:DeclinePledge': IpPledge;
    'ip:AcceptPledge': IpPledge;
    'ip:RejectPledge': IpPledge;
    'ip:CancelPledge': IpPledge;
    'ip:ReleasePledge': IpPledge;
    'ip:EnforcePledge': IpPledge;

    'recognition:RegisterBureauKey': BureauKey;
    'recognition:RevokeBureauKey': BureauKey;
    'recognition:ReadBureauKey': BureauKey;
    'recognition:ListBureauKeys': BureauKey[];
    'recognition:ProposeAgreement': Agreement;
    'recognition:ReadAgreement': Agreement;
    'recognition:ListAgreements': Agreement[];
    'recognition:AcceptAgreement': Agreement;
    'recognition:TerminateAgreement': Agreement;
    'recognition:WithdrawAgreement': Agreement;
    'recognition:SubmitAttestation': Attestation;
    'recognition:RevokeAttestation': Attestation;
    'recognition:ReadAttestation': Attestation;
    'recognition:AttestationStatus': AttestationStatusView;
    'recognition:VerifyAttestation': AttestationVerdict;
    'recognition:ListAttestations': Attestation[];
    'recognition:LatestAttestation': Attestation;
    'recognition:RecognizeAttestation': Recognition;
    'recognition:ReadRecognitionAnchor': RecognitionAnchorView;
    'recognition:ListRecognitions': Recognition[];

    'profile:ReadCreditProfile': CreditProfileView;
    'profile:RefreshCreditProfile': CreditProfileView;
    'profile:ListWarnings': WarningEntry[];

    'audit:ExportAuditPack': AuditPack;
}

/** A transaction the API documents the result of. */
export type TransactionName = keyof TransactionResults;
