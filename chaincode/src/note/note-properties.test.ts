import { expect } from 'chai';
import fc from 'fast-check';
import { EID } from '../testing/fixtures';
import { TxFailure } from '../testing/harness';
import type { TestIdentity } from '../testing/identities';
import type { DiscountQuote, DiscountRequest } from './discount';
import type { Note } from './note';
import type { Provenance } from './provenance';
import type { Payee } from './redemption';
import { NoteWorld, issue, newNoteWorld, testSalt } from './testing';
import type { NoteOffer } from './transfer';

/**
 * Property-based tests over random sequences of issue / split / offer (accept, decline, cancel,
 * expire, leave pending) / discount (accept, withdraw, leave open) / redeem (paying into escrow for
 * frozen holders, and paying escrow out later) / freezing and unfreezing suppliers, interleaved
 * with attempts to spend what is spent, locked, redeemed or escrowed. A small model tracks every
 * note; after each step the ledger must agree with it and every root must conserve its face value.
 */

type Command =
    | { kind: 'issue'; holder: number; amount: number; tenor: number }
    | { kind: 'split'; pick: number; parts: number; seed: number }
    | { kind: 'transfer'; pick: number; to: number; share: number; outcome: 'accept' | 'decline' | 'cancel' | 'expire' | 'pending' }
    | { kind: 'discount'; pick: number; rate: number; bank: number; outcome: 'accept' | 'withdraw' | 'pending' }
    | { kind: 'redeem'; pick: number }
    | { kind: 'freeze'; who: number }
    | { kind: 'release'; pick: number }
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
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeem' as const), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('freeze' as const), who: fc.nat(2) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
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

interface RedemptionResult {
    payees: Payee[];
    escrows: Payee[];
    escrowRelease: boolean;
}

/** [holderId, amount] per payee, in the result's (holder) order. */
function amountsByHolder(payees: readonly Payee[]): Array<[string, bigint]> {
    return payees.map((p) => [p.holderId, BigInt(p.amount)]);
}

/** [holderId, total] of model leaves, in holder order. */
function totalsByHolder(leaves: readonly ModelNote[]): Array<[string, bigint]> {
    const totals = new Map<string, bigint>();
    for (const leaf of leaves) {
        totals.set(leaf.holderId, (totals.get(leaf.holderId) ?? 0n) + leaf.amount);
    }
    return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

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
    /** Suppliers the regulator froze. */
    readonly frozen = new Set<string>();

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
            return n.status === 'ACTIVE' && !root.redeemed && now < root.maturity.getTime() && this.suppliers.some((s) => s.attrs['xl.eid'] === n.holderId) && !this.frozen.has(n.holderId);
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
            case 'issue': {
                const holder = this.suppliers[cmd.holder];
                if (this.frozen.has(holder.attrs['xl.eid'])) return;
                return this.issue(holder, BigInt(cmd.amount), cmd.tenor);
            }
            case 'freeze': {
                const eid = this.suppliers[cmd.who].attrs['xl.eid'];
                if (this.frozen.has(eid)) {
                    await h.submit(this.w.cast.regulator, 'enterprise:UnfreezeEnterprise', [eid, 'inquiry closed']);
                    this.frozen.delete(eid);
                } else {
                    await h.submit(this.w.cast.regulator, 'enterprise:FreezeEnterprise', [eid, 'inquiry']);
                    this.frozen.add(eid);
                }
                return;
            }
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
                const others = this.suppliers.filter((s) => s.attrs['xl.eid'] !== note.holderId && !this.frozen.has(s.attrs['xl.eid']));
                if (others.length === 0) return;
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
                        // Only the offer's parties may expire it, frozen or not: here its recipient.
                        await h.submit(to, 'note:ExpireOffer', [offer.id]);
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
                    quote = await h.submit<DiscountQuote>(bank, 'note:SubmitQuote', [request.id], { transient: { terms: { rateBps: cmd.rate, salt: testSalt() } } });
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
            case 'release': {
                // The regulator unfreezes the holder of an escrowed leaf; the issuer redeems its root again.
                const escrowed = [...this.notes.values()].filter((n) => n.status === 'ESCROWED');
                if (escrowed.length === 0) return;
                const leaf = escrowed[cmd.pick % escrowed.length];
                if (this.frozen.has(leaf.holderId)) {
                    await h.submit(this.w.cast.regulator, 'enterprise:UnfreezeEnterprise', [leaf.holderId, 'inquiry closed']);
                    this.frozen.delete(leaf.holderId);
                }
                return this.redeemAgain(this.roots.get(leaf.rootId) as ModelRoot);
            }
            case 'redeem': {
                // Roots still owed, and redeemed roots with leaves in escrow.
                const open = [...this.roots.values()].filter((r) => !r.redeemed || this.leavesOf(r.id, 'ESCROWED').length > 0);
                if (open.length === 0) return;
                const root = open[cmd.pick % open.length];
                if (root.redeemed) {
                    return this.redeemAgain(root);
                }
                if (h.now().getTime() < root.maturity.getTime()) {
                    h.setTime(root.maturity.toISOString());
                }
                const result = await h.submit<RedemptionResult>(this.w.cast.core, 'note:RedeemNote', [root.id]);
                const leaves = [...this.leavesOf(root.id, 'ACTIVE'), ...this.leavesOf(root.id, 'LOCKED')];
                const paid = leaves.filter((leaf) => !this.frozen.has(leaf.holderId));
                const escrowed = leaves.filter((leaf) => this.frozen.has(leaf.holderId));
                expect(result.escrowRelease).to.equal(false);
                expect(amountsByHolder(result.payees)).to.deep.equal(totalsByHolder(paid));
                expect(amountsByHolder(result.escrows)).to.deep.equal(totalsByHolder(escrowed));
                expect([...result.payees, ...result.escrows].reduce((sum, p) => sum + BigInt(p.amount), 0n)).to.equal(root.face);
                for (const leaf of leaves) {
                    leaf.status = this.frozen.has(leaf.holderId) ? 'ESCROWED' : 'REDEEMED';
                    delete leaf.lock;
                }
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
                // A frozen holder is stopped before its note is looked at.
                const frozen = this.frozen.has(note.holderId) ? ['ENTERPRISE_FROZEN'] : [];
                const before = await h.stateDigest();
                if (cmd.how === 'split') {
                    const half = note.amount / 2n;
                    await refusedWith(h.submit(holder, 'note:SplitNote', [note.id, { amounts: [half.toString(), (note.amount - half).toString()] }]), note.amount < 2n ? ['INVALID_ARGUMENT', 'INVALID_STATE', ...frozen] : ['INVALID_STATE', ...frozen]);
                } else if (cmd.how === 'offer') {
                    await refusedWith(h.submit(holder, 'note:OfferTransfer', [{ noteId: note.id, toId: other.attrs['xl.eid'], amount: '1', expiresAt: new Date(h.now().getTime() + 60_000).toISOString() }]), ['INVALID_STATE', ...frozen]);
                } else {
                    await refusedWith(h.submit(holder, 'note:RequestDiscount', [{ noteId: note.id, financierIds: [EID.bank] }]), ['INVALID_STATE', ...frozen]);
                }
                expect(await h.stateDigest()).to.equal(before);
                return;
            }
            case 'replay': {
                if (this.settledOffers.length === 0) return;
                const offer = this.settledOffers[cmd.pick % this.settledOffers.length];
                const before = await h.stateDigest();
                await refusedWith(h.submit(offer.to, 'note:AcceptOffer', [offer.id]), this.frozen.has(offer.to.attrs['xl.eid']) ? ['INVALID_STATE', 'ENTERPRISE_FROZEN'] : ['INVALID_STATE']);
                expect(await h.stateDigest()).to.equal(before);
                return;
            }
        }
    }

    /** Redeems a redeemed root again: pays out the escrowed leaves of active holders, or is refused when there are none. */
    async redeemAgain(root: ModelRoot): Promise<void> {
        const h = this.h;
        const escrowed = this.leavesOf(root.id, 'ESCROWED');
        const payable = escrowed.filter((leaf) => !this.frozen.has(leaf.holderId));
        if (payable.length === 0) {
            const before = await h.stateDigest();
            await refusedWith(h.submit(this.w.cast.core, 'note:RedeemNote', [root.id]), ['INVALID_STATE']);
            expect(await h.stateDigest()).to.equal(before);
            return;
        }
        const result = await h.submit<RedemptionResult>(this.w.cast.core, 'note:RedeemNote', [root.id]);
        expect(result.escrowRelease).to.equal(true);
        expect(amountsByHolder(result.payees)).to.deep.equal(totalsByHolder(payable));
        expect(amountsByHolder(result.escrows)).to.deep.equal(totalsByHolder(escrowed.filter((leaf) => this.frozen.has(leaf.holderId))));
        payable.forEach((leaf) => (leaf.status = 'REDEEMED'));
    }

    /** The model's leaves of a root in a status. */
    leavesOf(rootId: string, status: Note['status']): ModelNote[] {
        return [...this.notes.values()].filter((n) => n.rootId === rootId && n.status === status);
    }

    /** The ledger agrees with the model, and every root conserves its face value. */
    async check(): Promise<void> {
        for (const root of this.roots.values()) {
            const { proof } = await this.h.evaluate<Provenance>(this.w.cast.regulator, 'note:GetProvenance', [root.id]);
            expect(proof.balanced, `root ${root.id} balanced`).to.equal(true);
            expect(BigInt(proof.faceAmount)).to.equal(root.face);
            const outstanding = BigInt(proof.outstandingAmount);
            const redeemed = BigInt(proof.redeemedAmount);
            const escrowed = BigInt(proof.escrowedAmount);
            const sum = (notes: ModelNote[]) => notes.reduce((total, n) => total + n.amount, 0n);
            expect(outstanding + redeemed + escrowed).to.equal(root.face);
            expect(outstanding).to.equal(root.redeemed ? 0n : root.face);
            expect(outstanding).to.equal(sum([...this.leavesOf(root.id, 'ACTIVE'), ...this.leavesOf(root.id, 'LOCKED')]));
            expect(escrowed).to.equal(sum(this.leavesOf(root.id, 'ESCROWED')));
            expect(redeemed).to.equal(sum(this.leavesOf(root.id, 'REDEEMED')));
        }
        for (const [eid, who] of this.byEid) {
            const held = await this.h.evaluate<Note[]>(who, 'note:ListNotesOfHolder', [eid]);
            const expected = [...this.notes.values()].filter((n) => n.holderId === eid && (n.status === 'ACTIVE' || n.status === 'LOCKED' || n.status === 'ESCROWED'));
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
            fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 20 }), async (commands) => {
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
            { numRuns: 60 },
        );
    });

    it('escrows exactly what frozen holders hold at redemption, and pays it out once they are active again, over random holdings', async () => {
        const supplier = fc.integer({ min: 0, max: 2 });
        await fc.assert(
            fc.asyncProperty(
                fc.array(fc.record({ pick: fc.nat(), to: fc.nat(2), share: fc.nat() }), { maxLength: 6 }),
                fc.uniqueArray(supplier, { maxLength: 3 }),
                fc.uniqueArray(supplier, { maxLength: 3 }),
                async (transfers, frozen, unfrozenFirst) => {
                    const w = await newNoteWorld();
                    try {
                        const run = new Run(w);
                        await run.issue(w.cast.tier1, 100_000_000n, 30);
                        for (const t of transfers) {
                            await run.step({ kind: 'transfer', ...t, outcome: 'accept' });
                        }
                        for (const who of frozen) {
                            await run.step({ kind: 'freeze', who });
                        }
                        const [root] = [...run.roots.values()];
                        const frozenHoldings = [...run.notes.values()].filter((n) => n.rootId === root.id && n.status === 'ACTIVE' && run.frozen.has(n.holderId));
                        await run.step({ kind: 'redeem', pick: 0 });
                        await run.check();
                        expect(run.leavesOf(root.id, 'ESCROWED').map((n) => n.id).sort()).to.deep.equal(frozenHoldings.map((n) => n.id).sort());
                        // Some holders are unfrozen and the issuer redeems again (refused when nothing escrowed is payable).
                        for (const who of unfrozenFirst.filter((i) => frozen.includes(i))) {
                            await run.step({ kind: 'freeze', who });
                        }
                        await run.step({ kind: 'redeem', pick: 0 });
                        await run.check();
                        // Then every one: nothing stays in escrow.
                        for (const eid of [...run.frozen]) {
                            await run.step({ kind: 'freeze', who: run.suppliers.findIndex((s) => s.attrs['xl.eid'] === eid) });
                        }
                        await run.step({ kind: 'redeem', pick: 0 });
                        await run.check();
                        expect(run.leavesOf(root.id, 'ESCROWED')).to.deep.equal([]);
                    } finally {
                        await w.h.close();
                    }
                },
            ),
            { numRuns: 30 },
        );
    });
});
