import { X509Certificate } from 'crypto';
import { expect } from 'chai';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Harness, expectRefused, newHarness } from '../testing/harness';
import { Cast, EID, newCast, registerCast, uscc } from '../testing/fixtures';
import { TestIdentity, newUser } from '../testing/identities';
import { certificateFingerprint } from './certificate-fingerprint';
import { IdentityContract } from './identity-contract';
import type { TransactionCreator } from './transaction-creator';
import type { UserEnrolment } from './user-enrolment';

/** What the gateway sends after enrolling `identity` as `username`. */
function enrolmentOf(identity: TestIdentity, username: string): Record<string, string> {
    return { username, role: identity.attrs['xl.role'], enterpriseId: identity.attrs['xl.eid'], certificateFingerprint: certificateFingerprint(identity.certificate) };
}

describe('IdentityContract', () => {
    let h: Harness;
    let cast: Cast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, IdentityContract]);
        cast = await newCast();
        await registerCast(h, cast);
    });
    afterEach(() => h.close());

    describe('RecordUserEnrolment', () => {
        it('records the enrolled certificate of a user with the transaction time and the recording admin, and emits its event', async () => {
            h.setTime('2026-03-02T08:00:00.000Z');
            const recorded = await h.submit<UserEnrolment>(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(cast.tier1, 'suzhou')]);
            expect(recorded).to.deep.equal({
                docType: 'userEnrolment',
                certificateFingerprint: certificateFingerprint(cast.tier1.certificate),
                username: 'suzhou',
                role: 'supplier',
                enterpriseId: EID.tier1,
                mspId: 'PlatformMSP',
                recordedAt: '2026-03-02T08:00:00.000Z',
                recordedBy: EID.platform,
                recordedByFingerprint: certificateFingerprint(cast.admin.certificate),
            });
            const event = h.events().slice(-1)[0];
            expect(event.name).to.equal('RecordUserEnrolment');
            expect(event.payload).to.include({ enterpriseId: EID.tier1, username: 'suzhou', role: 'supplier', certificateFingerprint: recorded.certificateFingerprint });
        });

        it('records the enterprise organisation of a user of the bank', async () => {
            const recorded = await h.submit<UserEnrolment>(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(cast.bank, 'jiangnan')]);
            expect(recorded).to.include({ enterpriseId: EID.bank, role: 'financier', mspId: 'BankMSP' });
        });

        it('refuses every role but the platform admin, and an identity without attributes', async () => {
            const request = enrolmentOf(cast.tier1, 'suzhou');
            for (const who of [cast.regulator, cast.core, cast.tier1, cast.bank, cast.partner, cast.bureau]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'identity:RecordUserEnrolment', [request]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'identity:RecordUserEnrolment', [request]));
        });

        it('refuses a role other than the one of the enterprise kind, and an unregistered enterprise', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'identity:RecordUserEnrolment', [{ ...enrolmentOf(cast.tier1, 'evil'), role: 'core-enterprise' }]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'identity:RecordUserEnrolment', [{ ...enrolmentOf(cast.tier1, 'evil'), enterpriseId: EID.regulator }]));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.admin, 'identity:RecordUserEnrolment', [{ ...enrolmentOf(cast.tier1, 'evil'), enterpriseId: uscc('91110000MA9990012') }]));
        });

        it('refuses malformed requests: not JSON, unknown field, bad user name, unknown role, fingerprint not 64 lower-case hex', async () => {
            const good = enrolmentOf(cast.tier1, 'suzhou');
            const attempts: unknown[] = [
                'not json',
                { ...good, mspId: 'PlatformMSP' },
                { ...good, username: '../etc' },
                { ...good, role: 'pirate' },
                { ...good, certificateFingerprint: good.certificateFingerprint.toUpperCase() },
                { ...good, certificateFingerprint: good.certificateFingerprint.slice(1) },
                { ...good, enterpriseId: '../etc' },
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.admin, 'identity:RecordUserEnrolment', [request as object]));
            }
        });

        it('refuses recording the same certificate twice', async () => {
            await h.submit(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(cast.tier1, 'suzhou')]);
            await expectRefused(h, 'ALREADY_EXISTS', () => h.submit(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(cast.tier1, 'other-name')]));
        });
    });

    describe('ListUserEnrolments', () => {
        let second: TestIdentity;

        beforeEach(async () => {
            second = await newUser('PlatformMSP', 'tier1-clerk', 'supplier', EID.tier1);
            await h.submit(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(second, 'zz-clerk')]);
            await h.submit(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(cast.tier1, 'suzhou')]);
            await h.submit(cast.admin, 'identity:RecordUserEnrolment', [enrolmentOf(cast.tier2, 'hangzhou')]);
        });

        it("lists an enterprise's enrolments in user name order to the regulator, the platform admin and the enterprise's users", async () => {
            for (const who of [cast.regulator, cast.admin, cast.tier1, second]) {
                const listed = await h.evaluate<UserEnrolment[]>(who, 'identity:ListUserEnrolments', [EID.tier1]);
                expect(listed.map((e) => [e.username, e.certificateFingerprint])).to.deep.equal([
                    ['suzhou', certificateFingerprint(cast.tier1.certificate)],
                    ['zz-clerk', certificateFingerprint(second.certificate)],
                ]);
            }
            expect(await h.evaluate<UserEnrolment[]>(cast.regulator, 'identity:ListUserEnrolments', [EID.core])).to.deep.equal([]);
        });

        it('lets the users of a frozen enterprise still read its enrolments', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.tier1, 'under investigation']);
            expect(await h.evaluate<UserEnrolment[]>(cast.tier1, 'identity:ListUserEnrolments', [EID.tier1])).to.have.length(2);
        });

        it("refuses another enterprise's users, a user of the right id from the wrong org, and an identity without attributes", async () => {
            for (const who of [cast.tier2, cast.core, cast.bank, cast.partner, cast.bureau, cast.wrongOrgSupplier, cast.unregistered]) {
                await expectRefused(h, 'FORBIDDEN', () => h.evaluate(who, 'identity:ListUserEnrolments', [EID.tier1]));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'identity:ListUserEnrolments', [EID.tier1]));
        });

        it('refuses a regulator whose institution is not the registered regulator', async () => {
            const shadow = await newUser('PlatformMSP', 'shadowreg', 'regulator', uscc('11100000MB0000099'));
            await expectRefused(h, 'FORBIDDEN', () => h.evaluate(shadow, 'identity:ListUserEnrolments', [EID.tier1]));
        });

        it('answers NOT_FOUND for an unregistered enterprise and INVALID_ARGUMENT for a malformed id', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.regulator, 'identity:ListUserEnrolments', [uscc('91110000MA9990012')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.regulator, 'identity:ListUserEnrolments', ['../etc']));
        });
    });

    describe('ReadCallerIdentity', () => {
        it("answers the caller's organisation, role, enterprise and the SHA-256 fingerprint of its certificate's DER", async () => {
            const me = await h.evaluate<TransactionCreator>(cast.bank, 'identity:ReadCallerIdentity', []);
            const openssl = new X509Certificate(cast.bank.certificate).fingerprint256.replace(/:/g, '').toLowerCase();
            expect(me).to.deep.equal({ mspId: 'BankMSP', role: 'financier', enterpriseId: EID.bank, certificateFingerprint: openssl });
        });

        it('refuses an identity without attributes', async () => {
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'identity:ReadCallerIdentity', []));
        });
    });
});
