import {describe, expect, it} from 'vitest'
import {resolveAccessRules} from './rules'
import {MetadataTooLargeError, checkWritableSize, measureMetadataSize} from './size'

const rules = resolveAccessRules({sessionBudgetBytes: 50, limitBytes: 100})

describe('measureMetadataSize', () => {
  it('counts UTF-8 bytes of all three metadata fields, and public separately', () => {
    const size = measureMetadataSize({publicMetadata: {k: 'é'}, privateMetadata: {p: 1}}, rules)
    expect(size.publicBytes).toBe('{"k":"é"}'.length + 1)
    expect(size.bytes).toBe(size.publicBytes! + '{"p":1}'.length + '{}'.length)
    expect(size.overBudget).toBe(false)
    expect(size.overLimit).toBe(false)
  })

  it('flags the session budget on public metadata and the limit on the total', () => {
    const overBudget = measureMetadataSize({publicMetadata: {k: 'x'.repeat(60)}}, rules)
    expect(overBudget.overBudget).toBe(true)
    expect(overBudget.overLimit).toBe(false)
    const overLimit = measureMetadataSize({privateMetadata: {k: 'x'.repeat(120)}}, rules)
    expect(overLimit.overBudget).toBe(false)
    expect(overLimit.overLimit).toBe(true)
  })
})

describe('checkWritableSize', () => {
  const small = measureMetadataSize({}, rules)
  const big = measureMetadataSize({publicMetadata: {k: 'x'.repeat(120)}}, rules)
  const bigger = measureMetadataSize({publicMetadata: {k: 'x'.repeat(130)}}, rules)

  it('refuses a write that grows metadata past the limit, naming subject and size', () => {
    expect(() => checkWritableSize('user_a', small, big)).toThrow(MetadataTooLargeError)
    expect(() => checkWritableSize('user_a', small, big)).toThrow(/user_a.*\d+ bytes/)
    expect(() => checkWritableSize('user_a', big, bigger)).toThrow(MetadataTooLargeError)
  })

  it('never blocks a write that shrinks metadata, such as a revocation', () => {
    expect(checkWritableSize('user_a', bigger, big)).toBe(big)
    expect(checkWritableSize('user_a', big, small)).toBe(small)
  })
})
