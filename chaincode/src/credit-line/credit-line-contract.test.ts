import { expect } from 'chai';
import fc from 'fast-check';
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { linkedRecords } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { XinlianContract } from '../ledger/contract-base';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, newCast, registerCast, uscc } from '../testing/fixtures';
import { TestIdentity, newUser } from '../testing/identities';
import { CreditLineContract } from './credit-line-contract';
import { CreditLine, CreditLineView, consumeCreditLine, mustReadCreditLine, restoreCreditLine } from './credit-line';

/** Test-only contract exposing the functions the note module calls, as transactions. */
class CreditLineProbeContract extends XinlianContract {
    constructor() {
        super('credit-line-probe');
    }

    @Transaction()
    @Returns('string')
    async Consume(ctx: Context, lineId: string, coreEnterpriseId: string, currency: string, amount: string): Promise<string> {
        return canonicalStringify(await consumeCreditLine(ctx, lineId, coreEnterpriseId, currency, BigInt(amount)));
    }

    @Transaction()
    @Returns('string')
    async Restore(ctx: Context, lineId: string, amount: string): Promise<string> {
        return canonicalStringify(await restoreCreditLine(ctx, lineId, BigInt(amount)));
    }

    /** The line as stored, not as reads show it. */
    @Transaction(false)
    @Returns('string')
    async Stored(ctx: Context, lineId: string): Promise<string> {
        return canonicalStringify(await mustReadCreditLine(ctx, lineId));
    }

    @Transaction(false)
    @Returns('string')
    async Linked(ctx: Context, enterpriseId: string): Promise<string> {
        return canonicalStringify(await linkedRecords(ctx, enterpriseId));
    }
}

const EXPIRES = '2026-12-31T00:00:00.000Z';

describe('CreditLineContract', () => {
    let h: Harness;
    let cast: Cast;
    let unregisteredFinancier: TestIdentity;

    before(async () => {
        unregisteredFinancier = await newUser('BankMSP', 'ghost-bank', 'financier', uscc('91110000100000999'));
    });

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, CreditLineContract, CreditLineProbeContract]);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    function grant(who: TestIdentity = cast.bank, overrides: Record<string, unknown> = {}): Promise<CreditLineView> {
        return h.submit<CreditLineView>(who, 'credit-line:GrantCreditLine', [
            { coreEnterpriseId: EID.core, currency: 'CNY', limit: '100000000', expiresAt: EXPIRES, ...overrides },
        ]);
    }

    function consume(lineId: string, amount: string, core: string = EID.core, currency = 'CNY'): Promise<CreditLine> {
        return h.submit<CreditLine>(cast.admin, 'credit-line-probe:Consume', [lineId, core, currency, amount]);
    }

    function read(lineId: string): Promise<CreditLineView> {
        return h.evaluate<CreditLineView>(cast.tier1, 'credit-line:ReadCreditLine', [lineId]);
    }

    describe('GrantCreditLine', () => {
        it('grants an active core enterprise an ACTIVE line with nothing used, indexed and linked to both parties', async () => {
            const line = await grant();
            expect(line.id).to.match(/^CL-[0-9a-f]{24}$/);
            expect(line).to.include({
                docType: 'creditLine',
                financierId: EID.bank,
                coreEnterpriseId: EID.core,
                currency: 'CNY',
                limit: '100000000',
                used: '0',
                remaining: '100000000',
                status: 'ACTIVE',
                expiresAt: EXPIRES,
            });
            const events = h.events();
            expect(line.grantedAt).to.equal(line.updatedAt);
            expect(events[events.length - 1].name).to.equal('GrantCreditLine');
            expect(events[events.length - 1].payload).to.include({ lineId: line.id, financierId: EID.bank, coreEnterpriseId: EID.core });
            expect(await read(line.id)).to.deep.equal(line);
            for (const eid of [EID.bank, EID.core]) {
                const linked = await h.evaluate<Array<{ type: string; id: string }>>(cast.admin, 'credit-line-probe:Linked', [eid]);
                expect(linked).to.deep.include({ type: 'creditLine', id: line.id });
            }
        });

        it('accepts a lower-case core enterprise id and a date-only expiry', async () => {
            const line = await grant(cast.bank, { coreEnterpriseId: EID.core.toLowerCase(), expiresAt: '2026-06-30' });
            expect(line).to.include({ coreEnterpriseId: EID.core, expiresAt: '2026-06-30T00:00:00.000Z' });
        });

        it('refuses every role but a financier, identities without attributes, the wrong org and unregistered financiers', async () => {
            for (const who of [cast.admin, cast.regulator, cast.core, cast.tier1, cast.appraiser, cast.partner, cast.wrongOrgSupplier, cast.unregistered, unregisteredFinancier]) {
                await expectRefused(h, 'FORBIDDEN', () => grant(who));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => grant(cast.anonymous));
        });

        it('refuses a frozen financier', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'sanctions']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => grant());
        });

        it('refuses a frozen, unknown or non-core enterprise as grantee', async () => {
            await expectRefused(h, 'NOT_FOUND', () => grant(cast.bank, { coreEnterpriseId: uscc('91110000MA9990012') }));
            for (const eid of [EID.tier1, EID.bank2]) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => grant(cast.bank, { coreEnterpriseId: eid }));
            }
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.core, 'fraud']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => grant());
        });

        it('rejects malformed requests: not JSON, unknown field, missing or bad limit, bad currency, bad or past expiry', async () => {
            const now = h.now().toISOString();
            const attempts: unknown[] = [
                'not json',
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '1', expiresAt: EXPIRES, used: '0' },
                { coreEnterpriseId: EID.core, currency: 'CNY', expiresAt: EXPIRES },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '0', expiresAt: EXPIRES },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '-5', expiresAt: EXPIRES },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '10.5', expiresAt: EXPIRES },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: 100, expiresAt: EXPIRES },
                { coreEnterpriseId: EID.core, currency: 'XYZ', limit: '1', expiresAt: EXPIRES },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '1', expiresAt: '2026-02-30' },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '1', expiresAt: '2025-12-31' },
                { coreEnterpriseId: EID.core, currency: 'CNY', limit: '1', expiresAt: now },
                { coreEnterpriseId: '../x', currency: 'CNY', limit: '1', expiresAt: EXPIRES },
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'credit-line:GrantCreditLine', [request as object]));
            }
        });
    });

    describe('ChangeCreditLimit', () => {
        let line: CreditLineView;
        beforeEach(async () => {
            line = await grant();
        });

        it('raises and lowers the limit for the granting financier and emits one event each', async () => {
            const raised = await h.submit<CreditLineView>(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '150000000']);
            expect(raised).to.include({ limit: '150000000', remaining: '150000000', used: '0' });
            await consume(line.id, '40000000');
            const lowered = await h.submit<CreditLineView>(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '40000000']);
            expect(lowered).to.include({ limit: '40000000', used: '40000000', remaining: '0' });
            const names = h.events().map((e) => e.name);
            expect(names.slice(-2)).to.deep.equal(['ChangeCreditLimit', 'ChangeCreditLimit']);
            expect(h.events()[h.events().length - 1].payload).to.include({ lineId: line.id, financierId: line.financierId, coreEnterpriseId: line.coreEnterpriseId, limit: '40000000', previousLimit: '150000000', currency: line.currency });
        });

        it('refuses a limit below what is used with INSUFFICIENT_LIMIT', async () => {
            await consume(line.id, '30000000');
            await expectRefused(h, 'INSUFFICIENT_LIMIT', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '29999999']));
        });

        it('refuses another financier, other roles, identities without attributes and the wrong org', async () => {
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank2, 'credit-line:ChangeCreditLimit', [line.id, '1']));
            for (const who of [cast.core, cast.admin, cast.regulator, cast.wrongOrgSupplier, unregisteredFinancier]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'credit-line:ChangeCreditLimit', [line.id, '1']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'credit-line:ChangeCreditLimit', [line.id, '1']));
        });

        it('refuses a frozen granting financier', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'sanctions']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '1']));
        });

        it('rejects a malformed, zero, negative or fractional limit', async () => {
            for (const limit of ['abc', '0', '-1', '1.5', '', '01']) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, limit]));
            }
        });

        it('answers the limit already in force with the line as it is, writing, recording and emitting nothing', async () => {
            await consume(line.id, '25000000');
            const events = h.events().length;
            const before = await h.stateDigest();
            const shown = await read(line.id);
            h.setTime('2026-02-01T00:00:00.000Z');
            const answer = await h.submit<CreditLineView>(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '100000000']);
            expect(answer).to.deep.equal(shown);
            expect(answer).to.include({ limit: '100000000', used: '25000000', remaining: '75000000', status: 'ACTIVE' });
            // No new version of the line, no credit-profile utilisation, no signer record: the world state is as it was.
            expect(await h.stateDigest()).to.equal(before);
            expect(h.events()).to.have.length(events);
            // A real change still writes and emits.
            expect(await h.submit<CreditLineView>(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '90000000'])).to.include({ limit: '90000000', updatedAt: '2026-02-01T00:00:01.000Z' });
            expect(h.events()).to.have.length(events + 1);
        });

        it('refuses the limit already in force on a revoked or expired line, from a frozen financier or another financier, as any other limit', async () => {
            const other = await grant(cast.bank, { expiresAt: '2026-03-01T00:00:00Z' });
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank2, 'credit-line:ChangeCreditLimit', [line.id, line.limit]));
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'sanctions']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, line.limit]));
            await h.submit(cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.bank, 'cleared']);
            await h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'exposure review']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, line.limit]));
            h.setTime('2026-03-01T00:00:00Z');
            await expectRefused(h, 'EXPIRED', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [other.id, other.limit]));
        });

        it('answers NOT_FOUND for an unknown line and INVALID_ARGUMENT for a malformed id', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', ['CL-000000000000000000000000', '1']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', ['../x', '1']));
        });

        it('refuses changing a revoked line (INVALID_STATE) or an expired one (EXPIRED)', async () => {
            const other = await grant(cast.bank, { expiresAt: '2026-03-01T00:00:00Z' });
            await h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'exposure review']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [line.id, '1']));
            h.setTime('2026-03-01T00:00:00Z');
            await expectRefused(h, 'EXPIRED', () => h.submit(cast.bank, 'credit-line:ChangeCreditLimit', [other.id, '1']));
        });
    });

    describe('RevokeCreditLine', () => {
        let line: CreditLineView;
        beforeEach(async () => {
            line = await grant();
        });

        it('revokes with a reason; issuance stops but outstanding draws can still be restored', async () => {
            await consume(line.id, '5000');
            const revoked = await h.submit<CreditLineView>(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'exposure review']);
            expect(revoked).to.include({ status: 'REVOKED', revocationReason: 'exposure review', used: '5000' });
            expect(revoked.revokedAt).to.equal(revoked.updatedAt);
            expect(h.events()[h.events().length - 1]).to.deep.include({ name: 'RevokeCreditLine' });
            expect(h.events()[h.events().length - 1].payload).to.include({ lineId: line.id, financierId: line.financierId, coreEnterpriseId: line.coreEnterpriseId });
            await expectRefused(h, 'INVALID_STATE', () => consume(line.id, '1'));
            const restored = await h.submit<CreditLine>(cast.admin, 'credit-line-probe:Restore', [line.id, '5000']);
            expect(restored).to.include({ used: '0', status: 'REVOKED' });
        });

        it('refuses revoking twice and an empty or over-long reason', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, '   ']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'x'.repeat(501)]));
            await h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'done']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'again']));
        });

        it('lets a frozen granting financier revoke its line (revoking only takes exposure away)', async () => {
            await consume(line.id, '5000');
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'sanctions']);
            const revoked = await h.submit<CreditLineView>(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'frozen: closing the line']);
            expect(revoked).to.include({ status: 'REVOKED', remaining: '0', used: '5000' });
            expect(await read(line.id)).to.include({ status: 'REVOKED', remaining: '0' });
            // A freeze does not open the line to anyone else.
            const other = await grant(cast.bank2);
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bank, 'credit-line:RevokeCreditLine', [other.id, 'x']));
        });

        it('refuses another financier, the core enterprise, identities without attributes and the wrong org', async () => {
            for (const who of [cast.bank2, cast.core, cast.regulator, cast.wrongOrgSupplier]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'credit-line:RevokeCreditLine', [line.id, 'x']));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'credit-line:RevokeCreditLine', [line.id, 'x']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.bank, 'credit-line:RevokeCreditLine', ['CL-000000000000000000000000', 'x']));
        });
    });

    describe('ReadCreditLine / ListCreditLines', () => {
        it('lets any authenticated caller read a line and list an enterprise\'s lines as core or financier, in id order', async () => {
            const a = await grant(cast.bank);
            const b = await grant(cast.bank2);
            const c = await grant(cast.bank, { coreEnterpriseId: EID.core2, currency: 'USD' });
            for (const who of [cast.partner, cast.regulator, cast.tier3, cast.bank2]) {
                expect((await h.evaluate<CreditLineView>(who, 'credit-line:ReadCreditLine', [c.id])).id).to.equal(c.id);
            }
            const ofCore = await h.evaluate<CreditLineView[]>(cast.tier1, 'credit-line:ListCreditLines', [EID.core]);
            expect(ofCore.map((l) => l.id)).to.deep.equal([a.id, b.id].sort());
            const ofBank = await h.evaluate<CreditLineView[]>(cast.tier1, 'credit-line:ListCreditLines', [EID.bank]);
            expect(ofBank.map((l) => l.id)).to.deep.equal([a.id, c.id].sort());
            expect(ofBank.every((l) => l.remaining === '100000000')).to.equal(true);
            expect(await h.evaluate(cast.tier1, 'credit-line:ListCreditLines', [EID.tier1])).to.deep.equal([]);
        });

        it('shows why a line was revoked to its financier, its core enterprise and the regulator only, in reads and lists alike', async () => {
            const line = await grant(cast.bank);
            const other = await grant(cast.bank2);
            const revoked = await h.submit<CreditLineView>(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'downgraded after the audit']);
            expect(revoked).to.include({ revocationReason: 'downgraded after the audit' });
            // Acting for a party needs the party's registered enterprise, role and organisation, not only its id.
            const impostor = await newUser('PlatformMSP', 'impostor', 'core-enterprise', EID.bank);
            const parties = [cast.bank, cast.core, cast.regulator];
            const others = [cast.bank2, cast.core2, cast.tier1, cast.partner, cast.admin, cast.appraiser, cast.bureau, cast.unregistered, impostor];
            for (const who of parties) {
                expect(await h.evaluate<CreditLineView>(who, 'credit-line:ReadCreditLine', [line.id]), who.name).to.deep.equal(revoked);
                const listed = await h.evaluate<CreditLineView[]>(who, 'credit-line:ListCreditLines', [EID.core]);
                expect(listed.find((l) => l.id === line.id), who.name).to.deep.equal(revoked);
            }
            const withoutReason: Partial<CreditLineView> = { ...revoked };
            delete withoutReason.revocationReason;
            for (const who of others) {
                expect(await h.evaluate<CreditLineView>(who, 'credit-line:ReadCreditLine', [line.id]), who.name).to.deep.equal(withoutReason);
                for (const eid of [EID.core, EID.bank]) {
                    const listed = await h.evaluate<CreditLineView[]>(who, 'credit-line:ListCreditLines', [eid]);
                    expect(listed.find((l) => l.id === line.id), who.name).to.deep.equal(withoutReason);
                }
            }
            // Still that it was revoked, and when, to everyone.
            expect(await h.evaluate<CreditLineView>(cast.tier1, 'credit-line:ReadCreditLine', [line.id])).to.include({ status: 'REVOKED', revokedAt: revoked.revokedAt, remaining: '0' });
            // The other financier's line is its own party's to read in full.
            await h.submit(cast.bank2, 'credit-line:RevokeCreditLine', [other.id, 'portfolio limit']);
            expect(await h.evaluate<CreditLineView>(cast.bank2, 'credit-line:ReadCreditLine', [other.id])).to.include({ revocationReason: 'portfolio limit' });
            expect(await h.evaluate<CreditLineView>(cast.bank, 'credit-line:ReadCreditLine', [other.id])).not.to.have.property('revocationReason');
        });

        it('refuses reads without attributes, answers NOT_FOUND and INVALID_ARGUMENT, and emits nothing', async () => {
            const line = await grant();
            const before = h.events().length;
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'credit-line:ReadCreditLine', [line.id]));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'credit-line:ListCreditLines', [EID.core]));
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.tier1, 'credit-line:ReadCreditLine', ['CL-000000000000000000000000']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'credit-line:ReadCreditLine', ['../x']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.tier1, 'credit-line:ListCreditLines', ['']));
            await h.submit(cast.tier1, 'credit-line:ReadCreditLine', [line.id]);
            expect(h.events().length).to.equal(before);
        });

        it('reports no headroom on a line at and after its expiry, in reads and lists alike', async () => {
            const line = await grant(cast.bank, { limit: '5000' });
            await consume(line.id, '3000');
            expect(await read(line.id)).to.include({ status: 'ACTIVE', used: '3000', remaining: '2000' });
            h.setTime(EXPIRES);
            await expectRefused(h, 'EXPIRED', () => consume(line.id, '1'));
            expect(await read(line.id)).to.include({ status: 'EXPIRED', used: '3000', limit: '5000', remaining: '0' });
            const listed = await h.evaluate<CreditLineView[]>(cast.tier1, 'credit-line:ListCreditLines', [EID.core]);
            expect(listed.find((l) => l.id === line.id)).to.include({ remaining: '0' });
            // What is drawn is still restored after expiry; the line still offers nothing.
            await h.submit(cast.admin, 'credit-line-probe:Restore', [line.id, '3000']);
            expect(await read(line.id)).to.include({ used: '0', remaining: '0' });
        });
        it('shows a line as EXPIRED from its expiry on, in reads, lists and results, while its record stays ACTIVE; a revoked line stays REVOKED', async () => {
            const line = await grant(cast.bank, { limit: '5000' });
            const revoked = await grant(cast.bank, { limit: '7000' });
            await h.submit(cast.bank, 'credit-line:RevokeCreditLine', [revoked.id, 'exposure review']);
            h.setTime('2026-12-30T23:59:59.000Z');
            expect(await read(line.id)).to.include({ status: 'ACTIVE', remaining: '5000' });
            h.setTime(EXPIRES);
            expect(await read(line.id)).to.include({ status: 'EXPIRED', remaining: '0' });
            expect(await read(revoked.id)).to.include({ status: 'REVOKED', remaining: '0' });
            for (const enterpriseId of [EID.core, EID.bank]) {
                const listed = await h.evaluate<CreditLineView[]>(cast.tier1, 'credit-line:ListCreditLines', [enterpriseId]);
                expect(Object.fromEntries(listed.map((l) => [l.id, l.status]))).to.deep.equal({ [line.id]: 'EXPIRED', [revoked.id]: 'REVOKED' });
            }
            // Reads judge by the ledger time; the stored record is what it was.
            expect(await h.evaluate<CreditLine>(cast.admin, 'credit-line-probe:Stored', [line.id])).to.include({ status: 'ACTIVE' });
            // Revoking an expired line is still possible; its result says REVOKED.
            expect(await h.submit<CreditLineView>(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'expired anyway'])).to.include({ status: 'REVOKED', remaining: '0' });
            expect(await read(line.id)).to.include({ status: 'REVOKED' });
        });
    });

    describe('consumeCreditLine', () => {
        let line: CreditLineView;
        beforeEach(async () => {
            line = await grant(cast.bank, { limit: '1000' });
        });

        it('draws from the line, up to exactly the remaining limit', async () => {
            const after = await consume(line.id, '600');
            expect(after).to.include({ used: '600', limit: '1000' });
            expect(await read(line.id)).to.include({ used: '600', remaining: '400' });
            await consume(line.id, '400');
            expect(await read(line.id)).to.include({ used: '1000', remaining: '0' });
        });

        it('refuses a draw beyond the remaining limit with INSUFFICIENT_LIMIT', async () => {
            await consume(line.id, '999');
            await expectRefused(h, 'INSUFFICIENT_LIMIT', () => consume(line.id, '2'));
        });

        it('refuses an unknown line, another core enterprise, another currency and a non-positive amount', async () => {
            await expectRefused(h, 'NOT_FOUND', () => consume('CL-000000000000000000000000', '1'));
            await expectRefused(h, 'FORBIDDEN', () => consume(line.id, '1', EID.core2));
            await expectRefused(h, 'INVALID_ARGUMENT', () => consume(line.id, '1', EID.core, 'USD'));
            await expectRefused(h, 'INVALID_ARGUMENT', () => consume(line.id, '0'));
            await expectRefused(h, 'INVALID_ARGUMENT', () => consume(line.id, '-1'));
        });

        it('refuses a revoked line with INVALID_STATE', async () => {
            await h.submit(cast.bank, 'credit-line:RevokeCreditLine', [line.id, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => consume(line.id, '1'));
        });

        it('refuses a line whose financier is frozen with ENTERPRISE_FROZEN, and draws again once it is unfrozen', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bank, 'sanctions']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => consume(line.id, '1'));
            expect(await read(line.id)).to.include({ used: '0' });
            await h.submit(cast.regulator, 'enterprise:UnfreezeEnterprise', [EID.bank, 'cleared']);
            expect(await consume(line.id, '1')).to.include({ used: '1' });
        });

        it('refuses a line at and after its expiry with EXPIRED', async () => {
            h.setTime(EXPIRES);
            await expectRefused(h, 'EXPIRED', () => consume(line.id, '1'));
            h.setTime('2027-01-01T00:00:00Z');
            await expectRefused(h, 'EXPIRED', () => consume(line.id, '1'));
        });
    });

    describe('restoreCreditLine', () => {
        let line: CreditLineView;
        beforeEach(async () => {
            line = await grant(cast.bank, { limit: '1000' });
            await consume(line.id, '700');
        });

        it('gives amounts back, down to zero used', async () => {
            expect(await h.submit(cast.admin, 'credit-line-probe:Restore', [line.id, '200'])).to.include({ used: '500' });
            expect(await h.submit(cast.admin, 'credit-line-probe:Restore', [line.id, '500'])).to.include({ used: '0' });
            expect(await read(line.id)).to.include({ remaining: '1000' });
        });

        it('works on an expired line', async () => {
            h.setTime('2027-06-01T00:00:00Z');
            expect(await h.submit(cast.admin, 'credit-line-probe:Restore', [line.id, '700'])).to.include({ used: '0' });
        });

        it('refuses restoring more than is used as INTERNAL, and a non-positive amount or unknown line', async () => {
            await expectRefused(h, 'INTERNAL', () => h.submit(cast.admin, 'credit-line-probe:Restore', [line.id, '701']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'credit-line-probe:Restore', [line.id, '0']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.admin, 'credit-line-probe:Restore', ['CL-000000000000000000000000', '1']));
        });

        it('keeps 0 <= used <= limit and used equal to the sum of accepted draws minus restores (property)', async () => {
            await fc.assert(
                fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 600 })), { minLength: 1, maxLength: 8 }), async (ops) => {
                    const fresh = await grant(cast.bank, { limit: '1000' });
                    let model = 0;
                    for (const [draw, amount] of ops) {
                        const ok = draw ? model + amount <= 1000 : amount <= model;
                        const attempt = draw
                            ? consume(fresh.id, String(amount))
                            : h.submit(cast.admin, 'credit-line-probe:Restore', [fresh.id, String(amount)]);
                        if (ok) {
                            await attempt;
                            model += draw ? amount : -amount;
                        } else {
                            await attempt.then(
                                () => expect.fail('an over-draw or over-restore succeeded'),
                                (error: { code: string }) => expect(error.code).to.equal(draw ? 'INSUFFICIENT_LIMIT' : 'INTERNAL'),
                            );
                        }
                    }
                    const final = await read(fresh.id);
                    expect(final.used).to.equal(String(model));
                    expect(final.remaining).to.equal(String(1000 - model));
                }),
                { numRuns: 30 },
            );
        });
    });
});
