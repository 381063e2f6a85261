/**
 * Runs one task per key at a time, coalescing requests, with at most `concurrency` tasks running
 * across all keys.
 *
 * A request joins the run for its key when that run has not started reading yet (it is waiting
 * for a free slot). Requests arriving once it has started all share ONE follow-up run, which
 * starts after the current one settles and therefore reads the latest state: a burst of N
 * requests for a key costs at most two runs, and no result computed from older state can land
 * after one computed from newer state.
 */
export interface KeyedCoalescer<Result> {
  /**
   * Asks for a run for `key`. Runs take no input from the request: whatever a run needs it reads
   * when it starts, so a request that joins a queued run gets a result read after it arrived.
   */
  run(key: string): Promise<Result>
  /** Keys with a run in flight or queued. */
  readonly activeKeys: number
}

interface Slot<Result> {
  current: Promise<Result>
  /** Whether the current run has begun (read state); until then new requests join it. */
  started: boolean
  next: Promise<Result> | null
}

/**
 * A counting semaphore. `acquire` returns `null` when a slot was free (so the caller goes on in
 * the same tick), else a promise that resolves, in arrival order, once one is released.
 */
function createSemaphore(limit: number) {
  let held = 0
  const waiting: Array<() => void> = []
  return {
    acquire(): Promise<void> | null {
      if (held < limit) {
        held += 1
        return null
      }
      return new Promise<void>((resolve) => waiting.push(resolve))
    },
    release(): void {
      const next = waiting.shift()
      if (next) next()
      else held -= 1
    },
  }
}

export function createKeyedCoalescer<Result>(
  task: (key: string) => Promise<Result>,
  {concurrency = Number.POSITIVE_INFINITY}: {concurrency?: number} = {},
): KeyedCoalescer<Result> {
  if (!(concurrency >= 1)) throw new Error('createKeyedCoalescer: concurrency must be at least 1')
  const slots = new Map<string, Slot<Result>>()
  const semaphore = createSemaphore(concurrency)
  const ignore = () => undefined

  async function execute(key: string, slot: Slot<Result>): Promise<Result> {
    const wait = semaphore.acquire()
    if (wait) await wait
    slot.started = true
    try {
      return await task(key)
    } finally {
      semaphore.release()
    }
  }

  function track(key: string, slot: Slot<Result>, promise: Promise<Result>): Promise<Result> {
    const release = () => {
      if (slot.current === promise && slot.next === null) slots.delete(key)
    }
    promise.then(release, release)
    return promise
  }

  function followUp(key: string, slot: Slot<Result>): Promise<Result> {
    const promise: Promise<Result> = slot.current.then(ignore, ignore).then(() => {
      slot.next = null
      slot.current = promise
      slot.started = false
      return execute(key, slot)
    })
    return track(key, slot, promise)
  }

  return {
    run(key) {
      const slot = slots.get(key)
      if (!slot) {
        const fresh: Slot<Result> = {
          current: Promise.resolve() as Promise<never>,
          started: false,
          next: null,
        }
        slots.set(key, fresh)
        fresh.current = execute(key, fresh)
        return track(key, fresh, fresh.current)
      }
      if (!slot.started && slot.next === null) return slot.current
      slot.next ??= followUp(key, slot)
      return slot.next
    },
    get activeKeys() {
      return slots.size
    },
  }
}
