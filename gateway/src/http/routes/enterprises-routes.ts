import { z } from 'zod';
import { EnterpriseId, TransactionResult, Reason, Role } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Enterprises';
const Kind = z.enum(['PLATFORM', 'CORE_ENTERPRISE', 'SUPPLIER', 'FINANCIER', 'APPRAISER', 'CREDIT_BUREAU', 'FOREIGN_PARTNER', 'REGULATOR']);
const Params = z.strictObject({ id: EnterpriseId });
const RegisterBody = z.strictObject({
    id: EnterpriseId,
    name: z.string().trim().min(1).max(200),
    kind: Kind,
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code in capitals, such as CN').optional(),
    mspId: z.string().regex(/^[A-Za-z0-9]+MSP$/, 'must be an organisation MSP id: letters and digits ending in MSP, such as BankMSP').optional(),
});

const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'must be a certificate fingerprint: 64 lower-case hexadecimal digits').describe("SHA-256 of the certificate's DER, lower-case hex (openssl x509 -fingerprint -sha256, without colons)");
/** chaincode/src/identity/user-enrolment.ts UserEnrolment. */
const UserEnrolment = z
    .strictObject({
        docType: z.literal('userEnrolment'),
        certificateFingerprint: Fingerprint,
        username: z.string(),
        role: Role,
        enterpriseId: z.string(),
        mspId: z.string().describe('the organisation whose CA issued the certificate'),
        recordedAt: z.string().describe('ISO 8601 time of the transaction that recorded the enrolment'),
        recordedBy: z.string().describe('the enterprise of the platform admin who recorded it'),
        recordedByFingerprint: Fingerprint,
    })
    .describe('An identity the platform enrolled for a user of the enterprise, as the platform admin recorded it on the ledger');

export const enterprisesRoutes: RouteSpec[] = [
    evaluateRoute({
        method: 'get', path: '/enterprises', tag, summary: 'List enterprises, optionally of one kind', transaction: 'enterprise:ListEnterprises',
        query: z.object({ kind: Kind.optional() }), list: true, response: TransactionResult,
        args: ({ query }) => [query.kind ?? ''],
    }),
    submitRoute({
        method: 'post', path: '/enterprises', tag, summary: 'Register an enterprise (platform admin)', transaction: 'enterprise:RegisterEnterprise',
        description:
            'mspId (default: the kind\'s usual organisation) must be an organisation of the channel that may issue identities of the kind\'s role: ' +
            'PlatformMSP for the platform, the regulator, core enterprises, suppliers and credit bureaus; BankMSP for financiers; BankMSP or PlatformMSP for appraisers; PartnerMSP for foreign partners (400 INVALID_ARGUMENT otherwise). ' +
            'The channel has one PLATFORM and one REGULATOR enterprise: registering a second answers 409 ALREADY_EXISTS.',
        body: RegisterBody, status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/enterprises/:id', tag, summary: 'Read an enterprise', transaction: 'enterprise:ReadEnterprise',
        description: 'The reason of a freeze or unfreeze (statusReason) is shown to the regulator, the platform admin and the enterprise\'s own users only.',
        params: Params, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    evaluateRoute({
        method: 'get', path: '/enterprises/:id/users', tag, transaction: 'identity:ListUserEnrolments',
        summary: "The identities the platform enrolled for the enterprise's users (the regulator, the platform admin, the enterprise's users)",
        description:
            'Every user creation is recorded on the ledger by the platform admin who made it: user name, role, the fingerprint of the enrolled certificate and the time. ' +
            "A certificate fingerprint in an audit pack's history (creator.certificateFingerprint) names one of these. Others get 403 FORBIDDEN. In (username, certificateFingerprint) order.",
        params: Params, list: true, pageKey: (enrolment) => `${String(enrolment.username)} ${String(enrolment.certificateFingerprint)}`, response: UserEnrolment,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/enterprises/:id/freeze', tag, summary: 'Freeze an enterprise (regulator)', transaction: 'enterprise:FreezeEnterprise',
        params: Params, body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    submitRoute({
        method: 'post', path: '/enterprises/:id/unfreeze', tag, summary: 'Lift a freeze (regulator)', transaction: 'enterprise:UnfreezeEnterprise',
        params: Params, body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
];
