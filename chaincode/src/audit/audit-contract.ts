import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../errors';
import { canonicalStringify } from '../ledger/canonical-json';
import { RecordRef, linkedRecords, recordKey } from '../ledger/audit-index';
import { XinlianContract } from '../ledger/contract-base';
import { requireId } from '../ledger/input';
import { HistoryEntry, readHistory, readRecord } from '../ledger/state';
import { contentHash, sha256Hex, txId, txTime } from '../ledger/tx';
import { Enterprise, mustReadEnterprise, requireActor } from '../enterprise/enterprise';
import { TransactionCreator, readTransactionCreator, transactionCreator } from '../identity/transaction-creator';
import { CreditProfile, PROFILE_TYPE, readCreditProfile } from '../profile/credit-profile';

/**
 * Audit packs (5.8): every record linked to an enterprise, each with its current value and its
 * full key history (transaction ids and times, and the signer of each change where its transaction
 * recorded one), plus the enterprise and its credit profile, sealed with a SHA-256 digest. Packs are
 * paged so a busy enterprise can always be exported.
 */

/** A page closes after this many records… */
export const AUDIT_PAGE_RECORDS = 100;
/** …or once its records carry this many history entries (a page always holds at least one record). */
export const AUDIT_PAGE_HISTORY_ENTRIES = 1000;

/** One change of a record. */
export interface AuditHistoryEntry extends HistoryEntry<unknown> {
    /**
     * Who signed the change: organisation, certificate role and enterprise, and the certificate's
     * fingerprint, which names a user enrolment (identity:ListUserEnrolments). Absent when the
     * transaction recorded no creator (see identity/transaction-creator.ts).
     */
    creator?: TransactionCreator;
}

/** One record of a pack. `current` is null when the key has been deleted. */
export interface AuditRecord {
    type: string;
    id: string;
    current: unknown;
    history: AuditHistoryEntry[];
}

/**
 * The part of a pack its digest covers: everything but the four members of AuditPack below, so
 * equal ledger content gives an equal digest whoever exports it, whenever (docs/credit-scoring.md §5).
 */
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

/**
 * A page of an audit pack: its content, the digest sealing it, and who exported the page, when and
 * in which transaction, which the digest does not cover (AUDIT_PACK_UNSEALED).
 */
export interface AuditPack extends AuditPackContent {
    /** SHA-256 (hex) of the canonical JSON of the AuditPackContent fields: the pack without AUDIT_PACK_UNSEALED. */
    digest: string;
    generatedAt: string;
    generatedByTxId: string;
    /** The regulator's identity that exported the page. */
    generatedBy: TransactionCreator;
}

/** The members of a pack outside its digest: the digest itself and the export's time, transaction and regulator. */
export const AUDIT_PACK_UNSEALED = ['digest', 'generatedAt', 'generatedByTxId', 'generatedBy'] as const satisfies ReadonlyArray<Exclude<keyof AuditPack, keyof AuditPackContent>>;

/** A record's history with the recorded signer of each change; `creators` caches signers by transaction id. */
async function attributedHistory(ctx: Context, key: string, creators: Map<string, TransactionCreator | undefined>): Promise<AuditHistoryEntry[]> {
    const history: AuditHistoryEntry[] = await readHistory<unknown>(ctx, key);
    for (const entry of history) {
        if (!creators.has(entry.txId)) {
            creators.set(entry.txId, await readTransactionCreator(ctx, entry.txId));
        }
        const creator = creators.get(entry.txId);
        if (creator) {
            entry.creator = creator;
        }
    }
    return history;
}

function compareRefs(a: RecordRef, b: RecordRef): number {
    if (a.type !== b.type) {
        return a.type < b.type ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Domain separator of bookmark seals, so a seal is never a digest computed for another purpose. */
const BOOKMARK_SEAL_DOMAIN = 'xinlian/audit/bookmark/v1';

/** The seal of a bookmark: SHA-256 over the domain, the enterprise whose pack is paged and the record. */
function bookmarkSeal(enterpriseId: string, ref: RecordRef): string {
    return sha256Hex(canonicalStringify([BOOKMARK_SEAL_DOMAIN, enterpriseId, ref.type, ref.id])).slice(0, 32);
}

/**
 * Opaque page bookmark of `enterpriseId`'s pack: `<base64url of the canonical JSON [type, id] of
 * the last record returned>.<seal>`, the seal being 32 hex characters of SHA-256 over a domain
 * string, the enterprise id and the record. Deterministic (equal pages give equal bookmarks),
 * keyless, so it is a check not a secret: it refuses bookmarks made up, altered or carried to
 * another enterprise's pack; ExportAuditPack also requires the record to belong to the pack.
 */
export function encodeBookmark(enterpriseId: string, ref: RecordRef): string {
    return `${Buffer.from(canonicalStringify([ref.type, ref.id]), 'utf8').toString('base64url')}.${bookmarkSeal(enterpriseId, ref)}`;
}

function notIssued(): never {
    throw fail.invalid('bookmark is not a bookmark this contract issued for this enterprise');
}

/** Reads a bookmark of `enterpriseId`'s pack. Throws INVALID_ARGUMENT unless it is exactly as encodeBookmark writes it. */
function decodeBookmark(enterpriseId: string, bookmark: string): RecordRef {
    const parts = typeof bookmark === 'string' ? bookmark.split('.') : [];
    if (parts.length !== 2 || !/^[A-Za-z0-9_-]{1,1400}$/.test(parts[0]) || !/^[0-9a-f]{32}$/.test(parts[1])) {
        notIssued();
    }
    let value: unknown;
    try {
        value = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    } catch {
        notIssued();
    }
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') {
        notIssued();
    }
    const ref: RecordRef = { type: value[0] as string, id: value[1] as string };
    if (encodeBookmark(enterpriseId, ref) !== bookmark) {
        notIssued();
    }
    return ref;
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
        const after = bookmark === '' ? undefined : decodeBookmark(enterpriseId, bookmark);
        const enterprise = await mustReadEnterprise(ctx, enterpriseId);
        const profile = await readCreditProfile(ctx, enterpriseId);

        const refs = new Map<string, RecordRef>();
        const own: RecordRef[] = [{ type: 'enterprise', id: enterpriseId }, ...(profile ? [{ type: PROFILE_TYPE, id: enterpriseId }] : [])];
        for (const ref of [...(await linkedRecords(ctx, enterpriseId)), ...own]) {
            refs.set(canonicalStringify([ref.type, ref.id]), ref);
        }
        const all = [...refs.values()].sort(compareRefs);
        if (after && !refs.has(canonicalStringify([after.type, after.id]))) {
            // Issued bookmarks name a record of this pack, and links are never removed.
            notIssued();
        }
        const remaining = after ? all.filter((ref) => compareRefs(ref, after) > 0) : all;

        const records: AuditRecord[] = [];
        const creators = new Map<string, TransactionCreator | undefined>();
        let historyEntries = 0;
        for (const ref of remaining) {
            if (records.length >= AUDIT_PAGE_RECORDS || (records.length > 0 && historyEntries >= AUDIT_PAGE_HISTORY_ENTRIES)) {
                break;
            }
            const key = recordKey(ctx, ref);
            const history = await attributedHistory(ctx, key, creators);
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
            nextBookmark: last && records.length < remaining.length ? encodeBookmark(enterpriseId, last) : '',
            records,
        };
        const pack: AuditPack = { ...content, digest: contentHash(content), generatedAt: txTime(ctx), generatedByTxId: txId(ctx), generatedBy: transactionCreator(ctx) };
        return canonicalStringify(pack);
    }
}
