import { expect } from 'chai';
import { limitChangeMessage, lineAction, pledgeLtv, ltvSentence, pledgeeChoices } from './financier-views';

describe('a pledge\'s loan-to-value, as the financier sees it before accepting', () => {
    const valuation = { amount: '120000050', currency: 'CNY' }; // CNY 1,200,000.50

    it('measures the secured amount against the latest valuation, rounded up, within the cap by the ledger\'s exact rule', () => {
        const ltv = pledgeLtv({ securedAmount: '50000000', currency: 'CNY' }, valuation, 5000);
        expect(ltv).to.deep.equal({ measured: true, bps: 4167n, totalBps: 4167n, securedByOthers: 0n, securedTotal: 50000000n, withinCap: true });
        expect(ltvSentence(ltv, 5000, 'CNY')).to.equal('Loan-to-value 41.67 % of the latest valuation. Within the 50.00 % cap.');
        // Exactly half the valuation is the cap; one minor unit more is over it, and never shows as 50.00 %.
        expect(pledgeLtv({ securedAmount: '60000025', currency: 'CNY' }, valuation, 5000)).to.include({ bps: 5000n, withinCap: true });
        const over = pledgeLtv({ securedAmount: '60000026', currency: 'CNY' }, valuation, 5000);
        expect(over).to.include({ bps: 5001n, withinCap: false });
        expect(ltvSentence(over, 5000, 'CNY')).to.contain('Above the 50.00 % cap: the ledger refuses to accept it.');
    });

    it('adds what the asset\'s other active pledges secure, as the ledger does at acceptance', () => {
        const ltv = pledgeLtv({ securedAmount: '30000000', currency: 'CNY' }, valuation, 5000, 40000000n);
        expect(ltv).to.include({ bps: 2500n, totalBps: 5834n, securedTotal: 70000000n, withinCap: false });
        expect(ltvSentence(ltv, 5000, 'CNY')).to.equal(
            'Loan-to-value 25.00 % of the latest valuation. With the asset’s other active pledges, CNY 700,000.00 is secured: 58.34 %. Above the 50.00 % cap: the ledger refuses to accept it.',
        );
    });

    it('says why it cannot be measured: no valuation, or another currency', () => {
        expect(pledgeLtv({ securedAmount: '1', currency: 'CNY' }, undefined, 5000)).to.have.property('reason').that.contains('no valuation');
        expect(pledgeLtv({ securedAmount: '1', currency: 'USD' }, valuation, 5000)).to.have.property('reason').that.contains('valued in CNY');
        expect(pledgeLtv({ securedAmount: '1', currency: 'CNY' }, valuation, undefined)).to.include({ measured: true, withinCap: undefined });
    });
});

describe('what the bank may do with a credit line it granted, as the ledger allows it', () => {
    const expiresAt = '2026-12-31T00:00:00.000Z';
    const before = new Date('2026-12-30T23:59:59.000Z');
    const at = new Date(expiresAt);

    it('offers changing the limit or revoking an ACTIVE line, only revoking an expired one, and nothing on a revoked one', () => {
        expect(lineAction({ status: 'ACTIVE', expiresAt }, before)).to.equal('Change or revoke');
        // Read before its expiry, judged after: the ledger would answer EXPIRED to a change, but still revokes it.
        expect(lineAction({ status: 'ACTIVE', expiresAt }, at)).to.equal('Revoke');
        expect(lineAction({ status: 'EXPIRED', expiresAt }, at)).to.equal('Revoke');
        expect(lineAction({ status: 'REVOKED', expiresAt }, before)).to.equal(undefined);
        expect(lineAction({ status: 'REVOKED', expiresAt }, at)).to.equal(undefined);
    });

    it('says nothing changed when the ledger answers the limit already in force, and the new limit otherwise', () => {
        const shown = { limit: '2000000', currency: 'USD' };
        expect(limitChangeMessage(shown, { limit: '2000000' })).to.equal('The limit is already USD 20,000.00; nothing changed.');
        expect(limitChangeMessage(shown, { limit: '2500000' })).to.equal('Limit changed to USD 25,000.00.');
    });
});

describe('what the pledgee may decide on a pledge, by the ledger\'s date', () => {
    const requested = { id: 'pledge-b', status: 'REQUESTED' as const, priority: 2, termStart: '2026-03-01', termEnd: '2026-12-31' };
    const active = { ...requested, status: 'ACTIVE' as const, priority: 1 };
    const senior = { id: 'pledge-a', status: 'ACTIVE' as const, priority: 1, allowJunior: true, pledgeeId: 'BANK1' };
    const notice = [senior, { id: 'pledge-b', status: 'REQUESTED' as const, priority: 2, allowJunior: false, pledgeeId: 'BANK2' }];

    it('disables enforcement before the term starts, saying from when, and enables it from that day', () => {
        expect(pledgeeChoices(active, undefined, undefined, '2026-02-28').enforce).to.deep.equal({ available: false, reason: "Enforceable from 2026-03-01, when the pledge's term starts." });
        expect(pledgeeChoices(active, undefined, undefined, '2026-03-01').enforce).to.deep.equal({ available: true });
        // A realised asset's other active pledges may still be enforced.
        expect(pledgeeChoices(active, { enforcedAt: '2026-04-01T00:00:00.000Z' }, undefined, '2026-05-01').enforce).to.deep.equal({ available: true });
    });

    it('disables acceptance after the term ends (EXPIRED) but not on its last day', () => {
        expect(pledgeeChoices(requested, undefined, notice, '2026-12-31').accept).to.deep.equal({ available: true });
        const late = pledgeeChoices(requested, undefined, notice, '2027-01-01').accept;
        expect(late).to.deep.include({ available: false });
        expect(late).to.have.property('reason').that.contains('The term ended on 2026-12-31');
    });

    it('disables acceptance on an asset realised by enforcement', () => {
        const realised = pledgeeChoices(requested, { enforcedAt: '2026-04-01T08:00:00.000Z', enforcedPledgeId: 'pledge-a' }, notice, '2026-05-01').accept;
        expect(realised).to.have.property('reason').that.contains('realised by the enforcement of a pledge on 2026-04-01');
    });

    it('disables acceptance when the rank declared is no longer next, or a senior allows no junior, as the notice shows', () => {
        const released = [{ ...senior, status: 'RELEASED' as const }, notice[1]];
        expect(pledgeeChoices(requested, undefined, released, '2026-05-01').accept).to.have.property('reason').that.contains('the next must rank 1');
        const closed = [{ ...senior, allowJunior: false }, notice[1]];
        expect(pledgeeChoices(requested, undefined, closed, '2026-05-01', () => 'Bank of Ningbo').accept).to.have.property('reason').that.contains('pledged to Bank of Ningbo, which allows no junior pledge');
        // Without the notice, the rank is not judged.
        expect(pledgeeChoices({ ...requested, priority: 5 }, undefined, undefined, '2026-05-01').accept).to.deep.equal({ available: true });
    });
});
