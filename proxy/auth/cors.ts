import {PLUGIN_VERSION_HEADER} from '../../core/contract'

const ALLOWED_METHODS = 'GET, POST, OPTIONS'
const ALLOWED_HEADERS = `authorization, content-type, ${PLUGIN_VERSION_HEADER}`
const EXPOSED_HEADERS = 'retry-after, x-clerk-trace-id'
const PREFLIGHT_MAX_AGE_SECONDS = '600'

/** Cross-origin rules: only the configured Studio origins get CORS headers. */
export interface CorsPolicy {
  /** `true` when the request carries no `Origin` (server to server) or an allowed one. */
  allows(request: Request): boolean
  /** Adds CORS headers to `response` when its request came from an allowed origin. */
  decorate(request: Request, response: Response): Response
  /** The answer to an `OPTIONS` preflight: 204 with CORS headers, or 403 for other origins. */
  preflight(request: Request): Response
}

/** `https://studio.example.com/` → `https://studio.example.com`; throws on anything not a URL. */
export function normalizeOrigin(origin: string): string {
  const url = new URL(origin)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)')
  return url.origin
}

export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const allowed = new Set(allowedOrigins.map(normalizeOrigin))
  const originOf = (request: Request) => request.headers.get('origin')
  const isAllowedOrigin = (origin: string) => allowed.has(origin)

  const corsHeaders = (origin: string): Record<string, string> => ({
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
  })

  return {
    allows(request) {
      const origin = originOf(request)
      return origin === null || isAllowedOrigin(origin)
    },
    decorate(request, response) {
      const origin = originOf(request)
      response.headers.append('vary', 'Origin')
      if (origin === null || !isAllowedOrigin(origin)) return response
      for (const [name, value] of Object.entries(corsHeaders(origin))) {
        response.headers.set(name, value)
      }
      return response
    },
    preflight(request) {
      const origin = originOf(request)
      const headers = new Headers({vary: 'Origin', 'cache-control': 'no-store'})
      if (origin === null || !isAllowedOrigin(origin))
        return new Response(null, {status: 403, headers})
      for (const [name, value] of Object.entries(corsHeaders(origin))) headers.set(name, value)
      headers.set('access-control-allow-methods', ALLOWED_METHODS)
      headers.set('access-control-allow-headers', ALLOWED_HEADERS)
      headers.set('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
      return new Response(null, {status: 204, headers})
    },
  }
}
