import {expect, it} from 'vitest'

import {describeStoreContract} from './contract'
import {createMemoryStore} from './memory'

describeStoreContract('memory', async () => {
  let clock = 1_000_000
  return {
    store: createMemoryStore({now: () => clock}),
    advance: async (ms) => void (clock += ms),
  }
})

it('stays bounded: the oldest claims go first', async () => {
  const store = createMemoryStore({maxEntries: 3})
  for (const key of ['a', 'b', 'c', 'd']) expect(await store.claim(key, 60_000)).toBe('claimed')
  expect(await store.claim('a', 60_000)).toBe('claimed')
  expect(await store.claim('d', 60_000)).toBe('running')
})

it('never repeats a token after a restart: a new store starts from its clock', async () => {
  let clock = 1_000_000
  const before = createMemoryStore({now: () => clock})
  let last = 0
  for (let grant = 0; grant < 3; grant++) {
    const lease = (await before.acquireLease('subject:user_1', 10))!
    last = lease.token
    await before.releaseLease(lease)
  }
  clock += 1
  const restarted = createMemoryStore({now: () => clock})
  expect((await restarted.acquireLease('subject:user_1', 10))!.token).toBeGreaterThan(last)
})
