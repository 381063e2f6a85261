import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {JsonObject} from '../../emulators/clerk'
import {SYNC_STAMP_KEY} from '../../core/access'
import type {ReconcileEvent} from '../../core/contract'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

const {entitlement, plan} = content
let h: SyncHarness
const users = Array.from({length: 12}, (_, i) => `user_rc${i}`)
const subject = (i: number) => users[i] ?? 'user_none'

beforeAll(async () => {
  h = await startSyncHarness({
    documents: [
      plan('pro', 5),
      ...[0, 1, 2, 3, 4, 5].map((i) => entitlement(`ent-${i}`, subject(i), {plan: 'pro'})),
      entitlement('ent-expired', subject(7), {plan: 'pro', validUntil: '2020-01-01T00:00:00Z'}),
      entitlement('ent-ghost', 'user_ghost', {plan: 'pro'}),
      entitlement('ent-org', 'org_rc1', {plan: 'pro'}),
    ],
    reconcilePageSize: {clerk: 5, sanity: 4},
  })
  users.forEach((id, i) => {
    const synced: JsonObject = i <= 2 ? {plan: 'pro'} : i === 6 ? {plan: 'old', theme: 'kept'} : {}
    h.clerk.store.createUser({
      id,
      first_name: `U${i}`,
      created_at: 1_700_000_000_000 + i,
      public_metadata: synced,
      // user_rc6's plan was written by the plugin (its stamp says so), so reconcile may remove it.
      ...(i === 6
        ? {private_metadata: {[SYNC_STAMP_KEY]: {v: 1, hash: 'old', syncedAt: 'then'}}}
        : {}),
    })
  })
  h.clerk.store.createOrganization({id: 'org_rc1', name: 'Reconciled'})
  h.clerk.store.createOrganization({id: 'org_rc2', name: 'Untouched'})
})
afterAll(() => h?.close())

async function collect(events: AsyncIterable<ReconcileEvent>): Promise<ReconcileEvent[]> {
  const all: ReconcileEvent[] = []
  for await (const event of events) all.push(event)
  return all
}
const drifts = (events: ReconcileEvent[]) =>
  events
    .flatMap((e) => (e.type === 'drift' ? [e] : []))
    .sort((a, b) => a.subject.localeCompare(b.subject))

describe('reconcile', () => {
  it('reports drift without writing on a dry run', async () => {
    h.clerk.clearLog()
    const events = await collect(h.engine.reconcile({dryRun: true}))
    expect(events[0]).toEqual({type: 'start', dryRun: true})
    expect(drifts(events).map((d) => [d.subject, d.applied, d.error?.code ?? null])).toEqual([
      ['org_rc1', false, null],
      ['user_ghost', false, 'subject_not_found'],
      ['user_rc3', false, null],
      ['user_rc4', false, null],
      ['user_rc5', false, null],
      ['user_rc6', false, null],
    ])
    expect(drifts(events).find((d) => d.subject === 'user_rc6')?.drift).toEqual([
      {key: 'plan', clerk: 'old', sanity: null},
    ])
    expect(events.at(-1)).toEqual({type: 'done', scanned: 14, drifted: 6, written: 0, failed: 1})
    expect(h.clerk.log.filter((r) => r.method !== 'GET')).toHaveLength(0)
  })

  it('names each drifted subject as Clerk has it, from the records it already read', async () => {
    h.clerk.clearLog()
    const events = await collect(h.engine.reconcile({dryRun: true}))
    const named = Object.fromEntries(drifts(events).map((d) => [d.subject, [d.name, d.email]]))
    expect(named.user_rc3?.[0]).toBe('U3')
    expect(named.org_rc1).toEqual(['Reconciled', null])
    // Clerk has no record of the ghost: nothing to name it by.
    expect(named.user_ghost).toEqual([undefined, undefined])
    // Names cost no extra Clerk reads: only the pages (and the ghost's look-up).
    expect(
      h.clerk.log.filter(
        (r) => r.route === 'GET /users/:userId' || r.route === 'GET /organizations/:organizationId',
      ),
    ).toHaveLength(1)
  })

  it('writes only drifted subjects: Clerk requests = pages + drifted writes (+ one look-up per missing subject)', async () => {
    h.clerk.clearLog()
    const lakeBefore = h.lake.requests.length
    const events = await collect(h.engine.reconcile({dryRun: false}))
    expect(events.at(-1)).toEqual({type: 'done', scanned: 14, drifted: 6, written: 5, failed: 1})
    const requests = h.clerk.log.map((r) => `${r.method} ${r.path}`)
    expect(requests.filter((r) => r === 'GET /v1/users')).toHaveLength(Math.ceil(12 / 5))
    // A full first page of users: one count says how many pages to ask for at once.
    expect(requests.filter((r) => r === 'GET /v1/users/count')).toHaveLength(1)
    expect(requests.filter((r) => r === 'GET /v1/organizations')).toHaveLength(1)
    expect(requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(5)
    expect(requests.filter((r) => /^GET \/v1\/users\/user_/.test(r))).toEqual([
      'GET /v1/users/user_ghost',
    ])
    expect(requests).toHaveLength(3 + 1 + 1 + 5 + 1)
    // Per Clerk page ONE query for its entitlements (3 pages of users, 1 of organizations), and
    // one fresh query under the leases per page with drift (users 0–4: rc3, rc4; users 5–9: rc5,
    // rc6; the organizations page: org_rc1); then the subject ids of entitlements, 4 per page
    // (8 naming users: 2 full pages and an empty one; 1 naming an organization), and one query
    // for the entitlements of the subjects no page listed (user_ghost). Nothing is loaded whole.
    const queries = h.lake.requests
      .slice(lakeBefore)
      .filter((r) => r.route.startsWith('/data/query'))
      .map((r) => r.tag)
    expect(queries.filter((tag) => tag === 'clerk-sync.subject')).toHaveLength(4 + 3 + 1)
    expect(queries.filter((tag) => tag === 'clerk-sync.subjects')).toHaveLength(3 + 1)
    expect(queries).toHaveLength(12)

    expect(h.clerk.store.getUser('user_rc4')?.public_metadata).toEqual({plan: 'pro'})
    expect(h.clerk.store.getUser('user_rc6')?.public_metadata).toEqual({theme: 'kept'})
    expect(h.clerk.store.getOrganization('org_rc1')?.public_metadata).toEqual({plan: 'pro'})
    expect(
      events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.kind),
    ).toContain('organization')

    const again = await collect(h.engine.reconcile({dryRun: false}))
    expect(again.at(-1)).toEqual({type: 'done', scanned: 14, drifted: 1, written: 0, failed: 1})
  })

  it('limits the scan to the requested kinds', async () => {
    h.clerk.clearLog()
    const events = await collect(h.engine.reconcile({dryRun: true, kinds: ['organization']}))
    expect(events.at(-1)).toMatchObject({type: 'done', scanned: 2})
    expect(h.clerk.log.map((r) => r.path)).toEqual(['/v1/organizations'])
  })

  it('stops when aborted and says so', async () => {
    const controller = new AbortController()
    controller.abort()
    const events = await collect(h.engine.reconcile({dryRun: false, signal: controller.signal}))
    expect(events.at(-1)).toMatchObject({type: 'error', error: {code: 'aborted'}})
  })

  it('ends with an error event when Clerk stays unavailable', async () => {
    h.clerk.faults.add({path: '/v1/users', times: 10, fault: {type: 'status', status: 503}})
    const events = await collect(h.engine.reconcile({dryRun: true}))
    h.clerk.faults.clear()
    expect(events.at(-1)).toMatchObject({type: 'error', error: {code: 'clerk_unavailable'}})
  })
})
