import { expect } from 'chai';
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { linkedRecords } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { CreditLineContract } from '../credit-line/credit-line-contract';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, newCast, registerCast, testDocumentCid, uscc } from '../testing/fixtures';
import { TestIdentity, newUser } from '../testing/identities';
import { ReceivableContract } from './receivable-contract';
import { writeRecord } from '../ledger/state';
import { invoiceNumberHash, legacyFingerprint, receivableFingerprint } from './fingerprint';
import { MAX_NOTES_PER_RECEIVABLE, NoteBacking, Receivable, StoredReceivable, allocateReceivablesToNote, fingerprintKey, receivableKey, settleReceivablesOfNote } from './receivable';

/** Test-only contract exposing the functions the note module calls, as transactions. */
class ReceivableProbeContract extends XinlianContract {
    constructor() {
        super('receivable-probe');
    }

    @Transaction()
    @Returns('string')
    async Use(ctx: Context, receivableIds: string, issuerId: string, currency: string, noteId: string, faceAmount: string): Promise<string> {
        const backing = await allocateReceivablesToNote(ctx, JSON.parse(receivableIds) as string[], issuerId, currency, noteId, BigInt(faceAmount));
        return canonicalStringify({ backing });
    }

    @Transaction()
    @Returns('string')
    async Settle(ctx: Context, noteId: string, receivableIds: string): Promise<string> {
        await settleReceivablesOfNote(ctx, noteId, JSON.parse(receivableIds) as string[]);
        return '';
    }

    /** Writes a receivable record as it stands (one written by an earlier version). */
    @Transaction()
    @Returns('string')
    async PutReceivable(ctx: Context, record: string): Promise<string> {
        const receivable = JSON.parse(record) as StoredReceivable;
        await writeRecord(ctx, receivableKey(ctx, receivable.id), receivable);
        return '';
    }

    @Transaction(false)
    @Returns('string')
    async Linked(ctx: Context, enterpriseId: string): Promise<string> {
        return canonicalStringify(await linkedRecords(ctx, enterpriseId));
    }

    /** Writes a fingerprint key as a ledger from before an upgrade would hold it. */
    @Transaction()
    @Returns('string')
    async PutFingerprint(ctx: Context, fingerprint: string): Promise<string> {
        await writeRecord(ctx, fingerprintKey(ctx, fingerprint), { docType: 'fingerprint', fingerprint, receivableId: 'RCV-legacy' });
        return '';
    }
}

const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
const UNKNOWN = 'RCV-000000000000000000000000';

const REQUEST = {
    buyerId: EID.core,
    invoiceNumber: 'INV-001',
    amount: '1000000',
    currency: 'CNY',
    issueDate: '2026-01-02',
    dueDate: '2026-04-02',
    documentCid: CID,
};

describe('ReceivableContract', () => {
    let h: Harness;
    let cast: Cast;
    let tier1Clerk: TestIdentity;
    let documents = 0;

    before(async () => {
        tier1Clerk = await newUser('PlatformMSP', 'tier1-clerk', 'supplier', EID.tier1);
    });

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, CreditLineContract, ReceivableContract, ReceivableProbeContract]);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    /** Registers a receivable; each call has a document of its own unless `overrides` names one. */
    function register(who: TestIdentity = cast.tier1, overrides: Record<string, unknown> = {}): Promise<Receivable> {
        documents += 1;
        return h.submit<Receivable>(who, 'receivable:RegisterReceivable', [{ ...REQUEST, documentCid: testDocumentCid(`invoice document ${documents}`), ...overrides }]);
    }

    function read(id: string): Promise<Receivable> {
        return h.evaluate<Receivable>(cast.regulator, 'receivable:ReadReceivable', [id]);
    }

    function lastEvent(): { name: string; payload: Record<string, unknown> } {
        const events = h.events();
        return events[events.length - 1];
    }

    /** Allocates `face` of note `noteId` over the receivables, in the order given. */
    async function use(ids: string[], face = '1', noteId = 'NOTE-1', issuer: string = EID.core, currency = 'CNY'): Promise<NoteBacking[]> {
        return (await h.submit<{ backing: NoteBacking[] }>(cast.admin, 'receivable-probe:Use', [JSON.stringify(ids), issuer, currency, noteId, face])).backing;
    }

    function settle(noteId: string, ids: string[]): Promise<unknown> {
        return h.submit(cast.admin, 'receivable-probe:Settle', [noteId, JSON.stringify(ids)]);
    }

    async function confirmed(overrides: Record<string, unknown> = {}): Promise<Receivable> {
        const receivable = await register(cast.tier1, overrides);
        const buyer = overrides.buyerId === EID.core2 ? cast.core2 : cast.core;
        return h.submit<Receivable>(buyer, 'receivable:ConfirmReceivable', [receivable.id]);
    }

    describe('RegisterReceivable', () => {
        it("registers the caller's own receivable against a core enterprise, indexed, linked and fingerprinted", async () => {
            const receivable = await register(cast.tier1, { documentCid: CID });
            expect(receivable.id).to.match(/^RCV-[0-9a-f]{24}$/);
            expect(receivable).to.include({
                docType: 'receivable',
                sellerId: EID.tier1,
                buyerId: EID.core,
                invoiceNumber: 'INV-001',
                amount: '1000000',
                currency: 'CNY',
                issueDate: '2026-01-02',
                dueDate: '2026-04-02',
                documentCid: CID,
                status: 'REGISTERED',
            });
            expect(receivable.noteId).to.equal(undefined);
            expect(receivable.fingerprint).to.match(/^[0-9a-f]{64}$/);
            expect(receivable.registeredAt).to.equal(receivable.updatedAt);
            expect(lastEvent().name).to.equal('RegisterReceivable');
            expect(lastEvent().payload).to.include({ receivableId: receivable.id, sellerId: EID.tier1, buyerId: EID.core, status: 'REGISTERED' });
            expect(await read(receivable.id)).to.deep.equal(receivable);
            for (const eid of [EID.tier1, EID.core]) {
                const linked = await h.evaluate<Array<{ type: string; id: string }>>(cast.admin, 'receivable-probe:Linked', [eid]);
                expect(linked).to.deep.include({ type: 'receivable', id: receivable.id });
            }
        });

        it('registers a tier-2 receivable against a supplier buyer', async () => {
            const receivable = await register(cast.tier2, { buyerId: EID.tier1 });
            expect(receivable).to.include({ sellerId: EID.tier2, buyerId: EID.tier1 });
        });

        it('never takes the seller from the arguments', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => register(cast.tier1, { sellerId: EID.tier2 }));
        });

        it('refuses every role but a supplier, identities without attributes, the wrong org and unregistered suppliers', async () => {
            for (const who of [cast.core, cast.bank, cast.admin, cast.regulator, cast.partner, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => register(who, { buyerId: EID.core2 }));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => register(cast.anonymous));
        });

        it('refuses a frozen seller and a frozen buyer with ENTERPRISE_FROZEN', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => register(cast.tier1));
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => register(cast.tier2));
        });

        it('refuses the seller itself, a financier or other kind as buyer, and an unknown buyer', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => register(cast.tier1, { buyerId: EID.tier1 }));
            for (const buyerId of [EID.bank, EID.regulator, EID.partner]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => register(cast.tier1, { buyerId }));
            }
            await expectRefused(h, 'NOT_FOUND', () => register(cast.tier1, { buyerId: uscc('91110000MA9990012') }));
        });

        it('rejects malformed requests', async () => {
            const attempts: Array<Record<string, unknown> | string> = [
                'not json',
                { ...REQUEST, status: 'CONFIRMED' },
                { ...REQUEST, invoiceNumber: undefined },
                { ...REQUEST, invoiceNumber: '   ' },
                { ...REQUEST, invoiceNumber: 'INV*001' },
                { ...REQUEST, invoiceNumber: '-001' },
                { ...REQUEST, invoiceNumber: '发票001' },
                { ...REQUEST, invoiceNumber: 'X'.repeat(65) },
                { ...REQUEST, amount: '0' },
                { ...REQUEST, amount: '-1' },
                { ...REQUEST, amount: '10.5' },
                { ...REQUEST, amount: 10 },
                { ...REQUEST, currency: 'RMB' },
                { ...REQUEST, issueDate: '2026-02-30' },
                { ...REQUEST, issueDate: '2026-01-02T00:00:00Z' },
                { ...REQUEST, issueDate: '0000-01-01' },
                { ...REQUEST, issueDate: '1999-12-31' },
                { ...REQUEST, issueDate: '2026-01-06', dueDate: '2026-04-06' },
                { ...REQUEST, issueDate: '2027-04-01', dueDate: '2027-06-30' },
                { ...REQUEST, dueDate: '2026-04-31' },
                { ...REQUEST, dueDate: '2026-01-02' },
                { ...REQUEST, dueDate: '2025-12-31' },
                { ...REQUEST, dueDate: undefined },
                { ...REQUEST, documentCid: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG' },
                { ...REQUEST, documentCid: CID.toUpperCase() },
                { ...REQUEST, documentCid: CID.slice(0, -1) },
                { ...REQUEST, documentCid: 'bafy' },
                { ...REQUEST, buyerId: '../x' },
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier1, 'receivable:RegisterReceivable', [request]));
            }
        });
    });

    describe('issue date', () => {
        it('accepts an invoice issued on the transaction date or on the earliest accepted date, 2000-01-01', async () => {
            expect(h.now().toISOString().slice(0, 10)).to.equal('2026-01-05');
            expect(await register(cast.tier1, { invoiceNumber: 'D-1', issueDate: '2026-01-05' })).to.include({ issueDate: '2026-01-05' });
            expect(await register(cast.tier1, { invoiceNumber: 'D-2', issueDate: '2000-01-01' })).to.include({ issueDate: '2000-01-01' });
        });

        it("refuses an invoice issued after the transaction's date, judged by the transaction time and not the clock", async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => register(cast.tier1, { issueDate: '2026-01-06' }));
            h.setTime('2026-01-06T00:00:00.000Z');
            expect(await register(cast.tier1, { issueDate: '2026-01-06' })).to.include({ issueDate: '2026-01-06' });
        });
    });

    describe('double financing', () => {
        it('refuses registering the same invoice twice', async () => {
            await register();
            await expectRefused(h, 'DOUBLE_FINANCING', () => register());
        });

        it("treats 'inv 001' as the same invoice as 'INV-001'", async () => {
            await register();
            await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { invoiceNumber: 'inv 001' }));
            await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { invoiceNumber: ' Inv-0-01 ' }));
        });

        it("treats every separator the invoice number accepts as absent: 'DF-7001', 'DF.7001', 'DF_7001', 'DF/7001', 'DF#7001' are one invoice", async () => {
            await register(cast.tier1, { invoiceNumber: 'DF-7001' });
            for (const invoiceNumber of ['DF.7001', 'DF_7001', 'DF/7001', 'DF#7001', 'df 7001', 'DF7001', 'D.F-7_0/0#1']) {
                await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { invoiceNumber }));
            }
        });

        it("keeps digits as written: 'DF-07001' is another invoice than 'DF-7001'", async () => {
            const first = await register(cast.tier1, { invoiceNumber: 'DF-7001' });
            const second = await register(cast.tier1, { invoiceNumber: 'DF-07001' });
            expect(second.fingerprint).to.not.equal(first.fingerprint);
        });

        it('refuses an invoice whose fingerprint an earlier version recorded under the first normal form', async () => {
            const tuple = { sellerId: EID.tier1, buyerId: EID.core, invoiceNumber: 'DF/7001', amount: BigInt(REQUEST.amount), issueDate: REQUEST.issueDate };
            const legacy = legacyFingerprint('xinlian', tuple) as string;
            expect(legacy).to.be.a('string').and.not.equal(receivableFingerprint('xinlian', tuple));
            await h.submit(cast.admin, 'receivable-probe:PutFingerprint', [legacy]);
            await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { invoiceNumber: 'DF/7001' }));
        });

        it('refuses the same invoice from another user of the seller, with a different due date or document', async () => {
            await register();
            await expectRefused(h, 'DOUBLE_FINANCING', () => register(tier1Clerk, { dueDate: '2026-06-30', documentCid: 'bafkreics23r54t5a3tbjsrtjl6jzidb6p4tpgdq6hh2ldje23gedsejhqy' }));
        });

        it('still refuses the invoice after the first registration was cancelled or disputed', async () => {
            const first = await register();
            await h.submit(cast.core, 'receivable:DisputeReceivable', [first.id, 'goods not received']);
            await expectRefused(h, 'DOUBLE_FINANCING', () => register());
            await h.submit(cast.tier1, 'receivable:CancelReceivable', [first.id, 'withdrawn']);
            await expectRefused(h, 'DOUBLE_FINANCING', () => register());
        });

        it('accepts the same invoice number from another seller or to another buyer', async () => {
            const first = await register();
            const others = [await register(cast.tier2), await register(cast.tier1, { buyerId: EID.core2 })];
            const fingerprints = new Set([first, ...others].map((r) => r.fingerprint));
            expect(fingerprints.size).to.equal(3);
        });

        it('refuses the same invoice number for the same buyer with another amount, issue date or due date, in any spelling', async () => {
            await register(cast.tier1, { invoiceNumber: 'SPC-2026-0417', amount: '18000000' });
            for (const overrides of [
                { amount: '18000001' },
                { amount: '17999999' },
                { issueDate: '2026-01-01' },
                { issueDate: '2026-01-03', dueDate: '2026-05-02' },
                { invoiceNumber: 'spc 2026 0417', amount: '1' },
            ]) {
                const error = await expectRefused(h, 'DOUBLE_FINANCING', () => register(tier1Clerk, { invoiceNumber: 'SPC-2026-0417', amount: '18000000', ...overrides }));
                expect(error.detail).to.contain(`already registered for buyer ${EID.core}`);
            }
        });

        it('refuses a second receivable backed by the same document, naming the receivable to its own seller only', async () => {
            const first = await register(cast.tier1, { documentCid: CID });
            const own = await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { invoiceNumber: 'INV-999', amount: '5', documentCid: CID }));
            expect(own.detail).to.contain(`already backs receivable ${first.id}`);
            const other = await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier2, { invoiceNumber: 'T2-1', documentCid: CID }));
            expect(other.detail).to.contain('already backs another receivable');
            expect(other.detail).to.not.contain(first.id);
        });

        it('keeps the invoice number and the document taken after the receivable was cancelled', async () => {
            const first = await register(cast.tier1, { documentCid: CID });
            await h.submit(cast.tier1, 'receivable:CancelReceivable', [first.id, 'amount mistyped']);
            await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { amount: '1000001' }));
            await expectRefused(h, 'DOUBLE_FINANCING', () => register(cast.tier1, { invoiceNumber: 'INV-002', documentCid: CID }));
            expect(await register(cast.tier1, { invoiceNumber: 'INV-002' })).to.include({ status: 'REGISTERED' });
        });

        it('keys an invoice number by seller, buyer and normal number under its own salted domain', () => {
            const base = { sellerId: EID.tier1, buyerId: EID.core, invoiceNumber: 'DF-7001' };
            const hash = invoiceNumberHash('xinlian', base);
            expect(hash).to.match(/^[0-9a-f]{64}$/);
            expect(invoiceNumberHash('xinlian', { ...base, invoiceNumber: 'df/7001' })).to.equal(hash);
            for (const other of [
                invoiceNumberHash('other-channel', base),
                invoiceNumberHash('xinlian', { ...base, sellerId: EID.tier2 }),
                invoiceNumberHash('xinlian', { ...base, buyerId: EID.core2 }),
                invoiceNumberHash('xinlian', { ...base, invoiceNumber: 'DF-07001' }),
                receivableFingerprint('xinlian', { ...base, amount: 1n, issueDate: '2026-01-02' }),
            ]) {
                expect(other).to.not.equal(hash);
            }
            expect(hash).to.not.contain('7001');
        });
    });

    describe('ReadReceivableByDocument', () => {
        it('answers the receivable a document backs to those who may read it, and NOT_FOUND to everyone else', async () => {
            const receivable = await register(cast.tier1, { documentCid: CID });
            for (const who of [cast.tier1, tier1Clerk, cast.core, cast.regulator, cast.admin]) {
                expect(await h.evaluate<Receivable>(who, 'receivable:ReadReceivableByDocument', [CID])).to.deep.equal(receivable);
            }
            for (const who of [cast.tier2, cast.core2, cast.bank]) {
                await expectRefused(h, 'NOT_FOUND', () => h.evaluate(who, 'receivable:ReadReceivableByDocument', [CID]));
            }
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.tier1, 'receivable:ReadReceivableByDocument', [testDocumentCid('never registered')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'receivable:ReadReceivableByDocument', ['not-a-cid']));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'receivable:ReadReceivableByDocument', [CID]));
            await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.unregistered, 'receivable:ReadReceivableByDocument', [CID]));
        });
    });

    describe('ConfirmReceivable', () => {
        let receivable: Receivable;
        beforeEach(async () => {
            receivable = await register();
        });

        it('lets the named buyer confirm (确权) a REGISTERED receivable', async () => {
            const confirmedReceivable = await h.submit<Receivable>(cast.core, 'receivable:ConfirmReceivable', [receivable.id]);
            expect(confirmedReceivable).to.include({ status: 'CONFIRMED', fingerprint: receivable.fingerprint });
            expect(confirmedReceivable.confirmedAt).to.equal(confirmedReceivable.updatedAt);
            expect(lastEvent().name).to.equal('ConfirmReceivable');
            expect(lastEvent().payload).to.include({ receivableId: receivable.id, status: 'CONFIRMED' });
            expect(await read(receivable.id)).to.deep.equal(confirmedReceivable);
        });

        it('lets a supplier buyer confirm', async () => {
            const tier2 = await register(cast.tier2, { buyerId: EID.tier1 });
            expect(await h.submit(cast.tier1, 'receivable:ConfirmReceivable', [tier2.id])).to.include({ status: 'CONFIRMED' });
        });

        it('lets the buyer confirm a DISPUTED receivable once resolved', async () => {
            await h.submit(cast.core, 'receivable:DisputeReceivable', [receivable.id, 'short delivery']);
            const resolved = await h.submit<Receivable>(cast.core, 'receivable:ConfirmReceivable', [receivable.id]);
            expect(resolved).to.include({ status: 'CONFIRMED', disputeReason: 'short delivery' });
        });

        it('refuses anyone but the named buyer: the seller, another supplier, another core enterprise, other roles', async () => {
            for (const who of [cast.tier1, cast.tier2, cast.core2, cast.bank, cast.admin, cast.regulator, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'receivable:ConfirmReceivable', [receivable.id]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'receivable:ConfirmReceivable', [receivable.id]));
        });

        it('refuses a frozen buyer', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.core, 'receivable:ConfirmReceivable', [receivable.id]));
        });

        it('refuses confirming twice, a cancelled receivable, an unknown id and a malformed id', async () => {
            await h.submit(cast.core, 'receivable:ConfirmReceivable', [receivable.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'receivable:ConfirmReceivable', [receivable.id]));
            const other = await register(cast.tier1, { invoiceNumber: 'INV-002' });
            await h.submit(cast.tier1, 'receivable:CancelReceivable', [other.id, 'typo']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'receivable:ConfirmReceivable', [other.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.core, 'receivable:ConfirmReceivable', [UNKNOWN]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.core, 'receivable:ConfirmReceivable', ['../x']));
        });
    });

    describe('DisputeReceivable', () => {
        let receivable: Receivable;
        beforeEach(async () => {
            receivable = await register();
        });

        it('lets the named buyer dispute a REGISTERED receivable with a reason', async () => {
            const disputed = await h.submit<Receivable>(cast.core, 'receivable:DisputeReceivable', [receivable.id, ' goods not received ']);
            expect(disputed).to.include({ status: 'DISPUTED', disputeReason: 'goods not received' });
            expect(disputed.disputedAt).to.equal(disputed.updatedAt);
            expect(lastEvent()).to.deep.include({ name: 'DisputeReceivable' });
            expect(lastEvent().payload).to.include({ receivableId: receivable.id, status: 'DISPUTED' });
        });

        it('refuses anyone but the named buyer', async () => {
            for (const who of [cast.tier1, cast.tier2, cast.core2, cast.bank, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'receivable:DisputeReceivable', [receivable.id, 'x']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'receivable:DisputeReceivable', [receivable.id, 'x']));
        });

        it('refuses a frozen buyer', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.core, 'receivable:DisputeReceivable', [receivable.id, 'x']));
        });

        it('refuses an empty reason, disputing twice, disputing a CONFIRMED receivable and an unknown id', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.core, 'receivable:DisputeReceivable', [receivable.id, ' ']));
            await h.submit(cast.core, 'receivable:DisputeReceivable', [receivable.id, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'receivable:DisputeReceivable', [receivable.id, 'again']));
            const other = await confirmed({ invoiceNumber: 'INV-002' });
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.core, 'receivable:DisputeReceivable', [other.id, 'late']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.core, 'receivable:DisputeReceivable', [UNKNOWN, 'x']));
        });
    });

    describe('CancelReceivable', () => {
        let receivable: Receivable;
        beforeEach(async () => {
            receivable = await register();
        });

        it('lets the seller cancel a REGISTERED receivable', async () => {
            const cancelled = await h.submit<Receivable>(cast.tier1, 'receivable:CancelReceivable', [receivable.id, 'issued in error']);
            expect(cancelled).to.include({ status: 'CANCELLED', cancelReason: 'issued in error' });
            expect(cancelled.cancelledAt).to.equal(cancelled.updatedAt);
            expect(lastEvent().name).to.equal('CancelReceivable');
            expect(lastEvent().payload).to.include({ receivableId: receivable.id, status: 'CANCELLED' });
        });

        it('lets another user of the seller cancel a DISPUTED receivable', async () => {
            await h.submit(cast.core, 'receivable:DisputeReceivable', [receivable.id, 'x']);
            expect(await h.submit(tier1Clerk, 'receivable:CancelReceivable', [receivable.id, 'agreed'])).to.include({ status: 'CANCELLED' });
        });

        it('refuses anyone but the seller: the buyer, a supplier buyer, another supplier, other roles', async () => {
            const tier2 = await register(cast.tier2, { buyerId: EID.tier1 });
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.tier1, 'receivable:CancelReceivable', [tier2.id, 'x']));
            for (const who of [cast.core, cast.tier2, cast.bank, cast.regulator, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'receivable:CancelReceivable', [receivable.id, 'x']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'receivable:CancelReceivable', [receivable.id, 'x']));
        });

        it('refuses a frozen seller', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier1, 'receivable:CancelReceivable', [receivable.id, 'x']));
        });

        it('refuses an empty reason, a CONFIRMED or CANCELLED receivable and an unknown id', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier1, 'receivable:CancelReceivable', [receivable.id, '']));
            await h.submit(cast.tier1, 'receivable:CancelReceivable', [receivable.id, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:CancelReceivable', [receivable.id, 'x']));
            const other = await confirmed({ invoiceNumber: 'INV-002' });
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:CancelReceivable', [other.id, 'x']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.tier1, 'receivable:CancelReceivable', [UNKNOWN, 'x']));
        });
    });

    describe('SettleReceivable', () => {
        it('lets the seller acknowledge payment of a CONFIRMED receivable received outside a note', async () => {
            const receivable = await confirmed();
            const settled = await h.submit<Receivable>(cast.tier1, 'receivable:SettleReceivable', [receivable.id]);
            expect(settled).to.include({ status: 'SETTLED', acknowledgedAmount: '1000000', settledAmount: '1000000', notedAmount: '0', availableAmount: '0' });
            expect(settled.settledAt).to.equal(settled.updatedAt);
            expect(await read(receivable.id)).to.deep.equal(settled);
            expect(lastEvent().name).to.equal('SettleReceivable');
            expect(lastEvent().payload).to.include({ receivableId: receivable.id, status: 'SETTLED' });
            // Another user of the seller may acknowledge too.
            const other = await confirmed({ invoiceNumber: 'INV-002' });
            expect(await h.submit(tier1Clerk, 'receivable:SettleReceivable', [other.id])).to.include({ status: 'SETTLED' });
        });

        it('refuses the buyer: a debtor cannot declare its own debt paid', async () => {
            const receivable = await confirmed();
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.core, 'receivable:SettleReceivable', [receivable.id]));
            const owedBySupplier = await h.submit<Receivable>(cast.tier2, 'receivable:RegisterReceivable', [{ ...REQUEST, buyerId: EID.tier1, invoiceNumber: 'T2-1', documentCid: testDocumentCid('tier-2 invoice') }]);
            await h.submit(cast.tier1, 'receivable:ConfirmReceivable', [owedBySupplier.id]);
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [owedBySupplier.id]));
            expect((await read(receivable.id)).status).to.equal('CONFIRMED');
            expect(await h.submit(cast.tier2, 'receivable:SettleReceivable', [owedBySupplier.id])).to.include({ status: 'SETTLED' });
        });

        it('refuses anyone but the seller, and a frozen seller', async () => {
            const receivable = await confirmed();
            for (const who of [cast.tier2, cast.core2, cast.bank, cast.regulator, cast.admin, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'receivable:SettleReceivable', [receivable.id]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'receivable:SettleReceivable', [receivable.id]));
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [receivable.id]));
        });

        it('refuses REGISTERED, DISPUTED, wholly NOTED and SETTLED receivables, an unknown and a malformed id', async () => {
            const registered = await register();
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [registered.id]));
            await h.submit(cast.core, 'receivable:DisputeReceivable', [registered.id, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [registered.id]));
            const noted = await confirmed({ invoiceNumber: 'INV-002' });
            await use([noted.id], '1000000');
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [noted.id]));
            const paid = await confirmed({ invoiceNumber: 'INV-003' });
            await h.submit(cast.tier1, 'receivable:SettleReceivable', [paid.id]);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [paid.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [UNKNOWN]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.tier1, 'receivable:SettleReceivable', ['../x']));
        });

        it('acknowledges only what no note draws on: the receivable stays NOTED until the note is redeemed, then is SETTLED', async () => {
            const receivable = await confirmed();
            await use([receivable.id], '300000', 'NOTE-1');
            const acknowledged = await h.submit<Receivable>(cast.tier1, 'receivable:SettleReceivable', [receivable.id]);
            expect(acknowledged).to.include({ status: 'NOTED', notedAmount: '300000', acknowledgedAmount: '700000', settledAmount: '700000', availableAmount: '0' });
            expect(acknowledged.notedAt).to.equal(acknowledged.updatedAt);
            expect(acknowledged.settledAt).to.equal(undefined);
            await expectRefused(h, 'DOUBLE_FINANCING', () => use([receivable.id], '1', 'NOTE-2'));
            await settle('NOTE-1', [receivable.id]);
            expect(await read(receivable.id)).to.include({ status: 'SETTLED', settledAmount: '1000000', acknowledgedAmount: '700000' });
        });
    });

    describe('ReadReceivable / ListReceivables', () => {
        it('lets the seller, the buyer, the regulator and the platform admin read a receivable', async () => {
            const a = await register(cast.tier1);
            for (const who of [cast.tier1, tier1Clerk, cast.core, cast.regulator, cast.admin]) {
                expect(await h.evaluate<Receivable>(who, 'receivable:ReadReceivable', [a.id])).to.deep.equal(a);
            }
        });

        it('refuses everyone else: other suppliers and core enterprises, financiers not financing it, other roles, misfit certificates', async () => {
            const a = await register(cast.tier1);
            for (const who of [cast.tier2, cast.tier3, cast.core2, cast.bank, cast.bank2, cast.appraiser, cast.bureau, cast.partner, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'receivable:ReadReceivable', [a.id]));
            }
        });

        it('lets a frozen party still read its own receivables', async () => {
            const a = await register(cast.tier1);
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'fraud']);
            expect((await h.evaluate<Receivable>(cast.tier1, 'receivable:ReadReceivable', [a.id])).id).to.equal(a.id);
            expect(await h.evaluate<Receivable[]>(cast.tier1, 'receivable:ListReceivables', [EID.tier1, 'seller'])).to.have.length(1);
        });

        it('lists by seller or buyer, in id order, to that enterprise, the regulator and the platform admin', async () => {
            const a = await register(cast.tier1);
            const b = await register(cast.tier2);
            const c = await register(cast.tier2, { buyerId: EID.tier1 });
            for (const who of [cast.regulator, cast.admin]) {
                const ids = async (eid: string, role: string): Promise<string[]> =>
                    (await h.evaluate<Receivable[]>(who, 'receivable:ListReceivables', [eid, role])).map((r) => r.id);
                expect(await ids(EID.core, 'buyer')).to.deep.equal([a.id, b.id].sort());
                expect(await ids(EID.tier2, 'seller')).to.deep.equal([b.id, c.id].sort());
                expect(await ids(EID.tier1, 'seller')).to.deep.equal([a.id]);
                expect(await ids(EID.tier1, 'buyer')).to.deep.equal([c.id]);
                expect(await ids(EID.core, 'seller')).to.deep.equal([]);
            }
            const own = async (who: TestIdentity, eid: string, role: string): Promise<string[]> =>
                (await h.evaluate<Receivable[]>(who, 'receivable:ListReceivables', [eid, role])).map((r) => r.id);
            expect(await own(cast.core, EID.core, 'buyer')).to.deep.equal([a.id, b.id].sort());
            expect(await own(cast.tier2, EID.tier2, 'seller')).to.deep.equal([b.id, c.id].sort());
            expect(await own(tier1Clerk, EID.tier1, 'buyer')).to.deep.equal([c.id]);
        });

        it("refuses listing another enterprise's receivables, whatever the role", async () => {
            await register(cast.tier1);
            for (const who of [cast.tier2, cast.core2, cast.bank, cast.appraiser, cast.bureau, cast.partner, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'receivable:ListReceivables', [EID.tier1, 'seller']));
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'receivable:ListReceivables', [EID.core, 'buyer']));
            }
            // The buyer lists what it owes, not what its suppliers sell to others.
            await expectRefused(h, 'FORBIDDEN', () => h.evaluate(cast.core, 'receivable:ListReceivables', [EID.tier1, 'seller']));
        });

        it('refuses reads without attributes, answers NOT_FOUND and INVALID_ARGUMENT, and emits nothing', async () => {
            const receivable = await register();
            const before = h.events().length;
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'receivable:ReadReceivable', [receivable.id]));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'receivable:ListReceivables', [EID.core, 'buyer']));
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.tier1, 'receivable:ReadReceivable', [UNKNOWN]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'receivable:ReadReceivable', ['../x']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'receivable:ListReceivables', [EID.core, 'holder']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'receivable:ListReceivables', ['', 'buyer']));
            await h.submit(cast.tier1, 'receivable:ReadReceivable', [receivable.id]);
            await h.submit(cast.tier1, 'receivable:ListReceivables', [EID.tier1, 'seller']);
            expect(h.events().length).to.equal(before);
        });
    });

    describe('allocateReceivablesToNote', () => {
        it('draws only the face amount, in the order given, and leaves the rest of the last receivable available', async () => {
            const a = await confirmed();
            const b = await confirmed({ invoiceNumber: 'INV-002', amount: '250000' });
            expect(await use([b.id, a.id], '1100000', 'NOTE-abc')).to.deep.equal([
                { receivableId: b.id, amount: '250000' },
                { receivableId: a.id, amount: '850000' },
            ]);
            const wholly = await read(b.id);
            expect(wholly).to.include({ status: 'NOTED', noteId: 'NOTE-abc', notedAmount: '250000', availableAmount: '0', settledAmount: '0' });
            expect(wholly.notedAt).to.equal(wholly.updatedAt);
            expect(wholly.allocations).to.deep.equal([{ noteId: 'NOTE-abc', amount: '250000', allocatedAt: wholly.updatedAt }]);
            const partly = await read(a.id);
            expect(partly).to.include({ status: 'CONFIRMED', noteId: 'NOTE-abc', notedAmount: '850000', availableAmount: '150000' });
            expect(partly.notedAt).to.equal(undefined);
        });

        it('lets the rest back further notes, never more than the receivable in total', async () => {
            const a = await confirmed();
            await use([a.id], '1', 'NOTE-1');
            expect(await read(a.id)).to.include({ status: 'CONFIRMED', notedAmount: '1', availableAmount: '999999' });
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id], '1000000', 'NOTE-2'));
            await use([a.id], '999999', 'NOTE-2');
            const full = await read(a.id);
            expect(full).to.include({ status: 'NOTED', noteId: 'NOTE-1', notedAmount: '1000000', availableAmount: '0' });
            expect(full.allocations.map((x) => [x.noteId, x.amount])).to.deep.equal([
                ['NOTE-1', '1'],
                ['NOTE-2', '999999'],
            ]);
            await expectRefused(h, 'DOUBLE_FINANCING', () => use([a.id], '1', 'NOTE-3'));
        });

        it('refuses a receivable the ones before it make unnecessary, and a face above what the receivables have available', async () => {
            const a = await confirmed();
            const b = await confirmed({ invoiceNumber: 'INV-002', amount: '250000' });
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id, b.id], '1000000'));
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id, b.id], '1250001'));
            expect((await use([a.id, b.id], '1000001')).map((x) => x.amount)).to.deep.equal(['1000000', '1']);
        });

        it('refuses an empty list, a duplicate id, a malformed id, a malformed note id or a face of nothing', async () => {
            const a = await confirmed();
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id, a.id]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => use(['../x']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id], '1', ''));
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id], '0'));
        });

        it('refuses an unknown receivable, one owed by another buyer and one in another currency, changing nothing', async () => {
            const a = await confirmed();
            const other = await confirmed({ invoiceNumber: 'INV-002', buyerId: EID.core2 });
            const usd = await confirmed({ invoiceNumber: 'INV-003', currency: 'USD' });
            await expectRefused(h, 'NOT_FOUND', () => use([a.id, UNKNOWN], '1000001'));
            await expectRefused(h, 'FORBIDDEN', () => use([a.id, other.id], '1000001'));
            await expectRefused(h, 'INVALID_ARGUMENT', () => use([a.id, usd.id], '1000001'));
        });

        it('refuses a receivable with nothing left to draw with DOUBLE_FINANCING', async () => {
            const a = await confirmed();
            const b = await confirmed({ invoiceNumber: 'INV-002' });
            await use([a.id], '1000000', 'NOTE-1');
            await expectRefused(h, 'DOUBLE_FINANCING', () => use([b.id, a.id], '1000001', 'NOTE-2'));
            expect(await read(a.id)).to.include({ noteId: 'NOTE-1' });
        });

        it('refuses REGISTERED, DISPUTED, CANCELLED and SETTLED receivables with INVALID_STATE', async () => {
            const registered = await register(cast.tier1, { invoiceNumber: 'R-1' });
            const disputed = await register(cast.tier1, { invoiceNumber: 'R-2' });
            await h.submit(cast.core, 'receivable:DisputeReceivable', [disputed.id, 'x']);
            const cancelled = await register(cast.tier1, { invoiceNumber: 'R-3' });
            await h.submit(cast.tier1, 'receivable:CancelReceivable', [cancelled.id, 'x']);
            const settled = await confirmed({ invoiceNumber: 'R-4' });
            await h.submit(cast.tier1, 'receivable:SettleReceivable', [settled.id]);
            for (const receivable of [registered, disputed, cancelled, settled]) {
                await expectRefused(h, 'INVALID_STATE', () => use([receivable.id]));
            }
        });

        it(`backs at most ${MAX_NOTES_PER_RECEIVABLE} notes with one receivable`, async () => {
            const a = await confirmed();
            for (let i = 0; i < MAX_NOTES_PER_RECEIVABLE; i++) {
                await use([a.id], '1', `NOTE-${i}`);
            }
            expect(await read(a.id)).to.include({ status: 'CONFIRMED', notedAmount: String(MAX_NOTES_PER_RECEIVABLE) });
            await expectRefused(h, 'INVALID_STATE', () => use([a.id], '1', 'NOTE-more'));
        });
    });

    describe('settleReceivablesOfNote', () => {
        it('does nothing for an empty list', async () => {
            const before = await h.stateDigest();
            await settle('NOTE-1', []);
            expect(await h.stateDigest()).to.equal(before);
        });

        it('pays wholly drawn receivables, SETTLED', async () => {
            const a = await confirmed();
            const b = await confirmed({ invoiceNumber: 'INV-002' });
            await use([a.id, b.id], '2000000');
            await settle('NOTE-1', [a.id, b.id]);
            for (const id of [a.id, b.id]) {
                const settled = await read(id);
                expect(settled).to.include({ status: 'SETTLED', noteId: 'NOTE-1', settledAmount: '1000000' });
                expect(settled.settledAt).to.equal(settled.updatedAt);
                expect(settled.allocations[0].settledAt).to.equal(settled.updatedAt);
            }
        });

        it('pays only the part the note drew: the rest stays available, and the receivable is SETTLED once every part is paid', async () => {
            const a = await confirmed();
            await use([a.id], '3000', 'NOTE-1');
            await settle('NOTE-1', [a.id]);
            expect(await read(a.id)).to.include({ status: 'CONFIRMED', notedAmount: '3000', settledAmount: '3000', availableAmount: '997000' });
            await use([a.id], '997000', 'NOTE-2');
            expect(await read(a.id)).to.include({ status: 'NOTED', settledAmount: '3000', availableAmount: '0' });
            await settle('NOTE-2', [a.id]);
            expect(await read(a.id)).to.include({ status: 'SETTLED', settledAmount: '1000000' });
        });

        it('refuses a receivable with no unpaid part drawn by the note, an unknown one and duplicates, changing nothing', async () => {
            const a = await confirmed();
            const b = await confirmed({ invoiceNumber: 'INV-002' });
            await use([a.id], '1000000');
            await expectRefused(h, 'INVALID_STATE', () => settle('NOTE-1', [a.id, b.id]));
            await expectRefused(h, 'INVALID_STATE', () => settle('NOTE-2', [a.id]));
            await expectRefused(h, 'NOT_FOUND', () => settle('NOTE-1', [a.id, UNKNOWN]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => settle('NOTE-1', [a.id, a.id]));
            await settle('NOTE-1', [a.id]);
            await expectRefused(h, 'INVALID_STATE', () => settle('NOTE-1', [a.id]));
        });
    });

    describe('receivables written before partial backing', () => {
        /** A record as an earlier version wrote it: no amount fields. */
        let olds = 0;
        async function legacy(status: Receivable['status'], extra: Record<string, string> = {}): Promise<Receivable> {
            olds += 1;
            const fresh = await confirmed({ invoiceNumber: `OLD-${olds}` });
            const old: Record<string, unknown> = { ...fresh, status, ...extra };
            for (const field of ['allocations', 'notedAmount', 'acknowledgedAmount', 'settledAmount', 'availableAmount']) {
                delete old[field];
            }
            await h.submit(cast.admin, 'receivable-probe:PutReceivable', [JSON.stringify(old)]);
            return read(fresh.id);
        }

        it('reads a NOTED one as wholly drawn by its note, which settles it whole', async () => {
            const old = await legacy('NOTED', { noteId: 'NOTE-old', notedAt: '2026-01-05T00:00:00.000Z' });
            expect(old).to.include({ status: 'NOTED', notedAmount: '1000000', availableAmount: '0', settledAmount: '0', acknowledgedAmount: '0' });
            expect(old.allocations).to.deep.equal([{ noteId: 'NOTE-old', amount: '1000000', allocatedAt: '2026-01-05T00:00:00.000Z' }]);
            await expectRefused(h, 'DOUBLE_FINANCING', () => use([old.id], '1', 'NOTE-new'));
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.tier1, 'receivable:SettleReceivable', [old.id]));
            await settle('NOTE-old', [old.id]);
            expect(await read(old.id)).to.include({ status: 'SETTLED', settledAmount: '1000000' });
        });

        it('reads a CONFIRMED one as wholly available and a SETTLED one as paid', async () => {
            const confirmedOld = await legacy('CONFIRMED');
            expect(confirmedOld).to.include({ availableAmount: '1000000', notedAmount: '0' });
            await use([confirmedOld.id], '400000');
            expect(await read(confirmedOld.id)).to.include({ status: 'CONFIRMED', availableAmount: '600000' });
            const paidByNote = await legacy('SETTLED', { noteId: 'NOTE-old', settledAt: '2026-01-05T00:00:00.000Z' });
            expect(paidByNote).to.include({ notedAmount: '1000000', settledAmount: '1000000', acknowledgedAmount: '0', availableAmount: '0' });
            const paidOutside = await legacy('SETTLED');
            expect(paidOutside).to.include({ notedAmount: '0', settledAmount: '1000000', acknowledgedAmount: '1000000' });
            const registered = await legacy('REGISTERED');
            expect(registered).to.include({ availableAmount: '0', notedAmount: '0', settledAmount: '0' });
            expect(registered.allocations).to.deep.equal([]);
        });
    });
});
