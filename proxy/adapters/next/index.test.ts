import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {
  BASE_PATH,
  entitlement,
  startProxyHarness,
  STUDIO_ORIGIN,
  type ProxyHarness,
} from '../../testing/proxy-harness'
import {readFileSync} from 'node:fs'

import {clerkProxyOptionsFromEnv} from '../../options'
import {createMemoryStore} from '../../store'
import {createNextRouteHandlers} from './index'

let h: ProxyHarness

beforeAll(async () => {
  h = await startProxyHarness()
})
afterAll(() => h?.close())

const url = (path: string) => `https://app.example.test${BASE_PATH}${path}`

describe('createNextRouteHandlers', () => {
  it('runs the example’s Vercel Cron: GET of the cron path with CRON_SECRET sweeps expiries', async () => {
    const vercel = JSON.parse(
      readFileSync(new URL('./example/vercel.json', import.meta.url), 'utf8'),
    ) as {crons: Array<{path: string; schedule: string}>}
    const [cron] = vercel.crons
    const user = h.createUser('Cronny')
    await h.publish(entitlement('ent-cron-next', user))
    await h.call('/sync', {body: {subjects: [user]}})
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
    // The grant has since expired (a second ago, inside the first sweep's look-back) and nothing
    // synced it: only the cron can take it away. No real-time window decides the test.
    await h.publish({
      ...entitlement('ent-cron-next', user),
      validUntil: new Date(Date.now() - 1_000).toISOString(),
    })
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
    // The example route, configured from the environment the way a deployment is.
    const env = {
      CLERK_SECRET_KEY: h.secrets.clerkSecretKey,
      CLERK_API_URL: h.clerk.url,
      SANITY_PROJECT_ID: h.lake.projectId,
      SANITY_DATASET: h.lake.dataset,
      SANITY_API_HOST: h.lake.apiHost,
      SANITY_TOKEN: h.secrets.sanityToken,
      CLERK_PROXY_ALLOWED_ORIGINS: STUDIO_ORIGIN,
      CRON_SECRET: 'cron-secret-of-the-deployment',
    }
    const {GET} = createNextRouteHandlers(() =>
      clerkProxyOptionsFromEnv(env, {
        basePath: '/api/clerk',
        store: createMemoryStore(),
        fetch: h.options.fetch,
      }),
    )
    // What Vercel sends: a GET of the path, the secret as a bearer token, no Origin.
    const call = (secret: string) =>
      GET(
        new Request(`https://app.example.test${cron!.path}`, {
          headers: {authorization: `Bearer ${secret}`, 'user-agent': 'vercel-cron/1.0'},
        }),
      )
    expect((await call('not-the-secret')).status).toBe(401)
    const swept = await call(env.CRON_SECRET)
    expect(swept.status).toBe(200)
    expect(await swept.json()).toMatchObject({subjects: [user]})
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({})
  })

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
