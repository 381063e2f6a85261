/**
 * A small path router: patterns like `/users/:userId/metadata`, matched segment by segment on the
 * path below `/v1`. Routes are tried in the order they were added.
 */
import type {JsonObject} from './metadata'
import type {ClerkStore} from './store'

export interface RouteContext {
  params: Record<string, string>
  query: URLSearchParams
  /** The parsed JSON body; `{}` when the request had none. */
  body: JsonObject
  /** `Clerk-API-Version` as sent, if any. */
  apiVersion: string | undefined
  store: ClerkStore
}

/** Returns the JSON body of a 200 response, or throws a `ClerkApiError`. */
export type RouteHandler = (context: RouteContext) => unknown

interface Route {
  method: string
  pattern: string
  segments: string[]
  handler: RouteHandler
}

export interface RouteMatch {
  /** The pattern that matched, e.g. `GET /users/:userId`: stable for logs and assertions. */
  name: string
  params: Record<string, string>
  handler: RouteHandler
}

export class Router {
  readonly #routes: Route[] = []

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.#routes.push({method, pattern, segments: pattern.split('/').filter(Boolean), handler})
    return this
  }

  /** The first route matching method and path; undefined for unknown routes or bad escapes. */
  match(method: string, path: string): RouteMatch | undefined {
    let segments: string[]
    try {
      segments = path.split('/').filter(Boolean).map(decodeURIComponent)
    } catch {
      return undefined
    }
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue
      const params: Record<string, string> = {}
      const matches = route.segments.every((part, index) => {
        const segment = segments[index] as string
        if (part.startsWith(':')) params[part.slice(1)] = segment
        return part.startsWith(':') || part === segment
      })
      if (matches) return {name: `${method} ${route.pattern}`, params, handler: route.handler}
    }
    return undefined
  }
}
