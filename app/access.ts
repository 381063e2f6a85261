import {
  computeAccess,
  isPlainObject,
  type AccessMetadata,
  type EntitlementInput,
  type GrantedDocument,
} from '../core/access'
import {
  resolveMemberAccessOptions,
  type AccessRanks,
  type MemberAccessOptions,
  type ResolvedMemberAccessOptions,
} from './options'
import {sessionTokenTemplate} from './template'

/** The verified claims of a Clerk session token (what `verifyToken` or `auth()` returns). */
export interface SessionClaims {
  sub: string
  sid?: string
  iat?: number
  exp?: number
  /** Clerk's v2 organization claim. */
  o?: {id: string; rol?: string; slg?: string}
  /** The impersonating user, when an actor token signed this session in. */
  act?: {sub: string}
  [claim: string]: unknown
}

/** What a signed-in member may see, read from the session token. */
export interface MemberAccess {
  userId: string
  sessionId: string | null
  /** The active organization, whose access adds to the user's. */
  organization: {id: string; slug: string | null; role: string | null} | null
  /** Who is impersonating this member (Clerk actor tokens), if anyone. */
  actorId: string | null
  /** Highest-ranked plan of the user and the active organization, or null. */
  plan: string | null
  /** Highest-ranked role, or null. */
  role: string | null
  /** Granted slugs by document type, e.g. `{course: ['intro']}`. Every grantable type is present. */
  grants: Record<string, string[]>
  /** The merged access by metadata key, exactly as the proxy writes it (`{plan, courseSlugs}`). */
  metadata: AccessMetadata
  /** The access the user and the organization carry on their own. */
  sources: {user: AccessMetadata; organization: AccessMetadata | null}
  /** When the claims were issued and when the token expires (from `iat`/`exp`). */
  issuedAt: Date | null
  expiresAt: Date | null
  /** The ranks the checks compare with. */
  ranks: AccessRanks
}

/**
 * The session token lacks the access claim: Clerk's session-token template is not configured.
 * `template` is the JSON to paste (Clerk dashboard → Sessions → Customize session token).
 */
export class MissingAccessClaimError extends Error {
  readonly code = 'access_claim_missing'
  constructor(
    readonly claim: string,
    readonly template: string,
  ) {
    super(
      `sanity-plugin-clerk/app: the session token has no "${claim}" claim. Add it to Clerk's ` +
        `session-token template (Dashboard → Sessions → Customize session token):\n${template}`,
    )
    this.name = 'MissingAccessClaimError'
  }
}

/** One side's owned keys, from the claim: the namespace object or the keys themselves. */
function sideMetadata(value: unknown): AccessMetadata {
  return isPlainObject(value) ? value : {}
}

/** A side of the claim as an entitlement, so the proxy's rules merge the two sides. */
function asEntitlement(
  id: string,
  subject: {clerkUserId: string} | {clerkOrganizationId: string},
  metadata: AccessMetadata,
  resolved: ResolvedMemberAccessOptions,
): EntitlementInput {
  const {rules, ranks} = resolved
  const ranked = (key: unknown, table: Record<string, number>) =>
    typeof key === 'string' && key !== '' ? {key, rank: table[key] ?? 0} : null
  const grants: GrantedDocument[] = rules.grantableTypes.flatMap(({type, metadataKey}) => {
    const slugs = metadata[metadataKey]
    // A malformed value grants nothing: fail closed.
    if (!Array.isArray(slugs)) return []
    return slugs.filter((slug) => typeof slug === 'string').map((slug) => ({_type: type, slug}))
  })
  return {
    _id: id,
    ...subject,
    plan: ranked(metadata.plan, ranks.plans),
    role: ranked(metadata.role, ranks.roles),
    grants,
  }
}

/**
 * Reads a member's access from verified session claims (never from an unverified cookie: verify
 * with `@clerk/backend` first). The user's and the active organization's access merge as the
 * proxy merges entitlements: highest-ranked plan and role, union of granted slugs.
 *
 * Throws {@link MissingAccessClaimError} when the token has no access claim at all, naming the
 * template to configure; a member with no access has the claim with empty sides.
 *
 * @example
 * ```ts
 * const claims = await verifyToken(token, {jwtKey: process.env.CLERK_JWT_KEY})
 * const access = readMemberAccess(claims, {ranks})
 * if (can(access, {course: 'intro'})) …
 * ```
 */
export function readMemberAccess(
  claims: SessionClaims,
  options: MemberAccessOptions = {},
): MemberAccess {
  const resolved = resolveMemberAccessOptions(options)
  const {rules, claim} = resolved
  const carried = claims[claim]
  if (!isPlainObject(carried)) {
    throw new MissingAccessClaimError(claim, sessionTokenTemplate(options).json)
  }
  const organization = isPlainObject(claims.o) && typeof claims.o.id === 'string' ? claims.o : null
  const user = sideMetadata(carried.user)
  const organizationMetadata = organization ? sideMetadata(carried.org) : null
  const entitlements = [asEntitlement('session-user', {clerkUserId: claims.sub}, user, resolved)]
  if (organization && organizationMetadata) {
    entitlements.push(
      asEntitlement(
        'session-organization',
        {clerkOrganizationId: organization.id},
        organizationMetadata,
        resolved,
      ),
    )
  }
  const {metadata} = computeAccess(entitlements, rules, {now: new Date(0)})
  const grants = Object.fromEntries(
    rules.grantableTypes.map(({type, metadataKey}) => [
      type,
      (metadata[metadataKey] as string[] | undefined) ?? [],
    ]),
  )
  const seconds = (value: unknown) => (typeof value === 'number' ? new Date(value * 1000) : null)
  return {
    userId: claims.sub,
    sessionId: typeof claims.sid === 'string' ? claims.sid : null,
    organization: organization
      ? {
          id: organization.id,
          slug: typeof organization.slg === 'string' ? organization.slg : null,
          role: typeof organization.rol === 'string' ? organization.rol : null,
        }
      : null,
    actorId:
      isPlainObject(claims.act) && typeof claims.act.sub === 'string' ? claims.act.sub : null,
    plan: typeof metadata.plan === 'string' ? metadata.plan : null,
    role: typeof metadata.role === 'string' ? metadata.role : null,
    grants,
    metadata,
    sources: {user, organization: organizationMetadata},
    issuedAt: seconds(claims.iat),
    expiresAt: seconds(claims.exp),
    ranks: resolved.ranks,
  }
}

/**
 * What {@link can} checks: a plan or role at least as high as the given one (by rank), and
 * granted slugs by document type (`{course: 'intro'}` or several: `{course: ['a', 'b']}`).
 */
export interface AccessRequirement {
  plan?: string
  role?: string
  [grantableType: string]: string | string[] | undefined
}

function atLeast(held: string | null, required: string, table: Record<string, number>): boolean {
  if (held === null) return false
  if (held === required) return true
  // An unknown required plan or role cannot be compared: fail closed.
  const requiredRank = table[required]
  return requiredRank !== undefined && (table[held] ?? 0) >= requiredRank
}

/**
 * Whether the member meets every part of `requirement`. A plan or role requirement is met by the
 * same key or any key of at least its rank; a grant requirement by the slug being granted. An
 * unknown document type or an unknown required plan is never met.
 *
 * @example
 * ```ts
 * can(access, {course: 'intro'}) // the course is granted
 * can(access, {plan: 'pro'}) // pro or higher
 * can(access, {plan: 'pro', course: ['intro', 'advanced']}) // all of it
 * ```
 */
export function can(access: MemberAccess, requirement: AccessRequirement): boolean {
  for (const [key, value] of Object.entries(requirement)) {
    if (value === undefined) continue
    if (key === 'plan' || key === 'role') {
      const held = key === 'plan' ? access.plan : access.role
      const table = key === 'plan' ? access.ranks.plans : access.ranks.roles
      if (typeof value !== 'string' || !atLeast(held, value, table)) return false
      continue
    }
    const granted = access.grants[key]
    if (!granted) return false
    for (const slug of Array.isArray(value) ? value : [value]) {
      if (!granted.includes(slug)) return false
    }
  }
  return true
}
