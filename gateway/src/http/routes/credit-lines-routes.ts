import { z } from 'zod';
import { Amount, Currency, DateOrTimestamp, EnterpriseId, EnterpriseIdOrCaller, IdParams, ReasonBody, TransactionResult } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Credit lines';

/** How reads show a line's status and headroom (chaincode credit-line viewOf). */
const STATUS_AT_LEDGER_TIME =
    "Status and `remaining` are as of the ledger's time: a line at or past `expiresAt` that is not revoked reads `EXPIRED` with `remaining` 0 (notes can no longer be issued on it); a revoked line reads `REVOKED`, also with `remaining` 0. Why a line was revoked (`revocationReason`) is shown to the granting financier, the core enterprise and the regulator only; other members see that it was revoked and when (`revokedAt`).";

export const creditLinesRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/credit-lines', tag, summary: 'Grant a core enterprise a credit line (financier)', transaction: 'credit-line:GrantCreditLine',
        body: z.strictObject({ coreEnterpriseId: EnterpriseId, currency: Currency, limit: Amount, expiresAt: DateOrTimestamp }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/credit-lines', tag, summary: 'Lines where the enterprise is the core enterprise or the financier', transaction: 'credit-line:ListCreditLines',
        description: `In id order. ${STATUS_AT_LEDGER_TIME}`,
        query: z.object({ enterpriseId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.enterpriseId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/credit-lines/:id', tag, summary: 'Read a credit line with its remaining limit', transaction: 'credit-line:ReadCreditLine',
        description: STATUS_AT_LEDGER_TIME,
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/credit-lines/:id/limit', tag, summary: 'Change the limit (the granting financier)', transaction: 'credit-line:ChangeCreditLimit',
        description:
            'Not below what is used (409 INSUFFICIENT_LIMIT), nor on a revoked (409 INVALID_STATE) or expired (409 EXPIRED) line. Idempotent: the limit already in force is answered with 200 and the line as it is (`updatedAt` unchanged); nothing is written, no event is emitted and the credit profile is not touched.',
        params: IdParams, body: z.strictObject({ limit: Amount }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.limit],
    }),
    submitRoute({
        method: 'post', path: '/credit-lines/:id/revoke', tag, summary: 'Revoke a line (the granting financier)', transaction: 'credit-line:RevokeCreditLine',
        params: IdParams, body: ReasonBody, response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
];
