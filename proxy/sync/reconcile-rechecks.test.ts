/**
 * A reconcile pass's writes are re-checked after the pass, together: while it runs, Clerk's rate
 * limit goes to the pass (pages and writes), not to reads of subjects it has just written.
 */
import {afterAll, beforeAll, expect, it} from 'vitest'
import type {ReconcileEvent} from '../../core/contract'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

const USERS = 6
let h: SyncHarness

beforeAll(async () => {
  h = await startSyncHarness({
    documents: [content.plan('pro', 5)],
    reconcilePageSize: {clerk: 2},
    // Due at once: a timer armed by a write would fire within about a second, mid-pass.
    convergence: {recheckAfterMs: 0, timer: true},
  })
})
afterAll(() => h?.close())

it('re-checks what a reconcile wrote once it ends, one Clerk list request for all of them', async () => {
  const users = Array.from({length: USERS}, (_, i) => `user_rr${i}`)
  const transaction = h.editor.transaction()
  for (const user of users)
    transaction.createOrReplace(content.entitlement(`ent-${user}`, user, {plan: 'pro'}))
  await transaction.commit()
  users.forEach((id, i) => h.clerk.store.createUser({id, created_at: 1_800_000_000_000 + i}))
  // Four pages of half a second each: the pass outlasts the first write by well over a second.
  h.clerk.faults.add({method: 'GET', path: '/v1/users', times: 4, fault: {type: 'delay', ms: 500}})
  h.clerk.clearLog()

  const events: ReconcileEvent[] = []
  for await (const event of h.engine.reconcile({dryRun: false, kinds: ['user']})) events.push(event)
  expect(events.at(-1)).toEqual({type: 'done', scanned: 6, drifted: 6, written: 6, failed: 0})
  const rechecks = () => h.clerk.log.filter((r) => r.path === '/v1/users' && r.query.user_id)
  const byId = () => h.clerk.log.filter((r) => r.route === 'GET /users/:userId')
  expect(rechecks()).toEqual([])
  expect(byId()).toEqual([])

  for (let i = 0; i < 100 && rechecks().length === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 20))
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(rechecks()).toHaveLength(1)
  expect([...(rechecks()[0]!.query.user_id ?? [])].sort()).toEqual(users)
  expect(byId()).toEqual([])
})
