import { expect } from 'chai';
import { agreementsStillToRecognise, currentPassport, gradeScaleText, mappedGrade, passportState, recognitionProblems } from './recognition-state';
import type { Agreement, Attestation, BureauKey } from './resources';

const BUREAU = '91110000MA0200011X';
const OLD_KEY = '0x1111111111111111111111111111111111111111';
const NEW_KEY = '0x2222222222222222222222222222222222222222';
// The LEDGER's time, 400 days ahead of any browser clock these tests run under.
const LEDGER_NOW = new Date(Date.now() + 400 * 86_400_000);
const s = (date: Date): number => Math.floor(date.getTime() / 1000);
const DAY = 86_400;

function attestation(id: string, signer: string, issuedAt: number, more: Partial<Attestation> = {}): Attestation {
    return {
        docType: 'attestation', id, subject: 'S', score: 742, grade: 'A', reasonCodes: [], evidenceHash: `0x${'00'.repeat(32)}`, nonce: `0x${'01'.repeat(32)}`,
        issuedAt, expiresAt: issuedAt + 180 * DAY, signer, bureauId: BUREAU, signature: '0x', status: 'VALID',
        submittedAt: new Date(issuedAt * 1000).toISOString(), submittedBy: 'bureau', txId: `tx-${id}`, ...more,
    };
}

const rotated: BureauKey[] = [
    { address: OLD_KEY, bureauId: BUREAU, status: 'REVOKED', revokedAt: '2026-01-01T00:00:00Z' },
    { address: NEW_KEY, bureauId: BUREAU, status: 'ACTIVE' },
];

describe('passportState', () => {
    const now = LEDGER_NOW;
    it('is VALID for an unrevoked, unexpired passport of an active key', () => {
        expect(passportState(attestation('a', NEW_KEY, s(now) - DAY), rotated, now)).to.equal('VALID');
    });

    it('is SIGNER_REVOKED for a passport whose signing key was revoked, whenever it was issued', () => {
        expect(passportState(attestation('a', OLD_KEY, s(now) - DAY), rotated, now)).to.equal('SIGNER_REVOKED');
        expect(passportState(attestation('a', OLD_KEY.toUpperCase().replace('0X', '0x'), s(now) - DAY), rotated, now)).to.equal('SIGNER_REVOKED');
    });

    it('is SIGNER_NOT_REGISTERED when the key is unknown or registered to another bureau', () => {
        expect(passportState(attestation('a', '0x3333333333333333333333333333333333333333', s(now) - DAY), rotated, now)).to.equal('SIGNER_NOT_REGISTERED');
        expect(passportState(attestation('a', NEW_KEY, s(now) - DAY, { bureauId: 'OTHER' }), rotated, now)).to.equal('SIGNER_NOT_REGISTERED');
    });

    it('puts REVOKED before EXPIRED before the key, as the ledger orders its reasons', () => {
        expect(passportState(attestation('a', OLD_KEY, s(now) - 400 * DAY, { status: 'REVOKED' }), rotated, now)).to.equal('REVOKED');
        expect(passportState(attestation('a', OLD_KEY, s(now) - 400 * DAY), rotated, now)).to.equal('EXPIRED');
    });

    it('judges expiry by the time it is given (the ledger\'s), not the browser clock', () => {
        // Issued at the ledger's time, 400 days ahead of the browser: valid, not "in the future".
        const fresh = attestation('a', NEW_KEY, s(LEDGER_NOW) - 60);
        expect(passportState(fresh, rotated, LEDGER_NOW)).to.equal('VALID');
        // Expired by the ledger's time although the browser clock is far before its expiry.
        const old = attestation('b', NEW_KEY, s(new Date()) + DAY);
        expect(passportState(old, rotated, LEDGER_NOW)).to.equal('EXPIRED');
    });
});

describe('currentPassport', () => {
    const now = LEDGER_NOW;
    it('skips a newer passport whose signing key was revoked and shows the next valid one', () => {
        const older = attestation('older', NEW_KEY, s(now) - 10 * DAY);
        const newest = attestation('newest', OLD_KEY, s(now) - DAY);
        expect(currentPassport([newest, older], rotated, now)?.id).to.equal('older');
    });

    it('finds none when every passport was signed with a revoked key', () => {
        expect(currentPassport([attestation('a', OLD_KEY, s(now) - DAY)], rotated, now)).to.equal(undefined);
    });

    it('takes the latest issued valid one', () => {
        const a = attestation('a', NEW_KEY, s(now) - 10 * DAY);
        const b = attestation('b', NEW_KEY, s(now) - DAY);
        expect(currentPassport([a, b], rotated, now)?.id).to.equal('b');
    });
});

describe('grade scales', () => {
    const scale = [
        { minScore: 850, grade: 'A1' },
        { minScore: 700, grade: 'A2' },
        { minScore: 0, grade: 'C' },
    ];
    it('writes a scale as bands with their score ranges, highest first', () => {
        expect(gradeScaleText(scale)).to.equal('A1 850–1000 · A2 700–849 · C 0–699');
        expect(gradeScaleText([...scale].reverse())).to.equal('A1 850–1000 · A2 700–849 · C 0–699');
    });

    it('maps a score onto its band', () => {
        expect(mappedGrade(scale, 742)).to.equal('A2');
        expect(mappedGrade(scale, 850)).to.equal('A1');
        expect(mappedGrade(scale, 0)).to.equal('C');
    });
});

describe('recognitionProblems', () => {
    const now = LEDGER_NOW;
    const agreement: Pick<Agreement, 'status' | 'validFrom' | 'validUntil'> = {
        status: 'ACTIVE',
        validFrom: new Date(now.getTime() - 86_400_000).toISOString(),
        validUntil: new Date(now.getTime() + 700 * 86_400_000).toISOString(),
    };
    const recognition = { attestationExpiresAt: s(now) + 100 * DAY };

    it('finds none for a valid passport under an agreement in force (by the ledger\'s time)', () => {
        expect(recognitionProblems(recognition, agreement, { reasons: [] }, now)).to.deep.equal([]);
    });

    it('says when the passport or its signing key was revoked since', () => {
        expect(recognitionProblems(recognition, agreement, { reasons: ['REVOKED'] }, now)).to.deep.equal(['REVOKED']);
        expect(recognitionProblems(recognition, agreement, { reasons: ['SIGNER_REVOKED'] }, now)).to.deep.equal(['SIGNER_REVOKED']);
    });

    it('says when the passport expired, even without the ledger\'s verdict', () => {
        expect(recognitionProblems({ attestationExpiresAt: s(now) - 1 }, agreement, undefined, now)).to.deep.equal(['EXPIRED']);
        expect(recognitionProblems(recognition, agreement, { reasons: ['EXPIRED'] }, now)).to.deep.equal(['EXPIRED']);
    });

    it('says when the agreement was terminated or lapsed', () => {
        expect(recognitionProblems(recognition, { ...agreement, status: 'TERMINATED' }, { reasons: [] }, now)).to.deep.equal(['AGREEMENT_TERMINATED']);
        expect(recognitionProblems(recognition, { ...agreement, validUntil: new Date(now.getTime() - 1000).toISOString() }, { reasons: [] }, now)).to.deep.equal(['AGREEMENT_LAPSED']);
    });

    it('lists every problem, the passport\'s first', () => {
        expect(recognitionProblems({ attestationExpiresAt: s(now) - 1 }, { ...agreement, status: 'TERMINATED' }, { reasons: ['REVOKED', 'EXPIRED', 'SIGNER_REVOKED'] }, now)).to.deep.equal([
            'REVOKED',
            'SIGNER_REVOKED',
            'EXPIRED',
            'AGREEMENT_TERMINATED',
        ]);
    });
});

describe('agreements a passport can still be recognised under', () => {
    it('leaves out the agreements under which this partner already recognised it', () => {
        const agreements = [{ id: 'agr-1' }, { id: 'agr-2' }];
        const recognitions = [{ agreementId: 'agr-1', attestationId: '0xaaa' }, { agreementId: 'agr-2', attestationId: '0xbbb' }];
        expect(agreementsStillToRecognise(agreements, recognitions, '0xaaa').map((a) => a.id)).to.deep.equal(['agr-2']);
        expect(agreementsStillToRecognise(agreements, [], '0xaaa').map((a) => a.id)).to.deep.equal(['agr-1', 'agr-2']);
    });
});
