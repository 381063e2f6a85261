import {afterAll, beforeAll, expect, it} from 'vitest'
import type {ReconcileEvent} from '../../core/contract'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

let h: SyncHarness
const PAGE = 2

beforeAll(async () => {
  h = await startSyncHarness({
    documents: [content.plan('pro', 5), content.entitlement('ent-org', 'org_rp1', {plan: 'pro'})],
    reconcilePageSize: {clerk: PAGE},
  })
  // Exactly two full pages of each kind.
  for (let i = 0; i < 2 * PAGE; i++) {
    h.clerk.store.createUser({id: `user_rp${i}`, created_at: 1_700_000_000_000 + i})
    h.clerk.store.createOrganization({
      id: `org_rp${i}`,
      name: `Paged ${i}`,
      created_at: 1_700_000_000_000 + i,
    })
  }
})
afterAll(() => h?.close())

it("ends each scan at the list's length: no empty page after a full last one", async () => {
  h.clerk.clearLog()
  const events: ReconcileEvent[] = []
  for await (const event of h.engine.reconcile({dryRun: true})) events.push(event)

  expect(events.at(-1)).toMatchObject({type: 'done', scanned: 4 * PAGE})
  const lists = (path: string) =>
    h.clerk.log.filter((request) => request.method === 'GET' && request.path === path).length
  // Organizations carry total_count; GET /v1/users answers a bare array, so after a full first
  // page one count says how many pages there are (and lets them be asked for at once).
  expect(lists('/v1/organizations')).toBe(2)
  expect(lists('/v1/users')).toBe(2)
  expect(lists('/v1/users/count')).toBe(1)
})
