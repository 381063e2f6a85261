/**
 * The test-only admin API under `/__lake/`, outside the versioned Sanity API, so suites in other
 * processes can assert on stored documents, transactions and requests, and inject faults.
 * Loopback only and unauthenticated; it never reveals tokens.
 */
import type {LakeCore} from './core'
import {badRequest, notFound} from './errors'
import type {FaultRule} from './faults'
import {readJson, type LakeRequest, type Reply} from './http'
import {validateQueryLag} from './replica'
import {validateWebhookTimings} from './webhooks'

export async function adminRoute(core: LakeCore, request: LakeRequest): Promise<Reply | undefined> {
  const {route, method} = request
  if (!route.startsWith('/__lake/') || route.startsWith('/__lake/login')) return undefined
  const path = route.slice('/__lake'.length)
  if (path === '/documents' && method === 'GET') return {body: core.store.all()}
  if (path.startsWith('/documents/') && method === 'GET') {
    const id = decodeURIComponent(path.slice('/documents/'.length))
    const document = core.store.get(id)
    if (!document) throw notFound(`No document "${id}"`)
    return {body: document}
  }
  if (path === '/transactions' && method === 'GET') return {body: core.store.transactions()}
  if (path === '/requests' && method === 'GET') return {body: core.requests}
  if (path === '/requests' && method === 'DELETE') {
    core.requests.length = 0
    return {body: {}}
  }
  if (path === '/faults' && method === 'GET') return {body: core.faults.list()}
  if (path === '/faults' && method === 'DELETE') {
    core.faults.clear()
    return {body: {}}
  }
  if (path === '/faults' && method === 'POST') {
    const body = await readJson(request)
    const rules = Array.isArray(body) ? body : [body]
    for (const rule of rules) {
      if (typeof (rule as FaultRule | null)?.route !== 'string') {
        throw badRequest('Each fault needs a "route" (a regular expression string)')
      }
    }
    for (const rule of rules as FaultRule[]) core.faults.add(rule)
    return {body: core.faults.list()}
  }
  if (path === '/listeners/drop' && method === 'POST') {
    return {body: {dropped: core.listeners.dropAll()}}
  }
  if (path === '/webhooks/attempts' && method === 'GET') return {body: core.webhooks.attempts}
  if (path === '/webhooks/timings' && method === 'GET') {
    return {body: core.webhooks.currentTimings}
  }
  if (path === '/webhooks/timings' && method === 'PUT') {
    core.webhooks.setTimings(validateWebhookTimings(await readJson(request)))
    return {body: core.webhooks.currentTimings}
  }
  if (path === '/query-lag' && method === 'GET') return {body: {queryLag: core.replica.lag}}
  if (path === '/query-lag' && (method === 'PUT' || method === 'DELETE')) {
    core.replica.set(method === 'DELETE' ? null : validateQueryLag(await readJson(request)))
    return {body: {queryLag: core.replica.lag}}
  }
  throw notFound(`Unknown admin endpoint ${method} ${route}`)
}
