import {MetadataTooLargeError} from '../../core/access'
import {ClerkGatewayError} from '../clerk'
import {ProxyHttpError} from './errors'

const DEFAULT_RETRY_AFTER_SECONDS = 5

function fromClerk(error: ClerkGatewayError): ProxyHttpError {
  const details = {
    ...(error.clerkTraceId ? {clerkTraceId: error.clerkTraceId} : {}),
    ...(error.retryAfter === undefined ? {} : {retryAfter: error.retryAfter}),
  }
  switch (error.code) {
    case 'clerk_rate_limited':
    case 'clerk_unavailable':
    case 'clerk_timeout':
    case 'clerk_unreachable':
      return new ProxyHttpError(503, error.code, error.message, {
        retryAfter: DEFAULT_RETRY_AFTER_SECONDS,
        ...details,
      })
    case 'clerk_not_found':
      return new ProxyHttpError(404, 'not_found', error.message, details)
    case 'invalid_id':
      return new ProxyHttpError(400, 'invalid_id', error.message, details)
    case 'clerk_unauthorized':
      return new ProxyHttpError(
        502,
        error.code,
        "Clerk rejected the proxy's secret key; check the proxy configuration.",
        details,
      )
    default:
      return new ProxyHttpError(502, error.code, error.message, details)
  }
}

/**
 * Maps anything a route's work can throw to the error the caller sees: our own errors as they
 * are; oversize metadata → 422; Clerk failures by their gateway code (busy or unreachable → 503
 * with `Retry-After`, others → 502, always with Clerk's trace id); Sanity failures → 502/503;
 * anything else → 500 with a generic message (details go to the log, never to the caller).
 */
export function toProxyHttpError(error: unknown): ProxyHttpError {
  if (error instanceof ProxyHttpError) return error
  if (error instanceof MetadataTooLargeError) {
    return new ProxyHttpError(422, error.code, error.message)
  }
  if (error instanceof ClerkGatewayError) return fromClerk(error)
  // @sanity/client's ClientError/ServerError carry the HTTP status as `statusCode`.
  const statusCode = (error as {statusCode?: unknown} | null)?.statusCode
  if (typeof statusCode === 'number') {
    return statusCode === 429 || statusCode >= 500
      ? new ProxyHttpError(
          503,
          'sanity_unavailable',
          `Sanity is unavailable (HTTP ${statusCode}); try again shortly.`,
          {retryAfter: DEFAULT_RETRY_AFTER_SECONDS},
        )
      : new ProxyHttpError(
          502,
          'sanity_error',
          `Sanity refused the proxy's query (HTTP ${statusCode}); check the proxy's Sanity token and configuration.`,
        )
  }
  return new ProxyHttpError(500, 'internal_error', 'The proxy failed unexpectedly; see its log.')
}
