import { z } from 'zod';
import { EnterpriseId, TransactionResult, Reason } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Enterprises';
const Kind = z.enum(['PLATFORM', 'CORE_ENTERPRISE', 'SUPPLIER', 'FINANCIER', 'APPRAISER', 'CREDIT_BUREAU', 'FOREIGN_PARTNER', 'REGULATOR']);
const Params = z.strictObject({ id: EnterpriseId });
const RegisterBody = z.strictObject({
    id: EnterpriseId,
    name: z.string().trim().min(1).max(200),
    kind: Kind,
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
    mspId: z.string().regex(/^[A-Za-z0-9]+MSP$/).optional(),
});

export const enterprisesRoutes: RouteSpec[] = [
    evaluateRoute({
        method: 'get', path: '/enterprises', tag, summary: 'List enterprises, optionally of one kind', transaction: 'enterprise:ListEnterprises',
        query: z.object({ kind: Kind.optional() }), list: true, response: TransactionResult,
        args: ({ query }) => [query.kind ?? ''],
    }),
    submitRoute({
        method: 'post', path: '/enterprises', tag, summary: 'Register an enterprise (platform admin)', transaction: 'enterprise:RegisterEnterprise',
        body: RegisterBody, status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/enterprises/:id', tag, summary: 'Read an enterprise', transaction: 'enterprise:ReadEnterprise',
        params: Params, response: TransactionResult,
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
