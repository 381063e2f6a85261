/**
 * The emulator's in-memory state. It speaks Clerk's wire format on both sides: inputs use the
 * request-body field names (snake_case), outputs are the response objects. Returned objects are
 * frozen snapshots; every write replaces them, so holding one never sees later changes.
 */
import {ClerkApiError, identifierTaken, notFound, paramInvalid, paramMissing} from './errors'
import {
  applyMetadataUpdate,
  assertMetadataSize,
  DEFAULT_METADATA_LIMIT,
  type JsonObject,
  type MetadataField,
  type MetadataLimit,
  type MetadataUpdate,
} from './metadata'
import {CreationOrderedList, type Ordered} from './ordered-list'
import {cryptoRandom, mintId, seededRandom, type RandomSource} from './random'
import {
  permissionsOf,
  publicUserDataOf,
  roleNameOf,
  type DeletedObjectJson,
  type EmailAddressJson,
  type OrganizationJson,
  type OrganizationMembershipJson,
  type PhoneNumberJson,
  type UserJson,
} from './resources'
import {
  compareSortValues,
  compileUserFilter,
  searchTextOf,
  USER_SORT_KEYS,
  type FilterableUser,
  type UserFilter,
  type UserSortKey,
} from './user-filter'

export interface ClerkStoreOptions {
  /** Source of ids; seeded for reproducible data. Default: crypto randomness. */
  random?: RandomSource
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number
  /** Metadata size rule. Default 8192 bytes combined, `form_param_exceeds_allowed_size`. */
  metadataLimit?: MetadataLimit
  /** Origin that serves avatars (`/__emulator/avatars/<id>.svg`), so images stay on loopback. */
  imageOrigin?: string
}

/** `POST /users` body fields the emulator models, plus `id` and ms `created_at` for seeding. */
export interface CreateUserInput {
  id?: string
  external_id?: string | null
  first_name?: string | null
  last_name?: string | null
  username?: string | null
  locale?: string | null
  email_address?: string[]
  phone_number?: string[]
  password?: string | null
  public_metadata?: JsonObject
  private_metadata?: JsonObject
  unsafe_metadata?: JsonObject
  banned?: boolean
  locked?: boolean
  delete_self_enabled?: boolean
  create_organization_enabled?: boolean
  create_organizations_limit?: number | null
  created_at?: number
  last_sign_in_at?: number | null
  last_active_at?: number | null
}

/** `PATCH /users/{id}` fields the emulator models. */
export interface UpdateUserInput {
  external_id?: string | null
  first_name?: string | null
  last_name?: string | null
  username?: string | null
  locale?: string | null
  primary_email_address_id?: string
  delete_self_enabled?: boolean
  create_organization_enabled?: boolean
  create_organizations_limit?: number | null
}

export interface CreateOrganizationInput {
  id?: string
  name: string
  slug?: string | null
  created_by?: string | null
  public_metadata?: JsonObject | null
  private_metadata?: JsonObject | null
  max_allowed_memberships?: number | null
  created_at?: number
}

export interface UpdateOrganizationInput {
  name?: string | null
  slug?: string | null
  max_allowed_memberships?: number | null
  admin_delete_enabled?: boolean | null
}

export interface AddMembershipInput {
  organization_id: string
  user_id: string
  /** Default `org:member`. */
  role?: string
  public_metadata?: JsonObject | null
  private_metadata?: JsonObject | null
  id?: string
  created_at?: number
}

/** A page request: `order` is a sort key with an optional `+`/`-` prefix. */
export interface Page {
  limit: number
  offset: number
}

export interface SortOrder<Key extends string> {
  key: Key
  descending: boolean
}

export type MembershipSortKey =
  'created_at' | 'first_name' | 'last_name' | 'username' | 'email_address' | 'phone_number'

export type OrganizationSortKey = 'created_at' | 'name' | 'members_count'

export interface OrganizationFilter {
  query?: string
  organizationIds?: {include: string[]; exclude: string[]}
  userIds?: {include: string[]; exclude: string[]}
}

export interface MembershipFilter {
  organizationId?: string
  userId?: string
  userIds?: {include: string[]; exclude: string[]}
  emailAddresses?: string[]
  roles?: string[]
  query?: string
}

interface UserEntry extends Ordered, FilterableUser {}

interface OrganizationEntry extends Ordered {
  json: OrganizationJson
}

interface MembershipEntry extends Ordered {
  id: string
  organizationId: string
  userId: string
  role: string
  metadata: {public_metadata: JsonObject | null; private_metadata: JsonObject | null}
  updatedAt: number
}

const USER_ID = /^user_[A-Za-z0-9]+$/
const ORGANIZATION_ID = /^org_[A-Za-z0-9]+$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+[1-9]\d{6,14}$/
const USERNAME = /^[a-z0-9_-]{4,64}$/
const SLUG = /^[a-z0-9-]+$/
const USER_METADATA_FIELDS: readonly MetadataField[] = [
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
]
const ORGANIZATION_METADATA_FIELDS: readonly MetadataField[] = [
  'public_metadata',
  'private_metadata',
]

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/**
 * Parts every user shares. Store objects are frozen, so one instance can sit in all of them: at
 * 100,000 users that is a large share of the heap, and of the time a full scan spends on it.
 */
const ADMIN_VERIFICATION: EmailAddressJson['verification'] = Object.freeze({
  status: 'verified',
  strategy: 'admin',
  attempts: null,
  expire_at: null,
})
const NONE: never[] = Object.freeze([]) as unknown as never[]

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** State of one emulated Clerk instance. */
export class ClerkStore {
  readonly #random: RandomSource
  readonly #now: () => number
  readonly #metadataLimit: MetadataLimit
  #imageOrigin: string
  #seq = 0
  #users = new Map<string, UserEntry>()
  #usersInOrder = new CreationOrderedList<UserEntry>()
  #userIdByEmail = new Map<string, string>()
  #userIdByPhone = new Map<string, string>()
  #userIdByUsername = new Map<string, string>()
  #userIdByExternalId = new Map<string, string>()
  #organizations = new Map<string, OrganizationEntry>()
  #organizationsInOrder = new CreationOrderedList<OrganizationEntry>()
  #organizationIdBySlug = new Map<string, string>()
  #memberships = new CreationOrderedList<MembershipEntry>()
  #membershipsByOrganization = new Map<string, Map<string, MembershipEntry>>()
  #membershipsByUser = new Map<string, Map<string, MembershipEntry>>()
  /** Sorted user orders other than by creation, valid until the next user write. */
  #sortCache = new Map<UserSortKey, UserEntry[]>()
  /** Every user's search text in one string, valid until a user is added, removed or renamed. */
  #searchIndex: SearchIndex | undefined

  constructor(options: ClerkStoreOptions = {}) {
    this.#random = options.random ?? cryptoRandom()
    this.#now = options.now ?? Date.now
    this.#metadataLimit = options.metadataLimit ?? DEFAULT_METADATA_LIMIT
    this.#imageOrigin = options.imageOrigin ?? 'http://127.0.0.1'
  }

  /** Where avatar URLs point; the server sets it once it knows its port. */
  set imageOrigin(origin: string) {
    this.#imageOrigin = origin
  }

  get counts(): {users: number; organizations: number; memberships: number} {
    return {
      users: this.#users.size,
      organizations: this.#organizations.size,
      memberships: this.#memberships.size,
    }
  }

  /** Forgets everything. */
  reset(): void {
    this.#users.clear()
    this.#usersInOrder.clear()
    this.#userIdByEmail.clear()
    this.#userIdByPhone.clear()
    this.#userIdByUsername.clear()
    this.#userIdByExternalId.clear()
    this.#organizations.clear()
    this.#organizationsInOrder.clear()
    this.#organizationIdBySlug.clear()
    this.#memberships.clear()
    this.#membershipsByOrganization.clear()
    this.#membershipsByUser.clear()
    this.#sortCache.clear()
    this.#searchIndex = undefined
  }

  // ---------------------------------------------------------------- users

  createUser(input: CreateUserInput): UserJson {
    const id = input.id ?? mintId('user', this.#random)
    if (!USER_ID.test(id)) throw paramInvalid('id', `${id} is not a valid user id.`)
    if (this.#users.has(id)) throw identifierTaken('id', `A user with id ${id} already exists.`)
    const emails = (input.email_address ?? []).map((email) => email.trim().toLowerCase())
    const phones = input.phone_number ?? []
    const username = input.username?.toLowerCase() ?? null
    this.#assertIdentifiersFree(emails, phones, username, input.external_id ?? null)
    const metadata = {
      public_metadata: input.public_metadata ?? {},
      private_metadata: input.private_metadata ?? {},
      unsafe_metadata: input.unsafe_metadata ?? {},
    }
    assertMetadataSize(metadata, this.#metadataLimit)

    const createdAt = input.created_at ?? this.#now()
    // A caller-chosen user id (seeds, the demo) makes the identification ids reproducible too.
    const identificationRandom = input.id ? seededRandom(`${input.id}/idn`) : this.#random
    const emailAddresses = emails.map((email): EmailAddressJson => ({
      id: mintId('idn', identificationRandom),
      object: 'email_address',
      email_address: email,
      reserved: false,
      verification: ADMIN_VERIFICATION,
      linked_to: NONE,
      matches_sso_connection: false,
      created_at: createdAt,
      updated_at: createdAt,
    }))
    const phoneNumbers = phones.map((phone): PhoneNumberJson => ({
      id: mintId('idn', identificationRandom),
      object: 'phone_number',
      phone_number: phone,
      reserved_for_second_factor: false,
      default_second_factor: false,
      reserved: false,
      verification: ADMIN_VERIFICATION,
      linked_to: NONE,
      backup_codes: null,
      created_at: createdAt,
      updated_at: createdAt,
    }))
    const locked = input.locked ?? false
    const imageUrl = `${this.#imageOrigin}/__emulator/avatars/${id}.svg`
    const user: UserJson = {
      id,
      object: 'user',
      external_id: input.external_id ?? null,
      primary_email_address_id: emailAddresses[0]?.id ?? null,
      primary_phone_number_id: phoneNumbers[0]?.id ?? null,
      primary_web3_wallet_id: null,
      username,
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
      locale: input.locale ?? null,
      profile_image_url: imageUrl,
      image_url: imageUrl,
      has_image: false,
      ...metadata,
      email_addresses: emailAddresses,
      phone_numbers: phoneNumbers,
      web3_wallets: NONE,
      passkeys: NONE,
      password_enabled: Boolean(input.password),
      two_factor_enabled: false,
      totp_enabled: false,
      backup_code_enabled: false,
      mfa_enabled_at: null,
      mfa_disabled_at: null,
      password_last_updated_at: input.password ? createdAt : null,
      external_accounts: NONE,
      saml_accounts: NONE,
      enterprise_accounts: NONE,
      last_sign_in_at: input.last_sign_in_at ?? null,
      banned: input.banned ?? false,
      locked,
      lockout_expires_in_seconds: locked ? 3600 : null,
      verification_attempts_remaining: locked ? 0 : 100,
      created_at: createdAt,
      updated_at: createdAt,
      delete_self_enabled: input.delete_self_enabled ?? true,
      create_organization_enabled: input.create_organization_enabled ?? true,
      create_organizations_limit: input.create_organizations_limit ?? null,
      last_active_at: input.last_active_at ?? null,
      legal_accepted_at: null,
      bypass_client_trust: false,
    }
    const entry: UserEntry = {
      json: deepFreeze(user),
      search: searchTextOf(user),
      createdAt,
      seq: this.#seq++,
      organizationIds: () => this.#membershipsByUser.get(id)?.keys() ?? [],
    }
    this.#users.set(id, entry)
    this.#usersInOrder.insert(entry)
    this.#indexIdentifiers(user)
    this.#sortCache.clear()
    this.#searchIndex = undefined
    return entry.json
  }

  getUser(id: string): UserJson | undefined {
    return this.#users.get(id)?.json
  }

  /**
   * Applies profile changes and, for API versions that still allow it, a metadata replacement,
   * as one write: when any part is invalid nothing changes.
   */
  updateUser(id: string, changes: UpdateUserInput, replaceMetadata: MetadataUpdate = {}): UserJson {
    const entry = this.#userEntry(id)
    const current = entry.json
    const username =
      changes.username === undefined ? current.username : (changes.username?.toLowerCase() ?? null)
    const externalId = changes.external_id === undefined ? current.external_id : changes.external_id
    this.#assertIdentifiersFree(
      [],
      [],
      username === current.username ? null : username,
      externalId === current.external_id ? null : externalId,
    )
    const primaryEmail = changes.primary_email_address_id ?? current.primary_email_address_id
    if (!current.email_addresses.some((e) => e.id === primaryEmail) && primaryEmail !== null) {
      throw paramInvalid('primary_email_address_id', `${primaryEmail} is not one of the user's.`)
    }
    const metadata = applyMetadataUpdate(
      current,
      pickMetadata(replaceMetadata, USER_METADATA_FIELDS),
      'replace',
    )
    assertMetadataSize(pickMetadata(metadata, USER_METADATA_FIELDS), this.#metadataLimit)
    return this.#replaceUser(
      entry,
      {
        ...current,
        ...metadata,
        first_name: changes.first_name === undefined ? current.first_name : changes.first_name,
        last_name: changes.last_name === undefined ? current.last_name : changes.last_name,
        locale: changes.locale === undefined ? current.locale : changes.locale,
        username,
        external_id: externalId,
        primary_email_address_id: primaryEmail,
        delete_self_enabled: changes.delete_self_enabled ?? current.delete_self_enabled,
        create_organization_enabled:
          changes.create_organization_enabled ?? current.create_organization_enabled,
        create_organizations_limit:
          changes.create_organizations_limit === undefined
            ? current.create_organizations_limit
            : changes.create_organizations_limit,
      },
      true,
    )
  }

  deleteUser(id: string): DeletedObjectJson {
    const entry = this.#userEntry(id)
    for (const organizationId of [...(this.#membershipsByUser.get(id)?.keys() ?? [])]) {
      this.removeMembership(organizationId, id)
    }
    this.#users.delete(id)
    this.#usersInOrder.remove(entry)
    this.#unindexIdentifiers(entry.json)
    this.#sortCache.clear()
    this.#searchIndex = undefined
    return {object: 'user', id, deleted: true}
  }

  /**
   * Writes metadata of a user (`user_…`) or organization (`org_…`): `merge` deep-merges each
   * supplied field (PATCH), `replace` overwrites it (PUT).
   */
  updateMetadata(id: string, update: MetadataUpdate, mode: 'merge' | 'replace' = 'merge') {
    if (id.startsWith('org_')) return this.#updateOrganizationMetadata(id, update, mode)
    return this.#updateUserMetadata(id, update, mode)
  }

  /** One page of the users matching a filter, in the given order. Stops once the page is full. */
  listUsers(filter: UserFilter, order: SortOrder<UserSortKey>, page: Page): UserJson[] {
    const matches = compileUserFilter(filter)
    const data: UserJson[] = []
    let skipped = 0
    for (const entry of this.#usersSorted(order, filter)) {
      if (data.length >= page.limit) break
      if (!matches(entry)) continue
      if (skipped < page.offset) skipped++
      else data.push(entry.json)
    }
    return data
  }

  countUsers(filter: UserFilter): number {
    const matches = compileUserFilter(filter)
    if (Object.keys(filter).length === 0) return this.#users.size
    let count = 0
    for (const entry of this.#usersCandidates(filter) ?? this.#usersInOrder.iterate(true)) {
      if (matches(entry)) count++
    }
    return count
  }

  // -------------------------------------------------------- organizations

  createOrganization(input: CreateOrganizationInput): OrganizationJson {
    const id = input.id ?? mintId('org', this.#random)
    if (!ORGANIZATION_ID.test(id)) throw paramInvalid('id', `${id} is not a valid organization id.`)
    if (this.#organizations.has(id)) {
      throw identifierTaken('id', `An organization with id ${id} already exists.`)
    }
    const name = input.name?.trim()
    if (!name) throw paramMissing('name')
    const slug = input.slug ?? this.#freeSlug(slugify(name) || 'organization')
    this.#assertSlugFree(slug)
    if (input.created_by && !this.#users.has(input.created_by)) throw notFound('User')
    const metadata = {
      public_metadata: input.public_metadata ?? {},
      private_metadata: input.private_metadata ?? {},
    }
    assertMetadataSize(metadata, this.#metadataLimit)
    const createdAt = input.created_at ?? this.#now()
    const organization: OrganizationJson = {
      object: 'organization',
      id,
      name,
      slug,
      image_url: `${this.#imageOrigin}/__emulator/avatars/${id}.svg`,
      has_image: false,
      max_allowed_memberships: input.max_allowed_memberships ?? 0,
      admin_delete_enabled: true,
      ...metadata,
      created_by: input.created_by ?? '',
      pending_invitations_count: 0,
      created_at: createdAt,
      updated_at: createdAt,
    }
    const entry: OrganizationEntry = {json: deepFreeze(organization), createdAt, seq: this.#seq++}
    this.#organizations.set(id, entry)
    this.#organizationsInOrder.insert(entry)
    this.#organizationIdBySlug.set(slug, id)
    this.#membershipsByOrganization.set(id, new Map())
    if (input.created_by) {
      this.addMembership({organization_id: id, user_id: input.created_by, role: 'org:admin'})
    }
    return entry.json
  }

  /** By id, or by slug as `GET /organizations/{id_or_slug}` allows. */
  getOrganization(idOrSlug: string): OrganizationJson | undefined {
    const id = this.#organizationIdBySlug.get(idOrSlug) ?? idOrSlug
    return this.#organizations.get(id)?.json
  }

  /** Like {@link updateUser}: profile changes and an optional metadata replacement, all or none. */
  updateOrganization(
    id: string,
    changes: UpdateOrganizationInput,
    replaceMetadata: MetadataUpdate = {},
  ): OrganizationJson {
    const entry = this.#organizationEntry(id)
    const current = entry.json
    const slug = changes.slug ?? current.slug
    if (slug !== current.slug) this.#assertSlugFree(slug)
    const name = changes.name?.trim() ?? current.name
    if (!name) throw paramInvalid('name', 'name must not be empty.')
    const metadata = applyMetadataUpdate(
      current,
      pickMetadata(replaceMetadata, ORGANIZATION_METADATA_FIELDS),
      'replace',
    )
    assertMetadataSize(pickMetadata(metadata, ORGANIZATION_METADATA_FIELDS), this.#metadataLimit)
    this.#organizationIdBySlug.delete(current.slug)
    this.#organizationIdBySlug.set(slug, entry.json.id)
    return this.#replaceOrganization(entry, {
      ...current,
      ...metadata,
      name,
      slug,
      max_allowed_memberships: changes.max_allowed_memberships ?? current.max_allowed_memberships,
      admin_delete_enabled: changes.admin_delete_enabled ?? current.admin_delete_enabled,
    })
  }

  deleteOrganization(id: string): DeletedObjectJson {
    const entry = this.#organizationEntry(id)
    for (const userId of [...(this.#membershipsByOrganization.get(id)?.keys() ?? [])]) {
      this.removeMembership(id, userId)
    }
    this.#organizations.delete(id)
    this.#organizationsInOrder.remove(entry)
    this.#organizationIdBySlug.delete(entry.json.slug)
    this.#membershipsByOrganization.delete(id)
    return {object: 'organization', id, slug: entry.json.slug, deleted: true}
  }

  /** Number of members, for `include_members_count`. */
  membersCount(organizationId: string): number {
    return this.#membershipsByOrganization.get(organizationId)?.size ?? 0
  }

  listOrganizations(
    filter: OrganizationFilter,
    order: SortOrder<OrganizationSortKey>,
    page: Page,
  ): {data: OrganizationJson[]; totalCount: number} {
    const query = filter.query?.toLowerCase()
    const matching = [...this.#organizationsInOrder.iterate(true)].filter(({json}) => {
      const members = [...(this.#membershipsByOrganization.get(json.id)?.keys() ?? [])]
      return (
        (!query ||
          json.id === filter.query ||
          json.name.toLowerCase().includes(query) ||
          json.slug.includes(query)) &&
        (!filter.organizationIds ||
          ((filter.organizationIds.include.length === 0 ||
            filter.organizationIds.include.includes(json.id)) &&
            !filter.organizationIds.exclude.includes(json.id))) &&
        (!filter.userIds ||
          ((filter.userIds.include.length === 0 ||
            members.some((userId) => filter.userIds?.include.includes(userId))) &&
            !members.some((userId) => filter.userIds?.exclude.includes(userId))))
      )
    })
    if (order.key !== 'created_at') {
      const valueOf = ({json}: OrganizationEntry) =>
        order.key === 'name' ? json.name.toLowerCase() : this.membersCount(json.id)
      matching.sort((a, b) => compareSortValues(valueOf(a), valueOf(b)))
      if (order.descending) matching.reverse()
    } else if (!order.descending) {
      matching.reverse()
    }
    return {
      data: matching.slice(page.offset, page.offset + page.limit).map(({json}) => json),
      totalCount: matching.length,
    }
  }

  // ---------------------------------------------------------- memberships

  addMembership(input: AddMembershipInput): OrganizationMembershipJson {
    const organization = this.#organizationEntry(input.organization_id)
    this.#userEntry(input.user_id)
    const members = this.#membershipsByOrganization.get(organization.json.id) as Map<
      string,
      MembershipEntry
    >
    if (members.has(input.user_id)) {
      throw new ClerkApiError(
        422,
        'already_a_member_in_organization',
        'Already a member',
        `User ${input.user_id} is already a member of the organization.`,
      )
    }
    const role = input.role ?? 'org:member'
    if (!role.startsWith('org:')) throw paramInvalid('role', `${role} is not a valid role key.`)
    const metadata = {
      public_metadata: input.public_metadata ?? {},
      private_metadata: input.private_metadata ?? {},
    }
    assertMetadataSize(metadata, this.#metadataLimit)
    const createdAt = input.created_at ?? this.#now()
    const entry: MembershipEntry = {
      id: input.id ?? mintId('orgmem', this.#random),
      organizationId: organization.json.id,
      userId: input.user_id,
      role,
      metadata: deepFreeze(metadata),
      createdAt,
      updatedAt: createdAt,
      seq: this.#seq++,
    }
    members.set(input.user_id, entry)
    const ofUser = this.#membershipsByUser.get(input.user_id) ?? new Map()
    ofUser.set(organization.json.id, entry)
    this.#membershipsByUser.set(input.user_id, ofUser)
    this.#memberships.insert(entry)
    return this.#membershipJson(entry)
  }

  removeMembership(organizationId: string, userId: string): OrganizationMembershipJson {
    const entry = this.#membershipEntry(organizationId, userId)
    const json = this.#membershipJson(entry)
    this.#membershipsByOrganization.get(organizationId)?.delete(userId)
    this.#membershipsByUser.get(userId)?.delete(organizationId)
    this.#memberships.remove(entry)
    return json
  }

  /** PATCH deep merge of a membership's public and private metadata. */
  updateMembershipMetadata(
    organizationId: string,
    userId: string,
    update: MetadataUpdate,
  ): OrganizationMembershipJson {
    const entry = this.#membershipEntry(organizationId, userId)
    const next = applyMetadataUpdate(entry.metadata, update, 'merge')
    assertMetadataSize(next, this.#metadataLimit)
    entry.metadata = deepFreeze({
      public_metadata: next.public_metadata ?? null,
      private_metadata: next.private_metadata ?? null,
    })
    entry.updatedAt = this.#now()
    return this.#membershipJson(entry)
  }

  listMemberships(
    filter: MembershipFilter,
    order: SortOrder<MembershipSortKey>,
    page: Page,
  ): {data: OrganizationMembershipJson[]; totalCount: number} {
    let candidates: MembershipEntry[]
    if (filter.organizationId !== undefined) {
      this.#organizationEntry(filter.organizationId)
      candidates = [...(this.#membershipsByOrganization.get(filter.organizationId)?.values() ?? [])]
    } else if (filter.userId !== undefined) {
      this.#userEntry(filter.userId)
      candidates = [...(this.#membershipsByUser.get(filter.userId)?.values() ?? [])]
    } else {
      candidates = this.#memberships.toArray()
    }
    const userMatches = compileUserFilter({
      ...(filter.userIds && {userIds: filter.userIds}),
      ...(filter.emailAddresses && {emailAddresses: filter.emailAddresses}),
      ...(filter.query !== undefined && {query: filter.query}),
    })
    const matching = candidates.filter(
      (entry) =>
        (!filter.roles || filter.roles.includes(entry.role)) &&
        userMatches(this.#users.get(entry.userId) as UserEntry),
    )
    const valueOf = (entry: MembershipEntry) =>
      order.key === 'created_at'
        ? entry.createdAt
        : USER_SORT_KEYS[order.key]((this.#users.get(entry.userId) as UserEntry).json)
    matching.sort((a, b) => compareSortValues(valueOf(a), valueOf(b)) || a.seq - b.seq)
    if (order.descending) matching.reverse()
    return {
      data: matching
        .slice(page.offset, page.offset + page.limit)
        .map((e) => this.#membershipJson(e)),
      totalCount: matching.length,
    }
  }

  // -------------------------------------------------------------- private

  #userEntry(id: string): UserEntry {
    const entry = this.#users.get(id)
    if (!entry) throw notFound('User')
    return entry
  }

  #organizationEntry(idOrSlug: string): OrganizationEntry {
    const entry = this.#organizations.get(this.#organizationIdBySlug.get(idOrSlug) ?? idOrSlug)
    if (!entry) throw notFound('Organization')
    return entry
  }

  #membershipEntry(organizationId: string, userId: string): MembershipEntry {
    const organization = this.#organizationEntry(organizationId)
    const entry = this.#membershipsByOrganization.get(organization.json.id)?.get(userId)
    if (!entry) throw notFound('Organization membership')
    return entry
  }

  #updateUserMetadata(id: string, update: MetadataUpdate, mode: 'merge' | 'replace'): UserJson {
    const entry = this.#userEntry(id)
    const current = entry.json
    const next = applyMetadataUpdate(current, pickMetadata(update, USER_METADATA_FIELDS), mode)
    assertMetadataSize(pickMetadata(next, USER_METADATA_FIELDS), this.#metadataLimit)
    return this.#replaceUser(entry, {...current, ...next}, false)
  }

  #updateOrganizationMetadata(
    id: string,
    update: MetadataUpdate,
    mode: 'merge' | 'replace',
  ): OrganizationJson {
    const entry = this.#organizationEntry(id)
    const fields = ORGANIZATION_METADATA_FIELDS
    const next = applyMetadataUpdate(entry.json, pickMetadata(update, fields), mode)
    assertMetadataSize(pickMetadata(next, fields), this.#metadataLimit)
    return this.#replaceOrganization(entry, {...entry.json, ...next})
  }

  /** `profile` says names or identifiers may have changed, so indexes and search text follow. */
  #replaceUser(entry: UserEntry, user: UserJson, profile: boolean): UserJson {
    if (profile) this.#unindexIdentifiers(entry.json)
    entry.json = deepFreeze({...user, updated_at: this.#now()})
    if (profile) {
      entry.search = searchTextOf(entry.json)
      this.#indexIdentifiers(entry.json)
      this.#searchIndex = undefined
    }
    this.#sortCache.clear()
    return entry.json
  }

  #replaceOrganization(entry: OrganizationEntry, organization: OrganizationJson) {
    entry.json = deepFreeze({...organization, updated_at: this.#now()})
    return entry.json
  }

  #membershipJson(entry: MembershipEntry): OrganizationMembershipJson {
    const organization = this.#organizations.get(entry.organizationId) as OrganizationEntry
    const user = this.#users.get(entry.userId) as UserEntry
    return {
      object: 'organization_membership',
      id: entry.id,
      role: entry.role,
      role_name: roleNameOf(entry.role),
      permissions: permissionsOf(entry.role),
      ...entry.metadata,
      organization: organization.json,
      public_user_data: publicUserDataOf(user.json),
      created_at: entry.createdAt,
      updated_at: entry.updatedAt,
    }
  }

  /** Users in the requested order, narrowed up front when the filter names ids or emails. */
  #usersSorted(order: SortOrder<UserSortKey>, filter: UserFilter): Iterable<UserEntry> {
    const candidates = this.#usersCandidates(filter)
    if (candidates) {
      const valueOf = USER_SORT_KEYS[order.key]
      const sorted = candidates.sort(
        (a, b) => compareSortValues(valueOf(a.json), valueOf(b.json)) || a.seq - b.seq,
      )
      return order.descending ? sorted.reverse() : sorted
    }
    if (order.key === 'created_at') return this.#usersInOrder.iterate(order.descending)
    let sorted = this.#sortCache.get(order.key)
    if (!sorted) {
      const valueOf = USER_SORT_KEYS[order.key]
      sorted = this.#usersInOrder
        .toArray()
        .sort((a, b) => compareSortValues(valueOf(a.json), valueOf(b.json)) || a.seq - b.seq)
      this.#sortCache.set(order.key, sorted)
    }
    return order.descending ? reversed(sorted) : sorted
  }

  /** The few users an include-list of ids or emails can match, or undefined to scan all. */
  #usersCandidates(filter: UserFilter): UserEntry[] | undefined {
    let ids: string[] | undefined
    if (filter.userIds?.include.length) ids = filter.userIds.include
    else if (filter.emailAddresses) {
      ids = filter.emailAddresses.flatMap((email) => {
        const id = this.#userIdByEmail.get(email.toLowerCase())
        return id ? [id] : []
      })
    } else if (filter.query !== undefined) {
      return this.#usersMatching(filter.query.toLowerCase())
    }
    if (!ids) return undefined
    const entries = new Set<UserEntry>()
    for (const id of ids) {
      const entry = this.#users.get(id)
      if (entry) entries.add(entry)
    }
    return [...entries]
  }

  /**
   * Users whose search text contains `needle`, oldest first. One `indexOf` walk over the joined
   * search texts instead of a substring test per user: a `query` over 100,000 users stays cheap.
   */
  #usersMatching(needle: string): UserEntry[] {
    if (needle.includes(SEARCH_SEPARATOR)) return []
    const index = (this.#searchIndex ??= buildSearchIndex(this.#usersInOrder.toArray()))
    const matches: UserEntry[] = []
    let position = index.text.indexOf(needle)
    while (position !== -1) {
      const owner = segmentAt(index.starts, position)
      matches.push(index.entries[owner] as UserEntry)
      const next = index.starts[owner + 1]
      if (next === undefined) break
      position = index.text.indexOf(needle, next)
    }
    return matches
  }

  #assertIdentifiersFree(
    emails: string[],
    phones: string[],
    username: string | null,
    externalId: string | null,
  ): void {
    for (const email of emails) {
      if (!EMAIL.test(email)) throw paramInvalid('email_address', `${email} is not a valid email.`)
      if (this.#userIdByEmail.has(email) || emails.indexOf(email) !== emails.lastIndexOf(email)) {
        throw identifierTaken('email_address', 'That email address is taken. Please try another.')
      }
    }
    for (const phone of phones) {
      if (!PHONE.test(phone)) {
        throw paramInvalid('phone_number', `${phone} is not a valid phone number in E.164 format.`)
      }
      if (this.#userIdByPhone.has(phone) || phones.indexOf(phone) !== phones.lastIndexOf(phone)) {
        throw identifierTaken('phone_number', 'That phone number is taken. Please try another.')
      }
    }
    if (username !== null) {
      if (!USERNAME.test(username)) {
        throw paramInvalid(
          'username',
          'Usernames are 4 to 64 characters: letters, digits, "_" and "-".',
        )
      }
      if (this.#userIdByUsername.has(username)) {
        throw identifierTaken('username', 'That username is taken. Please try another.')
      }
    }
    if (externalId !== null && this.#userIdByExternalId.has(externalId)) {
      throw identifierTaken('external_id', 'That external ID is taken.')
    }
  }

  #indexIdentifiers(user: UserJson): void {
    for (const email of user.email_addresses) this.#userIdByEmail.set(email.email_address, user.id)
    for (const phone of user.phone_numbers) this.#userIdByPhone.set(phone.phone_number, user.id)
    if (user.username !== null) this.#userIdByUsername.set(user.username, user.id)
    if (user.external_id !== null) this.#userIdByExternalId.set(user.external_id, user.id)
  }

  #unindexIdentifiers(user: UserJson): void {
    for (const email of user.email_addresses) this.#userIdByEmail.delete(email.email_address)
    for (const phone of user.phone_numbers) this.#userIdByPhone.delete(phone.phone_number)
    if (user.username !== null) this.#userIdByUsername.delete(user.username)
    if (user.external_id !== null) this.#userIdByExternalId.delete(user.external_id)
  }

  #assertSlugFree(slug: string): void {
    if (!SLUG.test(slug)) {
      throw paramInvalid('slug', 'Slugs contain only lowercase letters, digits and "-".')
    }
    if (this.#organizationIdBySlug.has(slug)) {
      throw identifierTaken('slug', 'That slug is taken. Please try another.')
    }
  }

  #freeSlug(base: string): string {
    let slug = base
    for (let n = 2; this.#organizationIdBySlug.has(slug); n++) slug = `${base}-${n}`
    return slug
  }
}

function pickMetadata(
  source: Partial<Record<MetadataField, JsonObject | null>>,
  fields: readonly MetadataField[],
): Partial<Record<MetadataField, JsonObject | null>> {
  const picked: Partial<Record<MetadataField, JsonObject | null>> = {}
  for (const field of fields) if (field in source) picked[field] = source[field] ?? null
  return picked
}

function* reversed<T>(items: readonly T[]): Generator<T> {
  for (let i = items.length - 1; i >= 0; i--) yield items[i] as T
}

const SEARCH_SEPARATOR = '\u0000'

interface SearchIndex {
  text: string
  /** Where each user's search text starts in `text`, ascending. */
  starts: number[]
  entries: UserEntry[]
}

function buildSearchIndex(entries: UserEntry[]): SearchIndex {
  const starts: number[] = []
  let offset = 0
  for (const entry of entries) {
    starts.push(offset)
    offset += entry.search.length + SEARCH_SEPARATOR.length
  }
  return {text: entries.map((entry) => entry.search).join(SEARCH_SEPARATOR), starts, entries}
}

/** The index of the segment containing `position`: the last start at or before it. */
function segmentAt(starts: readonly number[], position: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >>> 1
    if ((starts[middle] as number) <= position) low = middle
    else high = middle - 1
  }
  return low
}
