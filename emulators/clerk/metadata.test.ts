import {
  applyMetadataUpdate,
  assertMetadataSize,
  deepMerge,
  DEFAULT_METADATA_LIMIT,
} from './metadata'

describe('deepMerge (metadata PATCH)', () => {
  it('merges nested objects and deletes keys set to null at any depth', () => {
    const target = {a: 1, b: {c: 2, d: {e: 3, f: 4}}, g: 5}
    expect(deepMerge(target, {b: {d: {e: null, x: 9}}, g: null, h: {i: null, j: 1}})).toEqual({
      a: 1,
      b: {c: 2, d: {f: 4, x: 9}},
      h: {j: 1},
    })
  })

  it('replaces arrays and scalars, and objects that replace scalars', () => {
    expect(deepMerge({list: [1, 2], n: 1, s: 'x'}, {list: [3], n: {deep: true}, s: 2})).toEqual({
      list: [3],
      n: {deep: true},
      s: 2,
    })
  })

  it('never modifies its inputs', () => {
    const target = {a: {b: 1}}
    const patch = {a: {b: null, c: 2}}
    deepMerge(target, patch)
    expect(target).toEqual({a: {b: 1}})
    expect(patch).toEqual({a: {b: null, c: 2}})
  })
})

describe('applyMetadataUpdate', () => {
  it('handles each supplied field on its own and leaves omitted ones', () => {
    const current = {public_metadata: {a: 1}, private_metadata: {p: 1}}
    expect(applyMetadataUpdate(current, {public_metadata: {b: 2}}, 'merge')).toEqual({
      public_metadata: {a: 1, b: 2},
      private_metadata: {p: 1},
    })
    expect(applyMetadataUpdate(current, {public_metadata: {b: 2}}, 'replace')).toEqual({
      public_metadata: {b: 2},
      private_metadata: {p: 1},
    })
  })
})

describe('assertMetadataSize', () => {
  it('counts all fields together', () => {
    const half = {blob: 'x'.repeat(4100)}
    expect(() => assertMetadataSize({public_metadata: half}, DEFAULT_METADATA_LIMIT)).not.toThrow()
    expect(() =>
      assertMetadataSize({public_metadata: half, private_metadata: half}, DEFAULT_METADATA_LIMIT),
    ).toThrow(DEFAULT_METADATA_LIMIT.message)
  })
})
