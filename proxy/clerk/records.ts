import type {InvitationJSON, OrganizationJSON, UserJSON} from '@clerk/backend'
import {normalizeEmail, type ClerkMetadataState} from '../../core/access'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  InvitationSummary,
} from '../../core/contract'

/** A Clerk user as the gateway returns it: the summary the Studio shows plus all metadata. */
export interface ClerkUserRecord {
  summary: ClerkUserSummary
  metadata: Required<{[K in keyof ClerkMetadataState]: Record<string, unknown>}>
  /** The user's VERIFIED addresses, normalized: what email-addressed entitlements match. */
  verifiedEmails: string[]
}

/** A Clerk organization as the gateway returns it. */
export interface ClerkOrganizationRecord {
  summary: ClerkOrganizationSummary
  metadata: Required<{[K in keyof ClerkMetadataState]: Record<string, unknown>}>
}

/** Either kind of subject. */
export type ClerkSubjectRecord = ClerkUserRecord | ClerkOrganizationRecord

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function displayName(user: UserJSON, email: string | null): string {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ')
  return full || user.username || email || user.id
}

/** Maps Clerk's user JSON (snake_case, as the API sends it) to a record. */
export function toUserRecord(user: UserJSON): ClerkUserRecord {
  const primary = user.email_addresses?.find((e) => e.id === user.primary_email_address_id)
  const primaryEmail = primary?.email_address ?? null
  return {
    summary: {
      id: user.id,
      name: displayName(user, primaryEmail),
      primaryEmail,
      imageUrl: user.image_url || null,
      banned: Boolean(user.banned),
      locked: Boolean(user.locked),
      createdAt: user.created_at,
    },
    metadata: {
      publicMetadata: objectOrEmpty(user.public_metadata),
      privateMetadata: objectOrEmpty(user.private_metadata),
      unsafeMetadata: objectOrEmpty(user.unsafe_metadata),
    },
    verifiedEmails: verifiedEmailsOf(user),
  }
}

/** Addresses whose verification Clerk reports `verified`; anything else grants nothing. */
function verifiedEmailsOf(user: UserJSON): string[] {
  const emails = (user.email_addresses ?? []).flatMap((address) =>
    address.verification?.status === 'verified'
      ? (normalizeEmail(address.email_address) ?? [])
      : [],
  )
  return [...new Set(emails)].sort()
}

/** Maps Clerk's organization JSON to a record (`membersCount` only when Clerk included it). */
export function toOrganizationRecord(organization: OrganizationJSON): ClerkOrganizationRecord {
  return {
    summary: {
      id: organization.id,
      name: organization.name,
      slug: organization.slug || null,
      imageUrl: organization.image_url || null,
      membersCount:
        typeof organization.members_count === 'number' ? organization.members_count : null,
      createdAt: organization.created_at,
    },
    metadata: {
      publicMetadata: objectOrEmpty(organization.public_metadata),
      privateMetadata: objectOrEmpty(organization.private_metadata),
      unsafeMetadata: {},
    },
  }
}

/** Maps Clerk's invitation JSON to what the Studio shows (its metadata is never read). */
export function toInvitationSummary(invitation: InvitationJSON): InvitationSummary {
  const expiresAt = (invitation as {expires_at?: number | null}).expires_at
  return {
    id: invitation.id,
    email: invitation.email_address.toLowerCase(),
    status: invitation.status,
    createdAt: invitation.created_at,
    expiresAt: typeof expiresAt === 'number' ? expiresAt : null,
  }
}
