import * as fc from 'fast-check'
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

describe('jsonEqual', () => {
  // Values as metadata holds them, with what JSON drops or folds (undefined members, -0, dates).
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.constantFrom(null, undefined, 0, -0, 1, '', 'pro', true, false, Number.NaN),
      fc.constant(new Date(0)),
    ),
    node: fc.oneof({depthSize: 'small'}, tie('leaf'), tie('array'), tie('object')),
    array: fc.array(tie('node'), {maxLength: 3}),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'plan', 'toJSON'), tie('node'), {maxKeys: 3}),
  })).node

  it('agrees with comparing canonical JSON', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(jsonEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b))
        expect(jsonEqual(a, structuredClone(a))).toBe(true)
      }),
      {numRuns: 3000},
    )
  })

  it('ignores key order and undefined members, not array order', () => {
    expect(jsonEqual({a: [1, 2], b: {c: 1, d: 2}}, {b: {d: 2, c: 1}, a: [1, 2]})).toBe(true)
    expect(jsonEqual({a: [1, 2]}, {a: [2, 1]})).toBe(false)
    expect(jsonEqual({a: undefined}, {a: null})).toBe(false)
    expect(jsonEqual([undefined], [null])).toBe(true)
    // A hole, which JSON writes as null.
    // eslint-disable-next-line no-sparse-arrays
    expect(jsonEqual([, 1], [2, 1])).toBe(false)
  })
})
