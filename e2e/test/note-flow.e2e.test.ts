import { expect } from 'chai';
import type { Note } from '@xinlian/chaincode';
import { World, eidOf, ensureEnterprises, grantLine, issueNote, openWorld } from '../src/world';
import { eventually } from './expect-failure';

describe('credit note flow across orgs on the Fabric network', () => {
    let world: World;
    let lineId: string;

    before(async () => {
        world = await openWorld();
        await ensureEnterprises(world);
        lineId = await grantLine(world, '100000000000');
    });

    after(() => world?.close());

    it('issues a note on a Bank credit line, offers part of it and has the recipient accept', async () => {
        const root = await issueNote(world, lineId, '1000000');
        expect(root).to.include({ holderId: eidOf(world, 'tier1'), issuerId: eidOf(world, 'core'), amount: '1000000', status: 'ACTIVE', creditLineId: lineId });

        const expiresAt = new Date(new Date().getTime() + 86_400_000).toISOString();
        const offer = await world.submit<{ id: string; status: string }>('tier1', 'note:OfferTransfer', { args: [{ noteId: root.id, toId: eidOf(world, 'tier2'), amount: '400000', expiresAt }] });
        expect(offer.result.status).to.equal('PENDING');
        const accepted = await world.submit<{ received: Note; change: Note; spent: Note }>('tier2', 'note:AcceptOffer', { args: [offer.result.id] });
        expect(accepted.result.received).to.include({ holderId: eidOf(world, 'tier2'), amount: '400000', tier: 2, status: 'ACTIVE' });
        expect(accepted.result.change).to.include({ holderId: eidOf(world, 'tier1'), amount: '600000', tier: 1, status: 'ACTIVE' });

        // The Partner peer (no party to any of this) holds the same state: read by the regulator through it.
        const spent = await eventually(async () => {
            const note = await world.evaluate<Note>('regulator', 'note:ReadNote', { args: [root.id] }, 'partner');
            expect(note.status).to.equal('SPENT');
            return note;
        });
        expect(spent.children).to.deep.equal([accepted.result.received.id, accepted.result.change.id]);
        const received = await world.evaluate<Note>('tier2', 'note:ReadNote', { args: [accepted.result.received.id] }, 'bank');
        expect(received).to.include({ parentId: root.id, holderId: eidOf(world, 'tier2'), amount: '400000' });

        const line = await world.evaluate<{ used: string }>('financier', 'credit-line:ReadCreditLine', { args: [lineId] });
        expect(BigInt(line.used) >= 1_000_000n).to.equal(true);
    });
});
