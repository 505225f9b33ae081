import { z } from 'zod';
import { Address, BoundedText, EnterpriseId, EnterpriseIdOrCaller, Reason, RecordId, TransactionResult } from '../schemas';
import type { Attestation } from '@xinlian/chaincode';
import { issuedPassport } from '../../passports/passport-service';
import { parseLedgerJson } from '../../services/ledger-client';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Credit passports';

/**
 * Who reads a subject's passports and recognitions: they carry its score, grade and reason codes, so
 * exactly those who may read its credit profile, and the platform admin (docs/credit-passport.md §6).
 */
const PASSPORT_READERS =
    "Readers: the subject's own users (a core enterprise or supplier reads only its own enterprise's), the regulator, financiers, credit bureaus, " +
    'foreign partners (those who may read its credit profile, as they show the same score, grade and reasons) and the platform admin; ' +
    'anyone else is refused with 403 FORBIDDEN. Whoever holds a passport can check it without signing in: POST /passports/verify.';

const AttestationId = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a passport digest: 0x and 64 hexadecimal digits').describe('The passport digest (EIP-712 hash)');
const Params = z.strictObject({ id: AttestationId });
/** A signed passport as carried between parties; its content is checked by the chaincode's parser. */
const SignedPassport = z.strictObject({
    attestation: z.looseObject({}).describe('CreditAttestation {subject, score, grade, reasonCodes, evidenceHash, issuedAt, expiresAt, nonce}'),
    signature: z.string().max(200).describe('65-byte EIP-712 signature, 0x hex'),
});

/**
 * recognition:SubmitAttestation's request (docs/credit-passport.md §3): a signed passport and, optionally,
 * the address the submitter believes signed it, which turns a passport altered after signing into
 * INVALID_SIGNATURE instead of SIGNER_NOT_REGISTERED. The chaincode checks the signer's EIP-55 checksum.
 */
const AnchorRequest = SignedPassport.extend({
    signer: Address.optional().describe('The address expected to have signed (EIP-55; all lower or upper case accepted): a signature recovering another address is refused with 400 INVALID_SIGNATURE'),
});

export const attestationsRoutes: RouteSpec[] = [
    {
        method: 'post', path: '/attestations', tag, status: 201, transaction: 'recognition:SubmitAttestation',
        summary: "Issue a credit passport (credit bureau): the gateway signs it with the bureau's key and anchors it",
        body: z.strictObject({
            subjectId: EnterpriseId,
            score: z.int().min(0).max(1000).optional(),
            grade: BoundedText(32, { trim: false }).optional().describe("The bureau's grade label, 1..32 characters (code points) without surrounding white space; default: the bureau's grade of the score"),
            reasonCodes: z.array(z.string().regex(/^[A-Z0-9][A-Z0-9_.-]{0,63}$/)).max(16).optional(),
            evidenceHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a hash: 0x and 64 hexadecimal digits').optional(),
            validDays: z.int().min(1).max(3650).optional(),
        }),
        response: z.object({ attestation: z.looseObject({}).describe('The anchored attestation (schema Attestation)'), passport: SignedPassport }),
        bodyFromResult: (payload) => issuedPassport(parseLedgerJson<Attestation>(payload)),
        handler: async ({ principal, body, services }) => {
            const issued = await services.passports.issue(principal, body);
            return { body: issued.result, txId: issued.txId };
        },
    },
    submitRoute({
        method: 'post', path: '/attestations/anchor', tag, summary: 'Anchor an externally signed passport (credit bureau, or platform admin relaying)',
        transaction: 'recognition:SubmitAttestation',
        body: AnchorRequest, status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/attestations', tag, summary: 'Every attestation of a subject', transaction: 'recognition:ListAttestations',
        description: `In id order, whatever their status; without subjectId, the caller's own enterprise's. ${PASSPORT_READERS}`,
        query: z.object({ subjectId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.subjectId ?? principal.enterpriseId],
    }),
    // Before /attestations/:id, which would otherwise take "latest" for an id.
    evaluateRoute({
        method: 'get', path: '/attestations/latest', tag, summary: "A subject's latest valid attestation (the one its credit profile counts)", transaction: 'recognition:LatestAttestation',
        description:
            'The valid passport with the highest issuedAt (ties: the later submission, then the lower id), judged at the ledger\'s time; ' +
            `404 NOT_FOUND when the subject has none (docs/credit-passport.md §4); without subjectId, the caller's own enterprise's. ${PASSPORT_READERS}`,
        query: z.object({ subjectId: EnterpriseIdOrCaller }), response: TransactionResult,
        args: ({ query, principal }) => [query.subjectId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/attestations/:id', tag, summary: 'Read an anchored attestation', transaction: 'recognition:ReadAttestation',
        description: PASSPORT_READERS,
        params: Params, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/attestations/:id/revoke', tag, summary: 'Revoke an attestation (issuing bureau, regulator)', transaction: 'recognition:RevokeAttestation',
        params: Params, body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    evaluateRoute({
        method: 'get', path: '/attestations/:id/verify', tag, summary: 'The ledger verdict on an anchored attestation', transaction: 'recognition:VerifyAttestation',
        description: `Judged at the ledger's time, with the passport's score and grade. ${PASSPORT_READERS}`,
        params: Params, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    {
        method: 'post', path: '/passports/verify', tag, auth: 'public',
        summary: 'Verify a passport (public): signature, issuer key, anchoring status and expiry',
        description:
            'For whoever holds the passport, signed in or not. The verdict carries no score or grade: those are in the passport the caller holds. ' +
            'The gateway looks up the issuer key and the anchoring status with its own read identity (docs/credit-passport.md §4).',
        body: SignedPassport,
        response: z.object({
            valid: z.boolean(),
            reasons: z.array(z.enum(['MALFORMED', 'BAD_SIGNATURE', 'SIGNER_NOT_REGISTERED', 'SIGNER_REVOKED', 'NOT_ANCHORED', 'REVOKED', 'EXPIRED'])),
            attestationId: z.string().nullable(),
            signer: z.string().nullable(),
            issuer: z.object({ bureauId: z.string(), address: z.string(), label: z.string().optional(), status: z.string() }).nullable(),
            status: z.enum(['VALID', 'REVOKED', 'NOT_ANCHORED', 'UNKNOWN']),
            subject: z.string().nullable(),
            expiresAt: z.string().nullable(),
            checkedAt: z.string(),
            detail: z.string().optional().describe('Why the passport is MALFORMED (which field, and what it must be) or has a BAD_SIGNATURE; absent otherwise'),
        }),
        handler: async ({ body, services }) => ({ body: await services.passports.verify(body) }),
    },
    {
        method: 'get', path: '/passports/issuers', tag, auth: 'public', list: true, pageKey: (key) => key.address, transaction: 'recognition:ListBureauKeys',
        summary: 'The published credit-bureau keys (public)', description: 'In address order.',
        response: TransactionResult,
        handler: async ({ services }) => ({ body: await services.passports.issuers() }),
    },
];

const recognitionsTag = 'Recognitions';

/** recognition:ListRecognitions lists by subject or by agreement, and refuses neither or both (so does this query). */
const RecognitionsQuery = z
    .object({
        subjectId: EnterpriseId.optional().describe(
            'The enterprise the recognised passports are about: USCC (18 characters) or LEI (20 characters) with its check characters, letters read in capitals. Give this or agreementId, not both',
        ),
        agreementId: RecordId.optional().describe('The agreement the recognitions were made under. Give this or subjectId, not both'),
    })
    .refine((query) => (query.subjectId === undefined) !== (query.agreementId === undefined), 'give exactly one of subjectId and agreementId');

export const recognitionsRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/recognitions', tag: recognitionsTag, summary: 'Recognise an attestation under an agreement (the partner)', transaction: 'recognition:RecognizeAttestation',
        body: z.strictObject({ agreementId: RecordId, attestationId: AttestationId }), status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/recognitions', tag: recognitionsTag, summary: 'Recognitions of a subject or of an agreement (give exactly one of subjectId and agreementId)', transaction: 'recognition:ListRecognitions',
        description:
            'Give exactly one of `subjectId` (the recognitions of passports about that enterprise) and `agreementId` (the recognitions under that agreement); ' +
            'neither or both is refused with 400 INVALID_ARGUMENT "give exactly one of subjectId and agreementId", before the ledger is asked. ' +
            "A recognition carries its passport's score and grade: a subject's recognitions are for those who may read its passports (below), " +
            "an agreement's (about many subjects) for those who may read anyone's, so a core enterprise's or supplier's users list their own by subjectId only. " +
            PASSPORT_READERS,
        query: RecognitionsQuery, list: true, response: TransactionResult,
        args: ({ query }) => [query.subjectId ?? '', query.agreementId ?? ''],
    }),
];
