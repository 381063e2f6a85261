/**
 * The admin API under `/__emulator/`, so other processes (the demo, browser tests) can script
 * the emulator: seed, reset, create records with chosen ids, read the log, inject faults, set
 * latency and the rate limit. It needs the same bearer key as `/v1`, except the avatars, which
 * browsers load as plain images.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {ClerkApiError, keyInvalid, malformedBody, paramInvalid, routeNotFound} from './errors'
import {addEventAdminRoutes} from './events-admin-routes'
import type {Fault, FaultInjector, FaultRule} from './faults'
import {readBody, sendJson} from './http'
import {isJsonObject, type JsonObject} from './metadata'
import {cryptoRandom, mintTraceId} from './random'
import type {RateLimitOption} from './rate-limit'
import type {RequestLog} from './request-log'
import {Router} from './router'
import {seedStore, type SeedSpec} from './seed'
import type {SessionStore} from './sessions'
import {addSessionAdminRoutes} from './sessions-routes'
import type {ClerkWebhookDispatcher} from './webhooks'
import type {
  AddMembershipInput,
  ClerkStore,
  CreateOrganizationInput,
  CreateUserInput,
} from './store'

export interface AdminState {
  store: ClerkStore
  sessions: SessionStore
  webhooks: ClerkWebhookDispatcher
  faults: FaultInjector
  log: RequestLog
  setLatency(ms: number): void
  setRateLimit(option: RateLimitOption): void
  reset(): void
}

const FAULT_TYPES = new Set<Fault['type']>(['status', 'delay', 'hang', 'reset', 'content-type'])

/** `{method, path | pathPattern, query, times (null = unlimited), fault}` as JSON → a fault rule. */
function readFaultRule(body: JsonObject): FaultRule {
  const fault = body.fault
  if (!isJsonObject(fault) || !FAULT_TYPES.has(fault.type as Fault['type'])) {
    throw paramInvalid('fault', `fault.type must be one of ${[...FAULT_TYPES].join(', ')}.`)
  }
  const {method, path, pathPattern, query, times} = body
  if (
    query !== undefined &&
    !(isJsonObject(query) && Object.values(query).every((value) => typeof value === 'string'))
  ) {
    throw paramInvalid('query', 'query must map parameter names to string values.')
  }
  let pattern: RegExp | undefined
  if (typeof pathPattern === 'string') {
    try {
      pattern = new RegExp(pathPattern)
    } catch {
      throw paramInvalid('pathPattern', 'pathPattern must be a valid regular expression.')
    }
  }
  return {
    fault: fault as unknown as Fault,
    ...(typeof method === 'string' && {method}),
    ...(typeof path === 'string' && {path}),
    ...(pattern && {path: pattern}),
    ...(query !== undefined && {query: query as Record<string, string>}),
    ...(times === null ? {times: Infinity} : typeof times === 'number' && {times}),
  }
}

function avatarSvg(label: string): string {
  const initials = label
    .split(/\s+/)
    .map((word) => word.charAt(0).toUpperCase())
    .join('')
    .slice(0, 2)
  const hue = [...label].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 360
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" fill="hsl(${hue} 55% 45%)"/>` +
    `<text x="32" y="41" font-family="sans-serif" font-size="26" fill="#fff" ` +
    `text-anchor="middle">${initials.replace(/[<&>"]/g, '')}</text></svg>`
  )
}

export function createAdminRouter(state: AdminState) {
  const {store, faults, log} = state
  const traceRandom = cryptoRandom()
  const router = addEventAdminRoutes(addSessionAdminRoutes(new Router(), state.sessions), state)
    .add('GET', '/health', () => ({ok: true, ...store.counts}))
    .add('POST', '/reset', () => {
      state.reset()
      return {ok: true}
    })
    .add('POST', '/seed', ({body}) => {
      const option = typeof body.preset === 'string' ? body.preset : (body as SeedSpec)
      try {
        return seedStore(store, option)
      } catch (error) {
        throw paramInvalid('seed', (error as Error).message)
      }
    })
    .add('POST', '/users', ({body}) => store.createUser(body as CreateUserInput))
    .add('POST', '/organizations', ({body}) =>
      store.createOrganization(body as unknown as CreateOrganizationInput),
    )
    .add('POST', '/memberships', ({body}) =>
      store.addMembership(body as unknown as AddMembershipInput),
    )
    .add('GET', '/log', () => ({data: log.entries}))
    .add('DELETE', '/log', () => {
      log.clear()
      return {ok: true}
    })
    .add('GET', '/faults', () => ({
      data: faults
        .list()
        .map(({rule, ...rest}) => ({...rest, rule: {...rule, path: String(rule.path ?? '')}})),
    }))
    .add('POST', '/faults', ({body}) => {
      const {id} = faults.add(readFaultRule(body))
      return {id}
    })
    .add('DELETE', '/faults', () => {
      faults.clear()
      return {ok: true}
    })
    .add('DELETE', '/faults/:id', ({params}) => ({removed: faults.remove(params.id as string)}))
    .add('PUT', '/latency', ({body}) => {
      if (typeof body.ms !== 'number' || body.ms < 0) throw paramInvalid('ms', 'ms must be ≥ 0.')
      state.setLatency(body.ms)
      return {ok: true}
    })
    .add('PUT', '/rate-limit', ({body}) => {
      try {
        state.setRateLimit(body.rateLimit as RateLimitOption)
      } catch (error) {
        throw paramInvalid('rateLimit', (error as Error).message)
      }
      return {ok: true}
    })

  return async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    authorized: boolean,
  ): Promise<void> => {
    const path = url.pathname.slice('/__emulator'.length)
    const avatar = /^\/avatars\/([A-Za-z0-9_]+)\.svg$/.exec(path)
    if (avatar && request.method === 'GET') {
      const id = avatar[1] as string
      const user = store.getUser(id)
      const label = user
        ? [user.first_name, user.last_name].filter(Boolean).join(' ') || id
        : (store.getOrganization(id)?.name ?? '?')
      response.writeHead(200, {'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=60'})
      response.end(avatarSvg(label))
      return
    }
    const fail = (error: ClerkApiError) =>
      sendJson(response, error.status, JSON.stringify(error.toJson(mintTraceId(traceRandom))))
    const body = await readBody(request, 64 * 1024 * 1024)
    if (!body.ok) return
    if (!authorized) return fail(keyInvalid())
    const match = router.match(request.method ?? 'GET', path)
    if (!match) return fail(routeNotFound(request.method ?? 'GET', url.pathname))
    try {
      let parsed: unknown = {}
      try {
        parsed = body.text.trim() ? JSON.parse(body.text) : {}
      } catch {
        throw malformedBody('The request body is not valid JSON.')
      }
      if (!isJsonObject(parsed)) throw malformedBody('The request body must be a JSON object.')
      const result = match.handler({
        params: match.params,
        query: url.searchParams,
        body: parsed,
        apiVersion: undefined,
        store,
      })
      sendJson(response, 200, JSON.stringify(result))
    } catch (error) {
      if (error instanceof ClerkApiError) return fail(error)
      fail(new ClerkApiError(400, 'invalid_request', (error as Error).message))
    }
  }
}
