import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../errors';
import { canonicalStringify } from '../ledger/canonical-json';
import { RecordRef, linkedRecords, recordKey } from '../ledger/audit-index';
import { XinlianContract } from '../ledger/contract-base';
import { requireId } from '../ledger/input';
import { HistoryEntry, readHistory, readRecord } from '../ledger/state';
import { contentHash, txId, txTime } from '../ledger/tx';
import { Enterprise, mustReadEnterprise, requireActor } from '../enterprise/enterprise';
import { CreditProfile, PROFILE_TYPE, readCreditProfile } from '../profile/credit-profile';

/**
 * Audit packs (5.8): every record linked to an enterprise, each with its current value and its
 * full key history (transaction ids and times), plus the enterprise and its credit profile, sealed
 * with a SHA-256 digest. Packs are paged so a busy enterprise can always be exported.
 */

/** A page closes after this many records… */
export const AUDIT_PAGE_RECORDS = 100;
/** …or once its records carry this many history entries (a page always holds at least one record). */
export const AUDIT_PAGE_HISTORY_ENTRIES = 1000;

/** One record of a pack. `current` is null when the key has been deleted. */
export interface AuditRecord {
    type: string;
    id: string;
    current: unknown;
    history: HistoryEntry<unknown>[];
}

/** The part of a pack its digest covers: equal ledger content gives an equal digest. */
export interface AuditPackContent {
    enterpriseId: string;
    enterprise: Enterprise;
    creditProfile: CreditProfile | null;
    /** Records linked to the enterprise (plus the enterprise and profile themselves), in (type, id) order. */
    totalRecords: number;
    /** Bookmark this page starts after ('' for the first page). */
    bookmark: string;
    /** Bookmark of the next page, '' on the last page. */
    nextBookmark: string;
    records: AuditRecord[];
}

/** A page of an audit pack. */
export interface AuditPack extends AuditPackContent {
    /** SHA-256 (hex) of the canonical JSON of the AuditPackContent fields. */
    digest: string;
    generatedAt: string;
    generatedByTxId: string;
}

function compareRefs(a: RecordRef, b: RecordRef): number {
    if (a.type !== b.type) {
        return a.type < b.type ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Opaque page bookmark: base64url of the canonical JSON [type, id] of the last record returned. */
export function encodeBookmark(ref: RecordRef): string {
    return Buffer.from(canonicalStringify([ref.type, ref.id]), 'utf8').toString('base64url');
}

function decodeBookmark(bookmark: string): RecordRef {
    try {
        const value: unknown = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8'));
        if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && encodeBookmark({ type: value[0], id: value[1] }) === bookmark) {
            return { type: value[0], id: value[1] };
        }
    } catch {
        // fall through to the coded error
    }
    throw fail.invalid('bookmark is not a bookmark this contract issued');
}

/** Regulator-only exports of everything the ledger holds about an enterprise. */
@Info({ title: 'AuditContract', description: 'Audit packs: all records of an enterprise with their key history' })
export class AuditContract extends XinlianContract {
    constructor() {
        super('audit');
    }

    /**
     * Exports one page of an enterprise's audit pack (regulator). Pass '' as bookmark for the
     * first page, then each page's nextBookmark until it is ''.
     * Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ExportAuditPack(ctx: Context, enterpriseId: string, bookmark: string): Promise<string> {
        await requireActor(ctx, 'regulator');
        requireId(enterpriseId, 'enterpriseId');
        const after = bookmark === '' ? undefined : decodeBookmark(bookmark);
        const enterprise = await mustReadEnterprise(ctx, enterpriseId);
        const profile = await readCreditProfile(ctx, enterpriseId);

        const refs = new Map<string, RecordRef>();
        const own: RecordRef[] = [{ type: 'enterprise', id: enterpriseId }, ...(profile ? [{ type: PROFILE_TYPE, id: enterpriseId }] : [])];
        for (const ref of [...(await linkedRecords(ctx, enterpriseId)), ...own]) {
            refs.set(canonicalStringify([ref.type, ref.id]), ref);
        }
        const all = [...refs.values()].sort(compareRefs);
        const remaining = after ? all.filter((ref) => compareRefs(ref, after) > 0) : all;

        const records: AuditRecord[] = [];
        let historyEntries = 0;
        for (const ref of remaining) {
            if (records.length >= AUDIT_PAGE_RECORDS || (records.length > 0 && historyEntries >= AUDIT_PAGE_HISTORY_ENTRIES)) {
                break;
            }
            const key = recordKey(ctx, ref);
            const history = await readHistory<unknown>(ctx, key);
            records.push({ type: ref.type, id: ref.id, current: (await readRecord<unknown>(ctx, key)) ?? null, history });
            historyEntries += history.length;
        }
        const last = records[records.length - 1];
        const content: AuditPackContent = {
            enterpriseId,
            enterprise,
            creditProfile: profile ?? null,
            totalRecords: all.length,
            bookmark,
            nextBookmark: last && records.length < remaining.length ? encodeBookmark(last) : '',
            records,
        };
        const pack: AuditPack = { ...content, digest: contentHash(content), generatedAt: txTime(ctx), generatedByTxId: txId(ctx) };
        return canonicalStringify(pack);
    }
}
