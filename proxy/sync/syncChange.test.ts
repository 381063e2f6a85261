import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

const {entitlement, plan, role} = content
let h: SyncHarness

beforeAll(async () => {
  h = await startSyncHarness({documents: [plan('basic', 1), plan('pro', 5), role('editor', 3)]})
})
afterAll(() => h?.close())

let userCount = 0
function newUser() {
  const id = `user_sc${++userCount}x${Date.now().toString(36)}`
  h.clerk.store.createUser({id, first_name: 'Change', email_address: [`${id}@example.com`]})
  return id
}

/** GROQ queries the engine sends while `work` runs, from the lake's own request log. */
async function groqDuring<T>(work: () => Promise<T>): Promise<{queries: number; value: T}> {
  const before = h.lake.requests.length
  const value = await work()
  const queries = h.lake.requests
    .slice(before)
    .filter((request) => request.route.startsWith('/data/query')).length
  return {queries, value}
}

describe('syncChange (the Studio action: POST /sync {documentId, previousSubjects})', () => {
  it('asks Sanity once when the document still names the subject it named before', async () => {
    const user = newUser()
    await h.editor.createOrReplace(entitlement('sc-1', user, {plan: 'basic'}))
    await h.engine.syncSubjects([user])
    await h.editor
      .patch('sc-1')
      .set({plan: content.ref('plan-pro'), role: content.ref('role-editor')})
      .commit()

    const {queries, value: results} = await groqDuring(() =>
      h.engine.syncChange({documentId: 'sc-1', previousSubjects: [user]}),
    )

    expect(results.map(({subject, outcome}) => [subject, outcome])).toEqual([[user, 'updated']])
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'pro', role: 'editor'})
    expect(queries).toBe(1)
    const again = await groqDuring(() =>
      h.engine.syncChange({documentId: 'sc-1', previousSubjects: [user]}),
    )
    expect(again.value.map(({outcome}) => outcome)).toEqual(['unchanged'])
    expect(again.queries).toBe(1)
  })

  it('reads once more, under its own lease, for a subject the document names and the request did not', async () => {
    const [before, after] = [newUser(), newUser()]
    await h.editor.createOrReplace(entitlement('sc-2', before, {plan: 'pro'}))
    await h.engine.syncSubjects([before])
    await h.editor.patch('sc-2').set({clerkUserId: after}).commit()

    const {queries, value: results} = await groqDuring(() =>
      h.engine.syncChange({documentId: 'sc-2', previousSubjects: [before]}),
    )

    expect(results.map(({subject, outcome}) => [subject, outcome])).toEqual([
      [before, 'updated'],
      [after, 'updated'],
    ])
    expect(h.clerk.store.getUser(before)?.public_metadata).toEqual({})
    expect(h.clerk.store.getUser(after)?.public_metadata).toEqual({plan: 'pro'})
    expect(queries).toBe(2)
  })

  it('finds the subjects of a first publish, which names no previous subject', async () => {
    const user = newUser()
    await h.editor.createOrReplace(entitlement('sc-3', user, {plan: 'basic'}))

    const results = await h.engine.syncChange({documentId: 'sc-3'})

    expect(results.map(({subject, outcome}) => [subject, outcome])).toEqual([[user, 'updated']])
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({plan: 'basic'})
  })
})
