import { fail } from '../errors';
import { canonicalStringify } from '../ledger/canonical-json';
import type { RecordRef } from '../ledger/audit-index';
import { sha256Hex } from '../ledger/tx';

/**
 * Where the next page of an audit pack starts. Either after a record, whose history the pages
 * before held to its end, or inside one: at entry `historyStart` (0-based, oldest first, at least
 * 1) of its key history, the entries before it having been on the pages before. A key's history
 * only grows at its end, so an entry's position in it never changes and paging by position gives
 * every entry exactly once, in order.
 */
export type AuditCursor = { after: RecordRef } | { within: RecordRef; historyStart: number };

/** Domain separator of bookmark seals, so a seal is never a digest computed for another purpose. */
const BOOKMARK_SEAL_DOMAIN = 'xinlian/audit/bookmark/v1';

/** The bookmark's content: [type, id] after a record, [type, id, historyStart] inside one. */
function cursorContent(cursor: AuditCursor): [string, string] | [string, string, number] {
    return 'after' in cursor ? [cursor.after.type, cursor.after.id] : [cursor.within.type, cursor.within.id, cursor.historyStart];
}

/** The seal of a bookmark: SHA-256 over the domain, the enterprise whose pack is paged and the content. */
function bookmarkSeal(enterpriseId: string, content: readonly (string | number)[]): string {
    return sha256Hex(canonicalStringify([BOOKMARK_SEAL_DOMAIN, enterpriseId, ...content])).slice(0, 32);
}

/**
 * Opaque page bookmark of `enterpriseId`'s pack: `<base64url of the canonical JSON content>.<seal>`,
 * the content being `[type, id]` of the record the page resumes after, or `[type, id, historyStart]`
 * of the record it resumes inside, and the seal 32 hex characters of SHA-256 over a domain string,
 * the enterprise id and the content. Deterministic (equal pages give equal bookmarks), keyless, so
 * it is a check not a secret: it refuses bookmarks made up, altered or carried to another
 * enterprise's pack; ExportAuditPack also requires the record to belong to the pack and the position
 * to lie inside its history. A bookmark after a record is written exactly as before records' histories
 * could be split across pages, so bookmarks issued then still page.
 */
export function encodeBookmark(enterpriseId: string, cursor: AuditCursor | RecordRef): string {
    const content = cursorContent('type' in cursor ? { after: cursor } : cursor);
    return `${Buffer.from(canonicalStringify(content), 'utf8').toString('base64url')}.${bookmarkSeal(enterpriseId, content)}`;
}

/** Refuses a bookmark as not issued. Throws INVALID_ARGUMENT. */
export function notIssued(): never {
    throw fail.invalid('bookmark is not a bookmark this contract issued for this enterprise');
}

/** Reads a bookmark of `enterpriseId`'s pack. Throws INVALID_ARGUMENT unless it is exactly as encodeBookmark writes it. */
export function decodeBookmark(enterpriseId: string, bookmark: string): AuditCursor {
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
    if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3) || typeof value[0] !== 'string' || typeof value[1] !== 'string') {
        notIssued();
    }
    const ref: RecordRef = { type: value[0] as string, id: value[1] as string };
    let cursor: AuditCursor = { after: ref };
    if (value.length === 3) {
        const historyStart = value[2] as unknown;
        if (typeof historyStart !== 'number' || !Number.isSafeInteger(historyStart) || historyStart < 1) {
            notIssued();
        }
        cursor = { within: ref, historyStart };
    }
    if (encodeBookmark(enterpriseId, cursor) !== bookmark) {
        notIssued();
    }
    return cursor;
}
