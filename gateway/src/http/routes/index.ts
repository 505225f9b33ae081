import type { RouteSpec } from '../route-spec';
import { attestationsRoutes, recognitionsRoutes } from './attestations-routes';
import { authRoutes } from './auth-routes';
import { creditLinesRoutes } from './credit-lines-routes';
import { documentsRoutes } from './documents-routes';
import { enterprisesRoutes } from './enterprises-routes';
import { eventsRoutes } from './events-routes';
import { healthRoutes } from './health-routes';
import { ipRoutes, pledgesRoutes } from './ip-routes';
import { discountRoutes, notesRoutes, offersRoutes } from './notes-routes';
import { profilesRoutes } from './profiles-routes';
import { receivablesRoutes } from './receivables-routes';
import { agreementsRoutes, bureauKeysRoutes } from './recognition-routes';

/** Every endpoint of /api/v1, in documentation order. */
export const ALL_ROUTES: readonly RouteSpec[] = [
    ...authRoutes,
    ...enterprisesRoutes,
    ...creditLinesRoutes,
    ...receivablesRoutes,
    ...notesRoutes,
    ...offersRoutes,
    ...discountRoutes,
    ...ipRoutes,
    ...pledgesRoutes,
    ...bureauKeysRoutes,
    ...agreementsRoutes,
    ...attestationsRoutes,
    ...recognitionsRoutes,
    ...profilesRoutes,
    ...documentsRoutes,
    ...eventsRoutes,
    ...healthRoutes,
];
