import {describe, expect, it, vi} from 'vitest'
import {ClerkGatewayError} from './errors'
import {callClerk, DEFAULT_RETRY_POLICY, retryDelayMs, withTimeout, type CallContext} from './retry'

function context(overrides: Partial<CallContext> = {}) {
  const delays: number[] = []
  const ctx: CallContext = {
    policy: {...DEFAULT_RETRY_POLICY, timeoutMs: 1000},
    budget: {acquire: vi.fn<() => Promise<void>>(async () => undefined)},
    sleep: async (ms) => {
      delays.push(ms)
    },
    random: () => 1,
    ...overrides,
  }
  return {ctx, delays}
}

const http = (status: number, retryAfter?: number) =>
  new ClerkGatewayError(
    status === 429 ? 'clerk_rate_limited' : status >= 500 ? 'clerk_unavailable' : 'clerk_rejected',
    `HTTP ${status}`,
    {
      status,
      retryAfter,
      clerkTraceId: 'trace_1',
    },
  )

describe('callClerk', () => {
  it('retries 429 after Retry-After and 5xx with growing backoff, then succeeds', async () => {
    const failures = [http(429, 2), http(503), http(502)]
    const attempt = vi.fn<() => Promise<string>>(async () => {
      const next = failures.shift()
      if (next) throw next
      return 'ok'
    })
    const {ctx, delays} = context()
    await expect(callClerk('Reading', ctx, attempt)).resolves.toBe('ok')
    expect(attempt).toHaveBeenCalledTimes(4)
    expect(delays).toEqual([2000, 400, 800])
    expect(ctx.budget.acquire).toHaveBeenCalledTimes(4)
  })

  it('never retries other 4xx', async () => {
    const attempt = vi.fn<() => Promise<never>>(async () => {
      throw http(422)
    })
    const {ctx} = context()
    await expect(callClerk('Writing', ctx, attempt)).rejects.toMatchObject({
      status: 422,
      attempts: 1,
    })
    expect(attempt).toHaveBeenCalledTimes(1)
  })

  it('gives up after maxRetries, reporting attempts, status and trace id', async () => {
    const {ctx} = context({policy: {...DEFAULT_RETRY_POLICY, maxRetries: 2}})
    await expect(
      callClerk('Reading', ctx, async () => {
        throw http(500)
      }),
    ).rejects.toMatchObject({
      code: 'clerk_unavailable',
      status: 500,
      clerkTraceId: 'trace_1',
      attempts: 3,
    })
  })

  it('hands a long Retry-After back to the caller instead of waiting it out', async () => {
    const {ctx, delays} = context()
    await expect(
      callClerk('Reading', ctx, async () => {
        throw http(429, 60)
      }),
    ).rejects.toMatchObject({code: 'clerk_rate_limited', retryAfter: 60})
    expect(delays).toEqual([])
  })

  it('retries network failures', async () => {
    let calls = 0
    const {ctx} = context()
    const result = await callClerk('Reading', ctx, async () => {
      if (++calls === 1) throw new TypeError('fetch failed')
      return calls
    })
    expect(result).toBe(2)
  })
})

describe('callClerk with a write whose attempt timed out', () => {
  function slowFirstAttempt(answerAfterMs: number) {
    const landed: string[] = []
    let attempts = 0
    const attempt = async () => {
      attempts += 1
      const name = `attempt ${attempts}`
      if (attempts === 1) {
        // Clerk applies the first attempt late, after the client gave up on it.
        await new Promise((resolve) => setTimeout(resolve, answerAfterMs))
      }
      landed.push(name)
      return name
    }
    return {attempt, landed}
  }

  it('returns only after the late attempt has landed, so the next write comes after it', async () => {
    const {ctx} = context({policy: {...DEFAULT_RETRY_POLICY, timeoutMs: 10}})
    const {attempt, landed} = slowFirstAttempt(60)
    await expect(callClerk('Writing', ctx, attempt, {write: true})).resolves.toBe('attempt 2')
    expect(landed).toEqual(['attempt 2', 'attempt 1'])
  })

  it('waits at most lateWriteWaitMs for an attempt that never answers', async () => {
    const {ctx} = context({
      policy: {...DEFAULT_RETRY_POLICY, timeoutMs: 10, lateWriteWaitMs: 20},
    })
    let attempts = 0
    const attempt = () =>
      ++attempts === 1 ? new Promise<string>(() => undefined) : Promise.resolve('answered')
    await expect(callClerk('Writing', ctx, attempt, {write: true})).resolves.toBe('answered')
  })

  it('does not wait for late attempts of a read', async () => {
    const {ctx} = context({policy: {...DEFAULT_RETRY_POLICY, timeoutMs: 10}})
    const {attempt, landed} = slowFirstAttempt(60)
    await expect(callClerk('Reading', ctx, attempt)).resolves.toBe('attempt 2')
    expect(landed).toEqual(['attempt 2'])
    await new Promise((resolve) => setTimeout(resolve, 80))
  })
})

describe('withTimeout', () => {
  it('rejects a hung attempt with clerk_timeout and aborts its signal', async () => {
    let seen: AbortSignal | undefined
    const hung = withTimeout('Reading', 20, (signal) => {
      seen = signal
      return new Promise<never>(() => undefined)
    })
    await expect(hung).rejects.toMatchObject({code: 'clerk_timeout'})
    expect(seen?.aborted).toBe(true)
  })

  it('does not leave a late failure unhandled', async () => {
    const unhandled = vi.fn<(reason: unknown) => void>()
    process.on('unhandledRejection', unhandled)
    const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('late')), 30))
    await expect(withTimeout('Reading', 5, () => late)).rejects.toMatchObject({
      code: 'clerk_timeout',
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
  })
})

describe('retryDelayMs', () => {
  it('caps backoff and applies jitter between half and full delay', () => {
    const policy = {...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000}
    expect(retryDelayMs(http(500), 0, policy, () => 0)).toBe(50)
    expect(retryDelayMs(http(500), 10, policy, () => 1)).toBe(1000)
    expect(retryDelayMs(http(429, 3), 0, policy, () => 1)).toBe(3000)
  })
})
