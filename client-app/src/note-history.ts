import type { ApiClient } from './api-client';
import type { Note } from './resources';

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

/** Every REDEEMED leaf under a root (for its issuer or the regulator, who may read the whole tree). */
export async function redeemedLeavesOf(api: NoteReader, rootId: string, limit = HISTORY_READ_LIMIT): Promise<NoteWalk> {
    const walk = await walkNotes(api, [rootId], () => true, limit);
    return { notes: walk.notes.filter((note) => note.status === 'REDEEMED'), truncated: walk.truncated };
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
