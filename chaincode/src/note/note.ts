import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { maturityInstant } from '../ledger/expiry';
import { requireId } from '../ledger/input';
import { compositeKey, deleteIndex, mustRead, putIndex, readRecord, scanIndex, writeRecord } from '../ledger/state';
import { deriveId, txDate, txId, txTime } from '../ledger/tx';
import type { NoteBacking } from '../receivable/receivable';

/**
 * Credit notes (the digital debt voucher, 云信/金单 style) in the UTXO model.
 *
 * A note is never modified in amount or holder: moving value spends the note whole and creates
 * children whose amounts sum exactly to it. A root is what the core enterprise issues (tier 1,
 * rootId = id); every other note descends from one root. The unspent leaves (ACTIVE or LOCKED)
 * of a root always sum to its face value until redemption turns them REDEEMED, or ESCROWED when
 * their holder is frozen: the issuer has paid them into escrow, and they stay in the holder's
 * holdings, unmovable, until a later RedeemNote pays them out (REDEEMED) once the holder is active.
 * So the ACTIVE, LOCKED, REDEEMED and ESCROWED leaves of a root always sum to its face value.
 */

export type NoteStatus = 'ACTIVE' | 'LOCKED' | 'SPENT' | 'REDEEMED' | 'ESCROWED';

/** Why a note is LOCKED: a pending transfer offer or an open discount request. */
export interface NoteLock {
    kind: 'OFFER' | 'DISCOUNT';
    id: string;
}

/** How a note came to exist. */
export type NoteOrigin = 'ISSUE' | 'SPLIT' | 'TRANSFER' | 'CHANGE' | 'DISCOUNT';

/** How a note was spent. */
export type SpendKind = 'SPLIT' | 'TRANSFER' | 'DISCOUNT';

/** State of the obligation a root stands for. */
export type RootStatus = 'OUTSTANDING' | 'REDEEMED';

/** A credit note. Amounts are minor units as decimal strings; times ISO-8601 UTC. */
export interface Note {
    docType: 'note';
    id: string;
    rootId: string;
    parentId?: string;
    issuerId: string;
    holderId: string;
    amount: string;
    currency: string;
    /** Calendar date (UTC) on which the issuer pays: YYYY-MM-DD. */
    maturityDate: string;
    /** 1 for the root and for whoever holds value straight from the issuer; +1 per transfer. */
    tier: number;
    status: NoteStatus;
    origin: NoteOrigin;
    lock?: NoteLock;
    /** Set when SPENT: the children, in creation order, and how the note was spent. */
    children?: string[];
    spentBy?: SpendKind;
    spentAt?: string;
    /** Set on a note a financier received by discounting. */
    discountedBy?: string;
    discountQuoteId?: string;
    recourse?: boolean;
    /** Set when REDEEMED (leaves), and on the root when its redemption ran. */
    redeemedAt?: string;
    /** Set when the issuer paid the leaf into escrow for its frozen holder (ESCROWED). */
    escrowedAt?: string;
    /** Set when an escrowed leaf was paid out to its holder, active again (ESCROWED → REDEEMED). */
    releasedAt?: string;
    createdAt: string;
    txId: string;
    updatedAt: string;

    // ---- root only ----
    faceAmount?: string;
    creditLineId?: string;
    /** The backing receivables, in the order given at issuance (which is the order they were drawn). */
    receivableIds?: string[];
    /**
     * What the root draws from each backing receivable, summing to the face amount. Absent on roots
     * issued before notes drew partial amounts: those drew each receivable whole.
     */
    backing?: NoteBacking[];
    /** Grace period in whole days after the maturity date (grace.ts), fixed at issuance from the platform parameters. */
    graceDays?: number;
    rootStatus?: RootStatus;
    overdue?: boolean;
    overdueAt?: string;
    /** Redeemed before the grace deadline: 00:00 UTC of the day after the maturity date plus graceDays (grace.ts). */
    onTime?: boolean;
}

/** Index object types. */
export const NOTE_BY_HOLDER = 'note~holder'; // holderId ~ noteId, held leaves (ACTIVE, LOCKED or ESCROWED)
export const NOTE_BY_ROOT = 'note~root'; // rootId ~ noteId, every note of a root
export const NOTE_BY_ISSUER = 'note~issuer'; // issuerId ~ rootId, every root an issuer issued

/** Most children one split may create. */
export const MAX_SPLIT_CHILDREN = 50;

/** The world-state key of a note. */
export function noteKey(ctx: Context, id: string): string {
    return compositeKey(ctx, 'note', [id]);
}

/** True for an unspent, unredeemed note: a leaf the issuer still owes. */
export function isOutstanding(note: Note): boolean {
    return note.status === 'ACTIVE' || note.status === 'LOCKED';
}

/** True for a leaf the issuer paid into escrow for its frozen holder (the holder has not received it yet). */
export function isEscrowed(note: Note): boolean {
    return note.status === 'ESCROWED';
}

/** True for a root note. */
export function isRoot(note: Note): boolean {
    return note.id === note.rootId;
}

/** The instant a note falls due (ledger/expiry.ts, which the client app bundles too). */
export { maturityInstant };

/** Reads a note, or undefined. */
export async function readNote(ctx: Context, id: string): Promise<Note | undefined> {
    return readRecord<Note>(ctx, noteKey(ctx, id));
}

/** Reads a note that must exist. Throws INVALID_ARGUMENT (malformed id) or NOT_FOUND. */
export async function mustReadNote(ctx: Context, id: string): Promise<Note> {
    requireId(id, 'noteId');
    return mustRead<Note>(ctx, noteKey(ctx, id), `note ${id}`);
}

/** Reads a root note that must exist. Throws INVALID_ARGUMENT (malformed id or not a root) or NOT_FOUND. */
export async function mustReadRoot(ctx: Context, id: string): Promise<Note> {
    const note = await mustReadNote(ctx, id);
    if (!isRoot(note)) {
        throw fail.invalid(`note ${id} is not a root note; its root is ${note.rootId}`);
    }
    return note;
}

/** Every note of a root (spent ones included), in id order. */
export async function readNotesOfRoot(ctx: Context, rootId: string): Promise<Note[]> {
    const notes: Note[] = [];
    for (const [, id] of await scanIndex(ctx, NOTE_BY_ROOT, [rootId])) {
        notes.push(await mustRead<Note>(ctx, noteKey(ctx, id), `note ${id}`));
    }
    return notes;
}

/** The notes an enterprise holds (ACTIVE, LOCKED, or ESCROWED: paid into escrow while it was frozen, until paid out), in id order. */
export async function listHeldNotes(ctx: Context, holderId: string): Promise<Note[]> {
    const notes: Note[] = [];
    for (const [, id] of await scanIndex(ctx, NOTE_BY_HOLDER, [holderId])) {
        notes.push(await mustRead<Note>(ctx, noteKey(ctx, id), `note ${id}`));
    }
    return notes;
}

/** Every root an issuer issued, redeemed ones included, in id order. */
export async function listRootsOfIssuer(ctx: Context, issuerId: string): Promise<Note[]> {
    const roots: Note[] = [];
    for (const [, id] of await scanIndex(ctx, NOTE_BY_ISSUER, [issuerId])) {
        roots.push(await mustRead<Note>(ctx, noteKey(ctx, id), `note ${id}`));
    }
    return roots;
}

// ---------------------------------------------------------------- guards

/** The caller's enterprise must hold the note. Throws FORBIDDEN. */
export function requireHolder(note: Note, enterpriseId: string): void {
    if (note.holderId !== enterpriseId) {
        throw fail.forbidden(`note ${note.id} is not held by ${enterpriseId}`);
    }
}

/** The note must be ACTIVE (not locked, spent or redeemed). Throws INVALID_STATE. */
export function requireActiveNote(note: Note): void {
    if (note.status !== 'ACTIVE') {
        const why = note.status === 'LOCKED' ? `locked by ${note.lock?.kind.toLowerCase()} ${note.lock?.id}` : note.status.toLowerCase();
        throw fail.state(`note ${note.id} is ${why}`);
    }
}

/** The note must not have reached maturity: due notes wait for redemption. Throws INVALID_STATE. */
export function requireNotDue(ctx: Context, note: Note): void {
    if (txDate(ctx).getTime() >= maturityInstant(note).getTime()) {
        throw fail.state(`note ${note.id} matured on ${note.maturityDate}; it can only be redeemed`);
    }
}

/** The note must be LOCKED by exactly this lock. Throws INVALID_STATE. */
export function requireLockedBy(note: Note, lock: NoteLock): void {
    if (note.status !== 'LOCKED' || note.lock?.kind !== lock.kind || note.lock.id !== lock.id) {
        throw fail.state(`note ${note.id} is not locked by ${lock.kind.toLowerCase()} ${lock.id}`);
    }
}

// ---------------------------------------------------------------- writes

/** Writes a note once; callers compute its final value first (Fabric never reads its own writes). */
export async function putNote(ctx: Context, note: Note): Promise<void> {
    await writeRecord(ctx, noteKey(ctx, note.id), note);
}

/** The note locked by `lock`, as written by the locking transaction. */
export function lockedNote(ctx: Context, note: Note, lock: NoteLock): Note {
    return { ...note, status: 'LOCKED', lock, updatedAt: txTime(ctx) };
}

/** The note released from its lock back to ACTIVE. */
export function unlockedNote(ctx: Context, note: Note): Note {
    return { ...withoutLock(note), status: 'ACTIVE', updatedAt: txTime(ctx) };
}

/** A copy of the note without its lock field. */
function withoutLock(note: Note): Note {
    const copy = { ...note };
    delete copy.lock;
    return copy;
}

/** What a child takes from its parent, apart from what `spendNote` fills in. */
export interface ChildSpec {
    holderId: string;
    amount: bigint;
    tier: number;
    origin: NoteOrigin;
    discountedBy?: string;
    discountQuoteId?: string;
    recourse?: boolean;
}

/**
 * Spends `parent` whole into children created by this transaction (ids `N-…` by position), writes
 * the parent once as SPENT and each child once as ACTIVE, maintains the indexes and links each
 * child to its issuer, its holder and the parent's holder. Conservation is enforced here, so no
 * caller can create or destroy value. Returns the spent parent and the children.
 * Throws INVALID_STATE (parent not ACTIVE or LOCKED), INVALID_ARGUMENT (amounts not positive or not
 * summing to the parent).
 */
export async function spendNote(ctx: Context, parent: Note, specs: readonly ChildSpec[], kind: SpendKind): Promise<{ spent: Note; children: Note[] }> {
    if (!isOutstanding(parent)) {
        throw fail.state(`note ${parent.id} is ${parent.status.toLowerCase()} and cannot be spent`);
    }
    let total = 0n;
    for (const spec of specs) {
        if (spec.amount <= 0n) {
            throw fail.invalid('every child note must carry a positive amount');
        }
        total += spec.amount;
    }
    if (specs.length === 0 || total !== BigInt(parent.amount)) {
        throw fail.invalid(`children sum to ${total}, not to the parent's ${parent.amount}`);
    }
    const now = txTime(ctx);
    const children: Note[] = specs.map((spec, i) => {
        const child: Note = {
            docType: 'note',
            id: deriveId(ctx, 'N', i),
            rootId: parent.rootId,
            parentId: parent.id,
            issuerId: parent.issuerId,
            holderId: spec.holderId,
            amount: spec.amount.toString(),
            currency: parent.currency,
            maturityDate: parent.maturityDate,
            tier: spec.tier,
            status: 'ACTIVE',
            origin: spec.origin,
            createdAt: now,
            txId: txId(ctx),
            updatedAt: now,
        };
        if (spec.discountedBy !== undefined) {
            child.discountedBy = spec.discountedBy;
            child.discountQuoteId = spec.discountQuoteId;
            child.recourse = spec.recourse ?? false;
        }
        return child;
    });
    const spent: Note = { ...withoutLock(parent), status: 'SPENT', children: children.map((c) => c.id), spentBy: kind, spentAt: now, updatedAt: now };
    await putNote(ctx, spent);
    await deleteIndex(ctx, NOTE_BY_HOLDER, [parent.holderId, parent.id]);
    for (const child of children) {
        await putNote(ctx, child);
        await putIndex(ctx, NOTE_BY_HOLDER, [child.holderId, child.id]);
        await putIndex(ctx, NOTE_BY_ROOT, [child.rootId, child.id]);
        await linkRecord(ctx, [child.issuerId, child.holderId, parent.holderId], { type: 'note', id: child.id });
    }
    return { spent, children };
}
