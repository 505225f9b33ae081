import { expect } from 'chai';
import { ALL_ROUTES } from '.';
import type { RouteSpec } from '../route-spec';

function route(method: RouteSpec['method'], path: string): RouteSpec {
    const found = ALL_ROUTES.find((r) => r.method === method && r.path === path);
    expect(found, `${method} ${path}`).to.not.equal(undefined);
    return found as RouteSpec;
}

/**
 * The OpenAPI text of reads and uploads says who may call them, as the chaincode and the gateway
 * enforce it (the permission tests check the enforcement): a client reading the spec learns who is
 * answered and who gets 403 without trying.
 */
describe('route descriptions say who may call', () => {
    it("does not call a request's quotes public: an invited financier sees only its own", () => {
        const quotes = route('get', '/discount-requests/:id/quotes');
        expect(quotes.summary).to.not.match(/public/i);
        expect(quotes.summary).to.include('an invited financier: its own');
        expect(quotes.description).to.include('the regulator get every quote').and.include('only its own quote').and.include('403 FORBIDDEN');
    });

    it('names the callers of the lists of IP assets, pledges and offers, and who is refused', () => {
        expect(route('get', '/ip-assets').description).to.include("The owner's own users, and any financier, appraiser, the regulator and the platform admin").and.include('403 FORBIDDEN');
        expect(route('get', '/pledges').description).to.include("The enterprise's own users, the regulator and the platform admin").and.include('403 FORBIDDEN');
        expect(route('get', '/offers').description).to.include("The enterprise's own users").and.include('and the regulator').and.include('403 FORBIDDEN');
    });

    it('names who may see an exposure', () => {
        const exposure = route('get', '/exposure/:coreEnterpriseId').description ?? '';
        expect(exposure).to.match(/core enterprise/).and.match(/regulator/).and.match(/financier/).and.include('403 FORBIDDEN');
    });

    it('names who may upload a document and who may refresh a profile', () => {
        expect(route('post', '/documents').description).to.include('Any signed-in user, of any role');
        expect(route('post', '/profiles/:enterpriseId/refresh').description)
            .to.include('the regulator, financiers, credit bureaus and foreign partners for any enterprise')
            .and.include("a core enterprise's or supplier's users for their own enterprise only")
            .and.include('The platform admin, appraisers and anyone else get 403 FORBIDDEN');
    });
});
