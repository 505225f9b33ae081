import type { ApiClient } from '../api-client';
import type { Note, Provenance, ProvenanceHop } from '../resources';

/**
 * The provenance tree of a note: its chain up to the root (GetProvenance) widened with every
 * branch the reader is entitled to see (ReadNote of each note's children). Branches the reader may
 * not read are kept as "hidden" placeholders so the picture never pretends they do not exist.
 */

export interface TreeNode {
    id: string;
    holderId?: string;
    amount?: string;
    status?: string;
    tier?: number;
    origin?: string;
    /** A note the reader may not read: only its id is known. */
    hidden: boolean;
    children: TreeNode[];
}

export interface ProvenanceTree {
    root: TreeNode;
    focusId: string;
    provenance: Provenance;
    /** Some branches were cut at the node limit. */
    truncated: boolean;
}

type NoteReader = Pick<ApiClient, 'provenance' | 'readNote'>;

function fromHop(hop: ProvenanceHop): TreeNode {
    return { id: hop.id, holderId: hop.holderId, amount: hop.amount, status: hop.status, tier: hop.tier, origin: hop.origin, hidden: false, children: [] };
}

function fromNote(note: Note): TreeNode {
    return { id: note.id, holderId: note.holderId, amount: note.amount, status: note.status, tier: note.tier, origin: note.origin, hidden: false, children: [] };
}

/** Loads the tree around `noteId`, reading at most `limit` notes. Throws ApiError from GetProvenance. */
export async function loadProvenanceTree(api: NoteReader, noteId: string, limit = 150): Promise<ProvenanceTree> {
    const provenance = await api.provenance(noteId);
    const hops = new Map(provenance.chain.map((hop) => [hop.id, hop]));
    const rootHop = provenance.chain[provenance.chain.length - 1];
    const root = fromHop(rootHop);
    let reads = 0;
    let truncated = false;

    const readable = async (id: string): Promise<Note | undefined> => {
        if (reads >= limit) {
            truncated = true;
            return undefined;
        }
        reads += 1;
        try {
            return await api.readNote(id);
        } catch {
            return undefined;
        }
    };

    // Breadth-first from the root; a node is expanded only when the reader may read it.
    const queue: TreeNode[] = [root];
    while (queue.length > 0) {
        const node = queue.shift() as TreeNode;
        const note = await readable(node.id);
        if (note) {
            Object.assign(node, fromNote(note));
            for (const childId of note.children ?? []) {
                const hop = hops.get(childId);
                const child: TreeNode = hop ? fromHop(hop) : { id: childId, hidden: true, children: [] };
                node.children.push(child);
                queue.push(child);
            }
        } else {
            // Not readable: still show the chain's next hop below it (we know it descends from here).
            const next = provenance.chain.find((hop) => hop.parentId === node.id);
            if (next && !node.children.some((c) => c.id === next.id)) {
                const child = fromHop(next);
                node.children.push(child);
                queue.push(child);
            }
            if (!hops.has(node.id)) {
                node.hidden = true;
            }
        }
    }
    return { root, focusId: provenance.noteId, provenance, truncated };
}

/** A node placed on the drawing: x is the centre in slot units, depth the row. */
export interface PlacedNode {
    node: TreeNode;
    x: number;
    depth: number;
    parentId?: string;
}

/**
 * Lays the tree out top-down: leaves take consecutive slots left to right, a parent sits centred
 * over its children. Deterministic (children in ledger order). Returns the nodes and the width in slots.
 */
export function layoutTree(root: TreeNode): { placed: PlacedNode[]; width: number; depth: number } {
    const placed: PlacedNode[] = [];
    let nextSlot = 0;
    let maxDepth = 0;
    const visit = (node: TreeNode, depth: number, parentId?: string): number => {
        maxDepth = Math.max(maxDepth, depth);
        const entry: PlacedNode = { node, x: 0, depth, parentId };
        placed.push(entry);
        if (node.children.length === 0) {
            entry.x = nextSlot;
            nextSlot += 1;
        } else {
            const xs = node.children.map((child) => visit(child, depth + 1, node.id));
            entry.x = (xs[0] + xs[xs.length - 1]) / 2;
        }
        return entry.x;
    };
    visit(root, 0);
    return { placed, width: nextSlot, depth: maxDepth + 1 };
}
