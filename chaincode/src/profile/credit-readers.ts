import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { KIND_ROLE, readEnterprise } from '../enterprise/enterprise';
import { Caller, Role, getCaller } from '../ledger/caller';

/**
 * Who may read an enterprise's credit information: its credit profile (score, warning, reasons) and
 * every record that discloses the same about it, its credit passports (score, grade, reason codes)
 * and their recognitions (domestic score and grade, mapped grade). One rule, so the passport reads
 * can never show more people a score than the profile does (docs/credit-scoring.md §4,
 * docs/credit-passport.md §6).
 */

/** Roles that may read any enterprise's profile (due diligence, attestation, recognition, supervision). */
export const PROFILE_READER_ROLES: readonly Role[] = ['regulator', 'financier', 'credit-bureau', 'foreign-partner'];

/** Roles whose users may read the profile of their own enterprise. */
export const OWN_PROFILE_ROLES: readonly Role[] = ['core-enterprise', 'supplier'];

/**
 * Roles that may read any enterprise's credit passports and recognitions: the profile's readers, and
 * the platform admin, which anchors passports for any bureau (so holds their content already),
 * revokes the keys that signed them and manages the agreements they are recognised under. The
 * gateway's public passport check needs none of these reads: it asks recognition:AttestationStatus
 * (anchored or not, and the status), which anyone on the channel may.
 */
export const PASSPORT_READER_ROLES: readonly Role[] = [...PROFILE_READER_ROLES, 'platform-admin'];

/**
 * Requires the caller to act for a registered enterprise of its role's kind hosted by its own
 * organisation. Frozen enterprises may still read. Throws UNAUTHENTICATED or FORBIDDEN.
 */
export async function requireRegisteredCaller(ctx: Context, roles: readonly Role[]): Promise<Caller> {
    const caller = getCaller(ctx);
    if (!roles.includes(caller.role)) {
        throw fail.forbidden(`role ${caller.role} may not do this; requires ${roles.join(' or ')}`);
    }
    return requireRegistered(ctx, caller);
}

async function requireRegistered(ctx: Context, caller: Caller): Promise<Caller> {
    const enterprise = await readEnterprise(ctx, caller.eid);
    if (!enterprise || KIND_ROLE[enterprise.kind] !== caller.role || enterprise.mspId !== caller.mspId) {
        throw fail.forbidden(`the caller's enterprise ${caller.eid} is not a registered ${caller.role} of ${caller.mspId}`);
    }
    return caller;
}

/** The profile's readers: its own enterprise, and the roles in PROFILE_READER_ROLES. Throws UNAUTHENTICATED or FORBIDDEN. */
export async function requireProfileReader(ctx: Context, enterpriseId: string): Promise<void> {
    const caller = await requireRegisteredCaller(ctx, [...PROFILE_READER_ROLES, ...OWN_PROFILE_ROLES]);
    if (OWN_PROFILE_ROLES.includes(caller.role) && caller.eid !== enterpriseId) {
        throw fail.forbidden(`a ${caller.role} may read only its own credit profile`);
    }
}

/** What a passport read discloses, for the refusals: "credit passports" or "recognitions". */
export type PassportRecords = 'credit passports' | 'recognitions';

/**
 * The first half of a passport read's check, before the record is looked up: the caller is a
 * reader of some enterprise's passports — a PASSPORT_READER_ROLES role or a user of a core
 * enterprise or supplier (of its own, checked by `requirePassportSubject`), acting for a registered
 * enterprise of its role's kind in its own organisation (the platform admin: by its role, as in
 * every admin transaction). Frozen enterprises may still read. Throws UNAUTHENTICATED or FORBIDDEN.
 */
export async function requirePassportReader(ctx: Context, records: PassportRecords): Promise<Caller> {
    const caller = getCaller(ctx);
    if (caller.role === 'platform-admin') {
        return caller;
    }
    if (!PASSPORT_READER_ROLES.includes(caller.role) && !OWN_PROFILE_ROLES.includes(caller.role)) {
        throw fail.forbidden(
            `role ${caller.role} may not read ${records}: they disclose a subject's score, grade and reasons, which only those who may read its credit profile ` +
                `(its own users, the regulator, financiers, credit bureaus, foreign partners) and the platform admin may read`,
        );
    }
    return requireRegistered(ctx, caller);
}

/**
 * The second half: `caller` (from `requirePassportReader`) may read the passports or recognitions
 * about `subjectId`: a core enterprise's or supplier's users only their own enterprise's. Throws FORBIDDEN.
 */
export function requirePassportSubject(caller: Caller, subjectId: string, records: PassportRecords): void {
    if (OWN_PROFILE_ROLES.includes(caller.role) && caller.eid !== subjectId) {
        throw fail.forbidden(
            records === 'credit passports' ? `a ${caller.role} may read only its own credit passports` : `a ${caller.role} may read only the recognitions of its own credit passports`,
        );
    }
}
