/**
 * Runs one task per key at a time, coalescing requests that arrive while it runs.
 *
 * A request for an idle key starts a run. Requests arriving while a run is in flight all share
 * ONE follow-up run, which starts after the current one settles and therefore reads the latest
 * state: a burst of N requests costs at most two runs, and no result computed from older state
 * can land after one computed from newer state.
 */
export interface KeyedCoalescer<Hint, Result> {
  /**
   * Asks for a run for `key`. `hint` reaches the run only when this request starts it (a fresh
   * run): a follow-up run always starts without one, since the state may have moved on.
   */
  run(key: string, hint?: Hint): Promise<Result>
  /** Keys with a run in flight or queued. */
  readonly activeKeys: number
}

interface Slot<Result> {
  current: Promise<Result>
  next: Promise<Result> | null
}

export function createKeyedCoalescer<Hint, Result>(
  task: (key: string, hint: Hint | undefined) => Promise<Result>,
): KeyedCoalescer<Hint, Result> {
  const slots = new Map<string, Slot<Result>>()
  const ignore = () => undefined

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
      return task(key, undefined)
    })
    return track(key, slot, promise)
  }

  return {
    run(key, hint) {
      const slot = slots.get(key)
      if (!slot) {
        // Starts synchronously, so it reads state as of this call.
        const running = (async () => task(key, hint))()
        const fresh: Slot<Result> = {current: running, next: null}
        slots.set(key, fresh)
        return track(key, fresh, running)
      }
      slot.next ??= followUp(key, slot)
      return slot.next
    },
    get activeKeys() {
      return slots.size
    },
  }
}
