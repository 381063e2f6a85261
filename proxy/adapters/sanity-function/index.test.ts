import type {DocumentEventHandler} from '@sanity/functions'
import {afterAll, beforeAll, describe, expect, expectTypeOf, it} from 'vitest'

import {createLakeClient} from '../../../emulators/content-lake'
import {resolveAccessRules} from '../../../core/access'
import {DOCUMENT_EVENT_PROJECTION, documentEventFilter} from '../../routes/documentEvent'
import {
  entitlement,
  findSecrets,
  startProxyHarness,
  type ProxyHarness,
} from '../../testing/proxy-harness'
import {createClerkSyncFunction} from './index'

let h: ProxyHarness
let handler: ReturnType<typeof createClerkSyncFunction>
const logged: string[] = []

beforeAll(async () => {
  h = await startProxyHarness()
  const record = (message: string, ...details: unknown[]) =>
    logged.push(`${message} ${JSON.stringify(details)}`)
  handler = createClerkSyncFunction({
    clerkSecretKey: h.secrets.clerkSecretKey,
    clerkApiUrl: h.clerk.url,
    clerkRetry: {maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10},
    logger: {info: record, warn: record, error: record},
  })
})
afterAll(() => h?.close())

const context = () => ({
  clientOptions: {...h.lake.clientConfig('viewer'), resolveFetch: h.lake.resolveFetch},
})

describe('createClerkSyncFunction', () => {
  it('fits documentEventHandler from @sanity/functions without importing it at run time', () => {
    expectTypeOf(handler).toExtend<DocumentEventHandler>()
    const asDeclared: DocumentEventHandler = handler
    expect(asDeclared).toBe(handler)
  })

  it('syncs the subjects of event.data, read through the context’s clientOptions', async () => {
    const user = h.createUser('Fiona')
    await h.publish(entitlement('ent-fiona', user, {courses: ['course-intro']}))
    const data = {
      _id: 'ent-fiona',
      _type: 'clerkEntitlement',
      before: null,
      after: {clerkUserId: user},
    }
    await handler({context: context(), event: {data}})
    expect(logged).toContainEqual(expect.stringContaining(`clerk-sync ent-fiona: ${user} updated`))
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({
      plan: 'pro',
      courseSlugs: ['intro'],
    })
  })

  it('ignores drafts and unrelated types without asking Clerk', async () => {
    h.clerk.clearLog()
    const draft = {_id: 'drafts.ent-x', _type: 'clerkEntitlement', after: {clerkUserId: 'user_1'}}
    await handler({context: context(), event: {data: draft}})
    await handler({context: context(), event: {data: {_id: 'post-1', _type: 'post'}}})
    expect(logged.filter((line) => line.includes('ignored'))).toHaveLength(2)
    expect(h.clerk.log).toEqual([])
  })

  it('throws on a malformed event and when Clerk is down, so the invocation fails visibly', async () => {
    await expect(handler({context: context(), event: {data: 'nope'}})).rejects.toThrow(
      'JSON object',
    )
    const user = h.createUser('Outage')
    await h.publish(entitlement('ent-outage', user))
    h.clerk.faults.add({
      method: 'PATCH',
      path: /\/metadata$/,
      times: 5,
      fault: {type: 'status', status: 503},
    })
    try {
      await expect(
        handler({
          context: context(),
          event: {data: {_id: 'ent-outage', _type: 'clerkEntitlement', after: {clerkUserId: user}}},
        }),
      ).rejects.toThrow(`sync failed for ${user} (clerk_unavailable: `)
    } finally {
      h.clerk.faults.clear()
    }
  })

  it('redacts the context’s real token and the Clerk key from its error and log lines', async () => {
    const {token} = context().clientOptions
    const user = h.createUser('Leaky')
    await h.publish(entitlement('ent-leaky', user))
    h.clerk.faults.add({
      method: 'PATCH',
      path: /\/metadata$/,
      times: 5,
      fault: {type: 'status', status: 422, message: `echo ${token} ${h.secrets.clerkSecretKey}`},
    })
    try {
      const data = {_id: 'ent-leaky', _type: 'clerkEntitlement', after: {clerkUserId: user}}
      const error = await handler({context: context(), event: {data}}).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain(`sync failed for ${user} (clerk_rejected`)
      expect((error as Error).message).toContain('echo [redacted] [redacted]')
      expect(
        findSecrets([(error as Error).message, (error as Error).stack ?? ''], h.secrets),
      ).toEqual([])
    } finally {
      h.clerk.faults.clear()
    }
  })

  it('runs as the Content Lake’s emulated Function on create, reassignment and delete', async () => {
    h.lake.functions.register({
      name: 'clerk-sync',
      filter: documentEventFilter(resolveAccessRules()),
      projection: DOCUMENT_EVENT_PROJECTION,
      on: ['create', 'update', 'delete'],
      handler,
    })
    try {
      const from = h.createUser('Fna')
      const to = h.createUser('Fnb')
      await h.publish(entitlement('ent-fn', from))
      await h.lake.settled()
      expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({plan: 'pro'})
      await h.publish(entitlement('ent-fn', to))
      await h.lake.settled()
      expect(h.clerk.store.getUser(from)?.public_metadata).toEqual({})
      expect(h.clerk.store.getUser(to)?.public_metadata).toEqual({plan: 'pro'})
      await createLakeClient(h.lake).delete('ent-fn')
      await h.lake.settled()
      expect(h.clerk.store.getUser(to)?.public_metadata).toEqual({})
      const runs = h.lake.functions.invocations.filter((run) => run.documentId === 'ent-fn')
      expect(runs.map((run) => [run.operation, run.ok])).toEqual([
        ['create', true],
        ['update', true],
        ['delete', true],
      ])
    } finally {
      h.lake.functions.unregister('clerk-sync')
    }
  })

  it('validates its options up front without echoing the key', () => {
    expect(() => createClerkSyncFunction({clerkSecretKey: 'pk_test_publishable'})).toThrow(
      'publishable key',
    )
  })

  it('never logs a secret', () => {
    expect(logged.length).toBeGreaterThan(3)
    expect(findSecrets(logged, h.secrets)).toEqual([])
  })
})
