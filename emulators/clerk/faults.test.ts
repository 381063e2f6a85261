import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

let setup: EmulatorWithClient
let userId: string
beforeAll(async () => {
  setup = await startWithClient()
})
afterAll(() => setup.emulator.close())
beforeEach(async () => {
  setup.emulator.reset()
  userId = (await setup.clerk.users.createUser({emailAddress: ['fault@example.com']})).id
})

const METADATA_PATH = /\/users\/[^/]+\/metadata$/

describe('scripted faults', () => {
  it('fails the next matching requests with a status, then recovers', async () => {
    const fault = setup.emulator.faults.add({
      method: 'PATCH',
      path: METADATA_PATH,
      times: 2,
      fault: {type: 'status', status: 503},
    })
    const update = () => setup.clerk.users.updateUserMetadata(userId, {publicMetadata: {a: 1}})
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await clerkError(update())
      expect(error.status).toBe(503)
      expect(error.message).toBe('Service Unavailable')
      expect(error.errors[0]?.code).toBe('service_unavailable')
    }
    expect(fault.hits).toBe(2)
    expect((await update()).publicMetadata).toEqual({a: 1})
    // Other routes were never affected.
    expect((await setup.clerk.users.getUser(userId)).id).toBe(userId)
  })

  it('matches query parameters too: a list that names the user fails, other lists do not', async () => {
    const other = await setup.clerk.users.createUser({emailAddress: ['other@example.com']})
    setup.emulator.faults.add({
      path: '/v1/users',
      query: {user_id: userId},
      times: Infinity,
      fault: {type: 'status', status: 503},
    })
    const naming = await clerkError(setup.clerk.users.getUserList({userId: [other.id, userId]}))
    expect(naming.status).toBe(503)
    const others = await setup.clerk.users.getUserList({userId: [other.id]})
    expect(others.data.map((user) => user.id)).toEqual([other.id])
  })

  it('answers 429 with Retry-After, which the SDK exposes as retryAfter', async () => {
    setup.emulator.faults.add({
      path: `/v1/users/${userId}`,
      fault: {type: 'status', status: 429, retryAfterSeconds: 7},
    })
    const error = await clerkError(setup.clerk.users.getUser(userId))
    expect(error.status).toBe(429)
    expect(error.retryAfter).toBe(7)
    expect(error.errors[0]?.code).toBe('too_many_requests')
    expect(error.clerkTraceId).not.toBe('')
  })

  it('resets the connection, which the SDK reports as a network error', async () => {
    setup.emulator.faults.add({method: 'GET', path: `/v1/users/${userId}`, fault: {type: 'reset'}})
    const error = await clerkError(setup.clerk.users.getUser(userId))
    expect(error.status).toBeUndefined()
    expect(error.errors[0]?.code).toBe('unexpected_error')
  })

  it('sends a charset content type, so the SDK hands back the raw JSON text', async () => {
    setup.emulator.faults.add({path: `/v1/users/${userId}`, fault: {type: 'content-type'}})
    const raw: unknown = await setup.clerk.users.getUser(userId)
    expect(typeof raw).toBe('string')
    expect(JSON.parse(raw as string)).toMatchObject({id: userId, object: 'user'})
  })

  it('delays a request and still answers it', async () => {
    setup.emulator.faults.add({path: `/v1/users/${userId}`, fault: {type: 'delay', ms: 20}})
    expect((await setup.clerk.users.getUser(userId)).id).toBe(userId)
  })

  it('hangs a request until the client gives up', async () => {
    setup.emulator.faults.add({path: `/v1/users/${userId}`, fault: {type: 'hang'}})
    const hanging = setup.clerk.users.getUser(userId).then(
      () => 'answered',
      () => 'failed',
    )
    const outcome = await Promise.race([
      hanging,
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 200)),
    ])
    expect(outcome).toBe('still waiting')
    expect(setup.emulator.log.at(-1)).toMatchObject({path: `/v1/users/${userId}`, status: 0})
  })

  it('can be listed, removed one by one and cleared', async () => {
    const first = setup.emulator.faults.add({path: '/v1/users', fault: {type: 'reset'}, times: 3})
    setup.emulator.faults.add({path: '/v1/users/count', fault: {type: 'reset'}, times: Infinity})
    expect(setup.emulator.faults.list().map((fault) => fault.remaining)).toEqual([3, Infinity])
    first.remove()
    expect(setup.emulator.faults.list()).toHaveLength(1)
    setup.emulator.faults.clear()
    expect((await setup.clerk.users.getUserList()).totalCount).toBe(1)
  })
})

describe('latency', () => {
  it('is changeable at run time and requests still succeed', async () => {
    setup.emulator.latencyMs = 15
    expect(setup.emulator.latencyMs).toBe(15)
    expect((await setup.clerk.users.getUser(userId)).id).toBe(userId)
    setup.emulator.latencyMs = 0
  })
})

describe('request log', () => {
  it('records method, path, query, SDK headers, raw body and status, and can be cleared', async () => {
    setup.emulator.clearLog()
    await setup.clerk.users.updateUserMetadata(userId, {publicMetadata: {drop: null, keep: 1}})
    await setup.clerk.users.getUserList({emailAddress: ['a@example.com', 'b@example.com']})
    const [patch, ...lists] = setup.emulator.log
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `/v1/users/${userId}/metadata`,
      route: 'PATCH /users/:userId/metadata',
      status: 200,
      body: '{"public_metadata":{"drop":null,"keep":1}}',
    })
    expect(patch?.headers).toMatchObject({
      'clerk-api-version': '2026-05-12',
      'user-agent': expect.stringMatching(/^@clerk\/backend@3\./),
      authorization: 'Bearer [redacted]',
    })
    expect(JSON.stringify(setup.emulator.log)).not.toContain(setup.emulator.secretKey)
    const list = lists.find((entry) => entry.path === '/v1/users')
    expect(list?.query).toEqual({email_address: ['a@example.com', 'b@example.com']})
    setup.emulator.clearLog()
    expect(setup.emulator.log).toHaveLength(0)
  })
})

describe('admin API under /__emulator', () => {
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${setup.emulator.url}/__emulator${path}`, {
      ...init,
      headers: {Authorization: `Bearer ${setup.emulator.secretKey}`, ...init.headers},
    })

  it('scripts faults, reads the log, seeds and resets for other processes', async () => {
    const added = await admin('/faults', {
      method: 'POST',
      body: JSON.stringify({
        method: 'GET',
        pathPattern: '^/v1/users/user_',
        times: 1,
        fault: {type: 'status', status: 500},
      }),
    })
    expect(added.status).toBe(200)
    expect((await clerkError(setup.clerk.users.getUser(userId))).status).toBe(500)

    const log = (await (await admin('/log')).json()) as {data: {status: number}[]}
    expect(log.data.at(-1)?.status).toBe(500)

    const seeded = await admin('/seed', {
      method: 'POST',
      body: JSON.stringify({users: 25, organizations: 2, seed: 'admin'}),
    })
    expect(await seeded.json()).toMatchObject({users: 25, organizations: 2})
    expect(await setup.clerk.users.getCount()).toBe(26)

    await admin('/reset', {method: 'POST'})
    expect(await setup.clerk.users.getCount()).toBe(0)
  })

  it('scripts a fault on query parameters, and refuses a query that is no map of strings', async () => {
    const added = await admin('/faults', {
      method: 'POST',
      body: JSON.stringify({
        path: '/v1/users',
        query: {user_id: userId},
        times: null,
        fault: {type: 'status', status: 503},
      }),
    })
    expect(added.status).toBe(200)
    expect((await clerkError(setup.clerk.users.getUserList({userId: [userId]}))).status).toBe(503)
    expect((await setup.clerk.users.getUserList({limit: 5})).data).toHaveLength(1)
    const refused = await admin('/faults', {
      method: 'POST',
      body: JSON.stringify({query: {user_id: 7}, fault: {type: 'status', status: 503}}),
    })
    expect(refused.status).toBe(422)
  })

  it('creates records with chosen ids, as the demo needs', async () => {
    const response = await admin('/users', {
      method: 'POST',
      body: JSON.stringify({
        id: 'user_2demoAdaLovelace000000000000',
        first_name: 'Ada',
        email_address: ['ada@example.com'],
        created_at: 1767600000000,
      }),
    })
    expect(response.status).toBe(200)
    const ada = await setup.clerk.users.getUser('user_2demoAdaLovelace000000000000')
    expect(ada.createdAt).toBe(1767600000000)
  })

  it('requires the secret key', async () => {
    const response = await fetch(`${setup.emulator.url}/__emulator/log`)
    expect(response.status).toBe(401)
  })

  it('serves avatars so user images never leave loopback', async () => {
    const user = await setup.clerk.users.getUser(userId)
    expect(user.imageUrl.startsWith(setup.emulator.url)).toBe(true)
    const image = await fetch(user.imageUrl)
    expect(image.headers.get('content-type')).toBe('image/svg+xml')
    expect(await image.text()).toContain('<svg')
  })
})
