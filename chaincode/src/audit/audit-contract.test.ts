import { expect } from 'chai';
import { createHash } from 'crypto';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { CreditLineContract } from '../credit-line/credit-line-contract';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { certificateFingerprint } from '../identity/certificate-fingerprint';
import { IdentityContract } from '../identity/identity-contract';
import { recordTransactionCreator } from '../identity/transaction-creator';
import type { UserEnrolment } from '../identity/user-enrolment';
import { linkRecord } from '../ledger/audit-index';
import { XinlianContract } from '../ledger/contract-base';
import { canonicalStringify } from '../ledger/canonical-json';
import { compositeKey, writeRecord } from '../ledger/state';
import { contentHash, emitEvent } from '../ledger/tx';
import { ProfileContract } from '../profile/profile-contract';
import { recordCreditEvents } from '../profile/credit-profile';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, newCast, registerCast, uscc } from '../testing/fixtures';
import { newUser } from '../testing/identities';
import { AUDIT_PACK_UNSEALED, AUDIT_PAGE_BYTES, AUDIT_PAGE_HISTORY_ENTRIES, AUDIT_PAGE_RECORDS, AuditContract, AuditPack, AuditRecord, encodeBookmark } from './audit-contract';

/** Test-only contract: writes primary records linked to enterprises, as business modules do. */
@Info({ title: 'AuditProbe', description: 'test only' })
class AuditProbe extends XinlianContract {
    constructor() {
        super('audit-probe');
    }

    /** Writes `count` records `type/<prefix><n>` with `value`, each linked to `enterpriseIds`. */
    @Transaction()
    @Returns('string')
    async Put(ctx: Context, request: string): Promise<string> {
        const { type, prefix, count, enterpriseIds, value } = JSON.parse(request) as { type: string; prefix: string; count: number; enterpriseIds: string[]; value: object };
        for (let n = 0; n < count; n++) {
            const id = count === 1 ? prefix : `${prefix}${String(n).padStart(4, '0')}`;
            await writeRecord(ctx, compositeKey(ctx, type, [id]), { docType: type, id, ...value });
            await linkRecord(ctx, enterpriseIds, { type, id });
        }
        emitEvent(ctx, 'Put', {});
        return '';
    }

    /**
     * Writes one record linked to `enterpriseId` and emits its event, as a business transaction does: the
     * base contract records the signer (once, however often it is asked to).
     */
    @Transaction()
    @Returns('string')
    async PutAttributed(ctx: Context, type: string, id: string, enterpriseId: string): Promise<string> {
        await writeRecord(ctx, compositeKey(ctx, type, [id]), { docType: type, id });
        await linkRecord(ctx, [enterpriseId], { type, id });
        await recordTransactionCreator(ctx);
        emitEvent(ctx, 'PutAttributed', {});
        return '';
    }

    /**
     * Writes one record without an event, so no signer is recorded: what a ledger holds from before
     * signers were recorded (every transaction that changes state emits its event).
     */
    @Transaction()
    @Returns('string')
    async PutUnattributed(ctx: Context, type: string, id: string, enterpriseId: string): Promise<string> {
        await writeRecord(ctx, compositeKey(ctx, type, [id]), { docType: type, id });
        await linkRecord(ctx, [enterpriseId], { type, id });
        return '';
    }

    @Transaction()
    @Returns('string')
    async Delete(ctx: Context, type: string, id: string): Promise<string> {
        await ctx.stub.deleteState(compositeKey(ctx, type, [id]));
        emitEvent(ctx, 'Delete', {});
        return '';
    }

    @Transaction()
    @Returns('string')
    async Overdue(ctx: Context, enterpriseId: string, ref: string): Promise<string> {
        await recordCreditEvents(ctx, [{ enterpriseId, type: 'NOTE_OVERDUE', ref, amount: 100n, currency: 'CNY' }]);
        emitEvent(ctx, 'Overdue', {});
        return '';
    }
}

async function put(h: Harness, cast: Cast, type: string, prefix: string, enterpriseIds: string[], value: object = {}, count = 1): Promise<string> {
    await h.submit(cast.admin, 'audit-probe:Put', [{ type, prefix, count, enterpriseIds, value }]);
    return h.events().slice(-1)[0].txId;
}

function find(pack: AuditPack, type: string, id: string): AuditRecord {
    const record = pack.records.find((r) => r.type === type && r.id === id);
    if (!record) {
        throw new Error(`pack lacks ${type}/${id}`);
    }
    return record;
}

function contentOf(pack: AuditPack): Omit<AuditPack, 'digest' | 'generatedAt' | 'generatedByTxId' | 'generatedBy'> {
    const content: Partial<AuditPack> = { ...pack };
    delete content.digest;
    delete content.generatedAt;
    delete content.generatedByTxId;
    delete content.generatedBy;
    return content as Omit<AuditPack, 'digest' | 'generatedAt' | 'generatedByTxId' | 'generatedBy'>;
}

/** Every page of `enterpriseId`'s pack from `bookmark` on, each checked to start where the one before ended and to be sealed. */
async function allPages(h: Harness, cast: Cast, enterpriseId: string, bookmark = ''): Promise<AuditPack[]> {
    const pages: AuditPack[] = [];
    do {
        const page = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [enterpriseId, bookmark]);
        expect(page.bookmark).to.equal(bookmark);
        expect(page.digest).to.equal(contentHash(contentOf(page)));
        pages.push(page);
        bookmark = page.nextBookmark;
    } while (bookmark !== '' && pages.length < 100);
    expect(bookmark, 'paging ends').to.equal('');
    return pages;
}

/** The UTF-8 size of a page as the transaction returns it: its canonical JSON. */
function pageBytes(page: AuditPack): number {
    return Buffer.byteLength(canonicalStringify(page), 'utf8');
}

/**
 * The records of a pack put back together from its pages: each record's parts must follow one
 * another, each starting at the entry after the last one of the part before.
 */
function joinRecords(pages: AuditPack[]): AuditRecord[] {
    const joined: AuditRecord[] = [];
    for (const part of pages.flatMap((page) => page.records)) {
        const last = joined[joined.length - 1];
        if (part.historyStart > 0) {
            expect(last && `${last.type}/${last.id}`, `${part.type}/${part.id} continues the record before it`).to.equal(`${part.type}/${part.id}`);
            expect(part.historyStart, `${part.type}/${part.id} continues where its last part ended`).to.equal(last.history.length);
            joined[joined.length - 1] = { ...part, historyStart: 0, history: [...last.history, ...part.history] };
        } else {
            joined.push(part);
        }
    }
    for (const record of joined) {
        expect(record.history, `${record.type}/${record.id} is whole`).to.have.length(record.historyTotal);
    }
    return joined;
}

describe('AuditContract', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, IdentityContract, ProfileContract, AuditContract, AuditProbe]);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    describe('ExportAuditPack', () => {
        it('exports every linked record with its current value and full history, the enterprise and its profile', async () => {
            const created = await put(h, cast, 'receivable', 'rcv-1', [EID.tier1, EID.core], { status: 'REGISTERED' });
            const confirmed = await put(h, cast, 'receivable', 'rcv-1', [EID.tier1, EID.core], { status: 'CONFIRMED' });
            await put(h, cast, 'note', 'note-9', [EID.core2, EID.tier2]);
            await h.submit(cast.admin, 'audit-probe:Overdue', [EID.core, 'note-1']);
            const profileTx = h.events().slice(-1)[0].txId;
            const before = h.events().length;

            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            expect(pack).to.include({ enterpriseId: EID.core, totalRecords: 3, bookmark: '', nextBookmark: '' });
            expect(pack.enterprise).to.include({ id: EID.core, kind: 'CORE_ENTERPRISE' });
            expect(pack.creditProfile).to.include({ enterpriseId: EID.core, score: 450, warning: 'RED' });
            expect(pack.records.map((r) => `${r.type}/${r.id}`)).to.deep.equal([`creditProfile/${EID.core}`, `enterprise/${EID.core}`, 'receivable/rcv-1']);

            const receivable = find(pack, 'receivable', 'rcv-1');
            expect(receivable.current).to.deep.equal({ docType: 'receivable', id: 'rcv-1', status: 'CONFIRMED' });
            expect(receivable.history.map((e) => [e.txId, e.isDelete, (e.value as { status: string }).status])).to.deep.equal([
                [created, false, 'REGISTERED'],
                [confirmed, false, 'CONFIRMED'],
            ]);
            expect(receivable.history[0].timestamp).to.match(/^\d{4}-\d{2}-\d{2}T/);
            expect(find(pack, 'creditProfile', EID.core).history.map((e) => e.txId)).to.deep.equal([profileTx]);
            expect(find(pack, 'enterprise', EID.core).history).to.have.length(1);

            expect(pack.generatedByTxId).to.match(/^[0-9a-f]{64}$/);
            expect(pack.generatedAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
            expect(h.events()).to.have.length(before);
        });

        it('names the signer of each change whose transaction recorded it, and the regulator who exported the page', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'suspected invoice fraud']);
            await h.submit(cast.admin, 'audit-probe:PutUnattributed', ['note', 'note-unattributed', EID.tier1]);
            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier1, '']);
            const signer = (who: typeof cast.admin): object => ({
                mspId: who.mspId,
                role: who.attrs['xl.role'],
                enterpriseId: who.attrs['xl.eid'],
                certificateFingerprint: certificateFingerprint(who.certificate),
            });
            expect(find(pack, 'enterprise', EID.tier1).history.map((e) => e.creator)).to.deep.equal([signer(cast.admin), signer(cast.regulator)]);
            expect(find(pack, 'note', 'note-unattributed').history[0]).to.not.have.property('creator');
            expect(pack.generatedBy).to.deep.equal(signer(cast.regulator));
            expect(pack.digest).to.equal(contentHash(contentOf(pack)));
        });

        it('names the signer of every change a business transaction made, whichever contract made it', async () => {
            const business = await newHarness([EnterpriseContract, IdentityContract, ProfileContract, CreditLineContract, AuditContract]);
            try {
                await registerCast(business, cast);
                const line = await business.submit<{ id: string }>(cast.bank, 'credit-line:GrantCreditLine', [
                    { coreEnterpriseId: EID.core, currency: 'CNY', limit: '100000000', expiresAt: '2099-01-01' },
                ]);
                await business.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '200000000']);
                await business.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'inspection']);
                const pack = await business.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
                const creators = pack.records.flatMap((record) => record.history.map((entry) => `${record.type} ${entry.creator?.enterpriseId ?? 'none'} ${entry.creator?.role ?? ''}`));
                expect(creators).to.include.members([`creditLine ${EID.bank} financier`, `enterprise ${EID.platform} platform-admin`, `enterprise ${EID.regulator} regulator`]);
                expect(creators.filter((c) => c.startsWith('creditLine '))).to.deep.equal([`creditLine ${EID.bank} financier`, `creditLine ${EID.bank} financier`]);
                // Every entry names its signer: the credit profile's changes (line utilisation) too.
                expect(creators.filter((c) => c.includes(' none '))).to.deep.equal([]);
            } finally {
                await business.close();
            }
        });

        it('maps the signer of a change to the user enrolment the platform recorded for its certificate', async () => {
            await h.submit(cast.admin, 'identity:RecordUserEnrolment', [
                { username: 'suzhou', role: 'supplier', enterpriseId: EID.tier1, certificateFingerprint: certificateFingerprint(cast.tier1.certificate) },
            ]);
            await h.submit(cast.tier1, 'audit-probe:PutAttributed', ['receivable', 'rcv-7', EID.tier1]);
            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier1, '']);
            const change = find(pack, 'receivable', 'rcv-7').history[0];
            expect(change.creator).to.include({ enterpriseId: EID.tier1, role: 'supplier' });
            const enrolments = await h.evaluate<UserEnrolment[]>(cast.regulator, 'identity:ListUserEnrolments', [change.creator?.enterpriseId ?? '']);
            expect(enrolments.filter((e) => e.certificateFingerprint === change.creator?.certificateFingerprint).map((e) => e.username)).to.deep.equal(['suzhou']);
            // The enrolment is part of the enterprise's pack, signed by the platform admin.
            const enrolment = find(pack, 'userEnrolment', certificateFingerprint(cast.tier1.certificate));
            expect(enrolment.current).to.include({ username: 'suzhou' });
            expect(enrolment.history[0].creator).to.include({ role: 'platform-admin', certificateFingerprint: certificateFingerprint(cast.admin.certificate) });
        });

        it('seals the pack with the SHA-256 of its canonical content, equal across exports of unchanged state', async () => {
            await put(h, cast, 'note', 'note-1', [EID.core]);
            const first = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            const second = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            expect(first.digest).to.equal(contentHash(contentOf(first)));
            expect(second.digest).to.equal(first.digest);
            expect(second.generatedByTxId).to.not.equal(first.generatedByTxId);
            await put(h, cast, 'note', 'note-1', [EID.core], { amended: true });
            const third = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            expect(third.digest).to.not.equal(first.digest);
        });

        it('lets anyone re-check the digest with the rule docs/credit-scoring.md §5 publishes, whoever exported the page', async () => {
            await put(h, cast, 'note', 'note-1', [EID.core, EID.tier1], { amount: '100000', memo: '货款 🙂' });
            await h.submit(cast.admin, 'audit-probe:Overdue', [EID.core, 'note-1']);
            const secondRegulator = await newUser('PlatformMSP', 'regulator-2', 'regulator', EID.regulator);
            const packs = [await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']), await h.evaluate<AuditPack>(secondRegulator, 'audit:ExportAuditPack', [EID.core, ''])];
            expect(packs[0].generatedBy).to.not.deep.equal(packs[1].generatedBy);

            // The published rule, implemented from its text: SHA-256 (lower-case hex) of the UTF-8
            // canonical JSON (object keys sorted at every level, no white space) of the page without
            // exactly these four members.
            const DOCUMENTED_UNSEALED = ['digest', 'generatedAt', 'generatedByTxId', 'generatedBy'];
            const DOCUMENTED_SEALED = ['bookmark', 'creditProfile', 'enterprise', 'enterpriseId', 'nextBookmark', 'records', 'totalRecords'];
            const canonical = (value: unknown): unknown =>
                Array.isArray(value)
                    ? value.map(canonical)
                    : value !== null && typeof value === 'object'
                      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
                      : value;
            const recompute = (page: Record<string, unknown>, without: readonly string[]): string => {
                const sealed = Object.fromEntries(Object.entries(page).filter(([key]) => !without.includes(key)));
                return createHash('sha256').update(Buffer.from(JSON.stringify(canonical(sealed)), 'utf8')).digest('hex');
            };
            for (const pack of packs) {
                // The page as a client receives it: JSON text.
                const page = JSON.parse(JSON.stringify(pack)) as Record<string, unknown>;
                expect(Object.keys(page).sort()).to.deep.equal([...DOCUMENTED_SEALED, ...DOCUMENTED_UNSEALED].sort());
                expect(page.digest).to.match(/^[0-9a-f]{64}$/);
                expect(recompute(page, DOCUMENTED_UNSEALED)).to.equal(page.digest);
                // Who exported the page is not content: leaving generatedBy in gives another hash.
                expect(recompute(page, DOCUMENTED_UNSEALED.filter((key) => key !== 'generatedBy'))).to.not.equal(page.digest);
            }
            expect(packs[1].digest).to.equal(packs[0].digest);
            expect([...AUDIT_PACK_UNSEALED]).to.deep.equal(DOCUMENTED_UNSEALED);
        });

        it('reports a deleted record with a null current value and its delete in the history', async () => {
            await put(h, cast, 'offer', 'offer-1', [EID.tier1]);
            await h.submit(cast.admin, 'audit-probe:Delete', ['offer', 'offer-1']);
            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier1, '']);
            const offer = find(pack, 'offer', 'offer-1');
            expect(offer.current).to.equal(null);
            expect(offer.history.map((e) => e.isDelete)).to.deep.equal([false, true]);
            expect(offer.history[1]).to.not.have.property('value');
        });

        it('exports an enterprise without a profile or links as its enterprise record alone', async () => {
            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier3, '']);
            expect(pack.creditProfile).to.equal(null);
            expect(pack.records.map((r) => r.type)).to.deep.equal(['enterprise']);
        });

        it(`pages ${AUDIT_PAGE_RECORDS} records at a time with opaque bookmarks until the last page`, async () => {
            await put(h, cast, 'note', 'note-', [EID.core], {}, 2 * AUDIT_PAGE_RECORDS + 30);
            const seen: string[] = [];
            const pages: AuditPack[] = [];
            let bookmark = '';
            do {
                const page = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, bookmark]);
                expect(page.bookmark).to.equal(bookmark);
                expect(page.digest).to.equal(contentHash(contentOf(page)));
                pages.push(page);
                seen.push(...page.records.map((r) => `${r.type}/${r.id}`));
                bookmark = page.nextBookmark;
            } while (bookmark !== '');
            expect(pages.map((p) => p.records.length)).to.deep.equal([AUDIT_PAGE_RECORDS, AUDIT_PAGE_RECORDS, 31]);
            expect(pages.every((p) => p.totalRecords === 2 * AUDIT_PAGE_RECORDS + 31)).to.equal(true);
            expect(new Set(seen).size).to.equal(seen.length);
            expect(seen).to.have.length(2 * AUDIT_PAGE_RECORDS + 31);
            expect(seen).to.deep.equal([...seen].sort());
            const lastOfFirst = pages[0].records[AUDIT_PAGE_RECORDS - 1];
            expect(pages[0].nextBookmark).to.equal(encodeBookmark(EID.core, { type: lastOfFirst.type, id: lastOfFirst.id }));
        });

        it(`holds at most ${AUDIT_PAGE_HISTORY_ENTRIES} history entries a page, continuing a longer history on the next page`, async function () {
            this.timeout(120000);
            const written: string[] = [];
            for (let i = 0; i < AUDIT_PAGE_HISTORY_ENTRIES + 10; i++) {
                written.push(await put(h, cast, 'asset', 'busy', [EID.tier2], { version: i }));
            }
            await put(h, cast, 'asset', 'quiet', [EID.tier2]);
            const first = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier2, '']);
            expect(first.records.map((r) => [r.id, r.historyStart, r.historyTotal, r.history.length])).to.deep.equal([['busy', 0, AUDIT_PAGE_HISTORY_ENTRIES + 10, AUDIT_PAGE_HISTORY_ENTRIES]]);
            expect(first.nextBookmark).to.equal(encodeBookmark(EID.tier2, { within: { type: 'asset', id: 'busy' }, historyStart: AUDIT_PAGE_HISTORY_ENTRIES }));
            const second = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier2, first.nextBookmark]);
            expect(second.records.map((r) => [`${r.type}/${r.id}`, r.historyStart, r.history.length])).to.deep.equal([
                ['asset/busy', AUDIT_PAGE_HISTORY_ENTRIES, 10],
                ['asset/quiet', 0, 1],
                [`enterprise/${EID.tier2}`, 0, 1],
            ]);
            expect(second.nextBookmark).to.equal('');
            expect([...first.records[0].history, ...second.records[0].history].map((e) => e.txId)).to.deep.equal(written);
            // A history of exactly a page's entries closes the page after the record, with a bookmark after it.
            const third = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier2, encodeBookmark(EID.tier2, { within: { type: 'asset', id: 'busy' }, historyStart: 10 })]);
            expect(third.records.map((r) => [r.id, r.historyStart, r.history.length])).to.deep.equal([['busy', 10, AUDIT_PAGE_HISTORY_ENTRIES]]);
            expect(third.nextBookmark).to.equal(encodeBookmark(EID.tier2, { type: 'asset', id: 'busy' }));
        });

        it(`keeps every page within ${AUDIT_PAGE_BYTES} bytes, splitting a record whose history is larger across pages, every entry once and in order`, async function () {
            this.timeout(120000);
            // A core enterprise's credit profile grows to about 22 KB; 120 versions of it are some 2.6 MB.
            const versions = 120;
            const written: string[] = [];
            await put(h, cast, 'asset', 'before', [EID.core]);
            for (let i = 0; i < versions; i++) {
                written.push(await put(h, cast, 'ledgerProfile', 'big', [EID.core], { version: i, facts: `${i}:`.padEnd(22 * 1024, 'f') }));
            }
            await put(h, cast, 'note', 'after', [EID.core]);

            const pages = await allPages(h, cast, EID.core);
            expect(pages.length).to.be.at.least(3);
            for (const [n, page] of pages.entries()) {
                expect(pageBytes(page), `page ${n} size`).to.be.at.most(AUDIT_PAGE_BYTES);
                expect(page.records.length).to.be.at.least(1);
            }
            // Each page but the last is full: the entry that opens the next page would not have fitted.
            for (let n = 0; n < pages.length - 1; n++) {
                const next = pages[n + 1].records[0];
                const opening = next.history[0];
                expect(pageBytes(pages[n]) + Buffer.byteLength(canonicalStringify(opening)) + 1, `page ${n} is full`).to.be.above(AUDIT_PAGE_BYTES);
            }
            const joined = joinRecords(pages);
            expect(joined.map((r) => `${r.type}/${r.id}`)).to.deep.equal(['asset/before', `enterprise/${EID.core}`, 'ledgerProfile/big', 'note/after']);
            const big = joined[2];
            expect(big.history.map((e) => e.txId)).to.deep.equal(written);
            expect(big.history.map((e) => (e.value as { version: number }).version)).to.deep.equal([...Array(versions).keys()]);
            expect(big.current).to.include({ version: versions - 1 });
            // Every part of the big record names its place in the history, and each page carries the current value.
            const parts = pages.flatMap((page) => page.records).filter((r) => r.id === 'big');
            expect(parts.length).to.be.at.least(3);
            expect(parts.every((part) => part.historyTotal === versions && (part.current as { version: number }).version === versions - 1)).to.equal(true);
            // Paging is deterministic: a bookmark inside the record gives the same page again.
            const again = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, pages[1].bookmark]);
            expect(again.digest).to.equal(pages[1].digest);
            expect(again.nextBookmark).to.equal(pages[1].nextBookmark);
        });

        it('resumes inside a record whose history grew between pages, with the new entries after the ones already paged', async function () {
            this.timeout(120000);
            const written: string[] = [];
            for (let i = 0; i < 60; i++) {
                written.push(await put(h, cast, 'ledgerProfile', 'big', [EID.core], { version: i, facts: 'f'.repeat(22 * 1024) }));
            }
            const first = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            const cut = first.records.find((r) => r.id === 'big')?.history.length ?? 0;
            expect(cut).to.be.within(1, 59);
            for (let i = 60; i < 65; i++) {
                written.push(await put(h, cast, 'ledgerProfile', 'big', [EID.core], { version: i, facts: 'f'.repeat(22 * 1024) }));
            }
            const pages = [first, ...(await allPages(h, cast, EID.core, first.nextBookmark))];
            const big = joinRecords(pages).find((r) => r.id === 'big');
            expect(big?.history.map((e) => e.txId)).to.deep.equal(written);
            expect(pages[pages.length - 1].records.find((r) => r.id === 'big')?.historyTotal).to.equal(65);
        });

        it('delivers a history entry larger than a page alone on its page, and pages on past it', async function () {
            this.timeout(120000);
            const small = await put(h, cast, 'asset', 'huge', [EID.tier3], { version: 0 });
            const huge = await put(h, cast, 'asset', 'huge', [EID.tier3], { version: 1, facts: 'f'.repeat(AUDIT_PAGE_BYTES) });
            const last = await put(h, cast, 'asset', 'huge', [EID.tier3], { version: 2 });
            const pages = await allPages(h, cast, EID.tier3);
            expect(pages.map((page) => page.records.map((r) => `${r.id}:${r.historyStart}+${r.history.length}`))).to.deep.equal([
                ['huge:0+1'],
                ['huge:1+1'],
                ['huge:2+1', `${EID.tier3}:0+1`],
            ]);
            expect(pageBytes(pages[1])).to.be.above(AUDIT_PAGE_BYTES);
            expect(joinRecords(pages)[0].history.map((e) => e.txId)).to.deep.equal([small, huge, last]);
        });

        it('refuses a bookmark it did not issue: made up, altered, issued for another enterprise or naming a record outside the pack', async () => {
            await put(h, cast, 'note', 'note-', [EID.core, EID.core2], {}, AUDIT_PAGE_RECORDS + 5);
            await put(h, cast, 'ip-pledge', 'pledge-x', [EID.core2]);
            const first = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            const issued = first.nextBookmark;
            expect(issued).to.not.equal('');
            // The issued bookmark works, and again (deterministic).
            const second = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, issued]);
            expect(second.records).to.have.length(6);
            expect((await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, issued])).digest).to.equal(second.digest);

            const forged = [
                // QA's: the bare [type, id] form, for a record of no pack.
                Buffer.from(JSON.stringify(['ip-pledge', 'pledge-0'])).toString('base64'),
                Buffer.from(JSON.stringify(['ip-pledge', 'pledge-0'])).toString('base64url'),
                // The bare form of a real record of the pack: skipping ahead without an issued bookmark.
                Buffer.from(JSON.stringify(['note', 'note-0050'])).toString('base64url'),
                // An issued bookmark with its content altered, its digest altered, or cut.
                issued.replace(/^[^.]+/, Buffer.from(JSON.stringify(['note', 'note-0050'])).toString('base64url')),
                issued.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
                issued.split('.')[0],
                `${issued}.`,
                `${issued}x`,
                // Well-formed and correctly sealed for the enterprise, but naming a record outside its pack.
                encodeBookmark(EID.core, { type: 'ip-pledge', id: 'pledge-x' }),
                encodeBookmark(EID.core, { type: 'ip-pledge', id: 'pledge-0' }),
            ];
            for (const bookmark of forged) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [EID.core, bookmark]));
            }
            // Positions inside a record: sealed for the pack but outside the record's history (which has one entry), or not as issued.
            const inside = encodeBookmark(EID.core, { within: { type: 'note', id: 'note-0050' }, historyStart: 1 });
            const insideContent = (content: unknown): string => inside.replace(/^[^.]+/, Buffer.from(JSON.stringify(content)).toString('base64url'));
            for (const bookmark of [
                inside,
                encodeBookmark(EID.core, { within: { type: 'note', id: 'note-0050' }, historyStart: 0 }),
                encodeBookmark(EID.core, { within: { type: 'note', id: 'note-0050' }, historyStart: -1 }),
                encodeBookmark(EID.core, { within: { type: 'note', id: 'note-0050' }, historyStart: 1.5 }),
                encodeBookmark(EID.core, { within: { type: 'ip-pledge', id: 'pledge-x' }, historyStart: 1 }),
                insideContent(['note', 'note-0050', 2]),
                insideContent(['note', 'note-0050', '1']),
                insideContent(['note', 'note-0050', 1, 1]),
            ]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [EID.core, bookmark]));
            }
            // A bookmark issued for one enterprise does not page another's pack, even where the record is in both.
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [EID.core2, issued]));
            const other = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core2, encodeBookmark(EID.core2, { type: 'note', id: 'note-0050' })]);
            expect(other.records[0].id).to.equal('note-0051');
        });

        it('pages on from a bookmark after a record as earlier versions of the contract wrote it', async () => {
            await put(h, cast, 'note', 'note-', [EID.core], {}, 3);
            // [type, id] of the record, base64url, then 32 hex of SHA-256 over the domain, the enterprise and the record.
            const content = JSON.stringify(['note', 'note-0000']);
            const seal = createHash('sha256').update(JSON.stringify(['xinlian/audit/bookmark/v1', EID.core, 'note', 'note-0000'])).digest('hex').slice(0, 32);
            const legacy = `${Buffer.from(content).toString('base64url')}.${seal}`;
            const page = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, legacy]);
            expect(page.records.map((r) => r.id)).to.deep.equal(['note-0001', 'note-0002']);
            expect(page.records.every((r) => r.historyStart === 0 && r.historyTotal === 1)).to.equal(true);
        });

        it('excludes records linked only to other enterprises', async () => {
            await put(h, cast, 'note', 'note-other', [EID.core2]);
            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            expect(pack.records.map((r) => r.id)).to.not.include('note-other');
        });

        it('refuses everyone but the regulator, including the platform admin', async () => {
            for (const who of [cast.admin, cast.core, cast.tier1, cast.bank, cast.appraiser, cast.bureau, cast.partner, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'audit:ExportAuditPack', [EID.core, '']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'audit:ExportAuditPack', [EID.core, '']));
        });

        it('refuses a regulator role from another org and a regulator whose institution is not registered', async () => {
            const mole = await newUser('BankMSP', 'regulator-mole', 'regulator', EID.regulator);
            const ghost = await newUser('PlatformMSP', 'ghost-regulator', 'regulator', uscc('11100000MB9990013'));
            for (const who of [mole, ghost]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'audit:ExportAuditPack', [EID.core, '']));
            }
        });

        it('answers NOT_FOUND for an unregistered enterprise and INVALID_ARGUMENT for a malformed id or bookmark', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [uscc('91110000MA9990012'), '']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', ['bad id!', '']));
            for (const bookmark of ['not-a-bookmark', Buffer.from('["only-one"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [EID.core, bookmark]));
            }
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [EID.core]));
        });
    });
});
