import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import type {JsonObject} from '../../emulators/clerk'
import {SYNC_STAMP_KEY} from '../../core/access'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

const {entitlement, plan, role, course} = content
let clock = new Date('2026-06-01T12:00:00.000Z')
let h: SyncHarness

const baseContent = [
  plan('basic', 1),
  plan('pro', 5),
  role('viewer', 1),
  role('editor', 3),
  course('intro'),
  course('advanced'),
  course('expert'),
]

beforeAll(async () => {
  h = await startSyncHarness({documents: baseContent, now: () => clock})
})
afterAll(() => h?.close())

let userCount = 0
/** A fresh Clerk user per test, so tests never share state. */
function newUser(
  metadata: {
    public_metadata?: JsonObject
    private_metadata?: JsonObject
  } = {},
) {
  const id = `user_t${++userCount}x${Date.now().toString(36)}`
  h.clerk.store.createUser({
    id,
    first_name: 'Test',
    last_name: `User ${userCount}`,
    email_address: [`${id}@example.com`],
    ...metadata,
  })
  return id
}
const clerkUser = (id: string) => h.clerk.store.getUser(id)
const patchesTo = (id: string) =>
  h.clerk.log.filter((r) => r.method === 'PATCH' && r.path === `/v1/users/${id}/metadata`)

beforeEach(() => {
  clock = new Date('2026-06-01T12:00:00.000Z')
  h.clerk.faults.clear()
})

describe('syncSubjects', () => {
  it('merges several entitlements in 1 GROQ query + 1 Clerk read + 1 Clerk write, then writes nothing', async () => {
    const user = newUser()
    await h.editor.createOrReplace(
      entitlement('m1', user, {plan: 'basic', role: 'editor', courses: ['intro']}),
    )
    await h.editor.createOrReplace(
      entitlement('m2', user, {plan: 'pro', role: 'viewer', courses: ['advanced', 'intro']}),
    )
    const lakeBefore = h.lake.requests.length
    const clerkBefore = h.clerk.log.length

    const [result] = await h.engine.syncSubjects([user])

    expect(result).toMatchObject({
      subject: user,
      outcome: 'updated',
      changes: {courseSlugs: ['advanced', 'intro'], plan: 'pro', role: 'editor'},
    })
    expect(clerkUser(user)?.public_metadata).toEqual({
      courseSlugs: ['advanced', 'intro'],
      plan: 'pro',
      role: 'editor',
    })
    expect(clerkUser(user)?.private_metadata?.[SYNC_STAMP_KEY]).toMatchObject({
      v: 1,
      syncedAt: clock.toISOString(),
    })
    const lakeQueries = h.lake.requests
      .slice(lakeBefore)
      .filter((r) => r.route.startsWith('/data/query'))
    expect(lakeQueries).toHaveLength(1)
    expect(h.clerk.log.slice(clerkBefore).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/users/${user}`,
      `PATCH /v1/users/${user}/metadata`,
    ])

    const clerkAgain = h.clerk.log.length
    const [again] = await h.engine.syncSubjects([user])
    expect(again?.outcome).toBe('unchanged')
    expect(h.clerk.log.slice(clerkAgain).map((r) => r.method)).toEqual(['GET'])
  })

  it('downgrades, and revokes on unpublish and delete with null for removed keys', async () => {
    const user = newUser()
    await h.editor.createOrReplace(entitlement('d1', user, {plan: 'pro', courses: ['expert']}))
    await h.editor.createOrReplace(entitlement('d2', user, {role: 'editor'}))
    await h.engine.syncSubjects([user])

    await h.editor
      .patch('d1')
      .set({plan: content.ref('plan-basic')})
      .commit()
    await h.engine.syncChange({documentId: 'd1'})
    expect(clerkUser(user)?.public_metadata).toEqual({
      courseSlugs: ['expert'],
      plan: 'basic',
      role: 'editor',
    })

    // Unpublish: the draft stays, the published document goes.
    await h.editor
      .transaction()
      .createOrReplace({...entitlement('drafts.d1', user, {plan: 'pro', courses: ['expert']})})
      .delete('d1')
      .commit()
    await h.engine.syncChange({documentId: 'd1', previousSubjects: [user]})
    expect(clerkUser(user)?.public_metadata).toEqual({role: 'editor'})
    expect(JSON.parse(patchesTo(user).at(-1)?.body ?? '{}').public_metadata).toEqual({
      courseSlugs: null,
      plan: null,
    })

    await h.editor.delete('d2')
    const [revoked] = await h.engine.syncChange({documentId: 'd2', previousSubjects: [user]})
    expect(revoked).toMatchObject({outcome: 'updated', changes: {role: null}})
    expect(clerkUser(user)?.public_metadata).toEqual({})
  })

  it('moves access on reassignment A → B', async () => {
    const [a, b] = [newUser(), newUser()]
    await h.editor.createOrReplace(entitlement('r1', a, {plan: 'pro'}))
    await h.engine.syncSubjects([a])
    await h.editor.patch('r1').set({clerkUserId: b}).commit()
    const results = await h.engine.syncChange({documentId: 'r1', previousSubjects: [a]})
    expect(results.map((r) => [r.subject, r.outcome]).sort()).toEqual(
      [
        [a, 'updated'],
        [b, 'updated'],
      ].sort(),
    )
    expect(clerkUser(a)?.public_metadata).toEqual({})
    expect(clerkUser(b)?.public_metadata).toEqual({plan: 'pro'})
  })

  it('stops granting when the validity window ends, and ignores drafts', async () => {
    const user = newUser()
    await h.editor.createOrReplace(
      entitlement('w1', user, {plan: 'pro', validUntil: '2026-06-02T00:00:00.000Z'}),
    )
    await h.editor.createOrReplace(entitlement('drafts.w2', user, {role: 'editor'}))
    await h.engine.syncSubjects([user])
    expect(clerkUser(user)?.public_metadata).toEqual({plan: 'pro'})
    clock = new Date('2026-06-02T00:00:00.000Z')
    await h.engine.syncSubjects([user])
    expect(clerkUser(user)?.public_metadata).toEqual({})
  })

  it('never touches keys owned by others', async () => {
    const user = newUser({
      public_metadata: {theme: 'dark', plan: 'stale'},
      private_metadata: {stripeId: 'cus_1'},
    })
    await h.editor.createOrReplace(entitlement('o1', user, {role: 'viewer'}))
    await h.engine.syncSubjects([user])
    // `plan` is a key the plugin owns, but it never wrote this one (no stamp): it stays.
    expect(clerkUser(user)?.public_metadata).toEqual({theme: 'dark', plan: 'stale', role: 'viewer'})
    expect(clerkUser(user)?.private_metadata).toMatchObject({stripeId: 'cus_1'})
    const body = JSON.parse(patchesTo(user).at(-1)?.body ?? '{}')
    expect(Object.keys(body.public_metadata)).toEqual(['role'])
  })

  it('syncs organizations', async () => {
    const org = h.clerk.store.createOrganization({
      id: `org_t${Date.now().toString(36)}`,
      name: 'Acme',
    }).id
    await h.editor.createOrReplace(entitlement('g1', org, {plan: 'pro', courses: ['intro']}))
    const [result] = await h.engine.syncSubjects([org])
    expect(result?.outcome).toBe('updated')
    expect(h.clerk.store.getOrganization(org)?.public_metadata).toEqual({
      courseSlugs: ['intro'],
      plan: 'pro',
    })
  })

  it('warns above the session budget and refuses above the limit before writing', async () => {
    const many = Array.from({length: 40}, (_, i) => course(`a-rather-long-course-slug-number-${i}`))
    for (const document of many) await h.editor.createOrReplace(document)
    const slugs = many.map((d) => String((d.slug as {current: string}).current))
    const user = newUser()
    await h.editor.createOrReplace(entitlement('s1', user, {courses: slugs}))
    const [warned] = await h.engine.syncSubjects([user])
    expect(warned?.outcome).toBe('updated')
    expect(warned?.size?.overBudget).toBe(true)
    expect(h.logged.some((l) => l.level === 'warn' && l.message.includes(user))).toBe(true)

    const big = newUser({private_metadata: {blob: 'x'.repeat(7000)}})
    await h.editor.createOrReplace(entitlement('s2', big, {courses: slugs}))
    const [refused] = await h.engine.syncSubjects([big])
    expect(refused).toMatchObject({outcome: 'failed', error: {code: 'metadata_too_large'}})
    expect(refused?.error?.message).toMatch(new RegExp(`${big}.*\\d+ bytes`))
    expect(patchesTo(big)).toHaveLength(0)
  })

  it('recovers from 429 and 5xx through the gateway retries', async () => {
    const user = newUser()
    await h.editor.createOrReplace(entitlement('f1', user, {plan: 'pro'}))
    h.clerk.faults.add({
      method: 'GET',
      path: `/v1/users/${user}`,
      fault: {type: 'status', status: 503},
    })
    h.clerk.faults.add({
      method: 'PATCH',
      path: `/v1/users/${user}/metadata`,
      fault: {type: 'status', status: 429, retryAfterSeconds: 1},
    })
    const [result] = await h.engine.syncSubjects([user])
    expect(result?.outcome).toBe('updated')
    expect(clerkUser(user)?.public_metadata).toEqual({plan: 'pro'})
    expect(patchesTo(user).map((r) => r.status)).toEqual([429, 200])
  })

  it('reports Clerk failures with status code and trace id, without retrying a 422', async () => {
    const user = newUser()
    await h.editor.createOrReplace(entitlement('f2', user, {plan: 'pro'}))
    h.clerk.faults.add({
      method: 'PATCH',
      path: `/v1/users/${user}/metadata`,
      fault: {type: 'status', status: 422},
    })
    const [result] = await h.engine.syncSubjects([user])
    expect(result).toMatchObject({outcome: 'failed', error: {code: 'clerk_rejected'}})
    expect(result?.error?.clerkTraceId).toBeTruthy()
    expect(patchesTo(user)).toHaveLength(1)
  })

  it('reports unknown, deleted and malformed subjects without throwing', async () => {
    const results = await h.engine.syncSubjects(['user_doesnotexist', 'user_a/../b', 'nope'])
    expect(results.map((r) => r.error?.code)).toEqual([
      'subject_not_found',
      'invalid_id',
      'invalid_id',
    ])
  })

  it('reports Sanity failures per subject and as an error with the upstream status', async () => {
    const user = newUser()
    h.lake.faults.add({route: '/data/query', status: 400, times: 2})
    const [result] = await h.engine.syncSubjects([user])
    expect(result).toMatchObject({outcome: 'failed', error: {code: 'sanity_unavailable'}})
    expect(result?.error?.message).toMatch(/HTTP 400/)
    await expect(h.engine.subjectsOfDocument('anything')).rejects.toMatchObject({
      code: 'sanity_unavailable',
      statusCode: 400,
    })
    h.lake.faults.clear()
  })

  it('converges to the truth under concurrent syncs for one user, with coalesced writes', async () => {
    const user = newUser()
    await h.editor.createOrReplace(entitlement('c1', user, {plan: 'basic'}))
    const inFlight: Array<Promise<unknown>> = []
    for (const key of ['pro', 'basic', 'pro']) {
      inFlight.push(...Array.from({length: 10}, () => h.engine.syncSubjects([user])))
      await h.editor
        .patch('c1')
        .set({plan: content.ref(`plan-${key}`)})
        .commit()
    }
    inFlight.push(h.engine.syncSubjects([user]))
    await Promise.all(inFlight)
    expect(clerkUser(user)?.public_metadata).toEqual({plan: 'pro'})
    expect(patchesTo(user).length).toBeLessThanOrEqual(4)
  })
})

describe('bursts', () => {
  it('coalesces 10 requests each for 20 users into at most 2 runs per user and 1 write per user', async () => {
    const burstUsers = Array.from({length: 20}, () => newUser())
    for (const [i, user] of burstUsers.entries()) {
      await h.editor.createOrReplace(entitlement(`b${i}`, user, {plan: i % 2 ? 'pro' : 'basic'}))
    }
    const clerkBefore = h.clerk.log.length
    const requests = burstUsers.flatMap((user) =>
      Array.from({length: 10}, () => h.engine.syncSubjects([user])),
    )
    const results = (await Promise.all(requests)).flat()
    expect(results.every((r) => r.outcome !== 'failed')).toBe(true)
    const served = h.clerk.log.slice(clerkBefore)
    expect(served.filter((r) => r.method === 'PATCH')).toHaveLength(20)
    expect(served.filter((r) => r.method === 'GET').length).toBeLessThanOrEqual(40)
    for (const [i, user] of burstUsers.entries()) {
      expect(clerkUser(user)?.public_metadata).toEqual({plan: i % 2 ? 'pro' : 'basic'})
    }
  })
})

describe('re-checks', () => {
  const T0 = Date.parse('2026-06-01T12:00:00.000Z')
  let recheckClock = new Date(T0)
  let r: SyncHarness
  beforeAll(async () => {
    r = await startSyncHarness({
      documents: baseContent,
      now: () => recheckClock,
      convergence: {recheckAfterMs: 15_000},
    })
  })
  afterAll(() => r?.close())

  it('re-checks K due subjects with one Clerk list request per kind and ONE GROQ query, as a lone sync would', async () => {
    const K = 12
    const users = Array.from({length: K}, (_, i) => {
      const id = `user_rc${i}x${Date.now().toString(36)}`
      r.clerk.store.createUser({id, first_name: 'Re', last_name: `Check ${i}`})
      return id
    })
    const organizations = ['a', 'b'].map(
      (name) =>
        r.clerk.store.createOrganization({id: `org_rc${name}${Date.now().toString(36)}`, name}).id,
    )
    const subjects = [...users, ...organizations]
    for (const [i, subject] of subjects.entries()) {
      await r.editor.createOrReplace(entitlement(`rc${i}`, subject, {plan: 'pro'}))
    }
    // Each write schedules a re-check of its subject 15 s later.
    expect((await r.engine.syncSubjects(subjects)).map(({outcome}) => outcome)).toEqual(
      subjects.map(() => 'updated'),
    )
    expect(await r.engine.runDueRechecks()).toEqual([])

    // Meanwhile: one user edited behind the proxy's back, one deleted in Clerk.
    const [edited, deleted] = [users[3]!, users[7]!]
    r.clerk.store.updateMetadata(edited, {public_metadata: {plan: 'basic'}}, 'merge')
    r.clerk.store.deleteUser(deleted)
    recheckClock = new Date(T0 + 15_000)
    const clerkBefore = r.clerk.log.length
    const lakeBefore = r.lake.requests.length

    const results = await r.engine.runDueRechecks()
    const served = r.clerk.log.slice(clerkBefore)
    const lakeQueries = r.lake.requests
      .slice(lakeBefore)
      .filter(({route}) => route.startsWith('/data/query'))

    const bySubject = new Map(results.map((result) => [result.subject, result]))
    expect([...bySubject.keys()].sort()).toEqual([...subjects].sort())
    expect(bySubject.get(edited)).toMatchObject({outcome: 'updated', changes: {plan: 'pro'}})
    expect(r.clerk.store.getUser(edited)?.public_metadata).toEqual({plan: 'pro'})
    // Gone from the list answer: what a lone sync says of a user Clerk answers 404 for.
    const [alone] = await r.engine.syncSubjects([deleted])
    expect(bySubject.get(deleted)).toMatchObject({
      outcome: 'failed',
      error: {code: 'subject_not_found', message: alone?.error?.message},
    })
    for (const subject of subjects.filter((s) => s !== edited && s !== deleted)) {
      expect(bySubject.get(subject)?.outcome).toBe('unchanged')
    }
    const reads = served.filter(({method}) => method === 'GET')
    expect(reads.map(({path}) => path).sort()).toEqual(['/v1/organizations', '/v1/users'])
    expect(reads.find(({path}) => path === '/v1/users')?.query.user_id?.sort()).toEqual(
      [...users].sort(),
    )
    expect(served.filter(({method}) => method === 'PATCH').map(({path}) => path)).toEqual([
      `/v1/users/${edited}/metadata`,
    ])
    expect(lakeQueries).toHaveLength(1)
    // The repair is re-checked in turn; the deleted user is not.
    recheckClock = new Date(T0 + 30_000)
    expect(
      (await r.engine.runDueRechecks()).map(({subject, outcome}) => [subject, outcome]),
    ).toEqual([[edited, 'unchanged']])
  })

  it('fails the subjects of a list request Clerk did not answer, and re-checks them again shortly', async () => {
    recheckClock = new Date(T0 + 100_000)
    const users = ['a', 'b', 'c'].map((name) => {
      const id = `user_rf${name}x${Date.now().toString(36)}`
      r.clerk.store.createUser({id, first_name: name})
      return id
    })
    const organization = r.clerk.store.createOrganization({
      id: `org_rf${Date.now().toString(36)}`,
      name: 'Outage',
    }).id
    const subjects = [...users, organization]
    for (const [i, subject] of subjects.entries()) {
      await r.editor.createOrReplace(entitlement(`rf${i}`, subject, {role: 'viewer'}))
    }
    await r.engine.syncSubjects(subjects)
    r.clerk.store.updateMetadata(users[1]!, {public_metadata: {role: 'editor'}}, 'merge')

    recheckClock = new Date(T0 + 115_000)
    r.clerk.faults.add({
      method: 'GET',
      path: '/v1/users',
      times: Number.POSITIVE_INFINITY,
      fault: {type: 'status', status: 503},
    })
    const failed = await r.engine.runDueRechecks()
    expect(failed.map(({subject, outcome, error}) => [subject, outcome, error?.code])).toEqual(
      expect.arrayContaining([
        ...users.map((user) => [user, 'failed', 'clerk_unavailable']),
        [organization, 'unchanged', undefined],
      ]),
    )
    expect(r.clerk.store.getUser(users[1]!)?.public_metadata).toEqual({role: 'editor'})

    // A passing failure is re-checked within 5 s: the outage delays the repair, never loses it.
    r.clerk.faults.clear()
    recheckClock = new Date(T0 + 120_000)
    const retried = await r.engine.runDueRechecks()
    expect(retried.map(({subject, outcome}) => [subject, outcome]).sort()).toEqual(
      users.map((user) => [user, user === users[1] ? 'updated' : 'unchanged']).sort(),
    )
    expect(r.clerk.store.getUser(users[1]!)?.public_metadata).toEqual({role: 'viewer'})
  })
})

describe('subjectsOfDocument', () => {
  it('returns every subject whose entitlements reference a plan', async () => {
    const [a, b] = [newUser(), newUser()]
    await h.editor.createOrReplace(plan('gold', 9))
    await h.editor.createOrReplace(entitlement('p1', a, {plan: 'gold'}))
    await h.editor.createOrReplace(entitlement('p2', b, {plan: 'gold'}))
    expect(await h.engine.subjectsOfDocument('plan-gold')).toEqual([a, b].sort())
    await h.engine.syncChange({documentId: 'plan-gold'})
    await h.editor.patch('plan-gold').set({key: 'platinum'}).commit()
    const results = await h.engine.syncChange({documentId: 'plan-gold'})
    expect(results.every((r) => r.outcome === 'updated')).toBe(true)
    expect(clerkUser(b)?.public_metadata).toEqual({plan: 'platinum'})
  })
})

describe('status', () => {
  it('shows live Clerk state, effective access with sources, drift, size, last sync and organizations', async () => {
    const user = newUser({public_metadata: {plan: 'manual'}})
    const org = h.clerk.store.createOrganization({
      id: `org_s${Date.now().toString(36)}`,
      name: 'Org',
      public_metadata: {plan: 'team'},
    }).id
    h.clerk.store.addMembership({organization_id: org, user_id: user, role: 'org:admin'})
    await h.editor.createOrReplace(entitlement('st1', user, {plan: 'pro', courses: ['intro']}))

    const before = await h.engine.status(user)
    expect(before).toMatchObject({
      subject: user,
      status: 'found',
      user: {id: user, primaryEmail: `${user}@example.com`},
      clerk: {publicMetadata: {plan: 'manual'}},
      effective: {
        metadata: {courseSlugs: ['intro'], plan: 'pro'},
        sources: [{entitlementId: 'st1', active: true}],
      },
      lastSync: null,
      organizations: [{organization: {id: org}, role: 'org:admin', metadata: {plan: 'team'}}],
    })
    expect(before.drift.map((d) => d.key)).toEqual(['courseSlugs', 'plan'])
    expect(before.clerk.privateMetadata).toBeUndefined()

    await h.engine.syncSubjects([user])
    const after = await h.engine.status(user, {includePrivate: true})
    expect(after.drift).toEqual([])
    expect(after.lastSync?.at).toBe(clock.toISOString())
    expect(Object.keys(after.clerk.privateMetadata ?? {})).toEqual([SYNC_STAMP_KEY])
    expect(after.size.bytes).toBeGreaterThan(0)
  })

  it('marks a subject Clerk does not know as deleted', async () => {
    const status = await h.engine.status('user_gone1')
    expect(status.status).toBe('deleted')
  })
})

describe('with a namespace', () => {
  let n: SyncHarness
  beforeAll(async () => {
    n = await startSyncHarness({documents: baseContent, rules: {namespace: 'access'}})
  })
  afterAll(() => n?.close())

  it('writes under publicMetadata.access and removes the whole namespace on revoke', async () => {
    n.clerk.store.createUser({
      id: 'user_ns1',
      first_name: 'N',
      public_metadata: {plan: 'someone-elses'},
    })
    await n.editor.createOrReplace(
      entitlement('ns1', 'user_ns1', {plan: 'pro', courses: ['intro']}),
    )
    await n.engine.syncSubjects(['user_ns1'])
    expect(n.clerk.store.getUser('user_ns1')?.public_metadata).toEqual({
      plan: 'someone-elses',
      access: {courseSlugs: ['intro'], plan: 'pro'},
    })
    await n.editor.delete('ns1')
    const [revoked] = await n.engine.syncSubjects(['user_ns1'])
    expect(revoked?.changes).toEqual({'access.courseSlugs': null, 'access.plan': null})
    expect(n.clerk.store.getUser('user_ns1')?.public_metadata).toEqual({plan: 'someone-elses'})
  })
})
