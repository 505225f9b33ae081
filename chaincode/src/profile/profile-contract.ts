import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../errors';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { requireId } from '../ledger/input';
import { readRecord, scanIndex } from '../ledger/state';
import { emitEvent, txTime } from '../ledger/tx';
import { attestationStanding } from '../recognition/attestation';
import { mustReadEnterprise } from '../enterprise/enterprise';
import { requireProfileReader, requireRegisteredCaller } from './credit-readers';
import { CreditProfile, WARNING_INDEX, baseProfile, profileKey, readCreditProfile, refreshCreditProfile } from './credit-profile';
import { WARNING_LEVELS, WarningLevel, levelsAtOrWorse } from './warning-rules';

/**
 * A profile as reads return it; `recorded` is false (and `lastTxId` '') for the base profile of an
 * enterprise without one, evaluated at the reading transaction's time.
 */
export type CreditProfileView = CreditProfile & { recorded: boolean };

/** One line of ListWarnings. */
export interface WarningEntry {
    enterpriseId: string;
    warning: WarningLevel;
    warningRules: string[];
    score: number;
    updatedAt: string;
}

/** Credit profiles and warnings (5.7). Profiles change only through recordCreditEvents and refreshes. */
@Info({ title: 'ProfileContract', description: 'Credit profiles: score, warning, reasons, change log; warning lists' })
export class ProfileContract extends XinlianContract {
    constructor() {
        super('profile');
    }

    /**
     * Reads an enterprise's credit profile (its own users, regulator, financiers, credit bureaus,
     * foreign partners); the base profile, `recorded: false`, when nothing was recorded yet.
     * Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ReadCreditProfile(ctx: Context, enterpriseId: string): Promise<string> {
        requireId(enterpriseId, 'enterpriseId');
        await requireProfileReader(ctx, enterpriseId);
        await mustReadEnterprise(ctx, enterpriseId);
        const stored = await readCreditProfile(ctx, enterpriseId);
        const view: CreditProfileView = stored ? { ...stored, recorded: true } : { ...baseProfile(enterpriseId, txTime(ctx), ''), recorded: false };
        return canonicalStringify(view);
    }

    /**
     * Lists every recorded profile at `level` or worse, worst first then by enterprise id
     * (regulator). Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN.
     */
    @Transaction(false)
    @Returns('string')
    async ListWarnings(ctx: Context, level: string): Promise<string> {
        await requireRegisteredCaller(ctx, ['regulator']);
        if (!(WARNING_LEVELS as readonly string[]).includes(level)) {
            throw fail.invalid(`level must be one of ${WARNING_LEVELS.join(', ')}`);
        }
        const entries: WarningEntry[] = [];
        for (const each of levelsAtOrWorse(level as WarningLevel)) {
            for (const [, enterpriseId] of await scanIndex(ctx, WARNING_INDEX, [each])) {
                const profile = await readRecord<CreditProfile>(ctx, profileKey(ctx, enterpriseId));
                if (profile) {
                    entries.push({ enterpriseId, warning: profile.warning, warningRules: profile.warningRules, score: profile.score, updatedAt: profile.updatedAt });
                }
            }
        }
        return canonicalStringify(entries);
    }

    /**
     * Re-evaluates a profile at the transaction time, so recent-event windows and attestation
     * expiry take effect without new behaviour (anyone who may read the profile). A refresh that
     * changes neither facts, score, reasons, warning nor warning rules writes nothing and emits no
     * event: it answers the profile as it stands, as ReadCreditProfile would.
     * Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
     */
    @Transaction()
    @Returns('string')
    async RefreshCreditProfile(ctx: Context, enterpriseId: string): Promise<string> {
        requireId(enterpriseId, 'enterpriseId');
        await requireProfileReader(ctx, enterpriseId);
        await mustReadEnterprise(ctx, enterpriseId);
        // The attestation fact follows the latest valid attestation (DESIGN 5.7): a passport may have
        // expired, or it or its signer key been revoked, since the profile last changed.
        const outcome = await refreshCreditProfile(ctx, enterpriseId, await attestationStanding(ctx, enterpriseId));
        if (!outcome) {
            // Not a credit subject and never profiled: what ReadCreditProfile answers.
            return canonicalStringify({ ...baseProfile(enterpriseId, txTime(ctx), ''), recorded: false } satisfies CreditProfileView);
        }
        const { profile, recorded, written } = outcome;
        if (written) {
            emitEvent(ctx, 'RefreshCreditProfile', { enterpriseId, score: profile.score, warning: profile.warning });
        }
        const view: CreditProfileView = recorded ? { ...profile, recorded } : { ...profile, lastTxId: '', recorded };
        return canonicalStringify(view);
    }
}
