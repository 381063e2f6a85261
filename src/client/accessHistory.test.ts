import type {SanityClient} from 'sanity'

import {resolveAccessRules} from '../../core/access'
import {createLakeClient} from '../../emulators/content-lake/client'
import {startContentLake, type ContentLake} from '../../emulators/content-lake/server'
import {loadAccessHistory} from './accessHistory'

const rules = resolveAccessRules({grantableTypes: [{type: 'course'}]})
const ref = (id: string) => ({_type: 'reference', _ref: id})

let lake: ContentLake
let editor: SanityClient
let admin: SanityClient

beforeAll(async () => {
  lake = await startContentLake({
    projectId: 'history',
    dataset: 'test',
    documents: [
      {_id: 'plan-pro', _type: 'clerkPlan', key: 'pro', title: 'Pro', rank: 20},
      {
        _id: 'course-a11y',
        _type: 'course',
        title: 'Accessible Interfaces',
        slug: {_type: 'slug', current: 'accessibility'},
      },
    ],
  })
  editor = createLakeClient(lake, 'editor') as unknown as SanityClient
  admin = createLakeClient(lake, 'administrator') as unknown as SanityClient
  // Eddie grants Alan Pro, adds a course, renames it (no access change), then Ada reassigns
  // it to Barbara.
  await editor.create({
    _id: 'ent-1',
    _type: 'clerkEntitlement',
    title: 'Alan: Pro',
    clerkUserId: 'user_alan',
    plan: ref('plan-pro'),
  })
  await editor
    .patch('ent-1')
    .set({grants: [{...ref('course-a11y'), _key: 'g1'}]})
    .commit()
  await editor.patch('ent-1').set({title: 'Alan: Pro and a11y'}).commit()
  await admin.patch('ent-1').set({clerkUserId: 'user_barbara'}).commit()
})

afterAll(async () => {
  await lake.close()
})

function sentences(history: Awaited<ReturnType<typeof loadAccessHistory>>) {
  return history.entries.map((entry) => ({
    who: entry.authorName,
    via: entry.entitlementTitle,
    gained: entry.change.gained.map((i) => history.labels[`${i.key}:${i.value}`] ?? i.value),
    lost: entry.change.lost.map((i) => history.labels[`${i.key}:${i.value}`] ?? i.value),
  }))
}

describe('loadAccessHistory (against the local Content Lake)', () => {
  it('lists who granted and revoked what for a subject, newest first, skipping edits that changed nothing for it', async () => {
    const history = await loadAccessHistory(editor, rules, {
      subject: 'user_alan',
      entitlementIds: ['ent-1'],
    })
    expect(sentences(history)).toEqual([
      {
        who: 'Ada Admin',
        via: 'Alan: Pro and a11y',
        gained: [],
        lost: ['Accessible Interfaces', 'Pro'],
      },
      {who: 'Eddie Editor', via: 'Alan: Pro', gained: ['Accessible Interfaces'], lost: []},
      {who: 'Eddie Editor', via: 'Alan: Pro', gained: ['Pro'], lost: []},
    ])
    const log = lake.transactions()
    expect(history.entries[0]!.transactionId).toBe(log[log.length - 1]!.id)
  })

  it('shows the same reassignment as a grant for the new subject', async () => {
    const history = await loadAccessHistory(editor, rules, {
      subject: 'user_barbara',
      entitlementIds: ['ent-1'],
    })
    expect(sentences(history)).toEqual([
      {
        who: 'Ada Admin',
        via: 'Alan: Pro and a11y',
        gained: ['Accessible Interfaces', 'Pro'],
        lost: [],
      },
    ])
  })

  it('writes nothing to the dataset', async () => {
    const before = lake.transactions().length
    await loadAccessHistory(editor, rules, {subject: 'user_alan', entitlementIds: ['ent-1']})
    expect(lake.transactions()).toHaveLength(before)
  })
})
