import type {AccessSource} from '../contract'
import {contentHash} from './hash'
import {isPublishedId, normalizeEmail} from './ids'
import type {
  AccessGrantableType,
  AccessMetadata,
  AccessRules,
  EntitlementInput,
  RankedRef,
  SubjectId,
} from './types'

/**
 * Version of the rules that turn entitlements into metadata. Written into every sync stamp;
 * bump it when the same entitlements would produce different metadata.
 */
export const ACCESS_RULES_VERSION = 1

/** Clerk recommends keeping session-claim metadata under about 1.2 KB. */
export const DEFAULT_SESSION_BUDGET_BYTES = 1200
/** Clerk's limit for all metadata of one user or organization together. */
export const DEFAULT_LIMIT_BYTES = 8192

/** Options accepted by {@link resolveAccessRules}; every field has a default. */
export interface AccessRulesOptions {
  /** Default `[{type: 'course'}]`, written to `courseSlugs`. */
  grantableTypes?: Array<{type: string; slugField?: string; metadataKey?: string}>
  /** Put the owned keys under `publicMetadata[namespace]` instead of at its top level. */
  namespace?: string | null
  sessionBudgetBytes?: number
  limitBytes?: number
}

const PLAN_KEY = 'plan'
const ROLE_KEY = 'role'
const METADATA_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*$/

function invalid(option: string, problem: string): never {
  throw new Error(`sanity-plugin-clerk: access rules option "${option}" ${problem}`)
}

/** Applies defaults and throws, naming the option, on anything that could corrupt metadata. */
export function resolveAccessRules(options: AccessRulesOptions = {}): AccessRules {
  const seenKeys = new Set([PLAN_KEY, ROLE_KEY])
  const grantableTypes: AccessGrantableType[] = (options.grantableTypes ?? [{type: 'course'}]).map(
    (grantable, index) => {
      const name = `grantableTypes[${index}]`
      if (!grantable || typeof grantable.type !== 'string' || !FIELD_PATH.test(grantable.type)) {
        invalid(`${name}.type`, 'must be a document type name')
      }
      const slugField = grantable.slugField ?? 'slug'
      if (!FIELD_PATH.test(slugField))
        invalid(`${name}.slugField`, 'must be a top-level field name')
      const metadataKey = grantable.metadataKey ?? `${grantable.type}Slugs`
      if (!METADATA_KEY.test(metadataKey)) invalid(`${name}.metadataKey`, 'must be a plain key')
      if (seenKeys.has(metadataKey)) {
        invalid(`${name}.metadataKey`, `"${metadataKey}" is already used by another key`)
      }
      seenKeys.add(metadataKey)
      return {type: grantable.type, slugField, metadataKey}
    },
  )
  const namespace = options.namespace ?? null
  if (namespace !== null && !METADATA_KEY.test(namespace)) {
    invalid('namespace', 'must be a plain key such as "access"')
  }
  const sessionBudgetBytes = options.sessionBudgetBytes ?? DEFAULT_SESSION_BUDGET_BYTES
  const limitBytes = options.limitBytes ?? DEFAULT_LIMIT_BYTES
  if (!(sessionBudgetBytes > 0)) invalid('sessionBudgetBytes', 'must be a positive number')
  if (!(limitBytes > 0)) invalid('limitBytes', 'must be a positive number')
  return {grantableTypes, namespace, sessionBudgetBytes, limitBytes}
}

/** The metadata keys the plugin owns (relative to the namespace when one is set), sorted. */
export function ownedKeys(rules: AccessRules): string[] {
  return [PLAN_KEY, ROLE_KEY, ...rules.grantableTypes.map((g) => g.metadataKey)].sort()
}

/** Result of {@link computeAccess}. */
export interface AccessComputation {
  /** Owned keys with a value, sorted; keys nothing grants are absent. */
  metadata: AccessMetadata
  /** Every published entitlement considered, by `_id`, with what it grants and whether it is active. */
  sources: AccessSource[]
  /** `contentHash` of `{v, metadata}`: equal hashes mean equal access. */
  hash: string
  version: number
}

function toTime(value: string | null | undefined): number | null | 'invalid' {
  if (value === null || value === undefined || value === '') return null
  const time = Date.parse(value)
  return Number.isNaN(time) ? 'invalid' : time
}

/**
 * Whether an entitlement's validity window contains `now`: `validFrom` inclusive,
 * `validUntil` exclusive. An unparseable bound fails closed (not active).
 */
export function isActiveAt(
  entitlement: Pick<EntitlementInput, 'validFrom' | 'validUntil'>,
  now: Date,
): boolean {
  const from = toTime(entitlement.validFrom)
  const until = toTime(entitlement.validUntil)
  if (from === 'invalid' || until === 'invalid') return false
  const instant = now.getTime()
  return (from === null || instant >= from) && (until === null || instant < until)
}

/**
 * Whether the entitlement names exactly one subject (a user id, an organization id or an email
 * address), and (when given) that it is `subject`: for an email, that `subject` is a user among
 * whose VERIFIED addresses it is. An unverified address grants nothing.
 */
function belongsTo(
  entitlement: EntitlementInput,
  subject: SubjectId | undefined,
  verifiedEmails: ReadonlySet<string>,
): boolean {
  const user = entitlement.clerkUserId || null
  const organization = entitlement.clerkOrganizationId || null
  const emailField = entitlement.clerkEmail || null
  const named = [user, organization, emailField].filter((value) => value !== null)
  if (named.length !== 1) return false
  if (emailField !== null) {
    const email = normalizeEmail(emailField)
    if (email === null) return false
    return subject === undefined || (subject.startsWith('user_') && verifiedEmails.has(email))
  }
  return subject === undefined || subject === user || subject === organization
}

function usableKey(ref: RankedRef | null | undefined): string | null {
  return typeof ref?.key === 'string' && ref.key.trim() !== '' ? ref.key : null
}

function rankOf(ref: RankedRef | null | undefined): number {
  return typeof ref?.rank === 'number' && Number.isFinite(ref.rank) ? ref.rank : 0
}

function grantsOf(entitlement: EntitlementInput, rules: AccessRules): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {}
  for (const granted of entitlement.grants ?? []) {
    // Unpublished references dereference to null in the published perspective.
    if (!granted) continue
    const {_id, _type, slug} = granted
    if (_id != null && !isPublishedId(_id)) continue
    const grantable = rules.grantableTypes.find(({type}) => type === _type)
    if (!grantable || typeof slug !== 'string' || slug === '') continue
    ;(grants[grantable.metadataKey] ??= new Set()).add(slug)
  }
  return Object.fromEntries(
    Object.keys(grants)
      .sort()
      .map((key) => [key, [...(grants[key] ?? [])].sort()]),
  )
}

function documentId({_id}: EntitlementInput): string {
  return _id
}

/** Highest rank wins; equal ranks go to the alphabetically first key, whatever the input order. */
function pickWinner(refs: Array<RankedRef | null | undefined>): string | null {
  let best: {key: string; rank: number} | null = null
  for (const ref of refs) {
    const key = usableKey(ref)
    if (key === null) continue
    const rank = rankOf(ref)
    if (!best || rank > best.rank || (rank === best.rank && key < best.key)) best = {key, rank}
  }
  return best?.key ?? null
}

/**
 * Turns one subject's published entitlements into the metadata the plugin owns.
 *
 * Drafts and versions are ignored even if passed in; entitlements outside their validity window,
 * or naming no subject or more than one, grant nothing. An entitlement addressed to an email
 * grants to `subject` only when `verifiedEmails` (the subject's verified addresses, as Clerk has
 * them) includes it. Several active entitlements merge: the
 * highest-ranked plan and role win, granted slugs are a sorted, de-duplicated union. The result
 * is deterministic: the same entitlements in any order give the same metadata and hash.
 */
export function computeAccess(
  entitlements: readonly EntitlementInput[],
  rules: AccessRules,
  options: {now: Date; subject?: SubjectId; verifiedEmails?: readonly string[]},
): AccessComputation {
  const verifiedEmails = new Set(
    (options.verifiedEmails ?? []).flatMap((email) => normalizeEmail(email) ?? []),
  )
  const published = entitlements
    .filter(Boolean)
    .map((entitlement) => ({id: documentId(entitlement), entitlement}))
    .filter(({id}) => isPublishedId(id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const sources: AccessSource[] = []
  const active: EntitlementInput[] = []
  const slugs: Record<string, Set<string>> = {}
  for (const {id, entitlement} of published) {
    const isActive =
      belongsTo(entitlement, options.subject, verifiedEmails) &&
      isActiveAt(entitlement, options.now)
    const grants = grantsOf(entitlement, rules)
    sources.push({
      entitlementId: id,
      title: entitlement.title ?? null,
      plan: usableKey(entitlement.plan),
      role: usableKey(entitlement.role),
      grants,
      validFrom: entitlement.validFrom ?? null,
      validUntil: entitlement.validUntil ?? null,
      active: isActive,
    })
    if (!isActive) continue
    active.push(entitlement)
    for (const [key, values] of Object.entries(grants)) {
      for (const value of values) (slugs[key] ??= new Set()).add(value)
    }
  }
  const unsorted: AccessMetadata = {}
  const plan = pickWinner(active.map((e) => e.plan))
  const role = pickWinner(active.map((e) => e.role))
  if (plan !== null) unsorted[PLAN_KEY] = plan
  if (role !== null) unsorted[ROLE_KEY] = role
  for (const [key, values] of Object.entries(slugs)) unsorted[key] = [...values].sort()
  const metadata: AccessMetadata = {}
  for (const key of Object.keys(unsorted).sort()) metadata[key] = unsorted[key]
  let hash: string | undefined
  return {
    metadata,
    sources,
    // Hashed when read: only a write's stamp needs it, and reconcile computes every user's access
    // to compare it, where hashing each one cost a twentieth of the pass's CPU.
    get hash() {
      return (hash ??= accessHash(metadata))
    },
    version: ACCESS_RULES_VERSION,
  }
}

/** The hash stored in the sync stamp for a given owned metadata. */
export function accessHash(metadata: AccessMetadata): string {
  return contentHash({v: ACCESS_RULES_VERSION, metadata})
}
