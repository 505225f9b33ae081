import { z } from 'zod';
import { Amount, CalendarDate, Currency, DocumentCid, EmptyBody, EnterpriseId, EnterpriseIdOrCaller, IdParams, ReasonBody, TransactionResult } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Receivables';

export const receivablesRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/receivables', tag, summary: 'Register an invoice-backed receivable (supplier, as seller)', transaction: 'receivable:RegisterReceivable',
        description: 'The invoice (documentCid) must be a document the caller may download (uploaded it with POST /documents, or reads a record already citing it): otherwise 404 NOT_FOUND, and nothing is written.',
        body: z.strictObject({
            buyerId: EnterpriseId,
            invoiceNumber: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._/#-]*$/, 'must start with a letter or digit and hold only letters, digits, spaces and . _ / # -').max(64),
            amount: Amount,
            currency: Currency,
            issueDate: CalendarDate,
            dueDate: CalendarDate,
            documentCid: DocumentCid,
        }),
        status: 201, response: TransactionResult,
        citedDocuments: ({ body }) => [body.documentCid],
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/receivables', tag, summary: 'Receivables of an enterprise as seller or buyer (that enterprise, the regulator, the platform admin)', transaction: 'receivable:ListReceivables',
        query: z.object({ enterpriseId: EnterpriseIdOrCaller, role: z.enum(['seller', 'buyer']).default('seller') }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.enterpriseId ?? principal.enterpriseId, query.role],
    }),
    evaluateRoute({
        method: 'get', path: '/receivables/:id', tag, summary: 'Read a receivable (its seller and buyer, a financier of the note it backs, the regulator, the platform admin)', transaction: 'receivable:ReadReceivable',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/receivables/:id/confirm', tag, summary: 'Confirm (确权) a receivable (the buyer)', transaction: 'receivable:ConfirmReceivable',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/receivables/:id/dispute', tag, summary: 'Dispute a receivable (the buyer)', transaction: 'receivable:DisputeReceivable',
        description: 'Disputing a claim it never confirmed is the buyer\'s right: a dispute does not touch its credit profile.',
        params: IdParams, body: ReasonBody, response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    submitRoute({
        method: 'post', path: '/receivables/:id/cancel', tag, summary: 'Cancel a receivable (the seller)', transaction: 'receivable:CancelReceivable',
        params: IdParams, body: ReasonBody, response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    submitRoute({
        method: 'post', path: '/receivables/:id/settle', tag, summary: 'Acknowledge payment received outside a credit note (the seller)', transaction: 'receivable:SettleReceivable',
        description:
            'Only the seller (the creditor) may: a buyer cannot declare its own debt paid (403 FORBIDDEN). The acknowledgement covers what no credit note draws on (availableAmount); ' +
            'the parts backing notes are settled when those notes are redeemed. The receivable becomes SETTLED, or NOTED while a note it backs is unredeemed; 409 INVALID_STATE when nothing is available to acknowledge.',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
];
