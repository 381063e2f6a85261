/**
 * The wire shapes of the resources the emulator serves, exactly as Clerk's Backend API returns
 * them: snake_case, epoch milliseconds, every field the official spec marks required.
 */
import type {JsonObject} from './metadata'

/**
 * How an identifier was verified: `admin` (created through the Backend API), `ticket` (an
 * accepted invitation), or an `email_code` still pending after the address was added.
 */
export type VerificationJson =
  | {status: 'verified'; strategy: 'admin' | 'ticket'; attempts: null; expire_at: null}
  | {status: 'unverified'; strategy: 'email_code'; attempts: number; expire_at: number}

export interface EmailAddressJson {
  id: string
  object: 'email_address'
  email_address: string
  reserved: boolean
  verification: VerificationJson
  linked_to: never[]
  matches_sso_connection: boolean
  created_at: number
  updated_at: number
}

export interface PhoneNumberJson {
  id: string
  object: 'phone_number'
  phone_number: string
  reserved_for_second_factor: boolean
  default_second_factor: boolean
  reserved: boolean
  verification: VerificationJson
  linked_to: never[]
  backup_codes: null
  created_at: number
  updated_at: number
}

export interface UserJson {
  id: string
  object: 'user'
  external_id: string | null
  primary_email_address_id: string | null
  primary_phone_number_id: string | null
  primary_web3_wallet_id: null
  username: string | null
  first_name: string | null
  last_name: string | null
  locale: string | null
  profile_image_url: string
  image_url: string
  has_image: boolean
  public_metadata: JsonObject | null
  private_metadata: JsonObject | null
  unsafe_metadata: JsonObject | null
  email_addresses: EmailAddressJson[]
  phone_numbers: PhoneNumberJson[]
  web3_wallets: never[]
  passkeys: never[]
  password_enabled: boolean
  two_factor_enabled: boolean
  totp_enabled: boolean
  backup_code_enabled: boolean
  mfa_enabled_at: number | null
  mfa_disabled_at: number | null
  password_last_updated_at: number | null
  external_accounts: never[]
  saml_accounts: never[]
  enterprise_accounts: never[]
  last_sign_in_at: number | null
  banned: boolean
  locked: boolean
  lockout_expires_in_seconds: number | null
  verification_attempts_remaining: number | null
  created_at: number
  updated_at: number
  delete_self_enabled: boolean
  create_organization_enabled: boolean
  create_organizations_limit: number | null
  last_active_at: number | null
  legal_accepted_at: number | null
  bypass_client_trust: boolean
}

export interface OrganizationJson {
  object: 'organization'
  id: string
  name: string
  slug: string
  image_url: string
  has_image: boolean
  max_allowed_memberships: number
  admin_delete_enabled: boolean
  public_metadata: JsonObject | null
  private_metadata: JsonObject | null
  created_by: string
  pending_invitations_count: number
  created_at: number
  updated_at: number
  members_count?: number
}

export interface PublicUserDataJson {
  user_id: string
  first_name: string | null
  last_name: string | null
  profile_image_url: string
  image_url: string
  has_image: boolean
  identifier: string | null
  username: string | null
  banned: boolean
}

export interface OrganizationMembershipJson {
  object: 'organization_membership'
  id: string
  role: string
  role_name: string
  permissions: string[]
  public_metadata: JsonObject | null
  private_metadata: JsonObject | null
  organization: OrganizationJson
  public_user_data: PublicUserDataJson
  created_at: number
  updated_at: number
}

/** An application invitation (`POST /invitations`); `status` is derived when read. */
export interface InvitationJson {
  object: 'invitation'
  id: string
  email_address: string
  public_metadata: JsonObject
  revoked: boolean
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  url: string
  expires_at: number | null
  created_at: number
  updated_at: number
}

/** What Clerk's `email.created` event carries: an email Clerk sent (here: a verification code). */
export interface EmailMessageJson {
  object: 'email'
  id: string
  slug: string
  from_email_name: string
  to_email_address: string
  email_address_id: string
  user_id: string
  subject: string
  body: string
  body_plain: string
  status: 'queued'
  data: JsonObject
  delivered_by_clerk: boolean
}

export interface TotalCountJson {
  object: 'total_count'
  total_count: number
}

export interface DeletedObjectJson {
  object: 'user' | 'organization'
  id: string
  slug?: string
  deleted: true
}

/** `{data, total_count}`: every list except `GET /users`, which is a bare array. */
export interface PaginatedJson<T> {
  data: T[]
  total_count: number
}

/** What the two built-in roles grant; custom `org:*` roles get the member set. */
const ADMIN_PERMISSIONS = [
  'org:sys_profile:manage',
  'org:sys_profile:delete',
  'org:sys_memberships:read',
  'org:sys_memberships:manage',
  'org:sys_domains:read',
  'org:sys_domains:manage',
]
const MEMBER_PERMISSIONS = ['org:sys_memberships:read']

export function permissionsOf(role: string): string[] {
  return role === 'org:admin' ? [...ADMIN_PERMISSIONS] : [...MEMBER_PERMISSIONS]
}

/** `org:billing_manager` → `Billing manager`, as the Dashboard names roles by default. */
export function roleNameOf(role: string): string {
  const key = role.replace(/^org:/, '').replace(/_/g, ' ')
  return key.charAt(0).toUpperCase() + key.slice(1)
}

/** What Clerk shows as a member's identifier: primary email, else phone, else username. */
export function identifierOf(user: UserJson): string | null {
  const email = user.email_addresses.find((e) => e.id === user.primary_email_address_id)
  const phone = user.phone_numbers.find((p) => p.id === user.primary_phone_number_id)
  return email?.email_address ?? phone?.phone_number ?? user.username
}

export function publicUserDataOf(user: UserJson): PublicUserDataJson {
  return {
    user_id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    profile_image_url: user.profile_image_url,
    image_url: user.image_url,
    has_image: user.has_image,
    identifier: identifierOf(user),
    username: user.username,
    banned: user.banned,
  }
}
