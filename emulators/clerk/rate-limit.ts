/**
 * Clerk's Backend API rate limits: per secret key, 100 requests per 10 s on development instances
 * (`sk_test_` keys) and 1000 per 10 s in production; and per user, 10 writes per 10 s on each of
 * `PATCH /users/{id}` and `PATCH`/`PUT /users/{id}/metadata` (Clerk's system limits page). Both
 * are token buckets that refill continuously, so bursts up to the limit pass and sustained
 * overload gets 429s. A 429 blocks only "that specific endpoint", so each user write route has
 * its own bucket per user.
 */

export interface RateLimitRule {
  requests: number
  windowMs: number
}

/** `false` disables limiting; the presets match Clerk's documented limits. */
export type RateLimitOption = false | 'development' | 'production' | RateLimitRule

export const RATE_LIMIT_PRESETS = {
  development: {requests: 100, windowMs: 10_000},
  production: {requests: 1000, windowMs: 10_000},
} as const satisfies Record<string, RateLimitRule>

/** Clerk's per-user limit on user profile and metadata writes. */
export const USER_WRITE_LIMIT: RateLimitRule = {requests: 10, windowMs: 10_000}

/** Router names of the user writes the per-user limit covers. */
const USER_WRITE_ROUTES: ReadonlySet<string> = new Set([
  'PATCH /users/:userId',
  'PATCH /users/:userId/metadata',
  'PUT /users/:userId/metadata',
])

/**
 * The per-user bucket a request draws from (the route and the user, so each endpoint blocks on
 * its own), or undefined when the per-user limit does not cover the route.
 */
export function userWriteBucket(
  routeName: string,
  params: Readonly<Record<string, string>>,
): string | undefined {
  return USER_WRITE_ROUTES.has(routeName) ? `${routeName} ${params.userId}` : undefined
}

/** The rule for an option; without one, the key decides, as in Clerk (`sk_live_` = production). */
export function resolveRateLimit(
  option: RateLimitOption | undefined,
  secretKey: string,
): RateLimitRule | undefined {
  if (option === false) return undefined
  if (option === undefined) {
    return secretKey.startsWith('sk_live_')
      ? RATE_LIMIT_PRESETS.production
      : RATE_LIMIT_PRESETS.development
  }
  if (typeof option === 'string') return RATE_LIMIT_PRESETS[option]
  if (!(option.requests > 0 && option.windowMs > 0)) {
    throw new Error('rateLimit needs positive `requests` and `windowMs`')
  }
  return option
}

export type RateLimitDecision = {allowed: true} | {allowed: false; retryAfterSeconds: number}

interface Bucket {
  tokens: number
  updatedAt: number
}

export class TokenBuckets {
  #rule: RateLimitRule | undefined
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()

  constructor(rule: RateLimitRule | undefined, now: () => number = Date.now) {
    this.#rule = rule
    this.#now = now
  }

  get rule(): RateLimitRule | undefined {
    return this.#rule
  }

  /** Changes the rule and refills every bucket. */
  configure(rule: RateLimitRule | undefined): void {
    this.#rule = rule
    this.#buckets.clear()
  }

  /** Takes one token from the key's bucket, or says how many whole seconds until one is back. */
  take(key: string): RateLimitDecision {
    const rule = this.#rule
    if (!rule) return {allowed: true}
    const now = this.#now()
    const perMs = rule.requests / rule.windowMs
    const bucket = this.#buckets.get(key) ?? {tokens: rule.requests, updatedAt: now}
    bucket.tokens = Math.min(rule.requests, bucket.tokens + (now - bucket.updatedAt) * perMs)
    bucket.updatedAt = now
    this.#buckets.set(key, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return {allowed: true}
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
    }
  }
}
