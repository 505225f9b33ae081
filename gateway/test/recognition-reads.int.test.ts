/* eslint-disable @typescript-eslint/no-explicit-any */
import './support/quiet-chaincode-logging';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { usccCheckCharacter } from '@xinlian/chaincode';
import { AppError } from '../src/errors';
import type { LedgerUser } from '../src/ledger/ledger-backend';
import { openBureauKeyStore } from '../src/passports/bureau-key-store';
import { newPassportService } from '../src/passports/passport-service';
import { DEMO_IDS } from '../src/services/demo-seed';
import { verifierOf } from '../src/services/gateway-services';
import { ApiResponse, call } from './conformance/api-client';
import { TEST_PASSWORD, TestGateway, loginToken, startTestGateway } from './support/test-gateway';

/** A bank's enterprise id that no ledger here registers (a valid USCC). */
const UNREGISTERED_BANK = `91110000100000991${usccCheckCharacter('91110000100000991')}`;

function expectCode(response: ApiResponse, status: number, code: string): void {
    expect(response.status, response.text).to.equal(status);
    expect(response.body.code).to.equal(code);
}

/**
 * The recognition reads a partner needs through the API (docs/credit-passport.md §6), over real
 * HTTP on the embedded ledger: `GET /attestations/latest` (recognition:LatestAttestation, for those
 * who may read the subject's credit profile, and the platform admin) and `GET /agreements/{id}/anchor`
 * (recognition:ReadRecognitionAnchor, any identified user); who is refused the passport reads, while
 * a passport's holder still gets the public verdict; and a frozen bureau withdrawing its own passport
 * (`POST /attestations/{id}/revoke`).
 */
describe('recognition reads and a frozen bureau revoking (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    const tokens = new Map<string, string>();
    const api = (method: string, route: string, token?: string, body?: unknown) => call(gateway.baseUrl, method, route, { token, body });
    const as = (username: string): string => tokens.get(username) as string;

    before(async () => {
        gateway = await startTestGateway();
        for (const username of ['admin', 'regulator', 'bureau', 'huadong', 'suzhou', 'hangzhou', 'jiangnan', 'appraiser', 'singapore']) {
            tokens.set(username, await loginToken(gateway.baseUrl, username));
        }
    });
    after(() => gateway.dispose());

    /** The seeded agreement with the demo partner (accepted, so anchored). */
    async function activeAgreement(): Promise<any> {
        const agreements = await api('GET', `/agreements?partnerId=${DEMO_IDS.singapore}`, as('singapore'));
        expect(agreements.status, agreements.text).to.equal(200);
        return agreements.body.items.find((a: any) => a.status === 'ACTIVE');
    }

    describe('GET /attestations/latest', () => {
        it("answers the subject's latest valid passport, to the partner and to the subject itself (its own by default)", async () => {
            const seeded = await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`, as('singapore'));
            expect(seeded.status, seeded.text).to.equal(200);
            expect(seeded.body).to.include({ subject: DEMO_IDS.suzhou, bureauId: DEMO_IDS.bureau, status: 'VALID' });

            const issued = await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou, score: 820, grade: 'AA', validDays: 30 });
            expect(issued.status, issued.text).to.equal(201);
            const latest = await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`, as('singapore'));
            expect(latest.status, latest.text).to.equal(200);
            expect(latest.body).to.deep.equal(issued.body.attestation);

            const own = await api('GET', '/attestations/latest', as('suzhou'));
            expect(own.status, own.text).to.equal(200);
            expect(own.body.id).to.equal(issued.body.attestation.id);
            // "latest" is not taken for an attestation id, and ids still read.
            const read = await api('GET', `/attestations/${issued.body.attestation.id}`, as('singapore'));
            expect(read.body).to.deep.equal(issued.body.attestation);
        });

        it('falls back to the next latest valid passport once the latest is revoked', async () => {
            const latest = (await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`, as('regulator'))).body;
            const revoked = await api('POST', `/attestations/${latest.id}/revoke`, as('regulator'), { reason: 'superseded' });
            expect(revoked.status, revoked.text).to.equal(200);
            const next = await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`, as('singapore'));
            expect(next.status, next.text).to.equal(200);
            expect(next.body.id).to.not.equal(latest.id);
            expect(next.body.status).to.equal('VALID');
        });

        it('answers 404 for a subject without a valid passport, 400 for a malformed subject and 401 without credentials', async () => {
            expectCode(await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.hangzhou}`, as('singapore')), 404, 'NOT_FOUND');
            expectCode(await api('GET', '/attestations/latest', as('hangzhou')), 404, 'NOT_FOUND');
            expectCode(await api('GET', '/attestations/latest?subjectId=not-an-enterprise', as('singapore')), 400, 'INVALID_ARGUMENT');
            expectCode(await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`), 401, 'UNAUTHENTICATED');
            const post = await api('POST', '/attestations/latest', as('bureau'), {});
            expect(post.status, post.text).to.equal(405);
        });
    });

    describe('GET /agreements/{id}/anchor', () => {
        it('answers the partner organisation whose peer must endorse and the recognitions counted so far, to any identified user', async () => {
            const agreement = await activeAgreement();
            const before = await api('GET', `/agreements/${agreement.id}/anchor`, as('singapore'));
            expect(before.status, before.text).to.equal(200);
            expect(before.body).to.include({ docType: 'recognitionAnchor', agreementId: agreement.id, partnerMspId: 'PartnerMSP' });
            // The embedded ledger keeps the key-level policy even though it has one peer.
            expect(before.body.endorsers).to.deep.equal(['PartnerMSP']);

            const latest = (await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`, as('singapore'))).body;
            const recognised = await api('POST', '/recognitions', as('singapore'), { agreementId: agreement.id, attestationId: latest.id });
            expect(recognised.status, recognised.text).to.equal(201);

            const after = await api('GET', `/agreements/${agreement.id}/anchor`, as('suzhou'));
            expect(after.status, after.text).to.equal(200);
            expect(after.body).to.include({ agreementId: agreement.id, recognitions: before.body.recognitions + 1, lastRecognitionId: recognised.body.id });
        });

        it('answers 404 for an agreement not accepted or unknown, 400 for a malformed id and 401 without credentials', async () => {
            const proposed = await api('POST', '/agreements', as('admin'), {
                partnerId: DEMO_IDS.singapore,
                partnerMspId: 'PartnerMSP',
                gradeScale: [{ minScore: 500, grade: 'A' }, { minScore: 0, grade: 'B' }],
                validFrom: '2026-01-01',
                validUntil: '2030-01-01',
            });
            expect(proposed.status, proposed.text).to.equal(201);
            expectCode(await api('GET', `/agreements/${proposed.body.id}/anchor`, as('singapore')), 404, 'NOT_FOUND');
            expectCode(await api('GET', '/agreements/AGR-none/anchor', as('regulator')), 404, 'NOT_FOUND');
            expectCode(await api('GET', '/agreements/-bad-/anchor', as('regulator')), 400, 'INVALID_ARGUMENT');
            expectCode(await api('GET', `/agreements/${(await activeAgreement()).id}/anchor`), 401, 'UNAUTHENTICATED');
        });
    });

    describe('GET /recognitions', () => {
        it('lists the recognitions of a subject or of an agreement, and refuses at the gateway a query with neither or both', async () => {
            const agreement = await activeAgreement();
            const issued = await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou, validDays: 10 });
            expect(issued.status, issued.text).to.equal(201);
            const recognised = await api('POST', '/recognitions', as('singapore'), { agreementId: agreement.id, attestationId: issued.body.attestation.id });
            expect(recognised.status, recognised.text).to.equal(201);
            const ofAgreement = await api('GET', `/recognitions?agreementId=${agreement.id}&limit=500`, as('regulator'));
            expect(ofAgreement.status, ofAgreement.text).to.equal(200);
            expect(ofAgreement.body.items.map((r: any) => r.id)).to.include(recognised.body.id);
            const ofSubject = await api('GET', `/recognitions?subjectId=${DEMO_IDS.suzhou}&limit=500`, as('regulator'));
            expect(ofSubject.status, ofSubject.text).to.equal(200);
            expect(ofSubject.body.items.map((r: any) => r.id)).to.include(recognised.body.id);

            // Refused by the gateway's query schema, before any ledger call: no transaction id, and the
            // problem names the query.
            for (const query of ['', `?subjectId=${DEMO_IDS.suzhou}&agreementId=${agreement.id}`]) {
                const refused = await api('GET', `/recognitions${query}`, as('regulator'));
                expectCode(refused, 400, 'INVALID_ARGUMENT');
                expect(refused.body.detail).to.equal('query: give exactly one of subjectId and agreementId');
                expect(refused.body.txId, refused.text).to.equal(undefined);
            }
        });
    });

    describe("who reads a subject's passports and recognitions", () => {
        /** Suzhou's passport, recognised under the seeded agreement. */
        async function recognisedPassport(): Promise<{ issued: any; agreement: any }> {
            const agreement = await activeAgreement();
            const issued = await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou, score: 760, grade: 'A', reasonCodes: ['ON_TIME_REDEMPTION'], validDays: 30 });
            expect(issued.status, issued.text).to.equal(201);
            const recognised = await api('POST', '/recognitions', as('singapore'), { agreementId: agreement.id, attestationId: issued.body.attestation.id });
            expect(recognised.status, recognised.text).to.equal(201);
            return { issued, agreement };
        }

        it("refuses 403 FORBIDDEN to another enterprise's users and the appraiser, as the credit profile does", async () => {
            const { issued, agreement } = await recognisedPassport();
            const id = issued.body.attestation.id;
            const reads = [
                `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`,
                `/attestations?subjectId=${DEMO_IDS.suzhou}`,
                `/attestations/${id}`,
                `/attestations/${id}/verify`,
                `/recognitions?subjectId=${DEMO_IDS.suzhou}`,
                `/recognitions?agreementId=${agreement.id}`,
            ];
            for (const user of ['hangzhou', 'huadong', 'appraiser']) {
                // The profile, which shows the same score, is refused them too.
                expectCode(await api('GET', `/profiles/${DEMO_IDS.suzhou}`, as(user)), 403, 'FORBIDDEN');
                for (const read of reads) {
                    const refused = await api('GET', read, as(user));
                    expectCode(refused, 403, 'FORBIDDEN');
                    // A problem and nothing of the passport: no score (760) in what it says. The
                    // instance path and ids are hex and may hold those digits by chance.
                    expect(refused.body, `${user} ${read}`).to.not.have.any.keys('score', 'grade', 'reasonCodes', 'attestation', 'attestations', 'recognitions');
                    expect(String(refused.body.detail), `${user} ${read}`).to.not.match(/\b760\b/);
                }
            }
            const latest = await api('GET', `/attestations/latest?subjectId=${DEMO_IDS.suzhou}`, as('hangzhou'));
            expect(latest.body.detail).to.equal('a supplier may read only its own credit passports');
            const recognitions = await api('GET', `/recognitions?subjectId=${DEMO_IDS.suzhou}`, as('appraiser'));
            expect(recognitions.body.detail).to.match(/^role appraiser may not read recognitions: they disclose a subject's score, grade and reasons/);
            // Its own passports' recognitions a supplier lists by subject, not an agreement's (about many subjects).
            expectCode(await api('GET', `/recognitions?agreementId=${agreement.id}`, as('suzhou')), 403, 'FORBIDDEN');
            expect((await api('GET', `/recognitions?subjectId=${DEMO_IDS.suzhou}&limit=500`, as('suzhou'))).body.items.map((r: any) => r.attestationId)).to.include(id);
        });

        it('answers the subject, the regulator, financiers, the bureau, the partner and the platform admin', async () => {
            const { issued, agreement } = await recognisedPassport();
            const id = issued.body.attestation.id;
            for (const user of ['suzhou', 'regulator', 'jiangnan', 'bureau', 'singapore', 'admin']) {
                const read = await api('GET', `/attestations/${id}`, as(user));
                expect(read.status, `${user}: ${read.text}`).to.equal(200);
                expect(read.body).to.deep.equal(issued.body.attestation);
                const verdict = await api('GET', `/attestations/${id}/verify`, as(user));
                expect(verdict.status, `${user}: ${verdict.text}`).to.equal(200);
                expect(verdict.body).to.include({ valid: true, score: 760, grade: 'A' });
                const list = await api('GET', `/attestations?subjectId=${DEMO_IDS.suzhou}&limit=500`, as(user));
                expect(list.body.items.map((a: any) => a.id), user).to.include(id);
                const ofSubject = await api('GET', `/recognitions?subjectId=${DEMO_IDS.suzhou}&limit=500`, as(user));
                expect(ofSubject.body.items.map((r: any) => r.attestationId), user).to.include(id);
                if (user !== 'suzhou') {
                    const ofAgreement = await api('GET', `/recognitions?agreementId=${agreement.id}&limit=500`, as(user));
                    expect(ofAgreement.status, `${user}: ${ofAgreement.text}`).to.equal(200);
                }
            }
        });

        it("still gives a passport's holder the public verdict, without a sign-in, whoever holds it", async () => {
            const { issued } = await recognisedPassport();
            expectCode(await api('GET', `/attestations/${issued.body.attestation.id}/verify`, as('hangzhou')), 403, 'FORBIDDEN');
            const verdict = await api('POST', '/passports/verify', undefined, issued.body.passport);
            expect(verdict.status, verdict.text).to.equal(200);
            expect(verdict.body).to.include({ valid: true, status: 'VALID', attestationId: issued.body.attestation.id, subject: DEMO_IDS.suzhou });
            const issuers = await api('GET', '/passports/issuers');
            expect(issuers.status, issuers.text).to.equal(200);
            expect(issuers.body.items.map((k: any) => k.bureauId)).to.include(DEMO_IDS.bureau);
        });

        it('gives the public verdict with a read identity acting for an enterprise the ledger does not know', async () => {
            // A member organisation's gateway without the demo seed reads as one of its own identities whose
            // enterprise is not registered (verifierOf): refused every passport read, yet its public check
            // works, since it reads only the anchor's status (recognition:AttestationStatus).
            const { issued } = await recognisedPassport();
            const id = issued.body.attestation.id;
            const { services } = gateway.gateway;
            const created = await services.auth.createUser({ username: 'bank-reader', role: 'financier', enterpriseId: UNREGISTERED_BANK, mspId: 'BankMSP', password: TEST_PASSWORD });
            const reader: LedgerUser = { ...created, role: 'financier' };
            const refused = await services.ledger.evaluate(reader, 'recognition:ReadAttestation', [id]).catch((error: unknown) => error);
            expect(refused).to.be.instanceOf(AppError);
            expect((refused as AppError).code).to.equal('FORBIDDEN');
            expect(await services.ledger.evaluate(reader, 'recognition:AttestationStatus', [id])).to.deep.equal({ id, status: 'VALID' });

            const keyDir = mkdtempSync(path.join(tmpdir(), 'xinlian-reader-keys-'));
            try {
                const passports = newPassportService({
                    ledger: services.ledger,
                    keys: openBureauKeyStore(keyDir, 'test-wallet-passphrase', { N: 1024, r: 8, p: 1 }),
                    verifier: reader,
                    clock: () => services.ledgerTime(),
                });
                expect(await passports.verify(issued.body.passport)).to.include({ valid: true, status: 'VALID', attestationId: id, subject: DEMO_IDS.suzhou });
                const altered = await passports.verify({ ...issued.body.passport, attestation: { ...issued.body.passport.attestation, score: 999 } });
                expect(altered).to.include({ valid: false, status: 'NOT_ANCHORED' });
                expect(altered.reasons).to.deep.equal(['SIGNER_NOT_REGISTERED', 'NOT_ANCHORED']);
                const revoked = await api('POST', `/attestations/${id}/revoke`, as('regulator'), { reason: 'superseded' });
                expect(revoked.status, revoked.text).to.equal(200);
                expect(await passports.verify(issued.body.passport)).to.deep.include({ valid: false, status: 'REVOKED', reasons: ['REVOKED'] });
            } finally {
                rmSync(keyDir, { recursive: true, force: true });
            }
        });
    });

    describe("a member organisation's gateway without the demo seed", () => {
        it("answers the public check and the issuers, though its read identity's enterprise is not registered", async () => {
            // Its read identity (verifierOf('BankMSP')) acts for the bank's first demo enterprise, which a ledger
            // without the demo seed does not know. The passport comes from the platform's gateway, another
            // ledger: here it is neither anchored nor signed by a published key, and the verdict says so.
            const issued = await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou, validDays: 30 });
            expect(issued.status, issued.text).to.equal(201);
            const member = await startTestGateway({ gatewayMspId: 'BankMSP', seedDemo: false });
            try {
                // The scenario: the member gateway's read identity is refused every passport read.
                const { verifier } = member.gateway.services;
                expect(verifier).to.deep.equal(verifierOf('BankMSP'));
                const refused = await member.gateway.services.ledger.evaluate(verifier, 'recognition:ReadAttestation', [issued.body.attestation.id]).catch((error: unknown) => error);
                expect((refused as AppError).code, String(refused)).to.equal('FORBIDDEN');
                const verdict = await call(member.baseUrl, 'POST', '/passports/verify', { body: issued.body.passport });
                expect(verdict.status, verdict.text).to.equal(200);
                expect(verdict.body).to.include({ valid: false, status: 'NOT_ANCHORED', attestationId: issued.body.attestation.id });
                expect(verdict.body.reasons).to.deep.equal(['SIGNER_NOT_REGISTERED', 'NOT_ANCHORED']);
                const issuers = await call(member.baseUrl, 'GET', '/passports/issuers', {});
                expect(issuers.status, issuers.text).to.equal(200);
                expect(issuers.body.items).to.deep.equal([]);
            } finally {
                await member.dispose();
            }
        });
    });

    describe('a frozen bureau', () => {
        it('revokes its own passport (only value is frozen), while its other passports still verify and it can issue none', async () => {
            const issued = await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou, validDays: 30 });
            expect(issued.status, issued.text).to.equal(201);
            const kept = await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou, validDays: 20 });
            expect(kept.status, kept.text).to.equal(201);
            const frozen = await api('POST', `/enterprises/${DEMO_IDS.bureau}/freeze`, as('regulator'), { reason: 'licence suspended' });
            expect(frozen.status, frozen.text).to.equal(200);

            const revoked = await api('POST', `/attestations/${issued.body.attestation.id}/revoke`, as('bureau'), { reason: 'withdrawn by the bureau while frozen' });
            expect(revoked.status, revoked.text).to.equal(200);
            expect(revoked.body).to.include({ status: 'REVOKED', revokedBy: DEMO_IDS.bureau });
            const verdict = await api('POST', '/passports/verify', undefined, issued.body.passport);
            expect(verdict.body.reasons).to.deep.equal(['REVOKED']);

            const other = await api('POST', '/passports/verify', undefined, kept.body.passport);
            expect(other.body).to.include({ valid: true, status: 'VALID' });
            expect((await api('GET', `/attestations/${kept.body.attestation.id}/verify`, as('singapore'))).body).to.include({ valid: true });
            expectCode(await api('POST', '/attestations', as('bureau'), { subjectId: DEMO_IDS.suzhou }), 409, 'ENTERPRISE_FROZEN');
        });
    });
});
