import type {ClerkT} from '../i18n'
import {ProxyError, ProxyUnreachableError} from './proxyClient'

/** An error in words an editor can act on. */
export interface ExplainedError {
  kind: 'unreachable' | 'unauthorized' | 'forbidden' | 'rateLimited' | 'clerk' | 'other'
  title: string
  description: string
  /** Clerk's trace id, for support. */
  traceId: string | null
}

/**
 * Turns whatever a proxy call threw into a title and description for the UI, in the Studio's
 * locale. The proxy's own message (its reason for a 403, Clerk's words) is passed through as is.
 */
export function explainProxyError(
  error: unknown,
  {hasToken, t}: {hasToken: boolean; t: ClerkT},
): ExplainedError {
  if (error instanceof ProxyUnreachableError) {
    return {
      kind: 'unreachable',
      title: t('error.unreachable.title'),
      description: t('error.unreachable.description', {message: error.message}),
      traceId: null,
    }
  }
  if (error instanceof ProxyError) {
    const traceId = error.clerkTraceId ?? null
    if (error.status === 401) {
      return {
        kind: 'unauthorized',
        title: t('error.unauthorized.title'),
        description: hasToken ? error.message : t('error.unauthorized.cookie-login'),
        traceId,
      }
    }
    if (error.status === 403) {
      return {
        kind: 'forbidden',
        title: t('error.forbidden.title'),
        description: error.message,
        traceId,
      }
    }
    if (error.status === 429) {
      return {
        kind: 'rateLimited',
        title: t('error.rate-limited.title'),
        description: error.retryAfter
          ? t('error.rate-limited.retry-after', {message: error.message, seconds: error.retryAfter})
          : error.message,
        traceId,
      }
    }
    if (error.status === 502 || error.status === 503) {
      return {kind: 'clerk', title: t('error.clerk.title'), description: error.message, traceId}
    }
    return {
      kind: 'other',
      title: t('error.other.title', {status: error.status}),
      description: error.message,
      traceId,
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {kind: 'other', title: t('error.unexpected.title'), description: message, traceId: null}
}
