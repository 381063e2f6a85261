/**
 * The demo's Clerk population: a few dozen people and a handful of organizations with
 * memberships. Deterministic for a given seed, so the Sanity seed (which references these ids)
 * and the browser journeys (which look people up by email) always agree with the emulator.
 */
import {mintId, pick, randomInt, sample, seededRandom} from '../../emulators/clerk/random'
import {
  EMAIL_DOMAINS,
  EmailBook,
  fillerNames,
  randomPersonName,
  slugify,
  type PersonName,
} from '../../emulators/clerk/seed-kit'

export interface DemoClerkUser {
  id: string
  firstName: string
  lastName: string
  email: string
  /** Epoch milliseconds, like Clerk. */
  createdAt: number
}

export interface DemoClerkOrganization {
  id: string
  name: string
  slug: string
  createdAt: number
}

export interface DemoClerkMembership {
  organizationId: string
  userId: string
  role: 'org:admin' | 'org:member'
}

export interface DemoClerkSeed {
  users: DemoClerkUser[]
  organizations: DemoClerkOrganization[]
  memberships: DemoClerkMembership[]
}

/**
 * People the journeys and the README talk about by name. They come first, with fixed emails; the
 * rest of the population is generated around them.
 */
export const NAMED_PEOPLE: readonly PersonName[] = [
  ['Ada', 'Lovelace'],
  ['Grace', 'Hopper'],
  ['Alan', 'Turing'],
  ['Barbara', 'Liskov'],
  ['Katherine', 'Johnson'],
  ['Linus', 'Torvalds'],
  ['Margaret', 'Hamilton'],
  ['Edsger', 'Dijkstra'],
  ['Frances', 'Allen'],
  ['Donald', 'Knuth'],
  ['Radia', 'Perlman'],
  ['Ken', 'Thompson'],
]

/** Organizations with fixed names; the first one is the journeys' organization. */
export const ORGANIZATION_NAMES = [
  'Orbit Labs',
  'Northwind Academy',
  'Acme Learning',
  'Fjord Analytics',
  'Bluebird Health',
] as const

/** 2026-01-05T09:00:00Z: a fixed origin so created-at dates do not depend on the clock. */
const EPOCH = Date.UTC(2026, 0, 5, 9)
const DAY = 86_400_000

/** Generates the Clerk side of the demo. `userCount` includes the named people. */
export function generateClerkSeed(seed = 7, userCount = 36): DemoClerkSeed {
  const random = seededRandom(seed)
  const emails = new EmailBook()
  const users: DemoClerkUser[] = []
  const addUser = ([firstName, lastName]: PersonName, domain: string): void => {
    const email = emails.take(firstName, lastName, domain)
    const createdAt = EPOCH + users.length * DAY + randomInt(random, 0, DAY - 1)
    users.push({id: mintId('user', random), firstName, lastName, email, createdAt})
  }
  for (const person of NAMED_PEOPLE) addUser(person, 'example.com')
  // Generated people never share a first or last name with the cast the README and journeys name.
  const filler = fillerNames(NAMED_PEOPLE)
  while (users.length < userCount) {
    addUser(randomPersonName(random, filler), pick(random, EMAIL_DOMAINS))
  }

  const organizations = ORGANIZATION_NAMES.map((name, index) => ({
    id: mintId('org', random),
    name,
    slug: slugify(name),
    createdAt: EPOCH + index * 3 * DAY,
  }))

  // Named people get stable memberships the journeys can rely on; everyone else joins 0–2
  // organizations at random.
  const memberships: DemoClerkMembership[] = []
  const join = (organizationId: string, userId: string, role: DemoClerkMembership['role']) => {
    if (!memberships.some((m) => m.organizationId === organizationId && m.userId === userId)) {
      memberships.push({organizationId, userId, role})
    }
  }
  const [orbit, northwind] = organizations
  if (!orbit || !northwind) throw new Error('the demo needs at least two organizations')
  join(orbit.id, userByName(users, 'Katherine').id, 'org:admin')
  join(orbit.id, userByName(users, 'Frances').id, 'org:member')
  join(northwind.id, userByName(users, 'Ada').id, 'org:member')
  for (const user of users.slice(NAMED_PEOPLE.length)) {
    for (const organization of sample(random, organizations, randomInt(random, 0, 2))) {
      join(organization.id, user.id, random() < 0.2 ? 'org:admin' : 'org:member')
    }
  }
  return {users, organizations, memberships}
}

function userByName(users: DemoClerkUser[], firstName: string): DemoClerkUser {
  const user = users.find((u) => u.firstName === firstName)
  if (!user) throw new Error(`no demo user named ${firstName}`)
  return user
}

/** Finds a seeded user by email, failing loudly so a journey never runs against the wrong one. */
export function demoUser(seed: DemoClerkSeed, email: string): DemoClerkUser {
  const user = seed.users.find((u) => u.email === email)
  if (!user) throw new Error(`no demo user with email ${email}`)
  return user
}

/** Finds a seeded organization by slug. */
export function demoOrganization(seed: DemoClerkSeed, slug: string): DemoClerkOrganization {
  const organization = seed.organizations.find((o) => o.slug === slug)
  if (!organization) throw new Error(`no demo organization with slug ${slug}`)
  return organization
}
