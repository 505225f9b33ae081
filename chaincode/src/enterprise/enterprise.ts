import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { Caller, MSP, ROLE_ORGS, Role, getCaller } from '../ledger/caller';
import { Input } from '../ledger/input';
import { compositeKey, readRecord } from '../ledger/state';
import { IdentifierKind, identifierKind } from './identifiers';
import { ENTERPRISE_KINDS, EnterpriseKind, KIND_ROLE } from './kinds';

export { ENTERPRISE_KINDS, KIND_ROLE } from './kinds';
export type { EnterpriseKind } from './kinds';

export type EnterpriseStatus = 'ACTIVE' | 'FROZEN';

/** An enterprise or institution known to the platform. Its id is its USCC or LEI. */
export interface Enterprise {
    docType: 'enterprise';
    id: string;
    idKind: IdentifierKind;
    name: string;
    kind: EnterpriseKind;
    /** The organisation whose CA issues this enterprise's user identities. */
    mspId: string;
    /** ISO 3166-1 alpha-2 country of registration. */
    country: string;
    status: EnterpriseStatus;
    statusReason?: string;
    registeredAt: string;
    registeredBy: string;
    updatedAt: string;
}

const DEFAULT_MSP: Readonly<Record<EnterpriseKind, string>> = {
    PLATFORM: MSP.platform,
    CORE_ENTERPRISE: MSP.platform,
    SUPPLIER: MSP.platform,
    FINANCIER: MSP.bank,
    APPRAISER: MSP.bank,
    CREDIT_BUREAU: MSP.platform,
    FOREIGN_PARTNER: MSP.partner,
    REGULATOR: MSP.platform,
};

/** The world-state key of an enterprise. */
export function enterpriseKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'enterprise', [id]);
}

/** Validates a registration request and builds the new record. Throws INVALID_ARGUMENT. */
export function newEnterprise(input: Input, registeredBy: string, now: string): Enterprise {
    const id = input.string('id', { max: 20 }).toUpperCase();
    const idKind = identifierKind(id);
    if (!idKind) {
        throw fail.invalid('request.id must be a valid USCC (GB 32100-2015) or LEI (ISO 17442) with a correct check character');
    }
    const name = input.string('name', { max: 200 });
    const kind = input.oneOf('kind', ENTERPRISE_KINDS);
    const country = input.optionalString('country', { pattern: /^[A-Z]{2}$/ }) ?? (idKind === 'USCC' ? 'CN' : undefined);
    if (!country) {
        throw fail.invalid('request.country is required for an LEI-identified enterprise (ISO 3166-1 alpha-2)');
    }
    if (idKind === 'USCC' && country !== 'CN') {
        throw fail.invalid('a USCC identifies a Chinese entity; request.country must be CN');
    }
    const mspId = input.optionalString('mspId', { pattern: /^[A-Za-z0-9]+MSP$/ }) ?? DEFAULT_MSP[kind];
    const hosts = ROLE_ORGS[KIND_ROLE[kind]];
    if (!hosts.includes(mspId)) {
        // Users of the enterprise act in its kind's role, which only these organisations' CAs may issue:
        // any other MSP would make an enterprise nobody can act for, yet one others could name.
        throw fail.invalid(`request.mspId must be ${hosts.join(' or ')} for a ${kind}: the organisation whose users may act as ${KIND_ROLE[kind]}`);
    }
    input.done();
    return {
        docType: 'enterprise',
        id,
        idKind,
        name,
        kind,
        mspId,
        country,
        status: 'ACTIVE',
        registeredAt: now,
        registeredBy,
        updatedAt: now,
    };
}

/** Kinds of which the channel holds one enterprise: the platform operator and the regulator. */
export const SINGLETON_KINDS: readonly EnterpriseKind[] = ['PLATFORM', 'REGULATOR'];

/** True when `caller` acts for `enterprise`: its enterprise id, in its kind's role, through its organisation. */
export function actsFor(caller: Caller, enterprise: Enterprise): boolean {
    return caller.eid === enterprise.id && KIND_ROLE[enterprise.kind] === caller.role && caller.mspId === enterprise.mspId;
}

/**
 * The enterprise as `caller` may see it. The reason of a freeze or unfreeze is the regulator's
 * finding: only the regulator, the platform operator and the enterprise itself see it; everyone
 * else sees the status alone.
 */
export function enterpriseViewFor(caller: Caller, enterprise: Enterprise): Enterprise {
    if (enterprise.statusReason === undefined || caller.role === 'regulator' || caller.role === 'platform-admin' || actsFor(caller, enterprise)) {
        return enterprise;
    }
    const view: Enterprise = { ...enterprise };
    delete view.statusReason;
    return view;
}

/** Reads an enterprise, or undefined. */
export async function readEnterprise(ctx: Context, id: string): Promise<Enterprise | undefined> {
    return readRecord<Enterprise>(ctx, enterpriseKey(ctx, id));
}

/** Reads an enterprise that must exist. Throws NOT_FOUND. */
export async function mustReadEnterprise(ctx: Context, id: string): Promise<Enterprise> {
    const enterprise = await readEnterprise(ctx, id);
    if (!enterprise) {
        throw fail.notFound(`enterprise ${id} does not exist`);
    }
    return enterprise;
}

/**
 * Requires an enterprise to be able to receive or move value: it exists and is not frozen.
 * Throws NOT_FOUND or ENTERPRISE_FROZEN.
 */
export async function requireActiveEnterprise(ctx: Context, id: string, kinds?: readonly EnterpriseKind[]): Promise<Enterprise> {
    const enterprise = await mustReadEnterprise(ctx, id);
    if (kinds && !kinds.includes(enterprise.kind)) {
        throw fail.invalid(`enterprise ${id} is a ${enterprise.kind}; expected ${kinds.join(' or ')}`);
    }
    if (enterprise.status === 'FROZEN') {
        throw new ChaincodeError('ENTERPRISE_FROZEN', `enterprise ${id} is frozen`);
    }
    return enterprise;
}

/** The acting caller together with the enterprise it acts for. */
export interface Actor extends Caller {
    enterprise: Enterprise;
}

/**
 * Requires the caller to hold one of `roles` and to act for a registered enterprise of the matching
 * kind hosted by the caller's own organisation, frozen or not: for what a freeze does not stop
 * (a bureau withdrawing its own attestation). Throws UNAUTHENTICATED, FORBIDDEN.
 */
export async function requireMember(ctx: Context, ...roles: Role[]): Promise<Actor> {
    const caller = getCaller(ctx);
    if (!roles.includes(caller.role)) {
        throw fail.forbidden(`role ${caller.role} may not do this; requires ${roles.join(' or ')}`);
    }
    const enterprise = await readEnterprise(ctx, caller.eid);
    if (!enterprise) {
        throw fail.forbidden(`the caller's enterprise ${caller.eid} is not registered`);
    }
    if (KIND_ROLE[enterprise.kind] !== caller.role) {
        throw fail.forbidden(`enterprise ${caller.eid} is a ${enterprise.kind} and cannot act as ${caller.role}`);
    }
    if (enterprise.mspId !== caller.mspId) {
        throw fail.forbidden(`enterprise ${caller.eid} belongs to ${enterprise.mspId}, not ${caller.mspId}`);
    }
    return { ...caller, enterprise };
}

/**
 * Requires the caller to hold one of `roles` and to act for a registered, active enterprise of
 * the matching kind hosted by the caller's own organisation.
 * Throws UNAUTHENTICATED, FORBIDDEN or ENTERPRISE_FROZEN.
 */
export async function requireActor(ctx: Context, ...roles: Role[]): Promise<Actor> {
    const actor = await requireMember(ctx, ...roles);
    if (actor.enterprise.status === 'FROZEN') {
        throw new ChaincodeError('ENTERPRISE_FROZEN', `enterprise ${actor.eid} is frozen`);
    }
    return actor;
}
