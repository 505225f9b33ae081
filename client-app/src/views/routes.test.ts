import { expect } from 'chai';
import { hasOwnProfile } from './profile-views';
import { PROVENANCE_ROLES, ROUTES, matchRoute, parseHash } from './routes';

describe('routes', () => {
    it('matches static and parameterised paths', () => {
        expect(matchRoute('/notes')?.route.title).to.equal('My notes');
        const match = matchRoute('/provenance/N-abc%2F1');
        expect(match?.route.path).to.equal('/provenance/:id');
        expect(match?.params).to.deep.equal({ id: 'N-abc/1' });
        expect(matchRoute('/nowhere')).to.equal(undefined);
    });

    it('parses the hash into a path and query values', () => {
        expect(parseHash('#/verify?p=abc')).to.deep.equal({ path: '/verify', query: { p: 'abc' } });
        expect(parseHash('')).to.deep.equal({ path: '/', query: {} });
    });

    it('shows each role only its own views', () => {
        const navOf = (role: string): string[] => ROUTES.filter((r) => r.nav !== false && (r.roles === undefined || r.roles.includes(role as never))).map((r) => r.path);
        expect(navOf('supplier')).to.include.members(['/notes', '/offers', '/discounts', '/receivables', '/ip', '/passport']);
        expect(navOf('supplier')).to.not.include.members(['/issue', '/credit-lines', '/enterprises', '/agreements']);
        expect(navOf('core-enterprise')).to.include.members(['/confirmations', '/issue', '/exposure']);
        expect(navOf('financier')).to.include.members(['/credit-lines', '/quote-requests', '/pledges', '/portfolio']);
        expect(navOf('foreign-partner')).to.include.members(['/agreements', '/verify']);
        expect(navOf('regulator')).to.include.members(['/enterprises', '/warnings']);
        expect(navOf('regulator')).to.not.include('/notes');
        expect(navOf('platform-admin')).to.include.members(['/onboarding', '/parameters', '/recognition']);
        for (const role of ['supplier', 'core-enterprise', 'financier', 'regulator', 'foreign-partner', 'credit-bureau', 'appraiser']) {
            for (const page of ['/onboarding', '/parameters', '/recognition']) {
                expect(navOf(role), role).to.not.include(page);
            }
        }
    });

    it('offers IP valuations to the appraiser alone (the ledger refuses anyone else)', () => {
        const valuing = ROUTES.filter((r) => r.view.name === 'valuationsView' || r.path.startsWith('/valuations'));
        expect(valuing.map((r) => [r.path, r.roles])).to.deep.equal([['/valuations', ['appraiser']]]);
        for (const role of ['financier', 'supplier', 'core-enterprise', 'regulator', 'platform-admin', 'credit-bureau', 'foreign-partner']) {
            expect(ROUTES.filter((r) => r.roles?.includes(role as never) && r.view.name === 'valuationsView'), role).to.deep.equal([]);
        }
    });

    it('offers the Passport page only to the roles the bureau issues passports to', () => {
        const passport = ROUTES.find((r) => r.path === '/passport');
        expect(passport?.roles).to.deep.equal(['supplier', 'core-enterprise']);
        expect(hasOwnProfile('financier')).to.equal(false);
        for (const role of passport?.roles ?? []) {
            expect(hasOwnProfile(role), role).to.equal(true);
        }
    });

    it('offers Provenance only to the roles that can be a party to a note, on both its paths', () => {
        // The ledger shows a note's provenance to its issuer, holders along its chain, an offered supplier,
        // a financier holding part of the issue or invited to discount, and the regulator; no one else.
        expect([...PROVENANCE_ROLES].sort()).to.deep.equal(['core-enterprise', 'financier', 'regulator', 'supplier']);
        const provenance = ROUTES.filter((r) => r.path.startsWith('/provenance'));
        expect(provenance.map((r) => r.path)).to.deep.equal(['/provenance', '/provenance/:id']);
        const navOf = (role: string): string[] => ROUTES.filter((r) => r.nav !== false && (r.roles === undefined || r.roles.includes(role as never))).map((r) => r.path);
        for (const route of provenance) {
            for (const role of ['foreign-partner', 'credit-bureau', 'appraiser', 'platform-admin'] as const) {
                expect(route.roles, `${route.path} ${role}`).to.not.include(role);
                expect(navOf(role), role).to.not.include('/provenance');
            }
            for (const role of ['supplier', 'core-enterprise', 'financier', 'regulator'] as const) {
                expect(route.roles, `${route.path} ${role}`).to.include(role);
            }
        }
        expect(navOf('financier')).to.include('/provenance');
    });

    it('offers every signed-in role its Account page (change password)', () => {
        const account = ROUTES.find((r) => r.path === '/account');
        expect(account?.view.name).to.equal('accountView');
        expect(account?.roles).to.equal(undefined);
        expect(account?.public).to.not.equal(true);
        expect(account?.nav).to.not.equal(false);
    });

    it('makes only the verify page public', () => {
        expect(ROUTES.filter((r) => r.public).map((r) => r.path)).to.deep.equal(['/verify']);
    });
});
