import {badRequest} from '../http/errors'
import {clerkWebhookRoute} from './clerkWebhook'
import {healthRoute} from './health'
import {invitationRoutes} from './invitations'
import {meRoute} from './me'
import {orphansRoute} from './orphans'
import {reconcileRoute} from './reconcile'
import {
  organizationStatusRoute,
  searchOrganizationsRoute,
  searchUsersRoute,
  userStatusRoute,
} from './subjects'
import {sweepRoutes} from './sweep'
import {syncRoute} from './sync'
import type {Route} from './types'
import {webhookRoute} from './webhook'

/** Every route of the proxy. */
export function createRoutes(): Route[] {
  return [
    healthRoute,
    meRoute,
    searchUsersRoute,
    userStatusRoute,
    searchOrganizationsRoute,
    organizationStatusRoute,
    syncRoute,
    webhookRoute,
    clerkWebhookRoute,
    ...invitationRoutes,
    orphansRoute,
    reconcileRoute,
    ...sweepRoutes,
  ]
}

export interface RouteMatch {
  route: Route
  params: Record<string, string>
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw badRequest('invalid_path', 'The request path is not valid percent-encoding.')
  }
}

/**
 * The route for `path` (relative to the base path) and its decoded params. Params are decoded
 * AFTER splitting, so an encoded `/` (`user_1%2F..%2Fx`) stays inside one param, where id
 * validation refuses it. `methodMismatch` is set when the path exists for another method.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch | {methodMismatch: boolean} {
  const segments = path.split('/').slice(1)
  let methodMismatch = false
  for (const route of routes) {
    const pattern = route.path.split('/').slice(1)
    if (pattern.length !== segments.length) continue
    const params: Record<string, string> = {}
    const matches = pattern.every((part, index) => {
      const segment = segments[index]!
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment
        return segment !== ''
      }
      return part === segment
    })
    if (!matches) continue
    if (route.method !== method) {
      methodMismatch = true
      continue
    }
    for (const [name, value] of Object.entries(params)) params[name] = decodeSegment(value)
    return {route, params}
  }
  return {methodMismatch}
}
