import {createCorsPolicy} from './auth/cors'
import {clerkGatewayFor} from './clerk/fromOptions'
import {bearerToken, createIdentityVerifier} from './auth/identity'
import {refusalReason} from './auth/permissions'
import {createRateLimiter} from './auth/rateLimit'
import {ProxyHttpError, notFound} from './http/errors'
import {clientOf} from './http/client'
import {
  createRedactingLogger,
  redactEvents,
  redactOutcome,
  redactResponse,
  type ProxyLogger,
} from './http/redact'
import {errorResponse} from './http/responses'
import {toProxyHttpError} from './http/upstream'
import {
  resolveClerkProxyOptions,
  type ClerkProxyOptions,
  type ResolvedClerkProxyOptions,
} from './options'
import type {ProxyEngine} from './routes/engine'
import {createRoutes, matchRoute} from './routes'
import {createAccessQueries, createSanityReader} from './sanity'
import {createSyncEngine, createValiditySweep} from './sync'

/** A Web-standard request handler: runs on Node (through the adapter), edge runtimes and Workers. */
export type ClerkProxyHandler = (request: Request) => Promise<Response>

/** Options of {@link createClerkProxyHandler}: resolved options plus the engine to serve. */
export interface ClerkProxyHandlerParts {
  options: ResolvedClerkProxyOptions
  engine: ProxyEngine
}

// Options whose name says they hold a secret: `clerkSecretKey`, `sanity.token`, every
// `…Secret` (webhook, cron, Clerk webhook…), so a secret option added later is covered too.
const SECRET_OPTION = /secret|token/i

/** The secrets the proxy is configured with: never in a log line, a response or a thrown error. */
export function configuredSecrets(options: ResolvedClerkProxyOptions): string[] {
  const values = [...Object.entries(options), ...Object.entries(options.sanity)].flatMap(
    ([name, value]) =>
      SECRET_OPTION.test(name) && typeof value === 'string' && value ? [value] : [],
  )
  return [...new Set(values)]
}

/** The logger the proxy writes through: never prints the configured secrets. */
export function proxyLogger(options: ResolvedClerkProxyOptions): ProxyLogger {
  return createRedactingLogger(options.logger, configuredSecrets(options))
}

/** Whatever the caller sent as `Authorization` (after `Bearer`), to be redacted from the answer. */
function callerCredential(request: Request): string[] {
  const header = request.headers.get('authorization') ?? ''
  const credential = header.replace(/^\s*\S+\s+/, '').trim()
  return credential.length >= 8 ? [credential] : []
}

/**
 * The proxy's HTTP surface around an engine: CORS, editor identity (verified with Sanity),
 * permissions, per-editor rate limit, routing, and one error shape for every failure. Use
 * {@link createClerkProxy} unless you build the engine yourself.
 */
export function createClerkProxyHandler({
  options,
  engine,
}: ClerkProxyHandlerParts): ClerkProxyHandler {
  const logger = proxyLogger(options)
  const secrets = configuredSecrets(options)
  const cors = createCorsPolicy(options.allowedOrigins)
  const identities = createIdentityVerifier({
    ...options.sanity,
    rolePermissions: options.rolePermissions,
    cacheTtlMs: options.identityCacheTtlMs,
    failureCacheTtlMs: options.identityFailureCacheTtlMs,
    cacheSize: options.identityCacheSize,
    clientLimiter: options.clientRateLimit
      ? createRateLimiter(options.clientRateLimit, options.now)
      : null,
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    now: options.now,
  })
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit, options.now) : null
  const routes = createRoutes()

  const relativePath = (pathname: string): string | null => {
    const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname
    if (!options.basePath) return path
    if (path === options.basePath) return '/'
    return path.startsWith(`${options.basePath}/`) ? path.slice(options.basePath.length) : null
  }

  const route = async (request: Request, requestLogger: ProxyLogger): Promise<Response> => {
    if (request.method === 'OPTIONS') return cors.preflight(request)
    if (!cors.allows(request)) {
      throw new ProxyHttpError(
        403,
        'origin_not_allowed',
        'This origin is not in the proxy\'s "allowedOrigins".',
      )
    }
    const {pathname} = new URL(request.url)
    const path = relativePath(pathname)
    const match = path === null ? {methodMismatch: false} : matchRoute(routes, request.method, path)
    if (!('route' in match)) {
      throw notFound(
        match.methodMismatch ? `${request.method} is not allowed on this route.` : 'No such route.',
      )
    }
    let identity = null
    if (match.route.access !== null) {
      identity = await identities.verify(
        bearerToken(request),
        clientOf(request, options.clientAddress),
      )
      const needed = match.route.access
      if (needed !== 'authenticated' && !identity.permissions.includes(needed)) {
        throw new ProxyHttpError(403, 'forbidden', refusalReason(identity.roles, needed))
      }
      const decision = limiter?.take(identity.sanityUserId)
      if (decision && !decision.allowed) {
        throw new ProxyHttpError(429, 'rate_limited', 'Too many requests; slow down.', {
          retryAfter: decision.retryAfterSeconds,
        })
      }
    }
    return match.route.handle({
      request,
      params: match.params,
      identity,
      engine,
      options,
      logger: requestLogger,
    })
  }

  return async (request) => {
    // What this caller sent as credentials is a secret too, in log lines as in the answer.
    const callerSecrets = callerCredential(request)
    const requestLogger =
      callerSecrets.length > 0 ? createRedactingLogger(logger, callerSecrets) : logger
    let response: Response
    try {
      response = await route(request, requestLogger)
    } catch (error) {
      const httpError = toProxyHttpError(error)
      if (httpError.status >= 500) {
        requestLogger.error(
          `${request.method} ${new URL(request.url).pathname} → ${httpError.status} ${httpError.code}`,
          error,
        )
      }
      response = errorResponse(httpError)
    }
    const redactedOf = callerSecrets.length > 0 ? [...secrets, ...callerSecrets] : secrets
    return cors.decorate(request, await redactResponse(response, redactedOf))
  }
}

/**
 * The engine behind the routes, from the options: the Clerk gateway (timeouts, retries, rate
 * budget), the Sanity reader (plain `fetch`, `published` perspective), and the sync engine over
 * both. Exported for custom servers that want the engine without the HTTP surface.
 */
export function createProxyEngine(options: ResolvedClerkProxyOptions): ProxyEngine {
  const clerk = clerkGatewayFor(options)
  const logger = proxyLogger(options)
  const sanity = createSanityReader({
    ...options.sanity,
    ...(options.fetch ? {fetch: options.fetch} : {}),
    warn: (message) => logger.warn(`Sanity: ${message}`),
  })
  const engine = createSyncEngine({
    clerk,
    sanity,
    rules: options.rules,
    logger,
    store: options.store,
    ...(options.convergence === undefined ? {} : {convergence: options.convergence}),
  })
  const validity = createValiditySweep({
    queries: createAccessQueries(sanity, options.rules),
    syncSubjects: engine.syncSubjects,
    usersWithVerified: engine.usersWithVerified,
    runDueRechecks: engine.runDueRechecks,
    store: options.store,
    intervalMs: options.sweepIntervalMs,
  })
  // Results and errors of the public engine pass the same redaction as log lines: they relay
  // messages from Clerk and Sanity, which could quote a key or token.
  const secrets = configuredSecrets(options)
  const redacted = <T>(work: Promise<T>) => redactOutcome(work, secrets)
  return {
    syncSubjects: (subjects, syncOptions) => redacted(engine.syncSubjects(subjects, syncOptions)),
    sweepValidity: () => redacted(validity.run()),
    subjectsOfDocument: (documentId, rev) => redacted(engine.subjectsOfDocument(documentId, rev)),
    usersWithVerified: (emails) => redacted(engine.usersWithVerified(emails)),
    orphans: () => redacted(engine.orphans()),
    syncChange: (change) => redacted(engine.syncChange(change)),
    status: (subject, statusOptions) => redacted(engine.status(subject, statusOptions)),
    reconcile: (request) => redactEvents(engine.reconcile(request), secrets),
    searchUsers: (params) => redacted(clerk.searchUsers(params)),
    searchOrganizations: (params) => redacted(clerk.searchOrganizations(params)),
    invite: (email) => redacted(clerk.createInvitation(email, options.invitationRedirectUrl)),
    invitationsOf: (email) => redacted(clerk.invitationsOf(email)),
    revokeInvitation: (invitationId) => redacted(clerk.revokeInvitation(invitationId)),
  }
}

/**
 * Creates the proxy: a Web-standard `(Request) => Promise<Response>` handler. Validates the
 * options first and throws, naming the option, when something is missing or invalid.
 *
 * @example
 * ```ts
 * const handler = createClerkProxy({
 *   clerkSecretKey: process.env.CLERK_SECRET_KEY!,
 *   sanity: {projectId: 'abc123', dataset: 'production', token: process.env.SANITY_TOKEN!},
 *   allowedOrigins: ['https://my.sanity.studio'],
 *   basePath: '/api/clerk',
 *   webhookSecret: process.env.SANITY_WEBHOOK_SECRET,
 * })
 * ```
 */
export function createClerkProxy(options: ClerkProxyOptions): ClerkProxyHandler {
  const resolved = resolveClerkProxyOptions(options)
  return createClerkProxyHandler({options: resolved, engine: createProxyEngine(resolved)})
}
