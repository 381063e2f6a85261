/**
 * The Clerk Backend API emulator: an HTTP server on 127.0.0.1 that the real `@clerk/backend`
 * accepts as `apiUrl`. Requests under `/v1` go through fault injection, latency, auth, the rate
 * limit and the router; `/__emulator/…` is the admin API for other processes.
 */
import {createServer, STATUS_CODES, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {createAdminRouter} from './admin-routes'
import {
  bodyTooLarge,
  ClerkApiError,
  keyInvalid,
  malformedBody,
  routeNotFound,
  tooManyRequests,
} from './errors'
import {defaultFaultCode, FaultInjector} from './faults'
import {delay, JSON_CONTENT_TYPE, readBody, sendJson} from './http'
import {DEFAULT_METADATA_LIMIT, isJsonObject, type JsonObject, type MetadataLimit} from './metadata'
import {addOrganizationRoutes} from './organizations-routes'
import {cryptoRandom, mintTraceId} from './random'
import {
  resolveRateLimit,
  TokenBuckets,
  USER_WRITE_LIMIT,
  userWriteBucket,
  type RateLimitOption,
  type RateLimitRule,
} from './rate-limit'
import {redactHeaders, RequestLog, type LoggedRequest} from './request-log'
import {Router} from './router'
import {seedStore, type SeedOption, type SeedSummary} from './seed'
import {addEmailAddressRoutes} from './email-addresses-routes'
import {addInvitationRoutes} from './invitations-routes'
import {addSessionRoutes} from './sessions-routes'
import {SessionStore, type SessionTokenSettings} from './sessions'
import {ClerkStore} from './store'
import {addUserRoutes} from './users-routes'
import {ClerkWebhookDispatcher} from './webhooks'

export interface ClerkEmulatorOptions {
  /** The only key accepted as `Authorization: Bearer …`. Default `sk_test_emulator`. */
  secretKey?: string
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number
  /** Added to every `/v1` request; changeable later through `emulator.latencyMs`. Default 0. */
  latencyMs?: number
  /**
   * Per-key token bucket. Default from the key like Clerk: 100 per 10 s for `sk_test_` keys,
   * 1000 per 10 s for `sk_live_`. `false` disables it.
   */
  rateLimit?: RateLimitOption
  /**
   * Per-user limit on `PATCH /users/{id}` and `PATCH`/`PUT /users/{id}/metadata`, one bucket per
   * route and user. Default Clerk's 10 per 10 s whenever `rateLimit` is not `false`.
   */
  userWriteLimit?: RateLimitRule | false
  /** Clock of the rate-limit buckets and of minted session tokens (epoch ms). Default `Date.now`. */
  now?: () => number
  /** Population to start with: a preset (`'demo'`), a seed value, or `{users, organizations, seed}`. */
  seed?: SeedOption
  /** Metadata size rule; unspecified parts keep the defaults (8192 bytes combined). */
  metadataLimit?: Partial<MetadataLimit>
  /** The session-token template, lifetime (default 60 s) and `azp` of minted session tokens. */
  sessionToken?: Partial<SessionTokenSettings>
  /** PKCS#8 PEM of a 2048-bit RSA key that signs tokens; default a fresh key per emulator. */
  signingKeyPem?: string
  /** Largest accepted request body in bytes; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number
  /** How many requests the log keeps (the newest). Default 10,000. */
  logLimit?: number
}

export interface ClerkEmulator {
  /** Origin to pass as `apiUrl` to `createClerkClient`, e.g. `http://127.0.0.1:4010`. */
  readonly url: string
  /** The secret key the emulator accepts. */
  readonly secretKey: string
  /** Direct access to the state, without HTTP. */
  readonly store: ClerkStore
  /** Sessions, session tokens, the signing key (`sessions.jwtKey`) and token templates. */
  readonly sessions: SessionStore
  /**
   * A production-shaped publishable key naming this emulator, for `authenticateRequest` (a
   * development key would send every request to Clerk's dev-browser handshake, which needs the
   * network).
   */
  readonly publishableKey: string
  /**
   * Clerk's outbound webhooks: `setEndpoint({url, secret})`, timings, fault knobs, `attempts`,
   * `idle()`. Every change to the store is an event, sent when an endpoint is set.
   */
  readonly webhooks: ClerkWebhookDispatcher
  /** Scripted per-route failures. */
  readonly faults: FaultInjector
  /** Requests served so far, oldest first (bounded by `logLimit`). */
  readonly log: readonly LoggedRequest[]
  clearLog(): void
  /** Delay added to every `/v1` request. */
  latencyMs: number
  /**
   * Replaces the per-key rule and refills every bucket; `false` also lifts the per-user limit,
   * anything else restores it (as configured, default Clerk's).
   */
  setRateLimit(option: RateLimitOption): void
  /** Adds a generated population. */
  seed(option: SeedOption): SeedSummary
  /**
   * Empties the store, the log and the faults, removes the webhook endpoint, and refills the
   * rate-limit buckets.
   */
  reset(): void
  /** Stops the server, dropping open (also hanging) connections. */
  close(): Promise<void>
}

const DEFAULT_SECRET_KEY = 'sk_test_emulator'
const API_PREFIX = '/v1'
const ADMIN_PREFIX = '/__emulator/'
const JWKS_PATH = `${API_PREFIX}/jwks`

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startClerkEmulator(
  options: ClerkEmulatorOptions = {},
): Promise<ClerkEmulator> {
  const secretKey = options.secretKey ?? DEFAULT_SECRET_KEY
  if (!secretKey) throw new Error('startClerkEmulator: secretKey must not be empty')
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const store = new ClerkStore({
    metadataLimit: {...DEFAULT_METADATA_LIMIT, ...options.metadataLimit},
  })
  const faults = new FaultInjector()
  const log = new RequestLog(options.logLimit ?? 10_000)
  const now = options.now ?? Date.now
  const buckets = new TokenBuckets(resolveRateLimit(options.rateLimit, secretKey), now)
  const userWriteRule = (option: RateLimitOption | undefined) =>
    option === false || options.userWriteLimit === false
      ? undefined
      : (options.userWriteLimit ?? USER_WRITE_LIMIT)
  const userBuckets = new TokenBuckets(userWriteRule(options.rateLimit), now)
  const sessions = new SessionStore(store, {
    ...(options.now && {now: options.now}),
    ...(options.signingKeyPem && {signingKeyPem: options.signingKeyPem}),
    ...(options.sessionToken && {sessionToken: options.sessionToken}),
  })
  const webhooks = new ClerkWebhookDispatcher(cryptoRandom(), now)
  store.subscribe((event) => webhooks.send(event))
  const api = addEmailAddressRoutes(
    addInvitationRoutes(
      addSessionRoutes(addOrganizationRoutes(addUserRoutes(new Router())), sessions),
    ),
  )
  const traceRandom = cryptoRandom()
  let latencyMs = options.latencyMs ?? 0

  const authorized = (request: IncomingMessage) =>
    request.headers.authorization === `Bearer ${secretKey}`

  const handleApi = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const method = request.method ?? 'GET'
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      query: queryRecord(url.searchParams),
      headers: redactHeaders(request.headers),
      body: '',
      status: 0,
      responseBody: '',
      receivedAt: Date.now(),
    }
    let contentType = JSON_CONTENT_TYPE
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      // Only reads are worth caching: a write's result is a new object, usually read again later.
      const text = method === 'GET' ? serialize(payload) : JSON.stringify(payload)
      sendJson(response, status, text, headers, contentType)
      entry.status = status
      entry.responseBody = text
      log.record(entry)
    }
    const fail = (error: ClerkApiError) =>
      reply(error.status, error.toJson(mintTraceId(traceRandom)), error.headers)

    const body = await readBody(request, maxBodyBytes)
    if (!body.ok) {
      if (body.reason === 'too-large') fail(bodyTooLarge(maxBodyBytes))
      return
    }
    entry.body = body.text

    const fault = faults.take(method, url.pathname, url.searchParams)
    switch (fault?.type) {
      case 'reset':
      case 'hang':
        log.record(entry)
        if (fault.type === 'reset') request.socket.destroy()
        return
      case 'delay':
        await delay(fault.ms)
        break
      case 'content-type':
        contentType = fault.contentType ?? 'application/json; charset=utf-8'
        break
      case 'status': {
        const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined)
        const message = fault.message ?? STATUS_CODES[fault.status] ?? 'Injected fault'
        return fail(
          new ClerkApiError(
            fault.status,
            fault.code ?? defaultFaultCode(fault.status),
            message,
            message,
            {},
            retryAfter === undefined ? {} : {'Retry-After': String(retryAfter)},
          ),
        )
      }
    }
    if (latencyMs > 0) await delay(latencyMs)

    if (!authorized(request)) return fail(keyInvalid())
    // Clerk exempts the JWKS from the rate limit: every backend verifying tokens fetches it.
    const decision = url.pathname === JWKS_PATH ? {allowed: true as const} : buckets.take(secretKey)
    if (!decision.allowed) return fail(tooManyRequests(decision.retryAfterSeconds))

    const match = url.pathname.startsWith(`${API_PREFIX}/`)
      ? api.match(method, url.pathname.slice(API_PREFIX.length))
      : undefined
    if (!match) return fail(routeNotFound(method, url.pathname))
    entry.route = match.name
    const userBucket = userWriteBucket(match.name, match.params)
    if (userBucket !== undefined) {
      const perUser = userBuckets.take(userBucket)
      if (!perUser.allowed) return fail(tooManyRequests(perUser.retryAfterSeconds))
    }

    let parsed: JsonObject
    try {
      parsed = parseJsonObject(body.text)
    } catch (error) {
      return fail(error as ClerkApiError)
    }
    try {
      const result = match.handler({
        params: match.params,
        query: url.searchParams,
        body: parsed,
        apiVersion: headerValue(request, 'clerk-api-version'),
        store,
      })
      reply(200, result)
    } catch (error) {
      if (error instanceof ClerkApiError) return fail(error)
      console.error('clerk emulator: handler failed', error)
      fail(new ClerkApiError(500, 'internal_clerk_error', 'Internal error', String(error)))
    }
  }

  const emulatorState = {
    store,
    sessions,
    webhooks,
    faults,
    log,
    setLatency: (ms: number) => {
      latencyMs = ms
    },
    setRateLimit: (option: RateLimitOption) => {
      buckets.configure(resolveRateLimit(option, secretKey))
      userBuckets.configure(userWriteRule(option))
    },
    reset: () => {
      store.reset()
      sessions.reset()
      webhooks.reset()
      log.clear()
      faults.clear()
      buckets.configure(buckets.rule)
      userBuckets.configure(userBuckets.rule)
    },
  }
  const admin = createAdminRouter(emulatorState)

  const server = createServer((request, response) => {
    const url = URL.parse(request.url ?? '/', 'http://127.0.0.1')
    if (!url) {
      const error = malformedBody(`The request target ${request.url} is not a valid URL.`)
      sendJson(response, 400, JSON.stringify(error.toJson(mintTraceId(traceRandom))))
      return
    }
    const run = url.pathname.startsWith(ADMIN_PREFIX)
      ? admin(request, response, url, authorized(request))
      : handleApi(request, response, url)
    run.catch((error: unknown) => {
      console.error('clerk emulator: request failed', error)
      if (!response.headersSent) {
        const failure = new ClerkApiError(500, 'internal_clerk_error', 'Internal error')
        sendJson(response, 500, JSON.stringify(failure.toJson(mintTraceId(traceRandom))))
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const {port} = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  store.imageOrigin = url
  sessions.issuer = url
  if (options.seed !== undefined) seedStore(store, options.seed)

  return {
    url,
    secretKey,
    store,
    sessions,
    webhooks,
    // Its Frontend API is the emulator itself: `authenticateRequest` matches it with `iss`.
    publishableKey: `pk_live_${Buffer.from(`127.0.0.1:${port}$`).toString('base64')}`,
    faults,
    get log() {
      return log.entries
    },
    clearLog: () => log.clear(),
    get latencyMs() {
      return latencyMs
    },
    set latencyMs(ms: number) {
      emulatorState.setLatency(ms)
    },
    setRateLimit: emulatorState.setRateLimit,
    seed: (option) => seedStore(store, option),
    reset: emulatorState.reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        webhooks.close()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/**
 * Store objects are frozen and replaced on every write, so a frozen object's JSON never changes
 * and can be reused: hot `GET /users/{id}` reads skip re-serializing.
 */
const serialized = new WeakMap<object, string>()
function serialize(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null || !Object.isFrozen(payload)) {
    return JSON.stringify(payload)
  }
  let text = serialized.get(payload)
  if (text === undefined) {
    text = JSON.stringify(payload)
    serialized.set(payload, text)
  }
  return text
}

/** The parsed body, `{}` when empty; a 400 for anything but a JSON object. */
function parseJsonObject(text: string): JsonObject {
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw malformedBody(`The request body is not valid JSON: ${(error as Error).message}`)
  }
  if (!isJsonObject(value)) throw malformedBody('The request body must be a JSON object.')
  return value
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function queryRecord(params: URLSearchParams): Record<string, string[]> {
  const record: Record<string, string[]> = {}
  for (const [key, value] of params) (record[key] ??= []).push(value)
  return record
}
