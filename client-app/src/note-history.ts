import type { ApiClient } from './api-client';
import { overdueDeadline } from './note-forms';
import type { Note, Provenance } from './resources';

/**
 * The history of notes once they are no longer held. GET /notes lists only a holder's unspent
 * notes (ACTIVE or LOCKED: the chaincode's holder index drops a note when it is spent or
 * redeemed), so a redeemed note vanishes from it. What stays is the note record itself — status
 * REDEEMED, `redeemedAt`, and on the root `rootStatus`, `onTime`, `overdue` — which every holder
 * along its chain, its issuer and the regulator may read (GET /notes/{id}). These walks start from
 * notes an enterprise is known to have received and follow `children` down to what it was paid for.
 */

type NoteReader = Pick<ApiClient, 'readNote'>;

/** Most notes one walk reads. */
export const HISTORY_READ_LIMIT = 300;

/** Notes a walk reached, and whether it stopped at its read limit. */
export interface NoteWalk {
    notes: Note[];
    truncated: boolean;
}

/**
 * Reads `seeds` and, breadth-first, the children of every spent note `follow` accepts, at most
 * `limit` reads. Notes the reader may not read are skipped; each id is read once.
 */
export async function walkNotes(api: NoteReader, seeds: readonly string[], follow: (note: Note) => boolean, limit = HISTORY_READ_LIMIT): Promise<NoteWalk> {
    const seen = new Set<string>();
    const notes: Note[] = [];
    let level = [...new Set(seeds)];
    let truncated = false;
    while (level.length > 0) {
        const fresh = level.filter((id) => !seen.has(id));
        const room = limit - seen.size;
        if (fresh.length > room) {
            truncated = true;
        }
        const batch = fresh.slice(0, Math.max(0, room));
        batch.forEach((id) => seen.add(id));
        const read = await Promise.all(batch.map((id) => api.readNote(id).catch(() => undefined)));
        const next: string[] = [];
        for (const note of read) {
            if (!note) {
                continue;
            }
            notes.push(note);
            if (note.status === 'SPENT' && follow(note)) {
                next.push(...(note.children ?? []));
            }
        }
        level = next;
    }
    return { notes, truncated };
}

/**
 * The REDEEMED notes `holderId` held, found from notes it received (`seeds`: roots issued to it,
 * notes transferred or sold to it) by following only what it went on holding — its splits and
 * the change of its transfers, never a note it gave away. Newest redemption first.
 */
export async function redeemedNotesOf(api: NoteReader, holderId: string, seeds: readonly string[], limit = HISTORY_READ_LIMIT): Promise<NoteWalk> {
    const walk = await walkNotes(api, seeds, (note) => note.holderId === holderId, limit);
    const redeemed = walk.notes.filter((note) => note.holderId === holderId && note.status === 'REDEEMED');
    return { notes: redeemed.sort(newestRedemptionFirst), truncated: walk.truncated };
}

/**
 * Every REDEEMED leaf under a root (for its issuer or the regulator, who may read the whole tree),
 * and in `escrowed` the leaves its redemption paid into escrow for frozen holders.
 */
export async function redeemedLeavesOf(api: NoteReader, rootId: string, limit = HISTORY_READ_LIMIT): Promise<NoteWalk & { escrowed: Note[] }> {
    const walk = await walkNotes(api, [rootId], () => true, limit);
    return { notes: walk.notes.filter((note) => note.status === 'REDEEMED'), escrowed: walk.notes.filter((note) => note.status === 'ESCROWED'), truncated: walk.truncated };
}

/** Who was paid how much: redeemed leaves summed per holder, largest first (then by id). */
export function payeesOf(leaves: readonly Note[]): Array<{ holderId: string; amount: string }> {
    const byHolder = new Map<string, bigint>();
    for (const leaf of leaves) {
        byHolder.set(leaf.holderId, (byHolder.get(leaf.holderId) ?? 0n) + BigInt(leaf.amount));
    }
    return [...byHolder]
        .sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x > y ? -1 : 1))
        .map(([holderId, amount]) => ({ holderId, amount: amount.toString() }));
}

/** Sorts by `redeemedAt`, newest first; notes without it last. */
export function newestRedemptionFirst(a: Pick<Note, 'redeemedAt' | 'id'>, b: Pick<Note, 'redeemedAt' | 'id'>): number {
    const x = a.redeemedAt ?? '';
    const y = b.redeemedAt ?? '';
    return x === y ? (a.id < b.id ? -1 : 1) : x < y ? 1 : -1;
}

/** Distinct, non-empty ids in first-seen order. */
export function distinctIds(ids: ReadonlyArray<string | undefined>): string[] {
    return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/**
 * The roots of `held` notes their holder may read (GET /notes/{id} answers a holder along the root's
 * own chain, which is the root alone): the roots it holds, and those of its tier-1 notes — a tier-1
 * note is the root's holder's own split or change, so its holder held the root. Below tier 1 the
 * root belongs to someone up the chain and reading it would be refused (403).
 */
export function readableRootIds(held: ReadonlyArray<Pick<Note, 'id' | 'rootId' | 'tier'>>): string[] {
    return distinctIds(held.filter((note) => note.rootId !== note.id && note.tier === 1).map((note) => note.rootId));
}

/**
 * One held note per root the holder may not read (its notes below tier 1), to ask for that note's
 * provenance instead: the provenance answer says whether the root is marked overdue and when its
 * grace ends. Only notes at or past maturity are asked about: before it nothing can be overdue, and
 * from the maturity date on a held note's row offers "Mark overdue" (a root with no grace may be
 * marked on its maturity date already).
 */
export function overdueProbeIds(held: ReadonlyArray<Pick<Note, 'id' | 'rootId' | 'tier' | 'maturityDate'>>, today: Date): string[] {
    const todayText = today.toISOString().slice(0, 10);
    const probes = new Map<string, string>();
    for (const note of held) {
        if (note.rootId !== note.id && note.tier > 1 && note.maturityDate <= todayText && !probes.has(note.rootId)) {
            probes.set(note.rootId, note.id);
        }
    }
    return [...probes.values()];
}

/**
 * When each root of held notes may be marked overdue: from its grace deadline, 00:00 UTC of the day
 * after its maturity date plus the grace days fixed on the root when it was issued. Read from the root where the holder may
 * read it (`roots`: the roots it holds and those of its tier-1 notes), else from the provenance of a
 * note of it (`provenances`, which carry the root's deadline to any holder along the chain). A root
 * neither says is left out: the platform's grace parameter in force now is not the root's, so it
 * says nothing of when an existing note becomes overdue.
 */
export function rootGraceDeadlines(roots: Iterable<Pick<Note, 'id' | 'maturityDate' | 'graceDays'>>, provenances: Iterable<Pick<Provenance, 'rootId' | 'graceDeadline'> | undefined>): Map<string, Date> {
    const deadlines = new Map<string, Date>();
    for (const provenance of provenances) {
        if (provenance?.graceDeadline !== undefined) {
            deadlines.set(provenance.rootId, new Date(provenance.graceDeadline));
        }
    }
    for (const root of roots) {
        deadlines.set(root.id, overdueDeadline(root.maturityDate, root.graceDays ?? 0));
    }
    return deadlines;
}

/**
 * The root notes a set of receivables backs: every note in their allocations (a receivable may back
 * several notes), and the first note of records from before allocations.
 */
export function backedRootIds(receivables: ReadonlyArray<{ noteId?: string; allocations?: ReadonlyArray<{ noteId: string }> }>): string[] {
    return distinctIds(receivables.flatMap((r) => [...(r.allocations ?? []).map((a) => a.noteId), r.noteId]));
}
