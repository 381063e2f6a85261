/**
 * Deterministic, realistic populations: the same seed gives the same users (ids, names, emails,
 * phones, usernames, banned and locked flags, metadata), organizations and memberships. Linear in
 * the size, so 100,000 users take seconds.
 */
import type {JsonObject} from './metadata'
import {mintId, pick, randomInt, seededRandom, type RandomSource} from './random'
import {EMAIL_DOMAINS, EmailBook, ORGANIZATION_WORDS, randomPersonName} from './seed-kit'
import type {ClerkStore} from './store'

export interface SeedSpec {
  /** Number of users. Default 40. */
  users?: number
  /** Number of organizations. Default 6. */
  organizations?: number
  /** The seed; the same seed and sizes always give the same data. Default `'clerk-emulator'`. */
  seed?: string | number
}

/** A preset name (`'demo'`), a seed value with default sizes, or a full spec. */
export type SeedOption = string | number | SeedSpec

export interface SeedSummary {
  users: number
  organizations: number
  memberships: number
}

export const SEED_PRESETS: Record<string, Required<SeedSpec>> = {
  demo: {users: 40, organizations: 6, seed: 'demo'},
}

const PLANS = ['free', 'pro', 'team']

/** 2025-01-01T00:00:00Z to 2026-01-01T00:00:00Z: seeded data does not depend on the clock. */
const SEED_FROM = Date.UTC(2025, 0, 1)
const SEED_TO = Date.UTC(2026, 0, 1)

export function resolveSeed(option: SeedOption): Required<SeedSpec> {
  const defaults = {users: 40, organizations: 6, seed: 'clerk-emulator'}
  if (typeof option === 'string' && SEED_PRESETS[option]) return SEED_PRESETS[option]
  if (typeof option !== 'object') return {...defaults, seed: option}
  const spec = {
    users: option.users ?? defaults.users,
    organizations: option.organizations ?? defaults.organizations,
    seed: option.seed ?? defaults.seed,
  }
  for (const size of [spec.users, spec.organizations]) {
    if (!Number.isInteger(size) || size < 0) throw new Error('seed sizes must be whole numbers ≥ 0')
  }
  return spec
}

/** Spreads `count` timestamps over the seed year, strictly increasing, with jitter. */
function timeline(count: number, random: RandomSource): (index: number) => number {
  const slot = Math.max(1, Math.floor((SEED_TO - SEED_FROM) / Math.max(count, 1)))
  return (index) => SEED_FROM + index * slot + Math.floor(random() * slot)
}

/** Adds a generated population to the store and says how much was added. */
export function seedStore(store: ClerkStore, option: SeedOption): SeedSummary {
  const spec = resolveSeed(option)
  const random = seededRandom(spec.seed)
  const emails = new EmailBook()
  const userAt = timeline(spec.users, random)
  const userIds: string[] = []

  for (let index = 0; index < spec.users; index++) {
    const [firstName, lastName] = randomPersonName(random)
    const email = emails.take(firstName, lastName, pick(random, EMAIL_DOMAINS))
    const local = email.slice(0, email.indexOf('@'))
    const createdAt = userAt(index)
    const signedIn = random() < 0.7
    const publicMetadata: JsonObject = random() < 0.4 ? {onboardingComplete: true} : {}
    const privateMetadata: JsonObject =
      random() < 0.2 ? {stripeCustomerId: mintId('cus', random).slice(0, 18)} : {}
    if (random() < 0.1) publicMetadata.legacyPlan = pick(random, PLANS)
    const user = store.createUser({
      id: mintId('user', random),
      first_name: firstName,
      last_name: lastName,
      email_address: [email],
      ...(random() < 0.3 && {phone_number: [`+1555${String(1_000_000 + index).slice(-7)}`]}),
      ...(random() < 0.35 && {username: `${local.replace('.', '_')}`.slice(0, 64).padEnd(4, '0')}),
      ...(random() < 0.1 && {external_id: `ext_${index + 1}`}),
      public_metadata: publicMetadata,
      private_metadata: privateMetadata,
      banned: random() < 0.02,
      locked: random() < 0.01,
      password: random() < 0.8 ? 'seeded-password' : null,
      created_at: createdAt,
      last_sign_in_at: signedIn ? createdAt + randomInt(random, 0, 30) * 86_400_000 : null,
      last_active_at: signedIn ? createdAt + randomInt(random, 0, 60) * 86_400_000 : null,
    })
    userIds.push(user.id)
  }

  const organizationAt = timeline(spec.organizations, random)
  let memberships = 0
  for (let index = 0; index < spec.organizations; index++) {
    const [adjectives, nouns] = ORGANIZATION_WORDS
    const name =
      index < adjectives.length
        ? `${adjectives[index]} ${pick(random, nouns)}`
        : `${pick(random, adjectives)} ${pick(random, nouns)} ${index + 1}`
    const organization = store.createOrganization({
      id: mintId('org', random),
      name,
      public_metadata: random() < 0.3 ? {tier: pick(random, PLANS)} : {},
      created_at: organizationAt(index),
    })
    // Around a dozen members each, the first of them an admin; users may join several.
    const memberCount = Math.min(userIds.length, randomInt(random, 2, 24))
    const members = new Set<string>()
    while (members.size < memberCount) members.add(pick(random, userIds))
    let position = 0
    for (const userId of members) {
      const admin = position++ === 0 || random() < 0.15
      store.addMembership({
        id: mintId('orgmem', random),
        organization_id: organization.id,
        user_id: userId,
        role: admin ? 'org:admin' : 'org:member',
        created_at: organization.created_at + randomInt(random, 0, 90) * 86_400_000,
      })
      memberships++
    }
  }
  return {users: spec.users, organizations: spec.organizations, memberships}
}
