import { expect } from 'chai';
import fc from 'fast-check';
import { EID } from '../testing/fixtures';
import { InvoiceTuple, legacyFingerprint, normaliseInvoiceNumber, receivableFingerprint } from './fingerprint';

const base: InvoiceTuple = { sellerId: EID.tier1, buyerId: EID.core, invoiceNumber: 'INV-001', amount: 1_000_000n, issueDate: '2026-01-02' };
const fp = (tuple: Partial<InvoiceTuple>, channel = 'xinlian'): string => receivableFingerprint(channel, { ...base, ...tuple });

describe('receivable fingerprint', () => {
    it('normalises invoice numbers by upper-casing and keeping only letters and digits', () => {
        expect(normaliseInvoiceNumber('  inv - 001 ')).to.equal('INV001');
        expect(normaliseInvoiceNumber('Inv/2026.7')).to.equal('INV20267');
        expect(normaliseInvoiceNumber('a_b#c.d/e-f g')).to.equal('ABCDEFG');
    });

    it('keeps digits as written, leading zeros included', () => {
        expect(normaliseInvoiceNumber('DF-07001')).to.equal('DF07001');
        expect(fp({ invoiceNumber: 'DF-07001' })).to.not.equal(fp({ invoiceNumber: 'DF-7001' }));
    });

    it("makes 'DF-7001', 'DF.7001', 'DF_7001', 'DF/7001', 'DF#7001' and 'DF7001' collide", () => {
        const spellings = ['DF-7001', 'DF.7001', 'DF_7001', 'DF/7001', 'DF#7001', 'DF 7001', 'DF7001', 'df.7001'];
        expect(new Set(spellings.map((invoiceNumber) => fp({ invoiceNumber }))).size).to.equal(1);
    });

    it('gives the first normal form only when it differs: numbers with . _ / or #', () => {
        expect(legacyFingerprint('xinlian', { ...base, invoiceNumber: 'INV-001' })).to.equal(undefined);
        expect(legacyFingerprint('xinlian', { ...base, invoiceNumber: 'inv 001' })).to.equal(undefined);
        const legacy = legacyFingerprint('xinlian', { ...base, invoiceNumber: 'INV/001' });
        expect(legacy).to.match(/^[0-9a-f]{64}$/);
        expect(legacy).to.not.equal(fp({ invoiceNumber: 'INV/001' }));
        expect(legacy).to.not.equal(legacyFingerprint('xinlian', { ...base, invoiceNumber: 'INV.001' }));
    });

    it('is 64 lowercase hex characters and deterministic', () => {
        expect(fp({})).to.match(/^[0-9a-f]{64}$/);
        expect(fp({})).to.equal(fp({}));
    });

    it("makes 'INV-001', 'inv 001' and 'INV001' collide", () => {
        expect(fp({ invoiceNumber: 'inv 001' })).to.equal(fp({}));
        expect(fp({ invoiceNumber: 'INV001' })).to.equal(fp({}));
    });

    it('differs for a different seller, buyer, invoice number, amount, issue date or channel', () => {
        const variants = [
            fp({ sellerId: EID.tier2 }),
            fp({ buyerId: EID.core2 }),
            fp({ invoiceNumber: 'INV-002' }),
            fp({ amount: 1_000_001n }),
            fp({ issueDate: '2026-01-03' }),
            fp({}, 'other-channel'),
        ];
        expect(new Set([fp({}), ...variants]).size).to.equal(variants.length + 1);
    });

    it('does not let field boundaries shift: seller+buyer concatenations stay distinct', () => {
        expect(fp({ sellerId: 'AB', buyerId: 'C' })).not.to.equal(fp({ sellerId: 'A', buyerId: 'BC' }));
    });

    it('collides for any spelling that differs only in case and the separators the input accepts (property)', () => {
        const spelling = fc.array(fc.constantFrom(...'ABC0123456789'.split('')), { minLength: 1, maxLength: 12 }).chain((chars) =>
            fc.tuple(
                fc.constant(chars.join('')),
                fc.array(fc.tuple(fc.boolean(), fc.constantFrom('', ' ', '-', '.', '_', '/', '#', ' - ', '--', './#_')), { minLength: chars.length, maxLength: chars.length }).map((decor) =>
                    chars.map((c, i) => (decor[i][0] ? c.toLowerCase() : c) + decor[i][1]).join(''),
                ),
            ),
        );
        fc.assert(
            fc.property(spelling, ([plain, decorated]) => fp({ invoiceNumber: decorated }) === fp({ invoiceNumber: plain })),
            { numRuns: 100 },
        );
    });
});
