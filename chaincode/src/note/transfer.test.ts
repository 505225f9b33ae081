import { expect } from 'chai';
import { EID } from '../testing/fixtures';
import { expectRefused } from '../testing/harness';
import type { Note } from './note';
import { MATURITY, NoteWorld, inAWeek, issue, newNoteWorld, offer, readNote, transfer } from './testing';
import type { NoteOffer } from './transfer';

describe('NoteContract split and transfer', () => {
    let w: NoteWorld;
    let root: Note;

    beforeEach(async () => {
        w = await newNoteWorld();
        root = await issue(w);
    });
    afterEach(() => w.h.close());

    describe('SplitNote', () => {
        it('spends the note into children of the given amounts for the same holder and tier', async () => {
            const result = await w.h.submit<{ parent: Note; children: Note[] }>(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['30000000', '70000000'] }]);
            expect(result.children.map((c) => [c.amount, c.holderId, c.tier, c.status, c.parentId, c.rootId, c.origin])).to.deep.equal([
                ['30000000', EID.tier1, 1, 'ACTIVE', root.id, root.id, 'SPLIT'],
                ['70000000', EID.tier1, 1, 'ACTIVE', root.id, root.id, 'SPLIT'],
            ]);
            const parent = await readNote(w.h, w.cast, root.id);
            expect(parent).to.include({ status: 'SPENT', spentBy: 'SPLIT', amount: '100000000', holderId: EID.tier1 });
            expect(parent.children).to.deep.equal(result.children.map((c) => c.id));
            expect(result.parent).to.deep.equal(parent);
            const held = await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1]);
            expect(held.map((n) => n.id).sort()).to.deep.equal(result.children.map((c) => c.id).sort());
            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('SplitNote');
            expect(event?.payload).to.deep.include({ spentNoteIds: [root.id], createdNoteIds: result.children.map((c) => c.id), rootId: root.id });
        });

        it('splits into up to 50 children and no more, and into at least 2', async () => {
            const fifty = Array.from({ length: 50 }, () => '2000000');
            const result = await w.h.submit<{ children: Note[] }>(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: fifty }]);
            expect(result.children).to.have.length(50);
            expect(new Set(result.children.map((c) => c.id)).size).to.equal(50);
            const other = await issue(w);
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [other.id, { amounts: [...Array.from({ length: 50 }, () => '1960784'), '1960800'] }]));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [other.id, { amounts: ['100000000'] }]));
        });

        it('refuses amounts that do not sum exactly to the note, and malformed amounts', async () => {
            const attempts: unknown[] = [
                { amounts: ['30000000', '69999999'] },
                { amounts: ['30000000', '70000001'] },
                { amounts: ['0', '100000000'] },
                { amounts: ['-1', '100000001'] },
                { amounts: ['50000000.00', '50000000'] },
                { amounts: [50000000, 50000000] },
                { amounts: '30000000,70000000' },
                { amounts: ['50000000', '50000000'], extra: 1 },
                {},
            ];
            for (const request of attempts) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, request as object]));
            }
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, 'nope']));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:SplitNote', ['bad id!', { amounts: ['1', '99999999'] }]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.tier1, 'note:SplitNote', ['N-000000000000000000000000', { amounts: ['1', '99999999'] }]));
        });

        it('refuses a supplier that does not hold the note, other roles, other orgs and identities without attributes', async () => {
            const request = { amounts: ['50000000', '50000000'] };
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.tier2, 'note:SplitNote', [root.id, request]));
            for (const who of [w.cast.core, w.cast.bank, w.cast.regulator, w.cast.wrongOrgSupplier, w.cast.unregistered]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:SplitNote', [root.id, request]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:SplitNote', [root.id, request]));
        });

        it('refuses a frozen holder', async () => {
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['50000000', '50000000'] }]));
        });

        it('rejects a split of a spent note, of a locked note and of a note at maturity', async () => {
            await w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['50000000', '50000000'] }]);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['50000000', '50000000'] }]));
            const second = await issue(w);
            await offer(w.h, w.cast.tier1, second.id, EID.tier2, '10');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [second.id, { amounts: ['50000000', '50000000'] }]));
            const third = await issue(w);
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [third.id, { amounts: ['50000000', '50000000'] }]));
        });
    });

    describe('OfferTransfer', () => {
        it('locks the note and records a pending offer visible to both parties', async () => {
            const expiresAt = inAWeek(w.h);
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '30000000', expiresAt);
            expect(pending).to.include({ docType: 'noteOffer', noteId: root.id, rootId: root.id, fromId: EID.tier1, toId: EID.tier2, amount: '30000000', currency: 'CNY', status: 'PENDING', expiresAt: new Date(expiresAt).toISOString() });
            // The recipient learns who owes the amount and when from the note, which it may read while the offer is pending.
            expect(await w.h.evaluate(w.cast.tier2, 'note:ReadNote', [root.id])).to.include({ issuerId: EID.core, maturityDate: MATURITY });
            expect(pending.id).to.match(/^OF-[0-9a-f]{24}$/);
            expect(await readNote(w.h, w.cast, root.id)).to.deep.include({ status: 'LOCKED', lock: { kind: 'OFFER', id: pending.id } });
            expect(w.h.events().at(-1)?.name).to.equal('OfferTransfer');
            expect(w.h.events().at(-1)?.payload).to.include({ offerId: pending.id, noteId: root.id, fromId: EID.tier1, toId: EID.tier2, amount: '30000000', currency: 'CNY' });
            expect(await w.h.evaluate<NoteOffer>(w.cast.tier2, 'note:ReadOffer', [pending.id])).to.deep.equal(pending);
            expect(await w.h.evaluate<NoteOffer>(w.cast.regulator, 'note:ReadOffer', [pending.id])).to.deep.equal(pending);
            expect(await w.h.evaluate(w.cast.tier1, 'note:ListOffers', [EID.tier1, 'outgoing'])).to.deep.equal([pending]);
            expect(await w.h.evaluate(w.cast.tier2, 'note:ListOffers', [EID.tier2, 'incoming'])).to.deep.equal([pending]);
            expect(await w.h.evaluate(w.cast.tier2, 'note:ListOffers', [EID.tier2, 'outgoing'])).to.deep.equal([]);
            // A locked note is still held: it stays in the holder's list.
            expect((await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).map((n) => n.id)).to.deep.equal([root.id]);
        });

        it('refuses an offer to the holder itself, to a non-supplier or unknown enterprise, and bad amounts or expiries', async () => {
            const valid = { noteId: root.id, toId: EID.tier2, amount: '30000000', expiresAt: inAWeek(w.h) };
            const attempts: unknown[] = [
                { ...valid, toId: EID.tier1 },
                { ...valid, toId: EID.core },
                { ...valid, toId: EID.bank },
                { ...valid, amount: '100000001' },
                { ...valid, amount: '0' },
                { ...valid, amount: '1e6' },
                { ...valid, expiresAt: '2026-01-01T00:00:00Z' },
                { ...valid, expiresAt: '2026-04-15T00:00:01Z' },
                { ...valid, expiresAt: 'next week' },
                { ...valid, extra: 1 },
                { ...valid, noteId: undefined },
            ];
            for (const request of attempts) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:OfferTransfer', [request as object]));
            }
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.tier1, 'note:OfferTransfer', [{ ...valid, toId: '91110000MA9990099X' }]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.tier1, 'note:OfferTransfer', [{ ...valid, noteId: 'N-000000000000000000000000' }]));
        });

        it('accepts an expiry at the maturity instant exactly', async () => {
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '1', `${MATURITY}T00:00:00Z`);
            expect(pending.status).to.equal('PENDING');
        });

        it('refuses a frozen recipient and a frozen holder', async () => {
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier2, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => offer(w.h, w.cast.tier1, root.id, EID.tier2, '1'));
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => offer(w.h, w.cast.tier1, root.id, EID.tier3, '1'));
        });

        it('refuses anyone but the holding supplier', async () => {
            await expectRefused(w.h, 'FORBIDDEN', () => offer(w.h, w.cast.tier2, root.id, EID.tier3, '1'));
            for (const who of [w.cast.core, w.cast.bank, w.cast.regulator, w.cast.wrongOrgSupplier, w.cast.unregistered]) {
                await expectRefused(w.h, 'FORBIDDEN', () => offer(w.h, who, root.id, EID.tier3, '1'));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => offer(w.h, w.cast.anonymous, root.id, EID.tier3, '1'));
        });

        it('rejects offering a locked note, a spent note and a note at maturity', async () => {
            await offer(w.h, w.cast.tier1, root.id, EID.tier2, '1');
            await expectRefused(w.h, 'INVALID_STATE', () => offer(w.h, w.cast.tier1, root.id, EID.tier3, '1'));
            const second = await issue(w);
            await w.h.submit(w.cast.tier1, 'note:SplitNote', [second.id, { amounts: ['1', '99999999'] }]);
            await expectRefused(w.h, 'INVALID_STATE', () => offer(w.h, w.cast.tier1, second.id, EID.tier3, '1'));
            const third = await issue(w);
            w.h.setTime('2026-04-15T00:00:00Z');
            await expectRefused(w.h, 'INVALID_STATE', () => offer(w.h, w.cast.tier1, third.id, EID.tier3, '1', '2026-04-15T00:00:00Z'));
        });
    });

    describe('AcceptOffer', () => {
        it('gives the recipient a child one tier down and the sender its change at its tier', async () => {
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '30000000');
            const result = await w.h.submit<{ offer: NoteOffer; spent: Note; received: Note; change: Note }>(w.cast.tier2, 'note:AcceptOffer', [pending.id]);
            expect(result.received).to.include({ holderId: EID.tier2, amount: '30000000', tier: 2, parentId: root.id, rootId: root.id, status: 'ACTIVE', origin: 'TRANSFER', issuerId: EID.core });
            expect(result.change).to.include({ holderId: EID.tier1, amount: '70000000', tier: 1, parentId: root.id, status: 'ACTIVE', origin: 'CHANGE' });
            expect(result.offer).to.include({ status: 'ACCEPTED', receivedNoteId: result.received.id, changeNoteId: result.change.id });
            const parent = await readNote(w.h, w.cast, root.id);
            expect(parent).to.include({ status: 'SPENT', spentBy: 'TRANSFER', holderId: EID.tier1, amount: '100000000' });
            expect(parent.lock).to.equal(undefined);
            expect(parent.children).to.deep.equal([result.received.id, result.change.id]);
            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('AcceptOffer');
            expect(event?.payload).to.deep.include({ offerId: pending.id, spentNoteIds: [root.id], createdNoteIds: [result.received.id, result.change.id] });
            expect((await w.h.evaluate<Note[]>(w.cast.tier2, 'note:ListNotesOfHolder', [EID.tier2])).map((n) => n.id)).to.deep.equal([result.received.id]);
            expect((await w.h.evaluate<Note[]>(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).map((n) => n.id)).to.deep.equal([result.change.id]);
        });

        it('creates no change when the whole note is transferred, and lets value flow on down the chain', async () => {
            const first = await transfer(w.h, w.cast.tier1, w.cast.tier2, root.id, '100000000');
            expect(first.change).to.equal(undefined);
            expect((await readNote(w.h, w.cast, root.id)).children).to.deep.equal([first.received.id]);
            const second = await transfer(w.h, w.cast.tier2, w.cast.tier3, first.received.id, '40000000');
            expect(second.received).to.include({ holderId: EID.tier3, tier: 3, amount: '40000000', rootId: root.id });
            expect(second.change).to.include({ holderId: EID.tier2, tier: 2, amount: '60000000' });
        });

        it('refuses anyone but the recipient', async () => {
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '30000000');
            for (const who of [w.cast.tier1, w.cast.tier3]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:AcceptOffer', [pending.id]));
            }
            for (const who of [w.cast.core, w.cast.bank, w.cast.wrongOrgSupplier]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:AcceptOffer', [pending.id]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:AcceptOffer', [pending.id]));
        });

        it('rejects accepting twice, after a decline, and after the expiry', async () => {
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '30000000');
            await w.h.submit(w.cast.tier2, 'note:AcceptOffer', [pending.id]);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', [pending.id]));

            const other = await issue(w);
            const declined = await offer(w.h, w.cast.tier1, other.id, EID.tier2, '1');
            await w.h.submit(w.cast.tier2, 'note:DeclineOffer', [declined.id]);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', [declined.id]));

            const late = await offer(w.h, w.cast.tier1, other.id, EID.tier2, '1', '2026-01-10T00:00:00Z');
            w.h.setTime('2026-01-10T00:00:00Z');
            await expectRefused(w.h, 'EXPIRED', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', [late.id]));
        });

        it('refuses when the sender or the recipient has been frozen meanwhile', async () => {
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '30000000');
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', [pending.id]));
            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.tier1, 'closed']);
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier2, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', [pending.id]));
        });

        it('refuses unknown and malformed offer ids', async () => {
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', ['OF-000000000000000000000000']));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier2, 'note:AcceptOffer', ['../etc']));
        });
    });

    describe('DeclineOffer / CancelOffer / ExpireOffer', () => {
        let pending: NoteOffer;

        beforeEach(async () => {
            pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '30000000', '2026-01-10T00:00:00Z');
        });

        it('returns the note to the sender when the recipient declines', async () => {
            const declined = await w.h.submit<NoteOffer>(w.cast.tier2, 'note:DeclineOffer', [pending.id]);
            expect(declined).to.include({ status: 'DECLINED' });
            const note = await readNote(w.h, w.cast, root.id);
            expect(note).to.include({ status: 'ACTIVE', holderId: EID.tier1, amount: '100000000' });
            expect(note.lock).to.equal(undefined);
            expect(w.h.events().at(-1)).to.deep.include({ name: 'DeclineOffer' });
            expect(w.h.events().at(-1)?.payload).to.include({ offerId: pending.id, fromId: EID.tier1, toId: EID.tier2, status: 'DECLINED' });
            expect(w.h.events().at(-1)?.payload).to.include({ offerId: pending.id, noteId: root.id });
            // The note can be offered again.
            expect((await offer(w.h, w.cast.tier1, root.id, EID.tier3, '1')).status).to.equal('PENDING');
        });

        it('lets only the recipient decline and only the sender cancel', async () => {
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.tier1, 'note:DeclineOffer', [pending.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.tier3, 'note:DeclineOffer', [pending.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.tier2, 'note:CancelOffer', [pending.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.bank, 'note:CancelOffer', [pending.id]));
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:DeclineOffer', [pending.id]));
        });

        it('lets the sender cancel a pending offer, once', async () => {
            const cancelled = await w.h.submit<NoteOffer>(w.cast.tier1, 'note:CancelOffer', [pending.id]);
            expect(cancelled.status).to.equal('CANCELLED');
            expect((await readNote(w.h, w.cast, root.id)).status).to.equal('ACTIVE');
            expect(w.h.events().at(-1)?.name).to.equal('CancelOffer');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:CancelOffer', [pending.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:DeclineOffer', [pending.id]));
        });

        it('lets the sender or the recipient expire an offer after its expiry, and nobody before', async () => {
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:ExpireOffer', [pending.id]));
            w.h.setTime('2026-01-10T00:00:00Z');
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:ExpireOffer', [pending.id]));
            const expired = await w.h.submit<NoteOffer>(w.cast.tier2, 'note:ExpireOffer', [pending.id]);
            expect(expired.status).to.equal('EXPIRED');
            expect((await readNote(w.h, w.cast, root.id)).status).to.equal('ACTIVE');
            expect(w.h.events().at(-1)?.name).to.equal('ExpireOffer');
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:ExpireOffer', [pending.id]));

            // The sender may expire its own offer too, frozen or not: the note only comes back to it.
            const other = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '1', '2026-01-11T00:00:00Z');
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            w.h.setTime('2026-01-11T00:00:00Z');
            expect((await w.h.submit<NoteOffer>(w.cast.tier1, 'note:ExpireOffer', [other.id])).status).to.equal('EXPIRED');
            expect((await readNote(w.h, w.cast, root.id)).status).to.equal('ACTIVE');
        });

        it('refuses anyone but the sender and the recipient expiring an offer, before, after and once it expired, without a word of the offer', async () => {
            const strangers = [w.cast.tier3, w.cast.bank, w.cast.bank2, w.cast.core, w.cast.regulator, w.cast.admin, w.cast.unregistered, w.cast.wrongOrgSupplier];
            const refusals: string[] = [];
            const refuseAll = async (): Promise<void> => {
                for (const who of strangers) {
                    refusals.push((await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:ExpireOffer', [pending.id]))).detail);
                }
            };
            await refuseAll();
            w.h.setTime('2026-01-10T00:00:00Z');
            // Expired by its expiry but still pending: a stranger cannot release the sender's note either.
            await refuseAll();
            expect((await readNote(w.h, w.cast, root.id)).status).to.equal('LOCKED');
            await w.h.submit(w.cast.tier1, 'note:ExpireOffer', [pending.id]);
            await refuseAll();
            for (const detail of refusals) {
                for (const secret of [EID.tier1, EID.tier2, root.id, '30000000', 'expired', 'pending', 'valid until']) {
                    expect(detail).not.to.include(secret);
                }
            }
        });

        it('refuses a stranger accepting, declining or cancelling as FORBIDDEN whatever the offer\'s state, and tells the party the state', async () => {
            const tryAll = async (): Promise<string[]> => {
                const details: string[] = [];
                for (const [who, tx] of [
                    [w.cast.tier3, 'AcceptOffer'],
                    [w.cast.tier3, 'DeclineOffer'],
                    [w.cast.tier3, 'CancelOffer'],
                    [w.cast.tier1, 'AcceptOffer'],
                    [w.cast.tier1, 'DeclineOffer'],
                    [w.cast.tier2, 'CancelOffer'],
                ] as const) {
                    details.push((await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, `note:${tx}`, [pending.id]))).detail);
                }
                return details;
            };
            const whilePending = await tryAll();
            await w.h.submit(w.cast.tier2, 'note:AcceptOffer', [pending.id]);
            const onceAccepted = await tryAll();
            for (const detail of [...whilePending, ...onceAccepted]) {
                expect(detail).to.match(/^only the (recipient|sender) of offer OF-[0-9a-f]{24} may (accept|decline|cancel) it$/);
            }
            // The parties themselves are told why.
            expect((await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier2, 'note:DeclineOffer', [pending.id]))).detail).to.equal(`offer ${pending.id} is accepted`);
            expect((await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:CancelOffer', [pending.id]))).detail).to.equal(`offer ${pending.id} is accepted`);
        });

        it('refuses a frozen recipient declining', async () => {
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier2, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.tier2, 'note:DeclineOffer', [pending.id]));
        });
    });

    describe('ReadOffer / ListOffers', () => {
        it('refuses third parties, and lists only for the enterprise itself or the regulator', async () => {
            const pending = await offer(w.h, w.cast.tier1, root.id, EID.tier2, '1');
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:ReadOffer', [pending.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank, 'note:ReadOffer', [pending.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier3, 'note:ListOffers', [EID.tier1, 'outgoing']));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.evaluate(w.cast.tier1, 'note:ListOffers', [EID.tier1, 'sideways']));
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.evaluate(w.cast.anonymous, 'note:ReadOffer', [pending.id]));
            expect(await w.h.evaluate(w.cast.regulator, 'note:ListOffers', [EID.tier1, 'outgoing'])).to.deep.equal([pending]);
        });
    });
});
