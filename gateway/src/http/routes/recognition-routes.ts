import { z } from 'zod';
import { Address, BoundedText, DateOrTimestamp, EmptyBody, EnterpriseId, TransactionResult, Reason, RecordId } from '../schemas';
import { parseLedgerJson } from '../../services/ledger-client';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const keysTag = 'Bureau keys';
const agreementsTag = 'Agreements';

export const bureauKeysRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/bureau-keys', tag: keysTag, summary: 'Publish a credit-bureau signing key (platform admin)', transaction: 'recognition:RegisterBureauKey',
        body: z.strictObject({ bureauId: EnterpriseId, address: Address, label: z.string().trim().min(1).max(100).optional() }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    {
        method: 'post', path: '/bureau-keys/generate', tag: keysTag, transaction: 'recognition:RegisterBureauKey', status: 201, response: TransactionResult,
        summary: 'Create a gateway-held signing key for a bureau (encrypted at rest) and publish it (platform admin)',
        description:
            "Rotation: once the bureau's gateway-held key is revoked (POST /bureau-keys/{address}/revoke), this creates and publishes a new one, " +
            'which the gateway signs new passports with; the revoked key stays published as REVOKED, so the passports it signed verify as SIGNER_REVOKED. ' +
            "While the bureau's gateway-held key is ACTIVE, answers 409 ALREADY_EXISTS.",
        body: z.strictObject({ bureauId: EnterpriseId, label: z.string().trim().min(1).max(100).optional() }),
        bodyFromResult: (payload) => parseLedgerJson(payload),
        handler: async ({ principal, body, services }) => {
            const written = await services.passports.registerGatewayKey(principal, body.bureauId, body.label);
            return { body: written.result, txId: written.txId };
        },
    },
    evaluateRoute({
        method: 'get', path: '/bureau-keys', tag: keysTag, summary: 'Published bureau keys, of one bureau or all', transaction: 'recognition:ListBureauKeys',
        description: 'In address order.',
        query: z.object({ bureauId: EnterpriseId.optional() }), list: true, pageKey: (key) => key.address, response: TransactionResult,
        args: ({ query }) => [query.bureauId ?? ''],
    }),
    submitRoute({
        method: 'post', path: '/bureau-keys/:address/revoke', tag: keysTag, summary: 'Revoke a bureau key for good (platform admin)', transaction: 'recognition:RevokeBureauKey',
        params: z.strictObject({ address: Address }), body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.address, body.reason],
    }),
];

export const agreementsRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/agreements', tag: agreementsTag, summary: 'Propose a mutual-recognition agreement (platform admin)', transaction: 'recognition:ProposeAgreement',
        body: z.strictObject({
            partnerId: EnterpriseId,
            partnerMspId: z.string().regex(/^[A-Za-z0-9]+MSP$/, 'must be an organisation MSP id: letters and digits ending in MSP, such as PartnerMSP'),
            gradeScale: z.array(z.strictObject({ minScore: z.int().min(0).max(1000), grade: BoundedText(32).describe('The partner\'s grade label, 1..32 characters (code points)') })).min(1).max(50),
            validFrom: DateOrTimestamp,
            validUntil: DateOrTimestamp,
        }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/agreements', tag: agreementsTag, summary: 'Agreements of one partner or all', transaction: 'recognition:ListAgreements',
        query: z.object({ partnerId: EnterpriseId.optional() }), list: true, response: TransactionResult,
        args: ({ query }) => [query.partnerId ?? ''],
    }),
    evaluateRoute({
        method: 'get', path: '/agreements/:id', tag: agreementsTag, summary: 'Read an agreement', transaction: 'recognition:ReadAgreement',
        params: z.strictObject({ id: RecordId }), response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    evaluateRoute({
        method: 'get', path: '/agreements/:id/anchor', tag: agreementsTag, summary: "An accepted agreement's recognition anchor", transaction: 'recognition:ReadRecognitionAnchor',
        description:
            'How many recognitions the agreement has, the one committed last, and the organisations whose peers must endorse the next one ' +
            "(the anchor's key-level endorsement policy); 404 NOT_FOUND before the agreement is accepted (docs/credit-passport.md §5).",
        params: z.strictObject({ id: RecordId }), response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/agreements/:id/accept', tag: agreementsTag, summary: 'Accept a proposed agreement (the partner)', transaction: 'recognition:AcceptAgreement',
        params: z.strictObject({ id: RecordId }), body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/agreements/:id/terminate', tag: agreementsTag, summary: 'Terminate an active agreement (the partner)', transaction: 'recognition:TerminateAgreement',
        params: z.strictObject({ id: RecordId }), body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    submitRoute({
        method: 'post', path: '/agreements/:id/withdraw', tag: agreementsTag, summary: 'Withdraw a proposed agreement (platform admin)', transaction: 'recognition:WithdrawAgreement',
        params: z.strictObject({ id: RecordId }), body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
];
