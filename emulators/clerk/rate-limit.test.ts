import {RATE_LIMIT_PRESETS, resolveRateLimit, TokenBuckets} from './rate-limit'
import {clerkError, startWithClient} from './test-support'

describe('token bucket', () => {
  it('lets a burst up to the limit through, then says when to retry, then refills', () => {
    let now = 0
    const buckets = new TokenBuckets({requests: 3, windowMs: 3000}, () => now)
    expect([1, 2, 3].map(() => buckets.take('sk_test_a').allowed)).toEqual([true, true, true])
    expect(buckets.take('sk_test_a')).toEqual({allowed: false, retryAfterSeconds: 1})
    expect(buckets.take('sk_test_b').allowed).toBe(true)
    now += 1000
    expect(buckets.take('sk_test_a').allowed).toBe(true)
    expect(buckets.take('sk_test_a').allowed).toBe(false)
  })

  it('rounds Retry-After up to whole seconds', () => {
    const buckets = new TokenBuckets({requests: 1, windowMs: 10_000}, () => 0)
    buckets.take('k')
    expect(buckets.take('k')).toEqual({allowed: false, retryAfterSeconds: 10})
  })

  it('follows Clerk: development for sk_test_, production for sk_live_, or as configured', () => {
    expect(resolveRateLimit(undefined, 'sk_test_x')).toEqual(RATE_LIMIT_PRESETS.development)
    expect(resolveRateLimit(undefined, 'sk_live_x')).toEqual(RATE_LIMIT_PRESETS.production)
    expect(resolveRateLimit('production', 'sk_test_x')?.requests).toBe(1000)
    expect(resolveRateLimit(false, 'sk_test_x')).toBeUndefined()
    expect(() => resolveRateLimit({requests: 0, windowMs: 1}, 'k')).toThrow(/positive/)
  })
})

describe('rate limiting through @clerk/backend', () => {
  it('answers 429 too_many_requests with Retry-After once the budget is spent', async () => {
    const {emulator, clerk} = await startWithClient({rateLimit: {requests: 4, windowMs: 60_000}})
    try {
      // getUserList costs two requests: the list and the count.
      await clerk.users.getUserList()
      await clerk.users.getUserList()
      const error = await clerkError(clerk.users.getCount())
      expect(error.status).toBe(429)
      expect(error.errors[0]?.code).toBe('too_many_requests')
      expect(error.retryAfter).toBe(15)
      emulator.setRateLimit(false)
      expect(await clerk.users.getCount()).toBe(0)
    } finally {
      await emulator.close()
    }
  })

  it('limits by default like a development instance', async () => {
    const {emulator, clerk} = await startWithClient({rateLimit: undefined})
    try {
      const outcomes = await Promise.allSettled(
        Array.from({length: 160}, () => clerk.users.getCount()),
      )
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected')
      // The bucket refills at 10 per second while the burst runs, so a few more than 100 pass.
      expect(outcomes.length - rejected.length).toBeGreaterThanOrEqual(100)
      expect(rejected.length).toBeGreaterThan(0)
    } finally {
      await emulator.close()
    }
  })
})
