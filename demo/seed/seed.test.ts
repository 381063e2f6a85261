import {describe, expect, it} from 'vitest'

import {demoUser, generateClerkSeed, NAMED_PEOPLE} from './clerk'
import {generateSanityDocuments} from './sanity'

describe('demo seed', () => {
  it('is the same for the same seed and different for another', () => {
    expect(generateClerkSeed(7)).toEqual(generateClerkSeed(7))
    expect(generateClerkSeed(8).users[0]?.id).not.toBe(generateClerkSeed(7).users[0]?.id)
  })

  it('makes unique, well-formed Clerk ids and emails', () => {
    const seed = generateClerkSeed(7, 40)
    expect(seed.users).toHaveLength(40)
    for (const user of seed.users) expect(user.id).toMatch(/^user_[A-Za-z0-9]{27}$/)
    for (const org of seed.organizations) expect(org.id).toMatch(/^org_[A-Za-z0-9]{27}$/)
    expect(new Set(seed.users.map((u) => u.id)).size).toBe(40)
    expect(new Set(seed.users.map((u) => u.email)).size).toBe(40)
    expect(NAMED_PEOPLE[1]).toEqual(['Grace', 'Hopper'])
    expect(demoUser(seed, 'grace.hopper@example.com')).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper',
    })
  })

  it('never generates a person who shares a name with the named cast', () => {
    for (const seedNumber of [1, 7, 42]) {
      const generated = generateClerkSeed(seedNumber, 300).users.slice(NAMED_PEOPLE.length)
      const castNames = new Set(NAMED_PEOPLE.flat())
      const clashes = generated.filter(
        (u) => castNames.has(u.firstName) || castNames.has(u.lastName),
      )
      expect(clashes).toEqual([])
    }
  })

  it('only has memberships between seeded users and organizations, without duplicates', () => {
    const seed = generateClerkSeed(3)
    const users = new Set(seed.users.map((u) => u.id))
    const orgs = new Set(seed.organizations.map((o) => o.id))
    for (const m of seed.memberships) {
      expect(users.has(m.userId)).toBe(true)
      expect(orgs.has(m.organizationId)).toBe(true)
    }
    const pairs = seed.memberships.map((m) => `${m.organizationId}/${m.userId}`)
    expect(new Set(pairs).size).toBe(pairs.length)
  })

  it('points every entitlement at a seeded subject and at documents that exist', () => {
    for (const seedNumber of [1, 7, 42]) {
      const clerk = generateClerkSeed(seedNumber)
      const documents = generateSanityDocuments(clerk)
      const ids = new Set(documents.map(({_id}) => _id))
      const subjects = new Set([
        ...clerk.users.map((u) => u.id),
        ...clerk.organizations.map((o) => o.id),
      ])
      const entitlements = documents.filter(({_type}) => _type === 'clerkEntitlement')
      expect(entitlements.length).toBeGreaterThan(5)
      const emails = new Set(clerk.users.map((u) => u.email))
      // Grants before sign-up go to addresses nobody in the demo has yet; every other subject exists.
      const emailGrants = entitlements.flatMap((e) =>
        e.clerkEmail ? [e.clerkEmail as string] : [],
      )
      expect(emailGrants.length).toBeGreaterThan(0)
      expect(emailGrants.filter((email) => emails.has(email))).toEqual([])
      const missingSubjects = entitlements
        .filter((e) => !e.clerkEmail)
        .map((e) => (e.clerkUserId ?? e.clerkOrganizationId) as string)
        .filter((subject) => !subjects.has(subject))
      expect(missingSubjects).toEqual([])
      for (const entitlement of entitlements) {
        const refs = [
          entitlement.plan,
          entitlement.role,
          ...((entitlement.grants as unknown[]) ?? []),
        ]
        for (const {_ref} of refs.filter(Boolean) as Array<{_ref: string}>) {
          expect(ids.has(_ref)).toBe(true)
        }
      }
      expect(new Set(documents.map(({_id}) => _id)).size).toBe(documents.length)
    }
  })

  it('leaves the journeys’ people without entitlements', () => {
    const clerk = generateClerkSeed(7)
    const documents = generateSanityDocuments(clerk)
    for (const email of [
      'grace.hopper@example.com',
      'alan.turing@example.com',
      'linus.torvalds@example.com',
    ]) {
      const id = demoUser(clerk, email).id
      expect(documents.some((d) => d.clerkUserId === id)).toBe(false)
    }
  })
})
