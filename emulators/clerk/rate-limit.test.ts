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

describe('per-user limit on user writes, through @clerk/backend', () => {
  it('allows 10 writes per 10 s per user and endpoint, then 429 with Retry-After', async () => {
    let now = 1_000_000
    const {emulator, clerk} = await startWithClient({rateLimit: 'development', now: () => now})
    try {
      const ada = emulator.store.createUser({email_address: ['ada@example.com']})
      const bob = emulator.store.createUser({email_address: ['bob@example.com']})
      for (let write = 1; write <= 10; write++) {
        await clerk.users.updateUserMetadata(ada.id, {publicMetadata: {write}})
      }
      const error = await clerkError(clerk.users.updateUserMetadata(ada.id, {publicMetadata: {}}))
      expect(error.status).toBe(429)
      expect(error.errors[0]?.code).toBe('too_many_requests')
      expect(error.retryAfter).toBe(1)
      expect(emulator.store.getUser(ada.id)?.public_metadata).toEqual({write: 10})

      // Another user, and another endpoint of the same user, have their own buckets.
      await clerk.users.updateUserMetadata(bob.id, {publicMetadata: {write: 1}})
      await clerk.users.replaceUserMetadata(ada.id, {privateMetadata: {replaced: true}})
      await clerk.users.updateUser(ada.id, {firstName: 'Ada'})
      // Reads are not covered.
      await clerk.users.getUser(ada.id)

      now += 1000
      await clerk.users.updateUserMetadata(ada.id, {publicMetadata: {write: 11}})
      expect((await clerkError(clerk.users.updateUserMetadata(ada.id, {}))).status).toBe(429)
    } finally {
      await emulator.close()
    }
  })

  it('is lifted with rateLimit false and can be configured on its own', async () => {
    const {emulator, clerk} = await startWithClient({
      rateLimit: 'development',
      userWriteLimit: {requests: 2, windowMs: 60_000},
      now: () => 0,
    })
    try {
      const user = emulator.store.createUser({})
      await clerk.users.updateUser(user.id, {firstName: 'A'})
      await clerk.users.updateUser(user.id, {firstName: 'B'})
      const error = await clerkError(clerk.users.updateUser(user.id, {firstName: 'C'}))
      expect(error.retryAfter).toBe(30)
      emulator.setRateLimit(false)
      await clerk.users.updateUser(user.id, {firstName: 'C'})
      expect(emulator.store.getUser(user.id)?.first_name).toBe('C')
    } finally {
      await emulator.close()
    }
  })
})
