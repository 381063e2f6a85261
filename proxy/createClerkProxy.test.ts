import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {
  MeResponse,
  ProxyErrorBody,
  ReconcileEvent,
  SearchResponse,
  ClerkUserSummary,
  SubjectStatusResponse,
  SyncResponse,
} from '../core/contract'
import {PLUGIN_VERSION} from '../core/version'
import {configuredSecrets, createClerkProxy, createProxyEngine} from './createClerkProxy'
import {resolveClerkProxyOptions} from './options'
import {
  BASE_PATH,
  entitlement,
  findSecrets,
  startProxyHarness,
  STUDIO_ORIGIN,
  type ProxyHarness,
} from './testing/proxy-harness'

let h: ProxyHarness
let ada: string

beforeAll(async () => {
  h = await startProxyHarness()
  ada = h.createUser('Ada')
  await h.publish(entitlement('ent-ada', ada, {plan: 'plan-pro', courses: ['course-intro']}))
})

afterAll(() => h?.close())

const errorOf = async (response: Response) => ((await response.json()) as ProxyErrorBody).error

describe('GET /health', () => {
  it('answers without a token', async () => {
    const response = await h.call('/health', {as: null})
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ok: true, version: PLUGIN_VERSION})
  })
})

describe('identity and permissions', () => {
  it('GET /me tells each role what it may do', async () => {
    const me = async (as: 'administrator' | 'editor' | 'viewer') =>
      (await (await h.call('/me', {as})).json()) as MeResponse
    expect((await me('administrator')).permissions).toEqual([
      'read',
      'search',
      'sync',
      'invite',
      'reconcile',
      'readPrivate',
    ])
    expect((await me('editor')).permissions).toEqual(['read', 'search', 'sync', 'invite'])
    expect((await me('viewer')).permissions).toEqual(['read'])
  })

  it.each([
    ['no token', null],
    ['an unknown token', {token: 'skUnknownTokenValue'}],
    ['a malformed token', {token: 'two words'}],
  ] as const)('answers 401 with %s, on every Studio route', async (_case, as) => {
    const routes = [
      ['/me'],
      ['/users'],
      ['/users/user_x'],
      ['/sync', {subjects: ['user_x']}],
      ['/reconcile', {dryRun: true}],
    ] as const
    const answers = await Promise.all(
      routes.map(async ([path, body]) => {
        const response = await h.call(path, {as, ...(body ? {body} : {})})
        return `${path} ${response.status} ${(await errorOf(response)).code}`
      }),
    )
    expect(answers).toEqual(routes.map(([path]) => `${path} 401 unauthorized`))
  })

  it('answers 403 when the role lacks the permission, and does nothing', async () => {
    h.clerk.clearLog()
    const sync = await h.call('/sync', {as: 'viewer', body: {subjects: [ada]}})
    expect(sync.status).toBe(403)
    expect((await errorOf(sync)).message).toContain('viewer')
    expect((await h.call('/reconcile', {as: 'viewer', body: {dryRun: true}})).status).toBe(403)
    expect((await h.call('/reconcile', {as: 'editor', body: {dryRun: true}})).status).toBe(403)
    expect(h.clerk.log).toEqual([])
  })

  it('returns private metadata to administrators only', async () => {
    await h.call('/sync', {as: 'editor', body: {subjects: [ada]}})
    const admin = (await (await h.call(`/users/${ada}`)).json()) as SubjectStatusResponse
    const editor = (await (
      await h.call(`/users/${ada}`, {as: 'editor'})
    ).json()) as SubjectStatusResponse
    expect(admin.clerk.privateMetadata).toHaveProperty('sanityClerkSync')
    expect(editor.clerk).not.toHaveProperty('privateMetadata')
    expect(editor.effective.metadata).toEqual({plan: 'pro', courseSlugs: ['intro']})
  })

  it('applies a configurable role map', async () => {
    const strict = await startProxyHarness({
      proxy: {rolePermissions: {editor: ['read', 'search'], '*': []}},
    })
    try {
      expect(
        (await strict.call('/sync', {as: 'editor', body: {subjects: ['user_1']}})).status,
      ).toBe(403)
      expect((await strict.call('/users', {as: 'viewer'})).status).toBe(403)
      expect((await strict.call('/users', {as: 'editor'})).status).toBe(200)
    } finally {
      await strict.close()
    }
  })
})

describe('CORS', () => {
  it('answers preflights from the Studio origin and refuses others', async () => {
    const allowed = await h.call('/sync', {method: 'OPTIONS', as: null})
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(STUDIO_ORIGIN)
    const refused = await h.call('/sync', {
      method: 'OPTIONS',
      as: null,
      origin: 'https://evil.example',
    })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses requests from other browser origins even with a valid token', async () => {
    h.clerk.clearLog()
    const response = await h.call('/sync', {
      origin: 'https://evil.example',
      body: {subjects: [ada]},
    })
    expect(response.status).toBe(403)
    expect((await errorOf(response)).code).toBe('origin_not_allowed')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(h.clerk.log).toEqual([])
  })

  it('serves server-to-server calls without Origin, without CORS headers', async () => {
    const response = await h.call('/me', {origin: null})
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('search', () => {
  it('finds users with ONE Clerk request and no count request', async () => {
    h.clerk.clearLog()
    const response = await h.call('/users?query=ada&limit=5', {as: 'editor'})
    expect(response.status).toBe(200)
    const result = (await response.json()) as SearchResponse<ClerkUserSummary>
    expect(result.data.map((user) => user.id)).toEqual([ada])
    expect(result.hasMore).toBe(false)
    expect(h.clerk.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /v1/users'])
  })

  it('is refused to viewers, with a reason, without asking Clerk: they may only look up ids', async () => {
    h.clerk.clearLog()
    for (const path of ['/users?query=a', '/organizations?query=a']) {
      const response = await h.call(path, {as: 'viewer'})
      expect(response.status).toBe(403)
      expect((await errorOf(response)).message).toContain('may not search Clerk')
    }
    expect((await h.call(`/users/${ada}`, {as: 'viewer'})).status).toBe(200)
    const paths = h.clerk.log.map((entry) => entry.path)
    expect(paths).toContain(`/v1/users/${ada}`)
    expect(paths.filter((path) => path === '/v1/users' || path === '/v1/organizations')).toEqual([])
  })

  it('searches organizations', async () => {
    const org = h.clerk.store.createOrganization({name: 'Acme Learning'}).id
    const result = (await (await h.call('/organizations?query=acme')).json()) as SearchResponse<{
      id: string
    }>
    expect(result.data.map((item) => item.id)).toEqual([org])
  })

  it.each([
    'limit=0',
    'limit=101',
    'limit=abc',
    'offset=-1',
    'offset=1.5',
    `query=${'x'.repeat(201)}`,
  ])('refuses %s with 400 before asking Clerk', async (query) => {
    h.clerk.clearLog()
    const response = await h.call(`/users?${query}`)
    expect(response.status).toBe(400)
    expect((await errorOf(response)).code).toBe('invalid_query')
    expect(h.clerk.log).toEqual([])
  })
})

describe('GET /users/:id and /organizations/:id', () => {
  it('shows live Clerk state, effective access and drift', async () => {
    const carol = h.createUser('Carol')
    await h.publish(entitlement('ent-carol', carol, {plan: 'plan-basic'}))
    const status = (await (await h.call(`/users/${carol}`)).json()) as SubjectStatusResponse
    expect(status.status).toBe('found')
    expect(status.user?.name).toContain('Carol')
    expect(status.drift).toEqual([expect.objectContaining({key: 'plan', sanity: 'basic'})])
  })

  it.each([
    '/users/org_123',
    '/organizations/user_123',
    '/users/user_1%2F..%2Fx',
    '/users/user_1%00',
    '/users/..%2F..%2Fv1%2Fusers',
    '/users/user_%E2%9C%93',
    '/users/%ZZ',
  ])('refuses %s with 400 before asking Clerk', async (path) => {
    h.clerk.clearLog()
    const response = await h.call(path)
    expect(response.status).toBe(400)
    expect(['invalid_id', 'invalid_path']).toContain((await errorOf(response)).code)
    expect(h.clerk.log).toEqual([])
  })

  it('treats a dot-segment path as the route it normalizes to, never as an id', async () => {
    h.clerk.clearLog()
    const response = await h.call('/users/user_1/../x')
    expect(response.status).toBe(400)
    expect(h.clerk.log).toEqual([])
  })

  it('shows an organization’s status', async () => {
    const org = h.clerk.store.createOrganization({name: 'Status Org'}).id
    await h.publish(entitlement('ent-org', org, {plan: 'plan-basic'}))
    const status = (await (await h.call(`/organizations/${org}`)).json()) as SubjectStatusResponse
    expect(status).toMatchObject({
      subject: org,
      status: 'found',
      organization: {id: org, name: 'Status Org'},
    })
    expect(status.effective.metadata).toEqual({plan: 'basic'})
  })

  it('reports a user Clerk no longer knows as deleted', async () => {
    const status = (await (
      await h.call('/users/user_doesnotexist')
    ).json()) as SubjectStatusResponse
    expect(status.status).toBe('deleted')
  })
})

describe('POST /sync', () => {
  it('writes what Sanity grants and nothing when in sync', async () => {
    const dana = h.createUser('Dana')
    await h.publish(
      entitlement('ent-dana', dana, {
        plan: 'plan-pro',
        courses: ['course-advanced', 'course-intro'],
      }),
    )
    const first = (await (
      await h.call('/sync', {as: 'editor', body: {subjects: [dana]}})
    ).json()) as SyncResponse
    expect(first.results).toEqual([expect.objectContaining({subject: dana, outcome: 'updated'})])
    expect(h.clerk.store.getUser(dana)?.public_metadata).toEqual({
      plan: 'pro',
      courseSlugs: ['advanced', 'intro'],
    })
    const second = (await (
      await h.call('/sync', {as: 'editor', body: {subjects: [dana]}})
    ).json()) as SyncResponse
    expect(second.results[0]?.outcome).toBe('unchanged')
  })

  it('recomputes a document’s subject now and before: reassignment revokes', async () => {
    const from = h.createUser('Erin')
    const to = h.createUser('Finn')
    await h.publish(entitlement('ent-move', from))
    await h.call('/sync', {body: {documentId: 'ent-move'}})
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({plan: 'pro'})
    await h.publish(entitlement('ent-move', to))
    const response = (await (
      await h.call('/sync', {body: {documentId: 'ent-move', previousSubjects: [from]}})
    ).json()) as SyncResponse
    expect(response.results.map((r) => r.subject).sort()).toEqual([from, to].sort())
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({})
    expect(h.clerk.store.getUser(to)?.public_metadata).toEqual({plan: 'pro'})
  })

  it('revokes the verified holder of the address an entitlement named before (previousEmails)', async () => {
    const from = h.createUser('Gwen')
    const {clerkUserId: _id, ...addressed} = entitlement('ent-mail-move', 'user_placeholder')
    await h.publish({...addressed, clerkEmail: 'gwen@example.test'})
    await h.call('/sync', {body: {documentId: 'ent-mail-move'}})
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({plan: 'pro'})
    await h.publish({...addressed, clerkEmail: 'someone-else@example.test'})
    const body = {documentId: 'ent-mail-move', previousEmails: ['Gwen@Example.test']}
    const response = (await (await h.call('/sync', {body})).json()) as SyncResponse
    expect(response.results.map((r) => r.subject)).toEqual([from])
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({})
  })

  it('fans a plan change out to every subject that holds it, past the per-request cap', async () => {
    const holders = Array.from({length: 101}, (_, i) => h.createUser(`holder${i}`))
    await h.publish(
      {_id: 'plan-wide', _type: 'clerkPlan', title: 'Wide', key: 'wide', rank: 3},
      ...holders.map((holder, i) => entitlement(`ent-wide-${i}`, holder, {plan: 'plan-wide'})),
    )
    const response = await h.call('/sync', {body: {documentId: 'plan-wide'}})
    expect(response.status).toBe(200)
    const {results} = (await response.json()) as SyncResponse
    expect(results.map((r) => r.subject).sort()).toEqual([...holders].sort())
    expect(holders.map((id) => h.clerk.store.getUser(id)?.public_metadata?.plan)).toEqual(
      holders.map(() => 'wide'),
    )
  })

  it.each([
    [{}, 422, 'nothing_to_sync'],
    [{subjects: []}, 422, 'nothing_to_sync'],
    [{subjects: 'user_1'}, 400, 'invalid_request'],
    [{subjects: ['user_1', '../etc']}, 422, 'invalid_id'],
    [{subjects: ['user_1/../x']}, 422, 'invalid_id'],
    [{documentId: 42}, 400, 'invalid_request'],
    [{documentId: 'drafts.ent-ada'}, 422, 'invalid_id'],
    [{documentId: 'a b'}, 422, 'invalid_id'],
    [{previousEmails: ['not an address']}, 422, 'invalid_email'],
    [{previousEmails: 'a@example.com'}, 400, 'invalid_request'],
    [{subjects: Array.from({length: 101}, (_, i) => `user_${i}`)}, 422, 'too_many_subjects'],
    [[], 400, 'invalid_request'],
    ['user_1', 400, 'invalid_request'],
  ])('refuses %j with %i %s', async (body, status, code) => {
    h.clerk.clearLog()
    const response = await h.call('/sync', {body})
    expect(response.status).toBe(status)
    expect((await errorOf(response)).code).toBe(code)
    expect(h.clerk.log).toEqual([])
  })

  it('refuses malformed JSON with 400 and oversized bodies with 413', async () => {
    const malformed = await h.call('/sync', {rawBody: '{"subjects": ['})
    expect([malformed.status, (await errorOf(malformed)).code]).toEqual([400, 'invalid_json'])
    const huge = await h.call('/sync', {
      rawBody: JSON.stringify({subjects: ['user_1'], pad: 'x'.repeat(20_000)}),
    })
    expect([huge.status, (await errorOf(huge)).code]).toEqual([413, 'payload_too_large'])
  })

  it('reports a Clerk outage per subject with its trace id', async () => {
    const gina = h.createUser('Gina')
    await h.publish(entitlement('ent-gina', gina))
    h.clerk.faults.add({
      method: 'PATCH',
      path: /\/metadata$/,
      times: 10,
      fault: {type: 'status', status: 503},
    })
    try {
      const response = (await (
        await h.call('/sync', {body: {subjects: [gina]}})
      ).json()) as SyncResponse
      expect(response.results[0]).toMatchObject({
        subject: gina,
        outcome: 'failed',
        error: {code: 'clerk_unavailable'},
      })
      const warning = h.transcript.find(
        (line) => line.startsWith('warn') && line.includes(`sync ${gina} failed`),
      )
      expect(warning).toContain('clerk_unavailable')
      expect(warning).toMatch(/Clerk trace \S+/)
    } finally {
      h.clerk.faults.clear()
    }
  })
})

describe('upstream failures', () => {
  it('answers 503 with Clerk’s Retry-After and trace id when Clerk rate limits a read for long', async () => {
    h.clerk.faults.add({
      method: 'GET',
      path: /^\/v1\/users$/,
      times: 10,
      fault: {type: 'status', status: 429, retryAfterSeconds: 30},
    })
    try {
      const response = await h.call('/users?query=x')
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('30')
      const error = await errorOf(response)
      expect(error).toMatchObject({code: 'clerk_rate_limited', retryAfter: 30})
      expect(error.clerkTraceId).toEqual(expect.any(String))
    } finally {
      h.clerk.faults.clear()
    }
  })

  it('answers 502 without leaking anything when Clerk rejects the secret key', async () => {
    const wrongKey = await startProxyHarness({
      proxy: {clerkSecretKey: 'sk_test_wrongKeyForTheEmulator'},
    })
    try {
      const response = await wrongKey.call('/users')
      expect(response.status).toBe(502)
      const text = await response.text()
      expect(text).toContain('clerk_unauthorized')
      expect(text).not.toContain('sk_test_')
    } finally {
      await wrongKey.close()
    }
  })
})

describe('POST /reconcile', () => {
  it('streams NDJSON events as they happen; dry run writes nothing', async () => {
    const hana = h.createUser('Hana')
    await h.publish(entitlement('ent-hana', hana, {plan: 'plan-basic'}))
    h.clerk.clearLog()
    const response = await h.call('/reconcile', {body: {dryRun: true}})
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-ndjson')
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ReconcileEvent)
    expect(events[0]).toEqual({type: 'start', dryRun: true})
    expect(events.at(-1)?.type).toBe('done')
    expect(events).toContainEqual(
      expect.objectContaining({type: 'drift', subject: hana, applied: false}),
    )
    expect(h.clerk.log.filter((entry) => entry.method !== 'GET')).toEqual([])
  })

  it('applies when not a dry run', async () => {
    const ivan = h.createUser('Ivan')
    await h.publish(entitlement('ent-ivan', ivan, {plan: 'plan-basic'}))
    const events = (
      await (await h.call('/reconcile', {body: {dryRun: false, kinds: ['user']}})).text()
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ReconcileEvent)
    expect(events).toContainEqual(
      expect.objectContaining({type: 'drift', subject: ivan, applied: true}),
    )
    expect(h.clerk.store.getUser(ivan)?.public_metadata).toEqual({plan: 'basic'})
  })

  it('runs one reconcile at a time: a second one meanwhile gets 429', async () => {
    // Straight to the handler: the harness's call() would read the whole stream first.
    const first = await h.handler(
      new Request(`http://127.0.0.1${BASE_PATH}/reconcile`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h.lake.clientConfig('administrator').token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({dryRun: true}),
      }),
    )
    const second = await h.call('/reconcile', {body: {dryRun: true}})
    expect([second.status, (await errorOf(second)).code]).toEqual([429, 'reconcile_running'])
    expect(second.headers.get('retry-after')).toBe('10')
    await first.text()
    const third = await h.call('/reconcile', {body: {dryRun: true}})
    expect(third.status).toBe(200)
    await third.text()
  })

  it.each([
    [{}, 422],
    [{dryRun: 'yes'}, 422],
    [{dryRun: true, kinds: ['robots']}, 422],
    [{dryRun: true, kinds: []}, 422],
    [null, 400],
  ])('refuses %j', async (body, status) => {
    expect((await h.call('/reconcile', {body})).status).toBe(status)
  })
})

describe('per-editor rate limit', () => {
  it('answers 429 with Retry-After once an editor spends the budget; others are unaffected', async () => {
    const limited = await startProxyHarness({proxy: {rateLimit: {requests: 2, windowMs: 60_000}}})
    try {
      const statuses = []
      for (let i = 0; i < 3; i += 1)
        statuses.push((await limited.call('/me', {as: 'editor'})).status)
      expect(statuses).toEqual([200, 200, 429])
      const refused = await limited.call('/me', {as: 'editor'})
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
      expect((await errorOf(refused)).code).toBe('rate_limited')
      expect((await limited.call('/me', {as: 'viewer'})).status).toBe(200)
    } finally {
      await limited.close()
    }
  })
})

describe('routing', () => {
  it.each([
    ['/nope', 'GET'],
    ['/sync', 'GET'],
    ['/health', 'POST'],
    ['/users/user_1/extra', 'GET'],
  ])('answers 404 for %s %s', async (path, method) => {
    const response = await h.call(path, {method})
    expect(response.status).toBe(404)
  })

  it('ignores everything outside the base path', async () => {
    const response = await h.handler(new Request('http://127.0.0.1/health'))
    expect(response.status).toBe(404)
  })
})

describe('createClerkProxy', () => {
  it('validates its options before serving anything', () => {
    expect(() =>
      createClerkProxy({
        clerkSecretKey: 'sk_test_x',
        sanity: {projectId: 'p', dataset: 'd', token: ''},
        allowedOrigins: [],
      }),
    ).toThrow('"sanity.token" is required')
  })
})

describe('configuredSecrets', () => {
  it('covers every option named as a secret or token, and nothing else', () => {
    const resolved = resolveClerkProxyOptions(h.options)
    expect(configuredSecrets(resolved).sort()).toEqual(
      [h.secrets.clerkSecretKey, h.secrets.sanityToken, h.secrets.webhookSecret].sort(),
    )
    const withMore = {...resolved, cronSecret: 'cron-secret-value'} as typeof resolved
    expect(configuredSecrets(withMore)).toContain('cron-secret-value')
  })
})

describe('createProxyEngine', () => {
  it('redacts the configured secrets from the results and thrown errors it relays', async () => {
    const engine = createProxyEngine(resolveClerkProxyOptions(h.options))
    const quoting = `Clerk echoed ${h.secrets.sanityToken} and ${h.secrets.webhookSecret}`
    h.clerk.faults.add({
      path: /^\/v1\/users\//,
      times: Infinity,
      fault: {type: 'status', status: 422, message: quoting},
    })
    try {
      const thrown = await engine.status(ada, {includePrivate: true}).catch((e: Error) => e)
      expect((thrown as Error).message).toContain('Clerk echoed [redacted] and [redacted]')
      const [result] = await engine.syncSubjects([ada])
      expect(result?.error?.message).toContain('Clerk echoed [redacted] and [redacted]')
      const leaks = findSecrets(
        [(thrown as Error).message, (thrown as Error).stack ?? '', JSON.stringify(result)],
        h.secrets,
      )
      expect(leaks).toEqual([])
    } finally {
      h.clerk.faults.clear()
    }
  })
})

describe('secrets', () => {
  it('never appear in any response body or log line of this suite', () => {
    expect(h.transcript.length).toBeGreaterThan(50)
    expect(findSecrets(h.transcript, h.secrets)).toEqual([])
  })
})
