import { expect } from 'chai';
import fc from 'fast-check';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { XinlianContract } from '../ledger/contract-base';
import { putIndex, writeRecord } from '../ledger/state';
import { emitEvent } from '../ledger/tx';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, newCast, registerCast, uscc } from '../testing/fixtures';
import { TestIdentity, newUser } from '../testing/identities';
import { AuditContract, AuditPack } from '../audit/audit-contract';
import { CreditEvent, CreditProfile, MAX_CHANGES, WARNING_INDEX, baseProfile, profileKey, recordCreditEvents } from './credit-profile';
import { CreditProfileView, ProfileContract, WarningEntry } from './profile-contract';
import { computeScore } from './scoring-rules';
import { evaluateWarning } from './warning-rules';

/** A credit event as the probe receives it: amounts as decimal strings. */
type Wire<T> = T extends { amount: bigint } ? Omit<T, 'amount'> & { amount: string } : T;
type WireEvent = Wire<CreditEvent>;

/**
 * Test-only contract: records credit events the way a business transaction would. Each inner
 * array is one recordCreditEvents call, all in one transaction.
 */
@Info({ title: 'CreditEventProbe', description: 'test only' })
class CreditEventProbe extends XinlianContract {
    constructor() {
        super('credit-probe');
    }

    @Transaction()
    @Returns('string')
    async Record(ctx: Context, calls: string): Promise<string> {
        for (const call of JSON.parse(calls) as WireEvent[][]) {
            await recordCreditEvents(
                ctx,
                call.map((event) => ('amount' in event && typeof event.amount === 'string' ? { ...event, amount: BigInt(event.amount) } : event) as CreditEvent),
            );
        }
        emitEvent(ctx, 'Record', {});
        return '';
    }

    /** Writes a profile record as it stands, with its warning index entry (a profile from an earlier version). */
    @Transaction()
    @Returns('string')
    async PutProfile(ctx: Context, profile: string): Promise<string> {
        const record = JSON.parse(profile) as CreditProfile;
        await writeRecord(ctx, profileKey(ctx, record.enterpriseId), record);
        await putIndex(ctx, WARNING_INDEX, [record.warning, record.enterpriseId]);
        emitEvent(ctx, 'PutProfile', {});
        return '';
    }
}

const CONTRACTS = [EnterpriseContract, ProfileContract, AuditContract, CreditEventProbe];

const redeemed = (enterpriseId: string, ref: string, onTime = true): WireEvent => ({ enterpriseId, type: 'NOTE_REDEEMED', ref, onTime, amount: '100000', currency: 'CNY' });
const overdue = (enterpriseId: string, ref: string): WireEvent => ({ enterpriseId, type: 'NOTE_OVERDUE', ref, amount: '100000', currency: 'CNY' });
const cleared = (enterpriseId: string, ref: string): WireEvent => ({ enterpriseId, type: 'OVERDUE_CLEARED', ref });
const enforced = (enterpriseId: string, ref: string): WireEvent => ({ enterpriseId, type: 'PLEDGE_ENFORCED', ref, amount: '9000', currency: 'CNY' });
const utilised = (enterpriseId: string, ref: string, usedBps: number): WireEvent => ({ enterpriseId, type: 'CREDIT_LINE_UTILISATION', ref, usedBps });
const attested = (enterpriseId: string, ref: string, score: number, expiresAt: string): WireEvent => ({ enterpriseId, type: 'ATTESTATION', ref, score, expiresAt });

async function record(h: Harness, cast: Cast, ...calls: WireEvent[][]): Promise<void> {
    await h.submit(cast.admin, 'credit-probe:Record', [JSON.stringify(calls)]);
}

async function profileOf(h: Harness, cast: Cast, enterpriseId: string): Promise<CreditProfileView> {
    return h.evaluate<CreditProfileView>(cast.regulator, 'profile:ReadCreditProfile', [enterpriseId]);
}

async function warnings(h: Harness, cast: Cast, level: string): Promise<WarningEntry[]> {
    return h.evaluate<WarningEntry[]>(cast.regulator, 'profile:ListWarnings', [level]);
}

describe('ProfileContract', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness(CONTRACTS);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    describe('recordCreditEvents', () => {
        it('creates a profile from the base on the first event and indexes its warning', async () => {
            await record(h, cast, [redeemed(EID.core, 'note-1')]);
            const profile = await profileOf(h, cast, EID.core);
            expect(profile).to.include({ recorded: true, enterpriseId: EID.core, score: 608, warning: 'NONE' });
            expect(profile.reasons).to.deep.equal([{ code: 'ON_TIME_REDEMPTIONS', points: 8 }]);
            expect(profile.changes).to.have.length(1);
            expect(profile.changes[0]).to.include({ scoreBefore: 600, scoreAfter: 608, txId: profile.lastTxId });
            expect((await warnings(h, cast, 'NONE')).map((w) => w.enterpriseId)).to.deep.equal([EID.core]);
        });

        it('counts two events for one enterprise in one call', async () => {
            await record(h, cast, [overdue(EID.core, 'note-1'), overdue(EID.core, 'note-2')]);
            const profile = await profileOf(h, cast, EID.core);
            expect(profile.facts.overdueNotes).to.deep.equal(['note-1', 'note-2']);
            expect(profile.score).to.equal(300);
        });

        it('counts events of two calls in one transaction, logging one change and one warning index entry', async () => {
            await record(h, cast, [utilised(EID.core, 'line-1', 8500)], [overdue(EID.core, 'note-1')], [redeemed(EID.core, 'note-2')]);
            const profile = await profileOf(h, cast, EID.core);
            // 600 − 40 (utilisation ≥ 80%) − 150 (one overdue) + 8 (one on time)
            expect(profile.score).to.equal(418);
            expect(profile.warning).to.equal('RED');
            expect(profile.changes).to.have.length(1);
            expect(profile.changes[0]).to.include({ scoreBefore: 600, scoreAfter: 418, warningBefore: 'NONE', warningAfter: 'RED' });
            expect(profile.changes[0].events.map((e) => e.type)).to.deep.equal(['CREDIT_LINE_UTILISATION', 'NOTE_OVERDUE', 'NOTE_REDEEMED']);
            const all = await warnings(h, cast, 'NONE');
            expect(all.map((w) => [w.enterpriseId, w.warning])).to.deep.equal([[EID.core, 'RED']]);
        });

        it('moves the warning index entry when a later transaction changes the level', async () => {
            await record(h, cast, [overdue(EID.core, 'note-1')]);
            await record(h, cast, [utilised(EID.core, 'line-1', 8000)], [cleared(EID.core, 'note-1')]);
            expect((await warnings(h, cast, 'NONE')).map((w) => [w.enterpriseId, w.warning])).to.deep.equal([[EID.core, 'BLUE']]);
            expect(await warnings(h, cast, 'RED')).to.deep.equal([]);
        });

        it('updates several enterprises in one call', async () => {
            await record(h, cast, [overdue(EID.core, 'note-1'), enforced(EID.tier1, 'pledge-1'), overdue(EID.core, 'note-2')]);
            expect((await profileOf(h, cast, EID.core)).score).to.equal(300);
            expect((await profileOf(h, cast, EID.tier1)).score).to.equal(480);
        });

        it('skips events for an enterprise that is not registered and still commits the transaction', async () => {
            const stranger = uscc('91110000MA9990012');
            await record(h, cast, [redeemed(stranger, 'note-1'), redeemed(EID.core, 'note-2')]);
            expect((await profileOf(h, cast, EID.core)).score).to.equal(608);
            expect((await warnings(h, cast, 'NONE')).map((w) => w.enterpriseId)).to.deep.equal([EID.core]);
            expect(h.events().slice(-1)[0].name).to.equal('Record');
        });

        it('creates no profile for an enterprise that is no credit subject (regulator, bank, bureau, partner)', async () => {
            await record(h, cast, [attested(EID.bureau, 'att-1', 1000, '2026-12-01T00:00:00.000Z'), overdue(EID.regulator, 'note-1'), redeemed(EID.bank, 'note-2'), redeemed(EID.partner, 'note-3')]);
            for (const eid of [EID.bureau, EID.regulator, EID.bank, EID.partner]) {
                expect(await profileOf(h, cast, eid)).to.include({ recorded: false, score: 600 });
            }
            expect(await warnings(h, cast, 'NONE')).to.deep.equal([]);
        });

        it('fails the whole transaction with INTERNAL on a malformed event, changing nothing', async () => {
            await expectRefused(h, 'INTERNAL', () => record(h, cast, [redeemed(EID.core, 'note-1'), { ...utilised(EID.core, 'line-1', 20000) }]));
        });

        it('produces the same profile from the same events in the same order', async () => {
            const script: WireEvent[][][] = [
                [[utilised(EID.core, 'line-1', 9600), redeemed(EID.core, 'n1')]],
                [[overdue(EID.core, 'n2')], [enforced(EID.core, 'p1')]],
                [[attested(EID.core, 'att-1', 820, '2027-01-01T00:00:00.000Z'), redeemed(EID.core, 'n2', false)]],
            ];
            const run = async (): Promise<CreditProfileView> => {
                const ledger = await newHarness(CONTRACTS);
                await registerCast(ledger, cast);
                for (const calls of script) {
                    await record(ledger, cast, ...calls);
                }
                return profileOf(ledger, cast, EID.core);
            };
            const [first, second] = [await run(), await run()];
            expect(first).to.deep.equal(second);
            // 600 − 100 (≥ 95%) + 8 − 40 (late) − 120 (enforced) = 348; (7 × 348 + 3 × 820 + 5) / 10 = 490.1 → 490
            expect(first.score).to.equal(490);
        });

        it('clamps at 0 and at 1000 through recorded events', async () => {
            await record(h, cast, [0, 1, 2, 3, 4].map((i) => overdue(EID.core, `n${i}`)).concat([enforced(EID.core, 'p1')]));
            expect((await profileOf(h, cast, EID.core)).score).to.equal(0);
            await record(h, cast, Array.from({ length: 45 }, (_, i) => redeemed(EID.core2, `m${i}`)));
            const top = await profileOf(h, cast, EID.core2);
            expect(top.score).to.equal(1000);
            expect(top.reasons.map((r) => r.code)).to.include('SCORE_CEILING');
        });

        it('keeps the stored score equal to computeScore of the stored facts for any event sequence (property)', async () => {
            const refs = ['n1', 'n2', 'n3'];
            const event = fc.oneof(
                fc.record({ ref: fc.constantFrom(...refs), onTime: fc.boolean() }).map(({ ref, onTime }) => redeemed(EID.core, ref, onTime)),
                fc.constantFrom(...refs).map((ref) => overdue(EID.core, ref)),
                fc.constantFrom(...refs).map((ref) => cleared(EID.core, ref)),
                fc.constantFrom('p1', 'p2').map((ref) => enforced(EID.core, ref)),
                fc.record({ ref: fc.constantFrom('l1', 'l2'), bps: fc.integer({ min: 0, max: 10000 }) }).map(({ ref, bps }) => utilised(EID.core, ref, bps)),
                fc.record({ score: fc.integer({ min: 0, max: 1000 }), days: fc.integer({ min: 0, max: 30 }) }).map(({ score, days }) => attested(EID.core, 'att-1', score, new Date(Date.UTC(2026, 0, 5 + days)).toISOString())),
                fc.constant<WireEvent>({ enterpriseId: EID.core, type: 'ATTESTATION_REVOKED', ref: 'att-1' }),
            );
            // transactions of one or two calls of up to three events
            const transactions = fc.array(fc.array(fc.array(event, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 5 });
            await fc.assert(
                fc.asyncProperty(transactions, async (script) => {
                    const ledger = await newHarness(CONTRACTS);
                    await registerCast(ledger, cast);
                    ledger.setTime('2026-01-20T00:00:00.000Z');
                    for (const calls of script) {
                        await record(ledger, cast, ...calls);
                    }
                    const profile = await profileOf(ledger, cast, EID.core);
                    expect(profile.score).to.be.within(0, 1000);
                    expect(computeScore(profile.facts)).to.deep.equal({ score: profile.score, reasons: profile.reasons });
                    expect(evaluateWarning(profile.facts, profile.score)).to.deep.equal({ level: profile.warning, rules: profile.warningRules });
                    expect(profile.changes).to.have.length(script.length);
                    const listed = await warnings(ledger, cast, 'NONE');
                    expect(listed.map((w) => [w.enterpriseId, w.warning])).to.deep.equal([[EID.core, profile.warning]]);
                }),
                { numRuns: 40 },
            );
        });
    });

    describe('ReadCreditProfile', () => {
        it('lets an enterprise read its own profile, reasons and recent changes', async () => {
            await record(h, cast, [redeemed(EID.tier1, 'n1')]);
            await record(h, cast, [utilised(EID.tier1, 'l1', 8000)]);
            const before = h.events().length;
            const profile = await h.evaluate<CreditProfileView>(cast.tier1, 'profile:ReadCreditProfile', [EID.tier1]);
            expect(profile).to.include({ recorded: true, score: 568, warning: 'BLUE' });
            expect(profile.warningRules).to.deep.equal(['SCORE_BELOW_600', 'UTILISATION_AT_80']);
            expect(profile.changes.map((c) => [c.scoreBefore, c.scoreAfter])).to.deep.equal([
                [600, 608],
                [608, 568],
            ]);
            expect(h.events()).to.have.length(before);
        });

        it('returns the unrecorded base profile of a registered enterprise without events', async () => {
            const profile = await h.evaluate<CreditProfileView>(cast.core, 'profile:ReadCreditProfile', [EID.core]);
            expect(profile).to.include({ recorded: false, score: 600, warning: 'NONE', lastTxId: '' });
            expect(profile.reasons).to.deep.equal([]);
            expect(profile.changes).to.deep.equal([]);
        });

        it('lets the regulator, financiers, credit bureaus and foreign partners read any profile', async () => {
            await record(h, cast, [redeemed(EID.core, 'n1')]);
            for (const who of [cast.regulator, cast.bank, cast.bank2, cast.bureau, cast.partner]) {
                expect((await h.evaluate<CreditProfileView>(who, 'profile:ReadCreditProfile', [EID.core])).score).to.equal(608);
            }
        });

        it('lets a frozen enterprise still read its own profile', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'investigation']);
            expect((await h.evaluate<CreditProfileView>(cast.tier1, 'profile:ReadCreditProfile', [EID.tier1])).score).to.equal(600);
        });

        it("refuses another enterprise's users, the platform admin and appraisers", async () => {
            await record(h, cast, [redeemed(EID.core, 'n1')]);
            for (const who of [cast.tier1, cast.core2, cast.admin, cast.appraiser]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'profile:ReadCreditProfile', [EID.core]));
            }
        });

        it('refuses no attributes, a role from the wrong org, an unregistered caller and a caller of the wrong kind', async () => {
            const fakeBank: TestIdentity = await newUser('BankMSP', 'fake-bank', 'financier', EID.tier1);
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'profile:ReadCreditProfile', [EID.tier1]));
            for (const who of [cast.wrongOrgSupplier, cast.unregistered, fakeBank]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'profile:ReadCreditProfile', [EID.tier1]));
            }
        });

        it('answers NOT_FOUND for an unregistered enterprise and INVALID_ARGUMENT for a malformed id', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.regulator, 'profile:ReadCreditProfile', [uscc('91110000MA9990012')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'profile:ReadCreditProfile', ['no such id!']));
        });
    });

    describe('ListWarnings', () => {
        beforeEach(async () => {
            await record(h, cast, [
                overdue(EID.core, 'n1'), // RED
                utilised(EID.core2, 'l1', 9600), // YELLOW (500)
                utilised(EID.tier1, 'l2', 8000), // BLUE (560)
                redeemed(EID.tier2, 'n2'), // NONE (608)
            ]);
        });

        it('lists profiles at a level or worse, worst first, then by enterprise id', async () => {
            expect((await warnings(h, cast, 'RED')).map((w) => w.enterpriseId)).to.deep.equal([EID.core]);
            const blue = await warnings(h, cast, 'BLUE');
            expect(blue.map((w) => [w.enterpriseId, w.warning, w.score])).to.deep.equal([
                [EID.core, 'RED', 450],
                [EID.core2, 'YELLOW', 500],
                [EID.tier1, 'BLUE', 560],
            ]);
            expect(blue[1].warningRules).to.deep.equal(['UTILISATION_AT_95', 'SCORE_BELOW_600', 'UTILISATION_AT_80']);
            expect(await warnings(h, cast, 'NONE')).to.have.length(4);
        });

        it('drops an enterprise from RED once its overdue note is redeemed', async () => {
            await record(h, cast, [redeemed(EID.core, 'n1', false)]);
            expect(await warnings(h, cast, 'RED')).to.deep.equal([]);
            expect((await warnings(h, cast, 'BLUE')).map((w) => w.enterpriseId)).to.include(EID.core);
        });

        it('refuses everyone but the regulator', async () => {
            for (const who of [cast.admin, cast.core, cast.tier1, cast.bank, cast.bureau, cast.partner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'profile:ListWarnings', ['RED']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'profile:ListWarnings', ['RED']));
            const ghost = await newUser('PlatformMSP', 'ghost-regulator', 'regulator', uscc('11100000MB9990013'));
            await expectRefused(h, 'FORBIDDEN', () => h.evaluate(ghost, 'profile:ListWarnings', ['RED']));
        });

        it('rejects an unknown level', async () => {
            for (const level of ['', 'ORANGE', 'red']) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'profile:ListWarnings', [level]));
            }
        });
    });

    describe('RefreshCreditProfile', () => {
        it('drops an expired attestation from the score and emits RefreshCreditProfile', async () => {
            h.setTime('2026-02-01T00:00:00.000Z');
            await record(h, cast, [attested(EID.core, 'att-1', 900, '2026-03-01T00:00:00.000Z')]);
            expect((await profileOf(h, cast, EID.core)).score).to.equal(690);
            h.setTime('2026-03-01T00:00:00.000Z');
            const refreshed = await h.submit<CreditProfileView>(cast.core, 'profile:RefreshCreditProfile', [EID.core]);
            expect(refreshed).to.include({ score: 600, warning: 'NONE', recorded: true });
            expect(refreshed.changes.slice(-1)[0]).to.deep.include({ scoreBefore: 690, scoreAfter: 600, events: [{ type: 'REFRESH' }] });
            const event = h.events().slice(-1)[0];
            expect(event.name).to.equal('RefreshCreditProfile');
            expect(event.payload).to.include({ enterpriseId: EID.core, score: 600, warning: 'NONE' });
        });

        it('drops the disputes and dispute warnings of a profile recorded under the retired dispute rules', async () => {
            // Two disputes of fake invoices cost a buyer 60 points and a YELLOW warning before.
            const at = h.now().toISOString();
            const legacy = {
                ...baseProfile(EID.core, at, 'tx-legacy'),
                facts: { ...baseProfile(EID.core, at, 'tx-legacy').facts, receivablesDisputed: 2, recentDisputes: [at, at] },
                score: 540,
                reasons: [{ code: 'RECEIVABLES_DISPUTED', points: -60 }],
                warning: 'YELLOW',
                warningRules: ['REPEATED_DISPUTES', 'SCORE_BELOW_600', 'RECENT_DISPUTE'],
            };
            await h.submit(cast.admin, 'credit-probe:PutProfile', [JSON.stringify(legacy)]);
            expect((await warnings(h, cast, 'YELLOW')).map((w) => w.enterpriseId)).to.deep.equal([EID.core]);
            const refreshed = await h.submit<CreditProfileView>(cast.regulator, 'profile:RefreshCreditProfile', [EID.core]);
            expect(refreshed).to.include({ score: 600, warning: 'NONE' });
            expect(refreshed.reasons).to.deep.equal([]);
            expect(refreshed.facts).to.not.have.any.keys('receivablesDisputed', 'recentDisputes');
            expect(await warnings(h, cast, 'BLUE')).to.deep.equal([]);
        });

        it('writes nothing for an enterprise without a profile: its base profile is what a read answers', async () => {
            const before = await h.stateDigest();
            const events = h.events().length;
            const refreshed = await h.submit<CreditProfileView>(cast.bank, 'profile:RefreshCreditProfile', [EID.tier2]);
            // The base profile evaluated at the refresh, exactly as a read at that time answers it.
            expect(refreshed).to.deep.equal({ ...baseProfile(EID.tier2, refreshed.updatedAt, ''), recorded: false });
            expect((await profileOf(h, cast, EID.tier2)).recorded).to.equal(false);
            expect(await h.stateDigest()).to.equal(before);
            expect(h.events()).to.have.length(events);
            expect(await warnings(h, cast, 'NONE')).to.deep.equal([]);
        });

        it('lets no one wipe the change log: a refresh that changes nothing writes nothing, however often', async () => {
            await record(h, cast, [overdue(EID.core, 'note-1')], [utilised(EID.core, 'line-1', 9700)]);
            const evidence = await profileOf(h, cast, EID.core);
            expect(evidence.changes.map((c) => c.events.map((e) => e.type))).to.deep.equal([['NOTE_OVERDUE', 'CREDIT_LINE_UTILISATION']]);
            const before = await h.stateDigest();
            const events = h.events().length;
            // A bank with no business with the enterprise, the regulator and the enterprise itself.
            for (let i = 0; i < MAX_CHANGES + 5; i++) {
                const who = [cast.bank2, cast.regulator, cast.core][i % 3];
                const refreshed = await h.submit<CreditProfileView>(who, 'profile:RefreshCreditProfile', [EID.core]);
                expect(refreshed).to.deep.equal(evidence);
            }
            expect(await h.stateDigest()).to.equal(before);
            expect(h.events()).to.have.length(events);
            expect(await profileOf(h, cast, EID.core)).to.deep.equal(evidence);
            // The profile key was written once, by the transaction that recorded the events.
            const pack = await h.evaluate<AuditPack>(cast.regulator, 'audit:ExportAuditPack', [EID.core, '']);
            expect(pack.records.find((r) => r.type === 'creditProfile')?.history.map((e) => e.txId)).to.deep.equal([evidence.lastTxId]);
        });

        it('still records a refresh once time has changed the standing, then nothing more', async () => {
            h.setTime('2026-02-01T00:00:00.000Z');
            await record(h, cast, [overdue(EID.core, 'note-1')], [attested(EID.core, 'att-1', 900, '2026-03-01T00:00:00.000Z')]);
            h.setTime('2026-03-02T00:00:00.000Z');
            const refreshed = await h.submit<CreditProfileView>(cast.bank2, 'profile:RefreshCreditProfile', [EID.core]);
            expect(refreshed.changes.map((c) => c.events.map((e) => e.type))).to.deep.equal([['NOTE_OVERDUE', 'ATTESTATION'], ['REFRESH']]);
            expect(h.events().at(-1)?.name).to.equal('RefreshCreditProfile');
            const before = await h.stateDigest();
            const again = await h.submit<CreditProfileView>(cast.bank2, 'profile:RefreshCreditProfile', [EID.core]);
            expect(again).to.deep.equal(refreshed);
            expect(await h.stateDigest()).to.equal(before);
        });

        it('answers the base profile of an enterprise that is no credit subject, creating none', async () => {
            const before = await h.stateDigest();
            for (const eid of [EID.regulator, EID.bank, EID.bureau, EID.partner]) {
                const refreshed = await h.submit<CreditProfileView>(cast.regulator, 'profile:RefreshCreditProfile', [eid]);
                expect(refreshed).to.deep.equal({ ...baseProfile(eid, refreshed.updatedAt, ''), recorded: false });
                expect((await profileOf(h, cast, eid)).recorded).to.equal(false);
            }
            expect(await h.stateDigest()).to.equal(before);
        });

        it("refuses another enterprise's users, no attributes, unknown enterprises and malformed ids", async () => {
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.tier1, 'profile:RefreshCreditProfile', [EID.core]));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.admin, 'profile:RefreshCreditProfile', [EID.core]));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'profile:RefreshCreditProfile', [EID.core]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.regulator, 'profile:RefreshCreditProfile', [uscc('91110000MA9990012')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.regulator, 'profile:RefreshCreditProfile', ['bad id!']));
        });
    });
});
