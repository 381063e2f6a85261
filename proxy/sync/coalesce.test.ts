import {describe, expect, it} from 'vitest'
import {createKeyedCoalescer} from './coalesce'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return {promise, resolve, reject}
}

describe('createKeyedCoalescer', () => {
  it('turns a burst for one key into one run plus one follow-up that sees the latest state', async () => {
    let state = 0
    const gates: Array<ReturnType<typeof deferred<void>>> = []
    const started: number[] = []
    const coalescer = createKeyedCoalescer<number>(async () => {
      started.push(state)
      const gate = deferred<void>()
      gates.push(gate)
      await gate.promise
      return started.at(-1) ?? -1
    })
    const first = coalescer.run('user_a')
    await Promise.resolve()
    state = 1
    const burst = Array.from({length: 50}, () => coalescer.run('user_a'))
    state = 2
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(gates).toHaveLength(1)
    gates[0]?.resolve()
    await expect(first).resolves.toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(gates).toHaveLength(2)
    gates[1]?.resolve()
    const results = await Promise.all(burst)
    expect(new Set(results)).toEqual(new Set([2]))
    expect(started).toEqual([0, 2])
    expect(coalescer.activeKeys).toBe(0)
  })

  it('hands a request that joins a queued run a result read after it arrived', async () => {
    let state = 0
    const gate = deferred<void>()
    const coalescer = createKeyedCoalescer<number>(
      async (key) => {
        if (key === 'busy') await gate.promise
        return state
      },
      {concurrency: 1},
    )
    const busy = coalescer.run('busy')
    const queued = coalescer.run('user_a')
    state = 1
    // Arrives after the change: it joins the queued run, which has not read anything yet.
    const joined = coalescer.run('user_a')
    gate.resolve()
    await busy
    expect(await joined).toBe(1)
    expect(await queued).toBe(1)
  })

  it('keeps going after a failed run and reports the failure to its callers only', async () => {
    let calls = 0
    const coalescer = createKeyedCoalescer<number>(async () => {
      calls += 1
      if (calls === 1) throw new Error('boom')
      return calls
    })
    const failing = coalescer.run('k')
    const followUp = coalescer.run('k')
    await expect(failing).rejects.toThrow('boom')
    await expect(followUp).resolves.toBe(2)
    await expect(coalescer.run('k')).resolves.toBe(3)
  })

  it('runs at most `concurrency` tasks at once, and a request joins a run still waiting for a slot', async () => {
    let running = 0
    let peak = 0
    const calls: string[] = []
    const coalescer = createKeyedCoalescer<string>(
      async (key) => {
        calls.push(key)
        running += 1
        peak = Math.max(peak, running)
        await new Promise((resolve) => setTimeout(resolve, 5))
        running -= 1
        return key
      },
      {concurrency: 2},
    )
    const keys = ['a', 'b', 'c', 'd', 'e']
    const first = keys.map((key) => coalescer.run(key))
    // c, d and e are still waiting for a slot: these requests join them instead of queueing more.
    const joined = ['c', 'd', 'e'].map((key) => coalescer.run(key))
    await Promise.all([...first, ...joined])
    expect(peak).toBe(2)
    expect(calls.sort()).toEqual(keys)
  })
})
