import {ProxyHttpError} from './errors'

// Every proxy answer is per-user and live, so nothing may be cached by browsers or CDNs.
const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const

/** A JSON response with the proxy's base headers. */
export function jsonResponse(body: unknown, init: {status?: number; headers?: HeadersInit} = {}) {
  const headers = new Headers(init.headers)
  for (const [name, value] of Object.entries(BASE_HEADERS)) headers.set(name, value)
  headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(body), {status: init.status ?? 200, headers})
}

/** The `ProxyErrorBody` response for `error`, with `Retry-After` when the caller should wait. */
export function errorResponse(error: ProxyHttpError): Response {
  const headers = new Headers()
  if (error.details.retryAfter !== undefined) {
    headers.set('retry-after', String(Math.max(0, Math.ceil(error.details.retryAfter))))
  }
  if (error.details.clerkTraceId) headers.set('x-clerk-trace-id', error.details.clerkTraceId)
  return jsonResponse(error.toBody(), {status: error.status, headers})
}

/** A streamed newline-delimited JSON response (one JSON value per line). */
export function ndjsonResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: {...BASE_HEADERS, 'content-type': 'application/x-ndjson'},
  })
}
