/**
 * Entitlements addressed to an email, end to end through the real SDKs: the engine reads the
 * user's verified addresses from Clerk first, then ONE GROQ query returns the entitlements
 * naming the user's id or one of those addresses. An unverified address grants nothing.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {LakeDocument} from '../../emulators/content-lake'
import {content, startSyncHarness, type SyncHarness} from '../testing/sync-harness'

const {plan, course} = content
let h: SyncHarness

beforeAll(async () => {
  h = await startSyncHarness({
    documents: [plan('basic', 1), plan('pro', 5), course('intro'), course('advanced')],
    now: () => new Date('2026-06-01T12:00:00.000Z'),
    convergence: {timer: false},
  })
})
afterAll(() => h?.close())

/** The harness's entitlement, addressed to an email instead of an id. */
function emailEntitlement(
  id: string,
  email: string,
  fields: {plan?: string; courses?: string[]},
): LakeDocument {
  const {clerkUserId: _id, ...document} = content.entitlement(id, 'user_placeholder', fields)
  return {...document, clerkEmail: email}
}

let count = 0
const uniqueEmail = () => `invitee${++count}x${Date.now().toString(36)}@example.com`

describe('email-addressed entitlements', () => {
  it('grant to the user once the address is verified, never before', async () => {
    const email = uniqueEmail()
    await h.editor.createOrReplace(
      emailEntitlement(`by-email-${count}`, email, {plan: 'pro', courses: ['intro']}),
    )
    const user = h.clerk.store.createUser({email_address: [`other${count}@example.com`]})
    const address = h.clerk.store.createEmailAddress({
      user_id: user.id,
      email_address: email,
      verified: false,
    })

    const lakeBefore = h.lake.requests.length
    const [unverified] = await h.engine.syncSubjects([user.id])
    expect(unverified?.outcome).toBe('unchanged')
    expect(h.clerk.store.getUser(user.id)?.public_metadata).toEqual({})
    const queries = h.lake.requests
      .slice(lakeBefore)
      .filter((request) => request.route.startsWith('/data/query'))
    expect(queries).toHaveLength(1)

    h.clerk.store.updateEmailAddress(address.id, {verified: true})
    const [verified] = await h.engine.syncSubjects([user.id])
    expect(verified).toMatchObject({outcome: 'updated', changes: {plan: 'pro'}})
    expect(h.clerk.store.getUser(user.id)?.public_metadata).toEqual({
      courseSlugs: ['intro'],
      plan: 'pro',
    })
    const status = await h.engine.status(user.id)
    expect(status.drift).toEqual([])
    expect(status.effective.sources.map((source) => source.entitlementId)).toEqual([
      `by-email-${count}`,
    ])
  })

  it("a change to an email-addressed entitlement reaches the user who verified it, and no one else's", async () => {
    const email = uniqueEmail()
    const id = `by-email-${count}`
    const owner = h.clerk.store.createUser({email_address: [email]})
    const stranger = h.clerk.store.createUser({email_address: [`stranger${count}@example.com`]})
    await h.editor.createOrReplace(emailEntitlement(id, email, {plan: 'basic'}))

    expect(await h.engine.subjectsOfDocument(id)).toEqual([owner.id])
    await h.engine.syncChange({documentId: id})
    expect(h.clerk.store.getUser(owner.id)?.public_metadata).toEqual({plan: 'basic'})
    expect(h.clerk.store.getUser(stranger.id)?.public_metadata).toEqual({})
  })

  it('changing the address revokes the holder of the previous one (previousEmails)', async () => {
    const oldEmail = uniqueEmail()
    const id = `by-email-${count}`
    const oldHolder = h.clerk.store.createUser({email_address: [oldEmail]})
    await h.editor.createOrReplace(emailEntitlement(id, oldEmail, {plan: 'pro'}))
    await h.engine.syncChange({documentId: id})
    expect(h.clerk.store.getUser(oldHolder.id)?.public_metadata).toEqual({plan: 'pro'})

    await h.editor.createOrReplace(emailEntitlement(id, uniqueEmail(), {plan: 'pro'}))
    const results = await h.engine.syncChange({documentId: id, previousEmails: [oldEmail]})
    expect(results).toEqual([expect.objectContaining({subject: oldHolder.id, outcome: 'updated'})])
    expect(h.clerk.store.getUser(oldHolder.id)?.public_metadata).toEqual({})
  })

  it('an address nobody has yet affects no one', async () => {
    const email = uniqueEmail()
    const id = `by-email-${count}`
    await h.editor.createOrReplace(emailEntitlement(id, email, {plan: 'pro'}))
    expect(await h.engine.subjectsOfDocument(id)).toEqual([])
  })
})

describe('reconcile with email-addressed entitlements', () => {
  it('finds a verified address holder missing the grant, fixes it, then finds nothing', async () => {
    const email = uniqueEmail()
    const user = h.clerk.store.createUser({email_address: [email]})
    await h.editor.createOrReplace(emailEntitlement(`by-email-${count}`, email, {plan: 'basic'}))
    const run = async (dryRun: boolean) => {
      const events = []
      for await (const event of h.engine.reconcile({dryRun, kinds: ['user']})) events.push(event)
      return events.filter((event) => event.type === 'drift' && event.subject === user.id)
    }
    expect(await run(true)).toMatchObject([{drift: [{key: 'plan', clerk: null, sanity: 'basic'}]}])
    await run(false)
    expect(h.clerk.store.getUser(user.id)?.public_metadata).toEqual({plan: 'basic'})
    // A holder whose grant is in Clerk is not drift (it would be without its verified emails).
    expect(await run(true)).toEqual([])
  })
})
