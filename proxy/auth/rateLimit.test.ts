import {describe, expect, it} from 'vitest'

import {createRateLimiter} from './rateLimit'

describe('createRateLimiter', () => {
  it('allows a burst of `requests`, then refuses with the seconds until the next token', () => {
    let clock = 0
    const limiter = createRateLimiter({requests: 3, windowMs: 3_000}, () => clock)
    const decisions = Array.from({length: 4}, () => limiter.take('pEditor'))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false])
    expect(decisions[3]).toEqual({allowed: false, retryAfterSeconds: 1})
    clock = 1_000
    expect(limiter.take('pEditor').allowed).toBe(true)
    expect(limiter.take('pEditor').allowed).toBe(false)
  })

  it('keeps one bucket per caller', () => {
    const limiter = createRateLimiter({requests: 1, windowMs: 60_000}, () => 0)
    expect(limiter.take('a').allowed).toBe(true)
    expect(limiter.take('a').allowed).toBe(false)
    expect(limiter.take('b').allowed).toBe(true)
  })
})
