import { accountView } from './account-view';
import { onboardingView, parametersView, recognitionAdminView } from './admin-views';
import type { Role } from '../resources';
import type { Route } from './context';
import { exposureView, issueView } from './core-views';
import { discountsView } from './discounts-view';
import { creditLinesView, financierPledgesView, portfolioView, quoteRequestsView } from './financier-views';
import { ipView, valuationsView } from './ip-view';
import { notesView } from './notes-view';
import { offersView } from './offers-view';
import { dashboardView, enterpriseDetailView, enterprisesView, warningsView } from './profile-views';
import { provenanceView } from './provenance-view';
import { buyerReceivablesView, supplierReceivablesView } from './receivables-view';
import { agreementsView, bureauView, passportView, verifyView } from './recognition-views';

/**
 * The roles that can ever read a note's provenance (chaincode note/provenance.ts authorizeNoteRead):
 * the regulator; the issuing core enterprise; the suppliers that hold or held a note along its
 * chain, or are offered it; a financier that holds part of an issue or is invited to discount a note. Foreign partners, credit bureaus, appraisers
 * and the platform administrator are never a party to a note: the ledger refuses them every one.
 */
export const PROVENANCE_ROLES: readonly Role[] = ['supplier', 'core-enterprise', 'financier', 'regulator'];

/** Every page, in navigation order. A role sees only the routes listed for it (and the shared ones). */
export const ROUTES: readonly Route[] = [
    { path: '/', title: 'Dashboard', view: dashboardView },
    // supplier
    { path: '/notes', title: 'My notes', view: notesView, roles: ['supplier'] },
    { path: '/offers', title: 'Offers', view: offersView, roles: ['supplier'] },
    { path: '/discounts', title: 'Discounting', view: discountsView, roles: ['supplier'] },
    { path: '/receivables', title: 'Receivables', view: supplierReceivablesView, roles: ['supplier'] },
    { path: '/ip', title: 'IP & pledges', view: ipView, roles: ['supplier', 'core-enterprise'] },
    // core enterprise
    { path: '/confirmations', title: 'Receivables', view: buyerReceivablesView, roles: ['core-enterprise'] },
    { path: '/issue', title: 'Issue notes', view: issueView, roles: ['core-enterprise'] },
    { path: '/exposure', title: 'Exposure & redemption', view: exposureView, roles: ['core-enterprise'] },
    { path: '/exposure/:enterpriseId', title: 'Exposure', view: exposureView, roles: ['core-enterprise', 'financier', 'regulator'], nav: false },
    // financier
    { path: '/credit-lines', title: 'Credit lines', view: creditLinesView, roles: ['financier'] },
    { path: '/quote-requests', title: 'Discount requests', view: quoteRequestsView, roles: ['financier'] },
    { path: '/pledges', title: 'Pledges', view: financierPledgesView, roles: ['financier'] },
    { path: '/portfolio', title: 'Portfolio', view: portfolioView, roles: ['financier'] },
    // foreign partner
    { path: '/agreements', title: 'Agreements', view: agreementsView, roles: ['foreign-partner'] },
    // appraiser
    { path: '/valuations', title: 'Valuations', view: valuationsView, roles: ['appraiser'] },
    // credit bureau
    { path: '/attestations', title: 'Attestations', view: bureauView, roles: ['credit-bureau'] },
    // regulator
    { path: '/enterprises', title: 'Enterprises', view: enterprisesView, roles: ['regulator'] },
    { path: '/enterprises/:id', title: 'Enterprise', view: enterpriseDetailView, roles: ['regulator'], nav: false },
    { path: '/warnings', title: 'Warnings', view: warningsView, roles: ['regulator'] },
    // platform administrator
    { path: '/onboarding', title: 'Onboarding', view: onboardingView, roles: ['platform-admin'] },
    { path: '/parameters', title: 'Platform parameters', view: parametersView, roles: ['platform-admin'] },
    { path: '/recognition', title: 'Recognition & keys', view: recognitionAdminView, roles: ['platform-admin'] },
    // the roles that can be a party to a note (see PROVENANCE_ROLES)
    { path: '/provenance', title: 'Provenance', view: provenanceView, roles: PROVENANCE_ROLES },
    { path: '/provenance/:id', title: 'Provenance', view: provenanceView, roles: PROVENANCE_ROLES, nav: false },
    // The bureau issues passports only to suppliers and core enterprises (the roles whose own enterprise is scored).
    { path: '/passport', title: 'Passport', view: passportView, roles: ['supplier', 'core-enterprise'] },
    { path: '/verify', title: 'Verify passport', view: verifyView, public: true },
    // everyone: who they are, change password
    { path: '/account', title: 'Account', view: accountView },
];

/** Matches a path against the routes: the route and its parameters, or undefined. */
export function matchRoute(path: string, routes: readonly Route[] = ROUTES): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const route of routes) {
        const pattern = route.path.split('/').filter(Boolean);
        if (pattern.length !== parts.length) {
            continue;
        }
        const params: Record<string, string> = {};
        const ok = pattern.every((segment, i) => {
            if (segment.startsWith(':')) {
                params[segment.slice(1)] = decodeURIComponent(parts[i]);
                return true;
            }
            return segment === parts[i];
        });
        if (ok) {
            return { route, params };
        }
    }
    return undefined;
}

/** Splits a location hash "#/path?x=1" into its path and query values. */
export function parseHash(hash: string): { path: string; query: Record<string, string> } {
    const text = hash.replace(/^#/, '') || '/';
    const [path, search = ''] = text.split('?', 2);
    return { path: path || '/', query: Object.fromEntries(new URLSearchParams(search)) };
}
