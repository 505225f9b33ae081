import { z } from 'zod';
import { WARNING_LEVELS } from '@xinlian/chaincode';
import { EmptyBody, EnterpriseId, TransactionResult } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Credit profiles and audit';
const Params = z.strictObject({ enterpriseId: EnterpriseId });

export const profilesRoutes: RouteSpec[] = [
    evaluateRoute({
        method: 'get', path: '/profiles/:enterpriseId', tag, summary: "An enterprise's credit profile", transaction: 'profile:ReadCreditProfile',
        params: Params, response: TransactionResult,
        args: ({ params }) => [params.enterpriseId],
    }),
    submitRoute({
        method: 'post', path: '/profiles/:enterpriseId/refresh', tag, summary: 'Re-evaluate a profile at the current time', transaction: 'profile:RefreshCreditProfile',
        description:
            "Whoever may read the profile (GET /profiles/{enterpriseId}): the regulator, financiers, credit bureaus and foreign partners for any enterprise, and a core enterprise's or supplier's users for their own enterprise only, each acting for a registered enterprise of their role's kind in its organisation (frozen or not). The platform admin, appraisers and anyone else get 403 FORBIDDEN; an unknown enterprise is 404 NOT_FOUND. " +
            'A refresh that changes nothing (facts, score, reasons, warning) writes nothing and emits no event, and answers the profile as it stands.',
        params: Params, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/warnings', tag, summary: 'Profiles at a warning level or worse (regulator)', transaction: 'profile:ListWarnings',
        description: 'Worst level first, then in enterprise id order.',
        query: z.object({ level: z.enum(WARNING_LEVELS).default('BLUE') }), list: true, response: TransactionResult,
        // The chaincode's order: severity rank (one digit), then the id.
        pageKey: (entry) => `${WARNING_LEVELS.indexOf(entry.warning as (typeof WARNING_LEVELS)[number])}:${String(entry.enterpriseId)}`,
        args: ({ query }) => [query.level],
    }),
    evaluateRoute({
        method: 'get', path: '/audit/:enterpriseId', tag, summary: "One page of an enterprise's audit pack (regulator)", transaction: 'audit:ExportAuditPack',
        description:
            "The regulator only; anyone else gets 403 FORBIDDEN. Omit bookmark for the first page, then pass each page's nextBookmark until it is ''. " +
            'A page holds at most 100 records, 1000 history entries and 1 MiB (its JSON as the chaincode returns it; only a single larger history entry exceeds it). ' +
            "A record whose history does not fit continues on the next page: each record carries historyStart (the position of its first history entry in the key's history) and historyTotal, " +
            'so a client joins the parts of a record in page order (docs/credit-scoring.md §5).',
        params: Params, query: z.object({ bookmark: z.string().max(1024).optional() }), response: TransactionResult,
        args: ({ params, query }) => [params.enterpriseId, query.bookmark ?? ''],
    }),
];
