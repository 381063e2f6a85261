/**
 * A small world of access content for the reliability suites: a catalog of plans, roles and
 * courses, Clerk subjects, and a model of the published entitlements that random changes keep in
 * step with the Content Lake. The expected metadata of a subject is computed from the model by an
 * oracle written independently of `core/access`, so a suite checks the whole chain against a
 * second opinion rather than against itself.
 */
import type {Action} from '@sanity/client'
import type {ClerkEmulator} from '../../emulators/clerk'
import type {ContentLake, LakeDocument} from '../../emulators/content-lake'
import type {ClerkProxyOptions} from '../options'
import {pick, type RandomSource} from '../../emulators/clerk/random'
import {SYNC_STAMP_KEY, type SubjectId} from '../../core/access'
import {content} from './sync-harness'

export const PLANS = {basic: 1, team: 3, pro: 5} as const
export const ROLES = {viewer: 1, editor: 3, admin: 7} as const
export const COURSES = ['intro', 'advanced', 'expert', 'design', 'ops', 'security'] as const

type PlanKey = keyof typeof PLANS
type RoleKey = keyof typeof ROLES

/** Ranks by key, as the plan and role documents hold them. */
export interface Ranks {
  plans: Record<string, number>
  roles: Record<string, number>
}

/** One published entitlement as the model holds it. */
export interface ModelEntitlement {
  id: string
  subject: SubjectId
  plan?: string
  role?: string
  courses: string[]
  validUntil?: string
}

/**
 * The options that point a proxy at these stand-ins: Clerk's key and URL, and the lake read with
 * a viewer token, as a deployment reads Sanity. Plain data, so it also travels to child processes.
 */
export function standInOptions(
  clerk: ClerkEmulator,
  lake: ContentLake,
): Pick<ClerkProxyOptions, 'clerkSecretKey' | 'clerkApiUrl' | 'sanity'> {
  return {
    clerkSecretKey: clerk.secretKey,
    clerkApiUrl: clerk.url,
    sanity: {
      projectId: lake.projectId,
      dataset: lake.dataset,
      apiHost: lake.apiHost,
      token: lake.clientConfig('viewer').token,
    },
  }
}

/** The catalog documents every world starts with. */
export function catalogDocuments(): LakeDocument[] {
  return [
    ...Object.entries(PLANS).map(([key, rank]) => content.plan(key, rank)),
    ...Object.entries(ROLES).map(([key, rank]) => content.role(key, rank)),
    ...COURSES.map((slug) => content.course(slug)),
  ]
}

/** The lake document of a model entitlement. */
export function entitlementDocument(entitlement: ModelEntitlement): LakeDocument {
  return content.entitlement(entitlement.id, entitlement.subject, {
    ...(entitlement.plan ? {plan: entitlement.plan} : {}),
    ...(entitlement.role ? {role: entitlement.role} : {}),
    ...(entitlement.courses.length ? {courses: entitlement.courses} : {}),
    ...(entitlement.validUntil ? {validUntil: entitlement.validUntil} : {}),
  })
}

/** Creates `users` users and `organizations` organizations in the emulator; returns their ids. */
export function createSubjects(
  clerk: ClerkEmulator,
  prefix: string,
  {users, organizations}: {users: number; organizations: number},
): SubjectId[] {
  const userIds = Array.from({length: users}, (_, index) => {
    const id = `user_${prefix}${index}`
    clerk.store.createUser({
      id,
      first_name: 'Reliability',
      last_name: `User ${index}`,
      email_address: [`${id}@example.com`],
      // A key the plugin does not own: it must survive every sync untouched.
      public_metadata: {theme: 'dark'},
    })
    return id
  })
  const organizationIds = Array.from({length: organizations}, (_, index) => {
    const id = `org_${prefix}${index}`
    clerk.store.createOrganization({id, name: `Reliability Org ${index}`})
    return id
  })
  return [...userIds, ...organizationIds]
}

/**
 * What the plugin's keys of `subject` must hold, by the documented rules: the highest-ranked
 * plan and role among its active published entitlements (ties: alphabetically first key), the
 * sorted union of their courses.
 */
export function expectedMetadata(
  entitlements: Iterable<ModelEntitlement>,
  subject: SubjectId,
  now: Date,
  ranks: Ranks = {plans: PLANS, roles: ROLES},
): Record<string, unknown> {
  let plan: string | undefined
  let role: string | undefined
  const courses = new Set<string>()
  for (const entitlement of entitlements) {
    if (entitlement.subject !== subject) continue
    if (entitlement.validUntil && Date.parse(entitlement.validUntil) <= now.getTime()) continue
    if (entitlement.plan && beats(entitlement.plan, plan, ranks.plans)) plan = entitlement.plan
    if (entitlement.role && beats(entitlement.role, role, ranks.roles)) role = entitlement.role
    for (const course of entitlement.courses) courses.add(course)
  }
  return {
    ...(plan ? {plan} : {}),
    ...(role ? {role} : {}),
    ...(courses.size ? {courseSlugs: [...courses].sort()} : {}),
  }
}

/** Higher rank wins; a tie goes to the alphabetically first key, so order never matters. */
function beats(candidate: string, current: string | undefined, ranks: Record<string, number>) {
  if (current === undefined) return true
  const [a, b] = [ranks[candidate] ?? 0, ranks[current] ?? 0]
  return a > b || (a === b && candidate < current)
}

/** The plugin's keys of `subject` as the emulator holds them now. */
export function clerkOwnedMetadata(clerk: ClerkEmulator, subject: SubjectId) {
  const record = subject.startsWith('org_')
    ? clerk.store.getOrganization(subject)
    : clerk.store.getUser(subject)
  const metadata = (record?.public_metadata ?? {}) as Record<string, unknown>
  const owned: Record<string, unknown> = {}
  for (const key of ['plan', 'role', 'courseSlugs']) {
    if (metadata[key] !== undefined) owned[key] = metadata[key]
  }
  return {owned, foreign: metadata.theme}
}

/** Subjects whose Clerk metadata differs from the oracle, with both sides for the report. */
export function mismatchedSubjects(
  clerk: ClerkEmulator,
  subjects: readonly SubjectId[],
  entitlements: Iterable<ModelEntitlement>,
  now: Date,
  ranks?: Ranks,
): Array<{subject: SubjectId; clerk: unknown; expected: unknown}> {
  const all = [...entitlements]
  return subjects.flatMap((subject) => {
    const expected = expectedMetadata(all, subject, now, ranks)
    const {owned} = clerkOwnedMetadata(clerk, subject)
    return JSON.stringify(sortKeys(owned)) === JSON.stringify(sortKeys(expected))
      ? []
      : [{subject, clerk: owned, expected}]
  })
}

function sortKeys(value: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * The plugin's metadata writes that Clerk applied after a write of the plugin to the same subject
 * that reached it LATER and said something else: a slow request overtaking newer access. The request log lists requests in the
 * order they were answered (applied); `receivedAt` is when each arrived.
 */
export function writesAppliedOutOfOrder(clerk: ClerkEmulator): string[] {
  const applied = new Map<string, Array<{receivedAt: number; body: string}>>()
  const stale: string[] = []
  for (const entry of clerk.log) {
    // The plugin's writes carry its sync stamp; other systems' writes are not its to order.
    if (entry.method !== 'PATCH' || entry.status !== 200) continue
    if (!entry.body.includes(`"${SYNC_STAMP_KEY}"`)) continue
    const earlier = applied.get(entry.path) ?? []
    const overtaken = earlier.find(
      (write) => write.receivedAt > entry.receivedAt && write.body !== entry.body,
    )
    if (overtaken) stale.push(`${entry.path}: ${entry.body} applied over ${overtaken.body}`)
    applied.set(entry.path, [...earlier, {receivedAt: entry.receivedAt, body: entry.body}])
  }
  return stale
}

/** A change to the published entitlements: the document after it (`null`: deleted) and who it touches. */
export interface EntitlementChange {
  kind: 'create' | 'update' | 'reassign' | 'delete'
  id: string
  next: ModelEntitlement | null
  /** The subject before the change and after it (the same for most changes). */
  subjects: SubjectId[]
}

function randomGrant(random: RandomSource) {
  const courses = COURSES.filter(() => random() < 0.3)
  return {
    ...(random() < 0.7 ? {plan: pick(random, Object.keys(PLANS) as PlanKey[])} : {}),
    ...(random() < 0.6 ? {role: pick(random, Object.keys(ROLES) as RoleKey[])} : {}),
    courses,
  }
}

/**
 * A random change around `subject`, against the model as it is now. Validity windows are either
 * absent, already over or far ahead, so the outcome does not depend on when the check runs.
 */
export function randomChange(
  random: RandomSource,
  model: ReadonlyMap<string, ModelEntitlement>,
  subjects: readonly SubjectId[],
  subject: SubjectId,
  nextId: () => string,
): EntitlementChange {
  const own = [...model.values()].filter((entitlement) => entitlement.subject === subject)
  const roll = random()
  if (own.length === 0 || roll < 0.3) {
    const expired = random() < 0.15
    const id = nextId()
    return {
      kind: 'create',
      id,
      next: {
        id,
        subject,
        ...randomGrant(random),
        ...(expired ? {validUntil: '2020-01-01T00:00:00.000Z'} : {}),
        ...(!expired && random() < 0.1 ? {validUntil: '2099-01-01T00:00:00.000Z'} : {}),
      },
      subjects: [subject],
    }
  }
  const target = pick(random, own)
  if (roll < 0.65) {
    return {
      kind: 'update',
      id: target.id,
      next: {...target, ...randomGrant(random)},
      subjects: [subject],
    }
  }
  if (roll < 0.85) {
    const to = pick(random, subjects)
    return {
      kind: 'reassign',
      id: target.id,
      next: {...target, subject: to},
      subjects: [...new Set([subject, to])],
    }
  }
  return {kind: 'delete', id: target.id, next: null, subjects: [subject]}
}

/** Applies a change to the model (the caller writes the same change to the lake). */
export function applyToModel(model: Map<string, ModelEntitlement>, change: EntitlementChange) {
  if (change.next) model.set(change.id, change.next)
  else model.delete(change.id)
}

/** Serializes async sections (content writes), so the model and the lake change in one order. */
export function createMutex() {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(section: () => Promise<T>): Promise<T> => {
    const run = tail.then(section, section)
    tail = run.catch(() => undefined)
    return run
  }
}

/** Actions API steps an editor's publish takes: replace the draft, then publish it. */
export function publishActions(document: LakeDocument): Action[] {
  const {_id: publishedId, _type: type, ...fields} = document
  const draftId = `drafts.${publishedId}`
  return [
    {
      actionType: 'sanity.action.document.replaceDraft',
      publishedId,
      attributes: {...fields, _id: draftId, _type: String(type)},
    },
    {actionType: 'sanity.action.document.publish', draftId, publishedId},
  ]
}

/** Deleting a document with its draft, as the Studio's Delete does. */
export function deleteActions(id: string): Action[] {
  return [
    {actionType: 'sanity.action.document.delete', publishedId: id, includeDrafts: [`drafts.${id}`]},
  ]
}

/** Unpublishing a document (its content stays as a draft). */
export function unpublishActions(id: string): Action[] {
  return [
    {actionType: 'sanity.action.document.unpublish', draftId: `drafts.${id}`, publishedId: id},
  ]
}
