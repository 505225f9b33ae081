import { randomBytes } from 'crypto';
import { DEFAULT_GRACE_DAYS, HARD_MAX_TENOR_MONTHS, MAX_GRACE_DAYS } from '@xinlian/chaincode';
import { z } from 'zod';
import { Amount, AmountOrZero, CalendarDate, Currency, DateOrTimestamp, EmptyBody, EnterpriseId, EnterpriseIdOrCaller, IdParams, RecordId, TransactionResult } from '../schemas';
import { RouteSpec, evaluateRoute, submitRoute } from '../route-spec';

const tag = 'Credit notes';

/**
 * The tenor cap is whole calendar months (a note matures at most that many months after its issue
 * date, on the same day or the last day of a shorter month); a body still sending the cap in days is
 * refused with a message naming the field that replaced it. Both limits are the chaincode's own
 * (note-parameters.ts, tenor.ts), so the gateway refuses exactly what the ledger would.
 */
const TENOR_MONTHS = `must be a whole number of calendar months from 1 to ${HARD_MAX_TENOR_MONTHS}`;
const GRACE_DAYS = `must be a whole number of days from 0 to ${MAX_GRACE_DAYS}`;
const NoteParametersBody = z.strictObject(
    {
        maxTenorMonths: z
            .int({ error: TENOR_MONTHS })
            .min(1, { error: TENOR_MONTHS })
            .max(HARD_MAX_TENOR_MONTHS, { error: TENOR_MONTHS })
            .describe(`Tenor cap in calendar months, 1..${HARD_MAX_TENOR_MONTHS} (default 6)`),
        graceDays: z
            .int({ error: GRACE_DAYS })
            .min(0, { error: GRACE_DAYS })
            .max(MAX_GRACE_DAYS, { error: GRACE_DAYS })
            .describe(
                `Whole days after the maturity date before a root may be marked overdue, 0..${MAX_GRACE_DAYS} (default ${DEFAULT_GRACE_DAYS}); each root keeps the grace in force when it was issued. ` +
                    'The maturity date itself is never one of them: a root redeemed on its maturity date or on a grace day is on time, and it is overdue from 00:00 UTC of the day after its maturity date plus graceDays (its graceDeadline)',
            ),
    },
    {
        error: (issue) =>
            issue.code === 'unrecognized_keys' && issue.keys.includes('maxTenorDays')
                ? `maxTenorDays is no longer accepted: the tenor cap is set in calendar months as maxTenorMonths (1 to ${HARD_MAX_TENOR_MONTHS})`
                : undefined,
    },
);

export const notesRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/notes', tag, summary: 'Issue a credit note backed by confirmed receivables (core enterprise)', transaction: 'note:IssueNote',
        body: z.strictObject({
            holderId: EnterpriseId,
            amount: Amount,
            currency: Currency,
            maturityDate: CalendarDate,
            creditLineId: RecordId,
            receivableIds: z.array(RecordId).min(1).max(50),
        }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/notes', tag, summary: 'Notes a holder holds: ACTIVE, LOCKED and ESCROWED (the holder, the regulator)', transaction: 'note:ListNotesOfHolder',
        query: z.object({ holderId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.holderId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/notes/:id', tag, summary: 'Read a note', transaction: 'note:ReadNote',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/notes/:id/split', tag, summary: 'Split a note into 2..50 children (its holder)', transaction: 'note:SplitNote',
        params: IdParams, body: z.strictObject({ amounts: z.array(Amount).min(2).max(50) }), response: TransactionResult,
        args: ({ params, body }) => [params.id, body],
    }),
    evaluateRoute({
        method: 'get', path: '/notes/:id/provenance', tag, summary: 'The chain from a note to its root, with a conservation proof, whether the root is overdue and its grace deadline', transaction: 'note:GetProvenance',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/notes/:id/redeem', tag, summary: 'Redeem a root note at or after maturity, or pay out its escrowed notes once their holders are active again (its issuer)', transaction: 'note:RedeemNote',
        description:
            'Only the root\'s issuer, from 00:00 UTC of its maturity date (before: 409 INVALID_STATE). `onTime` is true before the root\'s grace deadline (00:00 UTC of the day after its maturity date plus its graceDays, as GET /notes/{id}/provenance gives it), so paying at any time of the maturity date is on time. ' +
            'Every unspent note of the root is paid; a frozen holder\'s part goes into escrow (ESCROWED) and is paid out by a later call once the holder is active again. ' +
            'A frozen issuer may still redeem and pay out escrow, the one thing a freeze leaves it: redemption only pays the holders what the issuer owes them.',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/notes/:id/overdue', tag, summary: 'Mark a root overdue once its grace has ended (any user)', transaction: 'note:MarkOverdue',
        description:
            'Any signed-in user may mark an unredeemed root overdue from its grace deadline: 00:00 UTC of the day after its maturity date plus the grace days fixed on it at issuance (never on the maturity date itself). A caller that may read the root (GET /notes/{id}: its issuer, the holders along its chain, the regulator, entitled financiers, invited parties) gets the root back, and a refusal says why (redeemed, already overdue, not overdue before a given time). Anyone else gets only {id, overdue, overdueAt}, and a refusal without the reason (409 INVALID_STATE "note … cannot be marked overdue now"; 400 for a fragment, without naming its root).',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    evaluateRoute({
        method: 'get', path: '/exposure/:coreEnterpriseId', tag, summary: 'Outstanding notes of a core enterprise by holder and tier', transaction: 'note:GetExposure',
        description:
            'The core enterprise itself and the regulator see every unredeemed root. A financier that granted the core enterprise a credit line (active, expired or revoked) sees only the roots drawn on its own lines, with every holder, tier and note of them; the totals are those of the roots shown. Anyone else gets 403 FORBIDDEN. An unknown enterprise is 404 NOT_FOUND; an enterprise that is not a core enterprise is 400 INVALID_ARGUMENT.',
        params: z.strictObject({ coreEnterpriseId: EnterpriseId }), response: TransactionResult,
        args: ({ params }) => [params.coreEnterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/parameters/notes', tag, summary: 'Tenor cap (calendar months) and grace period (days) in force', transaction: 'note:GetNoteParameters',
        response: TransactionResult,
        args: () => [],
    }),
    submitRoute({
        method: 'put', path: '/parameters/notes', tag, summary: 'Set the tenor cap in calendar months and the grace period in days (platform admin)', transaction: 'note:SetNoteParameters',
        description: 'Idempotent: the values already in force are answered with 200 and the parameters in force (who set them and when unchanged); nothing is written and no event is emitted.',
        body: NoteParametersBody, response: TransactionResult,
        args: ({ body }) => [body],
    }),
];

const offersTag = 'Transfer offers';

/** Who may act on an offer: anyone else is refused 403 before it learns anything of the offer's state. */
const OFFER_ACTION_DESCRIPTIONS = {
    accept: 'Only the recipient may accept; anyone else gets 403 FORBIDDEN whatever the offer\'s state, and the recipient 409 INVALID_STATE once it is no longer pending.',
    decline: 'Only the recipient may decline; anyone else gets 403 FORBIDDEN whatever the offer\'s state. The note returns to the sender.',
    cancel: 'Only the sender may cancel; anyone else gets 403 FORBIDDEN whatever the offer\'s state. The note returns to the sender.',
    expire: 'Only the offer\'s parties may expire it: its sender or its recipient (frozen or not), once expiresAt has passed; the note returns to the sender. Anyone else, the regulator included, gets 403 FORBIDDEN before it learns anything of the offer\'s state.',
} as const;

export const offersRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/offers', tag: offersTag, summary: 'Offer part or all of a note to another supplier (its holder)', transaction: 'note:OfferTransfer',
        description:
            'The note is locked until the offer is accepted, declined, cancelled or expired. `expiresAt` must be after the ledger\'s time and not after the note\'s maturity (00:00 UTC of its maturity date); the API sets no other bound (the client app offers 1 to 30 days).',
        body: z.strictObject({ noteId: RecordId, toId: EnterpriseId, amount: Amount, expiresAt: DateOrTimestamp }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/offers', tag: offersTag, summary: "An enterprise's incoming or outgoing offers", transaction: 'note:ListOffers',
        description:
            "The enterprise's own users (acting for it as a registered enterprise of their role's kind, in its organisation) and the regulator; anyone else gets 403 FORBIDDEN. `enterpriseId` defaults to the caller's enterprise; `direction` is incoming (offers to it, the default) or outgoing (offers it made).",
        query: z.object({ enterpriseId: EnterpriseIdOrCaller, direction: z.enum(['incoming', 'outgoing']).default('incoming') }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.enterpriseId ?? principal.enterpriseId, query.direction],
    }),
    evaluateRoute({
        method: 'get', path: '/offers/:id', tag: offersTag, summary: 'Read an offer', transaction: 'note:ReadOffer',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    ...(
        [
            ['accept', 'note:AcceptOffer', 'Accept an offer (its recipient)'],
            ['decline', 'note:DeclineOffer', 'Decline an offer (its recipient)'],
            ['cancel', 'note:CancelOffer', 'Cancel a pending offer (its sender)'],
            ['expire', 'note:ExpireOffer', 'Expire a pending offer after its expiry (its sender or its recipient)'],
        ] as const
    ).map(([action, transaction, summary]) =>
        submitRoute({
            method: 'post', path: `/offers/:id/${action}`, tag: offersTag, summary, transaction,
            description: OFFER_ACTION_DESCRIPTIONS[action],
            params: IdParams, body: EmptyBody, response: TransactionResult,
            args: ({ params }) => [params.id],
        }),
    ),
];

const discountTag = 'Discounting';

/** A salt for a quote's private terms: 16 random bytes as lower-case hex, as the chaincode requires. */
export function newTermsSalt(): string {
    return randomBytes(16).toString('hex');
}

export const discountRoutes: RouteSpec[] = [
    submitRoute({
        method: 'post', path: '/discount-requests', tag: discountTag, summary: 'Ask financiers to quote for discounting a note (its holder)', transaction: 'note:RequestDiscount',
        body: z.strictObject({ noteId: RecordId, financierIds: z.array(EnterpriseId).min(1).max(10) }),
        status: 201, response: TransactionResult,
        args: ({ body }) => [body],
    }),
    evaluateRoute({
        method: 'get', path: '/discount-requests', tag: discountTag, summary: 'Discount requests an enterprise made or is invited to', transaction: 'note:ListDiscountRequests',
        query: z.object({ enterpriseId: EnterpriseIdOrCaller }), list: true, response: TransactionResult,
        args: ({ query, principal }) => [query.enterpriseId ?? principal.enterpriseId],
    }),
    evaluateRoute({
        method: 'get', path: '/discount-requests/:id', tag: discountTag, summary: 'Read a discount request', transaction: 'note:ReadDiscountRequest',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/discount-requests/:id/withdraw', tag: discountTag, summary: 'Withdraw an open request (its holder)', transaction: 'note:WithdrawDiscountRequest',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    evaluateRoute({
        method: 'get', path: '/discount-requests/:id/quotes', tag: discountTag, summary: "A request's quotes (the holder and the regulator: all; an invited financier: its own)", transaction: 'note:ListQuotes',
        description:
            'The requesting holder and the regulator get every quote of the request; a financier the request invited gets only its own quote (none before it quotes), never a competitor\'s. Anyone else gets 403 FORBIDDEN; an unknown request is 404 NOT_FOUND. ' +
            'A quote shows its public fields only, with termsHash: the rate and fee are private terms (GET /quotes/{id}/terms).',
        params: IdParams, list: true, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/discount-requests/:id/quotes', tag: discountTag, summary: 'Quote on a request (an invited financier); terms travel as private data',
        description: 'The rate and fee go to the ledger in the transient map with a fresh random salt the gateway adds, and are stored in the financingTerms private data collection; the quote returned is public and carries only termsHash, the SHA-256 of the salted terms. The price a quote shows is indicative: accepting it prices the discount again for the days from acceptance to maturity.',
        transaction: 'note:SubmitQuote',
        params: IdParams, body: z.strictObject({ rateBps: z.int().min(0).max(10_000), feeAmount: AmountOrZero.optional() }),
        status: 201, response: TransactionResult,
        args: ({ params }) => [params.id],
        // A fresh random salt per quote, private with the terms: without it the public hash of the
        // terms gives the rate and fee away to anyone who tries them all.
        transient: ({ body }) => ({ terms: JSON.stringify({ ...body, salt: newTermsSalt() }) }),
    }),
    evaluateRoute({
        method: 'get', path: '/quotes/:id/terms', tag: discountTag, summary: 'The private terms of a quote (holder, quoting financier, regulator)', transaction: 'note:ReadQuoteTerms',
        description: 'Without their salt. Once the quote is accepted: the final terms, priced from fundedAt, with the quote\'s own figures under indicative.',
        params: IdParams, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/quotes/:id/accept', tag: discountTag, summary: 'Accept a quote (the requesting holder)', transaction: 'note:AcceptQuote',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
    submitRoute({
        method: 'post', path: '/quotes/:id/withdraw', tag: discountTag, summary: 'Withdraw a quote (the quoting financier)', transaction: 'note:WithdrawQuote',
        params: IdParams, body: EmptyBody, response: TransactionResult,
        args: ({ params }) => [params.id],
    }),
];
