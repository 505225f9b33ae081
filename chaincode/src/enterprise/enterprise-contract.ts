import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../errors';
import { canonicalStringify } from '../ledger/canonical-json';
import { linkRecord } from '../ledger/audit-index';
import { getCaller, requireRole } from '../ledger/caller';
import { XinlianContract } from '../ledger/contract-base';
import { parseReason, parseRequest, requireId } from '../ledger/input';
import { keyExists, scanRecords, writeRecord } from '../ledger/state';
import { emitEvent, txTime } from '../ledger/tx';
import { ENTERPRISE_KINDS, Enterprise, EnterpriseKind, SINGLETON_KINDS, enterpriseKey, enterpriseViewFor, mustReadEnterprise, newEnterprise } from './enterprise';

/** Onboarding and supervision of enterprises and institutions. */
/** Kinds of enterprise that a freeze does not apply to: they hold no value to stop. */
const UNFREEZABLE_KINDS: ReadonlySet<string> = new Set(['REGULATOR', 'PLATFORM']);

@Info({ title: 'EnterpriseContract', description: 'Enterprises and institutions: register, freeze, read, list' })
export class EnterpriseContract extends XinlianContract {
    constructor() {
        super('enterprise');
    }

    /**
     * Registers an enterprise (platform admin). The channel has one platform operator and one regulator:
     * a second enterprise of kind PLATFORM or REGULATOR is refused. Throws INVALID_ARGUMENT, FORBIDDEN, ALREADY_EXISTS.
     */
    @Transaction()
    @Returns('string')
    async RegisterEnterprise(ctx: Context, request: string): Promise<string> {
        const caller = requireRole(ctx, 'platform-admin');
        const enterprise = newEnterprise(parseRequest(request), caller.eid, txTime(ctx));
        const key = enterpriseKey(ctx, enterprise.id);
        if (await keyExists(ctx, key)) {
            throw fail.exists(`enterprise ${enterprise.id} is already registered`);
        }
        if (SINGLETON_KINDS.includes(enterprise.kind)) {
            // A second regulator would be one the operator chose, able to freeze and export like the real one.
            // Registrations of these kinds are rare, so a scan costs nothing; on Fabric the range read also
            // makes two concurrent registrations conflict (phantom read).
            const existing = (await scanRecords<Enterprise>(ctx, 'enterprise', [])).find((e) => e.kind === enterprise.kind);
            if (existing) {
                throw fail.exists(`the ${enterprise.kind} enterprise is already registered (${existing.id}); the channel has one`);
            }
        }
        await writeRecord(ctx, key, enterprise);
        await linkRecord(ctx, [enterprise.id], { type: 'enterprise', id: enterprise.id });
        emitEvent(ctx, 'RegisterEnterprise', { enterpriseId: enterprise.id, kind: enterprise.kind });
        return canonicalStringify(enterprise);
    }

    /** Freezes an enterprise so it can neither move nor receive value (regulator). Throws FORBIDDEN, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async FreezeEnterprise(ctx: Context, enterpriseId: string, reason: string): Promise<string> {
        return this.setStatus(ctx, enterpriseId, reason, 'FROZEN', 'FreezeEnterprise');
    }

    /** Lifts a freeze (regulator). Throws FORBIDDEN, NOT_FOUND, INVALID_STATE. */
    @Transaction()
    @Returns('string')
    async UnfreezeEnterprise(ctx: Context, enterpriseId: string, reason: string): Promise<string> {
        return this.setStatus(ctx, enterpriseId, reason, 'ACTIVE', 'UnfreezeEnterprise');
    }

    /**
     * Reads one enterprise; the reason of its status only for the regulator, the platform admin and the
     * enterprise itself (enterpriseViewFor). Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ReadEnterprise(ctx: Context, enterpriseId: string): Promise<string> {
        const caller = getCaller(ctx);
        const enterprise = await mustReadEnterprise(ctx, requireId(enterpriseId, 'enterpriseId'));
        return canonicalStringify(enterpriseViewFor(caller, enterprise));
    }

    /**
     * Lists enterprises in id order, optionally of one kind ('' for all), each as ReadEnterprise shows
     * it to the caller. Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN.
     */
    @Transaction(false)
    @Returns('string')
    async ListEnterprises(ctx: Context, kind: string): Promise<string> {
        const caller = getCaller(ctx);
        if (kind !== '' && !(ENTERPRISE_KINDS as readonly string[]).includes(kind)) {
            throw fail.invalid(`kind must be empty or one of ${ENTERPRISE_KINDS.join(', ')}`);
        }
        const all = await scanRecords<Enterprise>(ctx, 'enterprise', []);
        const selected = kind === '' ? all : all.filter((e) => e.kind === (kind as EnterpriseKind));
        return canonicalStringify(selected.map((enterprise) => enterpriseViewFor(caller, enterprise)));
    }

    private async setStatus(ctx: Context, enterpriseId: string, reason: string, status: Enterprise['status'], event: string): Promise<string> {
        requireRole(ctx, 'regulator');
        requireId(enterpriseId, 'enterpriseId');
        const why = parseReason(reason);
        const enterprise = await mustReadEnterprise(ctx, enterpriseId);
        if (status === 'FROZEN' && UNFREEZABLE_KINDS.has(enterprise.kind)) {
            // A freeze stops an enterprise moving or receiving value; the regulator and the platform operator hold none, and freezing them would only lock supervision and operation out.
            throw fail.invalid(`enterprise ${enterpriseId} is the ${enterprise.kind === 'REGULATOR' ? 'regulator' : 'platform operator'}, which cannot be frozen`);
        }
        if (enterprise.status === status) {
            throw fail.state(`enterprise ${enterpriseId} is already ${status}`);
        }
        const updated: Enterprise = { ...enterprise, status, statusReason: why, updatedAt: txTime(ctx) };
        await writeRecord(ctx, enterpriseKey(ctx, enterpriseId), updated);
        emitEvent(ctx, event, { enterpriseId, status });
        return canonicalStringify(updated);
    }
}
