import { expect } from 'chai';
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { canonicalBytes, canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { writeRecord } from '../ledger/state';
import { contentHash, sha256Hex } from '../ledger/tx';
import { EID, newCast, registerCast } from '../testing/fixtures';
import { expectRefused, newHarness } from '../testing/harness';
import { newUser } from '../testing/identities';
import { FINANCING_TERMS_COLLECTION, fundedTermsKey, mustReadQuote, quoteKey, readFinancingTerms } from './discount';
import type { DiscountQuote, DiscountRequest, FinancingTerms, StoredFinancingTerms } from './discount';
import type { Note } from './note';
import { MATURITY, NOTE_CONTRACTS, NoteWorld, grantLine, issue, offer, quote, readNote, requestDiscount } from './testing';

/** Test-only transactions that look at and rewrite the private terms as no contract transaction may. */
class DiscountProbeContract extends XinlianContract {
    constructor() {
        super('discount-probe');
    }

    /** The stored terms of a quote, salt included: the quoted ones, or the final ones with `funded`. */
    @Transaction(false)
    @Returns('string')
    async StoredTerms(ctx: Context, quoteId: string, funded: string): Promise<string> {
        const bytes = await ctx.stub.getPrivateData(FINANCING_TERMS_COLLECTION, funded === 'funded' ? fundedTermsKey(ctx, quoteId) : quoteId);
        return Buffer.from(bytes).toString('utf8') || 'null';
    }

    /** The hash Fabric keeps of the quoted terms on every peer, in or out of the collection. */
    @Transaction(false)
    @Returns('string')
    async PrivateDataHash(ctx: Context, quoteId: string): Promise<string> {
        return JSON.stringify(Buffer.from(await ctx.stub.getPrivateDataHash(FINANCING_TERMS_COLLECTION, quoteId)).toString('hex'));
    }

    /** Turns a quote into one made before salts: its terms stored without salt and its hash over them. */
    @Transaction()
    @Returns('string')
    async Unsalt(ctx: Context, quoteId: string): Promise<string> {
        const terms = (await readFinancingTerms(ctx, quoteId)) as FinancingTerms;
        await ctx.stub.putPrivateData(FINANCING_TERMS_COLLECTION, quoteId, canonicalBytes(terms));
        const legacy: DiscountQuote = { ...(await mustReadQuote(ctx, quoteId)), termsHash: contentHash(terms) };
        await writeRecord(ctx, quoteKey(ctx, quoteId), legacy);
        return JSON.stringify(legacy);
    }

    /** Alters the stored rate of a quote behind its public hash. */
    @Transaction()
    @Returns('string')
    async Tamper(ctx: Context, quoteId: string): Promise<string> {
        const stored = JSON.parse(Buffer.from(await ctx.stub.getPrivateData(FINANCING_TERMS_COLLECTION, quoteId)).toString('utf8')) as StoredFinancingTerms;
        await ctx.stub.putPrivateData(FINANCING_TERMS_COLLECTION, quoteId, canonicalBytes({ ...stored, rateBps: 0 }));
        return '""';
    }
}

/** The note world with the probe contract beside the note contracts. */
async function newDiscountWorld(): Promise<NoteWorld> {
    const h = await newHarness([...NOTE_CONTRACTS, DiscountProbeContract]);
    const cast = await newCast();
    await registerCast(h, cast);
    const lineId = await grantLine(h, cast.bank, EID.core, '1000000000000');
    return { h, cast, lineId };
}

const SALT = '0123456789abcdef0123456789abcdef';

describe('NoteContract discounting', () => {
    let w: NoteWorld;
    let root: Note;

    beforeEach(async () => {
        w = await newDiscountWorld();
        // Face 1,000,000.50 CNY maturing 2026-04-15: quotes on 2026-01-05 run 100 days.
        root = await issue(w, { amount: '100000050' });
    });
    afterEach(() => w.h.close());

    describe('RequestDiscount', () => {
        it('locks the note and opens a request the invited financiers can read', async () => {
            const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank2, EID.bank]);
            expect(request).to.include({ docType: 'discountRequest', noteId: root.id, rootId: root.id, issuerId: EID.core, holderId: EID.tier1, amount: '100000050', currency: 'CNY', maturityDate: MATURITY, tier: 1, status: 'OPEN', recourse: false });
            expect(request.financierIds).to.deep.equal([EID.bank, EID.bank2].sort());
            expect(request.id).to.match(/^DR-[0-9a-f]{24}$/);
            expect(await readNote(w.h, w.cast, root.id)).to.deep.include({ status: 'LOCKED', lock: { kind: 'DISCOUNT', id: request.id } });
            expect(w.h.events().at(-1)?.name).to.equal('RequestDiscount');
            expect(w.h.events().at(-1)?.payload).to.deep.include({ requestId: request.id, noteId: root.id, financierIds: request.financierIds });
            for (const who of [w.cast.tier1, w.cast.bank, w.cast.bank2, w.cast.regulator]) {
                expect(await w.h.evaluate(who, 'note:ReadDiscountRequest', [request.id])).to.deep.equal(request);
            }
            expect(await w.h.evaluate(w.cast.bank, 'note:ListDiscountRequests', [EID.bank])).to.deep.equal([request]);
            expect(await w.h.evaluate(w.cast.tier1, 'note:ListDiscountRequests', [EID.tier1])).to.deep.equal([request]);
            // An invited financier may walk the note's provenance before it quotes.
            expect((await w.h.evaluate<{ proof: { balanced: boolean } }>(w.cast.bank, 'note:GetProvenance', [root.id])).proof.balanced).to.equal(true);
        });

        it('refuses third parties reading the request', async () => {
            const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank]);
            for (const who of [w.cast.bank2, w.cast.tier2, w.cast.core]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:ReadDiscountRequest', [request.id]));
            }
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank2, 'note:ListDiscountRequests', [EID.bank]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.bank2, 'note:GetProvenance', [root.id]));
        });

        it('refuses invitations of non-financiers, unknown or frozen financiers, duplicates and malformed lists', async () => {
            const attempts: unknown[] = [
                { noteId: root.id, financierIds: [EID.core] },
                { noteId: root.id, financierIds: [EID.bank, EID.bank] },
                { noteId: root.id, financierIds: [] },
                { noteId: root.id, financierIds: Array.from({ length: 11 }, (_, i) => `F${i}`) },
                { noteId: root.id, financierIds: EID.bank },
                { noteId: root.id },
                { noteId: root.id, financierIds: [EID.bank], recourse: true },
            ];
            for (const request of attempts) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.tier1, 'note:RequestDiscount', [request as object]));
            }
            await expectRefused(w.h, 'NOT_FOUND', () => requestDiscount(w.h, w.cast.tier1, root.id, ['91110000MA9990099X']));
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank2, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank, EID.bank2]));
        });

        it('refuses anyone but the holding supplier', async () => {
            await expectRefused(w.h, 'FORBIDDEN', () => requestDiscount(w.h, w.cast.tier2, root.id, [EID.bank]));
            for (const who of [w.cast.core, w.cast.bank, w.cast.wrongOrgSupplier, w.cast.unregistered]) {
                await expectRefused(w.h, 'FORBIDDEN', () => requestDiscount(w.h, who, root.id, [EID.bank]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => requestDiscount(w.h, w.cast.anonymous, root.id, [EID.bank]));
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank]));
        });

        it('rejects discounting a locked, spent or due note, and offering or splitting a note under discount', async () => {
            await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank]);
            await expectRefused(w.h, 'INVALID_STATE', () => requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank2]));
            await expectRefused(w.h, 'INVALID_STATE', () => offer(w.h, w.cast.tier1, root.id, EID.tier2, '1'));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:SplitNote', [root.id, { amounts: ['50', '100000000'] }]));
            const second = await issue(w);
            await w.h.submit(w.cast.tier1, 'note:SplitNote', [second.id, { amounts: ['50000000', '50000000'] }]);
            await expectRefused(w.h, 'INVALID_STATE', () => requestDiscount(w.h, w.cast.tier1, second.id, [EID.bank]));
            const third = await issue(w);
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'INVALID_STATE', () => requestDiscount(w.h, w.cast.tier1, third.id, [EID.bank]));
        });
    });

    describe('SubmitQuote / ReadQuoteTerms', () => {
        let request: DiscountRequest;

        beforeEach(async () => {
            request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank, EID.bank2]);
        });

        it('prices the worked example, keeps the terms private and publishes only their hash', async () => {
            // face 100000050 fen, 360 bps, 100 days (2026-01-05 → 2026-04-15), ACT/360:
            // 100000050 × 360 × 100 / 3600000 = 1000000.5 fen → half-up 1000001 fen (10,000.01 CNY);
            // price = 100000050 − 1000001 − 0 = 99000049 fen (990,000.49 CNY).
            const q = await quote(w.h, w.cast.bank, request.id, 360, undefined, SALT);
            expect(Object.keys(q).sort()).to.deep.equal(['createdAt', 'docType', 'financierId', 'holderId', 'id', 'noteId', 'requestId', 'status', 'termsHash', 'txId', 'updatedAt']);
            expect(q).to.include({ requestId: request.id, financierId: EID.bank, holderId: EID.tier1, status: 'SUBMITTED' });
            const terms = await w.h.evaluate<FinancingTerms>(w.cast.bank, 'note:ReadQuoteTerms', [q.id]);
            expect(terms).to.include({ quoteId: q.id, face: '100000050', rateBps: 360, days: 100, discount: '1000001', fee: '0', price: '99000049', recourse: false, currency: 'CNY' });
            expect(await w.h.evaluate(w.cast.tier1, 'note:ReadQuoteTerms', [q.id])).to.deep.equal(terms);
            expect(await w.h.evaluate(w.cast.regulator, 'note:ReadQuoteTerms', [q.id])).to.deep.equal(terms);
            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('SubmitQuote');
            expect(Object.keys(event?.payload ?? {}).sort()).to.deep.equal(['financierId', 'holderId', 'quoteId', 'requestId', 'termsHash', 'txId']);
            // The holder is named, so the live feed shows the quote to the supplier who asked for it.
            expect(event?.payload).to.include({ holderId: EID.tier1, financierId: EID.bank });

            // A fee comes off after rounding: 100000050 × 365 × 100 / 3600000 = 1013889.39… → 1013889;
            // price = 100000050 − 1013889 − 50000 = 98936161.
            const q2 = await quote(w.h, w.cast.bank2, request.id, 365, '50000');
            expect(await w.h.evaluate(w.cast.bank2, 'note:ReadQuoteTerms', [q2.id])).to.include({ rateBps: 365, days: 100, discount: '1013889', fee: '50000', price: '98936161' });
        });

        it('salts the private terms with the client\'s salt, so their public hash cannot be searched for the rate and fee', async () => {
            const q = await quote(w.h, w.cast.bank, request.id, 360, '50000', SALT);
            const terms = await w.h.evaluate<FinancingTerms>(w.cast.tier1, 'note:ReadQuoteTerms', [q.id]);
            // The salt stays out of every answer and event; the terms read back carry no trace of it.
            expect(terms).not.to.have.property('salt');
            expect(JSON.stringify(q)).not.to.include(SALT);
            expect(JSON.stringify(w.h.events())).not.to.include(SALT);
            // Everything else in the terms is public or guessable: hashing it with the right rate and fee
            // — what a brute force would try — does not give the public hash; with the salt it does.
            expect(q.termsHash).not.to.equal(sha256Hex(canonicalStringify(terms)));
            expect(q.termsHash).to.equal(sha256Hex(canonicalStringify({ ...terms, salt: SALT })));
            // Fabric's own hash of the private value, held by every peer, is that same salted hash.
            expect(await w.h.evaluate(w.cast.bank, 'discount-probe:PrivateDataHash', [q.id])).to.equal(q.termsHash);
            expect(await w.h.evaluate(w.cast.bank, 'discount-probe:StoredTerms', [q.id, 'quoted'])).to.deep.equal({ ...terms, salt: SALT });
        });

        it('refuses terms without a salt or with a salt that is not 16 bytes of lower-case hex', async () => {
            for (const salt of [undefined, '', 'abc', SALT.toUpperCase(), `${SALT}0`, SALT.slice(1), 'g'.repeat(32), 12345]) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:SubmitQuote', [request.id], { transient: { terms: { rateBps: 360, salt } } }));
            }
            expect(await w.h.evaluate(w.cast.tier1, 'note:ListQuotes', [request.id])).to.deep.equal([]);
        });

        it('shows an indicative price counted from the quote\'s own transaction date', async () => {
            w.h.setTime('2026-03-16T23:00:00Z'); // 30 days before maturity
            // 100000050 × 1200 × 30 / 3600000 = 1000000.5 → 1000001; price 99000049.
            const q = await quote(w.h, w.cast.bank, request.id, 1200);
            const terms = await w.h.evaluate<FinancingTerms>(w.cast.bank, 'note:ReadQuoteTerms', [q.id]);
            expect(terms).to.include({ days: 30, discount: '1000001', price: '99000049' });
            expect(terms).not.to.have.property('fundedAt');
        });

        it('refuses the terms to everyone but the requesting holder, the quoting financier and the regulator', async () => {
            const q = await quote(w.h, w.cast.bank, request.id, 360);
            for (const who of [w.cast.bank2, w.cast.core, w.cast.tier2, w.cast.admin]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(who, 'note:ReadQuoteTerms', [q.id]));
            }
            // A financier certificate naming the holder's id does not pass for the holder.
            const impostor = await newUser('BankMSP', 'impostor', 'financier', EID.tier1);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(impostor, 'note:ReadQuoteTerms', [q.id]));
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.evaluate(w.cast.anonymous, 'note:ReadQuoteTerms', [q.id]));
            await expectRefused(w.h, 'NOT_FOUND', () => w.h.evaluate(w.cast.bank, 'note:ReadQuoteTerms', ['Q-000000000000000000000000']));
        });

        it('refuses financiers not invited, other roles and orgs', async () => {
            const solo = await requestDiscount(w.h, w.cast.tier1, (await issue(w)).id, [EID.bank]);
            await expectRefused(w.h, 'FORBIDDEN', () => quote(w.h, w.cast.bank2, solo.id, 360));
            for (const who of [w.cast.tier1, w.cast.core, w.cast.regulator]) {
                await expectRefused(w.h, 'FORBIDDEN', () => quote(w.h, who, solo.id, 360));
            }
            const platformFinancier = await newUser('PlatformMSP', 'fake-bank', 'financier', EID.bank);
            await expectRefused(w.h, 'FORBIDDEN', () => quote(w.h, platformFinancier, solo.id, 360));
            await expectRefused(w.h, 'UNAUTHENTICATED', () => quote(w.h, w.cast.anonymous, solo.id, 360));
        });

        it('refuses missing or malformed terms and terms that leave nothing to pay', async () => {
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:SubmitQuote', [request.id]));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:SubmitQuote', [request.id], { transient: { terms: 'not json' } }));
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:SubmitQuote', [request.id], { transient: { rate: { rateBps: 1, salt: SALT } } }));
            const bad: unknown[] = [{}, { rateBps: -1 }, { rateBps: 10001 }, { rateBps: 1.5 }, { rateBps: '360' }, { rateBps: 360, feeAmount: '-1' }, { rateBps: 360, feeAmount: 5 }, { rateBps: 360, price: '1' }, { rateBps: 360, feeAmount: '100000050' }];
            for (const terms of bad) {
                await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:SubmitQuote', [request.id], { transient: { terms: { ...(terms as object), salt: SALT } } }));
            }
            await expectRefused(w.h, 'INVALID_ARGUMENT', () => w.h.submit(w.cast.bank, 'note:SubmitQuote', [request.id], { transient: { terms: [360, SALT] } }));
        });

        it('refuses a second standing quote of the same financier, but accepts one after a withdrawal', async () => {
            const first = await quote(w.h, w.cast.bank, request.id, 360);
            await expectRefused(w.h, 'ALREADY_EXISTS', () => quote(w.h, w.cast.bank, request.id, 300));
            const withdrawn = await w.h.submit<DiscountQuote>(w.cast.bank, 'note:WithdrawQuote', [first.id]);
            expect(withdrawn.status).to.equal('WITHDRAWN');
            expect(w.h.events().at(-1)?.name).to.equal('WithdrawQuote');
            expect(w.h.events().at(-1)?.payload).to.include({ quoteId: first.id, holderId: EID.tier1, financierId: EID.bank });
            const second = await quote(w.h, w.cast.bank, request.id, 300);
            expect(second.status).to.equal('SUBMITTED');
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.bank2, 'note:WithdrawQuote', [second.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.bank, 'note:WithdrawQuote', [first.id]));
        });

        it('refuses quotes on a closed request, from a frozen financier, and at maturity', async () => {
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank2, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => quote(w.h, w.cast.bank2, request.id, 360));
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'INVALID_STATE', () => quote(w.h, w.cast.bank, request.id, 360));
            w.h.setTime('2026-01-06T00:00:00Z');
            await w.h.submit(w.cast.tier1, 'note:WithdrawDiscountRequest', [request.id]);
            await expectRefused(w.h, 'INVALID_STATE', () => quote(w.h, w.cast.bank, request.id, 360));
        });

        it('lists all quotes to the holder and the regulator, and its own to each financier', async () => {
            const a = await quote(w.h, w.cast.bank, request.id, 360);
            const b = await quote(w.h, w.cast.bank2, request.id, 365);
            const all = [a, b].sort((x, y) => (x.id < y.id ? -1 : 1));
            expect(await w.h.evaluate(w.cast.tier1, 'note:ListQuotes', [request.id])).to.deep.equal(all);
            expect(await w.h.evaluate(w.cast.regulator, 'note:ListQuotes', [request.id])).to.deep.equal(all);
            expect(await w.h.evaluate(w.cast.bank, 'note:ListQuotes', [request.id])).to.deep.equal([a]);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.evaluate(w.cast.tier2, 'note:ListQuotes', [request.id]));
        });
    });

    describe('AcceptQuote', () => {
        let request: DiscountRequest;
        let bankQuote: DiscountQuote;
        let bank2Quote: DiscountQuote;

        beforeEach(async () => {
            request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank, EID.bank2]);
            bankQuote = await quote(w.h, w.cast.bank, request.id, 360);
            bank2Quote = await quote(w.h, w.cast.bank2, request.id, 300);
        });

        it('spends the note into a non-recourse child held by the financier and withdraws the other quotes', async () => {
            const result = await w.h.submit<{ quote: DiscountQuote; request: DiscountRequest; funded: Note; spent: Note }>(w.cast.tier1, 'note:AcceptQuote', [bank2Quote.id]);
            expect(result.funded).to.include({ holderId: EID.bank2, amount: '100000050', tier: 2, parentId: root.id, rootId: root.id, origin: 'DISCOUNT', discountedBy: EID.bank2, discountQuoteId: bank2Quote.id, recourse: false, status: 'ACTIVE' });
            expect(result.request).to.include({ status: 'ACCEPTED', acceptedQuoteId: bank2Quote.id, financierId: EID.bank2, fundedNoteId: result.funded.id });
            expect(result.quote.status).to.equal('ACCEPTED');
            const parent = await readNote(w.h, w.cast, root.id);
            expect(parent).to.include({ status: 'SPENT', spentBy: 'DISCOUNT', holderId: EID.tier1 });
            expect(parent.children).to.deep.equal([result.funded.id]);
            const quotes = await w.h.evaluate<DiscountQuote[]>(w.cast.tier1, 'note:ListQuotes', [request.id]);
            expect(Object.fromEntries(quotes.map((q) => [q.financierId, q.status]))).to.deep.equal({ [EID.bank]: 'WITHDRAWN', [EID.bank2]: 'ACCEPTED' });
            const event = w.h.events().at(-1);
            expect(event?.name).to.equal('AcceptQuote');
            expect(event?.payload).to.deep.include({ quoteId: bank2Quote.id, requestId: request.id, holderId: EID.tier1, financierId: EID.bank2, financierIds: request.financierIds, spentNoteIds: [root.id], createdNoteIds: [result.funded.id], withdrawnQuoteIds: [bankQuote.id] });
            expect((await w.h.evaluate<Note[]>(w.cast.bank2, 'note:ListNotesOfHolder', [EID.bank2])).map((n) => n.id)).to.deep.equal([result.funded.id]);
            expect(await w.h.evaluate(w.cast.tier1, 'note:ListNotesOfHolder', [EID.tier1])).to.deep.equal([]);
            // The financier holds the note to maturity; it does not re-offer or split it.
            await expectRefused(w.h, 'FORBIDDEN', () => offer(w.h, w.cast.bank2, result.funded.id, EID.tier2, '1'));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.bank2, 'note:SplitNote', [result.funded.id, { amounts: ['50', '100000000'] }]));
            // The spent note can be neither discounted nor accepted again.
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [bankQuote.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [bank2Quote.id]));
        });

        it('prices the discount again for the days from acceptance to maturity, keeping the quote\'s figures as indicative', async () => {
            // bank2 quoted 300 bps on 2026-01-05, 100 days out; the holder accepts 18 days later, 82 days out:
            // 100000050 × 300 × 82 / 3600000 = 683333.67 → 683334; price 100000050 − 683334 = 99316716.
            const quoted = await w.h.evaluate<FinancingTerms>(w.cast.tier1, 'note:ReadQuoteTerms', [bank2Quote.id]);
            expect(quoted).to.include({ days: 100, discount: '833334', price: '99166716' });
            w.h.setTime('2026-01-23T10:00:00Z');
            const result = await w.h.submit<{ quote: DiscountQuote }>(w.cast.tier1, 'note:AcceptQuote', [bank2Quote.id]);
            const final = await w.h.evaluate<FinancingTerms>(w.cast.tier1, 'note:ReadQuoteTerms', [bank2Quote.id]);
            expect(final).to.deep.equal({
                ...quoted,
                days: 82,
                discount: '683334',
                price: '99316716',
                fundedAt: '2026-01-23T10:00:00.000Z',
                indicative: { days: 100, discount: '833334', price: '99166716' },
            });
            for (const who of [w.cast.bank2, w.cast.regulator]) {
                expect(await w.h.evaluate(who, 'note:ReadQuoteTerms', [bank2Quote.id])).to.deep.equal(final);
            }
            // The final terms are private and salted like the quote's; the accepted quote carries their hash.
            const stored = await w.h.evaluate<StoredFinancingTerms>(w.cast.bank2, 'discount-probe:StoredTerms', [bank2Quote.id, 'funded']);
            expect(stored.salt).to.match(/^[0-9a-f]{32}$/);
            expect(stored).to.deep.equal({ ...final, salt: stored.salt });
            expect(result.quote.fundedTermsHash).to.equal(sha256Hex(canonicalStringify(stored)));
            expect(result.quote.fundedTermsHash).not.to.equal(sha256Hex(canonicalStringify(final)));
            expect(result.quote.termsHash).to.equal(bank2Quote.termsHash);
            expect(JSON.stringify([result, w.h.events().at(-1)])).not.to.include(stored.salt as string);
            // The quoted terms stay as they were quoted.
            expect(await w.h.evaluate(w.cast.bank2, 'discount-probe:StoredTerms', [bank2Quote.id, 'quoted'])).to.deep.equal({ ...quoted, salt: stored.salt });
        });

        it('charges the days left at funding, not those left when the quote was made', async () => {
            // A 200 bps quote 30 days before maturity, accepted 18 days later: 12 days of interest.
            const late = await issue(w, { amount: '100000050' });
            w.h.setTime('2026-03-16T09:00:00Z');
            const lateRequest = await requestDiscount(w.h, w.cast.tier1, late.id, [EID.bank]);
            const q = await quote(w.h, w.cast.bank, lateRequest.id, 200);
            expect(await w.h.evaluate(w.cast.tier1, 'note:ReadQuoteTerms', [q.id])).to.include({ days: 30, discount: '166667', price: '99833383' });
            w.h.setTime('2026-04-03T09:00:00Z');
            await w.h.submit(w.cast.tier1, 'note:AcceptQuote', [q.id]);
            expect(await w.h.evaluate(w.cast.tier1, 'note:ReadQuoteTerms', [q.id])).to.deep.include({ days: 12, discount: '66667', price: '99933383', indicative: { days: 30, discount: '166667', price: '99833383' } });
        });

        it('still reads and accepts a quote made before salts', async () => {
            const legacy = await w.h.submit<DiscountQuote>(w.cast.admin, 'discount-probe:Unsalt', [bankQuote.id]);
            const terms = await w.h.evaluate<FinancingTerms>(w.cast.tier1, 'note:ReadQuoteTerms', [bankQuote.id]);
            expect(legacy.termsHash).to.equal(sha256Hex(canonicalStringify(terms)));
            w.h.setTime('2026-01-15T00:00:00Z');
            const result = await w.h.submit<{ quote: DiscountQuote; funded: Note }>(w.cast.tier1, 'note:AcceptQuote', [bankQuote.id]);
            expect(result.funded).to.include({ holderId: EID.bank, amount: '100000050' });
            // 100000050 × 360 × 90 / 3600000 = 900000.45 → 900000.
            const final = await w.h.evaluate<FinancingTerms>(w.cast.tier1, 'note:ReadQuoteTerms', [bankQuote.id]);
            expect(final).to.deep.include({ days: 90, discount: '900000', price: '99100050', indicative: { days: 100, discount: '1000001', price: '99000049' } });
            expect(result.quote.fundedTermsHash).to.equal(sha256Hex(canonicalStringify(final)));
        });

        it('refuses a quote whose private terms were altered behind their hash, changing nothing', async () => {
            await w.h.submit(w.cast.admin, 'discount-probe:Tamper', [bankQuote.id]);
            const before = await w.h.stateDigest();
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [bankQuote.id]));
            expect(await w.h.stateDigest()).to.equal(before);
        });

        it('refuses anyone but the requesting holder', async () => {
            for (const who of [w.cast.tier2, w.cast.bank, w.cast.bank2, w.cast.core, w.cast.wrongOrgSupplier]) {
                await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(who, 'note:AcceptQuote', [bankQuote.id]));
            }
            await expectRefused(w.h, 'UNAUTHENTICATED', () => w.h.submit(w.cast.anonymous, 'note:AcceptQuote', [bankQuote.id]));
        });

        it('refuses a withdrawn quote, a frozen financier, and acceptance at maturity', async () => {
            await w.h.submit(w.cast.bank, 'note:WithdrawQuote', [bankQuote.id]);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [bankQuote.id]));
            await w.h.submit(w.cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank2, 'inquiry']);
            await expectRefused(w.h, 'ENTERPRISE_FROZEN', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [bank2Quote.id]));
            await w.h.submit(w.cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.bank2, 'closed']);
            w.h.setTime(`${MATURITY}T00:00:00Z`);
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [bank2Quote.id]));
        });
    });

    describe('WithdrawDiscountRequest', () => {
        it('unlocks the note and withdraws the submitted quotes', async () => {
            const request = await requestDiscount(w.h, w.cast.tier1, root.id, [EID.bank, EID.bank2]);
            const q = await quote(w.h, w.cast.bank, request.id, 360);
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.tier2, 'note:WithdrawDiscountRequest', [request.id]));
            await expectRefused(w.h, 'FORBIDDEN', () => w.h.submit(w.cast.bank, 'note:WithdrawDiscountRequest', [request.id]));
            const withdrawn = await w.h.submit<DiscountRequest>(w.cast.tier1, 'note:WithdrawDiscountRequest', [request.id]);
            expect(withdrawn.status).to.equal('WITHDRAWN');
            const note = await readNote(w.h, w.cast, root.id);
            expect(note.status).to.equal('ACTIVE');
            expect(note.lock).to.equal(undefined);
            expect((await w.h.evaluate<DiscountQuote[]>(w.cast.tier1, 'note:ListQuotes', [request.id])).map((x) => x.status)).to.deep.equal(['WITHDRAWN']);
            expect(w.h.events().at(-1)?.payload).to.deep.include({ requestId: request.id, noteId: root.id, holderId: EID.tier1, financierIds: [EID.bank, EID.bank2], withdrawnQuoteIds: [q.id] });
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:WithdrawDiscountRequest', [request.id]));
            await expectRefused(w.h, 'INVALID_STATE', () => w.h.submit(w.cast.tier1, 'note:AcceptQuote', [q.id]));
            // The note is free again.
            expect((await offer(w.h, w.cast.tier1, root.id, EID.tier2, '1')).status).to.equal('PENDING');
        });
    });
});
