/** At most `requests` per `windowMs` for each caller; `false` switches the limit off. */
export interface RateLimitOptions {
  requests: number
  windowMs: number
  /**
   * Callers tracked at once (default 10 000). The least recently seen are forgotten first, which
   * can only make the limit more lenient for them: size it above your number of active callers.
   */
  trackedCallers?: number
}

export type RateLimitDecision = {allowed: true} | {allowed: false; retryAfterSeconds: number}

export interface RateLimiter {
  take(key: string): RateLimitDecision
}

export const DEFAULT_TRACKED_CALLERS = 10_000

/**
 * A token bucket per caller (refilling continuously, bursting up to `requests`). Callers are
 * tracked in a bounded map: the least recently seen are forgotten first, which can only make the
 * limit more lenient for them.
 */
export function createRateLimiter(
  {requests, windowMs, trackedCallers = DEFAULT_TRACKED_CALLERS}: RateLimitOptions,
  now: () => number = Date.now,
): RateLimiter {
  const refillPerMs = requests / windowMs
  const buckets = new Map<string, {tokens: number; updatedAt: number}>()
  return {
    take(key) {
      const at = now()
      const bucket = buckets.get(key) ?? {tokens: requests, updatedAt: at}
      bucket.tokens = Math.min(requests, bucket.tokens + (at - bucket.updatedAt) * refillPerMs)
      bucket.updatedAt = at
      buckets.delete(key)
      buckets.set(key, bucket)
      if (buckets.size > trackedCallers) buckets.delete(buckets.keys().next().value!)
      if (bucket.tokens < 1) {
        return {
          allowed: false,
          retryAfterSeconds: Math.ceil((1 - bucket.tokens) / refillPerMs / 1000),
        }
      }
      bucket.tokens -= 1
      return {allowed: true}
    },
  }
}
