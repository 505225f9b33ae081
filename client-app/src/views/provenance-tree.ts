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
    /**
     * False for a note the reader may not read (refused, or known so from the chain without asking),
     * which is drawn without a link; true or undefined (not asked: past the read limit) otherwise.
     */
    readable?: boolean;
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

/** Who is looking at the tree: the signed-in user's role and enterprise. */
export interface TreeReader {
    role: string;
    enterpriseId: string;
}

/**
 * The chain notes (ids) the reader may not read, known from the provenance alone, as the ledger
 * decides (authorizeNoteRead): a note is readable by the regulator, its issuer, any holder of it or
 * of a note above it, a financier holding part of the root, and the recipient of an open offer or
 * discount request of a note below it. A reader who holds some note of the chain holds none above
 * the highest of them, so those ancestors are not theirs to read — unless the reader is a financier
 * (it may hold another part of the root) or the regulator or issuer. A reader holding no note of the
 * chain reads the note by invitation or as a financier of the root: then every note above is
 * readable too. Without a reader nothing is known.
 */
export function unreadableAncestors(provenance: Pick<Provenance, 'chain' | 'proof'>, reader: TreeReader | undefined): Set<string> {
    const unreadable = new Set<string>();
    if (!reader || reader.role === 'regulator' || reader.role === 'financier' || reader.enterpriseId === provenance.proof.issuerId) {
        return unreadable;
    }
    // The chain runs from the note up to the root: everything past the reader's highest holding.
    let highest = -1;
    provenance.chain.forEach((hop, index) => {
        if (hop.holderId === reader.enterpriseId) {
            highest = index;
        }
    });
    if (highest < 0) {
        return unreadable;
    }
    for (const hop of provenance.chain.slice(highest + 1)) {
        unreadable.add(hop.id);
    }
    return unreadable;
}

function fromHop(hop: ProvenanceHop): TreeNode {
    return { id: hop.id, holderId: hop.holderId, amount: hop.amount, status: hop.status, tier: hop.tier, origin: hop.origin, hidden: false, children: [] };
}

function fromNote(note: Note): TreeNode {
    return { id: note.id, holderId: note.holderId, amount: note.amount, status: note.status, tier: note.tier, origin: note.origin, hidden: false, children: [] };
}

/**
 * Loads the tree around `noteId`, reading at most `limit` notes. Ancestors the `reader` may not read
 * (unreadableAncestors) are drawn from the provenance without asking for them. Throws ApiError from GetProvenance.
 */
export async function loadProvenanceTree(api: NoteReader, noteId: string, options: { reader?: TreeReader; limit?: number } = {}): Promise<ProvenanceTree> {
    const limit = options.limit ?? 150;
    const provenance = await api.provenance(noteId);
    const hops = new Map(provenance.chain.map((hop) => [hop.id, hop]));
    const unreadable = unreadableAncestors(provenance, options.reader);
    const rootHop = provenance.chain[provenance.chain.length - 1];
    const root = fromHop(rootHop);
    let reads = 0;
    let truncated = false;

    /** The note, or undefined with `node.readable` false when the reader may not read it. */
    const readable = async (node: TreeNode): Promise<Note | undefined> => {
        if (unreadable.has(node.id)) {
            node.readable = false;
            return undefined;
        }
        if (reads >= limit) {
            truncated = true;
            return undefined;
        }
        reads += 1;
        try {
            return await api.readNote(node.id);
        } catch {
            node.readable = false;
            return undefined;
        }
    };

    // Breadth-first from the root; a node is expanded only when the reader may read it.
    const queue: TreeNode[] = [root];
    while (queue.length > 0) {
        const node = queue.shift() as TreeNode;
        const note = await readable(node);
        if (note) {
            Object.assign(node, fromNote(note), { readable: true });
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

/** The width in pixels a text takes in a given font. */
export type TextMeasure = (text: string) => number;

/**
 * `text` as drawn in at most `maxWidth` pixels: whole when it fits, else cut at a character boundary
 * (never inside a surrogate pair) with an ellipsis, the longest such prefix that fits. SVG text does
 * not wrap or clip to its box, so a node's labels are fitted before they are drawn.
 */
export function fitText(text: string, maxWidth: number, measure: TextMeasure): string {
    if (measure(text) <= maxWidth) {
        return text;
    }
    const chars = Array.from(text);
    // Binary search on the number of characters kept before the ellipsis.
    let low = 0;
    let high = chars.length - 1;
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (measure(`${chars.slice(0, mid).join('').trimEnd()}…`) <= maxWidth) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    return `${chars.slice(0, low).join('').trimEnd()}…`;
}

/**
 * A measure of text in `font` (a CSS font shorthand, e.g. "700 12px system-ui"), by the browser's
 * own text shaping (a canvas); where no canvas is at hand, a generous estimate (wide characters
 * such as Chinese take a full em, others 0.62 em), so a label is cut rather than overflowing.
 */
export function textMeasure(font: string): TextMeasure {
    const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (context) {
        context.font = font;
        return (text) => context.measureText(text).width;
    }
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
    return (text) => Array.from(text).reduce((width, char) => width + size * (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) || char.length > 1 ? 1 : 0.62), 0);
}
