import type {SubjectKind} from './types'

// Clerk ids are a prefix plus base62; path segments are not encoded by the SDK, so anything
// else must be rejected before it reaches a URL. Real ids have 27 characters after the prefix;
// the bound keeps kilobyte-long "ids" from ever being sent to Clerk or Sanity.
const USER_ID = /^user_[A-Za-z0-9]{1,64}$/
const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/

/** Whether `value` is a well-formed Clerk user id (`user_…`). */
export function isClerkUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value)
}

/** Whether `value` is a well-formed Clerk organization id (`org_…`). */
export function isClerkOrganizationId(value: unknown): value is string {
  return typeof value === 'string' && ORGANIZATION_ID.test(value)
}

/** `user`, `organization`, or `null` when `value` is not a well-formed Clerk subject id. */
export function subjectKind(value: unknown): SubjectKind | null {
  if (isClerkUserId(value)) return 'user'
  if (isClerkOrganizationId(value)) return 'organization'
  return null
}

// Deliberately plain: one `@`, no spaces, a dot in the domain. Clerk decides what it accepts;
// this only keeps typos and non-addresses out of entitlements. The bound is RFC 5321's.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/
const MAX_EMAIL_LENGTH = 254

/**
 * An email address as entitlements store it: trimmed and lowercased (Clerk compares addresses
 * case-insensitively and stores them lowercased), or `null` when `value` is not one.
 */
export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const email = value.trim().toLowerCase()
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email) ? email : null
}

/**
 * Whether a Sanity document id names a published document. Drafts (`drafts.…`) and release
 * versions (`versions.…`) never grant access, even when a caller passes them in.
 */
export function isPublishedId(id: unknown): id is string {
  return (
    typeof id === 'string' && id !== '' && !id.startsWith('drafts.') && !id.startsWith('versions.')
  )
}
