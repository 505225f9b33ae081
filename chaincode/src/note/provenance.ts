import type { Context } from 'fabric-contract-api';
import { ChaincodeError, fail } from '../errors';
import { CREDIT_LINE_BY_CORE, mustReadCreditLine } from '../credit-line/credit-line';
import { mustReadEnterprise } from '../enterprise/enterprise';
import { requireId } from '../ledger/input';
import { scanIndex } from '../ledger/state';
import { txDate } from '../ledger/tx';
import { Reader } from './access';
import { readDiscountRequest } from './discount';
import { graceDeadline } from './grace';
import { Note, NoteLock, isEscrowed, isOutstanding, listRootsOfIssuer, mustReadNote, readNotesOfRoot } from './note';
import { isOpenOfferTo, readOffer } from './transfer';

/**
 * Provenance (信用穿透) and exposure: walking from any fragment up to the issuing core enterprise
 * with a proof that the amounts add up, and the core enterprise's map of who holds its credit.
 */

/** One hop of a provenance chain. */
export interface ProvenanceHop {
    id: string;
    parentId?: string;
    holderId: string;
    amount: string;
    tier: number;
    status: Note['status'];
    origin: Note['origin'];
}

/** Proof that a root's notes conserve its face value. Amounts in minor units. */
export interface ConservationProof {
    rootId: string;
    issuerId: string;
    currency: string;
    maturityDate: string;
    faceAmount: string;
    /** Sum of the ACTIVE and LOCKED leaves. */
    outstandingAmount: string;
    /** Sum of the REDEEMED leaves. */
    redeemedAmount: string;
    /** Sum of the ESCROWED leaves: paid by the issuer into escrow for frozen holders. */
    escrowedAmount: string;
    outstandingLeaves: number;
    redeemedLeaves: number;
    escrowedLeaves: number;
    spentNotes: number;
    /** Every spent note's children exist, name it as parent and sum exactly to it. */
    childrenBalanced: boolean;
    /** childrenBalanced, and outstanding + redeemed + escrowed = face. */
    balanced: boolean;
}

export interface Provenance {
    noteId: string;
    rootId: string;
    /** From the note up to its root. */
    chain: ProvenanceHop[];
    proof: ConservationProof;
    /**
     * Whether the root has been marked overdue. The flag is recorded on the root only, which a holder
     * below tier 1 may not read, and a holder needs it to know the issuer is late on what it holds.
     */
    overdue: boolean;
    /** When the root was marked overdue. */
    overdueAt?: string;
    /** The root's grace period in days, fixed on it at issuance (0 for a root recorded without one). */
    graceDays: number;
    /**
     * The instant the root's grace ends: 00:00 UTC of the day after its maturity date plus graceDays
     * (grace.ts). Redeemed before it, the root is on time; from it on, anyone may mark it overdue
     * (MarkOverdue). Given here because a holder
     * below tier 1 may not read the root, and the platform's grace parameter in force now need not be
     * the one the root was issued with.
     */
    graceDeadline: string;
}

function hopOf(note: Note): ProvenanceHop {
    const hop: ProvenanceHop = { id: note.id, holderId: note.holderId, amount: note.amount, tier: note.tier, status: note.status, origin: note.origin };
    if (note.parentId !== undefined) {
        hop.parentId = note.parentId;
    }
    return hop;
}

/** Checks conservation over every note of a root. */
export function conservationProof(root: Note, notes: readonly Note[]): ConservationProof {
    const byId = new Map(notes.map((note) => [note.id, note]));
    let outstanding = 0n;
    let redeemed = 0n;
    let escrowed = 0n;
    let outstandingLeaves = 0;
    let redeemedLeaves = 0;
    let escrowedLeaves = 0;
    let spentNotes = 0;
    let childrenBalanced = byId.get(root.id) !== undefined;
    for (const note of notes) {
        if (isOutstanding(note)) {
            outstanding += BigInt(note.amount);
            outstandingLeaves += 1;
        } else if (note.status === 'REDEEMED') {
            redeemed += BigInt(note.amount);
            redeemedLeaves += 1;
        } else if (isEscrowed(note)) {
            escrowed += BigInt(note.amount);
            escrowedLeaves += 1;
        } else {
            spentNotes += 1;
            let sum = 0n;
            for (const childId of note.children ?? []) {
                const child = byId.get(childId);
                if (!child || child.parentId !== note.id) {
                    childrenBalanced = false;
                    continue;
                }
                sum += BigInt(child.amount);
            }
            if ((note.children ?? []).length === 0 || sum !== BigInt(note.amount)) {
                childrenBalanced = false;
            }
        }
        if (note.id !== root.id && (note.parentId === undefined || !byId.has(note.parentId))) {
            childrenBalanced = false;
        }
    }
    const face = BigInt(root.faceAmount ?? root.amount);
    return {
        rootId: root.id,
        issuerId: root.issuerId,
        currency: root.currency,
        maturityDate: root.maturityDate,
        faceAmount: face.toString(),
        outstandingAmount: outstanding.toString(),
        redeemedAmount: redeemed.toString(),
        escrowedAmount: escrowed.toString(),
        outstandingLeaves,
        redeemedLeaves,
        escrowedLeaves,
        spentNotes,
        childrenBalanced,
        balanced: childrenBalanced && outstanding + redeemed + escrowed === face,
    };
}

/** The chain from a note up to its root, note first. Throws NOT_FOUND, INTERNAL on a broken link. */
export async function chainOf(ctx: Context, note: Note): Promise<Note[]> {
    const chain = [note];
    let current = note;
    while (current.parentId !== undefined) {
        current = await mustReadNote(ctx, current.parentId);
        chain.push(current);
    }
    return chain;
}

/**
 * Whether a reader may see a note and its provenance: the regulator, the issuer, any holder along
 * the chain, a financier holding (or having held) part of the root — and, so that it can check what
 * it is asked to take, the recipient of a pending, unexpired transfer offer or a financier invited
 * to an open discount request, for the note offered and every note above it up to the root.
 * `rootNotes` is loaded only when needed. Throws FORBIDDEN.
 */
export async function authorizeNoteRead(ctx: Context, reader: Reader, note: Note, chain: readonly Note[], rootNotes?: () => Promise<Note[]>): Promise<void> {
    if (reader.regulator || reader.eid === note.issuerId || chain.some((hop) => hop.holderId === reader.eid)) {
        return;
    }
    if (note.lock && (await lockInvites(ctx, reader, note.lock))) {
        return;
    }
    const notes = rootNotes ? await rootNotes() : await readNotesOfRoot(ctx, note.rootId);
    if (reader.role === 'financier' && notes.some((n) => n.holderId === reader.eid)) {
        return;
    }
    if (await invitedBelow(ctx, reader, note, notes)) {
        return;
    }
    throw fail.forbidden(`${reader.eid} is not a party to note ${note.id}`);
}

/** Whether the reader may see the note (authorizeNoteRead, answered rather than refused). */
export async function mayReadNote(ctx: Context, reader: Reader, note: Note, chain: readonly Note[]): Promise<boolean> {
    try {
        await authorizeNoteRead(ctx, reader, note, chain);
        return true;
    } catch (error) {
        if (error instanceof ChaincodeError && error.code === 'FORBIDDEN') {
            return false;
        }
        throw error;
    }
}

/** Whether a note's lock asks the reader to take it: an offer addressed to it, or a discount request inviting it, still open. */
async function lockInvites(ctx: Context, reader: Reader, lock: NoteLock): Promise<boolean> {
    if (lock.kind === 'OFFER') {
        const offer = await readOffer(ctx, lock.id);
        return offer !== undefined && isOpenOfferTo(offer, reader.eid, txDate(ctx));
    }
    const request = await readDiscountRequest(ctx, lock.id);
    return request?.status === 'OPEN' && request.financierIds.includes(reader.eid);
}

/** Whether `note` lies on the chain of a locked note of its root whose lock invites the reader. */
async function invitedBelow(ctx: Context, reader: Reader, note: Note, notes: readonly Note[]): Promise<boolean> {
    const byId = new Map(notes.map((n) => [n.id, n]));
    for (const locked of notes) {
        if (locked.status !== 'LOCKED' || !locked.lock || locked.id === note.id) {
            continue;
        }
        let hop: Note | undefined = locked;
        while (hop && hop.id !== note.id) {
            hop = hop.parentId === undefined ? undefined : byId.get(hop.parentId);
        }
        if (hop && (await lockInvites(ctx, reader, locked.lock))) {
            return true;
        }
    }
    return false;
}

/** The provenance of a note for an entitled reader. Throws INVALID_ARGUMENT, NOT_FOUND, FORBIDDEN. */
export async function provenanceOf(ctx: Context, reader: Reader, noteId: string): Promise<Provenance> {
    const note = await mustReadNote(ctx, noteId);
    const chain = await chainOf(ctx, note);
    let notes: Note[] | undefined;
    const rootNotes = async (): Promise<Note[]> => (notes ??= await readNotesOfRoot(ctx, note.rootId));
    await authorizeNoteRead(ctx, reader, note, chain, rootNotes);
    const root = chain[chain.length - 1];
    const provenance: Provenance = {
        noteId: note.id,
        rootId: root.id,
        chain: chain.map(hopOf),
        proof: conservationProof(root, await rootNotes()),
        overdue: root.overdue === true,
        graceDays: root.graceDays ?? 0,
        graceDeadline: graceDeadline(root).toISOString(),
    };
    if (root.overdueAt !== undefined) {
        provenance.overdueAt = root.overdueAt;
    }
    return provenance;
}

// ---------------------------------------------------------------- exposure

/** What one holder holds of a root at one tier. */
export interface ExposurePosition {
    holderId: string;
    tier: number;
    amount: string;
    noteIds: string[];
}

export interface RootExposure {
    rootId: string;
    currency: string;
    faceAmount: string;
    maturityDate: string;
    /** The root's grace period in days, fixed on it at issuance (0 for a root recorded without one). */
    graceDays: number;
    /** The root's grace deadline, as in Provenance: the financier of the line the root draws on sees it here but may not read the root. */
    graceDeadline: string;
    overdue: boolean;
    outstandingAmount: string;
    positions: ExposurePosition[];
}

/** The outstanding amount of the listed roots in one currency. */
export interface CurrencyTotal {
    currency: string;
    outstandingAmount: string;
    roots: number;
}

/** A core enterprise's exposure as the reader may see it: see `roots`. */
export interface Exposure {
    coreEnterpriseId: string;
    /**
     * The unredeemed roots the reader may see, each with its outstanding leaves by holder and tier:
     * every root for the core enterprise and the regulator; for a financier, only the roots drawn on
     * its own credit lines to the enterprise.
     */
    roots: RootExposure[];
    /** Per currency, over the listed roots only. */
    totals: CurrencyTotal[];
}

/**
 * What part of a core enterprise's exposure a reader may see: `all` of it, or only the roots drawn
 * on the credit lines `creditLineIds`.
 */
export type ExposureScope = { all: true } | { all: false; creditLineIds: ReadonlySet<string> };

/**
 * May the reader see a core enterprise's exposure, and how much of it. The enterprise itself and the
 * regulator see all of it. A financier that granted the enterprise a credit line sees the roots drawn
 * on its own lines (with every holder, tier and amount of them), and nothing of roots drawn on other
 * financiers' lines: granting a line asks nothing of the core enterprise, so it may open no more than
 * the granting financier's own exposure. A revoked or expired line still counts, since notes drawn on
 * it stay outstanding until redeemed. Anyone else is refused.
 * Throws INVALID_ARGUMENT (malformed id, or an enterprise that is not a core enterprise), NOT_FOUND, FORBIDDEN.
 */
export async function authorizeExposureRead(ctx: Context, reader: Reader, coreEnterpriseId: string): Promise<ExposureScope> {
    requireId(coreEnterpriseId, 'coreEnterpriseId');
    // Which enterprises exist and their kinds are no secret among members (ReadEnterprise).
    const enterprise = await mustReadEnterprise(ctx, coreEnterpriseId);
    if (enterprise.kind !== 'CORE_ENTERPRISE') {
        throw fail.invalid(`enterprise ${coreEnterpriseId} is a ${enterprise.kind}; only a CORE_ENTERPRISE has an exposure`);
    }
    if (reader.regulator || (reader.role === 'core-enterprise' && reader.eid === coreEnterpriseId)) {
        return { all: true };
    }
    if (reader.role === 'financier') {
        const creditLineIds = new Set<string>();
        for (const [, lineId] of await scanIndex(ctx, CREDIT_LINE_BY_CORE, [coreEnterpriseId])) {
            if ((await mustReadCreditLine(ctx, lineId)).financierId === reader.eid) {
                creditLineIds.add(lineId);
            }
        }
        if (creditLineIds.size > 0) {
            return { all: false, creditLineIds };
        }
    }
    throw fail.forbidden(`${reader.eid} may not read the exposure of ${coreEnterpriseId}`);
}

/** Whether a root lies within the scope. */
function inScope(scope: ExposureScope, root: Note): boolean {
    return scope.all || (root.creditLineId !== undefined && scope.creditLineIds.has(root.creditLineId));
}

/**
 * Every unspent leaf of the enterprise's unredeemed roots within `scope` (authorizeExposureRead),
 * grouped by holder and tier, with currency totals of those roots only.
 */
export async function exposureOf(ctx: Context, coreEnterpriseId: string, scope: ExposureScope): Promise<Exposure> {
    const roots: RootExposure[] = [];
    const totals = new Map<string, { amount: bigint; roots: number }>();
    for (const root of await listRootsOfIssuer(ctx, coreEnterpriseId)) {
        if (root.rootStatus === 'REDEEMED' || !inScope(scope, root)) {
            continue;
        }
        const groups = new Map<string, { holderId: string; tier: number; amount: bigint; noteIds: string[] }>();
        let outstanding = 0n;
        for (const leaf of (await readNotesOfRoot(ctx, root.id)).filter(isOutstanding)) {
            const key = `${String(leaf.tier).padStart(4, '0')}|${leaf.holderId}`;
            const group = groups.get(key) ?? { holderId: leaf.holderId, tier: leaf.tier, amount: 0n, noteIds: [] };
            group.amount += BigInt(leaf.amount);
            group.noteIds.push(leaf.id);
            groups.set(key, group);
            outstanding += BigInt(leaf.amount);
        }
        const positions = [...groups.keys()].sort().map((key) => {
            const g = groups.get(key) as { holderId: string; tier: number; amount: bigint; noteIds: string[] };
            return { holderId: g.holderId, tier: g.tier, amount: g.amount.toString(), noteIds: g.noteIds };
        });
        roots.push({
            rootId: root.id,
            currency: root.currency,
            faceAmount: root.faceAmount ?? root.amount,
            maturityDate: root.maturityDate,
            graceDays: root.graceDays ?? 0,
            graceDeadline: graceDeadline(root).toISOString(),
            overdue: root.overdue === true,
            outstandingAmount: outstanding.toString(),
            positions,
        });
        const total = totals.get(root.currency) ?? { amount: 0n, roots: 0 };
        total.amount += outstanding;
        total.roots += 1;
        totals.set(root.currency, total);
    }
    return {
        coreEnterpriseId,
        roots,
        totals: [...totals.keys()].sort().map((currency) => {
            const t = totals.get(currency) as { amount: bigint; roots: number };
            return { currency, outstandingAmount: t.amount.toString(), roots: t.roots };
        }),
    };
}
