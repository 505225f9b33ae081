import { expect } from 'chai';
import { ipAssetId, normaliseRegistryNumber } from './ip-asset';

describe('normaliseRegistryNumber', () => {
    it('normalises CN patent numbers with or without ZL/CN prefix, dot, spaces or full-width digits to one form', () => {
        for (const raw of ['ZL202310123456.6', '202310123456.6', 'zl 2023 1012 3456.6', 'CN2023101234566', 'ＺＬ２０２３１０１２３４５６．６']) {
            expect(normaliseRegistryNumber('PATENT', raw), raw).to.equal('202310123456.6');
        }
        expect(normaliseRegistryNumber('PATENT', 'ZL03112345.7')).to.equal('03112345.7');
        expect(normaliseRegistryNumber('PATENT', '201930123456.0')).to.equal('201930123456.0');
    });

    it('rejects patent numbers of the wrong length, an unknown type digit, an implausible year or a bad check character', () => {
        for (const raw of ['20231012345.7', '2023101234567.8', '202350123456.7', '198010123456.7', '202310123456.A', 'ZL', 'US202310123456.6', '03512345.1']) {
            expect(normaliseRegistryNumber('PATENT', raw), raw).to.equal(undefined);
        }
    });

    it('normalises trademark registration numbers to digits without leading zeros', () => {
        expect(normaliseRegistryNumber('TRADEMARK', '12345678')).to.equal('12345678');
        expect(normaliseRegistryNumber('TRADEMARK', '第 0012345678 号')).to.equal('12345678');
        // Separators are dropped for every kind, so 1234-5 is another spelling of 12345.
        expect(normaliseRegistryNumber('TRADEMARK', '1234-5')).to.equal('12345');
        for (const raw of ['0000', 'TM123', '12345678901', '1234_5']) {
            expect(normaliseRegistryNumber('TRADEMARK', raw), raw).to.equal(undefined);
        }
    });

    it('accepts software copyright numbers of the form YYYYSR + 6–7 digits, keyed with the serial in 7 digits', () => {
        expect(normaliseRegistryNumber('SOFTWARE_COPYRIGHT', '2023sr0123456')).to.equal('2023SR0123456');
        expect(normaliseRegistryNumber('SOFTWARE_COPYRIGHT', '2012SR012345')).to.equal('2012SR0012345');
        for (const raw of ['软著登字第1234567号', '2023SR12345', '23SR0123456', '2023XR0123456', '2023SR0000000']) {
            expect(normaliseRegistryNumber('SOFTWARE_COPYRIGHT', raw), raw).to.equal(undefined);
        }
    });

    it('accepts works copyright numbers as letters, digits and separators containing a digit', () => {
        // The key drops the separators, so every spelling of one number collides (registry-number.test.ts).
        expect(normaliseRegistryNumber('COPYRIGHT', '国作登字-2023-F-00123456')).to.equal('国作登字2023F00123456');
        expect(normaliseRegistryNumber('COPYRIGHT', '京作登字－２０２３－ａ－００１')).to.equal('京作登字2023A001');
        for (const raw of ['国作登字', '-1', 'x'.repeat(70) + '1', '国作登字#2023', 'ab']) {
            expect(normaliseRegistryNumber('COPYRIGHT', raw), raw).to.equal(undefined);
        }
    });
});

describe('ipAssetId', () => {
    it('derives one id per kind and normalised number, different across kinds', () => {
        const patent = ipAssetId('PATENT', '202310123456.6');
        expect(patent).to.match(/^ip-[0-9a-f]{24}$/);
        expect(ipAssetId('PATENT', '202310123456.6')).to.equal(patent);
        expect(ipAssetId('COPYRIGHT', '202310123456.6')).to.not.equal(patent);
    });
});
