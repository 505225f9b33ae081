import { z } from 'zod';
import { CREDENTIAL_ENDS } from '../errors';
import { characterCount, isValidLei, isValidUscc, textProblem } from '@xinlian/chaincode';

/**
 * Shared request and response schemas. Every route's schemas are built from these; the same zod
 * objects validate requests and generate the OpenAPI document.
 */

/** An id of the form of a USCC (18 letters and digits) or an LEI (20), in capitals. */
const ENTERPRISE_ID_FORM = /^([0-9A-Z]{18}|[0-9A-Z]{20})$/;

/**
 * An enterprise id. USCCs and LEIs are written in capitals and the ledger keeps them so; a lower-case
 * id (in a path, a query or a body) is read in capitals rather than refused or missed. Its check
 * characters are verified as the chaincode verifies them (chaincode/src/enterprise/identifiers.ts): a
 * USCC's 18th character (GB 32100-2015), an LEI's last two digits (ISO 17442, MOD 97-10), so a
 * mistyped id is INVALID_ARGUMENT rather than an unknown enterprise.
 */
export const EnterpriseId = z
    .string()
    .regex(/^([0-9A-Za-z]{18}|[0-9A-Za-z]{20})$/, 'must be an enterprise id: a USCC (18 letters and digits) or an LEI (20)')
    .toUpperCase()
    // Only an id of the right form is judged by its check characters (the pattern already refused the others).
    .refine(
        (id) => !ENTERPRISE_ID_FORM.test(id) || (id.length === 18 ? isValidUscc(id) : isValidLei(id)),
        'must be a valid enterprise id: a USCC ending in its GB 32100-2015 check character, or an LEI ending in its ISO 17442 (MOD 97-10) check digits',
    )
    .describe('USCC (18 characters, GB 32100-2015 check character) or LEI (20 characters, ISO 17442 check digits); letters are read in capitals');
/** A list's enterprise in the query: when left out, the calling user's own enterprise. */
export const EnterpriseIdOrCaller = EnterpriseId.optional().describe("USCC (18 characters) or LEI (20 characters) with its check characters, letters read in capitals; default: the calling user's enterprise");
export const RecordId = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be a record id: 1 to 128 letters, digits, dots, underscores, colons or hyphens, starting with a letter or digit')
    .describe('A ledger record id');
/** The chaincode's rule for amounts (chaincode/src/ledger/input.ts parseAmountValue): 1 to 10^18 minor units. */
const AMOUNT_PATTERN = /^([1-9]\d{0,17}|1000000000000000000)$/;
export const Amount = z
    .string()
    .regex(AMOUNT_PATTERN, 'must be whole minor units (fen, cents) from 1 to 10^18, as a decimal string without a sign, decimal point or leading zero: "1050" for 10.50')
    .describe('Whole minor units (fen, cents) as a decimal string, from 1 to 10^18 (1000000000000000000)');
/** An amount the chaincode also accepts as zero (a quote's fee). */
export const AmountOrZero = z
    .string()
    .regex(/^(0|[1-9]\d{0,17}|1000000000000000000)$/, 'must be whole minor units (fen, cents) from 0 to 10^18, as a decimal string without a sign, decimal point or leading zero: "1050" for 10.50')
    .describe('Whole minor units (fen, cents) as a decimal string, from 0 to 10^18 (1000000000000000000)');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code in capitals, such as CNY').describe('ISO 4217 currency code');
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe('ISO-8601 calendar date YYYY-MM-DD');
export const DateOrTimestamp = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)?$/, 'must be a date YYYY-MM-DD or a UTC timestamp YYYY-MM-DDThh:mm:ssZ')
    .describe('ISO-8601 date or UTC timestamp');

/**
 * Text of 1..max characters counted as the ledger counts them (the chaincode's characterCount: Unicode
 * code points, as JSON Schema's minLength/maxLength count too), trimmed of surrounding
 * white space first unless `trim` is false (then white space counts). zod's own min/max count UTF-16
 * units, so they are not used; the OpenAPI document still says minLength 1, maxLength max.
 */
export function BoundedText(max: number, { trim = true }: { trim?: boolean } = {}): z.ZodString {
    const text = trim ? z.string().trim() : z.string();
    return text
        .refine((value) => {
            const length = characterCount(value);
            return length >= 1 && length <= max;
        }, `must be 1 to ${max} characters${trim ? ' (not counting surrounding white space)' : ''}`)
        .superRefine((value, context) => {
            // The ledger's rule for free text (no control, bidi or zero-width-only text), for text the gateway keeps too.
            const problem = textProblem(value);
            if (problem !== undefined) {
                context.addIssue({ code: 'custom', message: problem });
            }
        })
        .meta({ minLength: 1, maxLength: max });
}

export const Reason = BoundedText(500).describe('Why (1..500 characters)');
/**
 * A receivable's document: the chaincode keeps only a CIDv1 in multibase base32 of at most 128
 * characters (chaincode/src/receivable/document-cid.ts, which also checks its structure), the form
 * POST /documents and `ipfs add --cid-version 1` give. 32 characters after the `b` are its shortest.
 */
export const DocumentCid = z
    .string()
    .regex(/^b[a-z2-7]{32,127}$/, 'must be a CIDv1 in multibase base32, as POST /documents returns it: b and 32 to 127 lower-case letters and digits 2-7 (not a CIDv0 Qm… or base58 z…)')
    .describe('CIDv1 in multibase base32 (b…), at most 128 characters');
/** An appraisal report: the IP chaincode also takes CIDv0 and base58 CIDv1 (chaincode/src/ip/ip-asset.ts CID_PATTERN). */
export const ReportCid = z
    .string()
    .regex(/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{40,200}|z[1-9A-HJ-NP-Za-km-z]{40,200})$/, 'must be an IPFS content id: CIDv0 (Qm…) or CIDv1 (b… base32, z… base58)')
    .describe('IPFS content id: CIDv0 (Qm…) or CIDv1 (b… base32, z… base58)');
export const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address: 0x and 40 hexadecimal digits').describe('Ethereum address (EIP-55)');
export const Role = z.enum(['platform-admin', 'core-enterprise', 'supplier', 'financier', 'appraiser', 'credit-bureau', 'foreign-partner', 'regulator']);

export const ReasonBody = z.strictObject({ reason: Reason });
export const EmptyBody = z.strictObject({}).optional();
export const IdParams = z.strictObject({ id: RecordId });

const PAGE_SIZE_MESSAGE = 'must be a whole number from 1 to 500';
const MAX_PAGE_SIZE = 500;

/**
 * A page size as the query carries it: decimal digits only (not 1e2, 0x10, 2.5 or " 20", which a
 * number coercion would take). Documented as the integer it is.
 */
const PageSize = z
    .string({ error: PAGE_SIZE_MESSAGE })
    .refine((text) => /^[0-9]{1,9}$/.test(text), PAGE_SIZE_MESSAGE)
    .transform(Number)
    .pipe(z.int(PAGE_SIZE_MESSAGE).min(1, PAGE_SIZE_MESSAGE).max(MAX_PAGE_SIZE, PAGE_SIZE_MESSAGE))
    .meta({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE });

/** Pagination of lists (gateway-side, keyset: see paginate in router.ts). */
export const PageQuery = z.object({
    limit: PageSize.optional().describe('Page size (default 100)'),
    cursor: z
        .string()
        .max(400)
        .optional()
        .describe(
            'Opaque: the nextCursor of the previous page, unchanged. The next page starts after the last item of that page in ' +
                "the list's order, so records added or removed between requests neither repeat nor shift the items already served",
        ),
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
        reason: z
            .enum(CREDENTIAL_ENDS)
            .optional()
            .describe('401 to a credential presented and refused: why it no longer works, for a client to tell its user (an unreadable or unknown token reads as expired)'),
    })
    .describe('application/problem+json (RFC 9457)');

export const UserView = z.object({ username: z.string(), role: Role, enterpriseId: z.string(), mspId: z.string() });
