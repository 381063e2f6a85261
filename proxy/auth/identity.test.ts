import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startContentLake, type ContentLake} from '../../emulators/content-lake'
import {ProxyHttpError} from '../http/errors'
import {
  createIdentityVerifier,
  sanityProjectApiUrl,
  sha256Hex,
  type IdentityVerifierOptions,
} from './identity'
import {DEFAULT_ROLE_PERMISSIONS} from './permissions'
import {createRateLimiter} from './rateLimit'

let lake: ContentLake

beforeAll(async () => {
  lake = await startContentLake({projectId: 'identity', dataset: 'test'})
})
afterAll(() => lake?.close())

function verifierFor(
  options: Partial<
    Pick<IdentityVerifierOptions, 'cacheTtlMs' | 'failureCacheTtlMs' | 'clientLimiter' | 'now'>
  > = {},
) {
  return createIdentityVerifier({
    projectId: lake.projectId,
    apiHost: lake.apiHost,
    rolePermissions: DEFAULT_ROLE_PERMISSIONS,
    cacheTtlMs: 30_000,
    fetch: lake.resolveFetch(),
    ...options,
  })
}

const tokenOf = (role: string) => lake.users.find((user) => user.role === role)!.token
const identityRequests = () => lake.requests.filter((entry) => entry.route === '/users/me').length

async function rejection(promise: Promise<unknown>): Promise<ProxyHttpError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ProxyHttpError)
  return error as ProxyHttpError
}

describe('sanityProjectApiUrl', () => {
  it.each([
    [{projectId: 'abc123'}, 'https://abc123.api.sanity.io'],
    [{projectId: 'abc123', apiHost: 'https://api.sanity.io/'}, 'https://abc123.api.sanity.io'],
    [{projectId: 'abc', apiHost: 'https://localhost:3333'}, 'https://localhost:3333'],
    [{projectId: 'abc', apiHost: 'http://127.0.0.1:9/x/'}, 'http://127.0.0.1:9/x'],
    [
      {projectId: 'abc', apiHost: 'https://api.sanity.io', useProjectHostname: false},
      'https://api.sanity.io',
    ],
    [
      {projectId: 'abc', apiHost: 'https://sanity.example', useProjectHostname: true},
      'https://abc.sanity.example',
    ],
  ])('%j → %s', (options, expected) => {
    expect(sanityProjectApiUrl(options)).toBe(expected)
  })
})

describe('createIdentityVerifier against the local Content Lake', () => {
  it.each([
    ['administrator', 'pAdmin', ['read', 'search', 'sync', 'invite', 'reconcile', 'readPrivate']],
    ['editor', 'pEditor', ['read', 'search', 'sync', 'invite']],
    ['viewer', 'pViewer', ['read']],
  ])('maps the %s role to its permissions', async (role, id, permissions) => {
    const identity = await verifierFor().verify(tokenOf(role))
    expect(identity).toMatchObject({sanityUserId: id, roles: [role], permissions})
  })

  it('refuses a token Sanity does not know with 401', async () => {
    const error = await rejection(verifierFor().verify('not-a-real-token'))
    expect(error.status).toBe(401)
    expect(error.code).toBe('unauthorized')
  })

  it('refuses a malformed token without asking Sanity', async () => {
    const before = identityRequests()
    const error = await rejection(verifierFor().verify('bad token\n'))
    expect(error.status).toBe(401)
    expect(identityRequests()).toBe(before)
  })

  it('asks Sanity once per token within the cache lifetime, again after it', async () => {
    let clock = 1_000
    const verifier = verifierFor({cacheTtlMs: 30_000, now: () => clock})
    const before = identityRequests()
    await Promise.all([verifier.verify(tokenOf('editor')), verifier.verify(tokenOf('editor'))])
    await verifier.verify(tokenOf('editor'))
    expect(identityRequests() - before).toBe(1)
    await verifier.verify(tokenOf('viewer'))
    expect(identityRequests() - before).toBe(2)
    clock += 30_001
    await verifier.verify(tokenOf('editor'))
    expect(identityRequests() - before).toBe(3)
  })

  it('remembers a refusal briefly: the same unknown token is refused without asking again', async () => {
    let clock = 1_000
    const verifier = verifierFor({failureCacheTtlMs: 10_000, now: () => clock})
    const before = identityRequests()
    const first = await rejection(verifier.verify('unknown-token'))
    const again = await rejection(verifier.verify('unknown-token'))
    expect([again.status, again.code]).toEqual([first.status, first.code])
    expect(identityRequests() - before).toBe(1)
    clock += 10_001
    await rejection(verifier.verify('unknown-token'))
    expect(identityRequests() - before).toBe(2)
    // Without a failure cache every refusal is checked again.
    const forgetful = verifierFor()
    await rejection(forgetful.verify('unknown-token'))
    await rejection(forgetful.verify('unknown-token'))
    expect(identityRequests() - before).toBe(4)
  })

  it('never remembers an outage as a refusal', async () => {
    const verifier = verifierFor({failureCacheTtlMs: 60_000})
    lake.faults.add({route: '^/users/me$', status: 503, times: 1})
    expect((await rejection(verifier.verify(tokenOf('editor')))).status).toBe(503)
    expect((await verifier.verify(tokenOf('editor'))).roles).toEqual(['editor'])
  })

  it('charges each client before asking Sanity, answering 429 with Retry-After past its limit', async () => {
    let clock = 0
    const verifier = verifierFor({
      now: () => clock,
      clientLimiter: createRateLimiter({requests: 3, windowMs: 60_000}, () => clock),
    })
    const before = identityRequests()
    const refusals: ProxyHttpError[] = []
    for (let index = 0; index < 5; index++) {
      refusals.push(await rejection(verifier.verify(`random-token-${index}`, 'ip:1')))
    }
    expect(refusals.map((error) => error.status)).toEqual([401, 401, 401, 429, 429])
    expect(identityRequests() - before).toBe(3)
    expect(refusals[4]?.details.retryAfter).toBe(20)
    // Another client is not affected, and a token verified earlier costs nothing.
    await verifier.verify(tokenOf('viewer'), 'ip:2')
    await verifier.verify(tokenOf('viewer'), 'ip:1')
    expect(identityRequests() - before).toBe(4)
    clock += 20_000
    await rejection(verifier.verify('random-token-after-wait', 'ip:1'))
    expect(identityRequests() - before).toBe(5)
  })

  it('answers 503 with Retry-After when Sanity is unavailable, 502 on other failures', async () => {
    lake.faults.add({route: '^/users/me$', status: 503, times: 1})
    const unavailable = await rejection(verifierFor().verify(tokenOf('administrator')))
    expect([unavailable.status, unavailable.code]).toEqual([503, 'sanity_unavailable'])
    expect(unavailable.details.retryAfter).toBeGreaterThan(0)
    lake.faults.add({route: '^/users/me$', status: 500, times: 1})
    const failed = await rejection(verifierFor().verify(tokenOf('administrator')))
    expect([failed.status, failed.code]).toEqual([502, 'sanity_error'])
    const unreachable = createIdentityVerifier({
      projectId: 'identity',
      apiHost: 'http://127.0.0.1:9',
      rolePermissions: DEFAULT_ROLE_PERMISSIONS,
      cacheTtlMs: 0,
      fetch: (url, init) => globalThis.fetch(url, init),
    })
    const error = await rejection(unreachable.verify(tokenOf('administrator')))
    expect(error.status).toBe(503)
    expect(error.details.retryAfter).toBeGreaterThan(0)
  })
})

describe('sha256Hex', () => {
  it('matches the SHA-256 known answer', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
})
