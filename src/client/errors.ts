import {ProxyError, ProxyUnreachableError} from './proxyClient'

/** An error in words an editor can act on. */
export interface ExplainedError {
  kind: 'unreachable' | 'unauthorized' | 'forbidden' | 'rateLimited' | 'clerk' | 'other'
  title: string
  description: string
  /** Clerk's trace id, for support. */
  traceId: string | null
}

/** Turns whatever a proxy call threw into a title and description for the UI. */
export function explainProxyError(error: unknown, {hasToken}: {hasToken: boolean}): ExplainedError {
  if (error instanceof ProxyUnreachableError) {
    return {
      kind: 'unreachable',
      title: 'Clerk proxy unreachable',
      description: `${error.message}. Content still saves and publishes; Clerk catches up on the next sync.`,
      traceId: null,
    }
  }
  if (error instanceof ProxyError) {
    const traceId = error.clerkTraceId ?? null
    if (error.status === 401) {
      return {
        kind: 'unauthorized',
        title: 'Not signed in to the Clerk proxy',
        description: hasToken
          ? error.message
          : 'This Studio signs in with a cookie, so there is no Sanity token to send to the proxy. Sign in with a token (auth.loginMethod: "token") to use the Clerk features.',
        traceId,
      }
    }
    if (error.status === 403) {
      return {kind: 'forbidden', title: 'Not allowed', description: error.message, traceId}
    }
    if (error.status === 429) {
      const wait = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : ''
      return {
        kind: 'rateLimited',
        title: 'Too many requests',
        description: `${error.message}${wait}`,
        traceId,
      }
    }
    if (error.status === 502 || error.status === 503) {
      return {kind: 'clerk', title: 'Clerk is not answering', description: error.message, traceId}
    }
    return {
      kind: 'other',
      title: `Clerk proxy error (${error.status})`,
      description: error.message,
      traceId,
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {kind: 'other', title: 'Unexpected error', description: message, traceId: null}
}
