import { z } from 'zod';

/**
 * Shared request and response schemas. Every route's schemas are built from these; the same zod
 * objects validate requests and generate the OpenAPI document.
 */

export const EnterpriseId = z
    .string()
    .regex(/^[0-9A-Za-z]{18,20}$/, 'must be an enterprise id: a USCC (18 letters and digits) or an LEI (20)')
    .describe('USCC (18 characters) or LEI (20 characters)');
/** A list's enterprise in the query: when left out, the calling user's own enterprise. */
export const EnterpriseIdOrCaller = EnterpriseId.optional().describe("USCC (18 characters) or LEI (20 characters); default: the calling user's enterprise");
export const RecordId = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be a record id: 1 to 128 letters, digits, dots, underscores, colons or hyphens, starting with a letter or digit')
    .describe('A ledger record id');
export const Amount = z
    .string()
    .regex(/^(0|[1-9]\d{0,18})$/, 'must be whole minor units (fen, cents) as a string of at most 19 digits, without a sign, decimal point or leading zero: "1050" for 10.50')
    .describe('Whole minor units (fen, cents) as a decimal string');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code in capitals, such as CNY').describe('ISO 4217 currency code');
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe('ISO-8601 calendar date YYYY-MM-DD');
export const DateOrTimestamp = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)?$/, 'must be a date YYYY-MM-DD or a UTC timestamp YYYY-MM-DDThh:mm:ssZ')
    .describe('ISO-8601 date or UTC timestamp');
export const Reason = z.string().trim().min(1).max(500).describe('Why (1..500 characters)');
export const Cid = z
    .string()
    .regex(/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{40,200}|z[1-9A-HJ-NP-Za-km-z]{40,200})$/, 'must be an IPFS content id: CIDv0 (Qm…) or CIDv1 (b… base32, z… base58)')
    .describe('IPFS content id');
export const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address: 0x and 40 hexadecimal digits').describe('Ethereum address (EIP-55)');
export const Role = z.enum(['platform-admin', 'core-enterprise', 'supplier', 'financier', 'appraiser', 'credit-bureau', 'foreign-partner', 'regulator']);

export const ReasonBody = z.strictObject({ reason: Reason });
export const EmptyBody = z.strictObject({}).optional();
export const IdParams = z.strictObject({ id: RecordId });

const PAGE_SIZE_MESSAGE = 'must be a whole number from 1 to 500';

/** Pagination of lists (gateway-side). */
export const PageQuery = z.object({
    limit: z.coerce
        .number({ error: PAGE_SIZE_MESSAGE })
        .int(PAGE_SIZE_MESSAGE)
        .min(1, PAGE_SIZE_MESSAGE)
        .max(500, PAGE_SIZE_MESSAGE)
        .optional()
        .describe('Page size (default 100)'),
    cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
});

/**
 * The route answers with its chaincode transaction's result, as the chaincode returns it. The OpenAPI
 * document takes the schema from chaincode/src/transaction-results.ts (generated into
 * transaction-result-schemas.json); this zod schema only marks the route.
 */
export const TransactionResult = z.looseObject({}).describe("The chaincode transaction's result");

export const Problem = z
    .object({
        type: z.string(),
        title: z.string(),
        status: z.number().int(),
        detail: z.string(),
        code: z.string(),
        txId: z.string().optional(),
    })
    .describe('application/problem+json (RFC 9457)');

export const UserView = z.object({ username: z.string(), role: Role, enterpriseId: z.string(), mspId: z.string() });
