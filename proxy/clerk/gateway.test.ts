import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {startClerkEmulator, type ClerkEmulator} from '../../emulators/clerk'
import {ClerkGatewayError} from './errors'
import {createClerkGateway, type ClerkGateway} from './gateway'

let clerk: ClerkEmulator
let gateway: ClerkGateway
const sleeps: number[] = []

beforeAll(async () => {
  clerk = await startClerkEmulator({rateLimit: false})
  gateway = createClerkGateway({
    secretKey: clerk.secretKey,
    apiUrl: clerk.url,
    rateLimit: {requests: 10_000, perMs: 1000},
    retry: {timeoutMs: 300, maxRetries: 3},
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  })
  for (let i = 0; i < 7; i++) {
    clerk.store.createUser({
      id: `user_g${i}`,
      first_name: i === 3 ? 'Grace' : `First${i}`,
      last_name: 'Hopper',
      email_address: [`g${i}@example.com`],
      created_at: 1_700_000_000_000 + i,
      public_metadata: {plan: `p${i}`},
    })
  }
  clerk.store.createOrganization({
    id: 'org_g1',
    name: 'Globex',
    slug: 'globex',
    created_at: 1_700_000_000_000,
  })
  clerk.store.createOrganization({id: 'org_g2', name: 'Initech', created_at: 1_700_000_000_001})
  clerk.store.addMembership({organization_id: 'org_g1', user_id: 'user_g1', role: 'org:admin'})
})
afterAll(() => clerk?.close())
beforeEach(() => {
  clerk.faults.clear()
  clerk.clearLog()
  sleeps.length = 0
})

describe('ClerkGateway against the Clerk emulator', () => {
  it('reads users and organizations as summaries with all metadata; unknown ids are null', async () => {
    const user = await gateway.getUser('user_g3')
    expect(user?.summary).toMatchObject({
      id: 'user_g3',
      name: 'Grace Hopper',
      primaryEmail: 'g3@example.com',
      banned: false,
    })
    expect(user?.metadata.publicMetadata).toEqual({plan: 'p3'})
    expect(await gateway.getUser('user_missing')).toBeNull()
    const organization = await gateway.getSubject('org_g1')
    expect(organization?.summary).toMatchObject({
      id: 'org_g1',
      name: 'Globex',
      slug: 'globex',
      membersCount: 1,
    })
    expect(await gateway.getOrganization('org_missing')).toBeNull()
  })

  it('rejects malformed ids before any request', async () => {
    await expect(gateway.getUser('user_a/../../x')).rejects.toMatchObject({code: 'invalid_id'})
    await expect(gateway.updateOrganizationMetadata('globex', {})).rejects.toMatchObject({
      code: 'invalid_id',
    })
    expect(clerk.log).toHaveLength(0)
  })

  it('searches users and organizations with ONE Clerk request each', async () => {
    const users = await gateway.searchUsers({query: 'hopper', limit: 5, offset: 0})
    expect(users.data).toHaveLength(5)
    expect(users.hasMore).toBe(true)
    const last = await gateway.searchUsers({query: 'hopper', limit: 5, offset: 5})
    expect(last).toMatchObject({hasMore: false})
    expect(last.data).toHaveLength(2)
    const organizations = await gateway.searchOrganizations({query: 'glob', limit: 10})
    expect(organizations.data.map((o) => o.id)).toEqual(['org_g1'])
    expect(clerk.log.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/users',
      'GET /v1/users',
      'GET /v1/organizations',
    ])
    expect(clerk.log[0]?.headers['clerk-api-version']).toBe('2026-05-12')
  })

  it('pages users oldest first so a scan is stable while users are created', async () => {
    const first = await gateway.listUsers({limit: 4, offset: 0})
    const second = await gateway.listUsers({limit: 4, offset: 4})
    expect([...first.data, ...second.data].map((u) => u.summary.id)).toEqual(
      Array.from({length: 7}, (_, i) => `user_g${i}`),
    )
    // Clerk's users list is a bare array: how long the list is stays unknown.
    expect(first.totalCount).toBeNull()
  })

  it('counts users in ONE request, what their bare-array list does not say', async () => {
    clerk.clearLog()
    expect(await gateway.countUsers()).toBe(7)
    expect(clerk.log.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/users/count'])
    clerk.faults.add({
      path: '/v1/users/count',
      times: 1,
      fault: {type: 'content-type', contentType: 'text/plain'},
    })
    await expect(gateway.countUsers()).rejects.toMatchObject({code: 'clerk_unexpected_response'})
  })

  it("pages organizations with Clerk's total_count, so a full last page is known to be the last", async () => {
    const page = await gateway.listOrganizations({limit: 2, offset: 0})
    expect(page.data.map((o) => o.summary.id)).toEqual(['org_g1', 'org_g2'])
    expect(page.totalCount).toBe(2)
  })

  it('reads users and organizations by id in ONE list request per 100 ids, skipping the unknown', async () => {
    const wanted = ['user_g4', 'user_g0', 'user_missing', 'user_g0']
    const users = await gateway.usersWithIds(wanted)
    expect(users.map((user) => user.summary.id).sort()).toEqual(['user_g0', 'user_g4'])
    expect(users.find((user) => user.summary.id === 'user_g4')?.metadata.publicMetadata).toEqual({
      plan: 'p4',
    })
    const organizations = await gateway.organizationsWithIds(['org_g2', 'org_missing', 'org_g1'])
    expect(organizations.map((o) => o.summary).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      expect.objectContaining({id: 'org_g1', name: 'Globex', membersCount: 1}),
      expect.objectContaining({id: 'org_g2', name: 'Initech'}),
    ])
    expect(clerk.log.map((r) => [`${r.method} ${r.path}`, r.query])).toEqual([
      ['GET /v1/users', expect.objectContaining({user_id: ['user_g4', 'user_g0', 'user_missing']})],
      [
        'GET /v1/organizations',
        expect.objectContaining({organization_id: ['org_g2', 'org_missing', 'org_g1']}),
      ],
    ])

    clerk.clearLog()
    const many = Array.from({length: 250}, (_, i) => (i === 200 ? 'user_g6' : `user_none${i}`))
    expect((await gateway.usersWithIds(many)).map((user) => user.summary.id)).toEqual(['user_g6'])
    expect(clerk.log.map((r) => r.query.user_id?.length)).toEqual([100, 100, 50])
    // No ids, no request: an unfiltered list would answer with everybody.
    expect(await gateway.usersWithIds([])).toEqual([])
    expect(await gateway.organizationsWithIds([])).toEqual([])
    expect(clerk.log).toHaveLength(3)
    await expect(gateway.organizationsWithIds(['org_g1', 'user_g1'])).rejects.toMatchObject({
      code: 'invalid_id',
    })
  })

  it('lists a user’s organizations with their metadata', async () => {
    const memberships = await gateway.userMemberships('user_g1')
    expect(memberships).toMatchObject([
      {role: 'org:admin', organization: {summary: {id: 'org_g1'}}},
    ])
  })

  it('writes with PATCH merge, null deleting', async () => {
    const updated = await gateway.updateSubjectMetadata('user_g5', {
      publicMetadata: {plan: null, role: 'x'},
    })
    expect(updated.metadata.publicMetadata).toEqual({role: 'x'})
    expect(clerk.log.at(-1)).toMatchObject({method: 'PATCH', path: '/v1/users/user_g5/metadata'})
  })

  it('retries 5xx, 429 (after Retry-After) and connection resets, and surfaces trace ids', async () => {
    clerk.faults.add({path: '/v1/users/user_g0', fault: {type: 'status', status: 502}})
    clerk.faults.add({
      path: '/v1/users/user_g0',
      fault: {type: 'status', status: 429, retryAfterSeconds: 2},
    })
    clerk.faults.add({path: '/v1/users/user_g0', fault: {type: 'reset'}})
    const user = await gateway.getUser('user_g0')
    expect(user?.summary.id).toBe('user_g0')
    expect(clerk.log.filter((r) => r.path === '/v1/users/user_g0')).toHaveLength(4)
    expect(sleeps[1]).toBe(2000)

    clerk.faults.add({path: '/v1/users/user_g0', times: 4, fault: {type: 'status', status: 500}})
    const error = await gateway.getUser('user_g0').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClerkGatewayError)
    expect(error).toMatchObject({code: 'clerk_unavailable', status: 500, attempts: 4})
    expect((error as ClerkGatewayError).clerkTraceId).toBeTruthy()
    expect((error as ClerkGatewayError).message).not.toContain(clerk.secretKey)
  })

  it('times out a hung request instead of waiting forever', async () => {
    clerk.faults.add({path: '/v1/users/user_g2', times: 4, fault: {type: 'hang'}})
    await expect(gateway.getUser('user_g2')).rejects.toMatchObject({
      code: 'clerk_timeout',
      attempts: 4,
    })
    clerk.faults.add({path: '/v1/users', times: 1, fault: {type: 'hang'}})
    await expect(gateway.searchUsers({query: '', limit: 1})).resolves.toMatchObject({hasMore: true})
  })

  it('refuses an answer it cannot read', async () => {
    clerk.faults.add({
      path: '/v1/users/user_g4',
      times: 1,
      fault: {type: 'content-type', contentType: 'text/plain'},
    })
    await expect(gateway.getUser('user_g4')).rejects.toMatchObject({
      code: 'clerk_unexpected_response',
    })
  })
})

describe('the client-side rate budget', () => {
  it('paces a burst under the limit Clerk enforces, so no request gets a 429', async () => {
    const limited = await startClerkEmulator({rateLimit: {requests: 10, windowMs: 1000}})
    try {
      limited.store.createUser({id: 'user_r1', first_name: 'R'})
      const paced = createClerkGateway({
        secretKey: limited.secretKey,
        apiUrl: limited.url,
        rateLimit: {requests: 9, perMs: 1000},
      })
      const results = await Promise.all(Array.from({length: 25}, () => paced.getUser('user_r1')))
      expect(results.every((r) => r?.summary.id === 'user_r1')).toBe(true)
      expect(limited.log.filter((r) => r.status === 429)).toHaveLength(0)
      expect(limited.log).toHaveLength(25)
    } finally {
      await limited.close()
    }
  })
})
