import {isClerkAPIResponseError} from '@clerk/backend/errors'

import {redactText} from '../http/redact'

/** Why a Clerk call failed, in the proxy's error-code vocabulary. */
export type ClerkGatewayErrorCode =
  | 'clerk_timeout'
  | 'clerk_unreachable'
  | 'clerk_rate_limited'
  | 'clerk_unavailable'
  | 'clerk_not_found'
  | 'clerk_rejected'
  | 'clerk_unauthorized'
  | 'clerk_unexpected_response'
  | 'invalid_id'

/**
 * A failed Clerk call with what a caller needs to react: the HTTP status (absent for network
 * failures and timeouts), Clerk's trace id, `Retry-After` seconds and how many attempts were
 * made. The message never contains anything shaped like a secret key.
 */
export class ClerkGatewayError extends Error {
  readonly code: ClerkGatewayErrorCode
  readonly status: number | undefined
  readonly clerkTraceId: string | undefined
  readonly retryAfter: number | undefined
  /** Clerk's own error codes (e.g. `resource_not_found`, `form_param_…`). */
  readonly clerkCodes: string[]
  attempts = 1

  constructor(
    code: ClerkGatewayErrorCode,
    message: string,
    details: {
      status?: number
      clerkTraceId?: string
      retryAfter?: number
      clerkCodes?: string[]
    } = {},
  ) {
    // Messages relay Clerk's own words: anything shaped like a secret key never survives them.
    super(redactText(message, []))
    this.name = 'ClerkGatewayError'
    this.code = code
    this.status = details.status
    this.clerkTraceId = details.clerkTraceId || undefined
    this.retryAfter = details.retryAfter
    this.clerkCodes = details.clerkCodes ?? []
  }

  /** Worth another attempt: rate limits, 5xx, 408, network failures and timeouts. */
  get retryable(): boolean {
    return (
      this.code === 'clerk_timeout' ||
      this.code === 'clerk_unreachable' ||
      this.code === 'clerk_rate_limited' ||
      this.code === 'clerk_unavailable'
    )
  }
}

export function codeForStatus(status: number): ClerkGatewayErrorCode {
  if (status === 429) return 'clerk_rate_limited'
  if (status === 404) return 'clerk_not_found'
  if (status === 401) return 'clerk_unauthorized'
  if (status === 408 || status >= 500) return 'clerk_unavailable'
  return 'clerk_rejected'
}

/** Describes an HTTP failure from Clerk in one sentence, with Clerk's own explanation when given. */
export function describeStatus(operation: string, status: number, clerkMessage?: string): string {
  const reason =
    status === 429
      ? 'Clerk is rate limiting requests'
      : status === 401
        ? 'Clerk rejected the secret key'
        : status >= 500
          ? `Clerk is unavailable (HTTP ${status})`
          : `Clerk answered HTTP ${status}`
  return `${operation} failed: ${reason}${clerkMessage ? `: ${clerkMessage}` : ''}.`
}

/** Turns whatever `@clerk/backend` (or `fetch`) threw into a {@link ClerkGatewayError}. */
export function toGatewayError(error: unknown, operation: string): ClerkGatewayError {
  if (error instanceof ClerkGatewayError) return error
  if (isClerkAPIResponseError(error)) {
    const clerkCodes = error.errors.map((e) => e.code)
    const clerkMessage = error.errors[0]?.longMessage ?? error.errors[0]?.message
    if (error.status === undefined) {
      // The SDK reports network failures and unparseable bodies as status-less errors.
      return new ClerkGatewayError(
        'clerk_unreachable',
        `${operation} failed: Clerk could not be reached (${clerkMessage ?? 'network error'}).`,
        {clerkTraceId: error.clerkTraceId, clerkCodes},
      )
    }
    return new ClerkGatewayError(
      codeForStatus(error.status),
      describeStatus(operation, error.status, clerkMessage),
      {
        status: error.status,
        clerkTraceId: error.clerkTraceId,
        retryAfter: error.retryAfter,
        clerkCodes,
      },
    )
  }
  const text = error instanceof Error ? error.message : String(error)
  return new ClerkGatewayError(
    'clerk_unreachable',
    `${operation} failed: Clerk could not be reached (${text}).`,
  )
}
