/**
 * How reconcile reads and writes as the directory grows: Sanity is read one Clerk page at a time
 * (nothing loaded whole), the next page is listed while a page's writes are under way, events
 * still come in page order, and a subject no page listed (the list shifted while paging) is
 * still found and reconciled.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ReconcileEvent} from '../../core/contract'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

const PAGE = 2
let h: SyncHarness

beforeAll(async () => {
  h = await startSyncHarness({
    documents: [content.plan('pro', 5)],
    reconcilePageSize: {clerk: PAGE, sanity: 3},
    convergence: {timer: false},
  })
})
afterAll(() => h?.close())

let runs = 0
/** `count` users in creation order, every one entitled to "pro" and none holding it in Clerk. */
async function population(count: number): Promise<string[]> {
  const run = ++runs
  const users = Array.from({length: count}, (_, i) => `user_pl${run}x${i}`)
  const transaction = h.editor.transaction()
  for (const user of users)
    transaction.createOrReplace(content.entitlement(`ent-${user}`, user, {plan: 'pro'}))
  await transaction.commit()
  users.forEach((id, i) =>
    h.clerk.store.createUser({id, created_at: 1_800_000_000_000 + run * 1000 + i}),
  )
  return users
}

/** Removes the users and their entitlements, so the next test starts from none. */
async function removeAll(users: string[]) {
  const transaction = h.editor.transaction()
  for (const user of users) {
    if (h.clerk.store.getUser(user)) h.clerk.store.deleteUser(user)
    transaction.delete(`ent-${user}`)
  }
  await transaction.commit()
}

async function reconcile(): Promise<ReconcileEvent[]> {
  const events: ReconcileEvent[] = []
  for await (const event of h.engine.reconcile({dryRun: false, kinds: ['user']})) events.push(event)
  return events
}

/** Every `GET /v1/users` (pages, and lists by id; not the count) answered `ms` late. */
function slowUserPages(harness: SyncHarness, ms: number) {
  return harness.clerk.faults.add({
    method: 'GET',
    path: '/v1/users',
    times: Infinity,
    fault: {type: 'delay', ms},
  })
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('reconcile, page by page', () => {
  it("reads Sanity for one Clerk page at a time: each query names only that page's users", async () => {
    const users = await population(5)
    h.clerk.clearLog()
    const lakeBefore = h.lake.requests.length
    const events = await reconcile()
    expect(events.at(-1)).toEqual({type: 'done', scanned: 5, drifted: 5, written: 5, failed: 0})
    const queries = h.lake.requests
      .slice(lakeBefore)
      .filter((r) => r.route.startsWith('/data/query'))
    // No page of whole entitlements (what a snapshot of the dataset would read).
    expect(queries.filter((r) => r.tag === 'clerk-sync.reconcile')).toEqual([])
    const named = queries
      .filter((r) => r.tag === 'clerk-sync.subject')
      .map(
        (r) => JSON.parse(new URL(r.url, 'http://lake').searchParams.get('$subjects')!) as string[],
      )
    // 3 pages (2, 2, 1 users): per page one read and one fresh read of its drifted users.
    expect(named).toHaveLength(6)
    for (const subjects of named) expect(subjects.length).toBeLessThanOrEqual(PAGE)
    expect(new Set(named.flat())).toEqual(new Set(users))
    await removeAll(users)
  })

  it("lists the next page while a page's write is under way, and still reports in page order", async () => {
    const users = await population(4)
    // Oldest first: the first page is users 0 and 1; user 0's write is slow.
    const slowWrite = h.clerk.faults.add({
      method: 'PATCH',
      path: `/v1/users/${users[0]}/metadata`,
      fault: {type: 'delay', ms: 1000},
    })
    h.clerk.clearLog()
    const events = await reconcile()
    expect(slowWrite.hits).toBe(1)
    const answered = h.clerk.log.map((r) => `${r.method} ${r.path}?${r.query.offset?.[0] ?? ''}`)
    // The last page was listed (and answered) before the first page's slow write answered.
    expect(answered.indexOf('GET /v1/users?2')).toBeLessThan(
      answered.indexOf(`PATCH /v1/users/${users[0]}/metadata?`),
    )
    const reported = events.flatMap((e) =>
      e.type === 'drift' ? [e.subject] : e.type === 'progress' ? [`scanned ${e.scanned}`] : [],
    )
    expect(reported).toEqual([
      users[0],
      users[1],
      'scanned 2',
      users[2],
      users[3],
      'scanned 4',
      'scanned 4',
    ])
    expect(events.at(-1)).toEqual({type: 'done', scanned: 4, drifted: 4, written: 4, failed: 0})
    for (const user of users)
      expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
    await removeAll(users)
  })

  it('asks for the pages after the first at once, as many as the count says and no more', async () => {
    const users = await population(9)
    const slowPages = slowUserPages(h, 400)
    h.clerk.clearLog()
    const events = await reconcile()
    slowPages.remove()
    expect(events.at(-1)).toEqual({type: 'done', scanned: 9, drifted: 9, written: 9, failed: 0})
    const listed = h.clerk.log.filter((r) => r.path === '/v1/users' && !r.query.user_id)
    const arrived = new Map(listed.map((r) => [Number(r.query.offset?.[0] ?? 0), r.receivedAt]))
    // 9 users in pages of 2: offsets 0 to 8, and none past the count.
    expect([...arrived.keys()].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8])
    expect(h.clerk.log.filter((r) => r.path === '/v1/users/count')).toHaveLength(1)
    // Pages 2 to 8 (four listed ahead) went out before the first of them was answered; one
    // after another, each would have waited for the one before it.
    const offsets = [2, 4, 6, 8].map((offset) => arrived.get(offset)!)
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeLessThan(400)
    await removeAll(users)
  })

  it("reads the subject ids of entitlements beside Clerk's pages, not after them", async () => {
    const users = await population(6)
    const slowPages = slowUserPages(h, 300)
    const lakeBefore = h.lake.requests.length
    h.clerk.clearLog()
    const events = await reconcile()
    slowPages.remove()
    expect(events.at(-1)).toEqual({type: 'done', scanned: 6, drifted: 6, written: 6, failed: 0})
    const lastPageAsked = Math.max(
      ...h.clerk.log.filter((r) => r.path === '/v1/users').map((r) => r.receivedAt),
    )
    const subjectReads = h.lake.requests
      .slice(lakeBefore)
      .filter((r) => r.tag === 'clerk-sync.subjects')
      .map((r) => Date.parse(r.time))
    // Every page of subject ids (3 per query: 2 pages and the empty one) was read while the
    // last Clerk page was still on its way.
    expect(subjectReads).toHaveLength(3)
    for (const readAt of subjectReads) expect(readAt).toBeLessThan(lastPageAsked + 300)
    await removeAll(users)
  })

  it('stopped while it reads beside the pages, it says it was stopped', async () => {
    const users = await population(6)
    // Slow queries and pages: the stop comes while the read beside the pages is on its way.
    h.lake.faults.add({route: /^\/data\/query\//, delayMs: 300})
    const slowPages = slowUserPages(h, 200)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const events: ReconcileEvent[] = []
    const pass = h.engine.reconcile({dryRun: false, kinds: ['user'], signal: controller.signal})
    for await (const event of pass) events.push(event)
    h.lake.faults.clear()
    slowPages.remove()
    expect(events.at(-1)).toMatchObject({type: 'error', error: {code: 'aborted'}})
    await removeAll(users)
  })

  it('finds and reconciles a user the list skipped because it shifted while paging', async () => {
    const users = await population(4)
    // User 0 is in sync, so nothing writes it while it is deleted below.
    h.clerk.store.updateMetadata(users[0]!, {public_metadata: {plan: 'pro'}})
    const slowPages = h.clerk.faults.add({
      method: 'GET',
      path: '/v1/users',
      times: 2,
      fault: {type: 'delay', ms: 1000},
    })
    const running = reconcile()
    // Oldest first: the first page was users 0 and 1, the second (offset 2) is being asked for.
    // User 0 is deleted now, which shifts the rest by one: the page answers user 3 only, and
    // user 2 is on no page.
    await until(() => slowPages.hits === 2)
    h.clerk.store.deleteUser(users[0]!)
    const events = await running
    const reported = Object.fromEntries(
      events.flatMap((e) => (e.type === 'drift' ? [[e.subject, e]] : [])),
    )
    expect(reported[users[2]!]).toMatchObject({applied: true})
    expect(reported[users[2]!]?.error).toBeUndefined()
    expect(h.clerk.store.getUser(users[2]!)?.public_metadata).toEqual({plan: 'pro'})
    expect(Object.keys(reported).sort()).toEqual([users[1], users[2], users[3]].sort())
    // Users 0 (listed before its deletion), 1, 3 and 2 (looked up on its own).
    expect(events.at(-1)).toEqual({type: 'done', scanned: 4, drifted: 3, written: 3, failed: 0})
    await removeAll(users)
  })
})

describe('reconcile, holding few subject ids while paging', () => {
  let held: SyncHarness
  beforeAll(async () => {
    held = await startSyncHarness({
      documents: [content.plan('pro', 5)],
      reconcilePageSize: {clerk: PAGE, sanity: 3, heldWhilePaging: 2},
      convergence: {timer: false},
    })
  })
  afterAll(() => held?.close())

  it('reads no further while it holds its limit, and still finds what no page listed', async () => {
    const users = Array.from({length: 6}, (_, i) => `user_hd${i}`)
    const transaction = held.editor.transaction()
    for (const user of [...users, 'user_hdgone'])
      transaction.createOrReplace(content.entitlement(`ent-${user}`, user, {plan: 'pro'}))
    await transaction.commit()
    users.forEach((id, i) => held.clerk.store.createUser({id, created_at: 1_900_000_000_000 + i}))
    slowUserPages(held, 300)
    const lakeBefore = held.lake.requests.length
    let firstSettled = Infinity
    const events: ReconcileEvent[] = []
    for await (const event of held.engine.reconcile({dryRun: false, kinds: ['user']})) {
      if (event.type === 'progress') firstSettled = Math.min(firstSettled, Date.now())
      events.push(event)
    }
    const subjectReads = held.lake.requests
      .slice(lakeBefore)
      .filter((r) => r.tag === 'clerk-sync.subjects')
      .map((r) => Date.parse(r.time))
    // The first page of ids (3, none seen yet) is over the limit of 2: nothing more is read
    // until a Clerk page settles.
    expect(subjectReads.filter((readAt) => readAt < firstSettled)).toHaveLength(1)
    expect(subjectReads.length).toBeGreaterThan(1)
    const gone = events.find((e) => e.type === 'drift' && e.subject === 'user_hdgone')
    expect(gone).toMatchObject({applied: false, error: {code: 'subject_not_found'}})
    expect(events.at(-1)).toEqual({type: 'done', scanned: 6, drifted: 7, written: 6, failed: 1})
    for (const user of users)
      expect(held.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
  })
})
