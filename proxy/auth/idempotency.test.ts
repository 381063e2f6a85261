import {describe, expect, it} from 'vitest'

import {createMemoryIdempotencyStore} from './idempotency'

describe('createMemoryIdempotencyStore', () => {
  it('claims a key once within its lifetime and again after it expires', () => {
    let clock = 0
    const store = createMemoryIdempotencyStore({now: () => clock})
    expect(store.claim('delivery-1', 1_000)).toBe(true)
    expect(store.claim('delivery-1', 1_000)).toBe(false)
    expect(store.claim('delivery-2', 1_000)).toBe(true)
    clock = 1_001
    expect(store.claim('delivery-1', 1_000)).toBe(true)
  })

  it('forgets a released key so a failed delivery can be retried', () => {
    const store = createMemoryIdempotencyStore()
    store.claim('delivery', 60_000)
    store.release('delivery')
    expect(store.claim('delivery', 60_000)).toBe(true)
  })

  it('stays bounded, dropping the oldest keys first', () => {
    const store = createMemoryIdempotencyStore({maxEntries: 3})
    for (const key of ['a', 'b', 'c', 'd']) expect(store.claim(key, 60_000)).toBe(true)
    expect(store.claim('a', 60_000)).toBe(true)
    expect(store.claim('d', 60_000)).toBe(false)
  })
})
