import {ClerkGatewayError, toGatewayError} from './errors'
import type {RateBudget} from './rateBudget'

/** How long to wait for Clerk and how to retry. Every field has a default in the gateway. */
export interface RetryPolicy {
  /** Upper bound for one attempt; the SDK has none. */
  timeoutMs: number
  /** Retries after the first attempt (429, 5xx, 408, network errors, timeouts only). */
  maxRetries: number
  /** First backoff delay; doubles per retry, with jitter. */
  baseDelayMs: number
  /** Cap of one backoff delay. */
  maxDelayMs: number
  /** A `Retry-After` longer than this is not waited out: the error goes back to the caller. */
  maxRetryAfterMs: number
  /**
   * Upper bound on how long a write waits, before it returns, for the answers of its attempts
   * that timed out. Clerk may still apply such an attempt; waiting for it keeps it from landing
   * after (and undoing) the next write to the same subject.
   */
  lateWriteWaitMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 10_000,
  maxRetries: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 15_000,
  lateWriteWaitMs: 10_000,
}

/** What {@link callClerk} needs besides the request itself (injectable for tests). */
export interface CallContext {
  policy: RetryPolicy
  budget: RateBudget
  sleep(ms: number): Promise<void>
  random(): number
}

/**
 * Races one attempt against a timer. The attempt gets an `AbortSignal` it may honour (our own
 * `fetch` calls do; the SDK cannot take one), the timer is always cleared, and an attempt that
 * loses the race is observed so its late failure never becomes an unhandled rejection.
 */
export async function withTimeout<T>(
  operation: string,
  timeoutMs: number,
  attempt: (signal: AbortSignal) => Promise<T>,
  onAbandoned?: (late: Promise<unknown>) => void,
): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: Promise<T> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      if (pending) onAbandoned?.(pending)
      reject(
        new ClerkGatewayError(
          'clerk_timeout',
          `${operation} failed: Clerk did not answer within ${timeoutMs} ms.`,
        ),
      )
    }, timeoutMs)
  })
  pending = attempt(controller.signal)
  pending.catch(() => undefined)
  try {
    return await Promise.race([pending, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Delay before retry number `retry` (0-based): `Retry-After` when Clerk sent one, else backoff. */
export function retryDelayMs(
  error: ClerkGatewayError,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry)
  const jittered = exponential * (0.5 + random() / 2)
  const retryAfterMs = (error.retryAfter ?? 0) * 1000
  return Math.max(retryAfterMs, jittered)
}

/** Waits until every late attempt has answered, or `limitMs` has passed. */
async function awaitLateAnswers(late: Array<Promise<unknown>>, limitMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([
    Promise.allSettled(late),
    new Promise((resolve) => (timer = setTimeout(resolve, limitMs))),
  ])
  clearTimeout(timer)
}

/**
 * One logical Clerk call: waits for the rate budget before every attempt, bounds each attempt
 * with a timeout, and retries only what is worth retrying. Throws {@link ClerkGatewayError}.
 *
 * A `write` does not return while one of its timed-out attempts may still be applied (up to
 * `lateWriteWaitMs`): the SDK cannot cancel a request, so without this wait a slow first attempt
 * could land after the next write to the subject and bring back access that was revoked.
 */
export async function callClerk<T>(
  operation: string,
  context: CallContext,
  attempt: (signal: AbortSignal) => Promise<T>,
  {write = false}: {write?: boolean} = {},
): Promise<T> {
  const {policy} = context
  const late: Array<Promise<unknown>> = []
  const onAbandoned = write ? (pending: Promise<unknown>) => late.push(pending) : undefined
  try {
    for (let retry = 0; ; retry++) {
      await context.budget.acquire()
      try {
        return await withTimeout(operation, policy.timeoutMs, attempt, onAbandoned)
      } catch (thrown) {
        const error = toGatewayError(thrown, operation)
        error.attempts = retry + 1
        if (!error.retryable || retry >= policy.maxRetries) throw error
        if ((error.retryAfter ?? 0) * 1000 > policy.maxRetryAfterMs) throw error
        await context.sleep(retryDelayMs(error, retry, policy, context.random))
      }
    }
  } finally {
    if (late.length > 0) await awaitLateAnswers(late, policy.lateWriteWaitMs)
  }
}
