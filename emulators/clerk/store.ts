/**
 * The emulator's in-memory state. It speaks Clerk's wire format on both sides: inputs use the
 * request-body field names (snake_case), outputs are the response objects. Returned objects are
 * frozen snapshots; every write replaces them, so holding one never sees later changes.
 *
 * Each resource lives in its own table (`users-table.ts`, `organizations-table.ts`,
 * `memberships-table.ts`); this class is their one entrance and does what spans tables, such as
 * removing a user's memberships before the user.
 */
import {DEFAULT_METADATA_LIMIT, type MetadataLimit, type MetadataUpdate} from './metadata'
import {
  MembershipsTable,
  type AddMembershipInput,
  type MembershipFilter,
  type MembershipSortKey,
} from './memberships-table'
import {
  OrganizationsTable,
  type CreateOrganizationInput,
  type OrganizationFilter,
  type OrganizationSortKey,
  type UpdateOrganizationInput,
} from './organizations-table'
import {cryptoRandom, type RandomSource} from './random'
import type {
  DeletedObjectJson,
  OrganizationJson,
  OrganizationMembershipJson,
  UserJson,
} from './resources'
import type {Page, SortOrder, StoreContext} from './store-context'
import type {UserFilter, UserSortKey} from './user-filter'
import {UsersTable, type CreateUserInput, type UpdateUserInput} from './users-table'

export type {AddMembershipInput, MembershipFilter, MembershipSortKey} from './memberships-table'
export type {
  CreateOrganizationInput,
  OrganizationFilter,
  OrganizationSortKey,
  UpdateOrganizationInput,
} from './organizations-table'
export type {Page, SortOrder} from './store-context'
export type {CreateUserInput, UpdateUserInput} from './users-table'

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

/** State of one emulated Clerk instance. */
export class ClerkStore {
  readonly #context: StoreContext
  readonly #users: UsersTable
  readonly #organizations: OrganizationsTable
  readonly #memberships: MembershipsTable

  constructor(options: ClerkStoreOptions = {}) {
    let seq = 0
    this.#context = {
      random: options.random ?? cryptoRandom(),
      now: options.now ?? Date.now,
      metadataLimit: options.metadataLimit ?? DEFAULT_METADATA_LIMIT,
      imageOrigin: options.imageOrigin ?? 'http://127.0.0.1',
      nextSeq: () => seq++,
    }
    this.#users = new UsersTable(this.#context, (userId) =>
      this.#memberships.organizationIdsOf(userId),
    )
    this.#organizations = new OrganizationsTable(this.#context, {
      userExists: (userId) => this.#users.has(userId),
      memberIdsOf: (organizationId) => this.#memberships.memberIdsOf(organizationId),
      membersCount: (organizationId) => this.#memberships.membersCount(organizationId),
    })
    this.#memberships = new MembershipsTable(this.#context, {
      organization: (idOrSlug) => this.#organizations.require(idOrSlug),
      user: (id) => this.#users.require(id),
      filterableUser: (id) => this.#users.filterable(id),
    })
  }

  /** Where avatar URLs point; the server sets it once it knows its port. */
  set imageOrigin(origin: string) {
    this.#context.imageOrigin = origin
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
    this.#organizations.clear()
    this.#memberships.clear()
  }

  // ---------------------------------------------------------------- users

  createUser(input: CreateUserInput): UserJson {
    return this.#users.create(input)
  }

  getUser(id: string): UserJson | undefined {
    return this.#users.get(id)
  }

  /**
   * Applies profile changes and, for API versions that still allow it, a metadata replacement,
   * as one write: when any part is invalid nothing changes.
   */
  updateUser(id: string, changes: UpdateUserInput, replaceMetadata: MetadataUpdate = {}): UserJson {
    return this.#users.update(id, changes, replaceMetadata)
  }

  deleteUser(id: string): DeletedObjectJson {
    this.#users.require(id)
    this.#memberships.removeAllOfUser(id)
    this.#users.delete(id)
    return {object: 'user', id, deleted: true}
  }

  /**
   * Writes metadata of a user (`user_…`) or organization (`org_…`): `merge` deep-merges each
   * supplied field (PATCH), `replace` overwrites it (PUT).
   */
  updateMetadata(id: string, update: MetadataUpdate, mode: 'merge' | 'replace' = 'merge') {
    if (id.startsWith('org_')) return this.#organizations.updateMetadata(id, update, mode)
    return this.#users.updateMetadata(id, update, mode)
  }

  /** One page of the users matching a filter, in the given order. Stops once the page is full. */
  listUsers(filter: UserFilter, order: SortOrder<UserSortKey>, page: Page): UserJson[] {
    return this.#users.list(filter, order, page)
  }

  countUsers(filter: UserFilter): number {
    return this.#users.count(filter)
  }

  // -------------------------------------------------------- organizations

  createOrganization(input: CreateOrganizationInput): OrganizationJson {
    const organization = this.#organizations.create(input)
    if (input.created_by) {
      this.addMembership({
        organization_id: organization.id,
        user_id: input.created_by,
        role: 'org:admin',
      })
    }
    return organization
  }

  /** By id, or by slug as `GET /organizations/{id_or_slug}` allows. */
  getOrganization(idOrSlug: string): OrganizationJson | undefined {
    return this.#organizations.get(idOrSlug)
  }

  /** Like {@link updateUser}: profile changes and an optional metadata replacement, all or none. */
  updateOrganization(
    id: string,
    changes: UpdateOrganizationInput,
    replaceMetadata: MetadataUpdate = {},
  ): OrganizationJson {
    return this.#organizations.update(id, changes, replaceMetadata)
  }

  deleteOrganization(id: string): DeletedObjectJson {
    const organization = this.#organizations.require(id)
    this.#memberships.removeAllOfOrganization(organization.id)
    this.#organizations.delete(organization.id)
    return {object: 'organization', id, slug: organization.slug, deleted: true}
  }

  /** Number of members, for `include_members_count`. */
  membersCount(organizationId: string): number {
    return this.#memberships.membersCount(organizationId)
  }

  listOrganizations(
    filter: OrganizationFilter,
    order: SortOrder<OrganizationSortKey>,
    page: Page,
  ): {data: OrganizationJson[]; totalCount: number} {
    return this.#organizations.list(filter, order, page)
  }

  // ---------------------------------------------------------- memberships

  addMembership(input: AddMembershipInput): OrganizationMembershipJson {
    return this.#memberships.add(input)
  }

  removeMembership(organizationId: string, userId: string): OrganizationMembershipJson {
    return this.#memberships.remove(organizationId, userId)
  }

  /** PATCH deep merge of a membership's public and private metadata. */
  updateMembershipMetadata(
    organizationId: string,
    userId: string,
    update: MetadataUpdate,
  ): OrganizationMembershipJson {
    return this.#memberships.updateMetadata(organizationId, userId, update)
  }

  listMemberships(
    filter: MembershipFilter,
    order: SortOrder<MembershipSortKey>,
    page: Page,
  ): {data: OrganizationMembershipJson[]; totalCount: number} {
    return this.#memberships.list(filter, order, page)
  }
}
