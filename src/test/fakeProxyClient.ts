import type {SubjectId} from '../../core/access/types'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  InvitationSummary,
  MeResponse,
  OrphanedEntitlement,
  ReconcileEvent,
  SubjectStatusResponse,
  SyncRequest,
  SyncResponse,
} from '../../core/contract'
import {ProxyError, ProxyUnreachableError, type ProxyClient} from '../client/proxyClient'

type Method = keyof ProxyClient

/** A failure a test can make any method throw. */
export type FakeFailure = 'unreachable' | {status: number; code: string; message: string}

/** An in-memory {@link ProxyClient} for component tests: data, failures and a call log. */
export interface FakeProxyClient extends ProxyClient {
  users: ClerkUserSummary[]
  organizations: ClerkOrganizationSummary[]
  statuses: Map<SubjectId, SubjectStatusResponse>
  /** Invitations by id, as the fake Clerk holds them. */
  invitationList: InvitationSummary[]
  /** What `GET /orphans` answers. */
  orphanList: OrphanedEntitlement[]
  meResponse: MeResponse
  syncResponse: (request: SyncRequest) => SyncResponse
  reconcileEvents: (dryRun: boolean) => ReconcileEvent[]
  failures: Partial<Record<Method, FakeFailure>>
  calls: Array<{method: Method; args: unknown[]}>
  /** Resolves pending calls of `method` only when released (for loading states). */
  hold(method: Method): () => void
}

export function makeUser(id: string, name: string, extra: Partial<ClerkUserSummary> = {}) {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`
  const user: ClerkUserSummary = {
    id,
    name,
    primaryEmail: email,
    imageUrl: null,
    banned: false,
    locked: false,
    createdAt: 1_700_000_000_000,
  }
  return {...user, ...extra}
}

export function makeOrganization(id: string, name: string): ClerkOrganizationSummary {
  const slug = name.toLowerCase().replace(/\s+/g, '-')
  return {id, name, slug, imageUrl: null, membersCount: 3, createdAt: 1_700_000_000_000}
}

/** A status with no drift, built from a user; override what a test is about. */
export function makeStatus(
  user: ClerkUserSummary,
  extra: Partial<SubjectStatusResponse> = {},
): SubjectStatusResponse {
  return {
    subject: user.id,
    status: 'found',
    user,
    clerk: {publicMetadata: {plan: 'pro'}},
    effective: {
      metadata: {plan: 'pro'},
      sources: [
        {
          entitlementId: 'ent-1',
          title: 'Pro for Ada',
          plan: 'pro',
          role: null,
          grants: {},
          validFrom: null,
          validUntil: null,
          active: true,
        },
      ],
    },
    drift: [],
    size: {bytes: 14, sessionBudget: 1200, limit: 8192, overBudget: false, overLimit: false},
    lastSync: {at: '2026-11-29T10:00:00.000Z', hash: 'abc', traceId: 'trace-1'},
    ...extra,
  }
}

export function createFakeProxyClient(): FakeProxyClient {
  const held = new Map<Method, Promise<void>>()

  async function enter(method: Method, args: unknown[]): Promise<void> {
    fake.calls.push({method, args})
    await held.get(method)
    const failure = fake.failures[method]
    if (failure === 'unreachable') {
      throw new ProxyUnreachableError('http://127.0.0.1:1', new TypeError('fetch failed'))
    }
    if (failure)
      throw new ProxyError(failure.status, {code: failure.code, message: failure.message})
  }

  function matches(query: string | undefined, ...fields: Array<string | null>): boolean {
    if (!query) return true
    return fields.some((field) => field?.toLowerCase().includes(query.toLowerCase()))
  }

  const fake: FakeProxyClient = {
    users: [],
    organizations: [],
    statuses: new Map(),
    invitationList: [],
    orphanList: [],
    meResponse: {
      sanityUserId: 'p-editor',
      name: 'Edith',
      roles: ['editor'],
      permissions: ['read', 'search', 'sync'],
    },
    syncResponse: (request) => ({
      results: [...(request.subjects ?? []), ...(request.previousSubjects ?? [])].map(
        (subject) => ({
          subject,
          outcome: 'unchanged',
          changes: {},
        }),
      ),
    }),
    reconcileEvents: (dryRun) => [
      {type: 'start', dryRun},
      {type: 'done', scanned: 0, drifted: 0, written: 0, failed: 0},
    ],
    failures: {},
    calls: [],
    hold(method) {
      let release = () => undefined as void
      held.set(method, new Promise<void>((resolve) => (release = resolve)))
      return () => {
        held.delete(method)
        release()
      }
    },
    async health() {
      await enter('health', [])
      return {ok: true, version: 'fake'}
    },
    async me() {
      await enter('me', [])
      return fake.meResponse
    },
    async searchUsers(params) {
      await enter('searchUsers', [params])
      const hits = fake.users.filter((u) => matches(params.query, u.name, u.primaryEmail, u.id))
      const page = hits.slice(params.offset ?? 0, (params.offset ?? 0) + (params.limit ?? 10))
      return {data: page, hasMore: (params.offset ?? 0) + page.length < hits.length}
    },
    async searchOrganizations(params) {
      await enter('searchOrganizations', [params])
      const hits = fake.organizations.filter((o) => matches(params.query, o.name, o.slug, o.id))
      const page = hits.slice(params.offset ?? 0, (params.offset ?? 0) + (params.limit ?? 10))
      return {data: page, hasMore: (params.offset ?? 0) + page.length < hits.length}
    },
    async subjectStatus(subject) {
      await enter('subjectStatus', [subject])
      const status = fake.statuses.get(subject)
      if (!status) throw new ProxyError(404, {code: 'not_found', message: `${subject} not found`})
      return status
    },
    async sync(request) {
      await enter('sync', [request])
      return fake.syncResponse(request)
    },
    async orphans() {
      await enter('orphans', [])
      return {orphans: fake.orphanList}
    },
    async *reconcile(request) {
      await enter('reconcile', [request])
      yield* fake.reconcileEvents(request.dryRun)
    },
    async invitations(email) {
      await enter('invitations', [email])
      return {data: fake.invitationList.filter((i) => i.email === email).toReversed()}
    },
    async invite(email) {
      await enter('invite', [email])
      const invitation: InvitationSummary = {
        id: `inv_${fake.invitationList.length + 1}`,
        email,
        status: 'pending',
        createdAt: 1_700_000_000_000 + fake.invitationList.length,
        expiresAt: null,
      }
      fake.invitationList.push(invitation)
      return invitation
    },
    async revokeInvitation(id) {
      await enter('revokeInvitation', [id])
      const index = fake.invitationList.findIndex((i) => i.id === id)
      const revoked = {...fake.invitationList[index]!, status: 'revoked' as const}
      fake.invitationList[index] = revoked
      return revoked
    },
    async resendInvitation(id, email) {
      await enter('resendInvitation', [id, email])
      const index = fake.invitationList.findIndex((i) => i.id === id)
      fake.invitationList[index] = {...fake.invitationList[index]!, status: 'revoked'}
      return fake.invite(email)
    },
  }
  return fake
}
