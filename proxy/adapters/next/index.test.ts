import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {
  BASE_PATH,
  entitlement,
  startProxyHarness,
  STUDIO_ORIGIN,
  type ProxyHarness,
} from '../../routes/testing'
import {createNextRouteHandlers} from './index'

let h: ProxyHarness

beforeAll(async () => {
  h = await startProxyHarness()
})
afterAll(() => h?.close())

const url = (path: string) => `https://app.example.test${BASE_PATH}${path}`

describe('createNextRouteHandlers', () => {
  it('reads its options on the first request only, so `next build` needs no secrets', async () => {
    let reads = 0
    const {GET} = createNextRouteHandlers(() => {
      reads += 1
      return h.options
    })
    expect(reads).toBe(0)
    expect((await GET(new Request(url('/health')))).status).toBe(200)
    expect((await GET(new Request(url('/health')))).status).toBe(200)
    expect(reads).toBe(1)
  })

  it('serves GET, POST and OPTIONS of the catch-all route', async () => {
    const {GET, POST, OPTIONS} = createNextRouteHandlers(h.options)
    const token = h.lake.clientConfig('administrator').token
    const headers = {
      authorization: `Bearer ${token}`,
      origin: STUDIO_ORIGIN,
      'content-type': 'application/json',
    }

    const preflight = await OPTIONS(
      new Request(url('/sync'), {method: 'OPTIONS', headers: {origin: STUDIO_ORIGIN}}),
    )
    expect(preflight.status).toBe(204)

    const user = h.createUser('Nexta')
    await h.publish(entitlement('ent-next', user))
    const sync = await POST(
      new Request(url('/sync'), {
        method: 'POST',
        headers,
        body: JSON.stringify({subjects: [user]}),
      }),
    )
    expect(sync.status).toBe(200)
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})

    const status = await GET(new Request(url(`/users/${user}`), {headers}))
    expect(await status.json()).toMatchObject({subject: user, drift: []})
  })

  it('fails on the first request with the option that is wrong', async () => {
    const {GET} = createNextRouteHandlers(() => ({...h.options, allowedOrigins: ['nope']}))
    await expect(GET(new Request(url('/health')))).rejects.toThrow('"allowedOrigins[0]"')
  })
})
