/** Organization memberships, indexed both by organization and by user. */
import {ClerkApiError, notFound, paramInvalid} from './errors'
import {
  applyMetadataUpdate,
  assertMetadataSize,
  type JsonObject,
  type MetadataUpdate,
} from './metadata'
import {CreationOrderedList, type Ordered} from './ordered-list'
import {mintId} from './random'
import {
  permissionsOf,
  publicUserDataOf,
  roleNameOf,
  type OrganizationJson,
  type OrganizationMembershipJson,
  type UserJson,
} from './resources'
import {deepFreeze, type Page, type SortOrder, type StoreContext} from './store-context'
import {
  compareSortValues,
  compileUserFilter,
  USER_SORT_KEYS,
  type FilterableUser,
} from './user-filter'

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

export type MembershipSortKey =
  'created_at' | 'first_name' | 'last_name' | 'username' | 'email_address' | 'phone_number'

export interface MembershipFilter {
  organizationId?: string
  userId?: string
  userIds?: {include: string[]; exclude: string[]}
  emailAddresses?: string[]
  roles?: string[]
  query?: string
}

/** What the memberships table asks of the rest of the store. */
export interface MembershipNeighbours {
  /** The organization by id or slug, or `resource_not_found`. */
  organization(idOrSlug: string): OrganizationJson
  /** The user, or `resource_not_found`. */
  user(id: string): UserJson
  filterableUser(id: string): FilterableUser
}

interface MembershipEntry extends Ordered {
  id: string
  organizationId: string
  userId: string
  role: string
  metadata: {public_metadata: JsonObject | null; private_metadata: JsonObject | null}
  updatedAt: number
}

export class MembershipsTable {
  readonly #context: StoreContext
  readonly #neighbours: MembershipNeighbours
  #memberships = new CreationOrderedList<MembershipEntry>()
  #byOrganization = new Map<string, Map<string, MembershipEntry>>()
  #byUser = new Map<string, Map<string, MembershipEntry>>()

  constructor(context: StoreContext, neighbours: MembershipNeighbours) {
    this.#context = context
    this.#neighbours = neighbours
  }

  get size(): number {
    return this.#memberships.size
  }

  clear(): void {
    this.#memberships.clear()
    this.#byOrganization.clear()
    this.#byUser.clear()
  }

  organizationIdsOf(userId: string): Iterable<string> {
    return this.#byUser.get(userId)?.keys() ?? []
  }

  memberIdsOf(organizationId: string): Iterable<string> {
    return this.#byOrganization.get(organizationId)?.keys() ?? []
  }

  membersCount(organizationId: string): number {
    return this.#byOrganization.get(organizationId)?.size ?? 0
  }

  add(input: AddMembershipInput): OrganizationMembershipJson {
    const organization = this.#neighbours.organization(input.organization_id)
    this.#neighbours.user(input.user_id)
    const members = this.#byOrganization.get(organization.id) ?? new Map()
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
    assertMetadataSize(metadata, this.#context.metadataLimit)
    const createdAt = input.created_at ?? this.#context.now()
    const entry: MembershipEntry = {
      id: input.id ?? mintId('orgmem', this.#context.random),
      organizationId: organization.id,
      userId: input.user_id,
      role,
      metadata: deepFreeze(metadata),
      createdAt,
      updatedAt: createdAt,
      seq: this.#context.nextSeq(),
    }
    members.set(input.user_id, entry)
    this.#byOrganization.set(organization.id, members)
    const ofUser = this.#byUser.get(input.user_id) ?? new Map()
    ofUser.set(organization.id, entry)
    this.#byUser.set(input.user_id, ofUser)
    this.#memberships.insert(entry)
    return this.#json(entry)
  }

  remove(organizationId: string, userId: string): OrganizationMembershipJson {
    const entry = this.#entry(organizationId, userId)
    const json = this.#json(entry)
    this.#byOrganization.get(entry.organizationId)?.delete(userId)
    this.#byUser.get(userId)?.delete(entry.organizationId)
    this.#memberships.remove(entry)
    return json
  }

  /** Every membership of a user, removed; the user is about to go. */
  removeAllOfUser(userId: string): OrganizationMembershipJson[] {
    return [...this.organizationIdsOf(userId)].map((id) => this.remove(id, userId))
  }

  /** Every membership of an organization, removed; the organization is about to go. */
  removeAllOfOrganization(organizationId: string): OrganizationMembershipJson[] {
    const removed = [...this.memberIdsOf(organizationId)].map((userId) =>
      this.remove(organizationId, userId),
    )
    this.#byOrganization.delete(organizationId)
    return removed
  }

  /** PATCH deep merge of a membership's public and private metadata. */
  updateMetadata(
    organizationId: string,
    userId: string,
    update: MetadataUpdate,
  ): OrganizationMembershipJson {
    const entry = this.#entry(organizationId, userId)
    const next = applyMetadataUpdate(entry.metadata, update, 'merge')
    assertMetadataSize(next, this.#context.metadataLimit)
    entry.metadata = deepFreeze({
      public_metadata: next.public_metadata ?? null,
      private_metadata: next.private_metadata ?? null,
    })
    entry.updatedAt = this.#context.now()
    return this.#json(entry)
  }

  list(
    filter: MembershipFilter,
    order: SortOrder<MembershipSortKey>,
    page: Page,
  ): {data: OrganizationMembershipJson[]; totalCount: number} {
    let candidates: MembershipEntry[]
    if (filter.organizationId !== undefined) {
      this.#neighbours.organization(filter.organizationId)
      candidates = [...(this.#byOrganization.get(filter.organizationId)?.values() ?? [])]
    } else if (filter.userId !== undefined) {
      this.#neighbours.user(filter.userId)
      candidates = [...(this.#byUser.get(filter.userId)?.values() ?? [])]
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
        userMatches(this.#neighbours.filterableUser(entry.userId)),
    )
    const valueOf = (entry: MembershipEntry) =>
      order.key === 'created_at'
        ? entry.createdAt
        : USER_SORT_KEYS[order.key](this.#neighbours.user(entry.userId))
    matching.sort((a, b) => compareSortValues(valueOf(a), valueOf(b)) || a.seq - b.seq)
    if (order.descending) matching.reverse()
    return {
      data: matching.slice(page.offset, page.offset + page.limit).map((e) => this.#json(e)),
      totalCount: matching.length,
    }
  }

  #entry(organizationId: string, userId: string): MembershipEntry {
    const organization = this.#neighbours.organization(organizationId)
    const entry = this.#byOrganization.get(organization.id)?.get(userId)
    if (!entry) throw notFound('Organization membership')
    return entry
  }

  #json(entry: MembershipEntry): OrganizationMembershipJson {
    return {
      object: 'organization_membership',
      id: entry.id,
      role: entry.role,
      role_name: roleNameOf(entry.role),
      permissions: permissionsOf(entry.role),
      ...entry.metadata,
      organization: this.#neighbours.organization(entry.organizationId),
      public_user_data: publicUserDataOf(this.#neighbours.user(entry.userId)),
      created_at: entry.createdAt,
      updated_at: entry.updatedAt,
    }
  }
}
