import {PROXY_ROUTES, type HealthResponse} from '../../core/contract'
import {jsonResponse} from '../http/responses'
import {PLUGIN_VERSION} from '../../core/version'
import type {Route} from './types'

/** `GET /health`: liveness for load balancers and the Studio's connection check. No auth. */
export const healthRoute: Route = {
  method: 'GET',
  path: PROXY_ROUTES.health,
  access: null,
  handle: async () => jsonResponse({ok: true, version: PLUGIN_VERSION} satisfies HealthResponse),
}
