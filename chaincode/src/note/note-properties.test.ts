import { expect } from 'chai';
import fc from 'fast-check';
import { EID } from '../testing/fixtures';
import { TxFailure } from '../testing/harness';
import type { TestIdentity } from '../testing/identities';
import type { DiscountQuote, DiscountRequest } from './discount';
import type { Note } from './note';
import type { Provenance } from './provenance';
import { NoteWorld, issue, newNoteWorld } from './testing';
import type { NoteOffer } from './transfer';

/**
 * Property-based tests over random sequences of issue / split / offer (accept, decline, cancel,
 * expire, leave pending) / discount (accept, withdraw, leave open) / redeem, interleaved with
 * attempts to spend what is spent, locked or redeemed. A small model tracks every note; after each
 * step the ledger must agree with it and every root must conserve its face value.
 */

type Command =
    | { kind: 'issue'; holder: number; amount: number; tenor: number }
    | { kind: 'split'; pick: number; parts: number; seed: number }
    | { kind: 'transfer'; pick: number; to: number; share: number; outcome: 'accept' | 'decline' | 'cancel' | 'expire' | 'pending' }
    | { kind: 'discount'; pick: number; rate: number; bank: number; outcome: 'accept' | 'withdraw' | 'pending' }
    | { kind: 'redeem'; pick: number }
    | { kind: 'attack'; pick: number; how: 'split' | 'offer' | 'discount' }
    | { kind: 'replay'; pick: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('issue' as const), holder: fc.nat(2), amount: fc.integer({ min: 1, max: 1_000_000_000 }), tenor: fc.constantFrom(30, 60) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('split' as const), pick: fc.nat(), parts: fc.integer({ min: 2, max: 4 }), seed: fc.nat() }) },
    {
        weight: 5,
        arbitrary: fc.record({
            kind: fc.constant('transfer' as const),
            pick: fc.nat(),
            to: fc.nat(2),
            share: fc.nat(),
            outcome: fc.constantFrom('accept' as const, 'accept' as const, 'decline' as const, 'cancel' as const, 'expire' as const, 'pending' as const),
        }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('discount' as const), pick: fc.nat(), rate: fc.integer({ min: 0, max: 2000 }), bank: fc.nat(1), outcome: fc.constantFrom('accept' as const, 'withdraw' as const, 'pending' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeem' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('attack' as const), pick: fc.nat(), how: fc.constantFrom('split' as const, 'offer' as const, 'discount' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

interface ModelNote {
    id: string;
    rootId: string;
    holderId: string;
    amount: bigint;
    status: Note['status'];
    lock?: { kind: 'OFFER' | 'DISCOUNT'; id: string };
}

interface ModelRoot {
    id: string;
    face: bigint;
    maturity: Date;
    redeemed: boolean;
}

const DAY = 86_400_000;

async function refusedWith(attempt: Promise<unknown>, codes: string[]): Promise<void> {
    try {
        await attempt;
    } catch (error) {
        if (error instanceof TxFailure && codes.includes(error.code)) {
            return;
        }
        throw error;
    }
    throw new Error(`expected a refusal with ${codes.join(' or ')}, but the transaction succeeded`);
}

class Run {
    readonly notes = new Map<string, ModelNote>();
    readonly roots = new Map<string, ModelRoot>();
    /** Offers that were decided (accepted, declined, cancelled, expired): replaying them must fail. */
    readonly settledOffers: Array<{ id: string; to: TestIdentity }> = [];
    readonly suppliers: TestIdentity[];
    readonly banks: TestIdentity[];
    readonly byEid = new Map<string, TestIdentity>();

    constructor(readonly w: NoteWorld) {
        this.suppliers = [w.cast.tier1, w.cast.tier2, w.cast.tier3];
        this.banks = [w.cast.bank, w.cast.bank2];
        for (const who of [...this.suppliers, ...this.banks]) {
            this.byEid.set(who.attrs['xl.eid'], who);
        }
    }

    get h() {
        return this.w.h;
    }

    addNote(note: Note): void {
        this.notes.set(note.id, { id: note.id, rootId: note.rootId, holderId: note.holderId, amount: BigInt(note.amount), status: note.status });
    }

    spend(id: string, children: Note[]): void {
        const parent = this.notes.get(id) as ModelNote;
        expect(children.reduce((sum, c) => sum + BigInt(c.amount), 0n)).to.equal(parent.amount);
        parent.status = 'SPENT';
        delete parent.lock;
        children.forEach((c) => this.addNote(c));
    }

    /** Notes a supplier may move now: ACTIVE, held by a supplier, of an unredeemed root not yet due. */
    movable(): ModelNote[] {
        const now = this.h.now().getTime();
        return [...this.notes.values()].filter((n) => {
            const root = this.roots.get(n.rootId) as ModelRoot;
            return n.status === 'ACTIVE' && !root.redeemed && now < root.maturity.getTime() && this.suppliers.some((s) => s.attrs['xl.eid'] === n.holderId);
        });
    }

    holderOf(note: ModelNote): TestIdentity {
        return this.byEid.get(note.holderId) as TestIdentity;
    }

    async issue(holder: TestIdentity, amount: bigint, tenorDays: number): Promise<void> {
        const now = this.h.now();
        const maturity = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + tenorDays * DAY);
        const root = await issue(this.w, { holder, amount: amount.toString(), maturityDate: maturity.toISOString().slice(0, 10) });
        this.roots.set(root.id, { id: root.id, face: amount, maturity, redeemed: false });
        this.addNote(root);
    }

    async step(cmd: Command): Promise<void> {
        const h = this.h;
        switch (cmd.kind) {
            case 'issue':
                return this.issue(this.suppliers[cmd.holder], BigInt(cmd.amount), cmd.tenor);
            case 'split': {
                const candidates = this.movable().filter((n) => n.amount >= BigInt(cmd.parts));
                if (candidates.length === 0) return;
                const note = candidates[cmd.pick % candidates.length];
                const amounts: bigint[] = [];
                let left = note.amount;
                for (let i = 0; i < cmd.parts - 1; i++) {
                    const room = left - BigInt(cmd.parts - 1 - i); // leave at least 1 for each later part
                    const part = 1n + (BigInt(cmd.seed + i * 7919) % room);
                    amounts.push(part);
                    left -= part;
                }
                amounts.push(left);
                const result = await h.submit<{ children: Note[] }>(this.holderOf(note), 'note:SplitNote', [note.id, { amounts: amounts.map(String) }]);
                return this.spend(note.id, result.children);
            }
            case 'transfer': {
                const candidates = this.movable();
                if (candidates.length === 0) return;
                const note = candidates[cmd.pick % candidates.length];
                const others = this.suppliers.filter((s) => s.attrs['xl.eid'] !== note.holderId);
                const to = others[cmd.to % others.length];
                const amount = 1n + (BigInt(cmd.share) % note.amount);
                const from = this.holderOf(note);
                const maturity = (this.roots.get(note.rootId) as ModelRoot).maturity.getTime();
                const expiresAt = new Date(Math.min(h.now().getTime() + 3_600_000, maturity));
                const offer = await h.submit<NoteOffer>(from, 'note:OfferTransfer', [{ noteId: note.id, toId: to.attrs['xl.eid'], amount: amount.toString(), expiresAt: expiresAt.toISOString() }]);
                note.status = 'LOCKED';
                note.lock = { kind: 'OFFER', id: offer.id };
                if (cmd.outcome === 'accept') {
                    const result = await h.submit<{ spent: Note; received: Note; change?: Note }>(to, 'note:AcceptOffer', [offer.id]);
                    this.spend(note.id, result.change ? [result.received, result.change] : [result.received]);
                } else if (cmd.outcome !== 'pending') {
                    if (cmd.outcome === 'decline') {
                        await h.submit(to, 'note:DeclineOffer', [offer.id]);
                    } else if (cmd.outcome === 'cancel') {
                        await h.submit(from, 'note:CancelOffer', [offer.id]);
                    } else {
                        h.setTime(expiresAt.toISOString());
                        await refusedWith(h.submit(to, 'note:AcceptOffer', [offer.id]), ['EXPIRED']);
                        await h.submit(this.w.cast.regulator, 'note:ExpireOffer', [offer.id]);
                    }
                    note.status = 'ACTIVE';
                    delete note.lock;
                }
                if (cmd.outcome !== 'pending') {
                    this.settledOffers.push({ id: offer.id, to });
                }
                return;
            }
            case 'discount': {
                const candidates = this.movable();
                if (candidates.length === 0) return;
                const note = candidates[cmd.pick % candidates.length];
                const holder = this.holderOf(note);
                const bank = this.banks[cmd.bank];
                const request = await h.submit<DiscountRequest>(holder, 'note:RequestDiscount', [{ noteId: note.id, financierIds: [EID.bank, EID.bank2] }]);
                note.status = 'LOCKED';
                note.lock = { kind: 'DISCOUNT', id: request.id };
                let quote: DiscountQuote;
                try {
                    quote = await h.submit<DiscountQuote>(bank, 'note:SubmitQuote', [request.id], { transient: { terms: { rateBps: cmd.rate } } });
                } catch (error) {
                    // Only a price of nothing is refused: a tiny note at a high rate.
                    expect((error as TxFailure).code).to.equal('INVALID_ARGUMENT');
                    quote = undefined as unknown as DiscountQuote;
                }
                if (cmd.outcome === 'accept' && quote) {
                    const result = await h.submit<{ funded: Note }>(holder, 'note:AcceptQuote', [quote.id]);
                    expect(result.funded.holderId).to.equal(bank.attrs['xl.eid']);
                    this.spend(note.id, [result.funded]);
                } else if (cmd.outcome !== 'pending') {
                    await h.submit(holder, 'note:WithdrawDiscountRequest', [request.id]);
                    note.status = 'ACTIVE';
                    delete note.lock;
                }
                return;
            }
            case 'redeem': {
                const open = [...this.roots.values()].filter((r) => !r.redeemed);
                if (open.length === 0) return;
                const root = open[cmd.pick % open.length];
                if (h.now().getTime() < root.maturity.getTime()) {
                    h.setTime(root.maturity.toISOString());
                }
                const result = await h.submit<{ payees: Array<{ holderId: string; amount: string }> }>(this.w.cast.core, 'note:RedeemNote', [root.id]);
                const leaves = [...this.notes.values()].filter((n) => n.rootId === root.id && (n.status === 'ACTIVE' || n.status === 'LOCKED'));
                const expected = new Map<string, bigint>();
                for (const leaf of leaves) {
                    expected.set(leaf.holderId, (expected.get(leaf.holderId) ?? 0n) + leaf.amount);
                    leaf.status = 'REDEEMED';
                    delete leaf.lock;
                }
                expect(result.payees.map((p) => [p.holderId, BigInt(p.amount)])).to.deep.equal([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
                expect(result.payees.reduce((sum, p) => sum + BigInt(p.amount), 0n)).to.equal(root.face);
                root.redeemed = true;
                return;
            }
            case 'attack': {
                // Anything spent, locked or redeemed is refused, whoever holds it.
                const targets = [...this.notes.values()].filter((n) => n.status !== 'ACTIVE' && this.suppliers.some((s) => s.attrs['xl.eid'] === n.holderId));
                if (targets.length === 0) return;
                const note = targets[cmd.pick % targets.length];
                const holder = this.holderOf(note);
                const other = this.suppliers.find((s) => s.attrs['xl.eid'] !== note.holderId) as TestIdentity;
                const before = await h.stateDigest();
                if (cmd.how === 'split') {
                    const half = note.amount / 2n;
                    await refusedWith(h.submit(holder, 'note:SplitNote', [note.id, { amounts: [half.toString(), (note.amount - half).toString()] }]), note.amount < 2n ? ['INVALID_ARGUMENT', 'INVALID_STATE'] : ['INVALID_STATE']);
                } else if (cmd.how === 'offer') {
                    await refusedWith(h.submit(holder, 'note:OfferTransfer', [{ noteId: note.id, toId: other.attrs['xl.eid'], amount: '1', expiresAt: new Date(h.now().getTime() + 60_000).toISOString() }]), ['INVALID_STATE']);
                } else {
                    await refusedWith(h.submit(holder, 'note:RequestDiscount', [{ noteId: note.id, financierIds: [EID.bank] }]), ['INVALID_STATE']);
                }
                expect(await h.stateDigest()).to.equal(before);
                return;
            }
            case 'replay': {
                if (this.settledOffers.length === 0) return;
                const offer = this.settledOffers[cmd.pick % this.settledOffers.length];
                const before = await h.stateDigest();
                await refusedWith(h.submit(offer.to, 'note:AcceptOffer', [offer.id]), ['INVALID_STATE']);
                expect(await h.stateDigest()).to.equal(before);
                return;
            }
        }
    }

    /** The ledger agrees with the model, and every root conserves its face value. */
    async check(): Promise<void> {
        for (const root of this.roots.values()) {
            const { proof } = await this.h.evaluate<Provenance>(this.w.cast.regulator, 'note:GetProvenance', [root.id]);
            expect(proof.balanced, `root ${root.id} balanced`).to.equal(true);
            expect(BigInt(proof.faceAmount)).to.equal(root.face);
            const outstanding = BigInt(proof.outstandingAmount);
            const redeemed = BigInt(proof.redeemedAmount);
            expect(root.redeemed ? [outstanding, redeemed] : [outstanding, redeemed]).to.deep.equal(root.redeemed ? [0n, root.face] : [root.face, 0n]);
            const modelLeaves = [...this.notes.values()].filter((n) => n.rootId === root.id && (n.status === 'ACTIVE' || n.status === 'LOCKED'));
            expect(modelLeaves.reduce((sum, n) => sum + n.amount, 0n)).to.equal(outstanding);
        }
        for (const [eid, who] of this.byEid) {
            const held = await this.h.evaluate<Note[]>(who, 'note:ListNotesOfHolder', [eid]);
            const expected = [...this.notes.values()].filter((n) => n.holderId === eid && (n.status === 'ACTIVE' || n.status === 'LOCKED'));
            expect(held.map((n) => [n.id, n.status, BigInt(n.amount)])).to.deep.equal(expected.sort((a, b) => (a.id < b.id ? -1 : 1)).map((n) => [n.id, n.status, n.amount]));
            for (const note of held) {
                expect(BigInt(note.amount) > 0n).to.equal(true);
                expect(note.lock).to.deep.equal(this.notes.get(note.id)?.lock);
            }
        }
    }
}

describe('NoteContract properties', function () {
    this.timeout(120_000);

    it('conserves every root, never spends a note twice and keeps every balance positive, over random command sequences', async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 14 }), async (commands) => {
                const w = await newNoteWorld();
                try {
                    const run = new Run(w);
                    await run.issue(w.cast.tier1, 100_000_000n, 60);
                    await run.check();
                    for (const command of commands) {
                        await run.step(command);
                        await run.check();
                    }
                } finally {
                    await w.h.close();
                }
            }),
            { numRuns: 40 },
        );
    });
});
