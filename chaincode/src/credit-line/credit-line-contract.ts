import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { recordCreditEvents } from '../profile/credit-profile';
import { ChaincodeError, fail } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { parseAmountValue, parseReason, parseRequest, requireId } from '../ledger/input';
import { putIndex, scanIndex, writeRecord } from '../ledger/state';
import { creditLineExpired } from '../ledger/expiry';
import { deriveId, emitEvent, txDate, txTime } from '../ledger/tx';
import { requireActiveEnterprise, requireActor, requireMember } from '../enterprise/enterprise';
import {
    CREDIT_LINE_BY_CORE,
    CREDIT_LINE_BY_FINANCIER,
    CreditLine,
    creditLineKey,
    creditLineReader,
    lineUtilisationBps,
    lineViewFor,
    mustReadCreditLine,
    newCreditLine,
    parseCreditLineGrant,
    viewOf,
} from './credit-line';


/** Credit lines (授信) granted by financiers to core enterprises. */
@Info({ title: 'CreditLineContract', description: 'Credit lines: grant, change limit, revoke, read, list' })
export class CreditLineContract extends XinlianContract {
    constructor() {
        super('credit-line');
    }

    /**
     * Grants an active core enterprise a limit (financier). Request: {coreEnterpriseId, currency, limit, expiresAt}.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction()
    @Returns('string')
    async GrantCreditLine(ctx: Context, request: string): Promise<string> {
        const actor = await requireActor(ctx, 'financier');
        const grant = parseCreditLineGrant(parseRequest(request), txDate(ctx));
        await requireActiveEnterprise(ctx, grant.coreEnterpriseId, ['CORE_ENTERPRISE']);
        const line = newCreditLine(deriveId(ctx, 'CL'), actor.eid, grant, txTime(ctx));
        await writeRecord(ctx, creditLineKey(ctx, line.id), line);
        await putIndex(ctx, CREDIT_LINE_BY_CORE, [line.coreEnterpriseId, line.id]);
        await putIndex(ctx, CREDIT_LINE_BY_FINANCIER, [line.financierId, line.id]);
        await linkRecord(ctx, [line.financierId, line.coreEnterpriseId], { type: 'creditLine', id: line.id });
        emitEvent(ctx, 'GrantCreditLine', { lineId: line.id, financierId: line.financierId, coreEnterpriseId: line.coreEnterpriseId });
        return canonicalStringify(viewOf(line, txDate(ctx)));
    }

    /**
     * Sets a new limit (the granting financier). The new limit may not be below what is used.
     * Setting the limit already in force is idempotent (as SetNoteParameters and SetIpParameters):
     * it writes, records and emits nothing — no new version, no event, no credit-profile
     * utilisation — and returns the line as it is. A revoked or expired line is refused either way.
     * Throws UNAUTHENTICATED, FORBIDDEN, ENTERPRISE_FROZEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, EXPIRED, INSUFFICIENT_LIMIT.
     */
    @Transaction()
    @Returns('string')
    async ChangeCreditLimit(ctx: Context, lineId: string, newLimit: string): Promise<string> {
        const line = await this.requireGrantor(ctx, lineId);
        const limit = parseAmountValue(newLimit, 'newLimit');
        if (line.status === 'REVOKED') {
            throw fail.state(`credit line ${lineId} is revoked`);
        }
        if (creditLineExpired(line, txDate(ctx))) {
            throw new ChaincodeError('EXPIRED', `credit line ${lineId} expired at ${line.expiresAt}`);
        }
        if (limit.toString() === line.limit) {
            // Nothing to change: no write and no event, so the base contract records no signer either.
            return canonicalStringify(viewOf(line, txDate(ctx)));
        }
        if (limit < BigInt(line.used)) {
            throw new ChaincodeError('INSUFFICIENT_LIMIT', `new limit ${limit} is below the ${line.used} already used on credit line ${lineId}`);
        }
        const updated: CreditLine = { ...line, limit: limit.toString(), updatedAt: txTime(ctx) };
        await writeRecord(ctx, creditLineKey(ctx, lineId), updated);
        await recordCreditEvents(ctx, [
            { type: 'CREDIT_LINE_UTILISATION', enterpriseId: line.coreEnterpriseId, ref: lineId, usedBps: lineUtilisationBps(updated) },
        ]);
        emitEvent(ctx, 'ChangeCreditLimit', { lineId, financierId: line.financierId, coreEnterpriseId: line.coreEnterpriseId, limit: updated.limit, previousLimit: line.limit, currency: line.currency });
        return canonicalStringify(viewOf(updated, txDate(ctx)));
    }

    /**
     * Revokes a line (the granting financier, frozen or not: revoking moves no value and only takes
     * exposure away): no new issuance; outstanding notes stay valid and still restore the line when
     * redeemed. Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE.
     */
    @Transaction()
    @Returns('string')
    async RevokeCreditLine(ctx: Context, lineId: string, reason: string): Promise<string> {
        const line = await this.requireGrantor(ctx, lineId, { frozen: true });
        const why = parseReason(reason);
        if (line.status === 'REVOKED') {
            throw fail.state(`credit line ${lineId} is already revoked`);
        }
        const now = txTime(ctx);
        const updated: CreditLine = { ...line, status: 'REVOKED', revokedAt: now, revocationReason: why, updatedAt: now };
        await writeRecord(ctx, creditLineKey(ctx, lineId), updated);
        // A revoked line offers no headroom: fully used while draws are outstanding (see lineUtilisationBps).
        await recordCreditEvents(ctx, [{ type: 'CREDIT_LINE_UTILISATION', enterpriseId: line.coreEnterpriseId, ref: lineId, usedBps: lineUtilisationBps(updated) }]);
        emitEvent(ctx, 'RevokeCreditLine', { lineId, financierId: line.financierId, coreEnterpriseId: line.coreEnterpriseId });
        return canonicalStringify(viewOf(updated, txDate(ctx)));
    }

    /**
     * Reads one line as of the transaction time (any authenticated caller): status EXPIRED once past
     * its expiry unless revoked, and its `remaining` headroom, 0 unless ACTIVE (viewOf); the
     * `revocationReason` only for the line's parties and the regulator (lineViewFor).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ReadCreditLine(ctx: Context, lineId: string): Promise<string> {
        const reader = await creditLineReader(ctx);
        return canonicalStringify(lineViewFor(reader, await mustReadCreditLine(ctx, lineId), txDate(ctx)));
    }

    /**
     * Lists, in id order, the lines where the enterprise is the core enterprise or the financier
     * (any authenticated caller: the platform is permissioned and limits are not secret among members),
     * each as ReadCreditLine shows it to the caller (EXPIRED once past its expiry unless revoked; the
     * `revocationReason` only for the line's parties and the regulator).
     * Throws UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT.
     */
    @Transaction(false)
    @Returns('string')
    async ListCreditLines(ctx: Context, enterpriseId: string): Promise<string> {
        const reader = await creditLineReader(ctx);
        requireId(enterpriseId, 'enterpriseId');
        const ids = new Set<string>();
        for (const index of [CREDIT_LINE_BY_CORE, CREDIT_LINE_BY_FINANCIER]) {
            for (const [, id] of await scanIndex(ctx, index, [enterpriseId])) {
                ids.add(id);
            }
        }
        const lines: CreditLine[] = [];
        for (const id of [...ids].sort()) {
            lines.push(await mustReadCreditLine(ctx, id));
        }
        const now = txDate(ctx);
        return canonicalStringify(lines.map((line) => lineViewFor(reader, line, now)));
    }

    /** The caller must be a financier, active unless `frozen` is allowed, and the grantor of the line. */
    private async requireGrantor(ctx: Context, lineId: string, { frozen = false } = {}): Promise<CreditLine> {
        const actor = frozen ? await requireMember(ctx, 'financier') : await requireActor(ctx, 'financier');
        const line = await mustReadCreditLine(ctx, lineId);
        if (line.financierId !== actor.eid) {
            throw fail.forbidden(`credit line ${lineId} was granted by another financier`);
        }
        return line;
    }
}
