/**
 * The users of the emulated instance: records in creation order, the identifier indexes that
 * keep emails, phones, usernames and external ids unique, and the cached orders and search text
 * that keep listing 100,000 users cheap.
 */
import {identifierTaken, notFound, paramInvalid} from './errors'
import {
  applyMetadataUpdate,
  assertMetadataSize,
  type JsonObject,
  type MetadataField,
  type MetadataUpdate,
} from './metadata'
import {CreationOrderedList, sliceInOrder, type Ordered} from './ordered-list'
import {mintId, seededRandom} from './random'
import type {EmailAddressJson, PhoneNumberJson, UserJson, VerificationJson} from './resources'
import {
  deepFreeze,
  pickMetadata,
  type Page,
  type SortOrder,
  type StoreContext,
} from './store-context'
import {
  compareSortValues,
  compileUserFilter,
  searchTextOf,
  USER_SORT_KEYS,
  type FilterableUser,
  type UserFilter,
  type UserSortKey,
} from './user-filter'
import {UserSearchIndex} from './user-search-index'

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
  /** How the emails count as verified: `admin` (default) or `ticket` (an accepted invitation). */
  verification_strategy?: 'admin' | 'ticket'
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

/** `POST /email_addresses` fields; `strategy` says how a verified address was verified. */
export interface CreateEmailAddressInput {
  user_id: string
  email_address: string
  verified?: boolean | null
  primary?: boolean | null
  strategy?: 'admin' | 'ticket'
}

/** `PATCH /email_addresses/{id}` fields. */
export interface UpdateEmailAddressInput {
  verified?: boolean | null
  primary?: boolean | null
}

/** How long an emailed verification code stays valid. */
const EMAIL_CODE_TTL_MS = 10 * 60 * 1000

export interface UserEntry extends Ordered, FilterableUser {}

const USER_ID = /^user_[A-Za-z0-9]+$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+[1-9]\d{6,14}$/
const USERNAME = /^[a-z0-9_-]{4,64}$/
const USER_METADATA_FIELDS: readonly MetadataField[] = [
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
]

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

export class UsersTable {
  readonly #context: StoreContext
  /** Ids of the organizations a user belongs to; the memberships table knows. */
  readonly #organizationIdsOf: (userId: string) => Iterable<string>
  #users = new Map<string, UserEntry>()
  #usersInOrder = new CreationOrderedList<UserEntry>()
  #userIdByEmail = new Map<string, string>()
  #userIdByEmailId = new Map<string, string>()
  #userIdByPhone = new Map<string, string>()
  #userIdByUsername = new Map<string, string>()
  #userIdByExternalId = new Map<string, string>()
  /** Sorted user orders other than by creation, valid until the next user write. */
  #sortCache = new Map<UserSortKey, UserEntry[]>()
  /** Every user's search text in one string, valid until a user is added, removed or renamed. */
  #searchIndex: UserSearchIndex<UserEntry> | undefined

  constructor(context: StoreContext, organizationIdsOf: (userId: string) => Iterable<string>) {
    this.#context = context
    this.#organizationIdsOf = organizationIdsOf
  }

  get size(): number {
    return this.#users.size
  }

  has(id: string): boolean {
    return this.#users.has(id)
  }

  clear(): void {
    this.#users.clear()
    this.#usersInOrder.clear()
    this.#userIdByEmail.clear()
    this.#userIdByEmailId.clear()
    this.#userIdByPhone.clear()
    this.#userIdByUsername.clear()
    this.#userIdByExternalId.clear()
    this.#changed(true)
  }

  create(input: CreateUserInput): UserJson {
    const context = this.#context
    const id = input.id ?? mintId('user', context.random)
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
    assertMetadataSize(metadata, context.metadataLimit)

    const createdAt = input.created_at ?? context.now()
    // A caller-chosen user id (seeds, the demo) makes the identification ids reproducible too.
    const identificationRandom = input.id ? seededRandom(`${input.id}/idn`) : context.random
    const emailAddresses = emails.map((email): EmailAddressJson => ({
      id: mintId('idn', identificationRandom),
      object: 'email_address',
      email_address: email,
      reserved: false,
      verification: verifiedBy(input.verification_strategy ?? 'admin'),
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
    const imageUrl = `${context.imageOrigin}/__emulator/avatars/${id}.svg`
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
      seq: context.nextSeq(),
      organizationIds: () => this.#organizationIdsOf(id),
    }
    this.#users.set(id, entry)
    this.#usersInOrder.insert(entry)
    this.#indexIdentifiers(user)
    this.#changed(true)
    return entry.json
  }

  get(id: string): UserJson | undefined {
    return this.#users.get(id)?.json
  }

  /** The user, or Clerk's `resource_not_found`. */
  require(id: string): UserJson {
    return this.#entry(id).json
  }

  /** See {@link ClerkStore.updateUser}. */
  update(id: string, changes: UpdateUserInput, replaceMetadata: MetadataUpdate = {}): UserJson {
    const entry = this.#entry(id)
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
    assertMetadataSize(pickMetadata(metadata, USER_METADATA_FIELDS), this.#context.metadataLimit)
    return this.#replace(
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

  updateMetadata(id: string, update: MetadataUpdate, mode: 'merge' | 'replace'): UserJson {
    const entry = this.#entry(id)
    const current = entry.json
    const next = applyMetadataUpdate(current, pickMetadata(update, USER_METADATA_FIELDS), mode)
    assertMetadataSize(pickMetadata(next, USER_METADATA_FIELDS), this.#context.metadataLimit)
    return this.#replace(entry, {...current, ...next}, false)
  }

  /** The id of the user who has this (lowercased) address, verified or not. */
  userIdByEmail(email: string): string | undefined {
    return this.#userIdByEmail.get(email.trim().toLowerCase())
  }

  /** Whether the address is free and well-formed; Clerk's errors when it is not. */
  assertEmailFree(email: string): void {
    this.#assertIdentifiersFree([email.trim().toLowerCase()], [], null, null)
  }

  /** Adds an address to a user; unverified unless `verified`. Returns the user and the address. */
  addEmailAddress(input: CreateEmailAddressInput): {user: UserJson; email: EmailAddressJson} {
    const entry = this.#entry(input.user_id)
    const address = input.email_address.trim().toLowerCase()
    this.#assertIdentifiersFree([address], [], null, null)
    const now = this.#context.now()
    const email: EmailAddressJson = {
      id: mintId('idn', this.#context.random),
      object: 'email_address',
      email_address: address,
      reserved: false,
      verification: input.verified
        ? verifiedBy(input.strategy ?? 'admin')
        : {
            status: 'unverified',
            strategy: 'email_code',
            attempts: 0,
            expire_at: now + EMAIL_CODE_TTL_MS,
          },
      linked_to: NONE,
      matches_sso_connection: false,
      created_at: now,
      updated_at: now,
    }
    const current = entry.json
    const primary = input.primary || current.primary_email_address_id === null
    const user = this.#replace(
      entry,
      {
        ...current,
        email_addresses: [...current.email_addresses, email],
        primary_email_address_id: primary ? email.id : current.primary_email_address_id,
      },
      true,
    )
    return {user, email: user.email_addresses.at(-1) as EmailAddressJson}
  }

  /** Marks an address verified (or not) and/or primary. Returns the user and the address. */
  updateEmailAddress(
    emailId: string,
    changes: UpdateEmailAddressInput,
  ): {user: UserJson; email: EmailAddressJson} {
    const entry = this.#emailOwner(emailId)
    const current = entry.json
    const now = this.#context.now()
    const email_addresses = current.email_addresses.map((email) => {
      if (email.id !== emailId || changes.verified == null) return email
      const verification: VerificationJson = changes.verified
        ? verifiedBy('admin')
        : {
            status: 'unverified',
            strategy: 'email_code',
            attempts: 0,
            expire_at: now + EMAIL_CODE_TTL_MS,
          }
      return {...email, verification, updated_at: now}
    })
    const user = this.#replace(
      entry,
      {
        ...current,
        email_addresses,
        primary_email_address_id: changes.primary ? emailId : current.primary_email_address_id,
      },
      false,
    )
    return {user, email: user.email_addresses.find((e) => e.id === emailId) as EmailAddressJson}
  }

  /** The address with this id, or Clerk's `resource_not_found`. */
  getEmailAddress(emailId: string): EmailAddressJson {
    const entry = this.#emailOwner(emailId)
    return entry.json.email_addresses.find((e) => e.id === emailId) as EmailAddressJson
  }

  /** The user who owns an address id. */
  emailOwnerId(emailId: string): string {
    return this.#emailOwner(emailId).json.id
  }

  /** Removes the user record only; the store removes its memberships first. */
  delete(id: string): void {
    const entry = this.#entry(id)
    this.#users.delete(id)
    this.#usersInOrder.remove(entry)
    this.#unindexIdentifiers(entry.json)
    this.#changed(true)
  }

  /** One page of the users matching a filter, in the given order. Stops once the page is full. */
  list(filter: UserFilter, order: SortOrder<UserSortKey>, page: Page): UserJson[] {
    // Unfiltered (a reconcile paging everyone): jump to the offset instead of walking to it,
    // which made paging through N users cost O(N²).
    if (Object.keys(filter).length === 0) return this.#slice(order, page)
    const matches = compileUserFilter(filter)
    const data: UserJson[] = []
    let skipped = 0
    for (const entry of this.#sorted(order, filter)) {
      if (data.length >= page.limit) break
      if (!matches(entry)) continue
      if (skipped < page.offset) skipped++
      else data.push(entry.json)
    }
    return data
  }

  count(filter: UserFilter): number {
    const matches = compileUserFilter(filter)
    if (Object.keys(filter).length === 0) return this.#users.size
    let count = 0
    for (const entry of this.#candidates(filter) ?? this.#usersInOrder.iterate(true)) {
      if (matches(entry)) count++
    }
    return count
  }

  /** The filterable record of an existing user, for filters of other tables (memberships). */
  filterable(id: string): FilterableUser {
    return this.#entry(id)
  }

  #emailOwner(emailId: string): UserEntry {
    const userId = this.#userIdByEmailId.get(emailId)
    if (!userId) throw notFound('Email address')
    return this.#entry(userId)
  }

  #entry(id: string): UserEntry {
    const entry = this.#users.get(id)
    if (!entry) throw notFound('User')
    return entry
  }

  /** `profile` says names or identifiers may have changed, so indexes and search text follow. */
  #replace(entry: UserEntry, user: UserJson, profile: boolean): UserJson {
    if (profile) this.#unindexIdentifiers(entry.json)
    entry.json = deepFreeze({...user, updated_at: this.#context.now()})
    if (profile) {
      entry.search = searchTextOf(entry.json)
      this.#indexIdentifiers(entry.json)
    }
    this.#changed(profile)
    return entry.json
  }

  /** Drops cached orders; `searchable` when the set of users or their search text changed. */
  #changed(searchable: boolean): void {
    this.#sortCache.clear()
    if (searchable) this.#searchIndex = undefined
  }

  #slice(order: SortOrder<UserSortKey>, {offset, limit}: Page): UserJson[] {
    const entries =
      order.key === 'created_at'
        ? this.#usersInOrder.slice(offset, limit, order.descending)
        : sliceInOrder(this.#ascending(order.key), offset, limit, order.descending)
    return entries.map((entry) => entry.json)
  }

  /** Users in the requested order, narrowed up front when the filter names ids or emails. */
  #sorted(order: SortOrder<UserSortKey>, filter: UserFilter): Iterable<UserEntry> {
    const candidates = this.#candidates(filter)
    if (candidates) {
      const valueOf = USER_SORT_KEYS[order.key]
      const sorted = candidates.sort(
        (a, b) => compareSortValues(valueOf(a.json), valueOf(b.json)) || a.seq - b.seq,
      )
      return order.descending ? sorted.reverse() : sorted
    }
    if (order.key === 'created_at') return this.#usersInOrder.iterate(order.descending)
    const sorted = this.#ascending(order.key)
    return order.descending ? reversed(sorted) : sorted
  }

  /** Every user by `key`, ascending; kept until the next change. */
  #ascending(key: UserSortKey): UserEntry[] {
    let sorted = this.#sortCache.get(key)
    if (!sorted) {
      const valueOf = USER_SORT_KEYS[key]
      sorted = this.#usersInOrder
        .toArray()
        .sort((a, b) => compareSortValues(valueOf(a.json), valueOf(b.json)) || a.seq - b.seq)
      this.#sortCache.set(key, sorted)
    }
    return sorted
  }

  /** The few users an include-list of ids or emails can match, or undefined to scan all. */
  #candidates(filter: UserFilter): UserEntry[] | undefined {
    let ids: string[] | undefined
    if (filter.userIds?.include.length) ids = filter.userIds.include
    else if (filter.emailAddresses) {
      ids = filter.emailAddresses.flatMap((email) => {
        const id = this.#userIdByEmail.get(email.toLowerCase())
        return id ? [id] : []
      })
    } else if (filter.query !== undefined) {
      this.#searchIndex ??= new UserSearchIndex(this.#usersInOrder.toArray())
      return this.#searchIndex.matching(filter.query.toLowerCase())
    }
    if (!ids) return undefined
    const entries = new Set<UserEntry>()
    for (const id of ids) {
      const entry = this.#users.get(id)
      if (entry) entries.add(entry)
    }
    return [...entries]
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
    for (const email of user.email_addresses) {
      this.#userIdByEmail.set(email.email_address, user.id)
      this.#userIdByEmailId.set(email.id, user.id)
    }
    for (const phone of user.phone_numbers) this.#userIdByPhone.set(phone.phone_number, user.id)
    if (user.username !== null) this.#userIdByUsername.set(user.username, user.id)
    if (user.external_id !== null) this.#userIdByExternalId.set(user.external_id, user.id)
  }

  #unindexIdentifiers(user: UserJson): void {
    for (const email of user.email_addresses) {
      this.#userIdByEmail.delete(email.email_address)
      this.#userIdByEmailId.delete(email.id)
    }
    for (const phone of user.phone_numbers) this.#userIdByPhone.delete(phone.phone_number)
    if (user.username !== null) this.#userIdByUsername.delete(user.username)
    if (user.external_id !== null) this.#userIdByExternalId.delete(user.external_id)
  }
}

function verifiedBy(strategy: 'admin' | 'ticket'): VerificationJson {
  return strategy === 'admin'
    ? ADMIN_VERIFICATION
    : {status: 'verified', strategy, attempts: null, expire_at: null}
}

function* reversed<T>(items: readonly T[]): Generator<T> {
  for (let i = items.length - 1; i >= 0; i--) yield items[i] as T
}
