import {describe, expect, it} from 'vitest'
import {
  ACCESS_RULES_VERSION,
  accessHash,
  computeAccess,
  isActiveAt,
  ownedKeys,
  resolveAccessRules,
} from './rules'
import type {EntitlementInput} from './types'

const rules = resolveAccessRules()
const now = new Date('2026-06-01T12:00:00.000Z')
const user = 'user_abc'

function entitlement(overrides: Partial<EntitlementInput> & {_id: string}): EntitlementInput {
  return {clerkUserId: user, ...overrides}
}
const course = (slug: string | null, _id = `course-${slug}`) => ({_id, _type: 'course', slug})

describe('resolveAccessRules', () => {
  it('defaults to courses written to courseSlugs at the top level', () => {
    expect(rules.grantableTypes).toEqual([
      {type: 'course', slugField: 'slug', metadataKey: 'courseSlugs'},
    ])
    expect(rules.namespace).toBeNull()
    expect(ownedKeys(rules)).toEqual(['courseSlugs', 'plan', 'role'])
  })

  it('derives metadata keys per grantable type and rejects clashes and bad names', () => {
    const custom = resolveAccessRules({
      grantableTypes: [{type: 'cohort'}, {type: 'lesson', metadataKey: 'lessons'}],
    })
    expect(ownedKeys(custom)).toEqual(['cohortSlugs', 'lessons', 'plan', 'role'])
    expect(() => resolveAccessRules({grantableTypes: [{type: 'x', metadataKey: 'plan'}]})).toThrow(
      /grantableTypes\[0\]\.metadataKey/,
    )
    expect(() =>
      resolveAccessRules({grantableTypes: [{type: 'a'}, {type: 'b', metadataKey: 'aSlugs'}]}),
    ).toThrow(/already used/)
    expect(() =>
      resolveAccessRules({grantableTypes: [{type: 'course', slugField: 'slug.current'}]}),
    ).toThrow(/slugField/)
    expect(() => resolveAccessRules({namespace: 'a.b'})).toThrow(/namespace/)
    expect(() => resolveAccessRules({limitBytes: 0})).toThrow(/limitBytes/)
  })
})

describe('isActiveAt', () => {
  it('includes validFrom and excludes validUntil at the exact instant', () => {
    const at = now.toISOString()
    expect(isActiveAt({validFrom: at}, now)).toBe(true)
    expect(isActiveAt({validUntil: at}, now)).toBe(false)
    expect(isActiveAt({validUntil: new Date(now.getTime() + 1).toISOString()}, now)).toBe(true)
    expect(isActiveAt({validFrom: new Date(now.getTime() + 1).toISOString()}, now)).toBe(false)
    expect(isActiveAt({}, now)).toBe(true)
  })

  it('fails closed on unparseable dates', () => {
    expect(isActiveAt({validUntil: 'next tuesday'}, now)).toBe(false)
    expect(isActiveAt({validFrom: 'soon'}, now)).toBe(false)
  })
})

describe('computeAccess', () => {
  it('merges entitlements: highest plan and role win, slugs are a sorted de-duplicated union', () => {
    const result = computeAccess(
      [
        entitlement({
          _id: 'e1',
          plan: {key: 'basic', rank: 1},
          role: {key: 'admin', rank: 9},
          grants: [course('b'), course('a')],
        }),
        entitlement({
          _id: 'e2',
          plan: {key: 'pro', rank: 5},
          role: {key: 'viewer', rank: 1},
          grants: [course('c'), course('a')],
        }),
      ],
      rules,
      {now, subject: user},
    )
    expect(result.metadata).toEqual({courseSlugs: ['a', 'b', 'c'], plan: 'pro', role: 'admin'})
    expect(Object.keys(result.metadata)).toEqual(['courseSlugs', 'plan', 'role'])
    expect(result.version).toBe(ACCESS_RULES_VERSION)
    expect(result.sources.map((s) => [s.entitlementId, s.active, s.grants])).toEqual([
      ['e1', true, {courseSlugs: ['a', 'b']}],
      ['e2', true, {courseSlugs: ['a', 'c']}],
    ])
  })

  it('breaks rank ties by key so the input order never matters', () => {
    const a = entitlement({_id: 'e1', plan: {key: 'team', rank: 3}})
    const b = entitlement({_id: 'e2', plan: {key: 'gold', rank: 3}})
    const forward = computeAccess([a, b], rules, {now})
    const backward = computeAccess([b, a], rules, {now})
    expect(forward.metadata).toEqual({plan: 'gold'})
    expect(backward).toEqual(forward)
  })

  it('treats a missing rank as 0 and a plan without key as no plan', () => {
    const result = computeAccess(
      [
        entitlement({_id: 'e1', plan: {key: 'free'}}),
        entitlement({_id: 'e2', plan: {key: 'minus', rank: -1}}),
        entitlement({_id: 'e3', plan: {key: null, rank: 100}}),
        entitlement({_id: 'e4', plan: null}),
      ],
      rules,
      {now},
    )
    expect(result.metadata).toEqual({plan: 'free'})
  })

  it('leaves keys out when nothing grants them', () => {
    const result = computeAccess([entitlement({_id: 'e1', grants: []})], rules, {now})
    expect(result.metadata).toEqual({})
    expect(computeAccess([], rules, {now}).metadata).toEqual({})
  })

  it('ignores drafts and versions even when passed in', () => {
    const result = computeAccess(
      [
        entitlement({_id: 'drafts.e1', plan: {key: 'pro', rank: 9}}),
        entitlement({_id: 'versions.r1.e1', plan: {key: 'max', rank: 10}}),
        entitlement({
          _id: 'e1',
          plan: {key: 'basic', rank: 1},
          grants: [course('x', 'drafts.c1'), null, course('y')],
        }),
      ],
      rules,
      {now},
    )
    expect(result.metadata).toEqual({courseSlugs: ['y'], plan: 'basic'})
    expect(result.sources.map((s) => s.entitlementId)).toEqual(['e1'])
  })

  it('grants nothing outside the validity window but still reports the source', () => {
    const result = computeAccess(
      [
        entitlement({_id: 'expired', plan: {key: 'pro', rank: 5}, validUntil: now.toISOString()}),
        entitlement({
          _id: 'future',
          plan: {key: 'max', rank: 9},
          validFrom: '2027-01-01T00:00:00Z',
        }),
        entitlement({_id: 'current', plan: {key: 'basic', rank: 1}, validFrom: now.toISOString()}),
      ],
      rules,
      {now},
    )
    expect(result.metadata).toEqual({plan: 'basic'})
    expect(result.sources.map((s) => [s.entitlementId, s.active])).toEqual([
      ['current', true],
      ['expired', false],
      ['future', false],
    ])
  })

  it('ignores entitlements of another subject or naming both or no subject', () => {
    const result = computeAccess(
      [
        entitlement({_id: 'other', clerkUserId: 'user_other', plan: {key: 'pro', rank: 5}}),
        entitlement({_id: 'both', clerkOrganizationId: 'org_1', plan: {key: 'max', rank: 9}}),
        {_id: 'none', plan: {key: 'team', rank: 7}},
        entitlement({_id: 'mine', role: {key: 'editor', rank: 1}}),
      ],
      rules,
      {now, subject: user},
    )
    expect(result.metadata).toEqual({role: 'editor'})
  })

  it('grants an email-addressed entitlement only to a user who has the address verified', () => {
    const byEmail = {
      _id: 'by-email',
      clerkEmail: 'New.Person@Example.com ',
      plan: {key: 'pro', rank: 5},
      grants: [course('intro')],
    }
    const mine = entitlement({_id: 'mine', role: {key: 'editor', rank: 1}})
    const verified = computeAccess([byEmail, mine], rules, {
      now,
      subject: user,
      verifiedEmails: ['new.person@example.com'],
    })
    expect(verified.metadata).toEqual({courseSlugs: ['intro'], plan: 'pro', role: 'editor'})
    expect(verified.sources.find((s) => s.entitlementId === 'by-email')?.active).toBe(true)

    // Unverified (not in the list), another user's address, or an organization: nothing.
    const unverified = computeAccess([byEmail, mine], rules, {now, subject: user})
    expect(unverified.metadata).toEqual({role: 'editor'})
    expect(
      computeAccess([byEmail], rules, {now, subject: user, verifiedEmails: ['other@example.com']})
        .metadata,
    ).toEqual({})
    expect(
      computeAccess([byEmail], rules, {
        now,
        subject: 'org_1',
        verifiedEmails: ['new.person@example.com'],
      }).metadata,
    ).toEqual({})
    // An email next to an id names two subjects; a malformed address names none: both inactive.
    for (const broken of [
      {...byEmail, clerkUserId: user},
      {...byEmail, clerkEmail: 'not an address'},
    ]) {
      expect(
        computeAccess([broken], rules, {now, subject: user, verifiedEmails: ['not an address']})
          .metadata,
      ).toEqual({})
    }
  })

  it('counts only grantable types, by their configured key, and skips empty slugs', () => {
    const custom = resolveAccessRules({
      grantableTypes: [{type: 'course'}, {type: 'cohort', metadataKey: 'cohorts'}],
    })
    const result = computeAccess(
      [
        entitlement({
          _id: 'e1',
          grants: [
            course('intro'),
            {_id: 'h1', _type: 'cohort', slug: 'spring'},
            {_id: 'p1', _type: 'page', slug: 'about'},
            course(''),
            course(null),
          ],
        }),
      ],
      custom,
      {now},
    )
    expect(result.metadata).toEqual({cohorts: ['spring'], courseSlugs: ['intro']})
  })

  it('hashes deterministically and differently for different access', () => {
    const one = computeAccess(
      [entitlement({_id: 'e1', grants: [course('a'), course('b')]})],
      rules,
      {now},
    )
    const same = computeAccess(
      [entitlement({_id: 'e9', grants: [course('b'), course('a')]})],
      rules,
      {now},
    )
    const other = computeAccess([entitlement({_id: 'e1', grants: [course('a')]})], rules, {now})
    expect(one.hash).toBe(same.hash)
    expect(one.hash).not.toBe(other.hash)
    expect(one.hash).toBe(accessHash({courseSlugs: ['a', 'b']}))
  })
})
