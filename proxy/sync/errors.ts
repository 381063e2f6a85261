import {MetadataTooLargeError} from '../../core/access'
import type {ProxyErrorBody} from '../../core/contract'
import {ClerkGatewayError} from '../clerk/errors'

/** A failure of the sync engine that is not Clerk's: bad input, a missing subject, Sanity. */
export class SyncError extends Error {
  /**
   * For `sanity_unavailable`: Sanity's HTTP status, or 503 when it could not be reached. Named
   * like `@sanity/client`'s errors so HTTP layers that map those map this one too.
   */
  readonly statusCode: number | undefined

  constructor(
    readonly code:
      | 'invalid_id'
      | 'subject_not_found'
      | 'sanity_unavailable'
      | 'sanity_behind'
      | 'subject_busy'
      | 'store_unavailable'
      | 'internal_error',
    message: string,
    details: {statusCode?: number} = {},
  ) {
    super(message)
    this.name = 'SyncError'
    this.statusCode = details.statusCode
  }

  /** The HTTP status the proxy should answer with. */
  get status(): number {
    return SYNC_ERROR_STATUS[this.code]
  }
}

const SYNC_ERROR_STATUS: Record<SyncError['code'], number> = {
  invalid_id: 400,
  subject_not_found: 404,
  sanity_unavailable: 503,
  /** The Content Lake's query replica has not caught up with the revision the sync names. */
  sanity_behind: 503,
  /** Another instance held the subject's lease for longer than the engine waits. */
  subject_busy: 503,
  /** The shared store (Redis) could not be reached. */
  store_unavailable: 503,
  internal_error: 500,
}

/**
 * Turns anything the engine or the gateway threw into the body the proxy sends (the engine
 * wraps `@sanity/client` failures in {@link SyncError} first). Messages are written by us or by Clerk and never contain a token or key.
 */
export function toErrorBody(error: unknown): ProxyErrorBody['error'] {
  if (error instanceof ClerkGatewayError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.clerkTraceId ? {clerkTraceId: error.clerkTraceId} : {}),
      ...(error.retryAfter !== undefined ? {retryAfter: error.retryAfter} : {}),
    }
  }
  if (error instanceof MetadataTooLargeError) return {code: error.code, message: error.message}
  if (error instanceof SyncError) return {code: error.code, message: error.message}
  return {
    code: 'internal_error',
    message: `Sync failed unexpectedly: ${error instanceof Error ? error.name : 'unknown error'}.`,
  }
}

/** Failures that pass: a later attempt (Sanity's webhook retry, a re-check) can succeed. */
export const PASSING_FAILURES: ReadonlySet<string> = new Set([
  'clerk_timeout',
  'clerk_unreachable',
  'clerk_rate_limited',
  'clerk_unavailable',
  'sanity_unavailable',
  'sanity_behind',
  'subject_busy',
  'store_unavailable',
])

/** Runs a Sanity read, turning any failure into a `sanity_unavailable` {@link SyncError}. */
export async function readFromSanity<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    const status = (error as {statusCode?: unknown} | null)?.statusCode
    const detail = typeof status === 'number' ? `HTTP ${status}` : 'unreachable'
    throw new SyncError('sanity_unavailable', `Reading ${what} from Sanity failed (${detail}).`, {
      statusCode: typeof status === 'number' ? status : 503,
    })
  }
}
