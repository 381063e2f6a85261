import type {SanityClient} from '@sanity/client'

import {createLakeClient} from './client'
import {startContentLake, type ContentLake} from './server'

let lake: ContentLake
let editor: SanityClient
let viewer: SanityClient

interface HistoryTransaction {
  id: string
  timestamp: string
  author: string
  documentIDs: string[]
  mutations?: unknown[]
  effects: Record<string, {apply: unknown; revert: unknown}>
}

async function transactions(ids: string, query = ''): Promise<HistoryTransaction[]> {
  const text = await viewer.request<string>({
    url: `/data/history/test/transactions/${ids}${query ? `?${query}` : ''}`,
    json: false,
  })
  return String(text)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HistoryTransaction)
}

beforeAll(async () => {
  lake = await startContentLake({projectId: 'lake', dataset: 'test', documents: []})
  editor = createLakeClient(lake, 'editor')
  viewer = createLakeClient(lake, 'viewer')
  for (const mutation of [
    () => editor.create({_id: 'ent-1', _type: 'clerkEntitlement', clerkUserId: 'user_a'}),
    () => editor.patch('ent-1').set({clerkUserId: 'user_b'}).commit(),
    () => editor.create({_id: 'other', _type: 'course', title: 'Unrelated'}),
    () => editor.delete('ent-1'),
  ]) {
    await mutation()
  }
})

afterAll(async () => {
  await lake.close()
})

describe('history: transactions', () => {
  it('lists only the transactions that touched the ids, oldest first, with who and effects', async () => {
    const log = await transactions('ent-1,drafts.ent-1')
    expect(log.map((t) => t.documentIDs)).toEqual([['ent-1'], ['ent-1'], ['ent-1']])
    expect(new Set(log.map((t) => t.author)).size).toBe(1)
    expect(log[1]!.effects['ent-1']).toMatchObject({
      apply: [0, {clerkUserId: 'user_b'}],
      revert: [0, {clerkUserId: 'user_a'}],
    })
    expect(log[2]!.effects['ent-1']).toMatchObject({apply: [0, null]})
    expect(log[0]!.mutations).toBeDefined()
  })

  it('bounds, reverses, limits and drops content on request', async () => {
    const all = await transactions('ent-1')
    const newest = await transactions('ent-1', 'reverse=true&limit=1&excludeContent=true')
    expect(newest.map((t) => t.id)).toEqual([all[2]!.id])
    expect(newest[0]!.mutations).toBeUndefined()
    const middle = await transactions(
      'ent-1',
      `fromTransaction=${all[1]!.id}&toTransaction=${all[1]!.id}`,
    )
    expect(middle.map((t) => t.id)).toEqual([all[1]!.id])
    const later = await transactions('ent-1', `fromTime=${encodeURIComponent(all[1]!.timestamp)}`)
    expect(later.map((t) => t.id)).toEqual(all.slice(1).map((t) => t.id))
  })

  it('answers a Sanity-shaped 400 for a bad limit and 404 for an unknown transaction', async () => {
    await expect(transactions('ent-1', 'limit=0')).rejects.toMatchObject({statusCode: 400})
    await expect(transactions('ent-1', 'fromTransaction=nope')).rejects.toMatchObject({
      statusCode: 404,
    })
  })
})

describe('history: documents', () => {
  it('returns a document as it was at a revision, and as it was at a moment', async () => {
    const [created] = await transactions('ent-1')
    const atRevision = await viewer.request<{documents: Array<{clerkUserId: string}>}>({
      url: `/data/history/test/documents/ent-1?revision=${created!.id}`,
    })
    expect(atRevision.documents.map((d) => d.clerkUserId)).toEqual(['user_a'])
    const now = await viewer.request<{documents: unknown[]}>({
      url: `/data/history/test/documents/ent-1?time=${encodeURIComponent(new Date().toISOString())}`,
    })
    expect(now.documents).toEqual([])
    const before = await viewer.request<{documents: unknown[]}>({
      url: `/data/history/test/documents/ent-1?time=2000-01-01T00:00:00Z`,
    })
    expect(before.documents).toEqual([])
  })
})

describe('history: events', () => {
  interface EventsAnswer {
    events: Record<string, Array<Record<string, unknown>>>
    nextCursor: string
  }
  const eventsOf = (id: string, query = '') =>
    viewer.request<EventsAnswer>({url: `/data/history/test/events/documents/${id}${query}`})

  it('lists a document written without drafts: created, updated, deleted (newest first)', async () => {
    const answer = await eventsOf('ent-1')
    expect(answer.nextCursor).toBe('')
    expect(answer.events['ent-1']!.map((event) => event.type)).toEqual([
      'deleteDocumentGroup',
      'updateLiveDocument',
      'createLiveDocument',
    ])
  })

  it('lists the Studio lifecycle of a draft by the revisions the Studio compares', async () => {
    const draftId = 'drafts.life'
    const publishedId = 'life'
    const act = (action: Record<string, unknown>) =>
      editor.action(action as never).then((result) => result.transactionId)
    const created = await act({
      actionType: 'sanity.action.document.create',
      publishedId,
      attributes: {_id: draftId, _type: 'clerkEntitlement', title: 'Pro'},
      ifExists: 'fail',
    })
    const edited = await act({
      actionType: 'sanity.action.document.edit',
      draftId,
      publishedId,
      patch: {set: {title: 'Free'}},
    })
    const published = await act({
      actionType: 'sanity.action.document.publish',
      draftId,
      publishedId,
    })
    const unpublished = await act({
      actionType: 'sanity.action.document.unpublish',
      draftId,
      publishedId,
    })
    await act({actionType: 'sanity.action.document.discard', draftId})

    const {events} = await eventsOf(draftId)
    const me = (await editor.users.getById('me')).id
    expect(events[draftId]).toEqual([
      expect.objectContaining({
        type: 'deleteDocumentVersion',
        versionId: draftId,
        versionRevisionId: unpublished,
      }),
      expect.objectContaining({
        type: 'unpublishDocument',
        versionId: draftId,
        versionRevisionId: unpublished,
      }),
      expect.objectContaining({
        type: 'publishDocumentVersion',
        documentId: publishedId,
        revisionId: published,
        versionRevisionId: edited,
        publishCause: 'document.publish',
      }),
      expect.objectContaining({
        type: 'createDocumentVersion',
        versionId: draftId,
        versionRevisionId: created,
        author: me,
        documentVariantType: 'draft',
      }),
    ])
    // An edit inside the draft is no event: the Studio reads it from the transactions.
    expect(
      events[draftId]!.some(
        (event) => event.versionRevisionId === edited && event.type !== 'publishDocumentVersion',
      ),
    ).toBe(false)
    expect((await eventsOf(draftId, '?limit=1')).events[draftId]).toHaveLength(1)
  })
})
