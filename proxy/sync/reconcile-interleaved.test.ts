/**
 * A reconcile page is read before the subjects' leases are taken, so another instance may write a
 * subject in between. The write the reconcile then makes must start from Clerk as it is, not as the
 * page showed it: a diff of the page would leave access the other write granted in place, and its
 * ownership ledger would forget that key, so no later sync could ever remove it.
 */
import {afterAll, beforeAll, expect, it} from 'vitest'
import {createLakeClient} from '../../emulators/content-lake'
import type {ReconcileEvent} from '../../core/contract'
import {readSyncStamp} from '../../core/access'
import {createMemoryStore, type ProxyStore} from '../store'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'
import {createSyncEngine, type SyncEngine} from './engine'

const {entitlement, plan, role, course} = content
const shared = createMemoryStore()
/** Runs once, when the reconciling instance is about to take a lease on `subject:user_raced`. */
let beforeRacedLease: (() => Promise<void>) | null = null
const reconcilingStore: ProxyStore = {
  ...shared,
  async acquireLease(name, ttlMs) {
    if (name === 'subject:user_raced' && beforeRacedLease) {
      const interleave = beforeRacedLease
      beforeRacedLease = null
      await interleave()
    }
    return shared.acquireLease(name, ttlMs)
  },
}
let h: SyncHarness
let other: SyncEngine

beforeAll(async () => {
  h = await startSyncHarness({
    documents: [
      plan('basic', 1),
      plan('pro', 5),
      role('editor', 3),
      course('intro'),
      course('ops'),
      entitlement('ent-raced', 'user_raced', {plan: 'pro', role: 'editor'}),
      entitlement('ent-quiet', 'user_quiet', {plan: 'pro'}),
    ],
    store: reconcilingStore,
  })
  for (const id of ['user_raced', 'user_quiet']) h.clerk.store.createUser({id, first_name: id})
  // Another proxy instance: same Clerk, same lake, same shared store, its own process state.
  other = createSyncEngine({
    clerk: h.gateway,
    sanity: createLakeClient(h.lake, 'viewer'),
    store: shared,
    convergence: {timer: false},
    logger: {info: () => undefined, warn: () => undefined, error: () => undefined},
  })
})
afterAll(() => h?.close())

async function reconcile(): Promise<ReconcileEvent[]> {
  const events: ReconcileEvent[] = []
  for await (const event of h.engine.reconcile({dryRun: false})) events.push(event)
  return events
}

it('re-reads a subject another instance wrote after the page was read, and only that one', async () => {
  // Both in sync, written by the plugin (stamped), then the content moves on with no webhook.
  await other.syncSubjects(['user_raced', 'user_quiet'])
  await h.editor.createOrReplace(
    entitlement('ent-raced', 'user_raced', {plan: 'basic', courses: ['intro', 'ops']}),
  )
  await h.editor.createOrReplace(entitlement('ent-quiet', 'user_quiet', {plan: 'basic'}))
  // The reconcile pages both, sees both drift, and goes for their leases. Just then a webhook
  // on the other instance syncs user_raced (courses granted), and an editor deletes the grant.
  beforeRacedLease = async () => {
    const [synced] = await other.syncSubjects(['user_raced'])
    expect(synced?.outcome).toBe('updated')
    expect(h.clerk.store.getUser('user_raced')?.public_metadata).toEqual({
      plan: 'basic',
      courseSlugs: ['intro', 'ops'],
    })
    await h.editor.delete('ent-raced')
  }
  h.clerk.clearLog()
  const events = await reconcile()
  expect(beforeRacedLease).toBeNull()
  expect(events.at(-1)).toMatchObject({type: 'done', drifted: 2, failed: 0})

  // Nothing grants user_raced anything now: every key the plugin wrote is gone, none forgotten.
  const raced = h.clerk.store.getUser('user_raced')!
  expect(raced.public_metadata).toEqual({})
  expect(readSyncStamp(raced.private_metadata)?.writtenKeys).toEqual([])
  expect(h.clerk.store.getUser('user_quiet')?.public_metadata).toEqual({plan: 'basic'})
  // user_raced is read twice: by the other instance's sync, then again by the reconcile. The
  // subject nobody touched is written from its page, with no read of its own.
  const byId = h.clerk.log.filter((entry) => entry.route === 'GET /users/:userId')
  expect(byId.map((entry) => entry.path)).toEqual(['/v1/users/user_raced', '/v1/users/user_raced'])
})
