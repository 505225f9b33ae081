import { expect } from 'chai';
import { EID, uscc } from '../testing/fixtures';
import { expectRefused } from '../testing/harness';
import { newUser } from '../testing/identities';
import { graceDeadline } from './grace';
import type { Note } from './note';
import { Exposure, Provenance, conservationProof } from './provenance';
import { NoteWorld, grantLine, issue, newNoteWorld, offer, quote, requestDiscount, transfer } from './testing';
import type { NoteOffer } from './transfer';

describe('NoteContract provenance, exposure and reads', () => {
    let w: NoteWorld;
    let root: Note;

    beforeEach(async () => {
        w = await newNoteWorld();
        root = await issue(w);
    });
    afterEach(() => w.h.close());

    /** root (tier1) → split A 50M / B 50M; A → tier2 (30M, change 20M); B → tier3 whole. */
    async function tree(): Promise<{ a: Note; b: Note; tier2Note: Note; aChange: Note; tier3Note: Note }> {
        const split = await w.h.submit<{ children: Note[] }>(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['50000000', '50000000'] }]);
        const [a, b] = split.children;
        const toTier2 = await transfer(w.h, w.cast.tier1, w.cast.tier2, a.id, '30000000');
        const toTier3 = await transfer(w.h, w.cast.tier1, w.cast.tier3, b.id, '50000000');
        return { a, b, tier2Note: toTier2.received, aChange: toTier2.change as Note, tier3Note: toTier3.received };
    }

    describe('GetProvenance', () => {
        it('walks from a fragment to the root and proves the leaves add up to the face value', async () => {
            const { a, tier2Note } = await tree();
            const further = await transfer(w.h, w.cast.tier2, w.cast.tier3, tier2Note.id, '10000000');
            const provenance = await w.h.evaluate<Provenance>(w.cast.tier3, 'note:GetProvenance', [further.received.id]);
            expect(provenance.noteId).to.equal(further.received.id);
            expect(provenance.rootId).to.equal(root.id);
            expect(provenance.chain).to.deep.equal([
                { id: further.received.id, parentId: tier2Note.id, holderId: EID.tier3, amount: '10000000', tier: 3, status: 'ACTIVE', origin: 'TRANSFER' },
                { id: tier2Note.id, parentId: a.id, holderId: EID.tier2, amount: '30000000', tier: 2, status: 'SPENT', origin: 'TRANSFER' },
                { id: a.id, parentId: root.id, holderId: EID.tier1, amount: '50000000', tier: 1, status: 'SPENT', origin: 'SPLIT' },
                { id: root.id, holderId: EID.tier1, amount: '100000000', tier: 1, status: 'SPENT', origin: 'ISSUE' },
            ]);
            expect(provenance.proof).to.deep.equal({
                rootId: root.id,
                issuerId: EID.core,
                currency: 'CNY',
                maturityDate: root.maturityDate,
                faceAmount: '100000000',
                outstandingAmount: '100000000',
                redeemedAmount: '0',
                escrowedAmount: '0',
                outstandingLeaves: 4, // tier1 change 20M, tier3 50M, tier3 10M, tier2 change 20M
                redeemedLeaves: 0,
                escrowedLeaves: 0,
                spentNotes: 4,
                childrenBalanced: true,
                balanced: true,
            });
        });

        it('shows the chain to every holder along it, the issuer and the regulator', async () => {
            const { tier2Note } = await tree();
            for (const who of [w.cast.tier2, w.cast.tier1, w.cast.core, w.cast.regulator]) {
                expect((await w.h.evaluate<Provenance>(who, 'note:GetProvenance', [tier2Note.id])).chain).to.have.length(3);
            }
        });

        it('refuses parties outside the chain: a sibling branch, another core enterprise, an uninvolved financier', async () => {
            const { tier2Note } = await tree();
            for (const who of [w.cast.tier3, w.cast.core2, w.cast.bank, w.cast.admin, w.cast.wrongOrgSupplier]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:GetProvenance', [tier2Note.id]));
            }
            const impostor = await newUser('BankMSP', 'impostor', 'financier', EID.tier2);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(impostor, 'note:GetProvenance', [tier2Note.id]));
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.evaluate(w.cast.anonymous, 'note:GetProvenance', [tier2Note.id]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.evaluate(w.cast.regulator, 'note:GetProvenance', ['N-000000000000000000000000']));
        });

        it('gives a holder below tier 1 the grace its root was issued with and the deadline MarkOverdue goes by, whatever the platform grace is now', async () => {
            const { tier2Note } = await tree();
            // The platform lengthens the grace after the root was issued with 3 days; a later root gets 10.
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 10 }]);
            const later = await issue(w, { holder: w.cast.tier2 });
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier2, 'note:ReadNote', [root.id]));
            const provenance = await w.h.evaluate<Provenance>(w.cast.tier2, 'note:GetProvenance', [tier2Note.id]);
            expect(provenance).to.include({ rootId: root.id, graceDays: 3, graceDeadline: '2026-04-19T00:00:00.000Z' });
            expect(await w.h.evaluate<Provenance>(w.cast.tier2, 'note:GetProvenance', [later.id])).to.include({ graceDays: 10, graceDeadline: '2026-04-26T00:00:00.000Z' });
            // The ledger goes by the same instant: refused just before it, accepted from it, from the holder that learnt it.
            w.h.setTime('2026-04-18T23:59:59Z');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:MarkOverdue', [root.id]));
            w.h.setTime(provenance.graceDeadline);
            expect(await w.h.submit(w.cast.tier2, 'note:MarkOverdue', [root.id])).to.include({ id: root.id, overdue: true });
        });

        it('lets a financier holding part of the root walk any branch of it', async () => {
            const { tier2Note, tier3Note } = await tree();
            const request = await requestDiscount(w.h, w.cast.tier3, tier3Note.id, [EID.bank]);
            const q = await quote(w.h, w.cast.bank, request.id, 400);
            await w.h.submit(w.cast.tier3, 'note:AcceptQuote', [q.id]);
            const provenance = await w.h.evaluate<Provenance>(w.cast.bank, 'note:GetProvenance', [tier2Note.id]);
            expect(provenance.proof.balanced).to.equal(true);
            expect(await w.h.evaluate<Note>(w.cast.bank, 'note:ReadNote', [tier2Note.id])).to.include({ id: tier2Note.id });
        });
    });

    describe('reads by the recipient of a pending offer', () => {
        /** root (tier1) → A 50M / B 50M (tier1); A → tier2 whole; tier2 offers 10M of its note to tier3. */
        async function offered(): Promise<{ a: Note; b: Note; held: Note; pending: NoteOffer }> {
            const split = await w.h.submit<{ children: Note[] }>(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['50000000', '50000000'] }]);
            const [a, b] = split.children;
            const held = (await transfer(w.h, w.cast.tier1, w.cast.tier2, a.id, '50000000')).received;
            const pending = await offer(w.h, w.cast.tier2, held.id, EID.tier3, '10000000');
            return { a, b, held, pending };
        }

        it('lets the recipient read the offered note, its provenance and every note above it up to the root', async () => {
            const { a, held, pending } = await offered();
            expect(pending).to.include({ noteId: held.id, toId: EID.tier3, status: 'PENDING' });
            expect(await w.h.evaluate<Note>(w.cast.tier3, 'note:ReadNote', [held.id])).to.include({ id: held.id, status: 'LOCKED', holderId: EID.tier2, issuerId: EID.core, maturityDate: root.maturityDate });
            const provenance = await w.h.evaluate<Provenance>(w.cast.tier3, 'note:GetProvenance', [held.id]);
            expect(provenance.chain.map((hop) => hop.id)).to.deep.equal([held.id, a.id, root.id]);
            expect(provenance.proof).to.include({ issuerId: EID.core, balanced: true });
            for (const above of [a.id, root.id]) {
                expect(await w.h.evaluate<Note>(w.cast.tier3, 'note:ReadNote', [above])).to.include({ id: above });
                expect((await w.h.evaluate<Provenance>(w.cast.tier3, 'note:GetProvenance', [above])).rootId).to.equal(root.id);
            }
        });

        it('refuses the recipient the notes beside the offered one, and everyone the offer does not address', async () => {
            const { b, held } = await offered();
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:ReadNote', [b.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:GetProvenance', [b.id]));
            for (const who of [w.cast.bank, w.cast.bank2, w.cast.core2]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:ReadNote', [held.id]));
            }
            // A financier certificate naming the recipient's id does not pass for the recipient.
            const impostor = await newUser('BankMSP', 'impostor', 'financier', EID.tier3);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(impostor, 'note:ReadNote', [held.id]));
        });

        it('ends the recipient\'s access when the offer is declined, cancelled or past its expiry', async () => {
            const { held, pending } = await offered();
            await w.h.submit(w.cast.tier3, 'note:DeclineOffer', [pending.id]);
            for (const id of [held.id, root.id]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:ReadNote', [id]));
            }
            const again = await offer(w.h, w.cast.tier2, held.id, EID.tier3, '10000000');
            expect((await w.h.evaluate<Note>(w.cast.tier3, 'note:ReadNote', [root.id])).id).to.equal(root.id);
            await w.h.submit(w.cast.tier2, 'note:CancelOffer', [again.id]);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:GetProvenance', [held.id]));
            const lapsing = await offer(w.h, w.cast.tier2, held.id, EID.tier3, '10000000');
            w.h.setTime(lapsing.expiresAt);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:ReadNote', [held.id]));
        });

        it('lets a financier invited to discount a fragment read every note above it, and no sibling', async () => {
            const { a, b } = await offered();
            const child = await w.h.submit<{ children: Note[] }>(w.cast.tier1, 'note:SplitNote', [b.id, { amounts: ['20000000', '30000000'] }]);
            await requestDiscount(w.h, w.cast.tier1, child.children[0].id, [EID.bank]);
            for (const id of [child.children[0].id, b.id, root.id]) {
                expect((await w.h.evaluate<Note>(w.cast.bank, 'note:ReadNote', [id])).id).to.equal(id);
            }
            for (const id of [a.id, child.children[1].id]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank, 'note:ReadNote', [id]));
            }
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank2, 'note:ReadNote', [root.id]));
        });
    });

    describe('ReadNote / ListNotesOfHolder', () => {
        it('reads a note for its parties and refuses everyone else', async () => {
            const { tier2Note } = await tree();
            expect(await w.h.evaluate<Note>(w.cast.tier2, 'note:ReadNote', [tier2Note.id])).to.deep.equal(tier2Note);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:ReadNote', [tier2Note.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.core2, 'note:ReadNote', [tier2Note.id]));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.evaluate(w.cast.tier2, 'note:ReadNote', ['no spaces allowed']));
        });

        it('lists a holder\'s unspent notes to the holder and the regulator only', async () => {
            const { aChange } = await tree();
            expect((await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).map((n) => n.id)).to.deep.equal([aChange.id]);
            expect((await w.h.evaluate<Note[]>(w.cast.regulator, 'note:ListNotesOfHolder', [EID.tier1])).map((n) => n.id)).to.deep.equal([aChange.id]);
            for (const who of [w.cast.tier2, w.cast.core, w.cast.bank]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:ListNotesOfHolder', [EID.tier1]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.evaluate(w.cast.anonymous, 'note:ListNotesOfHolder', [EID.tier1]));
        });
    });

    describe('GetExposure', () => {
        it('maps every unredeemed root to its holders by tier, with totals per currency', async () => {
            const early = await issue(w, { maturityDate: '2026-02-01', amount: '7000' });
            w.h.setTime('2026-02-01T00:00:00Z');
            await w.h.submit(w.cast.core, 'note:RedeemNote', [early.id]);

            const { tier2Note } = await tree();
            const deeper = await transfer(w.h, w.cast.tier2, w.cast.tier3, tier2Note.id, '10000000');
            // A leaf under discount is still outstanding.
            await requestDiscount(w.h, w.cast.tier2, (deeper.change as Note).id, [EID.bank]);
            const usdLine = await grantLine(w.h, w.cast.bank, EID.core, '1000000', 'USD');
            const usd = await issue(w, { currency: 'USD', amount: '500000', lineId: usdLine, holder: w.cast.tier2 });

            const exposure = await w.h.evaluate<Exposure>(w.cast.core, 'note:GetExposure', [EID.core]);
            const byRoot = Object.fromEntries(exposure.roots.map((r) => [r.rootId, r]));
            expect(Object.keys(byRoot).sort()).to.deep.equal([root.id, usd.id].sort());
            expect(byRoot[root.id].outstandingAmount).to.equal('100000000');
            expect(byRoot[root.id].positions.map((p) => [p.holderId, p.tier, p.amount, p.noteIds.length])).to.deep.equal([
                [EID.tier1, 1, '20000000', 1],
                [EID.tier2, 2, '20000000', 1],
                [EID.tier3, 2, '50000000', 1],
                [EID.tier3, 3, '10000000', 1],
            ]);
            expect(byRoot[usd.id]).to.deep.include({ currency: 'USD', faceAmount: '500000', outstandingAmount: '500000', overdue: false });
            expect(exposure.totals).to.deep.equal([
                { currency: 'CNY', outstandingAmount: '100000000', roots: 1 },
                { currency: 'USD', outstandingAmount: '500000', roots: 1 },
            ]);
        });

        it('gives each root its own grace and deadline, also to a line grantor that may not read the roots', async () => {
            await w.h.submit(w.cast.admin, 'note:SetNoteParameters', [{ maxTenorMonths: 6, graceDays: 0 }]);
            const later = await issue(w);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank, 'note:ReadNote', [root.id]));
            const exposure = await w.h.evaluate<Exposure>(w.cast.bank, 'note:GetExposure', [EID.core]);
            const byRoot = Object.fromEntries(exposure.roots.map((r) => [r.rootId, r]));
            expect(byRoot[root.id]).to.include({ graceDays: 3, graceDeadline: '2026-04-19T00:00:00.000Z' });
            expect(byRoot[later.id]).to.include({ graceDays: 0, graceDeadline: '2026-04-16T00:00:00.000Z' });
        });

        it('groups several notes of one holder at one tier', async () => {
            await w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['1', '2', '99999997'] }]);
            const exposure = await w.h.evaluate<Exposure>(w.cast.regulator, 'note:GetExposure', [EID.core]);
            expect(exposure.roots[0].positions).to.have.length(1);
            expect(exposure.roots[0].positions[0]).to.include({ holderId: EID.tier1, tier: 1, amount: '100000000' });
            expect(exposure.roots[0].positions[0].noteIds).to.have.length(3);
        });

        it('shows the exposure to the core enterprise, the regulator and a financier that granted it a line, and no one else', async () => {
            for (const who of [w.cast.core, w.cast.regulator, w.cast.bank]) {
                expect((await w.h.evaluate<Exposure>(who, 'note:GetExposure', [EID.core])).coreEnterpriseId).to.equal(EID.core);
            }
            for (const who of [w.cast.core2, w.cast.bank2, w.cast.tier1, w.cast.admin]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:GetExposure', [EID.core]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.evaluate(w.cast.anonymous, 'note:GetExposure', [EID.core]));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.evaluate(w.cast.regulator, 'note:GetExposure', ['bad id!']));
        });

        it('shows a financier only the roots drawn on its own lines, with the totals of those, also once its line is revoked or expired', async () => {
            const usdLine = await grantLine(w.h, w.cast.bank, EID.core, '1000000', 'USD');
            const usd = await issue(w, { currency: 'USD', amount: '500000', lineId: usdLine, holder: w.cast.tier2 });
            const { tier2Note } = await tree();
            // A line of one fen, granted without asking the core enterprise, opens no one else's exposure.
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank2, 'note:GetExposure', [EID.core]));
            const tiny = await grantLine(w.h, w.cast.bank2, EID.core, '1');
            expect(await w.h.evaluate<Exposure>(w.cast.bank2, 'note:GetExposure', [EID.core])).to.deep.equal({ coreEnterpriseId: EID.core, roots: [], totals: [] });
            await w.h.submit(w.cast.bank2, 'credit-line:RevokeCreditLine', [tiny, 'no longer needed']);
            expect((await w.h.evaluate<Exposure>(w.cast.bank2, 'note:GetExposure', [EID.core])).roots).to.deep.equal([]);

            // bank2's own line, expiring before the note it carries matures.
            const own = await grantLine(w.h, w.cast.bank2, EID.core, '10000000', 'CNY', '2026-03-01T00:00:00Z');
            const drawn = await issue(w, { amount: '6000000', lineId: own, holder: w.cast.tier3 });
            const expected = (exposure: Exposure): Array<[string, string]> => exposure.roots.map((r) => [r.rootId, r.outstandingAmount]);

            const whole = await w.h.evaluate<Exposure>(w.cast.core, 'note:GetExposure', [EID.core]);
            expect(expected(whole)).to.have.deep.members([[root.id, '100000000'], [usd.id, '500000'], [drawn.id, '6000000']]);
            expect(whole.totals).to.deep.equal([
                { currency: 'CNY', outstandingAmount: '106000000', roots: 2 },
                { currency: 'USD', outstandingAmount: '500000', roots: 1 },
            ]);
            expect(await w.h.evaluate<Exposure>(w.cast.regulator, 'note:GetExposure', [EID.core])).to.deep.equal(whole);

            const ofBank = await w.h.evaluate<Exposure>(w.cast.bank, 'note:GetExposure', [EID.core]);
            expect(expected(ofBank)).to.have.deep.members([[root.id, '100000000'], [usd.id, '500000']]);
            expect(ofBank.totals).to.deep.equal([
                { currency: 'CNY', outstandingAmount: '100000000', roots: 1 },
                { currency: 'USD', outstandingAmount: '500000', roots: 1 },
            ]);
            // Every holder of a root on its line, the deeper tiers included.
            expect(ofBank.roots.find((r) => r.rootId === root.id)?.positions.flatMap((p) => p.noteIds)).to.include(tier2Note.id);

            const ofBank2 = await w.h.evaluate<Exposure>(w.cast.bank2, 'note:GetExposure', [EID.core]);
            expect(ofBank2.roots.map((r) => r.rootId)).to.deep.equal([drawn.id]);
            expect(ofBank2.roots[0].positions).to.deep.equal([{ holderId: EID.tier3, tier: 1, amount: '6000000', noteIds: [drawn.id] }]);
            expect(ofBank2.totals).to.deep.equal([{ currency: 'CNY', outstandingAmount: '6000000', roots: 1 }]);
            for (const other of [root.id, usd.id, tier2Note.id, EID.tier1, EID.tier2]) {
                expect(JSON.stringify(ofBank2)).not.to.include(other);
            }

            // Notes outstanding on an expired, then revoked, line stay the financier's exposure.
            w.h.setTime('2026-03-02T00:00:00Z');
            expect(await w.h.evaluate<Exposure>(w.cast.bank2, 'note:GetExposure', [EID.core])).to.deep.equal(ofBank2);
            await w.h.submit(w.cast.bank2, 'credit-line:RevokeCreditLine', [own, 'exposure review']);
            expect(await w.h.evaluate<Exposure>(w.cast.bank2, 'note:GetExposure', [EID.core])).to.deep.equal(ofBank2);
            // Once redeemed, the root leaves it.
            w.h.setTime('2026-04-15T00:00:00Z');
            await w.h.submit(w.cast.core, 'note:RedeemNote', [drawn.id]);
            expect(await w.h.evaluate<Exposure>(w.cast.bank2, 'note:GetExposure', [EID.core])).to.deep.equal({ coreEnterpriseId: EID.core, roots: [], totals: [] });
        });

        it('answers NOT_FOUND for an unknown enterprise and INVALID_ARGUMENT for one that is not a core enterprise, to every reader', async () => {
            for (const who of [w.cast.regulator, w.cast.core, w.cast.bank]) {
                await expectRefused(w.h, 'NOT_FOUND', () => w.h.evaluate(who, 'note:GetExposure', [uscc('91110000MA9990012')]));
                for (const eid of [EID.tier1, EID.bank, EID.regulator, EID.partner]) {
                    await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.evaluate(who, 'note:GetExposure', [eid]));
                }
            }
        });
    });
});

describe('graceDeadline', () => {
    it('is 00:00 UTC of the day after the maturity date plus the root\'s grace days, and the day after maturity for a root recorded without them', () => {
        expect(graceDeadline({ maturityDate: '2026-04-15', graceDays: 3 }).toISOString()).to.equal('2026-04-19T00:00:00.000Z');
        expect(graceDeadline({ maturityDate: '2026-12-30', graceDays: 90 }).toISOString()).to.equal('2027-03-31T00:00:00.000Z');
        expect(graceDeadline({ maturityDate: '2026-04-15' }).toISOString()).to.equal('2026-04-16T00:00:00.000Z');
    });
});

describe('conservationProof', () => {
    const base = { docType: 'note' as const, issuerId: 'CORE', currency: 'CNY', maturityDate: '2026-04-15', createdAt: '', txId: '', updatedAt: '' };
    const rootNote = (children: string[]): Note => ({ ...base, id: 'R', rootId: 'R', holderId: 'A', amount: '100', faceAmount: '100', tier: 1, status: 'SPENT', origin: 'ISSUE', children });
    const leaf = (id: string, amount: string, status: Note['status'] = 'ACTIVE', parentId = 'R'): Note => ({ ...base, id, rootId: 'R', parentId, holderId: 'B', amount, tier: 2, status, origin: 'TRANSFER' });

    it('balances when the children sum to the parent and the leaves to the face', () => {
        const proof = conservationProof(rootNote(['X', 'Y']), [rootNote(['X', 'Y']), leaf('X', '60'), leaf('Y', '40', 'REDEEMED')]);
        expect(proof).to.include({ outstandingAmount: '60', redeemedAmount: '40', childrenBalanced: true, balanced: true, spentNotes: 1 });
    });

    it('counts escrowed leaves (paid into escrow for a frozen holder) towards the face value', () => {
        const proof = conservationProof(rootNote(['X', 'Y', 'Z']), [rootNote(['X', 'Y', 'Z']), leaf('X', '50', 'REDEEMED'), leaf('Y', '30', 'ESCROWED'), leaf('Z', '20', 'ESCROWED')]);
        expect(proof).to.include({ redeemedAmount: '50', escrowedAmount: '50', escrowedLeaves: 2, outstandingAmount: '0', spentNotes: 1, childrenBalanced: true, balanced: true });
    });

    it('detects children that do not sum to their parent, a missing child and an orphan', () => {
        expect(conservationProof(rootNote(['X', 'Y']), [rootNote(['X', 'Y']), leaf('X', '60'), leaf('Y', '41')]).balanced).to.equal(false);
        expect(conservationProof(rootNote(['X', 'Y']), [rootNote(['X', 'Y']), leaf('X', '100')]).childrenBalanced).to.equal(false);
        expect(conservationProof(rootNote(['X']), [rootNote(['X']), leaf('X', '100'), leaf('Z', '5', 'ACTIVE', 'GONE')]).childrenBalanced).to.equal(false);
        expect(conservationProof(rootNote([]), [rootNote([])]).balanced).to.equal(false);
    });
});
