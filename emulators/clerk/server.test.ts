import {createClerkClient} from '@clerk/backend'
import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

let setup: EmulatorWithClient
beforeAll(async () => {
  setup = await startWithClient({maxBodyBytes: 64 * 1024})
})
afterAll(() => setup.emulator.close())

interface ErrorsBody {
  errors: {code: string; message: string; long_message: string; meta: object}[]
  meta: object
  clerk_trace_id: string
}

/** Raw requests, only for what the SDK cannot send. */
function raw(path: string, init: RequestInit = {}, key = setup.emulator.secretKey) {
  return fetch(`${setup.emulator.url}${path}`, {
    ...init,
    headers: {Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers},
  })
}

async function expectClerkError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/json')
  const body = (await response.json()) as ErrorsBody
  expect(body.errors[0]?.code).toBe(code)
  expect(body.errors[0]?.long_message).toEqual(expect.any(String))
  expect(body.clerk_trace_id).toMatch(/^[0-9a-f]{32}$/)
  return body
}

describe('transport', () => {
  it('binds to 127.0.0.1 and answers JSON with exactly application/json and Node reason phrases', async () => {
    expect(setup.emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const ok = await raw('/v1/users/count')
    expect(ok.headers.get('content-type')).toBe('application/json')
    expect(await ok.json()).toEqual({object: 'total_count', total_count: 0})
    const missing = await raw('/v1/users/user_x')
    expect(missing.statusText).toBe('Not Found')
  })
})

describe('bad input gets Clerk-shaped errors and changes nothing', () => {
  it('401 clerk_key_invalid with Clerk’s text for a wrong or missing key', async () => {
    const body = await expectClerkError(
      await raw('/v1/users', {}, 'sk_test_wrong'),
      401,
      'clerk_key_invalid',
    )
    expect(body.errors[0]?.message).toBe(
      'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
    )
    await expectClerkError(await fetch(`${setup.emulator.url}/v1/users`), 401, 'clerk_key_invalid')
    const wrong = createClerkClient({secretKey: 'sk_test_wrong', apiUrl: setup.emulator.url})
    expect((await clerkError(wrong.users.getCount())).status).toBe(401)
  })

  it('400 for malformed JSON and for bodies that are not objects', async () => {
    const user = await setup.clerk.users.createUser({emailAddress: ['bad-json@example.com']})
    for (const body of ['{"public_metadata": {', '[1,2]', '"text"']) {
      const response = await raw(`/v1/users/${user.id}/metadata`, {method: 'PATCH', body})
      await expectClerkError(response, 400, 'malformed_request')
    }
    expect(setup.emulator.store.getUser(user.id)?.public_metadata).toEqual({})
  })

  it('413 for huge bodies, and the connection stays usable', async () => {
    const user = await setup.clerk.users.createUser({emailAddress: ['huge@example.com']})
    const huge = JSON.stringify({public_metadata: {blob: 'x'.repeat(200 * 1024)}})
    const response = await raw(`/v1/users/${user.id}/metadata`, {method: 'PATCH', body: huge})
    await expectClerkError(response, 413, 'request_body_too_large')
    expect((await setup.clerk.users.getUser(user.id)).publicMetadata).toEqual({})
  })

  it('404 resource_not_found for unknown routes, outside /v1 and with a wrong method', async () => {
    await expectClerkError(await raw('/v1/nothing/here'), 404, 'resource_not_found')
    await expectClerkError(await raw('/v2/users'), 404, 'resource_not_found')
    await expectClerkError(await raw('/v1/users', {method: 'PUT'}), 404, 'resource_not_found')
    await expectClerkError(await raw('/v1/users/%E0%A4%A'), 404, 'resource_not_found')
    expect(setup.emulator.log.slice(-4).map((entry) => entry.route)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('422 for wrong types, unknown fields and bad query parameters', async () => {
    await expectClerkError(
      await raw('/v1/users', {method: 'POST', body: JSON.stringify({email_address: 'not-a-list'})}),
      422,
      'form_param_format_invalid',
    )
    await expectClerkError(
      await raw('/v1/users', {method: 'POST', body: JSON.stringify({favourite_colour: 'red'})}),
      422,
      'form_param_unknown',
    )
    await expectClerkError(await raw('/v1/users?limit=ten'), 422, 'form_param_format_invalid')
    await expectClerkError(await raw('/v1/users?offset=-1'), 422, 'form_param_format_invalid')
    await expectClerkError(
      await raw('/v1/organizations', {method: 'POST', body: JSON.stringify({slug: 'x'})}),
      422,
      'form_param_missing',
    )
    expect(setup.emulator.store.counts.organizations).toBe(0)
  })

  it('accepts a GET that carries Content-Type and no body, as the SDK sends', async () => {
    const response = await raw('/v1/users/count', {headers: {'Content-Type': 'application/json'}})
    expect(response.status).toBe(200)
  })
})
