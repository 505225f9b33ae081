import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../errors';
import { mustReadEnterprise, requireMember } from '../enterprise/enterprise';
import { linkRecord } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { getCaller, requireRole } from '../ledger/caller';
import { XinlianContract } from '../ledger/contract-base';
import { parseRequest, requireId } from '../ledger/input';
import { keyExists, putIndex, readRecord, scanIndex, writeRecord } from '../ledger/state';
import { emitEvent, txTime } from '../ledger/tx';
import { transactionCreator } from './transaction-creator';
import { USER_ENROLMENT, USER_ENROLMENT_OF, UserEnrolment, enrolmentKey, newUserEnrolment, parseEnrolmentRequest } from './user-enrolment';

/**
 * Requires the caller to be one who may see an enterprise's enrolments: the platform admin (who
 * records them), the regulator, or a user of that enterprise. Throws UNAUTHENTICATED, FORBIDDEN.
 */
async function requireEnrolmentReader(ctx: Context, enterpriseId: string): Promise<void> {
    const caller = getCaller(ctx);
    if (caller.role === 'platform-admin') {
        return;
    }
    if (caller.role === 'regulator') {
        await requireMember(ctx, 'regulator');
        return;
    }
    const member = await requireMember(ctx, caller.role);
    if (member.eid !== enterpriseId) {
        throw fail.forbidden(`only the regulator, the platform operator and users of ${enterpriseId} see its enrolments`);
    }
}

/** Identities on the ledger: the platform's record of every user identity it enrols, and who the caller is. */
@Info({ title: 'IdentityContract', description: 'User enrolments: which certificate the platform issued to which user of which enterprise' })
export class IdentityContract extends XinlianContract {
    constructor() {
        super('identity');
    }

    /**
     * Records that the platform enrolled a certificate for a user of an enterprise (platform admin).
     * Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, ALREADY_EXISTS.
     */
    @Transaction()
    @Returns('string')
    async RecordUserEnrolment(ctx: Context, request: string): Promise<string> {
        requireRole(ctx, 'platform-admin');
        const parsed = parseEnrolmentRequest(parseRequest(request));
        requireId(parsed.enterpriseId, 'request.enterpriseId');
        const enterprise = await mustReadEnterprise(ctx, parsed.enterpriseId);
        const enrolment = newUserEnrolment(parsed, enterprise, transactionCreator(ctx), txTime(ctx));
        const key = enrolmentKey(ctx, enrolment.certificateFingerprint);
        if (await keyExists(ctx, key)) {
            throw fail.exists(`the certificate ${enrolment.certificateFingerprint} is already recorded as enrolled`);
        }
        await writeRecord(ctx, key, enrolment);
        await putIndex(ctx, USER_ENROLMENT_OF, [enrolment.enterpriseId, enrolment.username, enrolment.certificateFingerprint]);
        await linkRecord(ctx, [enrolment.enterpriseId], { type: USER_ENROLMENT, id: enrolment.certificateFingerprint });
        emitEvent(ctx, 'RecordUserEnrolment', {
            enterpriseId: enrolment.enterpriseId,
            username: enrolment.username,
            role: enrolment.role,
            certificateFingerprint: enrolment.certificateFingerprint,
        });
        return canonicalStringify(enrolment);
    }

    /**
     * The enrolments of an enterprise's users, in (username, fingerprint) order (the regulator, the
     * platform admin, users of that enterprise). Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ListUserEnrolments(ctx: Context, enterpriseId: string): Promise<string> {
        requireId(enterpriseId, 'enterpriseId');
        await requireEnrolmentReader(ctx, enterpriseId);
        await mustReadEnterprise(ctx, enterpriseId);
        const enrolments: UserEnrolment[] = [];
        for (const [, , fingerprint] of await scanIndex(ctx, USER_ENROLMENT_OF, [enterpriseId])) {
            const enrolment = await readRecord<UserEnrolment>(ctx, enrolmentKey(ctx, fingerprint));
            if (enrolment) {
                enrolments.push(enrolment);
            }
        }
        return canonicalStringify(enrolments);
    }

    /**
     * The caller's identity as the ledger sees it: organisation, role, enterprise and the fingerprint
     * of its certificate (what RecordUserEnrolment records). Throws UNAUTHENTICATED, FORBIDDEN.
     */
    @Transaction(false)
    @Returns('string')
    async ReadCallerIdentity(ctx: Context): Promise<string> {
        return canonicalStringify(transactionCreator(ctx));
    }
}
