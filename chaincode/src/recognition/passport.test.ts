import { expect } from 'chai';
import fc from 'fast-check';
import { AbiCoder, Signature, concat, getAddress, id as keccakText, keccak256, toUtf8Bytes, verifyTypedData } from 'ethers';
import { EID } from '../testing/fixtures';
import {
    CreditAttestation,
    PASSPORT_DOMAIN,
    PASSPORT_ENCODED_TYPE,
    PASSPORT_FIELDS,
    PassportError,
    hashPassport,
    normalizePassportSignature,
    parsePassport,
    passportJsonRpcPayload,
    passportTypedData,
    recoverPassportSigner,
} from './passport';
import { TAMPERS, WALLETS, newPassport, sign } from './test-fixtures';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;


describe('passport (EIP-712 credit passport)', () => {
    describe('wire format', () => {
        // Known answer: this digest was computed once from the literal below and pinned here. It fixes
        // the wire format — domain, type string, field order and encodings. If it changes, every passport
        // already issued stops verifying: bump the domain version instead of editing this value.
        it('hashes a fixed attestation to the pinned digest', () => {
            const fixed: CreditAttestation = {
                subject: '91320500MA1MX00059',
                score: 780,
                grade: 'AA',
                reasonCodes: ['ON_TIME_REDEMPTION', 'LOW_UTILISATION'],
                evidenceHash: '0x7494d1761e3e1fe5c80727eae0e789c8e7b8236bfe0f2dd25183b79f32b02050',
                issuedAt: 1767484800,
                expiresAt: 1782864000,
                nonce: '0xdff168556c59916774da1368fbe416cf7b83c223b84d83e2a954627115391984',
            };
            expect(hashPassport(fixed)).to.equal('0x3aea8218da120a2c234452ef7dbf328105f7f316a0800e11b90072a1198ca0b5');
        });

        it('pins the signature of the fixed key over the fixed attestation (RFC 6979 signing is deterministic)', async () => {
            const signature = await sign(WALLETS.bureau, newPassport());
            expect(signature).to.equal(
                '0x387149937217b5063219a31d5d4330c240ef4a0c24a877124161cbfb149abd764244a4f684d196b38b09f9ca4f56794aa1b87a1223c03ff96706c4be79e3b1161b',
            );
        });

        it('matches a from-scratch EIP-712 encoding as docs/credit-passport.md describes it', () => {
            const p = newPassport();
            const abi = AbiCoder.defaultAbiCoder();
            const domainSeparator = keccak256(
                abi.encode(
                    ['bytes32', 'bytes32', 'bytes32', 'uint256'],
                    [keccakText('EIP712Domain(string name,string version,uint256 chainId)'), keccakText('Xinlian Credit Passport'), keccakText('1'), 1],
                ),
            );
            const reasons = keccak256(concat(p.reasonCodes.map((code) => keccak256(toUtf8Bytes(code)))));
            const structHash = keccak256(
                abi.encode(
                    ['bytes32', 'bytes32', 'uint16', 'bytes32', 'bytes32', 'bytes32', 'uint64', 'uint64', 'bytes32'],
                    [keccakText(PASSPORT_ENCODED_TYPE), keccakText(p.subject), p.score, keccakText(p.grade), reasons, p.evidenceHash, p.issuedAt, p.expiresAt, p.nonce],
                ),
            );
            expect(hashPassport(p)).to.equal(keccak256(concat(['0x1901', domainSeparator, structHash])));
        });

        it('declares the documented domain, field order and type string', () => {
            expect(PASSPORT_DOMAIN).to.deep.equal({ name: 'Xinlian Credit Passport', version: '1', chainId: 1 });
            expect(PASSPORT_FIELDS.map((f) => `${f.type} ${f.name}`).join(',')).to.equal(PASSPORT_ENCODED_TYPE.slice('CreditAttestation('.length, -1));
            const typed = passportTypedData(newPassport());
            expect(typed.primaryType).to.equal('CreditAttestation');
            expect(typed.domain).to.not.have.property('verifyingContract');
        });

        it('returns fresh typed data that a caller may mutate without changing the definition', () => {
            const typed = passportTypedData(newPassport());
            typed.types.CreditAttestation.reverse();
            typed.domain.version = '2';
            typed.message.reasonCodes.push('X');
            expect(hashPassport(newPassport())).to.equal(hashPassport(passportTypedData(newPassport()).message));
            expect(PASSPORT_FIELDS[0].name).to.equal('subject');
        });

        it('builds an eth_signTypedData_v4 payload that lists EIP712Domain', () => {
            const payload = passportJsonRpcPayload(newPassport());
            expect(payload.types.EIP712Domain.map((f) => f.name)).to.deep.equal(['name', 'version', 'chainId']);
            expect(payload.primaryType).to.equal('CreditAttestation');
        });
    });

    describe('recoverPassportSigner', () => {
        it('recovers the signing key, and agrees with ethers.verifyTypedData', async () => {
            const p = newPassport();
            const signature = await sign(WALLETS.bureau, p);
            expect(recoverPassportSigner(p, signature)).to.equal(WALLETS.bureau.address);
            const { domain, types, message } = passportTypedData(p);
            expect(verifyTypedData(domain, types, message, signature)).to.equal(WALLETS.bureau.address);
        });

        it('recovers a different address when any single field is tampered with', async () => {
            const p = newPassport();
            const signature = await sign(WALLETS.bureau, p);
            for (const [field, tamper] of TAMPERS) {
                const recovered = recoverPassportSigner(tamper(p), signature);
                expect(recovered, field).to.not.equal(WALLETS.bureau.address);
            }
        });

        it('accepts v as parity 0/1 and normalises it to 27/28', async () => {
            const p = newPassport();
            const signature = await sign(WALLETS.bureau, p);
            const v = parseInt(signature.slice(130), 16);
            const parity = `${signature.slice(0, 130)}0${v - 27}`;
            expect(normalizePassportSignature(parity)).to.equal(signature);
            expect(recoverPassportSigner(p, parity)).to.equal(WALLETS.bureau.address);
        });

        it('rejects malformed signatures: wrong length, not hex, compact form, bad v, zero r, high s', async () => {
            const p = newPassport();
            const signature = await sign(WALLETS.bureau, p);
            const sig = Signature.from(signature);
            const highS = `0x${sig.r.slice(2)}${(N - BigInt(sig.s)).toString(16).padStart(64, '0')}${sig.v === 27 ? '1c' : '1b'}`;
            const bad: unknown[] = [
                undefined,
                42,
                '',
                signature.slice(0, -2),
                `${signature}00`,
                `0x${'zz'.repeat(65)}`,
                sig.compactSerialized,
                `${signature.slice(0, 130)}1d`,
                `${signature.slice(0, 130)}25`,
                `0x${'00'.repeat(32)}${signature.slice(66)}`,
                highS,
            ];
            for (const value of bad) {
                expect(() => recoverPassportSigner(p, value as string), String(value))
                    .to.throw(PassportError)
                    .with.property('kind', 'SIGNATURE');
            }
        });

        it('recovers any signing key over any well-formed passport (property)', async () => {
            await fc.assert(
                fc.asyncProperty(
                    fc.record({
                        score: fc.integer({ min: 0, max: 1000 }),
                        grade: fc.constantFrom('AAA', 'AA', 'B+', '良好'),
                        reasonCodes: fc.uniqueArray(fc.constantFrom('A', 'B_1', 'C.2', 'D-3', 'LATE'), { maxLength: 5 }),
                        issuedAt: fc.integer({ min: 1, max: 2_000_000_000 }),
                        span: fc.integer({ min: 1, max: 1_000_000_000 }),
                        nonce: fc.integer({ min: 0, max: 1_000_000 }),
                    }),
                    fc.constantFrom(WALLETS.bureau, WALLETS.bureau2, WALLETS.rogue),
                    async (r, wallet) => {
                        const p = newPassport({
                            score: r.score,
                            grade: r.grade,
                            reasonCodes: r.reasonCodes,
                            issuedAt: r.issuedAt,
                            expiresAt: r.issuedAt + r.span,
                            nonce: keccakText(`n${r.nonce}`),
                        });
                        expect(parsePassport(JSON.parse(JSON.stringify(p)))).to.deep.equal(p);
                        expect(recoverPassportSigner(p, await sign(wallet, p))).to.equal(getAddress(wallet.address));
                    },
                ),
                { numRuns: 40 },
            );
        });
    });

    describe('parsePassport', () => {
        it('accepts a well-formed passport and lower-cases its bytes32 values without changing the digest', () => {
            const p = newPassport({ evidenceHash: newPassport().evidenceHash.toUpperCase().replace('0X', '0x') });
            const parsed = parsePassport(p);
            expect(parsed.evidenceHash).to.equal(newPassport().evidenceHash);
            expect(hashPassport(parsed)).to.equal(hashPassport(p));
            expect(parsePassport(newPassport({ reasonCodes: [] })).reasonCodes).to.deep.equal([]);
        });

        it('rejects each malformed member, naming it', () => {
            const cases: Array<[string, unknown]> = [
                ['attestation', null],
                ['attestation', []],
                ['attestation.extra', { ...newPassport(), extra: 1 }],
                ['attestation.subject', newPassport({ subject: 'ACME' })],
                ['attestation.subject', newPassport({ subject: EID.tier1.toLowerCase() })],
                ['attestation.subject', newPassport({ subject: ` ${EID.tier1}` })],
                ['attestation.score', newPassport({ score: 1001 })],
                ['attestation.score', newPassport({ score: -1 })],
                ['attestation.score', newPassport({ score: 7.5 })],
                ['attestation.score', { ...newPassport(), score: '780' }],
                ['attestation.grade', newPassport({ grade: '' })],
                ['attestation.grade', newPassport({ grade: ' AA' })],
                ['attestation.grade', newPassport({ grade: 'A\nA' })],
                ['attestation.grade', newPassport({ grade: 'A'.repeat(33) })],
                ['attestation.reasonCodes', { ...newPassport(), reasonCodes: 'LATE' }],
                ['attestation.reasonCodes', newPassport({ reasonCodes: Array.from({ length: 17 }, (_, i) => `R${i}`) })],
                ['attestation.reasonCodes[0]', newPassport({ reasonCodes: ['late payment'] })],
                ['attestation.reasonCodes[1]', newPassport({ reasonCodes: ['LATE', 'LATE'] })],
                ['attestation.evidenceHash', newPassport({ evidenceHash: '0x1234' })],
                ['attestation.nonce', newPassport({ nonce: 'nonce' })],
                ['attestation.issuedAt', newPassport({ issuedAt: 0 })],
                ['attestation.issuedAt', { ...newPassport(), issuedAt: '1767484800' }],
                ['attestation.expiresAt', newPassport({ expiresAt: Number.MAX_SAFE_INTEGER + 1 })],
                ['attestation.expiresAt', newPassport({ expiresAt: newPassport().issuedAt })],
            ];
            for (const [path, value] of cases) {
                expect(() => parsePassport(value), path).to.throw(PassportError).that.satisfies((e: PassportError) => e.kind === 'FORMAT' && e.path === path);
            }
        });
    });
});
