import type {ClientConfig} from '@sanity/client'

import type {MeResponse} from '../../core/contract'
import {UNKNOWN_CLIENT} from '../http/client'
import {ProxyHttpError} from '../http/errors'
import {permissionsForRoles, type RolePermissions} from './permissions'
import type {RateLimiter} from './rateLimit'

/** The Sanity API version the identity check uses; `/users/me` returns `roles` on it. */
export const IDENTITY_API_VERSION = 'v2025-02-19'

export const DEFAULT_SANITY_API_HOST = 'https://api.sanity.io'
// Sanity's own hosts put the project id in the hostname; any other host (a local Content Lake,
// a test server) is addressed as configured.
const PROJECT_HOSTNAME_HOSTS = new Set(['api.sanity.io', 'api.sanity.work'])
const IDENTITY_TIMEOUT_MS = 5_000
/** Tokens remembered, verified and refused each, by default. */
export const DEFAULT_IDENTITY_CACHE_SIZE = 1_000
// Sanity tokens are URL-safe printable ASCII; anything else is refused without asking Sanity.
const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{1,4096}$/

/** The editor behind a request, as Sanity vouches for them. Same shape as `GET /me`. */
export type EditorIdentity = MeResponse

export interface SanityHostOptions {
  projectId: string
  /** Default `https://api.sanity.io`. */
  apiHost?: string
  /** Default: `true` for Sanity's hosts, `false` for any other host (local stand-ins). */
  useProjectHostname?: boolean
}

/** Whether `apiHost` is one of Sanity's own hosts, which put the project id in the hostname. */
export function defaultUseProjectHostname(apiHost: string): boolean {
  return PROJECT_HOSTNAME_HOSTS.has(new URL(apiHost).hostname)
}

/**
 * The base URL of the project's API: `https://<projectId>.api.sanity.io` for Sanity's hosts,
 * the configured host as is otherwise (like `@sanity/client` with `useProjectHostname: false`).
 */
export function sanityProjectApiUrl({projectId, apiHost, useProjectHostname}: SanityHostOptions) {
  const host = new URL(apiHost ?? DEFAULT_SANITY_API_HOST)
  if (useProjectHostname ?? defaultUseProjectHostname(host.href)) {
    host.hostname = `${projectId}.${host.hostname}`
  }
  return host.origin + host.pathname.replace(/\/+$/, '')
}

/** SHA-256 of `text` as hex (WebCrypto, so it runs on edge runtimes too). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * How the proxy makes its own HTTP calls to Sanity: `@sanity/client`'s minimal fetch contract.
 * The global `fetch` fits, and so does a `resolveFetch()` result that trusts a test certificate.
 */
export type ProxyFetch = ReturnType<NonNullable<ClientConfig['resolveFetch']>>

export interface IdentityVerifierOptions extends SanityHostOptions {
  rolePermissions: RolePermissions
  /** How long a verified identity is reused before Sanity is asked again. */
  cacheTtlMs: number
  /** How long a token Sanity refused is refused again without asking (0: not remembered). */
  failureCacheTtlMs?: number
  /** Most tokens remembered, verified and refused each (oldest forgotten first). Default 1 000. */
  cacheSize?: number
  /**
   * Charged once per request that would ask Sanity (a token not verified recently), BEFORE
   * asking: so neither random tokens nor a stream of real ones make the proxy call Sanity
   * without bound. Keyed by client (see `clientOf`).
   */
  clientLimiter?: RateLimiter | null
  fetch: ProxyFetch
  now?: () => number
}

export interface IdentityVerifier {
  /**
   * The editor the bearer token belongs to; throws a 401/502/503 `ProxyHttpError` otherwise, or
   * a 429 with `Retry-After` when `client` has used up its checks.
   */
  verify(token: string, client?: string): Promise<EditorIdentity>
}

/** A map that forgets its least recently set entries beyond `size` and entries past their time. */
function expiringCache<T>(size: number, now: () => number) {
  const entries = new Map<string, {value: T; expiresAt: number}>()
  return {
    get(key: string): T | undefined {
      const entry = entries.get(key)
      if (!entry) return undefined
      if (entry.expiresAt > now()) return entry.value
      entries.delete(key)
      return undefined
    },
    set(key: string, value: T, ttlMs: number) {
      if (!(ttlMs > 0)) return
      entries.delete(key)
      entries.set(key, {value, expiresAt: now() + ttlMs})
      if (entries.size > size) entries.delete(entries.keys().next().value!)
    },
  }
}

interface SanityUserMe {
  id?: unknown
  name?: unknown
  role?: unknown
  roles?: unknown
}

function parseJson(text: string): SanityUserMe | null {
  try {
    return JSON.parse(text) as SanityUserMe | null
  } catch {
    return null
  }
}

function rolesOf(user: SanityUserMe): string[] {
  const names = Array.isArray(user.roles)
    ? user.roles.map((role: {name?: unknown} | null) => role?.name)
    : [user.role]
  return [...new Set(names.filter((name): name is string => typeof name === 'string' && !!name))]
}

/**
 * Verifies editors' Sanity tokens with Sanity itself (`GET /users/me` on the project host) and
 * maps their project roles to proxy permissions. Answers are cached briefly, keyed by the
 * SHA-256 of the token so the token itself is never kept as a key; refusals too, for less long;
 * concurrent checks of one token share one request. Everything that would reach Sanity passes
 * the per-client limit first.
 */
export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const now = options.now ?? Date.now
  const meUrl = `${sanityProjectApiUrl(options)}/${IDENTITY_API_VERSION}/users/me`
  const size = options.cacheSize ?? DEFAULT_IDENTITY_CACHE_SIZE
  const verified = expiringCache<EditorIdentity>(size, now)
  const refused = expiringCache<ProxyHttpError>(size, now)
  const inFlight = new Map<string, Promise<EditorIdentity>>()

  const askSanity = async (token: string): Promise<EditorIdentity> => {
    let response: Awaited<ReturnType<ProxyFetch>>
    try {
      response = await options.fetch(meUrl, {
        headers: {authorization: `Bearer ${token}`, accept: 'application/json'},
        signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS),
      })
    } catch {
      throw new ProxyHttpError(
        503,
        'sanity_unavailable',
        'Sanity could not be reached to verify your login. Try again shortly.',
        {retryAfter: 5},
      )
    }
    if (response.status === 401 || response.status === 403) {
      throw new ProxyHttpError(
        401,
        'unauthorized',
        'Sanity did not accept your token. Log in to the Studio again.',
      )
    }
    if (response.status === 429 || response.status >= 502) {
      throw new ProxyHttpError(
        503,
        'sanity_unavailable',
        `Sanity is unavailable (HTTP ${response.status}) to verify your login. Try again shortly.`,
        {retryAfter: 5},
      )
    }
    if (!response.ok) {
      throw new ProxyHttpError(
        502,
        'sanity_error',
        `Sanity answered ${response.status} while verifying your login.`,
      )
    }
    const user = parseJson(await response.text().catch(() => ''))
    if (!user || typeof user.id !== 'string' || !user.id) {
      throw new ProxyHttpError(
        401,
        'unauthorized',
        'Sanity does not know this token. Log in to the Studio again.',
      )
    }
    const roles = rolesOf(user)
    return {
      sanityUserId: user.id,
      name: typeof user.name === 'string' ? user.name : user.id,
      roles,
      permissions: permissionsForRoles(roles, options.rolePermissions),
    }
  }

  return {
    async verify(token, client) {
      if (!TOKEN_SHAPE.test(token)) {
        throw new ProxyHttpError(
          401,
          'unauthorized',
          'The Authorization header does not hold a Sanity token.',
        )
      }
      const key = await sha256Hex(token)
      const cached = verified.get(key)
      if (cached) return cached
      const refusal = refused.get(key)
      if (refusal) throw refusal
      const pending = inFlight.get(key)
      if (pending) return pending
      const decision = options.clientLimiter?.take(client ?? UNKNOWN_CLIENT)
      if (decision && !decision.allowed) {
        throw new ProxyHttpError(
          429,
          'rate_limited',
          `Too many logins to verify from this client; try again in ${decision.retryAfterSeconds} s.`,
          {retryAfter: decision.retryAfterSeconds},
        )
      }
      const request = askSanity(token)
        .then(
          (identity) => {
            verified.set(key, identity, options.cacheTtlMs)
            return identity
          },
          (error: unknown) => {
            // Only Sanity's "no such login" is remembered; outages are not the token's fault.
            if (error instanceof ProxyHttpError && error.status === 401) {
              refused.set(key, error, options.failureCacheTtlMs ?? 0)
            }
            throw error
          },
        )
        .finally(() => inFlight.delete(key))
      inFlight.set(key, request)
      return request
    },
  }
}

/** The bearer token of `request`, or a 401 when there is none. */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) {
    throw new ProxyHttpError(
      401,
      'unauthorized',
      'Send your Sanity token in the Authorization header, after "Bearer".',
    )
  }
  return match[1]!
}
