import { z } from 'zod';
import { Amount, Currency, DateOrTimestamp, EnterpriseId, EnterpriseIdOrCaller, IdParams, ReasonBody, TransactionResult } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Credit lines';

export const creditLinesRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/credit-lines', tag, summary: 'Grant a core enterprise a credit line (financier)', transaction: 'credit-line:GrantCreditLine',
        body: z.strictObject({ coreEnterpriseId: EnterpriseId, currency: Currency, limit: Amount, expiresAt: DateOrTimestamp }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/credit-lines', tag, summary: 'Lines where the enterprise is the core enterprise or the financier', transaction: 'credit-line:ListCreditLines',
        query: z.object({ enterpriseId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.enterpriseId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/credit-lines/:id', tag, summary: 'Read a credit line with its remaining limit', transaction: 'credit-line:ReadCreditLine',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/credit-lines/:id/limit', tag, summary: 'Change the limit (the granting financier)', transaction: 'credit-line:ChangeCreditLimit',
        params: IdParams, body: z.strictObject({ limit: Amount }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.limit],
    }),
    submitRoute({
        method: 'post', path: '/credit-lines/:id/revoke', tag, summary: 'Revoke a line (the granting financier)', transaction: 'credit-line:RevokeCreditLine',
        params: IdParams, body: ReasonBody, response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
];
