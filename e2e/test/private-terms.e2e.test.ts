import { expect } from 'chai';
import { randomBytes } from 'crypto';
import { World, eidOf, ensureEnterprises, grantLine, issueNote, openWorld } from '../src/world';
import { FabricTxError } from '../src/tx-client';
import { eventually, expectTxFailure } from './expect-failure';

async function expectEvaluateFailure(action: () => Promise<unknown>): Promise<FabricTxError> {
    let caught: unknown;
    try {
        await action();
    } catch (error) {
        caught = error;
    }
    expect(caught, 'the Partner peer returned the terms').to.be.instanceOf(FabricTxError);
    expect((caught as FabricTxError).stage).to.equal('evaluate');
    return caught as FabricTxError;
}

interface Quote {
    id: string;
    requestId: string;
    financierId: string;
    termsHash: string;
}

describe('private financing terms on the Fabric network', () => {
    // Salted as the gateway salts them: the contract refuses terms without a salt.
    const terms = { rateBps: 450, feeAmount: '1200', salt: randomBytes(16).toString('hex') };
    let world: World;
    let quote: Quote;

    before(async () => {
        world = await openWorld();
        await ensureEnterprises(world);
        const lineId = await grantLine(world, '100000000000');
        const note = await issueNote(world, lineId, '5000000');
        const request = await world.submit<{ id: string }>('tier1', 'note:RequestDiscount', { args: [{ noteId: note.id, financierIds: [eidOf(world, 'financier')] }] });
        // Terms travel in the transient map only, and only to the collection's member orgs.
        const submitted = await world.submit<Quote>('financier', 'note:SubmitQuote', {
            args: [request.result.id],
            transient: { terms },
            endorsingOrganizations: ['PlatformMSP', 'BankMSP'],
        });
        quote = submitted.result;
    });

    after(() => world?.close());

    it('lets the quoting financier read the terms through the Bank peer', async () => {
        const read = await world.evaluate<Record<string, unknown>>('financier', 'note:ReadQuoteTerms', { args: [quote.id], endorsingOrganizations: ['BankMSP'] }, 'bank');
        expect(read).to.include({ quoteId: quote.id, rateBps: terms.rateBps, fee: terms.feeAmount, face: '5000000', financierId: eidOf(world, 'financier') });
    });

    it('lets the requesting holder read the terms through the Platform peer', async () => {
        const read = await eventually(() => world.evaluate<Record<string, unknown>>('tier1', 'note:ReadQuoteTerms', { args: [quote.id], endorsingOrganizations: ['PlatformMSP'] }, 'platform'));
        expect(read).to.include({ quoteId: quote.id, rateBps: terms.rateBps, fee: terms.feeAmount, holderId: eidOf(world, 'tier1') });
    });

    it('keeps the terms off the Partner peer: even the entitled financier reads nothing there', async () => {
        // The public quote has reached the Partner peer (only its hash of the terms is public) ...
        const quotes = await eventually(async () => {
            const listed = await world.evaluate<Quote[]>('financier', 'note:ListQuotes', { args: [quote.requestId], endorsingOrganizations: ['PartnerMSP'] }, 'partner');
            expect(listed.map((q) => q.id)).to.include(quote.id);
            return listed;
        });
        const publicQuote = quotes.find((q) => q.id === quote.id);
        expect(publicQuote).to.have.property('termsHash', quote.termsHash);
        expect(JSON.stringify(publicQuote)).not.to.include('rateBps');
        // ... but the private terms have not. Fabric's GetPrivateData on a peer that holds the hash and not
        // the data fails ("private data matching public hash version is not available"); the contract
        // catches that and answers its own NOT_FOUND, naming Fabric's reason. No terms leave the Partner peer.
        const failure = await expectEvaluateFailure(() => world.evaluate('financier', 'note:ReadQuoteTerms', { args: [quote.id], endorsingOrganizations: ['PartnerMSP'] }, 'partner'));
        expect([failure.fromChaincode, failure.code]).to.deep.equal([true, 'NOT_FOUND']);
        expect(failure.message).to.match(/not held by this peer \(.*private data .*not available/);
        expect(failure.message).not.to.include(String(terms.rateBps));
    });

    it('refuses the terms to the foreign partner with FORBIDDEN', async () => {
        await expectTxFailure(() => world.evaluate('foreign-partner', 'note:ReadQuoteTerms', { args: [quote.id] }, 'partner'), 'FORBIDDEN', 'evaluate');
    });
});
