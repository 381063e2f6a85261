/**
 * The Studio's own typed client (`src/client`) against the proxy over real HTTP: the two sides of
 * `core/contract.ts` agree on every route, error shape and the NDJSON stream.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createProxyClient, ProxyError, type ProxyClient} from '../src/client/proxyClient'
import {PLUGIN_VERSION} from '../core/version'
import {startNodeServer, type RunningNodeServer} from './adapters/node'
import {
  BASE_PATH,
  entitlement,
  startProxyHarness,
  STUDIO_ORIGIN,
  type ProxyHarness,
} from './testing/proxy-harness'

let h: ProxyHarness
let server: RunningNodeServer
const clientFor = (role: 'administrator' | 'editor' | 'viewer'): ProxyClient =>
  createProxyClient({
    proxyUrl: `${server.url}${BASE_PATH}`,
    getToken: () => h.lake.clientConfig(role).token,
    // A browser sends its origin; the proxy must answer it with CORS headers.
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {...Object.fromEntries(new Headers(init?.headers)), origin: STUDIO_ORIGIN},
      }),
  })

beforeAll(async () => {
  h = await startProxyHarness()
  server = await startNodeServer(h.handler)
})
afterAll(async () => {
  await server?.close()
  await h?.close()
})

describe('the Studio client and the proxy', () => {
  it('agree on health, me, search, status and sync', async () => {
    const admin = clientFor('administrator')
    expect(await admin.health()).toEqual({ok: true, version: PLUGIN_VERSION})
    expect((await admin.me()).permissions).toContain('reconcile')
    const user = h.createUser('Contracta')
    await h.publish(entitlement('ent-contract', user, {courses: ['course-intro']}))
    const found = await admin.searchUsers({query: 'contracta', limit: 5})
    expect(found.data.map((summary) => summary.id)).toEqual([user])
    const synced = await clientFor('editor').sync({documentId: 'ent-contract'})
    expect(synced.results).toEqual([expect.objectContaining({subject: user, outcome: 'updated'})])
    const status = await admin.subjectStatus(user)
    expect(status).toMatchObject({
      subject: user,
      drift: [],
      effective: {metadata: {plan: 'pro', courseSlugs: ['intro']}},
    })
    expect(status.lastSync?.hash).toEqual(expect.any(String))
  })

  it('agree on errors: ProxyError with status and code', async () => {
    const refused = await clientFor('viewer')
      .sync({subjects: ['user_1']})
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ProxyError)
    expect(refused).toMatchObject({status: 403, code: 'forbidden'})
    const invalid = await clientFor('editor')
      .sync({})
      .catch((error: unknown) => error)
    expect(invalid).toMatchObject({status: 422, code: 'nothing_to_sync'})
  })

  it('agree on the reconcile stream', async () => {
    const events = []
    for await (const event of clientFor('administrator').reconcile({dryRun: true}))
      events.push(event.type)
    expect(events[0]).toBe('start')
    expect(events.at(-1)).toBe('done')
    expect(events).toContain('progress')
  })
})
