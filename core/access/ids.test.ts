import {describe, expect, it} from 'vitest'
import {
  isClerkOrganizationId,
  isClerkUserId,
  isPublishedId,
  normalizeEmail,
  subjectKind,
} from './ids'

describe('subject ids', () => {
  it('accepts Clerk ids and rejects anything that could escape a URL path', () => {
    expect(isClerkUserId('user_2xtKOmOKFZcYQ8kBGzxhPlrgBJv')).toBe(true)
    expect(isClerkOrganizationId('org_2xtKOmOKFZ')).toBe(true)
    for (const bad of ['user_', 'user_a/b', 'user_a b', 'user_../x', 'USER_a', 'org_a', 42, null]) {
      expect(isClerkUserId(bad)).toBe(false)
    }
    expect(isClerkOrganizationId('user_a')).toBe(false)
  })

  it('refuses ids far longer than any Clerk id', () => {
    expect(isClerkUserId(`user_${'a'.repeat(64)}`)).toBe(true)
    expect(isClerkUserId(`user_${'a'.repeat(65)}`)).toBe(false)
    expect(subjectKind(`org_${'a'.repeat(5000)}`)).toBeNull()
  })

  it('names the kind of a subject', () => {
    expect(subjectKind('user_a1')).toBe('user')
    expect(subjectKind('org_a1')).toBe('organization')
    expect(subjectKind('orgmem_a1')).toBeNull()
  })

  it('tells published ids from drafts and versions', () => {
    expect(isPublishedId('abc')).toBe(true)
    expect(isPublishedId('drafts.abc')).toBe(false)
    expect(isPublishedId('versions.rel.abc')).toBe(false)
    expect(isPublishedId('')).toBe(false)
  })
})

describe('normalizeEmail', () => {
  it('trims and lowercases addresses and refuses anything else', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com')
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'a b@example.com', 'ada@example', 7]) {
      expect(normalizeEmail(bad)).toBeNull()
    }
    expect(normalizeEmail(`${'a'.repeat(250)}@x.io`)).toBeNull()
  })
})
