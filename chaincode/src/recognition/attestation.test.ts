import { expect } from 'chai';
import { Signature, id as keccakText } from 'ethers';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { Harness, expectFailure, expectRefused, newHarness } from '../testing/harness';
import { EID, newCast, uscc } from '../testing/fixtures';
import { Attestation, AttestationVerdict, ISSUED_AT_SKEW_SECONDS, attestationVerdict } from './attestation';
import type { BureauKey } from './bureau-key';
import { hashPassport } from './passport';
import { RecognitionContract } from './recognition-contract';
import { AuditProbeContract, EXTRA, RecognitionCast, TAMPERS, WALLETS, anchor, newPassport, newRecognitionCast, registerRecognitionCast, sign, unix } from './test-fixtures';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('RecognitionContract attestations', () => {
    let h: Harness;
    let cast: RecognitionCast;

    beforeEach(async () => {
        h = await newHarness([EnterpriseContract, RecognitionContract, AuditProbeContract]);
        cast = await newRecognitionCast(await newCast());
        await registerRecognitionCast(h, cast);
    });
    afterEach(() => h.close());

    const submit = (who: RecognitionCast[keyof RecognitionCast], request: object) => h.submit<Attestation>(who, 'recognition:SubmitAttestation', [request]);
    /** The platform operator as a registered enterprise, as a deployed ledger has it. */
    const registerPlatform = () => h.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.platform, name: 'Xinlian Platform Co., Ltd.', kind: 'PLATFORM' }]);

    describe('SubmitAttestation', () => {
        it('anchors a signed passport under its EIP-712 digest with the recovered signer, links it and emits the event', async () => {
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            h.setTime('2026-01-10T00:00:00Z');
            const anchored = await submit(cast.bureau, { attestation: passport, signature });
            expect(anchored).to.deep.equal({
                docType: 'attestation',
                ...passport,
                id: hashPassport(passport),
                signer: WALLETS.bureau.address,
                bureauId: EID.bureau,
                signature,
                status: 'VALID',
                submittedAt: '2026-01-10T00:00:00.000Z',
                submittedBy: EID.bureau,
                txId: h.events().at(-1)?.txId,
            });
            expect(h.events().at(-1)?.name).to.equal('SubmitAttestation');
            expect(h.events().at(-1)?.payload).to.include({ attestationId: anchored.id, subject: EID.tier1, bureauId: EID.bureau, signer: WALLETS.bureau.address });
            expect(await h.evaluate(cast.partner, 'recognition:ReadAttestation', [anchored.id.toUpperCase().replace('0X', '0x')])).to.deep.equal(anchored);
            for (const eid of [EID.tier1, EID.bureau]) {
                expect(await h.evaluate(cast.regulator, 'audit-probe:Linked', [eid])).to.deep.include({ type: 'attestation', id: anchored.id });
            }
        });

        it('lets the platform admin relay a passport signed by any registered bureau', async () => {
            const anchored = await anchor(h, cast.admin, newPassport(), WALLETS.bureau2);
            expect(anchored).to.include({ bureauId: EXTRA.bureau2, signer: WALLETS.bureau2.address, submittedBy: EID.platform });
        });

        it('accepts a signature whose v is the parity byte and stores it canonically, and a correctly named signer', async () => {
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            const v = parseInt(signature.slice(130), 16);
            const anchored = await submit(cast.bureau, { attestation: passport, signature: `${signature.slice(0, 130)}0${v - 27}`, signer: WALLETS.bureau.address.toLowerCase() });
            expect(anchored.signature).to.equal(signature);
        });

        it('accepts issuedAt up to the allowed skew after the transaction time', async () => {
            h.setTime('2026-01-10T00:00:00Z');
            const passport = newPassport({ issuedAt: unix('2026-01-10T00:00:00Z') + ISSUED_AT_SKEW_SECONDS });
            expect((await anchor(h, cast.bureau, passport)).issuedAt).to.equal(passport.issuedAt);
        });

        it('refuses other roles, no attributes, a bureau role of another kind of enterprise and an unregistered bureau', async () => {
            const passport = newPassport();
            const request = { attestation: passport, signature: await sign(WALLETS.bureau, passport) };
            for (const who of [cast.regulator, cast.tier1, cast.core, cast.bank, cast.partner, cast.bureauActingForPartner]) {
                await expectRefused(h, 'FORBIDDEN', () => submit(who, request));
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => submit(cast.anonymous, request));
        });

        it("refuses a bureau submitting a passport signed by another bureau's key (FORBIDDEN)", async () => {
            const passport = newPassport();
            await expectRefused(h, 'FORBIDDEN', async () => submit(cast.bureau2, { attestation: passport, signature: await sign(WALLETS.bureau, passport) }));
        });

        it('refuses a frozen bureau, whether it submits itself or the platform relays', async () => {
            const passport = newPassport();
            const request = { attestation: passport, signature: await sign(WALLETS.bureau, passport) };
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bureau, 'licence suspended']);
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => submit(cast.bureau, request));
            await expectRefused(h, 'ENTERPRISE_FROZEN', () => submit(cast.admin, request));
        });

        it('refuses a signature by an unregistered key and by a revoked key (SIGNER_NOT_REGISTERED)', async () => {
            const passport = newPassport();
            await expectRefused(h, 'SIGNER_NOT_REGISTERED', async () => submit(cast.admin, { attestation: passport, signature: await sign(WALLETS.rogue, passport) }));
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'compromised']);
            await expectRefused(h, 'SIGNER_NOT_REGISTERED', async () => submit(cast.bureau, { attestation: passport, signature: await sign(WALLETS.bureau, passport) }));
        });

        it('round trip: tampering with any single field recovers another address (SIGNER_NOT_REGISTERED), or INVALID_SIGNATURE when the signer is named', async () => {
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            for (const [field, tamper] of TAMPERS) {
                const tampered = tamper(passport);
                const failure = await expectRefused(h, 'SIGNER_NOT_REGISTERED', () => submit(cast.bureau, { attestation: tampered, signature }));
                expect(failure.detail, field).to.not.include(WALLETS.bureau.address);
                await expectRefused(h, 'INVALID_SIGNATURE', () => submit(cast.bureau, { attestation: tampered, signature, signer: WALLETS.bureau.address }));
            }
            expect((await submit(cast.bureau, { attestation: passport, signature, signer: WALLETS.bureau.address })).id).to.equal(hashPassport(passport));
        });

        it('refuses malformed signatures with INVALID_SIGNATURE: truncated, not hex, bad v, high s, not a string, a flipped r with no curve point', async () => {
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            const sig = Signature.from(signature);
            const highS = `0x${sig.r.slice(2)}${(N - BigInt(sig.s)).toString(16).padStart(64, '0')}${sig.v === 27 ? '1c' : '1b'}`;
            // r = 5 is not the x-coordinate of any secp256k1 point, so nothing can be recovered from it
            const noPoint = `0x${'0'.repeat(63)}5${signature.slice(66)}`;
            for (const bad of [signature.slice(0, 100), `0x${'g'.repeat(130)}`, `${signature.slice(0, 130)}1d`, highS, 12345, noPoint]) {
                await expectRefused(h, 'INVALID_SIGNATURE', () => submit(cast.bureau, { attestation: passport, signature: bad }));
            }
        });

        it('rejects malformed requests with INVALID_ARGUMENT: bad JSON, unknown field, missing signature, malformed members, bad named signer', async () => {
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            const attempts: unknown[] = [
                'not json',
                [],
                { attestation: passport, signature, extra: 1 },
                { attestation: passport },
                { signature },
                { attestation: { ...passport, score: 1001 }, signature },
                { attestation: { ...passport, subject: 'NOT-AN-ID' }, signature },
                { attestation: { ...passport, expiresAt: passport.issuedAt }, signature },
                { attestation: { ...passport, extra: 1 }, signature },
                { attestation: passport, signature, signer: '0x1234' },
            ];
            for (const request of attempts) {
                await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bureau, 'recognition:SubmitAttestation', [request as object]));
            }
        });

        it('refuses issuedAt beyond the allowed skew (INVALID_ARGUMENT) and an expired passport (EXPIRED)', async () => {
            h.setTime('2026-01-10T00:00:00Z');
            const future = newPassport({ issuedAt: unix('2026-01-10T00:00:00Z') + ISSUED_AT_SKEW_SECONDS + 1 });
            await expectRefused(h, 'INVALID_ARGUMENT', async () => submit(cast.bureau, { attestation: future, signature: await sign(WALLETS.bureau, future) }));
            const expired = newPassport({ issuedAt: unix('2025-06-01T00:00:00Z'), expiresAt: unix('2026-01-01T00:00:00Z') });
            await expectRefused(h, 'EXPIRED', async () => submit(cast.bureau, { attestation: expired, signature: await sign(WALLETS.bureau, expired) }));
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            h.setTime('2026-07-01T00:00:00Z');
            await expectRefused(h, 'EXPIRED', () => submit(cast.bureau, { attestation: passport, signature }));
        });

        it('refuses a passport about an unknown subject (NOT_FOUND)', async () => {
            const passport = newPassport({ subject: uscc('91110000MA9990012') });
            await expectRefused(h, 'NOT_FOUND', async () => submit(cast.bureau, { attestation: passport, signature: await sign(WALLETS.bureau, passport) }));
        });

        it('refuses a passport about the attesting party itself: the signing bureau, or the platform relaying (FORBIDDEN)', async () => {
            const own = newPassport({ subject: EID.bureau, score: 1000, grade: 'AAA' });
            const ownSignature = await sign(WALLETS.bureau, own);
            for (const who of [cast.bureau, cast.admin]) {
                const failure = await expectRefused(h, 'FORBIDDEN', () => submit(who, { attestation: own, signature: ownSignature }));
                expect(failure.detail).to.contain(`request.attestation.subject ${EID.bureau} is the bureau whose key signed the passport`);
            }
            await registerPlatform();
            const platform = newPassport({ subject: EID.platform });
            const failure = await expectRefused(h, 'FORBIDDEN', async () => submit(cast.admin, { attestation: platform, signature: await sign(WALLETS.bureau2, platform) }));
            expect(failure.detail).to.contain('is the submitter');
        });

        it('refuses a subject whose credit is not scored: another bureau, the regulator, the platform, a partner, a financier, an appraiser (INVALID_ARGUMENT)', async () => {
            await registerPlatform();
            for (const [subject, kind] of [
                [EXTRA.bureau2, 'CREDIT_BUREAU'],
                [EID.regulator, 'REGULATOR'],
                [EID.platform, 'PLATFORM'],
                [EID.partner, 'FOREIGN_PARTNER'],
                [EID.bank, 'FINANCIER'],
                [EID.appraiser, 'APPRAISER'],
            ]) {
                const passport = newPassport({ subject });
                const failure = await expectRefused(h, 'INVALID_ARGUMENT', async () => submit(cast.bureau, { attestation: passport, signature: await sign(WALLETS.bureau, passport) }));
                expect(failure.detail).to.equal(`request.attestation.subject ${subject} is a ${kind}; credit passports are about a CORE_ENTERPRISE or SUPPLIER only`);
            }
        });

        it('anchors passports about core enterprises and suppliers of every tier', async () => {
            for (const subject of [EID.core, EID.core2, EID.tier1, EID.tier2, EID.tier3]) {
                expect((await anchor(h, cast.bureau, newPassport({ subject, nonce: keccakText(subject) }))).subject).to.equal(subject);
            }
        });

        it('refuses the same signed content twice, whoever submits it (ALREADY_EXISTS), but takes a new nonce', async () => {
            const passport = newPassport();
            const signature = await sign(WALLETS.bureau, passport);
            await submit(cast.bureau, { attestation: passport, signature });
            await expectRefused(h, 'ALREADY_EXISTS', () => submit(cast.admin, { attestation: passport, signature }));
            const again = await anchor(h, cast.bureau, newPassport({ nonce: keccakText('nonce 2') }));
            expect(again.id).to.not.equal(hashPassport(passport));
        });
    });

    describe('RevokeAttestation', () => {
        let anchored: Attestation;
        beforeEach(async () => {
            anchored = await anchor(h, cast.bureau);
        });

        it('lets the issuing bureau revoke, recording who, when and why, with the event', async () => {
            const revoked = await h.submit<Attestation>(cast.bureau, 'recognition:RevokeAttestation', [anchored.id, 'score recomputed after dispute']);
            expect(revoked).to.include({ status: 'REVOKED', revokedBy: EID.bureau, revocationReason: 'score recomputed after dispute' });
            expect(h.events().at(-1)?.name).to.equal('RevokeAttestation');
            expect(h.events().at(-1)?.payload).to.deep.include({ attestationId: anchored.id, subject: EID.tier1, bureauId: EID.bureau, partnerIds: [] });
        });

        it('lets a frozen bureau revoke its own passport: a freeze stops value moving, not withdrawing an attestation', async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bureau, 'licence suspended']);
            const revoked = await h.submit<Attestation>(cast.bureau, 'recognition:RevokeAttestation', [anchored.id, 'withdrawn while frozen']);
            expect(revoked).to.include({ status: 'REVOKED', revokedBy: EID.bureau, revocationReason: 'withdrawn while frozen' });
            expect(h.events().at(-1)?.name).to.equal('RevokeAttestation');
            expect((await h.evaluate<AttestationVerdict>(cast.partner, 'recognition:VerifyAttestation', [anchored.id])).reasons).to.deep.equal(['REVOKED']);
            // Still only its own passports, and still not a bureau role of another kind of enterprise.
            const other = await anchor(h, cast.bureau2, newPassport({ nonce: keccakText('bureau2') }), WALLETS.bureau2);
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bureau, 'recognition:RevokeAttestation', [other.id, 'x']));
            await expectRefused(h, 'FORBIDDEN', () => h.submit(cast.bureauActingForPartner, 'recognition:RevokeAttestation', [other.id, 'x']));
            // Frozen, it can still issue nothing.
            const passport = newPassport({ nonce: keccakText('frozen') });
            await expectRefused(h, 'ENTERPRISE_FROZEN', async () => submit(cast.bureau, { attestation: passport, signature: await sign(WALLETS.bureau, passport) }));
        });

        it("keeps a frozen bureau's passports valid: a freeze is about its own value, not the truth of what it attested", async () => {
            await h.submit(cast.regulator, 'enterprise:FreezeEnterprise', [EID.bureau, 'licence suspended']);
            const verdict = await h.evaluate<AttestationVerdict>(cast.partner, 'recognition:VerifyAttestation', [anchored.id]);
            expect(verdict).to.include({ valid: true, status: 'VALID' });
            expect((await h.evaluate<Attestation>(cast.partner, 'recognition:LatestAttestation', [EID.tier1])).id).to.equal(anchored.id);
        });

        it('lets the regulator revoke', async () => {
            const revoked = await h.submit<Attestation>(cast.regulator, 'recognition:RevokeAttestation', [anchored.id, 'fraud finding']);
            expect(revoked).to.include({ status: 'REVOKED', revokedBy: EID.regulator });
        });

        it('refuses another bureau, the platform admin, the subject, the partner and no attributes', async () => {
            for (const who of [cast.bureau2, cast.admin, cast.tier1, cast.partner, cast.bureauActingForPartner]) {
                await expectRefused(h, 'FORBIDDEN', () => h.submit(who, 'recognition:RevokeAttestation', [anchored.id, 'x']));
            }
            // A role that may never revoke is told every role that may.
            for (const [who, role] of [[cast.tier1, 'supplier'], [cast.admin, 'platform-admin'], [cast.partner, 'foreign-partner']] as const) {
                const failure = await expectFailure(h.submit(who, 'recognition:RevokeAttestation', [anchored.id, 'x']), 'FORBIDDEN');
                expect(failure.detail).to.equal(`role ${role} may not revoke attestations; requires credit-bureau or regulator`);
            }
            await expectRefused(h, 'UNAUTHENTICATED', () => h.submit(cast.anonymous, 'recognition:RevokeAttestation', [anchored.id, 'x']));
        });

        it('refuses an empty reason, a malformed or unknown id and revoking twice', async () => {
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bureau, 'recognition:RevokeAttestation', [anchored.id, '']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.submit(cast.bureau, 'recognition:RevokeAttestation', ['att-1', 'x']));
            await expectRefused(h, 'NOT_FOUND', () => h.submit(cast.bureau, 'recognition:RevokeAttestation', [keccakText('nothing'), 'x']));
            await h.submit(cast.bureau, 'recognition:RevokeAttestation', [anchored.id, 'x']);
            await expectRefused(h, 'INVALID_STATE', () => h.submit(cast.regulator, 'recognition:RevokeAttestation', [anchored.id, 'x']));
        });
    });

    describe('VerifyAttestation', () => {
        let anchored: Attestation;
        beforeEach(async () => {
            anchored = await anchor(h, cast.bureau);
        });

        it('answers valid with no reasons for a fresh attestation', async () => {
            h.setTime('2026-03-01T00:00:00Z');
            const verdict = await h.evaluate<AttestationVerdict>(cast.partner, 'recognition:VerifyAttestation', [anchored.id]);
            expect(verdict).to.deep.equal({
                attestationId: anchored.id,
                valid: true,
                reasons: [],
                status: 'VALID',
                subject: EID.tier1,
                bureauId: EID.bureau,
                signer: WALLETS.bureau.address,
                score: 780,
                grade: 'AA',
                issuedAt: anchored.issuedAt,
                expiresAt: anchored.expiresAt,
                checkedAt: '2026-03-01T00:00:00.000Z',
            });
        });

        it('reports EXPIRED from expiresAt on, judged at the transaction time', async () => {
            h.setTime('2026-06-30T23:59:59Z');
            expect((await h.evaluate<AttestationVerdict>(cast.partner, 'recognition:VerifyAttestation', [anchored.id])).valid).to.equal(true);
            h.setTime('2026-07-01T00:00:00Z');
            const verdict = await h.evaluate<AttestationVerdict>(cast.partner, 'recognition:VerifyAttestation', [anchored.id]);
            expect(verdict).to.include({ valid: false });
            expect(verdict.reasons).to.deep.equal(['EXPIRED']);
        });

        it('reports REVOKED and SIGNER_REVOKED together, in the documented order', async () => {
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'compromised']);
            await h.submit(cast.regulator, 'recognition:RevokeAttestation', [anchored.id, 'key compromise']);
            h.setTime('2026-08-01T00:00:00Z');
            const verdict = await h.evaluate<AttestationVerdict>(cast.partner, 'recognition:VerifyAttestation', [anchored.id]);
            expect(verdict.reasons).to.deep.equal(['REVOKED', 'EXPIRED', 'SIGNER_REVOKED']);
            expect(verdict.status).to.equal('REVOKED');
        });

        it('answers NOT_FOUND, INVALID_ARGUMENT and UNAUTHENTICATED, emitting nothing', async () => {
            const events = h.events().length;
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:VerifyAttestation', [keccakText('nothing')]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:VerifyAttestation', ['0x12']));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'recognition:VerifyAttestation', [anchored.id]));
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:ReadAttestation', [keccakText('nothing')]));
            expect(h.events()).to.have.length(events);
        });
    });

    describe('attestationVerdict (stored-content re-check)', () => {
        let anchored: Attestation;
        let key: BureauKey;
        const now = unix('2026-02-01T00:00:00Z');
        beforeEach(async () => {
            anchored = await anchor(h, cast.bureau);
            key = await h.evaluate<BureauKey>(cast.partner, 'recognition:ReadBureauKey', [WALLETS.bureau.address]);
        });

        it('is valid for the record as anchored', () => {
            expect(attestationVerdict(anchored, key, now, 'now').reasons).to.deep.equal([]);
        });

        it('reports DIGEST_MISMATCH and SIGNATURE_MISMATCH for a record whose content no longer matches its id', () => {
            expect(attestationVerdict({ ...anchored, score: 999 }, key, now, 'now').reasons).to.deep.equal(['DIGEST_MISMATCH', 'SIGNATURE_MISMATCH']);
            expect(attestationVerdict({ ...anchored, signature: '0x00' }, key, now, 'now').reasons).to.deep.equal(['SIGNATURE_MISMATCH']);
        });

        it('reports SIGNER_NOT_REGISTERED without a key, or with a key of another bureau', () => {
            expect(attestationVerdict(anchored, undefined, now, 'now').reasons).to.deep.equal(['SIGNER_NOT_REGISTERED']);
            expect(attestationVerdict(anchored, { ...key, bureauId: EXTRA.bureau2 }, now, 'now').reasons).to.deep.equal(['SIGNER_NOT_REGISTERED']);
        });
    });

    describe('ListAttestations / LatestAttestation', () => {
        it('lists every attestation of a subject whatever its status', async () => {
            const first = await anchor(h, cast.bureau);
            const second = await anchor(h, cast.bureau, newPassport({ nonce: keccakText('nonce 2') }));
            await h.submit(cast.bureau, 'recognition:RevokeAttestation', [first.id, 'superseded']);
            const all = await h.evaluate<Attestation[]>(cast.partner, 'recognition:ListAttestations', [EID.tier1]);
            expect(all.map((a) => a.id)).to.deep.equal([first.id, second.id].sort());
            expect(await h.evaluate(cast.partner, 'recognition:ListAttestations', [EID.tier2])).to.deep.equal([]);
        });

        it('picks the valid attestation with the latest issuedAt, skipping revoked, expired and revoked-key ones', async () => {
            const older = await anchor(h, cast.bureau, newPassport({ issuedAt: unix('2026-01-01T00:00:00Z'), nonce: keccakText('a') }));
            const newest = await anchor(h, cast.bureau, newPassport({ issuedAt: unix('2026-01-04T12:00:00Z'), nonce: keccakText('b') }));
            const shortLived = await anchor(h, cast.bureau2, newPassport({ issuedAt: unix('2026-01-04T18:00:00Z'), expiresAt: unix('2026-02-01T00:00:00Z'), nonce: keccakText('c') }), WALLETS.bureau2);
            expect((await h.evaluate<Attestation>(cast.partner, 'recognition:LatestAttestation', [EID.tier1])).id).to.equal(shortLived.id);
            h.setTime('2026-02-01T00:00:00Z');
            expect((await h.evaluate<Attestation>(cast.partner, 'recognition:LatestAttestation', [EID.tier1])).id).to.equal(newest.id);
            await h.submit(cast.bureau, 'recognition:RevokeAttestation', [newest.id, 'error']);
            expect((await h.evaluate<Attestation>(cast.partner, 'recognition:LatestAttestation', [EID.tier1])).id).to.equal(older.id);
            await h.submit(cast.admin, 'recognition:RevokeBureauKey', [WALLETS.bureau.address, 'compromised']);
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:LatestAttestation', [EID.tier1]));
        });

        it('breaks an issuedAt tie by the later submission', async () => {
            await anchor(h, cast.bureau, newPassport({ nonce: keccakText('x') }));
            const later = await anchor(h, cast.bureau, newPassport({ nonce: keccakText('y') }));
            expect((await h.evaluate<Attestation>(cast.partner, 'recognition:LatestAttestation', [EID.tier1])).id).to.equal(later.id);
        });

        it('answers NOT_FOUND for a subject without attestations, INVALID_ARGUMENT and UNAUTHENTICATED', async () => {
            await expectRefused(h, 'NOT_FOUND', () => h.evaluate(cast.partner, 'recognition:LatestAttestation', [EID.tier2]));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:LatestAttestation', ['a b']));
            await expectRefused(h, 'INVALID_ARGUMENT', () => h.evaluate(cast.partner, 'recognition:ListAttestations', ['']));
            await expectRefused(h, 'UNAUTHENTICATED', () => h.evaluate(cast.anonymous, 'recognition:ListAttestations', [EID.tier1]));
        });
    });
});
