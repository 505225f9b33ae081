import { expect } from 'chai';
import fc from 'fast-check';
import { AttestationStanding, applyEvents, attestationEvents, baseProfile } from './credit-profile';
import type { AttestationFact } from './scoring-rules';

const EID = 'E1';
const AT = '2026-03-01T00:00:00.000Z';
const fact = (id: string, score: number, expiresAt = '2026-07-01T00:00:00.000Z'): AttestationFact => ({ id, score, expiresAt });
const standing = (latest: AttestationFact | undefined, ...otherValid: string[]): AttestationStanding => ({
    ...(latest ? { latest } : {}),
    validIds: [...(latest ? [latest.id] : []), ...otherValid],
});

describe('attestationEvents: bringing the attestation fact to the latest valid attestation', () => {
    it('changes nothing when the fact already is the latest valid attestation', () => {
        expect(attestationEvents(EID, fact('a', 700), standing(fact('a', 700), 'b'), AT)).to.deep.equal([]);
    });

    it('records a first attestation', () => {
        expect(attestationEvents(EID, undefined, standing(fact('a', 700)), AT)).to.deep.equal([
            { type: 'ATTESTATION', enterpriseId: EID, ref: 'a', score: 700, expiresAt: '2026-07-01T00:00:00.000Z' },
        ]);
    });

    it('replaces a fact superseded by a later passport without calling it revoked', () => {
        expect(attestationEvents(EID, fact('a', 700), standing(fact('b', 500), 'a'), AT).map((e) => [e.type, e.ref])).to.deep.equal([['ATTESTATION', 'b']]);
    });

    it('revokes a fact that stopped counting before its expiry, then records the fallback', () => {
        expect(attestationEvents(EID, fact('b', 300), standing(fact('a', 900)), AT).map((e) => [e.type, e.ref])).to.deep.equal([
            ['ATTESTATION_REVOKED', 'b'],
            ['ATTESTATION', 'a'],
        ]);
        expect(attestationEvents(EID, fact('b', 300), standing(undefined), AT)).to.deep.equal([{ type: 'ATTESTATION_REVOKED', enterpriseId: EID, ref: 'b' }]);
    });

    it('leaves an expired fact to time: no revocation event, replaced only by a valid attestation', () => {
        const expired = fact('b', 300, AT);
        expect(attestationEvents(EID, expired, standing(undefined), AT)).to.deep.equal([]);
        expect(attestationEvents(EID, expired, standing(fact('a', 900)), AT).map((e) => [e.type, e.ref])).to.deep.equal([['ATTESTATION', 'a']]);
    });

    it('always leaves the profile counting exactly the latest valid attestation (property)', () => {
        // One content per id (an attestation never changes): a and b have expired by AT, c and d have not.
        const FACTS: Record<string, AttestationFact> = {
            a: fact('a', 100, '2026-02-01T00:00:00.000Z'),
            b: fact('b', 400, AT),
            c: fact('c', 700, '2026-09-01T00:00:00.000Z'),
            d: fact('d', 1000, '2026-10-01T00:00:00.000Z'),
        };
        fc.assert(
            fc.property(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }), fc.subarray(['c', 'd']), (currentId, validIds) => {
                const latest = validIds.length > 0 ? FACTS[validIds[validIds.length - 1]] : undefined;
                const s: AttestationStanding = { ...(latest ? { latest } : {}), validIds };
                let profile = baseProfile(EID, '2026-01-01T00:00:00.000Z', 'tx0');
                const current = currentId === undefined ? undefined : FACTS[currentId];
                if (current) {
                    profile = applyEvents(profile, [{ type: 'ATTESTATION', enterpriseId: EID, ref: current.id, score: current.score, expiresAt: current.expiresAt }], 'tx1', '2026-01-02T00:00:00.000Z');
                }
                const events = attestationEvents(EID, profile.facts.attestation, s, AT);
                const after = applyEvents(profile, events, 'tx2', AT, true);
                const counted = after.reasons.some((r) => r.code === 'ATTESTATION_BLEND') ? after.facts.attestation?.id : undefined;
                expect(counted).to.equal(latest?.id);
                if (latest) {
                    expect(after.facts.attestation).to.deep.equal(latest);
                }
                // A revocation is logged only for the fact, when it had not expired and is no longer valid.
                for (const event of events.filter((e) => e.type === 'ATTESTATION_REVOKED')) {
                    expect(event.ref).to.equal(current?.id);
                    expect(validIds).to.not.include(event.ref);
                    expect(Date.parse(current?.expiresAt ?? '')).to.be.greaterThan(Date.parse(AT));
                }
                // Nothing is logged when the fact already is the latest valid one.
                if (latest && current?.id === latest.id) {
                    expect(events).to.deep.equal([]);
                }
            }),
        );
    });

    it('logs a refresh as REFRESH followed by the attestation events it brought', () => {
        const profile = applyEvents(baseProfile(EID, AT, 'tx0'), [{ type: 'ATTESTATION', enterpriseId: EID, ref: 'a', score: 900, expiresAt: '2026-07-01T00:00:00.000Z' }], 'tx1', AT, true);
        expect(profile.changes.at(-1)?.events).to.deep.equal([{ type: 'REFRESH' }, { type: 'ATTESTATION', ref: 'a', score: 900 }]);
        // A refresh that brings nothing and changes nothing returns the profile itself: nothing to log or write.
        expect(applyEvents(profile, [], 'tx2', AT)).to.equal(profile);
    });
});
