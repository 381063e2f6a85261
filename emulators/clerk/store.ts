/**
 * The emulator's in-memory state. It speaks Clerk's wire format on both sides: inputs use the
 * request-body field names (snake_case), outputs are the response objects. Returned objects are
 * frozen snapshots; every write replaces them, so holding one never sees later changes.
 *
 * Each resource lives in its own table (`users-table.ts`, `organizations-table.ts`,
 * `memberships-table.ts`); this class is their one entrance and does what spans tables, such as
 * removing a user's memberships before the user.
 */
import type {ClerkEvent, ClerkEventListener} from './events'
import {
  InvitationsTable,
  type CreateInvitationInput,
  type InvitationFilter,
  type InvitationSortKey,
} from './invitations-table'
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
import {cryptoRandom, mintId, type RandomSource} from './random'
import type {
  DeletedObjectJson,
  EmailAddressJson,
  InvitationJson,
  OrganizationJson,
  OrganizationMembershipJson,
  UserJson,
} from './resources'
import type {Page, SortOrder, StoreContext} from './store-context'
import type {UserFilter, UserSortKey} from './user-filter'
import {
  UsersTable,
  type CreateEmailAddressInput,
  type CreateUserInput,
  type UpdateEmailAddressInput,
  type UpdateUserInput,
} from './users-table'

export type {AddMembershipInput, MembershipFilter, MembershipSortKey} from './memberships-table'
export type {
  CreateOrganizationInput,
  OrganizationFilter,
  OrganizationSortKey,
  UpdateOrganizationInput,
} from './organizations-table'
export type {Page, SortOrder} from './store-context'
export type {
  CreateEmailAddressInput,
  CreateUserInput,
  UpdateEmailAddressInput,
  UpdateUserInput,
} from './users-table'
export type {CreateInvitationInput, InvitationFilter, InvitationSortKey} from './invitations-table'

/** What an invitee fills in when signing up through an invitation. */
export interface AcceptInvitationInput {
  first_name?: string | null
  last_name?: string | null
  /** Chosen user id, for reproducible tests and demos. */
  id?: string
}

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

/**
 * State of one emulated Clerk instance. Every change fires the event Clerk would send to its
 * webhook endpoints (see {@link subscribe}); when a write fails, nothing changes and nothing fires.
 */
export class ClerkStore {
  readonly #context: StoreContext
  readonly #users: UsersTable
  readonly #organizations: OrganizationsTable
  readonly #memberships: MembershipsTable
  readonly #invitations: InvitationsTable
  readonly #listeners = new Set<ClerkEventListener>()

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
    this.#invitations = new InvitationsTable(this.#context, {
      assertEmailFree: (email) => this.#users.assertEmailFree(email),
    })
  }

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: ClerkEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #emit(event: ClerkEvent): void {
    for (const listener of this.#listeners) listener(event)
  }

  /** Where avatar URLs point; the server sets it once it knows its port. */
  set imageOrigin(origin: string) {
    this.#context.imageOrigin = origin
  }

  get counts(): {users: number; organizations: number; memberships: number; invitations: number} {
    return {
      users: this.#users.size,
      organizations: this.#organizations.size,
      memberships: this.#memberships.size,
      invitations: this.#invitations.size,
    }
  }

  /** Forgets everything. */
  reset(): void {
    this.#users.clear()
    this.#organizations.clear()
    this.#memberships.clear()
    this.#invitations.clear()
  }

  // ---------------------------------------------------------------- users

  createUser(input: CreateUserInput): UserJson {
    const user = this.#users.create(input)
    this.#emit({type: 'user.created', data: user})
    return user
  }

  getUser(id: string): UserJson | undefined {
    return this.#users.get(id)
  }

  /**
   * Applies profile changes and, for API versions that still allow it, a metadata replacement,
   * as one write: when any part is invalid nothing changes.
   */
  updateUser(id: string, changes: UpdateUserInput, replaceMetadata: MetadataUpdate = {}): UserJson {
    const user = this.#users.update(id, changes, replaceMetadata)
    this.#emit({type: 'user.updated', data: user})
    return user
  }

  deleteUser(id: string): DeletedObjectJson {
    this.#users.require(id)
    for (const membership of this.#memberships.removeAllOfUser(id)) {
      this.#emit({type: 'organizationMembership.deleted', data: membership})
    }
    this.#users.delete(id)
    const deleted: DeletedObjectJson = {object: 'user', id, deleted: true}
    this.#emit({type: 'user.deleted', data: deleted})
    return deleted
  }

  /**
   * Writes metadata of a user (`user_…`) or organization (`org_…`): `merge` deep-merges each
   * supplied field (PATCH), `replace` overwrites it (PUT).
   */
  updateMetadata(id: string, update: MetadataUpdate, mode: 'merge' | 'replace' = 'merge') {
    if (id.startsWith('org_')) {
      const organization = this.#organizations.updateMetadata(id, update, mode)
      this.#emit({type: 'organization.updated', data: organization})
      return organization
    }
    const user = this.#users.updateMetadata(id, update, mode)
    this.#emit({type: 'user.updated', data: user})
    return user
  }

  // ------------------------------------------------------ email addresses

  /**
   * Adds an address to a user (`POST /email_addresses`). An unverified one gets a verification
   * code by email, so Clerk fires `email.created` besides `user.updated`.
   */
  createEmailAddress(input: CreateEmailAddressInput): EmailAddressJson {
    const {user, email} = this.#users.addEmailAddress(input)
    this.#emit({type: 'user.updated', data: user})
    if (email.verification.status !== 'verified') {
      this.#emit({
        type: 'email.created',
        data: {
          object: 'email',
          id: mintId('ema', this.#context.random),
          slug: 'verification_code',
          from_email_name: 'notifications',
          to_email_address: email.email_address,
          email_address_id: email.id,
          user_id: user.id,
          subject: 'Verification code',
          body: 'Your verification code is 424242',
          body_plain: 'Your verification code is 424242',
          status: 'queued',
          data: {},
          delivered_by_clerk: true,
        },
      })
    }
    return email
  }

  /** `PATCH /email_addresses/{id}`: verify (or unverify) an address, or make it primary. */
  updateEmailAddress(emailId: string, changes: UpdateEmailAddressInput): EmailAddressJson {
    const {user, email} = this.#users.updateEmailAddress(emailId, changes)
    this.#emit({type: 'user.updated', data: user})
    return email
  }

  getEmailAddress(emailId: string): EmailAddressJson {
    return this.#users.getEmailAddress(emailId)
  }

  // ---------------------------------------------------------- invitations

  createInvitation(input: CreateInvitationInput): InvitationJson {
    return this.#invitations.create(input)
  }

  getInvitation(id: string): InvitationJson | undefined {
    return this.#invitations.get(id)
  }

  revokeInvitation(id: string): InvitationJson {
    return this.#invitations.revoke(id)
  }

  listInvitations(
    filter: InvitationFilter,
    order: SortOrder<InvitationSortKey>,
    page: Page,
  ): {data: InvitationJson[]; totalCount: number} {
    return this.#invitations.list(filter, order, page)
  }

  /**
   * What happens when the invitee signs up through the invitation link: a user with the invited
   * address, verified by the ticket, and the invitation's public metadata; `user.created` fires.
   */
  acceptInvitation(
    id: string,
    input: AcceptInvitationInput = {},
  ): {user: UserJson; invitation: InvitationJson; redirectUrl: string | null} {
    const pending = this.#invitations.requirePending(id)
    const user = this.createUser({
      ...input,
      email_address: [pending.email_address],
      public_metadata: pending.public_metadata,
      verification_strategy: 'ticket',
    })
    const invitation = this.#invitations.accept(id)
    return {user, invitation, redirectUrl: this.#invitations.redirectUrlOf(id)}
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
    this.#emit({type: 'organization.created', data: organization})
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
    const organization = this.#organizations.update(id, changes, replaceMetadata)
    this.#emit({type: 'organization.updated', data: organization})
    return organization
  }

  deleteOrganization(id: string): DeletedObjectJson {
    const organization = this.#organizations.require(id)
    for (const membership of this.#memberships.removeAllOfOrganization(organization.id)) {
      this.#emit({type: 'organizationMembership.deleted', data: membership})
    }
    this.#organizations.delete(organization.id)
    const deleted: DeletedObjectJson = {
      object: 'organization',
      id: organization.id,
      slug: organization.slug,
      deleted: true,
    }
    this.#emit({type: 'organization.deleted', data: deleted})
    return deleted
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
    const membership = this.#memberships.add(input)
    this.#emit({type: 'organizationMembership.created', data: membership})
    return membership
  }

  removeMembership(organizationId: string, userId: string): OrganizationMembershipJson {
    const membership = this.#memberships.remove(organizationId, userId)
    this.#emit({type: 'organizationMembership.deleted', data: membership})
    return membership
  }

  /** PATCH deep merge of a membership's public and private metadata. */
  updateMembershipMetadata(
    organizationId: string,
    userId: string,
    update: MetadataUpdate,
  ): OrganizationMembershipJson {
    const membership = this.#memberships.updateMetadata(organizationId, userId, update)
    this.#emit({type: 'organizationMembership.updated', data: membership})
    return membership
  }

  listMemberships(
    filter: MembershipFilter,
    order: SortOrder<MembershipSortKey>,
    page: Page,
  ): {data: OrganizationMembershipJson[]; totalCount: number} {
    return this.#memberships.list(filter, order, page)
  }
}
