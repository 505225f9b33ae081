import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { Enterprise, KIND_ROLE, readEnterprise } from '../enterprise/enterprise';
import { Caller, getCaller } from '../ledger/caller';

/**
 * Who may read note data. Reads do not move value, so a frozen enterprise may still read its own
 * records; but the caller's enterprise id is only trusted when the enterprise is registered, of
 * the kind the role acts for, and hosted by the caller's organisation — otherwise a financier
 * certificate naming a supplier's id could read that supplier's notes.
 */

/** An authenticated reader: the regulator, or a user acting for its own registered enterprise. */
export interface Reader extends Caller {
    regulator: boolean;
    enterprise?: Enterprise;
}

/** Identifies the reader. Throws UNAUTHENTICATED or FORBIDDEN. */
export async function identifyReader(ctx: Context): Promise<Reader> {
    const caller = getCaller(ctx);
    if (caller.role === 'regulator') {
        return { ...caller, regulator: true };
    }
    const enterprise = await readEnterprise(ctx, caller.eid);
    if (!enterprise) {
        throw fail.forbidden(`the caller's enterprise ${caller.eid} is not registered`);
    }
    if (KIND_ROLE[enterprise.kind] !== caller.role || enterprise.mspId !== caller.mspId) {
        throw fail.forbidden(`the caller cannot act for ${caller.eid} as ${caller.role} from ${caller.mspId}`);
    }
    return { ...caller, regulator: false, enterprise };
}

/**
 * The reader, or undefined when the authenticated caller acts for no registered enterprise of its
 * role hosted by its organisation (it may then read no note): for what any authenticated caller may
 * do but only those entitled to read are answered in full. Throws UNAUTHENTICATED or FORBIDDEN (see getCaller).
 */
export async function optionalReader(ctx: Context): Promise<Reader | undefined> {
    // getCaller's own refusals (no attributes, an unknown role, a role from the wrong organisation) stand.
    getCaller(ctx);
    try {
        return await identifyReader(ctx);
    } catch (error) {
        if (error instanceof ChaincodeError && error.code === 'FORBIDDEN') {
            return undefined;
        }
        throw error;
    }
}

/** The reader must be the regulator or act for one of `enterpriseIds`. Throws FORBIDDEN. */
export function requireRegulatorOr(reader: Reader, enterpriseIds: readonly string[], what: string): void {
    if (!reader.regulator && !enterpriseIds.includes(reader.eid)) {
        throw fail.forbidden(`${reader.eid} may not read ${what}`);
    }
}
