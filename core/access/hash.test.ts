import {describe, expect, it} from 'vitest'
import {canonicalJson, contentHash, jsonEqual} from './hash'

describe('canonicalJson and contentHash', () => {
  it('ignores object key order at every depth but not array order', () => {
    expect(canonicalJson({b: 1, a: {d: 2, c: [3, 1]}})).toBe('{"a":{"c":[3,1],"d":2},"b":1}')
    expect(contentHash({b: 1, a: 2})).toBe(contentHash({a: 2, b: 1}))
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]))
    expect(jsonEqual({a: undefined, b: 1}, {b: 1})).toBe(true)
  })

  it('gives 14 hex digits and separates near-identical inputs', () => {
    const hashes = new Set(['pro', 'prp', 'Pro', 'pro ', ''].map((s) => contentHash({plan: s})))
    expect(hashes.size).toBe(5)
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{14}$/)
  })
})
