import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {encodeSignatureHeader} from '@sanity/webhook'

import {createLakeClient} from '../../emulators/content-lake'
import {resolveAccessRules} from '../../core/access'
import type {ProxyErrorBody} from '../../core/contract'
import {startNodeServer, type RunningNodeServer} from '../adapters/node'
import {createClerkProxy} from '../createClerkProxy'
import {createMemoryStore} from '../store'
import {DOCUMENT_EVENT_PROJECTION, documentEventFilter} from './documentEvent'
import {
  BASE_PATH,
  entitlement,
  findSecrets,
  startProxyHarness,
  type ProxyHarness,
} from '../testing/proxy-harness'
import type {WebhookResponse} from './webhook'

let h: ProxyHarness

beforeAll(async () => {
  h = await startProxyHarness()
})
afterAll(() => h?.close())

const event = (id: string, type: string, before: object | null, after: object | null) => ({
  _id: id,
  _type: type,
  operation: 'update',
  before,
  after,
})
const codeOf = async (response: Response) => ((await response.json()) as ProxyErrorBody).error.code
const writes = () => h.clerk.log.filter((entry) => entry.method === 'PATCH').length

describe('POST /webhook signatures', () => {
  it('syncs the subjects of a correctly signed delivery', async () => {
    const user = h.createUser('Wendy')
    await h.publish(entitlement('ent-wendy', user))
    const response = await h.webhook(
      event('ent-wendy', 'clerkEntitlement', null, {clerkUserId: user}),
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as WebhookResponse
    expect(body.results).toEqual([expect.objectContaining({subject: user, outcome: 'updated'})])
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
  })

  it.each([
    ['no signature', {'sanity-webhook-signature': ''}, 'missing_signature'],
    ['a malformed signature', {'sanity-webhook-signature': 't=abc,v1=xyz'}, 'invalid_signature'],
  ])('refuses a delivery with %s', async (_case, headers, code) => {
    h.clerk.clearLog()
    const response = await h.webhook(
      event('ent-x', 'clerkEntitlement', null, {clerkUserId: 'user_1'}),
      {headers},
    )
    expect([response.status, await codeOf(response)]).toEqual([401, code])
    expect(h.clerk.log).toEqual([])
  })

  it('refuses a delivery signed with another secret', async () => {
    const response = await h.webhook(event('ent-x', 'clerkEntitlement', null, null), {
      secret: 'guessed',
    })
    expect([response.status, await codeOf(response)]).toEqual([401, 'invalid_signature'])
  })

  it('refuses a tampered body (signature of another body)', async () => {
    const original = JSON.stringify(
      event('ent-a', 'clerkEntitlement', null, {clerkUserId: 'user_a'}),
    )
    const signature = await encodeSignatureHeader(original, Date.now(), h.secrets.webhookSecret)
    const tampered = original.replace('user_a', 'user_b')
    const response = await h.handler(
      new Request(`http://127.0.0.1${BASE_PATH}/webhook`, {
        method: 'POST',
        headers: {'sanity-webhook-signature': signature},
        body: tampered,
      }),
    )
    expect([response.status, await codeOf(response)]).toEqual([401, 'invalid_signature'])
  })

  it('refuses a correctly signed delivery that is too old (replay) or from the future', async () => {
    const body = event('ent-x', 'clerkEntitlement', null, {clerkUserId: 'user_1'})
    const old = await h.webhook(body, {timestamp: Date.now() - 6 * 60_000})
    expect([old.status, await codeOf(old)]).toEqual([401, 'signature_expired'])
    const future = await h.webhook(body, {timestamp: Date.now() + 6 * 60_000})
    expect([future.status, await codeOf(future)]).toEqual([401, 'signature_expired'])
  })

  it('honours a configured replay window', async () => {
    const strict = await startProxyHarness({proxy: {webhookToleranceMs: 1_000}})
    try {
      const response = await strict.webhook(event('ent-x', 'clerkPlan', null, null), {
        timestamp: Date.now() - 5_000,
      })
      expect(await codeOf(response)).toBe('signature_expired')
    } finally {
      await strict.close()
    }
  })

  it('is disabled (404) without a webhook secret', async () => {
    const off = await startProxyHarness({proxy: {webhookSecret: undefined}})
    try {
      expect((await off.webhook(event('ent-x', 'clerkPlan', null, null))).status).toBe(404)
    } finally {
      await off.close()
    }
  })
})

describe('POST /webhook deliveries', () => {
  it('answers 200 for a permanent failure (no such Clerk user): a retry could not help', async () => {
    await h.publish(entitlement('ent-ghost', 'user_ghost'))
    const response = await h.webhook(
      event('ent-ghost', 'clerkEntitlement', null, {clerkUserId: 'user_ghost'}),
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as WebhookResponse
    expect(body.results).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        error: expect.objectContaining({code: 'subject_not_found'}),
      }),
    ])
    expect(
      h.transcript.some((line) => line.startsWith('warn') && line.includes('user_ghost')),
    ).toBe(true)
  })

  it('does nothing for a duplicate idempotency-key', async () => {
    const user = h.createUser('Dupont')
    await h.publish(entitlement('ent-dupont', user))
    const body = event('ent-dupont', 'clerkEntitlement', null, {clerkUserId: user})
    const headers = {'idempotency-key': `key-${user}`}
    expect((await h.webhook(body, {headers})).status).toBe(200)
    h.clerk.clearLog()
    const duplicate = await h.webhook(body, {headers})
    expect(await duplicate.json()).toEqual({duplicate: true, results: []})
    expect(h.clerk.log).toEqual([])
  })

  it('shares claims through the store: a delivery handled by one instance is a duplicate on another', async () => {
    const store = createMemoryStore()
    const first = await startProxyHarness({proxy: {store}})
    try {
      const second = createClerkProxy({...first.options, store})
      const user = first.createUser('Shared')
      await first.publish(entitlement('ent-shared', user))
      const body = event('ent-shared', 'clerkEntitlement', null, {clerkUserId: user})
      const headers = {'idempotency-key': 'shared-key'}
      expect((await (await first.webhook(body, {headers})).json()).results).toMatchObject([
        {subject: user, outcome: 'updated'},
      ])
      const delivery = await first.signedWebhook(body, {headers})
      const signature = delivery.headers.get('sanity-webhook-signature')
      expect(await (await second(delivery)).json()).toEqual({duplicate: true, results: []})
      // The duplicate claimed its own signature with the key, and gave it back on finding the
      // key done: nothing of it stays claimed in the shared store.
      expect(await store.claim(`signature:${signature}`, 1_000)).toBe('claimed')
    } finally {
      await first.close()
    }
  })

  it('answers 503 store_unavailable when the shared store cannot take the claim, and works once it can', async () => {
    const store = createMemoryStore()
    let reachable = false
    const flaky = {
      ...store,
      claim: (key: string, ttlMs: number) =>
        reachable ? store.claim(key, ttlMs) : Promise.reject(new Error('ECONNREFUSED')),
    }
    const proxy = await startProxyHarness({proxy: {store: flaky}})
    try {
      const user = proxy.createUser('Unreachable')
      await proxy.publish(entitlement('ent-unreachable', user))
      const body = event('ent-unreachable', 'clerkEntitlement', null, {clerkUserId: user})
      const headers = {'idempotency-key': `key-${user}`}
      const refused = await proxy.webhook(body, {headers})
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '10'])
      expect(await codeOf(refused)).toBe('store_unavailable')
      expect(proxy.clerk.store.getUser(user)?.public_metadata).toEqual({})
      reachable = true
      expect((await proxy.webhook(body, {headers})).status).toBe(200)
      expect(proxy.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
    } finally {
      await proxy.close()
    }
  })

  it('answers 502 when a sync fails and lets Sanity’s retry (same key) do the work', async () => {
    const user = h.createUser('Retry')
    await h.publish(entitlement('ent-retry', user))
    const body = event('ent-retry', 'clerkEntitlement', null, {clerkUserId: user})
    const headers = {'idempotency-key': `key-${user}`}
    h.clerk.faults.add({
      method: 'PATCH',
      path: /\/metadata$/,
      times: 3,
      fault: {type: 'status', status: 503},
    })
    const failed = await h.webhook(body, {headers})
    expect([failed.status, await codeOf(failed)]).toEqual([502, 'sync_failed'])
    h.clerk.faults.clear()
    const retried = await h.webhook(body, {headers})
    expect(retried.status).toBe(200)
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
  })

  it('recomputes every subject referencing a changed plan', async () => {
    const first = h.createUser('Plana')
    const second = h.createUser('Planb')
    await h.publish(
      {_id: 'plan-team', _type: 'clerkPlan', title: 'Team', key: 'team', rank: 3},
      entitlement('ent-plana', first, {plan: 'plan-team'}),
      entitlement('ent-planb', second, {plan: 'plan-team'}),
    )
    await h.publish({_id: 'plan-team', _type: 'clerkPlan', title: 'Team', key: 'teams', rank: 3})
    const response = await h.webhook(event('plan-team', 'clerkPlan', null, null))
    const body = (await response.json()) as WebhookResponse
    expect(body.results.map((result) => result.subject).sort()).toEqual([first, second].sort())
    expect(h.clerk.store.getUser(first)?.public_metadata).toEqual({plan: 'teams'})
    expect(h.clerk.store.getUser(second)?.public_metadata).toEqual({plan: 'teams'})
  })

  it.each([
    ['a draft', event('drafts.ent-x', 'clerkEntitlement', null, {clerkUserId: 'user_1'})],
    [
      'a release version',
      event('versions.r1.ent-x', 'clerkEntitlement', null, {clerkUserId: 'user_1'}),
    ],
    ['an unrelated type', event('post-1', 'post', null, null)],
  ])('ignores %s without asking Clerk or Sanity', async (_case, body) => {
    h.clerk.clearLog()
    const queries = h.lake.requests.length
    const response = await h.webhook(body)
    expect((await response.json()) as WebhookResponse).toEqual({
      ignored: expect.any(String),
      results: [],
    })
    expect(h.clerk.log).toEqual([])
    expect(h.lake.requests.length).toBe(queries)
  })

  it.each([
    ['not JSON', '{"_id": ', 400, 'invalid_json'],
    ['not an object', '["ent-1"]', 400, 'invalid_event'],
    ['without _id', '{"_type":"clerkEntitlement"}', 422, 'invalid_event'],
    ['with a non-object before', '{"_id":"ent-1","before":"user_1"}', 400, 'invalid_event'],
  ])('refuses a signed body %s', async (_case, raw, status, code) => {
    const response = await h.webhook(raw)
    expect([response.status, await codeOf(response)]).toEqual([status, code])
  })

  it('refuses an oversized body with 413 before checking anything else', async () => {
    const response = await h.webhook({_id: 'ent-1', pad: 'x'.repeat(70_000)})
    expect([response.status, await codeOf(response)]).toEqual([413, 'payload_too_large'])
  })
})

describe('GROQ webhook from the Content Lake, end to end over HTTP', () => {
  let server: RunningNodeServer

  beforeAll(async () => {
    server = await startNodeServer(h.handler)
    h.lake.webhooks.add({
      name: 'clerk-sync',
      url: `${server.url}${BASE_PATH}/webhook`,
      filter: documentEventFilter(resolveAccessRules()),
      projection: DOCUMENT_EVENT_PROJECTION,
      on: ['create', 'update', 'delete'],
      secret: h.secrets.webhookSecret,
    })
  })
  afterAll(() => server?.close())

  it('grants on publish, moves on reassignment, revokes on delete', async () => {
    const from = h.createUser('Lakea')
    const to = h.createUser('Lakeb')
    await h.publish(entitlement('ent-lake', from, {courses: ['course-intro']}))
    await h.lake.settled()
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({
      plan: 'pro',
      courseSlugs: ['intro'],
    })

    await h.publish(entitlement('ent-lake', to, {courses: ['course-intro']}))
    await h.lake.settled()
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({})
    expect(h.clerk.store.getUser(to)?.public_metadata).toEqual({
      plan: 'pro',
      courseSlugs: ['intro'],
    })

    await createLakeClient(h.lake).delete('ent-lake')
    await h.lake.settled()
    expect(h.clerk.store.getUser(to)?.public_metadata).toEqual({})
    const attempts = h.lake.webhooks.attempts.filter((attempt) => attempt.documentId === 'ent-lake')
    expect(attempts.map((attempt) => attempt.status)).toEqual([200, 200, 200])
  })

  it('an email-addressed entitlement grants its verified holder, and a changed address revokes them', async () => {
    const from = h.createUser('Mailfrom')
    const to = h.createUser('Mailto')
    const addressedTo = (email: string) => {
      const {clerkUserId: _placeholder, ...document} = entitlement('ent-mail', 'user_placeholder')
      return {...document, clerkEmail: email}
    }
    await h.publish(addressedTo('mailfrom@example.test'))
    await h.lake.settled()
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({plan: 'pro'})

    // Only the projection's `before` names the old address: without it the old holder keeps Pro.
    await h.publish(addressedTo('mailto@example.test'))
    await h.lake.settled()
    expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({})
    expect(h.clerk.store.getUser(to)?.public_metadata).toEqual({plan: 'pro'})
  })

  it('writes once for duplicated deliveries', async () => {
    const user = h.createUser('Twice')
    h.lake.webhooks.configure({duplicate: 2})
    try {
      h.clerk.clearLog()
      await h.publish(entitlement('ent-twice', user))
      await h.lake.settled()
    } finally {
      h.lake.webhooks.configure({duplicate: 0})
    }
    const attempts = h.lake.webhooks.attempts.filter(
      (attempt) => attempt.documentId === 'ent-twice',
    )
    expect(attempts).toHaveLength(3)
    expect(writes()).toBe(1)
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
  })

  it('never leaks a secret in any response or log line', () => {
    expect(h.transcript.length).toBeGreaterThan(20)
    expect(findSecrets(h.transcript, h.secrets)).toEqual([])
  })
})
