import {createClerkClient} from '@clerk/backend'
import type {InvitationJSON, OrganizationJSON, UserJSON} from '@clerk/backend'
import {isClerkOrganizationId, isClerkUserId, subjectKind} from '../../core/access'
import type {MetadataPatch, SubjectId} from '../../core/access'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  InvitationSummary,
  SearchResponse,
} from '../../core/contract'
import {ClerkGatewayError, codeForStatus, describeStatus} from './errors'
import {
  createRateBudget,
  createSubjectWriteBudgets,
  defaultRateBudgetFor,
  type RateBudget,
  type RateBudgetOptions,
  type SubjectWriteBudgets,
} from './rateBudget'
import {callClerk, DEFAULT_RETRY_POLICY, type CallContext, type RetryPolicy} from './retry'
import {
  toInvitationSummary,
  toOrganizationRecord,
  toUserRecord,
  type ClerkOrganizationRecord,
  type ClerkSubjectRecord,
  type ClerkUserRecord,
} from './records'

/** The `Clerk-API-Version` that `@clerk/backend@3` sends; our own requests send the same. */
const CLERK_API_VERSION = '2026-05-12'
const DEFAULT_API_URL = 'https://api.clerk.com'
/** Clerk's largest page. */
export const CLERK_MAX_PAGE_SIZE = 500
/** Values one list filter (`user_id`, `organization_id`, `email_address`) takes per request. */
export const CLERK_MAX_FILTER_VALUES = 100

/** Options of {@link createClerkGateway}. */
export interface ClerkGatewayOptions {
  secretKey: string
  /** Clerk's API origin, without `/v1`. Default `https://api.clerk.com`; tests pass the emulator's. */
  apiUrl?: string
  /**
   * Client-side request budget. Default: Clerk's limit for the key (`sk_live_` 1000, else 100)
   * over a window 500 ms longer than Clerk's 10 s (see `defaultRateBudgetFor`).
   */
  rateLimit?: RateBudgetOptions | RateBudget
  /**
   * Budgets for Clerk's per-user write limit (10 metadata writes per 10 s per user). Default: one
   * per user in this process (`createSubjectWriteBudgets`); the proxy passes store-backed ones when
   * instances share a store. `false` only for tests against an emulator without the limit.
   */
  userWriteBudgets?: SubjectWriteBudgets | false
  retry?: Partial<RetryPolicy>
  userAgent?: string
  /** For tests: how to wait between retries and where jitter comes from. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** One page or search of users or organizations. */
export interface ListParams {
  limit: number
  offset?: number
  query?: string
}

/**
 * One page of a list, and the list's length when Clerk says it (`null` when it does not), so a
 * full last page needs no empty page after it to tell it was the last.
 */
export interface ClerkPage<T> {
  data: T[]
  totalCount: number | null
}

/** A user's membership in an organization, with the organization as Clerk holds it. */
export interface ClerkMembershipRecord {
  organization: ClerkOrganizationRecord
  role: string
}

/**
 * Every Clerk call the proxy makes, each one bounded by a timeout, retried when worth it and
 * metered by the client-side rate budget. Methods throw {@link ClerkGatewayError}; `get…`
 * methods return `null` for an id Clerk does not know.
 */
export interface ClerkGateway {
  getUser(userId: string): Promise<ClerkUserRecord | null>
  getOrganization(organizationId: string): Promise<ClerkOrganizationRecord | null>
  /** A user or organization, by the kind its id names. */
  getSubject(subject: SubjectId): Promise<ClerkSubjectRecord | null>
  /** PATCH merge (`null` deletes); returns the subject after the write. */
  updateSubjectMetadata(subject: SubjectId, patch: MetadataPatch): Promise<ClerkSubjectRecord>
  updateUserMetadata(userId: string, patch: MetadataPatch): Promise<ClerkUserRecord>
  updateOrganizationMetadata(
    organizationId: string,
    patch: MetadataPatch,
  ): Promise<ClerkOrganizationRecord>
  /** Every organization the user belongs to (pages of 100 until done). */
  userMemberships(userId: string): Promise<ClerkMembershipRecord[]>
  /**
   * One page of users, oldest first, in ONE Clerk request (the SDK's list also counts: two).
   * `totalCount` is `null`: `GET /v1/users` answers a bare array.
   */
  listUsers(params: ListParams): Promise<ClerkPage<ClerkUserRecord>>
  /**
   * How many users the instance has (`GET /v1/users/count`, one request): what a user list does
   * not say, so that the pages after the first can be asked for at once.
   */
  countUsers(): Promise<number>
  /** One page of organizations, oldest first, in one Clerk request, with Clerk's `total_count`. */
  listOrganizations(params: ListParams): Promise<ClerkPage<ClerkOrganizationRecord>>
  /**
   * The users who have any of these addresses (verified or not: check `verifiedEmails`), in
   * ONE Clerk request per 100 addresses.
   */
  usersWithEmails(emails: readonly string[]): Promise<ClerkUserRecord[]>
  /**
   * The users among these ids that exist, in ONE Clerk request per 100 ids (`GET /v1/users?
   * user_id=…`, Clerk's order). Sent by hand: the SDK's `users.getUserList` pairs every list with
   * a `GET /v1/users/count`, a second request against the rate limit that nothing here reads.
   */
  usersWithIds(userIds: readonly string[]): Promise<ClerkUserRecord[]>
  /** The organizations among these ids that exist, in ONE Clerk request per 100 ids. */
  organizationsWithIds(organizationIds: readonly string[]): Promise<ClerkOrganizationRecord[]>
  /**
   * `POST /v1/invitations`: Clerk emails the address a link to sign up (landing on
   * `redirectUrl`). No metadata is ever attached: access comes from the entitlements.
   */
  createInvitation(email: string, redirectUrl: string | undefined): Promise<InvitationSummary>
  /** Every invitation of one address, revoked ones included, newest first. */
  invitationsOf(email: string): Promise<InvitationSummary[]>
  revokeInvitation(invitationId: string): Promise<InvitationSummary>
  searchUsers(params: ListParams): Promise<SearchResponse<ClerkUserSummary>>
  searchOrganizations(params: ListParams): Promise<SearchResponse<ClerkOrganizationSummary>>
}

function requireId(valid: boolean, id: unknown, what: string): void {
  if (!valid) {
    throw new ClerkGatewayError(
      'invalid_id',
      `${JSON.stringify(id)} is not a valid Clerk ${what} id.`,
    )
  }
}

function rawOf<T>(resource: unknown, operation: string): T {
  const raw = (resource as {raw?: T | null} | null | undefined)?.raw
  if (!raw) {
    throw new ClerkGatewayError(
      'clerk_unexpected_response',
      `${operation} failed: Clerk's answer could not be read.`,
    )
  }
  return raw
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(CLERK_MAX_PAGE_SIZE, Math.floor(limit) || 1))
}

/** Creates the gateway. Nothing is sent until a method is called. */
export function createClerkGateway(options: ClerkGatewayOptions): ClerkGateway {
  if (!options?.secretKey)
    throw new Error('sanity-plugin-clerk/proxy: "clerkSecretKey" is required')
  const apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '')
  const userAgent = options.userAgent ?? 'sanity-plugin-clerk (@clerk/backend)'
  const clerk = createClerkClient({
    secretKey: options.secretKey,
    apiUrl,
    userAgent,
    telemetry: {disabled: true},
  })
  const rateLimit = options.rateLimit ?? defaultRateBudgetFor(options.secretKey)
  const context: CallContext = {
    policy: {...DEFAULT_RETRY_POLICY, ...options.retry},
    budget: 'acquire' in rateLimit ? rateLimit : createRateBudget(rateLimit),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  }
  const userWriteBudgets = options.userWriteBudgets ?? createSubjectWriteBudgets()

  async function orNull<T>(promise: Promise<T>): Promise<T | null> {
    try {
      return await promise
    } catch (error) {
      if (error instanceof ClerkGatewayError && error.status === 404) return null
      throw error
    }
  }

  /**
   * `GET /v1/<path>` by hand, for lists the SDK would pair with a count request. Same headers
   * the SDK sends; JSON parsed when Clerk says it is JSON; errors carry status, trace id and
   * `Retry-After` like the SDK's.
   */
  async function getJson(
    operation: string,
    path: string,
    query: Record<string, string | number | readonly string[] | undefined>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const url = new URL(`${apiUrl}/v1${path}`)
    for (const [key, value] of Object.entries(query)) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item)
      else if (value !== undefined && value !== '' && value !== 0)
        url.searchParams.set(key, String(value))
    }
    const response = await fetch(url, {
      method: 'GET',
      signal,
      headers: {
        Authorization: `Bearer ${options.secretKey}`,
        'Clerk-API-Version': CLERK_API_VERSION,
        'User-Agent': userAgent,
        'Content-Type': 'application/json',
      },
    })
    const isJson =
      response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/json'
    const body: unknown = isJson
      ? await response.json().catch(() => undefined)
      : await response.text()
    if (!response.ok) {
      const parsed = (typeof body === 'object' && body !== null ? body : {}) as {
        errors?: Array<{code?: string; message?: string; long_message?: string}>
        clerk_trace_id?: string
      }
      const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10)
      const first = parsed.errors?.[0]
      throw new ClerkGatewayError(
        codeForStatus(response.status),
        describeStatus(operation, response.status, first?.long_message ?? first?.message),
        {
          status: response.status,
          clerkTraceId: parsed.clerk_trace_id ?? response.headers.get('cf-ray') ?? undefined,
          retryAfter: Number.isNaN(retryAfter) ? undefined : retryAfter,
          clerkCodes: (parsed.errors ?? []).flatMap((e) => (e.code ? [e.code] : [])),
        },
      )
    }
    if (!isJson) {
      throw new ClerkGatewayError(
        'clerk_unexpected_response',
        `${operation} failed: Clerk did not answer with JSON.`,
      )
    }
    return body
  }

  // Reconcile pages oldest first, so users created during a scan land after it instead of
  // shifting every offset; searches keep Clerk's default order (newest first).
  async function fetchUsers(
    {limit, offset, query}: ListParams,
    orderBy: '+created_at' | undefined,
  ): Promise<ClerkUserRecord[]> {
    const operation = 'Listing Clerk users'
    const body = await callClerk(operation, context, (signal) =>
      getJson(
        operation,
        '/users',
        {limit: clampLimit(limit), offset, query, order_by: orderBy},
        signal,
      ),
    )
    // `GET /v1/users` is the one list Clerk returns as a bare array.
    if (!Array.isArray(body)) {
      throw new ClerkGatewayError(
        'clerk_unexpected_response',
        `${operation} failed: Clerk did not return a list.`,
      )
    }
    return (body as UserJSON[]).map(toUserRecord)
  }

  async function fetchOrganizations(
    {limit, offset, query}: ListParams,
    orderBy: '+created_at' | undefined,
  ): Promise<ClerkPage<ClerkOrganizationRecord>> {
    const operation = 'Listing Clerk organizations'
    const page = await callClerk(operation, context, () =>
      clerk.organizations.getOrganizationList({
        limit: clampLimit(limit),
        offset,
        query,
        includeMembersCount: true,
        orderBy,
      }),
    )
    return {
      data: page.data.map((organization) =>
        toOrganizationRecord(rawOf<OrganizationJSON>(organization, operation)),
      ),
      totalCount: Number.isInteger(page.totalCount) ? page.totalCount : null,
    }
  }

  /** `values` in chunks a list filter takes, without repeats (a repeat would waste a place). */
  function filterChunks(values: readonly string[]): string[][] {
    const unique = [...new Set(values)]
    const chunks: string[][] = []
    for (let start = 0; start < unique.length; start += CLERK_MAX_FILTER_VALUES) {
      chunks.push(unique.slice(start, start + CLERK_MAX_FILTER_VALUES))
    }
    return chunks
  }

  /** `GET /v1/users` filtered by one list parameter, one Clerk request per 100 values. */
  async function usersMatching(
    operation: string,
    parameter: 'email_address' | 'user_id',
    values: readonly string[],
  ): Promise<ClerkUserRecord[]> {
    const found: ClerkUserRecord[] = []
    // Never an empty filter: `GET /v1/users` without one lists everybody.
    for (const batch of filterChunks(values)) {
      const body = await callClerk(operation, context, (signal) =>
        getJson(operation, '/users', {[parameter]: batch, limit: CLERK_MAX_PAGE_SIZE}, signal),
      )
      if (!Array.isArray(body)) {
        throw new ClerkGatewayError(
          'clerk_unexpected_response',
          `${operation} failed: Clerk did not return a list.`,
        )
      }
      found.push(...(body as UserJSON[]).map(toUserRecord))
    }
    return found
  }

  const gateway: ClerkGateway = {
    async createInvitation(email, redirectUrl) {
      const operation = `Inviting ${email} to sign up`
      const invitation = await callClerk(operation, context, () =>
        clerk.invitations.createInvitation({
          emailAddress: email,
          notify: true,
          ...(redirectUrl ? {redirectUrl} : {}),
        }),
      )
      return toInvitationSummary(rawOf<InvitationJSON>(invitation, operation))
    },

    async invitationsOf(email) {
      const operation = `Listing the invitations of ${email}`
      // Clerk lists revoked invitations only when asked for by status.
      const pages = await Promise.all(
        [undefined, 'revoked' as const].map((status) =>
          callClerk(operation, context, () =>
            clerk.invitations.getInvitationList({
              query: email,
              limit: 20,
              ...(status ? {status} : {}),
            }),
          ),
        ),
      )
      return pages
        .flatMap((page) => page.data)
        .map((invitation) => toInvitationSummary(rawOf<InvitationJSON>(invitation, operation)))
        .filter((invitation) => invitation.email === email)
        .sort((a, b) => b.createdAt - a.createdAt)
    },

    async revokeInvitation(invitationId) {
      if (!/^inv_[A-Za-z0-9]{1,64}$/.test(invitationId)) {
        throw new ClerkGatewayError(
          'invalid_id',
          `${JSON.stringify(invitationId)} is not a Clerk invitation id.`,
        )
      }
      const operation = `Revoking invitation ${invitationId}`
      const invitation = await callClerk(operation, context, () =>
        clerk.invitations.revokeInvitation(invitationId),
      )
      return toInvitationSummary(rawOf<InvitationJSON>(invitation, operation))
    },

    usersWithEmails: (emails) =>
      usersMatching('Finding Clerk users by email address', 'email_address', emails),

    usersWithIds(userIds) {
      for (const id of userIds) requireId(isClerkUserId(id), id, 'user')
      return usersMatching('Finding Clerk users by id', 'user_id', userIds)
    },

    async organizationsWithIds(organizationIds) {
      for (const id of organizationIds) requireId(isClerkOrganizationId(id), id, 'organization')
      const operation = 'Finding Clerk organizations by id'
      const found: ClerkOrganizationRecord[] = []
      for (const batch of filterChunks(organizationIds)) {
        // One request: unlike users, the organization list carries its total in the same answer.
        const page = await callClerk(operation, context, () =>
          clerk.organizations.getOrganizationList({
            organizationId: batch,
            limit: batch.length,
            includeMembersCount: true,
          }),
        )
        for (const organization of page.data) {
          found.push(toOrganizationRecord(rawOf<OrganizationJSON>(organization, operation)))
        }
      }
      return found
    },

    async getUser(userId) {
      requireId(isClerkUserId(userId), userId, 'user')
      const operation = `Reading Clerk user ${userId}`
      return orNull(
        callClerk(operation, context, async () =>
          toUserRecord(rawOf<UserJSON>(await clerk.users.getUser(userId), operation)),
        ),
      )
    },

    async getOrganization(organizationId) {
      requireId(isClerkOrganizationId(organizationId), organizationId, 'organization')
      const operation = `Reading Clerk organization ${organizationId}`
      return orNull(
        callClerk(operation, context, async () =>
          toOrganizationRecord(
            rawOf<OrganizationJSON>(
              await clerk.organizations.getOrganization({
                organizationId,
                includeMembersCount: true,
              }),
              operation,
            ),
          ),
        ),
      )
    },

    getSubject(subject) {
      return subjectKind(subject) === 'organization'
        ? gateway.getOrganization(subject)
        : gateway.getUser(subject)
    },

    async updateUserMetadata(userId, patch) {
      requireId(isClerkUserId(userId), userId, 'user')
      const operation = `Writing metadata of Clerk user ${userId}`
      if (userWriteBudgets) await userWriteBudgets(userId).acquire()
      return callClerk(
        operation,
        context,
        async () =>
          toUserRecord(
            rawOf<UserJSON>(await clerk.users.updateUserMetadata(userId, patch), operation),
          ),
        {write: true},
      )
    },

    async updateOrganizationMetadata(organizationId, patch) {
      requireId(isClerkOrganizationId(organizationId), organizationId, 'organization')
      const operation = `Writing metadata of Clerk organization ${organizationId}`
      return callClerk(
        operation,
        context,
        async () =>
          toOrganizationRecord(
            rawOf<OrganizationJSON>(
              await clerk.organizations.updateOrganizationMetadata(organizationId, patch),
              operation,
            ),
          ),
        {write: true},
      )
    },

    updateSubjectMetadata(subject, patch) {
      return subjectKind(subject) === 'organization'
        ? gateway.updateOrganizationMetadata(subject, patch)
        : gateway.updateUserMetadata(subject, patch)
    },

    async userMemberships(userId) {
      requireId(isClerkUserId(userId), userId, 'user')
      const operation = `Reading organizations of Clerk user ${userId}`
      const pageSize = 100
      const memberships: ClerkMembershipRecord[] = []
      for (let offset = 0; ; offset += pageSize) {
        const page = await callClerk(operation, context, () =>
          clerk.users.getOrganizationMembershipList({userId, limit: pageSize, offset}),
        )
        for (const membership of page.data) {
          memberships.push({
            organization: toOrganizationRecord(
              rawOf<OrganizationJSON>(membership.organization, operation),
            ),
            role: membership.role,
          })
        }
        if (page.data.length < pageSize) return memberships
      }
    },

    async listUsers(params) {
      return {data: await fetchUsers(params, '+created_at'), totalCount: null}
    },

    async countUsers() {
      const operation = 'Counting Clerk users'
      const body = await callClerk(operation, context, (signal) =>
        getJson(operation, '/users/count', {}, signal),
      )
      const total = (body as {total_count?: unknown} | null)?.total_count
      if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
        throw new ClerkGatewayError(
          'clerk_unexpected_response',
          `${operation} failed: Clerk did not return a total.`,
        )
      }
      return total
    },

    listOrganizations(params) {
      return fetchOrganizations(params, '+created_at')
    },

    async searchUsers(params) {
      const limit = clampLimit(params.limit)
      const users = await fetchUsers({...params, limit}, undefined)
      return {data: users.map((user) => user.summary), hasMore: users.length === limit}
    },

    async searchOrganizations(params) {
      const limit = clampLimit(params.limit)
      const {data: organizations} = await fetchOrganizations({...params, limit}, undefined)
      return {
        data: organizations.map((organization) => organization.summary),
        hasMore: organizations.length === limit,
      }
    },
  }
  return gateway
}
