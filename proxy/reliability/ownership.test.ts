/**
 * Ownership: the plugin writes only what it owns AND has written. Through the whole proxy (the
 * real `@clerk/backend` against the Clerk emulator, the real `@sanity/client` against the local
 * Content Lake), users whose `role`/`plan` were put there by someone else are never written to
 * while the content grants them nothing: not by `POST /sync`, not by a reconcile. Users synced by
 * the previous version (a stamp without a ledger) still lose what that version wrote.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {JsonObject} from '../../emulators/clerk'
import {createLakeClient} from '../../emulators/content-lake'
import {SYNC_STAMP_KEY} from '../../core/access'
import type {ReconcileEvent, SyncResponse} from '../../core/contract'
import {entitlement, startProxyHarness, type ProxyHarness} from '../testing/proxy-harness'

let h: ProxyHarness

beforeAll(async () => {
  h = await startProxyHarness()
})
afterAll(() => h?.close())

const FOREIGN = {role: 'org-admin', plan: 'team', theme: 'dark'}

function userWith(firstName: string, metadata: JsonObject, stamp?: JsonObject) {
  return h.clerk.store.createUser({
    first_name: firstName,
    email_address: [`${firstName.toLowerCase()}@example.test`],
    public_metadata: metadata,
    ...(stamp ? {private_metadata: {[SYNC_STAMP_KEY]: stamp}} : {}),
  }).id
}

const writesTo = (user: string) =>
  h.clerk.log.filter((entry) => entry.method !== 'GET' && entry.path.includes(user))

async function sync(...subjects: string[]) {
  const response = await h.call('/sync', {body: {subjects}})
  expect(response.status).toBe(200)
  return ((await response.json()) as SyncResponse).results
}

async function reconcile(dryRun: boolean): Promise<ReconcileEvent[]> {
  const response = await h.call('/reconcile', {body: {dryRun}})
  expect(response.status).toBe(200)
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReconcileEvent)
}

const driftOf = (events: ReconcileEvent[], subject: string) =>
  events.filter((event) => event.type === 'drift' && event.subject === subject)

describe('a user the plugin never synced', () => {
  it('with foreign role and plan and no entitlement is never written to, by sync or reconcile', async () => {
    const user = userWith('Foreign', FOREIGN)
    const before = structuredClone(h.clerk.store.getUser(user))

    expect(await sync(user)).toEqual([
      expect.objectContaining({subject: user, outcome: 'unchanged', changes: {}}),
    ])
    expect(driftOf(await reconcile(true), user)).toEqual([])
    const applied = await reconcile(false)
    expect(applied.at(-1)).toMatchObject({type: 'done'})
    expect(driftOf(applied, user)).toEqual([])
    const status = (await (await h.call(`/users/${user}`)).json()) as {drift: unknown[]}
    expect(status.drift).toEqual([])

    expect(writesTo(user)).toEqual([])
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual(before?.public_metadata)
    expect(h.clerk.store.getUser(user)?.private_metadata).toEqual(before?.private_metadata)
  })

  it('keeps its foreign role while the plugin grants and later revokes a plan', async () => {
    const user = userWith('Granted', {role: 'org-admin'})
    await h.publish(entitlement('ent-granted', user, {plan: 'plan-pro'}))
    expect(await sync(user)).toEqual([
      expect.objectContaining({outcome: 'updated', changes: {plan: 'pro'}}),
    ])
    const granted = h.clerk.store.getUser(user)
    expect(granted?.public_metadata).toEqual({role: 'org-admin', plan: 'pro'})
    expect(granted?.private_metadata?.[SYNC_STAMP_KEY]).toMatchObject({writtenKeys: ['plan']})

    await createLakeClient(h.lake).delete('ent-granted')
    expect(await sync(user)).toEqual([
      expect.objectContaining({outcome: 'updated', changes: {plan: null}}),
    ])
    const revoked = h.clerk.store.getUser(user)
    expect(revoked?.public_metadata).toEqual({role: 'org-admin'})
    expect(revoked?.private_metadata?.[SYNC_STAMP_KEY]).toMatchObject({writtenKeys: []})

    const writes = writesTo(user).length
    expect(await sync(user)).toEqual([expect.objectContaining({outcome: 'unchanged'})])
    expect(driftOf(await reconcile(false), user)).toEqual([])
    expect(writesTo(user)).toHaveLength(writes)
  })
})

describe('a user the plugin synced', () => {
  it('shows a change made in Clerk to a key the plugin wrote as drift, and repairs it', async () => {
    const user = userWith('Drifted', {})
    await h.publish(entitlement('ent-drifted', user, {plan: 'plan-pro'}))
    await sync(user)
    h.clerk.store.updateMetadata(user, {public_metadata: {plan: 'free'}})
    const status = (await (await h.call(`/users/${user}`, {as: 'viewer'})).json()) as {
      drift: unknown[]
    }
    expect(status.drift).toEqual([{key: 'plan', clerk: 'free', sanity: 'pro'}])
    expect(driftOf(await reconcile(false), user)).toEqual([
      expect.objectContaining({applied: true}),
    ])
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro'})
  })
})

describe('a user synced by the previous version (stamp without a ledger)', () => {
  it('loses every key that version owned once nothing grants them, and then carries a ledger', async () => {
    const legacyStamp = {v: 1, hash: '0123456789abcd', syncedAt: '2026-01-01T00:00:00.000Z'}
    const user = userWith(
      'Legacy',
      {plan: 'pro', role: 'editor', courseSlugs: ['intro'], theme: 'dark'},
      legacyStamp,
    )
    const dry = driftOf(await reconcile(true), user)
    expect(dry).toHaveLength(1)
    expect(await sync(user)).toEqual([
      expect.objectContaining({
        outcome: 'updated',
        changes: {courseSlugs: null, plan: null, role: null},
      }),
    ])
    const after = h.clerk.store.getUser(user)
    expect(after?.public_metadata).toEqual({theme: 'dark'})
    expect(after?.private_metadata?.[SYNC_STAMP_KEY]).toMatchObject({writtenKeys: []})
  })
})
