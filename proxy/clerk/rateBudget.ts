/** A client-side budget of Clerk requests: `requests` per `perMs`, as Clerk limits per key. */
export interface RateBudgetOptions {
  requests: number
  perMs: number
}

/** Waits for permission to send one request; resolves in FIFO order. */
export interface RateBudget {
  acquire(): Promise<void>
}

/**
 * How much longer our window is than Clerk's: Clerk counts a request when it arrives, we count it
 * when we send it, so any 10 s of arrivals at Clerk holds requests sent over 10 s plus the most
 * one spent in flight. Up to this much in-flight skew, the budget can never exceed Clerk's limit.
 */
export const IN_FLIGHT_MARGIN_MS = 500

/**
 * Clerk's limits in full (development 100 per 10 s, production 1000 per 10 s), over a window
 * longer by {@link IN_FLIGHT_MARGIN_MS}: a margin in time rather than in count, so a reconcile
 * keeps 95% of Clerk's sustained rate (a 10% count margin kept 90%) and its first burst is whole.
 */
export function defaultRateBudgetFor(secretKey: string): RateBudgetOptions {
  return {
    requests: secretKey.startsWith('sk_live_') ? 1000 : 100,
    perMs: 10_000 + IN_FLIGHT_MARGIN_MS,
  }
}

/**
 * A sliding-window budget: at most `requests` grants in any `perMs` window, so a burst goes out
 * at once and never more than Clerk allows in any window (a token bucket would allow twice as
 * many across a window boundary). Waiters are served in arrival order.
 */
export function createRateBudget(
  options: RateBudgetOptions,
  clock: {now(): number; sleep(ms: number): Promise<void>} = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): RateBudget {
  if (!(options.requests >= 1) || !(options.perMs > 0)) {
    throw new Error(
      'sanity-plugin-clerk/proxy: the Clerk rate budget needs requests ≥ 1 and perMs > 0',
    )
  }
  // Times of the most recent grants, oldest first; never longer than `requests`.
  const granted: number[] = []
  let queue: Promise<void> = Promise.resolve()

  async function takeOne() {
    while (granted.length >= options.requests) {
      const oldest = granted[0] ?? 0
      const wait = oldest + options.perMs - clock.now()
      if (wait <= 0) granted.shift()
      else await clock.sleep(wait)
    }
    granted.push(clock.now())
  }

  return {
    acquire() {
      const turn = queue.then(takeOne)
      queue = turn
      return turn
    },
  }
}

/** What {@link createSharedRateBudget} needs from the proxy's store. */
export interface RateSlotSource {
  takeRateSlot(name: string, window: {requests: number; perMs: number}): Promise<number>
}

/**
 * The same sliding-window budget, counted in the shared store, so that N proxy instances
 * TOGETHER stay under Clerk's per-key limit (each with a budget of its own would send N times
 * too many). A caller that finds the window full waits until its oldest grant leaves it, then
 * tries again; waiters are not strictly FIFO across instances.
 */
export function createSharedRateBudget(
  store: RateSlotSource,
  options: RateBudgetOptions,
  {
    name = 'clerk',
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  } = {},
): RateBudget {
  if (!(options.requests >= 1) || !(options.perMs > 0)) {
    throw new Error(
      'sanity-plugin-clerk/proxy: the Clerk rate budget needs requests ≥ 1 and perMs > 0',
    )
  }
  return {
    async acquire() {
      for (;;) {
        const wait = await store.takeRateSlot(name, options)
        if (wait <= 0) return
        await sleep(wait)
      }
    },
  }
}

/**
 * Clerk's per-user limit on user writes (`PATCH /users/{id}` and `/users/{id}/metadata`): 10 per
 * 10 s for each user, counted with the same in-flight margin as the per-key budget. A burst of
 * changes to one person (a plan edited many times, a webhook storm) waits here instead of earning
 * 429s that would each cost a retry.
 */
export const USER_WRITE_LIMIT: RateBudgetOptions = {
  requests: 10,
  perMs: 10_000 + IN_FLIGHT_MARGIN_MS,
}

/** The write budget of one subject; the gateway asks it before every metadata write. */
export type SubjectWriteBudgets = (subjectId: string) => RateBudget

/**
 * Per-subject write budgets kept in memory, bounded: beyond `maxSubjects` the least recently
 * created budget is dropped (a subject idle that long has an empty window anyway).
 */
export function createSubjectWriteBudgets(
  options: RateBudgetOptions = USER_WRITE_LIMIT,
  {
    maxSubjects = 10_000,
    clock,
  }: {maxSubjects?: number; clock?: Parameters<typeof createRateBudget>[1]} = {},
): SubjectWriteBudgets {
  const budgets = new Map<string, RateBudget>()
  return (subjectId) => {
    let budget = budgets.get(subjectId)
    if (!budget) {
      budget = createRateBudget(options, clock)
      budgets.set(subjectId, budget)
      if (budgets.size > maxSubjects) budgets.delete(budgets.keys().next().value!)
    }
    return budget
  }
}

/** The same per-subject budgets counted in the shared store, so N instances together keep them. */
export function createSharedSubjectWriteBudgets(
  store: RateSlotSource,
  options: RateBudgetOptions = USER_WRITE_LIMIT,
): SubjectWriteBudgets {
  return (subjectId) => createSharedRateBudget(store, options, {name: `clerk-writes:${subjectId}`})
}
