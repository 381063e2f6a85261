/**
 * The races a real deployment runs into, one at a time and deterministically (the slow step is an
 * injected delay, the next step starts once that delay has been reached): two instances and a
 * slow Clerk write, a reconcile racing a revoke on a lagging lake, a webhook retry arriving while
 * the first attempt is failing, and a cron sweep in a fresh process across an expiry. Each ends
 * with Clerk equal to the content; where the old single-instance behaviour (no shared store,
 * convergence off) loses the race, the same steps show it.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createLakeClient} from '../../emulators/content-lake'
import type {SanityClient} from '@sanity/client'
import {
  BASE_PATH,
  entitlement,
  startProxyHarness,
  type ProxyHarness,
  type ProxyInstance,
} from '../testing/proxy-harness'
import {createMemoryStore} from '../store'
import {clerkOwnedMetadata} from '../testing/world'

const CRON_SECRET = 'cron-secret-production-races'

let h: ProxyHarness
let editor: SanityClient

beforeAll(async () => {
  h = await startProxyHarness({proxy: {cronSecret: CRON_SECRET}})
  editor = createLakeClient(h.lake, 'administrator')
})
afterAll(() => h?.close())

const owned = (subject: string) => clerkOwnedMetadata(h.clerk, subject).owned

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

/** Two instances sharing one store, as with Redis; or, `isolated`, today's single-instance engine twice. */
function twoInstances(isolated: boolean): [ProxyInstance, ProxyInstance] {
  if (isolated) {
    return [
      h.instance({store: createMemoryStore(), convergence: false}),
      h.instance({store: createMemoryStore(), convergence: false}),
    ]
  }
  const store = createMemoryStore()
  return [h.instance({store}), h.instance({store})]
}

describe('two instances and a slow Clerk write', () => {
  /** Instance A reads "pro" and writes slowly; the grant is deleted and B revokes meanwhile. */
  async function race(isolated: boolean) {
    const [a, b] = twoInstances(isolated)
    const user = h.createUser(isolated ? 'SlowIsolated' : 'SlowShared')
    await h.publish(entitlement(`ent-slow-${user}`, user))
    const slow = h.clerk.faults.add({
      method: 'PATCH',
      path: `/v1/users/${user}/metadata`,
      fault: {type: 'delay', ms: 1_500},
    })
    const first = a.call('/sync', {body: {subjects: [user]}})
    await until(() => slow.hits === 1)
    await editor.delete(`ent-slow-${user}`)
    const second = await b.call('/sync', {body: {subjects: [user]}})
    expect(second.status).toBe(200)
    expect((await first).status).toBe(200)
    return owned(user)
  }

  it('ends revoked: the second instance waits for the first one’s write, then reads', async () => {
    expect(await race(false)).toEqual({})
  })

  it('can fail: without a shared store the slow write lands last and "pro" stays', async () => {
    expect(await race(true)).toEqual({plan: 'pro'})
  })
})

describe('a reconcile racing a revoke on a lagging lake', () => {
  /**
   * The reconcile's Clerk page is slow; meanwhile the grant is deleted and the Studio syncs the
   * deletion (naming it). Queries lag 3 s, longer than the slow page, so a read right after it
   * (the Studio's, or the reconcile's read of that page) still sees the grant.
   */
  async function race(isolated: boolean) {
    const [a, b] = twoInstances(isolated)
    const user = h.createUser(isolated ? 'ReconcileIsolated' : 'ReconcileShared')
    const id = `ent-rec-${user}`
    await h.publish(entitlement(id, user))
    h.lake.setQueryLag({minMs: 3_000, maxMs: 3_000})
    try {
      // Queries see the grant from now on (and its deletion only 3 s after it happens).
      await new Promise((resolve) => setTimeout(resolve, 3_100))
      const page = h.clerk.faults.add({
        method: 'GET',
        path: '/v1/users',
        fault: {type: 'delay', ms: 2_500},
      })
      const reconcile = a.call('/reconcile', {body: {dryRun: false}})
      await until(() => page.hits === 1)
      await editor.delete(id)
      const revoke = await b.call('/sync', {
        body: {documentId: id, documentRevision: null, previousSubjects: [user]},
      })
      expect(revoke.status).toBe(200)
      expect((await reconcile).status).toBe(200)
      await (await reconcile).text()
    } finally {
      h.lake.setQueryLag(null)
    }
    return owned(user)
  }

  it('ends revoked: the reconcile reads after its lease and no older than the deletion', async () => {
    expect(await race(false)).toEqual({})
  })

  it('can fail: without leases and revision checks a lagging read grants "pro" again', async () => {
    expect(await race(true)).toEqual({plan: 'pro'})
  })
})

describe('a webhook retry while the first attempt is failing', () => {
  it('is not acknowledged as a duplicate: it waits, then does the work itself', async () => {
    const [a, b] = twoInstances(false)
    const user = h.createUser('Retry')
    const id = `ent-retry-${user}`
    await h.publish(entitlement(id, user))
    const slowRead = h.clerk.faults.add({
      method: 'GET',
      path: `/v1/users/${user}`,
      fault: {type: 'delay', ms: 800},
    })
    // Every write of the first attempt (and its gateway retries) fails.
    h.clerk.faults.add({
      method: 'PATCH',
      path: `/v1/users/${user}/metadata`,
      times: 3,
      fault: {type: 'status', status: 503},
    })
    const {_rev: rev = null} = h.lake.getDocument(id) ?? {}
    const body = {
      _id: id,
      _type: 'clerkEntitlement',
      rev,
      before: null,
      after: {clerkUserId: user},
    }
    const headers = {'idempotency-key': `delivery-${user}`}
    const first = a.webhook(body, {headers})
    await until(() => slowRead.hits === 1)
    const retry = await b.webhook(body, {headers})
    expect((await first).status).toBe(502)
    expect(retry.status).toBe(200)
    expect(await retry.json()).toMatchObject({results: [{subject: user, outcome: 'updated'}]})
    expect(owned(user)).toEqual({plan: 'pro'})
    // Only now is the delivery done: a third copy is the duplicate.
    expect(await (await a.webhook(body, {headers})).json()).toEqual({duplicate: true, results: []})
  })
})

describe('a cron sweep in a fresh process across an expiry', () => {
  const sweep = (instance: ProxyInstance) =>
    instance.call('/sweep', {
      method: 'GET',
      as: null,
      headers: {authorization: `Bearer ${CRON_SECRET}`},
    })

  /** A 300 ms schedule stands for a 5-minute cron: the boundary falls between two invocations. */
  async function acrossExpiry(sharedCursor: boolean) {
    const store = createMemoryStore()
    const invocation = () =>
      h.instance({store: sharedCursor ? store : createMemoryStore(), sweepIntervalMs: 300})
    const user = h.createUser(sharedCursor ? 'CronShared' : 'CronFresh')
    const expiresAt = Date.now() + 1_000
    await h.publish({
      ...entitlement(`ent-cron-${user}`, user),
      validUntil: new Date(expiresAt).toISOString(),
    })
    expect((await h.call('/sync', {body: {subjects: [user]}})).status).toBe(200)
    expect(owned(user)).toEqual({plan: 'pro'})
    expect((await sweep(invocation())).status).toBe(200)
    // The next invocation comes well over two schedules after the boundary.
    await until(() => Date.now() > expiresAt + 1_000)
    const run = await sweep(invocation())
    expect(run.status).toBe(200)
    return {owned: owned(user), swept: ((await run.json()) as {subjects: string[]}).subjects, user}
  }

  it('revokes: the cursor stored by the last invocation covers the boundary', async () => {
    const {owned: after, swept, user} = await acrossExpiry(true)
    expect(swept).toEqual([user])
    expect(after).toEqual({})
  })

  it('can fail: a fresh process without the stored cursor looks back too little and misses it', async () => {
    const {owned: after, swept} = await acrossExpiry(false)
    expect(swept).toEqual([])
    expect(after).toEqual({plan: 'pro'})
  })

  it('refuses a scheduler without the cron secret, and is off without one', async () => {
    const wrong = await h.call('/sweep', {
      method: 'GET',
      as: null,
      headers: {authorization: 'Bearer nope'},
    })
    expect(wrong.status).toBe(401)
    const off = h.instance({cronSecret: undefined})
    expect((await sweep(off)).status).toBe(404)
    expect(`${BASE_PATH}/sweep`).toBe('/api/clerk/sweep')
  })
})
