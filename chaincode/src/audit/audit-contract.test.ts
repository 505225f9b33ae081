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
import { compositeKey, writeRecord } from '../ledger/state';
import { contentHash, emitEvent } from '../ledger/tx';
import { ProfileContract } from '../profile/profile-contract';
import { recordCreditEvents } from '../profile/credit-profile';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, newCast, registerCast, uscc } from '../testing/fixtures';
import { newUser } from '../testing/identities';
import { AUDIT_PACK_UNSEALED, AUDIT_PAGE_HISTORY_ENTRIES, AUDIT_PAGE_RECORDS, AuditContract, AuditPack, AuditRecord, encodeBookmark } from './audit-contract';

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

        it(`closes a page once its records carry ${AUDIT_PAGE_HISTORY_ENTRIES} history entries`, async function () {
            this.timeout(60000);
            for (let i = 0; i < AUDIT_PAGE_HISTORY_ENTRIES; i++) {
                await put(h, cast, 'asset', 'busy', [EID.tier2], { version: i });
            }
            await put(h, cast, 'asset', 'quiet', [EID.tier2]);
            const first = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier2, '']);
            expect(first.records.map((r) => r.id)).to.deep.equal(['busy']);
            expect(first.records[0].history).to.have.length(AUDIT_PAGE_HISTORY_ENTRIES);
            const second = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.tier2, first.nextBookmark]);
            expect(second.records.map((r) => `${r.type}/${r.id}`)).to.deep.equal(['asset/quiet', `enterprise/${EID.tier2}`]);
            expect(second.nextBookmark).to.equal('');
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
            // A bookmark issued for one enterprise does not page another's pack, even where the record is in both.
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'audit:ExportAuditPack', [EID.core2, issued]));
            const other = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core2, encodeBookmark(EID.core2, { type: 'note', id: 'note-0050' })]);
            expect(other.records[0].id).to.equal('note-0051');
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
