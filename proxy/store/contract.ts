/**
 * The behaviour every {@link ProxyStore} must have, as one suite both implementations run
 * (`memory.test.ts` on a fake clock, `redis.test.ts` against a real redis-server). Test support
 * only; never imported by the proxy itself.
 */
import {describe, expect, it} from 'vitest'

import type {ProxyStore} from './types'

export interface StoreUnderTest {
  store: ProxyStore
  /** Lets `ms` pass on the store's clock (a fake clock moves; a real one is waited for). */
  advance(ms: number): Promise<void>
}

/** Registers the shared contract suite; `open` gives a fresh, empty store for each test. */
export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>) {
  describe(`${name}: the ProxyStore contract`, () => {
    it('claims a key once; a running claim is neither done nor lost', async () => {
      const {store} = await open()
      expect(await store.claim('delivery', 60_000)).toBe('claimed')
      expect(await store.claim('delivery', 60_000)).toBe('running')
      await store.complete('delivery', 60_000)
      expect(await store.claim('delivery', 60_000)).toBe('done')
      expect(await store.claim('other', 60_000)).toBe('claimed')
    })

    it('passes a released claim, and an expired running claim, to the next caller', async () => {
      const {store, advance} = await open()
      await store.claim('failed', 60_000)
      await store.release('failed')
      expect(await store.claim('failed', 60_000)).toBe('claimed')
      await store.claim('crashed', 40)
      await advance(80)
      expect(await store.claim('crashed', 60_000)).toBe('claimed')
      await store.complete('crashed', 60_000)
      await store.release('crashed')
      expect(await store.claim('crashed', 60_000)).toBe('done')
    })

    it('grants a lease to one holder at a time, with growing fencing tokens', async () => {
      const {store, advance} = await open()
      const first = await store.acquireLease('subject:user_1', 60_000)
      expect(first).not.toBeNull()
      expect(await store.acquireLease('subject:user_1', 60_000)).toBeNull()
      expect(await store.acquireLease('subject:user_2', 60_000)).not.toBeNull()
      await store.releaseLease(first!)
      const second = await store.acquireLease('subject:user_1', 40)
      expect(second!.token).toBeGreaterThan(first!.token)
      // A holder whose lease expired can neither renew nor release its successor's.
      await advance(80)
      const third = await store.acquireLease('subject:user_1', 60_000)
      expect(third!.token).toBeGreaterThan(second!.token)
      expect(await store.renewLease(second!, 60_000)).toBe(false)
      await store.releaseLease(second!)
      expect(await store.acquireLease('subject:user_1', 60_000)).toBeNull()
      expect(await store.renewLease(third!, 60_000)).toBe(true)
    })

    it('names the grant before each lease, and none before the first', async () => {
      const {store} = await open()
      const first = await store.acquireLease('subject:user_1', 60_000)
      expect(first!.previousToken).toBeNull()
      await store.releaseLease(first!)
      const second = await store.acquireLease('subject:user_1', 60_000)
      expect(second!.previousToken).toBe(first!.token)
      expect(second!.token).toBe(first!.token + 1)
      expect((await store.acquireLease('subject:user_2', 60_000))!.previousToken).toBeNull()
    })

    it('moves a cursor only from the value the caller read', async () => {
      const {store} = await open()
      expect(await store.readCursor('sweep')).toBeNull()
      expect(await store.advanceCursor('sweep', null, 'a')).toBe(true)
      expect(await store.advanceCursor('sweep', null, 'b')).toBe(false)
      expect(await store.advanceCursor('sweep', 'a', 'b')).toBe(true)
      expect(await store.readCursor('sweep')).toBe('b')
    })

    it('grants at most `requests` per window and says how long to wait', async () => {
      const {store, advance} = await open()
      const window = {requests: 3, perMs: 60}
      const taken = [1, 2, 3, 4].map(() => store.takeRateSlot('clerk', window))
      const waits = await Promise.all(taken)
      expect(waits.filter((wait) => wait === 0)).toHaveLength(3)
      expect(waits[3]).toBeGreaterThan(0)
      expect(waits[3]).toBeLessThanOrEqual(60)
      await advance(90)
      expect(await store.takeRateSlot('clerk', window)).toBe(0)
    })

    it('hands out due members once, earliest first; a later due time wins', async () => {
      const {store} = await open()
      const now = await store.now()
      await store.schedule('recheck', 'user_b', now - 10)
      await store.schedule('recheck', 'user_a', now - 20)
      await store.schedule('recheck', 'user_c', now - 5)
      await store.schedule('recheck', 'user_c', now + 60_000)
      await store.schedule('recheck', 'user_c', now - 5)
      expect(await store.takeDue('recheck', now, 10)).toEqual(['user_a', 'user_b'])
      expect(await store.takeDue('recheck', now, 10)).toEqual([])
      expect(await store.takeDue('recheck', now + 60_000, 1)).toEqual(['user_c'])
    })

    it('remembers values until they expire', async () => {
      const {store, advance} = await open()
      await store.remember('witness:user_1', '{"rev":"r1"}', 40)
      await store.remember('witness:user_2', 'two', 60_000)
      expect(await store.recall(['witness:user_1', 'witness:user_2', 'none'])).toEqual([
        '{"rev":"r1"}',
        'two',
        null,
      ])
      await advance(80)
      expect(await store.recall(['witness:user_1', 'witness:user_2'])).toEqual([null, 'two'])
    })
  })
}
