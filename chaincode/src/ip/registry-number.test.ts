import { expect } from 'chai';
import { IP_KINDS } from './ip-asset';
import { normaliseRegistryNumber, parseRegistryNumber } from './registry-number';

/**
 * One right, one record: every spelling of one registry number gives one uniqueness key, and
 * characters that merely look like Latin letters or ASCII digits are refused, not keyed apart.
 */
describe('registry numbers: one key per right', () => {
    it('gives one copyright number written with dashes, slashes, dots, parentheses, spaces or none the same key', () => {
        const spellings = ['ABC-2023-F-777', 'ABC2023F777', 'ABC/2023/F/777', 'abc.2023.f.777', 'ABC (2023) F 777', 'ＡＢＣ－２０２３－Ｆ－７７７', ' ABC - 2023 - F - 777 '];
        for (const raw of spellings) {
            expect(normaliseRegistryNumber('COPYRIGHT', raw), raw).to.equal('ABC2023F777');
        }
    });

    it('refuses look-alike letters of other scripts (Cyrillic, Greek, dotless i) instead of keying them as another right', () => {
        for (const raw of ['АВС-2023-F-777', 'ABC-2023-Ϝ-777', 'ABC-2023-ı-777', 'ΑΒC-2023-F-777', 'STRAßE-2023']) {
            expect(normaliseRegistryNumber('COPYRIGHT', raw), raw).to.equal(undefined);
            expect(parseRegistryNumber('COPYRIGHT', raw), raw).to.equal(undefined);
        }
    });

    it('refuses digits other than ASCII 0–9 after NFKC, separators outside - / . ( ) and invisible characters', () => {
        for (const raw of ['ABC-٢٠٢٣-F-777', 'ABC-२०२३-F-777', 'ABC–2023–F–777', 'ABC_2023_F_777', 'ABC-2023-F-777\u200b', 'ABC\t2023F777', 'ABC-2023-F-7\u03017', '国作登字#2023']) {
            expect(normaliseRegistryNumber('COPYRIGHT', raw), JSON.stringify(raw)).to.equal(undefined);
        }
        // Full-width and mathematical digits are ASCII digits after NFKC.
        expect(normaliseRegistryNumber('COPYRIGHT', 'ABC-𝟐𝟎𝟐𝟑-F-777')).to.equal('ABC2023F777');
    });

    it('keeps Chinese registration numbers working, Han ideographs included', () => {
        expect(normaliseRegistryNumber('COPYRIGHT', '国作登字-2023-F-00012345')).to.equal('国作登字2023F00012345');
        expect(normaliseRegistryNumber('COPYRIGHT', '国作登字2023F00012345')).to.equal('国作登字2023F00012345');
        expect(normaliseRegistryNumber('COPYRIGHT', '京作登字（2023）a-001')).to.equal('京作登字2023A001');
        expect(normaliseRegistryNumber('TRADEMARK', '第 0012345678 号')).to.equal('12345678');
    });

    it("keeps the registrant's spelling for display beside the key", () => {
        expect(parseRegistryNumber('COPYRIGHT', '  国作登字-2023-F-00012345 ')).to.deep.equal({ key: '国作登字2023F00012345', display: '国作登字-2023-F-00012345' });
        expect(parseRegistryNumber('COPYRIGHT', 'ＡＢＣ－２０２３　ｆ－７７７')).to.deep.equal({ key: 'ABC2023F777', display: 'ABC-2023 f-777' });
        expect(parseRegistryNumber('PATENT', 'ZL 2023 1012 3456.7')).to.deep.equal({ key: '202310123456.7', display: 'ZL 2023 1012 3456.7' });
    });

    it('checks every kind by the same character rules, keys of patents, trademarks and software copyrights unchanged', () => {
        // Same separators dropped for every kind…
        expect(normaliseRegistryNumber('PATENT', 'ZL2023-1012-3456.7')).to.equal('202310123456.7');
        expect(normaliseRegistryNumber('PATENT', '2023/10123456/7')).to.equal('202310123456.7');
        expect(normaliseRegistryNumber('TRADEMARK', '1234-5678')).to.equal('12345678');
        expect(normaliseRegistryNumber('SOFTWARE_COPYRIGHT', '2023SR-0123456')).to.equal('2023SR0123456');
        // …the same characters refused for every kind.
        const lookAlikes: Record<(typeof IP_KINDS)[number], string[]> = {
            PATENT: ['ΖL202310123456.7', 'ZL٢٠٢٣10123456.7', 'ZL202310123456.7\u200b'],
            TRADEMARK: ['١٢٣٤٥٦٧٨', '12345678\u200d'],
            SOFTWARE_COPYRIGHT: ['2023ЅR0123456', '2023SR0123456\u00ad'],
            COPYRIGHT: ['АВС-2023-F-777'],
        };
        for (const [kind, raws] of Object.entries(lookAlikes) as [(typeof IP_KINDS)[number], string[]][]) {
            for (const raw of raws) {
                expect(normaliseRegistryNumber(kind, raw), `${kind} ${JSON.stringify(raw)}`).to.equal(undefined);
            }
        }
    });

    it('still requires a copyright number of 3–64 key characters containing a digit', () => {
        for (const raw of ['国作登字', 'A-1', '---', '', `A${'1'.repeat(64)}`]) {
            expect(normaliseRegistryNumber('COPYRIGHT', raw), raw).to.equal(undefined);
        }
        expect(normaliseRegistryNumber('COPYRIGHT', 'AB-1')).to.equal('AB1');
        expect(normaliseRegistryNumber('COPYRIGHT', `A${'1'.repeat(63)}`)).to.have.length(64);
    });
});
