import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalStringify } from '../ledger/canonical-json';
import { RecordRef, linkedRecords, recordKey } from '../ledger/audit-index';
import { XinlianContract } from '../ledger/contract-base';
import { requireId } from '../ledger/input';
import { HistoryEntry, readHistory, readRecord } from '../ledger/state';
import { contentHash, txId, txTime } from '../ledger/tx';
import { Enterprise, mustReadEnterprise, requireActor } from '../enterprise/enterprise';
import { TransactionCreator, readTransactionCreator, transactionCreator } from '../identity/transaction-creator';
import { CreditProfile, PROFILE_TYPE, readCreditProfile } from '../profile/credit-profile';
import { AuditCursor, decodeBookmark, encodeBookmark, notIssued } from './audit-bookmark';

export { encodeBookmark } from './audit-bookmark';

/**
 * Audit packs (5.8): every record linked to an enterprise, each with its current value and its
 * full key history (transaction ids and times, and the signer of each change where its transaction
 * recorded one), plus the enterprise and its credit profile, sealed with a SHA-256 digest. Packs are
 * paged so a busy enterprise can always be exported: a page is bounded in records, history entries
 * and bytes, and a record whose history does not fit one page continues on the next.
 */

/** A page holds at most this many records (parts of records)… */
export const AUDIT_PAGE_RECORDS = 100;
/** …at most this many history entries… */
export const AUDIT_PAGE_HISTORY_ENTRIES = 1000;
/**
 * …and at most this many bytes: the UTF-8 length of the page's canonical JSON as the transaction
 * returns it, envelope and all, well inside a Fabric client's default 4 MiB gRPC message. Only a
 * page whose first history entry alone does not fit exceeds it, as a page always holds at least one
 * history entry (or one record without any).
 */
export const AUDIT_PAGE_BYTES = 1024 * 1024;

/** One change of a record. */
export interface AuditHistoryEntry extends HistoryEntry<unknown> {
    /**
     * Who signed the change: organisation, certificate role and enterprise, and the certificate's
     * fingerprint, which names a user enrolment (identity:ListUserEnrolments). Absent when the
     * transaction recorded no creator (see identity/transaction-creator.ts).
     */
    creator?: TransactionCreator;
}

/**
 * One record of a pack, or the part of it on this page. `current` is null when the key has been
 * deleted. `history` holds entries `historyStart` to `historyStart + history.length - 1` of the
 * key's history of `historyTotal` entries: the whole of it unless the record's history is split
 * across pages, when the next page starts with the same record at the entry after this part's last.
 */
export interface AuditRecord {
    type: string;
    id: string;
    current: unknown;
    /** Position (0-based, oldest first) in the key's history of `history[0]`; 0 unless the record continues from the previous page. */
    historyStart: number;
    /** Entries in the key's history when the page was exported; the record ends on this page when `historyStart + history.length` equals it. */
    historyTotal: number;
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
    /** How many records are linked to the enterprise (plus the enterprise and profile themselves). */
    totalRecords: number;
    /** Bookmark this page starts from ('' for the first page). */
    bookmark: string;
    /** Bookmark of the next page, '' on the last page. */
    nextBookmark: string;
    /** The page's records in (type, id) order; the first may continue a record of the previous page, the last may continue on the next. */
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

function compareRefs(a: RecordRef, b: RecordRef): number {
    if (a.type !== b.type) {
        return a.type < b.type ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Bytes of a value's canonical JSON as UTF-8: what it adds to a page, which is canonical JSON throughout. */
function jsonBytes(value: unknown): number {
    return Buffer.byteLength(canonicalStringify(value), 'utf8');
}

/** Where a page starts: the index in the pack's records of its first record, and the first history entry of that record it holds. */
interface PageStart {
    index: number;
    historyStart: number;
}

/** The start of the page `cursor` names in `all`. Throws INVALID_ARGUMENT when the cursor's record is not in the pack. */
function pageStart(all: readonly RecordRef[], cursor: AuditCursor | undefined): PageStart {
    if (!cursor) {
        return { index: 0, historyStart: 0 };
    }
    const ref = 'after' in cursor ? cursor.after : cursor.within;
    const index = all.findIndex((candidate) => compareRefs(candidate, ref) === 0);
    if (index < 0) {
        // Issued bookmarks name a record of this pack, and links are never removed.
        notIssued();
    }
    return 'after' in cursor ? { index: index + 1, historyStart: 0 } : { index, historyStart: cursor.historyStart };
}

/** A filled page: its records, and where the next page starts (none after the last page). */
interface PageFill {
    records: AuditRecord[];
    next?: AuditCursor;
}

/**
 * Fills a page from `start` in record order, then history order, until the next history entry (or
 * record) would break one of the page's bounds. `emptyPageBytes` is the size of the page with no
 * records and no next bookmark; the size is kept exact as the page grows (canonical JSON is the
 * concatenation of its members' canonical JSON), counting the next bookmark the page would carry
 * if it closed after the item added, so the page returned never exceeds AUDIT_PAGE_BYTES unless its
 * one history entry does. Throws INVALID_ARGUMENT when the start lies past the end of its record's history.
 */
async function fillPage(ctx: Context, enterpriseId: string, all: readonly RecordRef[], start: PageStart, emptyPageBytes: number): Promise<PageFill> {
    const records: AuditRecord[] = [];
    const creators = new Map<string, TransactionCreator | undefined>();
    let bytes = emptyPageBytes;
    let entries = 0;
    const fits = (more: number, next: AuditCursor | undefined): boolean => bytes + more + (next ? encodeBookmark(enterpriseId, next).length : 0) <= AUDIT_PAGE_BYTES;
    for (let index = start.index; index < all.length; index++) {
        const ref = all[index];
        // Closing before this record, the page resumes after the previous one, which it holds to its end.
        const beforeRecord = (): PageFill => ({ records, next: { after: all[index - 1] } });
        const afterRecord: AuditCursor | undefined = index + 1 < all.length ? { after: ref } : undefined;
        if (records.length >= AUDIT_PAGE_RECORDS) {
            return beforeRecord();
        }
        const historyStart = index === start.index ? start.historyStart : 0;
        const key = recordKey(ctx, ref);
        const history: AuditHistoryEntry[] = await readHistory<unknown>(ctx, key);
        if (historyStart > 0 && historyStart >= history.length) {
            // An issued position lies inside the record's history, which only grows.
            notIssued();
        }
        const part: AuditRecord = { type: ref.type, id: ref.id, current: (await readRecord<unknown>(ctx, key)) ?? null, historyStart, historyTotal: history.length, history: [] };
        const partBytes = jsonBytes(part) + (records.length > 0 ? 1 : 0);
        if (history.length === 0) {
            if (records.length > 0 && !fits(partBytes, afterRecord)) {
                return beforeRecord();
            }
            records.push(part);
            bytes += partBytes;
            continue;
        }
        for (let position = historyStart; position < history.length; position++) {
            const entry = history[position];
            if (!creators.has(entry.txId)) {
                creators.set(entry.txId, await readTransactionCreator(ctx, entry.txId));
            }
            const creator = creators.get(entry.txId);
            if (creator) {
                entry.creator = creator;
            }
            const opened = part.history.length > 0;
            const more = jsonBytes(entry) + (opened ? 1 : partBytes);
            const next: AuditCursor | undefined = position + 1 < history.length ? { within: ref, historyStart: position + 1 } : afterRecord;
            // A page always holds at least one entry, so paging always moves on.
            if (records.length > 0 && (entries >= AUDIT_PAGE_HISTORY_ENTRIES || !fits(more, next))) {
                return opened ? { records, next: { within: ref, historyStart: position } } : beforeRecord();
            }
            if (!opened) {
                records.push(part);
            }
            part.history.push(entry);
            bytes += more;
            entries++;
        }
    }
    return { records };
}

/** Regulator-only exports of everything the ledger holds about an enterprise. */
@Info({ title: 'AuditContract', description: 'Audit packs: all records of an enterprise with their key history' })
export class AuditContract extends XinlianContract {
    constructor() {
        super('audit');
    }

    /**
     * Exports one page of an enterprise's audit pack (regulator), within AUDIT_PAGE_RECORDS records,
     * AUDIT_PAGE_HISTORY_ENTRIES history entries and AUDIT_PAGE_BYTES bytes. Pass '' as bookmark for
     * the first page, then each page's nextBookmark until it is ''.
     * Throws INVALID_ARGUMENT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
     */
    @Transaction(false)
    @Returns('string')
    async ExportAuditPack(ctx: Context, enterpriseId: string, bookmark: string): Promise<string> {
        await requireActor(ctx, 'regulator');
        requireId(enterpriseId, 'enterpriseId');
        const cursor = bookmark === '' ? undefined : decodeBookmark(enterpriseId, bookmark);
        const enterprise = await mustReadEnterprise(ctx, enterpriseId);
        const profile = await readCreditProfile(ctx, enterpriseId);

        const refs = new Map<string, RecordRef>();
        const own: RecordRef[] = [{ type: 'enterprise', id: enterpriseId }, ...(profile ? [{ type: PROFILE_TYPE, id: enterpriseId }] : [])];
        for (const ref of [...(await linkedRecords(ctx, enterpriseId)), ...own]) {
            refs.set(canonicalStringify([ref.type, ref.id]), ref);
        }
        const all = [...refs.values()].sort(compareRefs);
        const start = pageStart(all, cursor);

        const content: AuditPackContent = { enterpriseId, enterprise, creditProfile: profile ?? null, totalRecords: all.length, bookmark, nextBookmark: '', records: [] };
        const unsealed = { digest: '0'.repeat(64), generatedAt: txTime(ctx), generatedByTxId: txId(ctx), generatedBy: transactionCreator(ctx) };
        const fill = await fillPage(ctx, enterpriseId, all, start, jsonBytes({ ...content, ...unsealed }));
        content.records = fill.records;
        content.nextBookmark = fill.next ? encodeBookmark(enterpriseId, fill.next) : '';
        const pack: AuditPack = { ...content, ...unsealed, digest: contentHash(content) };
        return canonicalStringify(pack);
    }
}
