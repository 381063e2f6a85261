import {PROXY_ROUTES, type OrphansResponse} from '../../core/contract'
import {jsonResponse} from '../http/responses'
import type {Route} from './types'

/**
 * `GET /orphans`: the published entitlements whose Clerk user or organization was deleted,
 * asked of Clerk now (see `proxy/sync/orphans.ts` for what it costs). Needs `read`, as the
 * Access tool's other lists do.
 */
export const orphansRoute: Route = {
  method: 'GET',
  path: PROXY_ROUTES.orphans,
  access: 'read',
  handle: async ({engine}) =>
    jsonResponse({orphans: await engine.orphans()} satisfies OrphansResponse),
}
