import type {SanityClient} from 'sanity'

import {
  computeAccess,
  entitlementProjection,
  grantSlugProjection,
  isClerkOrganizationId,
  isClerkUserId,
  measureMetadataSize,
  normalizeEmail,
  type AccessRules,
  type EntitlementInput,
  type GrantedDocument,
  type RankedRef,
  type SizeReport,
} from '../../core/access'
import {CLERK_TYPES} from './names'

/** The entitlement fields validation reads; everything is optional while editing. */
export interface EntitlementDraft {
  _id?: string
  clerkUserId?: string
  clerkOrganizationId?: string
  clerkEmail?: string
  plan?: {_ref?: string}
  role?: {_ref?: string}
  grants?: Array<{_ref?: string} | null>
  validFrom?: string
  validUntil?: string
}

/** Exactly one subject (a user, an organization or an email): a message saying what to do, or `true`. */
export function validateSubjectChoice(document: EntitlementDraft | undefined): true | string {
  const chosen = [document?.clerkUserId, document?.clerkOrganizationId, document?.clerkEmail]
  const count = chosen.filter(Boolean).length
  if (count > 1) {
    return 'Choose one of a Clerk user, an organization or an email address, not several: an entitlement grants to one subject.'
  }
  if (count === 0) {
    return 'Choose the Clerk user, organization or email address this entitlement grants access to.'
  }
  return true
}

/** Checks a `clerkEmail` value: an address, stored as Clerk compares it (trimmed, lowercase). */
export function validateEmail(value: unknown): true | string {
  if (value === undefined || value === null || value === '') return true
  const email = normalizeEmail(value)
  if (email === null) return `${JSON.stringify(value)} is not an email address.`
  return email === value
    ? true
    : `Write the address as Clerk stores it, in lowercase without spaces: "${email}".`
}

/** Checks a `clerkUserId` value; empty is left to `required` rules. */
export function validateUserId(value: unknown): true | string {
  if (value === undefined || value === null || value === '') return true
  return isClerkUserId(value)
    ? true
    : `A Clerk user id starts with "user_" followed by letters and digits; got ${JSON.stringify(value)}.`
}

/** Checks a `clerkOrganizationId` value; empty is left to `required` rules. */
export function validateOrganizationId(value: unknown): true | string {
  if (value === undefined || value === null || value === '') return true
  return isClerkOrganizationId(value)
    ? true
    : `A Clerk organization id starts with "org_" followed by letters and digits; got ${JSON.stringify(value)}.`
}

/** `validUntil` must be later than `validFrom` when both are set. */
export function validateValidityWindow(document: EntitlementDraft | undefined): true | string {
  const from = document?.validFrom ? Date.parse(document.validFrom) : NaN
  const until = document?.validUntil ? Date.parse(document.validUntil) : NaN
  if (Number.isNaN(from) || Number.isNaN(until)) return true
  return until > from ? true : '"Valid until" must be later than "Valid from".'
}

/** A plan, role or granted document as the queries here return it. */
export interface ReferencedDocument extends RankedRef, GrantedDocument {
  _id: string
}

interface SizeQueryResult {
  others: EntitlementInput[]
  referenced: ReferencedDocument[]
}

function sizeQuery(rules: AccessRules): string {
  return `{
    "others": *[_type == $type && _id != $publishedId && (clerkUserId == $subject || clerkOrganizationId == $subject || clerkEmail == $subject)] ${entitlementProjection(rules)},
    "referenced": *[_id in $referencedIds]{_id, _type, key, rank, "slug": ${grantSlugProjection(rules)}}
  }`
}

/** The id a reference points to (destructured: the lint rules forbid `._ref`). */
function refOf(value: {_ref?: string} | null | undefined): string | null {
  const {_ref: ref} = value ?? {}
  return ref || null
}

function idOf(document: {_id?: string | null}): string | null {
  const {_id: id} = document
  return id ?? null
}

function publishedIdOf(id: string | null): string {
  return (id ?? 'new').replace(/^drafts\./, '').replace(/^versions\.[^.]+\./, '')
}

/** The plan, role and granted documents an entitlement references. */
export function referencedIdsOf(document: EntitlementDraft): string[] {
  const grantRefs = (document.grants ?? []).map(refOf)
  return [refOf(document.plan), refOf(document.role), ...grantRefs].filter(
    (id): id is string => !!id,
  )
}

/** A lookup of referenced documents by id (null when unpublished or missing). */
export function referencedLookup(
  referenced: ReferencedDocument[],
): (id: string | null) => ReferencedDocument | null {
  const byId = new Map(referenced.map((doc) => [idOf(doc), doc]))
  return (id) => (id ? (byId.get(id) ?? null) : null)
}

/**
 * An entitlement document (draft, published or historical) as the rules read it, with its
 * references resolved through `lookup`, under the id `publishedId`.
 */
export function toEntitlementInput(
  document: EntitlementDraft,
  publishedId: string,
  lookup: (id: string | null) => ReferencedDocument | null,
): EntitlementInput {
  return {
    _id: publishedId,
    clerkUserId: document.clerkUserId ?? null,
    clerkOrganizationId: document.clerkOrganizationId ?? null,
    clerkEmail: document.clerkEmail ?? null,
    plan: lookup(refOf(document.plan)),
    role: lookup(refOf(document.role)),
    grants: (document.grants ?? []).map(refOf).map(lookup),
    validFrom: document.validFrom ?? null,
    validUntil: document.validUntil ?? null,
  }
}

/**
 * The public metadata this subject would carry in Clerk if this entitlement were published as
 * it stands, together with the subject's other published entitlements; `null` without a subject.
 * Only published plans, roles and grants count, exactly as in the proxy.
 */
export async function estimateSubjectSize(
  document: EntitlementDraft,
  client: SanityClient,
  rules: AccessRules,
  now: Date = new Date(),
): Promise<{subject: string; size: SizeReport} | null> {
  const email = normalizeEmail(document.clerkEmail)
  const subject = document.clerkUserId || document.clerkOrganizationId || email
  if (!subject || (!isClerkUserId(subject) && !isClerkOrganizationId(subject) && !email)) {
    return null
  }
  const publishedId = publishedIdOf(idOf(document))
  const result = await client.fetch<SizeQueryResult>(
    sizeQuery(rules),
    {type: CLERK_TYPES.entitlement, publishedId, subject, referencedIds: referencedIdsOf(document)},
    {perspective: 'published'},
  )
  const current = toEntitlementInput(document, publishedId, referencedLookup(result.referenced))
  // An address is nobody's until verified: estimate as its future user, from its grants alone.
  const {metadata} = computeAccess(
    [...result.others, current],
    rules,
    email && subject === email
      ? {now, subject: 'user_estimate', verifiedEmails: [email]}
      : {now, subject},
  )
  const publicMetadata = rules.namespace === null ? metadata : {[rules.namespace]: metadata}
  return {subject, size: measureMetadataSize({publicMetadata}, rules)}
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

/**
 * The document-level budget check: a warning when the subject's session claims or metadata would
 * outgrow Clerk's limits, else `true`. It never throws: Sanity turns an exception in any
 * validator, even a `.warning()` one, into an error marker, and an error marker makes a publish
 * clicked while the check runs end in "Validation errors" instead of publishing. A check that
 * cannot read the lake (a network hiccup, a lagging or restarting Content Lake) says so as a
 * warning; the proxy checks the size again before it writes.
 */
export async function budgetWarning(
  document: EntitlementDraft | undefined,
  client: SanityClient,
  rules: AccessRules,
): Promise<true | string> {
  if (!document) return true
  try {
    const estimate = await estimateSubjectSize(document, client, rules)
    return estimate ? describeBudget(estimate) : true
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `The Clerk session size could not be estimated (${reason}); the sync checks it before writing.`
  }
}

/** A warning text when the session-claim budget would be exceeded, else `true`. */
export function describeBudget({
  subject,
  size,
}: {
  subject: string
  size: SizeReport
}): true | string {
  const bytes = size.publicBytes ?? size.bytes
  if (size.overLimit) {
    return `${subject} would carry ${kilobytes(size.bytes)} of Clerk metadata, above Clerk's ${kilobytes(size.limit)} limit: the sync will refuse it. Grant fewer documents or use shorter slugs.`
  }
  if (size.overBudget) {
    return `${subject} would carry ${kilobytes(bytes)} in session claims, above the ${kilobytes(size.sessionBudget)} budget: sign-in cookies may break. Grant fewer documents or use shorter slugs.`
  }
  return true
}
