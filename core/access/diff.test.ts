import {describe, expect, it} from 'vitest'
import {
  SYNC_STAMP_KEY,
  applyMergePatch,
  applyMetadataPatch,
  changesOf,
  diffAccess,
  isEmptyPatch,
  ownedPublicMetadata,
  readSyncStamp,
  writtenKeysOf,
} from './diff'
import {resolveAccessRules} from './rules'

const rules = resolveAccessRules()
const namespaced = resolveAccessRules({namespace: 'access'})
const stamp = {v: 1, hash: 'abc', syncedAt: '2026-06-01T00:00:00.000Z'}
/** A stamp as the plugin wrote it before the ownership ledger existed. */
const legacyStamp = {v: 1, hash: 'old', syncedAt: '2026-01-01T00:00:00.000Z'}
const stamped = (writtenKeys?: string[]) => ({
  [SYNC_STAMP_KEY]: writtenKeys ? {...legacyStamp, writtenKeys} : legacyStamp,
})

describe('diffAccess', () => {
  it('writes changed keys, nulls removed ones and never mentions keys owned by others', () => {
    const current = {
      publicMetadata: {plan: 'basic', role: 'editor', theme: 'dark', onboarding: {done: true}},
      privateMetadata: stamped(['plan', 'role']),
    }
    const {patch, drift} = diffAccess(current, {courseSlugs: ['a'], plan: 'pro'}, rules, {stamp})
    expect(patch).toEqual({
      publicMetadata: {courseSlugs: ['a'], plan: 'pro', role: null},
      privateMetadata: {[SYNC_STAMP_KEY]: {...stamp, writtenKeys: ['courseSlugs', 'plan']}},
    })
    expect(drift).toEqual([
      {key: 'courseSlugs', clerk: null, sanity: ['a']},
      {key: 'plan', clerk: 'basic', sanity: 'pro'},
      {key: 'role', clerk: 'editor', sanity: null},
    ])
    expect(changesOf(drift)).toEqual({courseSlugs: ['a'], plan: 'pro', role: null})
    const after = applyMetadataPatch(current, patch)
    expect(after.publicMetadata).toEqual({
      plan: 'pro',
      courseSlugs: ['a'],
      theme: 'dark',
      onboarding: {done: true},
    })
  })

  it('sends nothing at all when the owned keys already match', () => {
    const {patch, drift} = diffAccess(
      {publicMetadata: {plan: 'pro', other: 1}},
      {plan: 'pro'},
      rules,
      {stamp},
    )
    expect(drift).toEqual([])
    expect(isEmptyPatch(patch)).toBe(true)
  })

  it('treats a differently ordered slug list as drift so Clerk converges to the canonical form', () => {
    const {drift} = diffAccess(
      {publicMetadata: {courseSlugs: ['b', 'a']}},
      {courseSlugs: ['a', 'b']},
      rules,
    )
    expect(drift).toHaveLength(1)
  })

  it('tolerates missing metadata objects', () => {
    const {patch} = diffAccess({publicMetadata: null}, {plan: 'pro'}, rules)
    expect(patch).toEqual({publicMetadata: {plan: 'pro'}})
  })

  describe('with a namespace', () => {
    it('patches inside the namespace and removes unknown keys there, leaving the rest alone', () => {
      const current = {
        publicMetadata: {
          plan: 'top-level-owned-by-someone-else',
          access: {plan: 'basic', legacy: true},
        },
        privateMetadata: stamped(),
      }
      const {patch, drift} = diffAccess(current, {plan: 'pro'}, namespaced)
      expect(patch).toEqual({publicMetadata: {access: {legacy: null, plan: 'pro'}}})
      expect(drift.map((d) => d.key)).toEqual(['access.legacy', 'access.plan'])
      expect(applyMetadataPatch(current, patch).publicMetadata).toEqual({
        plan: 'top-level-owned-by-someone-else',
        access: {plan: 'pro'},
      })
    })

    it('removes the whole namespace when nothing is granted', () => {
      const {patch} = diffAccess(
        {publicMetadata: {access: {plan: 'pro'}, x: 1}, privateMetadata: stamped(['plan'])},
        {},
        namespaced,
      )
      expect(patch).toEqual({publicMetadata: {access: null}})
    })

    it('replaces a non-object squatting on the namespace', () => {
      const {patch, drift} = diffAccess(
        {publicMetadata: {access: 'yes'}},
        {plan: 'pro'},
        namespaced,
      )
      expect(patch).toEqual({publicMetadata: {access: {plan: 'pro'}}})
      expect(drift[0]).toEqual({key: 'access', clerk: 'yes', sanity: {plan: 'pro'}})
    })

    it('reads owned keys from the namespace only', () => {
      expect(ownedPublicMetadata({plan: 'x', access: {role: 'y'}}, namespaced)).toEqual({role: 'y'})
      expect(ownedPublicMetadata({plan: 'x', theme: 'd', access: {role: 'y'}}, rules)).toEqual({
        plan: 'x',
      })
    })
  })
})

describe('the ownership ledger', () => {
  const foreign = {role: 'org:admin', plan: 'team', theme: 'dark'}

  it('never writes to a subject the plugin never synced when nothing is granted', () => {
    const {patch, drift} = diffAccess({publicMetadata: foreign}, {}, rules, {stamp})
    expect(drift).toEqual([])
    expect(isEmptyPatch(patch)).toBe(true)
    const inNamespace = {publicMetadata: {access: {role: 'x'}}, privateMetadata: {}}
    expect(isEmptyPatch(diffAccess(inNamespace, {}, namespaced, {stamp}).patch)).toBe(true)
    const squatted = {publicMetadata: {access: 'someone else'}}
    expect(diffAccess(squatted, {}, namespaced, {stamp}).drift).toEqual([])
  })

  it('writes what is granted, records it, and leaves keys it did not write alone', () => {
    const {patch} = diffAccess({publicMetadata: foreign}, {plan: 'pro'}, rules, {stamp})
    expect(patch).toEqual({
      publicMetadata: {plan: 'pro'},
      privateMetadata: {[SYNC_STAMP_KEY]: {...stamp, writtenKeys: ['plan']}},
    })
    const after = applyMetadataPatch({publicMetadata: foreign}, patch)
    expect(after.publicMetadata).toEqual({...foreign, plan: 'pro'})

    const revoked = diffAccess(after, {}, rules, {stamp})
    expect(revoked.patch).toEqual({
      publicMetadata: {plan: null},
      privateMetadata: {[SYNC_STAMP_KEY]: {...stamp, writtenKeys: []}},
    })
    const final = applyMetadataPatch(after, revoked.patch)
    expect(final.publicMetadata).toEqual({role: 'org:admin', theme: 'dark'})
    expect(isEmptyPatch(diffAccess(final, {}, rules, {stamp}).patch)).toBe(true)
  })

  it('inside a namespace, removes only the keys it wrote and keeps the namespace for the rest', () => {
    const current = {
      publicMetadata: {access: {plan: 'pro', badge: 'gold'}},
      privateMetadata: stamped(['plan']),
    }
    const {patch} = diffAccess(current, {}, namespaced, {stamp})
    expect(patch.publicMetadata).toEqual({access: {plan: null}})
    expect(applyMetadataPatch(current, patch).publicMetadata).toEqual({access: {badge: 'gold'}})
  })

  it('drops keys someone else removed from the ledger on the next write, keeps unconfigured ones', () => {
    const current = {
      publicMetadata: {courseSlugs: ['a']},
      privateMetadata: stamped(['plan', 'courseSlugs', 'lessonSlugs']),
    }
    const {patch} = diffAccess(current, {role: 'editor', courseSlugs: ['a']}, rules, {stamp})
    expect(patch.privateMetadata?.[SYNC_STAMP_KEY]).toMatchObject({
      writtenKeys: ['courseSlugs', 'lessonSlugs', 'role'],
    })
  })

  it('migrates stamps without a ledger: they prove ownership of every configured key', () => {
    expect([...writtenKeysOf({privateMetadata: stamped()}, rules)].sort()).toEqual([
      'courseSlugs',
      'plan',
      'role',
    ])
    expect(
      [
        ...writtenKeysOf(
          {publicMetadata: {access: {legacy: 1}}, privateMetadata: stamped()},
          namespaced,
        ),
      ].sort(),
    ).toEqual(['courseSlugs', 'legacy', 'plan', 'role'])
    expect(writtenKeysOf({publicMetadata: foreign}, rules).size).toBe(0)
    const malformed = {[SYNC_STAMP_KEY]: {...legacyStamp, writtenKeys: 'plan'}}
    expect(writtenKeysOf({privateMetadata: malformed}, rules).size).toBe(0)
  })
})

describe('applyMergePatch', () => {
  it('merges objects deeply, deletes with null and replaces arrays and scalars', () => {
    expect(
      applyMergePatch(
        {a: {b: 1, c: 2}, list: [1, 2], gone: 1, keep: 'x'},
        {a: {b: null, d: 3}, list: [3], gone: null},
      ),
    ).toEqual({a: {c: 2, d: 3}, list: [3], keep: 'x'})
  })

  it('does not mutate its input', () => {
    const target = {a: {b: 1}}
    applyMergePatch(target, {a: {b: 2}})
    expect(target).toEqual({a: {b: 1}})
  })
})

describe('readSyncStamp', () => {
  it('returns a well-formed stamp and null otherwise', () => {
    expect(readSyncStamp({[SYNC_STAMP_KEY]: stamp, other: 1})).toEqual(stamp)
    expect(readSyncStamp({[SYNC_STAMP_KEY]: {v: '1', hash: 'x', syncedAt: 'y'}})).toBeNull()
    expect(readSyncStamp(undefined)).toBeNull()
    expect(readSyncStamp(stamped(['plan', 3 as unknown as string]))).toEqual({
      ...legacyStamp,
      writtenKeys: ['plan'],
    })
  })

  it('keeps a lease fence only when it is a whole number', () => {
    const withFence = (fence: unknown) => readSyncStamp({[SYNC_STAMP_KEY]: {...stamp, fence}})
    expect(withFence(1_764_470_000_000_001)).toEqual({...stamp, fence: 1_764_470_000_000_001})
    expect(withFence('7')).toEqual(stamp)
    expect(withFence(1.5)).toEqual(stamp)
  })
})
