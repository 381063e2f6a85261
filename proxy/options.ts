import {resolveAccessRules, type AccessRules, type AccessRulesOptions} from '../core/access'
import type {Permission} from '../core/contract'
import {normalizeOrigin} from './auth/cors'
import {
  DEFAULT_IDENTITY_CACHE_SIZE,
  DEFAULT_SANITY_API_HOST,
  defaultUseProjectHostname,
  type ProxyFetch,
} from './auth/identity'
import type {RateBudgetOptions, RetryPolicy} from './clerk'
import {ALL_PERMISSIONS, resolveRolePermissions, type RolePermissions} from './auth/permissions'
import type {RateLimitOptions} from './auth/rateLimit'
import {DEFAULT_WEBHOOK_TOLERANCE_MS} from './auth/webhook'
import type {ClientAddressOptions} from './http/client'
import type {ProxyLogger} from './http/redact'
import {createMemoryStore, type ProxyStore} from './store'
import {DEFAULT_VALIDITY_SWEEP_INTERVAL_MS, type ConvergenceOptions} from './sync'

/** How the proxy reads published content from Sanity. */
export interface ClerkProxySanityOptions {
  projectId: string
  dataset: string
  /** A read token for the proxy itself (server side only). */
  token: string
  /** Default `https://api.sanity.io`; point it at a local Content Lake in tests. */
  apiHost?: string
  /** Default: `true` for Sanity's own hosts, `false` for any other `apiHost`. */
  useProjectHostname?: boolean
  /** Pinned API version for the proxy's queries, e.g. `2025-02-19`. */
  apiVersion?: string
}

/** Options of {@link createClerkProxy}. Only `clerkSecretKey`, `sanity` and `allowedOrigins` are required. */
export interface ClerkProxyOptions {
  /** Clerk secret key (`sk_…`). Stays on the server; never sent or logged. */
  clerkSecretKey: string
  /** Clerk Backend API origin. Default: Clerk's. Point it at the emulator in tests. */
  clerkApiUrl?: string
  sanity: ClerkProxySanityOptions
  /** Path the proxy is mounted at, e.g. `/api/clerk`. Default `''`. */
  basePath?: string
  /** Studio origins allowed to call the proxy from a browser, e.g. `https://my.sanity.studio`. */
  allowedOrigins: string[]
  /** Secret of the GROQ webhook; without it `POST /webhook` is disabled. */
  webhookSecret?: string
  /** How far a webhook signature's timestamp may be from now. Default 5 minutes. */
  webhookToleranceMs?: number
  /**
   * Signing secret (`whsec_…`) of the Clerk webhook endpoint pointing at `POST /clerk-webhook`;
   * without it that route is disabled.
   */
  clerkWebhookSecret?: string
  /**
   * Where Clerk's invitation links land (your sign-up page), for `POST /invitations`. Without
   * it, Clerk's own default applies.
   */
  invitationRedirectUrl?: string
  /**
   * State shared by all instances of the proxy: webhook claims, subject leases, the validity
   * sweep's cursor, the Clerk rate budget, due re-checks. Default: in memory, which is correct for
   * ONE instance; with more (serverless, several servers) pass one `createRedisStore(...)` to all.
   */
  store?: ProxyStore
  /**
   * Secret a scheduler sends as `Authorization: Bearer <secret>` to `GET`/`POST /sweep` (Vercel
   * Cron sends `CRON_SECRET` this way). Without it the sweep route is disabled.
   */
  cronSecret?: string
  /**
   * How often the validity sweep runs (the Node server's timer, or your scheduler's interval).
   * Only the very first sweep, before any cursor is stored, uses it to look back two intervals.
   * Default 60 s.
   */
  sweepIntervalMs?: number
  /** Leases, read-freshness and re-check timing of the sync engine (see `ConvergenceOptions`). */
  convergence?: ConvergenceOptions | false
  /** Sanity role → permissions; entries replace the defaults of that role, `*` covers the rest. */
  rolePermissions?: RolePermissions
  /** Grantable types, namespace and size budgets, as the Studio plugin is configured. */
  rules?: AccessRulesOptions
  /** Per-editor request limit on Studio routes. Default 300 per minute; `false` turns it off. */
  rateLimit?: RateLimitOptions | false
  /**
   * Per-client limit on logins to verify, applied BEFORE the proxy asks Sanity who a token
   * belongs to: every request whose token was not verified within `identityCacheTtlMs` counts
   * (random tokens included); requests with a recently verified token do not. Default 60 per
   * minute per client; `false` turns it off. Answered 429 with `Retry-After`.
   */
  clientRateLimit?: RateLimitOptions | false
  /**
   * Which header names the client, when the proxy runs behind your own reverse proxy or platform.
   * Default: none trusted; the Node adapter's socket address, and on hosts without one (Next.js,
   * edge) every client shares one bucket.
   */
  clientAddress?: ClientAddressOptions
  /**
   * The proxy's own budget of Clerk requests (all callers together). Default from the key, like
   * Clerk: `sk_live_` 1000 per 10 s, otherwise 100 per 10 s.
   */
  clerkRateLimit?: RateBudgetOptions
  /** Timeout and retries of each Clerk call (defaults: 10 s, 4 retries, Retry-After up to 15 s). */
  clerkRetry?: Partial<RetryPolicy>
  /** How long a verified editor identity is reused. Default 30 s. */
  identityCacheTtlMs?: number
  /** How long a token Sanity refused is refused without asking Sanity again. Default 10 s; 0: off. */
  identityFailureCacheTtlMs?: number
  /** Tokens remembered, verified and refused each. Default 1 000. */
  identityCacheSize?: number
  /** Largest accepted request body. Default 64 KB (`/sync` and `/reconcile` accept less). */
  bodyLimitBytes?: number
  /** Default `console`. Every line passes through secret redaction. */
  logger?: ProxyLogger
  /**
   * The clock (milliseconds since the epoch) the rate limits and identity caches read. Default
   * `Date.now`; tests pass their own.
   */
  now?: () => number
  /**
   * Used for the proxy's own calls to Sanity (identity checks and GROQ queries).
   * Default: the global `fetch`. Tests pass one that trusts a local certificate.
   */
  fetch?: ProxyFetch
}

/** The options after defaults and validation. */
export interface ResolvedClerkProxyOptions {
  clerkSecretKey: string
  clerkApiUrl: string | undefined
  sanity: Required<ClerkProxySanityOptions>
  basePath: string
  allowedOrigins: string[]
  webhookSecret: string | undefined
  webhookToleranceMs: number
  clerkWebhookSecret: string | undefined
  invitationRedirectUrl: string | undefined
  store: ProxyStore
  /** Whether `store` was passed (shared) or is this process's own. */
  sharedStore: boolean
  cronSecret: string | undefined
  sweepIntervalMs: number
  convergence: ConvergenceOptions | false | undefined
  rolePermissions: RolePermissions
  rules: AccessRules
  rateLimit: RateLimitOptions | false
  clientRateLimit: RateLimitOptions | false
  clientAddress: ClientAddressOptions | undefined
  identityCacheTtlMs: number
  identityFailureCacheTtlMs: number
  identityCacheSize: number
  now: () => number
  bodyLimitBytes: number
  logger: ProxyLogger
  /** `undefined`: the runtime's own `fetch`. */
  fetch: ProxyFetch | undefined
  clerkRateLimit: RateBudgetOptions | undefined
  clerkRetry: Partial<RetryPolicy> | undefined
}

export const DEFAULT_SANITY_API_VERSION = '2025-02-19'
const DEFAULT_RATE_LIMIT: RateLimitOptions = {requests: 300, windowMs: 60_000}
const DEFAULT_CLIENT_RATE_LIMIT: RateLimitOptions = {requests: 60, windowMs: 60_000}
const DEFAULT_IDENTITY_FAILURE_CACHE_TTL_MS = 10_000
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024
const MAX_BODY_LIMIT_BYTES = 10 * 1024 * 1024

const PROJECT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/
const DATASET = /^[a-z0-9][a-z0-9_-]{0,63}$/
const API_VERSION = /^v?(?:\d{4}-\d{2}-\d{2}|1|X)$/
const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)*$/

function invalid(option: string, problem: string): never {
  throw new Error(`sanity-plugin-clerk/proxy: "${option}" ${problem}`)
}

function requireString(value: unknown, option: string, hint = ''): string {
  if (typeof value !== 'string' || !value.trim()) invalid(option, `is required${hint}`)
  return value
}

function httpUrl(value: unknown, option: string): string {
  const text = requireString(value, option)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    invalid(option, `must be an absolute URL, got ${JSON.stringify(text)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(option, 'must be http(s)')
  return text.replace(/\/+$/, '')
}

function positiveNumber(value: unknown, option: string, fallback: number, max = Infinity) {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value > 0) || value > max) {
    invalid(option, `must be a positive number${max < Infinity ? ` up to ${max}` : ''}`)
  }
  return value
}

function resolveRateLimit(
  value: RateLimitOptions | false | undefined,
  option: string,
  fallback: RateLimitOptions,
): RateLimitOptions | false {
  if (value === false) return false
  if (value === undefined) return fallback
  if (typeof value !== 'object' || value === null)
    invalid(option, 'must be {requests, windowMs} or false')
  return {
    requests: positiveNumber(value.requests, `${option}.requests`, 0),
    windowMs: positiveNumber(value.windowMs, `${option}.windowMs`, 0),
    ...(value.trackedCallers === undefined
      ? {}
      : {trackedCallers: positiveNumber(value.trackedCallers, `${option}.trackedCallers`, 0)}),
  }
}

function resolveClientAddress(value: unknown): ClientAddressOptions | undefined {
  if (value === undefined) return undefined
  const {header, trustedProxies} = (value ?? {}) as Partial<ClientAddressOptions>
  if (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header)) {
    invalid('clientAddress.header', 'must be a header name such as "x-forwarded-for"')
  }
  if (trustedProxies !== undefined && !(Number.isInteger(trustedProxies) && trustedProxies >= 1)) {
    invalid('clientAddress.trustedProxies', 'must be a whole number of at least 1')
  }
  return {header: header.toLowerCase(), ...(trustedProxies ? {trustedProxies} : {})}
}

function nonNegativeNumber(value: unknown, option: string, fallback: number): number {
  return value === 0 ? 0 : positiveNumber(value, option, fallback)
}

function validateRolePermissions(value: unknown): RolePermissions | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid('rolePermissions', 'must map Sanity role names to arrays of permissions')
  }
  for (const [role, permissions] of Object.entries(value)) {
    const unknown = Array.isArray(permissions)
      ? permissions.filter((p) => !ALL_PERMISSIONS.includes(p as Permission))
      : [permissions]
    if (unknown.length > 0) {
      invalid(
        `rolePermissions.${role}`,
        `must be an array of ${ALL_PERMISSIONS.join(', ')}; got ${JSON.stringify(unknown)}`,
      )
    }
  }
  return value as RolePermissions
}

function validateLogger(value: unknown): ProxyLogger {
  if (value === undefined) return console
  const logger = value as Partial<ProxyLogger>
  for (const level of ['info', 'warn', 'error'] as const) {
    if (typeof logger[level] !== 'function') invalid(`logger.${level}`, 'must be a function')
  }
  return logger as ProxyLogger
}

/**
 * Applies defaults and throws on anything missing or invalid, naming the option. Secret values
 * are never quoted in the message.
 */
export function resolveClerkProxyOptions(options: ClerkProxyOptions): ResolvedClerkProxyOptions {
  if (!options || typeof options !== 'object') invalid('options', 'are required')
  const clerkSecretKey = requireString(
    options.clerkSecretKey,
    'clerkSecretKey',
    ' (your Clerk secret key, sk_…; keep it on the server)',
  )
  if (clerkSecretKey.startsWith('pk_')) {
    invalid('clerkSecretKey', 'is a publishable key (pk_…); the proxy needs the secret key (sk_…)')
  }
  if (/\s/.test(clerkSecretKey))
    invalid('clerkSecretKey', 'contains whitespace; check how it is loaded')
  const sanity = options.sanity
  if (!sanity || typeof sanity !== 'object')
    invalid('sanity', 'is required: {projectId, dataset, token}')
  const projectId = requireString(sanity.projectId, 'sanity.projectId')
  if (!PROJECT_ID.test(projectId))
    invalid('sanity.projectId', `is not a Sanity project id: ${JSON.stringify(projectId)}`)
  const dataset = requireString(sanity.dataset, 'sanity.dataset')
  if (!DATASET.test(dataset))
    invalid('sanity.dataset', `is not a dataset name: ${JSON.stringify(dataset)}`)
  const token = requireString(sanity.token, 'sanity.token', ' (a read token for the proxy)')
  const apiHost =
    sanity.apiHost === undefined
      ? DEFAULT_SANITY_API_HOST
      : httpUrl(sanity.apiHost, 'sanity.apiHost')
  const apiVersion = (sanity.apiVersion ?? DEFAULT_SANITY_API_VERSION).replace(/^v/, '')
  if (!API_VERSION.test(apiVersion)) invalid('sanity.apiVersion', 'must look like 2025-02-19')
  const basePath = (options.basePath ?? '').replace(/\/+$/, '')
  if (
    !BASE_PATH.test(basePath) ||
    basePath.split('/').some((part) => part === '..' || part === '.')
  ) {
    invalid(
      'basePath',
      `must be a path such as "/api/clerk", got ${JSON.stringify(options.basePath)}`,
    )
  }
  if (!Array.isArray(options.allowedOrigins)) {
    invalid('allowedOrigins', 'is required: the Studio origins, e.g. ["https://my.sanity.studio"]')
  }
  const allowedOrigins = options.allowedOrigins.map((origin, index) => {
    try {
      return normalizeOrigin(origin)
    } catch {
      return invalid(
        `allowedOrigins[${index}]`,
        `must be an http(s) origin, got ${JSON.stringify(origin)}`,
      )
    }
  })
  if (options.webhookSecret !== undefined) requireString(options.webhookSecret, 'webhookSecret')
  if (
    options.clerkWebhookSecret !== undefined &&
    !/^whsec_[A-Za-z0-9+/=]+$/.test(requireString(options.clerkWebhookSecret, 'clerkWebhookSecret'))
  )
    invalid('clerkWebhookSecret', 'must be the whsec_… signing secret of the Clerk endpoint')
  if (options.cronSecret !== undefined) requireString(options.cronSecret, 'cronSecret')
  if (options.store !== undefined && typeof options.store?.acquireLease !== 'function')
    invalid('store', 'must be a ProxyStore (createMemoryStore() or createRedisStore({client}))')
  let rules: AccessRules
  try {
    rules = resolveAccessRules(options.rules)
  } catch (error) {
    invalid('rules', `are invalid: ${(error as Error).message}`)
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    invalid('fetch', 'must be a function')
  if (options.now !== undefined && typeof options.now !== 'function')
    invalid('now', 'must be a function returning milliseconds')
  return {
    clerkSecretKey,
    clerkApiUrl:
      options.clerkApiUrl === undefined ? undefined : httpUrl(options.clerkApiUrl, 'clerkApiUrl'),
    sanity: {
      projectId,
      dataset,
      token,
      apiVersion,
      apiHost,
      useProjectHostname: sanity.useProjectHostname ?? defaultUseProjectHostname(apiHost),
    },
    basePath,
    allowedOrigins,
    webhookSecret: options.webhookSecret,
    webhookToleranceMs: positiveNumber(
      options.webhookToleranceMs,
      'webhookToleranceMs',
      DEFAULT_WEBHOOK_TOLERANCE_MS,
    ),
    clerkWebhookSecret: options.clerkWebhookSecret,
    invitationRedirectUrl:
      options.invitationRedirectUrl === undefined
        ? undefined
        : httpUrl(options.invitationRedirectUrl, 'invitationRedirectUrl'),
    store: options.store ?? createMemoryStore(),
    sharedStore: options.store !== undefined,
    cronSecret: options.cronSecret,
    sweepIntervalMs: positiveNumber(
      options.sweepIntervalMs,
      'sweepIntervalMs',
      DEFAULT_VALIDITY_SWEEP_INTERVAL_MS,
    ),
    convergence: options.convergence,
    rolePermissions: resolveRolePermissions(validateRolePermissions(options.rolePermissions)),
    rules,
    rateLimit: resolveRateLimit(options.rateLimit, 'rateLimit', DEFAULT_RATE_LIMIT),
    clientRateLimit: resolveRateLimit(
      options.clientRateLimit,
      'clientRateLimit',
      DEFAULT_CLIENT_RATE_LIMIT,
    ),
    clientAddress: resolveClientAddress(options.clientAddress),
    identityCacheTtlMs: nonNegativeNumber(options.identityCacheTtlMs, 'identityCacheTtlMs', 30_000),
    identityFailureCacheTtlMs: nonNegativeNumber(
      options.identityFailureCacheTtlMs,
      'identityFailureCacheTtlMs',
      DEFAULT_IDENTITY_FAILURE_CACHE_TTL_MS,
    ),
    identityCacheSize: positiveNumber(
      options.identityCacheSize,
      'identityCacheSize',
      DEFAULT_IDENTITY_CACHE_SIZE,
    ),
    now: options.now ?? Date.now,
    bodyLimitBytes: positiveNumber(
      options.bodyLimitBytes,
      'bodyLimitBytes',
      DEFAULT_BODY_LIMIT_BYTES,
      MAX_BODY_LIMIT_BYTES,
    ),
    logger: validateLogger(options.logger),
    fetch: options.fetch,
    clerkRetry: options.clerkRetry,
    clerkRateLimit:
      options.clerkRateLimit === undefined
        ? undefined
        : {
            requests: positiveNumber(options.clerkRateLimit.requests, 'clerkRateLimit.requests', 0),
            perMs: positiveNumber(options.clerkRateLimit.perMs, 'clerkRateLimit.perMs', 0),
          },
  }
}

/** Environment variables {@link clerkProxyOptionsFromEnv} reads. */
export const PROXY_ENV = {
  clerkSecretKey: 'CLERK_SECRET_KEY',
  clerkApiUrl: 'CLERK_API_URL',
  projectId: 'SANITY_PROJECT_ID',
  dataset: 'SANITY_DATASET',
  apiHost: 'SANITY_API_HOST',
  apiVersion: 'SANITY_API_VERSION',
  token: 'SANITY_TOKEN',
  webhookSecret: 'SANITY_WEBHOOK_SECRET',
  clerkWebhookSecret: 'CLERK_WEBHOOK_SIGNING_SECRET',
  invitationRedirectUrl: 'CLERK_INVITATION_REDIRECT_URL',
  cronSecret: 'CRON_SECRET',
  allowedOrigins: 'CLERK_PROXY_ALLOWED_ORIGINS',
  basePath: 'CLERK_PROXY_BASE_PATH',
  namespace: 'CLERK_PROXY_NAMESPACE',
  grantableTypes: 'CLERK_PROXY_GRANTABLE_TYPES',
} as const

/**
 * Proxy options from environment variables (only the adapters call this; the handler itself never
 * reads the environment). `CLERK_PROXY_ALLOWED_ORIGINS` is comma-separated;
 * `CLERK_PROXY_GRANTABLE_TYPES` is a comma-separated list of `type[:slugField[:metadataKey]]`.
 * Throws naming the first missing variable; the result still goes through full validation in
 * `createClerkProxy`.
 */
export function clerkProxyOptionsFromEnv(
  env: Record<string, string | undefined>,
  overrides: Partial<ClerkProxyOptions> = {},
): ClerkProxyOptions {
  const read = (name: string) => {
    const value = env[name]?.trim()
    return value ? value : undefined
  }
  const required = (name: string) => {
    const value = read(name)
    if (!value)
      throw new Error(`sanity-plugin-clerk/proxy: environment variable ${name} is not set`)
    return value
  }
  const list = (name: string) =>
    (read(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  const grantableTypes = list(PROXY_ENV.grantableTypes).map((entry) => {
    const [type, slugField, metadataKey] = entry.split(':')
    return {type: type!, ...(slugField ? {slugField} : {}), ...(metadataKey ? {metadataKey} : {})}
  })
  const namespace = read(PROXY_ENV.namespace)
  const apiHost = read(PROXY_ENV.apiHost)
  const apiVersion = read(PROXY_ENV.apiVersion)
  const clerkApiUrl = read(PROXY_ENV.clerkApiUrl)
  const webhookSecret = read(PROXY_ENV.webhookSecret)
  const clerkWebhookSecret = read(PROXY_ENV.clerkWebhookSecret)
  const invitationRedirectUrl = read(PROXY_ENV.invitationRedirectUrl)
  const cronSecret = read(PROXY_ENV.cronSecret)
  const basePath = read(PROXY_ENV.basePath)
  return {
    clerkSecretKey: required(PROXY_ENV.clerkSecretKey),
    ...(clerkApiUrl ? {clerkApiUrl} : {}),
    sanity: {
      projectId: required(PROXY_ENV.projectId),
      dataset: required(PROXY_ENV.dataset),
      token: required(PROXY_ENV.token),
      ...(apiHost ? {apiHost} : {}),
      ...(apiVersion ? {apiVersion} : {}),
    },
    allowedOrigins: list(PROXY_ENV.allowedOrigins),
    ...(webhookSecret ? {webhookSecret} : {}),
    ...(clerkWebhookSecret ? {clerkWebhookSecret} : {}),
    ...(invitationRedirectUrl ? {invitationRedirectUrl} : {}),
    ...(cronSecret ? {cronSecret} : {}),
    ...(basePath ? {basePath} : {}),
    rules: {
      ...(grantableTypes.length > 0 ? {grantableTypes} : {}),
      ...(namespace ? {namespace} : {}),
    },
    ...overrides,
  }
}
