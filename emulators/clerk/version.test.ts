import {createClerkClient as createClerkClientV2} from 'clerk-backend-v2'
import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

let setup: EmulatorWithClient
beforeAll(async () => {
  setup = await startWithClient()
})
afterAll(() => setup.emulator.close())

async function userWithMetadata(email: string) {
  return setup.clerk.users.createUser({
    emailAddress: [email],
    publicMetadata: {owned: {plan: 'pro'}, foreign: 'kept by another system'},
    privateMetadata: {p: 1},
  })
}

describe('metadata on PATCH /users/{id} depends on Clerk-API-Version', () => {
  it('SDK v2 (2025-11-10) puts metadata through PATCH /users/{id}, which replaces it', async () => {
    const v2 = createClerkClientV2({
      secretKey: setup.emulator.secretKey,
      apiUrl: setup.emulator.url,
    })
    const user = await userWithMetadata('v2@example.com')
    setup.emulator.clearLog()
    const updated = await v2.users.updateUser(user.id, {publicMetadata: {owned: {plan: 'team'}}})
    expect(updated.publicMetadata).toEqual({owned: {plan: 'team'}})
    expect(updated.privateMetadata).toEqual({p: 1})
    const [request] = setup.emulator.log
    expect(request).toMatchObject({method: 'PATCH', path: `/v1/users/${user.id}`, status: 200})
    expect(request?.headers['clerk-api-version']).toBe('2025-11-10')
    expect(request?.headers['user-agent']).toMatch(/^@clerk\/backend@2\./)
  })

  it('SDK v2 PATCH /users/{id} changes nothing when its metadata is too large', async () => {
    const v2 = createClerkClientV2({
      secretKey: setup.emulator.secretKey,
      apiUrl: setup.emulator.url,
    })
    const user = await userWithMetadata('v2big@example.com')
    const error = await clerkError(
      v2.users.updateUser(user.id, {
        firstName: 'Changed',
        publicMetadata: {blob: 'x'.repeat(9000)},
      }),
    )
    expect(error.status).toBe(422)
    const stored = setup.emulator.store.getUser(user.id)
    expect(stored?.first_name).toBeNull()
    expect(stored?.public_metadata).toEqual(user.publicMetadata)
  })

  it('SDK v3 (2026-05-12) sends updateUser metadata as a PUT to /metadata instead', async () => {
    const user = await userWithMetadata('v3@example.com')
    setup.emulator.clearLog()
    const updated = await setup.clerk.users.updateUser(user.id, {
      firstName: 'Renamed',
      publicMetadata: {owned: {plan: 'team'}},
    })
    expect(updated.firstName).toBe('Renamed')
    expect(updated.publicMetadata).toEqual({owned: {plan: 'team'}})
    expect(setup.emulator.log.map((entry) => `${entry.method} ${entry.route}`)).toEqual([
      'PATCH PATCH /users/:userId',
      'PUT PUT /users/:userId/metadata',
    ])
    expect(setup.emulator.log[0]?.headers['clerk-api-version']).toBe('2026-05-12')
    expect(JSON.parse(setup.emulator.log[0]?.body ?? '')).toEqual({first_name: 'Renamed'})
  })

  it('2026-05-12 rejects metadata on PATCH /users/{id} with a 422 and applies nothing', async () => {
    // No SDK sends this combination; a raw request with the v3 headers stands in for one.
    const user = await userWithMetadata('raw@example.com')
    const response = await fetch(`${setup.emulator.url}/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${setup.emulator.secretKey}`,
        'Clerk-API-Version': '2026-05-12',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({first_name: 'Changed', public_metadata: {owned: null}}),
    })
    expect(response.status).toBe(422)
    const body = (await response.json()) as {errors: {code: string; meta: {param_name: string}}[]}
    expect(body.errors[0]).toMatchObject({
      code: 'form_param_unknown',
      meta: {param_name: 'public_metadata'},
    })
    const stored = setup.emulator.store.getUser(user.id)
    expect(stored?.first_name).toBeNull()
    expect(stored?.public_metadata).toEqual(user.publicMetadata)
  })

  it('v2 merge through updateUserMetadata still deep-merges', async () => {
    const v2 = createClerkClientV2({
      secretKey: setup.emulator.secretKey,
      apiUrl: setup.emulator.url,
    })
    const user = await userWithMetadata('v2merge@example.com')
    const merged = await v2.users.updateUserMetadata(user.id, {publicMetadata: {owned: {seats: 3}}})
    expect(merged.publicMetadata).toEqual({
      owned: {plan: 'pro', seats: 3},
      foreign: 'kept by another system',
    })
  })

  it('rejects unknown fields on PATCH /users/{id}', async () => {
    const user = await userWithMetadata('unknown@example.com')
    const error = await clerkError(
      setup.clerk.users.updateUser(user.id, {shoeSize: 44} as unknown as {firstName: string}),
    )
    expect(error.status).toBe(422)
    expect(error.errors[0]?.code).toBe('form_param_unknown')
  })
})
