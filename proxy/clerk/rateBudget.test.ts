import {describe, expect, it} from 'vitest'
import {
  createRateBudget,
  createSubjectWriteBudgets,
  defaultRateBudgetFor,
  USER_WRITE_LIMIT,
} from './rateBudget'

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

  it("stays under Clerk's limits for the key kind, over a longer window", () => {
    expect(defaultRateBudgetFor('sk_live_x')).toEqual({requests: 1000, perMs: 10_500})
    expect(defaultRateBudgetFor('sk_test_x')).toEqual({requests: 100, perMs: 10_500})
  })

  it('never lets Clerk see more than its limit in any 10 s, for requests up to 500 ms in flight', async () => {
    let clock = 0
    const budget = createRateBudget(defaultRateBudgetFor('sk_test_x'), {
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    })
    // Sent back to back, 100 at a time; each burst's requests spend 500 ms in flight and the next
    // burst's none (the worst case for a window counted on the sender's clock), and so on.
    const arrivals: number[] = []
    for (let request = 0; request < 350; request++) {
      await budget.acquire()
      arrivals.push(clock + (Math.floor(request / 100) % 2 === 0 ? 500 : 0))
    }
    arrivals.sort((a, b) => a - b)
    const busiest = Math.max(
      ...arrivals.map(
        (start) => arrivals.filter((at) => at >= start && at < start + 10_000).length,
      ),
    )
    expect(busiest).toBeLessThanOrEqual(100)
  })
})

describe('createSubjectWriteBudgets', () => {
  it("keeps each user under Clerk's 10 writes per 10 s, and one busy user never slows another", async () => {
    const clock = fakeClock()
    const budgets = createSubjectWriteBudgets(USER_WRITE_LIMIT, {clock})
    for (let write = 0; write < 10; write++) await budgets('user_busy').acquire()
    expect(clock.time).toBe(0)
    await budgets('user_quiet').acquire()
    expect(clock.time).toBe(0)
    await budgets('user_busy').acquire()
    expect(clock.time).toBe(USER_WRITE_LIMIT.perMs)
  })

  it('forgets the least recently created budget beyond its bound', async () => {
    const clock = fakeClock()
    const budgets = createSubjectWriteBudgets({requests: 1, perMs: 1000}, {maxSubjects: 1, clock})
    await budgets('user_a').acquire()
    await budgets('user_b').acquire()
    await budgets('user_a').acquire()
    expect(clock.time).toBe(0)
  })
})
