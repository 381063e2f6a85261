import {ProxyHttpError} from './errors'

// Every proxy answer is per-user and live, so nothing may be cached by browsers or CDNs.
const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const

const JSON_HEADERS = {...BASE_HEADERS, 'content-type': 'application/json'} as const

// The text of each JSON response the proxy built, so the boundary can check it for secrets
// without reading (and so re-creating) the response's body stream.
const jsonBodies = new WeakMap<Response, string>()

/** A JSON response with the proxy's base headers. */
export function jsonResponse(body: unknown, init: {status?: number; headers?: HeadersInit} = {}) {
  let headers: HeadersInit = JSON_HEADERS
  if (init.headers) {
    const merged = new Headers(init.headers)
    for (const [name, value] of Object.entries(JSON_HEADERS)) merged.set(name, value)
    headers = merged
  }
  const text = JSON.stringify(body)
  const response = new Response(text, {status: init.status ?? 200, headers})
  jsonBodies.set(response, text)
  return response
}

/**
 * The body text of a response {@link jsonResponse} built, while nothing has read or replaced
 * its body; `undefined` for any other response.
 */
export function jsonBodyOf(response: Response): string | undefined {
  return response.bodyUsed ? undefined : jsonBodies.get(response)
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
