import { expect } from 'chai';
import { identifierKind, isValidLei, isValidUscc, leiCheckDigits, usccCheckCharacter } from './identifiers';

describe('enterprise identifiers', () => {
    describe('USCC (GB 32100-2015)', () => {
        it('accepts published codes with a correct check character', () => {
            // Codes printed on public business licences.
            expect(isValidUscc('91350100M000100Y43')).to.equal(true);
            expect(isValidUscc('91110000600001760P')).to.equal(true);
        });

        it('computes the check character from the weighted sum mod 31', () => {
            expect(usccCheckCharacter('91350100M000100Y4')).to.equal('3');
            expect(usccCheckCharacter('91110000600001760')).to.equal('P');
        });

        it('rejects a code with one character changed', () => {
            expect(isValidUscc('91350100M000100Y44')).to.equal(false);
            expect(isValidUscc('91350100M000100Y53')).to.equal(false);
        });

        it('rejects characters outside the GB 32100 alphabet and wrong lengths', () => {
            expect(isValidUscc('91350100M000100I43')).to.equal(false);
            expect(isValidUscc('91350100M000100Y4')).to.equal(false);
            expect(isValidUscc('91350100m000100y43')).to.equal(false);
        });
    });

    describe('LEI (ISO 17442)', () => {
        it('accepts published LEIs', () => {
            expect(isValidLei('5493001KJTIIGC8Y1R12')).to.equal(true);
            expect(isValidLei('HWUPKR0MPOU8FGXBT394')).to.equal(true);
            expect(isValidLei('7LTWFZYICNSX8D621K86')).to.equal(true);
        });

        it('computes MOD 97-10 check digits', () => {
            expect(leiCheckDigits('5493001KJTIIGC8Y1R')).to.equal('12');
            expect(leiCheckDigits('HWUPKR0MPOU8FGXBT3')).to.equal('94');
        });

        it('rejects an LEI with a transposition or bad check digits', () => {
            expect(isValidLei('5493001KJTIIGC8Y1R21')).to.equal(false);
            expect(isValidLei('5493001KJTIIGC8Y11R2')).to.equal(false);
            expect(isValidLei('5493001kjtiigc8y1r12')).to.equal(false);
        });
    });

    it('classifies identifiers by kind', () => {
        expect(identifierKind('91350100M000100Y43')).to.equal('USCC');
        expect(identifierKind('5493001KJTIIGC8Y1R12')).to.equal('LEI');
        expect(identifierKind('not-an-id')).to.equal(undefined);
    });
});
