/**
 * One request from arrival to answer: CORS preflight, fault injection, authentication, dispatch
 * to the route groups, Sanity-shaped errors, and the request log.
 */
import type {LakeCore} from './core'
import {LakeError, gatewayError, notFound} from './errors'
import {
  corsHeaders,
  parseRequest,
  send,
  sendError,
  type LakeRequest,
  type RawRequest,
  type RawResponse,
  type Reply,
} from './http'
import {adminRoute} from './routes-admin'
import {dataRoute} from './routes-data'
import {historyRoute} from './routes-history'
import {identityRoute, publicRoute} from './routes-identity'
import type {LakeUser} from './types'

const MAX_LOGGED_REQUESTS = 10_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Routes behind a token; `identify` reports the caller for the request log. */
async function authenticatedRoute(
  core: LakeCore,
  request: LakeRequest,
  dropListenerAfterMs: number | undefined,
  identify: (user: LakeUser | null) => void,
): Promise<Reply | undefined> {
  const user = core.identity.authenticate(request.authorization)
  identify(user)
  const identityReply = await identityRoute(core, request, user)
  if (identityReply !== undefined) return identityReply
  if (!request.route.startsWith('/data/')) throw notFound(`Unknown endpoint ${request.route}`)
  const caller = core.identity.requireUser(request.authorization)
  return historyRoute(core, request) ?? dataRoute(core, request, caller, dropListenerAfterMs)
}

export function createRequestHandler(core: LakeCore) {
  return async (raw: RawRequest, response: RawResponse): Promise<void> => {
    const started = performance.now()
    const request = parseRequest(raw, response)
    let status = 200
    let user: LakeUser | null = null
    try {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, corsHeaders(raw))
        response.end()
        status = 204
        return
      }
      const faults = core.faults.take(request.method, request.route)
      const delay = faults.reduce((total, fault) => total + (fault.delayMs ?? 0), 0)
      if (delay > 0) await sleep(delay)
      const failure = faults.find((fault) => fault.status !== undefined)
      if (failure?.status) {
        throw gatewayError(failure.status, 'Injected Fault', `Injected fault on ${request.route}`)
      }
      const dropAfter = faults.find((fault) => fault.dropListenerAfterMs !== undefined)

      const reply =
        (await adminRoute(core, request)) ??
        (await publicRoute(core, request)) ??
        (await authenticatedRoute(core, request, dropAfter?.dropListenerAfterMs, (caller) => {
          user = caller
        }))
      if (reply === undefined) throw notFound(`Unknown endpoint ${request.route}`)
      if (reply) {
        send(request, reply)
        status = reply.status ?? 200
      }
    } catch (error) {
      status = error instanceof LakeError ? error.status : 500
      sendError(request, error)
    } finally {
      if (core.requests.length >= MAX_LOGGED_REQUESTS) core.requests.splice(0, 1000)
      core.requests.push({
        method: request.method,
        route: request.route,
        apiVersion: request.apiVersion,
        url: `${request.url.pathname}${request.url.search}`,
        httpVersion: raw.httpVersion,
        status,
        tag: request.url.searchParams.get('tag'),
        userId: (user as LakeUser | null)?.id ?? null,
        durationMs: Math.round(performance.now() - started),
        time: new Date().toISOString(),
      })
    }
  }
}
