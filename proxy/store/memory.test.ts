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
