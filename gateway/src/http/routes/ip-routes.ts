import { z } from 'zod';
import { Amount, CalendarDate, Currency, EmptyBody, EnterpriseId, EnterpriseIdOrCaller, Reason, RecordId, ReportCid, TransactionResult } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'IP assets';
const IP_ASSET_ID_MESSAGE = 'must be an IP asset id: ip- and 24 lower-case hexadecimal digits';
const AssetParams = z.strictObject({ id: z.string().regex(/^ip-[0-9a-f]{24}$/, IP_ASSET_ID_MESSAGE) });
const Valuation = z.strictObject({ amount: Amount, currency: Currency, valuationDate: CalendarDate, reportCid: ReportCid });

export const ipRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/ip-assets', tag, summary: "Register an IP asset the caller's enterprise owns (unvalued: an appraiser values it)", transaction: 'ip:RegisterIpAsset',
        // No valuation: only an appraiser records one, through /ip-assets/:id/valuations.
        body: z.strictObject({
            kind: z.enum(['PATENT', 'TRADEMARK', 'COPYRIGHT', 'SOFTWARE_COPYRIGHT']),
            registryNumber: z.string().trim().min(1).max(64),
            title: z.string().trim().min(1).max(300),
            ownerIds: z.array(EnterpriseId).min(1).max(10),
            expiryDate: CalendarDate,
        }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/ip-assets', tag, summary: "An enterprise's IP assets", transaction: 'ip:ListIpAssetsOfOwner',
        description:
            "The assets `ownerId` (default: the caller's enterprise) owns or co-owns, with their valuations, in id order. The owner's own users, and any financier, appraiser, the regulator and the platform admin (who may read any asset, GET /ip-assets/{id}); anyone else gets 403 FORBIDDEN.",
        query: z.object({ ownerId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.ownerId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/ip-assets/:id', tag, summary: 'Read an IP asset with its valuations', transaction: 'ip:ReadIpAsset',
        params: AssetParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/ip-assets/:id/valuations', tag, summary: 'Record a new valuation (appraiser)', transaction: 'ip:ReviseValuation',
        description:
            'The report must be a document the caller may download (uploaded it, or reads a record already citing it): otherwise 404 NOT_FOUND, and nothing is written. ' +
            "`valuationDate` lies on or after 2000-01-01 (an earlier date is taken for a typo), not after the ledger's date and not before the current valuation's date: otherwise 400 INVALID_ARGUMENT.",
        params: AssetParams, body: Valuation, status: 201, response: TransactionResult,
        citedDocuments: ({ body }) => [body.reportCid],
        args: ({ params, body }) => [params.id, body],
    }),
    submitRoute({
        method: 'post', path: '/ip-assets/:id/confirm', tag, summary: "Confirm co-ownership of an asset whose registrant named the caller's enterprise an owner", transaction: 'ip:ConfirmIpOwnership',
        description: 'Until every co-owner the registrant named has confirmed, the asset can be neither valued nor pledged (409 INVALID_STATE).',
        params: AssetParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/ip-assets/:id/decline', tag, summary: 'Decline co-ownership: voids the registration and frees the right for registration', transaction: 'ip:DeclineIpOwnership',
        params: AssetParams, body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    submitRoute({
        method: 'post', path: '/ip-assets/:id/void', tag, summary: 'Void a contested record (regulator); refused while a pledge of it is requested or active', transaction: 'ip:VoidIpAsset',
        params: AssetParams, body: z.strictObject({ reason: Reason }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body.reason],
    }),
    evaluateRoute({
        method: 'get', path: '/ip-assets/:id/pledge-notice', tag, summary: "Public notice of an asset's pledges", transaction: 'ip:GetPledgeNotice',
        params: AssetParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    evaluateRoute({
        method: 'get', path: '/parameters/ip', tag, summary: 'The loan-to-value cap in force', transaction: 'ip:ReadIpParameters',
        response: TransactionResult,
        args: () => [],
    }),
    submitRoute({
        method: 'put', path: '/parameters/ip', tag, summary: 'Set the loan-to-value cap (platform admin)', transaction: 'ip:SetIpParameters',
        description: 'Idempotent: the cap already in force is answered with 200 and the parameters in force (who set them and when unchanged); nothing is written and no event is emitted.',
        body: z.strictObject({ maxLtvBps: z.int().min(1).max(9000) }), response: TransactionResult,
        args: ({ body }) => [body],
    }),
];

const pledgesTag = 'Pledges';

export const pledgesRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/pledges', tag: pledgesTag, summary: 'Request a pledge of an owned IP asset to a financier', transaction: 'ip:RequestPledge',
        description:
            "`termStart` may be at most one day before the ledger's date (UTC), never back-dated further: the term goes onto the public pledge notice. `termEnd` is not before `termStart`, not already past, and not after the right's expiry (409 TERM_EXCEEDS_RIGHT). Otherwise 400 INVALID_ARGUMENT.",
        body: z.strictObject({
            assetId: z.string().regex(/^ip-[0-9a-f]{24}$/, IP_ASSET_ID_MESSAGE),
            pledgeeId: EnterpriseId,
            securedAmount: Amount,
            currency: Currency,
            termStart: CalendarDate,
            termEnd: CalendarDate,
            priority: z.int().min(1).max(99).optional(),
            allowJunior: z.boolean().optional(),
        }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/pledges', tag: pledgesTag, summary: 'Pledges an enterprise is party to', transaction: 'ip:ListPledgesOfEnterprise',
        description:
            "The pledges `enterpriseId` (default: the caller's enterprise) is party to, as pledgee, as pledgor or as an owner of the pledged asset, in id order. The enterprise's own users, the regulator and the platform admin; anyone else (a financier asking for another enterprise's included) gets 403 FORBIDDEN. Every pledge of an asset, with its parties, is public in GET /ip-assets/{id}/pledge-notice.",
        query: z.object({ enterpriseId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.enterpriseId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/pledges/:id', tag: pledgesTag, summary: 'Read a pledge', transaction: 'ip:ReadPledge',
        params: z.strictObject({ id: RecordId }), response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    ...(
        [
            ['consent', 'ip:ConsentPledge', 'Consent as a co-owner'],
            ['accept', 'ip:AcceptPledge', 'Accept a requested pledge (the pledgee)'],
            ['cancel', 'ip:CancelPledge', 'Cancel a requested pledge (the pledgor)'],
            ['release', 'ip:ReleasePledge', 'Release an active pledge (the pledgee)'],
            ['consent/withdraw', 'ip:WithdrawPledgeConsent', "Withdraw the caller's consent as a co-owner while the pledge is requested (409 CONSENT_MISSING if it has not consented)"],
        ] as const
    ).map(([action, transaction, summary]) =>
        submitRoute({
            method: 'post', path: `/pledges/:id/${action}`, tag: pledgesTag, summary, transaction,
            params: z.strictObject({ id: RecordId }), body: EmptyBody, response: TransactionResult,
            args: ({ params }) => [params.id],
        }),
    ),
    ...(
        [
            ['reject', 'ip:RejectPledge', 'Reject a requested pledge (the pledgee)'],
            ['decline', 'ip:DeclinePledge', 'Decline a requested pledge as a co-owner: it becomes DECLINED, recording the co-owner and the reason'],
            ['enforce', 'ip:EnforcePledge', 'Enforce an active pledge (the pledgee)'],
        ] as const
    ).map(([action, transaction, summary]) =>
        submitRoute({
            method: 'post', path: `/pledges/:id/${action}`, tag: pledgesTag, summary, transaction,
            params: z.strictObject({ id: RecordId }), body: z.strictObject({ reason: Reason }), response: TransactionResult,
            args: ({ params, body }) => [params.id, body.reason],
        }),
    ),
];
