import { expect } from 'chai';
import { ENTERPRISE_KINDS, EnterpriseKind, newEnterprise } from '../../../chaincode/src/enterprise/enterprise';
import { ChaincodeError } from '../../../chaincode/src/errors';
import { Input } from '../../../chaincode/src/ledger/input';
import { parseNoteParameters } from '../../../chaincode/src/note/note-parameters';
import { readableDetail } from '../error-messages';
import { mspChoices, noteParametersInput } from './admin-views';
import { InputError } from './ui';

const ORGANISATIONS = ['PlatformMSP', 'BankMSP', 'PartnerMSP'];

/** What the ledger answers to registering an enterprise of `kind` with `mspId`: undefined when it accepts, else its refusal. */
function register(kind: EnterpriseKind, mspId: string): ChaincodeError | undefined {
    try {
        newEnterprise(Input.of({ id: '91320500MA1MX00059', name: 'Ningbo Valve Co., Ltd.', kind, mspId }, 'request'), 'admin', '2026-01-01T00:00:00.000Z');
        return undefined;
    } catch (error) {
        if (error instanceof ChaincodeError) {
            return error;
        }
        throw error;
    }
}

describe('onboarding: the organisation of a new enterprise', () => {
    it('offers for each kind exactly the organisations the ledger accepts for it', () => {
        for (const kind of ENTERPRISE_KINDS) {
            const offered = mspChoices(kind).map(([value]) => value);
            expect(offered.length, kind).to.be.at.least(1);
            for (const msp of ORGANISATIONS) {
                expect(register(kind, msp) === undefined, `${kind} with ${msp}`).to.equal(offered.includes(msp));
            }
        }
        expect(mspChoices('SUPPLIER')).to.deep.equal([['PlatformMSP', 'PlatformMSP (the platform)']]);
        expect(mspChoices('FOREIGN_PARTNER').map(([value]) => value)).to.deep.equal(['PartnerMSP']);
        expect(mspChoices('APPRAISER').map(([value]) => value).sort()).to.deep.equal(['BankMSP', 'PlatformMSP']);
    });

    it('says the ledger\'s refusal of a wrong organisation in plain words', () => {
        const refusal = register('SUPPLIER', 'PartnerMSP');
        expect(refusal?.code).to.equal('INVALID_ARGUMENT');
        const words = readableDetail(refusal?.detail ?? '');
        expect(words).to.equal('A supplier must be registered with PlatformMSP (the platform): only that organisation may issue the identities of users who act as supplier.');
        expect(words).to.not.match(/Msp ID|SUPPLIER/);
    });
});

describe('platform parameters: the note form', () => {
    /** What the ledger answers to SetNoteParameters with these values: whether it accepts them. */
    function ledgerAccepts(maxTenorMonths: number, graceDays: number): boolean {
        try {
            parseNoteParameters(Input.of({ maxTenorMonths, graceDays }, 'request'), 'admin', '2026-01-01T00:00:00.000Z');
            return true;
        } catch (error) {
            if (error instanceof ChaincodeError) {
                return false;
            }
            throw error;
        }
    }

    /** What the form does with the typed text: the values it would send, or its refusal. */
    function form(maxTenorMonths: string, graceDays: string): { maxTenorMonths: number; graceDays: number } | InputError {
        try {
            return noteParametersInput(maxTenorMonths, graceDays);
        } catch (error) {
            if (error instanceof InputError) {
                return error;
            }
            throw error;
        }
    }

    it('sends exactly the grace periods and tenor caps the ledger accepts', () => {
        for (const graceDays of [0, 1, 3, 89, 90, 91, 120, 365]) {
            expect(!(form('6', String(graceDays)) instanceof InputError), `grace ${graceDays}`).to.equal(ledgerAccepts(6, graceDays));
        }
        for (const months of [0, 1, 6, 12, 13]) {
            expect(!(form(String(months), '3') instanceof InputError), `tenor ${months}`).to.equal(ledgerAccepts(months, 3));
        }
    });

    it('names the limit of 90 days when the grace is longer', () => {
        expect((form('6', '91') as InputError).message).to.equal('The grace period must be a whole number of days from 0 to 90.');
        // Said next to the field it is about.
        expect((form('6', '91') as InputError).field).to.equal('graceDays');
        expect((form('13', '3') as InputError).field).to.equal('maxTenorMonths');
        expect(form('6', '90')).to.deep.equal({ maxTenorMonths: 6, graceDays: 90 });
    });
});
