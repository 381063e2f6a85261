/**
 * A deterministic population for the benches: Clerk user ids, the Sanity documents granting them
 * access (plans, roles, courses, entitlements; every tenth user holds two entitlements, so merges
 * are exercised), and the truth each user's owned metadata must end up as. The truth is computed
 * with the pure rules from the generator's own view of the entitlements, never from what the
 * proxy read, so a wrong query or a lost write shows up as a mismatch.
 */
import {
  computeAccess,
  jsonEqual,
  ownedPublicMetadata,
  resolveAccessRules,
  type AccessMetadata,
  type AccessRules,
  type EntitlementInput,
} from '../../core/access'
import type {LakeDocument} from '../../emulators/content-lake'

const PLANS = [
  {key: 'free', rank: 1},
  {key: 'pro', rank: 2},
  {key: 'team', rank: 3},
]
const ROLES = [
  {key: 'viewer', rank: 1},
  {key: 'editor', rank: 2},
]
const COURSE_COUNT = 20

export const benchRules: AccessRules = resolveAccessRules()

export const userIdOf = (index: number): string => `user_bench${index.toString().padStart(6, '0')}`
const courseSlug = (index: number): string => `course-${index % COURSE_COUNT}`
const reference = (id: string, key?: string) => ({
  _type: 'reference',
  _ref: id,
  ...(key ? {_key: key} : {}),
})

export interface Population {
  userIds: string[]
  documents: LakeDocument[]
  /** Entitlements per user as the proxy's projection returns them (the input of the truth). */
  entitlements: Map<string, EntitlementInput[]>
  /** The owned metadata each user must hold once in sync. */
  truth(userId: string): AccessMetadata
}

function entitlementFor(
  index: number,
  variant: number,
): {document: LakeDocument; input: EntitlementInput} {
  const userId = userIdOf(index)
  const plan = PLANS[(index + variant) % PLANS.length]!
  const role = ROLES[(index + variant) % ROLES.length]!
  const slugs = [...new Set([courseSlug(index + variant), courseSlug(index * 7 + variant)])]
  const id = `ent-${index.toString().padStart(6, '0')}-${variant}`
  return {
    document: {
      _id: id,
      _type: 'clerkEntitlement',
      title: `Entitlement ${index}/${variant}`,
      clerkUserId: userId,
      plan: reference(`plan-${plan.key}`),
      role: reference(`role-${role.key}`),
      grants: slugs.map((slug) => reference(`course-${slug}`, slug)),
    },
    input: {
      _id: id,
      clerkUserId: userId,
      plan,
      role,
      grants: slugs.map((slug) => ({_id: `course-${slug}`, _type: 'course', slug})),
    },
  }
}

/** `users` users, each with one entitlement (every tenth with two). */
export function generatePopulation(users: number): Population {
  const documents: LakeDocument[] = [
    ...PLANS.map(({key, rank}) => ({
      _id: `plan-${key}`,
      _type: 'clerkPlan',
      title: key,
      key,
      rank,
    })),
    ...ROLES.map(({key, rank}) => ({
      _id: `role-${key}`,
      _type: 'clerkRole',
      title: key,
      key,
      rank,
    })),
    ...Array.from({length: COURSE_COUNT}, (_, index) => ({
      _id: `course-${courseSlug(index)}`,
      _type: 'course',
      title: courseSlug(index),
      slug: {_type: 'slug', current: courseSlug(index)},
    })),
  ]
  const userIds: string[] = []
  const entitlements = new Map<string, EntitlementInput[]>()
  for (let index = 0; index < users; index++) {
    const userId = userIdOf(index)
    userIds.push(userId)
    const variants = index % 10 === 0 ? [0, 1] : [0]
    const inputs = variants.map((variant) => {
      const {document, input} = entitlementFor(index, variant)
      documents.push(document)
      return input
    })
    entitlements.set(userId, inputs)
  }
  const now = new Date()
  return {
    userIds,
    documents,
    entitlements,
    truth: (userId) =>
      computeAccess(entitlements.get(userId) ?? [], benchRules, {now, subject: userId}).metadata,
  }
}

/** A value for `plan` that differs from the truth: what a drifted Clerk user holds. */
export function driftedMetadata(truth: AccessMetadata): AccessMetadata {
  return {...truth, plan: truth.plan === 'team' ? 'free' : 'team'}
}

/** Users whose owned metadata in Clerk differs from the truth (empty when all are in sync). */
export function mismatches(
  userIds: readonly string[],
  population: Pick<Population, 'truth'>,
  publicMetadataOf: (userId: string) => Record<string, unknown> | null | undefined,
): string[] {
  return userIds.filter((userId) => {
    const held = ownedPublicMetadata(publicMetadataOf(userId), benchRules)
    return !jsonEqual(held, population.truth(userId))
  })
}
