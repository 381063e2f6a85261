import type {SubjectId} from '../../core/access/types'
import {
  PLUGIN_VERSION_HEADER,
  PROXY_ROUTES,
  type ClerkOrganizationSummary,
  type ClerkUserSummary,
  type HealthResponse,
  type InvitationListResponse,
  type InvitationSummary,
  type MeResponse,
  type OrphansResponse,
  type ProxyErrorBody,
  type ReconcileEvent,
  type ReconcileRequest,
  type SearchResponse,
  type SubjectStatusResponse,
  type SyncRequest,
  type SyncResponse,
} from '../../core/contract'
import {readNdjson} from './ndjson'
import {PLUGIN_VERSION} from '../../core/version'

/** Options shared by every call: cancel it with an `AbortSignal`. */
export interface CallOptions {
  signal?: AbortSignal
}

/** Paging and text search for `GET /users` and `GET /organizations`. */
export interface SearchParams {
  query?: string
  limit?: number
  offset?: number
}

/**
 * Everything the Studio asks the proxy. Components get it from context, so tests can hand them an
 * in-memory implementation.
 */
export interface ProxyClient {
  health(options?: CallOptions): Promise<HealthResponse>
  me(options?: CallOptions): Promise<MeResponse>
  searchUsers(
    params: SearchParams,
    options?: CallOptions,
  ): Promise<SearchResponse<ClerkUserSummary>>
  searchOrganizations(
    params: SearchParams,
    options?: CallOptions,
  ): Promise<SearchResponse<ClerkOrganizationSummary>>
  /** Live Clerk state of a `user_…` or `org_…` subject against what Sanity grants it. */
  subjectStatus(subject: SubjectId, options?: CallOptions): Promise<SubjectStatusResponse>
  sync(request: SyncRequest, options?: CallOptions): Promise<SyncResponse>
  /** Streams the reconcile run's events as the proxy sends them. */
  reconcile(request: ReconcileRequest, options?: CallOptions): AsyncIterable<ReconcileEvent>
  /** The Clerk invitations of one address, newest first. */
  invitations(email: string, options?: CallOptions): Promise<InvitationListResponse>
  /** Invites the address to sign up to Clerk (no access travels with it). */
  invite(email: string, options?: CallOptions): Promise<InvitationSummary>
  revokeInvitation(id: string, options?: CallOptions): Promise<InvitationSummary>
  /** Replaces the invitation with a fresh one (Clerk emails the link again). */
  resendInvitation(id: string, email: string, options?: CallOptions): Promise<InvitationSummary>
  /** Published entitlements whose Clerk user or organization was deleted (asked live). */
  orphans(options?: CallOptions): Promise<OrphansResponse>
}

/** An error answer of the proxy, parsed from its {@link ProxyErrorBody}. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError'
  readonly status: number
  readonly code: string
  readonly clerkTraceId: string | undefined
  /** Seconds to wait before retrying, when the proxy said so. */
  readonly retryAfter: number | undefined

  constructor(status: number, body: ProxyErrorBody['error']) {
    super(body.message)
    this.status = status
    this.code = body.code
    this.clerkTraceId = body.clerkTraceId
    this.retryAfter = body.retryAfter
  }
}

/** The proxy could not be reached at all (offline, DNS, CORS, TLS, wrong URL). */
export class ProxyUnreachableError extends Error {
  override readonly name = 'ProxyUnreachableError'
  readonly proxyUrl: string

  constructor(proxyUrl: string, cause: unknown) {
    super(`The Clerk proxy at ${proxyUrl} is unreachable`, {cause})
    this.proxyUrl = proxyUrl
  }
}

/** Options of {@link createProxyClient}. */
export interface ProxyClientOptions {
  /** Base URL of the proxy, without trailing slash. */
  proxyUrl: string
  /** The editor's Sanity token, sent as bearer; `undefined` with cookie login. */
  getToken: () => string | undefined
  /** Injectable for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch
}

const SUBJECT_ID = /^(user|org)_[A-Za-z0-9]+$/

function subjectPath(subject: SubjectId): string {
  if (!SUBJECT_ID.test(subject))
    throw new TypeError(`Not a Clerk user or organization id: ${subject}`)
  return subject.startsWith('org_')
    ? PROXY_ROUTES.organization(subject)
    : PROXY_ROUTES.user(subject)
}

function searchQuery({query, limit, offset}: SearchParams): string {
  const params = new URLSearchParams()
  if (query) params.set('query', query)
  if (limit !== undefined) params.set('limit', String(limit))
  if (offset !== undefined) params.set('offset', String(offset))
  const text = params.toString()
  return text ? `?${text}` : ''
}

function isProxyErrorBody(value: unknown): value is ProxyErrorBody {
  if (!value || typeof value !== 'object' || !('error' in value)) return false
  const {error} = value as {error: unknown}
  return (
    !!error &&
    typeof error === 'object' &&
    typeof (error as {code?: unknown}).code === 'string' &&
    typeof (error as {message?: unknown}).message === 'string'
  )
}

/** Seconds from a `Retry-After` header (delta-seconds form only), else undefined. */
function retryAfterHeader(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'))
  return seconds > 0 ? seconds : undefined
}

async function errorFrom(response: Response): Promise<ProxyError> {
  const text = await response.text().catch(() => '')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const body = isProxyErrorBody(parsed)
    ? parsed.error
    : {
        code: `http_${response.status}`,
        message: `The Clerk proxy answered ${response.status} ${response.statusText}`.trim(),
      }
  // The proxy also exposes these as headers; the body wins when it has them.
  const clerkTraceId = body.clerkTraceId ?? response.headers.get('x-clerk-trace-id') ?? undefined
  const retryAfter = body.retryAfter ?? retryAfterHeader(response)
  return new ProxyError(response.status, {
    ...body,
    ...(clerkTraceId ? {clerkTraceId} : {}),
    ...(retryAfter ? {retryAfter} : {}),
  })
}

/** The typed HTTP client for the proxy: the only Studio code that knows its routes. */
export function createProxyClient(options: ProxyClientOptions): ProxyClient {
  const baseUrl = options.proxyUrl.replace(/\/+$/, '')
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  async function send(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set(PLUGIN_VERSION_HEADER, PLUGIN_VERSION)
    const token = options.getToken()
    if (token) headers.set('authorization', `Bearer ${token}`)
    let response: Response
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {...init, headers, signal})
    } catch (error) {
      if (signal?.aborted) throw error
      throw new ProxyUnreachableError(baseUrl, error)
    }
    if (!response.ok) throw await errorFrom(response)
    return response
  }

  async function getJson<T>(path: string, callOptions?: CallOptions): Promise<T> {
    const response = await send(path, {method: 'GET'}, callOptions?.signal)
    return (await response.json()) as T
  }

  async function postJson<T>(path: string, body: unknown, callOptions?: CallOptions): Promise<T> {
    const init = {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify(body),
    }
    const response = await send(path, init, callOptions?.signal)
    return (await response.json()) as T
  }

  return {
    health: (callOptions) => getJson(PROXY_ROUTES.health, callOptions),
    me: (callOptions) => getJson(PROXY_ROUTES.me, callOptions),
    searchUsers: (params, callOptions) =>
      getJson(`${PROXY_ROUTES.users}${searchQuery(params)}`, callOptions),
    searchOrganizations: (params, callOptions) =>
      getJson(`${PROXY_ROUTES.organizations}${searchQuery(params)}`, callOptions),
    subjectStatus: async (subject, callOptions) => getJson(subjectPath(subject), callOptions),
    sync: (request, callOptions) => postJson(PROXY_ROUTES.sync, request, callOptions),
    invitations: (email, callOptions) =>
      getJson(`${PROXY_ROUTES.invitations}?${new URLSearchParams({email})}`, callOptions),
    invite: (email, callOptions) => postJson(PROXY_ROUTES.invitations, {email}, callOptions),
    revokeInvitation: (id, callOptions) =>
      postJson(PROXY_ROUTES.invitationRevoke(encodeURIComponent(id)), {}, callOptions),
    resendInvitation: (id, email, callOptions) =>
      postJson(PROXY_ROUTES.invitationResend(encodeURIComponent(id)), {email}, callOptions),
    orphans: (callOptions) => getJson(PROXY_ROUTES.orphans, callOptions),
    async *reconcile(request, callOptions) {
      const response = await send(
        PROXY_ROUTES.reconcile,
        {
          method: 'POST',
          headers: {'content-type': 'application/json', accept: 'application/x-ndjson'},
          body: JSON.stringify(request),
        },
        callOptions?.signal,
      )
      if (!response.body)
        throw new ProxyError(502, {
          code: 'empty_stream',
          message: 'The proxy sent no reconcile events',
        })
      yield* readNdjson<ReconcileEvent>(response.body)
    },
  }
}
