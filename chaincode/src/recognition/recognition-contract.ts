import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { CREDIT_SUBJECT_KINDS, isCreditSubjectKind, syncAttestationFact } from '../profile/credit-profile';
import { OWN_PROFILE_ROLES, requirePassportReader, requirePassportSubject } from '../profile/credit-readers';
import { ChaincodeError, fail } from '../errors';
import { Actor, Enterprise, mustReadEnterprise, requireActiveEnterprise, requireActor, requireMember } from '../enterprise/enterprise';
import { linkRecord } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { Caller, ROLE_ORGS, Role, getCaller, requireRole } from '../ledger/caller';
import { XinlianContract } from '../ledger/contract-base';
import { parseReason, parseRequest, requireId } from '../ledger/input';
import { keyExists, mustRead, putIndex, scanIndex, scanRecords, writeRecord } from '../ledger/state';
import { agreementInactiveReason, agreementLapsed } from '../ledger/expiry';
import { deriveId, emitEvent, txDate, txId, txTime } from '../ledger/tx';
import {
    AGREEMENT,
    AGREEMENT_BY_PARTNER,
    Agreement,
    agreementKey,
    mapGrade,
    mustReadAgreement,
    newAgreement,
    parseAgreementRequest,
} from './agreement';
import {
    ATTESTATION,
    ATTESTATION_BY_BUREAU,
    ATTESTATION_BY_SUBJECT,
    Attestation,
    AttestationStatus,
    ISSUED_AT_SKEW_SECONDS,
    attestationKey,
    attestationStanding,
    attestationsOf,
    latestValidAttestation,
    mustReadAttestation,
    newAttestation,
    parseAttestationId,
    parseSubmission,
    recoverSubmissionSigner,
    txSeconds,
    verifyAnchored,
} from './attestation';
import { BUREAU_KEY, BUREAU_KEY_BY_BUREAU, BureauKey, bureauKeyKey, newBureauKey, parseAddress, parseBureauKeyRequest, readBureauKey } from './bureau-key';
import { RECOGNITION, RECOGNITION_BY_AGREEMENT, RECOGNITION_BY_SUBJECT, Recognition, recognitionId, recognitionKey, refusalFor } from './recognition';
import { readRecognitionAnchor, writeRecognitionAnchor } from './recognition-anchor';

/**
 * What `recognition:AttestationStatus` answers, to anyone on the channel: that an attestation is
 * anchored (NOT_FOUND otherwise) and its status, nothing of its content.
 */
export interface AttestationStatusView {
    /** The EIP-712 digest, 0x + 64 lower-case hex. */
    id: string;
    status: AttestationStatus;
}

/** Roles that may revoke an attestation: the issuing bureau's users and the regulator. */
const REVOKER_ROLES: readonly Role[] = ['credit-bureau', 'regulator'];

/** Requires the actor to be the agreement's partner: its enterprise, in its organisation. Throws FORBIDDEN. */
function requirePartnerOf(actor: Actor, agreement: Agreement): void {
    if (actor.eid !== agreement.partnerId || actor.mspId !== agreement.partnerMspId) {
        throw fail.forbidden(`only ${agreement.partnerId} acting through ${agreement.partnerMspId} may act on agreement ${agreement.id}`);
    }
}

/**
 * Requires a passport's subject to be someone whose credit a bureau may attest: a registered
 * enterprise (NOT_FOUND) other than the attesting parties, the bureau whose key signed the passport
 * and the submitter (FORBIDDEN: no one attests its own credit), and of a kind whose credit is scored,
 * a core enterprise or a supplier (INVALID_ARGUMENT; CREDIT_SUBJECT_KINDS in profile/credit-profile.ts).
 */
async function requireCreditSubject(ctx: Context, subjectId: string, bureauId: string, submitterId: string): Promise<Enterprise> {
    const subject = await mustReadEnterprise(ctx, subjectId);
    if (subject.id === bureauId || subject.id === submitterId) {
        const who = subject.id === bureauId ? 'the bureau whose key signed the passport' : 'the submitter';
        throw fail.forbidden(`request.attestation.subject ${subject.id} is ${who}: a credit passport about oneself is not accepted`);
    }
    if (!isCreditSubjectKind(subject.kind)) {
        throw fail.invalid(`request.attestation.subject ${subject.id} is a ${subject.kind}; credit passports are about a ${CREDIT_SUBJECT_KINDS.join(' or ')} only`);
    }
    return subject;
}

/**
 * Cross-border credit mutual recognition (跨境信用互认): credit-bureau signing keys, agreements with
 * foreign partners, EIP-712 credit attestations ("credit passports") and their recognitions.
 */
@Info({ title: 'RecognitionContract', description: 'Bureau keys, mutual-recognition agreements, credit passports and recognitions' })
export class RecognitionContract extends XinlianContract {
    constructor() {
        super('recognition');
    }

    // ── Credit-bureau keys ──────────────────────────────────────────────────────────────────────

    /**
     * Publishes a credit-bureau signing key `{bureauId, address, label?}` (platform admin).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, ENTERPRISE_FROZEN, ALREADY_EXISTS.
     */
    @Transaction()
    @Returns('string')
    async RegisterBureauKey(ctx: Context, request: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const parsed = parseBureauKeyRequest(parseRequest(request));
        await requireActiveEnterprise(ctx, parsed.bureauId, ['CREDIT_BUREAU']);
        const key = bureauKeyKey(ctx, parsed.address);
        if (await keyExists(ctx, key)) {
            throw fail.exists(`key ${parsed.address} is already registered (a revoked key is never registered again)`);
        }
        const record = newBureauKey(parsed, caller.eid, txTime(ctx), txId(ctx));
        await writeRecord(ctx, key, record);
        await putIndex(ctx, BUREAU_KEY_BY_BUREAU, [record.bureauId, record.address]);
        await linkRecord(ctx, [record.bureauId], { type: BUREAU_KEY, id: record.address });
        emitEvent(ctx, 'RegisterBureauKey', { address: record.address, bureauId: record.bureauId });
        return canonicalStringify(record);
    }

    /** Revokes a bureau key for good (platform admin). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async RevokeBureauKey(ctx: Context, address: string, reason: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const checksummed = parseAddress(address, 'address');
        const why = parseReason(reason);
        const record = await this.mustReadKey(ctx, checksummed);
        if (record.status === 'REVOKED') {
            throw fail.state(`key ${checksummed} is already revoked`);
        }
        const updated: BureauKey = { ...record, status: 'REVOKED', revokedAt: txTime(ctx), revokedBy: caller.eid, revocationReason: why };
        await writeRecord(ctx, bureauKeyKey(ctx, checksummed), updated);
        // Every passport the key signed stops counting: bring each subject's profile to its latest
        // valid attestation, and tell the subjects and the partners that recognised any of them.
        const signed = new Set<string>();
        const subjects = new Set<string>();
        for (const [, id] of await scanIndex(ctx, ATTESTATION_BY_BUREAU, [record.bureauId])) {
            const attestation = await mustReadAttestation(ctx, id);
            if (attestation.signer === checksummed) {
                signed.add(attestation.id);
                subjects.add(attestation.subject);
            }
        }
        const subjectIds = [...subjects].sort();
        for (const subject of subjectIds) {
            await syncAttestationFact(ctx, subject, await attestationStanding(ctx, subject, { keys: [updated] }));
        }
        // Which partner recognised which subject's passports, so the gateway can show a subject only
        // the partners that recognised its own (a subject may not read another's recognitions).
        const partnerIds = new Set<string>();
        const bySubject: Array<{ subject: string; partnerIds: string[] }> = [];
        for (const subject of subjectIds) {
            const recognisers = await this.recognisersOf(ctx, subject, signed);
            for (const partnerId of recognisers) {
                partnerIds.add(partnerId);
            }
            bySubject.push({ subject, partnerIds: recognisers });
        }
        emitEvent(ctx, 'RevokeBureauKey', { address: checksummed, bureauId: record.bureauId, subjects: subjectIds, partnerIds: [...partnerIds].sort(), bySubject });
        return canonicalStringify(updated);
    }

    /** Reads one published key; public (any channel member, attributes not required). Throws INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadBureauKey(ctx: Context, address: string): Promise<string> {
        return canonicalStringify(await this.mustReadKey(ctx, parseAddress(address, 'address')));
    }

    /**
     * The published issuer keys with status and validity (registeredAt .. revokedAt), in address order,
     * of one bureau or ('' ) all; public (attributes not required). Throws INVALID_ARGUMENT.
     */
    @Transaction(false)
    @Returns('string')
    async ListBureauKeys(ctx: Context, bureauId: string): Promise<string> {
        if (bureauId === '') {
            return canonicalStringify(await scanRecords<BureauKey>(ctx, BUREAU_KEY, []));
        }
        const rows = await scanIndex(ctx, BUREAU_KEY_BY_BUREAU, [requireId(bureauId, 'bureauId')]);
        const keys: BureauKey[] = [];
        for (const [, address] of rows) {
            keys.push(await this.mustReadKey(ctx, address));
        }
        return canonicalStringify(keys);
    }

    // ── Agreements ──────────────────────────────────────────────────────────────────────────────

    /**
     * Proposes an agreement `{partnerId, partnerMspId, gradeScale, validFrom, validUntil}` (platform admin).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, ENTERPRISE_FROZEN.
     */
    @Transaction()
    @Returns('string')
    async ProposeAgreement(ctx: Context, request: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const parsed = parseAgreementRequest(parseRequest(request), txDate(ctx));
        const partner = await requireActiveEnterprise(ctx, parsed.partnerId, ['FOREIGN_PARTNER']);
        if (partner.mspId !== parsed.partnerMspId) {
            throw fail.invalid(`request.partnerMspId: ${parsed.partnerId} is hosted by ${partner.mspId}, not ${parsed.partnerMspId}`);
        }
        if (!ROLE_ORGS['foreign-partner'].includes(parsed.partnerMspId)) {
            throw fail.invalid(`request.partnerMspId: ${parsed.partnerMspId} may not issue foreign-partner identities`);
        }
        const agreement = newAgreement(deriveId(ctx, 'agr'), parsed, caller.eid, txTime(ctx), txId(ctx));
        await writeRecord(ctx, agreementKey(ctx, agreement.id), agreement);
        await putIndex(ctx, AGREEMENT_BY_PARTNER, [agreement.partnerId, agreement.id]);
        await linkRecord(ctx, [agreement.partnerId], { type: AGREEMENT, id: agreement.id });
        emitEvent(ctx, 'ProposeAgreement', { agreementId: agreement.id, partnerId: agreement.partnerId });
        return canonicalStringify(agreement);
    }

    /**
     * Accepts a PROPOSED agreement: only an identity of the partner itself, in the partner's organisation.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, EXPIRED.
     */
    @Transaction()
    @Returns('string')
    async AcceptAgreement(ctx: Context, agreementId: string): Promise<string> {
        const actor = await requireActor(ctx, 'foreign-partner');
        const agreement = await mustReadAgreement(ctx, requireId(agreementId, 'agreementId'));
        requirePartnerOf(actor, agreement);
        if (agreement.status !== 'PROPOSED') {
            throw fail.state(`agreement ${agreement.id} is ${agreement.status}, not PROPOSED`);
        }
        if (agreementLapsed(agreement, txDate(ctx))) {
            throw new ChaincodeError('EXPIRED', `agreement ${agreement.id} lapsed at ${agreement.validUntil} before it was accepted`);
        }
        const now = txTime(ctx);
        const accepted: Agreement = { ...agreement, status: 'ACTIVE', acceptedAt: now, acceptedBy: actor.eid, updatedAt: now };
        return this.saveAgreement(ctx, (await writeRecognitionAnchor(ctx, accepted, now)) ?? accepted, 'AcceptAgreement');
    }

    /**
     * Terminates an ACTIVE agreement: only an identity of the partner itself, in the partner's organisation.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async TerminateAgreement(ctx: Context, agreementId: string, reason: string): Promise<string> {
        const actor = await requireActor(ctx, 'foreign-partner');
        const why = parseReason(reason);
        const agreement = await mustReadAgreement(ctx, requireId(agreementId, 'agreementId'));
        requirePartnerOf(actor, agreement);
        if (agreement.status !== 'ACTIVE') {
            throw fail.state(`agreement ${agreement.id} is ${agreement.status}, not ACTIVE`);
        }
        const now = txTime(ctx);
        const updated: Agreement = { ...agreement, status: 'TERMINATED', terminatedAt: now, terminatedBy: actor.eid, terminationReason: why, updatedAt: now };
        return this.saveAgreement(ctx, updated, 'TerminateAgreement');
    }

    /** Withdraws a PROPOSED agreement (platform admin). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async WithdrawAgreement(ctx: Context, agreementId: string, reason: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const why = parseReason(reason);
        const agreement = await mustReadAgreement(ctx, requireId(agreementId, 'agreementId'));
        if (agreement.status !== 'PROPOSED') {
            throw fail.state(`agreement ${agreement.id} is ${agreement.status}; only a PROPOSED agreement can be withdrawn`);
        }
        const now = txTime(ctx);
        const updated: Agreement = { ...agreement, status: 'WITHDRAWN', withdrawnAt: now, withdrawnBy: caller.eid, withdrawalReason: why, updatedAt: now };
        return this.saveAgreement(ctx, updated, 'WithdrawAgreement');
    }

    /**
     * The recognition anchor of an accepted agreement: how many recognitions it has and which
     * organisations' peers its key-level endorsement policy requires for the next one (any
     * authenticated caller). Throws UNAUTHENTICATED, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ReadRecognitionAnchor(ctx: Context, agreementId: string): Promise<string> {
        getCaller(ctx);
        return canonicalStringify(await readRecognitionAnchor(ctx, requireId(agreementId, 'agreementId')));
    }

    /** Reads one agreement. Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
    @Transaction(false)
    @Returns('string')
    async ReadAgreement(ctx: Context, agreementId: string): Promise<string> {
        getCaller(ctx);
        return canonicalStringify(await mustReadAgreement(ctx, requireId(agreementId, 'agreementId')));
    }

    /** Lists agreements of one partner or ('') all, in id order. Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT. */
    @Transaction(false)
    @Returns('string')
    async ListAgreements(ctx: Context, partnerId: string): Promise<string> {
        getCaller(ctx);
        if (partnerId === '') {
            return canonicalStringify(await scanRecords<Agreement>(ctx, AGREEMENT, []));
        }
        const rows = await scanIndex(ctx, AGREEMENT_BY_PARTNER, [requireId(partnerId, 'partnerId')]);
        const agreements: Agreement[] = [];
        for (const [, id] of rows) {
            agreements.push(await mustReadAgreement(ctx, id));
        }
        return canonicalStringify(agreements);
    }

    // ── Credit attestations ─────────────────────────────────────────────────────────────────────

    /**
     * Anchors a signed credit passport `{attestation, signature, signer?}` (credit bureau for its own
     * keys, or platform admin relaying for any bureau). The signer is recovered from the EIP-712 signature.
     * The subject must be a registered core enterprise or supplier other than the bureau and the submitter.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, INVALID_SIGNATURE,
     * SIGNER_NOT_REGISTERED, EXPIRED, NOT_FOUND, ALREADY_EXISTS.
     */
    @Transaction()
    @Returns('string')
    async SubmitAttestation(ctx: Context, request: string): Promise<string> {
        const caller = await this.requireSubmitter(ctx);
        const submission = parseSubmission(request);
        const { signer, signature, digest } = recoverSubmissionSigner(submission);
        const key = await readBureauKey(ctx, signer);
        if (!key) {
            throw new ChaincodeError('SIGNER_NOT_REGISTERED', `the signature recovers ${signer}, which is not a registered bureau key (unknown key, or content altered after signing)`);
        }
        if (key.status !== 'ACTIVE') {
            throw new ChaincodeError('SIGNER_NOT_REGISTERED', `bureau key ${signer} was revoked at ${key.revokedAt}`);
        }
        if (caller.role === 'credit-bureau' && key.bureauId !== caller.eid) {
            throw fail.forbidden(`key ${signer} belongs to bureau ${key.bureauId}, not ${caller.eid}`);
        }
        await requireActiveEnterprise(ctx, key.bureauId);
        const passport = submission.attestation;
        const now = txSeconds(ctx);
        if (passport.issuedAt > now + ISSUED_AT_SKEW_SECONDS) {
            throw fail.invalid(`request.attestation.issuedAt ${passport.issuedAt} lies more than ${ISSUED_AT_SKEW_SECONDS} s after the transaction time ${now}`);
        }
        if (passport.expiresAt <= now) {
            throw new ChaincodeError('EXPIRED', `the attestation expired at ${passport.expiresAt} (transaction time ${now})`);
        }
        await requireCreditSubject(ctx, passport.subject, key.bureauId, caller.eid);
        const stateKey = attestationKey(ctx, digest);
        if (await keyExists(ctx, stateKey)) {
            throw fail.exists(`attestation ${digest} is already anchored`);
        }
        const record = newAttestation(passport, { id: digest, signer, bureauId: key.bureauId, signature }, caller.eid, txTime(ctx), txId(ctx));
        await writeRecord(ctx, stateKey, record);
        await putIndex(ctx, ATTESTATION_BY_SUBJECT, [record.subject, record.id]);
        await putIndex(ctx, ATTESTATION_BY_BUREAU, [record.bureauId, record.id]);
        await linkRecord(ctx, [record.subject, record.bureauId], { type: ATTESTATION, id: record.id });
        // The profile counts the subject's latest valid passport, which need not be this one.
        await syncAttestationFact(ctx, record.subject, await attestationStanding(ctx, record.subject, { attestations: [record] }));
        emitEvent(ctx, 'SubmitAttestation', { attestationId: record.id, subject: record.subject, bureauId: record.bureauId, signer });
        return canonicalStringify(record);
    }

    /**
     * Revokes an attestation: the issuing bureau (frozen or not: withdrawing its own word moves no
     * value and reduces risk) or the regulator.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async RevokeAttestation(ctx: Context, attestationId: string, reason: string): Promise<string> {
        const role = getCaller(ctx).role;
        if (!REVOKER_ROLES.includes(role)) {
            throw fail.forbidden(`role ${role} may not revoke attestations; requires ${REVOKER_ROLES.join(' or ')}`);
        }
        const caller: Caller = role === 'regulator' ? requireRole(ctx, 'regulator') : await requireMember(ctx, 'credit-bureau');
        const why = parseReason(reason);
        const attestation = await mustReadAttestation(ctx, parseAttestationId(attestationId));
        if (caller.role === 'credit-bureau' && attestation.bureauId !== caller.eid) {
            throw fail.forbidden(`attestation ${attestation.id} was issued by ${attestation.bureauId}, not ${caller.eid}`);
        }
        if (attestation.status === 'REVOKED') {
            throw fail.state(`attestation ${attestation.id} is already revoked`);
        }
        const updated: Attestation = { ...attestation, status: 'REVOKED', revokedAt: txTime(ctx), revokedBy: caller.eid, revocationReason: why };
        await writeRecord(ctx, attestationKey(ctx, attestation.id), updated);
        // The subject's profile falls back to its latest valid passport, if it counted this one.
        await syncAttestationFact(ctx, attestation.subject, await attestationStanding(ctx, attestation.subject, { attestations: [updated] }));
        // The partners that recognised it learn that it no longer stands.
        const recognisers = await this.recognisersOf(ctx, attestation.subject, new Set([attestation.id]));
        emitEvent(ctx, 'RevokeAttestation', { attestationId: attestation.id, subject: attestation.subject, bureauId: attestation.bureauId, partnerIds: recognisers });
        return canonicalStringify(updated);
    }

    /**
     * Reads one anchored attestation (those who may read its subject's credit passports:
     * `requirePassportReader`, docs/credit-passport.md §6). Throws UNAUTHENTICATED, FORBIDDEN,
     * INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ReadAttestation(ctx: Context, attestationId: string): Promise<string> {
        return canonicalStringify(await this.readableAttestation(ctx, attestationId));
    }

    /**
     * Whether an attestation is anchored, and its status: `{id, status}` (VALID or REVOKED), NOT_FOUND
     * when it is not anchored; public like ReadBureauKey (any channel member, attributes not required).
     * It discloses no score, grade or subject, and its id is the passport's EIP-712 digest, which only
     * a holder of the passport knows: the gateway's public check `POST /passports/verify` reads it, so a
     * passport's holder gets a verdict on any organisation's gateway (docs/credit-passport.md §4, §6).
     * Throws INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async AttestationStatus(ctx: Context, attestationId: string): Promise<string> {
        const attestation = await mustReadAttestation(ctx, parseAttestationId(attestationId));
        const view: AttestationStatusView = { id: attestation.id, status: attestation.status };
        return canonicalStringify(view);
    }

    /**
     * The verdict on an anchored attestation at the transaction's time: `{valid, reasons, …}`, with
     * its score and grade (those who may read its subject's credit passports).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async VerifyAttestation(ctx: Context, attestationId: string): Promise<string> {
        const attestation = await this.readableAttestation(ctx, attestationId);
        return canonicalStringify(await verifyAnchored(ctx, attestation));
    }

    /**
     * Every attestation of a subject, in id order, whatever its status (those who may read the
     * subject's credit passports). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT.
     */
    @Transaction(false)
    @Returns('string')
    async ListAttestations(ctx: Context, subjectId: string): Promise<string> {
        const reader = await requirePassportReader(ctx, 'credit passports');
        const subject = requireId(subjectId, 'subjectId');
        requirePassportSubject(reader, subject, 'credit passports');
        return canonicalStringify(await attestationsOf(ctx, subject));
    }

    /**
     * The latest attestation of a subject that is valid now (those who may read the subject's credit
     * passports). Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async LatestAttestation(ctx: Context, subjectId: string): Promise<string> {
        const reader = await requirePassportReader(ctx, 'credit passports');
        const subject = requireId(subjectId, 'subjectId');
        requirePassportSubject(reader, subject, 'credit passports');
        const latest = await latestValidAttestation(ctx, subject);
        if (!latest) {
            throw fail.notFound(`${subjectId} has no valid attestation`);
        }
        return canonicalStringify(latest);
    }

    // ── Recognitions ────────────────────────────────────────────────────────────────────────────

    /**
     * Records that the partner recognises an attestation `{agreementId, attestationId}` under an agreement
     * in force, mapping the score to the partner's grade (an identity of the agreement's partner only).
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, AGREEMENT_INACTIVE,
     * REVOKED, EXPIRED, SIGNER_NOT_REGISTERED, INVALID_SIGNATURE, ALREADY_EXISTS.
     */
    @Transaction()
    @Returns('string')
    async RecognizeAttestation(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'foreign-partner');
        const input = parseRequest(request);
        const agreementId = requireId(input.string('agreementId', { max: 128 }), 'request.agreementId');
        const attestationId = parseAttestationId(input.string('attestationId', { max: 66 }), 'request.attestationId');
        input.done();
        const agreement = await mustReadAgreement(ctx, agreementId);
        requirePartnerOf(actor, agreement);
        const inactive = agreementInactiveReason(agreement, txDate(ctx));
        if (inactive) {
            throw new ChaincodeError('AGREEMENT_INACTIVE', inactive);
        }
        const attestation = await mustReadAttestation(ctx, attestationId);
        const verdict = await verifyAnchored(ctx, attestation);
        if (!verdict.valid) {
            throw refusalFor(attestation.id, verdict.reasons);
        }
        await requireActiveEnterprise(ctx, attestation.subject);
        const id = recognitionId(agreement.id, attestation.id);
        const key = recognitionKey(ctx, id);
        if (await keyExists(ctx, key)) {
            throw fail.exists(`attestation ${attestation.id} is already recognised under agreement ${agreement.id}`);
        }
        const recognition: Recognition = {
            docType: 'recognition',
            id,
            agreementId: agreement.id,
            attestationId: attestation.id,
            subject: attestation.subject,
            bureauId: attestation.bureauId,
            partnerId: agreement.partnerId,
            domesticScore: attestation.score,
            domesticGrade: attestation.grade,
            mappedGrade: mapGrade(agreement.gradeScale, attestation.score),
            attestationExpiresAt: attestation.expiresAt,
            recognizedAt: txTime(ctx),
            recognizedBy: actor.eid,
            txId: txId(ctx),
        };
        await writeRecord(ctx, key, recognition);
        const anchored = await writeRecognitionAnchor(ctx, agreement, recognition.recognizedAt, id);
        if (anchored) {
            await writeRecord(ctx, agreementKey(ctx, agreement.id), anchored);
        }
        await putIndex(ctx, RECOGNITION_BY_SUBJECT, [recognition.subject, id]);
        await putIndex(ctx, RECOGNITION_BY_AGREEMENT, [recognition.agreementId, id]);
        await linkRecord(ctx, [recognition.subject, recognition.bureauId, recognition.partnerId], { type: RECOGNITION, id });
        emitEvent(ctx, 'RecognizeAttestation', {
            recognitionId: id,
            agreementId: agreement.id,
            attestationId: attestation.id,
            subject: recognition.subject,
            bureauId: recognition.bureauId,
            partnerId: recognition.partnerId,
        });
        return canonicalStringify(recognition);
    }

    /**
     * Recognitions of one subject or of one agreement: exactly one of the two arguments is non-empty.
     * A recognition carries its passport's score and grade, so the subject's are for those who may read
     * its credit passports, and an agreement's (about many subjects) for those who may read anyone's:
     * a core enterprise's or supplier's users list their own enterprise's by subject only.
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT.
     */
    @Transaction(false)
    @Returns('string')
    async ListRecognitions(ctx: Context, subjectId: string, agreementId: string): Promise<string> {
        const reader = await requirePassportReader(ctx, 'recognitions');
        if ((subjectId === '') === (agreementId === '')) {
            throw fail.invalid('give exactly one of subjectId and agreementId');
        }
        let rows: string[][];
        if (subjectId !== '') {
            const subject = requireId(subjectId, 'subjectId');
            requirePassportSubject(reader, subject, 'recognitions');
            rows = await scanIndex(ctx, RECOGNITION_BY_SUBJECT, [subject]);
        } else {
            const agreement = requireId(agreementId, 'agreementId');
            if (OWN_PROFILE_ROLES.includes(reader.role)) {
                throw fail.forbidden(`a ${reader.role} may read only the recognitions of its own credit passports: list them by subjectId, not by agreement`);
            }
            rows = await scanIndex(ctx, RECOGNITION_BY_AGREEMENT, [agreement]);
        }
        const recognitions: Recognition[] = [];
        for (const [, id] of rows) {
            recognitions.push(await mustRead<Recognition>(ctx, recognitionKey(ctx, id), `recognition ${id}`));
        }
        return canonicalStringify(recognitions);
    }

    // ── helpers ─────────────────────────────────────────────────────────────────────────────────

    /** An anchored attestation the caller may read: one of its subject's credit passports (`requirePassportReader`). */
    private async readableAttestation(ctx: Context, attestationId: string): Promise<Attestation> {
        const reader = await requirePassportReader(ctx, 'credit passports');
        const attestation = await mustReadAttestation(ctx, parseAttestationId(attestationId));
        requirePassportSubject(reader, attestation.subject, 'credit passports');
        return attestation;
    }

    private async mustReadKey(ctx: Context, address: string): Promise<BureauKey> {
        const key = await readBureauKey(ctx, address);
        if (!key) {
            throw fail.notFound(`bureau key ${address} is not registered`);
        }
        return key;
    }

    /** The partners (sorted, each once) that recognised any of `attestationIds`, all of subject `subject`. */
    private async recognisersOf(ctx: Context, subject: string, attestationIds: ReadonlySet<string>): Promise<string[]> {
        const partners = new Set<string>();
        for (const [, id] of await scanIndex(ctx, RECOGNITION_BY_SUBJECT, [subject])) {
            const recognition = await mustRead<Recognition>(ctx, recognitionKey(ctx, id), `recognition ${id}`);
            if (attestationIds.has(recognition.attestationId)) {
                partners.add(recognition.partnerId);
            }
        }
        return [...partners].sort();
    }

    /** A credit-bureau user of an active bureau, or the platform admin. */
    private async requireSubmitter(ctx: Context): Promise<Caller> {
        const caller = getCaller(ctx);
        if (caller.role === 'platform-admin') {
            return caller;
        }
        if (caller.role !== 'credit-bureau') {
            throw fail.forbidden(`role ${caller.role} may not submit attestations; requires credit-bureau or platform-admin`);
        }
        return requireActor(ctx, 'credit-bureau');
    }

    private async saveAgreement(ctx: Context, agreement: Agreement, event: string): Promise<string> {
        await writeRecord(ctx, agreementKey(ctx, agreement.id), agreement);
        emitEvent(ctx, event, { agreementId: agreement.id, partnerId: agreement.partnerId, status: agreement.status });
        return canonicalStringify(agreement);
    }
}
