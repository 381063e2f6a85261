import {describe, expect, it} from 'vitest'
import {createRateBudget, defaultRateBudgetFor} from './rateBudget'

function fakeClock() {
  const clock = {
    time: 0,
    slept: [] as number[],
    now: () => clock.time,
    async sleep(ms: number) {
      clock.slept.push(ms)
      clock.time += ms
    },
  }
  return clock
}

describe('createRateBudget', () => {
  it('lets a full budget out at once, then waits for the window to slide', async () => {
    const clock = fakeClock()
    const budget = createRateBudget({requests: 3, perMs: 300}, clock)
    for (let i = 0; i < 3; i++) await budget.acquire()
    expect(clock.time).toBe(0)
    await budget.acquire()
    expect(clock.time).toBe(300)
  })

  it('never grants more than the budget in any window, whatever the concurrency', async () => {
    const clock = fakeClock()
    const budget = createRateBudget({requests: 5, perMs: 1000}, clock)
    const grantedAt: number[] = []
    await Promise.all(
      Array.from({length: 23}, () => budget.acquire().then(() => grantedAt.push(clock.time))),
    )
    expect(grantedAt).toHaveLength(23)
    for (const start of grantedAt) {
      expect(grantedAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(
        5 + 1,
      )
    }
    expect(Math.max(...grantedAt)).toBe(4000)
  })

  it('rejects a budget that could never grant', () => {
    expect(() => createRateBudget({requests: 0, perMs: 1000})).toThrow(/rate budget/)
  })

  it('stays under Clerk limits for the key kind', () => {
    expect(defaultRateBudgetFor('sk_live_x')).toEqual({requests: 900, perMs: 10_000})
    expect(defaultRateBudgetFor('sk_test_x')).toEqual({requests: 90, perMs: 10_000})
  })
})
