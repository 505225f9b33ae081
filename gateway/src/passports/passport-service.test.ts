/* eslint-disable @typescript-eslint/no-explicit-any */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { hashPassport, recoverPassportSigner } from '@xinlian/chaincode';
import { AppError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import type { LedgerClient } from '../services/ledger-client';
import { openBureauKeyStore } from './bureau-key-store';
import { gradeOf, newPassportService } from './passport-service';

const BUREAU_ID = '91110000MA0200011T';
const SUBJECT = '91320500MA1MX00059';
const bureau: LedgerUser = { username: 'bureau', role: 'credit-bureau', enterpriseId: BUREAU_ID, mspId: 'PlatformMSP' };
const verifier: LedgerUser = { username: 'v', role: 'platform-admin', enterpriseId: 'P', mspId: 'PlatformMSP' };
const NOW = new Date('2026-06-01T00:00:00Z');

/** A fake ledger contract: bureau keys and anchored attestations in maps. */
function fakeLedger() {
    const keys = new Map<string, any>();
    const attestations = new Map<string, any>();
    const submitted: any[] = [];
    const enterprises = new Map<string, any>([
        [BUREAU_ID, { id: BUREAU_ID, kind: 'CREDIT_BUREAU', status: 'ACTIVE' }],
        [SUBJECT, { id: SUBJECT, kind: 'SUPPLIER', status: 'ACTIVE' }],
    ]);
    const notFound = () => new AppError('NOT_FOUND', 'nope');
    const ledger: LedgerClient = {
        async submit(_user, fn, args) {
            submitted.push({ fn, args });
            if (fn === 'recognition:SubmitAttestation') {
                const { attestation, signature } = args[0] as any;
                const id = hashPassport(attestation);
                attestations.set(id, { ...attestation, id, signature, status: 'VALID' });
                return { result: attestations.get(id), txId: 'tx-anchor' } as any;
            }
            if (fn === 'recognition:RegisterBureauKey') {
                const request = args[0] as any;
                if (keys.has(request.address)) throw new AppError('ALREADY_EXISTS', 'registered');
                keys.set(request.address, { ...request, status: 'ACTIVE' });
                return { result: keys.get(request.address), txId: 'tx-key' } as any;
            }
            throw new Error(`unexpected ${fn}`);
        },
        async evaluate(_user, fn, args) {
            switch (fn) {
                case 'profile:ReadCreditProfile':
                    return { score: 742, reasons: [{ code: 'ON_TIME_REDEMPTION', points: 40 }] } as any;
                case 'recognition:ReadBureauKey':
                    if (!keys.has(args[0] as string)) throw notFound();
                    return keys.get(args[0] as string);
                case 'recognition:AttestationStatus': {
                    const anchored = attestations.get(args[0] as string);
                    if (!anchored) throw notFound();
                    return { id: anchored.id, status: anchored.status } as any;
                }
                case 'recognition:ListBureauKeys':
                    return [...keys.values()] as any;
                case 'enterprise:ReadEnterprise':
                    if (!enterprises.has(args[0] as string)) throw notFound();
                    return enterprises.get(args[0] as string);
                default:
                    throw new Error(`unexpected ${fn}`);
            }
        },
    };
    return { ledger, keys, attestations, submitted, enterprises };
}

describe('passport service', () => {
    let directory: string;
    let now = NOW;

    beforeEach(() => {
        directory = mkdtempSync(path.join(tmpdir(), 'passports-'));
        now = NOW;
    });

    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    async function setup() {
        const fake = fakeLedger();
        const store = openBureauKeyStore(directory, 'pass', { N: 1024, r: 8, p: 1 });
        const service = newPassportService({ ledger: fake.ledger, keys: store, verifier, clock: () => now });
        await service.registerGatewayKey({ ...verifier, role: 'platform-admin' }, BUREAU_ID, 'key 1');
        return { ...fake, service, store };
    }

    it('issues a passport from the profile, signed by the registered bureau key, and anchors it', async () => {
        const { service, keys, submitted } = await setup();
        const issued = await service.issue(bureau, { subjectId: SUBJECT, validDays: 30 });
        const { attestation, signature } = issued.result.passport;
        expect(attestation).to.include({ subject: SUBJECT, score: 742, grade: gradeOf(742) });
        expect(attestation.reasonCodes).to.deep.equal(['ON_TIME_REDEMPTION']);
        expect(attestation.expiresAt - attestation.issuedAt).to.equal(30 * 86_400);
        expect(keys.has(recoverPassportSigner(attestation, signature))).to.equal(true);
        expect(submitted.map((s) => s.fn)).to.deep.equal(['recognition:RegisterBureauKey', 'recognition:SubmitAttestation']);
        expect(issued.txId).to.equal('tx-anchor');
    });

    it('verifies an issued passport as valid, and reports revocation, expiry and a revoked key', async () => {
        const { service, attestations, keys } = await setup();
        const { passport } = (await service.issue(bureau, { subjectId: SUBJECT, score: 880 })).result;
        expect(await service.verify(passport)).to.include({ valid: true, status: 'VALID' });
        const id = hashPassport(passport.attestation);
        attestations.set(id, { ...attestations.get(id), status: 'REVOKED' });
        for (const key of keys.values()) key.status = 'REVOKED';
        now = new Date((passport.attestation.expiresAt + 1) * 1000);
        const verdict = await service.verify(passport);
        expect(verdict.valid).to.equal(false);
        expect(verdict.reasons).to.deep.equal(['SIGNER_REVOKED', 'REVOKED', 'EXPIRED']);
    });

    it('reports a bad signature and a malformed passport', async () => {
        const { service } = await setup();
        const { passport } = (await service.issue(bureau, { subjectId: SUBJECT, score: 500 })).result;
        const badSignature = await service.verify({ ...passport, signature: '0x1234' });
        expect(badSignature.reasons).to.include('BAD_SIGNATURE');
        expect(badSignature.detail).to.be.a('string').and.not.equal('');
        const malformed = await service.verify({ attestation: 'nope', signature: passport.signature });
        expect(malformed.reasons).to.deep.equal(['MALFORMED']);
        expect(malformed.detail).to.match(/^attestation /);
        const badScore = await service.verify({ attestation: { ...passport.attestation, score: 1001 }, signature: passport.signature });
        expect(badScore.reasons).to.deep.equal(['MALFORMED']);
        expect(badScore.detail).to.include('attestation.score');
        expect(await service.verify(passport)).to.not.have.property('detail');
    });

    it('gives a verdict on a passport whose expiry lies beyond what a date holds', async () => {
        const { service } = await setup();
        const { passport } = (await service.issue(bureau, { subjectId: SUBJECT, score: 500 })).result;
        // Signed content changed, so the signer no longer matches; the point is a verdict, not a crash.
        const verdict = await service.verify({ ...passport, attestation: { ...passport.attestation, expiresAt: Number.MAX_SAFE_INTEGER } });
        expect(verdict.valid).to.equal(false);
        expect(verdict.expiresAt).to.equal('+275760-09-13T00:00:00.000Z');
    });

    it('creates no key for an enterprise that is not an active credit bureau', async () => {
        const { service, store, enterprises, submitted } = await setup();
        const admin = { ...verifier, role: 'platform-admin' as const };
        const frozen = '91110000MA0200099U';
        enterprises.set(frozen, { id: frozen, kind: 'CREDIT_BUREAU', status: 'FROZEN' });
        const before = submitted.length;
        expect((await service.registerGatewayKey(admin, SUBJECT).catch((e) => e)).code).to.equal('INVALID_ARGUMENT');
        expect((await service.registerGatewayKey(admin, '91330100MA2H000067').catch((e) => e)).code).to.equal('NOT_FOUND');
        expect((await service.registerGatewayKey(admin, frozen).catch((e) => e)).code).to.equal('ENTERPRISE_FROZEN');
        for (const id of [SUBJECT, '91330100MA2H000067', frozen]) {
            expect(await store.addresses(id), id).to.deep.equal([]);
        }
        expect(submitted.length).to.equal(before);
    });

    it('refuses issuance by anyone but a credit bureau, and a bureau without a gateway-held key', async () => {
        const { service } = await setup();
        expect((await service.issue({ ...bureau, role: 'supplier' }, { subjectId: SUBJECT }).catch((e) => e)).code).to.equal('FORBIDDEN');
        expect((await service.issue({ ...bureau, enterpriseId: '91110000MA0200099U' }, { subjectId: SUBJECT }).catch((e) => e)).code).to.equal('SIGNER_NOT_REGISTERED');
    });

    it('keeps bureau keys encrypted at rest and reloads them', async () => {
        const { store } = await setup();
        const [address] = await store.addresses(BUREAU_ID);
        const reopened = openBureauKeyStore(directory, 'pass', { N: 1024, r: 8, p: 1 });
        expect((await reopened.signer(BUREAU_ID, address))?.address).to.equal(address);
        expect(readFileSync(path.join(directory, `${BUREAU_ID}.json`), 'utf8')).to.not.match(/"0x[0-9a-f]{64}"/);
        const wrong = openBureauKeyStore(directory, 'wrong', { N: 1024, r: 8, p: 1 });
        expect(await wrong.signer(BUREAU_ID, address).catch((e) => e.name)).to.equal('KeyVaultError');
    });

    it('reads the one-key file of an earlier gateway and keeps that key when adding one', async () => {
        const { store } = await setup();
        const [address] = await store.addresses(BUREAU_ID);
        const file = path.join(directory, `${BUREAU_ID}.json`);
        const stored = JSON.parse(readFileSync(file, 'utf8'));
        writeFileSync(file, JSON.stringify({ bureauId: BUREAU_ID, address, key: stored.keys[0].key }));
        const legacy = openBureauKeyStore(directory, 'pass', { N: 1024, r: 8, p: 1 });
        expect(await legacy.addresses(BUREAU_ID)).to.deep.equal([address]);
        expect((await legacy.signer(BUREAU_ID, address))?.address).to.equal(address);
        const added = await legacy.createKey(BUREAU_ID);
        expect(await legacy.addresses(BUREAU_ID)).to.deep.equal([address, added]);
        expect((await legacy.signer(BUREAU_ID, address))?.address).to.equal(address);
    });

    describe('key rotation', () => {
        const admin: LedgerUser = { ...verifier, role: 'platform-admin' };

        it('refuses to generate while the bureau key is active, and rotates once it is revoked', async () => {
            const { service, store, keys } = await setup();
            const [first] = await store.addresses(BUREAU_ID);
            const again = await service.registerGatewayKey(admin, BUREAU_ID, 'key 2').catch((e) => e);
            expect(again).to.be.instanceOf(AppError);
            expect(again.code).to.equal('ALREADY_EXISTS');
            keys.get(first).status = 'REVOKED';
            const rotated = await service.registerGatewayKey(admin, BUREAU_ID, 'key 2');
            expect(rotated.result).to.include({ bureauId: BUREAU_ID, status: 'ACTIVE', label: 'key 2' });
            expect(rotated.result.address).to.not.equal(first);
            expect(await store.addresses(BUREAU_ID)).to.deep.equal([first, rotated.result.address]);
            expect((await service.registerGatewayKey(admin, BUREAU_ID).catch((e) => e)).code).to.equal('ALREADY_EXISTS');
        });

        it('signs with the new key after a rotation, and judges passports of the revoked key SIGNER_REVOKED', async () => {
            const { service, store, keys } = await setup();
            const [first] = await store.addresses(BUREAU_ID);
            const before = (await service.issue(bureau, { subjectId: SUBJECT, score: 700 })).result.passport;
            keys.get(first).status = 'REVOKED';
            expect((await service.issue(bureau, { subjectId: SUBJECT }).catch((e) => e)).code).to.equal('SIGNER_NOT_REGISTERED');
            const second = (await service.registerGatewayKey(admin, BUREAU_ID)).result.address;
            const after = (await service.issue(bureau, { subjectId: SUBJECT, score: 700 })).result.passport;
            expect(recoverPassportSigner(after.attestation, after.signature)).to.equal(second);
            expect(await service.verify(after)).to.include({ valid: true });
            const old = await service.verify(before);
            expect(old.reasons).to.deep.equal(['SIGNER_REVOKED']);
            expect(old.issuer).to.include({ address: first, status: 'REVOKED' });
        });

        it('creates one key when two generations race after a revocation', async () => {
            const { service, store, keys } = await setup();
            const [first] = await store.addresses(BUREAU_ID);
            keys.get(first).status = 'REVOKED';
            const outcomes = await Promise.allSettled([service.registerGatewayKey(admin, BUREAU_ID), service.registerGatewayKey(admin, BUREAU_ID)]);
            expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
            expect(((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as AppError).code).to.equal('ALREADY_EXISTS');
            expect(await store.addresses(BUREAU_ID)).to.have.length(2);
        });

        it('registers a held key the ledger never registered instead of creating another', async () => {
            const { service, store, keys } = await setup();
            const [first] = await store.addresses(BUREAU_ID);
            keys.get(first).status = 'REVOKED';
            const pending = await store.createKey(BUREAU_ID);
            const registered = await service.registerGatewayKey(admin, BUREAU_ID);
            expect(registered.result.address).to.equal(pending);
            expect(await store.addresses(BUREAU_ID)).to.deep.equal([first, pending]);
        });
    });

    it('stamps issuedAt and judges expiry by the clock it is given (the ledger clock)', async () => {
        now = new Date('2027-09-01T00:00:00Z');
        const { service } = await setup();
        const { passport } = (await service.issue(bureau, { subjectId: SUBJECT, validDays: 5 })).result;
        expect(passport.attestation.issuedAt).to.equal(now.getTime() / 1000 - 5);
        expect(passport.attestation.expiresAt).to.equal(now.getTime() / 1000 - 5 + 5 * 86_400);
        expect((await service.verify(passport)).valid).to.equal(true);
        now = new Date((passport.attestation.expiresAt) * 1000);
        expect((await service.verify(passport)).reasons).to.deep.equal(['EXPIRED']);
    });
});
