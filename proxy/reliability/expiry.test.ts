/**
 * Stale access: an entitlement's `validUntil` (and `validFrom`) must take effect in Clerk without
 * an editor publishing anything. The validity sweep re-syncs subjects whose boundaries fell since
 * the last sweep; these tests drive it with an injected clock and measure the delay.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {seededRandom} from '../../emulators/clerk/random'
import {createLakeClient} from '../../emulators/content-lake'
import {startNodeServer} from '../adapters/node'
import {resolveAccessRules} from '../../core/access'
import {createAccessQueries} from '../sanity'
import {createMemoryStore} from '../store'
import {createValiditySweep} from '../sync/validity'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'
import {createFigureTable} from './summary'
import {
  catalogDocuments,
  clerkOwnedMetadata,
  createSubjects,
  standInOptions,
} from '../testing/world'

const T0 = Date.parse('2026-06-01T12:00:00.000Z')
const INTERVAL_MS = 60_000
const at = (ms: number) => new Date(T0 + ms).toISOString()

const figures = createFigureTable('expiry: validity boundaries without an editor')
let clock = new Date(T0)
let h: SyncHarness
let reader: SanityClient

beforeAll(async () => {
  h = await startSyncHarness({documents: catalogDocuments(), now: () => clock})
  reader = createLakeClient(h.lake, 'viewer')
})

afterAll(async () => {
  figures.print()
  await h?.close()
})

function newSweep() {
  return createValiditySweep({
    queries: createAccessQueries(reader, resolveAccessRules()),
    syncSubjects: (subjects) => h.engine.syncSubjects(subjects),
    usersWithVerified: (emails) => h.engine.usersWithVerified(emails),
    runDueRechecks: () => h.engine.runDueRechecks(),
    // A sweep of its own: each test starts with no stored cursor (its clock starts over).
    store: createMemoryStore({now: () => clock.getTime()}),
    now: () => clock,
    intervalMs: INTERVAL_MS,
  })
}

const owned = (subject: string) => clerkOwnedMetadata(h.clerk, subject).owned
const clerkRequestsFor = (subject: string, since: number) =>
  h.clerk.log.slice(since).filter((entry) => entry.path.includes(subject)).length

describe('validity sweep', () => {
  it('revokes at expiry and grants at start, touching no other subject', async () => {
    clock = new Date(T0)
    const [ending, starting, steady] = createSubjects(h.clerk, 'exp', {
      users: 3,
      organizations: 0,
    }) as [string, string, string]
    await h.editor.createOrReplace(
      content.entitlement('exp-a', ending, {plan: 'pro', validUntil: at(3_600_000)}),
    )
    await h.editor.createOrReplace(
      content.entitlement('exp-b', starting, {role: 'editor', validFrom: at(7_200_000)}),
    )
    await h.editor.createOrReplace(content.entitlement('exp-c', steady, {plan: 'basic'}))
    // A draft's boundary never matters: drafts grant nothing.
    await h.editor.createOrReplace(
      content.entitlement('drafts.exp-c', steady, {plan: 'pro', validUntil: at(3_600_000)}),
    )
    await h.engine.syncSubjects([ending, starting, steady])
    expect([owned(ending), owned(starting), owned(steady)]).toEqual([
      {plan: 'pro'},
      {},
      {plan: 'basic'},
    ])

    const sweep = newSweep()
    expect((await sweep.run()).subjects).toEqual([])
    // The re-checks of those first writes come and go before any boundary.
    clock = new Date(T0 + 60_000)
    expect((await h.engine.runDueRechecks()).map(({outcome}) => outcome)).toEqual([
      'unchanged',
      'unchanged',
    ])

    clock = new Date(T0 + 3_600_000)
    const logBefore = h.clerk.log.length
    const expired = await sweep.run()
    expect(expired.subjects).toEqual([ending])
    expect(owned(ending)).toEqual({})
    const steadyRequests = clerkRequestsFor(steady, logBefore)
    figures.set('Clerk requests for a subject without a boundary', steadyRequests)
    expect(steadyRequests).toBe(0)

    clock = new Date(T0 + 7_200_000 + INTERVAL_MS / 2)
    expect((await sweep.run()).subjects).toEqual([starting])
    expect(owned(starting)).toEqual({role: 'editor'})
    // A boundary is swept once: the next window starts where this one ended.
    clock = new Date(clock.getTime() + INTERVAL_MS)
    expect((await sweep.run()).subjects).toEqual([])
    expect(owned(steady)).toEqual({plan: 'basic'})
  })

  it('revokes an email-addressed grant at expiry from the user who has the address verified', async () => {
    clock = new Date(T0)
    const email = 'expiring-holder@example.com'
    const holder = h.clerk.store.createUser({email_address: [email]}).id
    const {clerkUserId: _placeholder, ...addressed} = content.entitlement(
      'exp-mail',
      'user_placeholder',
      {plan: 'pro', validUntil: at(3_300_000)},
    )
    await h.editor.createOrReplace({...addressed, clerkEmail: email})
    await h.engine.syncSubjects([holder])
    expect(owned(holder)).toEqual({plan: 'pro'})
    const sweep = newSweep()
    await sweep.run()

    clock = new Date(T0 + 3_300_000)
    const expired = await sweep.run()
    expect(expired.subjects).toEqual([holder])
    expect(owned(holder)).toEqual({})
  })

  it('covers missed sweeps, and retries a subject whose sync failed', async () => {
    clock = new Date(T0)
    const [user] = createSubjects(h.clerk, 'miss', {users: 1, organizations: 0}) as [string]
    await h.editor.createOrReplace(
      content.entitlement('miss-a', user, {plan: 'team', validUntil: at(5 * INTERVAL_MS)}),
    )
    await h.engine.syncSubjects([user])
    const sweep = newSweep()
    await sweep.run()

    // The process slept through ten intervals, and Clerk is down when it wakes.
    clock = new Date(T0 + 10 * INTERVAL_MS)
    h.clerk.faults.add({path: `/v1/users/${user}`, times: 20, fault: {type: 'status', status: 503}})
    const failed = await sweep.run()
    expect(failed.results).toMatchObject([{subject: user, outcome: 'failed'}])
    expect(owned(user)).toEqual({plan: 'team'})
    h.clerk.faults.clear()

    clock = new Date(clock.getTime() + INTERVAL_MS)
    // The failed subject was queued for a re-check, which the next sweep runs.
    const retried = await sweep.run()
    expect(retried.rechecked).toMatchObject([{subject: user, outcome: 'updated'}])
    expect(owned(user)).toEqual({})
  })

  it('keeps the delay between a boundary and Clerk within one interval', async () => {
    clock = new Date(T0)
    const random = seededRandom('expiry-delays')
    const users = createSubjects(h.clerk, 'delay', {users: 12, organizations: 0})
    const boundaries = new Map<string, number>()
    for (const [index, user] of users.entries()) {
      // Boundaries anywhere in the next five intervals, at millisecond precision.
      const boundary = T0 + 1 + Math.floor(random() * 5 * INTERVAL_MS)
      boundaries.set(user, boundary)
      await h.editor.createOrReplace(
        content.entitlement(`delay-${index}`, user, {
          plan: 'pro',
          validUntil: new Date(boundary).toISOString(),
        }),
      )
    }
    await h.engine.syncSubjects(users)
    const sweep = newSweep()
    await sweep.run()
    const revokedAt = new Map<string, number>()
    for (let tick = 1; tick <= 6; tick++) {
      clock = new Date(T0 + tick * INTERVAL_MS)
      await sweep.run()
      for (const user of users) {
        if (!revokedAt.has(user) && !owned(user).plan) revokedAt.set(user, clock.getTime())
      }
    }
    // Never before the boundary, always by the first sweep after it.
    const delays = users.map((user) => (revokedAt.get(user) ?? Infinity) - boundaries.get(user)!)
    expect(delays.filter((delay) => delay < 0 || delay === Infinity)).toEqual([])
    const worst = Math.max(...delays)
    figures.set('expiries checked', users.length)
    figures.set('sweep interval', `${INTERVAL_MS / 1000} s`)
    figures.set(
      'worst delay, boundary → Clerk',
      `${(worst / 1000).toFixed(1)} s (bound: 1 interval)`,
    )
    expect(worst).toBeLessThanOrEqual(INTERVAL_MS)
  })

  it('runs on the Node server’s schedule: an expiry reaches Clerk with no request at all', async () => {
    const [user] = createSubjects(h.clerk, 'node', {users: 1, organizations: 0}) as [string]
    const expiresAt = Date.now() + 400
    await h.editor.createOrReplace(
      content.entitlement('node-a', user, {
        plan: 'pro',
        validUntil: new Date(expiresAt).toISOString(),
      }),
    )
    const server = await startNodeServer(
      {
        ...standInOptions(h.clerk, h.lake),
        allowedOrigins: [],
        fetch: h.lake.resolveFetch(),
        logger: {info: () => undefined, warn: () => undefined, error: () => undefined},
      },
      {validitySweepMs: 50},
    )
    try {
      await h.engine.syncSubjects([user])
      expect(owned(user)).toEqual({plan: 'pro'})
      // Nobody calls the proxy: only its own timer can revoke the plan.
      const deadline = expiresAt + 2000
      while (owned(user).plan && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      expect(owned(user)).toEqual({})
      const delay = Date.now() - expiresAt
      figures.set('Node server, sweep every 50 ms: expiry → Clerk', `${delay} ms`)
    } finally {
      await server.close()
    }
  })
})
