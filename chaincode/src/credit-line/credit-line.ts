import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { actsFor, readEnterprise, requireActiveEnterprise } from '../enterprise/enterprise';
import { getCaller } from '../ledger/caller';
import { Input, requireId } from '../ledger/input';
import { compositeKey, mustRead, writeRecord } from '../ledger/state';
import { creditLineExpired } from '../ledger/expiry';
import { txDate, txTime } from '../ledger/tx';
import { utilisationBps } from '../profile/credit-profile';

/**
 * Credit lines (授信): a financier grants a core enterprise a limit in one currency with an
 * expiry. Notes the core enterprise issues consume the line; redeemed notes restore it.
 *
 * Invariant: 0 <= used <= limit. ChangeCreditLimit refuses a new limit below `used` with
 * INSUFFICIENT_LIMIT (the same code issuance gets when the line is too small), so a client sees
 * one code for "the line cannot cover what is outstanding".
 *
 * A frozen financier's lines carry no new issuance (ENTERPRISE_FROZEN): a freeze stops value moving
 * on the frozen party's credit. The frozen financier may still revoke its lines — revoking only
 * takes exposure away — but not raise or lower a limit.
 */

/** A stored line's status. Expiry is not stored: it follows from `expiresAt` and the ledger time (CreditLineViewStatus). */
export type CreditLineStatus = 'ACTIVE' | 'REVOKED';

/**
 * A line's status as reads and results show it, at the transaction time: REVOKED once revoked;
 * EXPIRED when not revoked and the time is at or past `expiresAt` (the stored record still says
 * ACTIVE: no transaction runs at the moment of expiry); else ACTIVE.
 */
export type CreditLineViewStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** The fields a stored line and its read view share. Amounts are minor units as decimal strings; times are ISO-8601 UTC. */
interface CreditLineFields {
    docType: 'creditLine';
    id: string;
    financierId: string;
    coreEnterpriseId: string;
    currency: string;
    limit: string;
    used: string;
    grantedAt: string;
    expiresAt: string;
    updatedAt: string;
    revokedAt?: string;
    /**
     * Why the financier revoked the line: its credit judgement of the core enterprise. Reads show it to
     * the line's parties (the granting financier, the core enterprise) and the regulator only.
     */
    revocationReason?: string;
}

/** A credit line as stored. */
export interface CreditLine extends CreditLineFields {
    status: CreditLineStatus;
}

/**
 * A credit line as reads and results return it, at the transaction time: the record with its
 * status as of then (EXPIRED once past `expiresAt` unless revoked) and the headroom `remaining`,
 * `limit − used` while ACTIVE, 0 once revoked or expired.
 */
export interface CreditLineView extends CreditLineFields {
    /** ACTIVE; REVOKED once revoked; EXPIRED at and after `expiresAt` when not revoked (the stored record still says ACTIVE). */
    status: CreditLineViewStatus;
    remaining: string;
}

/** Index object types: `creditLine~core ~ coreEnterpriseId ~ lineId`, `creditLine~financier ~ financierId ~ lineId`. */
export const CREDIT_LINE_BY_CORE = 'creditLine~core';
export const CREDIT_LINE_BY_FINANCIER = 'creditLine~financier';

/** The world-state key of a credit line. */
export function creditLineKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'creditLine', [id]);
}

/** The validated fields of a grant request. */
export interface CreditLineGrant {
    coreEnterpriseId: string;
    currency: string;
    limit: bigint;
    expiresAt: Date;
}

/** Parses a GrantCreditLine request. Throws INVALID_ARGUMENT (including an expiry not after `now`). */
export function parseCreditLineGrant(input: Input, now: Date): CreditLineGrant {
    const coreEnterpriseId = requireId(input.string('coreEnterpriseId', { max: 20 }).toUpperCase(), 'request.coreEnterpriseId');
    const currency = input.currency('currency');
    const limit = input.amount('limit');
    const expiresAt = input.date('expiresAt');
    input.done();
    if (expiresAt.getTime() <= now.getTime()) {
        throw fail.invalid('request.expiresAt must be after the transaction time');
    }
    return { coreEnterpriseId, currency, limit, expiresAt };
}

/** Builds a new ACTIVE line with nothing used. */
export function newCreditLine(id: string, financierId: string, grant: CreditLineGrant, now: string): CreditLine {
    return {
        docType: 'creditLine',
        id,
        financierId,
        coreEnterpriseId: grant.coreEnterpriseId,
        currency: grant.currency,
        limit: grant.limit.toString(),
        used: '0',
        status: 'ACTIVE',
        grantedAt: now,
        expiresAt: grant.expiresAt.toISOString(),
        updatedAt: now,
    };
}

/** `limit − used`, never negative for a consistent record. */
export function remainingOf(line: CreditLine): bigint {
    return BigInt(line.limit) - BigInt(line.used);
}

/** A line's status at `now`: REVOKED once revoked, else EXPIRED from `expiresAt` on, else ACTIVE. */
export function creditLineStatusAt(line: CreditLine, now: Date): CreditLineViewStatus {
    if (line.status === 'REVOKED') {
        return 'REVOKED';
    }
    return creditLineExpired(line, now) ? 'EXPIRED' : 'ACTIVE';
}

/** The read view of a line at `now`: its status then, and `remaining`, what can still be drawn (nothing unless ACTIVE). */
export function viewOf(line: CreditLine, now: Date): CreditLineView {
    const status = creditLineStatusAt(line, now);
    return { ...line, status, remaining: status === 'ACTIVE' ? remainingOf(line).toString() : '0' };
}

/**
 * Who reads credit lines: whether the caller is the regulator, and the enterprise it verifiably acts
 * for (registered, of the kind its role acts for, hosted by its organisation), if any.
 */
export interface CreditLineReader {
    regulator: boolean;
    eid?: string;
}

/** Identifies the reader of credit lines. Throws UNAUTHENTICATED or FORBIDDEN (getCaller's refusals). */
export async function creditLineReader(ctx: Context): Promise<CreditLineReader> {
    const caller = getCaller(ctx);
    if (caller.role === 'regulator') {
        return { regulator: true };
    }
    const enterprise = await readEnterprise(ctx, caller.eid);
    return enterprise !== undefined && actsFor(caller, enterprise) ? { regulator: false, eid: caller.eid } : { regulator: false };
}

/**
 * The read view of a line (viewOf) as `reader` may see it. Any member may read a line's limit, use
 * and status; why it was revoked is the financier's credit judgement of the core enterprise, shown
 * only to the line's parties (the granting financier and the core enterprise) and the regulator, as
 * a freeze's reason is shown only to the frozen enterprise and those who supervise (enterpriseViewFor).
 */
export function lineViewFor(reader: CreditLineReader, line: CreditLine, now: Date): CreditLineView {
    const view = viewOf(line, now);
    if (view.revocationReason === undefined || reader.regulator || reader.eid === line.financierId || reader.eid === line.coreEnterpriseId) {
        return view;
    }
    delete view.revocationReason;
    return view;
}

/**
 * The line's utilisation for the credit profile (CREDIT_LINE_UTILISATION): `used` of `limit`; a
 * revoked line offers no headroom, so while draws on it are outstanding it counts as fully used,
 * and it leaves the picture (0) once they are repaid. Revoking a line therefore never improves the
 * core enterprise's score.
 */
export function lineUtilisationBps(line: CreditLine): number {
    if (line.status === 'REVOKED') {
        return BigInt(line.used) > 0n ? 10000 : 0;
    }
    return utilisationBps(BigInt(line.used), BigInt(line.limit));
}

/** Reads a line that must exist. Throws INVALID_ARGUMENT (malformed id) or NOT_FOUND. */
export async function mustReadCreditLine(ctx: Context, lineId: string): Promise<CreditLine> {
    requireId(lineId, 'lineId');
    return mustRead<CreditLine>(ctx, creditLineKey(ctx, lineId), `credit line ${lineId}`);
}

/**
 * Draws `amount` from a line for a note the core enterprise issues; writes the line once and
 * returns the updated record. Emits no event (the calling transaction does).
 * Throws INVALID_ARGUMENT (bad id, non-positive amount, currency mismatch), NOT_FOUND,
 * FORBIDDEN (line not granted to `coreEnterpriseId`), INVALID_STATE (revoked), EXPIRED,
 * ENTERPRISE_FROZEN (the line's financier), INSUFFICIENT_LIMIT.
 */
export async function consumeCreditLine(ctx: Context, lineId: string, coreEnterpriseId: string, currency: string, amount: bigint): Promise<CreditLine> {
    const line = await mustReadCreditLine(ctx, lineId);
    if (line.coreEnterpriseId !== coreEnterpriseId) {
        throw fail.forbidden(`credit line ${lineId} is not granted to ${coreEnterpriseId}`);
    }
    if (line.currency !== currency) {
        throw fail.invalid(`credit line ${lineId} is in ${line.currency}, not ${currency}`);
    }
    if (amount <= 0n) {
        throw fail.invalid('the amount drawn from a credit line must be greater than zero');
    }
    if (line.status === 'REVOKED') {
        throw fail.state(`credit line ${lineId} is revoked`);
    }
    if (creditLineExpired(line, txDate(ctx))) {
        throw new ChaincodeError('EXPIRED', `credit line ${lineId} expired at ${line.expiresAt}`);
    }
    await requireActiveEnterprise(ctx, line.financierId);
    const remaining = remainingOf(line);
    if (remaining < amount) {
        throw new ChaincodeError('INSUFFICIENT_LIMIT', `credit line ${lineId} has ${remaining} ${line.currency} minor units left; ${amount} requested`);
    }
    const updated: CreditLine = { ...line, used: (BigInt(line.used) + amount).toString(), updatedAt: txTime(ctx) };
    await writeRecord(ctx, creditLineKey(ctx, lineId), updated);
    return updated;
}

/**
 * Gives `amount` back to a line (a note redeemed or cancelled); works on revoked and expired
 * lines too, since the exposure is gone either way. Writes once, emits no event.
 * Throws INVALID_ARGUMENT (bad id, non-positive amount), NOT_FOUND, INTERNAL (more than is used:
 * a bookkeeping bug in the caller, never a user error).
 */
export async function restoreCreditLine(ctx: Context, lineId: string, amount: bigint): Promise<CreditLine> {
    const line = await mustReadCreditLine(ctx, lineId);
    if (amount <= 0n) {
        throw fail.invalid('the amount restored to a credit line must be greater than zero');
    }
    const used = BigInt(line.used);
    if (amount > used) {
        throw new ChaincodeError('INTERNAL', `cannot restore ${amount} to credit line ${lineId}: only ${used} is used`);
    }
    const updated: CreditLine = { ...line, used: (used - amount).toString(), updatedAt: txTime(ctx) };
    await writeRecord(ctx, creditLineKey(ctx, lineId), updated);
    return updated;
}
